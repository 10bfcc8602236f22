/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-rerun.c — extraction rules run again over the pages a crawl
 * stored, without crawling again.
 *
 * A stored page is parsed exactly as the crawl parsed it when it was
 * fetched: the link parser builds its DOM from the body with the
 * response's own Content-Type (so the same charset), and the one
 * extractor runs on that DOM (trawl_extractor_run()).  Only successful
 * HTML responses are parsed, as trawl_parse_wants() says for crawls.
 *
 * The old items are replaced in one write transaction, together with the
 * rules in the file's job: a failure, a cancellation or a killed process
 * leaves the file as it was, and readers see the old items until the new
 * ones are all there.  Inflating and parsing are most of the work, so
 * they run on a pool of worker threads while this thread reads bodies and
 * writes items, in page order, with a bounded number of pages in flight.
 */
#define G_LOG_DOMAIN "trawl-rerun"

#include "config.h"

#include "trawl-rerun.h"

#include <glib/gi18n-lib.h>
#include <libxml/tree.h>
#include <sqlite3.h>
#include <string.h>

#include "trawl-extract.h"
#include "trawl-fetcher.h"
#include "trawl-gzip.h"
#include "trawl-job.h"
#include "trawl-store.h"

/* Stored bodies were cut at the job's size limit when fetched; this only
 * guards against a damaged or hostile file. */
#define MAX_BODY_BYTES (256 * 1024 * 1024)
/* Pages handed to the workers and not yet written, per worker. */
#define IN_FLIGHT_PER_THREAD 8
#define PROGRESS_EVERY 64

#define PAGE_COLUMNS "p.id, p.url, p.status, p.content_type, p.headers, p.x_robots_tag, b.encoding, b.body"

G_DEFINE_QUARK (trawl-rerun-error-quark, trawl_rerun_error)

void
trawl_stored_page_free (TrawlStoredPage *page)
{
  if (page == NULL)
    return;
  g_free (page->url);
  g_free (page->content_type);
  g_free (page->content_type_header);
  g_free (page->x_robots_tag);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_free (page);
}

/* A row of PAGE_COLUMNS, its body still compressed in @encoded. */
static TrawlStoredPage *
page_from_row (sqlite3_stmt  *stmt,
               GBytes       **encoded,
               char         **encoding)
{
  TrawlStoredPage *page = g_new0 (TrawlStoredPage, 1);

  page->id = sqlite3_column_int64 (stmt, 0);
  page->url = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  page->status = sqlite3_column_int (stmt, 2);
  page->content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  page->content_type_header = trawl_fetcher_header_from_text ((const char *) sqlite3_column_text (stmt, 4),
                                                              "Content-Type");
  page->x_robots_tag = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  *encoding = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  *encoded = sqlite3_column_type (stmt, 7) == SQLITE_BLOB
             ? g_bytes_new (sqlite3_column_blob (stmt, 7), sqlite3_column_bytes (stmt, 7))
             : NULL;
  return page;
}

/* Inflates a stored body; the bodies table only ever holds gzip. */
static gboolean
inflate_body (TrawlStoredPage *page,
              GBytes          *encoded,
              const char      *encoding,
              GError         **error)
{
  if (encoded == NULL)
    return TRUE;
  if (g_strcmp0 (encoding, "gzip") != 0)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("The stored body of %s is in an encoding Trawl does not know (“%s”)"), page->url,
                   encoding != NULL ? encoding : "");
      return FALSE;
    }
  page->body = trawl_gzip_decompress (encoded, MAX_BODY_BYTES, error);
  if (page->body == NULL)
    {
      g_prefix_error (error, _("The stored body of %s is damaged: "), page->url);
      return FALSE;
    }
  return TRUE;
}

/**
 * trawl_stored_page_read:
 * @path: a crawl file
 * @url: the URL of one of its pages
 * @error: why it cannot be read, as a sentence
 *
 * Returns: (transfer full) (nullable): the page, with its body when the
 *   crawl stored it
 */
