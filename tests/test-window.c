/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c — the window, driven through its actions under Xvfb. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-application.h"
#include "trawl-monitor-view.h"
#include "trawl-results-view.h"
#include "trawl-test-site.h"

static const char *
visible_view (GtkWidget *window)
{
  return adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (test_ui_find (window, ADW_TYPE_VIEW_STACK, 0)));
}

static void
test_crawl_from_window (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (30, 0, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlCrawl *crawl;
  sqlite3 *db;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_text (window, "Crawl a Website", 5000);
  g_assert_cmpstr (visible_view (window), ==, "setup");

  /* A bad address disables Start, with the reason shown, and nothing starts. */
  test_ui_start_crawl (window, "not a website");
  test_ui_wait_text (window, "is not a valid web address", 2000);
  g_assert_false (gtk_widget_get_sensitive (test_ui_find_named (window, "start_button")));
  g_assert_null (trawl_window_get_crawl (TRAWL_WINDOW (window)));

  /* A good one crawls the whole site into a file, shown on the monitor. */
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  g_assert_null (trawl_window_get_message (TRAWL_WINDOW (window)));
  g_assert_true (trawl_window_is_crawling (TRAWL_WINDOW (window)));
  g_assert_cmpstr (visible_view (window), ==, "monitor");
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  test_ui_wait_text (window, "Finished", 2000);

  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
  g_assert_true (g_str_has_prefix (trawl_crawl_get_path (crawl), g_getenv ("XDG_DATA_HOME")));
  /* "/", 30 pages, and the sitemap index, its two sitemaps and two orphans. */
  g_assert_cmpint (trawl_crawl_get_stats (crawl)->fetched, ==, 36);
  db = test_open_db (trawl_crawl_get_path (crawl));
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 36);
  sqlite3_close (db);

  /* Every view draws something. */
  {
    const char *views[] = { "setup", "monitor", "results", "items", "issues" };

    for (guint i = 0; i < G_N_ELEMENTS (views); i++)
      {
        g_autofree char *name = g_strdup_printf ("window-%s.png", views[i]);

        gtk_widget_activate_action (window, "win.view", "s", views[i]);
        g_assert_cmpstr (visible_view (window), ==, views[i]);
        g_assert_cmpuint (test_ui_screenshot (window, name), >, 20);
      }
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_crawl (gpointer window)
{
  return trawl_window_get_crawl (TRAWL_WINDOW (window)) != NULL;
}

/* Return in the address starts the crawl, on the real keyboard.  The keys
 * after it (Return held down repeats, or is pressed again; Space) must not
 * reach the Monitor's Pause button, which took the focus and paused the
 * crawl before it had fetched a page. */
static void
test_keyboard_start (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (120, 200, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *entry, *focus;
  TrawlCrawl *crawl;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_text (window, "Crawl a Website", 5000);
  entry = test_ui_find_named (window, "url_entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), trawl_test_site_get_url (site));
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_true (focus == entry || gtk_widget_is_ancestor (focus, entry));

  test_ui_press_key (window, GDK_KEY_Return);
  test_ui_wait (has_crawl, window, 5000, "Return to start a crawl");
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
  g_assert_cmpstr (visible_view (window), ==, "monitor");

  test_ui_press_key (window, GDK_KEY_Return);
  test_ui_press_key (window, GDK_KEY_space);
  /* A button pressed by a key is clicked a quarter of a second later. */
  test_ui_settle (500);
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_RUNNING);
  g_assert_true (test_ui_shown (test_ui_find_named (window, "pause_button")));

  gtk_widget_activate_action (window, "win.stop", NULL);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 20000), ==, TRAWL_ENGINE_STOPPED);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_nothing_fetched (gpointer crawl)
{
  return trawl_crawl_get_nothing_fetched (TRAWL_CRAWL (crawl)) != NULL;
}

/* A crawl of an address that refuses every connection finishes having
 * fetched nothing: the Monitor says why, above the controls, with no
 * Continue button; its file, opened again, says the same. */
static void
test_nothing_fetched (void)
{
  static const char expected[] = "No page could be fetched. The server refused the connection.";
  g_autofree char *url = test_refused_url ();
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  g_autoptr (TrawlCrawl) reopened = NULL;
  g_autoptr (GError) error = NULL;
  TrawlCrawl *crawl;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, url);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 30000), ==, TRAWL_ENGINE_FINISHED);
  test_ui_wait_text (window, expected, 5000);
  {
    GtkWidget *monitor = test_ui_find (window, TRAWL_TYPE_MONITOR_VIEW, 0);

    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (test_ui_find_named (monitor, "problem_revealer"))));
    g_assert_false (test_ui_shown (test_ui_find_named (monitor, "problem_button")));
  }
  g_assert_cmpuint (test_ui_screenshot (window, "window-nothing-fetched.png"), >, 20);

  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
  reopened = trawl_crawl_open (trawl_crawl_get_path (crawl), &error);
  g_assert_no_error (error);
  test_ui_wait (has_nothing_fetched, reopened, 5000, "the reopened crawl to say why it fetched nothing");
  g_assert_cmpstr (trawl_crawl_get_nothing_fetched (reopened), ==, expected);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_pause_resume_stop (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (120, 200, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlCrawl *crawl;
  guint before;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
  test_ui_settle (500);

  /* Paused, nothing new is requested. */
  gtk_widget_activate_action (window, "win.pause", NULL);
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_PAUSED);
  g_assert_true (test_ui_shown (test_ui_find_named (window, "resume_button")));
  g_assert_false (test_ui_shown (test_ui_find_named (window, "pause_button")));
  test_ui_settle (400);
  before = trawl_test_site_get_n_requests (site);
  test_ui_settle (600);
  g_assert_cmpuint (trawl_test_site_get_n_requests (site), ==, before);

  /* Resumed, it goes on. */
  gtk_widget_activate_action (window, "win.resume", NULL);
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_RUNNING);
  test_ui_settle (600);
  g_assert_cmpuint (trawl_test_site_get_n_requests (site), >, before);

  /* Stopped, it ends with the rest still queued, and can be continued. */
  gtk_widget_activate_action (window, "win.stop", NULL);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 20000), ==, TRAWL_ENGINE_STOPPED);
  test_ui_wait_text (window, "Stopped", 2000);
  g_assert_true (test_ui_shown (test_ui_find_named (window, "continue_button")));
  g_assert_true (gtk_widget_is_sensitive (test_ui_find_named (window, "continue_button")));
  g_assert_false (gtk_widget_is_sensitive (test_ui_find_named (window, "stop_button")));
  g_assert_cmpint (trawl_crawl_get_stats (crawl)->fetched, <, 126);

  gtk_widget_activate_action (window, "win.continue", NULL);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  {
    sqlite3 *db = test_open_db (trawl_crawl_get_path (crawl));

    /* "/", 120 pages, the sitemaps and orphans, each once. */
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 126);
    g_assert_cmpint (test_query_int (db, "SELECT count(DISTINCT url) FROM pages"), ==, 126);
    sqlite3_close (db);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item) && gtk_widget_get_visible (GTK_WIDGET (item)))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (item);
          return TRUE;
        }
    }
  return FALSE;
}

