/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-page-detail.c — everything the crawl file knows about one URL.
 *
 * The detail pane's queries, read with a connection of their own so that
 * they can run in a worker thread while the crawl writes the file.
 */
#define G_LOG_DOMAIN "trawl-page-detail"

#include "config.h"

#include "trawl-page-detail.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sqlite3.h>

#include "trawl-store.h"
#include "trawl-thread.h"

static void
link_free (TrawlPageLink *link)
{
  g_free (link->url);
  g_free (link->anchor);
  g_free (link->kind);
  g_free (link->rel);
  g_free (link);
}

static void
hop_free (TrawlPageHop *hop)
{
  g_free (hop->url);
  g_free (hop->location);
  g_free (hop);
}

void
trawl_page_detail_free (TrawlPageDetail *d)
{
  if (d == NULL)
    return;
  g_free (d->url);
  g_free (d->reason);
  g_free (d->parent_url);
  g_free (d->final_url);
  g_free (d->content_type);
  g_free (d->title);
  g_free (d->description);
  g_free (d->h1);
  g_free (d->canonical);
  g_free (d->meta_robots);
  g_free (d->x_robots_tag);
  g_free (d->charset);
  g_free (d->error);
  g_free (d->headers);
  g_clear_pointer (&d->redirect_chain, g_ptr_array_unref);
  g_clear_pointer (&d->inlinks, g_ptr_array_unref);
  g_clear_pointer (&d->outlinks, g_ptr_array_unref);
  g_free (d);
}

static char *
dup_text (sqlite3_stmt *stmt,
          int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

static gboolean
prepare (sqlite3       *db,
         const char    *sql,
         gint64         id,
         sqlite3_stmt **stmt)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (*stmt, 1, id);
  return TRUE;
}

static int
progress_cancelled (void *data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data));
}

