/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-fault-server.c — a hostile web server for the fault tests.
 *
 * The listener runs in a thread of its own with its own GMainContext;
 * GThreadedSocketService hands each connection to a worker thread, where
 * the fault is written with plain blocking I/O.  Waits check the server's
 * cancellable, so freeing the server ends every connection promptly.  In
 * TLS mode each connection is wrapped in a GTlsServerConnection (GIO's
 * TLS, from glib-networking) and the same faults are served inside it.
 */
#include "config.h"

#include "trawl-fault-server.h"

#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define BOMB_BLOCK (1024 * 1024)
#define BOMB_BLOCKS 10240

struct _TrawlFaultServer
{
  GThread        *thread;
  GMainContext   *context;      /* owned: the listener's */
  GMainLoop      *loop;         /* owned */
  GSocketService *service;      /* owned */
  GCancellable   *cancellable;  /* owned: cancelled when the server goes */
  GTlsCertificate *certificate; /* owned, nullable: serve https with it */
  guint           port;
  char           *url;          /* owned */
  TrawlFaultRobots robots;      /* atomic */

  GMutex          lock;
  GCond           idle;
  guint           serving;      /* connections accepted and not done, under lock */
  GHashTable     *counts;       /* owned: path → count, under lock */
  GMutex          start_lock;
  GCond           started;
  gboolean        running;

  GBytes         *bomb_head;    /* owned: the gzip header and first block */
  GBytes         *bomb_block;   /* owned: a block that repeats */
};

typedef struct {
  TrawlFaultServer *server;
  GSocketConnection *connection;
  GIOStream        *stream;     /* the connection, or TLS over it */
  GOutputStream    *out;
  char             *path;       /* without the query */
  char             *query;      /* nullable */
} Request;

/* Waits @ms milliseconds, or less if the server goes; FALSE if it went. */
static gboolean
wait_ms (TrawlFaultServer *server,
         guint             ms)
{
  for (guint waited = 0; waited < ms; waited += 20)
    {
      if (g_cancellable_is_cancelled (server->cancellable))
        return FALSE;
      g_usleep (20 * 1000);
    }
  return !g_cancellable_is_cancelled (server->cancellable);
}

static gboolean
send_bytes (Request    *r,
            const void *data,
            gsize       len)
{
  return g_output_stream_write_all (r->out, data, len, NULL, r->server->cancellable, NULL);
}

static gboolean
send_text (Request    *r,
           const char *text)
{
  return send_bytes (r, text, strlen (text));
}

/* A whole response with a length, closing the connection after it. */
static void
respond (Request    *r,
         const char *status,
         const char *headers,
         const char *body,
         gsize       len)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %s\r\n%sContent-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n\r\n",
                                           status, headers ? headers : "", len);

  if (send_text (r, head))
    send_bytes (r, body, len);
}

static void
respond_html (Request    *r,
              const char *html)
{
  respond (r, "200 OK", "Content-Type: text/html; charset=utf-8\r\n", html, strlen (html));
}

static void
respond_redirect (Request    *r,
                  const char *location)
{
  g_autofree char *headers = g_strdup_printf ("Location: %s\r\nContent-Type: text/html\r\n", location);

  respond (r, "302 Found", headers, "", 0);
}

static const char *const hub_paths[] = {
  "ok.html", "reset", "hang", "slow", "bad-status", "huge-headers", "bad-chunks", "short-body",
  "long-body", "to-file", "to-ftp", "to-javascript", "to-data", "to-junk", "to-away", "loop-a", "bad-utf8",
  "mixed-encoding", "binary-html", "storm", "storm-retry-after",
};

static void
serve_hub (Request *r)
{
  GString *html = g_string_new ("<!DOCTYPE html><html><head><title>Faults</title></head><body><ul>\n");

  for (guint i = 0; i < G_N_ELEMENTS (hub_paths); i++)
    g_string_append_printf (html, "<li><a href=\"/%s\">%s</a></li>\n", hub_paths[i], hub_paths[i]);
  g_string_append (html, "</ul></body></html>\n");
  respond_html (r, html->str);
  g_string_free (html, TRUE);
}