/* The site takes ten seconds at least to crawl, four pages at a time:
 * the crawl is still running when the test stops it, however slow the
 * machine (under ASan, 40 pages were done before the test got to Stop). */
static void
test_close_while_crawling (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (400, 100, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  AdwMessageDialog *dialog = NULL;
  g_autoptr (TrawlCrawl) crawl = NULL;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  crawl = g_object_ref (trawl_window_get_crawl (TRAWL_WINDOW (window)));
  test_ui_settle (300);

  /* Closing asks first; cancelling keeps everything as it was. */
  gtk_window_close (GTK_WINDOW (window));
  test_ui_wait (dialog_shown, &dialog, 5000, "the close dialog");
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "Stop Crawling"));
  adw_message_dialog_response (dialog, "cancel");
  test_ui_settle (200);
  g_assert_nonnull (window);
  g_assert_true (trawl_crawl_is_active (crawl));

  /* "Stop and Close" stops the crawl and closes the window. */
  gtk_window_close (GTK_WINDOW (window));
  dialog = NULL;
  test_ui_wait (dialog_shown, &dialog, 5000, "the close dialog");
  adw_message_dialog_response (dialog, "stop");
  test_ui_settle (200);
  g_assert_null (window);
  while (trawl_crawl_is_active (crawl))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_STOPPED);
}

