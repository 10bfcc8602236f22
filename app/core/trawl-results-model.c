/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-model.c — the settled URLs of a crawl file as a GListModel.
 *
 * The model holds the ordered ids of the rows that pass the current
 * filters, worked out in a worker thread whenever the sort, the filters
 * or the search change (or the crawl adds rows), from the sort keys of
 * every row held in memory (trawl-results-keys.c).  The rows themselves
 * are read on demand, a block at a time, by primary key, and only a
 * bounded number of blocks is kept: a million results cost the 8 MB of
 * their ids, 41 MB of keys and a few thousand row objects.
 *
 * A row object stands for a position, not for a URL: when the order
 * changes, the rows already made take the values of the URLs now at their
 * positions, in place, and items-changed only tells of rows added or
 * removed at the end.  GTK 4.8's list view keeps some 200 rows of widgets;
 * had every row been replaced, it would make all of them again for each
 * new sort, stalling the main loop for 100–200 ms.
 */
#define G_LOG_DOMAIN "trawl-results-model"

#include "config.h"

#include "trawl-results-model.h"

#include <sqlite3.h>

#include "trawl-results-keys.h"
#include "trawl-store.h"
#include "trawl-thread.h"
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Queries over this many rows give their memory back to the system. */
#define TRIM_AFTER_ROWS 100000

/* Rows read together, and how many such blocks stay cached. */
#define BLOCK_SIZE 128
#define MAX_BLOCKS 16

struct _TrawlResultsModel
{
  GObject             parent_instance;

  char               *path;           /* owned */
  sqlite3            *db;             /* owned: read-only, main thread only */
  sqlite3_stmt       *row_stmt;       /* owned */

  GArray             *ids;            /* owned: gint64, the shown order */
  guint               total;          /* settled URLs, whatever the filters */
  gboolean            inlinks_known;  /* the links_to index exists */
  GArray             *inlink_fps;     /* owned, nullable: gint64 fingerprints, sorted */
  GArray             *inlink_counts;  /* owned, nullable: guint32, as inlink_fps */
  TrawlResultsKeys   *keys;           /* owned, nullable: read again on refresh */
  GArray             *url_ranks;      /* owned, nullable: guint32 per row of keys */
  GArray             *title_ranks;    /* owned, nullable: as url_ranks */
  gboolean            keys_stale;     /* a refresh was asked after the running query began */

  GHashTable         *blocks;         /* owned: block number → GPtrArray of rows */
  GQueue              lru;            /* block numbers, most recent first */

  TrawlResultsSort    sort;
  gboolean            descending;
  TrawlResultsFilter  filters;
  char               *search;         /* owned, nullable */

