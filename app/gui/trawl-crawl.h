/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-crawl.h — one crawl file as the window sees it. */
#pragma once

#include <glib-object.h>

#include "trawl-engine.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_CRAWL (trawl_crawl_get_type ())
G_DECLARE_FINAL_TYPE (TrawlCrawl, trawl_crawl, TRAWL, CRAWL, GObject)

TrawlCrawl       *trawl_crawl_new             (const TrawlJob  *job,
                                               const char      *path,
                                               GError         **error);
TrawlCrawl       *trawl_crawl_open            (const char      *path,
                                               GError         **error);
const char       *trawl_crawl_get_path        (TrawlCrawl      *self);
const TrawlJob   *trawl_crawl_get_job         (TrawlCrawl      *self);
void              trawl_crawl_add_secrets     (TrawlCrawl      *self,
                                               const TrawlJob  *found);
TrawlEngineState  trawl_crawl_get_state       (TrawlCrawl      *self);
const char       *trawl_crawl_get_state_label (TrawlCrawl      *self);
const TrawlStats *trawl_crawl_get_stats       (TrawlCrawl      *self);
const GError     *trawl_crawl_get_error       (TrawlCrawl      *self);
const GError     *trawl_crawl_get_problem     (TrawlCrawl      *self);
const char       *trawl_crawl_get_nothing_fetched (TrawlCrawl  *self);
gboolean          trawl_crawl_is_active       (TrawlCrawl      *self);
gboolean          trawl_crawl_get_links_indexed (TrawlCrawl    *self);
gboolean          trawl_crawl_can_continue    (TrawlCrawl      *self);
gboolean          trawl_crawl_start           (TrawlCrawl      *self,
                                               GError         **error);
void              trawl_crawl_pause           (TrawlCrawl      *self);
void              trawl_crawl_unpause         (TrawlCrawl      *self);
void              trawl_crawl_stop            (TrawlCrawl      *self);
void              trawl_crawl_set_concurrency (TrawlCrawl      *self,
                                               int              concurrency,
                                               int              per_host);
void              trawl_crawl_set_delay       (TrawlCrawl      *self,
                                               double           delay);

G_END_DECLS
