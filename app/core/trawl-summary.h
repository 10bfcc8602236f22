/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-summary.h — what a crawl file holds, in numbers. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *trawl_summary_read   (const char  *path,
                                GError     **error);
char     *trawl_summary_format (JsonNode    *summary);
char     *trawl_summary_dup_nothing_fetched (JsonNode *summary);
guint     trawl_text_columns   (const char  *text);

G_END_DECLS
