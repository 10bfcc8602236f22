/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-url.c — URL resolution, canonicalisation and fingerprints.
 *
 * Links are kept as found for display; dedupe works on the canonical form,
 * which follows w3lib's canonicalize_url (the one Scrapy users know) and adds
 * Heritrix's session-id stripping and Crawlee's utm_* removal.
 */
#define G_LOG_DOMAIN "trawl-url"

#include "config.h"

#include "trawl-url.h"
#include "trawl-hash.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Characters that may stand unescaped in a path or query besides the
 * unreserved ones (RFC 3986 sub-delims, ':' and '@', plus '/' and '?'). */
static gboolean
is_allowed_raw (guchar c)
{
  return strchr ("!$&'()*+,;=:@/?", c) != NULL;
}

/* Re-encodes one component: decodes escapes of unreserved characters,
 * upper-cases the others and escapes bytes that may not stand raw.  A '%'
 * not followed by two hex digits is escaped itself, as browsers do. */
static void
append_normalized (GString    *out,
                   const char *s,
                   gsize       len,
                   const char *extra_escape)
{
  static const char hex[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      guchar c = s[i];

      if (c == '%' && i + 2 < len && g_ascii_isxdigit (s[i + 1]) && g_ascii_isxdigit (s[i + 2]))
        {
          guchar v = (g_ascii_xdigit_value (s[i + 1]) << 4) | g_ascii_xdigit_value (s[i + 2]);

          if (is_unreserved (v))
            g_string_append_c (out, v);
          else
            {
              g_string_append_c (out, '%');
              g_string_append_c (out, hex[v >> 4]);
              g_string_append_c (out, hex[v & 15]);
            }
          i += 2;
        }
      else if (is_unreserved (c) || (is_allowed_raw (c) && (extra_escape == NULL || strchr (extra_escape, c) == NULL)))
        g_string_append_c (out, c);
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 15]);
        }
    }
}

/* Escapes white space, control characters and non-ASCII bytes so that GUri
 * accepts what people write in href attributes.  With @stray_percent, a
 * '%' that starts no escape is written "%25" too: GUri decodes the escapes
 * of unreserved characters, and "%2%%345" would otherwise come out of it
 * as "%2%45", which reads as a new escape ("%2E", a dot) the next time. */
static char *
escape_loose (const char *href,
              gboolean    stray_percent)
{
  static const char hex[] = "0123456789ABCDEF";
  GString *out = g_string_sized_new (strlen (href) + 8);

  for (const guchar *p = (const guchar *) href; *p; p++)
    {
      if (*p == '\t' || *p == '\n' || *p == '\r')
        continue;
      if (stray_percent && *p == '%' && !(g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])))
        g_string_append (out, "%25");
      else if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' ||
          *p == '\\' || *p == '^' || *p == '`' || *p == '{' || *p == '|' || *p == '}')
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 15]);
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* g_uri_to_string(), or %NULL where GLib 2.74 asserts rather than fails:
 * a host followed by a relative path ("//a;b" parses so), or no host and
 * a path that starts with "//". */
static char *
uri_to_string (GUri *uri)
{
  const char *path = g_uri_get_path (uri);

  if (g_uri_get_host (uri) != NULL ? path[0] != '\0' && path[0] != '/' : path[0] == '/' && path[1] == '/')
    return NULL;
  return g_uri_to_string (uri);
}

/**
 * trawl_url_parse_base:
 * @base: the absolute URL of a document, or its base href
 * @written: (out) (optional) (transfer full): @base as GUri writes it,
 *   for trawl_url_resolve_with()
 *
 * Parses @base once for many calls of trawl_url_resolve_with().
 *
 * Returns: (transfer full) (nullable): the parsed base, or %NULL when
 *   @base cannot be one: when GUri cannot write it, or writes what it
 *   does not read back the same (GUri decodes the host: "http://%23b/"
 *   is written "http://#b/", which has no host).
 */
