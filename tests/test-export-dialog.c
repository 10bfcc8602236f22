/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-export-dialog.c — exporting from the window: the choices, a real
 * export to a file, and what goes wrong. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-export-dialog.h"
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

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);
  g_test_add_func ("/export-dialog/export", test_export);
  return g_test_run ();
}
