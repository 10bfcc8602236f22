/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c — the crawl file: units, upserts, versions, refusals. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-store.h"

#include <glib/gstdio.h>
#include <string.h>

static void
submit_url (TrawlStore   *store,
            gint64        id,
            TrawlUrlState state,
            const char   *reason)
{
  TrawlStoreUnit *unit = trawl_store_unit_new ();

  trawl_store_unit_add_url (unit, id, "http://example.org/a", 42, "http://example.org:80", 3, 1, state, reason);
  trawl_store_submit (store, unit);
}

static void
test_soft_skip_then_queued (void)
{
  g_autofree char *path = test_tmp_path ("upsert.trawl");
  g_autoptr (GError) error = NULL;
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_CREATE, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  trawl_store_start_writer (store);

  /* First found through a nofollow link, later through a followed one. */
  submit_url (store, 7, TRAWL_URL_SKIPPED, "nofollow");
  submit_url (store, 9, TRAWL_URL_QUEUED, NULL);
  g_assert_true (trawl_store_flush (store, &error));
  g_assert_cmpuint (trawl_store_get_backlog (store), ==, 0);
  g_assert_true (trawl_store_close (store, &error));
  trawl_store_free (store);

  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "SELECT id || ' ' || state || ' ' || coalesce(reason, '-') FROM urls"),
                   ==, "9 0 -");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls"), ==, 1);
  sqlite3_close (db);
}

static void
test_refusals (void)
{
  g_autofree char *path = test_tmp_path ("version.trawl");
  g_autofree char *text = test_tmp_path ("text.trawl");
  g_autoptr (GError) error = NULL;
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_CREATE, &error);
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  trawl_store_free (store);

  /* Never overwritten. */
  g_assert_null (trawl_store_open (path, TRAWL_STORE_CREATE, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_EXISTS);
  g_clear_error (&error);

  /* A file from a newer Trawl is refused, and left as it was. */
  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL);
  sqlite3_close (db);
  g_assert_null (trawl_store_open (path, TRAWL_STORE_RESUME, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "was made by a newer version of Trawl"));
  g_clear_error (&error);
  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "PRAGMA user_version"), ==, 99);
  sqlite3_close (db);

  /* Not SQLite at all. */
  g_file_set_contents (text, "just some words, long enough to look like a header of sorts\n", -1, NULL);
  g_assert_null (trawl_store_open (text, TRAWL_STORE_READ, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL);
  g_clear_error (&error);

  /* A folder. */
  g_assert_null (trawl_store_open (g_get_tmp_dir (), TRAWL_STORE_READ, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL);
}

/* A crawl file of version 1 (before items) is read as it is, and gets
 * the items table when a crawl continues in it. */
static void
test_upgrade (void)
{
  g_autofree char *path = test_tmp_path ("upgrade.trawl");
  g_autoptr (GError) error = NULL;
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_CREATE, &error);
  sqlite3 *db;

  g_assert_no_error (error);
  trawl_store_free (store);
  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "PRAGMA user_version"), ==, TRAWL_STORE_SCHEMA_VERSION);
  sqlite3_close (db);
  sqlite3_open (path, &db);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE items; PRAGMA user_version = 1; "
                                     "UPDATE meta SET value = '1' WHERE key = 'schema_version'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = trawl_store_open (path, TRAWL_STORE_READ, &error);
  g_assert_no_error (error);
  trawl_store_free (store);
  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'items'"), ==, 0);
  sqlite3_close (db);

  store = trawl_store_open (path, TRAWL_STORE_RESUME, &error);
  g_assert_no_error (error);
  trawl_store_free (store);
  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'items'"), ==, 1);
  g_assert_cmpint (test_query_int (db, "PRAGMA user_version"), ==, 2);
  g_assert_cmpstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'schema_version'"), ==, "2");
  sqlite3_close (db);
}

