/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-recent-crawls.c — the crawl files in the crawl folder, newest first.
 *
 * The start page lists the crawls a person made before.  Each entry comes
 * from the file itself, opened read-only in a worker thread: a crawl file
 * can be large, still being written, damaged or not a crawl at all, and
 * none of that may block or crash the window.  A file that cannot be read
 * is still listed, with the reason, so that it does not silently vanish.
 */
#define G_LOG_DOMAIN "trawl-recent-crawls"

#include "config.h"

#include "trawl-recent-crawls.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include "trawl-engine.h"
#include "trawl-job.h"
#include "trawl-page-row.h"
#include "trawl-store.h"
#include "trawl-thread.h"
#include "trawl-url.h"

struct _TrawlRecentCrawl
{
  GObject    parent_instance;

  char      *path;     /* owned */
  char      *name;     /* owned: the host crawled, or the file name */
  GDateTime *date;     /* owned: when the crawl was created */
  gint64     pages;    /* -1 when unknown */
  char      *ending;   /* owned: Finished, Stopped, Interrupted, Failed */
  char      *problem;  /* owned, nullable: why the file cannot be read */
};

G_DEFINE_FINAL_TYPE (TrawlRecentCrawl, trawl_recent_crawl, G_TYPE_OBJECT)

static void
trawl_recent_crawl_finalize (GObject *object)
{
  TrawlRecentCrawl *self = TRAWL_RECENT_CRAWL (object);

  g_free (self->path);
  g_free (self->name);
  g_clear_pointer (&self->date, g_date_time_unref);
  g_free (self->ending);
  g_free (self->problem);

  G_OBJECT_CLASS (trawl_recent_crawl_parent_class)->finalize (object);
}

static void
trawl_recent_crawl_class_init (TrawlRecentCrawlClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trawl_recent_crawl_finalize;
}

static void
trawl_recent_crawl_init (TrawlRecentCrawl *self)
{
  self->pages = -1;
}

const char *
trawl_recent_crawl_get_path (TrawlRecentCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), NULL);
  return self->path;
}

const char *
trawl_recent_crawl_get_name (TrawlRecentCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), NULL);
  return self->name;
}

/**
 * trawl_recent_crawl_get_date:
 * @self: an entry
 *
 * Returns: (transfer none): when the crawl was created, or for a file that
 *   cannot be read, when it was last changed.
 */
GDateTime *
trawl_recent_crawl_get_date (TrawlRecentCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), NULL);
  return self->date;
}

gint64
trawl_recent_crawl_get_pages (TrawlRecentCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), -1);
  return self->pages;
}

/**
 * trawl_recent_crawl_get_ending:
 * @self: an entry
 *
 * Returns: how the crawl ended: "Finished", "Stopped", "Interrupted",
 *   "Failed", or "Unreadable" when the file cannot be read.
 */
const char *
trawl_recent_crawl_get_ending (TrawlRecentCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), NULL);
  return self->ending;
}

/**
 * trawl_recent_crawl_get_problem:
 * @self: an entry
 *
 * Returns: (nullable): why the file cannot be read, as a sentence.
 */
const char *
trawl_recent_crawl_get_problem (TrawlRecentCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), NULL);
  return self->problem;
}

/**
 * trawl_recent_crawl_describe:
 * @self: an entry
 *
 * Returns: (transfer full): one line for the list: date, pages and how
 *   the crawl ended, or why the file cannot be read.
 */
char *
trawl_recent_crawl_describe (TrawlRecentCrawl *self)
{
  g_autofree char *date = NULL;
  g_autofree char *pages = NULL;

  g_return_val_if_fail (TRAWL_IS_RECENT_CRAWL (self), NULL);

  if (self->date != NULL)
    /* Translators: a g_date_time_format() format: "3 Dec 2026, 12:45". */
    /* xgettext:no-c-format */
    date = g_date_time_format (self->date, _("%e %b %Y, %H:%M"));
  if (date != NULL)
    g_strchug (date);

  if (self->problem != NULL)
    return g_strdup_printf ("%s · %s", date ? date : "", self->problem);

  pages = trawl_format_count (MAX (self->pages, 0));
  /* Translators: date, pages and ending: "3 Dec 2026, 12:45 · 1,234 pages · Finished". */
  return g_strdup_printf (ngettext ("%s · %s page · %s", "%s · %s pages · %s", (gulong) CLAMP (self->pages, 0, G_MAXLONG)),
                          date ? date : "", pages, self->ending);
}

static const char *
ending_label (const char *state)
{
  TrawlEngineState ending;

  /* A file that still says "running" was interrupted: nothing marked its end. */
  if (trawl_engine_state_from_string (state, &ending)
      && (ending == TRAWL_ENGINE_FINISHED || ending == TRAWL_ENGINE_STOPPED || ending == TRAWL_ENGINE_FAILED))
    return trawl_engine_state_get_label (ending);
  return _("Interrupted");
}

static void
set_unreadable (TrawlRecentCrawl *self,
                const char       *problem)
{
  g_free (self->ending);
  self->ending = g_strdup (_("Unreadable"));
  g_free (self->problem);
  self->problem = g_strdup (problem);
}