GUri *
trawl_url_parse_base (const char  *base,
                      char       **written)
{
  const GUriFlags flags = G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GUri) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  g_return_val_if_fail (base != NULL, NULL);

  uri = g_uri_parse (base, flags, NULL);
  if (uri == NULL || (text = uri_to_string (uri)) == NULL)
    return NULL;
  again = g_uri_parse (text, flags, NULL);
  if (again == NULL || (text_again = uri_to_string (again)) == NULL || strcmp (text, text_again) != 0 ||
      g_strcmp0 (g_uri_get_host (uri), g_uri_get_host (again)) != 0)
    return NULL;
  if (written != NULL)
    *written = g_steal_pointer (&text);
  return g_steal_pointer (&uri);
}

/**
 * trawl_url_resolve_with:
 * @base: (nullable): a base from trawl_url_parse_base()
 * @base_url: (nullable): @base as trawl_url_parse_base() wrote it, which
 *   plain relative links are joined to without GUri
 * @href: a link as written in the document
 *
 * Resolves @href against @base the way a browser does: surrounding white
 * space is dropped, tabs and newlines inside are removed, spaces and
 * non-ASCII bytes are percent-encoded.
 *
 * Returns: (transfer full) (nullable): the absolute URL, or %NULL when @href
 *   cannot be resolved.
 */
/* Removes "." and ".." segments (RFC 3986 section 5.2.4). */
static char *
remove_dot_segments (const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  GPtrArray *out = g_ptr_array_new ();
  GString *result;
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n; i++)
    {
      const char *seg = parts[i];
      gboolean last = i + 1 == n;

      if (strcmp (seg, ".") == 0)
        {
          if (last)
            g_ptr_array_add (out, "");
        }
      else if (strcmp (seg, "..") == 0)
        {
          if (out->len > 1)
            g_ptr_array_remove_index (out, out->len - 1);
          if (last)
            g_ptr_array_add (out, "");
        }
      else
        g_ptr_array_add (out, (char *) seg);
    }

  result = g_string_new (NULL);
  for (guint i = 0; i < out->len; i++)
    {
      if (i > 0)
        g_string_append_c (result, '/');
      g_string_append (result, out->pdata[i]);
    }
  g_ptr_array_free (out, TRUE);

  if (result->len == 0 || result->str[0] != '/')
    g_string_prepend_c (result, '/');

  return g_string_free (result, FALSE);
}

/* The characters of a relative reference that needs no escaping.  Not
 * '%': GUri decodes some escapes, and so must every link with one. */
static gboolean
is_plain_ref_char (guchar c)
{
  return is_unreserved (c) || is_allowed_raw (c) || c == '#';
}

/* Resolves the commonest links, plain relative paths like "../a/b.html",
 * "/c" or "?page=2", by joining strings, as RFC 3986 section 5.2 does,
 * in a fraction of the time GUri takes.  Anything else (a scheme, a
 * network path, escapes, characters to escape) returns %NULL for GUri.
 * @base_url is an absolute http or https URL as GUri writes it, so that
 * the result is GUri's to the byte: GUri escapes spaces and non-ASCII
 * bytes of a base, decodes escapes of unreserved characters and lowers
 * the case of its scheme. */
