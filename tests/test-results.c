/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-results.c — the results model and the page detail, against a real
 * crawl of the test site. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "trawl-page-detail.h"
#include "trawl-results-model.h"
#include "trawl-store.h"
#include "trawl-test-site.h"

/* More pages than one block of rows, so that paging is exercised. */
#define N_PAGES 300

static TrawlTestSite *site;
static char *crawl_path;

static void
wait_loaded (TrawlResultsModel *model)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (trawl_results_model_is_loading (model))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static TrawlResultsModel *
model_new (void)
{
  g_autoptr (GError) error = NULL;
  TrawlResultsModel *model = trawl_results_model_new (crawl_path, &error);

  g_assert_no_error (error);
  g_assert_true (trawl_results_model_is_loading (model));
  wait_loaded (model);
  return model;
}

/* Every row's id, read through the rows themselves (not the id array). */
static GArray *
model_ids (TrawlResultsModel *model)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr (TrawlPageRow) row = g_list_model_get_item (G_LIST_MODEL (model), i);
      gint64 id = trawl_page_row_get_id (row);

      g_assert_cmpint (id, ==, trawl_results_model_get_id (model, i));
      g_array_append_val (ids, id);
    }
  return ids;
}

static GArray *
sql_ids (sqlite3    *db,
         const char *sql)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  return ids;
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

static gint64
id_of (sqlite3    *db,
       const char *path)
{
  return test_query_int (db, "SELECT id FROM urls WHERE url = '%s%s'", trawl_test_site_get_url (site), path);
}

static void
ensure_indexed (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (trawl_store_index_links (crawl_path, &error));
  g_assert_no_error (error);
}

