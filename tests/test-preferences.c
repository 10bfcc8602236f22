/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preferences.c — the preferences window and the settings it keeps,
 * seen in new windows and new crawls, under Xvfb with GSettings in memory. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-job-editor.h"
#include "trawl-preferences-window.h"
#include "trawl-settings.h"
#include "trawl-setup-view.h"
#include "trawl-test-site.h"

static GtkWidget *
window_new (void)
{
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));

  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_text (window, "Crawl a Website", 5000);
  test_ui_settle (200);
  return window;
}

static gboolean
find_preferences (gpointer data)
{
  GtkWidget **found = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);

      if (TRAWL_IS_PREFERENCES_WINDOW (item) && gtk_widget_get_mapped (GTK_WIDGET (item)))
        *found = GTK_WIDGET (item);
    }
  return *found != NULL;
}

/* Opens Preferences as the menu item and Ctrl+comma do. */
static GtkWidget *
open_preferences (GtkWidget *window)
{
  GtkWidget *prefs = NULL;

  g_assert_true (gtk_widget_activate_action (window, "win.preferences", NULL));
  test_ui_wait (find_preferences, &prefs, 5000, "the preferences window");
  test_ui_settle (200);
  return prefs;
}

static void
show_page (GtkWidget  *prefs,
           const char *name)
{
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), name);
  test_ui_settle (200);
}

static void
test_appearance (void)
{
  g_autoptr (GSettings) settings = trawl_settings_new ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window, *prefs, *row;

  /* What the application does when it starts. */
  trawl_settings_follow_appearance (settings);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  window = window_new ();
  prefs = open_preferences (window);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (prefs)) == GTK_WINDOW (window));
  g_assert_cmpuint (test_ui_screenshot (prefs, "preferences-general.png"), >, 20);

  /* The notifications switch is the setting the window reads when a
   * crawl ends. */
  row = test_ui_find_named (prefs, "notifications_switch");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (row)));
  gtk_switch_set_active (GTK_SWITCH (row), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notifications"));
  g_settings_reset (settings, "notifications");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (row)));

  show_page (prefs, "appearance");
  row = test_ui_find_named (prefs, "appearance_row");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 2);
  test_ui_settle (100);
  g_assert_cmpint (g_settings_get_enum (settings, "appearance"), ==, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (style));

  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 1);
  test_ui_settle (100);
  g_assert_false (adw_style_manager_get_dark (style));
  /* Light: test_ui_screenshot () paints a light background under the
   * window, which a dark window's translucent rows would show through. */
  g_assert_cmpuint (test_ui_screenshot (prefs, "preferences-appearance.png"), >, 20);

  /* Changed elsewhere (gsettings set), the row and the style follow. */
  g_settings_reset (settings, "appearance");
  test_ui_settle (100);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);

  g_signal_handlers_disconnect_matched (settings, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *
entry_text (GtkWidget  *root,
            const char *id)
{
  return gtk_editable_get_text (GTK_EDITABLE (test_ui_find_named (root, id)));
}

static void
set_entry (GtkWidget  *root,
           const char *id,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (root, id)), text);
}

