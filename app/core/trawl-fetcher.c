/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-fetcher.c — one HTTP request at a time, asynchronously.
 *
 * A thin layer over one SoupSession: it applies the job's request settings,
 * enforces a deadline on the whole request (libsoup's own timeout only sees
 * idle sockets, so a server sending a byte a second would never end) and a
 * size cap on the decoded body (so a compression bomb stops at the cap), and
 * turns failures into sentences.  Redirects are not followed here for pages:
 * the engine queues each hop as its own URL, so scope and robots.txt are
 * checked again after every redirect and each hop gets its own row.
 *
 * Certificates are checked by GIO against the system's authorities; one
 * they refuse is accepted only when the job's ca_file vouches for it,
 * host name and dates included.
 */
#define G_LOG_DOMAIN "trawl-fetcher"

#include "config.h"

#include "trawl-fetcher.h"
#include "trawl-url.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <libsoup/soup.h>
#include <string.h>

#define READ_CHUNK (64 * 1024)

struct _TrawlFetcher {
  SoupSession *session;       /* owned */
  char        *auth_user;     /* owned, nullable */
  char        *auth_password; /* owned, nullable */
  char        *proxy_user;    /* owned, nullable */
  char        *proxy_password; /* owned, nullable */
  char       **headers;       /* owned */
  char        *cookie;        /* owned, nullable: the Cookie header given, when the session keeps cookies */
  GTlsDatabase *ca_database;  /* owned, nullable: the job's ca_file */
  gint64       max_size;
  guint        timeout_ms;
  gboolean     block_private;
};

typedef struct {
  TrawlFetcher     *fetcher;
  SoupMessage      *msg;        /* owned */
  GInputStream     *stream;     /* owned */
  GCancellable     *cancellable; /* owned; cancelled by the deadline too */
  GCancellable     *outer;      /* owned, nullable; the caller's */
  gulong            outer_handler;
  GByteArray       *body;       /* owned, nullable */
  TrawlFetchResult *result;     /* owned */
  TrawlFetchKeep    keep;
  GSource          *deadline;   /* owned */
  gboolean          timed_out;
  gint64            started;
  goffset           expected;   /* Content-Length of an unencoded body, or -1 */
  char             *refused;    /* owned, nullable: why the connection was dropped */
  GTlsCertificateFlags tls_errors; /* what is wrong with the server's certificate */
} FetchData;

void
trawl_fetch_result_free (TrawlFetchResult *result)
{
  if (result == NULL)
    return;
  g_free (result->url);
  g_free (result->content_type);
  g_free (result->content_type_header);
  g_free (result->headers);
  g_free (result->location);
  g_free (result->x_robots_tag);
  g_clear_pointer (&result->body, g_bytes_unref);
  g_clear_error (&result->error);
  g_free (result);
}

static void
fetch_data_free (FetchData *data)
{
  g_free (data->refused);
  if (data->deadline != NULL)
    {
      g_source_destroy (data->deadline);
      g_source_unref (data->deadline);
    }
  if (data->outer != NULL)
    {
      g_cancellable_disconnect (data->outer, data->outer_handler);
      g_object_unref (data->outer);
    }
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_object (&data->cancellable);
  if (data->body != NULL)
    g_byte_array_unref (data->body);
  trawl_fetch_result_free (data->result);
  g_free (data);
}

/**
 * trawl_fetcher_new:
 * @job: the crawl's settings
 *
 * Returns: (transfer full): a fetcher for the thread-default main context
 *   of the calling thread, which must be the one that runs the requests.
 */
