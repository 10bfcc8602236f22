/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-monitor-view.c — the Monitor view of the window.
 *
 * The monitor observes one TrawlCrawl.  While it runs, the counters, the
 * status codes and the host table follow its ::stats snapshots (at most
 * ten a second), the chart takes a point a second as the engine stores a
 * sample, and log lines are gathered and shown in batches.  A crawl shown
 * when it is not running — reopened from disk, or just finished — is read
 * from its file in a worker thread: the stored stats timeline for the
 * chart, the end of the log, and per-host figures; so a reopened crawl
 * looks as it did when it ended.
 */
#define G_LOG_DOMAIN "trawl-monitor-view"

#include "config.h"

#include "trawl-monitor-view.h"

#include "trawl-chart.h"
#include "trawl-host-row.h"
#include "trawl-log-item.h"
#include "trawl-log-model.h"
#include "trawl-thread.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <sqlite3.h>

/* How many log lines a reopened crawl shows, and a live one keeps. */
#define LOG_LINES 10000
/* Live log lines are shown this often, in one batch. */
#define LOG_FLUSH_MS 200

typedef enum {
  COUNTER_CRAWLED,
  COUNTER_QUEUED,
  COUNTER_FAILED,
  COUNTER_IN_FLIGHT,
  COUNTER_RATE,
  COUNTER_RECEIVED,
  COUNTER_ELAPSED,
  COUNTER_ETA,
  COUNTER_ITEMS,
  N_COUNTERS
} Counter;

typedef enum {
  STATUS_2XX,
  STATUS_3XX,
  STATUS_4XX,
  STATUS_5XX,
  STATUS_FAILED,
  N_STATUSES
} StatusClass;

static const struct {
  const char *name;
  const char *caption;
} counter_info[N_COUNTERS] = {
  { "crawled", N_("Crawled") },
  { "queued", N_("Queued") },
  { "failed", N_("Failed") },
  { "in-flight", N_("In Flight") },
  { "rate", N_("Pages/s") },
  { "received", N_("Received") },
  { "elapsed", N_("Elapsed") },
  { "eta", N_("Time Left") },
  { "items", N_("Items") },
};

static const struct {
  const char *name;
  const char *caption;
  const char *style;     /* the CSS class that colours its dot */
  const char *color;     /* the named theme colour of its bar segment */
  const char *fallback;
} status_info[N_STATUSES] = {
  { "status-2xx", N_("2xx Success"), "success", "success_color", "#26a269" },
  { "status-3xx", N_("3xx Redirect"), "accent", "accent_color", "#3584e4" },
  { "status-4xx", N_("4xx Client error"), "warning", "warning_color", "#cd9309" },
  { "status-5xx", N_("5xx Server error"), "error", "error_color", "#e01b24" },
  { "status-failed", N_("No response"), "dim-label", "window_fg_color", "#77767b" },
};

typedef void (*Step) (TrawlMonitorView *self);

struct _TrawlMonitorView
{
  AdwBin          parent_instance;

  TrawlCrawl     *crawl;           /* owned, nullable */
  GCancellable   *cancellable;     /* owned, nullable: the file being read */
  TrawlLogModel  *log_model;       /* owned */
  GPtrArray      *pending_log;     /* owned, of owned TrawlLogItem*: not yet shown */
  GHashTable     *host_rows;       /* owned: host → borrowed TrawlHostRow* in host_store */
  guint           log_flush_id;
  /* Changes drawn one frame each (see queue_step()). */
  GQueue          steps;           /* of Step */
  guint           step_tick_id;
  gint64          step_frame;      /* the frame that draws the last step */
  GTask          *loaded;          /* owned, nullable: a file read, not yet shown */
  gint64          status_counts[N_STATUSES];
  gboolean        updating_controls;

