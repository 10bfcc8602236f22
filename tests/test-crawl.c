/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crawl.c — whole crawls of the test site, checked row by row. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#endif

static TrawlTestSite *
site_new (guint    n_pages,
          gboolean edges,
          guint    page_delay_ms,
          double   crawl_delay)
{
  TrawlTestSiteOptions options = {
    .n_pages = n_pages,
    .no_edge_cases = !edges,
    .page_delay_ms = page_delay_ms,
    .crawl_delay = crawl_delay,
  };
  g_autoptr (GError) error = NULL;
  TrawlTestSite *site = trawl_test_site_new (&options, &error);

  g_assert_no_error (error);
  return site;
}

/* The depth of every page of the generated graph, breadth-first from "/". */
static int *
page_depths (guint n)
{
  int *depth = g_new (int, n);
  GQueue queue = G_QUEUE_INIT;

  for (guint i = 0; i < n; i++)
    depth[i] = -1;
  depth[0] = 1;
  g_queue_push_tail (&queue, GUINT_TO_POINTER (0));
  while (!g_queue_is_empty (&queue))
    {
      guint i = GPOINTER_TO_UINT (g_queue_pop_head (&queue));
      g_autoptr (GPtrArray) links = trawl_test_site_page_links (i, n);

      for (guint k = 0; k < links->len; k++)
        {
          guint j;

          if (sscanf (links->pdata[k], "/page/%u.html", &j) == 1 && depth[j] < 0)
            {
              depth[j] = depth[i] + 1;
              g_queue_push_tail (&queue, GUINT_TO_POINTER (j));
            }
        }
    }
  return depth;
}

static void
test_whole_site (void)
{
  const guint n = 60;
  g_autoptr (TrawlTestSite) site = site_new (n, FALSE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autoptr (TrawlJob) job = test_job_new (base);
  g_autofree char *path = test_tmp_path ("whole.trawl");
  g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fetched = NULL;
  g_autofree int *depth = page_depths (n);
  sqlite3 *db;

  /* One request at a time keeps the order close to breadth-first. */
  job->concurrency = 1;
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);

  /* Every page of the graph, the sitemaps and the orphans only they list. */
  g_ptr_array_add (expected, g_strdup ("/"));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (expected, g_strdup_printf ("/page/%u.html", i));
  g_ptr_array_add (expected, g_strdup ("/sitemap.xml"));
  g_ptr_array_add (expected, g_strdup ("/sitemap-pages.xml"));
  g_ptr_array_add (expected, g_strdup ("/sitemap-orphans.xml.gz"));
  g_ptr_array_add (expected, g_strdup ("/orphan/1.html"));
  g_ptr_array_add (expected, g_strdup ("/orphan/2.html"));
  g_ptr_array_sort (expected, test_strcmp_ptr);

  db = test_open_db (path);
  fetched = test_query_strings (db, "SELECT substr(url, instr(substr(url, 8), '/') + 7) FROM pages");
  g_assert_cmpuint (fetched->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (fetched->pdata[i], ==, expected->pdata[i]);

  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE status != 200"), ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state != 1"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'state'"), ==, "finished");
  /* The last sample counts the pages crawled and the rate they came at. */
  g_assert_cmpint (test_query_int (db, "SELECT fetched FROM samples ORDER BY time DESC LIMIT 1"), ==, expected->len);
  g_assert_cmpint (test_query_int (db, "SELECT pages_per_second > 0 FROM samples ORDER BY time DESC LIMIT 1"), ==, 1);

  /* Each page has exactly its links, and a depth. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GPtrArray) links = trawl_test_site_page_links (i, n);
      g_autofree char *sql = g_strdup_printf ("SELECT substr(to_url, %u) FROM link_urls "
                                              "WHERE from_url = '%spage/%u.html' AND kind = 'anchor'",
                                              (guint) strlen (base), base, i);
      g_autoptr (GPtrArray) stored = test_query_strings (db, sql);
      const char *title = test_query_string (db, "SELECT title FROM pages WHERE url = '%spage/%u.html'", base, i);

      g_ptr_array_sort (links, test_strcmp_ptr);
      g_assert_cmpuint (stored->len, ==, links->len);
      for (guint k = 0; k < links->len; k++)
        g_assert_cmpstr (stored->pdata[k], ==, links->pdata[k]);

      /* Depth is the length of the path the page was found by: never
       * shorter than the shortest path, and one more than the page that
       * links to it.  Parsing runs beside fetching, so a page may be found
       * first by a slightly longer path. */
      g_assert_cmpint (test_query_int (db, "SELECT depth FROM pages WHERE url = '%spage/%u.html'", base, i),
                       >=, depth[i]);
      g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls u JOIN urls p ON p.id = u.parent_id "
                                           "JOIN link_urls l ON l.from_id = p.id AND l.to_id = u.id "
                                           "WHERE u.url = '%spage/%u.html' AND u.depth = p.depth + 1", base, i),
                       >=, 1);
      g_assert_cmpstr (title, ==, test_keep (g_strdup_printf ("Page %u", i)));
    }

  /* Politeness and dedupe, seen from the server: robots.txt once, every
   * page once, nothing disallowed. */
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/robots.txt"), ==, 1);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *page = g_strdup_printf ("/page/%u.html", i);

      g_assert_cmpuint (trawl_test_site_count_requests (site, page), ==, 1);
    }

  sqlite3_close (db);
}

