/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-setup-view.c — the Setup view, driven through its widgets under Xvfb:
 * every setting, inline validation, presets, job files, the command line
 * and the recent crawls. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-job-editor.h"
#include "trawl-page-row.h"
#include "trawl-recent-crawls.h"
#include "trawl-setup-view.h"
#include "trawl-test-site.h"

static GtkWidget *
window_new (void)
{
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_text (window, "Crawl a Website", 5000);
  /* Until the window is laid out it has no size to take a picture of. */
  test_ui_settle (300);
  return window;
}

static TrawlSetupView *
setup_view (GtkWidget *window)
{
  return TRAWL_SETUP_VIEW (test_ui_find (window, TRAWL_TYPE_SETUP_VIEW, 0));
}

static TrawlJobEditor *
editor (GtkWidget *window)
{
  return TRAWL_JOB_EDITOR (test_ui_find (window, TRAWL_TYPE_JOB_EDITOR, 0));
}

/* The widgets a person types into, by the setting's key. */
static void
set_text (GtkWidget  *window,
          const char *key,
          const char *text)
{
  GtkWidget *widget = test_ui_find_named (window, key);

  if (GTK_IS_TEXT_VIEW (widget))
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)), text, -1);
  else
    gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static const char *
get_text (GtkWidget  *window,
          const char *key)
{
  return gtk_editable_get_text (GTK_EDITABLE (test_ui_find_named (window, key)));
}

static void
set_switch (GtkWidget  *window,
            const char *key,
            gboolean    active)
{
  gtk_switch_set_active (GTK_SWITCH (test_ui_find_named (window, key)), active);
}

static void
set_combo (GtkWidget  *window,
           const char *key,
           guint       position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (test_ui_find_named (window, key)), position);
}

static guint
get_combo (GtkWidget  *window,
           const char *key)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (test_ui_find_named (window, key)));
}

static gboolean
start_enabled (GtkWidget *window)
{
  /* The Start button follows the enabled state of win.start. */
  return gtk_widget_get_sensitive (test_ui_find_named (window, "start_button"));
}

/* Every setting changed from its default, through the widgets. */
static void
fill_every_field (GtkWidget *window)
{
  set_text (window, "start_urls", "http://127.0.0.1:9/a\n\n  http://127.0.0.1:9/b  \n");
  set_switch (window, "list_mode", TRUE);
  set_switch (window, "sitemaps", FALSE);
  set_combo (window, "scope", 1);
  set_text (window, "include", "/docs/\n\\.html$");
  set_text (window, "exclude", "/private/");
  set_combo (window, "order", 1);
  set_switch (window, "follow_nofollow", TRUE);
  set_switch (window, "resources", TRUE);
  set_text (window, "max_depth", "3");
  set_text (window, "max_pages", "500");
  set_text (window, "max_time", "90.5");
  set_text (window, "max_url_length", "300");
  set_text (window, "concurrency", "8");
  set_text (window, "per_host", "2");
  set_text (window, "delay", "0.25");
  set_combo (window, "delay_mode", 1);
  set_text (window, "autothrottle_target", "2");
  set_text (window, "max_delay", "10");
  set_combo (window, "robots", 2);
  set_text (window, "max_crawl_delay", "5");
  set_text (window, "user_agent", "TestBot/1.0 (+https://example.org/bot)");
  set_text (window, "headers", "X-Test: yes\nAccept-Language: fr");
  set_switch (window, "cookies", FALSE);
  set_text (window, "auth_user", "alice");
  set_text (window, "auth_password", "s3cret word");
  set_text (window, "proxy", "http://carol@127.0.0.1:3128");
  set_text (window, "proxy_password", "proxy s3cret");
  {
    g_autofree char *ca = g_build_filename (g_getenv ("TRAWL_TESTDATA"), "tls", "ca.pem", NULL);

    set_text (window, "ca_file", ca);
  }
  set_text (window, "timeout", "12.5");
  set_text (window, "retries", "4");
  set_text (window, "max_redirects", "7");
  set_text (window, "max_size", "5M");
  set_switch (window, "compression", FALSE);
  set_switch (window, "store_bodies", TRUE);
  set_text (window, "rules", "title = css:h1\nproduct = css:li.product\nproduct.price[] = xpath:.//span[@class=\"price\"]");
}