  /* Template widgets. */
  GtkStack       *stack;
  GtkRevealer    *problem_revealer;
  GtkLabel       *problem_label;
  GtkButton      *problem_button;
  GtkLabel       *state_label;
  GtkWidget      *monitor_pause_button;
  GtkWidget      *monitor_resume_button;
  GtkStack       *monitor_run_stack;
  GtkWidget      *monitor_stop_button;
  GtkSpinButton  *concurrency_spin;
  GtkSpinButton  *per_host_spin;
  GtkSpinButton  *delay_spin;
  GtkGrid        *counters_grid;
  TrawlChart     *chart;
  GtkDrawingArea *status_bar;
  GtkGrid        *status_grid;
  GListStore     *host_store;
  GtkListView    *log_view;
  GtkLabel       *log_note_label;
  GtkDropDown    *level_dropdown;
  GtkSearchEntry *log_search_entry;

  GtkLabel       *counter_labels[N_COUNTERS];
  GtkLabel       *status_labels[N_STATUSES];
};

G_DEFINE_FINAL_TYPE (TrawlMonitorView, trawl_monitor_view, ADW_TYPE_BIN)

/* Drawing a change a frame.
 *
 * When a crawl ends, nearly everything in the view changes: the state and
 * counters at the top, the log and hosts at the bottom, the chart between
 * them.  With software rendering on X11 a frame costs what the bounding box
 * of its changes covers, so one frame with all of them redrew the whole
 * window (40–60 ms on two cores).  Such changes are queued as steps instead,
 * and each is made in a frame of its own, after the frame that draws the
 * one before it.  A view that is not on screen draws nothing: it makes its
 * changes at once. */

static gboolean
on_step_tick (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  TrawlMonitorView *self = TRAWL_MONITOR_VIEW (widget);
  gint64 frame = gdk_frame_clock_get_frame_counter (clock);
  Step step;

  /* This frame still draws the last change. */
  if (frame <= self->step_frame)
    return G_SOURCE_CONTINUE;

  self->step_frame = frame;
  step = g_queue_pop_head (&self->steps);
  step (self);
  if (!g_queue_is_empty (&self->steps))
    return G_SOURCE_CONTINUE;
  self->step_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_step (TrawlMonitorView *self,
            Step              step)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || clock == NULL)
    {
      step (self);
      return;
    }
  if (g_queue_find (&self->steps, step) != NULL)
    return;
  g_queue_push_tail (&self->steps, step);
  if (self->step_tick_id == 0)
    {
      /* What changed until now is drawn by the next frame. */
      self->step_frame = gdk_frame_clock_get_frame_counter (clock) + 1;
      self->step_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_step_tick, NULL, NULL);
    }
}

static void
clear_steps (TrawlMonitorView *self)
{
  if (self->step_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->step_tick_id);
  self->step_tick_id = 0;
  g_queue_clear (&self->steps);
  g_clear_object (&self->loaded);
}

static void
disconnect_crawl (TrawlMonitorView *self)
{
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  g_clear_object (&self->crawl);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->log_flush_id, g_source_remove);
  clear_steps (self);
  g_ptr_array_set_size (self->pending_log, 0);
}

