/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-model.h — the settled URLs of a crawl file as a GListModel. */
#pragma once

#include <gio/gio.h>

#include "trawl-page-row.h"

G_BEGIN_DECLS

/* The columns the results can be sorted by. */
typedef enum {
  TRAWL_RESULTS_SORT_NONE,     /* discovery order (URL id) */
  TRAWL_RESULTS_SORT_URL,
  TRAWL_RESULTS_SORT_STATUS,
  TRAWL_RESULTS_SORT_TYPE,
  TRAWL_RESULTS_SORT_SIZE,
  TRAWL_RESULTS_SORT_TIME,
  TRAWL_RESULTS_SORT_DEPTH,
  TRAWL_RESULTS_SORT_TITLE,
  TRAWL_RESULTS_SORT_INLINKS,
  TRAWL_RESULTS_SORT_OUTLINKS,
} TrawlResultsSort;

/* Filter chips.  HTML narrows by type; the others are outcomes, and a row
 * passes when it has any of the chosen outcomes. */
typedef enum {
  TRAWL_RESULTS_FILTER_HTML     = 1 << 0,
  TRAWL_RESULTS_FILTER_2XX      = 1 << 1,
  TRAWL_RESULTS_FILTER_3XX      = 1 << 2,
  TRAWL_RESULTS_FILTER_4XX      = 1 << 3,
  TRAWL_RESULTS_FILTER_5XX      = 1 << 4,
  TRAWL_RESULTS_FILTER_ERRORS   = 1 << 5,
  TRAWL_RESULTS_FILTER_ROBOTS   = 1 << 6,
  TRAWL_RESULTS_FILTER_EXTERNAL = 1 << 7,
} TrawlResultsFilter;

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
guint              trawl_results_model_get_total   (TrawlResultsModel  *self);
gboolean           trawl_results_model_get_inlinks_known (TrawlResultsModel *self);
gint64             trawl_results_model_get_id      (TrawlResultsModel  *self,
                                                    guint               position);
gboolean           trawl_results_model_find        (TrawlResultsModel  *self,
                                                    gint64              id,
                                                    guint              *position);

G_END_DECLS
