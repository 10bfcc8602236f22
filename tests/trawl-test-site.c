/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-test-site.c — a deterministic local web site for the crawl tests.
 *
 * The SoupServer lives in a thread of its own, with its own GMainContext:
 * it is created, run and destroyed there, and every signal and handler of
 * it runs there.  The only state shared with the tests' threads is the
 * request log and the concurrency counters, which the mutex protects, and
 * the URL and port, which are set before trawl_test_site_new() returns and
 * never change.
 *
 * Delayed answers (page_delay_ms, /edge/slow.html) pause the message and
 * unpause it from a timeout source in the server's context, so that one
 * slow request never holds up the others.
 */
#define G_LOG_DOMAIN "trawl-test-site"

#include "config.h"

#include "trawl-test-site.h"

#include <string.h>

#include <gio/gio.h>
#include <libsoup/soup.h>

#define DEFAULT_N_PAGES 50
#define N_DEEP 10
#define REQUEST_DATA_KEY "trawl-test-site-request"
/* RFC 6585; SoupStatus has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

struct _TrawlTestSite
{
  TrawlTestSiteOptions  options;
  char                 *url;       /* "http://127.0.0.1:PORT/"; set before new() returns */
  guint                 port;

  GThread              *thread;
  GMainContext         *context;
  GMainLoop            *loop;

  GMutex                mutex;
  /* Startup handshake with the server thread, under the mutex. */
  GCond                 ready_cond;
  gboolean              ready;
  GError               *error;
  /* The log, under the mutex: TrawlTestRequest rc boxes in arrival order. */
  GPtrArray            *log;
  guint                 in_flight;
  guint                 max_concurrency;
  GCond                 idle_cond;

  /* The rest belongs to the server thread alone. */
  SoupServer           *server;
  GHashTable           *pending;   /* RequestData with a delay source */
  guint                 flaky_hits;
  guint                 busy_hits;
  GBytes               *large_page;
  GBytes               *gzip_page;
  GBytes               *orphans_sitemap;
};

/* What we know about one SoupServerMessage; owned by the message. */
typedef struct
{
  TrawlTestSite    *site;
  TrawlTestRequest *entry;    /* a reference; the log holds another */
  GSource          *delay;    /* borrowed: the context owns it while attached */
  guint             status;   /* as the handler set it; 0 before */
  gboolean          wrote_body;
  gboolean          finished;
} RequestData;

/* A 2×2 RGB PNG: red, green, blue and white pixels. */
static const guint8 png_data[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
  0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
  0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
  0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0, 0xc0,
  0x00, 0xc2, 0x0c, 0xff, 0x81, 0x00, 0x00, 0x1f, 0xee, 0x05, 0xfb, 0xf1,
  0xab, 0xba, 0x77, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
  0x42, 0x60, 0x82,
};

static const char pdf_data[] =
  "%PDF-1.4\n"
  "1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
  "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
  "trailer <</Root 1 0 R>>\n"
  "%%EOF\n";

/* ISO-8859-1 bytes.  The hex escapes are split from following letters
 * that C would otherwise read as more hex digits. */
