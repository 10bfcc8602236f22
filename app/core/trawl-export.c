/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-export.c — a crawl's pages or links, streamed out in a format.
 *
 * Rows are read from the crawl file in the order they were found and
 * written as they come, some 60 KB at a time, so memory stays flat for
 * any size of crawl.  Every text goes out as valid UTF-8 (bytes that are
 * not become U+FFFD).  CSV follows RFC 4180 (a header row, CRLF, quotes
 * doubled inside quoted cells) and, unless asked not to, guards formula
 * prefixes; JSON is one array of objects, JSON Lines one object a line;
 * XML 1.0 writes a missing value as a missing element and characters
 * XML cannot carry as U+FFFD.  WARC (trawl-warc.c) writes the stored
 * responses, a page at a time.
 */
#define G_LOG_DOMAIN "trawl-export"

#include "config.h"

#include "trawl-export.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "trawl-extract.h"
#include "trawl-job.h"
#include "trawl-gzip.h"
#include "trawl-json.h"
#include "trawl-store.h"
#include "trawl-warc.h"

#define PROGRESS_EVERY 4096

/* What an export reads: how many rows, the rows in the order the crawl
 * found them, and, for pages, the row of one page id (?1), which the rows
 * a view shows are read with, in its order. */
typedef struct {
  const char *count_sql;
  const char *rows_sql;
  const char *one_sql;     /* nullable */
} Rows;

typedef struct {
  const char *name;        /* the CSV header, JSON key and XML element */
  const char *container;   /* XML: the root element */
  const char *element;     /* XML: one row */
  Rows        rows;
} Table;

#define PAGES_SQL \
  "SELECT u.url, " \
  "       CASE u.state WHEN 1 THEN 'fetched' WHEN 2 THEN 'failed' WHEN 3 THEN 'skipped' END AS state, " \
  "       u.reason, u.depth, p.status, p.content_type, p.bytes AS size, p.title, " \
  "       p.description, p.h1, p.canonical, p.meta_robots, p.x_robots_tag, p.noindex, " \
  "       p.word_count, p.fetch_ms, p.ttfb_ms, p.redirects, p.final_url, p.outlinks, " \
  "       p.error, strftime ('%Y-%m-%dT%H:%M:%SZ', p.fetched_at, 'unixepoch') AS fetched_at " \
  "FROM urls u LEFT JOIN pages p ON p.id = u.id WHERE u.state <> 0 "

static const Table tables[] = {
  [TRAWL_EXPORT_PAGES] = {
    "pages", "pages", "page", {
      "SELECT count(*) FROM urls WHERE state <> 0",
      PAGES_SQL "ORDER BY u.id",
      PAGES_SQL "AND u.id = ?1",
    },
  },
  [TRAWL_EXPORT_LINKS] = {
    "links", "links", "link", {
      "SELECT count(*) FROM links",
      "SELECT f.url AS from_url, t.url AS to_url, l.kind, l.rel, l.anchor, l.hreflang, l.nofollow "
      "FROM links l JOIN urls f ON f.id = l.from_id JOIN urls t ON t.fingerprint = l.to_fingerprint "
      "ORDER BY l.from_id, l.seq",
      NULL,
    },
  },
  /* Its columns are the page, the record and the job's fields (items_export()). */
  [TRAWL_EXPORT_ITEMS] = {
    "items", "items", "item", {
      "SELECT count(*) FROM items",
      "SELECT u.url, i.record, i.data FROM items i JOIN urls u ON u.id = i.page_id ORDER BY i.page_id, i.seq",
      NULL,
    },
  },
};

static const char *const what_names[] = { "pages", "links", "items" };
static const char *const format_names[] = { "csv", "json", "jsonl", "xml", "sitemap", "trawl", "warc" };

/* What a sitemap lists: pages that answered 200 with HTML, may be
 * indexed, and are their own canonical. */
#define SITEMAP_WHERE \
  "FROM urls u JOIN pages p ON p.id = u.id " \
  "WHERE p.status = 200 AND p.noindex = 0 " \
  "  AND (p.content_type LIKE 'text/html%' OR p.content_type LIKE 'application/xhtml+xml%') " \
  "  AND (p.canonical IS NULL OR p.canonical = '' OR p.canonical = u.url) "
#define SITEMAP_SELECT "SELECT u.url, strftime ('%Y-%m-%dT%H:%M:%SZ', p.fetched_at, 'unixepoch') " SITEMAP_WHERE
static const Rows sitemap_rows = {
  "SELECT count(*) " SITEMAP_WHERE, SITEMAP_SELECT "ORDER BY u.id", SITEMAP_SELECT "AND u.id = ?1",
};
#define SITEMAP_NS "http://www.sitemaps.org/schemas/sitemap/0.9"

/* The position of @text among @n @names, ignoring case, or -1. */
static int
name_index (const char *const *names,
            guint              n,
            const char        *text)
{
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (text, names[i]) == 0)
      return (int) i;
  return -1;
}

gboolean
trawl_export_what_from_string (const char      *text,
                               TrawlExportWhat *what)
{
  int i = name_index (what_names, G_N_ELEMENTS (what_names), text);

  if (i >= 0)
    *what = i;
  return i >= 0;
}

gboolean
trawl_export_format_from_string (const char        *text,
                                 TrawlExportFormat *format)
{
  int i = name_index (format_names, G_N_ELEMENTS (format_names), text);

  if (i >= 0)
    *format = i;
  return i >= 0;
}

