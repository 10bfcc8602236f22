/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-audit.c — a site audit of a crawl file: the checks and their SQL.
 *
 * Every check is a row of the table below: a count and a paged list, both
 * plain SQL over the crawl file's documented schema (docs/schema.md).  The
 * audit reads through its own read-only connection, so it works on a crawl
 * that is still being written (WAL) as well as on a reopened file, and it
 * runs in a worker thread: over a million pages a pass takes seconds.
 */
#define G_LOG_DOMAIN "trawl-audit"

#include "config.h"

#include "trawl-audit.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sqlite3.h>

#include "trawl-store.h"
#include "trawl-thread.h"
#include <string.h>

/* Pages a person reads: HTML that arrived.  Titles, descriptions and
 * headings only matter for these. */
#define HTML_PAGE "p.status = 200 AND p.content_type IN ('text/html', 'application/xhtml+xml')"

/* A URL is broken when asking for it gave an error or no answer. */
#define BROKEN "(p.status >= 400 OR p.status = 0)"

/* A few of the pages that link to the URL of page p (joined as u), and
 * how many there are in all; needs the links_to index to be quick. */
#define LINKING_SHOWN 3
#define LINKING_PAGES                                                        \
  "(SELECT group_concat(url, ', ') FROM (SELECT DISTINCT f.url AS url "      \
  "   FROM links l JOIN urls f ON f.id = l.from_id "                          \
  "   WHERE l.to_fingerprint = u.fingerprint ORDER BY f.id "                  \
  "   LIMIT " G_STRINGIFY (LINKING_SHOWN) ")), "                              \
  "(SELECT count(DISTINCT l.from_id) FROM links l WHERE l.to_fingerprint = u.fingerprint)"

#define DUPLICATES_OF(column)                                                 \
  "(SELECT p." column " AS value, count(*) AS n FROM pages p "                \
  "  WHERE " HTML_PAGE " AND p." column " != '' "                             \
  "  GROUP BY p." column " HAVING count(*) > 1) d"

