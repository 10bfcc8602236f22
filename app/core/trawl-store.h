/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-store.h — one crawl in one SQLite file, written by one thread. */
#pragma once

#include <glib.h>

#include "trawl-stats.h"

G_BEGIN_DECLS

/* SQLite's connection, for those that hold one of their own. */
struct sqlite3;
struct sqlite3_stmt;

/* The schema this build writes; files with a higher version were made by a
 * newer Trawl and are refused rather than damaged.  docs/schema.md lists
 * every version and its migration. */
#define TRAWL_STORE_SCHEMA_VERSION 2

#define TRAWL_STORE_ERROR (trawl_store_error_quark ())

typedef enum {
  TRAWL_STORE_ERROR_OPEN,       /* missing, unreadable or unwritable */
  TRAWL_STORE_ERROR_NOT_CRAWL,  /* not SQLite, or SQLite but not a crawl */
  TRAWL_STORE_ERROR_NEWER,      /* written by a newer version of Trawl */
  TRAWL_STORE_ERROR_EXISTS,     /* refusing to overwrite */
  TRAWL_STORE_ERROR_WRITE,      /* a write failed (disk full, I/O error) */
  TRAWL_STORE_ERROR_BUSY,       /* another store writes it: a crawl runs */
  TRAWL_STORE_ERROR_FULL,       /* the disk is full; writing can go on once there is space */
  TRAWL_STORE_ERROR_DAMAGED,    /* a crawl file, but part of it is missing or overwritten */
  TRAWL_STORE_ERROR_READ_ONLY,  /* it can be read but not written */
} TrawlStoreError;

typedef enum {
  TRAWL_STORE_CREATE,     /* a new file; fails if it exists */
  TRAWL_STORE_RESUME,     /* an existing crawl, to be continued */
  TRAWL_STORE_READ,       /* an existing crawl, read only */
  TRAWL_STORE_UPDATE,     /* an existing crawl, changed in place without crawling */
} TrawlStoreMode;

typedef enum {
  TRAWL_URL_QUEUED = 0,
  TRAWL_URL_FETCHED = 1,  /* a response was received, whatever its status */
  TRAWL_URL_FAILED = 2,   /* no usable response: network error, timeout, too large… */
  TRAWL_URL_SKIPPED = 3,  /* not fetched on purpose: robots, scope, depth, duplicate… */
} TrawlUrlState;

const char *trawl_url_state_get_label (TrawlUrlState state);

typedef enum {
  TRAWL_LOG_DEBUG,
  TRAWL_LOG_INFO,
  TRAWL_LOG_WARNING,
  TRAWL_LOG_ERROR,
} TrawlLogLevel;

const char *trawl_log_level_to_string (TrawlLogLevel level);
const char *trawl_log_level_get_label (TrawlLogLevel level);

/* One row of the pages table.  Every string is owned. */
typedef struct {
  gint64   id;            /* the URL's id */
  char    *url;
  char    *final_url;
  int      status;        /* HTTP status, 0 when no response */
  char    *content_type;
  gint64   bytes;
  int      depth;
  char    *title;
  int      fetch_ms;
  int      ttfb_ms;
  double   fetched_at;    /* Unix time */
  char    *description;
  char    *h1;
  char    *canonical;
  char    *meta_robots;
  char    *x_robots_tag;
  gboolean noindex;
  gboolean nofollow;
  int      word_count;
  guint64  content_hash;
  char    *charset;
  int      redirects;     /* hops followed */
  char    *error;         /* why the fetch failed, for people */
  char    *headers;       /* response headers, "Name: value" lines */
  int      outlinks;
  int      attempts;
  GBytes  *body;          /* nullable; stored compressed when store_bodies is on */
} TrawlPageRecord;

void trawl_page_record_free (TrawlPageRecord *record);

typedef struct _TrawlStore     TrawlStore;
typedef struct _TrawlStoreUnit TrawlStoreUnit;

/* Called for every URL row when a crawl is resumed. */
typedef void (*TrawlStoreUrlFunc) (gint64        id,
                                   const char   *url,
                                   guint64       fingerprint,
                                   const char   *host,
                                   int           depth,
                                   gint64        parent_id,
                                   TrawlUrlState state,
                                   const char   *reason,
                                   gpointer      user_data);

GQuark          trawl_store_error_quark   (void);
TrawlStore     *trawl_store_open          (const char        *path,
                                           TrawlStoreMode     mode,
                                           GError           **error);
