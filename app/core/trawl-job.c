/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-job.c — the settings of one crawl.
 *
 * One table lists every setting with its job-file group and key, its
 * trawl-cli flag, its type and its default.  Loading and saving .trawljob
 * files, the command-line options and "copy as command line" all walk that
 * table, so a new setting is one row and can never be forgotten in one of
 * them.
 *
 * A password and the values of Cookie and Authorization headers may be
 * references to keyring items (auth_password_secret=ID, "Name: secret:ID");
 * their values, once trawl-secrets.c has them, live in job->secrets, which
 * no job file or crawl file ever holds.
 */
#define G_LOG_DOMAIN "trawl-job"

#include "config.h"

#include "trawl-job.h"
#include "trawl-extract.h"
#include "trawl-url.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (trawl-job-error-quark, trawl_job_error)
G_DEFINE_BOXED_TYPE (TrawlJob, trawl_job, trawl_job_copy, trawl_job_free)

/* Header values of these are secrets: Trawl keeps them in the keyring. */
static const char *const secret_header_names[] = { "Authorization", "Cookie", "Proxy-Authorization", NULL };

#define SECRET_PREFIX "secret:"

#define TRAWL_DEFAULT_USER_AGENT "Trawl/" PACKAGE_VERSION " (+https://github.com/trawl/trawl)"

typedef enum {
  OPT_STRV,
  OPT_BOOL,
  OPT_INT,
  OPT_DOUBLE,
  OPT_SIZE,
  OPT_STRING,
  OPT_ENUM,
} OptType;

typedef struct {
  const char        *group;
  const char        *key;
  const char        *flag;     /* long option name, or NULL when positional */
  OptType            type;
  gsize              offset;
  const char        *def;      /* default, as written in a job file */
  const char *const *names;    /* for OPT_ENUM: value names in enum order */
  double             min;
  double             max;
  const char        *arg;      /* placeholder shown in --help */
  const char        *help;
  gboolean           is_path;  /* for OPT_STRING: a file, kept as a full path */
} JobOption;

static const char *const scope_names[] = { "host", "site", "any", NULL };
static const char *const order_names[] = { "breadth", "depth", NULL };
static const char *const delay_mode_names[] = { "random", "fixed", "auto", NULL };
static const char *const robots_names[] = { "obey", "ignore", "report", NULL };

#define F(field) G_STRUCT_OFFSET (TrawlJob, field)