static void
serve_reset (Request *r)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n";
  GSocket *socket = g_socket_connection_get_socket (r->connection);
  char body[1000];
  struct linger linger = { 1, 0 };

  memset (body, 'x', sizeof body);
  if (!send_text (r, head) || !send_bytes (r, body, sizeof body))
    return;
  g_output_stream_flush (r->out, NULL, NULL);
  /* Closing with a zero linger time sends RST instead of FIN. */
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (socket, NULL);
}

static void
serve_hang (Request *r)
{
  GInputStream *in = g_io_stream_get_input_stream (r->stream);
  char buf[256];

  /* Until the client gives up or the server goes. */
  while (g_input_stream_read (in, buf, sizeof buf, r->server->cancellable, NULL) > 0)
    ;
}

static void
serve_slow (Request *r)
{
  static const char text[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 60\r\n\r\n"
                             "<html><head><title>Slow</title></head><body>slow</body></html>";

  for (const char *c = text; *c != '\0'; c++)
    if (!send_bytes (r, c, 1) || !g_output_stream_flush (r->out, r->server->cancellable, NULL) ||
        !wait_ms (r->server, 1000))
      return;
}

static void
serve_endless (Request *r)
{
  char chunk[16384];

  memset (chunk, 'x', sizeof chunk);
  if (!send_text (r, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body><p>"))
    return;
  while (send_bytes (r, chunk, sizeof chunk))
    ;
}

static void
serve_bomb (Request *r)
{
  gsize head_len, block_len;
  const void *head = g_bytes_get_data (r->server->bomb_head, &head_len);
  const void *block = g_bytes_get_data (r->server->bomb_block, &block_len);

  if (!send_text (r, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                     "Connection: close\r\n\r\n") ||
      !send_bytes (r, head, head_len))
    return;
  for (guint i = 1; i < BOMB_BLOCKS; i++)
    if (!send_bytes (r, block, block_len))
      return;
}

static void
serve_huge_headers (Request *r)
{
  GString *head = g_string_new ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n");
  g_autofree char *value = g_strnfill (8000, 'h');

  for (guint i = 0; i < 256; i++)
    g_string_append_printf (head, "X-Huge-%u: %s\r\n", i, value);
  g_string_append (head, "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
  send_bytes (r, head->str, head->len);
  g_string_free (head, TRUE);
}

static void
serve_bad_chunks (Request *r)
{
  send_text (r, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                "Connection: close\r\n\r\n"
                "10\r\n<html><body>abc\r\nzz-not-a-size\r\nmore\r\n0\r\n\r\n");
}

static void
serve_short_body (Request *r)
{
  char body[100];

  memset (body, 'x', sizeof body);
  if (send_text (r, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"))
    send_bytes (r, body, sizeof body);
}

static void
serve_long_body (Request *r)
{
  g_autofree char *tail = g_strnfill (2000, 'y');

  if (send_text (r, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
                    "<title>Long</title>\n"))
    send_text (r, tail);
}

static void
serve_bad_utf8 (Request *r)
{
  GString *html = g_string_new ("<html><head><title>Bad \xff\xfe UTF-8</title></head><body><p>");

  for (guint i = 0; i < 1000; i++)
    g_string_append (html, "\xc3 ");
  g_string_append (html, "</p><a href=\"/ok.html\">ok</a></body></html>");
  respond_html (r, html->str);
  g_string_free (html, TRUE);
}

static void
serve_mixed_encoding (Request *r)
{
  static const char html[] = "<html><head><meta charset=\"utf-8\"><title>Caf\xc3\xa9 and caf\xe9</title></head>"
                             "<body><p>na\xc3\xafve na\xefve</p></body></html>";

  respond (r, "200 OK", "Content-Type: text/html; charset=iso-8859-1\r\n", html, strlen (html));
}

static void
serve_robots (Request *r)
{
  switch ((TrawlFaultRobots) g_atomic_int_get (&r->server->robots))
    {
    case TRAWL_FAULT_ROBOTS_NONE:
      respond (r, "404 Not Found", "Content-Type: text/plain\r\n", "", 0);
      break;
    case TRAWL_FAULT_ROBOTS_HUGE:
      {
        GString *text = g_string_new ("User-agent: *\nDisallow: /private/\n");

        while (text->len < 10 * 1024 * 1024)
          g_string_append (text, "# A comment to fill the file, line after line after line.\n");
        g_string_append (text, "Disallow: /ok.html\n");
        respond (r, "200 OK", "Content-Type: text/plain\r\n", text->str, text->len);
        g_string_free (text, TRUE);
      }
      break;
    case TRAWL_FAULT_ROBOTS_ERROR:
      respond (r, "503 Service Unavailable", "Content-Type: text/plain\r\n", "down", 4);
      break;
    case TRAWL_FAULT_ROBOTS_LOOP:
      respond_redirect (r, "/robots-a");
      break;
    case TRAWL_FAULT_ROBOTS_BINARY:
      {
        g_autoptr (GRand) rand = g_rand_new_with_seed (11);
        guint32 data[16384];

        for (guint i = 0; i < G_N_ELEMENTS (data); i++)
          data[i] = g_rand_int (rand);
        respond (r, "200 OK", "Content-Type: text/plain\r\n", (const char *) data, sizeof data);
      }
      break;
    }
}

static void
serve_binary (Request *r)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  guint32 *data = g_new (guint32, 16384);

  for (guint i = 0; i < 16384; i++)
    data[i] = g_rand_int (rand) & (i % 7 == 0 ? 0xffff00ffu : 0xffffffffu);
  respond (r, "200 OK", "Content-Type: text/html\r\n", (const char *) data, 16384 * sizeof (guint32));
  g_free (data);
}

static void
serve_many_links (Request *r)
{
  GString *html = g_string_new ("<html><head><title>Many links</title></head><body>\n");

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (html, "<a href=\"/ml/%u\">%u</a>\n", i, i);
  g_string_append (html, "</body></html>\n");
  respond_html (r, html->str);
  g_string_free (html, TRUE);
}

static void
serve_deep_nesting (Request *r)
{
  GString *html = g_string_new ("<html><head><title>Deep</title></head><body>");

  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "<a href=\"/ok.html\">inside</a>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "</body></html>");
  respond_html (r, html->str);
  g_string_free (html, TRUE);
}

static void
serve_big (Request *r)
{
  static const char para[] = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n";
  const gsize total = 50 * 1024 * 1024;
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %" G_GSIZE_FORMAT
                                           "\r\nConnection: close\r\n\r\n", total);
  GString *chunk = g_string_new (NULL);

  while (chunk->len + sizeof para <= 65536)
    g_string_append (chunk, para);
  if (send_text (r, head))
    for (gsize sent = 0; sent < total;)
      {
        gsize n = MIN (chunk->len, total - sent);

        if (!send_bytes (r, chunk->str, n))
          break;
        sent += n;
      }
  g_string_free (chunk, TRUE);
}

/* The traps: each page links one more that is new. */
static void
serve_trap (Request *r)
{
  g_autofree char *next = NULL;
  g_autofree char *html = NULL;

  if (g_str_has_prefix (r->path, "/calendar/"))
    next = g_strdup_printf ("/calendar/%" G_GUINT64_FORMAT, g_ascii_strtoull (r->path + 10, NULL, 10) + 1);
  else if (g_str_equal (r->path, "/grow"))
    next = g_strdup_printf ("/grow?q=%sx", r->query ? r->query + (g_str_has_prefix (r->query, "q=") ? 2 : 0) : "");
  else if (g_str_has_prefix (r->path, "/session/"))
    next = g_strdup_printf ("/session/%" G_GUINT64_FORMAT "/page", g_ascii_strtoull (r->path + 9, NULL, 10) + 1);
  else
    next = g_strdup_printf ("%s/a", r->path);
  html = g_strdup_printf ("<html><head><title>Trap %s</title></head><body><a href=\"%s\">next</a></body></html>",
                          r->path, next);
  respond_html (r, html);
}

static void
count (TrawlFaultServer *server,
       const char       *path)
{
  g_mutex_lock (&server->lock);
  g_hash_table_insert (server->counts, g_strdup (path),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (server->counts, path)) + 1));
  g_mutex_unlock (&server->lock);
}

/* Reads the request line and headers; the target, or NULL. */
static char *
read_request (TrawlFaultServer *server,
              GIOStream        *stream)
{
  GInputStream *in = g_io_stream_get_input_stream (stream);
  GString *head = g_string_new (NULL);
  g_auto (GStrv) words = NULL;
  char buf[1024];

  while (strstr (head->str, "\r\n\r\n") == NULL && head->len < 65536)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, server->cancellable, NULL);

      if (n <= 0)
        {
          g_string_free (head, TRUE);
          return NULL;
        }
      g_string_append_len (head, buf, n);
    }
  words = g_strsplit (head->str, " ", 3);
  g_string_free (head, TRUE);
  return g_strv_length (words) == 3 ? g_strdup (words[1]) : NULL;
}

