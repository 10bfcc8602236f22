/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-results-view.c — the Results view, driven in a real window under Xvfb. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-page-row.h"
#include "trawl-results-model.h"
#include "trawl-results-view.h"
#include "trawl-test-site.h"

typedef struct {
  GtkWidget         *window;
  GtkWidget         *view;
  TrawlTestSite     *site;
  sqlite3           *db;
} Fixture;

static TrawlResultsModel *
view_model (Fixture *f)
{
  GtkColumnView *cv = GTK_COLUMN_VIEW (test_ui_find_named (f->view, "column_view"));
  GtkSelectionModel *selection = gtk_column_view_get_model (cv);
  GListModel *model;

  /* The table has rows only while the Results view is shown. */
  if (selection == NULL)
    return NULL;
  model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));
  return model != NULL ? TRAWL_RESULTS_MODEL (model) : NULL;
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (view_model (f)));
}

static gboolean
model_idle (gpointer data)
{
  TrawlResultsModel *model = view_model (data);

  return model != NULL && !trawl_results_model_is_loading (model);
}

static void
wait_idle (Fixture *f)
{
  test_ui_wait (model_idle, f, 10000, "the results to be read");
  test_ui_settle (100);
}

static gint64
id_of (Fixture    *f,
       const char *path)
{
  return test_query_int (f->db, "SELECT id FROM urls WHERE url = '%s%s'", trawl_test_site_get_url (f->site), path);
}

static gint64
selected_id (Fixture *f)
{
  GtkColumnView *cv = GTK_COLUMN_VIEW (test_ui_find_named (f->view, "column_view"));
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (cv));
  g_autoptr (TrawlPageRow) row = gtk_single_selection_get_selected_item (selection)
                                   ? g_object_ref (gtk_single_selection_get_selected_item (selection)) : NULL;

  return row != NULL ? trawl_page_row_get_id (row) : 0;
}

static char *
count_text (guint shown,
            guint total)
{
  g_autofree char *a = trawl_format_count (shown);
  g_autofree char *b = trawl_format_count (total);

  return g_strdup_printf ("%s of %s pages", a, b);
}

/* A click, as a person's (GtkWidget's activate waits for an animation). */
static void
click (GtkWidget *button)
{
  g_signal_emit_by_name (button, "clicked");
}

static GtkColumnViewColumn *
column_titled (GtkColumnView *cv,
               const char    *title)
{
  GListModel *columns = gtk_column_view_get_columns (cv);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_error ("no column “%s”", title);
}

static gboolean
live_rows (gpointer data)
{
  Fixture *f = data;
  TrawlCrawl *crawl = trawl_window_get_crawl (TRAWL_WINDOW (f->window));

  return view_model (f) != NULL && n_rows (f) > 3 && trawl_crawl_is_active (crawl);
}

static gboolean
links_shown (gpointer data)
{
  return gtk_widget_get_first_child (data) != NULL;
}

static GtkListBoxRow *
link_row_for (GtkWidget *list,
              gint64     id)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      gint64 *row_id = g_object_get_data (G_OBJECT (row), "trawl-page-id");

      if (row_id != NULL && *row_id == id)
        return GTK_LIST_BOX_ROW (row);
    }
  return NULL;
}

