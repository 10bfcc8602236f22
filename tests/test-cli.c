/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c — trawl-cli as a person or a script uses it: messages, exit
 * codes, JSON, and crawls killed with SIGKILL then resumed. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
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
  g_assert_nonnull (strstr (out, "pages fetched: 21,"));
  /* The crawl's state and its URLs' states are named for people. */
  g_assert_true (g_str_has_prefix (out, path));
  g_assert_nonnull (strstr (out, " — Finished\n"));
  g_assert_true (g_regex_match_simple ("^  Fetched +21$", out, G_REGEX_MULTILINE, 0));
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

/* A crawl that fetches not one page exits 3 and says why, whether the
 * site could not be reached or robots.txt refused everything; the crawl
 * file is still written, with the reason. */
static void
test_nothing_fetched (void)
{
  TrawlTestSiteOptions options = { .n_pages = 5 };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  g_autofree char *refused = test_refused_url ();
  g_autofree char *secret = g_strconcat (trawl_test_site_get_url (site), "private/secret.html", NULL);
  g_autofree char *path = test_tmp_path ("refused.trawl");
  g_autofree char *robots_path = test_tmp_path ("robots.trawl");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  int code;

  code = test_run_cli (&out, &err, "crawl", refused, "-o", path, "--retries", "0", NULL);
  g_assert_cmpint (code, ==, 3);
  g_assert_true (g_str_has_suffix (err, "trawl-cli: No page could be fetched. The server refused the connection.\n"));
  g_assert_nonnull (strstr (out, "pages fetched: 0,"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The file is a finished crawl like any other. */
  g_assert_cmpint (test_run_cli (&out, &err, "stats", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "The server refused the connection"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  code = test_run_cli (&out, &err, "crawl", secret, "-o", robots_path, "--json", "--no-sitemaps", NULL);
  g_assert_cmpint (code, ==, 3);
  g_assert_true (g_str_has_suffix (err, "trawl-cli: No page was fetched: every URL was skipped. Blocked by robots.txt.\n"));
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "result"),
                   ==, "finished");
  g_assert_null (test_find_request (site, "/private/secret.html", 200));
}

/* Starts trawl-cli with @args; what it prints on standard error goes to
 * @err_path, or nowhere. */
static GSubprocess *
spawn_cli (const char *const *args,
           const char        *err_path)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *proc;

  g_ptr_array_add (argv, test_cli_path ());
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        (err_path ? G_SUBPROCESS_FLAGS_NONE : G_SUBPROCESS_FLAGS_STDERR_SILENCE));
  if (err_path != NULL)
    g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
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

/* What a whole crawl file holds, as "url status" lines, sorted. */
static GPtrArray *
pages_of (const char *path)
{
  return test_whole_rows (path, "SELECT url || ' ' || status FROM pages");
}

static void
assert_same_pages (GPtrArray *got,
                   GPtrArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (got->pdata[i], ==, expected->pdata[i]);
}

/* A crawl ended by itself, with nothing left queued. */
static void
assert_finished (const char *path)
{
  sqlite3 *db = test_open_db (path);

  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'state'"), ==, "finished");
  sqlite3_close (db);
}

/* Waits for @proc to end, at most @timeout_ms; returns whether it did. */
static gboolean
wait_exit (GSubprocess *proc,
           guint        timeout_ms)
{
  for (guint waited = 0; g_subprocess_get_identifier (proc) != NULL && waited < timeout_ms; waited += 20)
    sleep_ms (20);
  return g_subprocess_get_identifier (proc) == NULL;
}

/* kill -9 twenty times in one crawl, each time while it fetches, then
 * resume: the same pages as a clean crawl, none twice. */
static void
test_kill_and_resume (void)
{
  const guint n = 800;
  const int rounds = 20;
  TrawlTestSiteOptions options = { .n_pages = n, .page_delay_ms = 30 };
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
  int kills = 0;

  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", clean, "--concurrency", "4", "--per-host", "4",
                            "--delay", "0", "--quiet", NULL), ==, 0);
  clean_pages = pages_of (clean);

  for (int round = 0; round < rounds; round++)
    {
      guint before = trawl_test_site_get_n_requests (site);
      g_autoptr (GSubprocess) proc = spawn_cli (round == 0 ? crawl_args : resume_args, NULL);

      /* Killed once it fetches again, at a random moment after. */
      for (int i = 0; i < 500 && trawl_test_site_get_n_requests (site) < before + 4; i++)
        sleep_ms (10);
      sleep_ms (g_random_int_range (0, 200));
      g_subprocess_send_signal (proc, SIGKILL);
      g_subprocess_wait (proc, NULL, NULL);
      /* A crawl that already ended would have exited by itself. */
      if (!g_subprocess_get_if_signaled (proc))
        g_error ("The crawl ended before kill %d", round + 1);
      kills++;
    }
  g_assert_cmpint (kills, ==, rounds);

  g_assert_cmpint (test_run_cli (&out, &err, "resume", killed, "--quiet", NULL), ==, 0);
  killed_pages = pages_of (killed);
  assert_finished (killed);
  assert_same_pages (killed_pages, clean_pages);
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
      g_autoptr (GSubprocess) proc = spawn_cli (extract_args, NULL);

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
  g_autoptr (GSubprocess) proc = spawn_cli (crawl_args, NULL);
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

