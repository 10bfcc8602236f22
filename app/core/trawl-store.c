/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-store.c — one crawl in one SQLite file, written by one thread.
 *
 * The engine never waits for the disk.  It collects everything that one
 * event changes — a fetched page, its links, the URLs they add to the
 * frontier and the state of the URL itself — into a TrawlStoreUnit and hands
 * it to the writer thread.  The writer commits many units per transaction
 * but never splits one, so after a crash the file holds whole pages and
 * their consequences or nothing of them: a page that was not committed is
 * still queued, and resuming fetches it again.
 */
#define G_LOG_DOMAIN "trawl-store"

#include "config.h"

#include "trawl-store.h"
#include "trawl-gzip.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* PRAGMA application_id: "TRWL", so `file` and Trawl recognise crawls. */
#define TRAWL_APPLICATION_ID 0x5452574c

/* A transaction ends after this many operations or this long, whichever
 * comes first, so that observers reading the file see progress. */
#define MAX_OPS_PER_TRANSACTION 20000
#define MAX_TRANSACTION_USEC (250 * 1000)

G_DEFINE_QUARK (trawl-store-error-quark, trawl_store_error)

/* Extracted items, added in version 2: one row per item, its fields as a
 * JSON object.  A page's items are numbered from 0 in the order the rules
 * found them.  Items run to kilobytes, so they are rows of a rowid table,
 * appended, rather than entries of a WITHOUT ROWID b-tree. */
#define ITEMS_SQL \
  "CREATE TABLE IF NOT EXISTS items (\n" \
  "  id INTEGER PRIMARY KEY,\n" \
  "  page_id INTEGER NOT NULL,\n" \
  "  seq INTEGER NOT NULL,\n" \
  "  record TEXT,\n" \
  "  data TEXT NOT NULL,\n" \
  "  UNIQUE (page_id, seq)\n" \
  ");\n"

static const char schema_sql[] =
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;\n"
  "CREATE TABLE urls (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  url TEXT NOT NULL,\n"
  "  fingerprint INTEGER NOT NULL,\n"
  "  host TEXT NOT NULL,\n"
  "  depth INTEGER NOT NULL,\n"
  "  parent_id INTEGER,\n"
  "  state INTEGER NOT NULL,\n"
  "  reason TEXT,\n"
  "  discovered_at REAL NOT NULL\n"
  ");\n"
  "CREATE UNIQUE INDEX urls_by_fingerprint ON urls (fingerprint);\n"
  "CREATE INDEX urls_queued ON urls (host, id) WHERE state = 0;\n"
  "CREATE TABLE pages (\n"
  "  id INTEGER PRIMARY KEY REFERENCES urls (id),\n"
  "  url TEXT NOT NULL,\n"
  "  final_url TEXT,\n"
  "  status INTEGER NOT NULL,\n"
  "  content_type TEXT,\n"
  "  bytes INTEGER NOT NULL,\n"
  "  depth INTEGER NOT NULL,\n"
  "  title TEXT,\n"
  "  fetch_ms INTEGER,\n"
  "  ttfb_ms INTEGER,\n"
  "  fetched_at REAL NOT NULL,\n"
  "  description TEXT,\n"
  "  h1 TEXT,\n"
  "  canonical TEXT,\n"
  "  meta_robots TEXT,\n"
  "  x_robots_tag TEXT,\n"
  "  noindex INTEGER NOT NULL DEFAULT 0,\n"
  "  nofollow INTEGER NOT NULL DEFAULT 0,\n"
  "  word_count INTEGER,\n"
  "  content_hash INTEGER,\n"
  "  charset TEXT,\n"
  "  redirects INTEGER NOT NULL DEFAULT 0,\n"
  "  error TEXT,\n"
  "  headers TEXT,\n"
  "  outlinks INTEGER NOT NULL DEFAULT 0,\n"
  "  attempts INTEGER NOT NULL DEFAULT 1\n"
  ");\n"
  "CREATE TABLE links (\n"
  "  from_id INTEGER NOT NULL,\n"
  "  seq INTEGER NOT NULL,\n"
  "  to_fingerprint INTEGER NOT NULL,\n"
  "  kind TEXT NOT NULL,\n"
  "  rel TEXT,\n"
  "  anchor TEXT,\n"
  "  hreflang TEXT,\n"
  "  nofollow INTEGER NOT NULL DEFAULT 0,\n"
  "  PRIMARY KEY (from_id, seq)\n"
  ") WITHOUT ROWID;\n"

  "CREATE TABLE redirects (\n"
  "  origin_id INTEGER NOT NULL,\n"
  "  hop INTEGER NOT NULL,\n"
  "  page_id INTEGER NOT NULL,\n"
  "  url TEXT NOT NULL,\n"
  "  status INTEGER NOT NULL,\n"
  "  location TEXT,\n"
  "  PRIMARY KEY (origin_id, hop)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE bodies (page_id INTEGER PRIMARY KEY, encoding TEXT NOT NULL, body BLOB NOT NULL);\n"
  ITEMS_SQL
  "CREATE TABLE hosts (\n"
  "  host TEXT PRIMARY KEY,\n"
  "  robots_status INTEGER,\n"
  "  robots_txt TEXT,\n"
  "  crawl_delay REAL\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE log (\n"
  "  id INTEGER PRIMARY KEY,\n"
  "  time REAL NOT NULL,\n"
  "  level TEXT NOT NULL,\n"
  "  message TEXT NOT NULL,\n"
  "  url TEXT\n"
  ");\n"
  "CREATE TABLE samples (\n"
  "  time REAL PRIMARY KEY,\n"
  "  elapsed REAL NOT NULL,\n"
  "  discovered INTEGER, queued INTEGER, in_flight INTEGER,\n"
  "  fetched INTEGER, failed INTEGER, skipped INTEGER,\n"
  "  status_2xx INTEGER, status_3xx INTEGER, status_4xx INTEGER, status_5xx INTEGER,\n"
  "  bytes INTEGER, pages_per_second REAL\n"
  ");\n"
  "CREATE VIEW link_urls AS\n"
  "  SELECT l.from_id, f.url AS from_url, t.id AS to_id, t.url AS to_url,\n"
  "         l.kind, l.rel, l.anchor, l.hreflang, l.nofollow\n"
  "  FROM links l JOIN urls f ON f.id = l.from_id\n"
  "       JOIN urls t ON t.fingerprint = l.to_fingerprint;\n";

typedef enum {
  OP_URL,
  OP_STATE,
  OP_PAGE,
  OP_LINK,
  OP_REDIRECT,
  OP_LOG,
  OP_SAMPLE,
  OP_META,
  OP_HOST,
  OP_BODY,
  OP_ITEM,
  OP_CHAIN_END,
  N_OPS
} OpType;