static void
serve (TrawlFaultServer  *server,
       GSocketConnection *connection,
       GIOStream         *stream)
{
  g_autofree char *target = read_request (server, stream);
  g_autofree char *path = NULL;
  const char *query;
  Request r = { server, connection, stream, g_io_stream_get_output_stream (stream), NULL, NULL };

  if (target == NULL)
    return;
  query = strchr (target, '?');
  path = query ? g_strndup (target, query - target) : g_strdup (target);
  r.path = path;
  r.query = query ? (char *) query + 1 : NULL;
  count (server, path);

  if (g_str_equal (path, "/"))
    serve_hub (&r);
  else if (g_str_equal (path, "/ok.html") || g_str_equal (path, "/away.html") || g_str_has_prefix (path, "/ml/"))
    respond_html (&r, "<html><head><title>OK</title></head><body>ok</body></html>");
  else if (g_str_equal (path, "/robots.txt"))
    serve_robots (&r);
  else if (g_str_equal (path, "/robots-a"))
    respond_redirect (&r, "/robots-b");
  else if (g_str_equal (path, "/robots-b"))
    respond_redirect (&r, "/robots-a");
  else if (g_str_equal (path, "/probe"))
    respond_html (&r, "<html><head><title>Probe</title></head><body>"
                      "<a href=\"/private/a.html\">private</a> <a href=\"/ok.html\">ok</a></body></html>");
  else if (g_str_equal (path, "/private/a.html"))
    respond_html (&r, "<html><head><title>Private</title></head><body>private</body></html>");
  else if (g_str_equal (path, "/reset"))
    serve_reset (&r);
  else if (g_str_equal (path, "/hang"))
    serve_hang (&r);
  else if (g_str_equal (path, "/slow"))
    serve_slow (&r);
  else if (g_str_equal (path, "/endless"))
    serve_endless (&r);
  else if (g_str_equal (path, "/bomb"))
    serve_bomb (&r);
  else if (g_str_equal (path, "/bad-status"))
    send_text (&r, "HTTP/1.1 OK FINE\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi");
  else if (g_str_equal (path, "/huge-headers"))
    serve_huge_headers (&r);
  else if (g_str_equal (path, "/bad-chunks"))
    serve_bad_chunks (&r);
  else if (g_str_equal (path, "/short-body"))
    serve_short_body (&r);
  else if (g_str_equal (path, "/long-body"))
    serve_long_body (&r);
  else if (g_str_equal (path, "/to-file"))
    respond_redirect (&r, "file:///etc/passwd");
  else if (g_str_equal (path, "/to-ftp"))
    respond_redirect (&r, "ftp://127.0.0.1/x");
  else if (g_str_equal (path, "/to-javascript"))
    respond_redirect (&r, "javascript:alert(1)");
  else if (g_str_equal (path, "/to-data"))
    respond_redirect (&r, "data:text/html,<h1>x</h1>");
  else if (g_str_equal (path, "/to-junk"))
    respond_redirect (&r, "//a;b");
  else if (g_str_equal (path, "/to-away"))
    {
      g_autofree char *away = g_strdup_printf ("%s://127.0.0.2:%u/away.html",
                                               server->certificate ? "https" : "http", server->port);

      respond_redirect (&r, away);
    }
  else if (g_str_equal (path, "/loop-a"))
    respond_redirect (&r, "/loop-b");
  else if (g_str_equal (path, "/loop-b"))
    respond_redirect (&r, "/loop-a");
  else if (g_str_equal (path, "/bad-utf8"))
    serve_bad_utf8 (&r);
  else if (g_str_equal (path, "/mixed-encoding"))
    serve_mixed_encoding (&r);
  else if (g_str_equal (path, "/binary-html"))
    serve_binary (&r);
  else if (g_str_equal (path, "/many-links"))
    serve_many_links (&r);
  else if (g_str_equal (path, "/deep-nesting"))
    serve_deep_nesting (&r);
  else if (g_str_equal (path, "/big"))
    serve_big (&r);
  else if (g_str_has_prefix (path, "/calendar/") || g_str_equal (path, "/grow") ||
           g_str_has_prefix (path, "/session/") || g_str_has_prefix (path, "/deep/"))
    serve_trap (&r);
  else if (g_str_equal (path, "/storm-retry-after"))
    respond (&r, "429 Too Many Requests", "Retry-After: 1\r\nContent-Type: text/plain\r\n", "slow down", 9);
  else if (g_str_equal (path, "/storm"))
    respond (&r, "429 Too Many Requests", "Content-Type: text/plain\r\n", "slow down", 9);
  else
    respond (&r, "404 Not Found", "Content-Type: text/html\r\n", "<title>Not found</title>", 24);

  g_output_stream_flush (r.out, NULL, NULL);
}

