/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-cli.c — the headless crawler: crawl, resume, stats.
 *
 * Exit codes: 0 the crawl finished (or the command succeeded); 1 the crawl
 * failed while running (an I/O error; a full disk only pauses it, and it
 * fails when stopped before there is space again); 2 the command
 * could not start (a bad URL, option or file); 3 the crawl ended without
 * fetching a single page (the site could not be reached, or robots.txt
 * refused it); 130 stopped with Ctrl+C (the crawl file is complete and can
 * be resumed).
 */
#define G_LOG_DOMAIN "trawl-cli"

#include "config.h"

#include "trawl-engine.h"
#include "trawl-export.h"
#include "trawl-i18n.h"
#include "trawl-job.h"
#include "trawl-rerun.h"
#include "trawl-summary.h"
#include "trawl-url.h"

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A crawl paused by a full disk tries to write again this often. */
#define FULL_RETRY_SECONDS 5

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_NOTHING_FETCHED = 3,
  EXIT_INTERRUPTED = 130,
};

typedef struct {
  GMainLoop   *loop;
  TrawlEngine *engine;
  gboolean     quiet;
  gboolean     verbose;
  gboolean     tty;
  gboolean     interrupted;
  gint64       last_progress;
  gsize        progress_width;
  guint        retry_id;      /* while the disk is full */
} Run;

static void
print_error (const char *message)
{
  g_printerr ("trawl-cli: %s\n", message);
}

static void
clear_progress (Run *run)
{
  if (run->tty && run->progress_width > 0)
    {
      g_printerr ("\r%*s\r", (int) run->progress_width, "");
      run->progress_width = 0;
    }
}

static void
on_stats (TrawlEngine *engine,
          TrawlStats  *stats,
          Run         *run)
{
  g_autofree char *line = NULL;
  gint64 now = g_get_monotonic_time ();

  if (run->quiet || !run->tty || now - run->last_progress < G_USEC_PER_SEC / 4)
    return;

  run->last_progress = now;
  line = trawl_stats_format_line (stats);
  clear_progress (run);
  g_printerr ("%s", line);
  run->progress_width = trawl_text_columns (line);
}

static void
on_log (TrawlEngine *engine,
        int          level,
        const char  *message,
        const char  *url,
        Run         *run)
{
  if (!run->verbose && level < TRAWL_LOG_ERROR)
    return;

  clear_progress (run);
  if (url != NULL)
    /* Translators: a log record's level (“warning”), its message and its URL. */
    g_printerr (_("%s: %s (%s)\n"), trawl_log_level_get_label (level), message, url);
  else
    /* Translators: a log record's level (“warning”) and its message. */
    g_printerr (_("%s: %s\n"), trawl_log_level_get_label (level), message);
}

static void
on_finished (TrawlEngine *engine,
             Run         *run)
{
  clear_progress (run);
  g_main_loop_quit (run->loop);
}

static gboolean
on_retry (gpointer user_data)
{
  Run *run = user_data;

  trawl_engine_resume (run->engine);
  return G_SOURCE_CONTINUE;
}

/* Nobody is there to press Continue after freeing space: a headless crawl
 * tries again by itself, and says so once. */
static void
on_problem (TrawlEngine *engine,
            GParamSpec  *pspec,
            Run         *run)
{
  const GError *problem = trawl_engine_get_problem (engine);

  clear_progress (run);
  if (problem != NULL && run->retry_id == 0)
    {
      g_printerr (_("trawl-cli: The disk is full: the crawl is paused. Free some space on the disk that holds "
                    "“%s” and the crawl goes on by itself; it tries again every %d seconds (Ctrl+C stops it).\n"),
                  trawl_engine_get_path (engine), FULL_RETRY_SECONDS);
      run->retry_id = g_timeout_add_seconds (FULL_RETRY_SECONDS, on_retry, run);
    }
  else if (problem == NULL && run->retry_id != 0)
    {
      TrawlEngineState state = trawl_engine_get_state (engine);

      g_clear_handle_id (&run->retry_id, g_source_remove);
      /* Rather than a crawl stopped while it waited.  One whose last
       * writes were what waited may have finished already. */
      if (state == TRAWL_ENGINE_RUNNING || state == TRAWL_ENGINE_FINISHED)
        g_printerr (_("trawl-cli: There is space on the disk again; the crawl goes on.\n"));
    }
}