static void
assert_every_field (const TrawlJob *job)
{
  const char *urls[] = { "http://127.0.0.1:9/a", "http://127.0.0.1:9/b", NULL };
  const char *include[] = { "/docs/", "\\.html$", NULL };
  const char *exclude[] = { "/private/", NULL };
  const char *headers[] = { "X-Test: yes", "Accept-Language: fr", NULL };
  const char *rules[] = { "title = css:h1", "product = css:li.product",
                          "product.price[] = xpath:.//span[@class=\"price\"]", NULL };

  g_assert_nonnull (job);
  g_assert_cmpstrv (job->start_urls, urls);
  g_assert_true (job->list_mode);
  g_assert_false (job->sitemaps);
  g_assert_cmpint (job->scope, ==, TRAWL_SCOPE_SITE);
  g_assert_cmpstrv (job->include, include);
  g_assert_cmpstrv (job->exclude, exclude);
  g_assert_cmpint (job->order, ==, TRAWL_ORDER_DEPTH);
  g_assert_true (job->follow_nofollow);
  g_assert_true (job->resources);
  g_assert_cmpint (job->max_depth, ==, 3);
  g_assert_cmpint (job->max_pages, ==, 500);
  g_assert_cmpfloat (job->max_time, ==, 90.5);
  g_assert_cmpint (job->max_url_length, ==, 300);
  g_assert_cmpint (job->concurrency, ==, 8);
  g_assert_cmpint (job->per_host, ==, 2);
  g_assert_cmpfloat (job->delay, ==, 0.25);
  g_assert_cmpint (job->delay_mode, ==, TRAWL_DELAY_FIXED);
  g_assert_cmpfloat (job->autothrottle_target, ==, 2);
  g_assert_cmpfloat (job->max_delay, ==, 10);
  g_assert_cmpint (job->robots, ==, TRAWL_ROBOTS_REPORT);
  g_assert_cmpfloat (job->max_crawl_delay, ==, 5);
  g_assert_cmpstr (job->user_agent, ==, "TestBot/1.0 (+https://example.org/bot)");
  g_assert_cmpstrv (job->headers, headers);
  g_assert_false (job->cookies);
  g_assert_cmpstr (job->auth_user, ==, "alice");
  g_assert_cmpstr (trawl_job_get_auth_password (job), ==, "s3cret word");
  g_assert_cmpstr (job->proxy, ==, "http://carol@127.0.0.1:3128");
  g_assert_cmpstr (trawl_job_get_proxy_password (job), ==, "proxy s3cret");
  g_assert_true (g_str_has_suffix (job->ca_file, "/tls/ca.pem"));
  g_assert_cmpfloat (job->timeout, ==, 12.5);
  g_assert_cmpint (job->retries, ==, 4);
  g_assert_cmpint (job->max_redirects, ==, 7);
  g_assert_cmpint (job->max_size, ==, 5 * 1024 * 1024);
  g_assert_false (job->compression);
  g_assert_true (job->store_bodies);
  g_assert_cmpstrv (job->extract, rules);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
is_done (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
save_job_file (TrawlSetupView  *view,
               const char      *path,
               GError         **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  trawl_setup_view_save_job_file_async (view, path, NULL, on_done, &result);
  test_ui_wait (is_done, &result, 10000, "the job file to be saved");
  return trawl_setup_view_save_job_file_finish (view, result, error);
}

/* The job as the window saves or crawls it, its secrets in the keyring. */
static TrawlJob *
store_job (TrawlSetupView *view)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TrawlJob *job;

  trawl_setup_view_store_job_async (view, NULL, on_done, &result);
  test_ui_wait (is_done, &result, 10000, "the secrets to be stored");
  job = trawl_setup_view_store_job_finish (view, result, &error);
  g_assert_no_error (error);
  return job;
}

typedef struct {
  GtkWidget  *window;
  const char *password;
} PasswordWait;

static gboolean
password_shown (gpointer data)
{
  PasswordWait *wait = data;

  return g_str_equal (get_text (wait->window, "auth_password"), wait->password);
}

/* The password row fills in when the keyring has answered. */
static void
wait_password (GtkWidget  *window,
               const char *password)
{
  PasswordWait wait = { window, password };

  test_ui_wait (password_shown, &wait, 10000, "the password from the keyring");
}

static void
test_every_field (void)
{
  GtkWidget *window = window_new ();
  TrawlSetupView *view = setup_view (window);
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (TrawlJob) defaults = trawl_job_new ();
  g_autoptr (GError) error = NULL;

  /* A new window shows the defaults and cannot start without an address. */
  g_assert_cmpstr (get_text (window, "concurrency"), ==, "16");
  g_assert_cmpstr (get_text (window, "max_size"), ==, "32M");
  g_assert_cmpstr (get_text (window, "user_agent"), ==, defaults->user_agent);
  g_assert_false (start_enabled (window));
  test_ui_wait_text (window, "Enter the address of a website to start.", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "setup-start-new.png"), >, 20);

  /* The start page's address is the first start URL. */
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), "http://127.0.0.1:9/");
  g_assert_true (start_enabled (window));
  job = trawl_setup_view_dup_job (view, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->start_urls[0], ==, "http://127.0.0.1:9/");
  g_assert_null (job->start_urls[1]);
  g_clear_pointer (&job, trawl_job_free);

  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  fill_every_field (window);
  g_assert_null (trawl_setup_view_get_problem (view));
  g_assert_true (start_enabled (window));
  job = trawl_setup_view_dup_job (view, &error);
  g_assert_no_error (error);
  assert_every_field (job);
  /* and the first of the editor's start URLs is back on the start page. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry"))), ==,
                   "http://127.0.0.1:9/a");

  /* A job set from outside (a reopened crawl) fills the rows. */
  trawl_setup_view_set_job (view, defaults);
  g_assert_cmpstr (get_text (window, "concurrency"), ==, "16");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (test_ui_find_named (window, "store_bodies"))));
  trawl_setup_view_set_job (view, job);
  g_clear_pointer (&job, trawl_job_free);
  job = trawl_setup_view_dup_job (view, &error);
  g_assert_no_error (error);
  assert_every_field (job);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
