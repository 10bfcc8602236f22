/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-engine.c — the crawler, in its own thread.
 *
 * TrawlEngine is created on the observer's thread (the GUI's or the CLI's)
 * and does all its work in a thread of its own with its own GMainContext:
 * the frontier, the fetcher's requests and every decision about URLs live
 * there and are never touched by another thread.  HTML is parsed in a
 * GThreadPool whose results come back to the engine's context, and
 * everything the crawl learns is written by the store's writer thread.
 *
 * Observers get three signals, always on the context the engine was made
 * on: ::stats at most ten times a second, ::pages with the URLs settled
 * since the last one, and ::log with records worth a person's attention.
 * The control methods (pause, stop, change the speed) may be called from
 * that thread at any time; they are forwarded to the engine's thread.
 */
#define G_LOG_DOMAIN "trawl-engine"

#include "config.h"

#include "trawl-engine.h"
#include "trawl-extract.h"
#include "trawl-fetcher.h"
#include "trawl-frontier.h"
#include "trawl-parser.h"
#include "trawl-robots.h"
#include "trawl-secrets.h"
#include "trawl-sitemap.h"
#include "trawl-thread.h"
#include "trawl-url.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

/* Observers hear from the engine at most this often. */
#define TICK_MS 100
/* The stats timeline gets a sample this often. */
#define SAMPLE_USEC G_USEC_PER_SEC
/* Back-pressure: stop starting requests while the writer or the parsers
 * have this much work waiting. */
#define MAX_WRITER_BACKLOG 20000
#define PARSE_BACKLOG_PER_THREAD 32
/* Retry-After values above this are clamped, so one header cannot park a
 * host for days. */
#define MAX_RETRY_AFTER 300.0
/* Pages/s is averaged over this window. */
#define RATE_WINDOW 50

/* Why a URL was not fetched.  "Soft" reasons depend on how the URL was
 * linked, so the URL may still be crawled when another link leads to it. */
#define REASON_ROBOTS "robots"
#define REASON_SCOPE "out-of-scope"
#define REASON_EXCLUDED "excluded"
#define REASON_TOO_LONG "url-too-long"
#define REASON_TOO_DEEP "too-deep"
#define REASON_NOFOLLOW "nofollow"
#define REASON_RESOURCE "resource"
#define REASON_LIST_MODE "list-mode"
#define REASON_TOO_LARGE "too-large"
#define REASON_TRUNCATED "truncated"
#define REASON_REDIRECTS "too-many-redirects"
#define REASON_NETWORK "network"
#define REASON_PRIVATE "private-address"
#define REASON_TLS "tls"
#define REASON_NO_SITEMAP "sitemap-unavailable"

/* Whether a fetch failed on the crawl's own terms: an address that
 * block_private refuses, or a certificate that is not trusted.  Trying
 * again would fail the same way. */
static gboolean
is_refusal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
         g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

/* The reason stored for a URL that got no response. */
static const char *
failure_reason (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return REASON_PRIVATE;
  if (error != NULL && error->domain == G_TLS_ERROR)
    return REASON_TLS;
  return REASON_NETWORK;
}

static gboolean
reason_is_soft (const char *reason)
{
  return reason != NULL &&
         (strcmp (reason, REASON_TOO_DEEP) == 0 || strcmp (reason, REASON_NOFOLLOW) == 0 ||
          strcmp (reason, REASON_RESOURCE) == 0 || strcmp (reason, REASON_LIST_MODE) == 0);
}

struct _TrawlEngine
{
  GObject           parent_instance;

  /* Set before the thread starts, then read-only. */
  TrawlJob         *job;            /* owned; delay and concurrency change live */
  char             *path;           /* owned */
  GMainContext     *owner_context;  /* owned */
  TrawlStore       *store;          /* owned; its writer thread runs once started */
  gboolean          resuming;
  gboolean          background;     /* its threads give way to the caller's */
  GRegex          **include;        /* owned, NULL-terminated */
  GRegex          **exclude;        /* owned, NULL-terminated */
  TrawlExtractor   *extractor;      /* owned, nullable: the job's rules, shared by the parser pool */
  char            **start_hosts;    /* owned; lower-case host names */

  /* Engine thread only. */
  GThread          *thread;         /* owned */
  GMainContext     *context;        /* owned */
  GMainLoop        *loop;           /* owned */
  TrawlFrontier    *frontier;       /* owned */
  TrawlFrontier    *soft_seen;      /* owned; URLs skipped for soft reasons */
  TrawlFetcher     *fetcher;        /* owned */
  sqlite3          *reader;         /* owned, nullable; reads spilled frontier rows */
  GThreadPool      *parsers;        /* owned */
  GCancellable     *cancellable;    /* owned */
  GSource          *wake_source;    /* owned, nullable */
  guint             parse_limit;
  gint64            next_id;
  guint             in_flight;
  guint             parsing;
  gboolean          paused;
  gboolean          write_blocked;  /* paused because the disk is full */
  gboolean          stopping;
  gboolean          schedule_pending;
  gint64            started_us;
  gint64            last_sample_us;
  gint64            paused_us;      /* time spent paused, not counted as running */
  gint64            pause_began_us;
  TrawlStats       *counters;       /* owned; hosts unused */
  gint64            rate_time[RATE_WINDOW];
  gint64            rate_count[RATE_WINDOW];
  guint             rate_pos;
  TrawlStoreUnit   *log_unit;       /* owned, nullable; log records not yet submitted */
  TrawlEngineState  final_state;

  /* Shared with the owner's thread, under lock. */
  GMutex            lock;
  TrawlEngineState  state;
  GError           *error;          /* owned, nullable */
  GError           *problem;        /* owned, nullable: why the crawl paused itself */
  gboolean          problem_changed;
  TrawlStats       *stats;          /* owned; the latest snapshot */
  GPtrArray        *pending_pages;  /* owned, of TrawlPageEvent* */
  GPtrArray        *pending_logs;   /* owned, of LogRecord* */
  gboolean          delivery_pending;
  gboolean          stats_pending;
  gboolean          finished_pending;

  /* Owner's thread only. */
  GError           *shown_problem;  /* owned, nullable: the problem observers were told of */
};

typedef struct {
  TrawlLogLevel level;
  char         *message;
  char         *url;
} LogRecord;

enum {
  PROP_0,
  PROP_STATE,
  PROP_PROBLEM,
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

G_DEFINE_FINAL_TYPE (TrawlEngine, trawl_engine, G_TYPE_OBJECT)

static void schedule (TrawlEngine *self);
static void maybe_finish (TrawlEngine *self);

const char *
trawl_engine_state_to_string (TrawlEngineState state)
{
  static const char *const names[] = {
    "ready", "running", "paused", "stopping", "finished", "stopped", "failed",
  };

  g_return_val_if_fail (state <= TRAWL_ENGINE_FAILED, "unknown");
  return names[state];
}

/**
 * trawl_engine_state_from_string:
 * @name: a state's name in a crawl file, as trawl_engine_state_to_string()
 *   gives it
 * @state: (out): the state
 *
 * Returns: whether @name is a state's name
 */
gboolean
trawl_engine_state_from_string (const char       *name,
                                TrawlEngineState *state)
{
  for (TrawlEngineState s = TRAWL_ENGINE_READY; s <= TRAWL_ENGINE_FAILED; s++)
    if (g_strcmp0 (name, trawl_engine_state_to_string (s)) == 0)
      {
        *state = s;
        return TRUE;
      }
  return FALSE;
}

/**
 * trawl_engine_state_get_label:
 * @state: a state
 *
 * Returns: the state as a person reads it, translated: "Running",
 *   "Finished"…
 */
const char *
trawl_engine_state_get_label (TrawlEngineState state)
{
  switch (state)
    {
    case TRAWL_ENGINE_READY:
      return _("Not started");
    case TRAWL_ENGINE_RUNNING:
      return _("Running");
    case TRAWL_ENGINE_PAUSED:
      return _("Paused");
    case TRAWL_ENGINE_STOPPING:
      return _("Stopping");
    case TRAWL_ENGINE_FINISHED:
      return _("Finished");
    case TRAWL_ENGINE_STOPPED:
      return _("Stopped");
    case TRAWL_ENGINE_FAILED:
    default:
      return _("Failed");
    }
}

void
trawl_page_event_free (TrawlPageEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->url);
  g_free (event->reason);
  g_free (event->content_type);
  g_free (event->title);
  g_free (event);
}

static void
log_record_free (gpointer data)
{
  LogRecord *record = data;

  g_free (record->message);
  g_free (record->url);
  g_free (record);
}

static void
free_regexes (GRegex **regexes)
{
  for (guint i = 0; regexes && regexes[i]; i++)
    g_regex_unref (regexes[i]);
  g_free (regexes);
}

static GRegex **
compile_regexes (char **patterns)
{
  guint n = patterns ? g_strv_length (patterns) : 0;
  GRegex **regexes = g_new0 (GRegex *, n + 1);

  /* The job was validated, so every pattern compiles. */
  for (guint i = 0; i < n; i++)
    regexes[i] = g_regex_new (patterns[i], G_REGEX_OPTIMIZE, 0, NULL);

  return regexes;
}

