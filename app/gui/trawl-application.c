/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-application.c — the single-instance GTK application. */
#define G_LOG_DOMAIN "trawl-application"

#include "config.h"

#include "trawl-application.h"
#include "trawl-latency.h"
#include "trawl-settings.h"
#include "trawl-window.h"

#include <glib/gi18n.h>

struct _TrawlApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;  /* owned, once started */
};

G_DEFINE_FINAL_TYPE (TrawlApplication, trawl_application, ADW_TYPE_APPLICATION)

static gboolean
begin_probe (gpointer user_data)
{
  trawl_latency_probe_begin ();
  return G_SOURCE_REMOVE;
}

static void
on_first_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, user_data);
  g_timeout_add (250, begin_probe, NULL);
}

/* The latency probe counts from a quarter of a second after the first
 * frame a window has drawn: the toolkit's own start-up (fonts, icons,
 * styles) is not what it measures. */
static void
present (GtkWindow *window)
{
  gtk_window_present (window);
  if (trawl_latency_probe_is_running ())
    g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                      G_CALLBACK (on_first_paint), NULL);
}

static void
trawl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (trawl_window_new (GTK_APPLICATION (app)));
  present (window);
}

/* Crawl files from the command line or the file manager, each in a window
 * of its own, but the first may use an empty window already there; a web
 * address given instead starts a crawl of it with the settings of the
 * Setup view, and a job file fills those settings in. */
static void
trawl_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (app));

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      g_autofree char *uri = g_file_get_uri (files[i]);
      TrawlWindow *window;

      if (active != NULL && trawl_window_get_crawl (TRAWL_WINDOW (active)) == NULL)
        window = TRAWL_WINDOW (active);
      else
        window = trawl_window_new (GTK_APPLICATION (app));
      active = NULL;

      if (g_file_has_uri_scheme (files[i], "http") || g_file_has_uri_scheme (files[i], "https"))
        trawl_window_crawl_url (window, uri);
      else if (path != NULL && g_str_has_suffix (path, ".trawljob"))
        {
          /* A job is loaded into the Setup view; a web address after it
           * on the command line is crawled with it, in the same window. */
          trawl_window_load_job (window, path);
          active = GTK_WINDOW (window);
        }
      else if (path != NULL)
        trawl_window_open_file (window, path);
      else
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is neither a crawl file on this computer nor a web address."), uri);

          trawl_window_show_message (window, message);
        }
      present (GTK_WINDOW (window));
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  adw_show_about_window (window,
                         "application-name", _("Trawl"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Crawl websites, watch the crawl live, and audit what it finds"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
trawl_application_startup (GApplication *app)
{
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (trawl_application_parent_class)->startup (app);

  if (g_getenv ("TRAWL_LATENCY_REPORT") != NULL)
    trawl_latency_probe_start (g_getenv ("TRAWL_LATENCY_REPORT"));

  /* Light or dark from the first window on. */
  TRAWL_APPLICATION (app)->settings = trawl_settings_new ();
  trawl_settings_follow_appearance (TRAWL_APPLICATION (app)->settings);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
trawl_application_dispose (GObject *object)
{
  TrawlApplication *self = TRAWL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (trawl_application_parent_class)->dispose (object);
}

static void
trawl_application_class_init (TrawlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = trawl_application_dispose;

  app_class->activate = trawl_application_activate;
  app_class->startup = trawl_application_startup;
  app_class->open = trawl_application_open;
}

static void
trawl_application_init (TrawlApplication *self)
{
}

TrawlApplication *
trawl_application_new (void)
{
  return g_object_new (TRAWL_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
