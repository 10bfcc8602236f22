/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-view.h — the Results view of the window. */
#pragma once

#include <adwaita.h>

#include "trawl-crawl.h"
#include "trawl-results-model.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_RESULTS_VIEW (trawl_results_view_get_type ())
G_DECLARE_FINAL_TYPE (TrawlResultsView, trawl_results_view, TRAWL, RESULTS_VIEW, AdwBin)

void trawl_results_view_set_crawl (TrawlResultsView *self,
                                TrawlCrawl    *crawl);
void trawl_results_view_focus_search (TrawlResultsView *self);
void trawl_results_view_select_page  (TrawlResultsView *self,
                                      gint64            page_id);
TrawlResultsModel *trawl_results_view_get_model (TrawlResultsView *self);
char *trawl_results_view_dup_selected_url (TrawlResultsView *self);

G_END_DECLS