static const JobOption options[] = {
  { "crawl", "start_urls", NULL, OPT_STRV, F (start_urls), "", NULL, 0, 0, NULL, "Where the crawl starts" },
  { "crawl", "list_mode", "list-mode", OPT_BOOL, F (list_mode), "false", NULL, 0, 0, NULL, N_("Fetch exactly the start URLs and follow no links") },
  { "crawl", "sitemaps", "sitemaps", OPT_BOOL, F (sitemaps), "true", NULL, 0, 0, NULL, N_("Seed the crawl from robots.txt Sitemap: lines and /sitemap.xml") },
  { "scope", "scope", "scope", OPT_ENUM, F (scope), "host", scope_names, 0, 0, "host|site|any", N_("Which hosts to crawl: the start hosts, their whole site with subdomains, or any") },
  { "scope", "include", "include", OPT_STRV, F (include), "", NULL, 0, 0, "REGEX", N_("Only crawl URLs matching this regular expression (repeatable)") },
  { "scope", "exclude", "exclude", OPT_STRV, F (exclude), "", NULL, 0, 0, "REGEX", N_("Never crawl URLs matching this regular expression (repeatable)") },
  { "scope", "max_depth", "depth", OPT_INT, F (max_depth), "-1", NULL, -1, 1000000, "N", N_("Follow links at most N steps from a start URL (-1: no limit)") },
  { "scope", "max_pages", "max-pages", OPT_INT, F (max_pages), "0", NULL, 0, G_MAXINT, "N", N_("Stop after fetching N pages (0: no limit)") },
  { "scope", "max_time", "max-time", OPT_DOUBLE, F (max_time), "0", NULL, 0, 1e9, "SECONDS", N_("Stop after this long (0: no limit)") },
  { "scope", "max_url_length", "max-url-length", OPT_INT, F (max_url_length), "2083", NULL, 16, 1048576, "N", N_("Skip URLs longer than N characters") },
  { "scope", "max_links", "max-links", OPT_INT, F (max_links), "10000", NULL, 0, G_MAXINT, "N", N_("Keep and follow at most N links of a page (0: no limit)") },
  { "scope", "follow_nofollow", "follow-nofollow", OPT_BOOL, F (follow_nofollow), "false", NULL, 0, 0, NULL, N_("Follow links marked rel=nofollow and pages marked nofollow") },
  { "scope", "resources", "resources", OPT_BOOL, F (resources), "false", NULL, 0, 0, NULL, N_("Also fetch images, scripts and stylesheets") },
  { "scope", "order", "order", OPT_ENUM, F (order), "breadth", order_names, 0, 0, "breadth|depth", N_("Crawl breadth-first or depth-first") },
  { "speed", "concurrency", "concurrency", OPT_INT, F (concurrency), "16", NULL, 1, 1024, "N", N_("Requests in flight at once, in all") },
  { "speed", "per_host", "per-host", OPT_INT, F (per_host), "4", NULL, 1, 1024, "N", N_("Requests in flight at once to one host") },
  { "speed", "delay", "delay", OPT_DOUBLE, F (delay), "0", NULL, 0, 3600, "SECONDS", N_("Wait between two requests to the same host") },
  { "speed", "delay_mode", "delay-mode", OPT_ENUM, F (delay_mode), "random", delay_mode_names, 0, 0, "random|fixed|auto", N_("Randomise the delay (0.5–1.5×), keep it fixed, or adapt it to the server's latency") },
  { "speed", "autothrottle_target", "autothrottle-target", OPT_DOUBLE, F (autothrottle_target), "1", NULL, 0.01, 1024, "N", N_("With --delay-mode=auto: requests the server should handle at once") },
  { "speed", "max_delay", "max-delay", OPT_DOUBLE, F (max_delay), "60", NULL, 0, 3600, "SECONDS", N_("With --delay-mode=auto: the longest delay") },
  { "robots", "robots", "robots", OPT_ENUM, F (robots), "obey", robots_names, 0, 0, "obey|ignore|report", N_("Obey robots.txt, ignore it, or crawl anyway and report what it blocks") },
  { "robots", "max_crawl_delay", "max-crawl-delay", OPT_DOUBLE, F (max_crawl_delay), "30", NULL, 0, 300, "SECONDS", N_("Honour robots.txt Crawl-delay up to this many seconds") },
  { "requests", "user_agent", "user-agent", OPT_STRING, F (user_agent), TRAWL_DEFAULT_USER_AGENT, NULL, 0, 0, "STRING", N_("The User-Agent header, also used to pick robots.txt rules") },
  { "requests", "headers", "header", OPT_STRV, F (headers), "", NULL, 0, 0, "NAME: VALUE", N_("Send this header with every request (repeatable); the value “secret:ID” is read from the keyring") },
  { "requests", "cookies", "cookies", OPT_BOOL, F (cookies), "true", NULL, 0, 0, NULL, N_("Keep cookies the servers set") },
  { "requests", "auth_user", "auth-user", OPT_STRING, F (auth_user), "", NULL, 0, 0, "NAME", N_("User name for HTTP basic authentication") },
  { "requests", "auth_password", "auth-password", OPT_STRING, F (auth_password), "", NULL, 0, 0, "PASSWORD", N_("Password for HTTP basic authentication, in plain text (rather use --auth-password-secret)") },
  { "requests", "auth_password_secret", "auth-password-secret", OPT_STRING, F (auth_password_secret), "", NULL, 0, 0, "ID", N_("Read the password for HTTP basic authentication from the keyring item with this id") },
  { "requests", "proxy", "proxy", OPT_STRING, F (proxy), "", NULL, 0, 0, "URL", N_("Send requests through this proxy (http://host:port, http://user@host:port or socks5://host:port)") },
  { "requests", "proxy_password", "proxy-password", OPT_STRING, F (proxy_password), "", NULL, 0, 0, "PASSWORD", N_("Password for the proxy’s user, in plain text (rather use --proxy-password-secret)") },
  { "requests", "proxy_password_secret", "proxy-password-secret", OPT_STRING, F (proxy_password_secret), "", NULL, 0, 0, "ID", N_("Read the password for the proxy’s user from the keyring item with this id") },
  { "requests", "ca_file", "ca-file", OPT_STRING, F (ca_file), "", NULL, 0, 0, "FILE", N_("Also trust servers whose certificates the authorities in this PEM file signed"), TRUE },
  { "requests", "timeout", "timeout", OPT_DOUBLE, F (timeout), "30", NULL, 0.1, 3600, "SECONDS", N_("Give up on a request after this long") },
  { "requests", "retries", "retries", OPT_INT, F (retries), "2", NULL, 0, 20, "N", N_("Retry network errors and 408, 429, 500, 502, 503, 504, 522, 524 this many times") },
  { "requests", "max_redirects", "max-redirects", OPT_INT, F (max_redirects), "20", NULL, 0, 20, "N", N_("Follow at most N redirects in a row") },
  { "requests", "max_size", "max-size", OPT_SIZE, F (max_size), "33554432", NULL, 1024, 1099511627776.0, "BYTES", N_("Stop reading a response after this many bytes (suffixes K, M, G)") },
  { "requests", "block_private", "block-private", OPT_BOOL, F (block_private), "false", NULL, 0, 0, NULL, N_("Refuse to connect to private, loopback and link-local addresses, checked on the address each connection reaches") },
  { "requests", "compression", "compression", OPT_BOOL, F (compression), "true", NULL, 0, 0, NULL, N_("Ask for gzip and deflate compressed responses") },
  { "requests", "withheld", NULL, OPT_STRV, F (withheld), "", NULL, 0, 0, NULL, "The secrets given in plain text, which a crawl file does not keep" },
  { "storage", "store_bodies", "store-bodies", OPT_BOOL, F (store_bodies), "false", NULL, 0, 0, NULL, N_("Keep a compressed copy of every response body in the crawl file") },
  { "extract", "rules", "extract", OPT_STRV, F (extract), "", NULL, 0, 0, "RULE", N_("Extract a field from each HTML page: “NAME = css:SELECTOR”, “xpath:EXPRESSION” or “regex:PATTERN”; NAME[] for every match, RECORD.NAME for records (repeatable)") },
};

#undef F

#define FIELD(job, opt, type) (*(type *) ((guint8 *) (job) + (opt)->offset))

static gboolean
parse_size (const char *text,
            gint64     *out)
{
  char *end = NULL;
  double value;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || !(value >= 0))
    return FALSE;

  switch (g_ascii_toupper (*end))
    {
    case 'G': value *= 1024.0;
      G_GNUC_FALLTHROUGH;
    case 'M': value *= 1024.0;
      G_GNUC_FALLTHROUGH;
    case 'K': value *= 1024.0;
      end++;
      break;
    default:
      break;
    }
  if (g_ascii_toupper (*end) == 'B' || g_ascii_toupper (*end) == 'I')
    end++;
  /* Converting a double beyond gint64 (1e300, inf) is undefined. */
  if (*end != '\0' || !(value < (double) G_MAXINT64))
    return FALSE;

  *out = (gint64) value;
  return TRUE;
}