static char *
resolve_plain (const char *base_url,
               const char *href,
               gsize       href_len)
{
  const char *authority_end, *path_end, *query_end;
  gsize path_offset;
  GString *out;

  for (gsize i = 0; i < href_len; i++)
    {
      guchar c = href[i];

      if (!is_plain_ref_char (c))
        return NULL;
      if (c == ':' && strcspn (href, "/?#") > i)
        return NULL;  /* a scheme, or a colon in a first segment */
    }
  if (href[0] == '/' && href[1] == '/')
    return NULL;

  authority_end = strstr (base_url, "://");
  if (authority_end == NULL)
    return NULL;
  authority_end += 3;
  authority_end += strcspn (authority_end, "/?#");
  path_end = authority_end + strcspn (authority_end, "?#");
  query_end = path_end + strcspn (path_end, "#");

  out = g_string_sized_new ((path_end - base_url) + href_len + 2);
  g_string_append_len (out, base_url, authority_end - base_url);
  /* An offset, not a pointer: the appends below may move out->str. */
  path_offset = out->len;

  if (href[0] == '/')
    g_string_append_len (out, href, href_len);
  else if (href[0] == '?' || href_len == 0 || href[0] == '#')
    {
      g_string_append_len (out, authority_end, path_end - authority_end);
      if (href[0] != '?')
        g_string_append_len (out, path_end, query_end - path_end);
      g_string_append_len (out, href, href_len);
    }
  else
    {
      const char *slash = path_end;

      while (slash > authority_end && slash[-1] != '/')
        slash--;
      if (slash == authority_end)
        g_string_append_c (out, '/');
      else
        g_string_append_len (out, authority_end, slash - authority_end);
      g_string_append_len (out, href, href_len);
    }

  /* Dot segments, rare in practice, are removed as in canonical paths. */
  {
    gsize path_len = strcspn (out->str + path_offset, "?#");
    g_autofree char *raw = g_strndup (out->str + path_offset, path_len);

    if (strstr (raw, "/.") != NULL)
      {
        g_autofree char *clean = remove_dot_segments (raw);

        g_string_erase (out, path_offset, path_len);
        g_string_insert (out, path_offset, clean);
      }
  }

  return g_string_free (out, FALSE);
}

