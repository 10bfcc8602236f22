/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-robots.h — robots.txt rules (RFC 9309) for one user agent. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 9309 asks crawlers to parse at least 500 KiB; more is ignored. */
#define TRAWL_ROBOTS_MAX_SIZE (512 * 1024)
/* Crawl-delay values above this are clamped, as Heritrix does. */
#define TRAWL_ROBOTS_MAX_CRAWL_DELAY 300.0

typedef struct _TrawlRobots TrawlRobots;

TrawlRobots        *trawl_robots_parse             (const char        *data,
                                                    gsize              length,
                                                    const char        *user_agent);
TrawlRobots        *trawl_robots_new_allow_all     (void);
TrawlRobots        *trawl_robots_new_disallow_all  (void);
gboolean            trawl_robots_is_allowed        (const TrawlRobots *robots,
                                                    const char        *url);
double              trawl_robots_get_crawl_delay   (const TrawlRobots *robots);
const char * const *trawl_robots_get_sitemaps      (const TrawlRobots *robots);
char               *trawl_robots_product_token     (const char        *user_agent);
void                trawl_robots_free              (TrawlRobots       *robots);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlRobots, trawl_robots_free)

G_END_DECLS