static void
test_rows (void)
{
  g_autoptr (TrawlResultsModel) model = (ensure_indexed (), model_new ());
  g_autoptr (GArray) ids = model_ids (model);
  g_autoptr (GArray) expected = NULL;
  sqlite3 *db = test_open_db (crawl_path);
  guint n;

  /* Every settled URL — fetched, failed and skipped — in discovery order. */
  expected = sql_ids (db, "SELECT id FROM urls WHERE state IN (1, 2, 3) ORDER BY id");
  g_assert_cmpuint (expected->len, >, N_PAGES);
  assert_same_ids (ids, expected);
  g_assert_cmpuint (trawl_results_model_get_total (model), ==, expected->len);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == TRAWL_TYPE_PAGE_ROW);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), expected->len));
  /* The crawl has closed, so inlinks are counted. */
  g_assert_true (trawl_results_model_get_inlinks_known (model));

  /* Each row's columns, for rows in every block (the model keeps only
   * some blocks, so later rows are read again from the file). */
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  for (guint i = 0; i < n; i += 7)
    {
      g_autoptr (TrawlPageRow) row = g_list_model_get_item (G_LIST_MODEL (model), n - 1 - i);
      gint64 id = trawl_page_row_get_id (row);
      int state = test_query_int (db, "SELECT state FROM urls WHERE id = %" G_GINT64_FORMAT, id);

      g_assert_cmpstr (trawl_page_row_get_url (row), ==,
                       test_query_string (db, "SELECT url FROM urls WHERE id = %" G_GINT64_FORMAT, id));
      g_assert_cmpint (trawl_page_row_get_state (row), ==, state);
      g_assert_cmpint (trawl_page_row_get_depth (row), ==,
                       test_query_int (db, "SELECT depth FROM urls WHERE id = %" G_GINT64_FORMAT, id));
      g_assert_cmpint (trawl_page_row_get_inlinks (row), ==,
                       test_query_int (db, "SELECT count(*) FROM links l JOIN urls u ON u.fingerprint = l.to_fingerprint "
                                           "WHERE u.id = %" G_GINT64_FORMAT, id));
      if (state == 1)
        {
          g_assert_cmpint (trawl_page_row_get_status (row), ==,
                           test_query_int (db, "SELECT status FROM pages WHERE id = %" G_GINT64_FORMAT, id));
          g_assert_cmpint (trawl_page_row_get_bytes (row), ==,
                           test_query_int (db, "SELECT bytes FROM pages WHERE id = %" G_GINT64_FORMAT, id));
          g_assert_cmpint (trawl_page_row_get_fetch_ms (row), ==,
                           test_query_int (db, "SELECT fetch_ms FROM pages WHERE id = %" G_GINT64_FORMAT, id));
          g_assert_cmpint (trawl_page_row_get_outlinks (row), ==,
                           test_query_int (db, "SELECT outlinks FROM pages WHERE id = %" G_GINT64_FORMAT, id));
          g_assert_cmpstr (trawl_page_row_get_title (row), ==,
                           test_query_string (db, "SELECT title FROM pages WHERE id = %" G_GINT64_FORMAT, id));
        }
      else
        {
          /* Never requested: no size, no time, no outlinks. */
          g_assert_cmpint (trawl_page_row_get_bytes (row), ==, -1);
          g_assert_cmpint (trawl_page_row_get_outlinks (row), ==, -1);
          g_assert_null (trawl_page_row_get_title (row));
        }
    }

  /* What the cells show. */
  {
    g_autoptr (TrawlPageRow) large = NULL, secret = NULL, home = NULL;
    g_autofree char *size = NULL, *status = NULL, *inlinks = NULL, *type = NULL;
    guint pos;

    g_assert_true (trawl_results_model_find (model, id_of (db, "edge/large.html"), &pos));
    large = g_list_model_get_item (G_LIST_MODEL (model), pos);
    g_object_get (large, "size-label", &size, "status-label", &status, NULL);
    g_assert_cmpstr (size, ==, "3.1\xc2\xa0MB");
    g_assert_cmpstr (status, ==, "200");

    g_assert_true (trawl_results_model_find (model, id_of (db, "private/secret.html"), &pos));
    secret = g_list_model_get_item (G_LIST_MODEL (model), pos);
    g_clear_pointer (&status, g_free);
    g_clear_pointer (&size, g_free);
    g_object_get (secret, "size-label", &size, "status-label", &status, "type-label", &type, NULL);
    g_assert_cmpstr (status, ==, "Blocked by robots.txt");
    g_assert_cmpstr (size, ==, "—");
    g_assert_cmpstr (type, ==, "—");

    g_assert_true (trawl_results_model_find (model, id_of (db, ""), &pos));
    home = g_list_model_get_item (G_LIST_MODEL (model), pos);
    g_object_get (home, "inlinks-label", &inlinks, NULL);
    /* Every generated page links home. */
    g_assert_cmpint (trawl_page_row_get_inlinks (home), >=, N_PAGES);
    g_assert_cmpstr (inlinks, ==, test_keep (g_strdup_printf ("%" G_GINT64_FORMAT, trawl_page_row_get_inlinks (home))));
    g_assert_false (trawl_results_model_find (model, -5, NULL));
  }

  {
    g_autofree char *a = trawl_format_count (0), *b = trawl_format_count (999), *c = trawl_format_count (1234567);

    g_assert_cmpstr (a, ==, "0");
    g_assert_cmpstr (b, ==, "999");
    g_assert_cmpstr (c, ==, "1,234,567");
  }
  sqlite3_close (db);
}

/* As a crawl leaves it: no inlinks index.  Rows say nothing of inlinks
 * rather than scan the links for each row, yet sorting by inlinks works
 * (one grouping pass); once indexed, the counts appear. */
static void
test_unindexed (void)
{
  g_autoptr (TrawlResultsModel) model = NULL;
  g_autoptr (GError) error = NULL;
  sqlite3 *db = test_open_db (crawl_path);
  gint64 home = id_of (db, "");

  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'links_to'"), ==, 0);
  model = model_new ();
  g_assert_false (trawl_results_model_get_inlinks_known (model));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i += 50)
    {
      g_autoptr (TrawlPageRow) row = g_list_model_get_item (G_LIST_MODEL (model), i);
      g_autofree char *label = NULL;

      g_assert_cmpint (trawl_page_row_get_inlinks (row), ==, -1);
      g_object_get (row, "inlinks-label", &label, NULL);
      g_assert_cmpstr (label, ==, "—");
    }
  trawl_results_model_set_sort (model, TRAWL_RESULTS_SORT_INLINKS, TRUE);
  wait_loaded (model);
  g_assert_cmpint (trawl_results_model_get_id (model, 0), ==, home);
  g_assert_cmpint (trawl_results_model_get_id (model, 1), ==,
                   test_query_int (db, "SELECT u.id FROM urls u JOIN links l ON l.to_fingerprint = u.fingerprint "
                                       "WHERE u.state <> 0 GROUP BY u.id ORDER BY count(*) DESC, u.id LIMIT 1 OFFSET 1"));

  /* What the window does when it opens a finished crawl; a refresh then
   * counts inlinks in the rows already read. */
  {
    g_autoptr (TrawlPageRow) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (trawl_store_index_links (crawl_path, &error));
    g_assert_no_error (error);
    trawl_results_model_refresh (model);
    wait_loaded (model);
    g_assert_true (trawl_results_model_get_inlinks_known (model));
    g_assert_cmpint (trawl_page_row_get_inlinks (first), ==,
                     test_query_int (db, "SELECT count(*) FROM links l JOIN urls u ON u.fingerprint = l.to_fingerprint "
                                         "WHERE u.id = %" G_GINT64_FORMAT, home));
  }
  sqlite3_close (db);
}

