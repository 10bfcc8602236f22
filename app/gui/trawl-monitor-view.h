/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-monitor-view.h — the Monitor view of the window. */
#pragma once

#include <adwaita.h>

#include "trawl-chart.h"
#include "trawl-crawl.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_MONITOR_VIEW (trawl_monitor_view_get_type ())
G_DECLARE_FINAL_TYPE (TrawlMonitorView, trawl_monitor_view, TRAWL, MONITOR_VIEW, AdwBin)

void        trawl_monitor_view_set_crawl      (TrawlMonitorView *self,
                                               TrawlCrawl       *crawl);
TrawlChart *trawl_monitor_view_get_chart      (TrawlMonitorView *self);
GListModel *trawl_monitor_view_get_host_model (TrawlMonitorView *self);
GListModel *trawl_monitor_view_get_log_model  (TrawlMonitorView *self);

G_END_DECLS
