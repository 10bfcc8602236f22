/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-export-dialog.c — exporting from the window: the choices, a real
 * export to a file, and what goes wrong. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-export-dialog.h"
#include "trawl-results-view.h"
#include "trawl-test-site.h"
#include "trawl-window.h"

static TrawlExportDialog *
open_dialog (GtkWidget *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  gtk_widget_activate_action (window, "win.export", NULL);
  test_ui_settle (200);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (TRAWL_IS_EXPORT_DIALOG (toplevel))
        return TRAWL_EXPORT_DIALOG (toplevel);
    }
  g_error ("win.export showed no export dialog");
}

static gboolean
destroyed (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
wait_closed (TrawlExportDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  test_ui_wait (destroyed, &weak, 10000, "the export dialog to close");
}

static void
choose (TrawlExportDialog *dialog,
        guint              what,
        guint              format)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (test_ui_find_named (GTK_WIDGET (dialog), "what_row")), what);
  adw_combo_row_set_selected (ADW_COMBO_ROW (test_ui_find_named (GTK_WIDGET (dialog), "format_row")), format);
}

static void
test_export (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (20, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("dialog.trawl");
  g_autofree char *jsonl = test_tmp_path ("dialog-items.jsonl");
  g_autofree char *csv = test_tmp_path ("dialog-pages.csv");
  const char *rules[] = { "heading = css:h1", "link = css:li", "link.href = css:a::attr(href)", NULL };
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlExportDialog *dialog;
  g_autoptr (GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  gint64 items, pages;
  sqlite3 *db;

  job->extract = g_strdupv ((char **) rules);
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  items = test_query_int (db, "SELECT count(*) FROM items");
  pages = test_query_int (db, "SELECT count(*) FROM urls WHERE state <> 0");
  sqlite3_close (db);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  test_ui_settle (300);

  /* Items, as JSON Lines: one object per item, with the page, the record
   * and the fields. */
  dialog = open_dialog (window);
  g_assert_cmpuint (test_ui_screenshot (GTK_WIDGET (dialog), "export-dialog.png"), >, 20);
  choose (dialog, 2, 2);
  file = g_file_new_for_path (jsonl);
  trawl_export_dialog_export_to (dialog, file);
  wait_closed (dialog);
  g_assert_true (g_file_get_contents (jsonl, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, items + 1);
  for (guint i = 0; i < items; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, NULL));
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (json_object_has_member (object, "page"));
      g_assert_true (json_object_has_member (object, "record"));
      g_assert_true (json_object_has_member (object, "heading"));
      g_assert_true (json_object_has_member (object, "href"));
    }

  /* Pages as CSV, with its formula guard. */
  dialog = open_dialog (window);
  choose (dialog, 0, 0);
  g_assert_true (test_ui_shown (test_ui_find_named (GTK_WIDGET (dialog), "guard_row")));
  /* Results neither filters nor sorts: nothing to choose there. */
  g_assert_false (test_ui_shown (test_ui_find_named (GTK_WIDGET (dialog), "shown_row")));
  g_clear_object (&file);
  file = g_file_new_for_path (csv);
  trawl_export_dialog_export_to (dialog, file);
  wait_closed (dialog);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "url,state,reason,depth,status"));
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, pages + 2);

  /* A sitemap of links cannot be: said, and Export waits. */
  dialog = open_dialog (window);
  choose (dialog, 1, 4);
  g_assert_false (gtk_widget_get_sensitive (test_ui_find_named (GTK_WIDGET (dialog), "export_button")));
  test_ui_wait_text (GTK_WIDGET (dialog), "A sitemap lists pages", 2000);
  g_assert_false (test_ui_shown (test_ui_find_named (GTK_WIDGET (dialog), "guard_row")));

  /* WARC needs the bodies this crawl did not keep: said, and Export waits. */
  choose (dialog, 0, 6);
  test_ui_wait_text (GTK_WIDGET (dialog), "This crawl kept no response bodies", 2000);
  g_assert_false (gtk_widget_get_sensitive (test_ui_find_named (GTK_WIDGET (dialog), "export_button")));

  /* A folder that does not exist: the reason, and the dialog stays. */
  choose (dialog, 0, 1);
  g_clear_object (&file);
  file = g_file_new_for_path ("/nonexistent-folder/pages.json");
  trawl_export_dialog_export_to (dialog, file);
  test_ui_wait_text (GTK_WIDGET (dialog), "Could not write “/nonexistent-folder/pages.json”", 5000);
  g_assert_true (gtk_widget_get_sensitive (test_ui_find_named (GTK_WIDGET (dialog), "export_button")));

  /* Cancel closes it. */
  gtk_widget_activate (test_ui_find_named (GTK_WIDGET (dialog), "cancel_button"));
  wait_closed (dialog);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
results_idle (gpointer data)
{
  TrawlResultsModel *model = trawl_results_view_get_model (data);

  return model != NULL && !trawl_results_model_is_loading (model);
}

/* The URLs of the Results view's rows, in its order. */
static GPtrArray *
shown_urls (TrawlResultsModel *model,
            sqlite3           *db)
{
  GPtrArray *urls = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_ptr_array_add (urls, g_strdup (test_query_string (db, "SELECT url FROM urls WHERE id = %" G_GINT64_FORMAT,
                                                        trawl_results_model_get_id (model, i))));
  return urls;
}