static gboolean
links_indexed (gpointer crawl)
{
  return trawl_crawl_get_links_indexed (crawl);
}

static void
test_reopen (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (10, 0, FALSE);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *other;
  g_autofree char *path = NULL;
  g_autofree char *garbage = test_tmp_path ("garbage.trawl");
  g_autofree char *newer = test_tmp_path ("newer.trawl");
  g_autofree char *missing = test_tmp_path ("missing.trawl");
  g_autofree char *copy = test_tmp_path ("copy.trawl");
  TrawlCrawl *crawl;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  path = g_strdup (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));

  /* Save As writes a copy that opens like the original. */
  trawl_window_save_as (TRAWL_WINDOW (window), copy);
  test_ui_wait_text (window, "Crawl saved", 10000);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Reopened, a finished crawl shows its results, settings and counts. */
  other = GTK_WIDGET (trawl_window_new (NULL));
  gtk_window_present (GTK_WINDOW (other));
  test_ui_settle (300);
  gtk_widget_activate_action (other, "win.open-file", "s", copy);
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (other));
  g_assert_nonnull (crawl);
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (trawl_crawl_get_stats (crawl)->fetched, ==, 16);
  g_assert_cmpstr (trawl_crawl_get_job (crawl)->start_urls[0], ==, trawl_test_site_get_url (site));
  g_assert_cmpstr (visible_view (other), ==, "results");
  g_assert_false (gtk_widget_is_sensitive (test_ui_find_named (other, "continue_button")));
  test_ui_wait_text (other, "Finished", 2000);

  /* Inlinks get their index, which the crawl did not keep. */
  test_ui_wait (links_indexed, crawl, 10000, "the links index");
  {
    sqlite3 *db = test_open_db (copy);

    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'links_to'"), ==, 1);
    sqlite3_close (db);
  }

  /* Files that are not crawls get a sentence and change nothing. */
  g_assert_true (g_file_set_contents (garbage, "<html>not a crawl</html>", -1, NULL));
  gtk_widget_activate_action (other, "win.open-file", "s", garbage);
  g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (other)), "not a Trawl crawl file"));
  g_assert_true (trawl_window_get_crawl (TRAWL_WINDOW (other)) == crawl);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (garbage, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "<html>not a crawl</html>");
  }

  gtk_widget_activate_action (other, "win.open-file", "s", missing);
  g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (other)), missing));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));

  /* A crawl written by a newer Trawl is refused, not damaged. */
  {
    g_autofree char *data = NULL;
    gsize len;
    sqlite3 *db;

    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    g_assert_true (g_file_set_contents (newer, data, len, NULL));
    g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  gtk_widget_activate_action (other, "win.open-file", "s", newer);
  g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (other)), "newer version of Trawl"));
  test_ui_wait_text (other, "newer version of Trawl", 2000);
  g_assert_cmpuint (test_ui_screenshot (other, "window-open-error.png"), >, 20);

  /* Dismissed, the message goes. */
  gtk_widget_activate_action (other, "win.dismiss-message", NULL);
  g_assert_null (trawl_window_get_message (TRAWL_WINDOW (other)));

  /* Cut short, or overwritten in its pages table, a crawl file is said to
   * be damaged (when it is opened, or where its pages would be) and is
   * left as it was. */
  {
    g_autofree char *cut = test_tmp_path ("cut.trawl");
    g_autofree char *overwritten = test_tmp_path ("overwritten.trawl");
    g_autofree char *data = NULL;
    g_autofree char *damaged = NULL;
    g_autofree char *after = NULL;
    gsize len, after_len, cut_len;
    sqlite3 *db = test_open_db (path);
    gint64 page_size = test_query_int (db, "PRAGMA page_size");
    gint64 root = test_query_int (db, "SELECT rootpage FROM sqlite_master WHERE name = 'pages'");

    sqlite3_close (db);
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    cut_len = len / 2;
    g_assert_true (g_file_set_contents (cut, data, cut_len, NULL));
    gtk_widget_activate_action (other, "win.open-file", "s", cut);
    g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (other)),
                              "the file is damaged (part of it is missing or was overwritten)"));
    g_assert_true (trawl_window_get_crawl (TRAWL_WINDOW (other)) == crawl);

    /* Without its inlinks index, which Trawl would add.  The first window
     * may have been closed before it had added the index to this file
     * (under ASan it was). */
    g_assert_true (g_file_set_contents (overwritten, data, len, NULL));
    g_assert_cmpint (sqlite3_open (overwritten, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP INDEX IF EXISTS links_to", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_true (g_file_get_contents (overwritten, &damaged, &len, NULL));
    memset (damaged + (root - 1) * page_size, 0x55, page_size);
    g_assert_true (g_file_set_contents (overwritten, damaged, len, NULL));
    gtk_widget_activate_action (other, "win.open-file", "s", overwritten);
    g_assert_cmpstr (visible_view (other), ==, "results");
    test_ui_wait_text (other, "Could Not Read the Crawl", 5000);
    test_ui_wait_text (other, "the file is damaged (part of it is missing or was overwritten)", 2000);
    g_assert_cmpuint (test_ui_screenshot (other, "window-damaged.png"), >, 20);
    /* Nor is the inlinks index added to it. */
    test_ui_settle (1000);
    g_assert_false (trawl_crawl_get_links_indexed (trawl_window_get_crawl (TRAWL_WINDOW (other))));
    g_assert_true (g_file_get_contents (overwritten, &after, &after_len, NULL));
    g_assert_true (after_len == len && memcmp (after, damaged, len) == 0);
    g_clear_pointer (&after, g_free);
    g_assert_true (g_file_get_contents (cut, &after, &after_len, NULL));
    g_assert_true (after_len == cut_len && memcmp (after, data, cut_len) == 0);
  }
  gtk_window_destroy (GTK_WINDOW (other));
}