/* Runs in the listener's thread as a connection is accepted, before the
 * service hands it to a thread of its own: the server is freed only once
 * every connection counted here is done. */
static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  TrawlFaultServer *server = user_data;

  g_mutex_lock (&server->lock);
  server->serving++;
  g_mutex_unlock (&server->lock);
  return FALSE;
}

static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  TrawlFaultServer *server = user_data;

  if (server->certificate != NULL)
    {
      g_autoptr (GIOStream) tls = g_tls_server_connection_new (G_IO_STREAM (connection), server->certificate, NULL);

      /* A client that refuses the certificate ends the handshake: then
       * there is no request to serve. */
      if (tls != NULL && g_tls_connection_handshake (G_TLS_CONNECTION (tls), server->cancellable, NULL))
        {
          serve (server, connection, tls);
          g_io_stream_close (tls, server->cancellable, NULL);
        }
    }
  else
    serve (server, connection, G_IO_STREAM (connection));
  g_mutex_lock (&server->lock);
  server->serving--;
  g_cond_signal (&server->idle);
  g_mutex_unlock (&server->lock);
  return TRUE;
}

/* A gzip stream of zeros that can be made as long as one likes: the
 * header with the first block, then a block that decodes to BOMB_BLOCK
 * more zeros wherever it is repeated (it only refers back to zeros). */