static void
trawl_monitor_view_dispose (GObject *object)
{
  TrawlMonitorView *self = TRAWL_MONITOR_VIEW (object);

  disconnect_crawl (self);
  /* The stack is both the bin's child and a template child: the bin must
   * let go of it before the template unparents it. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_MONITOR_VIEW);

  G_OBJECT_CLASS (trawl_monitor_view_parent_class)->dispose (object);
}

static void
trawl_monitor_view_finalize (GObject *object)
{
  TrawlMonitorView *self = TRAWL_MONITOR_VIEW (object);

  g_clear_object (&self->log_model);
  g_clear_pointer (&self->pending_log, g_ptr_array_unref);
  g_clear_pointer (&self->host_rows, g_hash_table_unref);

  G_OBJECT_CLASS (trawl_monitor_view_parent_class)->finalize (object);
}

/* Formatting. */

static char *
format_count (gint64 n)
{
  /* Thousands separators from the locale. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static char *
format_duration (double seconds)
{
  guint64 s;

  if (seconds < 0)
    return g_strdup ("—");
  s = (guint64) (seconds + 0.5);
  if (s >= 86400)
    return g_strdup_printf (_("%" PRIu64 " d %02u:%02u:%02u"), s / 86400,
                            (guint) (s / 3600 % 24), (guint) (s / 60 % 60), (guint) (s % 60));
  return g_strdup_printf ("%u:%02u:%02u", (guint) (s / 3600), (guint) (s / 60 % 60), (guint) (s % 60));
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  /* Setting the same text still relayouts; snapshots come ten a second. */
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
take_label (GtkLabel *label,
            char     *text)
{
  set_label (label, text);
  g_free (text);
}

/* Counters and status codes. */

static void
show_stats (TrawlMonitorView *self,
            const TrawlStats *stats)
{
  gboolean active = trawl_crawl_is_active (self->crawl);

  take_label (self->counter_labels[COUNTER_CRAWLED], format_count (stats->fetched));
  take_label (self->counter_labels[COUNTER_QUEUED], format_count (stats->queued));
  take_label (self->counter_labels[COUNTER_FAILED], format_count (stats->failed));
  take_label (self->counter_labels[COUNTER_IN_FLIGHT], format_count (stats->in_flight));
  take_label (self->counter_labels[COUNTER_RATE],
              active ? g_strdup_printf ("%.1f", stats->pages_per_second) : g_strdup ("—"));
  take_label (self->counter_labels[COUNTER_RECEIVED], g_format_size (stats->bytes));
  take_label (self->counter_labels[COUNTER_ELAPSED], format_duration (stats->elapsed));
  take_label (self->counter_labels[COUNTER_ETA], format_duration (active ? stats->eta : -1));
  take_label (self->counter_labels[COUNTER_ITEMS], format_count (stats->items));

  self->status_counts[STATUS_2XX] = stats->status_2xx;
  self->status_counts[STATUS_3XX] = stats->status_3xx;
  self->status_counts[STATUS_4XX] = stats->status_4xx;
  self->status_counts[STATUS_5XX] = stats->status_5xx;
  self->status_counts[STATUS_FAILED] = stats->failed;
  for (guint i = 0; i < N_STATUSES; i++)
    take_label (self->status_labels[i], format_count (self->status_counts[i]));
  gtk_widget_queue_draw (GTK_WIDGET (self->status_bar));
}

static void
draw_status_bar (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  TrawlMonitorView *self = user_data;
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (area));
  gint64 total = 0;
  double x = 0, radius = height / 2.0;
  GdkRGBA color;

  for (guint i = 0; i < N_STATUSES; i++)
    total += self->status_counts[i];

  /* A rounded track, then each class's share of it. */
  cairo_new_sub_path (cr);
  cairo_arc (cr, radius, radius, radius, G_PI / 2, 3 * G_PI / 2);
  cairo_arc (cr, width - radius, radius, radius, -G_PI / 2, G_PI / 2);
  cairo_close_path (cr);
  cairo_clip (cr);

  gtk_style_context_get_color (context, &color);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.1);
  cairo_paint (cr);
  if (total == 0)
    return;

  for (guint i = 0; i < N_STATUSES; i++)
    {
      double w = (double) self->status_counts[i] / total * width;

      if (!gtk_style_context_lookup_color (context, status_info[i].color, &color))
        gdk_rgba_parse (&color, status_info[i].fallback);
      if (i == STATUS_FAILED)
        color.alpha *= 0.5;
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x, 0, w, height);
      cairo_fill (cr);
      x += w;
    }
}

static void
update_controls (TrawlMonitorView *self)
{
  gboolean active = self->crawl != NULL && trawl_crawl_is_active (self->crawl);

  gtk_widget_set_sensitive (GTK_WIDGET (self->concurrency_spin), active);
  gtk_widget_set_sensitive (GTK_WIDGET (self->per_host_spin), active);
  gtk_widget_set_sensitive (GTK_WIDGET (self->delay_spin), active);
}

