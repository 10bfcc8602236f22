/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secrets.c — passwords and cookies in the keyring: a real
 * gnome-keyring-daemon in a D-Bus session of the test's own (see
 * with-keyring.sh), job files and crawl files that hold no secret, crawls
 * that send the right ones, and what trawl-cli says when the keyring is not
 * there or has lost an item. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-secrets.h"
#include "trawl-test-site.h"

#include <string.h>


static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static TrawlJob *
store (const TrawlJob *job,
       const TrawlJob *previous)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  TrawlJob *stored;

  trawl_secrets_store_async (job, previous, NULL, on_done, &result);
  stored = trawl_secrets_store_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  return stored;
}

static TrawlJob *
lookup (const TrawlJob  *job,
        GError         **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  trawl_secrets_lookup_async (job, NULL, on_done, &result);
  return trawl_secrets_lookup_finish (wait_for (&result), error);
}

/* How many items of Trawl's schema the keyring holds, asked of the Secret
 * Service itself (libsecret's search leaks the items' proxies). */
static guint
count_items (void)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr (GVariantBuilder) attributes = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GVariant) unlocked = NULL;
  g_autoptr (GError) error = NULL;

  g_variant_builder_add (attributes, "{ss}", "xdg:schema", trawl_secrets_get_schema ()->name);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "SearchItems",
                                       g_variant_new ("(a{ss})", attributes), G_VARIANT_TYPE ("(aoao)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  unlocked = g_variant_get_child_value (reply, 0);
  return g_variant_n_children (unlocked);
}

/* A job that logs in to the test site's members area. */
static TrawlJob *
members_job (TrawlTestSite *site)
{
  g_autofree char *url = g_strconcat (trawl_test_site_get_url (site), "members/", NULL);
  TrawlJob *job = test_job_new (url);
  const char *headers[] = { "Cookie: " TRAWL_TEST_SITE_COOKIE, "Accept-Language: fr", NULL };

  job->auth_user = g_strdup (TRAWL_TEST_SITE_MEMBER_USER);
  job->auth_password = g_strdup (TRAWL_TEST_SITE_MEMBER_PASSWORD);
  g_strfreev (job->headers);
  job->headers = g_strdupv ((char **) headers);
  return job;
}

static TrawlTestSite *
site_new (void)
{
  TrawlTestSiteOptions options = { .n_pages = 5, .no_edge_cases = TRUE };
  g_autoptr (GError) error = NULL;
  TrawlTestSite *site = trawl_test_site_new (&options, &error);

  g_assert_no_error (error);
  return site;
}

