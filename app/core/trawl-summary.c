/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-summary.c — what a crawl file holds, in numbers.
 *
 * The summary is a JSON object so that `trawl-cli stats --json` and the
 * end of `trawl-cli crawl --json` print the same thing, and scripts can
 * rely on its keys (documented in docs/cli.md).
 */
#define G_LOG_DOMAIN "trawl-summary"

#include "config.h"

#include "trawl-summary.h"
#include "trawl-engine.h"
#include "trawl-page-row.h"
#include "trawl-store.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>
#include <sqlite3.h>

/* The file being summed up, and the first read that failed.  A table a
 * file has not (items, before version 2) counts 0; a read that fails
 * means the file is damaged, and the summary would be wrong. */
typedef struct {
  sqlite3    *db;
  const char *path;
  GError     *error;
} Reader;

static void
check_step (Reader *r,
            int     rc)
{
  if (rc != SQLITE_ROW && rc != SQLITE_DONE && r->error == NULL)
    trawl_store_set_read_error (&r->error, r->db, r->path);
}

static void
add_count_rows (JsonBuilder *builder,
                Reader      *r,
                const char  *member,
                const char  *sql)
{
  sqlite3_stmt *stmt = NULL;

  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  if (sqlite3_prepare_v2 (r->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      int rc;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *key = (const char *) sqlite3_column_text (stmt, 0);

          json_builder_set_member_name (builder, key ? key : "none");
          json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 1));
        }
      check_step (r, rc);
    }
  sqlite3_finalize (stmt);
  json_builder_end_object (builder);
}

static gint64
query_int (Reader     *r,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = 0;

  if (sqlite3_prepare_v2 (r->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      int rc = sqlite3_step (stmt);

      if (rc == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
      check_step (r, rc);
    }
  sqlite3_finalize (stmt);
  return value;
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* The fetch time below which a given share of pages finished. */
static gint64
percentile_ms (Reader *r,
               double  share)
{
  g_autofree char *sql = NULL;
  gint64 n = query_int (r, "SELECT count(*) FROM pages WHERE fetch_ms IS NOT NULL");

  if (n == 0)
    return 0;
  /* A number the file gave, not text from a person. */
  sql = g_strdup_printf ("SELECT fetch_ms FROM pages WHERE fetch_ms IS NOT NULL ORDER BY fetch_ms LIMIT 1 OFFSET %"
                         G_GINT64_FORMAT, MIN (n - 1, (gint64) (share * n)));
  return query_int (r, sql);
}

/**
 * trawl_summary_read:
 * @path: a crawl file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the summary of the crawl in @path,
 *   or %NULL with @error set when it is not a readable crawl file.
 */
JsonNode *
trawl_summary_read (const char  *path,
                    GError     **error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_READ, error);
  g_autofree char *state = NULL;
  g_autofree char *created = NULL;
  Reader r = { NULL, path, NULL };

  if (store == NULL)
    return NULL;

  r.db = trawl_store_get_db (store);
  state = trawl_store_get_meta (store, "state");
  created = trawl_store_get_meta (store, "created_at");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, state ? state : "unknown");
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, created);

  add_int (builder, "urls", query_int (&r, "SELECT count(*) FROM urls"));
  add_int (builder, "pages", query_int (&r, "SELECT count(*) FROM pages"));
  add_int (builder, "links", query_int (&r, "SELECT count(*) FROM links"));
  /* 0 too in a file from before extraction, which has no items table. */
  add_int (builder, "items", query_int (&r, "SELECT count(*) FROM items"));
  add_int (builder, "bytes", query_int (&r, "SELECT coalesce(sum(bytes), 0) FROM pages"));
  add_int (builder, "errors", query_int (&r, "SELECT count(*) FROM pages WHERE status = 0 OR status >= 400"));
  add_int (builder, "duration_s", query_int (&r, "SELECT coalesce(max(elapsed), 0) FROM samples"));

  add_count_rows (builder, &r, "states",
                  "SELECT CASE state WHEN 0 THEN 'queued' WHEN 1 THEN 'fetched' WHEN 2 THEN 'failed' "
                  "ELSE 'skipped' END, count(*) FROM urls GROUP BY state ORDER BY state");
  add_count_rows (builder, &r, "status",
                  "SELECT CAST(status AS TEXT), count(*) FROM pages GROUP BY status ORDER BY status");
  add_count_rows (builder, &r, "content_types",
                  "SELECT coalesce(content_type, 'unknown'), count(*) FROM pages "
                  "GROUP BY content_type ORDER BY count(*) DESC LIMIT 20");
  add_count_rows (builder, &r, "skipped",
                  "SELECT reason, count(*) FROM urls WHERE state = 3 GROUP BY reason ORDER BY count(*) DESC");
  add_count_rows (builder, &r, "failed",
                  "SELECT coalesce(error, reason, 'unknown'), count(*) FROM urls LEFT JOIN pages USING (id) "
                  "WHERE urls.state = 2 GROUP BY 1 ORDER BY count(*) DESC LIMIT 20");

  json_builder_set_member_name (builder, "fetch_ms");
  json_builder_begin_object (builder);
  add_int (builder, "mean", query_int (&r, "SELECT coalesce(CAST(avg(fetch_ms) AS INTEGER), 0) FROM pages"));
  add_int (builder, "median", percentile_ms (&r, 0.5));
  add_int (builder, "p95", percentile_ms (&r, 0.95));
  add_int (builder, "max", query_int (&r, "SELECT coalesce(max(fetch_ms), 0) FROM pages"));
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  trawl_store_free (store);
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return json_builder_get_root (builder);
}

