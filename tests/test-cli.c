/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c — trawl-cli as a person or a script uses it: messages, exit
 * codes, JSON, and crawls killed with SIGKILL then resumed. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

static void
assert_fails (int         code,
              const char *err,
              const char *expected)
{
  g_assert_cmpint (code, ==, 2);
  if (strstr (err, expected) == NULL)
    g_error ("stderr “%s” does not say “%s”", err, expected);
  g_assert_true (g_str_has_prefix (err, "trawl-cli: "));
}

static void
test_bad_input (void)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *text_file = test_tmp_path ("notes.txt");
  g_autofree char *sqlite_file = test_tmp_path ("other.sqlite");
  g_autofree char *existing = test_tmp_path ("existing.trawl");
  g_autofree char *job_file = test_tmp_path ("bad.trawljob");
  int code;

  code = test_run_cli (&out, &err, "crawl", "not a url", "-o", existing, NULL);
  assert_fails (code, err, "is not a valid web address");
  g_assert_false (g_file_test (existing, G_FILE_TEST_EXISTS));
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "crawl", "ftp://example.org/", "-o", existing, NULL);
  assert_fails (code, err, "only http and https are crawled");
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "crawl", "http://127.0.0.1:9/", "-o", "/nonexistent-folder/x.trawl", NULL);
  assert_fails (code, err, "Could not create “/nonexistent-folder/x.trawl”");
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "crawl", "http://127.0.0.1:9/", "--depth", "many", NULL);
  assert_fails (code, err, "“depth” must be a whole number");
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "crawl", "http://127.0.0.1:9/", "--include", "([a-z", NULL);
  assert_fails (code, err, "is not a valid regular expression");
  g_clear_pointer (&err, g_free);

  /* Nothing is overwritten. */
  g_file_set_contents (existing, "precious", -1, NULL);
  code = test_run_cli (&out, &err, "crawl", "http://127.0.0.1:9/", "-o", existing, NULL);
  assert_fails (code, err, "already exists");
  {
    g_autofree char *kept = NULL;

    g_file_get_contents (existing, &kept, NULL, NULL);
    g_assert_cmpstr (kept, ==, "precious");
  }
  g_clear_pointer (&err, g_free);

  g_file_set_contents (text_file, "hello, this is not a crawl\n", -1, NULL);
  code = test_run_cli (&out, &err, "stats", text_file, NULL);
  assert_fails (code, err, "not a Trawl crawl file");
  g_clear_pointer (&err, g_free);
  code = test_run_cli (&out, &err, "resume", text_file, NULL);
  assert_fails (code, err, "not a Trawl crawl file");
  g_clear_pointer (&err, g_free);

  {
    sqlite3 *db = NULL;

    sqlite3_open (sqlite_file, &db);
    sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, NULL, NULL);
    sqlite3_close (db);
  }
  code = test_run_cli (&out, &err, "stats", sqlite_file, NULL);
  assert_fails (code, err, "is not a Trawl crawl file");
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "stats", "/nonexistent.trawl", NULL);
  assert_fails (code, err, "does not exist");
  g_clear_pointer (&err, g_free);

  g_file_set_contents (job_file, "[speed]\nconcurrency=lots\n", -1, NULL);
  code = test_run_cli (&out, &err, "crawl", "--job", job_file, NULL);
  assert_fails (code, err, "“concurrency” must be a whole number");
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "crawl", "https://127.0.0.1:9/", "--ca-file", "/nonexistent/ca.pem", NULL);
  assert_fails (code, err, "The CA file “/nonexistent/ca.pem” does not exist\n");
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "frobnicate", NULL);
  assert_fails (code, err, "is not a command");
}