row_shows_error (GtkWidget  *window,
                 const char *key)
{
  GtkWidget *row = gtk_widget_get_ancestor (test_ui_find_named (window, key), ADW_TYPE_PREFERENCES_ROW);

  return gtk_widget_has_css_class (row, "error");
}

/* Sets one row to @bad, checks the message under it, that Start is off
 * with the reason shown, then sets it to @good. */
static void
assert_invalid (GtkWidget  *window,
                const char *key,
                const char *bad,
                const char *message,
                const char *good)
{
  TrawlSetupView *view = setup_view (window);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = NULL;

  set_text (window, key, bad);
  g_assert_nonnull (trawl_job_editor_get_field_error (editor (window), key));
  if (strstr (trawl_job_editor_get_field_error (editor (window), key), message) == NULL)
    g_error ("the message under %s, “%s”, does not say “%s”", key,
             trawl_job_editor_get_field_error (editor (window), key), message);
  test_ui_wait_text (window, message, 2000);
  g_assert_true (row_shows_error (window, key));
  g_assert_false (start_enabled (window));
  g_assert_nonnull (strstr (trawl_setup_view_get_problem (view), message));
  job = trawl_setup_view_dup_job (view, &error);
  g_assert_null (job);
  g_assert_nonnull (strstr (error->message, message));
  /* Start is disabled, so activating it starts nothing. */
  gtk_widget_activate_action (window, "win.start", NULL);
  g_assert_null (trawl_window_get_crawl (TRAWL_WINDOW (window)));

  set_text (window, key, good);
  g_assert_null (trawl_job_editor_get_field_error (editor (window), key));
  g_assert_false (row_shows_error (window, key));
  g_assert_null (trawl_setup_view_get_problem (view));
  g_assert_true (start_enabled (window));
}