static gboolean
on_interrupt (gpointer user_data)
{
  Run *run = user_data;

  if (run->interrupted)
    {
      /* Everything committed is safe in the file; a resume continues. */
      clear_progress (run);
      g_printerr (_("trawl-cli: stopped at once; resume the crawl file to continue\n"));
      _exit (EXIT_INTERRUPTED);
    }

  run->interrupted = TRUE;
  clear_progress (run);
  g_printerr (_("trawl-cli: stopping after the requests in flight; press Ctrl+C again to quit at once\n"));
  trawl_engine_stop (run->engine);
  return G_SOURCE_CONTINUE;
}

static void
print_summary_node (JsonNode *summary,
                    gboolean  json)
{
  g_autofree char *text = json ? json_to_string (summary, TRUE) : trawl_summary_format (summary);

  g_print (json ? "%s\n" : "%s", text);
}

/* Prints the summary of the crawl @engine ran, and returns why it fetched
 * nothing, or NULL. */
static char *
print_summary (TrawlEngine *engine,
               gboolean     json,
               gboolean     quiet)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) summary = trawl_summary_read (trawl_engine_get_path (engine), &error);
  g_autoptr (TrawlStats) stats = trawl_engine_get_stats (engine);
  JsonObject *root;

  if (summary == NULL)
    {
      print_error (error->message);
      return NULL;
    }

  root = json_node_get_object (summary);
  json_object_set_string_member (root, "result", trawl_engine_state_to_string (trawl_engine_get_state (engine)));
  json_object_set_double_member (root, "elapsed_s", stats->elapsed);
  json_object_set_double_member (root, "pages_per_second",
                                 stats->elapsed > 0 ? (stats->fetched + stats->failed) / stats->elapsed : 0);

  if (json || !quiet)
    print_summary_node (summary, json);
  return trawl_summary_dup_nothing_fetched (summary);
}

/* Runs an engine to its end on this thread's main loop. */
static int
run_engine (TrawlEngine *engine,
            gboolean     json,
            gboolean     quiet,
            gboolean     verbose)
{
  Run run = { 0 };
  guint sigint, sigterm;
  const GError *error;
  TrawlEngineState state;
  g_autofree char *nothing = NULL;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.engine = engine;
  run.quiet = quiet;
  run.verbose = verbose;
  run.tty = isatty (STDERR_FILENO);

  g_signal_connect (engine, "stats", G_CALLBACK (on_stats), &run);
  g_signal_connect (engine, "log", G_CALLBACK (on_log), &run);
  g_signal_connect (engine, "finished", G_CALLBACK (on_finished), &run);
  g_signal_connect (engine, "notify::problem", G_CALLBACK (on_problem), &run);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &run);

  trawl_engine_start (engine);
  g_main_loop_run (run.loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_clear_handle_id (&run.retry_id, g_source_remove);
  g_main_loop_unref (run.loop);
  g_signal_handlers_disconnect_by_data (engine, &run);

  state = trawl_engine_get_state (engine);
  error = trawl_engine_get_error (engine);
  if (error != NULL)
    print_error (error->message);

  /* A damaged file is found before anything is crawled: the crawl could
   * not start with it, and it has nothing to sum up. */
  if (g_error_matches (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_DAMAGED))
    return EXIT_USAGE;

  nothing = print_summary (engine, json, quiet);

  if (state == TRAWL_ENGINE_FAILED)
    return EXIT_FAILED;
  if (run.interrupted)
    return EXIT_INTERRUPTED;
  if (nothing != NULL && state == TRAWL_ENGINE_FINISHED)
    {
      print_error (nothing);
      return EXIT_NOTHING_FETCHED;
    }
  return EXIT_OK;
}