  GCancellable       *cancellable;    /* owned, nullable: the running query */
  guint               generation;     /* bumped by every query started */
  gboolean            dirty;          /* a refresh was asked while one ran */
  GError             *error;          /* owned, nullable: why the last query failed */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TrawlResultsModel, trawl_results_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_TOTAL,
  PROP_INLINKS_KNOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a query needs, copied so that the worker shares nothing. */
typedef struct {
  char               *path;
  TrawlResultsSort    sort;
  gboolean            descending;
  TrawlResultsFilter  filters;
  char               *search;
  GArray             *reload;       /* guint: positions of rows made, to read again */
  guint               generation;
  GArray             *inlink_fps;   /* in and out: the inlink counts, once built */
  GArray             *inlink_counts;
  TrawlResultsKeys   *keys;         /* in and out: read when NULL */
  GArray             *url_ranks;    /* in and out: read when needed and NULL */
  GArray             *title_ranks;

  GArray             *ids;          /* result */
  guint               total;        /* result */
  gboolean            inlinks_known;/* result */
  GHashTable         *fresh;        /* result: position → TrawlPageRow now there */
} Query;

static void
query_free (Query *q)
{
  g_free (q->path);
  g_free (q->search);
  g_clear_pointer (&q->reload, g_array_unref);
  g_clear_pointer (&q->ids, g_array_unref);
  g_clear_pointer (&q->fresh, g_hash_table_unref);
  g_clear_pointer (&q->inlink_fps, g_array_unref);
  g_clear_pointer (&q->inlink_counts, g_array_unref);
  g_clear_pointer (&q->keys, trawl_results_keys_unref);
  g_clear_pointer (&q->url_ranks, g_array_unref);
  g_clear_pointer (&q->title_ranks, g_array_unref);
  g_free (q);
}

static const char row_sql[] =
  "SELECT u.id, u.url, u.state, u.reason, u.depth, p.status, p.content_type, p.bytes, "
  "p.fetch_ms, p.title, p.outlinks, u.fingerprint "
  "FROM urls u LEFT JOIN pages p ON p.id = u.id WHERE u.id = ?";

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

/* Reads one row with a statement made from row_sql. */
static TrawlPageRow *
read_row (sqlite3_stmt *stmt,
          gint64        id,
          GArray       *inlink_fps,
          GArray       *inlink_counts)
{
  TrawlPageRowData d = { 0 };
  TrawlPageRow *row;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      /* The id came from the same file, so this only happens if the file
       * was replaced underneath: show an empty row rather than nothing. */
      d.id = id;
      d.url = g_strdup ("");
      d.bytes = d.fetch_ms = d.inlinks = d.outlinks = -1;
      sqlite3_reset (stmt);
      return trawl_page_row_new (&d);
    }
  d.id = sqlite3_column_int64 (stmt, 0);
  d.url = column_dup (stmt, 1);
  d.state = sqlite3_column_int (stmt, 2);
  d.reason = column_dup (stmt, 3);
  d.depth = sqlite3_column_int (stmt, 4);
  d.status = trawl_store_column_int64_or (stmt, 5, 0);
  d.content_type = column_dup (stmt, 6);
  d.bytes = trawl_store_column_int64_or (stmt, 7, -1);
  d.fetch_ms = trawl_store_column_int64_or (stmt, 8, -1);
  d.title = column_dup (stmt, 9);
  d.outlinks = trawl_store_column_int64_or (stmt, 10, -1);
  d.inlinks = trawl_results_inlinks_of (inlink_fps, inlink_counts, sqlite3_column_int64 (stmt, 11));
  row = trawl_page_row_new (&d);
  sqlite3_reset (stmt);
  return row;
}

/* Counts every URL's inlinks in one pass: over the links_to index once
 * the crawl has closed (a count per row would be a seek each, but the
 * home page of a large site has a link from every page), or by grouping
 * the links while it runs. */
static gboolean
read_inlink_counts (sqlite3  *db,
                    gboolean  indexed,
                    GArray  **fps,
                    GArray  **counts)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, indexed ? "SELECT to_fingerprint, count(*) FROM links INDEXED BY links_to "
                                        "GROUP BY to_fingerprint ORDER BY to_fingerprint"
                                      : "SELECT to_fingerprint, count(*) FROM links "
                                        "GROUP BY to_fingerprint ORDER BY to_fingerprint",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  *fps = g_array_new (FALSE, FALSE, sizeof (gint64));
  *counts = g_array_new (FALSE, FALSE, sizeof (guint32));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 fp = sqlite3_column_int64 (stmt, 0);
      guint32 n = sqlite3_column_int64 (stmt, 1);

      g_array_append_val (*fps, fp);
      g_array_append_val (*counts, n);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_clear_pointer (fps, g_array_unref);
      g_clear_pointer (counts, g_array_unref);
    }
  return rc == SQLITE_DONE;
}

static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static int
progress_cancelled (void *data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (data));
}

/* The ids of the settled URLs whose address or title contains the search
 * text, in id order. */