static gboolean
engine_ended (gpointer engine)
{
  TrawlEngineState state = trawl_engine_get_state (engine);

  return state == TRAWL_ENGINE_STOPPED || state == TRAWL_ENGINE_FINISHED || state == TRAWL_ENGINE_FAILED;
}

static gboolean
results_shown (gpointer view)
{
  TrawlResultsModel *model = trawl_results_view_get_model (view);

  return model != NULL && !trawl_results_model_is_loading (model) && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

/* A crawl that another crawl writes is shown but not continued; one on a
 * read-only disk is shown, and Continue says why it cannot go on. */
static void
test_busy_and_read_only (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (40, 200, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *busy = test_tmp_path ("busy.trawl");
  g_autoptr (TrawlEngine) engine = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlCrawl *crawl;

  gtk_window_present (GTK_WINDOW (window));
  job->concurrency = 1;
  job->per_host = 1;
  engine = trawl_engine_new (job, busy, &error);
  g_assert_no_error (error);
  trawl_engine_start (engine);
  while (trawl_test_site_count_requests (site, "/page/0.html") == 0)
    g_main_context_iteration (NULL, TRUE);

  gtk_widget_activate_action (window, "win.open-file", "s", busy);
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
  g_assert_nonnull (crawl);
  test_ui_wait_text (window, "Interrupted", 2000);
  gtk_widget_activate_action (window, "win.continue", NULL);
  g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (window)),
                            "is being crawled by another process; try again when that crawl has stopped"));
  g_assert_false (trawl_crawl_is_active (crawl));
  trawl_engine_stop (engine);
  test_ui_wait (engine_ended, engine, 20000, "the other crawl to stop");
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_STOPPED);

  {
    g_autofree char *disk = test_mount_disk ("read-only", "4m");
    g_autofree char *copy = NULL;
    g_autofree char *data = NULL;
    g_autofree char *after = NULL;
    gsize len, after_len;
    TrawlResultsView *results = TRAWL_RESULTS_VIEW (test_ui_find (window, TRAWL_TYPE_RESULTS_VIEW, 0));

    if (disk == NULL)
      {
        gtk_window_destroy (GTK_WINDOW (window));
        return;
      }
    copy = g_build_filename (disk, "stopped.trawl", NULL);
    g_assert_true (g_file_get_contents (busy, &data, &len, NULL));
    g_assert_true (g_file_set_contents (copy, data, len, NULL));
    test_remount_disk (disk, "ro");

    gtk_widget_activate_action (window, "win.open-file", "s", copy);
    crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
    g_assert_cmpstr (trawl_crawl_get_path (crawl), ==, copy);
    test_ui_wait_text (window, "Stopped", 2000);
    test_ui_wait (results_shown, results, 10000, "the pages of the read-only crawl");
    gtk_widget_activate_action (window, "win.continue", NULL);
    g_assert_nonnull (strstr (trawl_window_get_message (TRAWL_WINDOW (window)),
                              "is read-only (Read-only file system): Trawl can show and export it, but not continue "
                              "or change it"));
    g_assert_false (trawl_crawl_is_active (crawl));
    g_assert_true (g_file_get_contents (copy, &after, &after_len, NULL));
    g_assert_true (after_len == len && memcmp (after, data, len) == 0);
    gtk_window_destroy (GTK_WINDOW (window));
    test_unmount_disk (disk);
  }
}