/* Whether @path names a gzipped WARC file. */
static gboolean
is_warc_gz (const char *path)
{
  gsize len = strlen (path);

  return len > 8 && g_ascii_strcasecmp (path + len - 8, ".warc.gz") == 0;
}

/**
 * trawl_export_format_from_path:
 * @path: where the export goes
 * @format: (out): the format its extension names
 *
 * Returns: whether the extension (.csv, .json, .jsonl, .xml, .trawl,
 *   .warc, .warc.gz) names one
 */
gboolean
trawl_export_format_from_path (const char        *path,
                               TrawlExportFormat *format)
{
  const char *dot = strrchr (path, '.');

  if (is_warc_gz (path))
    {
      *format = TRAWL_EXPORT_WARC;
      return TRUE;
    }

  /* "sitemap" is a format, not an extension. */
  return dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL &&
         g_ascii_strcasecmp (dot + 1, "sitemap") != 0 &&
         trawl_export_format_from_string (dot + 1, format);
}

/* Text as valid UTF-8, with what XML 1.0 cannot hold replaced if @xml. */
static char *
clean_text (const char *text,
            int         len,
            gboolean    xml)
{
  char *valid = g_utf8_make_valid (text, len);
  GString *out;

  if (!xml)
    return valid;

  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF)
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  g_free (valid);
  return g_string_free (out, FALSE);
}

static void
append_csv_text (GString    *out,
                 const char *text,
                 gboolean    guard)
{
  gboolean formula = guard && text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;

  if (!formula && strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A carriage return is written as a reference: a parser would read a
 * literal one as a line feed. */
static void
append_xml_text (GString    *out,
                 const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  for (const char *p = escaped; *p != '\0'; p++)
    {
      if (*p == '\r')
        g_string_append (out, "&#13;");
      else
        g_string_append_c (out, *p);
    }
}

/* Clean text (see clean_text()) as a value of @format. */
static void
append_text (GString           *out,
             const char        *text,
             TrawlExportFormat  format,
             TrawlExportFlags   flags)
{
  switch (format)
    {
    case TRAWL_EXPORT_CSV:
      append_csv_text (out, text, (flags & TRAWL_EXPORT_CSV_GUARD) != 0);
      break;
    case TRAWL_EXPORT_JSON:
    case TRAWL_EXPORT_JSONL:
      trawl_json_append_string (out, text);
      break;
    case TRAWL_EXPORT_XML:
      append_xml_text (out, text);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* One value of the current row. */
static void
append_value (GString           *out,
              sqlite3_stmt      *stmt,
              int                col,
              TrawlExportFormat  format,
              TrawlExportFlags   flags)
{
  int type = sqlite3_column_type (stmt, col);
  g_autofree char *text = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  if (type == SQLITE_NULL)
    {
      if (format == TRAWL_EXPORT_JSON || format == TRAWL_EXPORT_JSONL)
        g_string_append (out, "null");
      return;
    }
  if (type == SQLITE_INTEGER)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, col));
      return;
    }
  if (type == SQLITE_FLOAT)
    {
      g_string_append (out, g_ascii_dtostr (number, sizeof number, sqlite3_column_double (stmt, col)));
      return;
    }

  text = clean_text ((const char *) sqlite3_column_text (stmt, col), sqlite3_column_bytes (stmt, col),
                     format == TRAWL_EXPORT_XML);
  append_text (out, text, format, flags);
}

/* The current row of an export: the statement's columns, or for items
 * the page, the record and then each field of the job's rules; all of
 * them, or those chosen. */
typedef struct {
  sqlite3_stmt       *stmt;
  const char *const  *fields;  /* items only: the field names */
  JsonObject         *data;    /* items only: the row's fields, nullable */
  GArray             *chosen;  /* nullable: guint, the columns written, of all */
} Row;

static guint
all_n_columns (const Row *row)
{
  return row->fields != NULL ? 2 + g_strv_length ((char **) row->fields) : (guint) sqlite3_column_count (row->stmt);
}

static const char *
all_column_name (const Row *row,
                 guint      col)
{
  if (row->fields == NULL)
    return sqlite3_column_name (row->stmt, col);
  return col == 0 ? "page" : col == 1 ? "record" : row->fields[col - 2];
}

static guint
row_n_columns (const Row *row)
{
  return row->chosen != NULL ? row->chosen->len : all_n_columns (row);
}

/* Which of all the columns the @col-th written one is. */
static guint
row_column (const Row *row,
            guint      col)
{
  return row->chosen != NULL ? g_array_index (row->chosen, guint, col) : col;
}

static const char *
row_column_name (const Row *row,
                 guint      col)
{
  return all_column_name (row, row_column (row, col));
}

static JsonNode *
row_field (const Row *row,
           guint      col)
{
  if (row->data == NULL || !json_object_has_member (row->data, row->fields[col - 2]))
    return NULL;
  return json_object_get_member (row->data, row->fields[col - 2]);
}

static gboolean
row_is_missing (const Row *row,
                guint      col)
{
  col = row_column (row, col);
  if (row->fields == NULL || col < 2)
    return sqlite3_column_type (row->stmt, col) == SQLITE_NULL;
  return row_field (row, col) == NULL;
}

/* Sets @row to write only @columns, named as in the header; %FALSE with
 * @error set for a name that is not a column. */
static gboolean
row_choose (Row                *row,
            const char *const  *columns,
            const Table        *table,
            GError            **error)
{
  row->chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; columns[i] != NULL; i++)
    {
      guint col = 0;

      while (col < all_n_columns (row) && strcmp (all_column_name (row, col), columns[i]) != 0)
        col++;
      if (col == all_n_columns (row))
        {
          g_autoptr (GString) names = g_string_new (NULL);

          for (guint c = 0; c < all_n_columns (row); c++)
            g_string_append_printf (names, "%s%s", c > 0 ? ", " : "", all_column_name (row, c));
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a column of %s; they are: %s"), columns[i], table->name, names->str);
          return FALSE;
        }
      g_array_append_val (row->chosen, col);
    }
  return TRUE;
}

