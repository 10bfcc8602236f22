/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-issues-view.c — the Issues view (a site audit), driven under Xvfb. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-issues-view.h"
#include "trawl-test-site.h"

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

/* Which page of one of the view's stacks is shown: stack pages that are
 * not shown keep their labels "visible", so text alone cannot tell. */
static const char *
stack_page (GtkWidget  *view,
            const char *stack_id)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (test_ui_find_named (view, stack_id)));
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
  g_autoptr (TrawlTestSite) site = test_ui_site_new (10, 0, TRUE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *view = test_ui_find (window, TRAWL_TYPE_ISSUES_VIEW, 0);
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));

  /* Before any crawl, the view says what it is for. */
  gtk_widget_activate_action (window, "win.view", "s", "issues");
  test_ui_settle (500);
  g_assert_cmpstr (stack_page (view, "stack"), ==, "empty");
  test_ui_wait_text (view, "Nothing to Audit Yet", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "issues-empty.png"), >, 20);

  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  gtk_widget_activate_action (window, "win.view", "s", "issues");
  g_assert_cmpstr (visible_view (window), ==, "issues");

  /* Each check counts the test site's edge cases made for it. */
  wait_count (view, "broken-links", "3");
  g_assert_cmpstr (stack_page (view, "stack"), ==, "audit");
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
  g_assert_cmpstr (stack_page (view, "list_stack"), ==, "list");
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
  g_autoptr (TrawlTestSite) site = test_ui_site_new (30, 60, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *view = test_ui_find (window, TRAWL_TYPE_ISSUES_VIEW, 0);
  g_autofree char *text = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
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
  g_assert_cmpstr (stack_page (view, "list_stack"), ==, "passed");
  test_ui_wait_text (view, "Nothing the crawl found trips this check.", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "issues-passed.png"), >, 20);

  select_check (view, "missing-descriptions", 5);
  test_ui_wait_text (view, "page/29.html", 2000);
  test_ui_wait_text (view, "Orphan 2", 2000);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A reopened crawl is audited too; long lists come a page at a time, and
 * a URL with many linking pages names a few and counts the rest. */
static void
test_reopened_and_paged (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (5, 0, FALSE);
  const char *base = trawl_test_site_get_url (site);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *view = test_ui_find (window, TRAWL_TYPE_ISSUES_VIEW, 0);
  g_autofree char *copy = test_tmp_path ("issues-bigger.trawl");
  g_autofree char *sql = NULL;
  g_autofree char *data = NULL;
  GtkWidget *more_bar;
  gsize length;
  sqlite3 *db;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, base);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);

  /* The crawl again, with 450 more pages that have no description, and a
   * missing page that five of them link to. */
  g_assert_true (g_file_get_contents (trawl_window_get_crawl_path (TRAWL_WINDOW (window)), &data, &length, NULL));
  g_assert_true (g_file_set_contents (copy, data, length, NULL));
  g_assert_cmpint (sqlite3_open (copy, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("BEGIN;"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 451) "
                         "INSERT INTO urls (id, url, fingerprint, host, depth, state, discovered_at) "
                         "SELECT 100000 + i, '%sextra/' || i, -i, 'x', 1, 1, 0 FROM n;"
                         "INSERT INTO pages (id, url, final_url, status, content_type, bytes, depth, title, "
                         "                   fetched_at, h1) "
                         "SELECT id, url, url, CASE WHEN id = 100451 THEN 404 ELSE 200 END, 'text/html', 100, 1, "
                         "       'Extra ' || id, 0, 'Extra' FROM urls WHERE id > 100000;"
                         "INSERT INTO links (from_id, seq, to_fingerprint, kind) "
                         "SELECT id, 0, -451, 'anchor' FROM urls WHERE id BETWEEN 100001 AND 100005;"
                         "COMMIT;", base);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  gtk_widget_activate_action (window, "win.open-file", "s", copy);
  g_assert_null (trawl_window_get_message (TRAWL_WINDOW (window)));
  gtk_widget_activate_action (window, "win.view", "s", "issues");

  /* The orphans and the 450 extra pages. */
  wait_count (view, "missing-descriptions", "452");
  wait_count (view, "broken-links", "1");

  select_check (view, "broken-links", 1);
  test_ui_wait_text (view, "extra/3 and 2 more pages", 2000);

  select_check (view, "missing-descriptions", 200);
  more_bar = test_ui_find_named (view, "more_bar");
  g_assert_true (gtk_action_bar_get_revealed (GTK_ACTION_BAR (more_bar)));
  test_ui_wait_text (view, "Showing 200 of 452", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "issues-paged.png"), >, 20);

  gtk_widget_activate (test_ui_find_named (view, "more_button"));
  {
    RowsWait w = { view, 400 };

    test_ui_wait (rows_are, &w, 10000, "a second page of rows");
  }
  test_ui_wait_text (view, "Showing 400 of 452", 2000);
  gtk_widget_activate (test_ui_find_named (view, "more_button"));
  {
    RowsWait w = { view, 452 };

    test_ui_wait (rows_are, &w, 10000, "the last rows");
  }
  test_ui_settle (200);
  g_assert_false (gtk_action_bar_get_revealed (GTK_ACTION_BAR (more_bar)));

  /* Closing the crawl empties the view. */
  gtk_widget_activate_action (window, "win.new", NULL);
  gtk_widget_activate_action (window, "win.view", "s", "issues");
  g_assert_cmpstr (stack_page (view, "stack"), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/issues/after-crawl", test_audit_after_crawl);
  g_test_add_func ("/issues/live-and-passed", test_live_and_passed);
  g_test_add_func ("/issues/reopened-and-paged", test_reopened_and_paged);

  return g_test_run ();
}
