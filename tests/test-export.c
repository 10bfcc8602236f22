/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-export.c — `trawl-cli export` in every format, read back by
 * independent parsers (tests/export-check.py: Python's csv, json and
 * xml.etree; xmllint) and compared row by row with the crawl file, with
 * hostile values among the rows. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* Runs @argv (NULL-terminated) and returns its exit code; @err gets stderr. */
static int
run (const char *const *argv,
     char              **out,
     char              **err)
{
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

/* A crawl of the test site, with pages whose texts a careless exporter
 * would break: quotes, commas and line breaks, formula prefixes, control
 * characters, bytes that are not UTF-8, and what XML must escape. */
/* The extraction rules of that crawl, and the fields they give. */
static const char *const rules[] = {
  "heading = css:h1",
  "words[] = regex:\\b(deterministic|frontier)\\b",
  "link = css:ul li",
  "link.href = css:a::attr(href)",
  "link.text = xpath:string(.)",
  NULL,
};
#define FIELDS "heading,words,href,text"

static char *
hostile_crawl (const char *name)
{
  TrawlTestSiteOptions options = { .n_pages = 20 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, &error);
  g_autoptr (TrawlJob) job = NULL;
  char *path = test_tmp_path (name);
  const char *titles[] = {
    "'He said \"stop\", then left'",
    "'two' || char(10) || 'lines' || char(13) || char(10) || 'three'",
    "'=HYPERLINK(\"http://evil.example/\")'",
    "'+1'", "'-2'", "'@SUM(A1)'", "char(9) || 'tab first'",
    "'bell' || char(7) || 'and vt' || char(11)",
    "CAST (X'4C6174696EFF31' AS TEXT)",
    "'<b>&amp; \"quoted\" ''single''</b>'",
    "'emoji 🕸 and é, ü'",
    "''",
  };
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  job = test_job_new (trawl_test_site_get_url (site));
  job->extract = g_strdupv ((char **) rules);
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO urls (id, url, fingerprint, host, depth, state, discovered_at) "
        "VALUES (%u, 'http://127.0.0.1:9/hostile/%u', %u, 'http://127.0.0.1:9', 1, 1, 1700000000);"
        "INSERT INTO pages (id, url, status, content_type, bytes, depth, title, description, fetched_at) "
        "VALUES (%u, 'http://127.0.0.1:9/hostile/%u', 200, 'text/html', %u, 1, %s, %s, 1700000000.5);",
        100000 + i, i, 900000000 + i, 100000 + i, i, 1000 + i, titles[i], titles[(i + 1) % G_N_ELEMENTS (titles)]);
      /* Items with the same texts, alone and in lists. */
      g_autofree char *items = g_strdup_printf (
        "INSERT INTO items (page_id, seq, record, data) VALUES "
        "(%u, 0, NULL, json_object ('heading', %s, 'words', json_array (%s, 'plain'))), "
        "(%u, 1, 'link', json_object ('href', %s, 'text', ''));",
        100000 + i, titles[i], titles[(i + 1) % G_N_ELEMENTS (titles)], 100000 + i, titles[i]);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, items, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  sqlite3_close (db);
  return path;
}

static void
check (const char *crawl,
       const char *what,
       const char *format,
       const char *out_path,
       gboolean    guard)
{
  g_autofree char *checker = g_build_filename (g_getenv ("TRAWL_SRCDIR"), "tests", "export-check.py", NULL);
  const char *argv[] = { "python3", checker, crawl, what, format, out_path, "--fields", FIELDS,
                         guard ? NULL : "--no-guard", NULL };
  g_autofree char *out = NULL, *err = NULL;

  if (run (argv, &out, &err) != 0)
    g_error ("%s %s: %s%s", what, format, out, err);
  if (strcmp (format, "xml") == 0)
    {
      const char *lint[] = { "xmllint", "--noout", out_path, NULL };
      g_autofree char *lint_out = NULL, *lint_err = NULL;

      if (run (lint, &lint_out, &lint_err) != 0)
        g_error ("xmllint: %s", lint_err);
    }
}

