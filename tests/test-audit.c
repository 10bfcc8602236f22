/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-audit.c — the site audit, over a real crawl of the test site. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "test-helpers.h"
#include "trawl-audit.h"
#include "trawl-store.h"
#include "trawl-test-site.h"

static TrawlTestSite *site;
static char *crawl_path;
static char *unindexed_path;

/* The rows of a check as "/path", "/path detail" or "/path detail | extra",
 * sorted, with the site's address cut from every URL. */
static GPtrArray *
rows_of (const char *path,
         const char *check_id,
         gboolean    with_details,
         gboolean   *links_listed)
{
  const char *base = trawl_test_site_get_url (site);
  int check = trawl_audit_find_check (check_id);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (check, >=, 0);
  rows = trawl_audit_list (path, check, 0, 1000, links_listed, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      TrawlAuditRow *row = rows->pdata[i];
      GString *line = g_string_new (NULL);
      g_autofree char *url = test_path_of (base, trawl_audit_row_get_url (row));

      g_string_append (line, url);
      if (with_details && trawl_audit_row_get_detail (row) != NULL)
        g_string_append_printf (line, " %s", trawl_audit_row_get_detail (row));
      if (with_details && trawl_audit_row_get_extra (row) != NULL)
        g_string_append_printf (line, " | %s", trawl_audit_row_get_extra (row));
      g_string_replace (line, base, "/", 0);
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  g_ptr_array_sort (lines, test_strcmp_ptr);
  return lines;
}

static void
assert_rows (GPtrArray          *rows,
             const char * const *expected)
{
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;

  g_ptr_array_add (rows, NULL);
  got = g_strjoinv ("\n", (char **) rows->pdata);
  g_ptr_array_remove_index (rows, rows->len - 1);
  {
    g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

    for (guint i = 0; expected[i] != NULL; i++)
      g_ptr_array_add (sorted, (gpointer) expected[i]);
    g_ptr_array_sort (sorted, test_strcmp_ptr);
    g_ptr_array_add (sorted, NULL);
    want = g_strjoinv ("\n", (char **) sorted->pdata);
  }
  g_assert_cmpstr (got, ==, want);
}

#define ASSERT_ROWS(check, details, ...)                                    \
  G_STMT_START {                                                            \
    const char * const expected_[] = { __VA_ARGS__, NULL };                 \
    g_autoptr (GPtrArray) rows_ = rows_of (crawl_path, check, details, NULL); \
    assert_rows (rows_, expected_);                                         \
  } G_STMT_END

static gint64
count_of (const gint64 *counts,
          const char   *check_id)
{
  return counts[trawl_audit_find_check (check_id)];
}

/* Every check finds exactly the edge cases made for it, and its count is
 * the length of its list. */
static void
test_checks (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *counts = trawl_audit_count (crawl_path, &error);

  g_assert_no_error (error);

  ASSERT_ROWS ("broken-links", TRUE,
               "/edge/missing 404 | /edge/, /edge/audit/broken.html",
               "/edge/error 500 | /edge/",
               "/edge/audit/gone.html 404 | /edge/audit/broken.html");
  ASSERT_ROWS ("redirect-chains", TRUE,
               "/edge/redirect 2 | /edge/target.html",
               "/edge/loop-a 2 | Redirect loop");
  ASSERT_ROWS ("missing-titles", TRUE, "/edge/audit/no-title.html No title");
  ASSERT_ROWS ("duplicate-titles", TRUE,
               "/edge/audit/same-title-1.html Same title | 2",
               "/edge/audit/same-title-2.html Same title | 2");
  ASSERT_ROWS ("duplicate-descriptions", TRUE,
               "/edge/audit/same-description-1.html A description used twice | 2",
               "/edge/audit/same-description-2.html A description used twice | 2");
  ASSERT_ROWS ("missing-h1", TRUE, "/edge/audit/no-h1.html No heading");
  ASSERT_ROWS ("large-pages", TRUE, "/edge/large.html 3.1 MB | text/html");
  ASSERT_ROWS ("blocked-by-robots", TRUE, "/private/secret.html /edge/");
  ASSERT_ROWS ("non-indexable", TRUE,
               "/edge/redirect 301", "/edge/redirect-2 302",
               "/edge/loop-a 302", "/edge/loop-b 302",
               "/edge/missing 404", "/edge/error 500", "/edge/audit/gone.html 404",
               "/edge/audit/noindex.html meta robots: noindex",
               "/edge/audit/x-robots.html X-Robots-Tag: noindex");
  ASSERT_ROWS ("canonicalised", TRUE, "/edge/audit/canonicalised.html /edge/audit/canonical.html");
  /* The generated pages lack a description when i % 10 == 9, the edge
   * pages made with a title alone have none, and the orphans neither. */
  ASSERT_ROWS ("missing-descriptions", FALSE,
               "/page/9.html", "/orphan/1.html", "/orphan/2.html",
               "/edge/flaky", "/edge/busy", "/edge/slow.html", "/edge/target.html",
               "/edge/latin1.html", "/edge/meta-charset.html", "/edge/bom.html",
               "/edge/malformed.html", "/edge/malformed-1.html", "/edge/malformed-2.html",
               "/edge/base/index.html", "/edge/based/target.html", "/edge/dupes.html",
               "/edge/q?a=1&b=2", "/edge/nofollow.html", "/edge/external.html",
               "/edge/gzip.html", "/edge/refresh.html", "/edge/refreshed.html",
               "/edge/deep/1", "/edge/deep/2", "/edge/deep/3", "/edge/deep/4", "/edge/deep/5",
               "/edge/deep/6", "/edge/deep/7", "/edge/deep/8", "/edge/deep/9", "/edge/deep/10");

  /* The slow page's time is its own, above the threshold. */
  {
    g_autoptr (GPtrArray) rows = rows_of (crawl_path, "slow-pages", TRUE, NULL);
    int ms = 0;

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_cmpint (sscanf (rows->pdata[0], "/edge/slow.html %d ms", &ms), ==, 1);
    g_assert_cmpint (ms, >=, TRAWL_TEST_SITE_SLOW_MS - 50);
  }

  for (guint i = 0; i < trawl_audit_get_n_checks (); i++)
    {
      const TrawlAuditCheck *check = trawl_audit_get_check (i);
      g_autoptr (GPtrArray) rows = rows_of (crawl_path, check->id, FALSE, NULL);

      g_test_message ("%s: %" G_GINT64_FORMAT, check->id, counts[i]);
      g_assert_cmpint (counts[i], ==, rows->len);
    }
  g_assert_cmpint (count_of (counts, "missing-titles"), ==, 1);
}

/* The check table: unique ids, something for people to read, and one
 * entry per severity at least. */
static void
test_table (void)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint severities[3] = { 0 };

  g_assert_cmpuint (trawl_audit_get_n_checks (), ==, 12);
  for (guint i = 0; i < trawl_audit_get_n_checks (); i++)
    {
      const TrawlAuditCheck *check = trawl_audit_get_check (i);

      g_assert_true (g_hash_table_add (ids, (gpointer) check->id));
      g_assert_cmpint (trawl_audit_find_check (check->id), ==, i);
      g_assert_cmpuint (strlen (check->title), >, 3);
      g_assert_true (g_str_has_suffix (check->description, "."));
      severities[check->severity]++;
    }
  g_assert_cmpint (trawl_audit_find_check ("no-such-check"), ==, -1);
  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    g_assert_cmpuint (severities[s], >, 0);
}