static void
test_results_view (void)
{
  TrawlTestSiteOptions options = { .n_pages = 40, .page_delay_ms = 30 };
  g_autoptr (GError) error = NULL;
  Fixture fx = { 0 }, *f = &fx;
  TrawlCrawl *crawl;
  guint total;
  struct { const char *chip; const char *where; } chips[] = {
    { "html_chip", "p.content_type LIKE 'text/html%'" },
    { "s2xx_chip", "p.status BETWEEN 200 AND 299" },
    { "s3xx_chip", "p.status BETWEEN 300 AND 399" },
    { "s4xx_chip", "p.status BETWEEN 400 AND 499" },
    { "s5xx_chip", "p.status BETWEEN 500 AND 599" },
    { "errors_chip", "u.state = 2" },
    { "robots_chip", "u.reason = 'robots'" },
    { "external_chip", "u.reason = 'out-of-scope'" },
  };

  f->site = trawl_test_site_new (&options, &error);
  g_assert_no_error (error);
  f->window = GTK_WIDGET (trawl_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  f->view = test_ui_find (f->window, TRAWL_TYPE_RESULTS_VIEW, 0);
  test_ui_wait_text (f->window, "Crawl a Website", 5000);

  /* Before any crawl, the view says what it is for. */
  gtk_widget_activate_action (f->window, "win.view", "s", "results");
  test_ui_wait_text (f->window, "No Results Yet", 2000);

  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (f->window, "url_entry")), trawl_test_site_get_url (f->site));
  gtk_widget_activate_action (f->window, "win.start", NULL);
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (f->window));
  g_assert_nonnull (crawl);

  /* Rows arrive while the crawl runs, and its inlinks are not counted yet. */
  gtk_widget_activate_action (f->window, "win.view", "s", "results");
  test_ui_wait (live_rows, f, 20000, "rows while crawling");
  g_assert_false (trawl_results_model_get_inlinks_known (view_model (f)));
  g_assert_cmpuint (test_ui_screenshot (f->window, "results-live.png"), >, 20);

  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (f->window), 60000), ==, TRAWL_ENGINE_FINISHED);
  wait_idle (f);
  f->db = test_open_db (trawl_crawl_get_path (crawl));

  /* Every settled URL is a row; the count says so. */
  total = test_query_int (f->db, "SELECT count(*) FROM urls WHERE state <> 0");
  g_assert_cmpuint (n_rows (f), ==, total);
  g_assert_true (trawl_results_model_get_inlinks_known (view_model (f)));
  test_ui_wait_text (f->window, test_keep (count_text (total, total)), 2000);
  test_ui_wait_text (f->window, "Page 0", 2000);
  test_ui_wait_text (f->window, "text/html", 2000);
  {
    /* A URL can be read in full: its column is not squeezed to "htt…ml". */
    g_autofree char *page_url = g_strconcat (trawl_test_site_get_url (f->site), "page/0.html", NULL);
    g_autoptr (GPtrArray) labels = test_ui_find_all (f->view, GTK_TYPE_LABEL);
    GtkLabel *shown = NULL;

    for (guint i = 0; i < labels->len && shown == NULL; i++)
      if (gtk_widget_is_visible (labels->pdata[i]) && g_str_equal (gtk_label_get_label (labels->pdata[i]), page_url))
        shown = labels->pdata[i];
    g_assert_nonnull (shown);
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (shown)));
  }

  /* Each chip shows exactly its rows, and the count follows. */
  for (guint i = 0; i < G_N_ELEMENTS (chips); i++)
    {
      GtkToggleButton *chip = GTK_TOGGLE_BUTTON (test_ui_find_named (f->view, chips[i].chip));
      guint expected = test_query_int (f->db, "SELECT count(*) FROM urls u LEFT JOIN pages p ON p.id = u.id "
                                              "WHERE u.state <> 0 AND %s", chips[i].where);

      click (GTK_WIDGET (chip));
      g_assert_true (gtk_toggle_button_get_active (chip));
      wait_idle (f);
      g_test_message ("%s: %u rows", chips[i].chip, n_rows (f));
      g_assert_cmpuint (n_rows (f), ==, expected);
      test_ui_wait_text (f->window, test_keep (count_text (expected, total)), 2000);
      click (GTK_WIDGET (chip));
      wait_idle (f);
      g_assert_cmpuint (n_rows (f), ==, total);
    }
  /* Known rows of the test site under their chips. */
  click (test_ui_find_named (f->view, "robots_chip"));
  wait_idle (f);
  g_assert_cmpuint (n_rows (f), ==, 1);
  test_ui_wait_text (f->window, "Blocked by robots.txt", 2000);
  click (test_ui_find_named (f->view, "robots_chip"));
  click (test_ui_find_named (f->view, "s4xx_chip"));
  click (test_ui_find_named (f->view, "s5xx_chip"));
  wait_idle (f);
  g_assert_cmpuint (n_rows (f), ==, test_query_int (f->db, "SELECT count(*) FROM pages WHERE status >= 400"));
  g_assert_cmpuint (n_rows (f), >=, 2);
  test_ui_wait_text (f->window, "404", 2000);
  test_ui_wait_text (f->window, "500", 2000);
  click (test_ui_find_named (f->view, "s4xx_chip"));
  click (test_ui_find_named (f->view, "s5xx_chip"));
  wait_idle (f);

  /* Sorting by a column header: the largest page comes first. */
  {
    GtkColumnView *cv = GTK_COLUMN_VIEW (test_ui_find_named (f->view, "column_view"));
    GtkColumnViewColumn *size = column_titled (cv, "Size");
    gboolean descending;

    gtk_column_view_sort_by_column (cv, size, GTK_SORT_DESCENDING);
    wait_idle (f);
    g_assert_cmpint (trawl_results_model_get_sort (view_model (f), &descending), ==, TRAWL_RESULTS_SORT_SIZE);
    g_assert_true (descending);
    g_assert_cmpint (trawl_results_model_get_id (view_model (f), 0), ==, id_of (f, "edge/large.html"));
    test_ui_wait_text (f->window, "Large page", 2000);
    gtk_column_view_sort_by_column (cv, size, GTK_SORT_ASCENDING);
    wait_idle (f);
    g_assert_cmpint (trawl_results_model_get_sort (view_model (f), &descending), ==, TRAWL_RESULTS_SORT_SIZE);
    g_assert_false (descending);
    g_assert_cmpint (trawl_results_model_get_id (view_model (f), total - 1), ==, id_of (f, "edge/large.html"));
    gtk_column_view_sort_by_column (cv, column_titled (cv, "URL"),
                                    GTK_SORT_ASCENDING);
    wait_idle (f);
    g_assert_cmpint (trawl_results_model_get_sort (view_model (f), NULL), ==, TRAWL_RESULTS_SORT_URL);
    /* The home page, "BASE", sorts before every longer URL of its host. */
    g_assert_cmpint (trawl_results_model_get_id (view_model (f), 0), ==, id_of (f, ""));
  }

  /* Search, from Ctrl+F's action. */
  gtk_widget_activate_action (f->window, "win.search", NULL);
  {
    GtkWidget *entry = test_ui_find_named (f->view, "search_entry");
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));
    gtk_editable_set_text (GTK_EDITABLE (entry), "Redirect target");
    test_ui_wait (model_idle, f, 5000, "the search");
    test_ui_settle (400);
    wait_idle (f);
    g_assert_cmpuint (n_rows (f), ==, 1);
    g_assert_cmpint (trawl_results_model_get_id (view_model (f), 0), ==, id_of (f, "edge/target.html"));
    test_ui_wait_text (f->window, test_keep (count_text (1, total)), 2000);
  }

  /* Showing a page that the search hides clears the search; the detail
   * pane shows its redirect chain and headers. */
  gtk_widget_activate_action (f->window, "win.show-page", "x", id_of (f, "edge/redirect"));
  wait_idle (f);
  g_assert_cmpuint (n_rows (f), ==, total);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (test_ui_find_named (f->view, "search_entry"))), ==, "");
  g_assert_cmpint (selected_id (f), ==, id_of (f, "edge/redirect"));
  test_ui_wait_text (f->window, "Redirect Chain", 5000);
  test_ui_wait_text (f->window, "Status 301", 2000);
  test_ui_wait_text (f->window, test_keep (g_strdup_printf ("302, to %sedge/target.html", trawl_test_site_get_url (f->site))), 2000);
  test_ui_wait_text (f->window, "Location: /edge/redirect-2", 2000);
  g_assert_cmpuint (test_ui_screenshot (f->window, "results-redirect.png"), >, 20);

  /* A page's metadata and links; activating an outlink selects that page. */
  gtk_widget_activate_action (f->window, "win.show-page", "x", id_of (f, "page/0.html"));
  test_ui_wait_text (f->window, "Description of page 0", 5000);
  test_ui_wait_text (f->window, "Heading 0", 2000);
  test_ui_wait_text (f->window, "Content-Type: text/html", 2000);
  test_ui_wait (links_shown, test_ui_find_named (f->view, "outlinks_list"), 5000, "outlinks");
  {
    gint64 page1 = id_of (f, "page/1.html");
    GtkListBoxRow *row = link_row_for (test_ui_find_named (f->view, "outlinks_list"), page1);
    GtkListBoxRow *home = link_row_for (test_ui_find_named (f->view, "inlinks_list"), id_of (f, ""));

    g_assert_nonnull (row);
    g_assert_nonnull (home);
    g_assert_true (gtk_list_box_row_get_activatable (row));
    g_assert_cmpuint (test_ui_screenshot (f->window, "results-page.png"), >, 20);
    gtk_widget_activate (GTK_WIDGET (row));
    wait_idle (f);
    g_assert_cmpint (selected_id (f), ==, page1);
    test_ui_wait_text (f->window, "Description of page 1", 5000);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (test_ui_find_named (f->view, "detail_url"))), ==,
                     test_keep (g_strdup_printf ("%spage/1.html", trawl_test_site_get_url (f->site))));
  }

  /* A URL never requested says why. */
  gtk_widget_activate_action (f->window, "win.show-page", "x", id_of (f, "private/secret.html"));
  test_ui_wait_text (f->window, "Not requested: Blocked by robots.txt", 5000);
  g_assert_cmpuint (test_ui_screenshot (f->window, "results-skipped.png"), >, 20);

  sqlite3_close (f->db);
  gtk_window_destroy (GTK_WINDOW (f->window));
  trawl_test_site_free (f->site);
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/results-view/crawl", test_results_view);

  return g_test_run ();
}