static void
trawl_engine_finalize (GObject *object)
{
  TrawlEngine *self = TRAWL_ENGINE (object);

  /* The thread holds a reference while it runs.  When it drops the last
   * one it is finishing and cannot join itself; otherwise it has ended or
   * is about to, and joining waits for that. */
  if (self->thread == g_thread_self ())
    g_thread_unref (self->thread);
  else if (self->thread != NULL)
    g_thread_join (self->thread);

  trawl_store_free (self->store);
  trawl_job_free (self->job);
  free_regexes (self->include);
  free_regexes (self->exclude);
  g_clear_pointer (&self->extractor, trawl_extractor_free);
  g_strfreev (self->start_hosts);
  g_free (self->path);
  g_main_context_unref (self->owner_context);
  g_clear_pointer (&self->stats, trawl_stats_free);
  g_clear_pointer (&self->counters, trawl_stats_free);
  g_clear_pointer (&self->pending_pages, g_ptr_array_unref);
  g_clear_pointer (&self->pending_logs, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_error (&self->problem);
  g_clear_error (&self->shown_problem);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (trawl_engine_parent_class)->finalize (object);
}

static void
trawl_engine_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TrawlEngine *self = TRAWL_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, trawl_engine_get_state (self));
      break;
    case PROP_PROBLEM:
      g_value_set_boxed (value, self->shown_problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_engine_class_init (TrawlEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = trawl_engine_finalize;
  object_class->get_property = trawl_engine_get_property;

  /**
   * TrawlEngine:state:
   *
   * The #TrawlEngineState, notified on the owner's context.
   */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      TRAWL_ENGINE_READY, TRAWL_ENGINE_FAILED, TRAWL_ENGINE_READY,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * TrawlEngine:problem: (nullable)
   *
   * Why the crawl paused itself, notified on the owner's context: a
   * %TRAWL_STORE_ERROR_FULL while the disk is full; see
   * trawl_engine_get_problem().
   */
  properties[PROP_PROBLEM] =
    g_param_spec_boxed ("problem", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TrawlEngine::stats:
   * @stats: a #TrawlStats snapshot
   *
   * A snapshot of the crawl, at most ten times a second.
   */
  signals[SIGNAL_STATS] =
    g_signal_new ("stats", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, TRAWL_TYPE_STATS | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * TrawlEngine::pages:
   * @pages: (element-type TrawlPageEvent): the URLs settled since the
   *   last emission
   */
  signals[SIGNAL_PAGES] =
    g_signal_new ("pages", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);

  /**
   * TrawlEngine::log:
   * @level: a #TrawlLogLevel
   * @message: a sentence
   * @url: (nullable): the URL it is about
   */
  signals[SIGNAL_LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * TrawlEngine::finished:
   *
   * The crawl ended (finished, stopped or failed) and the crawl file is
   * complete and closed.  Emitted once, after the last ::stats.
   */
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /* libxml2 must be set up once, before threads use it. */
  xmlInitParser ();
}

static void
trawl_engine_init (TrawlEngine *self)
{
  g_mutex_init (&self->lock);
  self->owner_context = g_main_context_ref_thread_default ();
  self->stats = trawl_stats_new ();
  self->counters = trawl_stats_new ();
  self->pending_pages = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_page_event_free);
  self->pending_logs = g_ptr_array_new_with_free_func (log_record_free);
  self->next_id = 1;
}

static void
setup_scope (TrawlEngine *self)
{
  GPtrArray *hosts = g_ptr_array_new ();

  for (guint i = 0; self->job->start_urls && self->job->start_urls[i]; i++)
    {
      g_autofree char *canonical = trawl_url_canonicalize (self->job->start_urls[i], NULL);
      char *host = canonical ? trawl_url_get_host (canonical) : NULL;

      if (host != NULL)
        g_ptr_array_add (hosts, host);
    }
  g_ptr_array_add (hosts, NULL);
  self->start_hosts = (char **) g_ptr_array_free (hosts, FALSE);
  self->include = compile_regexes (self->job->include);
  self->exclude = compile_regexes (self->job->exclude);
  /* The job was validated, so its rules compile. */
  if (self->job->extract != NULL && self->job->extract[0] != NULL)
    self->extractor = trawl_extractor_new ((const char *const *) self->job->extract, NULL);
}

/**
 * trawl_engine_new:
 * @job: what to crawl
 * @path: the crawl file to create
 * @error: return location for a #GError
 *
 * Validates @job and creates the crawl file, so that a bad URL, a bad
 * pattern or an unwritable file is reported before anything starts.  The
 * keyring items @job refers to are looked up unless @job knows their
 * values already (as the window's jobs do), which blocks.
 *
 * Returns: (transfer full) (nullable): a ready engine, or %NULL.
 */
TrawlEngine *
trawl_engine_new (const TrawlJob  *job,
                  const char      *path,
                  GError         **error)
{
  g_autoptr (TrawlEngine) self = NULL;
  g_autoptr (TrawlStoreUnit) unit = NULL;
  g_autofree char *job_text = NULL;

  g_return_val_if_fail (job != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (!trawl_job_validate (job, error))
    return NULL;

  self = g_object_new (TRAWL_TYPE_ENGINE, NULL);
  self->job = trawl_job_copy (job);
  if (!trawl_secrets_lookup_sync (self->job, NULL, error) || !trawl_job_check_secrets (self->job, error))
    return NULL;
  self->path = g_strdup (path);
  self->store = trawl_store_open (path, TRAWL_STORE_CREATE, error);
  if (self->store == NULL)
    return NULL;

  setup_scope (self);
  return g_steal_pointer (&self);
}

/**
 * trawl_engine_new_resume:
 * @path: a crawl file
 * @given: (nullable): what is known of the crawl's secrets: the values of
 *   its keyring items, and the plain-text password and headers its crawl
 *   file withheld (see trawl_job_add_secrets_from())
 * @error: return location for a #GError
 *
 * Opens an interrupted or stopped crawl to continue it with the job it was
 * started with.  Nothing fetched and committed is fetched again; every URL
 * still queued, or in flight when the crawl was interrupted, is.  Keyring
 * items that @given does not know are looked up, which blocks.
 *
 * Returns: (transfer full) (nullable): a ready engine, or %NULL.
 */
TrawlEngine *
trawl_engine_new_resume (const char      *path,
                         const TrawlJob  *given,
                         GError         **error)
{
  g_autoptr (TrawlEngine) self = NULL;
  g_autofree char *job_text = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_ENGINE, NULL);
  self->path = g_strdup (path);
  self->resuming = TRUE;
  self->store = trawl_store_open (path, TRAWL_STORE_RESUME, error);
  if (self->store == NULL)
    return NULL;

  job_text = trawl_store_get_meta (self->store, "job");
  if (job_text == NULL)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("“%s” holds no crawl settings, so it cannot be resumed"), path);
      return NULL;
    }

  self->job = trawl_job_load_data (job_text, &local_error);
  if (self->job == NULL)
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("The crawl settings in “%s” are damaged: %s"), path, local_error->message);
      return NULL;
    }
  /* Settings that were good when the crawl began may not be now: a CA
   * file that was deleted since, say. */
  if (!trawl_job_validate (self->job, &local_error))
    {
      g_set_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL,
                   _("The crawl in “%s” cannot go on: %s"), path, local_error->message);
      return NULL;
    }
  if (given != NULL)
    trawl_job_add_secrets_from (self->job, given);
  if (!trawl_secrets_lookup_sync (self->job, NULL, error) || !trawl_job_check_secrets (self->job, error))
    return NULL;

  setup_scope (self);
  return g_steal_pointer (&self);
}

const TrawlJob *
trawl_engine_get_job (TrawlEngine *self)
{
  g_return_val_if_fail (TRAWL_IS_ENGINE (self), NULL);
  return self->job;
}

const char *
trawl_engine_get_path (TrawlEngine *self)
{
  g_return_val_if_fail (TRAWL_IS_ENGINE (self), NULL);
  return self->path;
}

TrawlEngineState
trawl_engine_get_state (TrawlEngine *self)
{
  TrawlEngineState state;

  g_return_val_if_fail (TRAWL_IS_ENGINE (self), TRAWL_ENGINE_READY);

  g_mutex_lock (&self->lock);
  state = self->state;
  g_mutex_unlock (&self->lock);
  return state;
}

/**
 * trawl_engine_get_error:
 * @self: an engine
 *
 * Returns: (transfer none) (nullable): why the crawl failed, once it has.
 *   Read it after ::finished.
 */
const GError *
trawl_engine_get_error (TrawlEngine *self)
{
  g_return_val_if_fail (TRAWL_IS_ENGINE (self), NULL);
  return self->error;
}

/**
 * trawl_engine_get_problem:
 * @self: an engine
 *
 * The crawl pauses itself when the disk is full (%TRAWL_STORE_ERROR_FULL):
 * nothing fetched is lost, and trawl_engine_resume() tries to write again,
 * going on when that works.  Read it on the owner's context, where
 * #TrawlEngine:problem is notified; #TrawlEngine:state is notified first.
 *
 * Returns: (transfer none) (nullable): why the crawl paused itself, or
 *   %NULL
 */
const GError *
trawl_engine_get_problem (TrawlEngine *self)
{
  g_return_val_if_fail (TRAWL_IS_ENGINE (self), NULL);
  return self->shown_problem;
}

/**
 * trawl_engine_get_stats:
 * @self: an engine
 *
 * Returns: (transfer full): the latest snapshot.
 */
TrawlStats *
trawl_engine_get_stats (TrawlEngine *self)
{
  TrawlStats *copy;

  g_return_val_if_fail (TRAWL_IS_ENGINE (self), NULL);

  g_mutex_lock (&self->lock);
  copy = trawl_stats_copy (self->stats);
  g_mutex_unlock (&self->lock);
  return copy;
}

/* Runs @func later on @context's thread.  Unlike g_main_context_invoke(),
 * never runs it at once on the calling thread, which may hold our lock or
 * be a parser thread. */
static void
defer_to (GMainContext   *context,
          int             priority,
          GSourceFunc     func,
          gpointer        data,
          GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, context);
  g_source_unref (source);
}

/* Delivery to observers, on the owner's context. */

static gboolean
deliver (gpointer user_data)
{
  TrawlEngine *self = user_data;
  g_autoptr (TrawlStats) stats = NULL;
  g_autoptr (GPtrArray) pages = NULL;
  g_autoptr (GPtrArray) logs = NULL;
  TrawlEngineState state;
  gboolean finished;
  gboolean state_changed;
  gboolean problem_changed;
  gboolean new_stats;

  g_mutex_lock (&self->lock);
  stats = trawl_stats_copy (self->stats);
  pages = g_steal_pointer (&self->pending_pages);
  logs = g_steal_pointer (&self->pending_logs);
  self->pending_pages = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_page_event_free);
  self->pending_logs = g_ptr_array_new_with_free_func (log_record_free);
  self->delivery_pending = FALSE;
  new_stats = self->stats_pending;
  self->stats_pending = FALSE;
  finished = self->finished_pending;
  self->finished_pending = FALSE;
  state = self->state;
  problem_changed = self->problem_changed;
  if (problem_changed)
    {
      g_clear_error (&self->shown_problem);
      self->shown_problem = self->problem ? g_error_copy (self->problem) : NULL;
      self->problem_changed = FALSE;
    }
  g_mutex_unlock (&self->lock);

  state_changed = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (self), "trawl-notified-state")) != (int) state + 1;
  if (state_changed)
    {
      g_object_set_data (G_OBJECT (self), "trawl-notified-state", GINT_TO_POINTER (state + 1));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (problem_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);

  for (guint i = 0; i < logs->len; i++)
    {
      LogRecord *record = logs->pdata[i];

      g_signal_emit (self, signals[SIGNAL_LOG], 0, record->level, record->message, record->url);
    }
  if (pages->len > 0)
    g_signal_emit (self, signals[SIGNAL_PAGES], 0, pages);
  if (new_stats)
    g_signal_emit (self, signals[SIGNAL_STATS], 0, stats);
  if (finished)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);

  return G_SOURCE_REMOVE;
}