static void
test_edge_cases (void)
{
  g_autoptr (TrawlTestSite) site = site_new (10, TRUE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autoptr (TrawlJob) job = test_job_new (base);
  g_autofree char *path = test_tmp_path ("edges.trawl");
  g_autoptr (GPtrArray) requests = NULL;
  gint64 busy_first_end = 0, busy_second_start = 0;
  sqlite3 *db;

#define PAGE(col, p) test_query_string (db, "SELECT " col " FROM pages WHERE url = '%s" p "'", base)
#define URL_REASON(p) test_query_string (db, "SELECT reason FROM urls WHERE url = '%s" p "'", base)

  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);

  /* Redirects: each hop a row, the chain recorded, the final URL known. */
  g_assert_cmpstr (PAGE ("status", "edge/redirect"), ==, "301");
  g_assert_cmpstr (PAGE ("status", "edge/redirect-2"), ==, "302");
  g_assert_cmpstr (PAGE ("final_url", "edge/redirect"), ==, test_keep (g_strconcat (base, "edge/target.html", NULL)));
  g_assert_cmpstr (PAGE ("final_url", "edge/redirect-2"), ==, test_keep (g_strconcat (base, "edge/target.html", NULL)));
  g_assert_cmpstr (PAGE ("redirects", "edge/redirect"), ==, "2");
  /* The hops in order; the target may end the chain as its third hop, or
   * have been found first through another link. */
  g_assert_cmpstr (test_query_string (db, "SELECT group_concat(r.status || ' ' || substr(r.url, %u), ', ') "
                                          "FROM redirects r JOIN urls u ON u.id = r.origin_id "
                                          "WHERE u.url = '%sedge/redirect' AND r.hop < 2 ORDER BY r.hop",
                                          (guint) strlen (base) + 1, base),
                   ==, "301 edge/redirect, 302 edge/redirect-2");
  g_assert_cmpstr (PAGE ("error", "edge/loop-a"), ==, "Redirect loop");
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/loop-a"), ==, 1);
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/loop-b"), ==, 1);

  /* Errors, retries and Retry-After. */
  g_assert_cmpstr (PAGE ("status", "edge/missing"), ==, "404");
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/missing"), ==, 1);
  g_assert_cmpstr (PAGE ("status", "edge/error"), ==, "500");
  g_assert_cmpstr (PAGE ("attempts", "edge/error"), ==, "3");
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/error"), ==, 3);
  g_assert_cmpstr (PAGE ("title", "edge/flaky"), ==, "Flaky");
  g_assert_cmpstr (PAGE ("title", "edge/busy"), ==, "Busy");
  requests = trawl_test_site_get_requests (site);
  for (guint i = 0; i < requests->len; i++)
    {
      TrawlTestRequest *r = requests->pdata[i];

      if (strcmp (r->path, "/edge/busy") != 0)
        continue;
      if (busy_first_end == 0)
        busy_first_end = r->end_us;
      else
        busy_second_start = r->start_us;
    }
  g_assert_cmpint (busy_second_start - busy_first_end, >=, 900 * 1000);

  /* Robots, nofollow and scope: recorded with their reason, never fetched. */
  g_assert_cmpstr (URL_REASON ("private/secret.html"), ==, "robots");
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/private/secret.html"), ==, 0);
  g_assert_cmpstr (URL_REASON ("edge/nofollowed.html"), ==, "nofollow");
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/nofollowed.html"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "SELECT reason FROM urls WHERE url LIKE 'http://localhost:%%'"), ==, "out-of-scope");

  /* Charsets from the header, the meta element and the BOM. */
  g_assert_cmpstr (PAGE ("title", "edge/latin1.html"), ==, "Café latin1");
  g_assert_cmpstr (PAGE ("title", "edge/meta-charset.html"), ==, "Café meta");
  g_assert_cmpstr (PAGE ("title", "edge/bom.html"), ==, "Café BOM");
  g_assert_cmpstr (PAGE ("title", "edge/gzip.html"), ==, "Gzipped");

  /* Links found in broken HTML, through base href and meta refresh. */
  g_assert_cmpstr (PAGE ("status", "edge/malformed-1.html"), ==, "200");
  g_assert_cmpstr (PAGE ("status", "edge/malformed-2.html"), ==, "200");
  g_assert_cmpstr (PAGE ("title", "edge/based/target.html"), ==, "Based target");
  g_assert_cmpstr (PAGE ("title", "edge/refreshed.html"), ==, "Refreshed");
  g_assert_cmpstr (PAGE ("title", "edge/deep/10"), ==, "Deep 10");

  /* Query order, utm_* and fragments do not make new URLs. */
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE url LIKE '%sedge/q?%%'", base), ==, 1);
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/page/1.html"), ==, 1);

  /* A large page is read whole (it is under the limit), and its last link found. */
  g_assert_cmpstr (PAGE ("bytes", "edge/large.html"), ==, test_keep (g_strdup_printf ("%d", TRAWL_TEST_SITE_LARGE_SIZE)));
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM link_urls WHERE from_url = '%sedge/large.html' "
                                       "AND to_url = '%sedge/target.html'", base, base), ==, 1);

  /* Non-HTML types are fetched and typed, not parsed. */
  g_assert_cmpstr (PAGE ("content_type", "edge/image.png"), ==, "image/png");
  g_assert_cmpstr (PAGE ("content_type", "edge/doc.pdf"), ==, "application/pdf");

  /* The slow page took its time and was not cut off. */
  g_assert_cmpint (atoi (PAGE ("fetch_ms", "edge/slow.html")), >=, TRAWL_TEST_SITE_SLOW_MS - 50);

  sqlite3_close (db);