static void
test_formats (void)
{
  g_autofree char *crawl = hostile_crawl ("export.trawl");
  g_autofree char *cli = test_cli_path ();
  const char *whats[] = { "pages", "links", "items" };
  const char *formats[] = { "csv", "json", "jsonl", "xml" };

  for (guint w = 0; w < G_N_ELEMENTS (whats); w++)
    for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
      {
        g_autofree char *name = g_strdup_printf ("export-%s.%s", whats[w], formats[f]);
        g_autofree char *out_path = test_tmp_path (name);
        g_autofree char *out = NULL, *err = NULL;
        /* The format from the extension. */
        const char *argv[] = { cli, "export", crawl, "--what", whats[w], "-o", out_path, NULL };

        g_test_message ("%s as %s", whats[w], formats[f]);
        g_assert_cmpint (run (argv, &out, &err), ==, 0);
        g_assert_cmpstr (err, ==, "");
        check (crawl, whats[w], formats[f], out_path, TRUE);
      }

  /* The rules ran on every page: the heading the DOM's CSS selector found
   * is the h1 the link parser recorded, and each page's list items are
   * records. */
  {
    sqlite3 *db = test_open_db (crawl);
    gint64 headings = test_query_int (db, "SELECT count(*) FROM pages WHERE h1 IS NOT NULL AND id < 100000");

    g_assert_cmpint (headings, >, 10);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM items i JOIN pages p ON p.id = i.page_id "
                                         "WHERE i.record IS NULL AND json_extract (i.data, '$.heading') = p.h1"),
                     ==, headings);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM items WHERE record = 'link' AND page_id < 100000 "
                                         "AND json_extract (data, '$.href') IS NOT NULL"), >, 20);
    sqlite3_close (db);
  }

  /* Chosen columns, in the order given, in every format. */
  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *name = g_strdup_printf ("columns.%s", formats[f]);
      g_autofree char *out_path = test_tmp_path (name);
      g_autofree char *checker = g_build_filename (g_getenv ("TRAWL_SRCDIR"), "tests", "export-check.py", NULL);
      g_autofree char *out = NULL, *err = NULL;
      const char *argv[] = { cli, "export", crawl, "--columns", "title, url,status", "-o", out_path, NULL };
      const char *check_argv[] = { "python3", checker, crawl, "pages", formats[f], out_path,
                                   "--columns", "title,url,status", NULL };

      g_assert_cmpint (run (argv, &out, &err), ==, 0);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
      if (run (check_argv, &out, &err) != 0)
        g_error ("columns %s: %s%s", formats[f], out, err);
    }
  {
    g_autofree char *out_path = test_tmp_path ("bad-columns.csv");
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { cli, "export", crawl, "--columns", "url,colour", "-o", out_path, NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "“colour” is not a column of pages; they are: url, state"));
    g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
  }

  /* The crawl file itself: a copy with the same rows in every table. */
  {
    g_autofree char *copy = test_tmp_path ("copy.trawl");
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { cli, "export", crawl, "-o", copy, NULL };
    const char *tables[] = { "urls", "pages", "links", "redirects", "items", "log", "samples", "meta", "hosts" };
    sqlite3 *a, *b;

    g_assert_cmpint (run (argv, &out, &err), ==, 0);
    g_assert_cmpstr (err, ==, "");
    a = test_open_db (crawl);
    b = test_open_db (copy);
    g_assert_cmpstr (test_query_string (b, "PRAGMA integrity_check"), ==, "ok");
    g_assert_cmpint (test_query_int (b, "PRAGMA application_id"), ==, test_query_int (a, "PRAGMA application_id"));
    g_assert_cmpint (test_query_int (b, "PRAGMA user_version"), ==, test_query_int (a, "PRAGMA user_version"));
    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      g_assert_cmpint (test_query_int (b, "SELECT count(*) FROM %s", tables[i]), ==,
                       test_query_int (a, "SELECT count(*) FROM %s", tables[i]));
    g_assert_cmpstr (test_query_string (b, "SELECT group_concat (data, '') FROM (SELECT data FROM items ORDER BY id)"), ==,
                     test_query_string (a, "SELECT group_concat (data, '') FROM (SELECT data FROM items ORDER BY id)"));
    sqlite3_close (a);
    sqlite3_close (b);
  }
  {
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { cli, "export", crawl, "--format", "trawl", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "A crawl file cannot be written to standard output"));
  }

  /* A sitemap: to a file, and to standard output. */
  {
    g_autofree char *out_path = test_tmp_path ("sitemap.xml");
    g_autofree char *piped = test_tmp_path ("piped-sitemap.xml");
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { cli, "export", crawl, "--format", "sitemap", "-o", out_path, NULL };
    const char *to_stdout[] = { cli, "export", crawl, "--format", "sitemap", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 0);
    check (crawl, "pages", "sitemap", out_path, TRUE);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (to_stdout, &out, &err), ==, 0);
    g_assert_true (g_file_set_contents (piped, out, -1, NULL));
    check (crawl, "pages", "sitemap", piped, TRUE);
  }

  /* Unguarded CSV keeps formulas as they are; standard output works. */
  {
    g_autofree char *out_path = test_tmp_path ("export-unguarded.csv");
    g_autofree char *out = NULL, *err = NULL;
    const char *argv[] = { cli, "export", crawl, "--format", "csv", "--no-csv-guard", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 0);
    g_assert_nonnull (strstr (out, "\"=HYPERLINK(\"\"http://evil.example/\"\")\""));
    g_assert_true (g_file_set_contents (out_path, out, -1, NULL));
    check (crawl, "pages", "csv", out_path, FALSE);
  }
}