static void
update_state (TrawlMonitorView *self)
{
  TrawlEngineState state;
  gboolean paused_by_problem;
  const char *nothing_fetched;

  if (self->crawl == NULL)
    return;

  state = trawl_crawl_get_state (self->crawl);
  /* The only problem a crawl pauses for is a full disk; Continue tries
   * again.  A crawl that fetched nothing has ended, and says why. */
  paused_by_problem = trawl_crawl_get_problem (self->crawl) != NULL;
  nothing_fetched = trawl_crawl_get_nothing_fetched (self->crawl);
  if (paused_by_problem)
    set_label (self->problem_label, _("The disk is full: the crawl is paused. Free some space, then press Continue."));
  else if (nothing_fetched != NULL)
    set_label (self->problem_label, nothing_fetched);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_button), paused_by_problem);
  gtk_revealer_set_reveal_child (self->problem_revealer, paused_by_problem || nothing_fetched != NULL);
  /* The buttons stay where they are; their actions say whether they work. */
  gtk_stack_set_visible_child (self->monitor_run_stack,
                               state == TRAWL_ENGINE_PAUSED ? self->monitor_resume_button : self->monitor_pause_button);
  /* The controls grey out in a frame after the state and counters. */
  if (trawl_crawl_is_active (self->crawl))
    update_controls (self);
  else
    queue_step (self, update_controls);
  gtk_label_set_label (self->state_label, _(trawl_crawl_get_state_label (self->crawl)));
}

/* Hosts. */

/* Updates the rows in place; hosts new to the table are added in one
 * splice, so a snapshot causes at most one items-changed. */
