/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-faults.c — crawls of a hostile server (trawl-fault-server.h).
 *
 * Whatever the server does, the crawl ends cleanly, within its deadlines
 * and size caps, and every URL's stored outcome says what happened.
 */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>
#include <sys/resource.h>

#include "test-helpers.h"
#include "trawl-fault-server.h"

typedef struct {
  TrawlFaultServer *server;
  char             *path;   /* the crawl file */
  sqlite3          *db;
} Crawl;

/* Crawls @start (a path on the server) with @job's settings. */
static void
crawl (Crawl            *c,
       TrawlFaultServer *server,
       TrawlJob         *job,
       const char       *name)
{
  c->server = server;
  c->path = test_tmp_path (name);
  g_assert_cmpint (test_crawl (job, c->path), ==, TRAWL_ENGINE_FINISHED);
  c->db = test_open_db (c->path);
  /* Every URL found ends settled: nothing is left queued or in flight. */
  g_assert_cmpint (test_query_int (c->db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 0);
}

static void
crawl_clear (Crawl *c)
{
  g_clear_pointer (&c->db, sqlite3_close);
  g_clear_pointer (&c->path, g_free);
}

static TrawlJob *
job_for (TrawlFaultServer *server,
         const char       *path)
{
  g_autofree char *url = g_strconcat (trawl_fault_server_get_url (server), path, NULL);
  TrawlJob *job = test_job_new (url);

  job->timeout = 2;
  job->retries = 1;
  job->sitemaps = FALSE;
  return job;
}

/* The outcome of the URL at @path. */
typedef struct {
  int         state;
  const char *reason;
  int         status;
  gint64      bytes;
  const char *error;
  int         attempts;
  gint64      fetch_ms;
  const char *title;
} Outcome;

static Outcome
outcome (Crawl      *c,
         const char *path)
{
  g_autofree char *url = g_strconcat (trawl_fault_server_get_url (c->server), path, NULL);
  sqlite3_stmt *stmt = NULL;
  Outcome o = { -1 };

  g_assert_cmpint (sqlite3_prepare_v2 (c->db,
                                       "SELECT u.state, u.reason, p.status, p.bytes, p.error, p.attempts, p.fetch_ms, p.title "
                                       "FROM urls u LEFT JOIN pages p ON p.id = u.id WHERE u.url = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      o.state = sqlite3_column_int (stmt, 0);
      o.reason = test_keep (g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      o.status = sqlite3_column_int (stmt, 2);
      o.bytes = sqlite3_column_int64 (stmt, 3);
      o.error = test_keep (g_strdup ((const char *) sqlite3_column_text (stmt, 4)));
      o.attempts = sqlite3_column_int (stmt, 5);
      o.fetch_ms = sqlite3_column_int64 (stmt, 6);
      o.title = test_keep (g_strdup ((const char *) sqlite3_column_text (stmt, 7)));
    }
  sqlite3_finalize (stmt);
  if (o.state < 0)
    g_error ("%s is not in the crawl file", url);
  return o;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (text == NULL || strstr (text, needle) == NULL)
    g_error ("“%s” does not contain “%s”", text ? text : "(null)", needle);
}

/* Connection and protocol faults, all linked from the hub: one crawl. */
static void
test_connection_faults (void)
{
  g_autoptr (TrawlFaultServer) server = trawl_fault_server_new ();
  g_autoptr (TrawlJob) job = job_for (server, "");
  Crawl c = { 0 };
  Outcome o;

  crawl (&c, server, job, "connection.trawl");

  /* A reset in the middle of the body: retried, then kept as far as it
   * came, with the reason. */
  o = outcome (&c, "reset");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FETCHED);
  g_assert_cmpstr (o.reason, ==, "truncated");
  g_assert_cmpint (o.status, ==, 200);
  g_assert_cmpint (o.bytes, ==, 1000);
  g_assert_cmpint (o.attempts, ==, 2);
  assert_contains (o.error, "broke off after 1000 bytes");
  g_assert_cmpuint (trawl_fault_server_count (server, "/reset"), ==, 2);

  /* Fewer bytes than Content-Length said. */
  o = outcome (&c, "short-body");
  g_assert_cmpstr (o.reason, ==, "truncated");
  g_assert_cmpint (o.bytes, ==, 100);
  assert_contains (o.error, "ended after 100 of the 5000 bytes");

  /* More bytes than it said: the rest is not read as a next response. */
  o = outcome (&c, "long-body");
  g_assert_cmpint (o.status, ==, 200);
  g_assert_cmpint (o.bytes, ==, 20);
  g_assert_cmpstr (o.title, ==, "Long");
  g_assert_null (o.error);

  /* A server that never answers, and one that answers a byte a second,
   * are given up at the deadline, each attempt. */
  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? "hang" : "slow";

      o = outcome (&c, path);
      g_assert_cmpint (o.state, ==, TRAWL_URL_FAILED);
      g_assert_cmpstr (o.reason, ==, "network");
      g_assert_cmpint (o.attempts, ==, 2);
      assert_contains (o.error, "No complete answer within 2 seconds");
      g_assert_cmpint (o.fetch_ms, <, 2000 + 1000);
    }

  /* Broken protocol. */
  o = outcome (&c, "bad-status");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FAILED);
  assert_contains (o.error, "Could not parse HTTP response");
  o = outcome (&c, "huge-headers");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FAILED);
  assert_contains (o.error, "Header too big");
  /* libsoup reads a chunk size that is not a number as the last chunk. */
  o = outcome (&c, "bad-chunks");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FETCHED);
  g_assert_cmpint (o.bytes, ==, 16);

  /* Redirects away from the web are recorded, never followed. */
  {
    const char *paths[] = { "to-file", "to-ftp", "to-javascript", "to-data" };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        o = outcome (&c, paths[i]);
        g_assert_cmpint (o.status, ==, 302);
        g_assert_cmpstr (o.error, ==, "The redirect leads to an address that is not http or https, which is not followed");
      }
    g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM urls WHERE url NOT LIKE 'http%%'"), ==, 0);
  }
  /* A Location that is no URL is no redirect; resolving it made GLib log
   * a critical (found by fuzzing). */
  o = outcome (&c, "to-junk");
  g_assert_cmpint (o.status, ==, 302);
  g_assert_cmpint (o.state, ==, TRAWL_URL_FETCHED);
  /* …and one to another host is out of the crawl's scope. */
  {
    g_autofree char *away = g_strdup_printf ("http://127.0.0.2:%u/away.html", trawl_fault_server_get_port (server));

    g_assert_cmpint (test_query_int (c.db, "SELECT state FROM urls WHERE url = '%s'", away), ==, TRAWL_URL_SKIPPED);
    g_assert_cmpstr (test_query_string (c.db, "SELECT reason FROM urls WHERE url = '%s'", away), ==, "out-of-scope");
  }
  o = outcome (&c, "loop-a");
  g_assert_cmpstr (o.error, ==, "Redirect loop");

  /* Text is stored as valid UTF-8, whatever came. */
  o = outcome (&c, "bad-utf8");
  g_assert_cmpstr (o.title, ==, "Bad \xef\xbf\xbd\xef\xbf\xbd UTF-8");
  g_assert_cmpint (outcome (&c, "ok.html").state, ==, TRAWL_URL_FETCHED);
  o = outcome (&c, "mixed-encoding");
  g_assert_true (g_utf8_validate (o.title, -1, NULL));
  /* The header's charset wins over the <meta>, as in browsers. */
  g_assert_cmpstr (o.title, ==, "Caf\xc3\x83\xc2\xa9 and caf\xc3\xa9");
  o = outcome (&c, "binary-html");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FETCHED);
  g_assert_cmpint (o.bytes, ==, 65536);

  /* A 429 storm is retried (after Retry-After when given), then kept. */
  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? "storm" : "storm-retry-after";
      g_autofree char *counted = g_strconcat ("/", path, NULL);

      o = outcome (&c, path);
      g_assert_cmpint (o.status, ==, 429);
      g_assert_cmpint (o.attempts, ==, 2);
      g_assert_cmpuint (trawl_fault_server_count (server, counted), ==, 2);
    }
  crawl_clear (&c);
}

