/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-setup-view.h — the Setup view: the start page and the job editor. */
#pragma once

#include <adwaita.h>

#include "trawl-crawl.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_SETUP_VIEW (trawl_setup_view_get_type ())
G_DECLARE_FINAL_TYPE (TrawlSetupView, trawl_setup_view, TRAWL, SETUP_VIEW, AdwBin)

TrawlJob   *trawl_setup_view_dup_job        (TrawlSetupView  *self,
                                             GError         **error);
void        trawl_setup_view_set_job        (TrawlSetupView  *self,
                                             const TrawlJob  *job);
void        trawl_setup_view_set_start_url  (TrawlSetupView  *self,
                                             const char      *url);
const char *trawl_setup_view_get_problem    (TrawlSetupView  *self);
gboolean    trawl_setup_view_load_job_file  (TrawlSetupView  *self,
                                             const char      *path,
                                             GError         **error);
void        trawl_setup_view_store_job_async  (TrawlSetupView      *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
TrawlJob   *trawl_setup_view_store_job_finish (TrawlSetupView  *self,
                                               GAsyncResult    *result,
                                               GError         **error);
void        trawl_setup_view_save_job_file_async  (TrawlSetupView      *self,
                                                   const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean    trawl_setup_view_save_job_file_finish (TrawlSetupView  *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);
void        trawl_setup_view_reload_recent  (TrawlSetupView  *self);
GListModel *trawl_setup_view_get_recent     (TrawlSetupView  *self);

G_END_DECLS