static gboolean
parse_bool (const char *text,
            gboolean   *out)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || g_ascii_strcasecmp (text, "yes") == 0 ||
      g_ascii_strcasecmp (text, "on") == 0 || strcmp (text, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || g_ascii_strcasecmp (text, "no") == 0 ||
           g_ascii_strcasecmp (text, "off") == 0 || strcmp (text, "0") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static void
strv_append (char       ***strv,
             const char   *text)
{
  guint n = *strv ? g_strv_length (*strv) : 0;

  *strv = g_renew (char *, *strv, n + 2);
  (*strv)[n] = g_strdup (text);
  (*strv)[n + 1] = NULL;
}

static const char *
option_label (const JobOption *opt)
{
  return opt->flag ? opt->flag : opt->key;
}

/* Sets one option from its text form; for string lists, @text is appended.
 * A value that does not fit is a TRAWL_JOB_ERROR_VALUE whose message names
 * the option when @labelled ("“per-host” must be…", for job files and
 * flags), and otherwise is what a row beside its title says ("Must be…"). */
static gboolean
option_parse (TrawlJob         *job,
              const JobOption  *opt,
              const char       *text,
              gboolean          labelled,
              GError          **error)
{
  const char *label = option_label (opt);
  char *end = NULL;

  switch (opt->type)
    {
    case OPT_STRV:
      strv_append (&FIELD (job, opt, char **), text);
      return TRUE;

    case OPT_BOOL:
      if (parse_bool (text, &FIELD (job, opt, gboolean)))
        return TRUE;
      if (labelled)
        /* Translators: the first %s is a setting, the second what was given. */
        g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE, _("“%s” must be true or false, not “%s”"), label, text);
      else
        g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE, _("Must be true or false, not “%s”"), text);
      return FALSE;

    case OPT_INT:
      {
        gint64 value;

        errno = 0;
        value = g_ascii_strtoll (text, &end, 10);
        if (errno != 0 || end == text || *end != '\0' || value < opt->min || value > opt->max)
          {
            if (labelled)
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE,
                           _("“%s” must be a whole number from %.0f to %.0f, not “%s”"), label, opt->min, opt->max, text);
            else
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE,
                           _("Must be a whole number from %.0f to %.0f, not “%s”"), opt->min, opt->max, text);
            return FALSE;
          }
        FIELD (job, opt, int) = (int) value;
        return TRUE;
      }

    case OPT_DOUBLE:
      {
        double value;

        errno = 0;
        value = g_ascii_strtod (text, &end);
        if (errno != 0 || end == text || *end != '\0' || !(value >= opt->min && value <= opt->max))
          {
            if (labelled)
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE,
                           _("“%s” must be a number from %g to %g, not “%s”"), label, opt->min, opt->max, text);
            else
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE,
                           _("Must be a number from %g to %g, not “%s”"), opt->min, opt->max, text);
            return FALSE;
          }
        FIELD (job, opt, double) = value;
        return TRUE;
      }

    case OPT_SIZE:
      {
        gint64 value;

        if (!parse_size (text, &value) || value < opt->min || value > opt->max)
          {
            if (labelled)
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE,
                           _("“%s” must be a size such as 500K, 32M or 1G, of at least 1K, not “%s”"), label, text);
            else
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE,
                           _("Must be a size such as 500K, 32M or 1G, of at least 1K, not “%s”"), text);
            return FALSE;
          }
        FIELD (job, opt, gint64) = value;
        return TRUE;
      }

    case OPT_STRING:
      g_free (FIELD (job, opt, char *));
      /* A relative path is taken from the current folder now, so that a
       * crawl resumed from another folder finds the same file. */
      if (text[0] == '\0')
        FIELD (job, opt, char *) = NULL;
      else if (opt->is_path)
        FIELD (job, opt, char *) = g_canonicalize_filename (text, NULL);
      else
        FIELD (job, opt, char *) = g_strdup (text);
      return TRUE;

    case OPT_ENUM:
      for (guint i = 0; opt->names[i]; i++)
        if (g_ascii_strcasecmp (opt->names[i], text) == 0)
          {
            FIELD (job, opt, int) = (int) i;
            return TRUE;
          }
      {
        g_autofree char *choices = g_strjoinv (", ", (char **) opt->names);

        if (labelled)
          /* Translators: the second %s lists the values, as in “host, site, any”. */
          g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE, _("“%s” must be one of %s, not “%s”"), label, choices, text);
        else
          g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE, _("Must be one of %s, not “%s”"), choices, text);
      }
      return FALSE;
    }

  g_assert_not_reached ();
}

static gboolean
option_set (TrawlJob         *job,
            const JobOption  *opt,
            const char       *text,
            GError          **error)
{
  return option_parse (job, opt, text, TRUE, error);
}

/* The text form of one option's value, as written in job files. */
static char *
option_get (const TrawlJob  *job,
            const JobOption *opt)
{
  switch (opt->type)
    {
    case OPT_STRV:
      g_assert_not_reached ();
    case OPT_BOOL:
      return g_strdup (FIELD (job, opt, gboolean) ? "true" : "false");
    case OPT_INT:
      return g_strdup_printf ("%d", FIELD (job, opt, int));
    case OPT_DOUBLE:
      {
        double value = FIELD (job, opt, double);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        /* The shortest form that reads back as the same value: "%g" alone
         * would save 1234567.8 as 1.23457e+06. */
        for (int precision = 6; precision < 17; precision++)
          {
            char format[8];

            g_snprintf (format, sizeof format, "%%.%dg", precision);
            g_ascii_formatd (buf, sizeof buf, format, value);
            if (g_ascii_strtod (buf, NULL) == value)
              return g_strdup (buf);
          }
        return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.17g", value));
      }
    case OPT_SIZE:
      return g_strdup_printf ("%" G_GINT64_FORMAT, FIELD (job, opt, gint64));
    case OPT_STRING:
      return g_strdup (FIELD (job, opt, char *) ? FIELD (job, opt, char *) : "");
    case OPT_ENUM:
      return g_strdup (opt->names[FIELD (job, opt, int)]);
    }
  g_assert_not_reached ();
}

/**
 * trawl_job_new:
 *
 * Returns: (transfer full): a job with every setting at its default and no
 *   start URL.
 */
TrawlJob *
trawl_job_new (void)
{
  TrawlJob *job = g_new0 (TrawlJob, 1);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (options[i].type != OPT_STRV)
      {
        gboolean ok = option_set (job, &options[i], options[i].def, NULL);

        g_assert (ok);
      }

  return job;
}

/**
 * trawl_job_copy:
 * @job: a job
 *
 * Returns: (transfer full): a deep copy of @job.
 */
TrawlJob *
trawl_job_copy (const TrawlJob *job)
{
  TrawlJob *copy = g_memdup2 (job, sizeof *job);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];

      if (opt->type == OPT_STRV)
        FIELD (copy, opt, char **) = g_strdupv (FIELD (job, opt, char **));
      else if (opt->type == OPT_STRING)
        FIELD (copy, opt, char *) = g_strdup (FIELD (job, opt, char *));
    }

  copy->secrets = NULL;
  if (job->secrets != NULL)
    {
      GHashTableIter iter;
      gpointer id, value;

      g_hash_table_iter_init (&iter, job->secrets);
      while (g_hash_table_iter_next (&iter, &id, &value))
        trawl_job_set_secret (copy, id, value);
    }

  return copy;
}

void
trawl_job_free (TrawlJob *job)
{
  if (job == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];

      if (opt->type == OPT_STRV)
        g_strfreev (FIELD (job, opt, char **));
      else if (opt->type == OPT_STRING)
        g_free (FIELD (job, opt, char *));
    }
  g_clear_pointer (&job->secrets, g_hash_table_unref);
  g_free (job);
}

