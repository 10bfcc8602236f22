/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rerun.c — extraction rules run again over the bodies a crawl
 * stored: the items are what a crawl with those rules finds, all or
 * nothing, and the refusals say why. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-rerun.h"
#include "trawl-store.h"
#include "trawl-test-site.h"

#include <gio/gio.h>
#include <string.h>

/* Rules of every kind, records among them, over pages in UTF-8,
 * ISO-8859-1, windows-1252 by <meta> and UTF-8 with a BOM. */
static const char *const new_rules[] = {
  "title = css:title",
  "links[] = css:a::attr(href)",
  "words = xpath:count(//p)",
  "cafe = regex:Caf(.)",
  "link = css:li",
  "link.href = css:a::attr(href)",
  "link.text = css:a",
  NULL
};

static const char *const old_rules[] = { "heading = css:h1", NULL };

static void
assert_same_items (GPtrArray *a,
                   GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
}

static char *
job_rules_of (const char *path)
{
  sqlite3 *db = test_open_db (path);
  g_autoptr (TrawlJob) job = trawl_job_load_data (test_query_string (db, "SELECT value FROM meta WHERE key = 'job'"),
                                                  NULL);

  sqlite3_close (db);
  g_assert_nonnull (job);
  return job->extract != NULL ? g_strjoinv ("\n", job->extract) : g_strdup ("");
}

typedef struct {
  TrawlTestSite *site;
  char          *stored;   /* crawled with old_rules and store_bodies */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  TrawlTestSiteOptions options = { .n_pages = 40 };
  g_autoptr (TrawlJob) job = NULL;
  static guint n;

  f->site = trawl_test_site_new (&options, NULL);
  job = test_job_new (trawl_test_site_get_url (f->site));
  job->store_bodies = TRUE;
  job->extract = g_strdupv ((char **) old_rules);
  f->stored = test_tmp_path (test_keep (g_strdup_printf ("stored-%u.trawl", n++)));
  g_assert_cmpint (test_crawl (job, f->stored), ==, TRAWL_ENGINE_FINISHED);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  trawl_test_site_free (f->site);
  g_free (f->stored);
}

typedef struct {
  gint64 calls;
  gint64 last_done;
  gint64 total;
} Progress;

static void
on_progress (gint64   done,
             gint64   total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpint (done, >=, p->last_done);
  g_assert_cmpint (done, <=, total);
  p->calls++;
  p->last_done = done;
  p->total = total;
}

/* The items after a re-run are exactly those of a crawl with the new
 * rules, and the file's job holds them. */
static void
test_same_as_crawl (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (f->site));
  g_autofree char *crawled = test_tmp_path ("crawled.trawl");
  g_autoptr (GPtrArray) expected = NULL;
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *rules = NULL;
  g_autofree char *joined = g_strjoinv ("\n", (char **) new_rules);
  TrawlRerunResult result = { 0 };
  Progress progress = { 0 };
  sqlite3 *db;

  job->extract = g_strdupv ((char **) new_rules);
  g_assert_cmpint (test_crawl (job, crawled), ==, TRAWL_ENGINE_FINISHED);
  expected = test_items_of (crawled);
  g_assert_cmpuint (expected->len, >, 100);

  g_assert_true (trawl_rerun_rules (f->stored, new_rules, on_progress, &progress, NULL, &result, &error));
  g_assert_no_error (error);
  got = test_items_of (f->stored);
  assert_same_items (got, expected);
  g_assert_cmpint (result.items, ==, expected->len);

  db = test_open_db (f->stored);
  /* Every HTML page that answered 200, the charset cases among them. */
  g_assert_cmpint (result.pages, ==, test_query_int (db, "SELECT count(*) FROM pages WHERE status = 200 AND "
                                                         "content_type = 'text/html'"));
  g_assert_cmpstr (test_query_string (db, "SELECT json_extract (i.data, '$.title') FROM items i JOIN urls u "
                                          "ON u.id = i.page_id WHERE u.url LIKE '%%/edge/latin1.html'"), ==,
                   "Café latin1");
  g_assert_cmpstr (test_query_string (db, "SELECT json_extract (i.data, '$.cafe') FROM items i JOIN urls u "
                                          "ON u.id = i.page_id WHERE u.url LIKE '%%/edge/meta-charset.html' "
                                          "AND i.record IS NULL"), ==, "é");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM items WHERE json_extract (data, '$.heading') "
                                       "IS NOT NULL"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  sqlite3_close (db);

  rules = job_rules_of (f->stored);
  g_assert_cmpstr (rules, ==, joined);
  g_assert_cmpint (progress.last_done, ==, progress.total);
  g_assert_cmpint (progress.calls, >=, 2);

  /* And back: the old rules give the old crawl's items again. */
  g_assert_true (trawl_rerun_rules (f->stored, old_rules, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  db = test_open_db (f->stored);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM items"), ==,
                   test_query_int (db, "SELECT count(*) FROM pages WHERE h1 IS NOT NULL AND status = 200 "
                                       "AND content_type = 'text/html'"));
  sqlite3_close (db);
}

