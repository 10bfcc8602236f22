/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-crawl.c — one crawl file as the window sees it.
 *
 * A TrawlCrawl is either a new crawl waiting for Start, a crawl running in
 * its engine, or a crawl file opened from disk, finished or interrupted.
 * The views observe this object rather than the engine, so they work the
 * same for a live crawl and a reopened one: it relays the engine's signals
 * (already on the GUI's main context) and keeps the latest statistics,
 * which for a file opened from disk come from its stored timeline.
 */
#define G_LOG_DOMAIN "trawl-crawl"

#include "config.h"

#include "trawl-crawl.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "trawl-summary.h"
#include "trawl-thread.h"

struct _TrawlCrawl
{
  GObject           parent_instance;

  char             *path;          /* owned */
  TrawlJob         *job;           /* owned */
  TrawlEngine      *engine;        /* owned, nullable until started */
  TrawlStats       *stats;         /* owned */
  GError           *error;         /* owned, nullable */
  TrawlEngineState  state;
  gboolean          interrupted;   /* opened from a file whose crawl was killed */
  gboolean          exists;        /* the file holds a crawl already */
  gboolean          links_indexed; /* inlinks can be looked up quickly */
  char             *nothing_fetched; /* owned, nullable; see trawl_crawl_get_nothing_fetched() */
  GCancellable     *cancellable;   /* owned; the indexing and the summary */
};

G_DEFINE_FINAL_TYPE (TrawlCrawl, trawl_crawl, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_STATE,
  PROP_LINKS_INDEXED,
  PROP_PROBLEM,
  PROP_NOTHING_FETCHED,
  N_PROPS
};

enum {
  SIGNAL_STATS,
  SIGNAL_PAGES,
  SIGNAL_LOG,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (TrawlCrawl       *self,
           TrawlEngineState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
trawl_crawl_dispose (GObject *object)
{
  TrawlCrawl *self = TRAWL_CRAWL (object);

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (trawl_crawl_parent_class)->dispose (object);
}

static void
trawl_crawl_finalize (GObject *object)
{
  TrawlCrawl *self = TRAWL_CRAWL (object);

  g_free (self->path);
  g_clear_pointer (&self->job, trawl_job_free);
  g_clear_pointer (&self->stats, trawl_stats_free);
  g_clear_error (&self->error);
  g_free (self->nothing_fetched);

  G_OBJECT_CLASS (trawl_crawl_parent_class)->finalize (object);
}

static void
trawl_crawl_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TrawlCrawl *self = TRAWL_CRAWL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_LINKS_INDEXED:
      g_value_set_boolean (value, self->links_indexed);
      break;
    case PROP_PROBLEM:
      g_value_set_boxed (value, trawl_crawl_get_problem (self));
      break;
    case PROP_NOTHING_FETCHED:
      g_value_set_string (value, self->nothing_fetched);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_crawl_class_init (TrawlCrawlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = trawl_crawl_dispose;
  object_class->finalize = trawl_crawl_finalize;
  object_class->get_property = trawl_crawl_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A TrawlEngineState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, TRAWL_ENGINE_FAILED, TRAWL_ENGINE_READY,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Whether the crawl file has its inlinks index, built in a worker
   * thread once no crawl writes the file. */
  properties[PROP_LINKS_INDEXED] =
    g_param_spec_boolean ("links-indexed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Why the running crawl paused itself; see trawl_crawl_get_problem(). */
  properties[PROP_PROBLEM] =
    g_param_spec_boxed ("problem", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Why a finished crawl fetched no page; see trawl_crawl_get_nothing_fetched(). */
  properties[PROP_NOTHING_FETCHED] =
    g_param_spec_string ("nothing-fetched", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TrawlCrawl::stats:
   * @stats: the new snapshot, also trawl_crawl_get_stats()
   *
   * At most ten times a second while the crawl runs.
   */
  signals[SIGNAL_STATS] =
    g_signal_new ("stats", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TRAWL_TYPE_STATS | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * TrawlCrawl::pages:
   * @pages: (element-type TrawlPageEvent): URLs settled since the last
   *   emission, in a batch; they are committed to the file within a
   *   quarter of a second
   */
  signals[SIGNAL_PAGES] =
    g_signal_new ("pages", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
  /**
   * TrawlCrawl::log:
   * @level: a #TrawlLogLevel
   * @message: a sentence
   * @url: (nullable): the URL it is about
   */
  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * TrawlCrawl::finished:
   *
   * The engine ended (finished, stopped or failed) and the file is closed.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
index_thread (GTask        *task,
              gpointer      source,
              gpointer      path,
              GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;

  trawl_thread_lower_priority ();
  if (trawl_store_index_links (path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_indexed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  TrawlCrawl *self;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* A read-only file stays browsable, only inlinks are slower. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Not indexing links: %s", error->message);
      return;
    }

  self = TRAWL_CRAWL (source);
  self->links_indexed = TRUE;
  g_object_notify_by_pspec (source, properties[PROP_LINKS_INDEXED]);
}

/* Builds the inlinks index, which a crawl does not keep while it writes. */
static void
index_links (TrawlCrawl *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->links_indexed || !self->exists)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, on_indexed, NULL);
  g_task_set_source_tag (task, index_links);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, index_thread);
}

static void
set_nothing_fetched (TrawlCrawl *self,
                     char       *sentence)
{
  if (g_strcmp0 (self->nothing_fetched, sentence) == 0)
    {
      g_free (sentence);
      return;
    }
  g_free (self->nothing_fetched);
  self->nothing_fetched = sentence;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTHING_FETCHED]);
}

static void
nothing_fetched_thread (GTask        *task,
                        gpointer      source,
                        gpointer      path,
                        GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) summary = NULL;

  trawl_thread_lower_priority ();
  summary = trawl_summary_read (path, &error);
  if (summary == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, trawl_summary_dup_nothing_fetched (summary), g_free);
}

static void
on_nothing_fetched (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (GError) error = NULL;
  char *sentence = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Not reading the crawl's summary: %s", error->message);
      return;
    }
  set_nothing_fetched (TRAWL_CRAWL (source), sentence);
}

/* A finished crawl that fetched not one page says why, from its file. */
static void
find_nothing_fetched (TrawlCrawl *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->state != TRAWL_ENGINE_FINISHED || self->stats->fetched > 0)
    return;
  task = g_task_new (self, self->cancellable, on_nothing_fetched, NULL);
  g_task_set_source_tag (task, find_nothing_fetched);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, nothing_fetched_thread);
}

static void
trawl_crawl_init (TrawlCrawl *self)
{
  self->stats = trawl_stats_new ();
  self->state = TRAWL_ENGINE_READY;
}

/**
 * trawl_crawl_new:
 * @job: the settings
 * @path: the crawl file to create; it must not exist
 * @error: why the job cannot run
 *
 * Returns: (transfer full) (nullable): a crawl ready to start.
 */
TrawlCrawl *
trawl_crawl_new (const TrawlJob  *job,
                 const char      *path,
                 GError         **error)
{
  TrawlCrawl *self;

  g_return_val_if_fail (job != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!trawl_job_validate (job, error))
    return NULL;

  self = g_object_new (TRAWL_TYPE_CRAWL, NULL);
  self->path = g_strdup (path);
  self->job = trawl_job_copy (job);
  return self;
}

static void
read_last_sample (TrawlCrawl *self,
                  sqlite3    *db)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT time, elapsed, discovered, queued, fetched, failed, skipped, "
                          "status_2xx, status_3xx, status_4xx, status_5xx, bytes, pages_per_second "
                          "FROM samples ORDER BY time DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TrawlStats *s = self->stats;

      s->time = sqlite3_column_double (stmt, 0);
      s->elapsed = sqlite3_column_double (stmt, 1);
      s->discovered = sqlite3_column_int64 (stmt, 2);
      s->queued = sqlite3_column_int64 (stmt, 3);
      s->fetched = sqlite3_column_int64 (stmt, 4);
      s->failed = sqlite3_column_int64 (stmt, 5);
      s->skipped = sqlite3_column_int64 (stmt, 6);
      s->status_2xx = sqlite3_column_int64 (stmt, 7);
      s->status_3xx = sqlite3_column_int64 (stmt, 8);
      s->status_4xx = sqlite3_column_int64 (stmt, 9);
      s->status_5xx = sqlite3_column_int64 (stmt, 10);
      s->bytes = sqlite3_column_int64 (stmt, 11);
      /* Nothing runs in a file on disk. */
      s->in_flight = 0;
      s->pages_per_second = 0;
      s->eta = -1;
    }
  sqlite3_finalize (stmt);
}