/* Whether @raw, a value as the file has it, ends in a backslash that
 * escapes nothing.  Reading it, GLib 2.74 sets its GError a second time
 * (and warns) when an invalid escape came before. */
static gboolean
ends_in_escape (const char *raw)
{
  gsize len = strlen (raw);
  gsize n = 0;

  while (n < len && raw[len - 1 - n] == '\\')
    n++;
  return n % 2 == 1;
}

static TrawlJob *
job_from_key_file (GKeyFile  *kf,
                   GError   **error)
{
  g_autoptr (TrawlJob) job = trawl_job_new ();

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];
      g_autoptr (GError) local_error = NULL;
      g_autofree char *raw = NULL;

      if (!g_key_file_has_key (kf, opt->group, opt->key, NULL))
        continue;

      raw = g_key_file_get_value (kf, opt->group, opt->key, NULL);
      if (ends_in_escape (raw))
        {
          g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                       /* Translators: [%s] is a group of a job file, “%s” a key in it. */
                       _("In [%s]: “%s” ends in a “\\” that escapes nothing"), opt->group, opt->key);
          return NULL;
        }

      if (opt->type == OPT_STRV)
        {
          g_auto (GStrv) list = g_key_file_get_string_list (kf, opt->group, opt->key, NULL, &local_error);

          if (local_error != NULL)
            {
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                           /* Translators: [%s] is a group of a job file, then what is wrong in it. */
                           _("In [%s]: %s"), opt->group, local_error->message);
              return NULL;
            }
          g_strfreev (FIELD (job, opt, char **));
          FIELD (job, opt, char **) = NULL;
          for (guint j = 0; list && list[j]; j++)
            if (list[j][0] != '\0')
              option_set (job, opt, list[j], NULL);
        }
      else
        {
          g_autofree char *value = g_key_file_get_string (kf, opt->group, opt->key, &local_error);

          /* A value with a bad escape ("\x") or not in UTF-8 is an error,
           * even where GLib returns some text for it. */
          if (local_error != NULL || !option_set (job, opt, g_strstrip (value), &local_error))
            {
              g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                           /* Translators: [%s] is a group of a job file, then what is wrong in it. */
                           _("In [%s]: %s"), opt->group, local_error->message);
              return NULL;
            }
        }
    }

  return g_steal_pointer (&job);
}

/**
 * trawl_job_load_data:
 * @data: the text of a .trawljob file
 * @error: return location for a #GError
 *
 * Reads a job.  Keys that are missing keep their defaults; unknown keys are
 * ignored so that older versions of Trawl read newer job files.
 *
 * Returns: (transfer full) (nullable): the job, or %NULL with @error set.
 */
TrawlJob *
trawl_job_load_data (const char  *data,
                     GError     **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) local_error = NULL;

  if (!g_key_file_load_from_data (kf, data, -1, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                   _("This is not a Trawl job file: %s"), local_error->message);
      return NULL;
    }

  return job_from_key_file (kf, error);
}

/**
 * trawl_job_load_file:
 * @path: a .trawljob file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the job, or %NULL with @error set to
 *   a sentence naming the file.
 */
TrawlJob *
trawl_job_load_file (const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local_error = NULL;
  TrawlJob *job;

  if (!g_file_get_contents (path, &data, NULL, &local_error))
    {
      g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                   _("Could not read the job file “%s”: %s"), path, local_error->message);
      return NULL;
    }

  job = trawl_job_load_data (data, &local_error);
  if (job == NULL)
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                 /* Translators: a job file, then what is wrong in it. */
                 _("“%s”: %s"), path, local_error->message);

  return job;
}

/**
 * trawl_job_to_data:
 * @job: a job
 *
 * Returns: (transfer full): @job as the text of a .trawljob file, every key
 *   written so that the file documents the whole crawl.
 */
char *
trawl_job_to_data (const TrawlJob *job)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];

      if (opt->type == OPT_STRV)
        {
          const char *const *list = (const char *const *) FIELD (job, opt, char **);
          const char *const empty[] = { NULL };

          g_key_file_set_string_list (kf, opt->group, opt->key,
                                      list ? list : empty,
                                      list ? g_strv_length ((char **) list) : 0);
        }
      else
        {
          g_autofree char *value = option_get (job, opt);

          g_key_file_set_string (kf, opt->group, opt->key, value);
        }
    }

  return g_key_file_to_data (kf, NULL, NULL);
}

/**
 * trawl_job_save_file:
 * @job: a job
 * @path: where to write it
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the file was written completely.
 */
gboolean
trawl_job_save_file (const TrawlJob  *job,
                     const char      *path,
                     GError         **error)
{
  g_autofree char *data = trawl_job_to_data (job);
  g_autoptr (GError) local_error = NULL;

  if (!g_file_set_contents (path, data, -1, &local_error))
    {
      g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                   _("Could not save the job file “%s”: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_patterns (char       **patterns,
                   gboolean     include,
                   GError     **error)
{
  for (guint i = 0; patterns && patterns[i]; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autoptr (GRegex) regex = g_regex_new (patterns[i], G_REGEX_OPTIMIZE, 0, &local_error);

      if (regex == NULL)
        {
          if (include)
            g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                         _("The include pattern “%s” is not a valid regular expression: %s"),
                         patterns[i], local_error->message);
          else
            g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                         _("The exclude pattern “%s” is not a valid regular expression: %s"),
                         patterns[i], local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* The CA file must hold at least one certificate that GIO can read. */
static gboolean
validate_ca_file (const char  *path,
                  GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  GList *certificates = g_tls_certificate_list_new_from_file (path, &local_error);

  if (certificates != NULL)
    {
      g_list_free_full (certificates, g_object_unref);
      return TRUE;
    }
  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CA file “%s” does not exist"), path);
  else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CA file “%s” cannot be read: permission denied"), path);
  else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ISDIR))
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CA file “%s” is a folder"), path);
  else if (local_error != NULL && local_error->domain == G_FILE_ERROR)
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CA file could not be read: %s"),
                 local_error->message);
  else if (local_error != NULL)
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CA file “%s” is not a valid certificate file: %s"),
                 path, local_error->message);
  else
    g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                 _("The CA file “%s” holds no certificate: it must be PEM text with “-----BEGIN CERTIFICATE-----” blocks"),
                 path);
  return FALSE;
}

static char *proxy_userinfo (const char *proxy, char **password);