/* Waits until the file at @path holds @text. */
static void
wait_for_text (const char *path,
               const char *text,
               guint       timeout_ms)
{
  for (guint waited = 0; waited < timeout_ms; waited += 50)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (path, &contents, NULL, NULL) && strstr (contents, text) != NULL)
        return;
      sleep_ms (50);
    }
  g_error ("“%s” never came in %s", text, path);
}

static guint
count_text (const char *haystack,
            const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* A headless crawl whose disk fills up waits and says so once, then goes
 * on by itself when there is room; stopped while it waits, it says what
 * is kept, and resuming later finishes it. */
static void
test_disk_full (void)
{
  TrawlTestSiteOptions options = { .n_pages = 300, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  const char *url = trawl_test_site_get_url (site);
  g_autofree char *clean = test_tmp_path ("disk-clean.trawl");
  g_autofree char *err_path = test_tmp_path ("disk-full.err");
  g_autofree char *stop_err_path = test_tmp_path ("disk-full-stop.err");
  g_autofree char *disk = NULL;
  g_autofree char *path = NULL;
  g_autofree char *stopped = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GPtrArray) clean_pages = NULL;
  g_autoptr (GPtrArray) pages = NULL;

  disk = test_mount_disk ("cli-disk", "4m");
  if (disk == NULL)
    return;
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", clean, "--store-bodies", "--quiet", NULL), ==, 0);
  clean_pages = pages_of (clean);
  path = g_build_filename (disk, "full.trawl", NULL);
  stopped = g_build_filename (disk, "stopped.trawl", NULL);
  filler = g_build_filename (disk, "more-filler", NULL);

  /* 160 kB free, for a crawl of three times that. */
  test_fill_disk (disk, "filler", 160 * 1024);
  {
    const char *const args[] = { "crawl", url, "-o", path, "--store-bodies", "--quiet", NULL };
    g_autoptr (GSubprocess) proc = spawn_cli (args, err_path);
    g_autofree char *said = NULL;

    wait_for_text (err_path, "The disk is full", 30000);
    g_assert_nonnull (g_subprocess_get_identifier (proc));
    /* It waits: room made, it goes on within the five seconds. */
    sleep_ms (1000);
    g_assert_nonnull (g_subprocess_get_identifier (proc));
    test_remount_disk (disk, "size=64m");
    g_assert_true (wait_exit (proc, 20000));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
    g_assert_true (g_file_get_contents (err_path, &said, NULL, NULL));
    g_assert_cmpuint (count_text (said, "trawl-cli: The disk is full: the crawl is paused. Free some space on the disk "
                                        "that holds"), ==, 1);
    g_assert_nonnull (strstr (said, "and the crawl goes on by itself; it tries again every 5 seconds "
                                    "(Ctrl+C stops it).\n"));
    g_assert_nonnull (strstr (said, "trawl-cli: There is space on the disk again; the crawl goes on.\n"));
  }
  pages = pages_of (path);
  assert_finished (path);
  assert_same_pages (pages, clean_pages);
  g_clear_pointer (&pages, g_ptr_array_unref);

  /* Ctrl+C while it waits: it fails, saying what it kept, and the file
   * is whole; resumed once there is room, it finishes. */
  test_fill_disk (disk, "more-filler", 160 * 1024);
  {
    const char *const args[] = { "crawl", url, "-o", stopped, "--store-bodies", "--quiet", NULL };
    g_autoptr (GSubprocess) proc = spawn_cli (args, stop_err_path);
    g_autofree char *said = NULL;

    wait_for_text (stop_err_path, "The disk is full", 30000);
    g_subprocess_send_signal (proc, SIGINT);
    g_assert_true (wait_exit (proc, 20000));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
    wait_for_text (stop_err_path, "trawl-cli: Could not write to", 1000);
    g_assert_true (g_file_get_contents (stop_err_path, &said, NULL, NULL));
    g_assert_nonnull (strstr (said, "the disk is full; what was saved before is kept, and the crawl can be "
                                    "continued once there is space\n"));
  }
  g_clear_pointer (&pages, g_ptr_array_unref);
  pages = pages_of (stopped);
  g_assert_cmpuint (pages->len, <, clean_pages->len);
  g_assert_cmpint (g_remove (filler), ==, 0);
  g_assert_cmpint (test_run_cli (&out, &err, "resume", stopped, "--quiet", NULL), ==, 0);
  g_clear_pointer (&pages, g_ptr_array_unref);
  pages = pages_of (stopped);
  assert_finished (stopped);
  assert_same_pages (pages, clean_pages);

  test_unmount_disk (disk);
}

static char *
read_bytes (const char *path,
            gsize      *len)
{
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, len, NULL));
  return data;
}