/* Fills the links of one direction; returns FALSE on an SQLite error. */
static gboolean
read_links (sqlite3    *db,
            const char *sql,
            gint64      id,
            GPtrArray  *links)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (!prepare (db, sql, id, &stmt))
    return FALSE;
  sqlite3_bind_int (stmt, 2, TRAWL_PAGE_DETAIL_MAX_LINKS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TrawlPageLink *link = g_new0 (TrawlPageLink, 1);

      link->id = trawl_store_column_int64_or (stmt, 0, 0);
      link->url = dup_text (stmt, 1);
      if (link->url == NULL)
        link->url = g_strdup ("");
      link->anchor = dup_text (stmt, 2);
      link->kind = dup_text (stmt, 3);
      link->rel = dup_text (stmt, 4);
      link->nofollow = sqlite3_column_int (stmt, 5) != 0;
      g_ptr_array_add (links, link);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gint64
count (sqlite3    *db,
       const char *sql,
       gint64      id)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (prepare (db, sql, id, &stmt) && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/**
 * trawl_page_detail_load:
 * @path: a crawl file
 * @id: a URL id in it
 * @cancellable: (nullable): stops the queries early
 * @error: where to put a sentence when the file cannot be read
 *
 * Reads the URL's outcome, page metadata, response headers, redirect
 * chain and links, synchronously: call it from a worker, or use
 * trawl_page_detail_load_async().
 *
 * Returns: (transfer full) (nullable): the detail
 */
TrawlPageDetail *
trawl_page_detail_load (const char    *path,
                        gint64         id,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr (TrawlPageDetail) d = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (trawl_store_open_db (path, &db, SQLITE_OPEN_READONLY) != SQLITE_OK)
    {
      trawl_store_set_read_error (error, db, path);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 2000);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, progress_cancelled, cancellable);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);

  d = g_new0 (TrawlPageDetail, 1);
  d->id = id;
  d->word_count = -1;
  d->fetch_ms = d->ttfb_ms = -1;
  d->redirect_chain = g_ptr_array_new_with_free_func ((GDestroyNotify) hop_free);
  d->inlinks = g_ptr_array_new_with_free_func ((GDestroyNotify) link_free);
  d->outlinks = g_ptr_array_new_with_free_func ((GDestroyNotify) link_free);

  ok = prepare (db,
                "SELECT u.url, u.state, u.reason, u.depth, u.parent_id, par.url, "
                "p.id, p.final_url, p.status, p.content_type, p.bytes, p.title, p.description, p.h1, "
                "p.canonical, p.meta_robots, p.x_robots_tag, p.noindex, p.nofollow, p.word_count, "
                "p.charset, p.fetch_ms, p.ttfb_ms, p.fetched_at, p.redirects, p.attempts, p.error, "
                "p.headers, p.outlinks "
                "FROM urls u LEFT JOIN pages p ON p.id = u.id LEFT JOIN urls par ON par.id = u.parent_id "
                "WHERE u.id = ?",
                id, &stmt);
  rc = ok ? sqlite3_step (stmt) : SQLITE_ERROR;
  if (rc == SQLITE_ROW)
    {
      d->url = dup_text (stmt, 0);
      d->state = sqlite3_column_int (stmt, 1);
      d->reason = dup_text (stmt, 2);
      d->depth = sqlite3_column_int (stmt, 3);
      d->parent_id = trawl_store_column_int64_or (stmt, 4, 0);
      d->parent_url = dup_text (stmt, 5);
      d->fetched = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
      d->final_url = dup_text (stmt, 7);
      d->status = trawl_store_column_int64_or (stmt, 8, 0);
      d->content_type = dup_text (stmt, 9);
      d->bytes = trawl_store_column_int64_or (stmt, 10, 0);
      d->title = dup_text (stmt, 11);
      d->description = dup_text (stmt, 12);
      d->h1 = dup_text (stmt, 13);
      d->canonical = dup_text (stmt, 14);
      d->meta_robots = dup_text (stmt, 15);
      d->x_robots_tag = dup_text (stmt, 16);
      d->noindex = trawl_store_column_int64_or (stmt, 17, 0) != 0;
      d->nofollow = trawl_store_column_int64_or (stmt, 18, 0) != 0;
      d->word_count = trawl_store_column_int64_or (stmt, 19, -1);
      d->charset = dup_text (stmt, 20);
      d->fetch_ms = trawl_store_column_int64_or (stmt, 21, -1);
      d->ttfb_ms = trawl_store_column_int64_or (stmt, 22, -1);
      d->fetched_at = sqlite3_column_double (stmt, 23);
      d->redirects = trawl_store_column_int64_or (stmt, 24, 0);
      d->attempts = trawl_store_column_int64_or (stmt, 25, 0);
      d->error = dup_text (stmt, 26);
      d->headers = dup_text (stmt, 27);
      d->n_outlinks = trawl_store_column_int64_or (stmt, 28, 0);
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no URL %" PRId64 " in “%s”."), id, path);
      ok = FALSE;
    }
  else if (rc != SQLITE_ROW)
    ok = FALSE;

  if (ok && prepare (db, "SELECT hop, page_id, url, status, location FROM redirects "
                         "WHERE origin_id = ? ORDER BY hop", id, &stmt))
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          TrawlPageHop *hop = g_new0 (TrawlPageHop, 1);

          hop->hop = sqlite3_column_int (stmt, 0);
          hop->page_id = sqlite3_column_int64 (stmt, 1);
          hop->url = dup_text (stmt, 2);
          hop->status = sqlite3_column_int (stmt, 3);
          hop->location = dup_text (stmt, 4);
          g_ptr_array_add (d->redirect_chain, hop);
        }
      ok = rc == SQLITE_DONE;
      sqlite3_finalize (stmt);
      stmt = NULL;
    }

  /* Outlinks in page order; a target that was never recorded (beyond a
   * limit, say) still shows, without an id. */
  ok = ok && read_links (db,
                         "SELECT t.id, coalesce(t.url, ''), l.anchor, l.kind, l.rel, l.nofollow "
                         "FROM links l LEFT JOIN urls t ON t.fingerprint = l.to_fingerprint "
                         "WHERE l.from_id = ?1 ORDER BY l.seq LIMIT ?2",
                         id, d->outlinks);
  /* While a crawl runs there is no index on to_fingerprint, and these two
   * scan the links table: once, in a worker, for one page. */
  ok = ok && read_links (db,
                         "SELECT l.from_id, f.url, l.anchor, l.kind, l.rel, l.nofollow "
                         "FROM links l JOIN urls f ON f.id = l.from_id "
                         "WHERE l.to_fingerprint = (SELECT fingerprint FROM urls WHERE id = ?1) "
                         "ORDER BY l.from_id, l.seq LIMIT ?2",
                         id, d->inlinks);
  if (ok)
    d->n_inlinks = count (db, "SELECT count(*) FROM links WHERE to_fingerprint = "
                              "(SELECT fingerprint FROM urls WHERE id = ?1)", id);
  /* pages.outlinks counts anchors only; the pane lists every kind. */
  if (ok)
    d->n_outlinks = count (db, "SELECT count(*) FROM links WHERE from_id = ?1", id);

  if (!ok && error != NULL && *error == NULL && !g_cancellable_set_error_if_cancelled (cancellable, error))
    trawl_store_set_read_error (error, db, path);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  return ok ? g_steal_pointer (&d) : NULL;
}

typedef struct {
  char   *path;
  gint64  id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  TrawlPageDetail *d;

  trawl_thread_lower_priority ();
  d = trawl_page_detail_load (data->path, data->id, cancellable, &error);

  if (d == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, d, (GDestroyNotify) trawl_page_detail_free);
}

/**
 * trawl_page_detail_load_async:
 * @path: a crawl file
 * @id: a URL id in it
 * @cancellable: (nullable): cancels the load
 * @callback: called on the caller's main context when done
 * @user_data: for @callback
 *
 * Runs trawl_page_detail_load() in a worker thread.
 */
void
trawl_page_detail_load_async (const char          *path,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (path != NULL);

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (path);
  data->id = id;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_page_detail_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * trawl_page_detail_load_finish:
 * @result: the result given to the callback
 * @error: where to put the reason it failed
 *
 * Returns: (transfer full) (nullable): the detail
 */
TrawlPageDetail *
trawl_page_detail_load_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