TrawlFetcher *
trawl_fetcher_new (const TrawlJob *job)
{
  TrawlFetcher *fetcher = g_new0 (TrawlFetcher, 1);

  /* The engine enforces the job's concurrency; the session only needs to
   * allow enough connections never to be the limit. */
  fetcher->session = soup_session_new_with_options ("max-conns", MAX (job->concurrency * 2, 32),
                                                    "max-conns-per-host", MAX (job->per_host * 2, 8),
                                                    "user-agent", job->user_agent,
                                                    "timeout", (guint) MAX (job->timeout, 1),
                                                    "idle-timeout", 60,
                                                    NULL);

  if (!job->compression)
    soup_session_remove_feature_by_type (fetcher->session, SOUP_TYPE_CONTENT_DECODER);

  if (job->cookies)
    {
      g_autoptr (SoupCookieJar) jar = soup_cookie_jar_new ();

      soup_session_add_feature (fetcher->session, SOUP_SESSION_FEATURE (jar));
    }

  if (job->proxy != NULL)
    {
      g_autofree char *proxy = trawl_job_dup_proxy_url (job);
      g_autoptr (GUri) uri = g_uri_parse (proxy, G_URI_FLAGS_HAS_PASSWORD, NULL);
      g_autoptr (GProxyResolver) resolver = NULL;
      g_autofree char *without_user = NULL;

      /* A SOCKS proxy's user and password go in its URL, where GLib reads
       * them.  An HTTP proxy's 407 is answered by on_authenticate(): with a
       * user in the URL, libsoup 3.2 would answer it itself and then send
       * the request to the proxy's own URL. */
      if (uri != NULL && g_str_has_prefix (g_uri_get_scheme (uri), "http"))
        {
          fetcher->proxy_user = g_strdup (g_uri_get_user (uri));
          fetcher->proxy_password = g_strdup (g_uri_get_password (uri));
          without_user = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                                     g_uri_get_port (uri), g_uri_get_path (uri), g_uri_get_query (uri),
                                     g_uri_get_fragment (uri));
        }
      resolver = g_simple_proxy_resolver_new (without_user != NULL ? without_user : proxy, NULL);
      soup_session_set_proxy_resolver (fetcher->session, resolver);
    }

  fetcher->auth_user = g_strdup (job->auth_user);
  fetcher->auth_password = g_strdup (trawl_job_get_auth_password (job));
  fetcher->headers = trawl_job_dup_request_headers (job);
  /* The cookie jar sets the Cookie header of every request to the cookies
   * servers set, or removes it: a Cookie given in the job is added after. */
  if (job->cookies)
    {
      g_autoptr (GStrvBuilder) others = g_strv_builder_new ();
      g_autoptr (GString) cookie = g_string_new (NULL);

      for (guint i = 0; fetcher->headers[i]; i++)
        {
          if (trawl_job_header_is_named (fetcher->headers[i], "Cookie"))
            {
              g_autofree char *value = g_strstrip (g_strdup (strchr (fetcher->headers[i], ':') + 1));

              g_string_append_printf (cookie, "%s%s", cookie->len > 0 ? "; " : "", value);
            }
          else
            g_strv_builder_add (others, fetcher->headers[i]);
        }
      g_strfreev (fetcher->headers);
      fetcher->headers = g_strv_builder_end (others);
      if (cookie->len > 0)
        fetcher->cookie = g_string_free (g_steal_pointer (&cookie), FALSE);
    }
  fetcher->max_size = job->max_size;
  fetcher->timeout_ms = (guint) (job->timeout * 1000);
  fetcher->block_private = job->block_private && job->proxy == NULL;

  if (job->ca_file != NULL)
    {
      /* GTlsFileDatabase wants an absolute path. */
      g_autofree char *path = g_canonicalize_filename (job->ca_file, NULL);
      g_autoptr (GError) error = NULL;

      fetcher->ca_database = g_tls_file_database_new (path, &error);
      /* The job was validated: only a file changed since then fails. */
      if (fetcher->ca_database == NULL)
        g_warning ("The CA file “%s” could not be loaded: %s", path, error->message);
    }

  return fetcher;
}

void
trawl_fetcher_free (TrawlFetcher *fetcher)
{
  if (fetcher == NULL)
    return;
  soup_session_abort (fetcher->session);
  g_clear_object (&fetcher->session);
  g_free (fetcher->auth_user);
  g_free (fetcher->auth_password);
  g_free (fetcher->proxy_user);
  g_free (fetcher->proxy_password);
  g_strfreev (fetcher->headers);
  g_free (fetcher->cookie);
  g_clear_object (&fetcher->ca_database);
  g_free (fetcher);
}