/* Reads a list-mode file: one URL a line, # comments and blank lines
 * ignored.  Every line must be a web address. */
static gboolean
read_url_list (const char  *path,
               TrawlJob    *job,
               GError     **error)
{
  g_autofree char *data = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) urls = g_ptr_array_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_file_get_contents (path, &data, NULL, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, local_error->code, _("Could not read the URL list “%s”: %s"),
                   path, local_error->message);
      return FALSE;
    }

  lines = g_strsplit (data, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *canonical = NULL;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      canonical = trawl_url_canonicalize (line, &local_error);
      if (canonical == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, /* Translators: a file, a line of it, and what is wrong there. */
                       _("%s, line %u: %s"), path, i + 1,
                       local_error->message);
          return FALSE;
        }
      g_ptr_array_add (urls, line);
    }

  if (urls->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("The URL list “%s” holds no URL"), path);
      return FALSE;
    }

  g_strfreev (job->start_urls);
  g_ptr_array_add (urls, NULL);
  job->start_urls = g_strdupv ((char **) urls->pdata);
  job->list_mode = TRUE;
  return TRUE;
}

/* A file name from the first start URL: example.org-2026-11-23-1405.trawl */
static char *
default_output (const TrawlJob *job)
{
  g_autofree char *canonical = trawl_url_canonicalize (job->start_urls[0], NULL);
  g_autofree char *host = canonical ? trawl_url_get_host (canonical) : g_strdup ("crawl");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");

  return g_strdup_printf ("%s-%s.trawl", host, stamp);
}

static int
cmd_crawl (int    argc,
           char **argv)
{
  g_autoptr (TrawlJob) job = trawl_job_new ();
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlEngine) engine = NULL;
  g_autofree char *job_file = NULL;
  g_autofree char *list_file = NULL;
  g_autofree char *output = NULL;
  g_autofree char *save_job = NULL;
  gboolean json = FALSE, quiet = FALSE, verbose = FALSE, print_command = FALSE;
  g_auto (GStrv) urls = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The crawl file to create (default: HOST-DATE.trawl)"), "FILE" },
    { "job", 0, 0, G_OPTION_ARG_FILENAME, &job_file, N_("Read the crawl settings from a .trawljob file; flags given too override it"), "FILE" },
    { "list", 0, 0, G_OPTION_ARG_FILENAME, &list_file, N_("List mode: fetch exactly the URLs in FILE, one a line"), "FILE" },
    { "save-job", 0, 0, G_OPTION_ARG_FILENAME, &save_job, N_("Write the settings to a .trawljob file and exit"), "FILE" },
    { "print-command", 0, 0, G_OPTION_ARG_NONE, &print_command, N_("Print the trawl-cli command for these settings and exit"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON summary at the end"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print no progress and no summary"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Print every log record"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &urls, NULL, NULL },
    { NULL }
  };

  /* A job file sets the defaults that flags then override, so it must be
   * read before the flags are parsed. */
  for (int i = 1; i < argc; i++)
    {
      const char *path = NULL;

      if (strcmp (argv[i], "--job") == 0 && i + 1 < argc)
        path = argv[i + 1];
      else if (g_str_has_prefix (argv[i], "--job="))
        path = argv[i] + 6;
      if (path != NULL)
        {
          TrawlJob *loaded = trawl_job_load_file (path, &error);

          if (loaded == NULL)
            {
              print_error (error->message);
              return EXIT_USAGE;
            }
          trawl_job_free (job);
          job = loaded;
        }
    }

  context = g_option_context_new (N_("URL… — crawl websites into a .trawl file"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_description (context, N_("Every crawl setting has a flag: see them with --help-job. Each on/off setting\n"
                                                "also has a --no- form that turns it off, such as --no-sitemaps.\n"
                                                "Example: trawl-cli crawl https://example.org/ -o example.trawl --depth 3"));
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, trawl_job_option_group (job));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  if (list_file != NULL && !read_url_list (list_file, job, &error))
    {
      print_error (error->message);
      return EXIT_USAGE;
    }
  else if (urls != NULL)
    {
      g_strfreev (job->start_urls);
      job->start_urls = g_strdupv (urls);
    }

  if (save_job != NULL || print_command)
    {
      if (save_job != NULL && !trawl_job_save_file (job, save_job, &error))
        {
          print_error (error->message);
          return EXIT_USAGE;
        }
      if (print_command)
        {
          g_autofree char *cmd = trawl_job_to_command_line (job);

          g_print ("%s\n", cmd);
        }
      return EXIT_OK;
    }

  if (!trawl_job_validate (job, &error))
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  if (output == NULL)
    output = default_output (job);

  engine = trawl_engine_new (job, output, &error);
  if (engine == NULL)
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  if (!quiet && !json)
    g_printerr (_("Crawling into %s\n"), output);

  return run_engine (engine, json, quiet, verbose);
}

/* Parses the options of a command that takes exactly one crawl file. */
static const char *
parse_file_command (int                 *argc,
                    char              ***argv,
                    const char          *command,
                    const char          *parameter,
                    const GOptionEntry  *entries,
                    GStrv               *files)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  GOptionEntry remaining[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, files, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (parameter);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_main_entries (context, remaining, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error (error->message);
      return NULL;
    }
  if (*files == NULL || (*files)[0] == NULL || (*files)[1] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("%s takes one crawl file, such as: trawl-cli %s example.trawl"),
                                                  command, command);

      print_error (message);
      return NULL;
    }
  return (*files)[0];
}