/* An item's field: a text, or a list of them (JSON's array in CSV, one
 * <value> each in XML). */
static void
append_field (GString           *out,
              JsonNode          *node,
              TrawlExportFormat  format,
              TrawlExportFlags   flags)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (format == TRAWL_EXPORT_JSON || format == TRAWL_EXPORT_JSONL)
        g_string_append (out, "null");
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);
      g_autofree char *json = NULL;

      switch (format)
        {
        case TRAWL_EXPORT_CSV:
          json = json_to_string (node, FALSE);
          append_csv_text (out, json, (flags & TRAWL_EXPORT_CSV_GUARD) != 0);
          break;
        case TRAWL_EXPORT_JSON:
        case TRAWL_EXPORT_JSONL:
          g_string_append_c (out, '[');
          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              g_autofree char *text = clean_text (json_array_get_string_element (list, i), -1, FALSE);

              g_string_append (out, i > 0 ? ", " : "");
              trawl_json_append_string (out, text);
            }
          g_string_append_c (out, ']');
          break;
        case TRAWL_EXPORT_XML:
          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              g_autofree char *text = clean_text (json_array_get_string_element (list, i), -1, TRUE);

              g_string_append (out, "<value>");
              append_xml_text (out, text);
              g_string_append (out, "</value>");
            }
          break;
        default:
          g_assert_not_reached ();
        }
      return;
    }
  {
    const char *string = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_string (node) : NULL;
    g_autofree char *text = clean_text (string != NULL ? string : "", -1, format == TRAWL_EXPORT_XML);

    append_text (out, text, format, flags);
  }
}

static void
row_append_value (GString           *out,
                  const Row         *row,
                  guint              col,
                  TrawlExportFormat  format,
                  TrawlExportFlags   flags)
{
  col = row_column (row, col);
  if (row->fields == NULL || col < 2)
    append_value (out, row->stmt, col, format, flags);
  else
    append_field (out, row_field (row, col), format, flags);
}