static gboolean
on_authenticate (SoupMessage *msg,
                 SoupAuth    *auth,
                 gboolean     retrying,
                 gpointer     user_data)
{
  TrawlFetcher *fetcher = user_data;

  /* Answer the first challenge only: a second one means the password is
   * wrong, and the 401 (or the proxy's 407) is the result to record.  The
   * proxy gets its own user's password, never the site's. */
  if (retrying)
    return FALSE;
  if (soup_auth_is_for_proxy (auth))
    {
      if (fetcher->proxy_user != NULL)
        soup_auth_authenticate (auth, fetcher->proxy_user,
                                fetcher->proxy_password ? fetcher->proxy_password : "");
    }
  else if (fetcher->auth_user != NULL)
    soup_auth_authenticate (auth, fetcher->auth_user,
                            fetcher->auth_password ? fetcher->auth_password : "");
  return FALSE;
}

/* After the cookie jar's own handler, each time the message is sent:
 * redirects and authentication send it again. */
static void
on_starting (SoupMessage *msg,
             gpointer     user_data)
{
  TrawlFetcher *fetcher = user_data;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  const char *from_jar = soup_message_headers_get_one (headers, "Cookie");
  g_autofree char *cookie = from_jar ? g_strconcat (from_jar, "; ", fetcher->cookie, NULL) : NULL;

  soup_message_headers_replace (headers, "Cookie", cookie ? cookie : fetcher->cookie);
}

static gboolean
on_deadline (gpointer user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);

  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

/* What is wrong with a certificate: a sentence for each fault. */
static char *
describe_certificate (FetchData *data)
{
  GTlsCertificateFlags errors = data->tls_errors;
  const char *host = g_uri_get_host (soup_message_get_uri (data->msg));
  g_autofree char *wrong_host = g_strdup_printf (_("The server's certificate was issued for another host, not “%s”"), host);
  const char *faults[8];
  guint n = 0;
  char *text;

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    faults[n++] = data->fetcher->ca_database != NULL
                  ? _("The server's certificate is not signed by a trusted authority, nor by one in ca_file "
                      "(it is self-signed or from an unknown CA)")
                  : _("The server's certificate is not signed by a trusted authority (it is self-signed or from an unknown CA)");
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    faults[n++] = wrong_host;
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    faults[n++] = _("The server's certificate has expired");
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    faults[n++] = _("The server's certificate is not valid yet");
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    faults[n++] = _("The server's certificate has been revoked");
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    faults[n++] = _("The server's certificate uses an insecure algorithm");
  if (n == 0)
    faults[n++] = _("The server's certificate could not be verified");

  text = g_strdup (faults[0]);
  for (guint i = 1; i < n; i++)
    {
      /* Translators: two sentences, each a fault of a certificate. */
      char *both = g_strdup_printf (_("%s. %s"), text, faults[i]);

      g_free (text);
      text = both;
    }
  return text;
}

static char *
describe_error (FetchData    *data,
                const GError *error)
{
  if (data->timed_out)
    return g_strdup_printf (_("No complete answer within %.3g seconds"), data->fetcher->timeout_ms / 1000.0);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (_("The server stopped answering"));
  if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return g_strdup (_("The host name was not found"));
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_strdup (_("The server refused the connection"));
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    return g_strdup (_("Too many redirects"));
  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    return describe_certificate (data);
  if (error->domain == G_TLS_ERROR)
    return g_strdup_printf (_("The secure connection failed: %s"), error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    return g_strdup (_("The server closed the connection"));
  return g_strdup_printf (_("The request failed: %s"), error->message);
}

static void
finish (GTask        *task,
        const GError *error)
{
  FetchData *data = g_task_get_task_data (task);
  TrawlFetchResult *result = data->result;

  result->total_us = g_get_monotonic_time () - data->started;
  if (data->refused != NULL)
    result->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, data->refused);
  else if (error != NULL)
    {
      g_autofree char *message = describe_error (data, error);
      GQuark domain = error->domain;
      int code = error->code;

      /* Callers know GIO's codes, not libsoup's. */
      if (data->timed_out)
        code = G_IO_ERROR_TIMED_OUT, domain = G_IO_ERROR;
      else if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
        code = G_IO_ERROR_TOO_MANY_LINKS, domain = G_IO_ERROR;

      /* With the headers in, what failed is the body: say how far it got. */
      if (result->status != 0)
        {
          result->truncated = TRUE;
          result->error = g_error_new (domain, code, _("The response broke off after %" PRId64 " bytes: %s"),
                                       result->bytes, message);
        }
      else
        result->error = g_error_new_literal (domain, code, message);
    }
  else if (data->expected > result->bytes && !result->too_large)
    {
      /* The connection ended cleanly, but early. */
      result->truncated = TRUE;
      result->error = g_error_new (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                   _("The response ended after %" PRId64 " of the %" PRId64
                                     " bytes it announced"), result->bytes, (gint64) data->expected);
    }
  if (data->body != NULL)
    result->body = g_byte_array_free_to_bytes (g_steal_pointer (&data->body));

  if (data->stream != NULL)
    g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  g_task_return_pointer (task, g_steal_pointer (&data->result),
                         (GDestroyNotify) trawl_fetch_result_free);
  g_object_unref (task);
}