typedef struct {
  TrawlResultsFilter filters;
  const char        *where;
} FilterCase;

static void
test_filters (void)
{
  static const FilterCase cases[] = {
    { TRAWL_RESULTS_FILTER_HTML, "p.content_type LIKE 'text/html%'" },
    { TRAWL_RESULTS_FILTER_2XX, "p.status >= 200 AND p.status < 300" },
    { TRAWL_RESULTS_FILTER_3XX, "p.status >= 300 AND p.status < 400" },
    { TRAWL_RESULTS_FILTER_4XX, "p.status >= 400 AND p.status < 500" },
    { TRAWL_RESULTS_FILTER_5XX, "p.status >= 500 AND p.status < 600" },
    { TRAWL_RESULTS_FILTER_ERRORS, "u.state = 2" },
    { TRAWL_RESULTS_FILTER_ROBOTS, "u.reason = 'robots'" },
    { TRAWL_RESULTS_FILTER_EXTERNAL, "u.reason = 'out-of-scope'" },
    /* Outcomes add up; HTML narrows them. */
    { TRAWL_RESULTS_FILTER_4XX | TRAWL_RESULTS_FILTER_5XX, "p.status >= 400 AND p.status < 600" },
    { TRAWL_RESULTS_FILTER_3XX | TRAWL_RESULTS_FILTER_ROBOTS,
      "(p.status >= 300 AND p.status < 400) OR u.reason = 'robots'" },
    { TRAWL_RESULTS_FILTER_HTML | TRAWL_RESULTS_FILTER_2XX,
      "p.content_type LIKE 'text/html%' AND p.status >= 200 AND p.status < 300" },
    { 0, "1" },
  };
  g_autoptr (TrawlResultsModel) model = model_new ();
  sqlite3 *db = test_open_db (crawl_path);
  guint total = trawl_results_model_get_total (model);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT u.id FROM urls u LEFT JOIN pages p ON p.id = u.id "
                                              "WHERE u.state <> 0 AND (%s) ORDER BY u.id", cases[i].where);
      g_autoptr (GArray) expected = sql_ids (db, sql);
      g_autoptr (GArray) ids = NULL;

      trawl_results_model_set_filters (model, cases[i].filters);
      g_assert_cmpint (trawl_results_model_get_filters (model), ==, cases[i].filters);
      wait_loaded (model);
      ids = model_ids (model);
      g_test_message ("filter %#x: %u rows", cases[i].filters, ids->len);
      assert_same_ids (ids, expected);
      /* The total is of the whole crawl, whatever the filters. */
      g_assert_cmpuint (trawl_results_model_get_total (model), ==, total);
    }

  /* The test site's own outcomes, by URL. */
  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_ROBOTS);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpint (trawl_results_model_get_id (model, 0), ==, id_of (db, "private/secret.html"));

  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_EXTERNAL);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpint (trawl_results_model_get_id (model, 0), ==,
                   test_query_int (db, "SELECT id FROM urls WHERE url = 'http://localhost:%u/page/0.html'",
                                   trawl_test_site_get_port (site)));

  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_5XX);
  wait_loaded (model);
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/error"), NULL));
  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_4XX);
  wait_loaded (model);
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/missing"), NULL));
  g_assert_false (trawl_results_model_find (model, id_of (db, "edge/error"), NULL));
  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_3XX);
  wait_loaded (model);
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/redirect"), NULL));
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/loop-b"), NULL));
  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_HTML);
  wait_loaded (model);
  g_assert_false (trawl_results_model_find (model, id_of (db, "edge/image.png"), NULL));
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/latin1.html"), NULL));
  sqlite3_close (db);
}