/* Called with the lock held. */
static void
request_delivery_locked (TrawlEngine *self)
{
  if (self->delivery_pending)
    return;
  self->delivery_pending = TRUE;
  defer_to (self->owner_context, G_PRIORITY_DEFAULT, deliver, g_object_ref (self), g_object_unref);
}

static void
set_state (TrawlEngine      *self,
           TrawlEngineState  state)
{
  g_mutex_lock (&self->lock);
  self->state = state;
  request_delivery_locked (self);
  g_mutex_unlock (&self->lock);
}

static void
set_problem (TrawlEngine  *self,
             const GError *problem)
{
  g_mutex_lock (&self->lock);
  g_clear_error (&self->problem);
  self->problem = problem ? g_error_copy (problem) : NULL;
  self->problem_changed = TRUE;
  request_delivery_locked (self);
  g_mutex_unlock (&self->lock);
}

/* The problem and the state it puts the crawl in, in one step: a
 * delivery between two steps would show the window or trawl-cli a crawl
 * whose disk has room again while it is still paused. */
static void
set_problem_and_state (TrawlEngine      *self,
                       const GError     *problem,
                       TrawlEngineState  state)
{
  g_mutex_lock (&self->lock);
  g_clear_error (&self->problem);
  self->problem = problem ? g_error_copy (problem) : NULL;
  self->problem_changed = TRUE;
  self->state = state;
  request_delivery_locked (self);
  g_mutex_unlock (&self->lock);
}

/* Engine thread: logging, stats, storage. */

static double
now_unix (void)
{
  return g_get_real_time () / (double) G_USEC_PER_SEC;
}

static void G_GNUC_PRINTF (4, 5)
engine_log (TrawlEngine   *self,
            TrawlLogLevel  level,
            const char    *url,
            const char    *format,
            ...)
{
  g_autofree char *message = NULL;
  LogRecord *record;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (self->log_unit == NULL)
    self->log_unit = trawl_store_unit_new ();
  trawl_store_unit_add_log (self->log_unit, now_unix (), level, message, url);

  record = g_new0 (LogRecord, 1);
  record->level = level;
  record->message = g_steal_pointer (&message);
  record->url = g_strdup (url);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending_logs, record);
  g_mutex_unlock (&self->lock);
}

/* Log records ride along with the next unit, or go alone at the next
 * tick, so that logging never costs a transaction of its own. */
static void
submit (TrawlEngine    *self,
        TrawlStoreUnit *unit)
{
  trawl_store_submit (self->store, unit);
}

static void
flush_log (TrawlEngine *self)
{
  if (self->log_unit != NULL)
    submit (self, g_steal_pointer (&self->log_unit));
}

static void
emit_page (TrawlEngine           *self,
           gint64                 id,
           const char            *url,
           TrawlUrlState          state,
           const char            *reason,
           const TrawlPageRecord *page)
{
  TrawlPageEvent *event = g_new0 (TrawlPageEvent, 1);

  event->id = id;
  event->url = g_strdup (url);
  event->state = state;
  event->reason = g_strdup (reason);
  if (page != NULL)
    {
      event->status = page->status;
      event->content_type = g_strdup (page->content_type);
      event->title = g_strdup (page->title);
      event->bytes = page->bytes;
      event->depth = page->depth;
      event->fetch_ms = page->fetch_ms;
    }

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->pending_pages, event);
  g_mutex_unlock (&self->lock);
}

static double
elapsed_seconds (TrawlEngine *self,
                 gint64       now)
{
  gint64 paused = self->paused_us;

  if (self->paused)
    paused += now - self->pause_began_us;
  return (now - self->started_us - paused) / (double) G_USEC_PER_SEC;
}

static int
compare_hosts (gconstpointer a,
               gconstpointer b)
{
  const TrawlHostStats *ha = *(TrawlHostStats *const *) a;
  const TrawlHostStats *hb = *(TrawlHostStats *const *) b;

  if (ha->in_flight != hb->in_flight)
    return ha->in_flight > hb->in_flight ? -1 : 1;
  if (ha->done != hb->done)
    return ha->done > hb->done ? -1 : 1;
  return g_strcmp0 (ha->host, hb->host);
}

static TrawlStats *
make_snapshot (TrawlEngine *self,
               gint64       now)
{
  TrawlStats *stats = trawl_stats_copy (self->counters);
  GList *hosts = trawl_frontier_get_hosts (self->frontier);
  guint oldest = (self->rate_pos + 1) % RATE_WINDOW;

  stats->time = now_unix ();
  stats->elapsed = elapsed_seconds (self, now);
  stats->queued = trawl_frontier_get_queued (self->frontier);
  stats->in_flight = self->in_flight;

  /* Pages answered per second, over the window of recent ticks or since
   * the start. URLs that failed are not pages: a host that refuses every
   * connection crawls at 0 pages a second, however fast it refuses. */
  if (self->rate_time[oldest] != 0 && now > self->rate_time[oldest])
    stats->pages_per_second = (self->counters->fetched - self->rate_count[oldest]) /
                              ((now - self->rate_time[oldest]) / (double) G_USEC_PER_SEC);
  else if (stats->elapsed > 0)
    stats->pages_per_second = self->counters->fetched / stats->elapsed;

  if (self->job->max_pages > 0 && stats->pages_per_second > 0)
    stats->eta = MAX (0, self->job->max_pages - stats->fetched) / stats->pages_per_second;
  else if (stats->pages_per_second > 0 && !self->job->list_mode)
    stats->eta = -1;
  else if (self->job->list_mode && stats->pages_per_second > 0)
    stats->eta = stats->queued / stats->pages_per_second;

  for (GList *l = hosts; l != NULL; l = l->next)
    {
      TrawlHost *host = l->data;
      TrawlHostStats *hs;

      if (host->done == 0 && host->in_flight == 0 && host->queue.length == 0 && host->spilled == 0)
        continue;
      hs = g_new0 (TrawlHostStats, 1);
      hs->host = g_strdup (host->key);
      hs->in_flight = host->in_flight;
      hs->queued = host->queue.length + host->spilled;
      hs->done = host->done;
      hs->errors = host->errors;
      hs->avg_latency_ms = host->latency_count ? host->latency_sum_ms / host->latency_count : 0;
      hs->delay = MAX (host->delay, self->job->delay);
      g_ptr_array_add (stats->hosts, hs);
    }
  g_list_free (hosts);

  g_ptr_array_sort (stats->hosts, compare_hosts);
  /* Observers show the busiest hosts; a crawl of the whole web has more
   * than anyone can read. */
  if (stats->hosts->len > 100)
    g_ptr_array_set_size (stats->hosts, 100);

  return stats;
}

static void
publish_stats (TrawlEngine *self,
               gboolean     sample)
{
  gint64 now = g_get_monotonic_time ();
  TrawlStats *stats = make_snapshot (self, now);

  if (sample)
    {
      g_autoptr (TrawlStoreUnit) unit = trawl_store_unit_new ();

      trawl_store_unit_add_sample (unit, stats);
      submit (self, g_steal_pointer (&unit));
      self->last_sample_us = now;
    }

  g_mutex_lock (&self->lock);
  trawl_stats_free (self->stats);
  self->stats = stats;
  self->stats_pending = TRUE;
  request_delivery_locked (self);
  g_mutex_unlock (&self->lock);
}

/* A full disk pauses the crawl rather than ending it.  The store keeps
 * what it could not write, and what requests in flight bring in, in
 * memory; trawl_engine_resume() asks it to try again, and once a write
 * gets through the crawl goes on where it was. */
static gboolean
stopped_by_user (TrawlEngine *self)
{
  return self->stopping && self->final_state == TRAWL_ENGINE_STOPPED;
}

static void
check_writer (TrawlEngine *self,
              gint64       now)
{
  g_autoptr (GError) full = NULL;
  gboolean waiting = trawl_store_is_waiting (self->store, &full);

  /* A stop does not wait for space: what is not written is fetched
   * again when the crawl is resumed. */
  if (waiting == self->write_blocked || stopped_by_user (self))
    return;

  self->write_blocked = waiting;
  if (waiting)
    {
      if (!self->paused)
        {
          self->paused = TRUE;
          self->pause_began_us = now;
        }
      engine_log (self, TRAWL_LOG_WARNING, NULL, _("%s; the crawl is paused until there is space again"),
                  full->message);
      set_problem_and_state (self, full, TRAWL_ENGINE_PAUSED);
    }
  else
    {
      /* Only a retry, which a resume asks for, gets through. */
      self->paused = FALSE;
      self->paused_us += now - self->pause_began_us;
      engine_log (self, TRAWL_LOG_INFO, NULL, _("There is space on the disk again; the crawl goes on"));
      set_problem_and_state (self, NULL, TRAWL_ENGINE_RUNNING);
    }
}

static gboolean
on_tick (gpointer user_data)
{
  TrawlEngine *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr (GError) error = NULL;

  self->rate_pos = (self->rate_pos + 1) % RATE_WINDOW;
  self->rate_time[self->rate_pos] = now;
  self->rate_count[self->rate_pos] = self->counters->fetched;

  flush_log (self);

  check_writer (self, now);

  /* A write that failed otherwise (an I/O error, a vanished folder) ends
   * the crawl: what was committed stays consistent and can be resumed. */
  if (!self->stopping && trawl_store_get_backlog (self->store) == 0 &&
      !trawl_store_flush (self->store, &error))
    {
      g_mutex_lock (&self->lock);
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
      g_mutex_unlock (&self->lock);
      self->final_state = TRAWL_ENGINE_FAILED;
      self->stopping = TRUE;
      trawl_frontier_clear_queues (self->frontier);
    }

  if (self->job->max_time > 0 && !self->stopping &&
      elapsed_seconds (self, now) >= self->job->max_time)
    {
      engine_log (self, TRAWL_LOG_INFO, NULL, _("The time limit of %g seconds was reached"), self->job->max_time);
      self->stopping = TRUE;
      self->final_state = TRAWL_ENGINE_FINISHED;
      trawl_frontier_clear_queues (self->frontier);
    }

  /* No samples pile up in memory while nothing can be written. */
  publish_stats (self, !self->write_blocked && now - self->last_sample_us >= SAMPLE_USEC);
  schedule (self);
  maybe_finish (self);

  return G_SOURCE_CONTINUE;
}