/* What `trawl JOB.trawljob URL` and `trawl FILE.trawl` do, through the
 * application's open handler as the command line and the file manager
 * reach it. */
static void
test_open_from_command_line (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (10, 0, FALSE);
  g_autoptr (TrawlApplication) app = trawl_application_new ();
  g_autofree char *job_path = test_tmp_path ("cmdline.trawljob");
  g_autoptr (TrawlJob) job = trawl_job_new ();
  g_autoptr (GFile) job_file = g_file_new_for_path (job_path);
  g_autoptr (GFile) url = g_file_new_for_uri (trawl_test_site_get_url (site));
  g_autoptr (GError) error = NULL;
  GFile *both[2] = { job_file, url };
  GList *windows;
  TrawlWindow *window;
  TrawlCrawl *crawl;
  g_autofree char *path = NULL;

  job->max_pages = 3;
  job->sitemaps = FALSE;
  g_assert_true (trawl_job_save_file (job, job_path, &error));
  g_assert_no_error (error);

  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  /* A job file then an address: one window crawls it with the job. */
  g_application_open (G_APPLICATION (app), both, 2, "");
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  window = windows->data;
  crawl = trawl_window_get_crawl (window);
  g_assert_nonnull (crawl);
  g_assert_cmpint (trawl_crawl_get_job (crawl)->max_pages, ==, 3);
  g_assert_cmpint (test_ui_wait_crawl_end (window, 30000), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (trawl_crawl_get_stats (crawl)->fetched, ==, 3);
  path = g_strdup (trawl_crawl_get_path (crawl));

  /* The crawl file it made opens in a window of its own. */
  {
    g_autoptr (GFile) crawl_file = g_file_new_for_path (path);

    g_application_open (G_APPLICATION (app), &crawl_file, 1, "");
  }
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, 2);
  g_assert_cmpstr (trawl_window_get_crawl_path (windows->data), ==, path);
  g_assert_cmpint (trawl_crawl_get_state (trawl_window_get_crawl (windows->data)), ==, TRAWL_ENGINE_FINISHED);

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
}

/* A desktop's notification server on the test's own session bus
 * (tests/with-keyring.sh): what GLib's freedesktop backend sends. */