static void
show_hosts (TrawlMonitorView *self,
            GPtrArray        *hosts)
{
  g_autoptr (GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  if (hosts == NULL)
    return;

  for (guint i = 0; i < hosts->len; i++)
    {
      const TrawlHostStats *hs = hosts->pdata[i];
      TrawlHostRow *row = g_hash_table_lookup (self->host_rows, hs->host);

      if (row == NULL)
        {
          row = trawl_host_row_new (hs->host);
          g_hash_table_insert (self->host_rows, g_strdup (hs->host), row);
          g_ptr_array_add (added, row);
        }
      trawl_host_row_update (row, hs);
    }

  if (added->len > 0)
    g_list_store_splice (self->host_store, g_list_model_get_n_items (G_LIST_MODEL (self->host_store)), 0,
                         added->pdata, added->len);
}

static void
clear_hosts (TrawlMonitorView *self)
{
  g_hash_table_remove_all (self->host_rows);
  g_list_store_remove_all (self->host_store);
}

/* Reading a crawl file, in a worker thread. */

typedef struct {
  char      *path;
  gboolean   with_log;
  GArray    *samples;     /* of Sample */
  GPtrArray *log;         /* of owned TrawlLogItem*, oldest first */
  gint64     log_total;
  GPtrArray *hosts;       /* of owned TrawlHostStats* */
} Load;

typedef struct {
  double elapsed;
  double pages_per_second;
  gint64 errors;    /* failed URLs and 4xx and 5xx answers so far */
} Sample;

static void
host_stats_free (TrawlHostStats *hs)
{
  g_free (hs->host);
  g_free (hs);
}

static void
load_free (Load *load)
{
  g_free (load->path);
  g_clear_pointer (&load->samples, g_array_unref);
  g_clear_pointer (&load->log, g_ptr_array_unref);
  g_clear_pointer (&load->hosts, g_ptr_array_unref);
  g_free (load);
}

static TrawlLogLevel
level_from_string (const char *name)
{
  for (TrawlLogLevel level = TRAWL_LOG_DEBUG; level <= TRAWL_LOG_ERROR; level++)
    if (g_strcmp0 (name, trawl_log_level_to_string (level)) == 0)
      return level;
  return TRAWL_LOG_INFO;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  trawl_thread_lower_priority ();
  if (trawl_store_open_db (load->path, &db, SQLITE_OPEN_READONLY) != SQLITE_OK)
    {
      GError *error = NULL;

      trawl_store_set_read_error (&error, db, load->path);
      g_task_return_error (task, error);
      sqlite3_close (db);
      return;
    }
  sqlite3_busy_timeout (db, 2000);

  load->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  if (sqlite3_prepare_v2 (db, "SELECT elapsed, pages_per_second, failed + status_4xx + status_5xx FROM samples ORDER BY time",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW && !g_cancellable_is_cancelled (cancellable))
        {
          Sample sample = {
            .elapsed = sqlite3_column_double (stmt, 0),
            .pages_per_second = sqlite3_column_double (stmt, 1),
            .errors = sqlite3_column_int64 (stmt, 2),
          };

          g_array_append_val (load->samples, sample);
        }
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (load->with_log)
    {
      load->log = g_ptr_array_new_with_free_func (g_object_unref);
      if (sqlite3_prepare_v2 (db, "SELECT time, level, message, url FROM log ORDER BY id DESC LIMIT ?1",
                              -1, &stmt, NULL) == SQLITE_OK)
        {
          sqlite3_bind_int (stmt, 1, LOG_LINES);
          while (sqlite3_step (stmt) == SQLITE_ROW && !g_cancellable_is_cancelled (cancellable))
            g_ptr_array_add (load->log,
                             trawl_log_item_new (sqlite3_column_double (stmt, 0),
                                                 level_from_string ((const char *) sqlite3_column_text (stmt, 1)),
                                                 (const char *) sqlite3_column_text (stmt, 2),
                                                 (const char *) sqlite3_column_text (stmt, 3)));
          /* They were read newest first. */
          for (guint i = 0; i < load->log->len / 2; i++)
            {
              gpointer tmp = load->log->pdata[i];

              load->log->pdata[i] = load->log->pdata[load->log->len - 1 - i];
              load->log->pdata[load->log->len - 1 - i] = tmp;
            }
        }
      sqlite3_finalize (stmt);
      stmt = NULL;

      load->log_total = load->log->len;
      if (load->log->len == LOG_LINES &&
          sqlite3_prepare_v2 (db, "SELECT max(id) - min(id) + 1 FROM log", -1, &stmt, NULL) == SQLITE_OK)
        {
          if (sqlite3_step (stmt) == SQLITE_ROW)
            load->log_total = sqlite3_column_int64 (stmt, 0);
        }
      sqlite3_finalize (stmt);
      stmt = NULL;

      /* The engine keeps per-host figures in memory only; for a file,
       * they are counted from its pages: requests, errors and the mean
       * time to the response headers. */
      load->hosts = g_ptr_array_new_with_free_func ((GDestroyNotify) host_stats_free);
      if (sqlite3_prepare_v2 (db,
                              "SELECT u.host, count(*), "
                              "       sum(p.status = 0 OR p.status >= 400), "
                              "       avg(CASE WHEN p.status > 0 THEN p.ttfb_ms END) "
                              "FROM pages p JOIN urls u ON u.id = p.id "
                              "GROUP BY u.host ORDER BY count(*) DESC LIMIT 100",
                              -1, &stmt, NULL) == SQLITE_OK)
        {
          while (sqlite3_step (stmt) == SQLITE_ROW && !g_cancellable_is_cancelled (cancellable))
            {
              TrawlHostStats *hs = g_new0 (TrawlHostStats, 1);

              hs->host = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
              hs->done = sqlite3_column_int64 (stmt, 1);
              hs->errors = sqlite3_column_int64 (stmt, 2);
              hs->avg_latency_ms = sqlite3_column_double (stmt, 3);
              g_ptr_array_add (load->hosts, hs);
            }
        }
      sqlite3_finalize (stmt);
    }

  sqlite3_close (db);
  g_task_return_boolean (task, TRUE);
}

/* Shows what load_done() kept of the file. */
static void
show_loaded (TrawlMonitorView *self)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->loaded);
  Load *load = g_task_get_task_data (task);

  trawl_chart_clear (self->chart);
  for (guint i = 0; i < load->samples->len; i++)
    {
      Sample *sample = &g_array_index (load->samples, Sample, i);

      trawl_chart_add_sample (self->chart, sample->elapsed, sample->pages_per_second, sample->errors);
    }

  if (load->log != NULL)
    {
      trawl_log_model_clear (self->log_model);
      trawl_log_model_append (self->log_model, load->log);
      if (load->log_total > load->log->len)
        take_label (self->log_note_label,
                    g_strdup_printf (_("The last %u of %" PRId64 " lines"), load->log->len, load->log_total));
      else
        set_label (self->log_note_label, "");
    }

  if (load->hosts != NULL)
    {
      const TrawlJob *job = trawl_crawl_get_job (self->crawl);

      for (guint i = 0; i < load->hosts->len; i++)
        ((TrawlHostStats *) load->hosts->pdata[i])->delay = job->delay;
      show_hosts (self, load->hosts);
    }
}

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TrawlMonitorView *self = TRAWL_MONITOR_VIEW (source);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s", error->message);
      return;
    }

  /* What was read is shown in a frame of its own. */
  g_set_object (&self->loaded, G_TASK (result));
  queue_step (self, show_loaded);
}