/* A crawl continued after a re-run goes on with the new rules and keeps
 * the items they found. */
static void
test_resume_keeps_new_rules (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlEngine) engine = NULL;
  g_autoptr (GPtrArray) rerun = NULL;
  g_autoptr (GPtrArray) resumed = NULL;
  g_autofree char *rules = NULL;

  g_assert_true (trawl_rerun_rules (f->stored, new_rules, NULL, NULL, NULL, NULL, &error));
  rerun = test_items_of (f->stored);
  engine = trawl_engine_new_resume (f->stored, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_run_engine (engine), ==, TRAWL_ENGINE_FINISHED);
  rules = job_rules_of (f->stored);
  g_assert_true (g_str_has_prefix (rules, "title = css:title\n"));
  resumed = test_items_of (f->stored);
  assert_same_items (resumed, rerun);
}

static void
cancel_at_first (gint64   done,
                 gint64   total,
                 gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Stopped half way, or refused, the file keeps its items and rules. */
static void
test_all_or_nothing (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr (GPtrArray) before = test_items_of (f->stored);
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *rules = NULL;
  const char *const bad[] = { "title = css:title", "price = css:.price:hover", NULL };

  g_assert_cmpuint (before->len, >, 20);
  g_assert_false (trawl_rerun_rules (f->stored, new_rules, cancel_at_first, cancellable, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  after = test_items_of (f->stored);
  assert_same_items (after, before);
  rules = job_rules_of (f->stored);
  g_assert_cmpstr (rules, ==, "heading = css:h1");

  /* A bad rule: its own sentence, as a crawl gives it. */
  g_assert_false (trawl_rerun_rules (f->stored, bad, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“price = css:.price:hover”"));
  g_clear_pointer (&after, g_ptr_array_unref);
  after = test_items_of (f->stored);
  assert_same_items (after, before);
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (f->site));
  g_autofree char *plain = test_tmp_path ("plain.trawl");
  g_autofree char *text = test_tmp_path ("notes.txt");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = test_items_of (f->stored);
  g_autoptr (GPtrArray) after = NULL;
  g_autofree char *expected = NULL;
  TrawlStore *crawling;

  /* Crawled without bodies. */
  job->extract = g_strdupv ((char **) old_rules);
  g_assert_cmpint (test_crawl (job, plain), ==, TRAWL_ENGINE_FINISHED);
  g_assert_false (trawl_rerun_rules (plain, new_rules, NULL, NULL, NULL, NULL, &error));
  expected = g_strdup_printf ("“%s” has no stored response bodies: crawl with --store-bodies to re-run rules", plain);
  g_assert_error (error, TRAWL_RERUN_ERROR, TRAWL_RERUN_ERROR_NO_BODIES);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Not a crawl. */
  g_file_set_contents (text, "not a crawl\n", -1, NULL);
  g_assert_false (trawl_rerun_rules (text, new_rules, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_NOT_CRAWL);
  g_clear_error (&error);

  /* Being written: a crawl holds the file as long as its store is open. */
  crawling = trawl_store_open (f->stored, TRAWL_STORE_RESUME, &error);
  g_assert_no_error (error);
  g_assert_false (trawl_rerun_rules (f->stored, new_rules, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "is being crawled by another process"));
  g_clear_error (&error);
  trawl_store_free (crawling);
  after = test_items_of (f->stored);
  assert_same_items (after, before);

  /* Once it stopped, the rules run. */
  g_assert_true (trawl_rerun_rules (f->stored, new_rules, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add ("/rerun/same-as-crawl", Fixture, NULL, fixture_set_up, test_same_as_crawl, fixture_tear_down);
  g_test_add ("/rerun/resume-keeps-new-rules", Fixture, NULL, fixture_set_up, test_resume_keeps_new_rules,
              fixture_tear_down);
  g_test_add ("/rerun/all-or-nothing", Fixture, NULL, fixture_set_up, test_all_or_nothing, fixture_tear_down);
  g_test_add ("/rerun/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);

  return g_test_run ();
}