static GArray *
search_ids (sqlite3    *db,
            const char *search)
{
  g_autofree char *pattern = like_pattern (search);
  sqlite3_stmt *stmt = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  /* The search text is only ever a bound parameter. */
  rc = sqlite3_prepare_v2 (db, "SELECT u.id FROM urls u LEFT JOIN pages p ON p.id = u.id "
                               "WHERE u.state <> 0 AND (u.url LIKE ?1 ESCAPE '\\' OR p.title LIKE ?1 ESCAPE '\\') "
                               "ORDER BY u.id", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    g_clear_pointer (&ids, g_array_unref);
  return ids;
}

/* The error SQLite stopped with. */
static int
failure (sqlite3 *db)
{
  int rc = sqlite3_errcode (db);

  return rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_ERROR : rc;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *q = task_data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GError *error = NULL;
  g_autoptr (GArray) found = NULL;
  g_autoptr (GArray) rows = NULL;
  g_autoptr (GArray) grouped_fps = NULL;
  g_autoptr (GArray) grouped_counts = NULL;
  GArray **ranks = NULL;
  int rc = SQLITE_DONE;

  trawl_thread_lower_priority ();
  if (trawl_store_open_db (q->path, &db, SQLITE_OPEN_READONLY) != SQLITE_OK)
    {
      trawl_store_set_read_error (&error, db, q->path);
      g_task_return_error (task, g_steal_pointer (&error));
      sqlite3_close (db);
      return;
    }
  sqlite3_busy_timeout (db, 2000);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 10000, progress_cancelled, cancellable);

  /* One read transaction, so the keys, the search and the rows agree. */
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  q->inlinks_known = trawl_store_has_links_index (db);
  if (!q->inlinks_known)
    {
      g_clear_pointer (&q->inlink_fps, g_array_unref);
      g_clear_pointer (&q->inlink_counts, g_array_unref);
    }
  else if (q->inlink_fps == NULL && !read_inlink_counts (db, TRUE, &q->inlink_fps, &q->inlink_counts))
    q->inlinks_known = FALSE;

  if (q->keys == NULL && (q->keys = trawl_results_keys_read (db)) == NULL)
    rc = failure (db);
  if (rc == SQLITE_DONE && q->search != NULL && (found = search_ids (db, q->search)) == NULL)
    rc = failure (db);

  if (q->sort == TRAWL_RESULTS_SORT_URL)
    ranks = &q->url_ranks;
  else if (q->sort == TRAWL_RESULTS_SORT_TITLE)
    ranks = &q->title_ranks;
  if (rc == SQLITE_DONE && ranks != NULL && *ranks == NULL &&
      (*ranks = trawl_results_keys_rank_text (q->keys, db, q->sort)) == NULL)
    rc = failure (db);

  /* While the crawl runs, sorting by inlinks groups the links once. */
  if (rc == SQLITE_DONE && q->sort == TRAWL_RESULTS_SORT_INLINKS && !q->inlinks_known &&
      !read_inlink_counts (db, FALSE, &grouped_fps, &grouped_counts))
    rc = failure (db);

  if (rc == SQLITE_DONE)
    {
      rows = trawl_results_keys_select (q->keys, q->filters, found);
      q->ids = trawl_results_keys_sort (q->keys, rows, q->sort, q->descending,
                                        ranks != NULL ? *ranks : NULL,
                                        q->inlinks_known ? q->inlink_fps : grouped_fps,
                                        q->inlinks_known ? q->inlink_counts : grouped_counts);
      q->total = trawl_results_keys_get_n (q->keys);
    }

  q->fresh = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  if (rc == SQLITE_DONE && q->reload->len > 0 &&
      (rc = sqlite3_prepare_v2 (db, row_sql, -1, &stmt, NULL)) == SQLITE_OK)
    {
      for (guint i = 0; i < q->reload->len; i++)
        {
          guint position = g_array_index (q->reload, guint, i);

          if (position < q->ids->len)
            g_hash_table_insert (q->fresh, GUINT_TO_POINTER (position),
                                 read_row (stmt, g_array_index (q->ids, gint64, position),
                                           q->inlink_fps, q->inlink_counts));
        }
      rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);

  if (g_cancellable_is_cancelled (cancellable))
    g_task_return_error_if_cancelled (task);
  else if (rc != SQLITE_DONE)
    {
      trawl_store_set_read_error (&error, db, q->path);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_boolean (task, TRUE);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
#ifdef __GLIBC__
  /* A query over a million rows frees tens of MB (the sort keys, SQLite's
   * cache) in this worker thread's malloc arena, which glibc would keep:
   * measured, the window grew from 180 to 310 MB over thirty sorts.
   * Small queries are left alone: trimming also hands back what the
   * drawing thread keeps for its next frame (see main.c). */
  if (q->keys != NULL && trawl_results_keys_get_n (q->keys) >= TRIM_AFTER_ROWS)
    malloc_trim (0);
#endif
}

static void start_query (TrawlResultsModel *self);

/* Drops the rows made for positions from @n_items on. */
static void
truncate_blocks (TrawlResultsModel *self,
                 guint              n_items)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->blocks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint start = GPOINTER_TO_UINT (key) * BLOCK_SIZE;
      GPtrArray *rows = value;

      if (start >= n_items)
        {
          g_queue_remove (&self->lru, key);
          g_hash_table_iter_remove (&iter);
        }
      else if (start + rows->len > n_items)
        g_ptr_array_set_size (rows, n_items - start);
    }
}

