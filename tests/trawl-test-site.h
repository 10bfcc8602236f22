/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-test-site.h — a deterministic local web site for the crawl tests.
 *
 * The site is served by a SoupServer running in its own thread, bound to
 * 127.0.0.1 on a free port, so the tests never reach the network and may
 * block their own main thread while a crawl runs.  Every request is logged
 * (see TrawlTestRequest) so that tests can check what a crawl asked for,
 * when, and how many requests it had in flight.
 *
 * BASE below is the site's URL, "http://127.0.0.1:PORT/", and n is
 * TrawlTestSiteOptions.n_pages.  Every response has a Content-Type; the
 * HTML is UTF-8 unless said otherwise.  Only GET and HEAD are answered
 * (anything else is 405).  Query strings are ignored except where noted.
 * Any path not listed is 404 (text/html).
 *
 * The page graph
 *
 *   /                    "Trawl test site".  Links to /page/0.html and,
 *                        unless no_edge_cases, to /edge/.
 *   /page/<i>.html       0 ≤ i < n, written exactly as "<i>" in decimal (no
 *                        leading zeros).  Title "Page i", meta description
 *                        "Description of page i" (missing when i % 10 == 9),
 *                        h1 "Heading i", a few paragraphs of filler text.
 *                        Its <a href> links are exactly
 *                        trawl_test_site_page_links (i, n), in that order:
 *                        /page/<2i+1>.html and /page/<2i+2>.html when < n,
 *                        /page/<(7i+3) % n>.html, then "/".  The list may
 *                        repeat a path or name page i itself.  The hrefs
 *                        rotate between the forms "BASEpage/N.html",
 *                        "/page/N.html", "N.html" and "../page/N.html"
 *                        ("BASE", "/", "../", "../" for the home page).
 *                        The children make every page reachable from
 *                        /page/0.html.  Answered after page_delay_ms, as are
 *                        the 404s for other /page/ paths (i ≥ n and junk).
 *
 * Robots and sitemaps
 *
 *   /robots.txt          text/plain:
 *                          User-agent: *
 *                          Disallow: /private/
 *                          Crawl-delay: <crawl_delay>   (only when > 0)
 *                          Sitemap: BASEsitemap.xml
 *   /sitemap.xml         A sitemap index naming BASEsitemap-pages.xml and
 *                        BASEsitemap-orphans.xml.gz (application/xml).
 *   /sitemap-pages.xml   A urlset of BASE and BASEpage/0.html.
 *   /sitemap-orphans.xml.gz
 *                        A gzip file (Content-Type application/gzip, no
 *                        Content-Encoding) holding a urlset of
 *                        BASEorphan/1.html and BASEorphan/2.html.
 *   /orphan/1.html, /orphan/2.html
 *                        Titles "Orphan 1" and "Orphan 2", no links.
 *                        Nothing links them: only sitemap seeding finds them.
 *   /private/secret.html 200, title "Secret".  Disallowed by robots.txt, so
 *                        a polite crawler never asks for it.
 *
 * Edge cases, all linked from the /edge/ hub (which is linked from / unless
 * no_edge_cases; the paths are served either way)
 *
 *   /edge/               The hub, title "Edge cases".  Links to redirect,
 *                        loop-a, missing, error, flaky, busy,
 *                        /private/secret.html, slow.html, large.html,
 *                        image.png, doc.pdf, latin1.html, meta-charset.html,
 *                        bom.html, malformed.html, base/index.html,
 *                        dupes.html, nofollow.html, external.html, deep/1,
 *                        gzip.html, refresh.html and audit/ (all under
 *                        /edge/ except the secret).
 *   /edge/redirect       301 to "/edge/redirect-2" (a relative Location).
 *   /edge/redirect-2     302 to "BASEedge/target.html" (an absolute one).
 *   /edge/target.html    200, title "Redirect target".
 *   /edge/loop-a         302 to /edge/loop-b, which 302s back to
 *                        /edge/loop-a, forever.
 *   /edge/missing        404.
 *   /edge/error          500, always.
 *   /edge/flaky          503 on its first request, 200 (title "Flaky") on
 *                        every later one.
 *   /edge/busy           429 with "Retry-After: 1" on its first request, 200
 *                        (title "Busy") on every later one.  For both, "first"
 *                        counts from the site's creation: reset_log() does
 *                        not rearm them.
 *   /edge/slow.html      200, title "Slow", answered after 1500 ms.
 *   /edge/large.html     200, exactly TRAWL_TEST_SITE_LARGE_SIZE bytes (3 MiB)
 *                        of valid HTML, title "Large page", whose only link,
 *                        to /edge/target.html, is at the very end.
 *   /edge/image.png      A real 2×2 PNG (image/png).
 *   /edge/doc.pdf        A minimal PDF (application/pdf).
 *   /edge/latin1.html    "text/html; charset=iso-8859-1", ISO-8859-1 bytes,
 *                        title "Café latin1" (é is the byte 0xE9).
 *   /edge/meta-charset.html
 *                        "text/html" without a charset; the document says
 *                        <meta charset="windows-1252">; title "Café meta" in
 *                        cp1252 bytes, and a euro sign (0x80) in the body.
 *   /edge/bom.html       "text/html" without a charset, a UTF-8 byte order
 *                        mark, title "Café BOM".
 *   /edge/malformed.html Broken HTML (unclosed and mis-nested elements, stray
 *                        '<', unquoted attributes) whose two links are
 *                        /edge/malformed-1.html and /edge/malformed-2.html
 *                        (both 200, titles "Malformed 1" and "Malformed 2").
 *   /edge/base/index.html
 *                        <base href="/edge/based/"> and one link,
 *                        "target.html", which resolves to
 *                        /edge/based/target.html (200, title "Based target").
 *   /edge/dupes.html     Links "/edge/q?a=1&amp;b=2" (HTML-escaped),
 *                        "/edge/q?b=2&a=1", "/edge/q?a=1&b=2&utm_source=x",
 *                        "/page/1.html#top" and "/edge/q?a=1&b=2#frag": once
 *                        canonicalised, /edge/q?a=1&b=2 and /page/1.html.
 *   /edge/q              200, title "Query", whatever the query.
 *   /edge/nofollow.html  One link, rel="nofollow", to /edge/nofollowed.html
 *                        (200, title "Nofollowed", linked from nowhere else).
 *   /edge/external.html  One link, to http://localhost:PORT/page/0.html: this
 *                        server under another host name.
 *   /edge/deep/<k>       1 ≤ k ≤ 10, title "Deep k"; links "k+1" (that is,
 *                        /edge/deep/<k+1>) when k < 10.
 *   /edge/gzip.html      Sent with "Content-Encoding: gzip" whatever the
 *                        request's Accept-Encoding; title "Gzipped".
 *   /edge/refresh.html   <meta http-equiv="refresh"
 *                        content="0; url=/edge/refreshed.html">.
 *   /edge/refreshed.html 200, title "Refreshed".
 *
 * Members, linked from nowhere (crawls that log in start here)
 *
 *   /members/            401 with "WWW-Authenticate: Basic realm="Members""
 *                        unless the request has basic credentials
 *                        TRAWL_TEST_SITE_MEMBER_USER and _PASSWORD; then
 *                        200, title "Members", linking
 *                        /members/cookie.html.
 *   /members/cookie.html 200, title "Cookie page", when the request's
 *                        Cookie header is TRAWL_TEST_SITE_COOKIE; else 403.
 *
 * A proxy, when TrawlTestSiteOptions.proxy is set
 *
 *   The site is then also an HTTP proxy in front of itself, under the host
 *   name TRAWL_TEST_SITE_PROXIED_HOST, which only a proxy can reach (.test
 *   names do not resolve).  A request for that host (a client sends it to
 *   a proxy with its whole URL) is answered 407 with
 *   "Proxy-Authenticate: Basic realm="Proxy"" unless it has the basic
 *   proxy credentials TRAWL_TEST_SITE_PROXY_USER and _PASSWORD; then it is
 *   answered as the same path on this site would be.
 *
 * Audit cases, under /edge/audit/ and linked only from its hub; every page
 * is 200 with a title, a meta description and an h1 unless said otherwise
 *
 *   /edge/audit/         The hub, title "Audit cases".  Links to the eleven
 *                        pages below except gone.html, in this order.
 *   no-title.html        No <title>.
 *   same-title-1.html, same-title-2.html
 *                        Both titled "Same title".
 *   same-description-1.html, same-description-2.html
 *                        Both described "A description used twice".
 *   no-h1.html           No h1.
 *   noindex.html         <meta name="robots" content="noindex">.
 *   x-robots.html        "X-Robots-Tag: noindex".
 *   canonicalised.html   rel="canonical" to /edge/audit/canonical.html.
 *   canonical.html       rel="canonical" to itself.
 *   broken.html          Links gone.html (a 404) and /edge/missing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The size of /edge/large.html, in bytes. */