static const char latin1_html[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"fr\">\n"
  "<head>\n"
  "<title>Caf\xe9 latin1</title>\n"
  "</head>\n"
  "<body>\n"
  "<h1>Caf\xe9 latin1</h1>\n"
  "<p>Cr\xe8me br\xfbl\xe9" "e, na\xefve fa\xe7" "ade.</p>\n"
  "</body>\n"
  "</html>\n";

/* windows-1252 bytes, declared only in the document.  0x80 (the euro sign)
 * is a control character in ISO-8859-1, which tells the two apart. */
static const char meta_charset_html[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"fr\">\n"
  "<head>\n"
  "<meta charset=\"windows-1252\">\n"
  "<title>Caf\xe9 meta</title>\n"
  "</head>\n"
  "<body>\n"
  "<h1>Caf\xe9 meta</h1>\n"
  "<p>Un caf\xe9 co\xfbte 2 \x80 \x96 c\x92" "est cher.</p>\n"
  "</body>\n"
  "</html>\n";

static const char bom_html[] =
  "\xef\xbb\xbf<!DOCTYPE html>\n"
  "<html lang=\"fr\">\n"
  "<head>\n"
  "<title>Café BOM</title>\n"
  "</head>\n"
  "<body>\n"
  "<h1>Café BOM</h1>\n"
  "<p>Crème brûlée.</p>\n"
  "</body>\n"
  "</html>\n";

/* Broken in the ways real pages are, but never so that an HTML5 parser
 * would swallow the links: the title and the comment are closed, and
 * there is no unclosed <script> or <textarea>. */
static const char malformed_html[] =
  "<!DOCTYPE html>\n"
  "<html>\n"
  "<head>\n"
  "<meta charset=utf-8>\n"
  "<title>Malformed</title>\n"
  "<body>\n"
  "<h1>Malformed <em>page</h1></em>\n"
  "<p>An unclosed paragraph with <b>bold <i>and mis-nested</b> italic</i>\n"
  "<p>A stray < sign, a lone > sign, 1 <2 and 3<> 4 & an unescaped ampersand\n"
  "<div class=broken id=x data-x = \"spaced\" ><span>an unclosed span\n"
  "<!-- a comment -- with dashes -->\n"
  "<a href=/edge/malformed-1.html class=link>the first link\n"
  "<ul><li>item one<li>item two</ul>\n"
  "<table><tr><td>cell<td>cell two</table>\n"
  "<p><a href='/edge/malformed-2.html' title=second>the second link</p>\n"
  "</div></div></span>\n"
  "<p>Trailing junk: <<>> </ ";

static const char * const filler_words[] = {
  "crawler", "spider", "frontier", "fetch", "parse", "link", "anchor",
  "robots", "sitemap", "politeness", "delay", "queue", "host", "page",
  "graph", "canonical", "redirect", "status", "header", "body", "the",
  "a", "of", "and", "to", "every", "quickly", "slowly", "deterministic",
  "test", "site", "server",
};

static void
request_data_free (gpointer data);

/* Requests and the log */

static void
request_clear (TrawlTestRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->user_agent);
  g_free (request->host);
  g_free (request->authorization);
  g_free (request->proxy_authorization);
  g_free (request->cookie);
}

static void
log_entry_release (gpointer entry)
{
  g_atomic_rc_box_release_full (entry, (GDestroyNotify) request_clear);
}

/**
 * trawl_test_request_copy:
 * @request: a request from the log
 *
 * Returns: (transfer full): a deep copy of @request, to be freed with
 *   trawl_test_request_free()
 */
TrawlTestRequest *
trawl_test_request_copy (const TrawlTestRequest *request)
{
  TrawlTestRequest *copy;

  g_return_val_if_fail (request != NULL, NULL);

  copy = g_new0 (TrawlTestRequest, 1);
  copy->start_us = request->start_us;
  copy->end_us = request->end_us;
  copy->method = g_strdup (request->method);
  copy->path = g_strdup (request->path);
  copy->status = request->status;
  copy->user_agent = g_strdup (request->user_agent);
  copy->host = g_strdup (request->host);
  copy->authorization = g_strdup (request->authorization);
  copy->proxy_authorization = g_strdup (request->proxy_authorization);
  copy->cookie = g_strdup (request->cookie);
  copy->aborted = request->aborted;

  return copy;
}

/**
 * trawl_test_request_free:
 * @request: (nullable): a request returned by trawl_test_site_get_requests()
 *   or trawl_test_request_copy()
 *
 * Frees @request.
 */
void
trawl_test_request_free (TrawlTestRequest *request)
{
  if (request == NULL)
    return;

  request_clear (request);
  g_free (request);
}

static void
on_got_headers (SoupServerMessage *msg,
                RequestData       *data)
{
  TrawlTestSite *site = data->site;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  TrawlTestRequest *entry;

  if (data->entry != NULL)
    return;

  entry = g_atomic_rc_box_new0 (TrawlTestRequest);
  entry->start_us = g_get_monotonic_time ();
  entry->method = g_strdup (soup_server_message_get_method (msg));
  if (g_uri_get_query (uri) != NULL)
    entry->path = g_strconcat (g_uri_get_path (uri), "?", g_uri_get_query (uri), NULL);
  else
    entry->path = g_strdup (g_uri_get_path (uri));
  entry->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  entry->host = g_strdup (soup_message_headers_get_one (headers, "Host"));
  entry->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  entry->proxy_authorization = g_strdup (soup_message_headers_get_one (headers, "Proxy-Authorization"));
  entry->cookie = g_strdup (soup_message_headers_get_one (headers, "Cookie"));
  data->entry = entry;

  g_mutex_lock (&site->mutex);
  g_ptr_array_add (site->log, g_atomic_rc_box_acquire (entry));
  site->in_flight++;
  site->max_concurrency = MAX (site->max_concurrency, site->in_flight);
  g_mutex_unlock (&site->mutex);
}

/* libsoup emits "finished" both when the response has been written and
 * when the connection went away first; either way the request is over. */
static void
on_finished (SoupServerMessage *msg,
             RequestData       *data)
{
  TrawlTestSite *site = data->site;

  if (data->finished)
    return;
  data->finished = TRUE;

  if (data->delay != NULL)
    {
      GSource *delay = g_steal_pointer (&data->delay);

      g_hash_table_remove (site->pending, data);
      g_source_destroy (delay);
    }

  if (data->entry == NULL)
    return;

  g_mutex_lock (&site->mutex);
  data->entry->end_us = g_get_monotonic_time ();
  /* On a write error libsoup turns the status into a 500, which would
   * read as the site failing: keep the one we answered, flagged. */
  data->entry->status = data->status != 0 ? data->status : soup_server_message_get_status (msg);
  data->entry->aborted = !data->wrote_body;
  site->in_flight--;
  if (site->in_flight == 0)
    g_cond_broadcast (&site->idle_cond);
  g_mutex_unlock (&site->mutex);
}

static void
on_wrote_body (SoupServerMessage *msg,
               RequestData       *data)
{
  data->wrote_body = TRUE;
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    TrawlTestSite     *site)
{
  RequestData *data = g_new0 (RequestData, 1);

  data->site = site;
  g_object_set_data_full (G_OBJECT (msg), REQUEST_DATA_KEY, data, request_data_free);

  /* "request-started" comes before the request line is read, which on a
   * kept-alive connection can be long before the client sends anything:
   * the request only counts as arrived once its headers are in. */
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), data);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (on_wrote_body), data);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), data);
}

static void
request_data_free (gpointer pointer)
{
  RequestData *data = pointer;

  /* A pending delay source holds a reference on the message, so none can
   * be left by the time the message is finalized. */
  g_assert (data->delay == NULL);

  g_clear_pointer (&data->entry, log_entry_release);
  g_free (data);
}

/* Delayed answers */

static gboolean
on_delay_elapsed (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  RequestData *data = g_object_get_data (G_OBJECT (msg), REQUEST_DATA_KEY);

  g_hash_table_remove (data->site->pending, data);
  data->delay = NULL;
  soup_server_message_unpause (msg);

  return G_SOURCE_REMOVE;
}

static void
delay_answer (TrawlTestSite     *site,
              SoupServerMessage *msg,
              guint              delay_ms)
{
  RequestData *data = g_object_get_data (G_OBJECT (msg), REQUEST_DATA_KEY);
  GSource *source;

  g_return_if_fail (data != NULL && data->delay == NULL);

  soup_server_message_pause (msg);

  source = g_timeout_source_new (delay_ms);
  g_source_set_name (source, "[trawl-test-site] delayed answer");
  g_source_set_callback (source, on_delay_elapsed, g_object_ref (msg), g_object_unref);
  g_source_attach (source, site->context);
  data->delay = source;
  g_hash_table_add (site->pending, data);
  g_source_unref (source);
}

/* Drops the delayed answers still waiting when the site shuts down. */
static void
cancel_pending (TrawlTestSite *site)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, site->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      RequestData *data = key;

      g_ptr_array_add (sources, g_source_ref (g_steal_pointer (&data->delay)));
      g_hash_table_iter_remove (&iter);
    }

  /* Destroying a source drops its reference on the message, which may
   * free the RequestData: hence the two passes. */
  for (guint i = 0; i < sources->len; i++)
    g_source_destroy (g_ptr_array_index (sources, i));
}