/* Most of the summary's keys are codes for scripts ("skipped", "robots");
 * a terminal shows what they mean, in the reader's language.  The keys of
 * "failed" are the errors as the crawl recorded them, in its language. */
/* The crawl's state ("finished"), or under "states" a URL's ("fetched",
 * named as the query above names them). */
static char *
describe_state (const char *member,
                const char *name)
{
  static const char *const url_states[] = { "queued", "fetched", "failed", "skipped" };
  TrawlEngineState state;

  if (g_str_equal (member, "states"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (url_states); i++)
        if (g_str_equal (url_states[i], name))
          return g_strdup (trawl_url_state_get_label ((TrawlUrlState) i));
    }
  else if (trawl_engine_state_from_string (name, &state))
    return g_strdup (trawl_engine_state_get_label (state));
  return g_strdup (name);
}

static char *
describe_key (const char *member,
              const char *key)
{
  if (g_str_equal (key, "unknown") || g_str_equal (key, "none") || key[0] == '\0')
    return g_strdup (_("Unknown"));
  if (g_str_equal (member, "states") || g_str_equal (member, "state"))
    return describe_state (member, key);
  if (g_str_equal (member, "skipped"))
    return trawl_describe_reason (key);
  if (g_str_equal (member, "status") && g_str_equal (key, "0"))
    return g_strdup (_("No response"));
  if (g_str_equal (member, "failed"))
    return trawl_describe_reason (key);
  return g_strdup (key);
}

/**
 * trawl_text_columns:
 * @text: UTF-8 text
 *
 * Returns: the columns a terminal gives @text, where a Chinese character
 *   takes two.
 */
guint
trawl_text_columns (const char *text)
{
  guint columns = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    columns += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return columns;
}

/* Pads @text to @width columns as a terminal shows them. */
static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  g_string_append (out, text);
  for (guint columns = trawl_text_columns (text); columns < width; columns++)
    g_string_append_c (out, ' ');
}

static void
append_counts (GString    *out,
               JsonObject *root,
               const char *member,
               const char *title)
{
  JsonObject *obj = json_object_get_object_member (root, member);
  g_autoptr (GList) keys = obj ? json_object_get_members (obj) : NULL;

  if (keys == NULL)
    return;

  /* Translators: the title of a list of counts. */
  g_string_append_printf (out, _("%s:\n"), title);
  for (GList *l = keys; l; l = l->next)
    {
      g_autofree char *label = describe_key (member, l->data);

      g_string_append (out, "  ");
      append_padded (out, label, 40);
      g_string_append_printf (out, " %8" G_GINT64_FORMAT "\n", json_object_get_int_member (obj, l->data));
    }
}