static gint64
max_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Bodies too large for the cap: a big page, a compression bomb (10 GB
 * unpacked) and one that never ends.  Each is cut at max_size, and the
 * memory this process needs stays near the cap. */
static void
test_size_faults (void)
{
  g_autoptr (TrawlFaultServer) server = trawl_fault_server_new ();
  const char *paths[] = { "big", "bomb", "endless" };
  gint64 before = max_rss_kb ();

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (TrawlJob) job = job_for (server, paths[i]);
      g_autofree char *name = g_strdup_printf ("size-%s.trawl", paths[i]);
      Crawl c = { 0 };
      Outcome o;

      job->max_size = 4 * 1024 * 1024;
      crawl (&c, server, job, name);
      o = outcome (&c, paths[i]);
      g_assert_cmpint (o.state, ==, TRAWL_URL_FETCHED);
      g_assert_cmpstr (o.reason, ==, "too-large");
      g_assert_cmpint (o.bytes, ==, job->max_size);
      assert_contains (o.error, "larger than the limit of 4.2");
      crawl_clear (&c);
    }
  /* A few copies of the capped body at most, never the whole response.
   * (AddressSanitizer keeps freed memory in quarantine: RSS says nothing
   * of ours there.) */
  g_test_message ("peak memory grew by %" G_GINT64_FORMAT " KiB", max_rss_kb () - before);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (max_rss_kb () - before, <, 48 * 1024);