/* Content helpers */

static void
append_filler (GString *s,
               guint    seed,
               guint    n_words)
{
  guint32 x = seed * 2654435761u + 12345u;

  for (guint k = 0; k < n_words; k++)
    {
      x = x * 1103515245u + 12345u;
      if (k > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, filler_words[(x >> 16) % G_N_ELEMENTS (filler_words)]);
    }
  g_string_append_c (s, '.');
}

static GString *
html_begin (const char *title,
            const char *description,
            const char *extra_head)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s,
                          "<!DOCTYPE html>\n"
                          "<html lang=\"en\">\n"
                          "<head>\n"
                          "<meta charset=\"utf-8\">\n"
                          "<title>%s</title>\n",
                          title);
  if (description != NULL)
    g_string_append_printf (s, "<meta name=\"description\" content=\"%s\">\n", description);
  if (extra_head != NULL)
    g_string_append (s, extra_head);
  g_string_append (s, "</head>\n<body>\n");

  return s;
}

/* soup_status_get_phrase() does not know every status we send. */
static void
set_status (SoupServerMessage *msg,
            guint              status)
{
  soup_server_message_set_status (msg, status,
                                  status == STATUS_TOO_MANY_REQUESTS ? "Too Many Requests" : NULL);
}

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  set_status (msg, status);
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

static void
respond_static (SoupServerMessage *msg,
                guint              status,
                const char        *content_type,
                const void        *data,
                gsize              length)
{
  set_status (msg, status);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, data, length);
}

/* Finishes the document @s and sends it as UTF-8 HTML. */
static void
respond_html (SoupServerMessage *msg,
              guint              status,
              GString           *s)
{
  gsize length;
  char *data;

  g_string_append (s, "</body>\n</html>\n");
  length = s->len;
  data = g_string_free (s, FALSE);

  set_status (msg, status);
  soup_server_message_set_response (msg, "text/html; charset=utf-8",
                                    SOUP_MEMORY_TAKE, data, length);
}

/* A page with a title, an h1 of the same text, and @body_html. */
static void
respond_simple (SoupServerMessage *msg,
                guint              status,
                const char        *title,
                const char        *body_html)
{
  GString *s = html_begin (title, NULL, NULL);

  g_string_append_printf (s, "<h1>%s</h1>\n", title);
  if (body_html != NULL)
    g_string_append (s, body_html);
  respond_html (msg, status, s);
}

static void
respond_redirect (SoupServerMessage *msg,
                  guint              status,
                  const char        *location)
{
  g_autofree char *body = g_strdup_printf ("<p>Moved to <a href=\"%s\">%s</a>.</p>\n",
                                           location, location);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Location", location);
  respond_simple (msg, status, soup_status_get_phrase (status), body);
}

static void
respond_not_found (SoupServerMessage *msg)
{
  respond_simple (msg, SOUP_STATUS_NOT_FOUND, "Not Found",
                  "<p>There is no such page on this site.</p>\n");
}

static GBytes *
gzip_compress (const char *data,
               gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  /* No GFileInfo is set, so the gzip header carries no name or mtime and
   * the bytes are the same on every run. */
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  memory = g_memory_output_stream_new_resizable ();
  out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (out, data, length, NULL, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    g_error ("Cannot gzip in memory: %s", error->message);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* Parses "<digits><suffix>" with no leading zeros, the one spelling of
 * each number that the site links, so that "/page/01.html" is a 404. */
static gboolean
parse_index (const char *s,
             const char *suffix,
             guint      *out)
{
  guint64 value = 0;
  const char *p;

  if (!g_ascii_isdigit (*s) || (s[0] == '0' && g_ascii_isdigit (s[1])))
    return FALSE;

  for (p = s; g_ascii_isdigit (*p); p++)
    {
      value = value * 10 + (*p - '0');
      if (value > G_MAXUINT32)
        return FALSE;
    }

  if (strcmp (p, suffix) != 0)
    return FALSE;

  *out = (guint) value;
  return TRUE;
}

/**
 * trawl_test_site_page_links:
 * @i: a page number
 * @n_pages: the number of pages on the site (0 means the default, 50)
 *
 * The paths that /page/@i.html links to, in document order: its children
 * in the binary tree, 2@i+1 and 2@i+2, when they exist, then
 * (7@i+3) mod @n_pages, then "/".  A path may appear more than once.
 *
 * Returns: (transfer full) (element-type utf8): the root-relative paths, or
 *   an empty array when @i is not a page
 */
GPtrArray *
trawl_test_site_page_links (guint i,
                            guint n_pages)
{
  GPtrArray *links = g_ptr_array_new_with_free_func (g_free);
  guint64 n = n_pages > 0 ? n_pages : DEFAULT_N_PAGES;

  if (i >= n)
    return links;

  for (guint64 child = 2 * (guint64) i + 1; child <= 2 * (guint64) i + 2; child++)
    if (child < n)
      g_ptr_array_add (links, g_strdup_printf ("/page/%" G_GUINT64_FORMAT ".html", child));

  g_ptr_array_add (links, g_strdup_printf ("/page/%" G_GUINT64_FORMAT ".html",
                                           (7 * (guint64) i + 3) % n));
  g_ptr_array_add (links, g_strdup ("/"));

  return links;
}

/* Writes @path, a link from a /page/ page, in one of four spellings, so
 * that a crawl of the graph exercises URL resolution. */
static char *
page_href (TrawlTestSite *site,
           const char    *path,
           guint          form)
{
  g_assert (path[0] == '/');

  switch (form % 4)
    {
    case 0:
      return g_strconcat (site->url, path + 1, NULL);
    case 1:
      return g_strdup (path);
    case 2:
      if (g_str_has_prefix (path, "/page/"))
        return g_strdup (path + strlen ("/page/"));
      return g_strconcat ("..", path, NULL);
    default:
      return g_strconcat ("..", path, NULL);
    }
}

/* Handlers */

static void
serve_home (TrawlTestSite     *site,
            SoupServerMessage *msg)
{
  GString *s = html_begin ("Trawl test site", "The deterministic site of Trawl's tests", NULL);

  g_string_append (s,
                   "<h1>Trawl test site</h1>\n"
                   "<p>A generated site for testing the Trawl crawler.</p>\n"
                   "<ul>\n"
                   "<li><a href=\"/page/0.html\">The first page</a></li>\n");
  if (!site->options.no_edge_cases)
    g_string_append (s, "<li><a href=\"/edge/\">Edge cases</a></li>\n");
  g_string_append (s, "</ul>\n");

  respond_html (msg, SOUP_STATUS_OK, s);
}

static void
serve_page (TrawlTestSite     *site,
            SoupServerMessage *msg,
            guint              i)
{
  g_autoptr(GPtrArray) links = trawl_test_site_page_links (i, site->options.n_pages);
  g_autofree char *title = g_strdup_printf ("Page %u", i);
  g_autofree char *description = NULL;
  GString *s;

  if (i % 10 != 9)
    description = g_strdup_printf ("Description of page %u", i);

  s = html_begin (title, description, NULL);
  g_string_append_printf (s, "<h1>Heading %u</h1>\n", i);
  for (guint k = 0; k < 3; k++)
    {
      g_string_append (s, "<p>");
      append_filler (s, i * 3 + k, 12 + (i + k) % 7 * 4);
      g_string_append (s, "</p>\n");
    }

  g_string_append (s, "<ul>\n");
  for (guint k = 0; k < links->len; k++)
    {
      const char *path = g_ptr_array_index (links, k);
      g_autofree char *href = page_href (site, path, i + k);

      g_string_append_printf (s, "<li><a href=\"%s\">%s</a></li>\n",
                              href, strcmp (path, "/") == 0 ? "Home" : path);
    }
  g_string_append (s, "</ul>\n");

  respond_html (msg, SOUP_STATUS_OK, s);
}

static void
serve_robots (TrawlTestSite     *site,
              SoupServerMessage *msg)
{
  GString *s = g_string_new ("User-agent: *\nDisallow: /private/\n");
  gsize length;
  char *data;

  if (site->options.crawl_delay > 0)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (s, "Crawl-delay: %s\n",
                              g_ascii_formatd (buffer, sizeof buffer, "%g",
                                               site->options.crawl_delay));
    }
  g_string_append_printf (s, "Sitemap: %ssitemap.xml\n", site->url);

  length = s->len;
  data = g_string_free (s, FALSE);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_TAKE, data, length);
}