/* URL decisions. */

static gboolean
in_scope (TrawlEngine *self,
          const char  *host)
{
  if (self->job->scope == TRAWL_SCOPE_ANY || self->job->list_mode)
    return TRUE;

  for (guint i = 0; self->start_hosts[i]; i++)
    {
      if (self->job->scope == TRAWL_SCOPE_HOST && g_ascii_strcasecmp (host, self->start_hosts[i]) == 0)
        return TRUE;
      if (self->job->scope == TRAWL_SCOPE_SITE && trawl_url_host_in_site (host, self->start_hosts[i]))
        return TRUE;
    }
  return FALSE;
}

static gboolean
matches_patterns (TrawlEngine *self,
                  const char  *url)
{
  for (guint i = 0; self->exclude[i]; i++)
    if (g_regex_match (self->exclude[i], url, 0, NULL))
      return FALSE;

  if (self->include[0] == NULL)
    return TRUE;

  for (guint i = 0; self->include[i]; i++)
    if (g_regex_match (self->include[i], url, 0, NULL))
      return TRUE;
  return FALSE;
}

static gboolean
kind_is_followed (TrawlEngine   *self,
                  TrawlLinkKind  kind)
{
  switch (kind)
    {
    case TRAWL_LINK_ANCHOR:
    case TRAWL_LINK_FRAME:
    case TRAWL_LINK_CANONICAL:
    case TRAWL_LINK_HREFLANG:
    case TRAWL_LINK_META_REFRESH:
    case TRAWL_LINK_REDIRECT:
    case TRAWL_LINK_SITEMAP:
      return TRUE;
    case TRAWL_LINK_IMAGE:
    case TRAWL_LINK_SCRIPT:
    case TRAWL_LINK_STYLESHEET:
    case TRAWL_LINK_LINK:
      return self->job->resources;
    }
  return FALSE;
}

typedef struct {
  const char    *url;        /* absolute, as found */
  TrawlLinkKind  kind;
  int            depth;
  gint64         parent_id;
  gboolean       nofollow;   /* the link or its page says nofollow */
  TrawlRequestKind request_kind;
  const TrawlRequest *from_redirect; /* the hop that redirected here, or NULL */
  gboolean       seed;       /* a start URL: crawled whatever the link rules say */
  guint64        fp;         /* its fingerprint when known already, else 0 */
} Discovery;

/* Decides what becomes of a URL seen for the first time.  Returns NULL
 * when it is to be queued, else the reason it is skipped. */
static const char *
judge (TrawlEngine     *self,
       const Discovery *d,
       const char      *host)
{
  if ((int) strlen (d->url) > self->job->max_url_length)
    return REASON_TOO_LONG;
  if (d->seed)
    return NULL;
  if (!in_scope (self, host))
    return REASON_SCOPE;
  if (!matches_patterns (self, d->url))
    return REASON_EXCLUDED;
  if (self->job->list_mode && d->kind != TRAWL_LINK_REDIRECT)
    return REASON_LIST_MODE;
  if (d->nofollow && !self->job->follow_nofollow)
    return REASON_NOFOLLOW;
  if (!kind_is_followed (self, d->kind))
    return REASON_RESOURCE;
  if (self->job->max_depth >= 0 && d->depth > self->job->max_depth)
    return REASON_TOO_DEEP;
  return NULL;
}

/* Records one discovered URL: its link, and if it is new, its row and its
 * place in the frontier.  Returns the fingerprint, or 0 for a URL that
 * cannot be canonicalised (it is then ignored). */
static guint64
discover (TrawlEngine     *self,
          TrawlStoreUnit  *unit,
          const Discovery *d,
          gboolean        *queued)
{
  g_autofree char *canonical = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *host = NULL;
  g_autofree char *fetch_url = NULL;
  const char *reason;
  guint64 fp = d->fp;
  gint64 id;

  if (queued != NULL)
    *queued = FALSE;

  /* Most links lead to URLs seen before; with the fingerprint computed
   * in the parser pool, those cost one lookup here. */
  if (fp != 0 && trawl_frontier_is_seen (self->frontier, fp))
    return fp;

  canonical = trawl_url_canonicalize (d->url, NULL);
  if (canonical == NULL)
    return 0;

  fp = trawl_url_fingerprint (canonical);
  if (trawl_frontier_is_seen (self->frontier, fp))
    return fp;

  host = trawl_url_get_host (canonical);
  host_key = trawl_url_host_key (canonical);
  if (host == NULL || host_key == NULL)
    return 0;

  reason = judge (self, d, host);
  if (reason_is_soft (reason))
    {
      /* Keep the first soft skip on record, but let a later link that
       * may be followed queue the URL after all. */
      if (!trawl_frontier_add_seen (self->soft_seen, fp))
        return fp;
    }
  else
    trawl_frontier_add_seen (self->frontier, fp);

  /* Fetch the URL without its fragment, otherwise as found: servers may
   * care about the order of query arguments even when we do not. */
  {
    const char *hash = strchr (d->url, '#');

    fetch_url = hash ? g_strndup (d->url, hash - d->url) : g_strdup (d->url);
  }

  id = self->next_id++;
  trawl_store_unit_add_url (unit, id, fetch_url, fp, host_key, d->depth, d->parent_id,
                            reason ? TRAWL_URL_SKIPPED : TRAWL_URL_QUEUED, reason);

  if (reason != NULL)
    {
      self->counters->skipped++;
      emit_page (self, id, fetch_url, TRAWL_URL_SKIPPED, reason, NULL);
    }
  else
    {
      TrawlHost *h = trawl_frontier_get_host (self->frontier, host_key);

      if (self->job->robots == TRAWL_ROBOTS_IGNORE)
        h->robots_state = TRAWL_ROBOTS_STATE_READY;

      if (d->from_redirect != NULL)
        {
          /* Redirect targets go first, so chains resolve while the first
           * hop is fresh, and carry the chain they belong to. */
          const TrawlRequest *from = d->from_redirect;
          TrawlRequest *request = trawl_request_new (id, fetch_url, d->depth, d->parent_id, d->request_kind);

          request->origin_id = from->hops ? from->origin_id : from->id;
          request->origin_fp = from->hops ? from->origin_fp : trawl_url_fingerprint_of (from->url);
          request->hops = from->hops + 1;
          trawl_frontier_push_front (self->frontier, h, request);
        }
      else
        trawl_frontier_add (self->frontier, h, id, fetch_url, d->depth, d->parent_id, d->request_kind);

      if (queued != NULL)
        *queued = TRUE;
    }
  self->counters->discovered++;

  return fp;
}

/* Sitemaps waiting in the file were found in robots.txt or a sitemap
 * index; their names are the only trace of that left. */
static TrawlRequestKind
kind_of_stored_url (const char *url)
{
  return g_str_has_suffix (url, ".xml") || g_str_has_suffix (url, ".xml.gz")
         ? TRAWL_REQUEST_SITEMAP : TRAWL_REQUEST_PAGE;
}

/* The frontier's loader: the next queued rows of a host, from a read-only
 * connection of the engine's own.  The writer commits first, so rows
 * submitted a moment ago are there. */
static GPtrArray *
load_spilled (TrawlHost *host,
              gint64     after_id,
              guint      limit,
              gpointer   user_data)
{
  TrawlEngine *self = user_data;
  GPtrArray *requests;
  sqlite3_stmt *stmt = NULL;

  /* Rows that wait for space on the disk are not in the file yet: the
   * host's URLs are loaded once they are. */
  if (!trawl_store_flush (self->store, NULL) && trawl_store_is_waiting (self->store, NULL))
    return NULL;

  requests = g_ptr_array_new_with_free_func (g_free);

  if (self->reader == NULL &&
      sqlite3_open_v2 (self->path, &self->reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_clear_pointer (&self->reader, sqlite3_close);
      return requests;
    }

  if (sqlite3_prepare_v2 (self->reader,
                          "SELECT id, url, depth, parent_id FROM urls "
                          "WHERE host = ?1 AND state = 0 AND id > ?2 ORDER BY id LIMIT ?3",
                          -1, &stmt, NULL) != SQLITE_OK)
    return requests;

  sqlite3_bind_text (stmt, 1, host->key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after_id);
  sqlite3_bind_int (stmt, 3, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *url = (const char *) sqlite3_column_text (stmt, 1);

      g_ptr_array_add (requests, trawl_request_new (sqlite3_column_int64 (stmt, 0), url,
                                                    sqlite3_column_int (stmt, 2),
                                                    sqlite3_column_int64 (stmt, 3),
                                                    kind_of_stored_url (url)));
    }
  sqlite3_finalize (stmt);

  return requests;
}

/* Fetching. */

static void on_page_fetched (GObject *source, GAsyncResult *res, gpointer user_data);
static void on_robots_fetched (GObject *source, GAsyncResult *res, gpointer user_data);

typedef struct {
  TrawlEngine      *self;
  TrawlHost        *host;
  TrawlRequest     *request;    /* owned */
  TrawlFetchResult *fetch;      /* owned */
  TrawlParseResult *parsed;     /* owned, nullable */
  guint64          *fingerprints; /* owned, nullable; one per parsed link, 0 when invalid */
  guint             links_found;  /* on the page, when more than max_links were dropped */
  GPtrArray        *items;      /* owned, nullable: of TrawlItem*, from the job's rules */
} Work;

static void
work_free (Work *work)
{
  g_free (work->request);
  trawl_fetch_result_free (work->fetch);
  if (work->parsed != NULL)
    trawl_parse_result_free (work->parsed);
  g_free (work->fingerprints);
  g_clear_pointer (&work->items, g_ptr_array_unref);
  g_free (work);
}

static double
host_delay (TrawlEngine *self,
            TrawlHost   *host)
{
  double base = self->job->delay;
  double delay;

  switch (self->job->delay_mode)
    {
    case TRAWL_DELAY_AUTO:
      delay = host->delay >= 0 ? host->delay : MAX (base, 1.0);
      break;
    case TRAWL_DELAY_RANDOM:
      delay = base * g_random_double_range (0.5, 1.5);
      break;
    case TRAWL_DELAY_FIXED:
    default:
      delay = base;
      break;
    }

  /* A robots.txt Crawl-delay is a floor the host asked for. */
  if (host->robots != NULL && self->job->robots == TRAWL_ROBOTS_OBEY)
    {
      double crawl_delay = trawl_robots_get_crawl_delay (host->robots);

      if (crawl_delay > 0)
        delay = MAX (delay, MIN (crawl_delay, self->job->max_crawl_delay));
    }

  return delay;
}

static void
start_robots_fetch (TrawlEngine *self,
                    TrawlHost   *host)
{
  g_autofree char *url = g_strconcat (host->key, "/robots.txt", NULL);
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *plain = NULL;
  Work *work = g_new0 (Work, 1);

  /* The host key carries the port explicitly; drop a default one. */
  plain = uri ? g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD) : g_strdup (url);

  host->robots_state = TRAWL_ROBOTS_STATE_FETCHING;
  host->robots_attempts++;
  trawl_frontier_update_host (self->frontier, host);
  self->in_flight++;

  work->self = self;
  work->host = host;
  work->request = trawl_request_new (0, url, 0, 0, TRAWL_REQUEST_PAGE);
  trawl_fetcher_fetch_async (self->fetcher, url, TRAWL_FETCH_KEEP_ALL, TRUE, self->cancellable,
                             on_robots_fetched, work);
}