static void
test_validation (void)
{
  GtkWidget *window = window_new ();
  TrawlSetupView *view = setup_view (window);
  GtkWidget *url_entry = test_ui_find_named (window, "url_entry");
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));

  /* A new window waits for an address: what is typed goes to the entry. */
  g_assert_nonnull (focus);
  g_assert_true (focus == url_entry || gtk_widget_is_ancestor (focus, url_entry));

  /* On the start page: a bad address is named under the entry. */
  gtk_editable_set_text (GTK_EDITABLE (url_entry), "not a website");
  test_ui_wait_text (window, "is not a valid web address", 2000);
  g_assert_true (gtk_widget_has_css_class (url_entry, "error"));
  g_assert_false (start_enabled (window));
  gtk_editable_set_text (GTK_EDITABLE (url_entry), "ftp://example.org/");
  g_assert_false (start_enabled (window));
  gtk_editable_set_text (GTK_EDITABLE (url_entry), "http://127.0.0.1:9/");
  g_assert_true (start_enabled (window));
  g_assert_false (gtk_widget_has_css_class (url_entry, "error"));

  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  assert_invalid (window, "start_urls", "http://127.0.0.1:9/\nnot a website", "is not a valid web address",
                  "http://127.0.0.1:9/\nhttp://127.0.0.1:9/other");
  assert_invalid (window, "include", "/docs/\n([a-z", "is not a valid regular expression", "/docs/");
  assert_invalid (window, "exclude", "*.png", "is not a valid regular expression", "\\.png$");
  assert_invalid (window, "rules", "title = css:h1\nprice = css:.price:hover", "uses :hover, which is not supported",
                  "title = css:h1\nprice = css:.price");
  assert_invalid (window, "rules", "product.name = css:h2", "needs a rule named “product”",
                  "product = css:li\nproduct.name = css:h2");
  assert_invalid (window, "concurrency", "0", "Must be a whole number from 1 to 1024, not “0”", "32");
  assert_invalid (window, "per_host", "many", "Must be a whole number from 1 to 1024", "2");
  assert_invalid (window, "max_depth", "-2", "Must be a whole number from -1 to 1000000", "-1");
  assert_invalid (window, "delay", "4000", "Must be a number from 0 to 3600", "0.5");
  assert_invalid (window, "timeout", "0", "Must be a number from 0.1 to 3600", "30");
  assert_invalid (window, "retries", "21", "Must be a whole number from 0 to 20", "3");
  assert_invalid (window, "max_size", "12", "Must be a size such as 500K, 32M or 1G", "1G");
  assert_invalid (window, "headers", "X-Test yes", "must be written as “Name: value”", "X-Test: yes");
  assert_invalid (window, "proxy", "not a proxy", "must be a URL such as", "");
  assert_invalid (window, "ca_file", "/nonexistent/ca.pem", "The CA file “/nonexistent/ca.pem” does not exist", "");
  assert_invalid (window, "user_agent", "", "The user agent must not be empty", "Bot");

  /* Two problems: the first on the page is named, and both rows say theirs. */
  set_text (window, "concurrency", "0");
  set_text (window, "include", "(");
  g_assert_nonnull (strstr (trawl_setup_view_get_problem (view), "is not a valid regular expression"));
  g_assert_true (row_shows_error (window, "concurrency"));
  g_assert_true (row_shows_error (window, "include"));
  g_assert_cmpuint (test_ui_screenshot (window, "setup-editor-errors.png"), >, 20);
  set_text (window, "include", "");
  g_assert_nonnull (strstr (trawl_setup_view_get_problem (view), "Requests at Once: Must be a whole number"));
  /* The reason is also on the start page, by the Start button. */
  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-start", NULL);
  test_ui_wait_text (window, "Requests at Once: Must be a whole number", 2000);
  set_text (window, "concurrency", "16");
  g_assert_true (start_enabled (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_presets (void)
{
  GtkWidget *window = window_new ();
  TrawlSetupView *view = setup_view (window);
  g_autoptr (TrawlJob) job = NULL;

  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), "http://127.0.0.1:9/");
  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  g_assert_cmpstr (trawl_job_editor_get_preset (editor (window)), ==, "default");

  /* Polite: one request at a time per host, adapted to the server. */
  set_combo (window, "preset", 0);
  g_assert_cmpstr (get_text (window, "concurrency"), ==, "4");
  g_assert_cmpstr (get_text (window, "per_host"), ==, "1");
  g_assert_cmpstr (get_text (window, "delay"), ==, "1");
  g_assert_cmpuint (get_combo (window, "delay_mode"), ==, TRAWL_DELAY_AUTO);
  job = trawl_setup_view_dup_job (view, NULL);
  g_assert_cmpint (job->per_host, ==, 1);
  g_assert_cmpfloat (job->autothrottle_target, ==, 0.5);
  g_clear_pointer (&job, trawl_job_free);

  /* Fast. */
  set_combo (window, "preset", 2);
  g_assert_cmpstr (get_text (window, "concurrency"), ==, "64");
  g_assert_cmpstr (get_text (window, "per_host"), ==, "16");
  g_assert_cmpstr (get_text (window, "delay"), ==, "0");
  g_assert_cmpuint (get_combo (window, "delay_mode"), ==, TRAWL_DELAY_FIXED);
  g_assert_cmpstr (trawl_job_editor_get_preset (editor (window)), ==, "fast");

  /* Changing one speed setting by hand makes it Custom… */
  set_text (window, "per_host", "3");
  g_assert_cmpstr (trawl_job_editor_get_preset (editor (window)), ==, "custom");
  g_assert_cmpuint (get_combo (window, "preset"), ==, 3);
  /* …and typing a preset's values back is that preset again. */
  set_text (window, "per_host", "16");
  g_assert_cmpstr (trawl_job_editor_get_preset (editor (window)), ==, "fast");

  /* Default puts back the defaults; other settings are left alone. */
  set_text (window, "max_depth", "2");
  set_combo (window, "preset", 1);
  job = trawl_setup_view_dup_job (view, NULL);
  g_assert_cmpint (job->concurrency, ==, 16);
  g_assert_cmpint (job->per_host, ==, 4);
  g_assert_cmpfloat (job->delay, ==, 0);
  g_assert_cmpint (job->delay_mode, ==, TRAWL_DELAY_RANDOM);
  g_assert_cmpint (job->max_depth, ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_job_file (void)
{
  GtkWidget *window = window_new ();
  TrawlSetupView *view = setup_view (window);
  g_autofree char *path = test_tmp_path ("every-field.trawljob");
  g_autofree char *bad = test_tmp_path ("bad.trawljob");
  g_autofree char *missing = test_tmp_path ("missing.trawljob");
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (TrawlJob) from_file = NULL;
  g_autoptr (TrawlJob) defaults = trawl_job_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *saved_data = NULL;
  g_autofree char *loaded_data = NULL;

  /* An invalid job is not saved. */
  g_assert_false (save_job_file (view, path, &error));
  g_assert_nonnull (strstr (error->message, "There is no start URL"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The password goes to the keyring; the file names its item. */
  fill_every_field (window);
  g_assert_true (save_job_file (view, path, &error));
  g_assert_no_error (error);
  test_ui_wait_text (window, "Job file saved", 2000);
  g_assert_false (test_file_contains (path, "s3cret word"));
  g_assert_false (test_file_contains (path, "proxy s3cret"));
  from_file = trawl_job_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_null (from_file->auth_password);
  g_assert_nonnull (from_file->auth_password_secret);
  g_assert_null (from_file->proxy_password);
  g_assert_nonnull (from_file->proxy_password_secret);

  /* Loading it into a fresh form gives every field back, the password
   * from the keyring. */
  trawl_setup_view_set_job (view, defaults);
  g_assert_cmpstr (get_text (window, "per_host"), ==, "4");
  g_assert_cmpstr (get_text (window, "auth_password"), ==, "");
  g_assert_cmpstr (get_text (window, "proxy_password"), ==, "");
  g_assert_true (trawl_setup_view_load_job_file (view, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (get_text (window, "per_host"), ==, "2");
  g_assert_cmpstr (get_text (window, "max_size"), ==, "5M");
  wait_password (window, "s3cret word");
  g_assert_cmpstr (get_text (window, "proxy_password"), ==, "proxy s3cret");
  job = trawl_setup_view_dup_job (view, &error);
  g_assert_no_error (error);
  assert_every_field (job);
  /* Saved again, it names the same item rather than a new one. */
  g_clear_pointer (&job, trawl_job_free);
  job = store_job (view);
  saved_data = trawl_job_to_data (from_file);
  loaded_data = trawl_job_to_data (job);
  g_assert_cmpstr (saved_data, ==, loaded_data);

  /* Files that are not jobs are refused with a sentence; nothing changes. */
  g_assert_true (g_file_set_contents (bad, "[speed]\nconcurrency=lots\n", -1, NULL));
  g_assert_false (trawl_setup_view_load_job_file (view, bad, &error));
  g_assert_nonnull (strstr (error->message, "must be a whole number"));
  g_clear_error (&error);
  g_assert_false (trawl_setup_view_load_job_file (view, missing, &error));
  g_assert_nonnull (strstr (error->message, "Could not read the job file"));
  g_clear_error (&error);
  g_assert_cmpstr (get_text (window, "concurrency"), ==, "8");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      data)
{
  char **text = data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_command_line (void)
{
  GtkWidget *window = window_new ();
  TrawlSetupView *view = setup_view (window);
  g_autofree char *copied = NULL;
  g_autofree char *job_path = test_tmp_path ("from-command.trawljob");
  g_autofree char *cli = g_build_filename (g_getenv ("TRAWL_BUILDDIR"), "app", "cli", "trawl-cli", NULL);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (TrawlJob) from_cli = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) argv = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  int status;

  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  fill_every_field (window);
  /* Words a shell would split or expand must survive the copy. */
  set_text (window, "user_agent", "Test Bot/1.0 ($HOME; it's “quoted”)");
  set_text (window, "exclude", "/private/\n\\?sort=.*&page=[0-9]+$");
  job = store_job (view);

  gtk_widget_activate_action (GTK_WIDGET (view), "setup.copy-command", NULL);
  test_ui_wait_text (window, "Command line copied", 5000);
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (window), NULL, on_clipboard_text, &copied);
  test_ui_wait (is_set, &copied, 5000, "the clipboard");
  g_assert_true (g_str_has_prefix (copied, "trawl-cli crawl "));
  /* The password is named by its keyring item, not copied. */
  g_assert_null (strstr (copied, "s3cret"));
  g_assert_nonnull (strstr (copied, " --auth-password-secret "));
  g_assert_nonnull (strstr (copied, " --proxy-password-secret "));

  /* Run as a shell would run it, it describes the same job. */
  g_assert_true (g_shell_parse_argv (copied, NULL, &argv, &error));
  g_assert_no_error (error);
  g_ptr_array_add (args, cli);
  for (guint i = 1; argv[i]; i++)
    g_ptr_array_add (args, argv[i]);
  g_ptr_array_add (args, "--save-job");
  g_ptr_array_add (args, job_path);
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  from_cli = trawl_job_load_file (job_path, &error);
  g_assert_no_error (error);
  expected = trawl_job_to_data (job);
  actual = trawl_job_to_data (from_cli);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_cmpstr (from_cli->user_agent, ==, "Test Bot/1.0 ($HOME; it's “quoted”)");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_recent (gpointer data)
{
  GtkWidget *window = data;

  return g_list_model_get_n_items (trawl_setup_view_get_recent (setup_view (window))) >= 2;
}

static void
test_recent_crawls (void)
{
  TrawlTestSiteOptions options = { .n_pages = 10, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = trawl_window_get_crawl_folder ();
  g_autofree char *garbage = g_build_filename (folder, "zz-garbage.trawl", NULL);
  g_autofree char *path = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget *window;
  GListModel *recent;
  TrawlRecentCrawl *crawl_entry = NULL;
  TrawlRecentCrawl *garbage_entry = NULL;
  GtkWidget *list;
  GtkListBoxRow *crawl_row = NULL;
  sqlite3 *db;
  gint64 pages;

  site = trawl_test_site_new (&options, &error);
  g_assert_no_error (error);

  window = window_new ();
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), trawl_test_site_get_url (site));
  gtk_widget_activate_action (window, "win.start", NULL);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  path = g_strdup (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));
  db = test_open_db (path);
  pages = test_query_int (db, "SELECT count(*) FROM pages");
  sqlite3_close (db);

  /* A file that is not a crawl sits in the folder too, and is newer. */
  g_assert_true (g_file_set_contents (garbage, "<html>not a crawl</html>", -1, NULL));

  /* Back on the start page, the crawl is listed: host, pages, how it ended. */
  gtk_widget_activate_action (window, "win.new", NULL);
  test_ui_wait (has_recent, window, 10000, "the recent crawls");
  recent = trawl_setup_view_get_recent (setup_view (window));
  for (guint i = 0; i < g_list_model_get_n_items (recent); i++)
    {
      g_autoptr (TrawlRecentCrawl) entry = g_list_model_get_item (recent, i);

      if (g_str_equal (trawl_recent_crawl_get_path (entry), path))
        crawl_entry = entry;
      else if (g_str_equal (trawl_recent_crawl_get_path (entry), garbage))
        {
          garbage_entry = entry;
          /* Newest first. */
          g_assert_cmpuint (i, ==, 0);
        }
    }
  g_assert_nonnull (crawl_entry);
  g_assert_nonnull (garbage_entry);
  g_assert_cmpstr (trawl_recent_crawl_get_name (crawl_entry), ==, "127.0.0.1");
  g_assert_cmpint (trawl_recent_crawl_get_pages (crawl_entry), ==, pages);
  g_assert_cmpstr (trawl_recent_crawl_get_ending (crawl_entry), ==, "Finished");
  g_assert_null (trawl_recent_crawl_get_problem (crawl_entry));
  g_assert_cmpstr (trawl_recent_crawl_get_ending (garbage_entry), ==, "Unreadable");
  g_assert_cmpstr (trawl_recent_crawl_get_problem (garbage_entry), ==, "Not a Trawl crawl file");

  /* What the rows say. */
  subtitle = g_strdup_printf ("%s pages · Finished", test_keep (trawl_format_count (pages)));
  test_ui_wait_text (window, subtitle, 2000);
  test_ui_wait_text (window, "zz-garbage.trawl", 2000);
  test_ui_wait_text (window, "Not a Trawl crawl file", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "setup-start.png"), >, 20);

  /* Activating the crawl's row opens it. */
  list = test_ui_find_named (window, "recent_list");
  for (GtkWidget *child = gtk_widget_get_first_child (list); child; child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child) &&
        g_strcmp0 (gtk_widget_get_tooltip_text (child), path) == 0)
      crawl_row = GTK_LIST_BOX_ROW (child);
  g_assert_nonnull (crawl_row);
  gtk_widget_activate (GTK_WIDGET (crawl_row));
  g_assert_nonnull (trawl_window_get_crawl (TRAWL_WINDOW (window)));
  g_assert_cmpstr (trawl_window_get_crawl_path (TRAWL_WINDOW (window)), ==, path);
  g_assert_cmpint (trawl_crawl_get_state (trawl_window_get_crawl (TRAWL_WINDOW (window))), ==,
                   TRAWL_ENGINE_FINISHED);
  /* and its settings fill the form. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry"))), ==,
                   trawl_test_site_get_url (site));

  g_unlink (garbage);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A password and a cookie typed in All Settings reach the site, and the
 * keyring, but no file: not the job file, not the crawl file. */
static void
test_secrets (void)
{
  TrawlTestSiteOptions options = { .n_pages = 5, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = NULL;
  g_autoptr (TrawlJob) defaults = trawl_job_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *job_path = test_tmp_path ("members.trawljob");
  g_autofree char *crawl = NULL;
  g_autofree char *data = NULL;
  GtkWidget *window;
  TrawlSetupView *view;

  site = trawl_test_site_new (&options, &error);
  g_assert_no_error (error);
  url = g_strconcat (trawl_test_site_get_url (site), "members/", NULL);

  window = window_new ();
  view = setup_view (window);
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), url);
  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  set_text (window, "auth_user", TRAWL_TEST_SITE_MEMBER_USER);
  set_text (window, "auth_password", TRAWL_TEST_SITE_MEMBER_PASSWORD);
  set_text (window, "headers", "Cookie: " TRAWL_TEST_SITE_COOKIE "\nAccept-Language: fr");

  g_assert_true (save_job_file (view, job_path, &error));
  g_assert_no_error (error);
  test_assert_no_secret (job_path);
  g_assert_true (g_file_get_contents (job_path, &data, NULL, NULL));
  g_assert_nonnull (strstr (data, "\nauth_password_secret="));
  g_assert_nonnull (strstr (data, "\nheaders=Cookie: secret:"));
  /* The form still shows what was typed. */
  g_assert_cmpstr (get_text (window, "auth_password"), ==, TRAWL_TEST_SITE_MEMBER_PASSWORD);

  gtk_widget_activate_action (window, "win.start", NULL);
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  test_assert_logged_in (site);
  crawl = g_strdup (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));
  test_assert_no_secret (crawl);

  /* Opened again, the crawl's settings show the password once the
   * keyring has answered. */
  trawl_setup_view_set_job (view, defaults);
  gtk_widget_activate_action (window, "win.new", NULL);
  g_assert_cmpstr (get_text (window, "auth_password"), ==, "");
  g_assert_true (trawl_window_open_file (TRAWL_WINDOW (window), crawl));
  wait_password (window, TRAWL_TEST_SITE_MEMBER_PASSWORD);
  g_assert_cmpstr (get_text (window, "auth_user"), ==, TRAWL_TEST_SITE_MEMBER_USER);
  test_assert_no_secret (crawl);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The file chooser GTK shows for the CA row's button, once it is up. */
static gboolean
chooser_shown (gpointer data)
{
  GtkWidget **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && *dialog == NULL; i++)
    {
      g_autoptr (GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (window))
        *dialog = window;
    }
  return *dialog != NULL;
}

static gboolean
file_selected (gpointer chooser)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL && g_str_has_suffix (g_file_peek_path (file), "/tls/ca.pem");
}

