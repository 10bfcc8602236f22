/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-model.h — the settled URLs of a crawl file as a GListModel. */
#pragma once

#include <gio/gio.h>

#include "trawl-page-row.h"
#include "trawl-results-keys.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_RESULTS_MODEL (trawl_results_model_get_type ())
G_DECLARE_FINAL_TYPE (TrawlResultsModel, trawl_results_model, TRAWL, RESULTS_MODEL, GObject)

TrawlResultsModel *trawl_results_model_new         (const char         *path,
                                                    GError            **error);
const char        *trawl_results_model_get_path    (TrawlResultsModel  *self);
void               trawl_results_model_set_sort    (TrawlResultsModel  *self,
                                                    TrawlResultsSort    sort,
                                                    gboolean            descending);
TrawlResultsSort   trawl_results_model_get_sort    (TrawlResultsModel  *self,
                                                    gboolean           *descending);
void               trawl_results_model_set_filters (TrawlResultsModel  *self,
                                                    TrawlResultsFilter  filters);
TrawlResultsFilter trawl_results_model_get_filters (TrawlResultsModel  *self);
void               trawl_results_model_set_search  (TrawlResultsModel  *self,
                                                    const char         *text);
const char        *trawl_results_model_get_search  (TrawlResultsModel  *self);
void               trawl_results_model_refresh     (TrawlResultsModel  *self);
gboolean           trawl_results_model_is_loading  (TrawlResultsModel  *self);
const GError      *trawl_results_model_get_error   (TrawlResultsModel  *self);
guint              trawl_results_model_get_total   (TrawlResultsModel  *self);
gboolean           trawl_results_model_get_inlinks_known (TrawlResultsModel *self);
gint64             trawl_results_model_get_id      (TrawlResultsModel  *self,
                                                    guint               position);
GArray            *trawl_results_model_ref_ids     (TrawlResultsModel  *self);
gboolean           trawl_results_model_is_narrowed (TrawlResultsModel  *self);
gboolean           trawl_results_model_find        (TrawlResultsModel  *self,
                                                    gint64              id,
                                                    guint              *position);

G_END_DECLS