static void
query_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TrawlResultsModel *self = TRAWL_RESULTS_MODEL (source);
  GTask *task = G_TASK (result);
  Query *q = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint old_n, new_n;

  if (!g_task_propagate_boolean (task, &error))
    {
      if (q->generation == self->generation)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_clear_error (&self->error);
              self->error = g_steal_pointer (&error);
            }
          g_clear_object (&self->cancellable);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
        }
      return;
    }
  /* A newer query superseded this one. */
  if (q->generation != self->generation)
    return;
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  if (self->inlink_fps != q->inlink_fps)
    {
      g_clear_pointer (&self->inlink_fps, g_array_unref);
      g_clear_pointer (&self->inlink_counts, g_array_unref);
      self->inlink_fps = q->inlink_fps != NULL ? g_array_ref (q->inlink_fps) : NULL;
      self->inlink_counts = q->inlink_counts != NULL ? g_array_ref (q->inlink_counts) : NULL;
    }
  /* Unless the crawl has added rows since the query began, its keys and
   * ranks serve the next one too. */
  if (!self->keys_stale)
    {
      g_clear_pointer (&self->keys, trawl_results_keys_unref);
      g_clear_pointer (&self->url_ranks, g_array_unref);
      g_clear_pointer (&self->title_ranks, g_array_unref);
      self->keys = g_steal_pointer (&q->keys);
      self->url_ranks = g_steal_pointer (&q->url_ranks);
      self->title_ranks = g_steal_pointer (&q->title_ranks);
    }
  if (self->inlinks_known != q->inlinks_known)
    {
      self->inlinks_known = q->inlinks_known;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INLINKS_KNOWN]);
    }

  old_n = self->ids->len;
  new_n = q->ids->len;
  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&q->ids);
  truncate_blocks (self, new_n);

  /* The rows made take the values of the URLs now at their positions. */
  g_hash_table_iter_init (&iter, self->blocks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint start = GPOINTER_TO_UINT (key) * BLOCK_SIZE;
      GPtrArray *rows = value;

      for (guint i = 0; i < rows->len; i++)
        {
          TrawlPageRow *fresh = g_hash_table_lookup (q->fresh, GUINT_TO_POINTER (start + i));

          /* Made after the query started: read as it is already. */
          if (fresh != NULL)
            trawl_page_row_update (g_ptr_array_index (rows, i), fresh);
        }
    }

  if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
  else if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
  if (self->total != q->total)
    {
      self->total = q->total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_signal_emit (self, signals[SIGNAL_REFRESHED], 0);

  if (self->dirty)
    start_query (self);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
start_query (TrawlResultsModel *self)
{
  g_autoptr (GTask) task = NULL;
  Query *q = g_new0 (Query, 1);
  gboolean was_loading = self->cancellable != NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->dirty = FALSE;

  q->path = g_strdup (self->path);
  q->sort = self->sort;
  q->descending = self->descending;
  q->filters = self->filters;
  q->search = g_strdup (self->search);
  q->generation = ++self->generation;
  /* The counts never change once the crawl has closed; they are shared,
   * read-only, with the worker. */
  q->inlink_fps = self->inlink_fps != NULL ? g_array_ref (self->inlink_fps) : NULL;
  q->inlink_counts = self->inlink_counts != NULL ? g_array_ref (self->inlink_counts) : NULL;
  q->keys = self->keys != NULL ? trawl_results_keys_ref (self->keys) : NULL;
  q->url_ranks = self->url_ranks != NULL ? g_array_ref (self->url_ranks) : NULL;
  q->title_ranks = self->title_ranks != NULL ? g_array_ref (self->title_ranks) : NULL;
  self->keys_stale = FALSE;
  q->reload = g_array_new (FALSE, FALSE, sizeof (guint));
  g_hash_table_iter_init (&iter, self->blocks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint start = GPOINTER_TO_UINT (key) * BLOCK_SIZE;
      GPtrArray *rows = value;

      for (guint i = 0; i < rows->len; i++)
        {
          guint position = start + i;

          g_array_append_val (q->reload, position);
        }
    }

  task = g_task_new (self, self->cancellable, query_done, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, q, (GDestroyNotify) query_free);
  g_task_run_in_thread (task, query_thread);

  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static GType
trawl_results_model_get_item_type (GListModel *model)
{
  return TRAWL_TYPE_PAGE_ROW;
}

static guint
trawl_results_model_get_n_items (GListModel *model)
{
  return TRAWL_RESULTS_MODEL (model)->ids->len;
}

/* Reads the rows of @block that @rows lacks: all of them for a new block,
 * the rest of a block that the list has grown into. */
static void
load_block (TrawlResultsModel *self,
            guint              block,
            GPtrArray         *rows)
{
  guint start = block * BLOCK_SIZE;
  guint end = MIN (start + BLOCK_SIZE, self->ids->len);

  if (self->row_stmt == NULL)
    sqlite3_prepare_v2 (self->db, row_sql, -1, &self->row_stmt, NULL);
  sqlite3_exec (self->db, "BEGIN", NULL, NULL, NULL);
  for (guint i = start + rows->len; i < end; i++)
    g_ptr_array_add (rows, read_row (self->row_stmt, g_array_index (self->ids, gint64, i),
                                     self->inlink_fps, self->inlink_counts));
  sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
}

/* Whether a row of the block is held by someone else than the cache, such
 * as a list view: such a block must stay, to be updated in place. */
static gboolean
block_in_use (GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    if (g_atomic_int_get (&G_OBJECT (g_ptr_array_index (rows, i))->ref_count) > 1)
      return TRUE;
  return FALSE;
}

static void
evict_blocks (TrawlResultsModel *self)
{
  GList *link = self->lru.tail;

  /* The least recently used first, and never the most recent. */
  while (self->lru.length > MAX_BLOCKS && link != NULL && link != self->lru.head)
    {
      GList *prev = link->prev;

      if (!block_in_use (g_hash_table_lookup (self->blocks, link->data)))
        {
          g_hash_table_remove (self->blocks, link->data);
          g_queue_delete_link (&self->lru, link);
        }
      link = prev;
    }
}

static gpointer
trawl_results_model_get_item (GListModel *model,
                              guint       position)
{
  TrawlResultsModel *self = TRAWL_RESULTS_MODEL (model);
  guint block = position / BLOCK_SIZE;
  gpointer key = GUINT_TO_POINTER (block);
  GPtrArray *rows;

  if (position >= self->ids->len)
    return NULL;

  rows = g_hash_table_lookup (self->blocks, key);
  if (rows == NULL)
    {
      rows = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->blocks, key, rows);
      g_queue_push_head (&self->lru, key);
    }
  else if (self->lru.head->data != key)
    {
      /* Most recently used first. */
      g_queue_remove (&self->lru, key);
      g_queue_push_head (&self->lru, key);
    }
  if (position - block * BLOCK_SIZE >= rows->len)
    load_block (self, block, rows);
  if (self->lru.length > MAX_BLOCKS)
    evict_blocks (self);

  return g_object_ref (g_ptr_array_index (rows, position - block * BLOCK_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = trawl_results_model_get_item_type;
  iface->get_n_items = trawl_results_model_get_n_items;
  iface->get_item = trawl_results_model_get_item;
}

static void
trawl_results_model_dispose (GObject *object)
{
  TrawlResultsModel *self = TRAWL_RESULTS_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->blocks);
  g_queue_clear (&self->lru);

  G_OBJECT_CLASS (trawl_results_model_parent_class)->dispose (object);
}

static void
trawl_results_model_finalize (GObject *object)
{
  TrawlResultsModel *self = TRAWL_RESULTS_MODEL (object);

  g_clear_pointer (&self->row_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->inlink_fps, g_array_unref);
  g_clear_pointer (&self->inlink_counts, g_array_unref);
  g_clear_pointer (&self->keys, trawl_results_keys_unref);
  g_clear_pointer (&self->url_ranks, g_array_unref);
  g_clear_pointer (&self->title_ranks, g_array_unref);
  g_clear_pointer (&self->blocks, g_hash_table_unref);
  g_free (self->path);
  g_free (self->search);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (trawl_results_model_parent_class)->finalize (object);
}

static void
trawl_results_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TrawlResultsModel *self = TRAWL_RESULTS_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, trawl_results_model_is_loading (self));
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_INLINKS_KNOWN:
      g_value_set_boolean (value, self->inlinks_known);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_results_model_class_init (TrawlResultsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = trawl_results_model_dispose;
  object_class->finalize = trawl_results_model_finalize;
  object_class->get_property = trawl_results_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INLINKS_KNOWN] =
    g_param_spec_boolean ("inlinks-known", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TrawlResultsModel::refreshed:
   *
   * Emitted when the rows of a new query are in place, even when no row
   * was added or removed: the rows may show other URLs than before.
   */
  signals[SIGNAL_REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
trawl_results_model_init (TrawlResultsModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->blocks = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->lru);
}

/**
 * trawl_results_model_new:
 * @path: a crawl file, finished or still being written
 * @error: where to put a sentence when it cannot be read
 *
 * Opens @path read-only and starts the first query; the model is empty
 * until #TrawlResultsModel:loading goes back to %FALSE.
 *
 * Returns: (transfer full) (nullable): the model
 */
TrawlResultsModel *
trawl_results_model_new (const char  *path,
                         GError     **error)
{
  g_autoptr (TrawlResultsModel) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_RESULTS_MODEL, NULL);
  self->path = g_strdup (path);
  if (trawl_store_open_db (path, &self->db, SQLITE_OPEN_READONLY) != SQLITE_OK)
    {
      trawl_store_set_read_error (error, self->db, path);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 1000);
  start_query (self);
  return g_steal_pointer (&self);
}

const char *
trawl_results_model_get_path (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), NULL);
  return self->path;
}

