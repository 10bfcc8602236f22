/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sitemap.c — sitemaps, plain, XML or gzip (trawl-sitemap.c).
 *
 * The input is a sitemap as fetched; what it lists must be absolute
 * http or https URLs.  A gzip one is also inflated with a small limit,
 * as stored bodies are.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-gzip.h"
#include "trawl-sitemap.h"
#include "trawl-url.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GBytes) body = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) urls = NULL;
  g_autoptr (GBytes) inflated = NULL;
  gboolean is_index = TRUE;

  urls = trawl_sitemap_parse (body, "https://example.org/sitemap.xml", &is_index, &error);
  g_assert_true ((urls == NULL) == (error != NULL));
  for (guint i = 0; urls != NULL && i < urls->len; i++)
    g_assert_true (trawl_url_is_http (urls->pdata[i]));

  g_clear_error (&error);
  inflated = trawl_gzip_decompress (body, 1024, &error);
  g_assert_true ((inflated == NULL) == (error != NULL));
  g_assert_true (inflated == NULL || g_bytes_get_size (inflated) <= 1024);
  return 0;
}
