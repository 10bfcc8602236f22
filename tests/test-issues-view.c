/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-issues-view.c — the Issues view (a site audit), driven under Xvfb. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-issues-view.h"
#include "trawl-test-site.h"

static TrawlTestSite *
site_new (guint    n_pages,
          guint    delay_ms,
          gboolean edges)
{
  TrawlTestSiteOptions options = { .n_pages = n_pages, .page_delay_ms = delay_ms, .no_edge_cases = !edges };
  g_autoptr (GError) error = NULL;
  TrawlTestSite *site = trawl_test_site_new (&options, &error);

  g_assert_no_error (error);
  return site;
}

static void
start_crawl (GtkWidget  *window,
             const char *url)
{
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), url);
  gtk_widget_activate_action (window, "win.start", NULL);
}

static const char *
visible_view (GtkWidget *window)
{
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (test_ui_find (window, ADW_TYPE_VIEW_STACK, 0)));
}

/* The sidebar row of a check. */
static GtkListBoxRow *
check_row (GtkWidget  *view,
           const char *check_id)
{
  g_autoptr (GPtrArray) rows = test_ui_find_all (view, GTK_TYPE_LIST_BOX_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (rows->pdata[i]), check_id) == 0)
      return rows->pdata[i];
  g_error ("no sidebar row for the check “%s”", check_id);
}

/* The count a sidebar row shows, the last label of the row. */
static const char *
check_count (GtkWidget  *view,
             const char *check_id)
{
  GtkWidget *box = gtk_list_box_row_get_child (check_row (view, check_id));

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (box)));
}

/* The icon a sidebar row shows, its first child. */
static const char *
check_icon (GtkWidget  *view,
            const char *check_id)
{
  GtkWidget *box = gtk_list_box_row_get_child (check_row (view, check_id));

  return gtk_image_get_icon_name (GTK_IMAGE (gtk_widget_get_first_child (box)));
}

typedef struct {
  GtkWidget  *view;
  const char *check_id;
  const char *count;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *w = data;

  return g_strcmp0 (check_count (w->view, w->check_id), w->count) == 0;
}

static void
wait_count (GtkWidget  *view,
            const char *check_id,
            const char *count)
{
  CountWait w = { view, check_id, count };
  g_autofree char *what = g_strdup_printf ("“%s” to count %s", check_id, count);

  test_ui_wait (count_is, &w, 10000, what);
}

static GListModel *
list_rows (GtkWidget *view)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (test_ui_find_named (view, "column_view"))));
}

typedef struct {
  GtkWidget *view;
  guint      n;
} RowsWait;

static gboolean
rows_are (gpointer data)
{
  RowsWait *w = data;

  return g_list_model_get_n_items (list_rows (w->view)) == w->n;
}

/* Selects a check as a click would, and waits for its @n rows. */
static void
select_check (GtkWidget  *view,
              const char *check_id,
              guint       n)
{
  RowsWait w = { view, n };

  gtk_list_box_select_row (GTK_LIST_BOX (test_ui_find_named (view, "check_list")), check_row (view, check_id));
  test_ui_wait (rows_are, &w, 10000, "the check's rows");
  test_ui_settle (200);
}

