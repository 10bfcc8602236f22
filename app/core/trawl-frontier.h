/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-frontier.h — what to fetch next, and when. */
#pragma once

#include <glib.h>

#include "trawl-job.h"
#include "trawl-robots.h"

G_BEGIN_DECLS

typedef enum {
  TRAWL_REQUEST_PAGE,
  TRAWL_REQUEST_SITEMAP,
} TrawlRequestKind;

/* One URL waiting in the frontier or in flight.  Allocated in one block
 * with its URL, since a large frontier holds millions of them. */
typedef struct {
  gint64           id;
  gint64           parent_id;
  gint64           origin_id;  /* first URL of the redirect chain this hop belongs to, or 0 */
  guint64          origin_fp;  /* its fingerprint, to recognise loops */
  int              depth;
  guint8           attempts;
  guint8           kind;       /* TrawlRequestKind */
  guint8           hops;       /* redirects followed to get here */
  char             url[];
} TrawlRequest;

TrawlRequest *trawl_request_new (gint64            id,
                                 const char       *url,
                                 int               depth,
                                 gint64            parent_id,
                                 TrawlRequestKind  kind);

typedef enum {
  TRAWL_ROBOTS_STATE_UNKNOWN,
  TRAWL_ROBOTS_STATE_FETCHING,
  TRAWL_ROBOTS_STATE_READY,
} TrawlRobotsState;

/* A double-ended queue of requests in a ring buffer: one pointer per
 * request, where a GQueue would add a 24-byte list node. */
typedef struct {
  TrawlRequest **items;   /* owned, with the requests */
  guint          head;
  guint          length;
  guint          capacity;
} TrawlRequestQueue;

/* A host's queue and politeness state.  The engine reads and changes the
 * public fields, then calls trawl_frontier_update_host(). */
typedef struct {
  char            *key;            /* owned; "scheme://host:port" */
  TrawlRequestQueue queue;
  guint            in_flight;
  gint64           next_allowed;   /* monotonic µs before which nothing starts */
  gint64           gap_us;         /* the delay drawn for the last request started */
  double           delay;          /* current delay between requests, seconds */
  TrawlRobotsState robots_state;
  TrawlRobots     *robots;         /* owned, nullable until fetched */
  guint            robots_attempts; /* fetches of robots.txt started */
  gint64           spilled;        /* queued URLs kept only in the crawl file */
  gint64           last_memory_id; /* the highest id queued in memory, in id order */
  GHashTable      *pinned;         /* nullable; ids above it queued in memory out of order */
  gint64           done;
  gint64           errors;
  double           latency_sum_ms;
  guint            latency_count;
  guint            heap_index;     /* private to the frontier */
} TrawlHost;

typedef struct _TrawlFrontier TrawlFrontier;

/* Loads up to @limit queued requests of @host with ids above @after_id,
 * in id order, from the crawl file; returns them in an array of owned
 * TrawlRequest*, or NULL when they cannot be read now (the file's writer
 * waits for space), so that the host is tried again later. */
typedef GPtrArray *(*TrawlFrontierLoadFunc) (TrawlHost *host,
                                             gint64     after_id,
                                             guint      limit,
                                             gpointer   user_data);

TrawlFrontier *trawl_frontier_new          (TrawlOrder     order,
                                            guint          per_host);
void           trawl_frontier_free         (TrawlFrontier *frontier);
void           trawl_frontier_set_loader   (TrawlFrontier        *frontier,
                                            TrawlFrontierLoadFunc func,
                                            gpointer              user_data);
void           trawl_frontier_add          (TrawlFrontier *frontier,
                                            TrawlHost     *host,
                                            gint64         id,
                                            const char    *url,
                                            int            depth,
                                            gint64         parent_id,
                                            TrawlRequestKind kind);
void           trawl_frontier_set_per_host (TrawlFrontier *frontier,
                                            guint          per_host);
gboolean       trawl_frontier_add_seen     (TrawlFrontier *frontier,
                                            guint64        fingerprint);
gboolean       trawl_frontier_is_seen      (TrawlFrontier *frontier,
                                            guint64        fingerprint);
guint          trawl_frontier_get_n_seen   (TrawlFrontier *frontier);
TrawlHost     *trawl_frontier_get_host     (TrawlFrontier *frontier,
                                            const char    *key);
void           trawl_frontier_push         (TrawlFrontier *frontier,
                                            TrawlHost     *host,
                                            TrawlRequest  *request);
void           trawl_frontier_push_front   (TrawlFrontier *frontier,
                                            TrawlHost     *host,
                                            TrawlRequest  *request);
TrawlRequest  *trawl_frontier_pop          (TrawlFrontier *frontier,
                                            gint64         now,
                                            TrawlHost    **host,
                                            gint64        *wake_at);
void           trawl_frontier_update_host  (TrawlFrontier *frontier,
                                            TrawlHost     *host);
gint64         trawl_frontier_get_queued   (TrawlFrontier *frontier);
GList         *trawl_frontier_get_hosts    (TrawlFrontier *frontier);
void           trawl_frontier_clear_queues (TrawlFrontier *frontier);

G_END_DECLS