/* Reads the chart and, with @with_log, the log and hosts from the file. */
static void
load_file (TrawlMonitorView *self,
           gboolean          with_log)
{
  g_autoptr (GTask) task = NULL;
  Load *load;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  load = g_new0 (Load, 1);
  load->path = g_strdup (trawl_crawl_get_path (self->crawl));
  load->with_log = with_log;

  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, load_file);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  /* A cancelled load must not touch the view, which may be gone. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

/* Live updates. */

static void
on_stats (TrawlCrawl       *crawl,
          const TrawlStats *stats,
          TrawlMonitorView *self)
{
  show_stats (self, stats);
  show_hosts (self, stats->hosts);

  /* The engine stores a sample about once a second; the chart follows
   * at the same pace, and is read again from the file when the crawl
   * ends so that it matches the stored timeline exactly. */
  if (trawl_chart_get_n_samples (self->chart) == 0 ||
      stats->elapsed < trawl_chart_get_last_elapsed (self->chart) ||
      stats->elapsed - trawl_chart_get_last_elapsed (self->chart) >= 1.0)
    trawl_chart_add_sample (self->chart, stats->elapsed, stats->pages_per_second,
                            stats->failed + stats->status_4xx + stats->status_5xx);
}

static gboolean
flush_log (gpointer user_data)
{
  TrawlMonitorView *self = user_data;

  self->log_flush_id = 0;
  trawl_log_model_append (self->log_model, self->pending_log);
  g_ptr_array_set_size (self->pending_log, 0);
  if (trawl_log_model_get_n_lines (self->log_model) >= LOG_LINES)
    take_label (self->log_note_label, g_strdup_printf (_("The last %u lines"), LOG_LINES));
  return G_SOURCE_REMOVE;
}

static void
on_log (TrawlCrawl       *crawl,
        int               level,
        const char       *message,
        const char       *url,
        TrawlMonitorView *self)
{
  g_ptr_array_add (self->pending_log,
                   trawl_log_item_new (g_get_real_time () / (double) G_USEC_PER_SEC, level, message, url));
  if (self->log_flush_id == 0)
    self->log_flush_id = g_timeout_add (LOG_FLUSH_MS, flush_log, self);
}

static void
on_state (TrawlCrawl       *crawl,
          GParamSpec       *pspec,
          TrawlMonitorView *self)
{
  /* A continued crawl keeps the speed shown here: TrawlCrawl applies it. */
  update_state (self);
  show_stats (self, trawl_crawl_get_stats (crawl));
}

/* The last log lines, and no host has anything in flight any more. */
static void
show_ended_lists (TrawlMonitorView *self)
{
  g_clear_handle_id (&self->log_flush_id, g_source_remove);
  flush_log (self);
  for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (self->host_store)); i < n; i++)
    {
      g_autoptr (TrawlHostRow) row = g_list_model_get_item (G_LIST_MODEL (self->host_store), i);
      TrawlHostStats hs = {
        .done = trawl_host_row_get_done (row),
        .errors = trawl_host_row_get_errors (row),
        .avg_latency_ms = trawl_host_row_get_latency (row),
        .delay = trawl_host_row_get_delay (row),
      };

      trawl_host_row_update (row, &hs);
    }
}

