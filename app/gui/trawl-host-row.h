/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-host-row.h — one host in the Monitor view's host table. */
#pragma once

#include <glib-object.h>

#include "trawl-stats.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_HOST_ROW (trawl_host_row_get_type ())
G_DECLARE_FINAL_TYPE (TrawlHostRow, trawl_host_row, TRAWL, HOST_ROW, GObject)

TrawlHostRow *trawl_host_row_new            (const char           *host);
const char   *trawl_host_row_get_host       (TrawlHostRow         *self);
guint         trawl_host_row_get_in_flight  (TrawlHostRow         *self);
gint64        trawl_host_row_get_done       (TrawlHostRow         *self);
gint64        trawl_host_row_get_errors     (TrawlHostRow         *self);
double        trawl_host_row_get_latency    (TrawlHostRow         *self);
double        trawl_host_row_get_delay      (TrawlHostRow         *self);
void          trawl_host_row_update         (TrawlHostRow         *self,
                                             const TrawlHostStats *stats);

G_END_DECLS