static void
append_row (GString           *out,
            const Row         *row,
            const Table       *table,
            TrawlExportFormat  format,
            TrawlExportFlags   flags,
            gboolean           first)
{
  guint n = row_n_columns (row);

  switch (format)
    {
    case TRAWL_EXPORT_CSV:
      for (guint col = 0; col < n; col++)
        {
          if (col > 0)
            g_string_append_c (out, ',');
          row_append_value (out, row, col, format, flags);
        }
      g_string_append (out, "\r\n");
      break;

    case TRAWL_EXPORT_JSON:
    case TRAWL_EXPORT_JSONL:
      if (format == TRAWL_EXPORT_JSON)
        g_string_append (out, first ? "  " : ",\n  ");
      g_string_append_c (out, '{');
      for (guint col = 0; col < n; col++)
        {
          if (col > 0)
            g_string_append (out, ", ");
          trawl_json_append_string (out, row_column_name (row, col));
          g_string_append (out, ": ");
          row_append_value (out, row, col, format, flags);
        }
      g_string_append_c (out, '}');
      if (format == TRAWL_EXPORT_JSONL)
        g_string_append_c (out, '\n');
      break;

    case TRAWL_EXPORT_XML:
      g_string_append_printf (out, "  <%s>\n", table->element);
      for (guint col = 0; col < n; col++)
        {
          const char *name = row_column_name (row, col);

          if (row_is_missing (row, col))
            continue;
          g_string_append_printf (out, "    <%s>", name);
          row_append_value (out, row, col, format, flags);
          g_string_append_printf (out, "</%s>\n", name);
        }
      g_string_append_printf (out, "  </%s>\n", table->element);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
append_header (GString           *out,
               const Row         *row,
               const Table       *table,
               TrawlExportFormat  format)
{
  switch (format)
    {
    case TRAWL_EXPORT_CSV:
      for (guint col = 0; col < row_n_columns (row); col++)
        g_string_append_printf (out, "%s%s", col > 0 ? "," : "", row_column_name (row, col));
      g_string_append (out, "\r\n");
      break;
    case TRAWL_EXPORT_JSON:
      g_string_append (out, "[\n");
      break;
    case TRAWL_EXPORT_JSONL:
      break;
    case TRAWL_EXPORT_XML:
      g_string_append_printf (out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s>\n", table->container);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
append_footer (GString           *out,
               const Table       *table,
               TrawlExportFormat  format,
               gboolean           empty)
{
  if (format == TRAWL_EXPORT_JSON)
    g_string_append (out, empty ? "]\n" : "\n]\n");
  else if (format == TRAWL_EXPORT_XML)
    g_string_append_printf (out, "</%s>\n", table->container);
}

static gboolean
flush_text (GOutputStream  *out,
            GString        *text,
            GCancellable   *cancellable,
            GError        **error)
{
  gboolean ok = g_output_stream_write_all (out, text->str, text->len, NULL, cancellable, error);

  g_string_truncate (text, 0);
  return ok;
}

/* The rows of one export, read in one transaction: a crawl writing the
 * file meanwhile does not change what is exported.  Given page ids, the
 * row of each in turn, by its primary key: a million of them read in
 * about the time of the whole table, with nothing but the ids in memory. */
typedef struct {
  TrawlStore   *store;
  sqlite3_stmt *stmt;
  gint64        total;  /* rows, counted before they are read; the ids given */
  GArray       *ids;    /* nullable, borrowed: gint64 page ids, in order */
  guint         next;   /* the next of @ids to read */
} Reader;

static gboolean
reader_open (Reader      *r,
             const char  *crawl_path,
             const Rows  *rows,
             GArray      *ids,
             GError     **error)
{
  sqlite3 *db;

  g_assert (ids == NULL || rows->one_sql != NULL);
  r->store = trawl_store_open (crawl_path, TRAWL_STORE_READ, error);
  if (r->store == NULL)
    return FALSE;
  db = trawl_store_get_db (r->store);
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  r->ids = ids;
  r->total = ids != NULL ? (gint64) ids->len : trawl_store_query_int (r->store, rows->count_sql);
  if (sqlite3_prepare_v2 (db, ids != NULL ? rows->one_sql : rows->rows_sql, -1, &r->stmt, NULL) == SQLITE_OK)
    return TRUE;
  trawl_store_set_read_error (error, db, crawl_path);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  g_clear_pointer (&r->store, trawl_store_free);
  return FALSE;
}

/* Steps to the next row: FALSE at the end, or with @error set if the file
 * could not be read. */
static gboolean
reader_step (Reader  *r,
             GError **error)
{
  int rc = SQLITE_DONE;

  if (r->ids == NULL)
    rc = sqlite3_step (r->stmt);
  /* An id the query leaves out (not in a sitemap, say) gives no row. */
  while (r->ids != NULL && rc == SQLITE_DONE && r->next < r->ids->len)
    {
      sqlite3_reset (r->stmt);
      sqlite3_bind_int64 (r->stmt, 1, g_array_index (r->ids, gint64, r->next++));
      rc = sqlite3_step (r->stmt);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    trawl_store_set_read_error (error, sqlite3_db_handle (r->stmt), trawl_store_get_path (r->store));
  return rc == SQLITE_ROW;
}

/* For the rows of given ids: how many of them the query keeps, which a
 * sitemap must know before it writes. */
static gint64
reader_count_ids (Reader *r)
{
  gint64 n = 0;

  while (reader_step (r, NULL))
    n++;
  r->next = 0;
  return n;
}

static void
reader_close (Reader *r)
{
  sqlite3_finalize (r->stmt);
  sqlite3_exec (trawl_store_get_db (r->store), "COMMIT", NULL, NULL, NULL);
  trawl_store_free (r->store);
}

static void
append_sitemap_url (GString      *out,
                    sqlite3_stmt *stmt)
{
  g_autofree char *loc = clean_text ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_bytes (stmt, 0), TRUE);
  g_autofree char *escaped = g_markup_escape_text (loc, -1);

  g_string_append_printf (out, "  <url><loc>%s</loc>", escaped);
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    g_string_append_printf (out, "<lastmod>%s</lastmod>", (const char *) sqlite3_column_text (stmt, 1));
  g_string_append (out, "</url>\n");
}

/* Appends the next @limit rows of @r to @text as one <urlset>, written
 * to @out as it grows if there is one. */
static gboolean
write_urlset (Reader         *r,
              gint64          limit,
              GString        *text,
              GOutputStream  *out,
              GCancellable   *cancellable,
              GError        **error)
{
  GError *read_error = NULL;

  g_string_append (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<urlset xmlns=\"" SITEMAP_NS "\">\n");
  for (gint64 n = 0; n < limit && reader_step (r, &read_error); n++)
    {
      append_sitemap_url (text, r->stmt);
      if (out != NULL && text->len >= 60 * 1024 && !flush_text (out, text, cancellable, error))
        return FALSE;
    }
  if (read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }
  g_string_append (text, "</urlset>\n");
  return out == NULL || flush_text (out, text, cancellable, error);
}

/**
 * trawl_export_sitemap_files:
 * @crawl_path: a crawl file
 * @ids: (nullable) (element-type gint64): the pages to look at, in this
 *   order, as for trawl_export(); %NULL for every page
 * @out_path: the sitemap to write
 * @base_url: (nullable): where the files will be served from, for the
 *   index; by default the root of the site of the first URL crawled
 * @cancellable: (nullable): stops it between files
 * @error: what went wrong
 *
 * Writes the crawl's indexable HTML pages as a sitemap at @out_path.
 * More than %TRAWL_SITEMAP_MAX_URLS of them make @out_path a sitemap
 * index of files named after it (sitemap.xml: sitemap-1.xml, sitemap-2.xml,
 * …) in the same folder, each listing at most that many.
 *
 * Returns: whether every file was written
 */
/* The root of the site of the first URL crawled: "https://host/". */
static char *
site_root (TrawlStore *store)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GUri) uri = NULL;

  if (sqlite3_prepare_v2 (trawl_store_get_db (store), "SELECT url FROM urls ORDER BY id LIMIT 1",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    uri = g_uri_parse ((const char *) sqlite3_column_text (stmt, 0), G_URI_FLAGS_NONE, NULL);
  sqlite3_finalize (stmt);
  if (uri == NULL)
    return g_strdup ("/");
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "/", NULL, NULL);
}

gboolean
trawl_export_sitemap_files (const char    *crawl_path,
                            GArray        *ids,
                            const char    *out_path,
                            const char    *base_url,
                            GCancellable  *cancellable,
                            GError       **error)
{
  Reader r = { 0 };
  g_autoptr (GString) index = NULL;
  g_autofree char *base = NULL;
  g_autofree char *folder = g_path_get_dirname (out_path);
  g_autofree char *stem = g_path_get_basename (out_path);
  char *dot = strrchr (stem, '.');
  gboolean ok = TRUE;

  if (!reader_open (&r, crawl_path, &sitemap_rows, ids, error))
    return FALSE;
  if (ids != NULL)
    r.total = reader_count_ids (&r);
  if (dot != NULL)
    *dot = '\0';

  /* Each file is whole in memory (at most some 10 MB), then replaces
   * the one on disk at once. */
  if (r.total <= TRAWL_SITEMAP_MAX_URLS)
    {
      g_autoptr (GString) text = g_string_new (NULL);

      ok = write_urlset (&r, G_MAXINT64, text, NULL, cancellable, error) &&
           g_file_set_contents (out_path, text->str, text->len, error);
      reader_close (&r);
      return ok;
    }

  if (base_url != NULL)
    base = g_str_has_suffix (base_url, "/") ? g_strdup (base_url) : g_strconcat (base_url, "/", NULL);
  else
    base = site_root (r.store);

  index = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<sitemapindex xmlns=\"" SITEMAP_NS "\">\n");
  for (guint part = 1; ok && (gint64) (part - 1) * TRAWL_SITEMAP_MAX_URLS < r.total; part++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u.xml", stem, part);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *loc = g_markup_escape_text (name, -1);
      g_autoptr (GString) text = g_string_new (NULL);

      ok = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
           write_urlset (&r, TRAWL_SITEMAP_MAX_URLS, text, NULL, cancellable, error) &&
           g_file_set_contents (path, text->str, text->len, error);
      g_string_append_printf (index, "  <sitemap><loc>%s%s</loc></sitemap>\n", base, loc);
    }
  g_string_append (index, "</sitemapindex>\n");
  reader_close (&r);
  return ok && g_file_set_contents (out_path, index->str, index->len, error);
}

/**
 * trawl_export_copy:
 * @crawl_path: a crawl file, finished or still being written
 * @out_path: where the copy goes
 * @cancellable: (nullable): stops it between steps
 * @error: what went wrong: the file is not a crawl, a write failed
 *
 * Copies the crawl file with SQLite's online backup, so that a crawl
 * writing it meanwhile does not matter: the copy is the file as it was at
 * one moment, whole.  Written beside @out_path and renamed over it at the
 * end, so a copy that fails leaves what was there.
 *
 * Returns: whether the copy is complete
 */
gboolean
trawl_export_copy (const char    *crawl_path,
                   const char    *out_path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  TrawlStore *store = trawl_store_open (crawl_path, TRAWL_STORE_READ, error);
  g_autofree char *partial = NULL;
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  int rc = SQLITE_OK;

  if (store == NULL)
    return FALSE;
  partial = g_strdup_printf ("%s.partial-%u", out_path, (guint) getpid ());
  g_unlink (partial);
  if (sqlite3_open_v2 (partial, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"), out_path, sqlite3_errmsg (copy));
      sqlite3_close (copy);
      trawl_store_free (store);
      return FALSE;
    }
  /* One read transaction: the copy is one moment of the file, and a
   * crawl committing meanwhile does not restart it. */
  sqlite3_exec (trawl_store_get_db (store), "BEGIN; SELECT count(*) FROM meta", NULL, NULL, NULL);
  backup = sqlite3_backup_init (copy, "main", trawl_store_get_db (store), "main");
  while (backup != NULL && !g_cancellable_is_cancelled (cancellable) &&
         ((rc = sqlite3_backup_step (backup, 4096)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED))
    if (rc != SQLITE_OK)
      g_usleep (10000);
  if (backup != NULL)
    sqlite3_backup_finish (backup);
  else
    rc = sqlite3_errcode (copy);
  if (rc == SQLITE_DONE)
    rc = sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (rc != SQLITE_OK && !g_cancellable_is_cancelled (cancellable))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not copy the crawl to “%s”: %s"),
                 out_path, sqlite3_errstr (rc));
  sqlite3_close (copy);
  sqlite3_exec (trawl_store_get_db (store), "COMMIT", NULL, NULL, NULL);
  trawl_store_free (store);
  if (rc == SQLITE_OK && g_cancellable_set_error_if_cancelled (cancellable, error))
    rc = SQLITE_INTERRUPT;
  if (rc == SQLITE_OK && g_rename (partial, out_path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write “%s”: %s"),
                   out_path, g_strerror (saved));
      rc = SQLITE_CANTOPEN;
    }
  if (rc != SQLITE_OK)
    g_unlink (partial);
  return rc == SQLITE_OK;
}

/* One sitemap to a stream, which cannot hold an index and its parts. */
static gboolean
export_sitemap_stream (const char     *crawl_path,
                       GArray         *ids,
                       GOutputStream  *out,
                       GCancellable   *cancellable,
                       GError        **error)
{
  g_autoptr (GString) text = g_string_sized_new (64 * 1024);
  Reader r = { 0 };
  gboolean ok;

  if (!reader_open (&r, crawl_path, &sitemap_rows, ids, error))
    return FALSE;
  if (ids != NULL)
    r.total = reader_count_ids (&r);
  if (r.total > TRAWL_SITEMAP_MAX_URLS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The crawl has %" PRId64 " pages for a sitemap, more than the %d one file may "
                     "list; export it to a file, which becomes a sitemap index with its parts beside it"),
                   r.total, TRAWL_SITEMAP_MAX_URLS);
      ok = FALSE;
    }
  else
    ok = write_urlset (&r, G_MAXINT64, text, out, cancellable, error) &&
         g_output_stream_flush (out, cancellable, error);
  reader_close (&r);
  return ok;
}

/* The fields of the rules of the crawl in @crawl_path, which has items. */
static GStrv
item_fields (const char  *crawl_path,
             GError     **error)
{
  TrawlStore *store = trawl_store_open (crawl_path, TRAWL_STORE_READ, error);
  g_autofree char *job_text = NULL;
  g_auto (GStrv) fields = NULL;
  gboolean has_table;

  if (store == NULL)
    return NULL;
  has_table = trawl_store_query_int (store, "SELECT count(*) FROM sqlite_master WHERE name = 'items'") > 0;
  job_text = trawl_store_get_meta (store, "job");
  trawl_store_free (store);
  fields = trawl_extract_job_fields (job_text);
  if (!has_table || fields == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The crawl in “%s” extracted no items: its job has no extraction rules"), crawl_path);
      return NULL;
    }
  return g_steal_pointer (&fields);
}

/* Every page that had a response, with its stored body if any. */
#define WARC_FROM \
  "FROM urls u JOIN pages p ON p.id = u.id LEFT JOIN bodies b ON b.page_id = p.id WHERE p.status > 0 "
#define WARC_SELECT \
  "SELECT p.url, p.status, p.headers, strftime ('%Y-%m-%dT%H:%M:%SZ', p.fetched_at, 'unixepoch'), " \
  "       b.encoding, b.body, u.reason " WARC_FROM
static const Rows warc_rows = {
  "SELECT count(*) " WARC_FROM, WARC_SELECT "ORDER BY u.id", WARC_SELECT "AND u.id = ?1",
};
#define WARC_CONFORMS_TO "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"

static const char *const robots_names[] = { "obey", "ignore", "report" };

/* The warcinfo record, first in the file: what wrote it, and the crawl. */
static gboolean
write_warcinfo (GOutputStream   *out,
                const TrawlJob  *job,
                const char      *crawl_path,
                const char      *record_id,
                gboolean         gzip,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr (GString) fields = g_string_new (NULL);
  g_autoptr (GString) info = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *starts = job->start_urls != NULL ? g_strjoinv (" ", job->start_urls) : g_strdup ("");
  g_autofree char *name = g_path_get_basename (crawl_path);
  g_autofree char *description = g_strdup_printf ("A crawl by Trawl from %s", starts);
  g_autoptr (GBytes) block = NULL;
  g_autofree char *digest = NULL;

  trawl_warc_add_field (info, "software", "Trawl " PACKAGE_VERSION);
  trawl_warc_add_field (info, "format", "WARC File Format 1.1");
  trawl_warc_add_field (info, "conformsTo", WARC_CONFORMS_TO);
  trawl_warc_add_field (info, "isPartOf", name);
  trawl_warc_add_field (info, "description", description);
  if (job->user_agent != NULL)
    trawl_warc_add_field (info, "http-header-user-agent", job->user_agent);
  if (job->robots < G_N_ELEMENTS (robots_names))
    trawl_warc_add_field (info, "robots", robots_names[job->robots]);
  block = g_bytes_new (info->str, info->len);
  digest = trawl_warc_sha1 ((const guint8 *) info->str, info->len);

  trawl_warc_add_field (fields, "WARC-Type", "warcinfo");
  trawl_warc_add_field (fields, "WARC-Record-ID", record_id);
  trawl_warc_add_field (fields, "WARC-Date", date);
  trawl_warc_add_field (fields, "Content-Type", "application/warc-fields");
  trawl_warc_add_field (fields, "WARC-Block-Digest", digest);
  return trawl_warc_write_record (out, fields->str, block, gzip, cancellable, error);
}

/* The current row of a warc_rows statement as a response record. */
static gboolean
write_response (GOutputStream   *out,
                sqlite3_stmt    *stmt,
                const char      *crawl_path,
                const char      *warcinfo_id,
                gboolean         decoded,
                gboolean         gzip,
                GCancellable    *cancellable,
                GError         **error)
{
  const char *url = (const char *) sqlite3_column_text (stmt, 0);
  const char *encoding = (const char *) sqlite3_column_text (stmt, 4);
  const char *reason = (const char *) sqlite3_column_text (stmt, 6);
  g_autoptr (GString) fields = g_string_new (NULL);
  g_autoptr (GBytes) payload = NULL;
  g_autoptr (GBytes) block = NULL;
  g_autofree char *record_id = trawl_warc_record_id ();
  g_autofree char *payload_digest = NULL;
  g_autofree char *block_digest = NULL;
  gconstpointer data;
  gsize len;

  if (encoding == NULL)
    payload = g_bytes_new (NULL, 0);
  else if (strcmp (encoding, "gzip") == 0)
    {
      g_autoptr (GBytes) stored = g_bytes_new (sqlite3_column_blob (stmt, 5), sqlite3_column_bytes (stmt, 5));

      payload = trawl_gzip_decompress (stored, G_MAXSIZE, error);
    }
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("The crawl file “%s” keeps the body of %s as “%s”, which this version of Trawl cannot read"),
                 crawl_path, url, encoding);
  if (payload == NULL)
    return FALSE;

  block = trawl_warc_http_response (sqlite3_column_int (stmt, 1), (const char *) sqlite3_column_text (stmt, 2),
                                    payload, decoded);
  data = g_bytes_get_data (payload, &len);
  payload_digest = trawl_warc_sha1 (data, len);
  data = g_bytes_get_data (block, &len);
  block_digest = trawl_warc_sha1 (data, len);

  trawl_warc_add_field (fields, "WARC-Type", "response");
  trawl_warc_add_field (fields, "WARC-Record-ID", record_id);
  trawl_warc_add_field (fields, "WARC-Warcinfo-ID", warcinfo_id);
  trawl_warc_add_field (fields, "WARC-Date", (const char *) sqlite3_column_text (stmt, 3));
  trawl_warc_add_field (fields, "WARC-Target-URI", url);
  /* The fetcher stopped reading at the job's size limit. */
  if (g_strcmp0 (reason, "too-large") == 0)
    trawl_warc_add_field (fields, "WARC-Truncated", "length");
  trawl_warc_add_field (fields, "Content-Type", "application/http;msgtype=response");
  trawl_warc_add_field (fields, "WARC-Payload-Digest", payload_digest);
  trawl_warc_add_field (fields, "WARC-Block-Digest", block_digest);
  return trawl_warc_write_record (out, fields->str, block, gzip, cancellable, error);
}

/* A warcinfo record, then a response record for every page that had a
 * response, in the order they were found, one page in memory at a time. */
static gboolean
export_warc (const char          *crawl_path,
             GArray              *ids,
             TrawlExportFlags     flags,
             GOutputStream       *out,
             TrawlExportProgress  progress,
             gpointer             user_data,
             GCancellable        *cancellable,
             GError             **error)
{
  g_autoptr (GOutputStream) buffered = NULL;
  g_autofree char *warcinfo_id = trawl_warc_record_id ();
  g_autofree char *job_text = NULL;
  g_autoptr (TrawlJob) job = NULL;
  gboolean gzip = (flags & TRAWL_EXPORT_GZIP) != 0;
  GError *read_error = NULL;
  Reader r = { 0 };
  gint64 done = 0;
  gboolean ok;

  if (!reader_open (&r, crawl_path, &warc_rows, ids, error))
    return FALSE;
  job_text = trawl_store_get_meta (r.store, "job");
  job = job_text != NULL ? trawl_job_load_data (job_text, NULL) : NULL;
  if (job == NULL || !job->store_bodies)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The crawl in “%s” has no stored response bodies: crawl with --store-bodies to export WARC"),
                   crawl_path);
      reader_close (&r);
      return FALSE;
    }

  /* Closing it must not close @out, which trawl_export_to_file() closes
   * only when everything was written. */
  buffered = g_buffered_output_stream_new_sized (out, 64 * 1024);
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (buffered), FALSE);
  ok = write_warcinfo (buffered, job, crawl_path, warcinfo_id, gzip, cancellable, error);
  while (ok && reader_step (&r, &read_error))
    {
      /* libsoup undid the content coding unless the crawl turned it off. */
      ok = write_response (buffered, r.stmt, crawl_path, warcinfo_id, job->compression, gzip, cancellable, error) &&
           !g_cancellable_set_error_if_cancelled (cancellable, error);
      if (ok && ++done % 256 == 0 && progress != NULL)
        progress (done, MAX (r.total, done), user_data);
    }
  reader_close (&r);
  if (read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }
  ok = ok && g_output_stream_flush (buffered, cancellable, error) && g_output_stream_flush (out, cancellable, error);
  if (ok && progress != NULL)
    progress (done, done, user_data);
  return ok;
}