static void
test_defaults (void)
{
  g_autoptr (GSettings) settings = trawl_settings_new ();
  g_autoptr (GSettings) defaults = g_settings_get_child (settings, "job-defaults");
  g_autoptr (TrawlTestSite) site = test_ui_site_new (5, 0, FALSE);
  g_autofree char *folder = test_tmp_path ("chosen-folder");
  g_autofree char *in_home = g_build_filename (g_get_home_dir (), "Crawls", NULL);
  g_autofree char *robots = NULL;
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *window, *prefs, *second;
  TrawlCrawl *crawl;

  window = window_new ();
  /* Before any change, the built-in defaults. */
  g_assert_cmpstr (entry_text (window, "concurrency"), ==, "16");
  prefs = open_preferences (window);
  show_page (prefs, "crawling");
  g_assert_cmpstr (entry_text (prefs, "concurrency"), ==, "16");
  g_assert_cmpstr (entry_text (prefs, "timeout"), ==, "30");
  g_assert_cmpstr (entry_text (prefs, "max_depth"), ==, "-1");

  /* A value trawl-cli would refuse is named, in trawl-job.c's words, and
   * not kept. */
  set_entry (prefs, "concurrency", "0");
  g_assert_nonnull (trawl_preferences_window_get_problem (TRAWL_PREFERENCES_WINDOW (prefs)));
  g_assert_nonnull (strstr (trawl_preferences_window_get_problem (TRAWL_PREFERENCES_WINDOW (prefs)),
                            "Must be a whole number from 1 to 1024, not “0”"));
  g_assert_true (gtk_widget_has_css_class (test_ui_find_named (prefs, "concurrency"), "error"));
  test_ui_wait_text (prefs, "Requests at Once: Must be a whole number", 2000);
  g_assert_cmpint (g_settings_get_int (defaults, "concurrency"), ==, 16);
  g_assert_cmpuint (test_ui_screenshot (prefs, "preferences-crawling-error.png"), >, 20);

  set_entry (prefs, "concurrency", " 8 ");
  g_assert_null (trawl_preferences_window_get_problem (TRAWL_PREFERENCES_WINDOW (prefs)));
  g_assert_false (gtk_widget_has_css_class (test_ui_find_named (prefs, "concurrency"), "error"));
  g_assert_cmpint (g_settings_get_int (defaults, "concurrency"), ==, 8);
  set_entry (prefs, "delay", "0.25");
  set_entry (prefs, "max_pages", "3");
  set_entry (prefs, "user_agent", "TestBot/1.0");
  adw_combo_row_set_selected (ADW_COMBO_ROW (test_ui_find_named (prefs, "robots")), 2);
  g_assert_cmpfloat (g_settings_get_double (defaults, "delay"), ==, 0.25);
  g_assert_cmpint (g_settings_get_int (defaults, "max-pages"), ==, 3);
  robots = g_settings_get_string (defaults, "robots");
  g_assert_cmpstr (robots, ==, "report");
  g_assert_cmpuint (test_ui_screenshot (prefs, "preferences-crawling.png"), >, 20);

  /* The crawl folder, as the Choose… button's dialog would set it.  One
   * in the home folder is shown from "~". */
  show_page (prefs, "general");
  g_settings_set_string (settings, "crawl-folder", in_home);
  test_ui_wait_text (prefs, "~/Crawls", 2000);
  g_settings_set_string (settings, "crawl-folder", folder);
  test_ui_wait_text (prefs, folder, 2000);
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The open window keeps its job; a new one starts from the defaults. */
  g_assert_cmpstr (entry_text (window, "concurrency"), ==, "16");
  second = window_new ();
  g_assert_cmpstr (entry_text (second, "concurrency"), ==, "8");
  g_assert_cmpstr (entry_text (second, "per_host"), ==, "4");
  g_assert_cmpstr (entry_text (second, "delay"), ==, "0.25");
  g_assert_cmpstr (entry_text (second, "max_pages"), ==, "3");
  g_assert_cmpstr (entry_text (second, "user_agent"), ==, "TestBot/1.0");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (test_ui_find_named (second, "robots"))), ==, 2);
  test_ui_wait_text (second, folder, 2000);

  /* Its crawl uses them, and is saved in the chosen folder. */
  test_ui_start_crawl (second, trawl_test_site_get_url (site));
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (second));
  g_assert_nonnull (crawl);
  g_assert_true (g_str_has_prefix (trawl_crawl_get_path (crawl), folder));
  g_assert_cmpint (trawl_crawl_get_job (crawl)->concurrency, ==, 8);
  g_assert_cmpint (trawl_crawl_get_job (crawl)->max_pages, ==, 3);
  g_assert_cmpstr (trawl_crawl_get_job (crawl)->user_agent, ==, "TestBot/1.0");
  g_assert_cmpint (trawl_crawl_get_job (crawl)->robots, ==, TRAWL_ROBOTS_REPORT);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (second), 60000), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (trawl_crawl_get_stats (crawl)->fetched, ==, 3);

  /* A default set to something trawl-cli refuses (by hand, with the
   * gsettings tool) leaves the built-in value. */
  g_settings_set_int (defaults, "per-host", 0);
  job = trawl_settings_dup_default_job (settings);
  g_assert_cmpint (job->per_host, ==, 4);
  g_assert_cmpint (job->concurrency, ==, 8);

  gtk_window_destroy (GTK_WINDOW (second));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "crawl-folder");
  for (const char *const *k = (const char *const[]) { "concurrency", "per-host", "delay", "max-pages",
                                                      "user-agent", "robots", NULL }; *k; k++)
    g_settings_reset (defaults, *k);
}

static void
test_window_size (void)
{
  g_autoptr (GSettings) settings = trawl_settings_new ();
  GtkWidget *window;
  int width, height;

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1100);
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);

  /* Opened with the size saved... */
  window = window_new ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);
  /* The default size counts the client-side decorations' margin. */
  g_assert_cmpint (gtk_widget_get_width (window), >, 1000 - 24);
  g_assert_cmpint (gtk_widget_get_width (window), <=, 1000);
  g_assert_cmpint (gtk_widget_get_height (window), >, 700 - 24);
  g_assert_cmpint (gtk_widget_get_height (window), <=, 700);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));

  /* ...and closed with the size it was given. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  test_ui_settle (200);
  gtk_window_close (GTK_WINDOW (window));
  test_ui_settle (100);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1200);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 760);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = window_new ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1200);
  g_assert_cmpint (height, ==, 760);
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/preferences/appearance", test_appearance);
  g_test_add_func ("/preferences/defaults", test_defaults);
  g_test_add_func ("/preferences/window-size", test_window_size);

  return g_test_run ();
}