static void
test_search (void)
{
  g_autoptr (TrawlResultsModel) model = model_new ();
  sqlite3 *db = test_open_db (crawl_path);
  struct { const char *text; guint n; } cases[] = {
    /* A URL fragment: /page/1.html, /page/10–19, /page/100–199. */
    { "page/1", 1 + 10 + 100 },
    /* Titles count too, ignoring case; /edge/target.html has no such URL. */
    { "redirect TARGET", 1 },
    /* Wildcards and quotes are plain text. */
    { "%", 0 },
    { "_", 0 },
    { "page'; DROP TABLE urls; --", 0 },
    { "", 0 },
  };

  cases[G_N_ELEMENTS (cases) - 1].n = trawl_results_model_get_total (model);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      trawl_results_model_set_search (model, cases[i].text);
      wait_loaded (model);
      g_test_message ("search “%s”: %u rows", cases[i].text, g_list_model_get_n_items (G_LIST_MODEL (model)));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, cases[i].n);
    }

  trawl_results_model_set_search (model, "redirect TARGET");
  wait_loaded (model);
  g_assert_cmpint (trawl_results_model_get_id (model, 0), ==, id_of (db, "edge/target.html"));

  /* Search and filters together. */
  trawl_results_model_set_search (model, "edge/");
  trawl_results_model_set_filters (model, TRAWL_RESULTS_FILTER_4XX | TRAWL_RESULTS_FILTER_5XX);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    test_query_int (db, "SELECT count(*) FROM pages WHERE status >= 400 AND url LIKE '%%/edge/%%'"));
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/missing"), NULL));
  g_assert_true (trawl_results_model_find (model, id_of (db, "edge/error"), NULL));
  g_assert_false (trawl_results_model_find (model, id_of (db, "edge/target.html"), NULL));
  sqlite3_close (db);
}

/* A crawl file written through the store, with the titles given. */
static char *
titled_crawl (const char *const *titles)
{
  char *path = test_tmp_path ("titles.trawl");
  g_autoptr (GError) error = NULL;
  TrawlStore *store = trawl_store_open (path, TRAWL_STORE_CREATE, &error);
  TrawlStoreUnit *unit = trawl_store_unit_new ();

  g_assert_no_error (error);
  trawl_store_start_writer (store);
  for (guint i = 0; titles[i] != NULL; i++)
    {
      TrawlPageRecord *page = g_new0 (TrawlPageRecord, 1);
      g_autofree char *url = g_strdup_printf ("http://example.org/%u", i);

      page->id = i + 1;
      page->url = g_strdup (url);
      page->status = 200;
      page->title = g_strdup (titles[i]);
      trawl_store_unit_add_url (unit, i + 1, url, i + 1, "http://example.org:80", 0, 0, TRAWL_URL_FETCHED, NULL);
      trawl_store_unit_add_page (unit, page);
    }
  trawl_store_submit (store, unit);
  g_assert_true (trawl_store_close (store, &error));
  trawl_store_free (store);
  return path;
}

/* The search text is text: quotes and SQL in it find the titles that
 * hold them, LIKE's % and _ match only themselves, and nothing is run. */
static void
test_search_literal (void)
{
  const char *const titles[] = {
    "Bobby'); DROP TABLE pages; --",
    "100% cotton",
    "snake_case names",
    "Plain title",
    "a_b and 50%",
    NULL,
  };
  g_autofree char *path = titled_crawl (titles);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlResultsModel) model = trawl_results_model_new (path, &error);
  struct { const char *text; guint n; gint64 first; } cases[] = {
    { "'); DROP TABLE pages; --", 1, 1 },
    { "%", 2, 2 },
    { "0%", 2, 2 },
    { "_", 2, 3 },
    { "e_c", 1, 3 },
    /* As wildcards, these would match every title. */
    { "%%", 0, 0 },
    { "a_b", 1, 5 },
    { "s_a", 0, 0 },
    { "\\", 0, 0 },
  };
  sqlite3 *db;

  g_assert_no_error (error);
  wait_loaded (model);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      trawl_results_model_set_search (model, cases[i].text);
      wait_loaded (model);
      g_test_message ("search “%s”: %u rows", cases[i].text, g_list_model_get_n_items (G_LIST_MODEL (model)));
      g_assert_null (trawl_results_model_get_error (model));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, cases[i].n);
      if (cases[i].n > 0)
        g_assert_cmpint (trawl_results_model_get_id (model, 0), ==, cases[i].first);
    }

  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, G_N_ELEMENTS (titles) - 1);
  sqlite3_close (db);
}

