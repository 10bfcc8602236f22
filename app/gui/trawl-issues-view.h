/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-issues-view.h — the Issues view of the window: a site audit. */
#pragma once

#include <adwaita.h>

#include "trawl-crawl.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_ISSUES_VIEW (trawl_issues_view_get_type ())
G_DECLARE_FINAL_TYPE (TrawlIssuesView, trawl_issues_view, TRAWL, ISSUES_VIEW, AdwBin)

void trawl_issues_view_set_crawl (TrawlIssuesView *self,
                                  TrawlCrawl      *crawl);

G_END_DECLS