static const TrawlAuditCheck checks[] = {
  {
    "broken-links",
    N_("Broken Links"),
    N_("Links to these URLs end in an error or in no answer at all. People who follow them "
       "reach a dead end, and search engines spend their visit on pages that do not exist."),
    TRAWL_AUDIT_ERROR,
    N_("Status"), N_("Linked From"),
    "SELECT count(*) FROM pages p WHERE " BROKEN,
    "SELECT p.id, p.url, CASE WHEN p.status = 0 THEN coalesce(p.error, 'No response') ELSE p.status END, NULL "
    "FROM pages p WHERE " BROKEN " ORDER BY p.id LIMIT ?1 OFFSET ?2",
    "SELECT p.id, p.url, CASE WHEN p.status = 0 THEN coalesce(p.error, 'No response') ELSE p.status END, "
    LINKING_PAGES " "
    "FROM pages p JOIN urls u ON u.id = p.id WHERE " BROKEN " ORDER BY p.id LIMIT ?1 OFFSET ?2",
  },
  {
    "redirect-chains",
    N_("Redirects"),
    N_("These URLs send visitors elsewhere, some through several hops or round in a loop. "
       "Every hop is another request before the page appears: link to where the chain ends."),
    TRAWL_AUDIT_WARNING,
    N_("Hops"), N_("Ends At"),
    "SELECT count(*) FROM pages p WHERE p.redirects > 0",
    "SELECT p.id, p.url, p.redirects, coalesce(p.error, p.final_url) "
    "FROM pages p WHERE p.redirects > 0 ORDER BY p.redirects DESC, p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "missing-titles",
    N_("Missing Titles"),
    N_("These pages have no title. The title names the page in search results, tabs and "
       "bookmarks; without one, people cannot tell what the page is before they open it."),
    TRAWL_AUDIT_ERROR,
    N_("Heading"), NULL,
    "SELECT count(*) FROM pages p WHERE " HTML_PAGE " AND coalesce(p.title, '') = ''",
    "SELECT p.id, p.url, p.h1, NULL FROM pages p "
    "WHERE " HTML_PAGE " AND coalesce(p.title, '') = '' ORDER BY p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "duplicate-titles",
    N_("Duplicate Titles"),
    N_("These pages share their title with another page. In search results they look the "
       "same, and search engines may show only one of them."),
    TRAWL_AUDIT_WARNING,
    N_("Title"), N_("Pages With It"),
    "SELECT count(*) FROM pages p JOIN " DUPLICATES_OF ("title") " ON d.value = p.title "
    "WHERE " HTML_PAGE,
    "SELECT p.id, p.url, p.title, d.n FROM pages p JOIN " DUPLICATES_OF ("title") " ON d.value = p.title "
    "WHERE " HTML_PAGE " ORDER BY p.title, p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "missing-descriptions",
    N_("Missing Descriptions"),
    N_("These pages have no meta description. Search engines then make up the text under "
       "the title from whatever they find on the page."),
    TRAWL_AUDIT_WARNING,
    N_("Title"), NULL,
    "SELECT count(*) FROM pages p WHERE " HTML_PAGE " AND coalesce(p.description, '') = ''",
    "SELECT p.id, p.url, p.title, NULL FROM pages p "
    "WHERE " HTML_PAGE " AND coalesce(p.description, '') = '' ORDER BY p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "duplicate-descriptions",
    N_("Duplicate Descriptions"),
    N_("These pages share their meta description with another page, so their entries in "
       "search results read the same."),
    TRAWL_AUDIT_WARNING,
    N_("Description"), N_("Pages With It"),
    "SELECT count(*) FROM pages p JOIN " DUPLICATES_OF ("description") " ON d.value = p.description "
    "WHERE " HTML_PAGE,
    "SELECT p.id, p.url, p.description, d.n FROM pages p "
    "JOIN " DUPLICATES_OF ("description") " ON d.value = p.description "
    "WHERE " HTML_PAGE " ORDER BY p.description, p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "missing-h1",
    N_("Missing Headings"),
    N_("These pages have no h1 heading. The main heading tells readers, screen readers and "
       "search engines what the page is about."),
    TRAWL_AUDIT_WARNING,
    N_("Title"), NULL,
    "SELECT count(*) FROM pages p WHERE " HTML_PAGE " AND coalesce(p.h1, '') = ''",
    "SELECT p.id, p.url, p.title, NULL FROM pages p "
    "WHERE " HTML_PAGE " AND coalesce(p.h1, '') = '' ORDER BY p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "slow-pages",
    N_("Slow Pages"),
    N_("These pages took more than a second to arrive. People leave slow pages, and search "
       "engines crawl slow sites less."),
    TRAWL_AUDIT_WARNING,
    N_("Time"), NULL,
    "SELECT count(*) FROM pages p WHERE p.status > 0 AND p.fetch_ms > " G_STRINGIFY (TRAWL_AUDIT_SLOW_MS),
    "SELECT p.id, p.url, p.fetch_ms || ' ms', NULL FROM pages p "
    "WHERE p.status > 0 AND p.fetch_ms > " G_STRINGIFY (TRAWL_AUDIT_SLOW_MS) " "
    "ORDER BY p.fetch_ms DESC, p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "large-pages",
    N_("Large Pages"),
    N_("These pages are larger than 1 MB. They are slow to load on a phone or a poor "
       "connection, and they cost visitors data."),
    TRAWL_AUDIT_NOTICE,
    N_("Size"), N_("Type"),
    "SELECT count(*) FROM pages p WHERE p.bytes > " G_STRINGIFY (TRAWL_AUDIT_LARGE_BYTES),
    "SELECT p.id, p.url, printf('%.1f MB', p.bytes / 1e6), p.content_type FROM pages p "
    "WHERE p.bytes > " G_STRINGIFY (TRAWL_AUDIT_LARGE_BYTES) " ORDER BY p.bytes DESC, p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "blocked-by-robots",
    N_("Blocked by robots.txt"),
    N_("The site’s robots.txt asks crawlers not to fetch these URLs, yet its own pages link "
       "to them. Search engines will not read them either."),
    TRAWL_AUDIT_NOTICE,
    N_("Found On"), NULL,
    "SELECT count(*) FROM urls u WHERE u.state = 3 AND u.reason = 'robots'",
    "SELECT u.id, u.url, (SELECT f.url FROM urls f WHERE f.id = u.parent_id), NULL FROM urls u "
    "WHERE u.state = 3 AND u.reason = 'robots' ORDER BY u.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "non-indexable",
    N_("Not Indexable"),
    N_("Search engines will not list these URLs: they ask not to be indexed (meta robots or "
       "X-Robots-Tag), or they do not answer with the page itself (a redirect, an error)."),
    TRAWL_AUDIT_WARNING,
    N_("Why"), NULL,
    "SELECT count(*) FROM pages p WHERE p.status != 200 OR p.noindex",
    "SELECT p.id, p.url, CASE "
    "  WHEN p.status = 0 THEN coalesce(p.error, 'No response') "
    "  WHEN p.status != 200 THEN p.status "
    "  WHEN p.x_robots_tag LIKE '%noindex%' OR p.x_robots_tag LIKE '%none%' THEN 'X-Robots-Tag: ' || p.x_robots_tag "
    "  ELSE 'meta robots: ' || p.meta_robots END, NULL "
    "FROM pages p WHERE p.status != 200 OR p.noindex ORDER BY p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
  {
    "canonicalised",
    N_("Canonicalised"),
    N_("These pages name another URL as their canonical version, so search engines list "
       "that one instead. Links should point to the canonical URL."),
    TRAWL_AUDIT_NOTICE,
    N_("Canonical URL"), NULL,
    "SELECT count(*) FROM pages p WHERE " HTML_PAGE " AND p.canonical IS NOT NULL "
    "AND p.canonical != p.url AND p.canonical != coalesce(p.final_url, p.url)",
    "SELECT p.id, p.url, p.canonical, NULL FROM pages p "
    "WHERE " HTML_PAGE " AND p.canonical IS NOT NULL "
    "AND p.canonical != p.url AND p.canonical != coalesce(p.final_url, p.url) "
    "ORDER BY p.id LIMIT ?1 OFFSET ?2",
    NULL,
  },
};

/**
 * trawl_audit_get_n_checks:
 *
 * Returns: how many checks the audit makes
 */
guint
trawl_audit_get_n_checks (void)
{
  return G_N_ELEMENTS (checks);
}

/**
 * trawl_audit_get_check:
 * @index: a check's index, below trawl_audit_get_n_checks()
 *
 * Returns: (transfer none): the check
 */
const TrawlAuditCheck *
trawl_audit_get_check (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (checks), NULL);

  return &checks[index];
}

