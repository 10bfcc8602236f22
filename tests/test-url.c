/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-url.c — resolving links and recognising duplicate URLs. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-url.h"

static void
test_canonicalize (void)
{
  static const struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "HTTP://Example.ORG", "http://example.org/" },
    { "http://example.org:80/a", "http://example.org/a" },
    { "https://example.org:443/a", "https://example.org/a" },
    { "http://example.org:8080/a", "http://example.org:8080/a" },
    { "http://example.org/a#frag", "http://example.org/a" },
    { "http://example.org/a/./b/../c", "http://example.org/a/c" },
    { "http://example.org/?b=2&a=1", "http://example.org/?a=1&b=2" },
    { "http://example.org/?a=1&utm_source=x&utm_medium=y", "http://example.org/?a=1" },
    { "http://example.org/?PHPSESSID=abc&q=1", "http://example.org/?q=1" },
    { "http://example.org/shop;jsessionid=1234", "http://example.org/shop" },
    { "http://example.org/%7euser/%2fx", "http://example.org/~user/%2Fx" },
    { "http://example.org/a b", "http://example.org/a%20b" },
    { "http://example.org/caf\xc3\xa9", "http://example.org/caf%C3%A9" },
    { "http://b\xc3\xbc" "cher.example/", "http://xn--bcher-kva.example/" },
    { "http://example.org./x", "http://example.org/x" },
    { "http://example.org/?", "http://example.org/" },
    { "http://example.org/100%", "http://example.org/100%25" },
    /* A stray '%' before an escape GUri decodes ("%34" is "4") does not
     * become a new escape: "%2%%345" is not "%2E", a dot (found by fuzzing). */
    { "http://example.org/a/%2%%345/b", "http://example.org/a/%252%2545/b" },
    { "http://example.org/a/%%2E/b", "http://example.org/a/%25./b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *canonical = trawl_url_canonicalize (cases[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (canonical, ==, cases[i].out);
      /* A canonical URL is its own canonical form. */
      g_clear_pointer (&canonical, g_free);
      canonical = trawl_url_canonicalize (cases[i].out, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (canonical, ==, cases[i].out);
    }
}

static void
test_fingerprint_dedupes (void)
{
  const char *same[] = {
    "http://example.org/q?a=1&b=2",
    "HTTP://EXAMPLE.org:80/q?b=2&a=1#top",
    "http://example.org/./q?a=1&b=2&utm_campaign=z",
  };
  g_autofree char *first = trawl_url_canonicalize (same[0], NULL);
  guint64 fp = trawl_url_fingerprint (first);

  for (guint i = 1; i < G_N_ELEMENTS (same); i++)
    g_assert_cmpuint (trawl_url_fingerprint_of (same[i]), ==, fp);

  g_assert_cmpuint (trawl_url_fingerprint_of ("http://example.org/q?a=1&b=3"), !=, fp);
  g_assert_cmpuint (trawl_url_fingerprint_of ("https://example.org/q?a=1&b=2"), !=, fp);
}

static void
test_rejects (void)
{
  const char *bad[] = {
    "not a url", "ftp://example.org/", "javascript:alert(1)", "mailto:a@b.c", "http://", "/relative",
    /* Host names GLib's IDNA passes, which no host can have (found by fuzzing). */
    "http://exa\vmple.org/", "http://exa%20mple.org/", "http://exa%2fmple.org/", "http://./",
    "http://example.org../", "http://a..example.org/", "http://.example.org/",
    "http://%3b/", "http://a!b.example/", "http://a%7Cb.example/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *canonical = trawl_url_canonicalize (bad[i], &error);

      g_assert_null (canonical);
      g_assert_nonnull (error);
    }
}

