/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-log-item.h — one line of a crawl's log. */
#pragma once

#include <glib-object.h>

#include "trawl-store.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_LOG_ITEM (trawl_log_item_get_type ())
G_DECLARE_FINAL_TYPE (TrawlLogItem, trawl_log_item, TRAWL, LOG_ITEM, GObject)

TrawlLogItem  *trawl_log_item_new            (double         time,
                                              TrawlLogLevel  level,
                                              const char    *message,
                                              const char    *url);
double         trawl_log_item_get_time       (TrawlLogItem  *self);
TrawlLogLevel  trawl_log_item_get_level      (TrawlLogItem  *self);
const char    *trawl_log_item_get_message    (TrawlLogItem  *self);
const char    *trawl_log_item_get_url        (TrawlLogItem  *self);
gboolean       trawl_log_item_matches        (TrawlLogItem  *self,
                                              const char    *folded_needle);

G_END_DECLS