/* Fills @self from its file; anything wrong with the file becomes a
 * problem sentence, never an error that stops the listing. */
static void
read_crawl_file (TrawlRecentCrawl *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *job_text = NULL;
  g_autofree char *created = NULL;
  g_autofree char *state = NULL;
  TrawlStore *store;
  gint64 pages;

  /* The store checks that the file is a crawl this version can read. */
  store = trawl_store_open (self->path, TRAWL_STORE_READ, &error);
  if (store == NULL)
    {
      if (g_error_matches (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL))
        set_unreadable (self, _("Not a Trawl crawl file"));
      else if (g_error_matches (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NEWER))
        set_unreadable (self, _("Made by a newer version of Trawl"));
      else
        {
          g_autofree char *problem = g_strdup_printf (_("Cannot be opened: %s"), error->message);

          set_unreadable (self, problem);
        }
      return;
    }

  job_text = trawl_store_get_meta (store, "job");
  pages = trawl_store_query_int (store, "SELECT count(*) FROM pages");
  if (job_text == NULL || pages < 0)
    set_unreadable (self, _("Damaged: its settings or pages cannot be read"));
  else
    {
      g_autoptr (TrawlJob) job = trawl_job_load_data (job_text, NULL);

      created = trawl_store_get_meta (store, "created_at");
      state = trawl_store_get_meta (store, "state");
      self->pages = pages;
      g_free (self->ending);
      self->ending = g_strdup (ending_label (state));

      if (job != NULL && job->start_urls != NULL && job->start_urls[0] != NULL)
        {
          g_autofree char *canonical = trawl_url_canonicalize (job->start_urls[0], NULL);
          char *host = canonical ? trawl_url_get_host (canonical) : NULL;

          if (host != NULL)
            {
              g_free (self->name);
              self->name = host;
            }
        }

      if (created != NULL)
        {
          g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (created, NULL);

          if (utc != NULL)
            {
              g_clear_pointer (&self->date, g_date_time_unref);
              self->date = g_date_time_to_local (utc);
            }
        }
    }

  trawl_store_free (store);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  TrawlRecentCrawl *x = *(TrawlRecentCrawl **) a;
  TrawlRecentCrawl *y = *(TrawlRecentCrawl **) b;
  int by_date = g_date_time_compare (y->date, x->date);

  return by_date != 0 ? by_date : g_strcmp0 (y->path, x->path);
}

typedef struct {
  char  *path;
  gint64 mtime;
} Candidate;

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = a, *y = b;

  if (x->mtime != y->mtime)
    return x->mtime < y->mtime ? 1 : -1;
  return g_strcmp0 (y->path, x->path);
}

static void
clear_candidate (gpointer data)
{
  g_free (((Candidate *) data)->path);
}

typedef struct {
  char  *folder;
  guint  max_files;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;

  g_free (d->folder);
  g_free (d);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr (GPtrArray) crawls = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDir) dir = NULL;
  const char *name;

  trawl_thread_lower_priority ();
  g_array_set_clear_func (candidates, clear_candidate);

  /* A folder that does not exist yet just means there are no crawls. */
  dir = g_dir_open (d->folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      Candidate c;
      GStatBuf st;

      if (!g_str_has_suffix (name, ".trawl"))
        continue;
      c.path = g_build_filename (d->folder, name, NULL);
      if (g_stat (c.path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_free (c.path);
          continue;
        }
      c.mtime = st.st_mtime;
      g_array_append_val (candidates, c);
    }

  /* Only the most recently changed files are opened: the folder may hold
   * hundreds of crawls, and each count reads an index. */
  g_array_sort (candidates, compare_candidates);
  for (guint i = 0; i < candidates->len && i < d->max_files; i++)
    {
      Candidate *c = &g_array_index (candidates, Candidate, i);
      TrawlRecentCrawl *crawl = g_object_new (TRAWL_TYPE_RECENT_CRAWL, NULL);

      if (g_cancellable_is_cancelled (cancellable))
        break;

      crawl->path = g_strdup (c->path);
      crawl->name = g_path_get_basename (c->path);
      crawl->date = g_date_time_new_from_unix_local (c->mtime);
      read_crawl_file (crawl);
      g_ptr_array_add (crawls, crawl);
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  g_ptr_array_sort (crawls, compare_newest_first);
  g_task_return_pointer (task, g_steal_pointer (&crawls), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * trawl_recent_crawls_load_async:
 * @folder: the crawl folder
 * @max_files: how many of the most recently changed files to read
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context with the list
 * @user_data: for @callback
 *
 * Reads the crawl files in @folder in a worker thread.
 */
void
trawl_recent_crawls_load_async (const char          *folder,
                                guint                max_files,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *d;

  g_return_if_fail (folder != NULL);

  d = g_new0 (LoadData, 1);
  d->folder = g_strdup (folder);
  d->max_files = max_files;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_recent_crawls_load_async);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * trawl_recent_crawls_load_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type TrawlRecentCrawl): the
 *   crawls, newest first, or %NULL when cancelled.
 */
GPtrArray *
trawl_recent_crawls_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