static void
make_bomb (TrawlFaultServer *server)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autofree guint8 *zeros = g_malloc0 (BOMB_BLOCK);
  gsize out_size = BOMB_BLOCK;
  g_autofree guint8 *out = g_malloc (out_size);

  for (guint part = 0; part < 2; part++)
    {
      gsize read = 0, written = 0, total_read = 0, total_written = 0;
      GConverterResult result;

      do
        {
          result = g_converter_convert (G_CONVERTER (compressor), zeros + total_read, BOMB_BLOCK - total_read,
                                        out + total_written, out_size - total_written, G_CONVERTER_FLUSH,
                                        &read, &written, NULL);
          g_assert (result != G_CONVERTER_ERROR);
          total_read += read;
          total_written += written;
        }
      while (result != G_CONVERTER_FLUSHED || total_read < BOMB_BLOCK);
      if (part == 0)
        server->bomb_head = g_bytes_new (out, total_written);
      else
        server->bomb_block = g_bytes_new (out, total_written);
    }
}

static gpointer
server_thread (gpointer user_data)
{
  TrawlFaultServer *server = user_data;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GError) error = NULL;

  g_main_context_push_thread_default (server->context);
  /* Enough threads for every fault at once, the hanging ones included. */
  server->service = g_threaded_socket_service_new (64);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error))
    g_error ("The fault server could not listen: %s", error->message);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  server->url = g_strdup_printf ("%s://127.0.0.1:%u/", server->certificate ? "https" : "http", server->port);
  g_signal_connect (server->service, "incoming", G_CALLBACK (on_incoming), server);
  g_signal_connect (server->service, "run", G_CALLBACK (on_run), server);
  g_socket_service_start (server->service);

  g_mutex_lock (&server->start_lock);
  server->running = TRUE;
  g_cond_signal (&server->started);
  g_mutex_unlock (&server->start_lock);

  g_main_loop_run (server->loop);

  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static TrawlFaultServer *