/* stats, export, resume and extract each refuse @path, saying @expected,
 * and leave it as it was. */
static void
assert_refused (const char *path,
                const char *expected)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  int code;

  before = read_bytes (path, &before_len);
  code = test_run_cli (&out, &err, "stats", path, NULL);
  assert_fails (code, err, expected);
  code = test_run_cli (&out, &err, "export", path, "-o", "-", NULL);
  assert_fails (code, err, expected);
  g_assert_cmpstr (out, ==, "");
  code = test_run_cli (&out, &err, "resume", path, NULL);
  assert_fails (code, err, expected);
  code = test_run_cli (&out, &err, "extract", path, "-e", "h = css:h1", NULL);
  assert_fails (code, err, expected);
  after = read_bytes (path, &after_len);
  g_assert_true (before_len == after_len && memcmp (before, after, before_len) == 0);
}

/* Writes @len bytes of @data to @path. */
static void
write_bytes (const char *path,
             const char *data,
             gsize       len)
{
  g_assert_true (g_file_set_contents (path, data, len, NULL));
}

/* Crawl files cut short, overwritten or from a newer Trawl: each gets a
 * sentence and an exit code of 2, and none is changed. */
static void
test_file_faults (void)
{
  TrawlTestSiteOptions options = { .n_pages = 100, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  const char *url = trawl_test_site_get_url (site);
  g_autofree char *whole = test_tmp_path ("whole.trawl");
  g_autofree char *cut = test_tmp_path ("cut.trawl");
  g_autofree char *overwritten = test_tmp_path ("overwritten.trawl");
  g_autofree char *newer = test_tmp_path ("newer.trawl");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", whole, "--store-bodies", "--quiet", NULL), ==, 0);
  data = read_bytes (whole, &len);

  write_bytes (cut, data, len / 2);
  assert_refused (cut, "is damaged (part of it is missing or was overwritten)");

  /* The first page of the pages table, overwritten. */
  {
    sqlite3 *db = test_open_db (whole);
    gint64 page_size = test_query_int (db, "PRAGMA page_size");
    gint64 root = test_query_int (db, "SELECT rootpage FROM sqlite_master WHERE name = 'pages'");
    g_autofree char *damaged = g_memdup2 (data, len);

    sqlite3_close (db);
    g_assert_cmpint (root * page_size, <, len);
    memset (damaged + (root - 1) * page_size, 0x55, page_size);
    write_bytes (overwritten, damaged, len);
  }
  assert_refused (overwritten, "is damaged (part of it is missing or was overwritten)");

  write_bytes (newer, data, len);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  assert_refused (newer, "was made by a newer version of Trawl (crawl file version 99, this version reads up to 2)");
}

/* A crawl file on a read-only disk (as root, a mode of 0444 does not stop
 * writes; a read-only disk does) is read as it is, but not continued nor
 * changed. */
static void
test_read_only_file (void)
{
  TrawlTestSiteOptions options = { .n_pages = 100, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  g_autofree char *disk = test_mount_disk ("read-only", "4m");
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autofree char *after = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gsize len, after_len;
  int code;

  if (disk == NULL)
    return;
  path = g_build_filename (disk, "read-only.trawl", NULL);
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", trawl_test_site_get_url (site), "-o", path, "--store-bodies",
                            "--quiet", NULL), ==, 0);
  data = read_bytes (path, &len);
  /* As a copy of a finished crawl is: one file, which SQLite cannot add
   * its -shm file to. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  test_remount_disk (disk, "ro");

  g_assert_cmpint (test_run_cli (&out, &err, "stats", path, NULL), ==, 0);
  /* "/", 100 pages, three sitemaps and two orphans. */
  g_assert_nonnull (strstr (out, "pages fetched: 106,"));
  g_assert_cmpint (test_run_cli (&out, &err, "export", path, "-o", "-", "-c", "url,status", NULL), ==, 0);
  g_assert_cmpuint (count_text (out, ",200\r\n"), ==, 106);
  code = test_run_cli (&out, &err, "resume", path, NULL);
  assert_fails (code, err,
                "is read-only (Read-only file system): Trawl can show and export it, but not continue or change it");
  code = test_run_cli (&out, &err, "extract", path, "-e", "h = css:h1", NULL);
  assert_fails (code, err, "is read-only");
  after = read_bytes (path, &after_len);
  g_assert_true (after_len == len && memcmp (after, data, len) == 0);
  test_unmount_disk (disk);
}