static gint64
row_int (TrawlPageRow    *row,
         TrawlResultsSort sort)
{
  switch (sort)
    {
    case TRAWL_RESULTS_SORT_STATUS: return trawl_page_row_get_status (row);
    case TRAWL_RESULTS_SORT_SIZE: return trawl_page_row_get_bytes (row);
    case TRAWL_RESULTS_SORT_TIME: return trawl_page_row_get_fetch_ms (row);
    case TRAWL_RESULTS_SORT_DEPTH: return trawl_page_row_get_depth (row);
    case TRAWL_RESULTS_SORT_INLINKS: return trawl_page_row_get_inlinks (row);
    case TRAWL_RESULTS_SORT_OUTLINKS: return trawl_page_row_get_outlinks (row);
    case TRAWL_RESULTS_SORT_NONE: return trawl_page_row_get_id (row);
    default: g_assert_not_reached ();
    }
}

static const char *
row_text (TrawlPageRow    *row,
          TrawlResultsSort sort)
{
  switch (sort)
    {
    case TRAWL_RESULTS_SORT_URL: return trawl_page_row_get_url (row);
    case TRAWL_RESULTS_SORT_TYPE: return trawl_page_row_get_content_type (row);
    case TRAWL_RESULTS_SORT_TITLE: return trawl_page_row_get_title (row);
    default: return NULL;
    }
}

/* -1, 0 or 1 as a sorts before, with or after b on the column. */
static int
compare_rows (TrawlPageRow    *a,
              TrawlPageRow    *b,
              TrawlResultsSort sort)
{
  if (sort == TRAWL_RESULTS_SORT_URL || sort == TRAWL_RESULTS_SORT_TYPE || sort == TRAWL_RESULTS_SORT_TITLE)
    {
      int c = g_strcmp0 (row_text (a, sort), row_text (b, sort));

      return c < 0 ? -1 : c > 0;
    }
  return row_int (a, sort) < row_int (b, sort) ? -1 : row_int (a, sort) > row_int (b, sort);
}