static void read_next (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), res, &error);
  gsize len;
  const guint8 *bytes;

  if (chunk == NULL)
    {
      finish (task, error);
      return;
    }

  bytes = g_bytes_get_data (chunk, &len);
  if (len == 0)
    {
      finish (task, NULL);
      return;
    }

  if (data->result->bytes + (gint64) len > data->fetcher->max_size)
    {
      /* Keep what fits, so the start of a huge page is still parsed. */
      len = data->fetcher->max_size - data->result->bytes;
      data->result->too_large = TRUE;
    }

  data->result->bytes += len;
  if (data->body != NULL)
    g_byte_array_append (data->body, bytes, len);

  if (data->result->too_large)
    {
      /* Closing the stream drops the connection, which is what we want for
       * a response we will not read to the end. */
      g_cancellable_cancel (data->cancellable);
      finish (task, NULL);
      return;
    }

  read_next (task);
}

static void
read_next (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->cancellable, on_read, task);
}

static gboolean
is_html (const char *content_type)
{
  return content_type != NULL &&
         (strcmp (content_type, "text/html") == 0 ||
          strcmp (content_type, "application/xhtml+xml") == 0);
}

static char *
format_headers (SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GString *out = g_string_new (NULL);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\n", name, value);

  return g_string_free (out, FALSE);
}

/**
 * trawl_fetcher_header_from_text:
 * @headers: (nullable): response headers as a crawl stores them, "Name: value" lines
 * @name: a header name
 *
 * Reads a header back from a page's stored headers the way the fetcher
 * read it from the response, so that a stored page is parsed as it was
 * when it was fetched.
 *
 * Returns: (transfer full) (nullable): the header's value
 */
char *
trawl_fetcher_header_from_text (const char *headers,
                                const char *name)
{
  g_autoptr (SoupMessageHeaders) parsed = NULL;
  g_auto (GStrv) lines = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  if (headers == NULL)
    return NULL;
  parsed = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  lines = g_strsplit (headers, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strstr (lines[i], ": ");

      if (colon == NULL)
        continue;
      *colon = '\0';
      soup_message_headers_append (parsed, lines[i], colon + 2);
    }
  return g_strdup (soup_message_headers_get_one (parsed, name));
}

static double
parse_retry_after (const char *value)
{
  char *end = NULL;
  gint64 secs;

  if (value == NULL)
    return -1;

  secs = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0' && secs >= 0)
    return secs;

  {
    /* An HTTP date: how long from now. */
    g_autoptr (GDateTime) date = soup_date_time_new_from_http_string (value);
    g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

    if (date != NULL)
      return MAX (0, g_date_time_difference (date, now) / (double) G_USEC_PER_SEC);
  }
  return -1;
}

/* Redirects libsoup follows send the message again: the last time counts. */
/* Whether @address is one a crawl of the public web has no business with:
 * loopback, private (RFC 1918, unique local), link-local, unspecified or
 * multicast, also when written as an IPv4-mapped IPv6 address. */