#undef PAGE
#undef URL_REASON
}

static GPtrArray *page_requests (TrawlTestSite *site);

static void
test_deadline_scope_agent (void)
{
  g_autoptr (TrawlTestSite) site = site_new (5, TRUE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autoptr (TrawlJob) job = test_job_new (base);
  g_autofree char *path = test_tmp_path ("deadline.trawl");
  g_autoptr (GPtrArray) requests = NULL;
  gint64 started = g_get_monotonic_time ();
  guint other_host = 0;
  sqlite3 *db;

  /* The slow page misses a half-second deadline, is retried once, and
   * fails with a sentence; nothing waits longer than the deadline. */
  job->timeout = 0.5;
  job->retries = 1;
  job->scope = TRAWL_SCOPE_ANY;
  g_free (job->user_agent);
  job->user_agent = g_strdup ("TrawlTest/1.0 (+tests)");
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 20 * G_USEC_PER_SEC);

  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "SELECT state FROM urls WHERE url = '%sedge/slow.html'", base), ==, 2);
  g_assert_cmpstr (test_query_string (db, "SELECT error FROM pages WHERE url = '%sedge/slow.html'", base),
                   ==, "No complete answer within 0.5 seconds");
  g_assert_cmpint (test_query_int (db, "SELECT status FROM pages WHERE url = '%sedge/slow.html'", base), ==, 0);
  /* Two attempts under each of the server's two names. */
  g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/slow.html"), ==, 4);

  /* With any scope, the link to the same server under the name localhost
   * is crawled too, with that host's own robots.txt. */
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE url LIKE 'http://localhost:%%' "
                                       "AND status = 200"), >, 5);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM hosts"), ==, 2);
  sqlite3_close (db);

  /* Every request carried the job's user agent. */
  requests = trawl_test_site_get_requests (site);
  for (guint i = 0; i < requests->len; i++)
    {
      TrawlTestRequest *r = requests->pdata[i];

      g_assert_cmpstr (r->user_agent, ==, "TrawlTest/1.0 (+tests)");
      other_host += g_str_has_prefix (r->host, "localhost");
    }
  g_assert_cmpuint (other_host, >, 0);
}

static void
test_limits (void)
{
  g_autoptr (TrawlTestSite) site = site_new (60, FALSE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autoptr (TrawlJob) job = test_job_new (base);
  g_autofree char *deep_path = test_tmp_path ("depth.trawl");
  g_autofree char *max_path = test_tmp_path ("max.trawl");
  g_autofree char *size_path = test_tmp_path ("size.trawl");
  g_autofree int *depth = page_depths (60);
  guint expected = 1;
  sqlite3 *db;

  /* A depth limit keeps exactly the pages within it. */
  job->max_depth = 3;
  job->sitemaps = FALSE;
  g_assert_cmpint (test_crawl (job, deep_path), ==, TRAWL_ENGINE_FINISHED);
  for (guint i = 0; i < 60; i++)
    expected += depth[i] <= 3;
  db = test_open_db (deep_path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, expected);
  g_assert_cmpint (test_query_int (db, "SELECT max(depth) FROM pages"), ==, 3);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE reason = 'too-deep'"), >, 0);
  sqlite3_close (db);

  /* A page limit stops at exactly that many, the rest stays queued. */
  job->max_depth = -1;
  job->max_pages = 10;
  g_assert_cmpint (test_crawl (job, max_path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (max_path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 10);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), >, 0);
  sqlite3_close (db);

  /* Depth-first: the last link found is fetched next, and the whole site
   * is still crawled. */
  {
    g_autoptr (TrawlTestSite) dfs_site = site_new (30, FALSE, 0, 0);
    g_autoptr (TrawlJob) dfs = test_job_new (trawl_test_site_get_url (dfs_site));
    g_autofree char *dfs_path = test_tmp_path ("dfs.trawl");
    g_autoptr (GPtrArray) reqs = NULL;

    dfs->order = TRAWL_ORDER_DEPTH;
    dfs->concurrency = 1;
    dfs->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (dfs, dfs_path), ==, TRAWL_ENGINE_FINISHED);
    reqs = page_requests (dfs_site);
    g_assert_cmpuint (reqs->len, ==, 30);
    /* Page 0 links 1, 2 and 3, in that order.  Depth-first order holds
     * within the frontier's window, which the spill run shrinks to two. */
    g_assert_cmpstr (((TrawlTestRequest *) reqs->pdata[0])->path, ==, "/page/0.html");
    if (g_getenv ("TRAWL_FRONTIER_WINDOW") == NULL)
      g_assert_cmpstr (((TrawlTestRequest *) reqs->pdata[1])->path, ==, "/page/3.html");
  }

  /* URLs longer than the limit are recorded, not fetched. */
  {
    g_autoptr (TrawlTestSite) short_site = site_new (30, FALSE, 0, 0);
    g_autoptr (TrawlJob) shorter = test_job_new (trawl_test_site_get_url (short_site));
    g_autofree char *short_path = test_tmp_path ("short.trawl");
    gsize limit = strlen (trawl_test_site_get_url (short_site)) + strlen ("page/9.html");

    shorter->max_url_length = limit;
    shorter->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (shorter, short_path), ==, TRAWL_ENGINE_FINISHED);
    db = test_open_db (short_path);
    /* "/" and pages 0 to 9; the two-digit pages are too long. */
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 11);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE reason = 'url-too-long'"), >, 0);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE reason = 'url-too-long' "
                                         "AND length(url) <= %u", (guint) limit), ==, 0);
    sqlite3_close (db);
  }

  /* A size limit stops reading and says so. */
  {
    g_autoptr (TrawlTestSite) edges = site_new (5, TRUE, 0, 0);
    g_autoptr (TrawlJob) big = test_job_new (trawl_test_site_get_url (edges));

    big->max_size = 1024 * 1024;
    g_assert_cmpint (test_crawl (big, size_path), ==, TRAWL_ENGINE_FINISHED);
    db = test_open_db (size_path);
    g_assert_cmpint (test_query_int (db, "SELECT bytes FROM pages WHERE url LIKE '%%/edge/large.html'"), ==, 1024 * 1024);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE url LIKE '%%/edge/large.html' "
                                         "AND reason = 'too-large'"), ==, 1);
    sqlite3_close (db);
  }
}