/* Pages of a list are consecutive and do not overlap. */
static void
test_paging (void)
{
  int check = trawl_audit_find_check ("missing-descriptions");
  g_autoptr (GPtrArray) all = trawl_audit_list (crawl_path, check, 0, 1000, NULL, NULL);
  g_autoptr (GPtrArray) joined = g_ptr_array_new ();

  for (guint offset = 0; offset < all->len; offset += 7)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) page = trawl_audit_list (crawl_path, check, offset, 7, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (7, all->len - offset));
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (joined, GINT_TO_POINTER ((int) trawl_audit_row_get_id (page->pdata[i])));
    }
  g_assert_cmpuint (joined->len, ==, all->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (GPOINTER_TO_INT (joined->pdata[i]), ==, trawl_audit_row_get_id (all->pdata[i]));
}

/* Without the inlinks index (a crawl still running, or interrupted),
 * broken links are listed without the pages that link to them, and say so. */
static void
test_without_inlinks_index (void)
{
  gboolean links_listed = TRUE;

  {
    g_autoptr (GPtrArray) rows = rows_of (unindexed_path, "broken-links", TRUE, &links_listed);
    const char * const expected[] = {
      "/edge/missing 404", "/edge/error 500", "/edge/audit/gone.html 404", NULL
    };

    g_assert_false (links_listed);
    assert_rows (rows, expected);
  }
  {
    g_autoptr (GPtrArray) rows = rows_of (crawl_path, "broken-links", FALSE, &links_listed);

    g_assert_true (links_listed);
    g_assert_cmpuint (rows->len, ==, 3);
  }
}

