/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-recent-crawls.h — the crawl files in the crawl folder, newest first. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_RECENT_CRAWL (trawl_recent_crawl_get_type ())
G_DECLARE_FINAL_TYPE (TrawlRecentCrawl, trawl_recent_crawl, TRAWL, RECENT_CRAWL, GObject)

const char *trawl_recent_crawl_get_path    (TrawlRecentCrawl  *self);
const char *trawl_recent_crawl_get_name    (TrawlRecentCrawl  *self);
GDateTime  *trawl_recent_crawl_get_date    (TrawlRecentCrawl  *self);
gint64      trawl_recent_crawl_get_pages   (TrawlRecentCrawl  *self);
const char *trawl_recent_crawl_get_ending  (TrawlRecentCrawl  *self);
const char *trawl_recent_crawl_get_problem (TrawlRecentCrawl  *self);
char       *trawl_recent_crawl_describe    (TrawlRecentCrawl  *self);

void        trawl_recent_crawls_load_async  (const char           *folder,
                                             guint                 max_files,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray  *trawl_recent_crawls_load_finish (GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS
