/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-job.c — job files, their flags and their validation. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-job.h"

#include <string.h>

static void
test_roundtrip (void)
{
  g_autoptr (TrawlJob) job = trawl_job_new ();
  g_autoptr (TrawlJob) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  const char *urls[] = { "https://example.org/", "https://example.org/blog/", NULL };
  const char *include[] = { "/blog/", NULL };

  job->start_urls = g_strdupv ((char **) urls);
  job->include = g_strdupv ((char **) include);
  job->scope = TRAWL_SCOPE_SITE;
  job->max_depth = 4;
  job->delay = 0.75;
  job->max_time = 1234567.8;
  job->robots = TRAWL_ROBOTS_REPORT;
  job->max_size = 5 * 1024 * 1024;
  job->cookies = FALSE;

  data = trawl_job_to_data (job);
  g_assert_nonnull (strstr (data, "[scope]\n"));
  g_assert_nonnull (strstr (data, "scope=site\n"));
  /* Numbers are written in full, not rounded to six digits (1.23457e+06). */
  g_assert_nonnull (strstr (data, "max_time=1234567.8\n"));
  g_assert_nonnull (strstr (data, "delay=0.75\n"));
  back = trawl_job_load_data (data, &error);
  g_assert_no_error (error);

  g_assert_cmpstrv (back->start_urls, urls);
  g_assert_cmpstrv (back->include, include);
  g_assert_cmpint (back->scope, ==, TRAWL_SCOPE_SITE);
  g_assert_cmpint (back->max_depth, ==, 4);
  g_assert_cmpfloat (back->delay, ==, 0.75);
  g_assert_cmpfloat (back->max_time, ==, 1234567.8);
  g_assert_cmpint (back->robots, ==, TRAWL_ROBOTS_REPORT);
  g_assert_cmpint (back->max_size, ==, 5 * 1024 * 1024);
  g_assert_false (back->cookies);
  g_assert_cmpint (back->concurrency, ==, 16);
}