#else
  (void) before;
#endif
}

/* A page with 100,000 links keeps max_links of them; 100,000 nested
 * elements parse.  These are about parsing, not deadlines: the server
 * writes each page as it is asked for, which under the sanitizers on a
 * busy machine can take longer than job_for()'s two seconds. */
static void
test_page_faults (void)
{
  g_autoptr (TrawlFaultServer) server = trawl_fault_server_new ();
  Crawl c = { 0 };

  {
    g_autoptr (TrawlJob) job = job_for (server, "many-links");
    g_autofree char *page = g_strconcat (trawl_fault_server_get_url (server), "many-links", NULL);

    job->timeout = 60;
    job->max_links = 500;
    crawl (&c, server, job, "many-links.trawl");
    g_assert_cmpint (test_query_int (c.db, "SELECT outlinks FROM pages WHERE url = '%s'", page), ==, 500);
    g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM links"), ==, 500);
    /* The page and the first 500 it links. */
    g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM pages"), ==, 501);
    g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM pages WHERE url LIKE '%%/ml/499'"), ==, 1);
    g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM log WHERE level = 'warning' AND message = "
                                           "'The page has 100000 links; only the first 500 were kept and followed (see max_links)'"), ==, 1);
    crawl_clear (&c);
  }
  {
    g_autoptr (TrawlJob) job = job_for (server, "deep-nesting");

    job->timeout = 60;
    crawl (&c, server, job, "deep-nesting.trawl");
    g_assert_cmpstr (outcome (&c, "deep-nesting").title, ==, "Deep");
    /* The link inside all the elements is found. */
    g_assert_cmpint (outcome (&c, "ok.html").state, ==, TRAWL_URL_FETCHED);
    crawl_clear (&c);
  }
}

/* Spider traps end at the limits the job sets, each with its reason. */
static void
test_traps (void)
{
  g_autoptr (TrawlFaultServer) server = trawl_fault_server_new ();
  Crawl c = { 0 };

  /* An infinite calendar, and new session ids: at the depth limit. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TrawlJob) job = job_for (server, i == 0 ? "calendar/1" : "session/1/page");

      job->max_depth = 25;
      crawl (&c, server, job, i == 0 ? "calendar.trawl" : "session.trawl");
      g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM pages"), ==, 26);
      g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM urls WHERE reason = 'too-deep'"), ==, 1);
      crawl_clear (&c);
    }
  /* A query, and a path, that grow forever: at the URL length limit. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (TrawlJob) job = job_for (server, i == 0 ? "grow?q=" : "deep/a");

      job->max_url_length = 200;
      crawl (&c, server, job, i == 0 ? "grow.trawl" : "deep.trawl");
      g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM urls WHERE reason = 'url-too-long'"), ==, 1);
      g_assert_cmpint (test_query_int (c.db, "SELECT max(length(url)) FROM pages"), <=, 200);
      g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM pages"), >, 50);
      crawl_clear (&c);
    }
  /* With no limit but the page count, the crawl stops there. */
  {
    g_autoptr (TrawlJob) job = job_for (server, "calendar/1");

    g_autofree char *path = test_tmp_path ("pages.trawl");
    sqlite3 *db;

    job->max_pages = 300;
    g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
    db = test_open_db (path);
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 300);
    /* The next month waits for a resume. */
    g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 1);
    sqlite3_close (db);
  }
}