static void
start_fetch (TrawlEngine  *self,
             TrawlHost    *host,
             TrawlRequest *request)
{
  Work *work = g_new0 (Work, 1);
  gboolean sitemap = request->kind == TRAWL_REQUEST_SITEMAP;

  work->self = self;
  work->host = host;
  work->request = request;
  request->attempts++;
  self->in_flight++;

  trawl_fetcher_fetch_async (self->fetcher, request->url,
                             sitemap || self->job->store_bodies ? TRAWL_FETCH_KEEP_ALL : TRAWL_FETCH_KEEP_HTML,
                             sitemap, self->cancellable, on_page_fetched, work);
}

static gboolean
page_limit_reached (TrawlEngine *self)
{
  return self->job->max_pages > 0 &&
         self->counters->fetched + self->counters->failed + self->in_flight + self->parsing >=
         (gint64) self->job->max_pages;
}

static gboolean
on_wake (gpointer user_data)
{
  TrawlEngine *self = user_data;

  g_clear_pointer (&self->wake_source, g_source_unref);
  schedule (self);
  return G_SOURCE_REMOVE;
}

/* Starts as many requests as the limits allow. */
static void
run_schedule (TrawlEngine *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wake_at = -1;

  while (!self->paused && !self->stopping &&
         self->in_flight < (guint) self->job->concurrency &&
         self->parsing < self->parse_limit &&
         trawl_store_get_backlog (self->store) < MAX_WRITER_BACKLOG &&
         !page_limit_reached (self))
    {
      TrawlHost *host;
      TrawlRequest *request = trawl_frontier_pop (self->frontier, now, &host, &wake_at);

      if (request == NULL)
        break;

      if (host->robots_state == TRAWL_ROBOTS_STATE_UNKNOWN)
        {
          /* The first request to a host waits for its robots.txt. */
          host->in_flight--;
          trawl_frontier_push_front (self->frontier, host, request);
          start_robots_fetch (self, host);
          continue;
        }

      if (host->robots != NULL && self->job->robots != TRAWL_ROBOTS_IGNORE &&
          request->kind == TRAWL_REQUEST_PAGE &&
          !trawl_robots_is_allowed (host->robots, request->url))
        {
          if (self->job->robots == TRAWL_ROBOTS_OBEY)
            {
              g_autoptr (TrawlStoreUnit) unit = trawl_store_unit_new ();

              host->in_flight--;
              trawl_frontier_update_host (self->frontier, host);
              trawl_store_unit_set_state (unit, request->id, TRAWL_URL_SKIPPED, REASON_ROBOTS);
              submit (self, g_steal_pointer (&unit));
              self->counters->skipped++;
              emit_page (self, request->id, request->url, TRAWL_URL_SKIPPED, REASON_ROBOTS, NULL);
              g_free (request);
              continue;
            }
          engine_log (self, TRAWL_LOG_INFO, request->url,
                      _("robots.txt disallows this URL; it is crawled because robots.txt is only reported"));
        }

      host->gap_us = (gint64) (host_delay (self, host) * G_USEC_PER_SEC);
      host->next_allowed = now + host->gap_us;
      trawl_frontier_update_host (self->frontier, host);
      start_fetch (self, host, request);
    }

  if (wake_at > 0 && !self->paused && !self->stopping && self->wake_source == NULL)
    {
      guint ms = (guint) MAX (1, (wake_at - now + 999) / 1000);

      self->wake_source = g_timeout_source_new (ms);
      g_source_set_callback (self->wake_source, on_wake, self, NULL);
      g_source_attach (self->wake_source, self->context);
    }
}

static gboolean
on_schedule (gpointer user_data)
{
  TrawlEngine *self = user_data;

  self->schedule_pending = FALSE;
  run_schedule (self);
  maybe_finish (self);
  return G_SOURCE_REMOVE;
}

/* Coalesces the many reasons to look for work into one pass per loop
 * iteration. */
static void
schedule (TrawlEngine *self)
{
  if (self->schedule_pending)
    return;
  self->schedule_pending = TRUE;

  defer_to (self->context, G_PRIORITY_DEFAULT_IDLE, on_schedule, self, NULL);
}

/* Results. */

static gboolean
status_is_retryable (guint status)
{
  switch (status)
    {
    case 408: case 429: case 500: case 502: case 503: case 504: case 522: case 524:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
record_host_result (TrawlEngine      *self,
                    TrawlHost        *host,
                    TrawlFetchResult *fetch)
{
  double latency_ms = fetch->ttfb_us / 1000.0;

  host->in_flight--;
  host->done++;
  if (fetch->error != NULL || fetch->status >= 400)
    host->errors++;
  /* The delay counts from when the request went out, which can be a
   * while after it was handed to the session (a new connection, a busy
   * loop): so the server sees requests at least the delay apart. */
  if (fetch->sent_at_us > 0)
    host->next_allowed = MAX (host->next_allowed, fetch->sent_at_us + host->gap_us);
  if (fetch->status > 0)
    {
      host->latency_sum_ms += latency_ms;
      host->latency_count++;
    }

  if (self->job->delay_mode == TRAWL_DELAY_AUTO && fetch->status > 0)
    {
      /* AutoThrottle, as Scrapy defines it. */
      double target = (latency_ms / 1000.0) / self->job->autothrottle_target;
      double old = host->delay >= 0 ? host->delay : MAX (self->job->delay, 1.0);
      double delay = MAX (target, (old + target) / 2);

      delay = CLAMP (delay, self->job->delay, self->job->max_delay);
      if (fetch->status != 200 && delay < old)
        delay = old;
      host->delay = delay;
    }

  if (fetch->retry_after >= 0 && (fetch->status == 429 || fetch->status == 503))
    {
      gint64 until = g_get_monotonic_time () +
                     (gint64) (MIN (fetch->retry_after, MAX_RETRY_AFTER) * G_USEC_PER_SEC);

      host->next_allowed = MAX (host->next_allowed, until);
    }

  trawl_frontier_update_host (self->frontier, host);
}

static TrawlPageRecord *
make_page_record (TrawlEngine      *self,
                  TrawlRequest     *request,
                  TrawlFetchResult *fetch,
                  TrawlParseResult *parsed)
{
  TrawlPageRecord *page = g_new0 (TrawlPageRecord, 1);

  page->id = request->id;
  page->url = g_strdup (request->url);
  page->final_url = fetch->location ? NULL : g_strdup (request->url);
  page->status = fetch->status;
  page->content_type = g_strdup (fetch->content_type);
  page->bytes = fetch->bytes;
  page->depth = request->depth;
  page->fetch_ms = (int) (fetch->total_us / 1000);
  page->ttfb_ms = (int) (fetch->ttfb_us / 1000);
  page->fetched_at = now_unix ();
  page->x_robots_tag = g_strdup (fetch->x_robots_tag);
  page->headers = g_strdup (fetch->headers);
  page->attempts = request->attempts;
  if (fetch->error != NULL)
    page->error = g_strdup (fetch->error->message);
  else if (fetch->too_large)
    {
      g_autofree char *limit = g_format_size (self->job->max_size);

      page->error = g_strdup_printf (_("The response is larger than the limit of %s; only the start was read"), limit);
    }
  if (self->job->store_bodies && fetch->body != NULL)
    page->body = g_bytes_ref (fetch->body);

  if (parsed != NULL)
    {
      page->title = g_strdup (parsed->title);
      page->description = g_strdup (parsed->description);
      page->h1 = g_strdup (parsed->h1);
      page->canonical = g_strdup (parsed->canonical);
      page->meta_robots = g_strdup (parsed->meta_robots);
      page->noindex = parsed->noindex;
      page->nofollow = parsed->nofollow;
      page->word_count = parsed->word_count;
      page->content_hash = parsed->content_hash;
      page->charset = g_strdup (parsed->charset);
      page->outlinks = parsed->links->len;
    }

  return page;
}

static void
count_status (TrawlEngine *self,
              guint        status)
{
  if (status >= 200 && status < 300)
    self->counters->status_2xx++;
  else if (status >= 300 && status < 400)
    self->counters->status_3xx++;
  else if (status >= 400 && status < 500)
    self->counters->status_4xx++;
  else if (status >= 500)
    self->counters->status_5xx++;
}

static void
add_sitemap_urls (TrawlEngine    *self,
                  TrawlStoreUnit *unit,
                  Work           *work)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) urls = NULL;
  gboolean is_index = FALSE;

  urls = trawl_sitemap_parse (work->fetch->body, work->request->url, &is_index, &error);
  if (urls == NULL)
    {
      engine_log (self, TRAWL_LOG_WARNING, work->request->url, _("The sitemap could not be read: %s"), error->message);
      return;
    }

  if (is_index)
    engine_log (self, TRAWL_LOG_INFO, work->request->url,
                g_dngettext (GETTEXT_PACKAGE, "The sitemap index lists %u sitemap", "The sitemap index lists %u sitemaps",
                             urls->len), urls->len);
  else
    engine_log (self, TRAWL_LOG_INFO, work->request->url,
                g_dngettext (GETTEXT_PACKAGE, "The sitemap lists %u URL", "The sitemap lists %u URLs", urls->len),
                urls->len);

  for (guint i = 0; i < urls->len; i++)
    {
      Discovery d = {
        .url = urls->pdata[i],
        .kind = TRAWL_LINK_SITEMAP,
        .depth = is_index ? work->request->depth : work->request->depth + 1,
        .parent_id = work->request->id,
        .request_kind = is_index ? TRAWL_REQUEST_SITEMAP : TRAWL_REQUEST_PAGE,
      };
      guint64 fp = discover (self, unit, &d, NULL);

      if (fp != 0)
        trawl_store_unit_add_link (unit, work->request->id, i, fp, "sitemap", NULL, NULL, NULL, FALSE);
    }
}

