/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-fetcher.h — one HTTP request at a time, asynchronously. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "trawl-job.h"

G_BEGIN_DECLS

typedef enum {
  TRAWL_FETCH_KEEP_HTML,   /* keep the body only when it is HTML */
  TRAWL_FETCH_KEEP_ALL,    /* keep any body (robots.txt, sitemaps, stored bodies) */
} TrawlFetchKeep;

typedef struct {
  char    *url;             /* owned; as requested */
  guint    status;          /* 0 when there was no response */
  char    *content_type;    /* owned, nullable; the MIME type, lower case */
  char    *content_type_header; /* owned, nullable; with parameters, for the charset */
  char    *headers;         /* owned, nullable; "Name: value" lines */
  char    *location;        /* owned, nullable; absolute target of a redirect */
  char    *x_robots_tag;    /* owned, nullable */
  double   retry_after;     /* seconds from Retry-After, or -1 */
  GBytes  *body;            /* owned, nullable; see TrawlFetchKeep */
  gint64   bytes;           /* body bytes received, after decompression */
  gboolean too_large;       /* reading stopped at the size limit */
  gboolean truncated;       /* the body broke off: the connection failed, or
                             * fewer bytes came than Content-Length said */
  GError  *error;           /* owned, nullable; why there is no usable response:
                             * G_IO_ERROR_TIMED_OUT past the deadline,
                             * G_IO_ERROR_TOO_MANY_LINKS for endless redirects
                             * (when libsoup follows them), else as it came */
  gint64   ttfb_us;         /* from sending to the response headers */
  gint64   sent_at_us;      /* monotonic time the request went out, or 0 */
  gint64   total_us;        /* from sending to the end of the body */
} TrawlFetchResult;

void    trawl_fetch_result_free          (TrawlFetchResult   *result);
goffset trawl_fetch_result_read_response (TrawlFetchResult   *result,
                                          guint               status,
                                          SoupMessageHeaders *headers,
                                          GUri               *uri);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlFetchResult, trawl_fetch_result_free)

typedef struct _TrawlFetcher TrawlFetcher;

TrawlFetcher     *trawl_fetcher_new          (const TrawlJob       *job);
void              trawl_fetcher_free         (TrawlFetcher         *fetcher);
void              trawl_fetcher_fetch_async  (TrawlFetcher         *fetcher,
                                              const char           *url,
                                              TrawlFetchKeep        keep,
                                              gboolean              follow_redirects,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
TrawlFetchResult *trawl_fetcher_fetch_finish (TrawlFetcher         *fetcher,
                                              GAsyncResult         *result);
char             *trawl_fetcher_header_from_text (const char       *headers,
                                                  const char       *name);

G_END_DECLS