static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'>"
  "<arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "<arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/>"
  "</method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "</interface></node>";

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               data)
{
  GPtrArray *received = data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (received, g_strdup_printf ("%s\n%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", received->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new_parsed ("(@as ['body'],)"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
has_notification (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

/* What the notification server was sent, for as long as the tests run:
 * every window that finishes a crawl unseen notifies. */
static GPtrArray *notifications;

static void
serve_notifications (GDBusConnection *bus)
{
  g_autoptr (GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  static const GDBusInterfaceVTable vtable = { on_notifications_call };
  g_autoptr (GError) error = NULL;
  gboolean owned = FALSE;

  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", node->interfaces[0],
                                     &vtable, notifications, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                on_name_acquired, NULL, &owned, NULL);
  test_ui_wait (is_true, &owned, 5000, "the notification server's name");
}

/* "Keep Crawling" hides the window and the crawl goes on; opening Trawl
 * again shows that window, which then stays when the crawl ends.  Left
 * hidden, a window goes once its crawl is done, and the application with
 * it, and a desktop notification says it finished. */
static void
test_keep_crawling (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (60, 100, FALSE);
  g_autoptr (TrawlApplication) app = trawl_application_new ();
  g_autoptr (GError) error = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkWidget *window;
  GList *windows;
  GPtrArray *received = notifications;

  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  /* An id of its own: the application of an earlier test is still on the
   * bus under Trawl's. */
  g_application_set_application_id (G_APPLICATION (app), "io.github.trawl.Trawl.Test.KeepCrawling");
  g_application_set_resource_base_path (G_APPLICATION (app), "/io/github/trawl/Trawl");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_set_default (G_APPLICATION (app));

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (TrawlCrawl) crawl = NULL;

      g_application_activate (G_APPLICATION (app));
      windows = gtk_application_get_windows (GTK_APPLICATION (app));
      g_assert_cmpuint (g_list_length (windows), ==, 1);
      window = windows->data;
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
      test_ui_start_crawl (window, trawl_test_site_get_url (site));
      crawl = g_object_ref (trawl_window_get_crawl (TRAWL_WINDOW (window)));
      test_ui_settle (200);

      gtk_window_close (GTK_WINDOW (window));
      dialog = NULL;
      test_ui_wait (dialog_shown, &dialog, 5000, "the close dialog");
      adw_message_dialog_response (dialog, "background");
      test_ui_settle (200);
      g_assert_nonnull (window);
      g_assert_false (gtk_widget_get_visible (window));
      g_assert_true (trawl_crawl_is_active (crawl));

      if (round == 0)
        {
          /* Trawl opened again: the same window, crawling still. */
          g_application_activate (G_APPLICATION (app));
          windows = gtk_application_get_windows (GTK_APPLICATION (app));
          g_assert_cmpuint (g_list_length (windows), ==, 1);
          g_assert_true (windows->data == (gpointer) window);
          g_assert_true (gtk_widget_get_visible (window));
          g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
          test_ui_settle (200);
          g_assert_nonnull (window);
          g_assert_true (gtk_widget_get_visible (window));
          gtk_window_destroy (GTK_WINDOW (window));
          g_assert_null (window);
        }
      else
        {
          while (trawl_crawl_is_active (crawl))
            g_main_context_iteration (NULL, TRUE);
          test_ui_settle (200);
          g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_FINISHED);
          g_assert_null (window);

          /* Nobody saw it end, so the desktop was told. */
          test_ui_wait (has_notification, received, 5000, "a notification");
          g_assert_true (g_str_has_prefix (g_ptr_array_index (received, received->len - 1),
                                           "Crawl Finished\n"));
          g_assert_nonnull (strstr (g_ptr_array_index (received, received->len - 1), " pages fetched"));
        }
      g_ptr_array_set_size (received, 0);
    }
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_application_set_default (NULL);
}

int
main (int    argc,
      char **argv)
{
  GDBusConnection *bus;
  g_autoptr (GError) error = NULL;

  test_ui_init (&argc, &argv);
  /* meson runs these through tests/with-keyring.sh, a session of their own. */
  if ((bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error)) == NULL)
    g_error ("The window tests need a D-Bus session bus (tests/with-keyring.sh makes one): %s", error->message);
  serve_notifications (bus);

  g_test_add_func ("/window/crawl", test_crawl_from_window);
  g_test_add_func ("/window/keyboard-start", test_keyboard_start);
  g_test_add_func ("/window/nothing-fetched", test_nothing_fetched);
  g_test_add_func ("/window/pause-resume-stop", test_pause_resume_stop);
  g_test_add_func ("/window/close-while-crawling", test_close_while_crawling);
  g_test_add_func ("/window/reopen", test_reopen);
  g_test_add_func ("/window/busy-and-read-only", test_busy_and_read_only);
  g_test_add_func ("/window/open-from-command-line", test_open_from_command_line);
  g_test_add_func ("/window/keep-crawling", test_keep_crawling);

  return g_test_run ();
}