/**
 * trawl_job_validate:
 * @job: a job
 * @error: return location for a #GError
 *
 * Checks what the option parsers cannot see alone: that there is a start
 * URL and each is a web address, that patterns compile, that headers and
 * the proxy are well formed, that the CA file holds certificates.
 *
 * Returns: %TRUE when @job can be crawled, or %FALSE with @error set to a
 *   sentence a person understands.
 */
gboolean
trawl_job_validate (const TrawlJob  *job,
                    GError         **error)
{
  g_return_val_if_fail (job != NULL, FALSE);

  if (job->start_urls == NULL || job->start_urls[0] == NULL)
    {
      g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                           _("There is no start URL: give the address of a website, such as https://example.org/"));
      return FALSE;
    }

  for (guint i = 0; job->start_urls[i]; i++)
    {
      g_autofree char *canonical = trawl_url_canonicalize (job->start_urls[i], error);

      if (canonical == NULL)
        return FALSE;
    }

  if (!validate_patterns (job->include, TRUE, error) ||
      !validate_patterns (job->exclude, FALSE, error))
    return FALSE;

  for (guint i = 0; job->headers && job->headers[i]; i++)
    {
      const char *colon = strchr (job->headers[i], ':');

      if (colon == NULL || colon == job->headers[i] ||
          strpbrk (job->headers[i], "\r\n") != NULL)
        {
          g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                       _("The header “%s” must be written as “Name: value”"), job->headers[i]);
          return FALSE;
        }
    }

  if (job->proxy != NULL)
    {
      g_autoptr (GUri) uri = g_uri_parse (job->proxy, G_URI_FLAGS_NONE, NULL);

      if (uri == NULL || g_uri_get_host (uri) == NULL)
        {
          g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                       _("The proxy “%s” must be a URL such as http://proxy.example:3128"),
                       job->proxy);
          return FALSE;
        }
    }

  /* Without a proxy, its password is not used. */
  if (job->proxy != NULL && (job->proxy_password != NULL || job->proxy_password_secret != NULL))
    {
      g_autofree char *user = proxy_userinfo (job->proxy, NULL);

      if (user == NULL || *user == '\0')
        {
          g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                               _("A proxy password needs a proxy URL with the user’s name, "
                                 "such as http://user@proxy.example:3128"));
          return FALSE;
        }
    }

  if (job->ca_file != NULL && !validate_ca_file (job->ca_file, error))
    return FALSE;

  if (job->extract != NULL && job->extract[0] != NULL)
    {
      g_autoptr (TrawlExtractor) extractor = trawl_extractor_new ((const char *const *) job->extract, error);

      if (extractor == NULL)
        return FALSE;
    }

  if (job->user_agent == NULL)
    {
      g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
                           _("The user agent must not be empty"));
      return FALSE;
    }

  return TRUE;
}

/**
 * trawl_job_check_value:
 * @group: a job-file group
 * @key: a key of @group
 * @text: a value for it, in its job-file text form
 * @error: return location for a #GError
 *
 * Checks one setting's value on its own, as an editor's row holds it.
 *
 * Returns: %TRUE when @text is a value of the setting, or %FALSE with
 *   @error set to %TRAWL_JOB_ERROR_VALUE and a message that, shown beside
 *   the setting, need not name it ("Must be a whole number from 1 to 1024,
 *   not “0”").
 */
gboolean
trawl_job_check_value (const char  *group,
                       const char  *key,
                       const char  *text,
                       GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];
      g_autoptr (TrawlJob) scratch = NULL;

      if (strcmp (opt->group, group) != 0 || strcmp (opt->key, key) != 0)
        continue;
      scratch = trawl_job_new ();
      return option_parse (scratch, opt, text, FALSE, error);
    }
  g_return_val_if_reached (FALSE);
}

static const JobOption *
find_flag (const char *name)
{
  gboolean negated;

  while (*name == '-')
    name++;
  negated = g_str_has_prefix (name, "no-");

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];

      if (opt->flag == NULL)
        continue;
      if (strcmp (opt->flag, name) == 0 ||
          (negated && opt->type == OPT_BOOL && strcmp (opt->flag, name + 3) == 0))
        return opt;
    }
  return NULL;
}

static gboolean
on_option (const char  *option_name,
           const char  *value,
           gpointer     data,
           GError     **error)
{
  const JobOption *opt = find_flag (option_name);
  TrawlJob *job = data;
  g_autoptr (GError) local_error = NULL;

  g_assert (opt != NULL);

  if (opt->type == OPT_BOOL)
    value = g_str_has_prefix (option_name + 2, "no-") ? "false" : "true";

  if (!option_set (job, opt, value, &local_error))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * trawl_job_option_group:
 * @job: the job the options write into
 *
 * Returns: (transfer full): command-line options for every job setting.
 *   Each boolean setting has a --name and a --no-name form.
 */
GOptionGroup *
trawl_job_option_group (TrawlJob *job)
{
  GOptionGroup *group = g_option_group_new ("job", _("Crawl settings (also read from --job files):"),
                                            N_("Show the crawl settings"), job, NULL);
  GArray *entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];
      GOptionEntry entry = { 0 };

      if (opt->flag == NULL)
        continue;

      entry.long_name = opt->flag;
      entry.arg = G_OPTION_ARG_CALLBACK;
      entry.arg_data = (gpointer) on_option;
      entry.description = opt->help;  /* translated by the group's domain */
      entry.arg_description = opt->arg;
      if (opt->type == OPT_BOOL)
        {
          g_autofree char *negated = g_strconcat ("no-", opt->flag, NULL);

          entry.flags = G_OPTION_FLAG_NO_ARG;
          g_array_append_val (entries, entry);
          entry.long_name = g_intern_string (negated);
          entry.flags = G_OPTION_FLAG_NO_ARG | G_OPTION_FLAG_HIDDEN;
        }
      g_array_append_val (entries, entry);
    }

  /* GOption translates the entries and the --help-job text, and the
   * description only for --help-job: --help-all prints it as given. */
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, (GOptionEntry *) (gpointer) entries->data);
  /* GOptionGroup copies the entries, but not the strings they point to,
   * which are static or interned. */
  g_array_free (entries, TRUE);

  return group;
}

/* Quotes for a POSIX shell only when the word needs it, so that the
 * command stays readable. */
