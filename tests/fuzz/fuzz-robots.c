/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-robots.c — robots.txt parsing and matching (trawl-robots.c).
 *
 * The input's first line is the crawler's User-Agent, its second a URL
 * to check, the rest the robots.txt.  The URL is checked as given and as
 * a path; a few fixed ones too, so that the rules meet long paths.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-robots.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char *const urls[] = {
    "http://example.org/", "https://example.org/private/a.html?q=1#top", "/",
    "/index.html", "/%E3%83%84/%e3%83%84", "http://example.org?q", "//example.org/a",
    "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa$",
  };
  g_autofree char *agent = fuzz_next_line (&data, &size);
  g_autofree char *url = fuzz_next_line (&data, &size);
  g_autoptr (TrawlRobots) robots = trawl_robots_parse ((const char *) data, size, agent);
  g_autofree char *token = trawl_robots_product_token (agent);
  const char *const *sitemaps = trawl_robots_get_sitemaps (robots);
  double delay = trawl_robots_get_crawl_delay (robots);

  g_assert_true (delay == -1 || (delay >= 0 && delay <= TRAWL_ROBOTS_MAX_CRAWL_DELAY));
  for (guint i = 0; sitemaps[i] != NULL; i++)
    g_assert_true (sitemaps[i][0] != '\0');

  trawl_robots_is_allowed (robots, url);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    trawl_robots_is_allowed (robots, urls[i]);
  return 0;
}