#define TRAWL_TEST_SITE_LARGE_SIZE (3 * 1024 * 1024)
/* How long /edge/slow.html takes to answer. */
#define TRAWL_TEST_SITE_SLOW_MS 1500
/* What /members/ asks for. */
#define TRAWL_TEST_SITE_MEMBER_USER "member"
#define TRAWL_TEST_SITE_MEMBER_PASSWORD "open sesame 7f3c"
#define TRAWL_TEST_SITE_COOKIE "session=c00k1e-9d2e"
/* What the proxy asks for, and the host name only it serves. */
#define TRAWL_TEST_SITE_PROXY_USER "proxy-user"
#define TRAWL_TEST_SITE_PROXY_PASSWORD "proxy pass 41d9"
#define TRAWL_TEST_SITE_PROXIED_HOST "proxied.test"

typedef struct _TrawlTestSite TrawlTestSite;

/* A zero-filled struct gives the defaults. */
typedef struct {
  guint    n_pages;        /* size of the generated page graph; 0 means the default, 50 */
  guint    page_delay_ms;  /* delay before answering each /page/ request (pause/politeness tests) */
  double   crawl_delay;    /* Crawl-delay in robots.txt; 0 = no line */
  gboolean no_edge_cases;  /* when TRUE, the home page does not link /edge/ */
  guint    port;           /* port to listen on; 0 = a random free one */
  gboolean proxy;          /* also serve TRAWL_TEST_SITE_PROXIED_HOST as a proxy that needs a login */
} TrawlTestSiteOptions;