server_new (GTlsCertificate *certificate)
{
  TrawlFaultServer *server = g_new0 (TrawlFaultServer, 1);

  server->certificate = certificate;

  g_mutex_init (&server->lock);
  g_cond_init (&server->idle);
  g_mutex_init (&server->start_lock);
  g_cond_init (&server->started);
  server->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->cancellable = g_cancellable_new ();
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  make_bomb (server);

  server->thread = g_thread_new ("fault-server", server_thread, server);
  g_mutex_lock (&server->start_lock);
  while (!server->running)
    g_cond_wait (&server->started, &server->start_lock);
  g_mutex_unlock (&server->start_lock);
  return server;
}

/**
 * trawl_fault_server_new:
 *
 * Starts the server on a free port of 127.0.0.1.
 *
 * Returns: (transfer full): the server, listening
 */
TrawlFaultServer *
trawl_fault_server_new (void)
{
  return server_new (NULL);
}

/**
 * trawl_fault_server_new_tls:
 * @cert_file: a PEM file with the server's certificate (and any
 *   intermediate ones after it)
 * @key_file: a PEM file with its private key
 *
 * Starts the server on a free port of 127.0.0.1, serving the same paths
 * over https.
 *
 * Returns: (transfer full): the server, listening
 */
TrawlFaultServer *
trawl_fault_server_new_tls (const char *cert_file,
                            const char *key_file)
{
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);

  if (certificate == NULL)
    g_error ("The fault server could not load its certificate: %s", error->message);
  return server_new (certificate);
}

/**
 * trawl_fault_server_free:
 * @server: (transfer full): a server
 *
 * Stops listening, cuts the connections still open and waits for them.
 */
void
trawl_fault_server_free (TrawlFaultServer *server)
{
  g_cancellable_cancel (server->cancellable);
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  /* The connections still served end as they see the cancellable. */
  g_mutex_lock (&server->lock);
  while (server->serving > 0)
    g_cond_wait (&server->idle, &server->lock);
  g_mutex_unlock (&server->lock);
  g_object_unref (server->service);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_object_unref (server->cancellable);
  g_clear_object (&server->certificate);
  g_hash_table_unref (server->counts);
  g_bytes_unref (server->bomb_head);
  g_bytes_unref (server->bomb_block);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->idle);
  g_mutex_clear (&server->start_lock);
  g_cond_clear (&server->started);
  g_free (server->url);
  g_free (server);
}

const char *
trawl_fault_server_get_url (TrawlFaultServer *server)
{
  return server->url;
}

guint
trawl_fault_server_get_port (TrawlFaultServer *server)
{
  return server->port;
}

/**
 * trawl_fault_server_set_robots:
 * @server: a server
 * @robots: what /robots.txt is from now on
 */
void
trawl_fault_server_set_robots (TrawlFaultServer *server,
                               TrawlFaultRobots  robots)
{
  g_atomic_int_set (&server->robots, robots);
}

/**
 * trawl_fault_server_count:
 * @server: a server
 * @path: a path without its query, such as "/reset"
 *
 * Returns: how many requests for @path the server has read
 */
guint
trawl_fault_server_count (TrawlFaultServer *server,
                          const char       *path)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (server->counts, path));
  g_mutex_unlock (&server->lock);
  return n;
}