static gboolean
is_private_address (GInetAddress *address)
{
  g_autoptr (GInetAddress) mapped = NULL;
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (bytes, prefix, sizeof prefix) == 0)
        {
          mapped = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
          address = mapped;
          bytes = g_inet_address_to_bytes (address);
        }
      else if ((bytes[0] & 0xfe) == 0xfc)
        return TRUE;   /* fc00::/7 */
    }
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4 &&
      (bytes[0] == 0 || (bytes[0] == 100 && (bytes[1] & 0xc0) == 64)))
    return TRUE;       /* 0.0.0.0/8, and 100.64.0.0/10 (carrier-grade NAT) */
  return g_inet_address_get_is_loopback (address) || g_inet_address_get_is_site_local (address) ||
         g_inet_address_get_is_link_local (address) || g_inet_address_get_is_any (address) ||
         g_inet_address_get_is_multicast (address);
}

/* Checked once connected, on the address actually reached, so that a name
 * that resolves differently on a second look (DNS rebinding) gains
 * nothing; the request itself is not sent. */
static void
on_network_event (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  FetchData          *data)
{
  g_autoptr (GSocketAddress) remote = NULL;
  GInetAddress *address;

  if (event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION (connection))
    return;
  remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  if (is_private_address (address))
    {
      g_autofree char *text = g_inet_address_to_string (address);

      data->refused = g_strdup_printf (_("%s is a private, loopback or link-local address, which this crawl "
                                         "refuses (block_private)"), text);
      g_cancellable_cancel (data->cancellable);
    }
}

/* Called when GIO refused the server's certificate: it is accepted if the
 * authorities of ca_file vouch for it, for this host, without a flaw. */
static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       FetchData            *data)
{
  GTlsDatabase *database = data->fetcher->ca_database;
  g_autoptr (GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (msg);

  data->tls_errors = errors;
  if (database == NULL)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (uri), MAX (g_uri_get_port (uri), 0));
  data->tls_errors = g_tls_database_verify_chain (database, certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                                  identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  return data->tls_errors == 0;
}

static void
on_wrote_headers (SoupMessage *msg,
                  FetchData   *data)
{
  if (data->result != NULL)
    data->result->sent_at_us = g_get_monotonic_time ();
}

/**
 * trawl_fetch_result_read_response:
 * @result: the result being filled in
 * @status: the response's status
 * @headers: its headers
 * @uri: the URL that answered, which a relative Location is resolved against
 *
 * Takes from a response's status and headers what a crawl keeps: the
 * status, every header as text, X-Robots-Tag, Retry-After, the Content-Type
 * (its MIME type in lower case, and the whole header for the charset) and,
 * for a redirect, the absolute Location.
 *
 * Returns: the body length to expect, from a Content-Length that applies to
 *   the bytes read (a content coding changes the length), or -1
 */
goffset
trawl_fetch_result_read_response (TrawlFetchResult   *result,
                                  guint               status,
                                  SoupMessageHeaders *headers,
                                  GUri               *uri)
{
  GHashTable *params = NULL;
  const char *type;
  const char *location;

  g_return_val_if_fail (result != NULL, -1);
  g_return_val_if_fail (headers != NULL, -1);
  g_return_val_if_fail (uri != NULL, -1);

  result->status = status;
  result->headers = format_headers (headers);
  result->x_robots_tag = g_strdup (soup_message_headers_get_list (headers, "X-Robots-Tag"));
  result->retry_after = parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));
  result->content_type_header = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));

  type = soup_message_headers_get_content_type (headers, &params);
  if (type != NULL)
    result->content_type = g_ascii_strdown (type, -1);
  g_clear_pointer (&params, g_hash_table_destroy);

  /* Resolved as a link is, which drops what GLib cannot write back
   * ("//a;b"), where g_uri_resolve_relative() logs a critical. */
  location = soup_message_headers_get_one (headers, "Location");
  if (location != NULL && SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_autofree char *base = g_uri_to_string (uri);

      result->location = trawl_url_resolve (base, location);
    }

  /* A decoded body has another length than the one announced. */
  if (soup_message_headers_get_one (headers, "Content-Encoding") == NULL &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    return soup_message_headers_get_content_length (headers);
  return -1;
}