/* robots.txt that is huge, failing, looping or binary. */
static void
test_robots_faults (void)
{
  g_autoptr (TrawlFaultServer) server = trawl_fault_server_new ();
  const struct {
    TrawlFaultRobots robots;
    int              probe;     /* the state of /probe */
    int              private;   /* and of /private/a.html, or -1: not found */
    int              ok;        /* and of /ok.html */
    guint            fetches;   /* of /robots.txt */
  } cases[] = {
    { TRAWL_FAULT_ROBOTS_NONE, TRAWL_URL_FETCHED, TRAWL_URL_FETCHED, TRAWL_URL_FETCHED, 1 },
    /* Rules are read from the first 500 KiB, as RFC 9309 asks at least. */
    { TRAWL_FAULT_ROBOTS_HUGE, TRAWL_URL_FETCHED, TRAWL_URL_SKIPPED, TRAWL_URL_FETCHED, 1 },
    /* Unreachable after the retries: nothing on the host is crawled. */
    { TRAWL_FAULT_ROBOTS_ERROR, TRAWL_URL_SKIPPED, -1, -1, 2 },
    /* Endless redirects: unavailable, as a 404 would be (RFC 9309 2.3.1.2). */
    { TRAWL_FAULT_ROBOTS_LOOP, TRAWL_URL_FETCHED, TRAWL_URL_FETCHED, TRAWL_URL_FETCHED, 1 },
    /* Bytes that hold no rule allow everything. */
    { TRAWL_FAULT_ROBOTS_BINARY, TRAWL_URL_FETCHED, TRAWL_URL_FETCHED, TRAWL_URL_FETCHED, 1 },
  };
  guint before = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TrawlJob) job = job_for (server, "probe");
      g_autofree char *name = g_strdup_printf ("robots-%u.trawl", i);
      Crawl c = { 0 };

      trawl_fault_server_set_robots (server, cases[i].robots);
      crawl (&c, server, job, name);
      g_test_message ("robots case %u", i);
      g_assert_cmpint (outcome (&c, "probe").state, ==, cases[i].probe);
      if (cases[i].probe == TRAWL_URL_SKIPPED)
        g_assert_cmpstr (outcome (&c, "probe").reason, ==, "robots");
      if (cases[i].private >= 0)
        g_assert_cmpint (outcome (&c, "private/a.html").state, ==, cases[i].private);
      if (cases[i].private == TRAWL_URL_SKIPPED)
        g_assert_cmpstr (outcome (&c, "private/a.html").reason, ==, "robots");
      if (cases[i].ok >= 0)
        g_assert_cmpint (outcome (&c, "ok.html").state, ==, cases[i].ok);
      g_assert_cmpuint (trawl_fault_server_count (server, "/robots.txt") - before, ==, cases[i].fetches);
      before = trawl_fault_server_count (server, "/robots.txt");
      crawl_clear (&c);
    }
}

/* With block_private, nothing is asked of a loopback address, however
 * it is written; the URLs say why. */
static void
test_block_private (void)
{
  g_autoptr (TrawlFaultServer) server = trawl_fault_server_new ();
  const char *hosts[] = { "127.0.0.1", "[::ffff:127.0.0.1]" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://%s:%u/ok.html", hosts[i], trawl_fault_server_get_port (server));
      g_autofree char *name = g_strdup_printf ("private-%u.trawl", i);
      g_autofree char *path = test_tmp_path (name);
      g_autoptr (TrawlJob) job = test_job_new (url);
      sqlite3 *db;

      job->block_private = TRUE;
      job->sitemaps = FALSE;
      g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
      db = test_open_db (path);
      g_assert_cmpint (test_query_int (db, "SELECT state FROM urls"), ==, TRAWL_URL_FAILED);
      g_assert_cmpstr (test_query_string (db, "SELECT reason FROM urls"), ==, "private-address");
      g_assert_cmpint (test_query_int (db, "SELECT attempts FROM pages"), ==, 1);
      g_assert_true (g_str_has_suffix (test_query_string (db, "SELECT error FROM pages"),
                                       " is a private, loopback or link-local address, which this crawl refuses (block_private)"));
      sqlite3_close (db);
    }
  /* Not a byte of a request reached the server. */
  g_assert_cmpuint (trawl_fault_server_count (server, "/ok.html"), ==, 0);
  g_assert_cmpuint (trawl_fault_server_count (server, "/robots.txt"), ==, 0);
}

/* A file of tests/data/tls. */
static char *
tls_file (const char *name)
{
  return g_build_filename (g_getenv ("TRAWL_TESTDATA"), "tls", name, NULL);
}

/* An https fault server with the certificate @cert (signed for
 * 127.0.0.1 and localhost unless its name says otherwise). */