/**
 * trawl_crawl_open:
 * @path: a crawl file
 * @error: why it cannot be opened, as a sentence
 *
 * Opens a crawl file made earlier, finished or not.  Nothing is written to
 * it until trawl_crawl_start() continues it.
 *
 * Returns: (transfer full) (nullable): the crawl.
 */
TrawlCrawl *
trawl_crawl_open (const char  *path,
                  GError     **error)
{
  g_autoptr (TrawlCrawl) self = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *job_text = NULL;
  g_autofree char *state = NULL;
  TrawlStore *store;

  g_return_val_if_fail (path != NULL, NULL);

  store = trawl_store_open (path, TRAWL_STORE_READ, error);
  if (store == NULL)
    return NULL;

  self = g_object_new (TRAWL_TYPE_CRAWL, NULL);
  self->path = g_strdup (path);
  self->exists = TRUE;

  job_text = trawl_store_get_meta (store, "job");
  state = trawl_store_get_meta (store, "state");
  if (job_text != NULL)
    self->job = trawl_job_load_data (job_text, &local_error);
  if (self->job == NULL)
    {
      if (local_error != NULL)
        g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                     _("“%s” holds no usable crawl settings: %s"), path, local_error->message);
      else
        g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                     _("“%s” holds no usable crawl settings"), path);
      trawl_store_free (store);
      return NULL;
    }

  read_last_sample (self, trawl_store_get_db (store));
  /* 0 in a file from before extraction, which has no items table. */
  self->stats->items = MAX (0, trawl_store_query_int (store, "SELECT count(*) FROM items"));
  trawl_store_free (store);

  if (g_strcmp0 (state, "finished") == 0)
    self->state = TRAWL_ENGINE_FINISHED;
  else if (g_strcmp0 (state, "failed") == 0)
    self->state = TRAWL_ENGINE_FAILED;
  else
    {
      /* "stopped", or "running" in a file whose process died. */
      self->state = TRAWL_ENGINE_STOPPED;
      self->interrupted = g_strcmp0 (state, "stopped") != 0;
    }

  index_links (self);
  find_nothing_fetched (self);
  return g_steal_pointer (&self);
}