/* Requests to /page/ in arrival order, for the politeness checks. */
static GPtrArray *
page_requests (TrawlTestSite *site)
{
  g_autoptr (GPtrArray) all = trawl_test_site_get_requests (site);
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_test_request_free);

  for (guint i = 0; i < all->len; i++)
    {
      TrawlTestRequest *r = all->pdata[i];

      if (g_str_has_prefix (r->path, "/page/"))
        g_ptr_array_add (pages, trawl_test_request_copy (r));
    }
  return pages;
}

static void
test_politeness (void)
{
  g_autofree char *cap_path = test_tmp_path ("cap.trawl");
  g_autofree char *delay_path = test_tmp_path ("delay.trawl");
  g_autofree char *robots_path = test_tmp_path ("crawl-delay.trawl");

  /* Per-host concurrency: never more at once than allowed, and all of it used. */
  {
    g_autoptr (TrawlTestSite) site = site_new (40, FALSE, 50, 0);
    g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));

    job->concurrency = 16;
    job->per_host = 3;
    job->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (job, cap_path), ==, TRAWL_ENGINE_FINISHED);
    g_assert_cmpuint (trawl_test_site_get_max_concurrency (site), ==, 3);
  }

  /* A fixed delay spaces the starts of requests to one host. */
  {
    g_autoptr (TrawlTestSite) site = site_new (6, FALSE, 0, 0);
    g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
    g_autoptr (GPtrArray) reqs = NULL;

    job->delay = 0.2;
    job->delay_mode = TRAWL_DELAY_FIXED;
    job->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (job, delay_path), ==, TRAWL_ENGINE_FINISHED);
    reqs = page_requests (site);
    g_assert_cmpuint (reqs->len, ==, 6);
    /* Each gap as the server saw it, less the few ms by which a busy test
     * server (under ASan, 10 ms; under valgrind, which runs one thread at
     * a time, 35) may note one arrival late; and all of them together no
     * shorter than the delays. */
    for (guint i = 1; i < reqs->len; i++)
      g_assert_cmpint (((TrawlTestRequest *) reqs->pdata[i])->start_us -
                       ((TrawlTestRequest *) reqs->pdata[i - 1])->start_us, >=, (200 - 20 * test_slowdown ()) * 1000);
    g_assert_cmpint (((TrawlTestRequest *) reqs->pdata[reqs->len - 1])->start_us -
                     ((TrawlTestRequest *) reqs->pdata[0])->start_us, >=, (reqs->len - 1) * 195 * 1000);
  }

  /* robots.txt Crawl-delay is honoured even when the job asks for none. */
  {
    g_autoptr (TrawlTestSite) site = site_new (5, FALSE, 0, 0.3);
    g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
    g_autoptr (GPtrArray) reqs = NULL;

    job->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (job, robots_path), ==, TRAWL_ENGINE_FINISHED);
    reqs = page_requests (site);
    g_assert_cmpuint (reqs->len, ==, 5);
    /* As above: each gap less what a busy server may note late, and all
     * of them together no shorter than the delays. */
    for (guint i = 1; i < reqs->len; i++)
      g_assert_cmpint (((TrawlTestRequest *) reqs->pdata[i])->start_us -
                       ((TrawlTestRequest *) reqs->pdata[i - 1])->start_us, >=, 200 * 1000);
    g_assert_cmpint (((TrawlTestRequest *) reqs->pdata[reqs->len - 1])->start_us -
                     ((TrawlTestRequest *) reqs->pdata[0])->start_us, >=, (reqs->len - 1) * 280 * 1000);
  }
}