static const char *const op_sql[N_OPS] = {
  /* A URL skipped for a reason that depends on the link (nofollow, too
   * deep…) is queued again when a followable link leads to it: the row
   * then takes the new id and state. */
  [OP_URL] = "INSERT INTO urls (id, url, fingerprint, host, depth, parent_id, state, reason, discovered_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
             "ON CONFLICT (fingerprint) DO UPDATE SET id = excluded.id, url = excluded.url, "
             "depth = excluded.depth, parent_id = excluded.parent_id, state = excluded.state, "
             "reason = excluded.reason",
  [OP_STATE] = "UPDATE urls SET state = ?2, reason = ?3 WHERE id = ?1",
  [OP_PAGE] = "INSERT OR REPLACE INTO pages (id, url, final_url, status, content_type, bytes, depth, title, fetch_ms, "
              "ttfb_ms, fetched_at, description, h1, canonical, meta_robots, x_robots_tag, noindex, nofollow, "
              "word_count, content_hash, charset, redirects, error, headers, outlinks, attempts) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
              "?20, ?21, ?22, ?23, ?24, ?25, ?26)",
  [OP_LINK] = "INSERT OR REPLACE INTO links (from_id, seq, to_fingerprint, kind, rel, anchor, hreflang, nofollow) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [OP_REDIRECT] = "INSERT OR REPLACE INTO redirects (origin_id, hop, page_id, url, status, location) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [OP_CHAIN_END] = "UPDATE pages SET final_url = ?2, "
                   "redirects = CASE WHEN id = ?1 THEN ?3 ELSE redirects END, "
                   "error = CASE WHEN id = ?1 THEN coalesce(?4, error) ELSE error END "
                   "WHERE id = ?1 OR id IN (SELECT page_id FROM redirects WHERE origin_id = ?1)",
  [OP_LOG] = "INSERT INTO log (time, level, message, url) VALUES (?1, ?2, ?3, ?4)",
  [OP_SAMPLE] = "INSERT OR REPLACE INTO samples (time, elapsed, discovered, queued, in_flight, fetched, failed, "
                "skipped, status_2xx, status_3xx, status_4xx, status_5xx, bytes, pages_per_second) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  [OP_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
  [OP_HOST] = "INSERT OR REPLACE INTO hosts (host, robots_status, robots_txt, crawl_delay) VALUES (?1, ?2, ?3, ?4)",
  [OP_BODY] = "INSERT OR REPLACE INTO bodies (page_id, encoding, body) VALUES (?1, ?2, ?3)",
  [OP_ITEM] = "INSERT OR REPLACE INTO items (page_id, seq, record, data) VALUES (?1, ?2, ?3, ?4)",
};

/* One write.  The fields are used as each OpType needs them; strings are
 * owned. */
typedef struct {
  OpType  type;
  gint64  i[4];
  double  d;
  char   *s[4];
  gpointer p;   /* OP_PAGE: TrawlPageRecord*, OP_SAMPLE: TrawlStats*, OP_BODY: GBytes* */
} Op;

struct _TrawlStoreUnit {
  GArray *ops;
};

struct _TrawlStore {
  char         *path;         /* owned */
  sqlite3      *db;           /* owned; used only by the writer thread once it runs */
  sqlite3_stmt *stmts[N_OPS]; /* owned */
  GThread      *writer;       /* owned */
  GAsyncQueue  *queue;        /* owned, of TrawlStoreUnit*; a NULL-unit sentinel is never queued */
  GMutex        lock;
  GCond         flushed;
  guint64       submitted;    /* units handed to the writer (under lock) */
  guint64       committed;    /* units committed (under lock) */
  guint64       submitted_ops; /* operations in those units (under lock) */
  guint64       committed_ops;
  GError       *error;        /* owned; the first write failure (under lock) */
  GError       *full;         /* owned, nullable; while the writer waits for space (under lock) */
  GCond         wake;         /* the waiting writer is asked to try again or to stop */
  gboolean      retry;        /* under lock */
  gboolean      quit;         /* under lock */
  gboolean      read_only;
  gboolean      resuming;     /* opened with TRAWL_STORE_RESUME */
  int           lock_fd;      /* owned, -1 when none: holds the file's writer lock */
};

/* Every unit that asks the writer to stop. */
static TrawlStoreUnit quit_unit;

const char *
trawl_log_level_to_string (TrawlLogLevel level)
{
  static const char *const names[] = { "debug", "info", "warning", "error" };

  g_return_val_if_fail (level <= TRAWL_LOG_ERROR, "info");
  return names[level];
}

/**
 * trawl_log_level_get_label:
 * @level: a level
 *
 * Returns: the level as the log shows it to a person, translated;
 *   trawl_log_level_to_string() is its name in a crawl file.
 */
const char *
trawl_log_level_get_label (TrawlLogLevel level)
{
  switch (level)
    {
    case TRAWL_LOG_ERROR:
      return _("error");
    case TRAWL_LOG_WARNING:
      return _("warning");
    case TRAWL_LOG_DEBUG:
      return _("debug");
    case TRAWL_LOG_INFO:
    default:
      return _("info");
    }
}

/**
 * trawl_url_state_get_label:
 * @state: a URL's state
 *
 * Returns: the state as a person reads it, translated: "Fetched",
 *   "Skipped"…
 */
const char *
trawl_url_state_get_label (TrawlUrlState state)
{
  switch (state)
    {
    case TRAWL_URL_QUEUED:
      return _("Queued");
    case TRAWL_URL_FETCHED:
      return _("Fetched");
    case TRAWL_URL_FAILED:
      return _("Failed");
    case TRAWL_URL_SKIPPED:
    default:
      return _("Skipped");
    }
}

void
trawl_page_record_free (TrawlPageRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->url);
  g_free (r->final_url);
  g_free (r->content_type);
  g_free (r->title);
  g_free (r->description);
  g_free (r->h1);
  g_free (r->canonical);
  g_free (r->meta_robots);
  g_free (r->x_robots_tag);
  g_free (r->charset);
  g_free (r->error);
  g_free (r->headers);
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r);
}

static void
op_clear (gpointer data)
{
  Op *op = data;

  for (guint i = 0; i < G_N_ELEMENTS (op->s); i++)
    g_free (op->s[i]);
  if (op->type == OP_PAGE)
    trawl_page_record_free (op->p);
  else if (op->type == OP_SAMPLE)
    trawl_stats_free (op->p);
  else if (op->type == OP_BODY)
    g_bytes_unref (op->p);
}

/* Whether the last failure of @db was for want of space.  SQLite says
 * SQLITE_FULL when a write ran out of room, but an I/O error when
 * growing its shared-memory file did. */
static gboolean
disk_is_full (sqlite3 *db)
{
  int code = db ? sqlite3_errcode (db) : SQLITE_OK;

  return code == SQLITE_FULL ||
         (code == SQLITE_IOERR && (sqlite3_system_errno (db) == ENOSPC || sqlite3_system_errno (db) == EDQUOT));
}

/* What failed, for set_sqlite_error (). */
typedef enum {
  ACTION_CREATE,
  ACTION_INDEX,
  ACTION_OPEN,
  ACTION_READ,
  ACTION_USE,
  ACTION_WRITE,
} Action;