const char *
trawl_crawl_get_path (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);
  return self->path;
}

/**
 * trawl_crawl_get_job:
 * @self: a crawl
 *
 * Returns: (transfer none): the settings the crawl runs with.
 */
const TrawlJob *
trawl_crawl_get_job (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);
  return self->job;
}

/**
 * trawl_crawl_add_secrets:
 * @self: a crawl
 * @found: its job, with the values of its keyring items looked up
 *
 * Gives the crawl the secrets it needs to continue, so that
 * trawl_crawl_start() need not ask the keyring.
 */
void
trawl_crawl_add_secrets (TrawlCrawl     *self,
                         const TrawlJob *found)
{
  g_return_if_fail (TRAWL_IS_CRAWL (self));
  g_return_if_fail (found != NULL);

  trawl_job_add_secrets_from (self->job, found);
}

TrawlEngineState
trawl_crawl_get_state (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), TRAWL_ENGINE_READY);
  return self->state;
}

/**
 * trawl_crawl_get_state_label:
 * @self: a crawl
 *
 * Returns: how the crawl stands, for people: "Running", "Interrupted"…
 */
const char *
trawl_crawl_get_state_label (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);

  if (self->state == TRAWL_ENGINE_PAUSED && trawl_crawl_get_problem (self) != NULL)
    return _("Disk Full");
  if (self->state == TRAWL_ENGINE_STOPPED && self->interrupted)
    return _("Interrupted");
  return trawl_engine_state_get_label (self->state);
}

/**
 * trawl_crawl_get_nothing_fetched:
 * @self: a crawl
 *
 * Set, and notified, a moment after a crawl finishes (or is opened)
 * having fetched no page at all: the site could not be reached, or
 * robots.txt refused every URL.
 *
 * Returns: (nullable): why, as a sentence: "No page could be fetched.
 *   The server refused the connection."
 */