static void
test_patterns_time_robots (void)
{
  g_autoptr (TrawlTestSite) site = site_new (40, TRUE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autofree char *patterns_path = test_tmp_path ("patterns.trawl");
  g_autofree char *report_path = test_tmp_path ("report.trawl");
  g_autofree char *time_path = test_tmp_path ("time.trawl");
  sqlite3 *db;

  /* Include and exclude patterns: only the pages wanted, the rest recorded
   * as excluded and never requested. */
  {
    g_autoptr (TrawlJob) job = test_job_new (base);
    const char *include[] = { "/page/", ":[0-9]+/$", NULL };
    const char *exclude[] = { "/page/[0-9]*7\\.html", NULL };

    job->include = g_strdupv ((char **) include);
    job->exclude = g_strdupv ((char **) exclude);
    job->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (job, patterns_path), ==, TRAWL_ENGINE_FINISHED);
    db = test_open_db (patterns_path);
    /* "/" and pages 0 to 39 but 7, 17, 27 and 37. */
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 1 + 40 - 4);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE reason = 'excluded' "
                                         "AND url LIKE '%%7.html'"), ==, 4);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE url LIKE '%%/edge/' "
                                         "AND reason = 'excluded'"), ==, 1);
    sqlite3_close (db);
    g_assert_cmpuint (trawl_test_site_count_requests (site, "/page/17.html"), ==, 0);
    g_assert_cmpuint (trawl_test_site_count_requests (site, "/edge/"), ==, 0);
  }

  /* robots.txt "report": disallowed pages are crawled, and the log says so. */
  {
    g_autoptr (TrawlJob) job = test_job_new (base);

    job->robots = TRAWL_ROBOTS_REPORT;
    g_assert_cmpint (test_crawl (job, report_path), ==, TRAWL_ENGINE_FINISHED);
    db = test_open_db (report_path);
    g_assert_cmpint (test_query_int (db, "SELECT status FROM pages WHERE url LIKE '%%/private/secret.html'"), ==, 200);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM log WHERE url LIKE '%%/private/secret.html' "
                                         "AND message LIKE 'robots.txt disallows this URL%%'"), ==, 1);
    sqlite3_close (db);
  }

  /* A time limit ends the crawl on time, with the rest still queued. */
  {
    g_autoptr (TrawlTestSite) slow = site_new (200, FALSE, 100, 0);
    g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (slow));
    gint64 started = g_get_monotonic_time ();

    job->max_time = 1.0;
    job->concurrency = 2;
    job->per_host = 2;
    g_assert_cmpint (test_crawl (job, time_path), ==, TRAWL_ENGINE_FINISHED);
    g_assert_cmpint (g_get_monotonic_time () - started, <, 3 * G_USEC_PER_SEC);
    db = test_open_db (time_path);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), >, 0);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM log WHERE message LIKE 'The time limit of 1 seconds was reached'"), ==, 1);
    sqlite3_close (db);
  }
}

static void
test_delay_modes (void)
{
  g_autofree char *random_path = test_tmp_path ("random.trawl");
  g_autofree char *auto_path = test_tmp_path ("auto.trawl");

  /* Randomised: every gap between 0.5 and 1.5 times the delay, not all alike. */
  {
    g_autoptr (TrawlTestSite) site = site_new (12, FALSE, 0, 0);
    g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
    g_autoptr (GPtrArray) reqs = NULL;
    gint64 shortest = G_MAXINT64, longest = 0;

    job->delay = 0.2;
    job->delay_mode = TRAWL_DELAY_RANDOM;
    job->sitemaps = FALSE;
    g_assert_cmpint (test_crawl (job, random_path), ==, TRAWL_ENGINE_FINISHED);
    reqs = page_requests (site);
    for (guint i = 1; i < reqs->len; i++)
      {
        gint64 gap = ((TrawlTestRequest *) reqs->pdata[i])->start_us - ((TrawlTestRequest *) reqs->pdata[i - 1])->start_us;

        shortest = MIN (shortest, gap);
        longest = MAX (longest, gap);
      }
    g_assert_cmpint (shortest, >=, 95 * 1000);
    g_assert_cmpint (longest, <=, 400 * 1000);
    g_assert_cmpint (longest - shortest, >, 20 * 1000);
  }

  /* AutoThrottle: starting at a second, the delay settles near the
   * server's latency (0.1 s) for one request at a time. */
  {
    g_autoptr (TrawlTestSite) site = site_new (25, FALSE, 100, 0);
    g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
    g_autoptr (GError) error = NULL;
    g_autoptr (TrawlEngine) engine = NULL;
    g_autoptr (TrawlStats) stats = NULL;
    g_autoptr (GPtrArray) reqs = NULL;
    gint64 last_gap;

    job->delay_mode = TRAWL_DELAY_AUTO;
    job->sitemaps = FALSE;
    engine = trawl_engine_new (job, auto_path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (test_run_engine (engine), ==, TRAWL_ENGINE_FINISHED);
    reqs = page_requests (site);
    g_assert_cmpuint (reqs->len, ==, 25);
    /* The first gaps are long, the last near the latency.  The second
     * request waits about 0.55 s (the mean of the first delay and the
     * latency) from when the first was sent; the server sees the first
     * later than that by however long its connection took, which on a
     * loaded machine came to 50 ms, so the bound leaves room for it. */
    g_assert_cmpint (((TrawlTestRequest *) reqs->pdata[1])->start_us - ((TrawlTestRequest *) reqs->pdata[0])->start_us,
                     >=, 400 * 1000);
    last_gap = ((TrawlTestRequest *) reqs->pdata[24])->start_us - ((TrawlTestRequest *) reqs->pdata[23])->start_us;
    g_assert_cmpint (last_gap, <, 300 * 1000);
    stats = trawl_engine_get_stats (engine);
    g_assert_cmpuint (stats->hosts->len, ==, 1);
    g_assert_cmpfloat (((TrawlHostStats *) stats->hosts->pdata[0])->delay, <, 0.3);
    /* robots.txt answers at once, the pages after 100 ms. */
    g_assert_cmpfloat (((TrawlHostStats *) stats->hosts->pdata[0])->avg_latency_ms, >=, 80);
  }
}

typedef struct {
  GMainLoop *loop;
  guint      stats;
  guint      pages;
  gint64     first_stats;
  gint64     last_stats;
} Observed;

static void
on_stats (TrawlEngine *engine,
          TrawlStats  *stats,
          Observed    *o)
{
  gint64 now = g_get_monotonic_time ();

  if (o->first_stats == 0)
    o->first_stats = now;
  o->last_stats = now;
  o->stats++;
}

static void
on_pages (TrawlEngine *engine,
          GPtrArray   *pages,
          Observed    *o)
{
  o->pages += pages->len;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
wait_ms (guint ms)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, quit_loop, loop);
  g_main_loop_run (loop);
}