static void
test_resolve (void)
{
  static const struct {
    const char *base;
    const char *href;
    const char *out;
  } cases[] = {
    { "http://h/a/b.html", "c.html", "http://h/a/c.html" },
    { "http://h/a/b.html", "../c.html", "http://h/c.html" },
    { "http://h/a/b.html", "/c.html", "http://h/c.html" },
    { "http://h/a/b.html", "//other/c", "http://other/c" },
    { "http://h/a/b.html", "?q=1", "http://h/a/b.html?q=1" },
    { "http://h/a/b.html", "  c.html\n", "http://h/a/c.html" },
    { "http://h/a/b.html", "c d.html", "http://h/a/c%20d.html" },
    { "https://h/", "http://x/y", "http://x/y" },
    { "https://h/", "//x/y", "https://x/y" },
    /* Junk authorities are dropped, without a GLib critical. */
    { "http://h/p", "//a;b", NULL },
    { "http://h/p", "//[::1", NULL },
    /* A base GUri writes as it does not read it is none (found by fuzzing). */
    { "http://[::60%%23:FC7]", "x", NULL },
    { "http://[::60%%23:FC7]", "https://example.org/", "https://example.org/" },
    { "http://%23b/", "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *resolved = trawl_url_resolve (cases[i].base, cases[i].href);

      g_assert_cmpstr (resolved, ==, cases[i].out);
    }
}

/* The shortcut for plain links read the path back through a pointer into
 * the string it was growing, so from freed memory once a long query made
 * it move (found by fuzzing). */
static void
test_resolve_long_query (void)
{
  g_autofree char *query = g_strnfill (4096, 'q');
  g_autofree char *base = g_strconcat ("http://example.org/a/b?", query, NULL);
  g_autofree char *expected = g_strconcat (base, "#f", NULL);
  g_autofree char *resolved = trawl_url_resolve (base, "#f");

  g_assert_cmpstr (resolved, ==, expected);
}

static void
test_hosts (void)
{
  g_autofree char *key = trawl_url_host_key ("http://Example.org/a");
  g_autofree char *skey = trawl_url_host_key ("https://example.org:8443/a");
  g_autofree char *v6key = trawl_url_host_key ("http://[::FFFF:127.0.0.1]:8080/a");
  g_autofree char *pq = trawl_url_get_path_query ("http://h/a/b?c=d#e");

  g_assert_cmpstr (key, ==, "http://example.org:80");
  g_assert_cmpstr (skey, ==, "https://example.org:8443");
  g_assert_cmpstr (v6key, ==, "http://[::ffff:127.0.0.1]:8080");
  g_assert_cmpstr (pq, ==, "/a/b?c=d");

  g_assert_true (trawl_url_host_in_site ("example.org", "www.example.org"));
  g_assert_true (trawl_url_host_in_site ("blog.example.org", "example.org"));
  g_assert_false (trawl_url_host_in_site ("badexample.org", "example.org"));
  g_assert_false (trawl_url_host_in_site ("example.com", "example.org"));
}

/* Plain relative links take a shortcut past GUri; every combination of
 * these bases and links must resolve exactly as GLib's RFC 3986 code does. */
static void
test_resolve_matches_glib (void)
{
  const char *bases[] = {
    "http://example.org", "http://example.org/", "https://example.org/a/b/c.html",
    "http://example.org/a/b/?q=1#top", "http://user@example.org:8080/a/b", "http://example.org/a/./b/../c/",
    "https://example.org/a?x", "http://example.org/.hidden/dir/file",
    /* Bases GUri writes otherwise: the shortcut must build on its form. */
    "http://example.org/caf\xc3\xa9/\xff/x", "HTTP://example.org/a/", "http://example.org/%7euser/%41/b",
    "http://example.org/a b/c", "http://example.org:/a/b",
  };
  const char *hrefs[] = {
    "", "#frag", "?q=2", "?q=2#f", "/", "/x/y.html", "x.html", "./x", "../x", "../../../../x",
    "a/b/../c/./d", "/a/../..", ".", "..", "./", "../", "x?y=1&z=2#w", "page%20two.html",
    "/%7Euser/", "a/.hidden", "a..b/c", "...", "x/..", "/./", "~tilde", "a:b/c", "./a:b",
    "@at", "!$&'()*+,;=", "%41%42",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
    for (guint k = 0; k < G_N_ELEMENTS (hrefs); k++)
      {
        const GUriFlags flags = G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED;
        g_autofree char *ours = trawl_url_resolve (bases[i], hrefs[k]);
        g_autoptr (GUri) base = g_uri_parse (bases[i], flags, NULL);
        g_autoptr (GUri) uri = g_uri_parse_relative (base, hrefs[k], flags, NULL);
        g_autofree char *glib = uri ? g_uri_to_string (uri) : NULL;

        if (g_strcmp0 (ours, glib) != 0)
          g_error ("“%s” against “%s”: %s, GLib says %s", hrefs[k], bases[i], ours, glib);
      }
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/url/canonicalize", test_canonicalize);
  g_test_add_func ("/url/fingerprint-dedupes", test_fingerprint_dedupes);
  g_test_add_func ("/url/rejects", test_rejects);
  g_test_add_func ("/url/resolve", test_resolve);
  g_test_add_func ("/url/resolve-matches-glib", test_resolve_matches_glib);
  g_test_add_func ("/url/resolve-long-query", test_resolve_long_query);
  g_test_add_func ("/url/hosts", test_hosts);

  return g_test_run ();
}