/**
 * trawl_audit_find_check:
 * @id: a check's id, such as "broken-links"
 *
 * Returns: the index of the check, or -1 when there is none by that id
 */
int
trawl_audit_find_check (const char *id)
{
  g_return_val_if_fail (id != NULL, -1);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    if (g_str_equal (checks[i].id, id))
      return (int) i;
  return -1;
}

static gboolean
set_error (GError    **error,
           sqlite3    *db,
           const char *path)
{
  return trawl_store_set_read_error (error, db, path);
}

static sqlite3 *
open_db (const char  *path,
         GError     **error)
{
  sqlite3 *db = NULL;

  if (trawl_store_open_db (path, &db, SQLITE_OPEN_READONLY) != SQLITE_OK)
    {
      set_error (error, db, path);
      sqlite3_close (db);
      return NULL;
    }
  /* The crawl's writer commits in short transactions; wait them out. */
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/**
 * trawl_audit_count:
 * @path: a crawl file
 * @error: return location for a #GError
 *
 * Counts what every check finds, in one read transaction so the counts
 * agree with each other even while the crawl goes on.  This may take
 * seconds on a large crawl: call it from a worker thread, or use
 * trawl_audit_count_async().
 *
 * Returns: (transfer full) (array length=trawl_audit_get_n_checks()):
 *   the counts, in the order of the checks, or %NULL on error
 */
gint64 *
trawl_audit_count (const char  *path,
                   GError     **error)
{
  g_autofree gint64 *counts = g_new0 (gint64, G_N_ELEMENTS (checks));
  sqlite3 *db;
  gboolean ok = TRUE;

  g_return_val_if_fail (path != NULL, NULL);

  if ((db = open_db (path, error)) == NULL)
    return NULL;

  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    ok = set_error (error, db, path);

  for (guint i = 0; ok && i < G_N_ELEMENTS (checks); i++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (db, checks[i].count_sql, -1, &stmt, NULL) != SQLITE_OK)
        ok = set_error (error, db, path);
      else if (sqlite3_step (stmt) != SQLITE_ROW)
        ok = set_error (error, db, path);
      else
        counts[i] = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }

  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);

  return ok ? g_steal_pointer (&counts) : NULL;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  gint64 *counts;

  trawl_thread_lower_priority ();
  counts = trawl_audit_count (task_data, &error);

  if (counts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, counts, g_free);
}