/**
 * trawl_results_model_set_sort:
 * @self: the model
 * @sort: the column to sort by
 * @descending: largest first
 *
 * Sorts the rows again, in a worker; the rows change at once when done.
 */
void
trawl_results_model_set_sort (TrawlResultsModel *self,
                              TrawlResultsSort   sort,
                              gboolean           descending)
{
  g_return_if_fail (TRAWL_IS_RESULTS_MODEL (self));

  if (self->sort == sort && self->descending == !!descending)
    return;
  self->sort = sort;
  self->descending = !!descending;
  start_query (self);
}

TrawlResultsSort
trawl_results_model_get_sort (TrawlResultsModel *self,
                              gboolean          *descending)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), TRAWL_RESULTS_SORT_NONE);
  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

/**
 * trawl_results_model_set_filters:
 * @self: the model
 * @filters: the chips that are on
 *
 * Keeps the rows that are HTML (when asked) and have any of the chosen
 * outcomes (when any is chosen).
 */
void
trawl_results_model_set_filters (TrawlResultsModel  *self,
                                 TrawlResultsFilter  filters)
{
  g_return_if_fail (TRAWL_IS_RESULTS_MODEL (self));

  if (self->filters == filters)
    return;
  self->filters = filters;
  start_query (self);
}

TrawlResultsFilter
trawl_results_model_get_filters (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), 0);
  return self->filters;
}