static void
on_finished (TrawlEngine *engine,
             GMainLoop   *loop)
{
  g_main_loop_quit (loop);
}

static void
test_pause_stop_resume (void)
{
  const guint n = 120;
  g_autoptr (TrawlTestSite) site = site_new (n, FALSE, 30, 0);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("paused.trawl");
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlEngine) engine = NULL;
  g_autoptr (TrawlEngine) resumed = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Observed o = { 0 };
  guint before, after;
  gint64 stopped_pages, pages;
  sqlite3 *db;

  job->concurrency = 2;
  job->per_host = 2;
  job->sitemaps = FALSE;
  engine = trawl_engine_new (job, path, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "stats", G_CALLBACK (on_stats), &o);
  g_signal_connect (engine, "pages", G_CALLBACK (on_pages), &o);
  g_signal_connect (engine, "finished", G_CALLBACK (on_finished), loop);
  trawl_engine_start (engine);

  /* Paused: what was in flight finishes, then the server hears nothing. */
  wait_ms (400);
  trawl_engine_pause (engine);
  wait_ms (200);
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_PAUSED);
  before = trawl_test_site_get_n_requests (site);
  wait_ms (500);
  after = trawl_test_site_get_n_requests (site);
  g_assert_cmpuint (before, ==, after);
  g_assert_cmpuint (before, >, 2);

  /* Resumed: it goes on. */
  trawl_engine_resume (engine);
  wait_ms (400);
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_RUNNING);
  g_assert_cmpuint (trawl_test_site_get_n_requests (site), >, after);

  /* Speed can change while it runs. */
  trawl_engine_set_concurrency (engine, 1, 1);
  wait_ms (300);
  trawl_test_site_reset_log (site);
  wait_ms (400);
  g_assert_cmpuint (trawl_test_site_get_max_concurrency (site), ==, 1);

  /* And so can the delay. */
  trawl_engine_set_delay (engine, 0.25);
  wait_ms (400);
  {
    g_autoptr (GPtrArray) reqs = NULL;

    trawl_test_site_reset_log (site);
    wait_ms (1100);
    reqs = page_requests (site);
    g_assert_cmpuint (reqs->len, >=, 2);
    g_assert_cmpuint (reqs->len, <=, 9);
    for (guint i = 1; i < reqs->len; i++)
      g_assert_cmpint (((TrawlTestRequest *) reqs->pdata[i])->start_us -
                       ((TrawlTestRequest *) reqs->pdata[i - 1])->start_us, >=, 120 * 1000);
  }

  /* Stopped: ends cleanly, part of the site done, the rest still queued. */
  trawl_engine_stop (engine);
  g_main_loop_run (loop);
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_STOPPED);

  /* Observers were told in batches, never more than about ten times a second. */
  g_assert_cmpuint (o.stats, >, 5);
  g_assert_cmpfloat ((double) o.stats, <=, 2 + 10.0 * (o.last_stats - o.first_stats) / G_USEC_PER_SEC);

  db = test_open_db (path);
  stopped_pages = test_query_int (db, "SELECT count(*) FROM pages");
  g_assert_cmpint (stopped_pages, >, 3);
  g_assert_cmpint (stopped_pages, <, n);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), >, 0);
  g_assert_cmpstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'state'"), ==, "stopped");
  g_assert_cmpuint (o.pages, ==, stopped_pages + test_query_int (db, "SELECT count(*) FROM urls WHERE state = 3"));
  sqlite3_close (db);

  /* Resuming finishes the crawl with every page exactly once. */
  trawl_test_site_reset_log (site);
  resumed = trawl_engine_new_resume (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_run_engine (resumed), ==, TRAWL_ENGINE_FINISHED);

  db = test_open_db (path);
  pages = test_query_int (db, "SELECT count(*) FROM pages");
  g_assert_cmpint (pages, ==, n + 1);
  g_assert_cmpint (test_query_int (db, "SELECT count(DISTINCT url) FROM pages"), ==, n + 1);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 0);
  sqlite3_close (db);
  g_assert_cmpuint (trawl_test_site_get_n_requests (site), ==, n + 1 - stopped_pages + 1);
}

