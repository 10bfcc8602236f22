/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-job-editor.h — every crawl setting, edited and checked in place. */
#pragma once

#include <adwaita.h>

#include "trawl-job.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_JOB_EDITOR (trawl_job_editor_get_type ())
G_DECLARE_FINAL_TYPE (TrawlJobEditor, trawl_job_editor, TRAWL, JOB_EDITOR, AdwBin)

TrawlJob   *trawl_job_editor_dup_job         (TrawlJobEditor  *self,
                                              GError         **error);
void        trawl_job_editor_set_job         (TrawlJobEditor  *self,
                                              const TrawlJob  *job);
void        trawl_job_editor_add_secrets     (TrawlJobEditor  *self,
                                              const TrawlJob  *found);
void        trawl_job_editor_store_job_async (TrawlJobEditor      *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
TrawlJob   *trawl_job_editor_store_job_finish (TrawlJobEditor  *self,
                                               GAsyncResult    *result,
                                               GError         **error);
const char *trawl_job_editor_get_problem     (TrawlJobEditor  *self);
const char *trawl_job_editor_get_field_error (TrawlJobEditor  *self,
                                              const char      *key);
char       *trawl_job_editor_dup_first_url   (TrawlJobEditor  *self);
void        trawl_job_editor_set_first_url   (TrawlJobEditor  *self,
                                              const char      *url);
void        trawl_job_editor_apply_preset    (TrawlJobEditor  *self,
                                              const char      *preset);
const char *trawl_job_editor_get_preset      (TrawlJobEditor  *self);

G_END_DECLS