TrawlStoredPage *
trawl_stored_page_read (const char  *path,
                        const char  *url,
                        GError     **error)
{
  TrawlStore *store;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (TrawlStoredPage) page = NULL;
  g_autoptr (GBytes) encoded = NULL;
  g_autofree char *encoding = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  store = trawl_store_open (path, TRAWL_STORE_READ, error);
  if (store == NULL)
    return NULL;
  if (sqlite3_prepare_v2 (trawl_store_get_db (store),
                          "SELECT " PAGE_COLUMNS " FROM pages p LEFT JOIN bodies b ON b.page_id = p.id "
                          "WHERE p.url = ?1 ORDER BY p.id LIMIT 1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, url, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        page = page_from_row (stmt, &encoded, &encoding);
    }
  sqlite3_finalize (stmt);
  trawl_store_free (store);

  if (page == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The crawl did not fetch %s"), url);
      return NULL;
    }
  if (!inflate_body (page, encoded, encoding, error))
    return NULL;
  return g_steal_pointer (&page);
}

/**
 * trawl_stored_page_parse:
 * @page: a stored page with a body
 *
 * Parses @page as the crawl did when it fetched it, building its DOM for
 * extraction rules.  Thread-safe.
 *
 * Returns: (transfer full): the parse, with its document
 */
TrawlParseResult *
trawl_stored_page_parse (TrawlStoredPage *page)
{
  gsize length = 0;
  const char *body;

  g_return_val_if_fail (page != NULL && page->body != NULL, NULL);

  body = g_bytes_get_data (page->body, &length);
  return trawl_parse_html_document (body != NULL ? body : "", length, page->url, page->content_type_header,
                                    page->x_robots_tag);
}

/* One page in the workers' hands. */
typedef struct {
  guint64          seq;
  TrawlStoredPage *page;
  GBytes          *encoded;  /* owned, nullable */
  char            *encoding; /* owned, nullable */
  GPtrArray       *items;    /* owned, nullable: the result, of TrawlItem */
  GError          *error;    /* owned, nullable */
} Job;

typedef struct {
  TrawlExtractor *extractor;
  GAsyncQueue    *done;      /* of finished Job* */
} Shared;

static void
job_free (Job *job)
{
  trawl_stored_page_free (job->page);
  g_clear_pointer (&job->encoded, g_bytes_unref);
  g_free (job->encoding);
  g_clear_pointer (&job->items, g_ptr_array_unref);
  g_clear_error (&job->error);
  g_free (job);
}

static void
work (gpointer data,
      gpointer user_data)
{
  Job *job = data;
  Shared *shared = user_data;

  if (inflate_body (job->page, job->encoded, job->encoding, &job->error) && job->page->body != NULL)
    {
      g_autoptr (TrawlParseResult) parsed = trawl_stored_page_parse (job->page);
      const char *body = g_bytes_get_data (job->page->body, NULL);

      job->items = trawl_extractor_run (shared->extractor, parsed, body, g_bytes_get_size (job->page->body),
                                        job->page->url);
      g_clear_pointer (&parsed->document, xmlFreeDoc);
    }
  g_clear_pointer (&job->encoded, g_bytes_unref);
  g_clear_pointer (&job->page->body, g_bytes_unref);
  g_async_queue_push (shared->done, job);
}

typedef struct {
  sqlite3      *db;
  const char   *path;
  sqlite3_stmt *insert;
  GHashTable   *finished;    /* seq → Job*, done but not yet written */
  guint64       submitted;
  guint64       written;
  gint64        items;
  GError       *error;       /* owned, nullable: the first failure */
} Writer;

/* What failed, for write_error (). */
typedef enum {
  STEP_READ,
  STEP_WRITE,
  STEP_WRITE_ITEMS,
  STEP_WRITE_RULES,
} Step;

static void
write_error (Writer *w,
             Step    step)
{
  const char *reason;

  if (w->error != NULL)
    return;
  reason = sqlite3_errcode (w->db) == SQLITE_FULL ? _("the disk is full") : sqlite3_errmsg (w->db);
  switch (step)
    {
    case STEP_READ:
      g_set_error (&w->error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_WRITE, _("Could not read “%s”: %s"), w->path, reason);
      break;
    case STEP_WRITE:
      g_set_error (&w->error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_WRITE, _("Could not write to “%s”: %s"), w->path, reason);
      break;
    case STEP_WRITE_ITEMS:
      g_set_error (&w->error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_WRITE,
                   _("Could not write the items to “%s”: %s"), w->path, reason);
      break;
    case STEP_WRITE_RULES:
      g_set_error (&w->error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_WRITE,
                   _("Could not write the rules to “%s”: %s"), w->path, reason);
      break;
    }
}

/* Writes the items of finished pages in page order, as far as they go. */
static void
write_finished (Writer *w)
{
  Job *job;

  while ((job = g_hash_table_lookup (w->finished, &w->written)) != NULL)
    {
      g_hash_table_steal (w->finished, &w->written);
      w->written++;
      if (job->error != NULL && w->error == NULL)
        w->error = g_steal_pointer (&job->error);
      for (guint i = 0; w->error == NULL && job->items != NULL && i < job->items->len; i++)
        {
          TrawlItem *item = job->items->pdata[i];

          sqlite3_bind_int64 (w->insert, 1, job->page->id);
          sqlite3_bind_int (w->insert, 2, i);
          if (item->record != NULL)
            sqlite3_bind_text (w->insert, 3, item->record, -1, SQLITE_STATIC);
          else
            sqlite3_bind_null (w->insert, 3);
          sqlite3_bind_text (w->insert, 4, item->data, -1, SQLITE_STATIC);
          if (sqlite3_step (w->insert) != SQLITE_DONE)
            write_error (w, STEP_WRITE_ITEMS);
          sqlite3_reset (w->insert);
          w->items++;
        }
      job_free (job);
    }
}

static void
wait_one (Writer *w,
          Shared *shared)
{
  Job *job = g_async_queue_pop (shared->done);

  g_hash_table_insert (w->finished, &job->seq, job);
  write_finished (w);
}

static gboolean
exec (Writer     *w,
      const char *sql)
{
  if (sqlite3_exec (w->db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  write_error (w, STEP_WRITE);
  return FALSE;
}

/* The file's job with @rules in place of its own. */
static char *
job_with_rules (TrawlStore         *store,
                const char         *path,
                const char *const  *rules,
                GError            **error)
{
  g_autofree char *text = trawl_store_get_meta (store, "job");
  g_autoptr (TrawlJob) job = text != NULL ? trawl_job_load_data (text, NULL) : NULL;

  if (job == NULL)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("“%s” holds no crawl settings to keep the rules in"), path);
      return NULL;
    }
  g_strfreev (job->extract);
  job->extract = rules != NULL && rules[0] != NULL ? g_strdupv ((char **) rules) : NULL;
  return trawl_job_to_data (job);
}

/**
 * trawl_rerun_rules:
 * @path: a crawl file that stored its response bodies
 * @rules: (array zero-terminated=1) (nullable): the rules, as
 *   trawl_extractor_new() reads them; none removes every item
 * @progress: (scope call) (nullable): told of the pages done, on this thread
 * @user_data: for @progress
 * @cancellable: (nullable): stops the run, which then changes nothing
 * @result: (out caller-allocates) (optional): what the run did
 * @error: why nothing was changed, as a sentence
 *
 * Replaces the items of the crawl in @path with what @rules find in the
 * pages it stored, and keeps @rules in its job, so that the Items view,
 * exports and a later resume use them.  All or nothing: until it returns
 * %TRUE the file holds its old items.  Refuses a file that is not a
 * crawl, that a crawl is writing, or that stored no bodies.
 *
 * Returns: whether the items were replaced
 */
gboolean
trawl_rerun_rules (const char         *path,
                   const char *const  *rules,
                   TrawlRerunProgress  progress,
                   gpointer            user_data,
                   GCancellable       *cancellable,
                   TrawlRerunResult   *result,
                   GError            **error)
{
  g_autoptr (TrawlExtractor) extractor = NULL;
  g_autofree char *job_text = NULL;
  TrawlStore *store;
  sqlite3_stmt *select = NULL, *meta = NULL;
  Writer w = { 0 };
  Shared shared = { 0 };
  GThreadPool *pool;
  guint n_threads = MAX (g_get_num_processors (), 1);
  gint64 total, done = 0;
  gboolean ok;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (path != NULL, FALSE);

  extractor = trawl_extractor_new (rules, error);
  if (extractor == NULL)
    return FALSE;
  store = trawl_store_open (path, TRAWL_STORE_UPDATE, error);
  if (store == NULL)
    return FALSE;
  /* Its items are replaced only in a whole file. */
  if (!trawl_store_check_whole (trawl_store_get_db (store), path, error))
    {
      trawl_store_free (store);
      return FALSE;
    }
  total = trawl_store_query_int (store, "SELECT count(*) FROM bodies");
  if (total <= 0)
    {
      g_set_error (error, TRAWL_RERUN_ERROR, TRAWL_RERUN_ERROR_NO_BODIES,
                   "“%s” has no stored response bodies: crawl with --store-bodies to re-run rules", path);
      trawl_store_free (store);
      return FALSE;
    }
  job_text = job_with_rules (store, path, rules, error);
  if (job_text == NULL)
    {
      trawl_store_free (store);
      return FALSE;
    }

  w.db = trawl_store_get_db (store);
  w.path = path;
  w.finished = g_hash_table_new (g_int64_hash, g_int64_equal);
  shared.extractor = extractor;
  shared.done = g_async_queue_new ();
  pool = g_thread_pool_new (work, &shared, n_threads, FALSE, NULL);

  /* IMMEDIATE: the write lock now, not at the first insert, so that a
   * busy file fails before any work is done. */
  if (exec (&w, "BEGIN IMMEDIATE") && exec (&w, "DELETE FROM items") &&
      (sqlite3_prepare_v2 (w.db, "INSERT INTO items (page_id, seq, record, data) VALUES (?1, ?2, ?3, ?4)",
                           -1, &w.insert, NULL) != SQLITE_OK ||
       sqlite3_prepare_v2 (w.db, "SELECT " PAGE_COLUMNS " FROM pages p JOIN bodies b ON b.page_id = p.id "
                                 "ORDER BY p.id", -1, &select, NULL) != SQLITE_OK))
    write_error (&w, STEP_READ);

  while (w.error == NULL && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      Job *job;

      if (g_cancellable_set_error_if_cancelled (cancellable, &w.error))
        break;
      if (++done % PROGRESS_EVERY == 0 && progress != NULL)
        progress (done, total, user_data);
      if (!trawl_parse_wants (sqlite3_column_int (select, 2), (const char *) sqlite3_column_text (select, 3)))
        continue;
      job = g_new0 (Job, 1);
      job->seq = w.submitted++;
      job->page = page_from_row (select, &job->encoded, &job->encoding);
      g_thread_pool_push (pool, job, NULL);
      while (w.submitted - w.written >= n_threads * IN_FLIGHT_PER_THREAD)
        wait_one (&w, &shared);
    }
  if (w.error == NULL && rc != SQLITE_DONE)
    write_error (&w, STEP_READ);
  while (w.written < w.submitted)
    wait_one (&w, &shared);
  g_thread_pool_free (pool, FALSE, TRUE);

  if (w.error == NULL && sqlite3_prepare_v2 (w.db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('job', ?1)",
                                             -1, &meta, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (meta, 1, job_text, -1, SQLITE_STATIC);
      if (sqlite3_step (meta) != SQLITE_DONE)
        write_error (&w, STEP_WRITE_RULES);
    }
  else if (w.error == NULL)
    write_error (&w, STEP_WRITE_RULES);
  sqlite3_finalize (meta);
  sqlite3_finalize (select);
  sqlite3_finalize (w.insert);
  if (w.error == NULL)
    exec (&w, "COMMIT");
  if (w.error != NULL)
    sqlite3_exec (w.db, "ROLLBACK", NULL, NULL, NULL);
  else if (progress != NULL)
    progress (total, total, user_data);

  ok = w.error == NULL;
  if (ok && result != NULL)
    *result = (TrawlRerunResult) { .pages = w.submitted, .items = w.items };
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&w.error));
  g_hash_table_unref (w.finished);
  g_async_queue_unref (shared.done);
  if (!trawl_store_close (store, ok ? error : NULL))
    ok = FALSE;
  trawl_store_free (store);
  return ok;
}