static void
test_list_mode (void)
{
  g_autoptr (TrawlTestSite) site = site_new (30, FALSE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autoptr (TrawlJob) job = test_job_new (base);
  g_autofree char *path = test_tmp_path ("list.trawl");
  g_autoptr (GPtrArray) fetched = NULL;
  sqlite3 *db;

  g_strfreev (job->start_urls);
  job->start_urls = g_new0 (char *, 4);
  job->start_urls[0] = g_strconcat (base, "page/3.html", NULL);
  job->start_urls[1] = g_strconcat (base, "page/17.html", NULL);
  job->start_urls[2] = g_strconcat (base, "page/99.html", NULL);
  job->list_mode = TRUE;

  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  fetched = test_query_strings (db, "SELECT url || ' ' || status FROM pages");
  g_assert_cmpuint (fetched->len, ==, 3);
  g_assert_cmpstr (fetched->pdata[0], ==, test_keep (g_strconcat (base, "page/17.html 200", NULL)));
  g_assert_cmpstr (fetched->pdata[1], ==, test_keep (g_strconcat (base, "page/3.html 200", NULL)));
  g_assert_cmpstr (fetched->pdata[2], ==, test_keep (g_strconcat (base, "page/99.html 404", NULL)));
  /* Their links are recorded, not followed. */
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE reason = 'list-mode'"), >, 0);
  sqlite3_close (db);
}

/* A host that refuses every connection: robots.txt is tried again as
 * often as pages are (--retries), then the host counts as disallowed,
 * and the crawl ends with the reason recorded. */
static void
test_refused_robots (void)
{
  g_autofree char *url = test_refused_url ();
  g_autofree char *path = test_tmp_path ("refused.trawl");
  g_autoptr (TrawlJob) job = NULL;
  gint64 start = g_get_monotonic_time ();
  sqlite3 *db;

  job = test_job_new (url);
  job->retries = 2;
  job->sitemaps = FALSE;
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  /* Two retries, a second apart: not an endless wait. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "SELECT reason FROM urls"), ==, "robots");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM log WHERE level = 'warning' AND "
                                       "message LIKE 'robots.txt could not be fetched (The server refused%%'"), ==, 1);
  sqlite3_close (db);
}

/* The same host with robots.txt ignored: the page fails, as a network
 * error, and the timeline never shows a failed attempt as a page crawled. */
static void
test_refused_rate (void)
{
  g_autofree char *url = test_refused_url ();
  g_autofree char *path = test_tmp_path ("refused-rate.trawl");
  g_autoptr (TrawlJob) job = NULL;
  sqlite3 *db;

  job = test_job_new (url);
  job->retries = 2;
  job->sitemaps = FALSE;
  job->robots = TRAWL_ROBOTS_IGNORE;
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  g_assert_cmpstr (test_query_string (db, "SELECT reason FROM urls"), ==, "network");
  g_assert_cmpint (test_query_int (db, "SELECT max(failed) FROM samples"), ==, 1);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM samples WHERE pages_per_second > 0"), ==, 0);
  sqlite3_close (db);
}

/* Every page of a whole crawl file as "url status body links": its
 * status, whether its body is stored and how many links it has, sorted. */
static GPtrArray *
stored_pages (const char *path)
{
  return test_whole_rows (path, "SELECT p.url || ' ' || p.status || ' ' || (b.page_id IS NOT NULL) "
                                "|| ' ' || (SELECT count(*) FROM links l WHERE l.from_id = p.id) "
                                "FROM pages p LEFT JOIN bodies b ON b.page_id = p.id");
}

static gboolean
contains_all (GPtrArray *all,
              GPtrArray *some)
{
  for (guint i = 0; i < some->len; i++)
    if (!g_ptr_array_find_with_equal_func (all, some->pdata[i], g_str_equal, NULL))
      return FALSE;
  return TRUE;
}

static void
on_log_line (TrawlEngine *engine,
             int          level,
             const char  *message,
             const char  *url,
             GString     *log)
{
  g_string_append_printf (log, "%s: %s\n", trawl_log_level_to_string (level), message);
}

/* A full disk pauses the crawl and says why; nothing stored is lost and
 * nothing is half-written; with room again, resuming finishes it as if
 * nothing had happened. */
static void
test_disk_full (void)
{
  g_autoptr (TrawlTestSite) site = site_new (300, FALSE, 0, 0);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *clean = test_tmp_path ("disk-clean.trawl");
  g_autofree char *disk = NULL;
  g_autofree char *path = NULL;
  g_autofree char *filler = NULL;
  g_autoptr (GPtrArray) clean_pages = NULL;
  g_autoptr (GPtrArray) paused_pages = NULL;
  g_autoptr (GPtrArray) pages = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GString) log = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlEngine) engine = NULL;
  const GError *problem;
  guint before;

  /* A disk with 160 kB free: the crawl needs three times that. */
  disk = test_mount_disk ("disk-full", "4m");
  if (disk == NULL)
    return;
  job->store_bodies = TRUE;
  g_assert_cmpint (test_crawl (job, clean), ==, TRAWL_ENGINE_FINISHED);
  clean_pages = stored_pages (clean);
  path = g_build_filename (disk, "full.trawl", NULL);
  filler = g_build_filename (disk, "filler", NULL);
  test_fill_disk (disk, "filler", 160 * 1024);

  engine = trawl_engine_new (job, path, &error);
  g_assert_no_error (error);
  g_signal_connect (engine, "finished", G_CALLBACK (on_finished), loop);
  g_signal_connect (engine, "log", G_CALLBACK (on_log_line), log);
  trawl_engine_start (engine);

  for (int i = 0; i < 300 && trawl_engine_get_problem (engine) == NULL; i++)
    wait_ms (100);
  problem = trawl_engine_get_problem (engine);
  g_assert_nonnull (problem);
  g_assert_true (g_error_matches (problem, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL));
  g_assert_cmpstr (problem->message, ==, test_keep (g_strdup_printf ("Could not write to “%s”: the disk is full", path)));
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_PAUSED);
  g_assert_nonnull (strstr (log->str, "the disk is full; the crawl is paused until there is space again"));

  /* Paused: once the requests in flight end, the site hears nothing. */
  wait_ms (300);
  before = trawl_test_site_get_n_requests (site);
  wait_ms (500);
  g_assert_cmpuint (trawl_test_site_get_n_requests (site), ==, before);

  /* The file holds whole pages, fewer than the site has. */
  paused_pages = stored_pages (path);
  g_assert_cmpuint (paused_pages->len, >, 0);
  g_assert_cmpuint (paused_pages->len, <, clean_pages->len);
  g_assert_true (contains_all (clean_pages, paused_pages));

  /* Resumed while the disk is still full, it stays paused. */
  trawl_engine_resume (engine);
  wait_ms (500);
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_PAUSED);
  g_assert_nonnull (trawl_engine_get_problem (engine));

  /* With room, resumed: it finishes with the pages of a clean crawl, each
   * once, those it had among them. */
  g_assert_cmpint (g_remove (filler), ==, 0);
  trawl_engine_resume (engine);
  g_main_loop_run (loop);
  g_assert_cmpint (trawl_engine_get_state (engine), ==, TRAWL_ENGINE_FINISHED);
  g_assert_null (trawl_engine_get_error (engine));
  g_assert_null (trawl_engine_get_problem (engine));
  g_assert_nonnull (strstr (log->str, "There is space on the disk again; the crawl goes on"));
  pages = stored_pages (path);
  g_assert_true (contains_all (pages, paused_pages));
  g_assert_cmpuint (pages->len, ==, clean_pages->len);
  for (guint i = 0; i < pages->len; i++)
    g_assert_cmpstr (pages->pdata[i], ==, clean_pages->pdata[i]);
  {
    sqlite3 *db = test_open_db (path);

    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 0);
    g_assert_cmpstr (test_query_string (db, "SELECT value FROM meta WHERE key = 'state'"), ==, "finished");
    sqlite3_close (db);
  }

  g_clear_object (&engine);
  test_unmount_disk (disk);
}