static int
cmd_resume (int    argc,
            char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlEngine) engine = NULL;
  g_autoptr (TrawlJob) given = trawl_job_new ();
  gboolean json = FALSE, quiet = FALSE, verbose = FALSE;
  g_auto (GStrv) files = NULL;
  const char *file;
  /* A crawl file keeps no secret given in plain text: they are given
   * again here. */
  const GOptionEntry entries[] = {
    { "auth-password", 0, 0, G_OPTION_ARG_STRING, &given->auth_password,
      N_("The password for HTTP basic authentication, when the crawl was given it in plain text"), "PASSWORD" },
    { "proxy-password", 0, 0, G_OPTION_ARG_STRING, &given->proxy_password,
      N_("The proxy password, when the crawl was given it in plain text"), "PASSWORD" },
    { "header", 0, 0, G_OPTION_ARG_STRING_ARRAY, &given->headers,
      N_("A secret header the crawl was given in plain text, such as a Cookie (repeatable)"), "NAME: VALUE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON summary at the end"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print no progress and no summary"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Print every log record"), NULL },
    { NULL }
  };

  file = parse_file_command (&argc, &argv, "resume", N_("FILE — continue an interrupted or stopped crawl"), entries, &files);
  if (file == NULL)
    return EXIT_USAGE;

  engine = trawl_engine_new_resume (file, given, &error);
  if (engine == NULL)
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  return run_engine (engine, json, quiet, verbose);
}

static int
cmd_stats (int    argc,
           char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) summary = NULL;
  gboolean json = FALSE;
  g_auto (GStrv) files = NULL;
  const char *file;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the summary as JSON"), NULL },
    { NULL }
  };

  file = parse_file_command (&argc, &argv, "stats", N_("FILE — pages by state and status, types, errors and timings"),
                             entries, &files);
  if (file == NULL)
    return EXIT_USAGE;

  summary = trawl_summary_read (file, &error);
  if (summary == NULL)
    {
      print_error (error->message);
      return EXIT_USAGE;
    }

  print_summary_node (summary, json);
  return EXIT_OK;
}

