/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-test-site-main.c — the test site as a program, for the CLI tests
 * and the benchmarks.
 *
 * Prints the site's URL on one line, serves until SIGINT or SIGTERM, then
 * optionally writes the request log as TSV: start_us, end_us, status and
 * path, one request a line, no header line.
 */
#include "config.h"

#include "trawl-test-site.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_log (TrawlTestSite  *site,
           const char     *filename,
           GError        **error)
{
  g_autoptr(GPtrArray) requests = trawl_test_site_get_requests (site);
  g_autoptr(GString) tsv = g_string_new (NULL);

  for (guint k = 0; k < requests->len; k++)
    {
      const TrawlTestRequest *request = g_ptr_array_index (requests, k);

      g_string_append_printf (tsv, "%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%u\t%s\n",
                              request->start_us, request->end_us,
                              request->status, request->path);
    }

  return g_file_set_contents (filename, tsv->str, tsv->len, error);
}

int
main (int   argc,
      char *argv[])
{
  int pages = 0;
  int delay_ms = 0;
  double crawl_delay = 0;
  gboolean no_edge = FALSE;
  gboolean proxy = FALSE;
  int port = 0;
  g_autofree char *log_filename = NULL;
  const GOptionEntry entries[] = {
    { "pages", 0, 0, G_OPTION_ARG_INT, &pages, "Number of generated pages (default 50)", "N" },
    { "delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms, "Delay before answering each /page/ request", "MS" },
    { "crawl-delay", 0, 0, G_OPTION_ARG_DOUBLE, &crawl_delay, "Crawl-delay in robots.txt (0: none)", "S" },
    { "no-edge", 0, 0, G_OPTION_ARG_NONE, &no_edge, "Do not link /edge/ from the home page", NULL },
    { "proxy", 0, 0, G_OPTION_ARG_NONE, &proxy, "Also be a proxy, with a login, for http://" TRAWL_TEST_SITE_PROXIED_HOST ":PORT/", NULL },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0: a random free one)", "P" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log_filename, "Write the request log as TSV on exit", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TrawlTestSite) site = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  TrawlTestSiteOptions options = { 0 };
  guint sigint_id;
  guint sigterm_id;

  setlocale (LC_ALL, "");

  context = g_option_context_new ("— serve Trawl's test site on 127.0.0.1");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (pages < 0 || delay_ms < 0 || crawl_delay < 0 || port < 0 || port > 65535)
    {
      g_printerr ("--pages, --delay-ms, --crawl-delay and --port cannot be negative, "
                  "and --port is at most 65535\n");
      return EXIT_FAILURE;
    }

  options.n_pages = pages;
  options.page_delay_ms = delay_ms;
  options.crawl_delay = crawl_delay;
  options.no_edge_cases = no_edge;
  options.port = port;
  options.proxy = proxy;

  site = trawl_test_site_new (&options, &error);
  if (site == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  /* The server runs in the site's own thread: this one only waits for a
   * signal.  The handlers are in place before the URL is printed, so a
   * script that kills us as soon as it has read it still gets the log. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);

  printf ("%s\n", trawl_test_site_get_url (site));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (log_filename != NULL && !write_log (site, log_filename, &error))
    {
      g_printerr ("Cannot write the request log: %s\n", error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}
