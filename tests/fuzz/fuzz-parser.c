/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-parser.c — links and metadata from HTML pages (trawl-parser.c).
 *
 * The input's first line is the page's Content-Type header (empty for
 * none), the rest its body, parsed as a crawl with extraction rules does,
 * DOM and all.  Besides not crashing, the result must keep the promises
 * of trawl-parser.h: valid UTF-8 everywhere, only http and https links,
 * anchor texts of at most 256 bytes.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-parser.h"
#include "trawl-url.h"

#include <string.h>

#define PAGE_URL "http://example.org/a/b.html"

static void
check_text (const char *text,
            gsize       max)
{
  if (text == NULL)
    return;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpuint (strlen (text), <=, max);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *content_type = fuzz_next_line (&data, &size);
  g_autoptr (TrawlParseResult) result = NULL;
  g_autofree char *charset = NULL;

  result = trawl_parse_html_document ((const char *) data, size, PAGE_URL,
                                      content_type[0] != '\0' ? content_type : NULL, "noindex, otherbot: nofollow");
  charset = trawl_parse_charset ((const char *) data, size, content_type);
  g_assert_cmpstr (charset, ==, result->charset);

  check_text (result->title, 4096);
  check_text (result->h1, 4096);
  check_text (result->description, 4096);
  check_text (result->meta_robots, G_MAXSIZE);
  g_assert_true (trawl_url_is_http (result->base_url));
  g_assert_true (result->canonical == NULL || trawl_url_is_http (result->canonical));
  for (guint i = 0; i < result->links->len; i++)
    {
      TrawlLink *link = result->links->pdata[i];

      g_assert_true (trawl_url_is_http (link->url));
      check_text (link->anchor, 256);
      check_text (link->rel, G_MAXSIZE);
      check_text (link->hreflang, G_MAXSIZE);
      g_assert_nonnull (trawl_link_kind_to_string (link->kind));
    }
  g_assert_true (trawl_parse_wants (200, "text/html"));
  return 0;
}