static void
test_job_file (void)
{
  g_autoptr (TrawlJob) job = test_job_new ("https://example.org/");
  g_autoptr (TrawlJob) stored = NULL;
  g_autoptr (TrawlJob) loaded = NULL;
  g_autoptr (TrawlJob) found = NULL;
  g_autoptr (TrawlJob) changed = NULL;
  g_autoptr (TrawlJob) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = test_tmp_path ("secrets.trawljob");
  g_autofree char *data = NULL;
  g_auto (GStrv) sent = NULL;
  const char *headers[] = { "Cookie: " TRAWL_TEST_SITE_COOKIE, "Authorization: " TEST_AUTHORIZATION,
                            "Accept-Language: fr", NULL };
  guint before = count_items ();

  job->auth_user = g_strdup ("alice");
  job->auth_password = g_strdup (TRAWL_TEST_SITE_MEMBER_PASSWORD);
  job->headers = g_strdupv ((char **) headers);

  /* The saved job names the items, and holds none of their values. */
  stored = store (job, NULL);
  g_assert_true (trawl_job_save_file (stored, path, &error));
  g_assert_no_error (error);
  test_assert_no_secret (path);
  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  g_assert_nonnull (strstr (data, "auth_user=alice\n"));
  g_assert_nonnull (strstr (data, "auth_password=\n"));
  g_assert_nonnull (strstr (data, "auth_password_secret="));
  g_assert_nonnull (strstr (data, "headers=Cookie: secret:"));
  g_assert_nonnull (strstr (data, ";Authorization: secret:"));
  g_assert_nonnull (strstr (data, ";Accept-Language: fr;"));
  g_assert_cmpuint (count_items (), ==, before + 3);

  /* Read back, it sends what was typed. */
  loaded = trawl_job_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_null (trawl_job_get_auth_password (loaded));
  sent = trawl_job_dup_request_headers (loaded);
  g_assert_cmpstrv (sent, ((const char *[]) { "Accept-Language: fr", NULL }));
  g_clear_pointer (&sent, g_strfreev);
  found = lookup (loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trawl_job_get_auth_password (found), ==, TRAWL_TEST_SITE_MEMBER_PASSWORD);
  sent = trawl_job_dup_request_headers (found);
  g_assert_cmpstrv (sent, headers);

  /* A new password saved from the loaded job replaces its item. */
  changed = trawl_job_copy (found);
  changed->auth_password = g_strdup ("a new password");
  g_free (changed->headers[0]);
  changed->headers[0] = g_strdup ("Cookie: session=another");
  again = store (changed, loaded);
  g_assert_cmpstr (again->auth_password_secret, ==, loaded->auth_password_secret);
  g_assert_cmpstr (again->headers[0], ==, loaded->headers[0]);
  g_assert_cmpuint (count_items (), ==, before + 3);
  g_clear_pointer (&found, trawl_job_free);
  found = lookup (loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trawl_job_get_auth_password (found), ==, "a new password");
  g_clear_pointer (&sent, g_strfreev);
  sent = trawl_job_dup_request_headers (found);
  g_assert_cmpstr (sent[0], ==, "Cookie: session=another");
}

static void
assert_stored_job_refers (const char *crawl)
{
  sqlite3 *db = test_open_db (crawl);
  const char *job = test_query_string (db, "SELECT value FROM meta WHERE key = 'job'");

  g_assert_nonnull (strstr (job, "auth_password_secret="));
  g_assert_nonnull (strstr (job, "Cookie: secret:"));
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages "
                                       "WHERE url LIKE '%%/members/cookie.html' AND status = 200"), ==, 1);
  sqlite3_close (db);
}

static void
test_crawl_members (void)
{
  g_autoptr (TrawlTestSite) site = site_new ();
  g_autoptr (TrawlJob) job = members_job (site);
  g_autoptr (TrawlJob) stored = NULL;
  g_autoptr (TrawlTestRequest) cookie_page = NULL;
  g_autofree char *job_path = test_tmp_path ("members.trawljob");
  g_autofree char *crawl = test_tmp_path ("members.trawl");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;

  stored = store (job, NULL);
  g_assert_true (trawl_job_save_file (stored, job_path, &error));
  g_assert_no_error (error);

  /* Stopped after the first page, then resumed: both read the keyring. */
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", "--job", job_path, "-o", crawl, "-q", "--max-pages", "1",
                                 NULL), ==, 0);
  g_assert_null (cookie_page = test_find_request (site, "/members/cookie.html", 200));
  test_lift_page_limit (crawl);
  if (test_run_cli (&out, &err, "resume", crawl, "-q", NULL) != 0)
    g_error ("resume failed: %s", err);

  test_assert_logged_in (site);
  assert_stored_job_refers (crawl);
  test_assert_no_secret (crawl);
}