/* What a progress line counts; 0 when standard error is not a terminal. */
typedef enum {
  COUNTING_NOTHING,
  COUNTING_ROWS,
  COUNTING_RESPONSES,
} Counting;

/* "N of M rows" on a terminal; @user_data is a Counting. */
static void
on_progress (gint64   done,
             gint64   total,
             gpointer user_data)
{
  switch ((Counting) GPOINTER_TO_INT (user_data))
    {
    case COUNTING_ROWS:
      g_printerr ("\r");
      g_printerr (_("%" PRId64 " of %" PRId64 " rows"), done, total);
      break;
    case COUNTING_RESPONSES:
      g_printerr ("\r");
      g_printerr (_("%" PRId64 " of %" PRId64 " stored responses"), done, total);
      break;
    case COUNTING_NOTHING:
    default:
      break;
    }
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (GFile) target = NULL;
  g_autofree char *what_name = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *sitemap_base = NULL;
  g_autofree char *columns_text = NULL;
  g_auto (GStrv) columns = NULL;
  g_auto (GStrv) files = NULL;
  gboolean no_guard = FALSE, gzip = FALSE, quiet = FALSE, tty, ok;
  TrawlExportWhat what = TRAWL_EXPORT_PAGES;
  TrawlExportFormat format = TRAWL_EXPORT_CSV;
  TrawlExportFlags flags;
  const char *file;
  const GOptionEntry entries[] = {
    { "what", 0, 0, G_OPTION_ARG_STRING, &what_name, N_("What to export: pages (default), links, or items (what the extraction rules found)"),
      "pages|links|items" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("csv, json, jsonl, xml, sitemap, warc (the stored responses), or trawl for a copy of the crawl file "
         "(default: from the output's extension, .warc.gz too, else csv)"), "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write, or - for standard output (required)"), "OUT" },
    { "columns", 'c', 0, G_OPTION_ARG_STRING, &columns_text,
      N_("The columns to write, in this order, such as url,status,title (default: all)"), "A,B,…" },
    { "sitemap-base", 0, 0, G_OPTION_ARG_STRING, &sitemap_base,
      N_("For a sitemap index: the address its parts will be served from (default: the site's root)"), "URL" },
    { "gzip", 'z', 0, G_OPTION_ARG_NONE, &gzip,
      N_("WARC: gzip each record as a member of its own, as .warc.gz files are (implied by that extension)"), NULL },
    { "no-csv-guard", 0, 0, G_OPTION_ARG_NONE, &no_guard,
      N_("Write CSV cells that begin with = + - @ as they are (spreadsheets may run them as formulas)"), NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print no progress"), NULL },
    { NULL }
  };

  file = parse_file_command (&argc, &argv, "export",
                             N_("FILE — write its pages, links or items as CSV, JSON, JSON Lines, XML, a sitemap or WARC"),
                             entries, &files);
  if (file == NULL)
    return EXIT_USAGE;
  if (output == NULL)
    {
      print_error (_("export needs somewhere to write: -o FILE, or -o - for standard output"));
      return EXIT_USAGE;
    }
  if (what_name != NULL && !trawl_export_what_from_string (what_name, &what))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” cannot be exported; --what takes pages, links or items"), what_name);

      print_error (message);
      return EXIT_USAGE;
    }
  if (format_name != NULL && !trawl_export_format_from_string (format_name, &format))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a format Trawl writes; --format takes "
                                                    "csv, json, jsonl, xml, sitemap, warc or trawl"), format_name);

      print_error (message);
      return EXIT_USAGE;
    }
  if (columns_text != NULL)
    {
      columns = g_strsplit (columns_text, ",", -1);
      for (guint i = 0; columns[i] != NULL; i++)
        g_strstrip (columns[i]);
    }
  /* Otherwise the extension says, or it is CSV. */
  if (format_name == NULL && !trawl_export_format_from_path (output, &format))
    format = TRAWL_EXPORT_CSV;
  if (format == TRAWL_EXPORT_SITEMAP && what != TRAWL_EXPORT_PAGES)
    {
      print_error (_("A sitemap lists pages; it cannot be made of links or items"));
      return EXIT_USAGE;
    }
  if (format == TRAWL_EXPORT_WARC && what != TRAWL_EXPORT_PAGES)
    {
      print_error (_("A WARC file holds the responses to pages; it cannot be made of links or items"));
      return EXIT_USAGE;
    }
  if (columns != NULL && (format == TRAWL_EXPORT_SITEMAP || format == TRAWL_EXPORT_TRAWL || format == TRAWL_EXPORT_WARC))
    {
      print_error (_("--columns chooses columns of CSV, JSON, JSON Lines or XML; a sitemap, a WARC or a crawl file "
                     "has its own"));
      return EXIT_USAGE;
    }
  if (gzip && format != TRAWL_EXPORT_WARC)
    {
      print_error (_("--gzip compresses WARC records; the other formats are written as they are"));
      return EXIT_USAGE;
    }
  if (format == TRAWL_EXPORT_TRAWL && what_name != NULL)
    {
      print_error (_("A copy of the crawl file holds everything; --what does not apply to it"));
      return EXIT_USAGE;
    }
  if (format == TRAWL_EXPORT_TRAWL && strcmp (output, "-") == 0)
    {
      print_error (_("A crawl file cannot be written to standard output; give -o FILE.trawl"));
      return EXIT_USAGE;
    }

  flags = (no_guard ? TRAWL_EXPORT_NONE : TRAWL_EXPORT_CSV_GUARD) | (gzip ? TRAWL_EXPORT_GZIP : TRAWL_EXPORT_NONE);
  tty = !quiet && strcmp (output, "-") != 0 && isatty (STDERR_FILENO);
  if (strcmp (output, "-") != 0)
    {
      g_autofree char *path = NULL;

      target = g_file_new_for_commandline_arg (output);
      path = g_file_get_path (target);
      ok = trawl_export_to_file (file, what, format, flags, (const char *const *) columns, NULL, sitemap_base,
                                 path, on_progress, GINT_TO_POINTER (tty ? COUNTING_ROWS : COUNTING_NOTHING), NULL, &error);
    }
  else
    {
      out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
      ok = trawl_export (file, what, format, flags, (const char *const *) columns, NULL, out, NULL, NULL, NULL, &error) &&
           g_output_stream_close (out, NULL, &error);
    }
  if (tty)
    g_printerr ("\n");
  if (ok)
    return EXIT_OK;
  print_error (error->message);
  /* What a person can put right: the crawl file, the output path, the
   * options. */
  return error->domain == TRAWL_STORE_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY) ||
         g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
         g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_ACCES)
         ? EXIT_USAGE : EXIT_FAILED;
}