/**
 * trawl_export:
 * @crawl_path: a crawl file
 * @what: pages, links or items
 * @format: the format to write
 * @flags: options of the format
 * @columns: (nullable) (array zero-terminated=1): the columns to write,
 *   in this order, named as in the header; %NULL for all
 * @ids: (nullable) (element-type gint64): pages only: the ids of the pages
 *   to write, in this order (those a view shows); %NULL for every page
 * @out: where to write; it is flushed, not closed
 * @progress: (nullable): told how far it is now and then
 * @user_data: for @progress
 * @cancellable: (nullable): stops it between rows
 * @error: what went wrong: the file is not a crawl, a write failed
 *
 * Writes every row of @what, in the order the crawl found them; as a
 * sitemap, the indexable HTML pages, at most %TRAWL_SITEMAP_MAX_URLS
 * (see trawl_export_sitemap_files() for more); as WARC, a warcinfo
 * record and the stored response of every page that had one, which only
 * a crawl with store_bodies has (else a %G_IO_ERROR_NOT_FOUND error).
 *
 * Returns: whether everything was written
 */
gboolean
trawl_export (const char         *crawl_path,
              TrawlExportWhat     what,
              TrawlExportFormat   format,
              TrawlExportFlags    flags,
              const char *const  *columns,
              GArray             *ids,
              GOutputStream      *out,
              TrawlExportProgress progress,
              gpointer            user_data,
              GCancellable       *cancellable,
              GError            **error)
{
  const Table *table = &tables[what];
  g_autoptr (GString) text = g_string_sized_new (64 * 1024);
  GError *read_error = NULL;
  Reader r = { 0 };
  Row row = { 0 };
  g_auto (GStrv) fields = NULL;
  gint64 done = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (what <= TRAWL_EXPORT_ITEMS, FALSE);
  g_return_val_if_fail (format != TRAWL_EXPORT_TRAWL, FALSE);  /* a copy is trawl_export_copy() */
  g_return_val_if_fail ((format != TRAWL_EXPORT_SITEMAP && format != TRAWL_EXPORT_WARC) ||
                        what == TRAWL_EXPORT_PAGES, FALSE);
  g_return_val_if_fail (ids == NULL || what == TRAWL_EXPORT_PAGES, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  if (format == TRAWL_EXPORT_SITEMAP)
    return export_sitemap_stream (crawl_path, ids, out, cancellable, error);
  if (format == TRAWL_EXPORT_WARC)
    return export_warc (crawl_path, ids, flags, out, progress, user_data, cancellable, error);

  if (what == TRAWL_EXPORT_ITEMS && (fields = item_fields (crawl_path, error)) == NULL)
    return FALSE;
  if (!reader_open (&r, crawl_path, &table->rows, ids, error))
    return FALSE;
  row.stmt = r.stmt;
  row.fields = (const char *const *) fields;
  if (columns != NULL && !row_choose (&row, columns, table, error))
    {
      reader_close (&r);
      g_clear_pointer (&row.chosen, g_array_unref);
      return FALSE;
    }
  append_header (text, &row, table, format);
  while (ok && reader_step (&r, &read_error))
    {
      g_autoptr (JsonParser) parser = NULL;

      if (fields != NULL)
        {
          /* Bytes that are not UTF-8 would fail the whole object. */
          g_autofree char *data = g_utf8_make_valid ((const char *) sqlite3_column_text (r.stmt, 2),
                                                     sqlite3_column_bytes (r.stmt, 2));

          parser = json_parser_new ();
          row.data = json_parser_load_from_data (parser, data, -1, NULL) &&
                     JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
                     ? json_node_get_object (json_parser_get_root (parser)) : NULL;
        }
      append_row (text, &row, table, format, flags, done == 0);
      done++;
      if (text->len >= 60 * 1024)
        ok = flush_text (out, text, cancellable, error);
      if (ok && done % PROGRESS_EVERY == 0)
        {
          ok = !g_cancellable_set_error_if_cancelled (cancellable, error);
          if (ok && progress != NULL)
            progress (done, MAX (r.total, done), user_data);
        }
    }
  reader_close (&r);
  g_clear_pointer (&row.chosen, g_array_unref);
  if (read_error != NULL)
    {
      g_propagate_error (error, read_error);
      return FALSE;
    }

  if (ok)
    {
      append_footer (text, table, format, done == 0);
      ok = flush_text (out, text, cancellable, error) && g_output_stream_flush (out, cancellable, error);
    }
  if (ok && progress != NULL)
    progress (done, done, user_data);
  return ok;
}

/**
 * trawl_export_to_file:
 * @crawl_path: a crawl file
 * @what: pages, links or items
 * @format: any format; a sitemap of more than 50,000 pages becomes an
 *   index with its parts beside it, and %TRAWL_EXPORT_TRAWL a copy
 * @flags: options of the format
 * @columns: (nullable): as for trawl_export()
 * @ids: (nullable) (element-type gint64): as for trawl_export()
 * @sitemap_base: (nullable): as for trawl_export_sitemap_files()
 * @out_path: the file to write
 * @progress: (nullable): told how far it is now and then, in this thread
 * @user_data: for @progress
 * @cancellable: (nullable): stops it
 * @error: what went wrong, as a sentence naming @out_path
 *
 * Writes an export to a file: beside an existing one, renamed over it at
 * the end, so that a failure leaves what was there; a new file that
 * fails half-way is removed.  A WARC file named .warc.gz is gzipped, a
 * member per record, whatever @flags say.
 *
 * Returns: whether the file is complete
 */
gboolean
trawl_export_to_file (const char         *crawl_path,
                      TrawlExportWhat     what,
                      TrawlExportFormat   format,
                      TrawlExportFlags    flags,
                      const char *const  *columns,
                      GArray             *ids,
                      const char         *sitemap_base,
                      const char         *out_path,
                      TrawlExportProgress progress,
                      gpointer            user_data,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autoptr (GFile) target = g_file_new_for_path (out_path);
  g_autoptr (GFileOutputStream) out = NULL;
  g_autoptr (GCancellable) abandon = NULL;
  gboolean existed, ok;

  if (format == TRAWL_EXPORT_TRAWL || format == TRAWL_EXPORT_SITEMAP)
    {
      ok = format == TRAWL_EXPORT_TRAWL ? trawl_export_copy (crawl_path, out_path, cancellable, error)
                                        : trawl_export_sitemap_files (crawl_path, ids, out_path, sitemap_base,
                                                                      cancellable, error);
      if (!ok)
        g_prefix_error (error, _("Could not export to “%s”: "), out_path);
      return ok;
    }

  if (format == TRAWL_EXPORT_WARC && is_warc_gz (out_path))
    flags |= TRAWL_EXPORT_GZIP;
  existed = g_file_query_exists (target, NULL);
  out = g_file_replace (target, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (out == NULL)
    {
      g_prefix_error (error, _("Could not write “%s”: "), out_path);
      return FALSE;
    }
  if (trawl_export (crawl_path, what, format, flags, columns, ids, G_OUTPUT_STREAM (out),
                    progress, user_data, cancellable, error) &&
      g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, error))
    return TRUE;

  /* Closing cancelled drops the copy beside an existing file; a new file
   * is written in place, so it goes. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
  if (!existed)
    g_file_delete (target, NULL, NULL);
  g_prefix_error (error, _("Could not export to “%s”: "), out_path);
  return FALSE;
}