char *
trawl_url_resolve_with (GUri       *base,
                        const char *base_url,
                        const char *href)
{
  g_autofree char *stripped = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr (GUri) uri = NULL;

  g_return_val_if_fail (href != NULL, NULL);
  g_return_val_if_fail ((base == NULL) == (base_url == NULL), NULL);

  stripped = g_strstrip (g_strdup (href));
  if (base_url != NULL && trawl_url_is_http (base_url))
    {
      char *plain = resolve_plain (base_url, stripped, strlen (stripped));

      if (plain != NULL)
        return plain;
    }
  escaped = escape_loose (stripped, FALSE);
  uri = g_uri_parse_relative (base, escaped, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    return NULL;

  return uri_to_string (uri);
}

/**
 * trawl_url_resolve:
 * @base: (nullable): the absolute URL of the document, or its base href
 * @href: a link as written in the document
 *
 * Resolves @href against @base; see trawl_url_resolve_with().
 *
 * Returns: (transfer full) (nullable): the absolute URL, or %NULL when @href
 *   cannot be resolved.
 */
char *
trawl_url_resolve (const char *base,
                   const char *href)
{
  g_autofree char *base_url = NULL;
  g_autoptr (GUri) base_uri = base ? trawl_url_parse_base (base, &base_url) : NULL;

  g_return_val_if_fail (href != NULL, NULL);
  return trawl_url_resolve_with (base_uri, base_url, href);
}

/* Whether @host, in lower case after IDNA and without the trailing dot,
 * can name a host: an IPv6 address, or labels that are not empty, of
 * letters, digits, '-' and '_' (which DNS names have in practice).
 * g_hostname_to_ascii() checks only what IDNA needs and passes an ASCII
 * name as it is, with controls, spaces, '/' or ';', which would make a
 * canonical URL that does not parse again. */
static gboolean
is_valid_host (const char *host)
{
  gsize len = strlen (host);

  if (strchr (host, ':') != NULL)
    return g_hostname_is_ip_address (host);
  if (strspn (host, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != len)
    return FALSE;
  return len > 0 && host[0] != '.' && host[len - 1] != '.' && strstr (host, "..") == NULL;
}

static gboolean
is_session_param (const char *key,
                  gsize       len)
{
  static const char *const names[] = {
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id",
    "aspsessionid", "cfid", "cftoken",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strlen (names[i]) == len && g_ascii_strncasecmp (key, names[i], len) == 0)
      return TRUE;

  return len > 4 && g_ascii_strncasecmp (key, "utm_", 4) == 0;
}

static int
compare_args (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
append_query (GString    *out,
              const char *query)
{
  g_auto (GStrv) args = g_strsplit (query, "&", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; args[i]; i++)
    {
      const char *eq = strchr (args[i], '=');
      gsize keylen = eq ? (gsize) (eq - args[i]) : strlen (args[i]);
      GString *arg;

      if (args[i][0] == '\0' || is_session_param (args[i], keylen))
        continue;

      arg = g_string_new (NULL);
      append_normalized (arg, args[i], strlen (args[i]), "&");
      g_ptr_array_add (kept, g_string_free (arg, FALSE));
    }

  if (kept->len == 0)
    return;

  g_ptr_array_sort (kept, compare_args);
  g_string_append_c (out, '?');
  for (guint i = 0; i < kept->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, kept->pdata[i]);
    }
}

/* Drops ";jsessionid=…" style path parameters. */
static char *
strip_path_session (const char *path)
{
  const char *semi = strchr (path, ';');

  if (semi != NULL)
    {
      const char *eq = strchr (semi, '=');
      gsize keylen = eq ? (gsize) (eq - semi - 1) : strlen (semi + 1);

      if (is_session_param (semi + 1, keylen))
        return g_strndup (path, semi - path);
    }

  return g_strdup (path);
}

/**
 * trawl_url_canonicalize:
 * @url: an absolute http or https URL
 * @error: return location for a #GError
 *
 * Computes the form of @url used to recognise duplicates: lower-case scheme
 * and host (IDNA-encoded), no default port, no fragment, dot segments
 * removed, percent escapes normalised, query arguments sorted, session ids
 * and utm_* arguments dropped, and an empty path written as "/".
 *
 * Returns: (transfer full) (nullable): the canonical URL, or %NULL with
 *   @error set when @url is not an absolute http(s) URL.
 */
char *
trawl_url_canonicalize (const char  *url,
                        GError     **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *nosession = NULL;
  const char *scheme;
  GString *out;
  int port;

  g_return_val_if_fail (url != NULL, NULL);

  escaped = escape_loose (url, TRUE);
  uri = g_uri_parse (escaped, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_FAILED,
                   _("“%s” is not a valid web address"), url);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME,
                   _("“%s” is not a web address: only http and https are crawled"), url);
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
                   _("“%s” has no host name"), url);
      return NULL;
    }

  {
    g_autofree char *unescaped = g_uri_unescape_string (g_uri_get_host (uri), NULL);
    g_autofree char *ascii = unescaped ? g_hostname_to_ascii (unescaped) : NULL;

    if (ascii == NULL)
      {
        g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
                     _("“%s” has an invalid host name"), url);
        return NULL;
      }
    host = g_ascii_strdown (ascii, -1);
    /* A trailing dot names the same host. */
    if (host[0] != '\0' && host[strlen (host) - 1] == '.')
      host[strlen (host) - 1] = '\0';
    if (!is_valid_host (host))
      {
        g_set_error (error, G_URI_ERROR, G_URI_ERROR_BAD_HOST,
                     _("“%s” has an invalid host name"), url);
        return NULL;
      }
  }

  out = g_string_sized_new (strlen (url) + 8);
  g_string_append (out, g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http");
  g_string_append (out, "://");
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_string_append (out, g_uri_get_userinfo (uri));
      g_string_append_c (out, '@');
    }
  if (strchr (host, ':') != NULL)
    g_string_append_printf (out, "[%s]", host);
  else
    g_string_append (out, host);

  port = g_uri_get_port (uri);
  if (port > 0 &&
      !(port == 80 && out->str[4] == ':') &&
      !(port == 443 && out->str[4] == 's'))
    g_string_append_printf (out, ":%d", port);

  nosession = strip_path_session (g_uri_get_path (uri));
  path = remove_dot_segments (nosession);
  append_normalized (out, path, strlen (path), "?");

  if (g_uri_get_query (uri) != NULL)
    append_query (out, g_uri_get_query (uri));

  return g_string_free (out, FALSE);
}

/**
 * trawl_url_fingerprint:
 * @canonical_url: a URL returned by trawl_url_canonicalize()
 *
 * Returns: the 64-bit fingerprint the frontier dedupes on.
 */
