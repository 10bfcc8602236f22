/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-items-view.c — the Items view: what extraction rules found, one
 * row per item and one column per field. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-items-model.h"
#include "trawl-items-view.h"
#include "trawl-test-site.h"
#include "trawl-window.h"

static TrawlItemsView *
items_view_of (GtkWidget *window)
{
  g_autoptr (GPtrArray) views = test_ui_find_all (window, TRAWL_TYPE_ITEMS_VIEW);

  g_assert_cmpuint (views->len, ==, 1);
  return views->pdata[0];
}

typedef struct {
  TrawlItemsView *view;
  guint           n;
} ItemsWait;

static gboolean
items_loaded (gpointer data)
{
  ItemsWait *wait = data;
  GListModel *model = trawl_items_view_get_model (wait->view);

  return model != NULL && !trawl_items_model_is_loading (TRAWL_ITEMS_MODEL (model)) &&
         g_list_model_get_n_items (model) == wait->n;
}

static void
test_items (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (20, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autoptr (TrawlJob) plain_job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("items.trawl");
  g_autofree char *plain = test_tmp_path ("no-items.trawl");
  const char *rules[] = { "heading = css:h1", "link = css:li", "link.href = css:a::attr(href)",
                          "link.text = css:a", NULL };
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlItemsView *view = items_view_of (window);
  GtkColumnView *columns_view = GTK_COLUMN_VIEW (test_ui_find_named (GTK_WIDGET (view), "column_view"));
  GListModel *columns = gtk_column_view_get_columns (columns_view);
  const char *titles[] = { "Page", "Record", "heading", "href", "text" };
  g_autofree char *text = NULL;
  g_autofree char *first_heading = NULL;
  g_autofree char *first_page = NULL;
  g_autofree char *first_record = NULL;
  g_autofree char *last_href = NULL;
  ItemsWait wait;
  GListModel *model;
  gint64 n;
  sqlite3 *db;

  job->extract = g_strdupv ((char **) rules);
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (test_crawl (plain_job, plain), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  n = test_query_int (db, "SELECT count(*) FROM items");
  /* The first item found: a page's own fields (a heading), or a link. */
  first_heading = g_strdup (test_query_string (db, "SELECT coalesce (json_extract (data, '$.heading'), '') "
                                                   "FROM items ORDER BY id LIMIT 1"));
  first_record = g_strdup (test_query_string (db, "SELECT record FROM items ORDER BY id LIMIT 1"));
  first_page = g_strdup (test_query_string (db, "SELECT u.url FROM items i JOIN urls u ON u.id = i.page_id "
                                                "ORDER BY i.id LIMIT 1"));
  last_href = g_strdup (test_query_string (db, "SELECT json_extract (data, '$.href') FROM items ORDER BY id DESC LIMIT 1"));
  sqlite3_close (db);
  g_assert_cmpint (n, >, 20);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.view", "s", "items");
  wait = (ItemsWait) { view, n };
  test_ui_wait (items_loaded, &wait, 5000, "the items of the file");
  test_ui_settle (300);

  /* A column per field, after the page and the record. */
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, titles[i]);
    }

  /* Every item, in the order found, with its values. */
  model = trawl_items_view_get_model (view);
  {
    g_autoptr (TrawlItemRow) first = g_list_model_get_item (model, 0);
    g_autoptr (TrawlItemRow) last = g_list_model_get_item (model, n - 1);

    g_assert_cmpstr (trawl_item_row_get_record (first), ==, first_record);
    g_assert_cmpstr (trawl_item_row_get_page (first), ==, first_page);
    g_assert_cmpstr (trawl_item_row_get_value (first, 0), ==, first_heading);
    g_assert_cmpstr (trawl_item_row_get_record (last), ==, "link");
    g_assert_cmpstr (trawl_item_row_get_value (last, 1), ==, last_href);
  }
  text = test_ui_text (GTK_WIDGET (view));
  /* The first row is on screen. */
  g_assert_nonnull (strstr (text, first_page));
  g_assert_nonnull (strstr (text, test_keep (g_strdup_printf ("%" G_GINT64_FORMAT " items", n))));
  g_assert_cmpuint (test_ui_screenshot (window, "items.png"), >, 20);

  /* A crawl without rules says how to get items. */
  gtk_widget_activate_action (window, "win.open-file", "s", plain);
  gtk_widget_activate_action (window, "win.view", "s", "items");
  test_ui_wait_text (GTK_WIDGET (view), "This crawl has no extraction rules", 5000);

  /* Leaving a crawl while its items load: the end of the load, in a
   * model the view has dropped, leaves the view alone. */
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.new", NULL);
  g_assert_null (trawl_items_view_get_model (view));
  test_ui_settle (1000);
  g_assert_null (trawl_items_view_get_model (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
set_rules (GtkWidget  *window,
           const char *text)
{
  GtkWidget *rules = test_ui_find_named (window, "rules");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (rules)), text, -1);
}

static gboolean
rerun_done (gpointer data)
{
  return !trawl_items_view_is_rerunning (data);
}

static gboolean
message_shown (gpointer data)
{
  return trawl_window_get_message (data) != NULL;
}

/* Re-run Rules: the rules as edited in Setup, run over the stored pages;
 * the view then shows what a crawl with them finds. */
static void
test_rerun (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (20, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autoptr (TrawlJob) fresh_job = test_job_new (trawl_test_site_get_url (site));
  g_autoptr (TrawlJob) plain_job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("rerun.trawl");
  g_autofree char *fresh = test_tmp_path ("fresh.trawl");
  g_autofree char *plain = test_tmp_path ("plain.trawl");
  const char *old_rules[] = { "heading = css:h1", NULL };
  const char *new_rules[] = { "title = css:title", "link = css:li", "link.href = css:a::attr(href)", NULL };
  const char *titles[] = { "Page", "Record", "title", "href" };
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlItemsView *view = items_view_of (window);
  GtkColumnView *columns_view = GTK_COLUMN_VIEW (test_ui_find_named (GTK_WIDGET (view), "column_view"));
  GListModel *columns = gtk_column_view_get_columns (columns_view);
  g_autofree char *first_title = NULL;
  ItemsWait wait;
  gint64 n_old, n_new, n;
  sqlite3 *db;

  job->store_bodies = TRUE;
  job->extract = g_strdupv ((char **) old_rules);
  fresh_job->extract = g_strdupv ((char **) new_rules);
  plain_job->extract = g_strdupv ((char **) old_rules);
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (test_crawl (fresh_job, fresh), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (test_crawl (plain_job, plain), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  n_old = test_query_int (db, "SELECT count(*) FROM items");
  sqlite3_close (db);
  db = test_open_db (fresh);
  n_new = test_query_int (db, "SELECT count(*) FROM items");
  first_title = g_strdup (test_query_string (db, "SELECT json_extract (i.data, '$.title') FROM items i "
                                                 "JOIN urls u ON u.id = i.page_id WHERE i.record IS NULL "
                                                 "ORDER BY u.url LIMIT 1"));
  sqlite3_close (db);
  g_assert_cmpint (n_new, >, n_old);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.view", "s", "items");
  wait = (ItemsWait) { view, n_old };
  test_ui_wait (items_loaded, &wait, 5000, "the items of the file");
  g_assert_true (gtk_widget_is_sensitive (test_ui_find_named (window, "rerun_button")));

  /* Edited in Setup, re-run from the Items view. */
  set_rules (window, "title = css:title\nlink = css:li\nlink.href = css:a::attr(href)");
  gtk_widget_activate_action (window, "win.rerun-rules", NULL);
  g_assert_true (trawl_items_view_is_rerunning (view));
  g_assert_false (gtk_widget_is_sensitive (test_ui_find_named (window, "rerun_button")));
  test_ui_wait (rerun_done, view, 10000, "the rules to be re-run");
  wait = (ItemsWait) { view, n_new };
  test_ui_wait (items_loaded, &wait, 5000, "the new items");
  test_ui_settle (300);
  g_assert_null (trawl_window_get_message (TRAWL_WINDOW (window)));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, titles[i]);
    }
  test_ui_wait_text (GTK_WIDGET (view), test_keep (g_strdup_printf ("%" G_GINT64_FORMAT " items", n_new)), 2000);
  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "SELECT json_extract (i.data, '$.title') FROM items i "
                                          "JOIN urls u ON u.id = i.page_id WHERE i.record IS NULL "
                                          "ORDER BY u.url LIMIT 1"), ==, first_title);
  sqlite3_close (db);
  g_assert_true (gtk_widget_is_sensitive (test_ui_find_named (window, "rerun_button")));
  g_assert_cmpuint (test_ui_screenshot (window, "items-rerun.png"), >, 20);

  /* Cancelled at once: the old items or the new ones, all of them. */
  set_rules (window, "heading = css:h1");
  gtk_widget_activate_action (window, "win.rerun-rules", NULL);
  g_assert_true (gtk_widget_get_visible (test_ui_find_named (window, "cancel_button")));
  gtk_widget_activate_action (GTK_WIDGET (view), "items.cancel-rerun", NULL);
  test_ui_wait (rerun_done, view, 10000, "the re-run to stop");
  g_assert_false (gtk_widget_get_visible (test_ui_find_named (window, "cancel_button")));
  db = test_open_db (path);
  n = test_query_int (db, "SELECT count(*) FROM items");
  g_assert_true (n == n_old || n == n_new);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM items WHERE json_extract (data, '$.heading') "
                                       "IS NOT NULL"), ==, n == n_old ? n_old : 0);
  sqlite3_close (db);
  wait = (ItemsWait) { view, n };
  test_ui_wait (items_loaded, &wait, 5000, "the items after the cancel");

  /* A bad rule in Setup: its sentence, and the items stay. */
  set_rules (window, "title = css:title:hover");
  gtk_widget_activate_action (window, "win.rerun-rules", NULL);
  g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (window)), "uses :hover, which is not supported"));
  g_assert_false (trawl_items_view_is_rerunning (view));

  /* A crawl that kept no pages says how to get them. */
  gtk_widget_activate_action (window, "win.open-file", "s", plain);
  gtk_widget_activate_action (window, "win.view", "s", "items");
  wait = (ItemsWait) { view, n_old };
  test_ui_wait (items_loaded, &wait, 5000, "the items of the file without bodies");
  gtk_widget_activate_action (window, "win.rerun-rules", NULL);
  test_ui_wait (message_shown, window, 10000, "the refusal");
  g_assert_true (g_str_has_prefix (trawl_window_get_message (TRAWL_WINDOW (window)),
                                   "This crawl did not store its pages, so its rules cannot be re-run."));
  wait = (ItemsWait) { view, n_old };
  test_ui_wait (items_loaded, &wait, 5000, "the items kept");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);
  g_test_add_func ("/items-view/items", test_items);
  g_test_add_func ("/items-view/rerun", test_rerun);
  return g_test_run ();
}