/**
 * trawl_results_model_set_search:
 * @self: the model
 * @text: (nullable): text that the URL or the title must contain
 *
 * Case is ignored for ASCII letters; an empty text shows every row.
 */
void
trawl_results_model_set_search (TrawlResultsModel *self,
                                const char        *text)
{
  g_return_if_fail (TRAWL_IS_RESULTS_MODEL (self));

  if (text != NULL && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  start_query (self);
}

const char *
trawl_results_model_get_search (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), NULL);
  return self->search;
}

/**
 * trawl_results_model_refresh:
 * @self: the model
 *
 * Reads the file again for rows a running crawl has added or changed.
 * A refresh asked while a query runs is done once that one ends, so
 * calling this often costs at most one query at a time.
 */
void
trawl_results_model_refresh (TrawlResultsModel *self)
{
  g_return_if_fail (TRAWL_IS_RESULTS_MODEL (self));

  /* The keys are read again, with the rows added since. */
  g_clear_pointer (&self->keys, trawl_results_keys_unref);
  g_clear_pointer (&self->url_ranks, g_array_unref);
  g_clear_pointer (&self->title_ranks, g_array_unref);
  self->keys_stale = TRUE;
  if (self->cancellable != NULL)
    self->dirty = TRUE;
  else
    start_query (self);
}