static char *
make_urlset (TrawlTestSite      *site,
             const char * const *paths)
{
  GString *s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");

  for (guint k = 0; paths[k] != NULL; k++)
    g_string_append_printf (s,
                            "  <url>\n"
                            "    <loc>%s%s</loc>\n"
                            "    <lastmod>2024-01-01</lastmod>\n"
                            "  </url>\n",
                            site->url, paths[k]);
  g_string_append (s, "</urlset>\n");

  return g_string_free (s, FALSE);
}

static void
serve_sitemap (TrawlTestSite     *site,
               SoupServerMessage *msg,
               const char        *path)
{
  char *data;

  if (strcmp (path, "/sitemap.xml") == 0)
    {
      data = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                              "  <sitemap><loc>%ssitemap-pages.xml</loc></sitemap>\n"
                              "  <sitemap><loc>%ssitemap-orphans.xml.gz</loc></sitemap>\n"
                              "</sitemapindex>\n",
                              site->url, site->url);
    }
  else if (strcmp (path, "/sitemap-pages.xml") == 0)
    {
      static const char * const paths[] = { "", "page/0.html", NULL };

      data = make_urlset (site, paths);
    }
  else
    {
      static const char * const paths[] = { "orphan/1.html", "orphan/2.html", NULL };

      if (site->orphans_sitemap == NULL)
        {
          g_autofree char *xml = make_urlset (site, paths);

          site->orphans_sitemap = gzip_compress (xml, strlen (xml));
        }
      respond_bytes (msg, SOUP_STATUS_OK, "application/gzip", site->orphans_sitemap);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/xml",
                                    SOUP_MEMORY_TAKE, data, strlen (data));
}

static GBytes *
make_large_page (void)
{
  static const char tail[] =
    "<p><a href=\"/edge/target.html\">The end</a></p>\n"
    "</body>\n"
    "</html>\n";
  GString *s = html_begin ("Large page", "A page of three mebibytes", NULL);
  gsize body_size = TRAWL_TEST_SITE_LARGE_SIZE - (sizeof tail - 1);

  g_string_append (s, "<h1>Large page</h1>\n");
  for (guint k = 0; s->len < body_size - 1024; k++)
    {
      g_string_append_printf (s, "<p id=\"p%u\">", k);
      append_filler (s, k, 60);
      g_string_append (s, "</p>\n");
    }

  /* Pad to the exact size with a comment, which no parser sees links in. */
  g_string_append (s, "<!--");
  while (s->len < body_size - strlen ("-->\n"))
    g_string_append_c (s, (s->len % 80) == 0 ? '\n' : '.');
  g_string_append (s, "-->\n");
  g_string_append (s, tail);
  g_assert (s->len == TRAWL_TEST_SITE_LARGE_SIZE);

  return g_string_free_to_bytes (s);
}

static void
serve_edge_hub (TrawlTestSite     *site,
                SoupServerMessage *msg)
{
  static const char * const links[] = {
    "redirect", "loop-a", "missing", "error", "flaky", "busy",
    "/private/secret.html", "slow.html", "large.html", "image.png",
    "doc.pdf", "latin1.html", "meta-charset.html", "bom.html",
    "malformed.html", "base/index.html", "dupes.html", "nofollow.html",
    "external.html", "deep/1", "gzip.html", "refresh.html", "audit/",
  };
  GString *s = html_begin ("Edge cases", "Every awkward case a crawler meets", NULL);

  g_string_append (s, "<h1>Edge cases</h1>\n<ul>\n");
  for (guint k = 0; k < G_N_ELEMENTS (links); k++)
    g_string_append_printf (s, "<li><a href=\"%s\">%s</a></li>\n", links[k], links[k]);
  g_string_append (s, "</ul>\n");

  respond_html (msg, SOUP_STATUS_OK, s);
}