static void
test_crawl_json_and_stats (void)
{
  TrawlTestSiteOptions options = { .n_pages = 20, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  g_autofree char *path = test_tmp_path ("json.trawl");
  g_autofree char *job_path = test_tmp_path ("site.trawljob");
  g_autofree char *job_out = test_tmp_path ("from-job.trawl");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root;
  int code;

  code = test_run_cli (&out, &err, "crawl", trawl_test_site_get_url (site), "-o", path,
                  "--concurrency", "4", "--delay", "0", "--no-sitemaps", "--json", NULL);
  g_assert_cmpint (code, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "result"), ==, "finished");
  g_assert_cmpint (json_object_get_int_member (root, "pages"), ==, 21);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "status"), "200"), ==, 21);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "stats", path, NULL);
  g_assert_cmpint (code, ==, 0);
  g_assert_nonnull (strstr (out, "21 pages fetched"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Settings saved as a job file crawl the same way. */
  code = test_run_cli (&out, &err, "crawl", trawl_test_site_get_url (site), "--depth", "2",
                  "--no-sitemaps", "--save-job", job_path, NULL);
  g_assert_cmpint (code, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  code = test_run_cli (&out, &err, "crawl", "--job", job_path, "-o", job_out, "--json", NULL);
  g_assert_cmpint (code, ==, 0);
  {
    sqlite3 *db = test_open_db (job_out);

    /* "/" at 0, page 0 at 1, pages 1 and 2 and (7·0+3) = 3 at 2. */
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 5);
    sqlite3_close (db);
  }
}

static GSubprocess *
spawn_cli (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  GSubprocess *proc;

  g_ptr_array_add (argv, test_cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  return proc;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
sleep_ms (guint ms)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

/* kill -9 at random moments, then resume: the same pages as a clean crawl,
 * none twice. */
static void
test_kill_and_resume (void)
{
  const guint n = 150;
  TrawlTestSiteOptions options = { .n_pages = n, .page_delay_ms = 10 };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  const char *url = trawl_test_site_get_url (site);
  g_autofree char *clean = test_tmp_path ("clean.trawl");
  g_autofree char *killed = test_tmp_path ("killed.trawl");
  g_autoptr (GPtrArray) clean_pages = NULL;
  g_autoptr (GPtrArray) killed_pages = NULL;
  const char *const crawl_args[] = { "crawl", url, "-o", killed, "--concurrency", "4", "--per-host", "4",
                                     "--delay", "0", "--quiet", NULL };
  const char *const resume_args[] = { "resume", killed, "--quiet", NULL };
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db;
  int kills = 0;

  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", clean, "--concurrency", "4", "--per-host", "4",
                            "--delay", "0", "--quiet", NULL), ==, 0);
  db = test_open_db (clean);
  clean_pages = test_query_strings (db, "SELECT url || ' ' || status FROM pages");
  sqlite3_close (db);

  for (int round = 0; round < 6; round++)
    {
      g_autoptr (GSubprocess) proc = spawn_cli (round == 0 ? crawl_args : resume_args);

      sleep_ms (g_random_int_range (150, 700));
      /* A crawl that already ended ignores the signal. */
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, NULL);
      if (!g_subprocess_get_if_signaled (proc))
        break;
      kills++;
    }
  g_assert_cmpint (kills, >=, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (test_run_cli (&out, &err, "resume", killed, "--quiet", NULL), ==, 0);

  db = test_open_db (killed);
  killed_pages = test_query_strings (db, "SELECT url || ' ' || status FROM pages");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) - count(DISTINCT url) FROM urls"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'state'"), ==, "finished");
  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  sqlite3_close (db);

  g_assert_cmpuint (killed_pages->len, ==, clean_pages->len);
  for (guint i = 0; i < clean_pages->len; i++)
    g_assert_cmpstr (killed_pages->pdata[i], ==, clean_pages->pdata[i]);
}