static TrawlFaultServer *
tls_server_new (const char *cert)
{
  g_autofree char *cert_file = tls_file (cert);
  g_autofree char *key_file = tls_file ("server.key");

  return trawl_fault_server_new_tls (cert_file, key_file);
}

/* A job for /@path on @server with @ca (a file of tests/data/tls, or
 * NULL) as ca_file.  These tests are about certificates, not deadlines:
 * handshakes and a 10 MB robots.txt over TLS get ample time, also under
 * the sanitizers on a busy machine. */
static TrawlJob *
tls_job_for (TrawlFaultServer *server,
             const char       *path,
             const char       *ca)
{
  TrawlJob *job = job_for (server, path);

  job->timeout = 60;
  job->ca_file = ca ? tls_file (ca) : NULL;
  return job;
}

/* Crawls /probe on an https server whose certificate is @cert, with
 * @ca (a file of tests/data/tls, or NULL) as ca_file, and checks that
 * the start URL failed at once with the reason tls and @message: no
 * retry, robots.txt not blamed, no request read by the server. */
static void
assert_refused (const char *cert,
                const char *ca,
                const char *message)
{
  g_autoptr (TrawlFaultServer) server = tls_server_new (cert);
  g_autoptr (TrawlJob) job = tls_job_for (server, "probe", ca);
  g_autofree char *name = g_strdup_printf ("tls-%s-%s.trawl", cert, ca ? ca : "system");
  Crawl c = { 0 };
  Outcome o;

  g_test_message ("%s, ca_file %s", cert, ca ? ca : "none");
  g_assert_true (g_str_has_prefix (trawl_fault_server_get_url (server), "https://127.0.0.1:"));
  crawl (&c, server, job, name);
  o = outcome (&c, "probe");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FAILED);
  g_assert_cmpstr (o.reason, ==, "tls");
  g_assert_cmpint (o.status, ==, 0);
  g_assert_cmpint (o.attempts, ==, 1);
  g_assert_cmpstr (o.error, ==, message);
  /* The page is the only URL: robots.txt did not stop the host. */
  g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM urls"), ==, 1);
  /* One warning in the log says it too. */
  g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM log WHERE level = 'warning'"), ==, 1);
  g_assert_cmpstr (test_query_string (c.db, "SELECT message FROM log WHERE level = 'warning'"), ==, message);
  g_assert_cmpuint (trawl_fault_server_count (server, "/probe"), ==, 0);
  g_assert_cmpuint (trawl_fault_server_count (server, "/robots.txt"), ==, 0);
  crawl_clear (&c);
}

#define UNTRUSTED "The server's certificate is not signed by a trusted authority (it is self-signed or from an unknown CA)"

/* By default only the system's authorities are trusted. */
static void
test_tls_untrusted (void)
{
  assert_refused ("self-signed.pem", NULL, UNTRUSTED);
  /* The test CA is no authority of the system. */
  assert_refused ("server.pem", NULL, UNTRUSTED);
}

/* With ca_file, a server that its CA signed is crawled over https,
 * robots.txt included, for its address and its host name. */
static void
test_tls_ca_file (void)
{
  g_autoptr (TrawlFaultServer) server = tls_server_new ("server.pem");
  g_autoptr (TrawlJob) job = tls_job_for (server, "probe", "ca.pem");
  g_autofree char *localhost = g_strdup_printf ("https://localhost:%u/ok.html", trawl_fault_server_get_port (server));
  Crawl c = { 0 };
  Outcome o;

  job->start_urls = g_renew (char *, job->start_urls, 3);
  job->start_urls[1] = g_strdup (localhost);
  job->start_urls[2] = NULL;
  trawl_fault_server_set_robots (server, TRAWL_FAULT_ROBOTS_HUGE);
  crawl (&c, server, job, "tls-ca-file.trawl");

  o = outcome (&c, "probe");
  g_assert_cmpint (o.state, ==, TRAWL_URL_FETCHED);
  g_assert_cmpint (o.status, ==, 200);
  g_assert_cmpstr (o.title, ==, "Probe");
  g_assert_null (o.error);
  /* Its links are followed, as robots.txt allows. */
  g_assert_cmpint (outcome (&c, "ok.html").state, ==, TRAWL_URL_FETCHED);
  g_assert_cmpint (outcome (&c, "private/a.html").state, ==, TRAWL_URL_SKIPPED);
  g_assert_cmpstr (outcome (&c, "private/a.html").reason, ==, "robots");
  g_assert_cmpint (test_query_int (c.db, "SELECT status FROM pages WHERE url = '%s'", localhost), ==, 200);
  g_assert_cmpint (test_query_int (c.db, "SELECT count(*) FROM pages WHERE error IS NOT NULL"), ==, 0);
  g_assert_cmpuint (trawl_fault_server_count (server, "/robots.txt"), ==, 2);
  crawl_clear (&c);
}