static gboolean
set_sqlite_error (GError      **error,
                  sqlite3      *db,
                  int           domain_code,
                  Action        action,
                  const char   *path)
{
  int code = db ? sqlite3_errcode (db) : SQLITE_ERROR;
  const char *reason = db ? sqlite3_errmsg (db) : _("unknown error");

  if (disk_is_full (db))
    {
      domain_code = TRAWL_STORE_ERROR_FULL;
      reason = _("the disk is full");
    }
  else if (code == SQLITE_READONLY)
    reason = _("the file is read-only");
  else if (code == SQLITE_NOTADB)
    {
      domain_code = TRAWL_STORE_ERROR_NOT_CRAWL;
      reason = _("it is not a Trawl crawl file, or it is damaged");
    }
  else if (code == SQLITE_CORRUPT)
    {
      domain_code = TRAWL_STORE_ERROR_DAMAGED;
      reason = _("the file is damaged (part of it is missing or was overwritten); Trawl leaves it as it is");
    }
  else if (code == SQLITE_CANTOPEN)
    reason = _("the file or its folder cannot be opened");

  /* Translators: in each, “%s” is a crawl file, then why. */
  switch (action)
    {
    case ACTION_CREATE:
      g_set_error (error, TRAWL_STORE_ERROR, domain_code, _("Could not create “%s”: %s"), path, reason);
      break;
    case ACTION_INDEX:
      g_set_error (error, TRAWL_STORE_ERROR, domain_code, _("Could not index “%s”: %s"), path, reason);
      break;
    case ACTION_OPEN:
      g_set_error (error, TRAWL_STORE_ERROR, domain_code, _("Could not open “%s”: %s"), path, reason);
      break;
    case ACTION_READ:
      g_set_error (error, TRAWL_STORE_ERROR, domain_code, _("Could not read “%s”: %s"), path, reason);
      break;
    case ACTION_USE:
      g_set_error (error, TRAWL_STORE_ERROR, domain_code, _("Could not use “%s”: %s"), path, reason);
      break;
    case ACTION_WRITE:
      g_set_error (error, TRAWL_STORE_ERROR, domain_code, _("Could not write to “%s”: %s"), path, reason);
      break;
    }
  return FALSE;
}

static gboolean
exec (TrawlStore  *store,
      const char  *sql,
      GError     **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sqlite_error (error, store->db, TRAWL_STORE_ERROR_WRITE,
                             ACTION_WRITE, store->path);
  return TRUE;
}

/**
 * trawl_store_set_read_error:
 * @error: return location for a #GError
 * @db: a connection to @path on which a read failed
 * @path: the crawl file
 *
 * Sets @error to why, in words a person understands: the file is
 * damaged, or it is not a crawl.
 *
 * Returns: %FALSE
 */
gboolean
trawl_store_set_read_error (GError     **error,
                            sqlite3     *db,
                            const char  *path)
{
  return set_sqlite_error (error, db, TRAWL_STORE_ERROR_OPEN, ACTION_READ, path);
}

/**
 * trawl_store_check_whole:
 * @db: a connection to @path
 * @path: a crawl file
 * @error: return location for a #GError
 *
 * Checks that no part of the file is missing or overwritten, before
 * Trawl writes to it.  It reads the whole file.
 *
 * Returns: %FALSE with a %TRAWL_STORE_ERROR_DAMAGED when it is damaged
 */
gboolean
trawl_store_check_whole (sqlite3     *db,
                         const char  *path,
                         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean whole;

  whole = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW &&
          g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  if (!whole)
    g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_DAMAGED,
                 _("“%s” is damaged (part of it is missing or was overwritten), so Trawl does not write to it "
                   "and left it as it was"), path);
  return whole;
}

/* Whether a reader must open @path as immutable: SQLite needs the -shm
 * file of a crawl file in WAL mode, and makes one beside it; on read-only
 * media (a snapshot, a read-only share) there is none, and no way to make
 * one.  Nothing can change the file there either. */
static gboolean
needs_immutable (const char *path)
{
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  return !g_file_test (shm, G_FILE_TEST_EXISTS) && g_access (dir, W_OK) != 0;
}

/**
 * trawl_store_open_db:
 * @path: a crawl file
 * @db: (out): the connection, to be closed with sqlite3_close() even when
 *   this fails
 * @flags: as sqlite3_open_v2() takes them
 *
 * Opens a connection to a crawl file, as sqlite3_open_v2() does, except
 * that a read-only connection to a file on read-only media works too.
 *
 * Returns: an SQLite result code
 */
int
trawl_store_open_db (const char  *path,
                     sqlite3    **db,
                     int          flags)
{
  g_autofree char *uri = NULL;

  if ((flags & SQLITE_OPEN_READONLY) && needs_immutable (path))
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);
      g_autofree char *file_uri = g_filename_to_uri (absolute, NULL, NULL);

      if (file_uri != NULL)
        {
          uri = g_strconcat (file_uri, "?immutable=1", NULL);
          flags |= SQLITE_OPEN_URI;
        }
    }
  return sqlite3_open_v2 (uri ? uri : path, db, flags, NULL);
}

/* A crawl that is continued, or changed in place, writes the file and
 * makes its -wal and -shm files beside it. */
static gboolean
check_writable (const char  *path,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int saved;

  if (g_access (path, W_OK) == 0 && g_access (dir, W_OK) == 0)
    return TRUE;
  saved = errno;
  g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_READ_ONLY,
               _("“%s” is read-only (%s): Trawl can show and export it, but not continue or change it; "
                 "copy it to a folder you can write to and use the copy"),
               path, g_strerror (saved));
  return FALSE;
}

gint64
trawl_store_query_int (TrawlStore *store,
                       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Checks that an existing file is a crawl this version can read. */
static gboolean
check_crawl_file (TrawlStore  *store,
                  GError     **error)
{
  gint64 app_id = trawl_store_query_int (store, "PRAGMA application_id");
  gint64 version;

  if (app_id == -1)
    return set_sqlite_error (error, store->db, TRAWL_STORE_ERROR_NOT_CRAWL,
                             ACTION_OPEN, store->path);

  if (app_id != TRAWL_APPLICATION_ID)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("“%s” is not a Trawl crawl file"), store->path);
      return FALSE;
    }

  version = trawl_store_query_int (store, "PRAGMA user_version");
  if (version > TRAWL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NEWER,
                   _("“%s” was made by a newer version of Trawl (crawl file version %" PRId64
                     ", this version reads up to %d); update Trawl to open it"),
                   store->path, version, TRAWL_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 1)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("“%s” is not a complete Trawl crawl file"), store->path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
create_schema (TrawlStore  *store,
               GError     **error)
{
  g_autofree char *pragmas = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                                              TRAWL_APPLICATION_ID, TRAWL_STORE_SCHEMA_VERSION);
  g_autofree char *meta = g_strdup_printf ("INSERT INTO meta (key, value) VALUES "
                                           "('schema_version', '%d'), ('trawl_version', '%s'), "
                                           "('created_at', strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'));",
                                           TRAWL_STORE_SCHEMA_VERSION, PACKAGE_VERSION);

  return exec (store, "BEGIN", error) &&
         exec (store, schema_sql, error) &&
         exec (store, meta, error) &&
         exec (store, pragmas, error) &&
         exec (store, "COMMIT", error);
}

