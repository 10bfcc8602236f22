/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-response.c — what a crawl makes of an HTTP response: the status
 * and headers (trawl-fetcher.c), the body read back from a crawl file
 * (trawl-gzip.c, the Content-Type in the stored headers), the page parsed
 * for its charset and links (trawl-parser.c) and its WARC record
 * (trawl-warc.c).
 *
 * The input's first line is the URL that was fetched, the rest the
 * response as it came: status line, headers, an empty line, the body.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-fetcher.h"
#include "trawl-gzip.h"
#include "trawl-parser.h"
#include "trawl-warc.h"

#include <string.h>

/* Bodies stored with gzip are inflated up to this; enough for a fuzzer. */
#define BODY_LIMIT (1024 * 1024)

/* The length of the head, up to and with the empty line after the
 * headers, or 0 when there is none. */
static gsize
head_length (const char *data,
             gsize       size)
{
  for (gsize i = 0; i + 1 < size; i++)
    {
      if (data[i] == '\n' && data[i + 1] == '\n')
        return i + 2;
      if (data[i] == '\n' && data[i + 1] == '\r' && i + 2 < size && data[i + 2] == '\n')
        return i + 3;
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *url = fuzz_next_line (&data, &size);
  gsize head_len = head_length ((const char *) data, size);
  g_autofree char *head = g_strndup ((const char *) data, head_len);
  g_autoptr (GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr (TrawlFetchResult) result = g_new0 (TrawlFetchResult, 1);
  g_autoptr (GBytes) body = g_bytes_new (data + head_len, size - head_len);
  g_autoptr (GBytes) block = NULL;
  g_autofree char *stored_type = NULL;
  const char *encoding;
  guint status = 0;

  /* libsoup refuses a head with a NUL byte, which g_strndup() would cut. */
  if (head_len == 0 || strlen (head) != head_len ||
      !soup_headers_parse_response (head, head_len, headers, NULL, &status, NULL))
    return 0;
  /* The fetcher only ever requests http and https URLs with a host. */
  if (uri != NULL && ((g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
                      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'))
    g_clear_pointer (&uri, g_uri_unref);
  if (uri == NULL)
    uri = g_uri_parse ("https://example.org/dir/page.html", SOUP_HTTP_URI_FLAGS, NULL);

  trawl_fetch_result_read_response (result, status, headers, uri);
  g_assert_cmpuint (result->status, ==, status);
  g_assert_true (result->retry_after == -1 || result->retry_after >= 0);

  /* A crawl file keeps the headers as text; a stored page is parsed
   * again with the Content-Type read back from it. */
  stored_type = trawl_fetcher_header_from_text (result->headers, "Content-Type");
  g_assert_cmpstr (stored_type, ==, result->content_type_header);

  encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "gzip") == 0)
    {
      g_autoptr (GError) error = NULL;
      GBytes *inflated = trawl_gzip_decompress (body, BODY_LIMIT, &error);

      g_assert_true ((inflated == NULL) == (error != NULL));
      if (inflated == NULL)
        return 0;
      g_bytes_unref (body);
      body = inflated;
    }

  if (trawl_parse_wants (result->status, result->content_type))
    {
      g_autofree char *page_url = g_uri_to_string (uri);
      gsize len;
      const char *bytes = g_bytes_get_data (body, &len);
      g_autoptr (TrawlParseResult) parsed =
        trawl_parse_html (bytes, len, page_url, result->content_type_header, result->x_robots_tag);

      g_assert_nonnull (parsed->charset);
    }

  block = trawl_warc_http_response (result->status, result->headers, body, TRUE);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (block, NULL), "HTTP/1.1 "));
  return 0;
}