static void
test_missing (void)
{
  g_autofree char *job_path = test_tmp_path ("missing.trawljob");
  g_autofree char *crawl = test_tmp_path ("missing.trawl");
  g_autofree char *out = NULL, *err = NULL;
  int code;

  g_assert_true (g_file_set_contents (job_path, "[crawl]\nstart_urls=http://127.0.0.1:9/\n"
                                                "[requests]\nauth_user=a\nauth_password_secret=no-such-item\n",
                                      -1, NULL));
  code = test_run_cli (&out, &err, "crawl", "--job", job_path, "-o", crawl, NULL);
  g_assert_cmpint (code, ==, 2);
  g_assert_cmpstr (err, ==, "trawl-cli: The password for this job is kept in the keyring, but the keyring has no "
                            "item “no-such-item” (it may have been deleted, or the keyring stayed locked)\n");
  g_assert_false (g_file_test (crawl, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (job_path, "[crawl]\nstart_urls=http://127.0.0.1:9/\n"
                                                "[requests]\nheaders=Cookie: secret:gone;\n", -1, NULL));
  code = test_run_cli (&out, &err, "crawl", "--job", job_path, "-o", crawl, NULL);
  g_assert_cmpint (code, ==, 2);
  g_assert_nonnull (strstr (err, "The Cookie header for this job is kept in the keyring, but the keyring has no item “gone”"));
}

/* trawl-cli without a session bus, so without a keyring. */
static int
run_cli_without_keyring (char       **out,
                         char       **err,
                         const char  *command,
                         const char  *file)
{
  g_autofree char *nowhere = test_tmp_path ("no-bus");
  g_autofree char *bus = g_strconcat ("unix:path=", nowhere, NULL);
  g_autofree char *session = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  int code;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus, TRUE);
  g_unsetenv ("DISPLAY");
  if (g_str_equal (command, "crawl"))
    code = test_run_cli (out, err, "crawl", "--job", file, "-o", test_keep (test_tmp_path ("never.trawl")), NULL);
  else
    code = test_run_cli (out, err, "resume", file, NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", session, TRUE);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  return code;
}

static void
test_unavailable (void)
{
  g_autoptr (TrawlTestSite) site = site_new ();
  g_autoptr (TrawlJob) job = members_job (site);
  g_autoptr (TrawlJob) stored = store (job, NULL);
  g_autofree char *job_path = test_tmp_path ("unavailable.trawljob");
  g_autofree char *crawl = test_tmp_path ("unavailable.trawl");
  g_autofree char *never = test_tmp_path ("never.trawl");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  const char *expected = "trawl-cli: The password for this job is kept in the keyring, which is not available: ";

  g_assert_true (trawl_job_save_file (stored, job_path, &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_cli_without_keyring (&out, &err, "crawl", job_path), ==, 2);
  if (!g_str_has_prefix (err, expected))
    g_error ("stderr “%s” does not begin “%s”", err, expected);
  g_assert_false (g_file_test (never, G_FILE_TEST_EXISTS));

  /* A crawl begun with the keyring cannot go on without it. */
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", "--job", job_path, "-o", crawl, "-q", "--max-pages", "1",
                                 NULL), ==, 0);
  g_assert_cmpint (run_cli_without_keyring (&out, &err, "resume", crawl), ==, 2);
  if (!g_str_has_prefix (err, expected))
    g_error ("stderr “%s” does not begin “%s”", err, expected);
}

/* Secrets given in plain text on the command line still work, but the
 * crawl file does not keep them: a resume is given them again. */
