/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-page-detail.h — everything the crawl file knows about one URL. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A link to or from the page.  For an outlink, id is the target's URL id
 * (0 when the target was never recorded); for an inlink, the source's. */
typedef struct {
  gint64  id;
  char   *url;     /* owned */
  char   *anchor;  /* owned, nullable */
  char   *kind;    /* owned: anchor, image, redirect… */
  char   *rel;     /* owned, nullable */
  gboolean nofollow;
} TrawlPageLink;

/* One hop of a redirect chain that starts at the page. */
typedef struct {
  int   hop;
  gint64 page_id;
  char *url;       /* owned */
  int   status;
  char *location;  /* owned, nullable: NULL at the end of the chain */
} TrawlPageHop;

typedef struct {
  gint64     id;
  char      *url;            /* owned */
  int        state;          /* TrawlUrlState */
  char      *reason;         /* owned, nullable */
  int        depth;
  gint64     parent_id;      /* 0 for a start URL */
  char      *parent_url;     /* owned, nullable */
  gboolean   fetched;        /* there is a pages row; the fields below are set */
  char      *final_url;      /* owned, nullable */
  int        status;
  char      *content_type;   /* owned, nullable */
  gint64     bytes;
  char      *title;          /* owned, nullable */
  char      *description;    /* owned, nullable */
  char      *h1;             /* owned, nullable */
  char      *canonical;      /* owned, nullable */
  char      *meta_robots;    /* owned, nullable */
  char      *x_robots_tag;   /* owned, nullable */
  gboolean   noindex;
  gboolean   nofollow;
  gint64     word_count;     /* -1 when unknown */
  char      *charset;        /* owned, nullable */
  int        fetch_ms;       /* -1 when unknown */
  int        ttfb_ms;        /* -1 when unknown */
  double     fetched_at;     /* Unix time */
  int        redirects;
  int        attempts;
  char      *error;          /* owned, nullable */
  char      *headers;        /* owned, nullable: "Name: value" lines */
  GPtrArray *redirect_chain; /* owned: TrawlPageHop */
  GPtrArray *inlinks;        /* owned: TrawlPageLink, at most TRAWL_PAGE_DETAIL_MAX_LINKS */
  GPtrArray *outlinks;       /* owned: TrawlPageLink, at most TRAWL_PAGE_DETAIL_MAX_LINKS */
  gint64     n_inlinks;      /* all of them, even beyond the list */
  gint64     n_outlinks;
} TrawlPageDetail;

#define TRAWL_PAGE_DETAIL_MAX_LINKS 500

TrawlPageDetail *trawl_page_detail_load        (const char           *path,
                                                gint64                id,
                                                GCancellable         *cancellable,
                                                GError              **error);
void             trawl_page_detail_load_async  (const char           *path,
                                                gint64                id,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
TrawlPageDetail *trawl_page_detail_load_finish (GAsyncResult         *result,
                                                GError              **error);
void             trawl_page_detail_free        (TrawlPageDetail      *detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlPageDetail, trawl_page_detail_free)

G_END_DECLS