static void
on_finished (TrawlCrawl       *crawl,
             TrawlMonitorView *self)
{
  /* The state and counters at the top are drawn first; the lists at the
   * bottom, the controls and the chart read back from the file each follow
   * in a frame of their own. */
  update_state (self);
  show_stats (self, trawl_crawl_get_stats (crawl));
  queue_step (self, show_ended_lists);
  load_file (self, FALSE);
}

/* Controls. */

static void
on_concurrency_changed (TrawlMonitorView *self)
{
  if (self->crawl == NULL || self->updating_controls)
    return;
  trawl_crawl_set_concurrency (self->crawl,
                               gtk_spin_button_get_value_as_int (self->concurrency_spin),
                               gtk_spin_button_get_value_as_int (self->per_host_spin));
}

static void
on_delay_changed (TrawlMonitorView *self)
{
  if (self->crawl == NULL || self->updating_controls)
    return;
  trawl_crawl_set_delay (self->crawl, gtk_spin_button_get_value (self->delay_spin));
}

static void
on_level_changed (TrawlMonitorView *self)
{
  static const TrawlLogLevel levels[] = { TRAWL_LOG_DEBUG, TRAWL_LOG_INFO, TRAWL_LOG_WARNING, TRAWL_LOG_ERROR };
  guint selected = gtk_drop_down_get_selected (self->level_dropdown);

  if (selected < G_N_ELEMENTS (levels))
    trawl_log_model_set_min_level (self->log_model, levels[selected]);
}

static void
on_search_changed (TrawlMonitorView *self)
{
  trawl_log_model_set_search (self->log_model, gtk_editable_get_text (GTK_EDITABLE (self->log_search_entry)));
}

/* Construction. */

static void
trawl_monitor_view_class_init (TrawlMonitorViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_monitor_view_dispose;
  object_class->finalize = trawl_monitor_view_finalize;

  g_type_ensure (TRAWL_TYPE_CHART);
  g_type_ensure (TRAWL_TYPE_HOST_ROW);
  g_type_ensure (TRAWL_TYPE_LOG_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-monitor-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, problem_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, problem_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, state_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, monitor_pause_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, monitor_resume_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, monitor_run_stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, monitor_stop_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, per_host_spin);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, delay_spin);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, counters_grid);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, chart);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, status_bar);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, status_grid);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, host_store);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, log_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, log_note_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, level_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TrawlMonitorView, log_search_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_concurrency_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_delay_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_level_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

/* The counters are alike, so they are made from a table rather than
 * written out eight times in the template: a large number over a caption,
 * in a card.  Each value label is named after its counter. */
static void
build_counters (TrawlMonitorView *self)
{
  for (guint i = 0; i < N_COUNTERS; i++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *value = gtk_label_new ("0");
      GtkWidget *caption = gtk_label_new (_(counter_info[i].caption));
      g_autofree char *name = g_strdup_printf ("%s-value", counter_info[i].name);

      gtk_widget_add_css_class (box, "card");
      gtk_widget_set_margin_top (value, 12);
      gtk_widget_set_margin_bottom (caption, 12);
      gtk_widget_set_margin_start (value, 6);
      gtk_widget_set_margin_end (value, 6);
      gtk_widget_add_css_class (value, "title-2");
      gtk_widget_add_css_class (value, "numeric");
      gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_add_css_class (caption, "caption-heading");
      gtk_widget_set_name (value, name);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL, -1);
      gtk_box_append (GTK_BOX (box), value);
      gtk_box_append (GTK_BOX (box), caption);
      gtk_grid_attach (self->counters_grid, box, i, 0, 1, 1);
      self->counter_labels[i] = GTK_LABEL (value);
    }

  for (guint i = 0; i < N_STATUSES; i++)
    {
      GtkWidget *dot = gtk_label_new ("●");
      GtkWidget *caption = gtk_label_new (_(status_info[i].caption));
      GtkWidget *value = gtk_label_new ("0");

      gtk_widget_add_css_class (dot, status_info[i].style);
      gtk_accessible_update_state (GTK_ACCESSIBLE (dot), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_widget_set_hexpand (caption, TRUE);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_set_name (value, status_info[i].name);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL, -1);
      gtk_grid_attach (self->status_grid, dot, 0, i, 1, 1);
      gtk_grid_attach (self->status_grid, caption, 1, i, 1, 1);
      gtk_grid_attach (self->status_grid, value, 2, i, 1, 1);
      self->status_labels[i] = GTK_LABEL (value);
    }
}