/* More than 50,000 pages: an index of parts of at most 50,000 each, which
 * standard output cannot hold. */
static void
test_sitemap_index (void)
{
  g_autofree char *crawl = hostile_crawl ("many.trawl");
  g_autofree char *cli = test_cli_path ();
  g_autofree char *dir = test_tmp_path ("sitemaps");
  g_autofree char *out_path = g_build_filename (dir, "sitemap.xml", NULL);
  g_autofree char *part = g_build_filename (dir, "sitemap-2.xml", NULL);
  g_autofree char *index = NULL;
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (crawl, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50010) "
    "INSERT INTO urls (id, url, fingerprint, host, depth, state, discovered_at) "
    "SELECT 200000 + i, 'https://example.org/many/' || i, 800000000 + i, 'https://example.org', 1, 1, 1700000000 "
    "FROM n;"
    "INSERT INTO pages (id, url, status, content_type, bytes, depth, fetched_at) "
    "SELECT id, url, 200, 'text/html', 100, 1, 1700000000 FROM urls WHERE id > 200000;",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  {
    const char *argv[] = { cli, "export", crawl, "--format", "sitemap", "-o", out_path,
                           "--sitemap-base", "https://example.org/maps", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 0);
  }
  check (crawl, "pages", "sitemap", out_path, TRUE);
  g_assert_true (g_file_get_contents (out_path, &index, NULL, NULL));
  g_assert_nonnull (strstr (index, "<loc>https://example.org/maps/sitemap-2.xml</loc>"));
  g_assert_true (g_file_test (part, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", crawl, "--format", "sitemap", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "more than the 50000 one file may list"));
  }
}

/* What a person can get wrong gets a sentence, exit code 2, and leaves
 * an existing output file as it was. */
static void
test_bad_input (void)
{
  g_autofree char *cli = test_cli_path ();
  g_autofree char *text_file = test_tmp_path ("not-a-crawl.txt");
  g_autofree char *existing = test_tmp_path ("existing.csv");
  g_autofree char *contents = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (text_file, "hello", -1, NULL));
  g_assert_true (g_file_set_contents (existing, "keep me\n", -1, NULL));

  {
    const char *argv[] = { cli, "export", text_file, "-o", existing, NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "not a Trawl crawl file"));
    g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "keep me\n");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", text_file, NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "export needs somewhere to write"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", text_file, "--format", "pdf", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "“pdf” is not a format Trawl writes"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", text_file, "--what", "cookies", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "“cookies” cannot be exported"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", text_file, "--what", "links", "--format", "sitemap", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "A sitemap lists pages"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *plain = test_tmp_path ("no-rules.trawl");
    TrawlStore *store = trawl_store_open (plain, TRAWL_STORE_CREATE, NULL);
    const char *argv[] = { cli, "export", plain, "--what", "items", "-o", existing, NULL };
    g_autofree char *kept = NULL;

    trawl_store_free (store);
    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "extracted no items: its job has no extraction rules"));
    g_assert_true (g_file_get_contents (existing, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "keep me\n");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", text_file, "-o", "/nonexistent-folder/out.csv", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "Could not write “/nonexistent-folder/out.csv”"));
  }
}

/* Runs @argv with its standard output, bytes that need not be UTF-8, in
 * the file @out_path; returns its exit code. */
static int
run_to_file (const char *const *argv,
             const char        *out_path)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;

  g_subprocess_launcher_set_stdout_file_path (launcher, out_path);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