static gboolean
ca_file_set (gpointer window)
{
  return get_text (window, "ca_file")[0] != '\0';
}

/* The CA row's button opens a file chooser; the file chosen fills the row.
 * GTK 4.8's own chooser leaves memory behind (its folder model, the
 * sidebar's libcloudproviders), so under LeakSanitizer this test runs in a
 * process of its own with leak checking off; AddressSanitizer still
 * watches every access. */
static void
test_ca_file_chooser (void)
{
  GtkWidget *window;
  TrawlSetupView *view;
  g_autofree char *ca = g_build_filename (g_getenv ("TRAWL_TESTDATA"), "tls", "ca.pem", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (ca);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = NULL;
  GtkWidget *dialog = NULL;

  if (g_getenv ("ASAN_OPTIONS") != NULL && !g_test_subprocess ())
    {
      g_autofree char *options = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);

      g_setenv ("ASAN_OPTIONS", options, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  window = window_new ();
  view = setup_view (window);
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), "https://example.org/");
  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  g_assert_true (gtk_widget_activate (test_ui_find_named (window, "ca_file_button")));
  test_ui_wait (chooser_shown, &dialog, 10000, "the file chooser");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Choose Certificate Authorities");
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (dialog), file, &error));
  g_assert_no_error (error);
  /* The chooser selects the file once it has read the folder. */
  test_ui_wait (file_selected, dialog, 10000, "the file to be selected");
  g_assert_cmpuint (test_ui_screenshot (dialog, "setup-ca-chooser.png"), >, 20);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);

  test_ui_wait (ca_file_set, window, 10000, "the chosen file in the row");
  g_assert_cmpstr (get_text (window, "ca_file"), ==, ca);
  g_assert_null (trawl_setup_view_get_problem (view));
  job = trawl_setup_view_dup_job (view, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (job->ca_file, ==, ca);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_editor_screenshot (void)
{
  GtkWidget *window = window_new ();
  TrawlSetupView *view = setup_view (window);

  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), "https://example.org/");
  gtk_widget_activate_action (GTK_WIDGET (view), "setup.show-editor", NULL);
  g_assert_cmpuint (test_ui_screenshot (window, "setup-editor.png"), >, 20);

  /* Further down: the presets, and a number out of range. */
  set_combo (window, "preset", 2);
  set_text (window, "per_host", "2000");
  gtk_widget_grab_focus (test_ui_find_named (window, "per_host"));
  test_ui_wait_text (window, "Must be a whole number from 1 to 1024, not “2000”", 2000);
  g_assert_cmpuint (test_ui_screenshot (window, "setup-editor-speed.png"), >, 20);

  /* The proxy with its user, and its password hidden beneath. */
  set_text (window, "per_host", "2");
  set_text (window, "proxy", "http://ann@proxy.example:3128");
  set_text (window, "proxy_password", "proxy s3cret");
  gtk_widget_grab_focus (test_ui_find_named (window, "proxy_password"));
  g_assert_null (trawl_setup_view_get_problem (view));
  g_assert_cmpuint (test_ui_screenshot (window, "setup-editor-proxy.png"), >, 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/setup/every-field", test_every_field);
  g_test_add_func ("/setup/validation", test_validation);
  g_test_add_func ("/setup/presets", test_presets);
  g_test_add_func ("/setup/job-file", test_job_file);
  g_test_add_func ("/setup/command-line", test_command_line);
  g_test_add_func ("/setup/recent-crawls", test_recent_crawls);
  g_test_add_func ("/setup/secrets", test_secrets);
  g_test_add_func ("/setup/editor-screenshot", test_editor_screenshot);
  g_test_add_func ("/setup/ca-file-chooser", test_ca_file_chooser);

  return g_test_run ();
}