static char *
shell_word (const char *word)
{
  if (word[0] != '\0' && strspn (word, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789_./:=@%+,-") == strlen (word))
    return g_strdup (word);
  return g_shell_quote (word);
}

/**
 * trawl_job_to_command_line:
 * @job: a job
 *
 * Returns: (transfer full): a trawl-cli command that runs the same crawl,
 *   naming only the settings that differ from the defaults.
 */
char *
trawl_job_to_command_line (const TrawlJob *job)
{
  g_autoptr (TrawlJob) defaults = trawl_job_new ();
  GString *cmd = g_string_new ("trawl-cli crawl");

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      const JobOption *opt = &options[i];

      if (opt->flag == NULL)
        continue;

      if (opt->type == OPT_STRV)
        {
          char **list = FIELD (job, opt, char **);

          for (guint j = 0; list && list[j]; j++)
            {
              g_autofree char *quoted = shell_word (list[j]);

              g_string_append_printf (cmd, " --%s %s", opt->flag, quoted);
            }
        }
      else
        {
          g_autofree char *value = option_get (job, opt);
          g_autofree char *def = option_get (defaults, opt);

          if (strcmp (value, def) == 0)
            continue;

          if (opt->type == OPT_BOOL)
            g_string_append_printf (cmd, " --%s%s", FIELD (job, opt, gboolean) ? "" : "no-", opt->flag);
          else
            {
              g_autofree char *quoted = shell_word (value);

              g_string_append_printf (cmd, " --%s %s", opt->flag, quoted);
            }
        }
    }

  for (guint i = 0; job->start_urls && job->start_urls[i]; i++)
    {
      g_autofree char *quoted = shell_word (job->start_urls[i]);

      g_string_append_printf (cmd, " %s", quoted);
    }

  return g_string_free (cmd, FALSE);
}

/* Secrets.  The job file holds references to keyring items; their values
 * live in job->secrets, which is never written anywhere. */

/* The passwords: each is given in plain text or as the id of a keyring
 * item, and the plain one wins. */
typedef struct {
  const char *setting;
  gsize       plain;   /* offset of the char * field */
  gsize       secret;  /* offset of the char * field */
} Password;

enum { AUTH_PASSWORD, PROXY_PASSWORD };

static const Password passwords[] = {
  [AUTH_PASSWORD] = { "auth_password", G_STRUCT_OFFSET (TrawlJob, auth_password), G_STRUCT_OFFSET (TrawlJob, auth_password_secret) },
  [PROXY_PASSWORD] = { "proxy_password", G_STRUCT_OFFSET (TrawlJob, proxy_password), G_STRUCT_OFFSET (TrawlJob, proxy_password_secret) },
};

#define PASSWORD_FIELD(job, p, which) G_STRUCT_MEMBER (char *, (job), (p)->which)

/* The user and the password written in a proxy URL, decoded, or NULL. */
static char *
proxy_userinfo (const char  *proxy,
                char       **password)
{
  g_autoptr (GUri) uri = proxy != NULL ? g_uri_parse (proxy, G_URI_FLAGS_HAS_PASSWORD, NULL) : NULL;

  if (password != NULL)
    *password = uri != NULL ? g_strdup (g_uri_get_password (uri)) : NULL;
  return uri != NULL ? g_strdup (g_uri_get_user (uri)) : NULL;
}

static gboolean
proxy_has_password (const char *proxy)
{
  g_autofree char *password = NULL;
  g_autofree char *user = proxy_userinfo (proxy, &password);

  return password != NULL;
}

/* @proxy with @password as its user's, or with none. */
static char *
proxy_with_password (const char *proxy,
                     const char *password)
{
  g_autoptr (GUri) uri = g_uri_parse (proxy, G_URI_FLAGS_HAS_PASSWORD, NULL);

  if (uri == NULL)
    return g_strdup (proxy);
  return g_uri_join_with_user (G_URI_FLAGS_HAS_PASSWORD, g_uri_get_scheme (uri), g_uri_get_user (uri),
                               g_uri_get_user (uri) != NULL ? password : NULL, g_uri_get_auth_params (uri),
                               g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                               g_uri_get_query (uri), g_uri_get_fragment (uri));
}

/* The name of a "Name: value" header, trimmed, or NULL. */
static char *
header_name (const char *header)
{
  const char *colon = strchr (header, ':');
  char *name;

  if (colon == NULL)
    return NULL;
  name = g_strndup (header, colon - header);
  return g_strstrip (name);
}

/**
 * trawl_job_header_is_named:
 * @header: a request header, "Name: value"
 * @name: a header name
 *
 * Returns: whether @header is a @name header, in any case.
 */
gboolean
trawl_job_header_is_named (const char *header,
                           const char *name)
{
  g_autofree char *have = header_name (header);

  return have != NULL && g_ascii_strcasecmp (have, name) == 0;
}

/**
 * trawl_job_is_secret_header:
 * @header: a request header, "Name: value"
 *
 * Returns: whether the header's value is a secret that Trawl keeps in the
 *   keyring: a Cookie, Authorization or Proxy-Authorization header.
 */
gboolean
trawl_job_is_secret_header (const char *header)
{
  g_return_val_if_fail (header != NULL, FALSE);

  for (guint i = 0; secret_header_names[i]; i++)
    if (trawl_job_header_is_named (header, secret_header_names[i]))
      return TRUE;
  return FALSE;
}

/**
 * trawl_job_header_secret_id:
 * @header: a request header, "Name: value"
 *
 * Returns: (nullable): the id of the keyring item that holds the header's
 *   value, when the value is written "secret:ID", pointing into @header.
 */
const char *
trawl_job_header_secret_id (const char *header)
{
  const char *value;

  g_return_val_if_fail (header != NULL, NULL);

  value = strchr (header, ':');
  if (value == NULL)
    return NULL;
  value++;
  while (g_ascii_isspace (*value))
    value++;
  if (!g_str_has_prefix (value, SECRET_PREFIX) || value[strlen (SECRET_PREFIX)] == '\0')
    return NULL;
  return value + strlen (SECRET_PREFIX);
}

static gboolean
is_plain_secret_header (const char *header)
{
  return trawl_job_is_secret_header (header) && trawl_job_header_secret_id (header) == NULL;
}

/**
 * trawl_job_describe_secret:
 * @setting: "auth_password" or a header's name
 *
 * Returns: (transfer full): the secret as a sentence names it: "The
 *   password", "The Cookie header", translated.
 */
char *
trawl_job_describe_secret (const char *setting)
{
  if (g_strcmp0 (setting, "auth_password") == 0)
    return g_strdup (_("The password"));
  if (g_strcmp0 (setting, "proxy_password") == 0)
    return g_strdup (_("The proxy password"));
  /* Translators: %s is the name of an HTTP header, such as Cookie. */
  return g_strdup_printf (_("The %s header"), setting);
}

static void
secret_ref_clear (gpointer data)
{
  TrawlSecretRef *ref = data;

  g_free ((char *) ref->setting);
  g_free ((char *) ref->id);
}

/**
 * trawl_job_list_secret_refs:
 * @job: a job
 * @missing_only: list only the secrets whose values are not known yet
 *
 * Lists the keyring items the job's settings refer to.  A password given
 * in plain text wins over its reference, which is then not listed.
 *
 * Returns: (transfer full) (element-type TrawlSecretRef): the references.
 */
GArray *
trawl_job_list_secret_refs (const TrawlJob *job,
                            gboolean        missing_only)
{
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (TrawlSecretRef));

  g_return_val_if_fail (job != NULL, refs);
  g_array_set_clear_func (refs, secret_ref_clear);

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      const Password *p = &passwords[i];

      if (PASSWORD_FIELD (job, p, plain) == NULL && PASSWORD_FIELD (job, p, secret) != NULL &&
          (p != &passwords[PROXY_PASSWORD] || !proxy_has_password (job->proxy)))
        {
          TrawlSecretRef ref = { g_strdup (p->setting), g_strdup (PASSWORD_FIELD (job, p, secret)) };

          g_array_append_val (refs, ref);
        }
    }
  for (guint i = 0; job->headers && job->headers[i]; i++)
    {
      const char *id = trawl_job_header_secret_id (job->headers[i]);
      TrawlSecretRef ref;

      if (id == NULL)
        continue;
      ref.setting = header_name (job->headers[i]);
      ref.id = g_strdup (id);
      g_array_append_val (refs, ref);
    }

  if (missing_only)
    for (guint i = refs->len; i-- > 0;)
      if (job->secrets != NULL && g_hash_table_contains (job->secrets, g_array_index (refs, TrawlSecretRef, i).id))
        g_array_remove_index (refs, i);

  return refs;
}