/* warcio.js, Webrecorder's WARC library, installed with npm once under the
 * build folder.  NULL, with the test skipped, when node or npm is missing
 * or cannot install it, unless TRAWL_REQUIRE_WARCIO is set (as .ci/run
 * does), which makes that a failure. */
static char *
warcio_dir (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("TRAWL_BUILDDIR"), "tests", "warcio", NULL);
  g_autofree char *package = g_build_filename (dir, "node_modules", "warcio", "package.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *why = NULL;
  g_autofree char *npm = g_find_program_in_path ("npm");
  g_autofree char *node = g_find_program_in_path ("node");

  if (g_file_test (package, G_FILE_TEST_EXISTS) && node != NULL)
    return g_steal_pointer (&dir);
  if (node == NULL || npm == NULL)
    why = g_strdup ("node and npm are needed to read WARC files back with warcio.js (./run installs them)");
  else
    {
      const char *argv[] = { npm, "install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund",
                             "--loglevel=error", "--fetch-retries=1", "warcio@2", NULL };

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      if (run (argv, &out, &err) != 0 || !g_file_test (package, G_FILE_TEST_EXISTS))
        why = g_strdup_printf ("npm could not install warcio@2 into %s: %s%s", dir, out, err);
    }
  if (why == NULL)
    return g_steal_pointer (&dir);
  if (g_getenv ("TRAWL_REQUIRE_WARCIO") != NULL)
    g_error ("%s", why);
  g_test_skip (why);
  return NULL;
}

/* Appends a page with a body no text reader could take for text: every
 * byte value, CRLFs and a WARC header inside, a title that is not UTF-8,
 * and a chunked Transfer-Encoding the stored body no longer has; and one
 * whose body was not stored. */
static void
add_hostile_responses (const char *crawl)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) gz = g_converter_output_stream_new (mem, G_CONVERTER (compressor));
  g_autoptr (GBytes) stored = NULL;
  const char *inside = "\r\n\r\nWARC/1.1\r\nWARC-Type: response\r\nContent-Length: 1\r\n\r\n<title>Caf\xe9 \xff\xfe</title>";
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  for (guint i = 0; i < 512; i++)
    g_byte_array_append (body, (const guint8 *) &(guint8) { i % 256 }, 1);
  g_byte_array_append (body, (const guint8 *) inside, strlen (inside));
  g_assert_true (g_output_stream_write_all (gz, body->data, body->len, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (gz, NULL, NULL));
  stored = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));

  g_assert_cmpint (sqlite3_open (crawl, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO urls (id, url, fingerprint, host, depth, state, discovered_at) VALUES "
    "(100000, 'http://127.0.0.1:9/hostile/bytes', 900000000, 'http://127.0.0.1:9', 1, 1, 1700000000), "
    "(100001, 'http://127.0.0.1:9/hostile/no-body', 900000001, 'http://127.0.0.1:9', 1, 1, 1700000000);"
    "INSERT INTO pages (id, url, status, content_type, bytes, depth, title, fetched_at, headers) VALUES "
    "(100000, 'http://127.0.0.1:9/hostile/bytes', 200, 'text/html', 600, 1, CAST (X'436166E9' AS TEXT), 1700000000.5, "
    " 'Content-Type: text/html; charset=iso-8859-1' || char(10) || 'Transfer-Encoding: chunked' || char(10)), "
    "(100001, 'http://127.0.0.1:9/hostile/no-body', 204, NULL, 0, 1, NULL, 1700000001, 'Server: x' || char(10));",
    NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO bodies (page_id, encoding, body) VALUES (100000, 'gzip', ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* Reads @warc back with warcio.js and compares it with @crawl
 * (tests/warc-check.mjs); returns the URLs of its response records. */
static GStrv
check_warc (const char *warcio,
            const char *crawl,
            const char *warc)
{
  g_autofree char *checker = g_build_filename (g_getenv ("TRAWL_SRCDIR"), "tests", "warc-check.mjs", NULL);
  const char *argv[] = { "node", checker, warcio, crawl, warc, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GStrvBuilder) urls = g_strv_builder_new ();
  JsonArray *list;
  sqlite3 *db;

  if (run (argv, &out, &err) != 0)
    g_error ("%s: %s%s", warc, out, err);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  list = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "urls");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_strv_builder_add (urls, json_array_get_string_element (list, i));

  /* A warcinfo record and a response for every page that had one. */
  db = test_open_db (crawl);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "records"), ==,
                   1 + test_query_int (db, "SELECT count(*) FROM pages WHERE status > 0"));
  sqlite3_close (db);
  return g_strv_builder_end (urls);
}