static void
trawl_monitor_view_init (TrawlMonitorView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->log_model = trawl_log_model_new (LOG_LINES);
  self->pending_log = g_ptr_array_new_with_free_func (g_object_unref);
  self->host_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_list_view_set_model (self->log_view,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->log_model)))));
  gtk_drawing_area_set_draw_func (self->status_bar, draw_status_bar, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Share of each kind of response"), -1);
  build_counters (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* API. */

void
trawl_monitor_view_set_crawl (TrawlMonitorView *self,
                              TrawlCrawl       *crawl)
{
  const TrawlJob *job;

  g_return_if_fail (TRAWL_IS_MONITOR_VIEW (self));
  g_return_if_fail (crawl == NULL || TRAWL_IS_CRAWL (crawl));

  if (crawl == self->crawl)
    return;

  disconnect_crawl (self);
  trawl_chart_clear (self->chart);
  trawl_log_model_clear (self->log_model);
  clear_hosts (self);
  set_label (self->log_note_label, "");

  if (crawl == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  self->crawl = g_object_ref (crawl);
  g_signal_connect_object (crawl, "stats", G_CALLBACK (on_stats), self, 0);
  g_signal_connect_object (crawl, "log", G_CALLBACK (on_log), self, 0);
  g_signal_connect_object (crawl, "notify::state", G_CALLBACK (on_state), self, 0);
  g_signal_connect_object (crawl, "notify::problem", G_CALLBACK (on_state), self, 0);
  g_signal_connect_object (crawl, "notify::nothing-fetched", G_CALLBACK (on_state), self, 0);
  g_signal_connect_object (crawl, "finished", G_CALLBACK (on_finished), self, 0);

  job = trawl_crawl_get_job (crawl);
  /* Items are counted only for a crawl with extraction rules. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->counter_labels[COUNTER_ITEMS])),
                          job->extract != NULL && job->extract[0] != NULL);
  self->updating_controls = TRUE;
  gtk_spin_button_set_value (self->concurrency_spin, job->concurrency);
  gtk_spin_button_set_value (self->per_host_spin, job->per_host);
  gtk_spin_button_set_value (self->delay_spin, job->delay);
  self->updating_controls = FALSE;

  update_state (self);
  update_controls (self);
  show_stats (self, trawl_crawl_get_stats (crawl));
  gtk_stack_set_visible_child_name (self->stack, "monitor");

  /* A crawl that ran before has a history in its file. */
  if (trawl_crawl_get_state (crawl) != TRAWL_ENGINE_READY && !trawl_crawl_is_active (crawl))
    load_file (self, TRUE);
}

/**
 * trawl_monitor_view_get_chart:
 * @self: a monitor view
 *
 * Returns: (transfer none): the chart, for tests.
 */
TrawlChart *
trawl_monitor_view_get_chart (TrawlMonitorView *self)
{
  g_return_val_if_fail (TRAWL_IS_MONITOR_VIEW (self), NULL);
  return self->chart;
}

/**
 * trawl_monitor_view_get_host_model:
 * @self: a monitor view
 *
 * Returns: (transfer none): the hosts, in the order they were first seen.
 */
GListModel *
trawl_monitor_view_get_host_model (TrawlMonitorView *self)
{
  g_return_val_if_fail (TRAWL_IS_MONITOR_VIEW (self), NULL);
  return G_LIST_MODEL (self->host_store);
}

/**
 * trawl_monitor_view_get_log_model:
 * @self: a monitor view
 *
 * Returns: (transfer none): the log lines the view shows, newest first.
 */
GListModel *
trawl_monitor_view_get_log_model (TrawlMonitorView *self)
{
  g_return_val_if_fail (TRAWL_IS_MONITOR_VIEW (self), NULL);
  return G_LIST_MODEL (self->log_model);
}