/* Answers a request under /edge/audit/: pages each made to trip one check
 * of a site audit, and nothing else. */
static void
serve_audit (TrawlTestSite     *site,
             SoupServerMessage *msg,
             const char        *name)
{
  static const char * const links[] = {
    "no-title.html", "same-title-1.html", "same-title-2.html",
    "same-description-1.html", "same-description-2.html", "no-h1.html",
    "noindex.html", "x-robots.html", "canonicalised.html", "canonical.html",
    "broken.html",
  };
  /* The name, the title, the description, the extra <head> and the body. */
  static const char * const pages[][5] = {
    { "same-title-1.html", "Same title", "The first page with this title", NULL, "<h1>Same title 1</h1>\n" },
    { "same-title-2.html", "Same title", "The second page with this title", NULL, "<h1>Same title 2</h1>\n" },
    { "same-description-1.html", "Same description 1", "A description used twice", NULL,
      "<h1>Same description 1</h1>\n" },
    { "same-description-2.html", "Same description 2", "A description used twice", NULL,
      "<h1>Same description 2</h1>\n" },
    { "no-h1.html", "No heading", "A page without a heading", NULL, "<p>No heading here.</p>\n" },
    { "noindex.html", "Noindex", "A page that asks not to be indexed",
      "<meta name=\"robots\" content=\"noindex\">\n", "<h1>Noindex</h1>\n" },
    { "x-robots.html", "X-Robots-Tag", "A page whose header asks not to be indexed", NULL,
      "<h1>X-Robots-Tag</h1>\n" },
    { "canonicalised.html", "Canonicalised", "A page that names another as canonical",
      "<link rel=\"canonical\" href=\"/edge/audit/canonical.html\">\n", "<h1>Canonicalised</h1>\n" },
    { "canonical.html", "Canonical", "A page that names itself as canonical",
      "<link rel=\"canonical\" href=\"canonical.html\">\n", "<h1>Canonical</h1>\n" },
    { "broken.html", "Broken links", "A page with two broken links", NULL,
      "<h1>Broken links</h1>\n"
      "<p><a href=\"gone.html\">Gone</a> and <a href=\"/edge/missing\">missing</a>.</p>\n" },
  };
  GString *s;

  if (*name == '\0')
    {
      s = html_begin ("Audit cases", "Pages that a site audit flags", NULL);
      g_string_append (s, "<h1>Audit cases</h1>\n<ul>\n");
      for (guint k = 0; k < G_N_ELEMENTS (links); k++)
        g_string_append_printf (s, "<li><a href=\"%s\">%s</a></li>\n", links[k], links[k]);
      g_string_append (s, "</ul>\n");
      respond_html (msg, SOUP_STATUS_OK, s);
      return;
    }
  if (strcmp (name, "no-title.html") == 0)
    {
      s = g_string_new ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"description\" content=\"A page without a title\">\n"
                        "</head>\n<body>\n<h1>No title</h1>\n");
      respond_html (msg, SOUP_STATUS_OK, s);
      return;
    }
  for (guint k = 0; k < G_N_ELEMENTS (pages); k++)
    {
      if (strcmp (name, pages[k][0]) != 0)
        continue;
      if (strcmp (name, "x-robots.html") == 0)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "X-Robots-Tag", "noindex");
      s = html_begin (pages[k][1], pages[k][2], pages[k][3]);
      g_string_append (s, pages[k][4]);
      respond_html (msg, SOUP_STATUS_OK, s);
      return;
    }
  respond_not_found (msg);
}

