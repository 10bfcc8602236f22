/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-stats.h — a snapshot of a running crawl, for observers. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  char   *host;            /* owned; "scheme://host:port" */
  guint   in_flight;
  gint64  queued;
  gint64  done;
  gint64  errors;
  double  avg_latency_ms;  /* time to the response headers */
  double  delay;           /* the current delay between requests, seconds */
} TrawlHostStats;

typedef struct {
  double     time;              /* Unix time of the snapshot */
  double     elapsed;           /* seconds the crawl has run */
  gint64     discovered;        /* URLs known, in any state */
  gint64     queued;
  gint64     in_flight;
  gint64     fetched;
  gint64     failed;
  gint64     skipped;
  gint64     status_2xx;
  gint64     status_3xx;
  gint64     status_4xx;
  gint64     status_5xx;
  gint64     bytes;             /* response bytes received */
  gint64     items;             /* extracted by the job's rules */
  double     pages_per_second;  /* pages answered, over the last few seconds; failed URLs are not counted */
  double     eta;               /* seconds left when the crawl is bounded, or -1 */
  GPtrArray *hosts;             /* owned, of owned TrawlHostStats*, busiest first */
} TrawlStats;

TrawlStats *trawl_stats_new  (void);
TrawlStats *trawl_stats_copy (const TrawlStats *stats);
void        trawl_stats_free (TrawlStats       *stats);
char       *trawl_stats_format_line (const TrawlStats *stats);

GType       trawl_stats_get_type (void) G_GNUC_CONST;
#define TRAWL_TYPE_STATS (trawl_stats_get_type ())

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlStats, trawl_stats_free)

G_END_DECLS