/* ca_file adds authorities; it does not make any certificate good. */
static void
test_tls_ca_file_refused (void)
{
  assert_refused ("other-ca.pem", "ca.pem",
                  "The server's certificate is not signed by a trusted authority, nor by one in ca_file "
                  "(it is self-signed or from an unknown CA)");
  assert_refused ("self-signed.pem", "ca.pem",
                  "The server's certificate is not signed by a trusted authority, nor by one in ca_file "
                  "(it is self-signed or from an unknown CA)");
  assert_refused ("wrong-host.pem", "ca.pem", "The server's certificate was issued for another host, not “127.0.0.1”");
  assert_refused ("expired.pem", "ca.pem", "The server's certificate has expired");
  assert_refused ("expired.pem", NULL, UNTRUSTED ". The server's certificate has expired");
}

/* A relative --ca-file is taken from the folder the crawl starts in, and
 * kept as a full path: a resume from another folder still trusts it. */
static void
test_tls_ca_file_resume (void)
{
  g_autoptr (TrawlFaultServer) server = tls_server_new ("server.pem");
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u/probe", trawl_fault_server_get_port (server));
  g_autofree char *here = g_get_current_dir ();
  g_autofree char *start = test_tmp_path ("ca-start");
  g_autofree char *elsewhere = test_tmp_path ("ca-elsewhere");
  g_autofree char *crawl = test_tmp_path ("tls-ca-resume.trawl");
  g_autofree char *ca = tls_file ("ca.pem");
  g_autofree char *copy = NULL;
  g_autofree char *pem = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *expected = NULL;
  gsize len;
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (start, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (elsewhere, 0700), ==, 0);
  copy = g_build_filename (start, "ca.pem", NULL);
  g_assert_true (g_file_get_contents (ca, &pem, &len, NULL));
  g_assert_true (g_file_set_contents (copy, pem, len, NULL));

  g_assert_cmpint (g_chdir (start), ==, 0);
  g_assert_cmpint (test_run_cli (&out, &err, "crawl", url, "--ca-file", "ca.pem", "--timeout", "60",
                                 "--max-pages", "1", "-o", crawl, "-q", NULL), ==, 0);
  db = test_open_db (crawl);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE status = 200"), ==, 1);
  sqlite3_close (db);
  test_lift_page_limit (crawl);

  g_assert_cmpint (g_chdir (elsewhere), ==, 0);
  if (test_run_cli (&out, &err, "resume", crawl, "-q", NULL) != 0)
    g_error ("resume from another folder failed: %s", err);
  g_assert_cmpint (g_chdir (here), ==, 0);
  db = test_open_db (crawl);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE status = 200 AND url LIKE '%%/ok.html'"), ==, 1);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages WHERE error IS NOT NULL"), ==, 0);
  sqlite3_close (db);

  /* A CA file deleted since is named as what stops the crawl. */
  g_assert_cmpint (g_unlink (copy), ==, 0);
  g_assert_cmpint (test_run_cli (&out, &err, "resume", crawl, "-q", NULL), ==, 2);
  expected = g_strdup_printf ("trawl-cli: The crawl in “%s” cannot go on: The CA file “%s” does not exist\n", crawl, copy);
  g_assert_cmpstr (err, ==, expected);
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);
  g_test_add_func ("/faults/connection", test_connection_faults);
  g_test_add_func ("/faults/size", test_size_faults);
  g_test_add_func ("/faults/page", test_page_faults);
  g_test_add_func ("/faults/traps", test_traps);
  g_test_add_func ("/faults/robots", test_robots_faults);
  g_test_add_func ("/faults/block-private", test_block_private);
  g_test_add_func ("/faults/tls/untrusted", test_tls_untrusted);
  g_test_add_func ("/faults/tls/ca-file", test_tls_ca_file);
  g_test_add_func ("/faults/tls/ca-file-refused", test_tls_ca_file_refused);
  g_test_add_func ("/faults/tls/ca-file-resume", test_tls_ca_file_resume);
  return g_test_run ();
}