static void
test_plain (void)
{
  g_autoptr (TrawlTestSite) site = site_new ();
  g_autoptr (TrawlTestRequest) members = NULL;
  g_autofree char *url = g_strconcat (trawl_test_site_get_url (site), "members/", NULL);
  g_autofree char *crawl = test_tmp_path ("plain.trawl");
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db;

  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "-o", crawl, "-q", "--max-pages", "1",
                                 "--auth-user", TRAWL_TEST_SITE_MEMBER_USER,
                                 "--auth-password", TRAWL_TEST_SITE_MEMBER_PASSWORD,
                                 "--header", "Cookie: " TRAWL_TEST_SITE_COOKIE, NULL), ==, 0);
  members = test_find_request (site, "/members/", 200);
  g_assert_nonnull (members);
  test_assert_no_secret (crawl);
  db = test_open_db (crawl);
  g_assert_nonnull (strstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'job'"),
                            "withheld=auth_password;Cookie;\n"));
  sqlite3_close (db);
  test_lift_page_limit (crawl);

  g_assert_cmpint (test_run_cli (&out, &err, "resume", crawl, NULL), ==, 2);
  g_assert_cmpstr (err, ==, "trawl-cli: The password for this crawl was given in plain text, which the crawl file "
                            "does not keep: give it again with --auth-password PASSWORD\n");
  g_assert_cmpint (test_run_cli (&out, &err, "resume", crawl, "--auth-password", TRAWL_TEST_SITE_MEMBER_PASSWORD,
                                 NULL), ==, 2);
  g_assert_cmpstr (err, ==, "trawl-cli: The Cookie header for this crawl was given in plain text, which the crawl "
                            "file does not keep: give it again with --header 'Cookie: VALUE'\n");
  g_assert_cmpint (test_run_cli (&out, &err, "resume", crawl, "-q", "--auth-password", TRAWL_TEST_SITE_MEMBER_PASSWORD,
                                 "--header", "Cookie: " TRAWL_TEST_SITE_COOKIE, NULL), ==, 0);
  test_assert_logged_in (site);
  test_assert_no_secret (crawl);
}

/* The site as a proxy that wants a login, and a job that crawls through
 * it with the proxy's password in the proxy URL, as it is often written. */
static TrawlTestSite *
proxy_site_new (void)
{
  TrawlTestSiteOptions options = { .n_pages = 5, .no_edge_cases = TRUE, .proxy = TRUE };
  g_autoptr (GError) error = NULL;
  TrawlTestSite *site = trawl_test_site_new (&options, &error);

  g_assert_no_error (error);
  return site;
}

static char *
proxied_url (TrawlTestSite *site)
{
  return g_strdup_printf ("http://" TRAWL_TEST_SITE_PROXIED_HOST ":%u/", trawl_test_site_get_port (site));
}

static char *
proxy_url (TrawlTestSite *site,
           gboolean       with_password)
{
  g_autofree char *password = g_uri_escape_string (TRAWL_TEST_SITE_PROXY_PASSWORD, NULL, FALSE);

  return g_strdup_printf ("http://" TRAWL_TEST_SITE_PROXY_USER "%s%s@127.0.0.1:%u", with_password ? ":" : "",
                          with_password ? password : "", trawl_test_site_get_port (site));
}

/* The crawl went through the proxy, logged in to it, and got pages. */
static void
assert_crawled_through_proxy (TrawlTestSite *site,
                              const char    *crawl)
{
  g_autoptr (GPtrArray) requests = trawl_test_site_get_requests (site);
  g_autofree char *expected = test_basic_authorization (TRAWL_TEST_SITE_PROXY_USER ":" TRAWL_TEST_SITE_PROXY_PASSWORD);
  g_autofree char *host = g_strdup_printf (TRAWL_TEST_SITE_PROXIED_HOST ":%u", trawl_test_site_get_port (site));
  g_autofree char *member = test_member_authorization ();
  guint proxied = 0;
  sqlite3 *db;

  for (guint i = 0; i < requests->len; i++)
    {
      const TrawlTestRequest *r = requests->pdata[i];

      g_assert_cmpstr (r->host, ==, host);
      /* Each login goes where it belongs: never the site's to the proxy. */
      g_assert_true (r->proxy_authorization == NULL || g_str_equal (r->proxy_authorization, expected));
      g_assert_true (r->authorization == NULL || g_str_equal (r->authorization, member));
      if (r->status == 200)
        {
          g_assert_cmpstr (r->proxy_authorization, ==, expected);
          proxied++;
        }
    }
  g_assert_cmpuint (proxied, >=, 2);

  db = test_open_db (crawl);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE status = 407"), ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE status = 200 AND url LIKE 'http://"
                                       TRAWL_TEST_SITE_PROXIED_HOST ":%%/page/0.html'"), ==, 1);
  sqlite3_close (db);
}