const char     *trawl_store_get_path      (TrawlStore        *store);
char           *trawl_store_get_meta      (TrawlStore        *store,
                                           const char        *key);
gboolean        trawl_store_load_urls     (TrawlStore        *store,
                                           TrawlStoreUrlFunc  func,
                                           gpointer           user_data,
                                           GError           **error);
gint64          trawl_store_query_int     (TrawlStore        *store,
                                           const char        *sql);
int             trawl_store_open_db       (const char        *path,
                                           struct sqlite3   **db,
                                           int                flags);
gboolean        trawl_store_set_read_error (GError          **error,
                                            struct sqlite3   *db,
                                            const char       *path);
gboolean        trawl_store_check_whole   (struct sqlite3    *db,
                                           const char        *path,
                                           GError           **error);
void            trawl_store_start_writer  (TrawlStore        *store);
void            trawl_store_submit        (TrawlStore        *store,
                                           TrawlStoreUnit    *unit);
guint           trawl_store_get_backlog   (TrawlStore        *store);
gboolean        trawl_store_is_waiting    (TrawlStore        *store,
                                           GError           **error);
void            trawl_store_retry         (TrawlStore        *store);
gboolean        trawl_store_flush         (TrawlStore        *store,
                                           GError           **error);
gboolean        trawl_store_close         (TrawlStore        *store,
                                           GError           **error);
void            trawl_store_free          (TrawlStore        *store);
gboolean        trawl_store_index_links   (const char        *path,
                                           GError           **error);
gboolean        trawl_store_has_links_index (struct sqlite3  *db);
gint64          trawl_store_column_int64_or (struct sqlite3_stmt *stmt,
                                             int                  column,
                                             gint64               fallback);
void           *trawl_store_get_db        (TrawlStore        *store);

TrawlStoreUnit *trawl_store_unit_new          (void);
void            trawl_store_unit_free         (TrawlStoreUnit  *unit);
gboolean        trawl_store_unit_is_empty     (TrawlStoreUnit  *unit);
void            trawl_store_unit_add_url      (TrawlStoreUnit  *unit,
                                               gint64           id,
                                               const char      *url,
                                               guint64          fingerprint,
                                               const char      *host,
                                               int              depth,
                                               gint64           parent_id,
                                               TrawlUrlState    state,
                                               const char      *reason);
void            trawl_store_unit_set_state    (TrawlStoreUnit  *unit,
                                               gint64           id,
                                               TrawlUrlState    state,
                                               const char      *reason);
void            trawl_store_unit_add_page     (TrawlStoreUnit  *unit,
                                               TrawlPageRecord *page);
void            trawl_store_unit_add_link     (TrawlStoreUnit  *unit,
                                               gint64           from_id,
                                               int              seq,
                                               guint64          to_fingerprint,
                                               const char      *kind,
                                               char            *rel,
                                               char            *anchor,
                                               char            *hreflang,
                                               gboolean         nofollow);
void            trawl_store_unit_add_redirect (TrawlStoreUnit  *unit,
                                               gint64           origin_id,
                                               int              hop,
                                               gint64           page_id,
                                               const char      *url,
                                               int              status,
                                               const char      *location);
void            trawl_store_unit_end_chain    (TrawlStoreUnit  *unit,
                                               gint64           origin_id,
                                               const char      *final_url,
                                               int              hops,
                                               const char      *error);
void            trawl_store_unit_add_log      (TrawlStoreUnit  *unit,
                                               double           time,
                                               TrawlLogLevel    level,
                                               const char      *message,
                                               const char      *url);
void            trawl_store_unit_add_item     (TrawlStoreUnit  *unit,
                                               gint64           page_id,
                                               int              seq,
                                               const char      *record,
                                               const char      *data);
void            trawl_store_unit_add_sample   (TrawlStoreUnit   *unit,
                                               const TrawlStats *stats);
void            trawl_store_unit_set_meta     (TrawlStoreUnit  *unit,
                                               const char      *key,
                                               const char      *value);
void            trawl_store_unit_set_host     (TrawlStoreUnit  *unit,
                                               const char      *host,
                                               int              robots_status,
                                               const char      *robots_txt,
                                               double           crawl_delay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlStoreUnit, trawl_store_unit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlPageRecord, trawl_page_record_free)

G_END_DECLS