/* A value of each line of @text that begins with @prefix, up to the end of
 * the line or the first comma (a CSV's first column, a WARC field). */
static GPtrArray *
values_after (const char *text,
              const char *prefix,
              const char *line_end)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = g_strsplit (text, line_end, -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      g_ptr_array_add (values, g_strndup (lines[i] + strlen (prefix), strcspn (lines[i] + strlen (prefix), ",")));
  return values;
}

static void
assert_same_urls (GPtrArray *got,
                  GPtrArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpstr (got->pdata[i], ==, expected->pdata[i]);
}

/* With a filter, a search and a sort on in Results, the dialog offers
 * its rows, and exports exactly those pages in its order, as CSV and as
 * WARC. */
static void
test_export_shown (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (20, 0, TRUE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("shown.trawl");
  g_autofree char *csv = test_tmp_path ("shown-pages.csv");
  g_autofree char *warc = test_tmp_path ("shown-pages.warc");
  g_autofree char *contents = NULL;
  g_autofree char *title = NULL;
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GFile) file = NULL;
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlResultsView *view;
  TrawlResultsModel *model;
  GtkColumnView *cv;
  TrawlExportDialog *dialog;
  GListModel *columns;
  gint64 pages;
  sqlite3 *db;

  job->store_bodies = TRUE;
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  pages = test_query_int (db, "SELECT count(*) FROM urls WHERE state <> 0");

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.view", "s", "results");
  test_ui_settle (300);
  view = TRAWL_RESULTS_VIEW (test_ui_find (window, TRAWL_TYPE_RESULTS_VIEW, 0));
  test_ui_wait (results_idle, view, 10000, "the results to be read");

  /* 3xx and 4xx, whose address has "edge/", by URL from Z to A. */
  g_signal_emit_by_name (test_ui_find_named (GTK_WIDGET (view), "s3xx_chip"), "clicked");
  g_signal_emit_by_name (test_ui_find_named (GTK_WIDGET (view), "s4xx_chip"), "clicked");
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (GTK_WIDGET (view), "search_entry")), "edge/");
  cv = GTK_COLUMN_VIEW (test_ui_find_named (GTK_WIDGET (view), "column_view"));
  columns = gtk_column_view_get_columns (cv);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), "URL") == 0)
        gtk_column_view_sort_by_column (cv, column, GTK_SORT_DESCENDING);
    }
  test_ui_settle (400);
  test_ui_wait (results_idle, view, 10000, "the filtered results");
  model = trawl_results_view_get_model (view);
  expected = shown_urls (model, db);
  g_test_message ("%u of %" G_GINT64_FORMAT " pages shown", expected->len, pages);
  g_assert_cmpuint (expected->len, >=, 4);
  g_assert_cmpuint (expected->len, <, pages);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE status BETWEEN 300 AND 499 AND url LIKE '%%edge/%%'"),
                   ==, expected->len);
  g_assert_cmpstr (expected->pdata[0], >, expected->pdata[expected->len - 1]);

  /* CSV: the rows shown, in the order shown. */
  dialog = open_dialog (window);
  choose (dialog, 0, 0);
  g_assert_true (test_ui_shown (test_ui_find_named (GTK_WIDGET (dialog), "shown_row")));
  title = g_strdup_printf ("Rows shown in Results (%u)", expected->len);
  test_ui_wait_text (GTK_WIDGET (dialog), title, 2000);
  gtk_switch_set_active (GTK_SWITCH (test_ui_find_named (GTK_WIDGET (dialog), "shown_switch")), TRUE);
  g_assert_cmpuint (test_ui_screenshot (GTK_WIDGET (dialog), "export-dialog-shown.png"), >, 20);
  file = g_file_new_for_path (csv);
  trawl_export_dialog_export_to (dialog, file);
  wait_closed (dialog);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  got = values_after (contents, trawl_test_site_get_url (site), "\r\n");
  for (guint i = 0; i < got->len; i++)
    {
      char *url = g_strconcat (trawl_test_site_get_url (site), got->pdata[i], NULL);

      g_free (got->pdata[i]);
      got->pdata[i] = url;
    }
  assert_same_urls (got, expected);

  /* WARC, of a crawl with bodies: a response record per row shown, in order. */
  dialog = open_dialog (window);
  choose (dialog, 0, 6);
  g_assert_true (gtk_widget_get_sensitive (test_ui_find_named (GTK_WIDGET (dialog), "export_button")));
  g_assert_false (gtk_widget_get_sensitive (test_ui_find_named (GTK_WIDGET (dialog), "what_row")));
  gtk_switch_set_active (GTK_SWITCH (test_ui_find_named (GTK_WIDGET (dialog), "shown_switch")), TRUE);
  g_clear_object (&file);
  file = g_file_new_for_path (warc);
  trawl_export_dialog_export_to (dialog, file);
  wait_closed (dialog);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (warc, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "WARC/1.1\r\nWARC-Type: warcinfo\r\n"));
  g_clear_pointer (&got, g_ptr_array_unref);
  got = values_after (contents, "WARC-Target-URI: ", "\r\n");
  assert_same_urls (got, expected);

  sqlite3_close (db);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);
  g_test_add_func ("/export-dialog/export", test_export);
  g_test_add_func ("/export-dialog/export-shown", test_export_shown);
  return g_test_run ();
}
