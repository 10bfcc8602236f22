/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-window.c — the main window.
 *
 * For now the window is the start page of the full application: a URL, a
 * Start button and a live progress line.  The crawl runs in the engine's
 * thread; this window only observes it, so the UI never waits for it.
 */
#define G_LOG_DOMAIN "trawl-window"

#include "config.h"

#include "trawl-window.h"

#include "trawl-engine.h"
#include "trawl-url.h"

struct _TrawlWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkEntry             *url_entry;
  GtkLabel             *message_label;
  GtkLabel             *progress_label;

  TrawlEngine          *engine;     /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (TrawlWindow, trawl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (TrawlWindow *self)
{
  gboolean crawling = trawl_window_is_crawling (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", !crawling);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", crawling);
}

static void
on_stats (TrawlEngine *engine,
          TrawlStats  *stats,
          TrawlWindow *self)
{
  g_autofree char *line = trawl_stats_format_line (stats);

  gtk_label_set_label (self->progress_label, line);
}

static void
on_finished (TrawlEngine *engine,
             TrawlWindow *self)
{
  const GError *error = trawl_engine_get_error (engine);
  g_autoptr (TrawlStats) stats = trawl_engine_get_stats (engine);
  g_autofree char *line = trawl_stats_format_line (stats);
  g_autofree char *text = g_strdup_printf ("%s — %s\n%s", trawl_engine_state_to_string (trawl_engine_get_state (engine)),
                                           trawl_engine_get_path (engine), line);

  gtk_label_set_label (self->progress_label, text);
  gtk_label_set_label (self->message_label, error ? error->message : "");
  update_actions (self);
}

static char *
new_crawl_path (const char *url)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "trawl", "crawls", NULL);
  g_autofree char *canonical = trawl_url_canonicalize (url, NULL);
  g_autofree char *host = canonical ? trawl_url_get_host (canonical) : g_strdup ("crawl");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s.trawl", host, stamp);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, name, NULL);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  g_autoptr (TrawlJob) job = trawl_job_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  const char *urls[] = { url, NULL };

  job->start_urls = g_strdupv ((char **) urls);
  if (!trawl_job_validate (job, &error))
    {
      gtk_label_set_label (self->message_label, error->message);
      return;
    }

  path = new_crawl_path (url);
  g_clear_object (&self->engine);
  self->engine = trawl_engine_new (job, path, &error);
  if (self->engine == NULL)
    {
      gtk_label_set_label (self->message_label, error->message);
      return;
    }

  gtk_label_set_label (self->message_label, "");
  g_signal_connect_object (self->engine, "stats", G_CALLBACK (on_stats), self, 0);
  g_signal_connect_object (self->engine, "finished", G_CALLBACK (on_finished), self, 0);
  trawl_engine_start (self->engine);
  update_actions (self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  if (self->engine != NULL)
    trawl_engine_stop (self->engine);
}

static void
trawl_window_dispose (GObject *object)
{
  TrawlWindow *self = TRAWL_WINDOW (object);

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      trawl_engine_stop (self->engine);
    }
  g_clear_object (&self->engine);

  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_WINDOW);

  G_OBJECT_CLASS (trawl_window_parent_class)->dispose (object);
}

static void
trawl_window_class_init (TrawlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, url_entry);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, progress_label);

  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.stop", NULL);
}

static void
trawl_window_init (TrawlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

TrawlWindow *
trawl_window_new (GtkApplication *application)
{
  return g_object_new (TRAWL_TYPE_WINDOW, "application", application, NULL);
}

/**
 * trawl_window_get_crawl_path:
 * @self: a window
 *
 * Returns: (nullable): the file of the current or last crawl.
 */
const char *
trawl_window_get_crawl_path (TrawlWindow *self)
{
  return self->engine ? trawl_engine_get_path (self->engine) : NULL;
}

gboolean
trawl_window_is_crawling (TrawlWindow *self)
{
  TrawlEngineState state;

  if (self->engine == NULL)
    return FALSE;
  state = trawl_engine_get_state (self->engine);
  return state == TRAWL_ENGINE_RUNNING || state == TRAWL_ENGINE_PAUSED || state == TRAWL_ENGINE_STOPPING;
}