/* Runs rules again over the pages a crawl stored, in place of its items. */
static int
cmd_extract (int    argc,
             char **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) rules = NULL;
  g_auto (GStrv) files = NULL;
  g_autofree char *rules_from = NULL;
  TrawlRerunResult result;
  gboolean quiet = FALSE, tty;
  const char *file;
  const GOptionEntry entries[] = {
    { "extract", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &rules, N_("A rule, such as 'price = css:.price' (repeatable)"), "RULE" },
    { "rules-from", 0, 0, G_OPTION_ARG_FILENAME, &rules_from, N_("The rules of a .trawljob file"), "JOB" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print no progress and no summary"), NULL },
    { NULL }
  };

  file = parse_file_command (&argc, &argv, "extract",
                             N_("FILE — run extraction rules again over the pages it stored, in place of its items"),
                             entries, &files);
  if (file == NULL)
    return EXIT_USAGE;
  if ((rules == NULL) == (rules_from == NULL))
    {
      print_error (_("extract needs the rules to run: --extract RULE (repeatable) or --rules-from JOB"));
      return EXIT_USAGE;
    }
  if (rules_from != NULL)
    {
      g_autoptr (TrawlJob) job = trawl_job_load_file (rules_from, &error);

      if (job == NULL)
        {
          print_error (error->message);
          return EXIT_USAGE;
        }
      if (job->extract == NULL || job->extract[0] == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” has no extraction rules"), rules_from);

          print_error (message);
          return EXIT_USAGE;
        }
      rules = g_steal_pointer (&job->extract);
    }

  tty = !quiet && isatty (STDERR_FILENO);
  if (!trawl_rerun_rules (file, (const char *const *) rules, on_progress,
                          GINT_TO_POINTER (tty ? COUNTING_RESPONSES : COUNTING_NOTHING),
                          NULL, &result, &error))
    {
      if (tty)
        g_printerr ("\n");
      print_error (error->message);
      return g_error_matches (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_WRITE) ? EXIT_FAILED : EXIT_USAGE;
    }
  if (tty)
    g_printerr ("\n");
  if (!quiet)
    g_print (_("%s now holds %" PRId64 " items, found by the new rules in %" PRId64 " stored pages\n"),
             file, result.items, result.pages);
  return EXIT_OK;
}