/**
 * trawl_job_set_secret:
 * @job: a job
 * @id: the id of a keyring item
 * @value: its value
 *
 * Records the value of a keyring item that @job refers to.
 */
void
trawl_job_set_secret (TrawlJob   *job,
                      const char *id,
                      const char *value)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (id != NULL && value != NULL);

  if (job->secrets == NULL)
    job->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (job->secrets, g_strdup (id), g_strdup (value));
}

static const char *
secret_value (const TrawlJob *job,
              const char     *id)
{
  return job->secrets != NULL ? g_hash_table_lookup (job->secrets, id) : NULL;
}

static const Password *
find_password (const char *setting)
{
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    if (g_str_equal (passwords[i].setting, setting))
      return &passwords[i];
  return NULL;
}

/* A password given in plain text, else its keyring item's value. */
static const char *
password_value (const TrawlJob *job,
                const Password *p)
{
  if (PASSWORD_FIELD (job, p, plain) != NULL)
    return PASSWORD_FIELD (job, p, plain);
  if (PASSWORD_FIELD (job, p, secret) != NULL)
    return secret_value (job, PASSWORD_FIELD (job, p, secret));
  return NULL;
}

/**
 * trawl_job_get_auth_password:
 * @job: a job
 *
 * Returns: (nullable): the password to send: the one given in plain text,
 *   else the value of its keyring item, when it was looked up.
 */
const char *
trawl_job_get_auth_password (const TrawlJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  return password_value (job, &passwords[AUTH_PASSWORD]);
}

/**
 * trawl_job_get_proxy_password:
 * @job: a job
 *
 * Returns: (nullable): the proxy user's password as proxy_password gives
 *   it, else the value of its keyring item, when it was looked up; not
 *   one written in the proxy URL itself.
 */
const char *
trawl_job_get_proxy_password (const TrawlJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  return password_value (job, &passwords[PROXY_PASSWORD]);
}

/**
 * trawl_job_dup_proxy_url:
 * @job: a job
 *
 * Returns: (transfer full) (nullable): the proxy to connect through, with
 *   its user's password when one is known, or %NULL for none.
 */
char *
trawl_job_dup_proxy_url (const TrawlJob *job)
{
  const char *password;

  g_return_val_if_fail (job != NULL, NULL);

  if (job->proxy == NULL)
    return NULL;
  password = trawl_job_get_proxy_password (job);
  return password != NULL ? proxy_with_password (job->proxy, password) : g_strdup (job->proxy);
}

/**
 * trawl_job_take_proxy_password:
 * @job: a job
 *
 * Moves a password written in the proxy URL ("http://user:password@host")
 * to proxy_password, unless that is set already, and leaves the URL with
 * the user alone: the password is then kept, or left out, as the other
 * passwords are.
 */
void
trawl_job_take_proxy_password (TrawlJob *job)
{
  g_autofree char *password = NULL;
  g_autofree char *user = NULL;
  char *without;

  g_return_if_fail (job != NULL);

  user = proxy_userinfo (job->proxy, &password);
  if (password == NULL)
    return;
  without = proxy_with_password (job->proxy, NULL);
  g_free (job->proxy);
  job->proxy = without;
  if (job->proxy_password == NULL)
    job->proxy_password = g_steal_pointer (&password);
}

/**
 * trawl_job_resolve_header:
 * @job: a job
 * @header: one of its request headers
 *
 * Returns: (transfer full) (nullable): @header as it is sent, with the
 *   value of its keyring item, or %NULL when that value is not known.
 */
char *
trawl_job_resolve_header (const TrawlJob *job,
                          const char     *header)
{
  const char *id;
  const char *value;
  g_autofree char *name = NULL;

  g_return_val_if_fail (job != NULL && header != NULL, NULL);

  id = trawl_job_header_secret_id (header);
  if (id == NULL)
    return g_strdup (header);
  value = secret_value (job, id);
  if (value == NULL)
    return NULL;
  name = header_name (header);
  return g_strdup_printf ("%s: %s", name, value);
}

/**
 * trawl_job_dup_request_headers:
 * @job: a job
 *
 * Returns: (transfer full): the headers to send, "Name: value", with the
 *   values of their keyring items.  A reference whose value is not known
 *   is left out: it is never sent as it is written.
 */
