/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sitemap.c — URLs from sitemaps: XML, text and gzip. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-gzip.h"
#include "trawl-sitemap.h"

#include <string.h>

#define SITEMAP_URL "https://example.org/sitemap.xml"

static GPtrArray *
parse (GBytes   *body,
       gboolean *is_index)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *urls = trawl_sitemap_parse (body, SITEMAP_URL, is_index, &error);

  g_assert_no_error (error);
  g_assert_nonnull (urls);
  return urls;
}

static void
test_formats (void)
{
  static const char xml[] =
    "<?xml version=\"1.0\"?><urlset><url><loc> /a </loc></url><url><loc>https://example.org/b</loc></url></urlset>";
  static const char text[] = "\xef\xbb\xbf https://example.org/one\nftp://example.org/no\nhttp://example.org/two\r\n";
  g_autoptr (GBytes) xml_body = g_bytes_new_static (xml, strlen (xml));
  g_autoptr (GBytes) gzip_body = trawl_gzip_compress (xml_body);
  g_autoptr (GBytes) text_body = g_bytes_new_static (text, strlen (text));
  g_autoptr (GPtrArray) from_xml = NULL;
  g_autoptr (GPtrArray) from_gzip = NULL;
  g_autoptr (GPtrArray) from_text = NULL;
  gboolean is_index = TRUE;

  from_xml = parse (xml_body, &is_index);
  g_assert_false (is_index);
  g_assert_cmpuint (from_xml->len, ==, 2);
  g_assert_cmpstr (from_xml->pdata[0], ==, "https://example.org/a");
  g_assert_cmpstr (from_xml->pdata[1], ==, "https://example.org/b");

  from_gzip = parse (gzip_body, &is_index);
  g_assert_cmpuint (from_gzip->len, ==, 2);

  from_text = parse (text_body, &is_index);
  g_assert_cmpuint (from_text->len, ==, 2);
  g_assert_cmpstr (from_text->pdata[0], ==, "https://example.org/one");
  g_assert_cmpstr (from_text->pdata[1], ==, "http://example.org/two");
}

/* An empty sitemap, or a gzip one that inflates to nothing, lists no URL;
 * it made GLib log a critical (found by fuzzing). */
static void
test_empty (void)
{
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr (GBytes) empty_gzip = trawl_gzip_compress (empty);
  g_autoptr (GPtrArray) urls = NULL;
  g_autoptr (GPtrArray) gzip_urls = NULL;
  gboolean is_index = TRUE;

  urls = parse (empty, &is_index);
  g_assert_cmpuint (urls->len, ==, 0);
  g_assert_false (is_index);
  gzip_urls = parse (empty_gzip, &is_index);
  g_assert_cmpuint (gzip_urls->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/sitemap/formats", test_formats);
  g_test_add_func ("/sitemap/empty", test_empty);

  return g_test_run ();
}