const char *
trawl_crawl_get_nothing_fetched (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);
  return self->nothing_fetched;
}

/**
 * trawl_crawl_get_stats:
 * @self: a crawl
 *
 * Returns: (transfer none): the latest snapshot; for a file opened from
 *   disk, its last stored sample.
 */
const TrawlStats *
trawl_crawl_get_stats (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);
  return self->stats;
}

/**
 * trawl_crawl_get_error:
 * @self: a crawl
 *
 * Returns: (transfer none) (nullable): why the crawl failed or could not
 *   start.
 */
const GError *
trawl_crawl_get_error (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);
  return self->error;
}

/**
 * trawl_crawl_get_problem:
 * @self: a crawl
 *
 * Returns: (transfer none) (nullable): why the running crawl paused
 *   itself: %TRAWL_STORE_ERROR_FULL when the disk is full.
 *   trawl_crawl_unpause() tries again.
 */
const GError *
trawl_crawl_get_problem (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), NULL);
  return self->engine != NULL ? trawl_engine_get_problem (self->engine) : NULL;
}

/**
 * trawl_crawl_get_links_indexed:
 * @self: a crawl
 *
 * Returns: whether inlinks can be looked up by index; until then (while a
 *   crawl writes the file, and for a moment after) they need a scan.
 */
gboolean
trawl_crawl_get_links_indexed (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), FALSE);
  return self->links_indexed;
}

/**
 * trawl_crawl_is_active:
 * @self: a crawl
 *
 * Returns: whether the engine is running, paused or stopping.
 */
gboolean
trawl_crawl_is_active (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), FALSE);
  return self->state == TRAWL_ENGINE_RUNNING ||
         self->state == TRAWL_ENGINE_PAUSED ||
         self->state == TRAWL_ENGINE_STOPPING;
}

/**
 * trawl_crawl_can_continue:
 * @self: a crawl
 *
 * Returns: whether trawl_crawl_start() would start or resume it: it is new,
 *   or it was stopped or interrupted.
 */
gboolean
trawl_crawl_can_continue (TrawlCrawl *self)
{
  g_return_val_if_fail (TRAWL_IS_CRAWL (self), FALSE);
  return self->state == TRAWL_ENGINE_READY || self->state == TRAWL_ENGINE_STOPPED;
}

static void
on_engine_state (TrawlEngine *engine,
                 GParamSpec  *pspec,
                 TrawlCrawl  *self)
{
  set_state (self, trawl_engine_get_state (engine));
}