GStrv
trawl_job_dup_request_headers (const TrawlJob *job)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (job != NULL, NULL);

  for (guint i = 0; job->headers && job->headers[i]; i++)
    {
      g_autofree char *header = trawl_job_resolve_header (job, job->headers[i]);

      if (header != NULL)
        g_strv_builder_add (builder, header);
    }
  return g_strv_builder_end (builder);
}

static gboolean
has_plain_header (const TrawlJob *job,
                  const char     *name)
{
  for (guint i = 0; job->headers && job->headers[i]; i++)
    if (trawl_job_header_is_named (job->headers[i], name) && trawl_job_header_secret_id (job->headers[i]) == NULL)
      return TRUE;
  return FALSE;
}

static void
strv_add (char       ***strv,
          const char   *text)
{
  if (*strv == NULL || !g_strv_contains ((const char *const *) *strv, text))
    strv_append (strv, text);
}

/**
 * trawl_job_has_plain_secrets:
 * @job: a job
 *
 * Returns: whether @job holds a password or the value of a Cookie,
 *   Authorization or Proxy-Authorization header in plain text.
 */
gboolean
trawl_job_has_plain_secrets (const TrawlJob *job)
{
  g_return_val_if_fail (job != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    if (PASSWORD_FIELD (job, &passwords[i], plain) != NULL)
      return TRUE;
  if (proxy_has_password (job->proxy))
    return TRUE;
  for (guint i = 0; job->headers && job->headers[i]; i++)
    if (is_plain_secret_header (job->headers[i]))
      return TRUE;
  return FALSE;
}

/**
 * trawl_job_add_secrets_from:
 * @job: a job, such as one read from a crawl file
 * @from: what is known of its secrets
 *
 * Takes from @from the values of the keyring items @job refers to, and
 * the plain-text password and secret headers that @job's crawl file
 * withheld.
 */
void
trawl_job_add_secrets_from (TrawlJob       *job,
                            const TrawlJob *from)
{
  g_autoptr (GArray) refs = NULL;

  g_return_if_fail (job != NULL);
  g_return_if_fail (from != NULL);

  refs = trawl_job_list_secret_refs (job, TRUE);
  for (guint i = 0; i < refs->len; i++)
    {
      const char *id = g_array_index (refs, TrawlSecretRef, i).id;
      const char *value = secret_value (from, id);

      if (value != NULL)
        trawl_job_set_secret (job, id, value);
    }

  for (guint i = 0; job->withheld && job->withheld[i]; i++)
    {
      const char *setting = job->withheld[i];
      const Password *p = find_password (setting);

      if (p != NULL)
        {
          if (PASSWORD_FIELD (job, p, plain) == NULL && PASSWORD_FIELD (from, p, plain) != NULL)
            PASSWORD_FIELD (job, p, plain) = g_strdup (PASSWORD_FIELD (from, p, plain));
          continue;
        }
      if (has_plain_header (job, setting))
        continue;
      for (guint j = 0; from->headers && from->headers[j]; j++)
        if (trawl_job_header_is_named (from->headers[j], setting) && trawl_job_header_secret_id (from->headers[j]) == NULL)
          strv_add (&job->headers, from->headers[j]);
    }
}

/**
 * trawl_job_check_secrets:
 * @job: a job about to be crawled
 * @error: return location for a #GError
 *
 * Checks that every secret of @job is known: the keyring items it refers
 * to were looked up, and what its crawl file withheld was given again.
 *
 * Returns: %TRUE when the crawl has every secret it needs.
 */
gboolean
trawl_job_check_secrets (const TrawlJob  *job,
                         GError         **error)
{
  g_autoptr (GArray) missing = NULL;

  g_return_val_if_fail (job != NULL, FALSE);

  missing = trawl_job_list_secret_refs (job, TRUE);
  if (missing->len > 0)
    {
      g_autofree char *what = trawl_job_describe_secret (g_array_index (missing, TrawlSecretRef, 0).setting);

      g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_SECRET,
                   /* Translators: %s is “The password” or “The … header”. */
                   _("%s for this job is kept in the keyring, and was not read from it"), what);
      return FALSE;
    }

  for (guint i = 0; job->withheld && job->withheld[i]; i++)
    {
      const char *setting = job->withheld[i];
      const Password *p = find_password (setting);

      if (p == &passwords[AUTH_PASSWORD] && job->auth_password == NULL)
        {
          g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_SECRET,
                               _("The password for this crawl was given in plain text, which the crawl file "
                                 "does not keep: give it again with --auth-password PASSWORD"));
          return FALSE;
        }
      if (p == &passwords[PROXY_PASSWORD] && job->proxy_password == NULL)
        {
          g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_SECRET,
                               _("The proxy password for this crawl was given in plain text, which the crawl file "
                                 "does not keep: give it again with --proxy-password PASSWORD"));
          return FALSE;
        }
      if (p == NULL && !has_plain_header (job, setting))
        {
          g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_SECRET,
                       /* Translators: both %s are the name of an HTTP header, such as Cookie. */
                       _("The %s header for this crawl was given in plain text, which the crawl file "
                         "does not keep: give it again with --header '%s: VALUE'"), setting, setting);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * trawl_job_to_crawl_data:
 * @job: a job
 *
 * The copy of the job that a crawl file keeps.  References to keyring
 * items are kept; a password or secret header given in plain text is left
 * out and named under "withheld", so that the crawl file, which people
 * share and export, never holds a secret.
 *
 * Returns: (transfer full): the text of a job file.
 */
char *
trawl_job_to_crawl_data (const TrawlJob *job)
{
  g_autoptr (TrawlJob) sealed = NULL;
  g_autoptr (GStrvBuilder) headers = g_strv_builder_new ();

  g_return_val_if_fail (job != NULL, NULL);

  sealed = trawl_job_copy (job);
  trawl_job_take_proxy_password (sealed);
  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    if (PASSWORD_FIELD (sealed, &passwords[i], plain) != NULL)
      {
        g_clear_pointer (&PASSWORD_FIELD (sealed, &passwords[i], plain), g_free);
        strv_add (&sealed->withheld, passwords[i].setting);
      }
  for (guint i = 0; job->headers && job->headers[i]; i++)
    {
      if (is_plain_secret_header (job->headers[i]))
        {
          g_autofree char *name = header_name (job->headers[i]);

          strv_add (&sealed->withheld, name);
        }
      else
        g_strv_builder_add (headers, job->headers[i]);
    }
  g_strfreev (sealed->headers);
  sealed->headers = g_strv_builder_end (headers);

  return trawl_job_to_data (sealed);
}