/* Only one store writes a crawl at a time: a crawl, a resume, or rules
 * re-run over its pages.  SQLite would let a second writer in between the
 * first one's transactions, and two crawls of one frontier would fetch
 * and number URLs twice.  The lock is a flock() on the file, which Linux
 * keeps apart from the fcntl() locks SQLite takes on it, and which the
 * kernel drops when the process dies, so a killed crawl leaves none. */
static gboolean
take_writer_lock (TrawlStore  *store,
                  GError     **error)
{
  store->lock_fd = g_open (store->path, O_RDONLY | O_CLOEXEC, 0);
  if (store->lock_fd < 0)
    {
      int saved = errno;

      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_OPEN, _("Could not open “%s”: %s"),
                   store->path, g_strerror (saved));
      return FALSE;
    }
  if (flock (store->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;

      if (saved == EWOULDBLOCK)
        g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_BUSY,
                     _("“%s” is being crawled by another process; try again when that crawl has stopped"),
                     store->path);
      else
        g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_OPEN, _("Could not lock “%s”: %s"),
                     store->path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/**
 * trawl_store_open:
 * @path: the crawl file
 * @mode: whether to create it, continue it or only read it
 * @error: return location for a #GError
 *
 * Opens a crawl file.  Errors name the file and say what is wrong in words
 * a person understands: it exists already, it is not a crawl, it was made by
 * a newer Trawl, the folder is not writable.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL with @error set.
 */
TrawlStore *
trawl_store_open (const char      *path,
                  TrawlStoreMode   mode,
                  GError         **error)
{
  TrawlStore *store;
  int flags;

  g_return_val_if_fail (path != NULL, NULL);

  if (mode == TRAWL_STORE_CREATE && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_EXISTS,
                   _("“%s” already exists; choose another name, or continue that crawl with resume"),
                   path);
      return NULL;
    }
  if (mode != TRAWL_STORE_CREATE && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_OPEN,
                   _("“%s” does not exist"), path);
      return NULL;
    }
  if (mode != TRAWL_STORE_CREATE && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("“%s” is a folder, not a Trawl crawl file"), path);
      return NULL;
    }
  if ((mode == TRAWL_STORE_RESUME || mode == TRAWL_STORE_UPDATE) && !check_writable (path, error))
    return NULL;

  store = g_new0 (TrawlStore, 1);
  store->path = g_strdup (path);
  store->read_only = mode == TRAWL_STORE_READ;
  store->resuming = mode == TRAWL_STORE_RESUME;
  store->lock_fd = -1;
  store->queue = g_async_queue_new ();
  g_mutex_init (&store->lock);
  g_cond_init (&store->flushed);
  g_cond_init (&store->wake);

  flags = SQLITE_OPEN_NOMUTEX;
  if (mode == TRAWL_STORE_CREATE)
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  else if (mode == TRAWL_STORE_RESUME || mode == TRAWL_STORE_UPDATE)
    flags |= SQLITE_OPEN_READWRITE;
  else
    flags |= SQLITE_OPEN_READONLY;

  if (trawl_store_open_db (path, &store->db, flags) != SQLITE_OK)
    {
      set_sqlite_error (error, store->db,
                        TRAWL_STORE_ERROR_OPEN,
                        mode == TRAWL_STORE_CREATE ? ACTION_CREATE : ACTION_OPEN, path);
      trawl_store_free (store);
      return NULL;
    }

  sqlite3_busy_timeout (store->db, 5000);
  sqlite3_extended_result_codes (store->db, 0);

  if (mode == TRAWL_STORE_CREATE)
    {
      /* WAL lets readers (the results view, exports) read while the crawl
       * writes; synchronous=NORMAL keeps every commit safe from a killed
       * process and loses at most the last commits on a power cut. */
      if (!exec (store, "PRAGMA journal_mode = WAL", error) ||
          !create_schema (store, error))
        {
          trawl_store_free (store);
          g_unlink (path);
          return NULL;
        }
    }
  else if (!check_crawl_file (store, error))
    {
      trawl_store_free (store);
      return NULL;
    }

  if (mode != TRAWL_STORE_READ && !take_writer_lock (store, error))
    {
      trawl_store_free (store);
      return NULL;
    }

  /* The links and urls indexes are keyed by fingerprints, which arrive in
   * random order: with SQLite's default 2 MB cache every insert reads and
   * writes pages.  16 MB holds the hot part of a large crawl's indexes, and
   * fewer, larger checkpoints rewrite each page less often. */
  if (mode != TRAWL_STORE_READ &&
      (!exec (store, "PRAGMA synchronous = NORMAL", error) ||
       !exec (store, "PRAGMA journal_mode = WAL", error) ||
       !exec (store, "PRAGMA cache_size = -16384", error) ||
       !exec (store, "PRAGMA wal_autocheckpoint = 8192", error)))
    {
      trawl_store_free (store);
      return NULL;
    }

  /* A file of an earlier version gets what this one adds. */
  if ((mode == TRAWL_STORE_RESUME || mode == TRAWL_STORE_UPDATE) &&
      trawl_store_query_int (store, "PRAGMA user_version") < TRAWL_STORE_SCHEMA_VERSION)
    {
      g_autofree char *upgrade = g_strdup_printf ("BEGIN; " ITEMS_SQL "PRAGMA user_version = %d; "
                                                  "UPDATE meta SET value = '%d' WHERE key = 'schema_version'; COMMIT;",
                                                  TRAWL_STORE_SCHEMA_VERSION, TRAWL_STORE_SCHEMA_VERSION);

      if (!exec (store, upgrade, error))
        {
          trawl_store_free (store);
          return NULL;
        }
    }

  if (mode != TRAWL_STORE_READ)
    {
      for (guint i = 0; i < N_OPS; i++)
        if (sqlite3_prepare_v3 (store->db, op_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                                &store->stmts[i], NULL) != SQLITE_OK)
          {
            set_sqlite_error (error, store->db, TRAWL_STORE_ERROR_NOT_CRAWL, ACTION_USE, path);
            trawl_store_free (store);
            return NULL;
          }
    }

  return store;
}

const char *
trawl_store_get_path (TrawlStore *store)
{
  return store->path;
}

/**
 * trawl_store_get_db:
 * @store: a store that is not writing
 *
 * Returns: (transfer none): the SQLite connection, for reports that run
 *   before the writer starts or on a store opened with %TRAWL_STORE_READ.
 */
void *
trawl_store_get_db (TrawlStore *store)
{
  g_return_val_if_fail (store->writer == NULL, NULL);
  return store->db;
}

/**
 * trawl_store_get_meta:
 * @store: a store whose writer is not running
 * @key: a key of the meta table
 *
 * Returns: (transfer full) (nullable): the value, or %NULL.
 */