/* A file another process crawls is read, but not crawled a second time. */
static void
test_resume_while_crawling (void)
{
  TrawlTestSiteOptions options = { .n_pages = 50, .page_delay_ms = 200 };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  g_autofree char *path = test_tmp_path ("busy.trawl");
  const char *const crawl_args[] = { "crawl", trawl_test_site_get_url (site), "-o", path, "--concurrency", "1",
                                     "--delay", "0", "--quiet", NULL };
  g_autoptr (GSubprocess) proc = spawn_cli (crawl_args, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int code;

  for (int i = 0; i < 100 && trawl_test_site_count_requests (site, "/page/0.html") == 0; i++)
    sleep_ms (50);
  code = test_run_cli (&out, &err, "resume", path, NULL);
  assert_fails (code, err,
                "is being crawled by another process; try again when that crawl has stopped");
  g_assert_cmpint (test_run_cli (&out, &err, "stats", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "— Running"));
  g_assert_nonnull (g_subprocess_get_identifier (proc));
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
  g_test_add_func ("/cli/nothing-fetched", test_nothing_fetched);
  g_test_add_func ("/cli/kill-and-resume", test_kill_and_resume);
  g_test_add_func ("/cli/extract", test_extract);
  g_test_add_func ("/cli/extract-while-crawling", test_extract_while_crawling);
  g_test_add_func ("/cli/disk-full", test_disk_full);
  g_test_add_func ("/cli/file-faults", test_file_faults);
  g_test_add_func ("/cli/read-only-file", test_read_only_file);
  g_test_add_func ("/cli/resume-while-crawling", test_resume_while_crawling);

  return g_test_run ();
}