static void
on_sent (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  GTask *task = user_data;
  FetchData *data = g_task_get_task_data (task);
  TrawlFetchResult *result = data->result;
  SoupMessageHeaders *headers;
  g_autoptr (GError) error = NULL;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), res, &error);
  result->ttfb_us = g_get_monotonic_time () - data->started;

  if (data->stream == NULL)
    {
      finish (task, error);
      return;
    }

  headers = soup_message_get_response_headers (data->msg);
  data->expected = trawl_fetch_result_read_response (result, soup_message_get_status (data->msg), headers,
                                                     soup_message_get_uri (data->msg));

  if (data->keep == TRAWL_FETCH_KEEP_ALL || is_html (result->content_type))
    {
      goffset length = soup_message_headers_get_content_length (headers);

      data->body = g_byte_array_sized_new (length > 0 && length < data->fetcher->max_size ? length : READ_CHUNK);
    }

  read_next (task);
}

/**
 * trawl_fetcher_fetch_async:
 * @fetcher: a fetcher
 * @url: an absolute http(s) URL
 * @keep: which bodies to keep in the result
 * @follow_redirects: let libsoup follow redirects (for robots.txt and
 *   sitemaps, whose redirects are not recorded)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the body is read, the size cap or the deadline is
 *   reached, or the request failed
 * @user_data: for @callback
 *
 * Fetches @url.  The result always arrives, with its error set when there
 * is no usable response.
 */
void
trawl_fetcher_fetch_async (TrawlFetcher        *fetcher,
                           const char          *url,
                           TrawlFetchKeep       keep,
                           gboolean             follow_redirects,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  FetchData *data = g_new0 (FetchData, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);

  data->fetcher = fetcher;
  data->keep = keep;
  data->started = g_get_monotonic_time ();
  data->expected = -1;
  data->cancellable = g_cancellable_new ();
  data->result = g_new0 (TrawlFetchResult, 1);
  data->result->url = g_strdup (url);
  data->result->retry_after = -1;
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  if (cancellable != NULL)
    {
      data->outer = g_object_ref (cancellable);
      data->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                                   g_object_ref (data->cancellable), g_object_unref);
    }

  if (uri != NULL)
    data->msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  if (data->msg == NULL)
    {
      data->result->error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                         "“%s” is not a valid web address", url);
      g_task_return_pointer (task, g_steal_pointer (&data->result),
                             (GDestroyNotify) trawl_fetch_result_free);
      g_object_unref (task);
      return;
    }

  if (!follow_redirects)
    soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);

  for (guint i = 0; fetcher->headers && fetcher->headers[i]; i++)
    {
      g_auto (GStrv) kv = g_strsplit (fetcher->headers[i], ":", 2);

      if (kv[0] != NULL && kv[1] != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (data->msg),
                                      g_strstrip (kv[0]), g_strstrip (kv[1]));
    }

  if (fetcher->cookie != NULL)
    g_signal_connect_after (data->msg, "starting", G_CALLBACK (on_starting), fetcher);
  if (fetcher->auth_user != NULL || fetcher->proxy_user != NULL)
    g_signal_connect (data->msg, "authenticate", G_CALLBACK (on_authenticate), fetcher);
  g_signal_connect (data->msg, "wrote-headers", G_CALLBACK (on_wrote_headers), data);
  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (on_accept_certificate), data);
  /* Through a proxy, the address reached is the proxy's. */
  if (fetcher->block_private)
    g_signal_connect (data->msg, "network-event", G_CALLBACK (on_network_event), data);

  data->deadline = g_timeout_source_new (fetcher->timeout_ms);
  g_source_set_callback (data->deadline, on_deadline, task, NULL);
  g_source_attach (data->deadline, g_main_context_get_thread_default ());

  soup_session_send_async (fetcher->session, data->msg, G_PRIORITY_DEFAULT,
                           data->cancellable, on_sent, task);
}

/**
 * trawl_fetcher_fetch_finish:
 * @fetcher: a fetcher
 * @result: the #GAsyncResult
 *
 * Returns: (transfer full): the result; never %NULL.
 */
TrawlFetchResult *
trawl_fetcher_fetch_finish (TrawlFetcher *fetcher,
                            GAsyncResult *result)
{
  return g_task_propagate_pointer (G_TASK (result), NULL);
}