static void
test_sort (void)
{
  g_autoptr (TrawlResultsModel) model = (ensure_indexed (), model_new ());
  guint total = trawl_results_model_get_total (model);
  const TrawlResultsSort sorts[] = {
    TRAWL_RESULTS_SORT_URL, TRAWL_RESULTS_SORT_STATUS, TRAWL_RESULTS_SORT_TYPE, TRAWL_RESULTS_SORT_SIZE,
    TRAWL_RESULTS_SORT_TIME, TRAWL_RESULTS_SORT_DEPTH, TRAWL_RESULTS_SORT_TITLE, TRAWL_RESULTS_SORT_INLINKS,
    TRAWL_RESULTS_SORT_OUTLINKS, TRAWL_RESULTS_SORT_NONE,
  };

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (int descending = 1; descending >= 0; descending--)
      {
        GListModel *list = G_LIST_MODEL (model);
        g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
        g_autoptr (GArray) ids = NULL;
        guint distinct = 0;
        gboolean desc;

        trawl_results_model_set_sort (model, sorts[s], descending);
        g_assert_cmpint (trawl_results_model_get_sort (model, &desc), ==, sorts[s]);
        g_assert_cmpint (desc, ==, descending);
        wait_loaded (model);
        g_assert_cmpuint (g_list_model_get_n_items (list), ==, total);
        ids = model_ids (model);
        for (guint i = 0; i < ids->len; i++)
          g_hash_table_add (seen, &g_array_index (ids, gint64, i));
        g_assert_cmpuint (g_hash_table_size (seen), ==, total);

        /* In order on the column, with ties in discovery order. */
        for (guint i = 1; i < total; i++)
          {
            g_autoptr (TrawlPageRow) a = g_list_model_get_item (list, i - 1);
            g_autoptr (TrawlPageRow) b = g_list_model_get_item (list, i);
            int c = compare_rows (a, b, sorts[s]);

            if (sorts[s] == TRAWL_RESULTS_SORT_NONE)
              g_assert_cmpint (c, ==, descending ? 1 : -1);
            else if (c == 0)
              g_assert_cmpint (trawl_page_row_get_id (a), <, trawl_page_row_get_id (b));
            else
              g_assert_cmpint (c, ==, descending ? 1 : -1);
            distinct += c != 0;
          }
        /* The column really varies, so the order means something. */
        g_assert_cmpuint (distinct, >, 2);
      }

  /* The largest page first, the home page (linked from every page) has
   * the most inlinks. */
  {
    sqlite3 *db = test_open_db (crawl_path);

    g_autoptr (TrawlPageRow) held = NULL;

    /* A row someone holds (a list view's) follows its position: after a
     * new sort it shows the URL now there, and says so. */
    trawl_results_model_set_sort (model, TRAWL_RESULTS_SORT_NONE, FALSE);
    wait_loaded (model);
    held = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_assert_cmpint (trawl_page_row_get_id (held), ==, id_of (db, ""));
    trawl_results_model_set_sort (model, TRAWL_RESULTS_SORT_SIZE, TRUE);
    wait_loaded (model);
    g_assert_cmpint (trawl_results_model_get_id (model, 0), ==, id_of (db, "edge/large.html"));
    g_assert_cmpint (trawl_page_row_get_id (held), ==, id_of (db, "edge/large.html"));
    g_assert_cmpint (trawl_page_row_get_bytes (held), ==, TRAWL_TEST_SITE_LARGE_SIZE);
    g_assert_cmpstr (trawl_page_row_get_title (held), ==, "Large page");
    trawl_results_model_set_sort (model, TRAWL_RESULTS_SORT_INLINKS, TRUE);
    wait_loaded (model);
    g_assert_cmpint (trawl_results_model_get_id (model, 0), ==, id_of (db, ""));
    sqlite3_close (db);
  }
}

static const char *
suffix (const char *url)
{
  const char *base = trawl_test_site_get_url (site);

  return g_str_has_prefix (url, base) ? url + strlen (base) - 1 : url;
}

