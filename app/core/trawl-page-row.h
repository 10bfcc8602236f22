/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-page-row.h — one settled URL as a row of the results table. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_PAGE_ROW (trawl_page_row_get_type ())
G_DECLARE_FINAL_TYPE (TrawlPageRow, trawl_page_row, TRAWL, PAGE_ROW, GObject)

/* The plain values of a row, as read from the crawl file. */
typedef struct {
  gint64  id;
  char   *url;           /* owned */
  int     state;         /* TrawlUrlState: 1 fetched, 2 failed, 3 skipped */
  char   *reason;        /* owned, nullable */
  int     status;        /* 0 without a response */
  char   *content_type;  /* owned, nullable */
  gint64  bytes;         /* -1 when not fetched */
  int     fetch_ms;      /* -1 when unknown */
  int     depth;
  char   *title;         /* owned, nullable */
  gint64  inlinks;       /* -1 when not counted (while a crawl runs) */
  gint64  outlinks;      /* -1 when not fetched */
} TrawlPageRowData;

TrawlPageRow *trawl_page_row_new              (TrawlPageRowData *data);
void          trawl_page_row_update           (TrawlPageRow     *self,
                                               TrawlPageRow     *fresh);
gint64        trawl_page_row_get_id           (TrawlPageRow     *self);
const char   *trawl_page_row_get_url          (TrawlPageRow     *self);
int           trawl_page_row_get_state        (TrawlPageRow     *self);
const char   *trawl_page_row_get_reason       (TrawlPageRow     *self);
int           trawl_page_row_get_status       (TrawlPageRow     *self);
const char   *trawl_page_row_get_content_type (TrawlPageRow     *self);
gint64        trawl_page_row_get_bytes        (TrawlPageRow     *self);
int           trawl_page_row_get_fetch_ms     (TrawlPageRow     *self);
int           trawl_page_row_get_depth        (TrawlPageRow     *self);
const char   *trawl_page_row_get_title        (TrawlPageRow     *self);
gint64        trawl_page_row_get_inlinks      (TrawlPageRow     *self);
gint64        trawl_page_row_get_outlinks     (TrawlPageRow     *self);
char         *trawl_page_row_dup_status_label (TrawlPageRow     *self);

char         *trawl_format_count              (guint64           n);
char         *trawl_describe_reason           (const char       *reason);

G_END_DECLS