static void
test_bodies (void)
{
  g_autoptr (TrawlTestSite) site = site_new (5, FALSE, 0, 0);
  const char *base = trawl_test_site_get_url (site);
  g_autoptr (TrawlJob) job = test_job_new (base);
  g_autofree char *path = test_tmp_path ("bodies.trawl");
  sqlite3 *db;

  job->store_bodies = TRUE;
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM bodies"), ==,
                   test_query_int (db, "SELECT count(*) FROM pages"));
  /* Stored gzip-compressed: smaller than the page, starting with the gzip magic. */
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM bodies b JOIN pages p ON p.id = b.page_id "
                                       "WHERE length(b.body) >= p.bytes AND p.bytes > 1000"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "SELECT hex(substr(body, 1, 2)) FROM bodies LIMIT 1"), ==, "1F8B");
  sqlite3_close (db);
}

/* The nice value of this process's threads called @name: -100 if none. */
static int
thread_nice (const char *name)
{
#ifdef __linux__
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL;
      g_autofree char *stat = NULL;
      g_auto (GStrv) fields = NULL;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) ||
          strcmp (g_strstrip (comm), name) != 0 ||
          !g_file_get_contents (stat_path, &stat, NULL, NULL) || strrchr (stat, ')') == NULL)
        continue;
      /* After "pid (comm) ", the nice value is the 17th field. */
      fields = g_strsplit (strrchr (stat, ')') + 2, " ", -1);
      g_assert_cmpuint (g_strv_length (fields), >, 16);
      return atoi (fields[16]);
    }
#endif
  return -100;
}

/* In the window's process the crawl runs behind the thread that draws;
 * trawl-cli leaves it at the normal priority. */
static void
test_background (void)
{
#ifdef __linux__
  g_autoptr (TrawlTestSite) site = site_new (60, FALSE, 30, 0);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));

  /* The test itself may run under nice: a lowered thread goes to nice
   * 10, or stays where the process is when that is lower already. */
  int base = getpriority (PRIO_PROCESS, 0);

  job->concurrency = 2;
  for (int background = 0; background <= 1; background++)
    {
      g_autofree char *path = test_tmp_path (background ? "background.trawl" : "foreground.trawl");
      g_autoptr (GError) error = NULL;
      g_autoptr (TrawlEngine) engine = trawl_engine_new (job, path, &error);
      g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

      g_assert_no_error (error);
      g_signal_connect (engine, "finished", G_CALLBACK (on_finished), loop);
      trawl_engine_set_background (engine, background);
      trawl_engine_start (engine);
      wait_ms (300);
      trawl_engine_pause (engine);
      g_assert_cmpint (thread_nice ("trawl-engine"), ==, background ? MAX (base, 10) : base);
      g_assert_cmpint (thread_nice ("trawl-writer"), ==, background ? MAX (base, 10) : base);
      g_assert_cmpint (getpriority (PRIO_PROCESS, 0), ==, base);
      trawl_engine_stop (engine);
      g_main_loop_run (loop);
    }
#else
  g_test_skip ("Thread priorities are Linux only");
#endif
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/crawl/whole-site", test_whole_site);
  g_test_add_func ("/crawl/edge-cases", test_edge_cases);
  g_test_add_func ("/crawl/limits", test_limits);
  g_test_add_func ("/crawl/deadline-scope-agent", test_deadline_scope_agent);
  g_test_add_func ("/crawl/politeness", test_politeness);
  g_test_add_func ("/crawl/delay-modes", test_delay_modes);
  g_test_add_func ("/crawl/patterns-time-robots", test_patterns_time_robots);
  g_test_add_func ("/crawl/pause-stop-resume", test_pause_stop_resume);
  g_test_add_func ("/crawl/list-mode", test_list_mode);
  g_test_add_func ("/crawl/refused-robots", test_refused_robots);
  g_test_add_func ("/crawl/refused-rate", test_refused_rate);
  g_test_add_func ("/crawl/bodies", test_bodies);
  g_test_add_func ("/crawl/disk-full", test_disk_full);
  g_test_add_func ("/crawl/background", test_background);

  return g_test_run ();
}