static gboolean
has_suffix (const char *const *urls,
            const char        *suffix)
{
  for (guint i = 0; urls[i] != NULL; i++)
    if (g_str_has_suffix (urls[i], suffix))
      return TRUE;
  return FALSE;
}

/* The test site crawled with its bodies by trawl-cli, exported as WARC
 * and as WARC gzipped, to files and to standard output, and read back. */
static void
test_warc (void)
{
  TrawlTestSiteOptions options = { .n_pages = 20 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, &error);
  g_autofree char *warcio = NULL;
  g_autofree char *cli = test_cli_path ();
  g_autofree char *crawl = test_tmp_path ("bodies.trawl");
  g_autofree char *out = NULL, *err = NULL;
  const char *outputs[][2] = {
    { "crawl.warc", NULL }, { "crawl.warc.gz", NULL }, { "piped.warc", "--format=warc" }, { "piped.warc.gz", "--gzip" },
  };

  g_assert_no_error (error);
  {
    const char *argv[] = { cli, "crawl", trawl_test_site_get_url (site), "-o", crawl, "--store-bodies",
                           "--delay", "0", "--concurrency", "8", "--per-host", "8", "-q", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 0);
  }
  add_hostile_responses (crawl);
  if ((warcio = warcio_dir ()) == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *path = test_tmp_path (outputs[i][0]);
      g_auto (GStrv) urls = NULL;
      g_autofree char *data = NULL;
      gsize len;

      g_test_message ("WARC to %s", outputs[i][0]);
      if (outputs[i][1] == NULL)
        {
          const char *argv[] = { cli, "export", crawl, "-o", path, NULL };

          g_clear_pointer (&out, g_free);
          g_clear_pointer (&err, g_free);
          g_assert_cmpint (run (argv, &out, &err), ==, 0);
          g_assert_cmpstr (err, ==, "");
        }
      else
        {
          const char *argv[] = { cli, "export", crawl, "--format", "warc", outputs[i][1], "-o", "-", NULL };

          g_assert_cmpint (run_to_file (argv, path), ==, 0);
        }
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      /* Gzipped by the name or the flag, and only then. */
      g_assert_cmpint ((guint8) data[0] == 0x1f && (guint8) data[1] == 0x8b, ==, g_str_has_suffix (path, ".gz"));

      urls = check_warc (warcio, crawl, path);
      g_assert_true (has_suffix ((const char *const *) urls, "/edge/image.png"));
      g_assert_true (has_suffix ((const char *const *) urls, "/edge/latin1.html"));
      g_assert_true (has_suffix ((const char *const *) urls, "/edge/gzip.html"));
      g_assert_true (has_suffix ((const char *const *) urls, "/edge/redirect"));
      g_assert_true (has_suffix ((const char *const *) urls, "/hostile/bytes"));
      g_assert_true (has_suffix ((const char *const *) urls, "/hostile/no-body"));
    }
}

/* A crawl that kept no bodies has nothing to put in a WARC file: said,
 * exit code 2, and an existing file left as it was. */
static void
test_warc_without_bodies (void)
{
  g_autofree char *crawl = hostile_crawl ("no-bodies.trawl");
  g_autofree char *cli = test_cli_path ();
  g_autofree char *existing = test_tmp_path ("existing.warc");
  g_autofree char *created = test_tmp_path ("created.warc.gz");
  g_autofree char *kept = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_assert_true (g_file_set_contents (existing, "keep me\n", -1, NULL));
  {
    const char *argv[] = { cli, "export", crawl, "-o", existing, NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "has no stored response bodies: crawl with --store-bodies to export WARC"));
    g_assert_true (g_file_get_contents (existing, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "keep me\n");
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", crawl, "-o", created, NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    const char *argv[] = { cli, "export", crawl, "--what", "links", "--format", "warc", "-o", "-", NULL };

    g_assert_cmpint (run (argv, &out, &err), ==, 2);
    g_assert_nonnull (strstr (err, "A WARC file holds the responses to pages"));
  }
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);
  g_test_add_func ("/export/formats", test_formats);
  g_test_add_func ("/export/sitemap-index", test_sitemap_index);
  g_test_add_func ("/export/bad-input", test_bad_input);
  g_test_add_func ("/export/warc", test_warc);
  g_test_add_func ("/export/warc-without-bodies", test_warc_without_bodies);
  return g_test_run ();
}
