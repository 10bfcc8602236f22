/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-fault-server.h — a hostile web server for the fault tests.
 *
 * It speaks HTTP/1.1 by hand over plain sockets on 127.0.0.1, so that it
 * can break the protocol in ways a real HTTP library never would.  Every
 * connection is served in a thread of its own; freeing the server cuts
 * the connections that are still open (those that never answer, trickle
 * or never end).  One path a fault; BASE is "http://127.0.0.1:PORT/".
 * trawl_fault_server_new_tls() serves the same paths over TLS with a
 * certificate of tests/data/tls, at "https://127.0.0.1:PORT/".
 *
 *   /                    An HTML hub linking every path below but /big,
 *                        /bomb, /endless, /many-links, /deep-nesting.
 *   /ok.html             A good page, title "OK".
 *
 * The connection
 *   /reset               200 with Content-Length 100000; 1000 bytes of it,
 *                        then the connection is reset (RST).
 *   /hang                Reads the request and never answers.
 *   /slow                A good page, one byte a second.
 *   /endless             200 text/html, no length, bytes until the client
 *                        goes away.
 *   /bomb                200 text/html, Content-Encoding gzip: 10 MB that
 *                        unpack to 10 GB of zeros.
 *
 * The protocol
 *   /bad-status          "HTTP/1.1 OK FINE" as the status line.
 *   /huge-headers        200 with 2 MB of headers.
 *   /bad-chunks          Transfer-Encoding chunked with a chunk size that
 *                        is not a number.
 *   /short-body          Content-Length 5000, 100 bytes, then the end.
 *   /long-body           Content-Length 20, then 2000 bytes.
 *
 * Redirects
 *   /to-file, /to-ftp, /to-javascript, /to-data
 *                        302 to file:///etc/passwd, ftp://127.0.0.1/x,
 *                        javascript:alert(1), data:text/html,<h1>x</h1>.
 *   /to-away             302 to http(s)://127.0.0.2:PORT/away.html, another
 *                        host: out of scope for a host-scoped crawl.
 *   /loop-a, /loop-b     302 to each other.
 *
 * Content
 *   /bad-utf8            text/html; charset=utf-8 with the title
 *                        "Bad \xff\xfe UTF-8" and the body full of 0xC3
 *                        bytes with nothing after them.
 *   /mixed-encoding      charset=iso-8859-1 in the header, a UTF-8 <meta>,
 *                        and bytes of both.
 *   /binary-html         64 KB of random bytes (NULs among them) as
 *                        text/html.
 *   /many-links          100,000 distinct links to /ml/<i>.
 *   /deep-nesting        100,000 nested <div>s and a link inside them all.
 *   /big                 A 50 MB HTML page.
 *
 * Spider traps
 *   /calendar/<n>        "Month n", linking /calendar/<n+1>: never ends.
 *   /grow?q=<s>          Links /grow?q=<s>x: the query grows forever.
 *   /session/<id>/page   Links /session/<id+1>/page: a new "session" each.
 *   /deep/<path>         Links /deep/<path>/a: ever deeper.
 *
 * robots.txt, as trawl_fault_server_set_robots() says
 *   /robots.txt          TRAWL_FAULT_ROBOTS_NONE: 404.
 *                        _HUGE: "Disallow: /private/", 10 MB of comments,
 *                        then "Disallow: /ok.html", past any sane limit.
 *                        _ERROR: always 503.  _LOOP: 302 to /robots-a,
 *                        which redirects to /robots-b and back.
 *                        _BINARY: 64 KB of random bytes.
 *   /probe               Links /private/a.html and /ok.html.
 *   /private/a.html      A good page, title "Private".
 *
 * Storms
 *   /storm-retry-after   Always 429 with Retry-After: 1.
 *   /storm               Always 429, no Retry-After.
 *
 * Every request is counted by path (without the query), for tests that
 * check how often a fault was asked for.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TrawlFaultServer TrawlFaultServer;

typedef enum {
  TRAWL_FAULT_ROBOTS_NONE,
  TRAWL_FAULT_ROBOTS_HUGE,
  TRAWL_FAULT_ROBOTS_ERROR,
  TRAWL_FAULT_ROBOTS_LOOP,
  TRAWL_FAULT_ROBOTS_BINARY,
} TrawlFaultRobots;

TrawlFaultServer *trawl_fault_server_new          (void);
TrawlFaultServer *trawl_fault_server_new_tls      (const char       *cert_file,
                                                   const char       *key_file);
void              trawl_fault_server_free         (TrawlFaultServer *server);
const char       *trawl_fault_server_get_url      (TrawlFaultServer *server);
guint             trawl_fault_server_get_port     (TrawlFaultServer *server);
guint             trawl_fault_server_count        (TrawlFaultServer *server,
                                                   const char       *path);
void              trawl_fault_server_set_robots   (TrawlFaultServer *server,
                                                   TrawlFaultRobots  robots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlFaultServer, trawl_fault_server_free)

G_END_DECLS