/**
 * trawl_audit_count_async:
 * @path: a crawl file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context when the counts are in
 * @user_data: data for @callback
 *
 * Runs trawl_audit_count() in a worker thread.
 */
void
trawl_audit_count_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_audit_count_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, count_thread);
}

/**
 * trawl_audit_count_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the counts, as from trawl_audit_count()
 */
gint64 *
trawl_audit_count_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * trawl_audit_list:
 * @path: a crawl file
 * @check: the index of a check
 * @offset: how many rows to skip
 * @limit: how many rows to return at most
 * @links_listed: (out) (optional): set to whether the rows list the pages
 *   that link to them, for checks that can (see #TrawlAuditCheck)
 * @error: return location for a #GError
 *
 * Lists a page of what @check finds.  Call it from a worker thread, or use
 * trawl_audit_list_async().
 *
 * Returns: (transfer container) (element-type TrawlAuditRow): the rows, or
 *   %NULL on error
 */
GPtrArray *
trawl_audit_list (const char  *path,
                  guint        check,
                  guint        offset,
                  guint        limit,
                  gboolean    *links_listed,
                  GError     **error)
{
  g_autoptr (GPtrArray) rows = NULL;
  const TrawlAuditCheck *c;
  const char *sql;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  gboolean linked;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (check < G_N_ELEMENTS (checks), NULL);

  c = &checks[check];
  if ((db = open_db (path, error)) == NULL)
    return NULL;

  linked = c->linked_list_sql != NULL && trawl_store_has_links_index (db);
  sql = linked ? c->linked_list_sql : c->list_sql;
  if (links_listed != NULL)
    *links_listed = linked;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_error (error, db, path);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *detail = column_text (stmt, 2);
      g_autofree char *extra = column_text (stmt, 3);

      /* The extra lists a few items of a longer list: say how many more. */
      if (extra != NULL && sqlite3_column_count (stmt) > 4)
        {
          gint64 total = sqlite3_column_int64 (stmt, 4);
          gint64 shown = MIN (total, LINKING_SHOWN);

          if (total > shown)
            {
              char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %" PRId64 " more page",
                                                         "%s and %" PRId64 " more pages",
                                                         total - shown),
                                            extra, total - shown);

              g_free (extra);
              extra = more;
            }
        }

      g_ptr_array_add (rows, trawl_audit_row_new (sqlite3_column_int64 (stmt, 0),
                                                  (const char *) sqlite3_column_text (stmt, 1),
                                                  detail, extra));
    }
  if (rc != SQLITE_DONE)
    {
      set_error (error, db, path);
      g_clear_pointer (&rows, g_ptr_array_unref);
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_steal_pointer (&rows);
}

typedef struct {
  char     *path;
  guint     check;
  guint     offset;
  guint     limit;
  gboolean  links_listed;
} ListData;

static void
list_data_free (ListData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ListData *data = task_data;
  GError *error = NULL;
  GPtrArray *rows;

  trawl_thread_lower_priority ();
  rows = trawl_audit_list (data->path, data->check, data->offset, data->limit,
                           &data->links_listed, &error);

  if (rows == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * trawl_audit_list_async:
 * @path: a crawl file
 * @check: the index of a check
 * @offset: how many rows to skip
 * @limit: how many rows to return at most
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context when the rows are in
 * @user_data: data for @callback
 *
 * Runs trawl_audit_list() in a worker thread.
 */
void
trawl_audit_list_async (const char          *path,
                        guint                check,
                        guint                offset,
                        guint                limit,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  ListData *data;

  g_return_if_fail (path != NULL);
  g_return_if_fail (check < G_N_ELEMENTS (checks));

  data = g_new0 (ListData, 1);
  data->path = g_strdup (path);
  data->check = check;
  data->offset = offset;
  data->limit = limit;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_audit_list_async);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_thread);
}

/**
 * trawl_audit_list_finish:
 * @result: the result given to the callback
 * @links_listed: (out) (optional): as for trawl_audit_list()
 * @error: return location for a #GError
 *
 * Returns: (transfer container) (element-type TrawlAuditRow): the rows
 */
GPtrArray *
trawl_audit_list_finish (GAsyncResult  *result,
                         gboolean      *links_listed,
                         GError       **error)
{
  ListData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (links_listed != NULL)
    *links_listed = data->links_listed;
  return g_task_propagate_pointer (G_TASK (result), error);
}