gboolean
trawl_results_model_is_loading (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * trawl_results_model_get_error:
 * @self: the model
 *
 * Returns: (transfer none) (nullable): why the file could not be read
 *   (damaged, say) when the last query ended, with
 *   #TrawlResultsModel:loading going back to %FALSE; %NULL once one
 *   worked.
 */
const GError *
trawl_results_model_get_error (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), NULL);
  return self->error;
}

/**
 * trawl_results_model_get_total:
 * @self: the model
 *
 * Returns: how many URLs are settled in the file, whatever the filters
 */
guint
trawl_results_model_get_total (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), 0);
  return self->total;
}

/**
 * trawl_results_model_get_inlinks_known:
 * @self: the model
 *
 * Returns: whether rows carry inlink counts (the crawl has closed)
 */
gboolean
trawl_results_model_get_inlinks_known (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), FALSE);
  return self->inlinks_known;
}

/**
 * trawl_results_model_get_id:
 * @self: the model
 * @position: a row
 *
 * Returns: the URL id at @position, without reading the row
 */
gint64
trawl_results_model_get_id (TrawlResultsModel *self,
                            guint              position)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), 0);
  g_return_val_if_fail (position < self->ids->len, 0);
  return g_array_index (self->ids, gint64, position);
}

/**
 * trawl_results_model_ref_ids:
 * @self: the model
 *
 * The ids of the rows shown, in their order.  The array is never changed
 * (a new query makes a new one), so another thread may read it, as an
 * export does.
 *
 * Returns: (transfer full) (element-type gint64): the URL ids
 */
GArray *
trawl_results_model_ref_ids (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), NULL);
  return g_array_ref (self->ids);
}

/**
 * trawl_results_model_is_narrowed:
 * @self: the model
 *
 * Returns: whether a filter, a search or a sort is on, so that the rows
 *   shown are not simply every URL in the order found
 */
gboolean
trawl_results_model_is_narrowed (TrawlResultsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), FALSE);
  return self->filters != 0 || (self->search != NULL && self->search[0] != '\0') ||
         self->sort != TRAWL_RESULTS_SORT_NONE || self->descending;
}

/**
 * trawl_results_model_find:
 * @self: the model
 * @id: a URL id
 * @position: (out) (optional): where it is shown
 *
 * Returns: whether the URL is among the rows shown
 */
gboolean
trawl_results_model_find (TrawlResultsModel *self,
                          gint64             id,
                          guint             *position)
{
  const gint64 *ids;

  g_return_val_if_fail (TRAWL_IS_RESULTS_MODEL (self), FALSE);

  ids = (const gint64 *) self->ids->data;
  for (guint i = 0; i < self->ids->len; i++)
    if (ids[i] == id)
      {
        if (position != NULL)
          *position = i;
        return TRUE;
      }
  return FALSE;
}