guint64
trawl_url_fingerprint (const char *canonical_url)
{
  return trawl_hash64 (canonical_url, strlen (canonical_url));
}

/* trawl_url_fingerprint_of() remembers recent answers per thread: the
 * links of a site repeat (menus, footers), and canonicalising is the
 * costliest step of recording a page.  Direct-mapped, keyed by a hash of
 * the URL as written. */
#define FP_CACHE_SIZE 65536

typedef struct {
  guint64 raw;
  guint64 fp;
} FpCacheEntry;

static GPrivate fp_cache_key = G_PRIVATE_INIT (g_free);

/**
 * trawl_url_fingerprint_of:
 * @url: any absolute URL
 *
 * Returns: the fingerprint of @url's canonical form, or 0 when it has none.
 */
guint64
trawl_url_fingerprint_of (const char *url)
{
  FpCacheEntry *cache = g_private_get (&fp_cache_key);
  guint64 raw = trawl_hash64 (url, strlen (url)) | 1;
  FpCacheEntry *entry;
  g_autofree char *canonical = NULL;

  if (cache == NULL)
    {
      cache = g_new0 (FpCacheEntry, FP_CACHE_SIZE);
      g_private_set (&fp_cache_key, cache);
    }

  entry = &cache[raw & (FP_CACHE_SIZE - 1)];
  if (entry->raw == raw)
    return entry->fp;

  canonical = trawl_url_canonicalize (url, NULL);
  entry->raw = raw;
  entry->fp = canonical ? trawl_url_fingerprint (canonical) : 0;
  return entry->fp;
}

/**
 * trawl_url_host_key:
 * @url: an absolute URL
 *
 * Returns: (transfer full) (nullable): "scheme://host:port", the unit the
 *   frontier applies politeness to.
 */
char *
trawl_url_host_key (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  g_autofree char *host = NULL;
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port < 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  /* An IPv6 literal keeps its brackets: the key is the start of a URL. */
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%d", g_uri_get_scheme (uri), host, port);
  return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), host, port);
}

/**
 * trawl_url_get_host:
 * @url: an absolute URL
 *
 * Returns: (transfer full) (nullable): the lower-case host name of @url.
 */
char *
trawl_url_get_host (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

/**
 * trawl_url_get_path_query:
 * @url: an absolute URL
 *
 * Returns: (transfer full): the path and query of @url as sent in a request
 *   line ("/" when the path is empty), the form robots.txt rules match.
 */
char *
trawl_url_get_path_query (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  const char *path;

  if (uri == NULL)
    return g_strdup ("/");

  path = g_uri_get_path (uri);
  if (path == NULL || path[0] == '\0')
    path = "/";

  if (g_uri_get_query (uri) != NULL)
    return g_strconcat (path, "?", g_uri_get_query (uri), NULL);

  return g_strdup (path);
}

/**
 * trawl_url_is_http:
 * @url: a URL
 *
 * Returns: whether @url is an absolute http or https URL, the only kinds
 *   Trawl fetches.
 */
gboolean
trawl_url_is_http (const char *url)
{
  return g_ascii_strncasecmp (url, "http://", 7) == 0 ||
         g_ascii_strncasecmp (url, "https://", 8) == 0;
}

/**
 * trawl_url_host_in_site:
 * @host: a lower-case host name
 * @site_host: the host of a start URL
 *
 * Tells whether @host belongs to the same site as @site_host: the host
 * itself or any of its subdomains, counting a leading "www." of the start
 * host as part of the site (www.example.org starts a crawl of *.example.org).
 */
gboolean
trawl_url_host_in_site (const char *host,
                        const char *site_host)
{
  gsize hlen, slen;

  if (g_str_has_prefix (site_host, "www."))
    site_host += 4;

  hlen = strlen (host);
  slen = strlen (site_host);

  if (hlen == slen)
    return g_ascii_strcasecmp (host, site_host) == 0;

  return hlen > slen &&
         host[hlen - slen - 1] == '.' &&
         g_ascii_strcasecmp (host + hlen - slen, site_host) == 0;
}