char *
trawl_store_get_meta (TrawlStore *store,
                      const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_return_val_if_fail (store->writer == NULL, NULL);

  if (sqlite3_prepare_v2 (store->db, "SELECT value FROM meta WHERE key = ?1", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/**
 * trawl_store_load_urls:
 * @store: a store whose writer is not running yet
 * @func: called for every URL, in id order
 * @user_data: for @func
 * @error: return location for a #GError
 *
 * Reads back the frontier of a crawl being resumed.
 *
 * Returns: %TRUE when every row was read.
 */
gboolean
trawl_store_load_urls (TrawlStore         *store,
                       TrawlStoreUrlFunc   func,
                       gpointer            user_data,
                       GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (store->writer == NULL, FALSE);

  if (sqlite3_prepare_v2 (store->db,
                          "SELECT id, url, fingerprint, host, depth, parent_id, state, reason FROM urls ORDER BY id",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, store->db, TRAWL_STORE_ERROR_NOT_CRAWL, ACTION_READ, store->path);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0),
          (const char *) sqlite3_column_text (stmt, 1),
          (guint64) sqlite3_column_int64 (stmt, 2),
          (const char *) sqlite3_column_text (stmt, 3),
          sqlite3_column_int (stmt, 4),
          sqlite3_column_int64 (stmt, 5),
          sqlite3_column_int (stmt, 6),
          (const char *) sqlite3_column_text (stmt, 7),
          user_data);

  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, store->db, TRAWL_STORE_ERROR_NOT_CRAWL, ACTION_READ, store->path);

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           col,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, col);
}

static void
bind_page (sqlite3_stmt          *stmt,
           const TrawlPageRecord *r)
{
  sqlite3_bind_int64 (stmt, 1, r->id);
  bind_text (stmt, 2, r->url);
  bind_text (stmt, 3, r->final_url);
  sqlite3_bind_int (stmt, 4, r->status);
  bind_text (stmt, 5, r->content_type);
  sqlite3_bind_int64 (stmt, 6, r->bytes);
  sqlite3_bind_int (stmt, 7, r->depth);
  bind_text (stmt, 8, r->title);
  sqlite3_bind_int (stmt, 9, r->fetch_ms);
  sqlite3_bind_int (stmt, 10, r->ttfb_ms);
  sqlite3_bind_double (stmt, 11, r->fetched_at);
  bind_text (stmt, 12, r->description);
  bind_text (stmt, 13, r->h1);
  bind_text (stmt, 14, r->canonical);
  bind_text (stmt, 15, r->meta_robots);
  bind_text (stmt, 16, r->x_robots_tag);
  sqlite3_bind_int (stmt, 17, r->noindex);
  sqlite3_bind_int (stmt, 18, r->nofollow);
  sqlite3_bind_int (stmt, 19, r->word_count);
  if (r->content_hash != 0)
    sqlite3_bind_int64 (stmt, 20, (sqlite3_int64) r->content_hash);
  else
    sqlite3_bind_null (stmt, 20);
  bind_text (stmt, 21, r->charset);
  sqlite3_bind_int (stmt, 22, r->redirects);
  bind_text (stmt, 23, r->error);
  bind_text (stmt, 24, r->headers);
  sqlite3_bind_int (stmt, 25, r->outlinks);
  sqlite3_bind_int (stmt, 26, MAX (r->attempts, 1));
}

static void
bind_sample (sqlite3_stmt     *stmt,
             const TrawlStats *s)
{
  const gint64 values[] = {
    s->discovered, s->queued, s->in_flight, s->fetched, s->failed, s->skipped,
    s->status_2xx, s->status_3xx, s->status_4xx, s->status_5xx, s->bytes,
  };

  sqlite3_bind_double (stmt, 1, s->time);
  sqlite3_bind_double (stmt, 2, s->elapsed);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    sqlite3_bind_int64 (stmt, 3 + i, values[i]);
  sqlite3_bind_double (stmt, 14, s->pages_per_second);
}

static gboolean
run_op (TrawlStore *store,
        const Op   *op)
{
  sqlite3_stmt *stmt = store->stmts[op->type];
  int rc;

  switch (op->type)
    {
    case OP_URL:
      sqlite3_bind_int64 (stmt, 1, op->i[0]);
      bind_text (stmt, 2, op->s[0]);
      sqlite3_bind_int64 (stmt, 3, op->i[1]);
      bind_text (stmt, 4, op->s[1]);
      sqlite3_bind_int64 (stmt, 5, op->i[2]);
      if (op->i[3] > 0)
        sqlite3_bind_int64 (stmt, 6, op->i[3]);
      else
        sqlite3_bind_null (stmt, 6);
      sqlite3_bind_int (stmt, 7, (int) (op->d));
      bind_text (stmt, 8, op->s[2]);
      sqlite3_bind_double (stmt, 9, g_get_real_time () / 1e6);
      break;
    case OP_STATE:
      sqlite3_bind_int64 (stmt, 1, op->i[0]);
      sqlite3_bind_int64 (stmt, 2, op->i[1]);
      bind_text (stmt, 3, op->s[0]);
      break;
    case OP_PAGE:
      bind_page (stmt, op->p);
      break;
    case OP_LINK:
      sqlite3_bind_int64 (stmt, 1, op->i[0]);
      sqlite3_bind_int64 (stmt, 2, op->i[3]);
      sqlite3_bind_int64 (stmt, 3, op->i[1]);
      bind_text (stmt, 4, op->p);
      bind_text (stmt, 5, op->s[1]);
      bind_text (stmt, 6, op->s[2]);
      bind_text (stmt, 7, op->s[3]);
      sqlite3_bind_int (stmt, 8, (int) op->i[2]);
      break;
    case OP_REDIRECT:
      sqlite3_bind_int64 (stmt, 1, op->i[0]);
      sqlite3_bind_int64 (stmt, 2, op->i[1]);
      sqlite3_bind_int64 (stmt, 3, op->i[3]);
      bind_text (stmt, 4, op->s[0]);
      sqlite3_bind_int64 (stmt, 5, op->i[2]);
      bind_text (stmt, 6, op->s[1]);
      break;
    case OP_CHAIN_END:
      sqlite3_bind_int64 (stmt, 1, op->i[0]);
      bind_text (stmt, 2, op->s[0]);
      sqlite3_bind_int64 (stmt, 3, op->i[1]);
      bind_text (stmt, 4, op->s[1]);
      break;
    case OP_LOG:
      sqlite3_bind_double (stmt, 1, op->d);
      bind_text (stmt, 2, trawl_log_level_to_string (op->i[0]));
      bind_text (stmt, 3, op->s[0]);
      bind_text (stmt, 4, op->s[1]);
      break;
    case OP_SAMPLE:
      bind_sample (stmt, op->p);
      break;
    case OP_META:
      bind_text (stmt, 1, op->s[0]);
      bind_text (stmt, 2, op->s[1]);
      break;
    case OP_HOST:
      bind_text (stmt, 1, op->s[0]);
      sqlite3_bind_int64 (stmt, 2, op->i[0]);
      bind_text (stmt, 3, op->s[1]);
      if (op->d >= 0)
        sqlite3_bind_double (stmt, 4, op->d);
      else
        sqlite3_bind_null (stmt, 4);
      break;
    case OP_BODY:
      {
        g_autoptr (GBytes) gz = trawl_gzip_compress (op->p);
        gsize len = 0;
        const void *data = gz ? g_bytes_get_data (gz, &len) : NULL;

        if (gz == NULL)
          return TRUE;
        sqlite3_bind_int64 (stmt, 1, op->i[0]);
        sqlite3_bind_text (stmt, 2, "gzip", -1, SQLITE_STATIC);
        sqlite3_bind_blob64 (stmt, 3, data, len, SQLITE_TRANSIENT);
      }
      break;
    case OP_ITEM:
      sqlite3_bind_int64 (stmt, 1, op->i[0]);
      sqlite3_bind_int64 (stmt, 2, op->i[1]);
      bind_text (stmt, 3, op->s[0]);
      bind_text (stmt, 4, op->s[1]);
      break;
    case N_OPS:
      g_assert_not_reached ();
    }

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return rc == SQLITE_DONE;
}