/* The first (most common) key of the summary's @member, or NULL. */
static const char *
first_key (JsonObject *root,
           const char *member)
{
  JsonObject *counts = json_object_get_object_member (root, member);
  g_autoptr (GList) keys = counts != NULL ? json_object_get_members (counts) : NULL;

  return keys != NULL ? keys->data : NULL;
}

/**
 * trawl_summary_dup_nothing_fetched:
 * @summary: a summary from trawl_summary_read()
 *
 * An unreachable site fails its robots.txt first, so a failure's error
 * is named before a skipped URL's reason.
 *
 * Returns: (transfer full) (nullable): why the crawl fetched no page at
 *   all, as a sentence, or %NULL when it fetched one.
 */
char *
trawl_summary_dup_nothing_fetched (JsonNode *summary)
{
  JsonObject *root = json_node_get_object (summary);
  JsonObject *states = json_object_get_object_member (root, "states");
  const char *error, *reason;

  if (states != NULL && json_object_get_int_member_with_default (states, "fetched", 0) > 0)
    return NULL;
  if ((error = first_key (root, "failed")) != NULL)
    {
      g_autofree char *sentence = trawl_describe_reason (error);

      if (g_str_has_suffix (sentence, "."))
        sentence[strlen (sentence) - 1] = '\0';
      /* Translators: %s is why, such as “The server refused the connection”. */
      return g_strdup_printf (_("No page could be fetched. %s."), sentence);
    }
  if ((reason = first_key (root, "skipped")) != NULL)
    {
      g_autofree char *label = trawl_describe_reason (reason);

      /* Translators: %s is why, such as “Blocked by robots.txt”. */
      return g_strdup_printf (_("No page was fetched: every URL was skipped. %s."), label);
    }
  return g_strdup (_("No page was fetched."));
}

/**
 * trawl_summary_format:
 * @summary: a summary from trawl_summary_read()
 *
 * Returns: (transfer full): the summary as text for a terminal.
 */
char *
trawl_summary_format (JsonNode *summary)
{
  JsonObject *root = json_node_get_object (summary);
  JsonObject *timing = json_object_get_object_member (root, "fetch_ms");
  g_autofree char *size = g_format_size (json_object_get_int_member (root, "bytes"));
  g_autofree char *state = NULL;
  GString *out = g_string_new (NULL);

  state = describe_key ("state", json_object_get_string_member (root, "state"));
  /* Translators: a crawl file and its state, such as “Finished”. */
  g_string_append_printf (out, _("%s — %s\n"), json_object_get_string_member (root, "file"), state);
  /* Translators: counts of a crawl, written as labels so that no plural
   * is needed; %s is its size, such as “1.2 MB”. */
  g_string_append_printf (out, _("URLs: %" PRId64 ", pages fetched: %" PRId64 ", links: %" PRId64 ", size: %s, "
                                 "errors: %" PRId64 "\n"),
                          json_object_get_int_member (root, "urls"),
                          json_object_get_int_member_with_default (json_object_get_object_member (root, "states"),
                                                                   "fetched", 0),
                          json_object_get_int_member (root, "links"), size,
                          json_object_get_int_member (root, "errors"));
  if (json_object_get_int_member (root, "items") > 0)
    g_string_append_printf (out, _("Items extracted: %" PRId64 "\n"), json_object_get_int_member (root, "items"));
  g_string_append_printf (out, _("Fetch time: mean %" PRId64 " ms, median %" PRId64
                                 " ms, 95%% under %" PRId64 " ms, slowest %" PRId64 " ms\n"),
                          json_object_get_int_member (timing, "mean"),
                          json_object_get_int_member (timing, "median"),
                          json_object_get_int_member (timing, "p95"),
                          json_object_get_int_member (timing, "max"));
  append_counts (out, root, "states", _("URLs by state"));
  append_counts (out, root, "status", _("Pages by status"));
  append_counts (out, root, "content_types", _("Content types"));
  append_counts (out, root, "skipped", _("Skipped, by reason"));
  append_counts (out, root, "failed", _("Failed, by error"));

  return g_string_free (out, FALSE);
}