static void
test_audit_after_crawl (void)
{
  g_autoptr (TrawlTestSite) site = site_new (10, 0, TRUE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *view = test_ui_find (window, TRAWL_TYPE_ISSUES_VIEW, 0);
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* Before any crawl, the view says what it is for. */
  gtk_widget_activate_action (window, "win.view", "s", "issues");
  test_ui_wait_text (view, "Nothing to Audit Yet", 2000);
  test_ui_settle (500);
  g_assert_cmpuint (test_ui_screenshot (window, "issues-empty.png"), >, 20);

  start_crawl (window, trawl_test_site_get_url (site));
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  gtk_widget_activate_action (window, "win.view", "s", "issues");
  g_assert_cmpstr (visible_view (window), ==, "issues");

  /* Each check counts the test site's edge cases made for it. */
  wait_count (view, "broken-links", "3");
  g_assert_cmpstr (check_count (view, "redirect-chains"), ==, "2");
  g_assert_cmpstr (check_count (view, "missing-titles"), ==, "1");
  g_assert_cmpstr (check_count (view, "duplicate-titles"), ==, "2");
  g_assert_cmpstr (check_count (view, "duplicate-descriptions"), ==, "2");
  g_assert_cmpstr (check_count (view, "missing-h1"), ==, "1");
  g_assert_cmpstr (check_count (view, "slow-pages"), ==, "1");
  g_assert_cmpstr (check_count (view, "large-pages"), ==, "1");
  g_assert_cmpstr (check_count (view, "blocked-by-robots"), ==, "1");
  g_assert_cmpstr (check_count (view, "non-indexable"), ==, "9");
  g_assert_cmpstr (check_count (view, "canonicalised"), ==, "1");
  g_assert_cmpstr (check_icon (view, "broken-links"), ==, "dialog-error-symbolic");
  g_assert_cmpstr (check_icon (view, "redirect-chains"), ==, "dialog-warning-symbolic");
  g_assert_cmpstr (check_icon (view, "canonicalised"), ==, "dialog-information-symbolic");

  /* The first check is shown: its broken URLs with the pages that link
   * to them, since the crawl has ended. */
  select_check (view, "broken-links", 3);
  test_ui_wait_text (view, "Broken Links", 2000);
  test_ui_wait_text (view, "edge/audit/gone.html", 2000);
  text = test_ui_text (view);
  g_assert_nonnull (strstr (text, "Linked From"));
  g_assert_nonnull (strstr (text, "edge/audit/broken.html"));
  g_assert_nonnull (strstr (text, "404"));
  g_assert_nonnull (strstr (text, "500"));
  g_assert_null (strstr (text, "listed once the crawl has ended"));
  g_assert_cmpuint (test_ui_screenshot (window, "issues-broken-links.png"), >, 20);

  /* Other checks list their own rows and columns. */
  select_check (view, "duplicate-titles", 2);
  test_ui_wait_text (view, "same-title-2.html", 2000);
  test_ui_wait_text (view, "Same title", 2000);
  select_check (view, "redirect-chains", 2);
  test_ui_wait_text (view, "Redirect loop", 2000);
  test_ui_wait_text (view, "Hops", 2000);
  select_check (view, "canonicalised", 1);
  test_ui_wait_text (view, "edge/audit/canonical.html", 2000);
  select_check (view, "non-indexable", 9);
  test_ui_wait_text (view, "meta robots: noindex", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "issues-non-indexable.png"), >, 20);

  /* Activating a row shows that page in Results. */
  select_check (view, "missing-titles", 1);
  g_signal_emit_by_name (test_ui_find_named (view, "column_view"), "activate", 0);
  g_assert_cmpstr (visible_view (window), ==, "results");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A site without problems passes most checks; while it is crawled the
 * counts follow the crawl and say so. */
static void
test_live_and_passed (void)
{
  g_autoptr (TrawlTestSite) site = site_new (30, 60, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *view = test_ui_find (window, TRAWL_TYPE_ISSUES_VIEW, 0);
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  start_crawl (window, trawl_test_site_get_url (site));
  gtk_widget_activate_action (window, "win.view", "s", "issues");
  test_ui_wait_text (view, "The crawl is still running", 5000);

  /* The generated pages lack a description when i % 10 == 9: 9, 19, 29,
   * and the orphans have none. */
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  wait_count (view, "missing-descriptions", "5");
  text = test_ui_text (view);
  g_assert_null (strstr (text, "The crawl is still running"));

  g_assert_cmpstr (check_count (view, "broken-links"), ==, "0");
  g_assert_cmpstr (check_icon (view, "broken-links"), ==, "emblem-ok-symbolic");
  g_assert_cmpstr (check_icon (view, "missing-descriptions"), ==, "dialog-warning-symbolic");
  select_check (view, "broken-links", 0);
  test_ui_wait_text (view, "Nothing the crawl found trips this check.", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "issues-passed.png"), >, 20);

  select_check (view, "missing-descriptions", 5);
  test_ui_wait_text (view, "page/29.html", 2000);
  test_ui_wait_text (view, "Orphan 2", 2000);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/issues/after-crawl", test_audit_after_crawl);
  g_test_add_func ("/issues/live-and-passed", test_live_and_passed);

  return g_test_run ();
}
