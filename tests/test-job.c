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
  job->robots = TRAWL_ROBOTS_REPORT;
  job->max_size = 5 * 1024 * 1024;
  job->cookies = FALSE;

  data = trawl_job_to_data (job);
  g_assert_nonnull (strstr (data, "[scope]\n"));
  g_assert_nonnull (strstr (data, "scope=site\n"));
  back = trawl_job_load_data (data, &error);
  g_assert_no_error (error);

  g_assert_cmpstrv (back->start_urls, urls);
  g_assert_cmpstrv (back->include, include);
  g_assert_cmpint (back->scope, ==, TRAWL_SCOPE_SITE);
  g_assert_cmpint (back->max_depth, ==, 4);
  g_assert_cmpfloat (back->delay, ==, 0.75);
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
                   "--scope", "any", "--header", "X-A: 1", "--header", "X-B: 2", NULL };
  char **argv = args;
  int argc = G_N_ELEMENTS (args) - 1;
  g_autofree char *cmd = NULL;

  g_option_context_add_group (context, trawl_job_option_group (job));
  g_assert_true (g_option_context_parse (context, &argc, &argv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (job->max_depth, ==, 3);
  g_assert_cmpint (job->max_size, ==, 2 * 1024 * 1024);
  g_assert_false (job->cookies);
  g_assert_cmpint (job->scope, ==, TRAWL_SCOPE_ANY);
  g_assert_cmpuint (g_strv_length (job->headers), ==, 2);

  /* The command line names what differs from the defaults, quoted. */
  job->start_urls = g_strsplit ("https://example.org/a b", "\n", -1);
  cmd = trawl_job_to_command_line (job);
  g_assert_cmpstr (cmd, ==, "trawl-cli crawl --scope any --depth 3 --header 'X-A: 1' --header 'X-B: 2' "
                            "--no-cookies --max-size 2097152 'https://example.org/a b'");
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

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/job/roundtrip", test_roundtrip);
  g_test_add_func ("/job/flags", test_flags);
  g_test_add_func ("/job/validation", test_validation);

  return g_test_run ();
}