static void
test_flags (void)
{
  g_autoptr (TrawlJob) job = trawl_job_new ();
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  char *args[] = { "trawl-cli", "--depth", "3", "--max-size", "2M", "--no-cookies",
                   "--scope", "any", "--header", "X-A: 1", "--header", "X-B: 2", "--ca-file", "certs/ca.pem", NULL };
  char **argv = args;
  int argc = G_N_ELEMENTS (args) - 1;
  g_autofree char *cmd = NULL;
  g_autofree char *ca = g_canonicalize_filename ("certs/ca.pem", NULL);
  g_auto (GStrv) words = NULL;

  g_option_context_add_group (context, trawl_job_option_group (job));
  g_assert_true (g_option_context_parse (context, &argc, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (job->max_depth, ==, 3);
  g_assert_cmpint (job->max_size, ==, 2 * 1024 * 1024);
  g_assert_false (job->cookies);
  g_assert_cmpint (job->scope, ==, TRAWL_SCOPE_ANY);
  g_assert_cmpuint (g_strv_length (job->headers), ==, 2);
  /* A relative file is kept as a full path, so that a resume from another
   * folder finds it. */
  g_assert_cmpstr (job->ca_file, ==, ca);

  /* The command line names what differs from the defaults, quoted. */
  job->start_urls = g_strsplit ("https://example.org/a b", "\n", -1);
  cmd = trawl_job_to_command_line (job);
  g_assert_true (g_shell_parse_argv (cmd, NULL, &words, &error));
  g_assert_no_error (error);
  g_assert_cmpstrv (words, ((const char *[]) { "trawl-cli", "crawl", "--scope", "any", "--depth", "3",
                                               "--header", "X-A: 1", "--header", "X-B: 2", "--no-cookies",
                                               "--ca-file", ca, "--max-size", "2097152",
                                               "https://example.org/a b", NULL }));
}

static void
test_validation (void)
{
  static const struct {
    const char *file;
    const char *message;
  } cases[] = {
    { "[crawl]\nstart_urls=\n", "There is no start URL" },
    { "[crawl]\nstart_urls=example dot org\n", "is not a valid web address" },
    { "[crawl]\nstart_urls=https://x.org/\n[scope]\nexclude=(unclosed\n", "is not a valid regular expression" },
    { "[crawl]\nstart_urls=https://x.org/\n[requests]\nheaders=NoColon\n", "must be written as “Name: value”" },
    { "[crawl]\nstart_urls=https://x.org/\n[speed]\nconcurrency=0\n", "from 1 to 1024" },
    { "[crawl]\nstart_urls=https://x.org/\n[robots]\nrobots=sometimes\n", "must be one of obey, ignore, report" },
    { "this is not a key file", "This is not a Trawl job file" },
    /* Found by fuzzing: a size beyond gint64 was converted regardless… */
    { "[crawl]\nstart_urls=https://x.org/\n[requests]\nmax_size=1e300\n", "must be a size such as" },
    { "[crawl]\nstart_urls=https://x.org/\n[requests]\nmax_size=inf\n", "must be a size such as" },
    { "[crawl]\nstart_urls=https://x.org/\n[requests]\nmax_size=nan\n", "must be a size such as" },
    /* …and a value GKeyFile cannot read was read as NULL. */
    { "[crawl]\nstart_urls=https://x.org/\n[requests]\ncompression=\\x\n", "In [requests]: Key file contains key “compression”" },
    { "[crawl]\nstart_urls=https://x.org/\n[speed]\ndelay=\xff\n", "In [speed]" },
    { "[crawl]\nstart_urls=https://x.org/\xff\n", "In [crawl]" },
    { "[crawl]\nstart_urls=https://x.org/\\\n", "“start_urls” ends in a “\\” that escapes nothing" },
    { "[crawl]\nstart_urls=https://x.org/\\c\\\n", "“start_urls” ends in a “\\” that escapes nothing" },
    { "[requests]\nuser_agent=a\\c\\\n", "“user_agent” ends in a “\\” that escapes nothing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TrawlJob) job = trawl_job_load_data (cases[i].file, &error);

      if (job != NULL)
        g_assert_false (trawl_job_validate (job, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].message);
    }
}

/* References to keyring items, and secrets given in plain text, without
 * a keyring: what is sent, what a crawl file keeps, what is missing. */
static void
test_secret_references (void)
{
  g_autoptr (TrawlJob) job = test_job_new ("https://example.org/");
  g_autoptr (TrawlJob) plain = test_job_new ("https://example.org/");
  g_autoptr (TrawlJob) sealed = NULL;
  g_autoptr (TrawlJob) given = trawl_job_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) sent = NULL;
  g_autofree char *data = NULL;
  const char *headers[] = { "Cookie: secret:cookie-id", "X-A: 1", NULL };
  const char *plain_headers[] = { "Authorization: Bearer zz-plain-token", "X-A: 1", NULL };
  const char *given_headers[] = { "Authorization: Bearer zz-plain-token", NULL };

  job->headers = g_strdupv ((char **) headers);
  job->auth_user = g_strdup ("alice");
  job->auth_password_secret = g_strdup ("password-id");

  /* Until they are looked up, nothing of them is sent, least of all the
   * reference. */
  sent = trawl_job_dup_request_headers (job);
  g_assert_cmpstrv (sent, ((const char *[]) { "X-A: 1", NULL }));
  g_assert_null (trawl_job_get_auth_password (job));
  g_assert_false (trawl_job_check_secrets (job, &error));
  g_assert_cmpstr (error->message, ==, "The password for this job is kept in the keyring, and was not read from it");
  g_clear_error (&error);

  trawl_job_set_secret (job, "cookie-id", "session=zz-cookie");
  trawl_job_set_secret (job, "password-id", "zz-password");
  g_clear_pointer (&sent, g_strfreev);
  sent = trawl_job_dup_request_headers (job);
  g_assert_cmpstrv (sent, ((const char *[]) { "Cookie: session=zz-cookie", "X-A: 1", NULL }));
  g_assert_cmpstr (trawl_job_get_auth_password (job), ==, "zz-password");
  g_assert_true (trawl_job_check_secrets (job, &error));
  g_assert_no_error (error);
  data = trawl_job_to_crawl_data (job);
  g_assert_null (strstr (data, "zz-"));
  g_assert_nonnull (strstr (data, "auth_password_secret=password-id\n"));
  g_assert_nonnull (strstr (data, "headers=Cookie: secret:cookie-id;X-A: 1;\n"));
  g_clear_pointer (&data, g_free);

  /* Given in plain text, they are withheld from the crawl file, and must
   * be given again. */
  plain->auth_password = g_strdup ("zz-password");
  plain->headers = g_strdupv ((char **) plain_headers);
  g_assert_true (trawl_job_has_plain_secrets (plain));
  data = trawl_job_to_crawl_data (plain);
  g_assert_null (strstr (data, "zz-"));
  g_assert_nonnull (strstr (data, "withheld=auth_password;Authorization;\n"));
  sealed = trawl_job_load_data (data, &error);
  g_assert_no_error (error);
  g_assert_false (trawl_job_has_plain_secrets (sealed));
  g_assert_false (trawl_job_check_secrets (sealed, &error));
  g_assert_nonnull (strstr (error->message, "give it again with --auth-password"));
  g_clear_error (&error);

  given->auth_password = g_strdup ("zz-password");
  trawl_job_add_secrets_from (sealed, given);
  g_assert_false (trawl_job_check_secrets (sealed, &error));
  g_assert_nonnull (strstr (error->message, "The Authorization header for this crawl was given in plain text"));
  g_clear_error (&error);
  given->headers = g_strdupv ((char **) given_headers);
  trawl_job_add_secrets_from (sealed, given);
  g_assert_true (trawl_job_check_secrets (sealed, &error));
  g_assert_no_error (error);
  g_clear_pointer (&sent, g_strfreev);
  sent = trawl_job_dup_request_headers (sealed);
  g_assert_cmpstrv (sent, ((const char *[]) { "X-A: 1", "Authorization: Bearer zz-plain-token", NULL }));
  g_assert_cmpstr (trawl_job_get_auth_password (sealed), ==, "zz-password");
}

/* The proxy's password, written in its URL or given apart, is kept like
 * the others: withheld from crawl files, sent only to the proxy. */
static void
test_proxy_password (void)
{
  g_autoptr (TrawlJob) job = test_job_new ("https://example.org/");
  g_autoptr (TrawlJob) sealed = NULL;
  g_autoptr (TrawlJob) given = trawl_job_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *url = NULL;

  job->proxy = g_strdup ("http://ann:zz%40pw@proxy.example:3128");
  g_assert_true (trawl_job_validate (job, &error));
  g_assert_no_error (error);
  g_assert_true (trawl_job_has_plain_secrets (job));
  url = trawl_job_dup_proxy_url (job);
  g_assert_cmpstr (url, ==, "http://ann:zz%40pw@proxy.example:3128");
  g_clear_pointer (&url, g_free);

  data = trawl_job_to_crawl_data (job);
  g_assert_null (strstr (data, "zz"));
  g_assert_nonnull (strstr (data, "proxy=http://ann@proxy.example:3128\n"));
  g_assert_nonnull (strstr (data, "withheld=proxy_password;\n"));
  sealed = trawl_job_load_data (data, &error);
  g_assert_no_error (error);
  g_assert_false (trawl_job_has_plain_secrets (sealed));
  g_assert_false (trawl_job_check_secrets (sealed, &error));
  g_assert_cmpstr (error->message, ==, "The proxy password for this crawl was given in plain text, which the crawl "
                                       "file does not keep: give it again with --proxy-password PASSWORD");
  g_clear_error (&error);

  given->proxy_password = g_strdup ("zz@pw");
  trawl_job_add_secrets_from (sealed, given);
  g_assert_true (trawl_job_check_secrets (sealed, &error));
  g_assert_no_error (error);
  url = trawl_job_dup_proxy_url (sealed);
  g_assert_cmpstr (url, ==, "http://ann:zz%40pw@proxy.example:3128");
  g_clear_pointer (&url, g_free);

  /* A keyring item's value, once looked up, is put in the URL too. */
  g_clear_pointer (&sealed->proxy_password, g_free);
  sealed->proxy_password_secret = g_strdup ("proxy-id");
  g_clear_pointer (&sealed->withheld, g_strfreev);
  g_assert_false (trawl_job_check_secrets (sealed, &error));
  g_assert_cmpstr (error->message, ==, "The proxy password for this job is kept in the keyring, and was not read from it");
  g_clear_error (&error);
  trawl_job_set_secret (sealed, "proxy-id", "zz-kept");
  url = trawl_job_dup_proxy_url (sealed);
  g_assert_cmpstr (url, ==, "http://ann:zz-kept@proxy.example:3128");

  /* A password needs a user to go with it. */
  g_free (job->proxy);
  job->proxy = g_strdup ("http://proxy.example:3128");
  job->proxy_password = g_strdup ("zz");
  g_assert_false (trawl_job_validate (job, &error));
  g_assert_cmpstr (error->message, ==, "A proxy password needs a proxy URL with the user’s name, "
                                       "such as http://user@proxy.example:3128");
  g_clear_error (&error);
  /* and without a proxy it is not used. */
  g_clear_pointer (&job->proxy, g_free);
  g_assert_true (trawl_job_validate (job, &error));
  g_assert_no_error (error);
}

/* A CA file is read when the job is checked; the message names it. */
static void
test_ca_file (void)
{
  g_autofree char *folder = g_build_filename (g_getenv ("TRAWL_TESTDATA"), "tls", NULL);
  g_autofree char *ca = g_build_filename (folder, "ca.pem", NULL);
  g_autofree char *key = g_build_filename (folder, "server.key", NULL);
  g_autofree char *garbled = test_tmp_path ("garbled.pem");
  g_autofree char *missing = test_tmp_path ("missing.pem");
  g_autofree char *no_cert = g_strdup_printf ("The CA file “%s” holds no certificate: it must be PEM text with "
                                              "“-----BEGIN CERTIFICATE-----” blocks", key);
  g_autofree char *not_found = g_strdup_printf ("The CA file “%s” does not exist", missing);
  g_autofree char *is_folder = g_strdup_printf ("The CA file “%s” is a folder", folder);
  g_autofree char *not_valid = g_strdup_printf ("The CA file “%s” is not a valid certificate file: ", garbled);
  const struct {
    const char *path;
    const char *message;   /* the start of it, or NULL: valid */
  } cases[] = {
    { ca, NULL },
    { key, no_cert },
    { missing, not_found },
    { folder, is_folder },
    { garbled, not_valid },
  };

  g_assert_true (g_file_set_contents (garbled, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
                                      -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TrawlJob) job = test_job_new ("https://example.org/");
      g_autoptr (GError) error = NULL;

      job->ca_file = g_strdup (cases[i].path);
      if (cases[i].message == NULL)
        {
          g_assert_true (trawl_job_validate (job, &error));
          g_assert_no_error (error);
          continue;
        }
      g_assert_false (trawl_job_validate (job, &error));
      g_assert_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID);
      if (!g_str_has_prefix (error->message, cases[i].message))
        g_error ("“%s” does not start “%s”", error->message, cases[i].message);
    }
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/job/roundtrip", test_roundtrip);
  g_test_add_func ("/job/flags", test_flags);
  g_test_add_func ("/job/validation", test_validation);
  g_test_add_func ("/job/ca-file", test_ca_file);
  g_test_add_func ("/job/secret-references", test_secret_references);
  g_test_add_func ("/job/proxy-password", test_proxy_password);

  return g_test_run ();
}
