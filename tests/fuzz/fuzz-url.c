/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-url.c — link resolution and canonical URLs (trawl-url.c).
 *
 * The input's first line is the URL of a page, the rest a link on it.
 * Besides not crashing, a canonical URL must be printable ASCII and its
 * own canonical form, and the shortcut trawl_url_resolve() takes for plain
 * relative links must resolve them exactly as GLib does.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-url.h"

#include <string.h>

static const GUriFlags flags = G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED;

static void
check_canonical (const char *url)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *canonical = trawl_url_canonicalize (url, &error);
  g_autofree char *again = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *path_query = NULL;

  g_assert_true ((canonical == NULL) == (error != NULL));
  g_assert_cmpuint (trawl_url_fingerprint_of (url), ==, canonical ? trawl_url_fingerprint (canonical) : 0);
  if (canonical == NULL)
    return;

  g_assert_true (trawl_url_is_http (canonical));
  for (const char *p = canonical; *p != '\0'; p++)
    g_assert_true (*p > ' ' && *p < 0x7f);
  again = trawl_url_canonicalize (canonical, NULL);
  g_assert_cmpstr (again, ==, canonical);

  host_key = trawl_url_host_key (canonical);
  g_assert_nonnull (host_key);
  path_query = trawl_url_get_path_query (canonical);
  g_assert_true (path_query[0] == '/');
}

/* Whether @href is a link trawl_url_resolve() hands to GLib unchanged:
 * no white space or other bytes it escapes first, no escapes, and not a
 * network path, which GLib cannot always write back. */
static gboolean
is_plain_link (const char *href)
{
  return strspn (href, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#")
         == strlen (href) && !g_str_has_prefix (href, "//");
}

static void
check_matches_glib (const char *base,
                    const char *href,
                    const char *resolved)
{
  g_autoptr (GUri) base_uri = trawl_url_parse_base (base, NULL);
  g_autoptr (GUri) uri = NULL;
  g_autofree char *glib = NULL;
  const char *path;

  if (base_uri == NULL || !is_plain_link (href))
    return;
  uri = g_uri_parse_relative (base_uri, href, flags, NULL);
  if (uri == NULL || g_uri_get_scheme (uri) == NULL)
    {
      g_assert_null (resolved);
      return;
    }

  /* trawl_url_resolve() drops what GLib 2.74 cannot write. */
  path = g_uri_get_path (uri);
  if (g_uri_get_host (uri) != NULL ? path[0] != '\0' && path[0] != '/' : path[0] == '/' && path[1] == '/')
    {
      g_assert_null (resolved);
      return;
    }
  glib = g_uri_to_string (uri);
  g_assert_cmpstr (resolved, ==, glib);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *base = fuzz_next_line (&data, &size);
  g_autofree char *href = g_strndup ((const char *) data, size);
  g_autofree char *resolved = trawl_url_resolve (base, href);
  g_autofree char *host = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *path_query = trawl_url_get_path_query (base);

  g_assert_nonnull (path_query);
  check_canonical (base);
  check_canonical (href);
  check_matches_glib (base, href, resolved);
  if (resolved != NULL)
    check_canonical (resolved);

  host = trawl_url_get_host (base);
  host_key = trawl_url_host_key (base);
  if (host != NULL)
    trawl_url_host_in_site (host, href);
  return 0;
}