/* Runs the writes of one unit.  Returns FALSE when one failed; the
 * connection holds the reason. */
static gboolean
run_unit (TrawlStore     *store,
          TrawlStoreUnit *unit)
{
  for (guint i = 0; i < unit->ops->len; i++)
    if (!run_op (store, &g_array_index (unit->ops, Op, i)))
      return FALSE;
  return TRUE;
}

/* Writes a batch again, in one transaction, when there is room for it. */
static gboolean
write_batch (TrawlStore *store,
             GPtrArray  *batch)
{
  if (sqlite3_exec (store->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; i < batch->len; i++)
    if (!run_unit (store, batch->pdata[i]))
      return FALSE;
  return sqlite3_exec (store->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
}

/* After a write of a batch failed: rolls the transaction back, so the file
 * holds none of the batch.  When the disk is full, waits until
 * trawl_store_retry() asks to write the batch again, and returns TRUE.
 * Anything else, or a full disk while the store closes, becomes the
 * store's error: FALSE. */
static gboolean
recover (TrawlStore *store)
{
  g_autoptr (GError) error = NULL;
  gboolean retry = FALSE;

  set_sqlite_error (&error, store->db, TRAWL_STORE_ERROR_WRITE, ACTION_WRITE, store->path);
  /* SQLite may have rolled back already, as it does after some errors. */
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);

  g_mutex_lock (&store->lock);
  if (g_error_matches (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL) && !store->quit)
    {
      if (store->full == NULL)
        store->full = g_error_copy (error);
      /* Whoever waits for a flush learns why it does not come. */
      g_cond_broadcast (&store->flushed);
      while (!store->retry && !store->quit)
        g_cond_wait (&store->wake, &store->lock);
      retry = store->retry;
      store->retry = FALSE;
    }
  if (!retry && store->error == NULL)
    {
      if (g_error_matches (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL))
        g_set_error (&store->error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL,
                     _("%s; what was saved before is kept, and the crawl can be continued once there is space"),
                     error->message);
      else
        store->error = g_steal_pointer (&error);
    }
  if (!retry)
    g_clear_error (&store->full);
  g_mutex_unlock (&store->lock);

  return retry;
}

/* A disk that was full is short of room.  The WAL keeps every version of
 * a page written since the last checkpoint, up to wal_autocheckpoint
 * (32 MB), and never shrinks by itself: once there is room again it is
 * copied into the file and cut to nothing, and from then on it is
 * checkpointed every megabyte and kept to that size. */
static void
keep_wal_small (TrawlStore *store)
{
  sqlite3_exec (store->db, "PRAGMA wal_autocheckpoint = 256; PRAGMA journal_size_limit = 1048576",
                NULL, NULL, NULL);
  sqlite3_wal_checkpoint_v2 (store->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

/* The writer keeps each batch of units until it is committed: a batch
 * that a full disk refused is written again, whole, once there is room,
 * so no unit is ever split and none is lost while the crawl waits. */
static gpointer
writer_thread (gpointer data)
{
  TrawlStore *store = data;
  g_autoptr (GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_store_unit_free);
  gboolean quit = FALSE;

  while (!quit)
    {
      TrawlStoreUnit *unit = g_async_queue_pop (store->queue);
      gint64 started = g_get_monotonic_time ();
      guint n_ops = 0;
      gboolean failed, ok, was_full;

      /* Once a write failed nothing more is written: later units would
       * describe pages whose earlier consequences were rolled back. */
      g_mutex_lock (&store->lock);
      failed = store->error != NULL;
      g_mutex_unlock (&store->lock);

      /* Units are written as they come, so that the transaction takes in
       * what arrives while it runs, until it is large or long enough. */
      ok = !failed && sqlite3_exec (store->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
      while (unit != NULL)
        {
          if (unit == &quit_unit)
            {
              quit = TRUE;
              break;
            }
          g_ptr_array_add (batch, unit);
          n_ops += unit->ops->len;
          ok = ok && run_unit (store, unit);
          if (!ok || n_ops >= MAX_OPS_PER_TRANSACTION ||
              g_get_monotonic_time () - started > MAX_TRANSACTION_USEC)
            break;
          unit = g_async_queue_try_pop (store->queue);
        }
      ok = ok && sqlite3_exec (store->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;

      while (!ok && !failed && recover (store))
        ok = write_batch (store, batch);

      g_mutex_lock (&store->lock);
      was_full = ok && store->full != NULL;
      if (ok)
        g_clear_error (&store->full);
      store->committed += batch->len;
      store->committed_ops += n_ops;
      g_cond_broadcast (&store->flushed);
      g_mutex_unlock (&store->lock);
      g_ptr_array_set_size (batch, 0);
      if (was_full)
        keep_wal_small (store);
    }

  return NULL;
}

/**
 * trawl_store_start_writer:
 * @store: a store opened for writing
 *
 * Starts the writer thread.  From now on the connection belongs to it, and
 * the other threads only submit units.  A write that fails here is
 * reported by trawl_store_flush().
 */
void
trawl_store_start_writer (TrawlStore *store)
{
  g_return_if_fail (store->writer == NULL);
  g_return_if_fail (!store->read_only);

  /* A crawl being continued writes links again: the index its last close
   * built goes, and is built again at the next.  Not before the crawl was
   * read back, so that a damaged file is left as it was; should it fail,
   * nothing is written. */
  if (store->resuming)
    exec (store, "DROP INDEX IF EXISTS links_to", &store->error);
  store->writer = g_thread_new ("trawl-writer", writer_thread, store);
}

/**
 * trawl_store_submit:
 * @store: a store whose writer runs
 * @unit: (transfer full): writes that must be committed together
 */
void
trawl_store_submit (TrawlStore     *store,
                    TrawlStoreUnit *unit)
{
  g_return_if_fail (store->writer != NULL);

  if (unit->ops->len == 0)
    {
      trawl_store_unit_free (unit);
      return;
    }

  g_mutex_lock (&store->lock);
  store->submitted++;
  store->submitted_ops += unit->ops->len;
  g_mutex_unlock (&store->lock);
  g_async_queue_push (store->queue, unit);
}

/**
 * trawl_store_get_backlog:
 * @store: a store
 *
 * Returns: how many submitted writes are not committed yet; the engine
 *   slows down when the disk falls behind.  Counted in rows rather than
 *   units, since a page with a thousand links is one unit but a thousand
 *   rows of memory.
 */
guint
trawl_store_get_backlog (TrawlStore *store)
{
  guint backlog;

  g_mutex_lock (&store->lock);
  backlog = store->submitted_ops - store->committed_ops;
  g_mutex_unlock (&store->lock);

  return backlog;
}

/**
 * trawl_store_is_waiting:
 * @store: a store whose writer runs
 * @error: (optional): where to put why, while it waits
 *
 * A write that fails because the disk is full does not end the crawl
 * file: the writer rolls the batch back, keeps it and every unit
 * submitted after it, and waits for trawl_store_retry().  What was
 * committed before stays as it was.
 *
 * Returns: whether the writer waits for space on the disk; @error is then
 *   a %TRAWL_STORE_ERROR_FULL.
 */
gboolean
trawl_store_is_waiting (TrawlStore  *store,
                        GError     **error)
{
  gboolean waiting;

  g_mutex_lock (&store->lock);
  waiting = store->full != NULL;
  if (waiting)
    g_propagate_error (error, g_error_copy (store->full));
  g_mutex_unlock (&store->lock);

  return waiting;
}

/**
 * trawl_store_retry:
 * @store: a store
 *
 * Asks a writer that waits for space on the disk to write its batch again
 * now; trawl_store_is_waiting() says whether that worked.  Nothing
 * happens when it does not wait.
 */
void
trawl_store_retry (TrawlStore *store)
{
  g_mutex_lock (&store->lock);
  if (store->full != NULL)
    {
      store->retry = TRUE;
      g_cond_broadcast (&store->wake);
    }
  g_mutex_unlock (&store->lock);
}

/**
 * trawl_store_flush:
 * @store: a store
 * @error: return location for a #GError
 *
 * Waits until everything submitted so far is committed, or the writer
 * waits for space on the disk (see trawl_store_is_waiting()).
 *
 * Returns: %FALSE with @error set if a write failed or waits.
 */
gboolean
trawl_store_flush (TrawlStore  *store,
                   GError     **error)
{
  gboolean ok;

  g_mutex_lock (&store->lock);
  /* A writer asked to try again is waited for. */
  while (store->writer != NULL && store->committed < store->submitted &&
         store->error == NULL && (store->full == NULL || store->retry))
    g_cond_wait (&store->flushed, &store->lock);
  ok = store->error == NULL && store->full == NULL;
  if (!ok)
    g_propagate_error (error, g_error_copy (store->error ? store->error : store->full));
  g_mutex_unlock (&store->lock);

  return ok;
}

/**
 * trawl_store_close:
 * @store: a store
 * @error: return location for a #GError
 *
 * Commits what is pending, stops the writer and checkpoints the WAL so the
 * crawl is one self-contained file again.  The store stays valid for
 * trawl_store_free().
 *
 * Returns: %FALSE with @error set if a write failed.
 */
gboolean
trawl_store_close (TrawlStore  *store,
                   GError     **error)
{
  gboolean ok = TRUE;

  if (store->writer != NULL)
    {
      /* A writer waiting for space gives up; so does one that runs out of
       * it while it writes what is left. */
      g_mutex_lock (&store->lock);
      store->quit = TRUE;
      g_cond_broadcast (&store->wake);
      g_mutex_unlock (&store->lock);
      g_async_queue_push (store->queue, &quit_unit);
      g_thread_join (store->writer);
      store->writer = NULL;
    }

  g_mutex_lock (&store->lock);
  if (store->error != NULL)
    {
      g_propagate_error (error, g_error_copy (store->error));
      ok = FALSE;
    }
  g_mutex_unlock (&store->lock);

  if (ok && !store->read_only && store->db != NULL)
    sqlite3_exec (store->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  /* Nothing more is written: another crawl of the file may start. */
  if (store->lock_fd >= 0)
    {
      close (store->lock_fd);
      store->lock_fd = -1;
    }

  return ok;
}

/**
 * trawl_store_has_links_index:
 * @db: a connection to a crawl file
 *
 * Returns: whether the file has the index that finds inlinks; see
 *   trawl_store_index_links().
 */
gboolean
trawl_store_has_links_index (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'links_to'",
                          -1, &stmt, NULL) == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/**
 * trawl_store_column_int64_or:
 * @stmt: a statement on a row
 * @column: a column of it
 * @fallback: what a NULL stands for
 *
 * Returns: the column as a number, or @fallback when it is NULL
 */
gint64
trawl_store_column_int64_or (sqlite3_stmt *stmt,
                             int           column,
                             gint64        fallback)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return fallback;
  return sqlite3_column_int64 (stmt, column);
}

/**
 * trawl_store_index_links:
 * @path: a crawl file that no crawl is writing
 * @error: why the index could not be built
 *
 * Builds the index that finds a page's inlinks.  A crawl does not keep it
 * up to date, which would cost a fifth of its time; built once it takes
 * about a second per million links, so browsers of a crawl build it in a
 * worker thread when they open one.  Nothing happens when it exists.
 *
 * Returns: whether the index exists now
 */
gboolean
trawl_store_index_links (const char  *path,
                         GError     **error)
{
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_READ, error);
  sqlite3 *db = NULL;
  gboolean ok;

  if (store == NULL)
    return FALSE;
  ok = trawl_store_has_links_index (store->db);
  /* A damaged file is left as it is, without the index. */
  if (!ok && !trawl_store_check_whole (store->db, path, error))
    {
      trawl_store_free (store);
      return FALSE;
    }
  trawl_store_free (store);
  if (ok)
    return TRUE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (db, 5000) != SQLITE_OK ||
      sqlite3_exec (db, "CREATE INDEX IF NOT EXISTS links_to ON links (to_fingerprint)", NULL, NULL, NULL) != SQLITE_OK)
    ok = set_sqlite_error (error, db, TRAWL_STORE_ERROR_WRITE, ACTION_INDEX, path);
  else
    ok = TRUE;
  sqlite3_close (db);
  return ok;
}

void
trawl_store_free (TrawlStore *store)
{
  if (store == NULL)
    return;

  trawl_store_close (store, NULL);

  for (guint i = 0; i < N_OPS; i++)
    sqlite3_finalize (store->stmts[i]);
  sqlite3_close (store->db);

  {
    TrawlStoreUnit *unit;

    while ((unit = g_async_queue_try_pop (store->queue)) != NULL)
      if (unit != &quit_unit)
        trawl_store_unit_free (unit);
  }
  g_async_queue_unref (store->queue);
  g_mutex_clear (&store->lock);
  g_cond_clear (&store->flushed);
  g_cond_clear (&store->wake);
  g_clear_error (&store->error);
  g_clear_error (&store->full);
  g_free (store->path);
  g_free (store);
}

TrawlStoreUnit *
trawl_store_unit_new (void)
{
  TrawlStoreUnit *unit = g_new0 (TrawlStoreUnit, 1);

  unit->ops = g_array_sized_new (FALSE, TRUE, sizeof (Op), 64);
  g_array_set_clear_func (unit->ops, op_clear);
  return unit;
}

void
trawl_store_unit_free (TrawlStoreUnit *unit)
{
  if (unit == NULL)
    return;
  g_array_unref (unit->ops);
  g_free (unit);
}

gboolean
trawl_store_unit_is_empty (TrawlStoreUnit *unit)
{
  return unit->ops->len == 0;
}

static Op *
unit_push (TrawlStoreUnit *unit,
           OpType          type)
{
  Op op = { .type = type };

  g_array_append_val (unit->ops, op);
  return &g_array_index (unit->ops, Op, unit->ops->len - 1);
}

void
trawl_store_unit_add_url (TrawlStoreUnit *unit,
                          gint64          id,
                          const char     *url,
                          guint64         fingerprint,
                          const char     *host,
                          int             depth,
                          gint64          parent_id,
                          TrawlUrlState   state,
                          const char     *reason)
{
  Op *op = unit_push (unit, OP_URL);

  op->i[0] = id;
  op->i[1] = (gint64) fingerprint;
  op->i[2] = depth;
  op->i[3] = parent_id;
  op->d = state;
  op->s[0] = g_strdup (url);
  op->s[1] = g_strdup (host);
  op->s[2] = g_strdup (reason);
}

void
trawl_store_unit_set_state (TrawlStoreUnit *unit,
                            gint64          id,
                            TrawlUrlState   state,
                            const char     *reason)
{
  Op *op = unit_push (unit, OP_STATE);

  op->i[0] = id;
  op->i[1] = state;
  op->s[0] = g_strdup (reason);
}

/**
 * trawl_store_unit_add_page:
 * @unit: a unit
 * @page: (transfer full): the page's row; its body, if any, goes to the
 *   bodies table
 */
void
trawl_store_unit_add_page (TrawlStoreUnit  *unit,
                           TrawlPageRecord *page)
{
  GBytes *body = g_steal_pointer (&page->body);
  gint64 id = page->id;
  Op *op = unit_push (unit, OP_PAGE);

  op->p = page;
  if (body != NULL)
    {
      op = unit_push (unit, OP_BODY);
      op->i[0] = id;
      op->p = body;
    }
}

/**
 * trawl_store_unit_add_link:
 * @unit: a unit
 * @from_id: the page the link is on
 * @seq: the link's position on that page
 * @to_fingerprint: the fingerprint of the URL it leads to
 * @kind: (transfer none): a static string from trawl_link_kind_to_string()
 * @rel: (transfer full) (nullable): its rel attribute
 * @anchor: (transfer full) (nullable): its text
 * @hreflang: (transfer full) (nullable): its hreflang
 * @nofollow: whether rel says nofollow
 *
 * Records a link.  A page has many, so the strings are taken rather than
 * copied.
 */
void
trawl_store_unit_add_link (TrawlStoreUnit *unit,
                           gint64          from_id,
                           int             seq,
                           guint64         to_fingerprint,
                           const char     *kind,
                           char           *rel,
                           char           *anchor,
                           char           *hreflang,
                           gboolean        nofollow)
{
  Op *op = unit_push (unit, OP_LINK);

  op->i[0] = from_id;
  op->i[1] = (gint64) to_fingerprint;
  op->i[2] = nofollow;
  op->i[3] = seq;
  op->p = (gpointer) kind;
  op->s[1] = rel;
  op->s[2] = anchor;
  op->s[3] = hreflang;
}

/**
 * trawl_store_unit_add_redirect:
 * @unit: a unit
 * @origin_id: the first URL of the chain
 * @hop: 0 for the origin itself, then 1, 2…
 * @page_id: the URL fetched at this hop
 * @url: its address
 * @status: its status
 * @location: (nullable): where it redirects, or %NULL for the end
 */
void
trawl_store_unit_add_redirect (TrawlStoreUnit *unit,
                               gint64          origin_id,
                               int             hop,
                               gint64          page_id,
                               const char     *url,
                               int             status,
                               const char     *location)
{
  Op *op = unit_push (unit, OP_REDIRECT);

  op->i[0] = origin_id;
  op->i[1] = hop;
  op->i[2] = status;
  op->i[3] = page_id;
  op->s[0] = g_strdup (url);
  op->s[1] = g_strdup (location);
}

/**
 * trawl_store_unit_end_chain:
 * @unit: a unit, after the page of the last hop was added to it
 * @origin_id: the first URL of the chain
 * @final_url: where the chain ends
 * @hops: how many redirects it took
 * @error: (nullable): what was wrong with it (a loop, too many hops)
 *
 * Sets final_url on every page of a redirect chain.
 */
void
trawl_store_unit_end_chain (TrawlStoreUnit *unit,
                            gint64          origin_id,
                            const char     *final_url,
                            int             hops,
                            const char     *error)
{
  Op *op = unit_push (unit, OP_CHAIN_END);

  op->i[0] = origin_id;
  op->i[1] = hops;
  op->s[0] = g_strdup (final_url);
  op->s[1] = g_strdup (error);
}

void
trawl_store_unit_add_log (TrawlStoreUnit *unit,
                          double          time,
                          TrawlLogLevel   level,
                          const char     *message,
                          const char     *url)
{
  Op *op = unit_push (unit, OP_LOG);

  op->d = time;
  op->i[0] = level;
  op->s[0] = g_strdup (message);
  op->s[1] = g_strdup (url);
}

void
trawl_store_unit_add_item (TrawlStoreUnit *unit,
                           gint64          page_id,
                           int             seq,
                           const char     *record,
                           const char     *data)
{
  Op *op = unit_push (unit, OP_ITEM);

  op->i[0] = page_id;
  op->i[1] = seq;
  op->s[0] = g_strdup (record);
  op->s[1] = g_strdup (data);
}

void
trawl_store_unit_add_sample (TrawlStoreUnit   *unit,
                             const TrawlStats *stats)
{
  Op *op = unit_push (unit, OP_SAMPLE);
  TrawlStats *copy = g_memdup2 (stats, sizeof *stats);

  /* The timeline needs only the counters, not the per-host table. */
  copy->hosts = NULL;
  op->p = copy;
}

void
trawl_store_unit_set_meta (TrawlStoreUnit *unit,
                           const char     *key,
                           const char     *value)
{
  Op *op = unit_push (unit, OP_META);

  op->s[0] = g_strdup (key);
  op->s[1] = g_strdup (value);
}

void
trawl_store_unit_set_host (TrawlStoreUnit *unit,
                           const char     *host,
                           int             robots_status,
                           const char     *robots_txt,
                           double          crawl_delay)
{
  Op *op = unit_push (unit, OP_HOST);

  op->s[0] = g_strdup (host);
  op->s[1] = g_strdup (robots_txt);
  op->i[0] = robots_status;
  op->d = crawl_delay;
}