/* Answers a request under /edge/; returns the delay before the answer. */
static guint
serve_edge (TrawlTestSite     *site,
            SoupServerMessage *msg,
            const char        *path)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *name = path + strlen ("/edge/");
  guint k;

  if (*name == '\0')
    serve_edge_hub (site, msg);
  else if (g_str_has_prefix (name, "audit/"))
    serve_audit (site, msg, name + strlen ("audit/"));
  else if (strcmp (name, "redirect") == 0)
    respond_redirect (msg, SOUP_STATUS_MOVED_PERMANENTLY, "/edge/redirect-2");
  else if (strcmp (name, "redirect-2") == 0)
    {
      g_autofree char *location = g_strconcat (site->url, "edge/target.html", NULL);

      respond_redirect (msg, SOUP_STATUS_FOUND, location);
    }
  else if (strcmp (name, "target.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Redirect target",
                    "<p>The end of the redirect chain.</p>\n");
  else if (strcmp (name, "loop-a") == 0)
    respond_redirect (msg, SOUP_STATUS_FOUND, "/edge/loop-b");
  else if (strcmp (name, "loop-b") == 0)
    respond_redirect (msg, SOUP_STATUS_FOUND, "/edge/loop-a");
  else if (strcmp (name, "missing") == 0)
    respond_not_found (msg);
  else if (strcmp (name, "error") == 0)
    respond_simple (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Internal Server Error",
                    "<p>This page always fails.</p>\n");
  else if (strcmp (name, "flaky") == 0)
    {
      if (site->flaky_hits++ == 0)
        respond_simple (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Service Unavailable",
                        "<p>Try again.</p>\n");
      else
        respond_simple (msg, SOUP_STATUS_OK, "Flaky", "<p>It works the second time.</p>\n");
    }
  else if (strcmp (name, "busy") == 0)
    {
      if (site->busy_hits++ == 0)
        {
          soup_message_headers_replace (response_headers, "Retry-After", "1");
          respond_simple (msg, STATUS_TOO_MANY_REQUESTS, "Too Many Requests",
                          "<p>Slow down.</p>\n");
        }
      else
        respond_simple (msg, SOUP_STATUS_OK, "Busy", "<p>Thank you for waiting.</p>\n");
    }
  else if (strcmp (name, "slow.html") == 0)
    {
      respond_simple (msg, SOUP_STATUS_OK, "Slow", "<p>Sorry to keep you waiting.</p>\n");
      return TRAWL_TEST_SITE_SLOW_MS;
    }
  else if (strcmp (name, "large.html") == 0)
    {
      if (site->large_page == NULL)
        site->large_page = make_large_page ();
      respond_bytes (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", site->large_page);
    }
  else if (strcmp (name, "image.png") == 0)
    respond_static (msg, SOUP_STATUS_OK, "image/png", png_data, sizeof png_data);
  else if (strcmp (name, "doc.pdf") == 0)
    respond_static (msg, SOUP_STATUS_OK, "application/pdf", pdf_data, sizeof pdf_data - 1);
  else if (strcmp (name, "latin1.html") == 0)
    respond_static (msg, SOUP_STATUS_OK, "text/html; charset=iso-8859-1",
                    latin1_html, sizeof latin1_html - 1);
  else if (strcmp (name, "meta-charset.html") == 0)
    respond_static (msg, SOUP_STATUS_OK, "text/html",
                    meta_charset_html, sizeof meta_charset_html - 1);
  else if (strcmp (name, "bom.html") == 0)
    respond_static (msg, SOUP_STATUS_OK, "text/html", bom_html, sizeof bom_html - 1);
  else if (strcmp (name, "malformed.html") == 0)
    respond_static (msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
                    malformed_html, sizeof malformed_html - 1);
  else if (strcmp (name, "malformed-1.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Malformed 1", "<p>Found despite the mess.</p>\n");
  else if (strcmp (name, "malformed-2.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Malformed 2", "<p>Found despite the mess.</p>\n");
  else if (strcmp (name, "base/index.html") == 0)
    {
      GString *s = html_begin ("Base", NULL, "<base href=\"/edge/based/\">\n");

      g_string_append (s,
                       "<h1>Base</h1>\n"
                       "<p>Relative links here resolve against /edge/based/: "
                       "<a href=\"target.html\">the target</a>.</p>\n");
      respond_html (msg, SOUP_STATUS_OK, s);
    }
  else if (strcmp (name, "based/target.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Based target", "<p>Reached through &lt;base&gt;.</p>\n");
  else if (strcmp (name, "dupes.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Duplicates",
                    "<p>Five links, two URLs once canonicalised:</p>\n"
                    "<ul>\n"
                    "<li><a href=\"/edge/q?a=1&amp;b=2\">escaped</a></li>\n"
                    "<li><a href=\"/edge/q?b=2&a=1\">reordered</a></li>\n"
                    "<li><a href=\"/edge/q?a=1&b=2&utm_source=x\">tracked</a></li>\n"
                    "<li><a href=\"/page/1.html#top\">with a fragment</a></li>\n"
                    "<li><a href=\"/edge/q?a=1&b=2#frag\">query and fragment</a></li>\n"
                    "</ul>\n");
  else if (strcmp (name, "q") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Query", "<p>The same page whatever the query.</p>\n");
  else if (strcmp (name, "nofollow.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Nofollow",
                    "<p><a rel=\"nofollow\" href=\"/edge/nofollowed.html\">Do not follow</a>.</p>\n");
  else if (strcmp (name, "nofollowed.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Nofollowed", "<p>Only a nofollow link leads here.</p>\n");
  else if (strcmp (name, "external.html") == 0)
    {
      g_autofree char *body =
        g_strdup_printf ("<p><a href=\"http://localhost:%u/page/0.html\">"
                         "The same server under another name</a>.</p>\n",
                         site->port);

      respond_simple (msg, SOUP_STATUS_OK, "External", body);
    }
  else if (g_str_has_prefix (name, "deep/") &&
           parse_index (name + strlen ("deep/"), "", &k) &&
           k >= 1 && k <= N_DEEP)
    {
      g_autofree char *title = g_strdup_printf ("Deep %u", k);
      g_autofree char *body = NULL;

      if (k < N_DEEP)
        body = g_strdup_printf ("<p><a href=\"%u\">Deeper</a>.</p>\n", k + 1);
      else
        body = g_strdup ("<p>The bottom.</p>\n");
      respond_simple (msg, SOUP_STATUS_OK, title, body);
    }
  else if (strcmp (name, "gzip.html") == 0)
    {
      if (site->gzip_page == NULL)
        {
          GString *s = html_begin ("Gzipped", NULL, NULL);
          gsize length;
          g_autofree char *html = NULL;

          g_string_append (s, "<h1>Gzipped</h1>\n<p>");
          append_filler (s, 42, 200);
          g_string_append (s, "</p>\n</body>\n</html>\n");
          length = s->len;
          html = g_string_free (s, FALSE);
          site->gzip_page = gzip_compress (html, length);
        }
      soup_message_headers_replace (response_headers, "Content-Encoding", "gzip");
      soup_message_headers_replace (response_headers, "Vary", "Accept-Encoding");
      respond_bytes (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", site->gzip_page);
    }
  else if (strcmp (name, "refresh.html") == 0)
    {
      GString *s = html_begin ("Refresh", NULL,
                               "<meta http-equiv=\"refresh\" content=\"0; url=/edge/refreshed.html\">\n");

      g_string_append (s, "<h1>Refresh</h1>\n<p>Moving on…</p>\n");
      respond_html (msg, SOUP_STATUS_OK, s);
    }
  else if (strcmp (name, "refreshed.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Refreshed", "<p>Reached by a meta refresh.</p>\n");
  else
    respond_not_found (msg);

  return 0;
}

/* Whether the request's @header has the basic credentials @user_password
 * ("user:password"). */
static gboolean
has_basic_credentials (SoupServerMessage *msg,
                       const char        *header,
                       const char        *user_password)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *credentials = g_base64_encode ((const guchar *) user_password, strlen (user_password));
  g_autofree char *expected = g_strconcat ("Basic ", credentials, NULL);

  return g_strcmp0 (soup_message_headers_get_one (headers, header), expected) == 0;
}

/* Answers a request under /members/, which needs a login. */
static void
serve_members (SoupServerMessage *msg,
               const char        *path)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (strcmp (path, "/members/") == 0)
    {
      if (has_basic_credentials (msg, "Authorization", TRAWL_TEST_SITE_MEMBER_USER ":" TRAWL_TEST_SITE_MEMBER_PASSWORD))
        respond_simple (msg, SOUP_STATUS_OK, "Members", "<p><a href=\"cookie.html\">With a cookie</a></p>\n");
      else
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Basic realm=\"Members\"");
          respond_simple (msg, SOUP_STATUS_UNAUTHORIZED, "Unauthorized", NULL);
        }
    }
  else if (strcmp (path, "/members/cookie.html") == 0)
    {
      if (g_strcmp0 (soup_message_headers_get_one (headers, "Cookie"), TRAWL_TEST_SITE_COOKIE) == 0)
        respond_simple (msg, SOUP_STATUS_OK, "Cookie page", "<p>The cookie was sent.</p>\n");
      else
        respond_simple (msg, SOUP_STATUS_FORBIDDEN, "Forbidden", NULL);
    }
  else
    respond_not_found (msg);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TrawlTestSite *site = user_data;
  const char *method = soup_server_message_get_method (msg);
  RequestData *data = g_object_get_data (G_OBJECT (msg), REQUEST_DATA_KEY);
  guint delay_ms = 0;
  guint k;

  if (site->options.proxy &&
      g_strcmp0 (g_uri_get_host (soup_server_message_get_uri (msg)), TRAWL_TEST_SITE_PROXIED_HOST) == 0 &&
      !has_basic_credentials (msg, "Proxy-Authorization", TRAWL_TEST_SITE_PROXY_USER ":" TRAWL_TEST_SITE_PROXY_PASSWORD))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Proxy-Authenticate", "Basic realm=\"Proxy\"");
      respond_simple (msg, SOUP_STATUS_PROXY_AUTHENTICATION_REQUIRED, "Proxy Authentication Required", NULL);
    }
  else if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      respond_simple (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed", NULL);
    }
  else if (strcmp (path, "/") == 0)
    serve_home (site, msg);
  else if (g_str_has_prefix (path, "/page/"))
    {
      if (parse_index (path + strlen ("/page/"), ".html", &k) && k < site->options.n_pages)
        serve_page (site, msg, k);
      else
        respond_not_found (msg);
      delay_ms = site->options.page_delay_ms;
    }
  else if (strcmp (path, "/robots.txt") == 0)
    serve_robots (site, msg);
  else if (strcmp (path, "/sitemap.xml") == 0 ||
           strcmp (path, "/sitemap-pages.xml") == 0 ||
           strcmp (path, "/sitemap-orphans.xml.gz") == 0)
    serve_sitemap (site, msg, path);
  else if (strcmp (path, "/orphan/1.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Orphan 1", "<p>Only the sitemap knows this page.</p>\n");
  else if (strcmp (path, "/orphan/2.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Orphan 2", "<p>Only the sitemap knows this page.</p>\n");
  else if (strcmp (path, "/private/secret.html") == 0)
    respond_simple (msg, SOUP_STATUS_OK, "Secret", "<p>robots.txt asks crawlers to stay away.</p>\n");
  else if (g_str_has_prefix (path, "/edge/"))
    delay_ms = serve_edge (site, msg, path);
  else if (g_str_has_prefix (path, "/members/"))
    serve_members (msg, path);
  else
    respond_not_found (msg);

  /* Log the status now: the client may have the whole answer before
   * "finished" runs here. */
  if (data != NULL)
    {
      data->status = soup_server_message_get_status (msg);
      if (data->entry != NULL)
        {
          g_mutex_lock (&site->mutex);
          data->entry->status = data->status;
          g_mutex_unlock (&site->mutex);
        }
    }

  if (delay_ms > 0)
    delay_answer (site, msg, delay_ms);
}

/* The server thread */

static gpointer
server_thread (gpointer user_data)
{
  TrawlTestSite *site = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (site->context);

  site->server = soup_server_new ("server-header", "trawl-test-site ", NULL);
  soup_server_add_handler (site->server, NULL, handle_request, site, NULL);
  g_signal_connect (site->server, "request-started", G_CALLBACK (on_request_started), site);

  /* IPV4_ONLY makes listen_local() bind 127.0.0.1 alone: never an
   * address another machine could reach. */
  if (soup_server_listen_local (site->server, site->options.port,
                                SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      uris = soup_server_get_uris (site->server);
      site->port = g_uri_get_port (uris->data);
      site->url = g_strdup_printf ("http://127.0.0.1:%u/", site->port);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }

  g_mutex_lock (&site->mutex);
  site->ready = TRUE;
  site->error = g_steal_pointer (&error);
  g_cond_signal (&site->ready_cond);
  g_mutex_unlock (&site->mutex);

  if (site->url != NULL)
    g_main_loop_run (site->loop);

  /* Closing the connections finishes the messages still in progress,
   * which drops their delay sources; cancel_pending() catches any left. */
  soup_server_disconnect (site->server);
  cancel_pending (site);
  g_clear_object (&site->server);

  /* Let the closed connections and finished messages be freed.  Bounded,
   * in case something keeps an idle source alive. */
  for (guint k = 0; k < 100 && g_main_context_iteration (site->context, FALSE); k++)
    ;

  g_main_context_pop_thread_default (site->context);

  return NULL;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * trawl_test_site_new:
 * @options: (nullable): the site's options, or %NULL for the defaults
 * @error: return location for a #GError
 *
 * Starts the test site on 127.0.0.1 in a thread of its own.  It serves
 * requests as soon as this returns, whatever the calling thread does.
 *
 * Returns: (transfer full): the running site, or %NULL if the server could
 *   not listen
 */
TrawlTestSite *
trawl_test_site_new (const TrawlTestSiteOptions  *options,
                     GError                     **error)
{
  TrawlTestSite *site;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  site = g_new0 (TrawlTestSite, 1);
  if (options != NULL)
    site->options = *options;
  if (site->options.n_pages == 0)
    site->options.n_pages = DEFAULT_N_PAGES;

  g_mutex_init (&site->mutex);
  g_cond_init (&site->ready_cond);
  g_cond_init (&site->idle_cond);
  site->log = g_ptr_array_new_with_free_func (log_entry_release);
  site->pending = g_hash_table_new (NULL, NULL);
  site->context = g_main_context_new ();
  site->loop = g_main_loop_new (site->context, FALSE);

  site->thread = g_thread_try_new ("trawl-test-site", server_thread, site, error);
  if (site->thread == NULL)
    {
      trawl_test_site_free (site);
      return NULL;
    }

  g_mutex_lock (&site->mutex);
  while (!site->ready)
    g_cond_wait (&site->ready_cond, &site->mutex);
  g_mutex_unlock (&site->mutex);

  if (site->error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&site->error),
                                  "Cannot start the test site: ");
      trawl_test_site_free (site);
      return NULL;
    }

  return site;
}

/**
 * trawl_test_site_free:
 * @site: (nullable): a test site
 *
 * Stops the server, waits for its thread and frees everything.  Requests
 * still in progress are cut off.
 */
void
trawl_test_site_free (TrawlTestSite *site)
{
  if (site == NULL)
    return;

  if (site->thread != NULL)
    {
      /* A source rather than g_main_loop_quit(): the thread may not have
       * entered g_main_loop_run() yet, and a quit before the run is lost. */
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, quit_loop, site->loop, NULL);
      g_source_attach (source, site->context);
      g_source_unref (source);

      g_thread_join (site->thread);
    }

  g_clear_pointer (&site->log, g_ptr_array_unref);
  g_clear_pointer (&site->pending, g_hash_table_unref);
  g_clear_pointer (&site->large_page, g_bytes_unref);
  g_clear_pointer (&site->gzip_page, g_bytes_unref);
  g_clear_pointer (&site->orphans_sitemap, g_bytes_unref);
  g_clear_pointer (&site->loop, g_main_loop_unref);
  g_clear_pointer (&site->context, g_main_context_unref);
  g_clear_error (&site->error);
  g_clear_pointer (&site->url, g_free);
  g_cond_clear (&site->ready_cond);
  g_cond_clear (&site->idle_cond);
  g_mutex_clear (&site->mutex);
  g_free (site);
}

/**
 * trawl_test_site_get_url:
 * @site: a test site
 *
 * Returns: the site's base URL, "http://127.0.0.1:PORT/"
 */
const char *
trawl_test_site_get_url (TrawlTestSite *site)
{
  g_return_val_if_fail (site != NULL, NULL);

  return site->url;
}

/**
 * trawl_test_site_get_port:
 * @site: a test site
 *
 * Returns: the port the site listens on
 */
guint
trawl_test_site_get_port (TrawlTestSite *site)
{
  g_return_val_if_fail (site != NULL, 0);

  return site->port;
}

/**
 * trawl_test_site_get_requests:
 * @site: a test site
 *
 * A snapshot of the request log.  Requests still in progress have an
 * @end_us of 0, and a @status of 0 until they have been handled.
 *
 * Returns: (transfer full) (element-type TrawlTestRequest): copies of the
 *   requests received since the site started or the log was last reset,
 *   in arrival order; the array frees them
 */
GPtrArray *
trawl_test_site_get_requests (TrawlTestSite *site)
{
  GPtrArray *requests;

  g_return_val_if_fail (site != NULL, NULL);

  g_mutex_lock (&site->mutex);
  requests = g_ptr_array_new_full (site->log->len, (GDestroyNotify) trawl_test_request_free);
  for (guint k = 0; k < site->log->len; k++)
    g_ptr_array_add (requests, trawl_test_request_copy (g_ptr_array_index (site->log, k)));
  g_mutex_unlock (&site->mutex);

  return requests;
}

/**
 * trawl_test_site_get_n_requests:
 * @site: a test site
 *
 * Returns: how many requests were received since the site started or the
 *   log was last reset
 */
guint
trawl_test_site_get_n_requests (TrawlTestSite *site)
{
  guint n;

  g_return_val_if_fail (site != NULL, 0);

  g_mutex_lock (&site->mutex);
  n = site->log->len;
  g_mutex_unlock (&site->mutex);
  return n;
}

/**
 * trawl_test_site_count_requests:
 * @site: a test site
 * @path: a path, with its query if it had one: "/edge/q?a=1&b=2"
 *
 * Returns: how many logged requests were for exactly @path
 */
guint
trawl_test_site_count_requests (TrawlTestSite *site,
                                const char    *path)
{
  guint count = 0;

  g_return_val_if_fail (site != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);

  g_mutex_lock (&site->mutex);
  for (guint k = 0; k < site->log->len; k++)
    {
      const TrawlTestRequest *request = g_ptr_array_index (site->log, k);

      if (g_strcmp0 (request->path, path) == 0)
        count++;
    }
  g_mutex_unlock (&site->mutex);

  return count;
}

/**
 * trawl_test_site_get_max_concurrency:
 * @site: a test site
 *
 * A request is in flight from the arrival of its headers until its
 * response is written (or its connection closes).
 *
 * Returns: the most requests in flight at once since the site started or
 *   the log was last reset
 */
guint
trawl_test_site_get_max_concurrency (TrawlTestSite *site)
{
  guint max;

  g_return_val_if_fail (site != NULL, 0);

  g_mutex_lock (&site->mutex);
  max = site->max_concurrency;
  g_mutex_unlock (&site->mutex);

  return max;
}

/**
 * trawl_test_site_wait_idle:
 * @site: a test site
 * @timeout_ms: how long to wait at most
 *
 * Waits until no request is in flight.  A client can have a whole response
 * a moment before the server thread logs its end; tests that check @end_us
 * or the concurrency right after a crawl call this first.
 *
 * Returns: %TRUE if the site is idle, %FALSE on timeout
 */
gboolean
trawl_test_site_wait_idle (TrawlTestSite *site,
                           guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  gboolean idle;

  g_return_val_if_fail (site != NULL, FALSE);

  g_mutex_lock (&site->mutex);
  while (site->in_flight > 0)
    if (!g_cond_wait_until (&site->idle_cond, &site->mutex, deadline))
      break;
  idle = site->in_flight == 0;
  g_mutex_unlock (&site->mutex);

  return idle;
}

/**
 * trawl_test_site_reset_log:
 * @site: a test site
 *
 * Empties the request log and restarts the concurrency count from the
 * requests now in flight.  Requests in flight are not logged again.  The
 * first-request state of /edge/flaky and /edge/busy is kept.
 */
void
trawl_test_site_reset_log (TrawlTestSite *site)
{
  g_return_if_fail (site != NULL);

  g_mutex_lock (&site->mutex);
  g_ptr_array_set_size (site->log, 0);
  site->max_concurrency = site->in_flight;
  g_mutex_unlock (&site->mutex);
}