static void
test_unit_is_atomic (void)
{
  g_autofree char *path = test_tmp_path ("atomic.trawl");
  g_autoptr (GError) error = NULL;
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_CREATE, &error);
  TrawlPageRecord *page = g_new0 (TrawlPageRecord, 1);
  TrawlStoreUnit *unit;
  sqlite3 *db;

  trawl_store_start_writer (store);
  page->id = 1;
  page->url = g_strdup ("http://example.org/");
  page->final_url = g_strdup ("http://example.org/");
  page->status = 200;
  page->title = g_strdup ("Example");

  unit = trawl_store_unit_new ();
  trawl_store_unit_add_url (unit, 1, "http://example.org/", 1, "http://example.org:80", 0, 0, TRAWL_URL_QUEUED, NULL);
  trawl_store_unit_set_state (unit, 1, TRAWL_URL_FETCHED, NULL);
  trawl_store_unit_add_page (unit, page);
  trawl_store_unit_add_link (unit, 1, 0, 2, "anchor", NULL, g_strdup ("Next page"), NULL, FALSE);
  trawl_store_unit_add_url (unit, 2, "http://example.org/next", 2, "http://example.org:80", 1, 1, TRAWL_URL_QUEUED, NULL);
  trawl_store_submit (store, unit);
  g_assert_true (trawl_store_close (store, &error));
  trawl_store_free (store);

  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "SELECT from_url || ' -> ' || to_url || ' (' || anchor || ')' FROM link_urls"),
                   ==, "http://example.org/ -> http://example.org/next (Next page)");
  g_assert_cmpstr (test_query_string (db, "SELECT title FROM pages"), ==, "Example");
  /* Closing checkpoints the WAL: the crawl is one file again. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    GStatBuf st;

    g_assert_true (g_stat (wal, &st) != 0 || st.st_size == 0);
  }
  sqlite3_close (db);
}

/* Units of one URL and its page, 8 kB of title each, so a small disk fills. */
static void
submit_page (TrawlStore *store,
             gint64      id)
{
  TrawlStoreUnit *unit = trawl_store_unit_new ();
  TrawlPageRecord *page = g_new0 (TrawlPageRecord, 1);
  g_autofree char *url = g_strdup_printf ("http://example.org/%" G_GINT64_FORMAT, id);

  page->id = id;
  page->url = g_strdup (url);
  page->status = 200;
  page->title = g_strnfill (8192, 'a' + id % 26);
  trawl_store_unit_add_url (unit, id, url, id, "http://example.org:80", 0, 0, TRAWL_URL_FETCHED, NULL);
  trawl_store_unit_add_page (unit, page);
  trawl_store_submit (store, unit);
}

/* A store on @disk, with a writer that waits for space: pages were
 * submitted until the disk was full, the last one numbered *@id. */
static TrawlStore *
fill_store (const char *disk,
            const char *path,
            gint64     *id)
{
  g_autoptr (GError) error = NULL;
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_CREATE, &error);

  g_assert_no_error (error);
  test_fill_disk (disk, "filler", 256 * 1024);
  trawl_store_start_writer (store);
  for (*id = 0; trawl_store_flush (store, NULL) && *id < 1000;)
    submit_page (store, ++*id);
  g_assert_cmpint (*id, <, 1000);
  g_assert_true (trawl_store_is_waiting (store, NULL));
  return store;
}

/* A full disk: the writer waits with the batch it could not write, the
 * file keeps what was committed, and a retry with room writes the rest,
 * every unit whole. */
static void
test_disk_full (void)
{
  g_autofree char *disk = test_mount_disk ("store-disk", "2m");
  g_autofree char *path = NULL;
  g_autofree char *filler = NULL;
  g_autoptr (GError) error = NULL;
  TrawlStore *store;
  gint64 id, committed;
  sqlite3 *db;

  if (disk == NULL)
    return;
  path = g_build_filename (disk, "full.trawl", NULL);
  filler = g_build_filename (disk, "filler", NULL);
  store = fill_store (disk, path, &id);
  g_assert_true (trawl_store_is_waiting (store, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL);
  g_clear_error (&error);
  g_assert_false (trawl_store_flush (store, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL);
  g_clear_error (&error);
  g_assert_cmpuint (trawl_store_get_backlog (store), >, 0);

  /* Read now, the file has whole units only: a URL with its page. */
  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  committed = test_query_int (db, "SELECT count(*) FROM urls");
  g_assert_cmpint (committed, >, 0);
  g_assert_cmpint (committed, <, id);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, committed);
  sqlite3_close (db);

  /* A retry without room changes nothing; with room, all is written. */
  trawl_store_retry (store);
  g_assert_false (trawl_store_flush (store, NULL));
  g_assert_true (trawl_store_is_waiting (store, NULL));
  g_assert_cmpint (g_remove (filler), ==, 0);
  trawl_store_retry (store);
  g_assert_true (trawl_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_false (trawl_store_is_waiting (store, NULL));
  g_assert_cmpuint (trawl_store_get_backlog (store), ==, 0);
  g_assert_true (trawl_store_close (store, &error));
  trawl_store_free (store);

  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls"), ==, id);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE length (title) = 8192"), ==, id);
  sqlite3_close (db);
  test_unmount_disk (disk);
}

/* Closed while the disk is full, the store gives up: it says so, and the
 * file keeps what was committed. */
static void
test_disk_full_close (void)
{
  g_autofree char *disk = test_mount_disk ("store-close-disk", "2m");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  TrawlStore *store;
  gint64 id;
  sqlite3 *db;

  if (disk == NULL)
    return;
  path = g_build_filename (disk, "closed.trawl", NULL);
  store = fill_store (disk, path, &id);

  g_assert_false (trawl_store_close (store, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "the disk is full; what was saved before is kept"));
  trawl_store_free (store);

  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, test_query_int (db, "SELECT count(*) FROM urls"));
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls"), <, id);
  sqlite3_close (db);
  test_unmount_disk (disk);
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/store/soft-skip-then-queued", test_soft_skip_then_queued);
  g_test_add_func ("/store/refusals", test_refusals);
  g_test_add_func ("/store/upgrade", test_upgrade);
  g_test_add_func ("/store/unit-is-atomic", test_unit_is_atomic);
  g_test_add_func ("/store/disk-full", test_disk_full);
  g_test_add_func ("/store/disk-full-close", test_disk_full_close);

  return g_test_run ();
}