static void
on_engine_problem (TrawlEngine *engine,
                   GParamSpec  *pspec,
                   TrawlCrawl  *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
on_engine_stats (TrawlEngine *engine,
                 TrawlStats  *stats,
                 TrawlCrawl  *self)
{
  trawl_stats_free (self->stats);
  self->stats = trawl_stats_copy (stats);
  g_signal_emit (self, signals[SIGNAL_STATS], 0, self->stats);
}

static void
on_engine_pages (TrawlEngine *engine,
                 GPtrArray   *pages,
                 TrawlCrawl  *self)
{
  g_signal_emit (self, signals[SIGNAL_PAGES], 0, pages);
}

static void
on_engine_log (TrawlEngine *engine,
               int          level,
               const char  *message,
               const char  *url,
               TrawlCrawl  *self)
{
  g_signal_emit (self, signals[SIGNAL_LOG], 0, level, message, url);
}

static void
on_engine_finished (TrawlEngine *engine,
                    TrawlCrawl  *self)
{
  const GError *error = trawl_engine_get_error (engine);

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  self->interrupted = FALSE;
  set_state (self, trawl_engine_get_state (engine));
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
  index_links (self);
  find_nothing_fetched (self);
}

/**
 * trawl_crawl_start:
 * @self: a crawl that trawl_crawl_can_continue()
 * @error: why it cannot start: the file cannot be created or opened
 *
 * Starts a new crawl, or continues a stopped or interrupted one where it
 * ended.  The engine runs in its own thread; this returns at once, unless
 * the job refers to keyring items it does not know yet (see
 * trawl_crawl_add_secrets()), which are then looked up, blocking.
 *
 * Returns: whether the engine started
 */
gboolean
trawl_crawl_start (TrawlCrawl  *self,
                   GError     **error)
{
  g_autoptr (TrawlEngine) engine = NULL;

  g_return_val_if_fail (TRAWL_IS_CRAWL (self), FALSE);
  g_return_val_if_fail (trawl_crawl_can_continue (self), FALSE);

  if (self->exists)
    engine = trawl_engine_new_resume (self->path, self->job, error);
  else
    engine = trawl_engine_new (self->job, self->path, error);
  if (engine == NULL)
    return FALSE;

  /* Continuing drops the index; a late one must not be taken for it. */
  g_cancellable_cancel (self->cancellable);
  if (self->links_indexed)
    {
      self->links_indexed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINKS_INDEXED]);
    }

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_object (&self->engine, engine);
  self->exists = TRUE;
  g_clear_error (&self->error);
  set_nothing_fetched (self, NULL);

  g_signal_connect_object (engine, "notify::state", G_CALLBACK (on_engine_state), self, 0);
  g_signal_connect_object (engine, "notify::problem", G_CALLBACK (on_engine_problem), self, 0);
  g_signal_connect_object (engine, "stats", G_CALLBACK (on_engine_stats), self, 0);
  g_signal_connect_object (engine, "pages", G_CALLBACK (on_engine_pages), self, 0);
  g_signal_connect_object (engine, "log", G_CALLBACK (on_engine_log), self, 0);
  g_signal_connect_object (engine, "finished", G_CALLBACK (on_engine_finished), self, 0);
  /* The window is drawn in this process and goes first. */
  trawl_engine_set_background (engine, TRUE);
  trawl_engine_start (engine);
  /* A continued crawl reads its settings from the file; the speed may
   * have been changed since, live, and goes on as it was left.  (The
   * engine takes controls once it runs.) */
  trawl_engine_set_concurrency (engine, self->job->concurrency, self->job->per_host);
  trawl_engine_set_delay (engine, self->job->delay);
  set_state (self, trawl_engine_get_state (engine));
  return TRUE;
}

void
trawl_crawl_pause (TrawlCrawl *self)
{
  g_return_if_fail (TRAWL_IS_CRAWL (self));

  if (self->engine != NULL && self->state == TRAWL_ENGINE_RUNNING)
    {
      trawl_engine_pause (self->engine);
      set_state (self, TRAWL_ENGINE_PAUSED);
    }
}

void
trawl_crawl_unpause (TrawlCrawl *self)
{
  g_return_if_fail (TRAWL_IS_CRAWL (self));

  if (self->engine != NULL && self->state == TRAWL_ENGINE_PAUSED)
    {
      trawl_engine_resume (self->engine);
      /* After a full disk it runs again only once a write gets through. */
      if (trawl_engine_get_problem (self->engine) == NULL)
        set_state (self, TRAWL_ENGINE_RUNNING);
    }
}

/**
 * trawl_crawl_stop:
 * @self: a crawl
 *
 * Stops starting requests; those in flight finish and are saved, then
 * ::finished is emitted.  trawl_crawl_start() continues it later.
 */
void
trawl_crawl_stop (TrawlCrawl *self)
{
  g_return_if_fail (TRAWL_IS_CRAWL (self));

  if (self->engine != NULL && trawl_crawl_is_active (self))
    {
      trawl_engine_stop (self->engine);
      set_state (self, TRAWL_ENGINE_STOPPING);
    }
}

void
trawl_crawl_set_concurrency (TrawlCrawl *self,
                             int         concurrency,
                             int         per_host)
{
  g_return_if_fail (TRAWL_IS_CRAWL (self));

  self->job->concurrency = concurrency;
  self->job->per_host = per_host;
  if (self->engine != NULL)
    trawl_engine_set_concurrency (self->engine, concurrency, per_host);
}

void
trawl_crawl_set_delay (TrawlCrawl *self,
                       double      delay)
{
  g_return_if_fail (TRAWL_IS_CRAWL (self));

  self->job->delay = delay;
  if (self->engine != NULL)
    trawl_engine_set_delay (self->engine, delay);
}
