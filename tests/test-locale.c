/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-locale.c — the window in Simplified Chinese, under Xvfb. */
#include "config.h"

#include <glib/gi18n.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-i18n.h"
#include "trawl-log-item.h"
#include "trawl-monitor-view.h"
#include "trawl-results-view.h"
#include "trawl-test-site.h"

/* Why the tests cannot run, or NULL: set in main() before GTK starts. */
static const char *skip_reason;

static const char *
page_title (GtkWidget  *window,
            const char *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (test_ui_find (window, ADW_TYPE_VIEW_STACK, 0));
  GtkWidget *child = adw_view_stack_get_child_by_name (stack, name);

  g_assert_nonnull (child);
  return adw_view_stack_page_get_title (adw_view_stack_get_page (stack, child));
}

static void
test_chinese_window (void)
{
  g_autoptr (TrawlTestSite) site = NULL;
  GtkWidget *window;
  const struct { const char *name, *title; } views[] = {
    { "setup", "设置" },
    { "monitor", "监视" },
    { "results", "结果" },
    { "items", "条目" },
    { "issues", "问题" },
  };

  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return;
    }

  site = test_ui_site_new (10, 0, FALSE);
  window = GTK_WIDGET (trawl_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));

  /* The Setup page and the view switcher speak Chinese, as the catalogue
   * says: the literals here are the msgstrs of po/zh_CN.po. */
  test_ui_wait_text (window, "爬取网站", 5000);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (test_ui_find_named (window, "start_button"))), ==, "开始(_S)");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (test_ui_find_named (window, "start_button"))), ==,
                   g_dgettext (GETTEXT_PACKAGE, "_Start"));
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    g_assert_cmpstr (page_title (window, views[i].name), ==, views[i].title);
  g_assert_cmpuint (test_ui_screenshot (window, "locale-zh_CN-setup.png"), >, 20);

  /* Strings made in the code at run time are translated too: the state on
   * the monitor and the plural forms of the counts… */
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  test_ui_wait_text (window, "已完成", 2000);
  /* …and so are the engine's log lines and their levels: the newest line
   * of the log, as its row shows it. */
  test_ui_wait_text (window, "爬取已完成", 2000);
  {
    TrawlMonitorView *monitor = TRAWL_MONITOR_VIEW (test_ui_find (window, TRAWL_TYPE_MONITOR_VIEW, 0));
    g_autoptr (TrawlLogItem) newest = g_list_model_get_item (trawl_monitor_view_get_log_model (monitor), 0);
    g_autofree char *level = NULL;

    g_object_get (newest, "level-name", &level, NULL);
    g_assert_cmpstr (trawl_log_item_get_message (newest), ==, "爬取已完成");
    g_assert_cmpstr (level, ==, "信息");
  }
  g_assert_cmpuint (test_ui_screenshot (window, "locale-zh_CN-monitor.png"), >, 20);

  /* …and the core's labels of a page, as the Results rows show them. */
  gtk_widget_activate_action (window, "win.view", "s", "results");
  test_ui_wait_text (window, "被 Robots 阻止", 2000);
  {
    TrawlResultsView *results = TRAWL_RESULTS_VIEW (test_ui_find (window, TRAWL_TYPE_RESULTS_VIEW, 0));
    g_autoptr (GObject) row = g_list_model_get_item (G_LIST_MODEL (trawl_results_view_get_model (results)), 0);
    g_autofree char *time = NULL;

    g_object_get (row, "time-label", &time, NULL);
    g_assert_true (g_str_has_suffix (time, " 毫秒"));
  }
  g_assert_cmpuint (test_ui_screenshot (window, "locale-zh_CN-results.png"), >, 20);

  gtk_widget_activate_action (window, "win.view", "s", "issues");
  test_ui_settle (200);
  g_assert_cmpuint (test_ui_screenshot (window, "locale-zh_CN-issues.png"), >, 20);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("TRAWL_LOCALEDIR");

  /* As app/main.c does, with the catalogue the build compiled: the tests
   * build the window without going through main(). */
  if (!trawl_i18n_init ())
    {
      skip_reason = "the locale zh_CN.UTF-8 is not installed: generate it with locale-gen (./run does)";
      /* GTK would warn about the locale, and a warning fails the test. */
      gtk_disable_setlocale ();
    }
  else if (localedir == NULL || !g_file_test (localedir, G_FILE_TEST_IS_DIR))
    skip_reason = "TRAWL_LOCALEDIR names no folder with the compiled catalogues";

  test_ui_init (&argc, &argv);

  g_test_add_func ("/window/chinese", test_chinese_window);

  return g_test_run ();
}