static void
test_proxy (void)
{
  g_autoptr (TrawlTestSite) site = proxy_site_new ();
  g_autofree char *start = proxied_url (site);
  g_autofree char *with_password = proxy_url (site, TRUE);
  g_autofree char *without_password = proxy_url (site, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (start);
  g_autoptr (TrawlJob) stored = NULL;
  g_autoptr (TrawlTestRequest) members = NULL;
  g_autofree char *job_path = test_tmp_path ("proxy.trawljob");
  g_autofree char *crawl = test_tmp_path ("proxy.trawl");
  g_autofree char *plain = test_tmp_path ("proxy-plain.trawl");
  g_autofree char *data = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  guint before = count_items ();
  sqlite3 *db;

  /* Saved from the window, the password goes to the keyring and the URL
   * keeps the user alone; the site's login is kept beside it. */
  job->proxy = g_strdup (with_password);
  job->max_pages = 6;
  job->start_urls = g_renew (char *, job->start_urls, 3);
  job->start_urls[1] = g_strconcat (start, "members/", NULL);
  job->start_urls[2] = NULL;
  job->auth_user = g_strdup (TRAWL_TEST_SITE_MEMBER_USER);
  job->auth_password = g_strdup (TRAWL_TEST_SITE_MEMBER_PASSWORD);
  stored = store (job, NULL);
  g_assert_cmpstr (stored->proxy, ==, without_password);
  g_assert_nonnull (stored->proxy_password_secret);
  g_assert_cmpstr (stored->proxy_password_secret, !=, stored->auth_password_secret);
  g_assert_cmpuint (count_items (), ==, before + 2);
  g_assert_true (trawl_job_save_file (stored, job_path, &error));
  g_assert_no_error (error);
  test_assert_no_secret (job_path);
  g_assert_true (g_file_get_contents (job_path, &data, NULL, NULL));
  g_assert_nonnull (strstr (data, "proxy_password_secret="));

  g_assert_cmpint (test_run_cli (&out, &err, "crawl", "--job", job_path, "-o", crawl, "-q", NULL), ==, 0);
  assert_crawled_through_proxy (site, crawl);
  members = test_find_request (site, "/members/", 200);
  g_assert_nonnull (members);
  test_assert_no_secret (crawl);

  /* Given in plain text, it is withheld from the crawl file, and asked
   * for again on resume. */
  trawl_test_site_reset_log (site);
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", start, "--proxy", with_password, "-o", plain, "-q",
                                 "--max-pages", "1", NULL), ==, 0);
  test_assert_no_secret (plain);
  db = test_open_db (plain);
  g_assert_nonnull (strstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'job'"),
                            "withheld=proxy_password;\n"));
  sqlite3_close (db);
  test_lift_page_limit (plain);
  g_assert_cmpint (test_run_cli (&out, &err, "resume", plain, NULL), ==, 2);
  g_assert_cmpstr (err, ==, "trawl-cli: The proxy password for this crawl was given in plain text, which the crawl "
                            "file does not keep: give it again with --proxy-password PASSWORD\n");
  g_assert_cmpint (test_run_cli (&out, &err, "resume", plain, "-q",
                                 "--proxy-password", TRAWL_TEST_SITE_PROXY_PASSWORD, NULL), ==, 0);
  assert_crawled_through_proxy (site, plain);
  test_assert_no_secret (plain);
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/secrets/job-file", test_job_file);
  g_test_add_func ("/secrets/crawl", test_crawl_members);
  g_test_add_func ("/secrets/missing", test_missing);
  g_test_add_func ("/secrets/unavailable", test_unavailable);
  g_test_add_func ("/secrets/plain", test_plain);
  g_test_add_func ("/secrets/proxy", test_proxy);

  return g_test_run ();
}