static gboolean
same_items (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (a->pdata[i], b->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

/* trawl-cli extract: the items of a crawl with the new rules, without
 * crawling; refusals exit 2 with a sentence; kill -9 loses nothing. */
static void
test_extract (void)
{
  TrawlTestSiteOptions options = { .n_pages = 200 };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  const char *url = trawl_test_site_get_url (site);
  g_autofree char *stored = test_tmp_path ("stored.trawl");
  g_autofree char *fresh = test_tmp_path ("fresh.trawl");
  g_autofree char *plain = test_tmp_path ("plain.trawl");
  g_autofree char *job_file = test_tmp_path ("rules.trawljob");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GPtrArray) old_items = NULL;
  g_autoptr (GPtrArray) new_items = NULL;
  g_autoptr (GPtrArray) got = NULL;
  const char *const extract_args[] = { "extract", stored, "--rules-from", job_file, "--quiet", NULL };
  int code;

  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", stored, "--store-bodies", "--quiet",
                            "--extract", "heading = css:h1", NULL), ==, 0);
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", fresh, "--quiet", "--extract", "title = css:title",
                            "--extract", "item = css:li", "--extract", "item.href = css:a::attr(href)", NULL), ==, 0);
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", plain, "--quiet", NULL), ==, 0);
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "--extract", "title = css:title", "--extract", "item = css:li",
                            "--extract", "item.href = css:a::attr(href)", "--save-job", job_file, NULL), ==, 0);
  old_items = test_items_of (stored);
  new_items = test_items_of (fresh);
  g_assert_cmpuint (new_items->len, >, 400);

  /* Refused, the file unchanged. */
  code = test_run_cli (&out, &err, "extract", stored, "--extract", "title = css:title", "--extract", "x = regex:(", NULL);
  assert_fails (code, err, "The rule “x = regex:(” has a regular expression that does not compile");
  code = test_run_cli (&out, &err, "extract", plain, "--extract", "title = css:title", NULL);
  assert_fails (code, err, "has no stored response bodies: crawl with --store-bodies to re-run rules");
  code = test_run_cli (&out, &err, "extract", job_file, "--extract", "title = css:title", NULL);
  assert_fails (code, err, "not a Trawl crawl file");
  code = test_run_cli (&out, &err, "extract", stored, NULL);
  assert_fails (code, err, "extract needs the rules to run");
  got = test_items_of (stored);
  g_assert_true (same_items (got, old_items));

  /* Killed at random moments: the old items or the new ones, never a mix. */
  for (int round = 0; round < 4; round++)
    {
      g_autoptr (GSubprocess) proc = spawn_cli (extract_args);

      sleep_ms (g_random_int_range (5, 60));
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, NULL);
      g_clear_pointer (&got, g_ptr_array_unref);
      got = test_items_of (stored);
      g_assert_true (same_items (got, old_items) || same_items (got, new_items));
    }

  code = test_run_cli (&out, &err, "extract", stored, "--extract", "title = css:title", "--extract", "item = css:li",
                  "--extract", "item.href = css:a::attr(href)", NULL);
  g_assert_cmpint (code, ==, 0);
  g_assert_nonnull (strstr (out, "now holds"));
  g_clear_pointer (&got, g_ptr_array_unref);
  got = test_items_of (stored);
  g_assert_true (same_items (got, new_items));
  /* Exports now give the new fields. */
  code = test_run_cli (&out, &err, "export", stored, "--what", "items", "--format", "csv", "-o", "-", NULL);
  g_assert_cmpint (code, ==, 0);
  g_assert_true (g_str_has_prefix (out, "page,record,title,href"));
}

/* A file another process is crawling is left alone. */
static void
test_extract_while_crawling (void)
{
  TrawlTestSiteOptions options = { .n_pages = 50, .page_delay_ms = 200 };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  g_autofree char *path = test_tmp_path ("crawling.trawl");
  const char *const crawl_args[] = { "crawl", trawl_test_site_get_url (site), "-o", path, "--store-bodies",
                                     "--concurrency", "1", "--delay", "0", "--quiet", NULL };
  g_autoptr (GSubprocess) proc = spawn_cli (crawl_args);
  g_autofree char *out = NULL, *err = NULL;
  int code;

  /* Until the crawl stored a page. */
  for (int i = 0; i < 100 && trawl_test_site_count_requests (site, "/page/0.html") == 0; i++)
    sleep_ms (50);
  code = test_run_cli (&out, &err, "extract", path, "--extract", "title = css:title", NULL);
  assert_fails (code, err, "is being crawled by another process");
  g_subprocess_send_signal (proc, SIGKILL);
  g_subprocess_wait (proc, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/json-and-stats", test_crawl_json_and_stats);
  g_test_add_func ("/cli/kill-and-resume", test_kill_and_resume);
  g_test_add_func ("/cli/extract", test_extract);
  g_test_add_func ("/cli/extract-while-crawling", test_extract_while_crawling);

  return g_test_run ();
}