/* A file that is not a crawl gives a sentence, not a crash. */
static void
test_not_a_crawl (void)
{
  g_autofree char *garbage = test_tmp_path ("audit-garbage.trawl");
  g_autofree char *missing = test_tmp_path ("audit-missing.trawl");
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *counts = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  g_assert_true (g_file_set_contents (garbage, "<html>not a crawl</html>", -1, NULL));
  counts = trawl_audit_count (garbage, &error);
  g_assert_null (counts);
  g_assert_nonnull (strstr (error->message, "it is not a Trawl crawl file"));
  g_clear_error (&error);

  rows = trawl_audit_list (missing, 0, 0, 10, NULL, &error);
  g_assert_null (rows);
  g_assert_nonnull (error);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(gint64 **) user_data = trawl_audit_count_finish (result, NULL);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GPtrArray **) user_data = trawl_audit_list_finish (result, NULL, NULL);
}

/* The async calls give the same answers, back on the caller's context. */
static void
test_async (void)
{
  g_autofree gint64 *counts = NULL;
  g_autofree gint64 *sync_counts = trawl_audit_count (crawl_path, NULL);
  g_autoptr (GPtrArray) rows = NULL;

  trawl_audit_count_async (crawl_path, NULL, on_counted, &counts);
  trawl_audit_list_async (crawl_path, trawl_audit_find_check ("duplicate-titles"), 1, 5, NULL, on_listed, &rows);
  while (counts == NULL || rows == NULL)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < trawl_audit_get_n_checks (); i++)
    g_assert_cmpint (counts[i], ==, sync_counts[i]);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (g_str_has_suffix (trawl_audit_row_get_url (rows->pdata[0]), "/edge/audit/same-title-2.html"));
}

int
main (int    argc,
      char **argv)
{
  TrawlTestSiteOptions options = { .n_pages = 10 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = NULL;
  int status;

  test_init (&argc, &argv);

  site = trawl_test_site_new (&options, &error);
  g_assert_no_error (error);
  job = test_job_new (trawl_test_site_get_url (site));
  crawl_path = test_tmp_path ("audit.trawl");
  g_assert_cmpint (test_crawl (job, crawl_path), ==, TRAWL_ENGINE_FINISHED);
  /* A crawl does not index its links; the window does when it has ended.
   * Keep a copy from before, like a crawl that is still running. */
  {
    g_autofree char *data = NULL;
    gsize length;

    unindexed_path = test_tmp_path ("audit-unindexed.trawl");
    g_assert_true (g_file_get_contents (crawl_path, &data, &length, NULL));
    g_assert_true (g_file_set_contents (unindexed_path, data, length, NULL));
  }
  g_assert_true (trawl_store_index_links (crawl_path, &error));
  g_assert_no_error (error);

  g_test_add_func ("/audit/table", test_table);
  g_test_add_func ("/audit/checks", test_checks);
  g_test_add_func ("/audit/paging", test_paging);
  g_test_add_func ("/audit/without-inlinks-index", test_without_inlinks_index);
  g_test_add_func ("/audit/not-a-crawl", test_not_a_crawl);
  g_test_add_func ("/audit/async", test_async);

  status = g_test_run ();
  trawl_test_site_free (site);
  g_free (crawl_path);
  g_free (unindexed_path);
  return status;
}
