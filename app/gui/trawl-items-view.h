/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-items-view.h — the Items view of the window. */
#pragma once

#include <adwaita.h>

#include "trawl-crawl.h"
#include "trawl-rerun.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_ITEMS_VIEW (trawl_items_view_get_type ())
G_DECLARE_FINAL_TYPE (TrawlItemsView, trawl_items_view, TRAWL, ITEMS_VIEW, AdwBin)

void        trawl_items_view_set_crawl (TrawlItemsView *self,
                                        TrawlCrawl     *crawl);
GListModel *trawl_items_view_get_model (TrawlItemsView *self);
void        trawl_items_view_rerun_rules_async  (TrawlItemsView      *self,
                                                 const char *const   *rules,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    trawl_items_view_rerun_rules_finish (TrawlItemsView      *self,
                                                 GAsyncResult        *result,
                                                 TrawlRerunResult    *counts,
                                                 GError             **error);
gboolean    trawl_items_view_is_rerunning       (TrawlItemsView      *self);

G_END_DECLS