typedef struct {
  gint64    start_us;   /* g_get_monotonic_time() when the request arrived (its headers were read) */
  gint64    end_us;     /* when the response finished (or the connection closed); 0 while in flight */
  char     *method;
  char     *path;       /* path?query as requested */
  guint     status;     /* the status answered; 0 until the request is handled */
  char     *user_agent; /* nullable */
  char     *host;       /* Host header; nullable */
  char     *authorization; /* Authorization header; nullable */
  char     *proxy_authorization; /* Proxy-Authorization header; nullable */
  char     *cookie;     /* Cookie header; nullable */
  gboolean  aborted;    /* the connection closed before the whole response was written */
} TrawlTestRequest;

TrawlTestSite    *trawl_test_site_new                 (const TrawlTestSiteOptions *options,
                                                       GError                    **error);
const char       *trawl_test_site_get_url             (TrawlTestSite              *site);
guint             trawl_test_site_get_port            (TrawlTestSite              *site);
GPtrArray        *trawl_test_site_get_requests        (TrawlTestSite              *site);
guint             trawl_test_site_get_n_requests      (TrawlTestSite              *site);
guint             trawl_test_site_count_requests      (TrawlTestSite              *site,
                                                       const char                 *path);
guint             trawl_test_site_get_max_concurrency (TrawlTestSite              *site);
gboolean          trawl_test_site_wait_idle           (TrawlTestSite              *site,
                                                       guint                       timeout_ms);
void              trawl_test_site_reset_log           (TrawlTestSite              *site);
void              trawl_test_site_free                (TrawlTestSite              *site);

GPtrArray        *trawl_test_site_page_links          (guint                       i,
                                                       guint                       n_pages);

TrawlTestRequest *trawl_test_request_copy             (const TrawlTestRequest     *request);
void              trawl_test_request_free             (TrawlTestRequest           *request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlTestSite, trawl_test_site_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlTestRequest, trawl_test_request_free)

G_END_DECLS