static void
test_detail (void)
{
  sqlite3 *db = test_open_db (crawl_path);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlPageDetail) redirect = NULL;
  g_autoptr (TrawlPageDetail) page = NULL;
  g_autoptr (TrawlPageDetail) secret = NULL;
  g_autoptr (TrawlPageDetail) missing = NULL;
  g_autoptr (GPtrArray) links = trawl_test_site_page_links (0, N_PAGES);
  gint64 page0 = id_of (db, "page/0.html");
  gint64 page1 = id_of (db, "page/1.html");
  gboolean found = FALSE;

  /* A redirect: its chain hop by hop, where it ends, its headers. */
  redirect = trawl_page_detail_load (crawl_path, id_of (db, "edge/redirect"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (redirect->status, ==, 301);
  g_assert_true (redirect->fetched);
  g_assert_cmpstr (suffix (redirect->final_url), ==, "/edge/target.html");
  /* Two hops that redirect, and the target itself when the chain
   * fetched it (another link may have reached it first). */
  g_assert_cmpuint (redirect->redirect_chain->len, >=, 2);
  g_assert_cmpuint (redirect->redirect_chain->len, <=, 3);
  g_assert_cmpuint (redirect->redirect_chain->len, ==,
                    test_query_int (db, "SELECT count(*) FROM redirects WHERE origin_id = %" G_GINT64_FORMAT, redirect->id));
  {
    const char *urls[] = { "/edge/redirect", "/edge/redirect-2", "/edge/target.html" };
    const int statuses[] = { 301, 302, 200 };

    for (guint i = 0; i < redirect->redirect_chain->len; i++)
      {
        TrawlPageHop *hop = g_ptr_array_index (redirect->redirect_chain, i);

        g_assert_cmpint (hop->hop, ==, i);
        g_assert_cmpstr (suffix (hop->url), ==, urls[i]);
        g_assert_cmpint (hop->status, ==, statuses[i]);
        g_assert_cmpint (hop->page_id, ==, id_of (db, urls[i] + 1));
        if (i < 2)
          g_assert_cmpstr (suffix (hop->location), ==, urls[i + 1]);
        else
          g_assert_null (hop->location);
      }
  }
  g_assert_nonnull (strstr (redirect->headers, "Location: /edge/redirect-2"));

  /* A page: metadata, headers, its outlinks in order, its inlinks. */
  page = trawl_page_detail_load (crawl_path, page0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (page->title, ==, "Page 0");
  g_assert_cmpstr (page->description, ==, "Description of page 0");
  g_assert_cmpstr (page->h1, ==, "Heading 0");
  g_assert_cmpint (page->status, ==, 200);
  g_assert_cmpint (page->word_count, >, 10);
  g_assert_cmpint (page->bytes, ==, test_query_int (db, "SELECT bytes FROM pages WHERE id = %" G_GINT64_FORMAT, page0));
  g_assert_nonnull (strstr (page->headers, "Content-Type: text/html"));
  g_assert_cmpuint (page->redirect_chain->len, ==, 0);
  g_assert_cmpuint (page->outlinks->len, ==, links->len);
  g_assert_cmpint (page->n_outlinks, ==, links->len);
  for (guint i = 0; i < links->len; i++)
    {
      TrawlPageLink *link = g_ptr_array_index (page->outlinks, i);

      g_assert_cmpstr (suffix (link->url), ==, links->pdata[i]);
      g_assert_cmpstr (link->kind, ==, "anchor");
      g_assert_cmpint (link->id, ==, id_of (db, (const char *) links->pdata[i] + 1));
      g_assert_cmpstr (link->anchor, ==,
                       test_query_string (db, "SELECT anchor FROM links WHERE from_id = %" G_GINT64_FORMAT
                                              " AND seq = (SELECT min(seq) FROM links WHERE from_id = %" G_GINT64_FORMAT
                                              " AND seq >= 0) + %u", page0, page0, i));
    }
  /* /page/0.html is linked from the home page and the sitemap. */
  g_assert_cmpint (page->n_inlinks, ==,
                   test_query_int (db, "SELECT count(*) FROM link_urls WHERE to_id = %" G_GINT64_FORMAT, page0));
  g_assert_cmpuint (page->inlinks->len, ==, page->n_inlinks);
  for (guint i = 0; i < page->inlinks->len; i++)
    {
      TrawlPageLink *link = g_ptr_array_index (page->inlinks, i);

      if (link->id == id_of (db, ""))
        found = TRUE;
    }
  g_assert_true (found);

  /* The page linking to /page/1.html first is /page/0.html, with its anchor. */
  {
    g_autoptr (TrawlPageDetail) one = trawl_page_detail_load (crawl_path, page1, NULL, &error);
    TrawlPageLink *first;

    g_assert_no_error (error);
    g_assert_cmpuint (one->inlinks->len, >=, 1);
    found = FALSE;
    for (guint i = 0; i < one->inlinks->len; i++)
      {
        first = g_ptr_array_index (one->inlinks, i);
        if (first->id == page0)
          {
            found = TRUE;
            g_assert_cmpstr (suffix (first->url), ==, "/page/0.html");
            g_assert_cmpstr (first->anchor, ==,
                             test_query_string (db, "SELECT l.anchor FROM links l JOIN urls t ON t.fingerprint = l.to_fingerprint "
                                                    "WHERE l.from_id = %" G_GINT64_FORMAT " AND t.id = %" G_GINT64_FORMAT
                                                    " ORDER BY l.seq LIMIT 1", page0, page1));
          }
      }
    g_assert_true (found);
  }

  /* A URL that was never fetched says why. */
  secret = trawl_page_detail_load (crawl_path, id_of (db, "private/secret.html"), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (secret->fetched);
  g_assert_cmpint (secret->state, ==, 3);
  g_assert_cmpstr (secret->reason, ==, "robots");
  g_assert_cmpuint (secret->outlinks->len, ==, 0);
  g_assert_cmpuint (secret->inlinks->len, ==, 1);
  g_assert_cmpstr (suffix (((TrawlPageLink *) secret->inlinks->pdata[0])->url), ==, "/edge/");

  /* An id that does not exist is an error, not a crash. */
  missing = trawl_page_detail_load (crawl_path, 987654321, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  sqlite3_close (db);
}

static void
detail_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  *(TrawlPageDetail **) data = trawl_page_detail_load_finish (result, NULL);
}

static void
test_detail_async (void)
{
  sqlite3 *db = test_open_db (crawl_path);
  TrawlPageDetail *detail = NULL;

  trawl_page_detail_load_async (crawl_path, id_of (db, "edge/missing"), NULL, detail_loaded, &detail);
  while (detail == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (detail->status, ==, 404);
  g_assert_cmpstr (suffix (detail->url), ==, "/edge/missing");
  trawl_page_detail_free (detail);
  sqlite3_close (db);
}

static void
on_pages (TrawlEngine       *engine,
          GPtrArray         *pages,
          TrawlResultsModel *model)
{
  trawl_results_model_refresh (model);
}

static void
on_refreshed (TrawlResultsModel *model,
              GArray            *counts)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_array_append_val (counts, n);
}

/* While a crawl writes the file, refreshes add its new rows. */
static void
test_live (void)
{
  TrawlTestSiteOptions options = { .n_pages = 60, .page_delay_ms = 20, .no_edge_cases = TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlTestSite) live_site = trawl_test_site_new (&options, &error);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (live_site));
  g_autofree char *path = test_tmp_path ("live.trawl");
  g_autoptr (TrawlEngine) engine = NULL;
  g_autoptr (TrawlResultsModel) model = NULL;
  g_autoptr (GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (TrawlPageRow) first = NULL;
  guint distinct = 0;
  sqlite3 *db;

  g_assert_no_error (error);
  job->concurrency = 2;
  engine = trawl_engine_new (job, path, &error);
  g_assert_no_error (error);
  model = trawl_results_model_new (path, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "pages", G_CALLBACK (on_pages), model);
  g_signal_connect (model, "refreshed", G_CALLBACK (on_refreshed), counts);
  /* Sorted by a text, whose ranks are worked out again with each refresh. */
  trawl_results_model_set_sort (model, TRAWL_RESULTS_SORT_URL, TRUE);
  g_assert_cmpint (test_run_engine (engine), ==, TRAWL_ENGINE_FINISHED);
  trawl_results_model_refresh (model);
  wait_loaded (model);

  /* It grew, refresh after refresh, never losing a row. */
  for (guint i = 1; i < counts->len; i++)
    {
      g_assert_cmpuint (g_array_index (counts, guint, i), >=, g_array_index (counts, guint, i - 1));
      distinct += g_array_index (counts, guint, i) != g_array_index (counts, guint, i - 1);
    }
  g_test_message ("%u refreshes, %u of them with new rows", counts->len, distinct);
  g_assert_cmpuint (distinct, >=, 3);

  db = test_open_db (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==,
                    test_query_int (db, "SELECT count(*) FROM urls WHERE state <> 0"));
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr (TrawlPageRow) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
      g_autoptr (TrawlPageRow) b = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_cmpint (strcmp (trawl_page_row_get_url (a), trawl_page_row_get_url (b)), >, 0);
    }
  trawl_results_model_set_sort (model, TRAWL_RESULTS_SORT_NONE, FALSE);
  wait_loaded (model);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (trawl_page_row_get_url (first), ==, trawl_test_site_get_url (live_site));
  /* No inlinks index until a browser builds it. */
  g_assert_false (trawl_results_model_get_inlinks_known (model));
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  TrawlTestSiteOptions options = { .n_pages = N_PAGES };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = NULL;
  int ret;

  test_init (&argc, &argv);

  /* One crawl, with the edge cases, shared by every test: they only read. */
  site = trawl_test_site_new (&options, &error);
  g_assert_no_error (error);
  job = test_job_new (trawl_test_site_get_url (site));
  crawl_path = test_tmp_path ("results.trawl");
  g_assert_cmpint (test_crawl (job, crawl_path), ==, TRAWL_ENGINE_FINISHED);

  g_test_add_func ("/results/unindexed", test_unindexed);
  g_test_add_func ("/results/rows", test_rows);
  g_test_add_func ("/results/filters", test_filters);
  g_test_add_func ("/results/search", test_search);
  g_test_add_func ("/results/search-literal", test_search_literal);
  g_test_add_func ("/results/sort", test_sort);
  g_test_add_func ("/results/detail", test_detail);
  g_test_add_func ("/results/detail-async", test_detail_async);
  g_test_add_func ("/results/live", test_live);

  ret = g_test_run ();
  trawl_test_site_free (site);
  g_free (crawl_path);
  return ret;
}