/* A redirect: the target is queued as a URL of its own, first in its
 * host's queue, carrying the chain it belongs to.  When it is not queued
 * (seen before, out of scope, one hop too many) the chain ends here and
 * every page of it learns its final URL. */
typedef struct {
  gint64      origin;  /* 0 while the chain goes on */
  int         hops;
  const char *final_url;
  const char *error;
} ChainEnd;

static ChainEnd
follow_redirect (TrawlEngine      *self,
                 TrawlStoreUnit   *unit,
                 TrawlRequest     *request,
                 TrawlFetchResult *fetch)
{
  ChainEnd end = { 0 };
  gint64 origin = request->hops ? request->origin_id : request->id;
  guint64 origin_fp = request->hops ? request->origin_fp : trawl_url_fingerprint_of (request->url);
  g_autofree char *canonical = trawl_url_canonicalize (fetch->location, NULL);
  const char *error = NULL;
  gboolean queued = FALSE;
  guint64 fp = 0;

  trawl_store_unit_add_redirect (unit, origin, request->hops, request->id, request->url,
                                 fetch->status, fetch->location);

  /* Only the web is fetched: never file:, ftp:, javascript: or data:. */
  if (!trawl_url_is_http (fetch->location))
    error = _("The redirect leads to an address that is not http or https, which is not followed");
  else if (canonical != NULL && trawl_url_fingerprint (canonical) == origin_fp)
    error = _("Redirect loop");
  else if (request->hops + 1 > self->job->max_redirects)
    error = _("Too many redirects");
  else
    {
      Discovery d = {
        .url = fetch->location,
        .kind = TRAWL_LINK_REDIRECT,
        .depth = request->depth,
        .parent_id = request->id,
        .request_kind = request->kind,
        .from_redirect = request,
      };

      fp = discover (self, unit, &d, &queued);
    }

  if (fp == 0 && canonical != NULL)
    fp = trawl_url_fingerprint (canonical);
  if (fp != 0)
    trawl_store_unit_add_link (unit, request->id, -1, fp, "redirect", NULL, NULL, NULL, FALSE);

  if (!queued)
    {
      if (error != NULL)
        engine_log (self, TRAWL_LOG_WARNING, request->url, "%s", error);
      end.origin = origin;
      end.hops = request->hops + 1;
      end.final_url = fetch->location;
      end.error = error;
    }
  return end;
}

/* Everything one fetched URL changes, committed together. */
static void
record_result (TrawlEngine *self,
               Work        *work)
{
  g_autoptr (TrawlStoreUnit) unit = trawl_store_unit_new ();
  TrawlFetchResult *fetch = work->fetch;
  TrawlRequest *request = work->request;
  TrawlPageRecord *page;
  TrawlUrlState state;
  const char *reason = NULL;
  ChainEnd end = { 0 };

  if (fetch->status == 0)
    {
      state = TRAWL_URL_FAILED;
      reason = failure_reason (fetch->error);
      self->counters->failed++;
    }
  else
    {
      state = TRAWL_URL_FETCHED;
      reason = fetch->too_large ? REASON_TOO_LARGE : fetch->truncated ? REASON_TRUNCATED : NULL;
      self->counters->fetched++;
      count_status (self, fetch->status);
    }
  self->counters->bytes += fetch->bytes;

  if (fetch->error != NULL)
    engine_log (self, TRAWL_LOG_WARNING, request->url, "%s", fetch->error->message);
  else if (fetch->status >= 400)
    engine_log (self, fetch->status >= 500 ? TRAWL_LOG_WARNING : TRAWL_LOG_INFO, request->url,
                _("The server answered %u"), fetch->status);

  page = make_page_record (self, request, fetch, work->parsed);
  trawl_store_unit_set_state (unit, request->id, state, reason);
  emit_page (self, request->id, request->url, state, reason, page);

  if (request->kind == TRAWL_REQUEST_SITEMAP && fetch->status >= 200 && fetch->status < 300 && fetch->body != NULL)
    add_sitemap_urls (self, unit, work);

  if (fetch->location != NULL)
    end = follow_redirect (self, unit, request, fetch);
  else if (request->hops > 0)
    {
      trawl_store_unit_add_redirect (unit, request->origin_id, request->hops, request->id,
                                     request->url, fetch->status, NULL);
      end = (ChainEnd) { request->origin_id, request->hops, request->url, NULL };
    }

  if (work->links_found > 0)
    engine_log (self, TRAWL_LOG_WARNING, request->url,
                /* Translators: the first number is always more than one. */
                g_dngettext (GETTEXT_PACKAGE,
                             "The page has %u links; only the first %d was kept and followed (see max_links)",
                             "The page has %u links; only the first %d were kept and followed (see max_links)",
                             self->job->max_links),
                work->links_found, self->job->max_links);

  if (work->parsed != NULL)
    {
      gboolean page_nofollow = work->parsed->nofollow;

      for (guint i = 0; i < work->parsed->links->len; i++)
        {
          TrawlLink *link = work->parsed->links->pdata[i];
          Discovery d = {
            .url = link->url,
            .kind = link->kind,
            .depth = request->depth + 1,
            .parent_id = request->id,
            .nofollow = link->nofollow || page_nofollow,
            .request_kind = TRAWL_REQUEST_PAGE,
            .fp = work->fingerprints[i],
          };
          guint64 fp = discover (self, unit, &d, NULL);

          if (fp != 0)
            trawl_store_unit_add_link (unit, request->id, i, fp, trawl_link_kind_to_string (link->kind),
                                       g_steal_pointer (&link->rel), g_steal_pointer (&link->anchor),
                                       g_steal_pointer (&link->hreflang), link->nofollow);
        }
    }

  for (guint i = 0; work->items != NULL && i < work->items->len; i++)
    {
      TrawlItem *item = work->items->pdata[i];

      trawl_store_unit_add_item (unit, request->id, i, item->record, item->data);
    }
  if (work->items != NULL)
    self->counters->items += work->items->len;
  trawl_store_unit_add_page (unit, page);
  /* The chain's pages are updated after this hop's own row exists. */
  if (end.origin != 0)
    trawl_store_unit_end_chain (unit, end.origin, end.final_url, end.hops, end.error);
  submit (self, g_steal_pointer (&unit));
}

static void
parse_in_thread (gpointer data,
                 gpointer pool_data);

static gboolean
on_parsed (gpointer user_data)
{
  Work *work = user_data;
  TrawlEngine *self = work->self;

  self->parsing--;
  record_result (self, work);
  work_free (work);
  schedule (self);
  return G_SOURCE_REMOVE;
}

static void
parse_in_thread (gpointer data,
                 gpointer pool_data)
{
  Work *work = data;
  TrawlEngine *self = work->self;
  gsize len;
  const char *body = g_bytes_get_data (work->fetch->body, &len);

  if (self->background)
    trawl_thread_lower_priority ();
  /* With extraction rules, the same pass builds the page's DOM. */
  work->parsed = (self->extractor != NULL ? trawl_parse_html_document : trawl_parse_html)
    (body, len, work->request->url, work->fetch->content_type_header, work->fetch->x_robots_tag);

  /* A page with more links than anyone follows keeps the first ones. */
  if (self->job->max_links > 0 && work->parsed->links->len > (guint) self->job->max_links)
    {
      work->links_found = work->parsed->links->len;
      g_ptr_array_set_size (work->parsed->links, self->job->max_links);
    }

  /* Canonicalising every link is the costliest part of recording a page;
   * done here it runs on all cores instead of the engine's one. */
  work->fingerprints = g_new (guint64, work->parsed->links->len);
  for (guint i = 0; i < work->parsed->links->len; i++)
    work->fingerprints[i] = trawl_url_fingerprint_of (((TrawlLink *) work->parsed->links->pdata[i])->url);

  if (self->extractor != NULL)
    {
      work->items = trawl_extractor_run (self->extractor, work->parsed, body, len, work->request->url);
      g_clear_pointer (&work->parsed->document, xmlFreeDoc);
    }

  defer_to (self->context, G_PRIORITY_DEFAULT, on_parsed, work, NULL);
}

static gboolean
should_parse (TrawlEngine      *self,
              TrawlFetchResult *fetch)
{
  return fetch->body != NULL && trawl_parse_wants (fetch->status, fetch->content_type);
}

