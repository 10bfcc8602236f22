/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-keys.h — what the results are sorted and filtered by,
 * for every settled URL, held in memory. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

struct sqlite3;

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

typedef struct _TrawlResultsKeys TrawlResultsKeys;

TrawlResultsKeys *trawl_results_keys_read      (struct sqlite3    *db);
TrawlResultsKeys *trawl_results_keys_ref       (TrawlResultsKeys  *keys);
void              trawl_results_keys_unref     (TrawlResultsKeys  *keys);
guint             trawl_results_keys_get_n     (TrawlResultsKeys  *keys);
GArray           *trawl_results_keys_rank_text (TrawlResultsKeys  *keys,
                                                struct sqlite3    *db,
                                                TrawlResultsSort   sort);
GArray           *trawl_results_keys_select    (TrawlResultsKeys  *keys,
                                                TrawlResultsFilter filters,
                                                GArray            *only_ids);
GArray           *trawl_results_keys_sort      (TrawlResultsKeys  *keys,
                                                GArray            *rows,
                                                TrawlResultsSort   sort,
                                                gboolean           descending,
                                                GArray            *text_ranks,
                                                GArray            *inlink_fps,
                                                GArray            *inlink_counts);
gint64            trawl_results_inlinks_of     (GArray            *fps,
                                                GArray            *counts,
                                                gint64             fingerprint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlResultsKeys, trawl_results_keys_unref)

G_END_DECLS