/* One line a command; each command's own --help lists its options. */
static void
usage (FILE *out)
{
  fputs (_("Usage: trawl-cli COMMAND [OPTION…] ARGUMENT…\n"
          "\n"
          "Commands:\n"
          "  crawl URL…       Crawl websites into a .trawl file (or --job JOB, --list FILE)\n"
          "  resume FILE      Continue an interrupted or stopped crawl\n"
          "  stats FILE       Print its pages by state and status, types, errors and timings\n"
          "  export FILE      Write its pages, links or items as CSV, JSON, JSON Lines, XML, a sitemap or WARC\n"
          "  extract FILE     Run extraction rules again over the pages it stored, in place of its items\n"
          "\n"
          "Options:\n"
          "  -h, --help       Show this help\n"
          "  --version        Show the version of trawl-cli\n"
          "\n"
          "“trawl-cli COMMAND --help” lists the options of a command; “trawl-cli crawl --help-all”\n"
          "lists every crawl setting as well.\n"
          "Exit status: 0 done, 1 failed while running, 2 could not start, 3 fetched no page, 130 stopped by Ctrl+C.\n"
          "See trawl-cli(1).\n"), out);
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  trawl_i18n_init ();

  if (argc < 2)
    {
      usage (stderr);
      return EXIT_USAGE;
    }

  command = argv[1];
  if (strcmp (command, "--help") == 0 || strcmp (command, "-h") == 0 || strcmp (command, "help") == 0)
    {
      usage (stdout);
      return EXIT_OK;
    }
  if (strcmp (command, "--version") == 0)
    {
      g_print ("trawl-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  /* Each command parses its own options; argv[0] becomes "trawl-cli crawl"
   * and so on, so that --help reads naturally. */
  {
    g_autofree char *base = g_path_get_basename (argv[0]);
    g_autofree char *name = g_strdup_printf ("%s %s", base, command);

    g_set_prgname (name);
    argv[1] = argv[0];

    if (strcmp (command, "crawl") == 0)
      return cmd_crawl (argc - 1, argv + 1);
    if (strcmp (command, "resume") == 0)
      return cmd_resume (argc - 1, argv + 1);
    if (strcmp (command, "stats") == 0)
      return cmd_stats (argc - 1, argv + 1);
    if (strcmp (command, "export") == 0)
      return cmd_export (argc - 1, argv + 1);
    if (strcmp (command, "extract") == 0)
      return cmd_extract (argc - 1, argv + 1);
  }

  g_printerr (_("trawl-cli: “%s” is not a command\n\n"), command);
  usage (stderr);
  return EXIT_USAGE;
}