static gboolean
retry_later (TrawlEngine *self,
             Work        *work)
{
  TrawlFetchResult *fetch = work->fetch;
  TrawlRequest *request = work->request;
  gboolean retryable = (fetch->status == 0 && fetch->error != NULL &&
                        !g_error_matches (fetch->error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) &&
                        !is_refusal (fetch->error) &&
                        !g_error_matches (fetch->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) ||
                       fetch->truncated || status_is_retryable (fetch->status);
  double backoff;

  if (!retryable || request->attempts > (guint) self->job->retries || self->stopping)
    return FALSE;

  /* Back off exponentially unless the server said how long to wait. */
  backoff = fetch->retry_after >= 0 ? MIN (fetch->retry_after, MAX_RETRY_AFTER)
                                    : 0.5 * (1 << MIN (request->attempts, 8));
  work->host->next_allowed = MAX (work->host->next_allowed,
                                  g_get_monotonic_time () + (gint64) (backoff * G_USEC_PER_SEC));

  engine_log (self, TRAWL_LOG_INFO, request->url, _("%s; retrying in %.1f s (attempt %u of %d)"),
              fetch->error ? fetch->error->message : _("The server is busy or failing"),
              backoff, request->attempts + 1, self->job->retries + 1);

  trawl_frontier_push_front (self->frontier, work->host, g_steal_pointer (&work->request));
  return TRUE;
}

static void
on_page_fetched (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Work *work = user_data;
  TrawlEngine *self = work->self;

  work->fetch = trawl_fetcher_fetch_finish (self->fetcher, res);
  self->in_flight--;
  record_host_result (self, work->host, work->fetch);

  if (work->fetch->error != NULL &&
      g_error_matches (work->fetch->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Only a stop cancels; the URL stays queued in the file. */
      work_free (work);
    }
  else if (retry_later (self, work))
    work_free (work);
  else if (should_parse (self, work->fetch))
    {
      self->parsing++;
      g_thread_pool_push (self->parsers, work, NULL);
    }
  else
    {
      record_result (self, work);
      work_free (work);
    }

  schedule (self);
  maybe_finish (self);
}

static void
queue_sitemaps (TrawlEngine *self,
                TrawlHost   *host)
{
  g_autoptr (TrawlStoreUnit) unit = trawl_store_unit_new ();
  const char *const *listed = host->robots ? trawl_robots_get_sitemaps (host->robots) : NULL;
  g_autofree char *guess = g_strconcat (host->key, "/sitemap.xml", NULL);
  gboolean any = FALSE;

  for (guint i = 0; listed && listed[i]; i++)
    {
      g_autofree char *url = trawl_url_resolve (guess, listed[i]);
      Discovery d = { .url = url, .kind = TRAWL_LINK_SITEMAP, .request_kind = TRAWL_REQUEST_SITEMAP };

      any |= url != NULL && discover (self, unit, &d, NULL) != 0;
    }

  if (!any)
    {
      g_autoptr (GUri) uri = g_uri_parse (guess, G_URI_FLAGS_NONE, NULL);
      g_autofree char *url = g_uri_to_string (uri);
      Discovery d = { .url = url, .kind = TRAWL_LINK_SITEMAP, .request_kind = TRAWL_REQUEST_SITEMAP };

      discover (self, unit, &d, NULL);
    }

  submit (self, g_steal_pointer (&unit));
}

static gboolean
is_start_host (TrawlEngine *self,
               TrawlHost   *host)
{
  g_autofree char *name = trawl_url_get_host (host->key);

  for (guint i = 0; name && self->start_hosts[i]; i++)
    if (g_ascii_strcasecmp (name, self->start_hosts[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
on_robots_fetched (GObject      *source,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  Work *work = user_data;
  TrawlEngine *self = work->self;
  TrawlHost *host = work->host;
  TrawlFetchResult *fetch = trawl_fetcher_fetch_finish (self->fetcher, res);
  g_autoptr (TrawlStoreUnit) unit = trawl_store_unit_new ();
  g_autofree char *text = NULL;
  double crawl_delay = -1;

  work->fetch = fetch;
  self->in_flight--;

  if (fetch->error != NULL && g_error_matches (fetch->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      host->robots_state = TRAWL_ROBOTS_STATE_UNKNOWN;
      trawl_frontier_update_host (self->frontier, host);
      work_free (work);
      maybe_finish (self);
      return;
    }

  /* RFC 9309 2.3.1.2: a robots.txt behind endless redirects is
   * unavailable, as a 404 would be. */
  if (fetch->error != NULL &&
      g_error_matches (fetch->error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS))
    {
      engine_log (self, TRAWL_LOG_INFO, work->request->url,
                  _("robots.txt redirects too many times; it is taken as missing, which allows everything"));
      host->robots = trawl_robots_new_allow_all ();
    }
  /* A host this crawl refuses to reach, or whose certificate it does not
   * trust: its pages fail the same way and say so themselves. */
  else if (is_refusal (fetch->error))
    host->robots = trawl_robots_new_allow_all ();
  else if ((fetch->status == 0 || fetch->status >= 500) && host->robots_attempts <= (guint) self->job->retries)
    {
      /* RFC 9309: an unreachable robots.txt means "disallow all", but a
       * brief outage should not cost the whole host: try again first. */
      g_free (work->request);
      work->request = NULL;
      host->robots_state = TRAWL_ROBOTS_STATE_UNKNOWN;
      host->next_allowed = g_get_monotonic_time () + G_USEC_PER_SEC;
      host->errors++;
      trawl_frontier_update_host (self->frontier, host);
      work_free (work);
      schedule (self);
      return;
    }

  else if (fetch->status >= 200 && fetch->status < 300 && fetch->body != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (fetch->body, &len);

      host->robots = trawl_robots_parse (data, MIN (len, TRAWL_ROBOTS_MAX_SIZE), self->job->user_agent);
      text = g_utf8_make_valid (data, MIN (len, TRAWL_ROBOTS_MAX_SIZE));
      crawl_delay = trawl_robots_get_crawl_delay (host->robots);
      if (crawl_delay > self->job->max_crawl_delay && self->job->robots == TRAWL_ROBOTS_OBEY)
        engine_log (self, TRAWL_LOG_INFO, work->request->url,
                    _("robots.txt asks for a Crawl-delay of %g s; %g s is used, the most this crawl allows"),
                    crawl_delay, self->job->max_crawl_delay);
    }
  else if (fetch->status >= 400 && fetch->status < 500)
    host->robots = trawl_robots_new_allow_all ();
  else
    {
      host->robots = trawl_robots_new_disallow_all ();
      engine_log (self, TRAWL_LOG_WARNING, work->request->url,
                  _("robots.txt could not be fetched (%s), so nothing on this host is crawled"),
                  fetch->error ? fetch->error->message : _("the server answered with an error"));
    }

  trawl_store_unit_set_host (unit, host->key, fetch->status, text, crawl_delay);
  submit (self, g_steal_pointer (&unit));

  host->robots_state = TRAWL_ROBOTS_STATE_READY;
  trawl_frontier_update_host (self->frontier, host);

  if (self->job->sitemaps && !self->job->list_mode && is_start_host (self, host))
    queue_sitemaps (self, host);

  work_free (work);
  schedule (self);
}

/* Start and end. */

static void
seed (TrawlEngine *self)
{
  g_autoptr (TrawlStoreUnit) unit = trawl_store_unit_new ();
  /* References to the keyring, never a secret's value. */
  g_autofree char *job_text = trawl_job_to_crawl_data (self->job);

  trawl_store_unit_set_meta (unit, "job", job_text);
  trawl_store_unit_set_meta (unit, "state", "running");

  for (guint i = 0; self->job->start_urls[i]; i++)
    {
      Discovery d = {
        .url = self->job->start_urls[i],
        .kind = TRAWL_LINK_ANCHOR,
        .request_kind = TRAWL_REQUEST_PAGE,
        .seed = TRUE,
      };

      discover (self, unit, &d, NULL);
    }

  /* Without robots.txt there is no Sitemap: line to wait for. */
  if (self->job->robots == TRAWL_ROBOTS_IGNORE && self->job->sitemaps && !self->job->list_mode)
    {
      GList *hosts = trawl_frontier_get_hosts (self->frontier);

      for (GList *l = hosts; l; l = l->next)
        queue_sitemaps (self, l->data);
      g_list_free (hosts);
    }

  submit (self, g_steal_pointer (&unit));
}

typedef struct {
  TrawlEngine *self;
  gint64       max_id;
} LoadData;

static void
load_url (gint64        id,
          const char   *url,
          guint64       fingerprint,
          const char   *host_key,
          int           depth,
          gint64        parent_id,
          TrawlUrlState state,
          const char   *reason,
          gpointer      user_data)
{
  LoadData *data = user_data;
  TrawlEngine *self = data->self;

  data->max_id = MAX (data->max_id, id);
  self->counters->discovered++;

  switch (state)
    {
    case TRAWL_URL_QUEUED:
      {
        TrawlHost *host = trawl_frontier_get_host (self->frontier, host_key);

        trawl_frontier_add_seen (self->frontier, fingerprint);
        if (self->job->robots == TRAWL_ROBOTS_IGNORE)
          host->robots_state = TRAWL_ROBOTS_STATE_READY;
        trawl_frontier_add (self->frontier, host, id, url, depth, parent_id, kind_of_stored_url (url));
      }
      break;
    case TRAWL_URL_FETCHED:
      trawl_frontier_add_seen (self->frontier, fingerprint);
      self->counters->fetched++;
      break;
    case TRAWL_URL_FAILED:
      trawl_frontier_add_seen (self->frontier, fingerprint);
      self->counters->failed++;
      break;
    case TRAWL_URL_SKIPPED:
      trawl_frontier_add_seen (reason_is_soft (reason) ? self->soft_seen : self->frontier, fingerprint);
      self->counters->skipped++;
      break;
    }
}

static void
load_counters (TrawlEngine *self)
{
  self->counters->status_2xx = trawl_store_query_int (self->store, "SELECT count(*) FROM pages WHERE status BETWEEN 200 AND 299");
  self->counters->status_3xx = trawl_store_query_int (self->store, "SELECT count(*) FROM pages WHERE status BETWEEN 300 AND 399");
  self->counters->status_4xx = trawl_store_query_int (self->store, "SELECT count(*) FROM pages WHERE status BETWEEN 400 AND 499");
  self->counters->status_5xx = trawl_store_query_int (self->store, "SELECT count(*) FROM pages WHERE status >= 500");
  self->counters->bytes = trawl_store_query_int (self->store, "SELECT coalesce(sum(bytes), 0) FROM pages");
  self->counters->items = trawl_store_query_int (self->store, "SELECT count(*) FROM items");
}

static gboolean
load_resume (TrawlEngine  *self,
             GError      **error)
{
  LoadData data = { self, 0 };

  /* A crawl is continued only in a whole file: writing into a damaged
   * one would lose more of it.  The check reads the file once, as loading
   * its frontier about does, here in the engine's thread. */
  if (!trawl_store_check_whole (trawl_store_get_db (self->store), self->path, error) ||
      !trawl_store_load_urls (self->store, load_url, &data, error))
    return FALSE;
  self->next_id = data.max_id + 1;
  load_counters (self);
  return TRUE;
}

static gboolean
finish_on_idle (gpointer user_data)
{
  TrawlEngine *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static void
maybe_finish (TrawlEngine *self)
{
  gboolean done;

  if (self->in_flight > 0 || self->parsing > 0 || self->paused)
    return;

  done = self->stopping ||
         trawl_frontier_get_queued (self->frontier) == 0 ||
         page_limit_reached (self);
  if (!done || g_main_loop_is_running (self->loop) == FALSE)
    return;
  /* A crawl that ends by itself first waits until its pages are written,
   * so that a disk filling up now pauses it as it would have earlier. */
  if (!stopped_by_user (self) && !trawl_store_flush (self->store, NULL) &&
      trawl_store_is_waiting (self->store, NULL))
    {
      check_writer (self, g_get_monotonic_time ());
      return;
    }

  if (!self->stopping)
    {
      self->final_state = TRAWL_ENGINE_FINISHED;
      if (page_limit_reached (self))
        engine_log (self, TRAWL_LOG_INFO, NULL, _("The limit of %d pages was reached"), self->job->max_pages);
    }
  self->stopping = TRUE;

  defer_to (self->context, G_PRIORITY_DEFAULT_IDLE, finish_on_idle, self, NULL);
}

static gpointer
engine_thread (gpointer data)
{
  TrawlEngine *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlStoreUnit) unit = NULL;
  GSource *tick;
  const char *state_name;
  guint n_threads = MAX (1, g_get_num_processors ());

  /* The store's writer thread, started from this one, inherits it. */
  if (self->background)
    trawl_thread_lower_priority ();
  g_main_context_push_thread_default (self->context);

  self->frontier = trawl_frontier_new (self->job->order, self->job->per_host);
  trawl_frontier_set_loader (self->frontier, load_spilled, self);
  self->soft_seen = trawl_frontier_new (self->job->order, 1);
  self->fetcher = trawl_fetcher_new (self->job);
  self->cancellable = g_cancellable_new ();
  self->parsers = g_thread_pool_new (parse_in_thread, self, n_threads, FALSE, NULL);
  self->parse_limit = n_threads * PARSE_BACKLOG_PER_THREAD;
  self->started_us = g_get_monotonic_time ();
  self->final_state = TRAWL_ENGINE_STOPPED;

  if (self->resuming && !load_resume (self, &error))
    {
      g_mutex_lock (&self->lock);
      self->error = g_steal_pointer (&error);
      g_mutex_unlock (&self->lock);
      self->final_state = TRAWL_ENGINE_FAILED;
    }
  else
    {
      trawl_store_start_writer (self->store);
      if (self->resuming)
        {
          gint64 queued = trawl_frontier_get_queued (self->frontier);

          unit = trawl_store_unit_new ();
          trawl_store_unit_set_meta (unit, "state", "running");
          submit (self, g_steal_pointer (&unit));
          engine_log (self, TRAWL_LOG_INFO, NULL,
                      g_dngettext (GETTEXT_PACKAGE, "Resuming the crawl with %" PRId64 " URL queued",
                                   "Resuming the crawl with %" PRId64 " URLs queued", queued),
                      queued);
        }
      else
        seed (self);

      tick = g_timeout_source_new (TICK_MS);
      g_source_set_callback (tick, on_tick, self, NULL);
      g_source_attach (tick, self->context);

      schedule (self);
      g_main_loop_run (self->loop);

      g_source_destroy (tick);
      g_source_unref (tick);
    }

  /* Wind down: every request has ended, the parsers are idle. */
  if (self->wake_source != NULL)
    {
      g_source_destroy (self->wake_source);
      g_clear_pointer (&self->wake_source, g_source_unref);
    }
  g_thread_pool_free (self->parsers, FALSE, TRUE);
  self->parsers = NULL;

  if (self->error != NULL)
    self->final_state = TRAWL_ENGINE_FAILED;

  switch (self->final_state)
    {
    case TRAWL_ENGINE_FINISHED:
      state_name = "finished";
      engine_log (self, TRAWL_LOG_INFO, NULL, _("The crawl finished"));
      break;
    case TRAWL_ENGINE_FAILED:
      state_name = "failed";
      break;
    default:
      state_name = "stopped";
      engine_log (self, TRAWL_LOG_INFO, NULL, _("The crawl was stopped; resume it to continue"));
      break;
    }

  /* The last sample, when the file is written at all. */
  publish_stats (self, self->final_state != TRAWL_ENGINE_FAILED);
  if (self->store != NULL && self->final_state != TRAWL_ENGINE_FAILED)
    {
      flush_log (self);
      unit = trawl_store_unit_new ();
      trawl_store_unit_set_meta (unit, "state", state_name);
      submit (self, g_steal_pointer (&unit));
    }

  /* The final checkpoint needs every reader gone. */
  g_clear_pointer (&self->reader, sqlite3_close);
  if (!trawl_store_close (self->store, &error))
    {
      g_mutex_lock (&self->lock);
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
      g_mutex_unlock (&self->lock);
      self->final_state = TRAWL_ENGINE_FAILED;
    }
  /* Closed here, not when the engine goes: whoever opens the file after
   * ::finished must not race the last connection's checkpoint. */
  g_clear_pointer (&self->store, trawl_store_free);
  g_clear_pointer (&self->log_unit, trawl_store_unit_free);

  trawl_fetcher_free (self->fetcher);
  self->fetcher = NULL;
  /* Let the session's pending callbacks run before the context goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_object (&self->cancellable);

  g_main_context_pop_thread_default (self->context);

  if (self->write_blocked)
    set_problem (self, NULL);
  g_mutex_lock (&self->lock);
  self->state = self->final_state;
  self->finished_pending = TRUE;
  request_delivery_locked (self);
  g_mutex_unlock (&self->lock);

  trawl_frontier_free (self->frontier);
  self->frontier = NULL;
  trawl_frontier_free (self->soft_seen);
  self->soft_seen = NULL;
  g_main_loop_unref (self->loop);
  self->loop = NULL;
  g_main_context_unref (self->context);
  self->context = NULL;

  g_object_unref (self);
  return NULL;
}

/**
 * trawl_engine_start:
 * @self: a ready engine
 *
 * Starts crawling in the engine's own thread and returns at once.
 */
void
trawl_engine_start (TrawlEngine *self)
{
  g_return_if_fail (TRAWL_IS_ENGINE (self));
  g_return_if_fail (self->thread == NULL);

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  set_state (self, TRAWL_ENGINE_RUNNING);
  self->thread = g_thread_new ("trawl-engine", engine_thread, g_object_ref (self));
}

/**
 * trawl_engine_set_background:
 * @self: an engine not yet started
 * @background: whether the crawl gives way to the process's other work
 *
 * Runs the engine's threads at a lower priority than the thread that
 * starts it, so a window drawn in the same process stays smooth however
 * busy the crawl is.  The crawl is hardly slower: drawing needs little.
 */
void
trawl_engine_set_background (TrawlEngine *self,
                             gboolean     background)
{
  g_return_if_fail (TRAWL_IS_ENGINE (self));
  g_return_if_fail (self->thread == NULL);

  self->background = background;
}

typedef enum {
  CONTROL_PAUSE,
  CONTROL_RESUME,
  CONTROL_STOP,
  CONTROL_SPEED,
  CONTROL_DELAY,
} ControlKind;

typedef struct {
  TrawlEngine *self;
  ControlKind  kind;
  int          concurrency;
  int          per_host;
  double       delay;
} Control;

static gboolean
on_control (gpointer user_data)
{
  Control *control = user_data;
  TrawlEngine *self = control->self;
  gint64 now = g_get_monotonic_time ();

  /* A crawl ending at a limit may still wait for space to write. */
  if (self->loop == NULL || (self->stopping && !(control->kind == CONTROL_RESUME && self->write_blocked)))
    return G_SOURCE_REMOVE;

  switch (control->kind)
    {
    case CONTROL_PAUSE:
      if (!self->paused)
        {
          self->paused = TRUE;
          self->pause_began_us = now;
          set_state (self, TRAWL_ENGINE_PAUSED);
          engine_log (self, TRAWL_LOG_INFO, NULL, _("Paused"));
        }
      break;
    case CONTROL_RESUME:
      /* After a full disk, the writer tries again; the next tick goes on
       * if it got through, and the crawl stays paused if not. */
      if (self->write_blocked)
        trawl_store_retry (self->store);
      else if (self->paused)
        {
          self->paused = FALSE;
          self->paused_us += now - self->pause_began_us;
          set_state (self, TRAWL_ENGINE_RUNNING);
          engine_log (self, TRAWL_LOG_INFO, NULL, _("Resumed"));
        }
      break;
    case CONTROL_STOP:
      self->paused = FALSE;
      self->stopping = TRUE;
      self->final_state = TRAWL_ENGINE_STOPPED;
      trawl_frontier_clear_queues (self->frontier);
      set_state (self, TRAWL_ENGINE_STOPPING);
      break;
    case CONTROL_SPEED:
      self->job->concurrency = control->concurrency;
      self->job->per_host = control->per_host;
      trawl_frontier_set_per_host (self->frontier, control->per_host);
      engine_log (self, TRAWL_LOG_INFO, NULL, _("Concurrency set to %d, %d per host"),
                  control->concurrency, control->per_host);
      break;
    case CONTROL_DELAY:
      self->job->delay = control->delay;
      engine_log (self, TRAWL_LOG_INFO, NULL, _("Delay set to %g s"), control->delay);
      break;
    }

  schedule (self);
  maybe_finish (self);
  return G_SOURCE_REMOVE;
}

static void
send_control (TrawlEngine *self,
              Control     *control)
{
  Control *copy = g_memdup2 (control, sizeof *control);

  copy->self = self;
  if (self->context == NULL)
    {
      g_free (copy);
      return;
    }
  /* The thread holds a reference to the engine until its context is
   * gone, and the context keeps the source until it runs or is freed. */
  defer_to (self->context, G_PRIORITY_HIGH, on_control, copy, g_free);
}

void
trawl_engine_pause (TrawlEngine *self)
{
  Control control = { .kind = CONTROL_PAUSE };

  g_return_if_fail (TRAWL_IS_ENGINE (self));
  send_control (self, &control);
}

void
trawl_engine_resume (TrawlEngine *self)
{
  Control control = { .kind = CONTROL_RESUME };

  g_return_if_fail (TRAWL_IS_ENGINE (self));
  send_control (self, &control);
}

/**
 * trawl_engine_stop:
 * @self: an engine
 *
 * Stops the crawl: requests in flight finish and are stored, nothing new
 * starts, and ::finished follows.  What was queued stays queued in the
 * crawl file for a later resume.
 */
void
trawl_engine_stop (TrawlEngine *self)
{
  Control control = { .kind = CONTROL_STOP };

  g_return_if_fail (TRAWL_IS_ENGINE (self));
  send_control (self, &control);
}

/**
 * trawl_engine_set_concurrency:
 * @self: an engine
 * @concurrency: requests in flight at once, in all
 * @per_host: requests in flight at once to one host
 *
 * Changes the speed of a running crawl.
 */
void
trawl_engine_set_concurrency (TrawlEngine *self,
                              int          concurrency,
                              int          per_host)
{
  Control control = { .kind = CONTROL_SPEED, .concurrency = concurrency, .per_host = per_host };

  g_return_if_fail (TRAWL_IS_ENGINE (self));
  g_return_if_fail (concurrency >= 1 && per_host >= 1);
  send_control (self, &control);
}

/**
 * trawl_engine_set_delay:
 * @self: an engine
 * @delay: seconds between two requests to the same host
 *
 * Changes the politeness delay of a running crawl.
 */
void
trawl_engine_set_delay (TrawlEngine *self,
                        double       delay)
{
  Control control = { .kind = CONTROL_DELAY, .delay = delay };

  g_return_if_fail (TRAWL_IS_ENGINE (self));
  g_return_if_fail (delay >= 0);
  send_control (self, &control);
}
