/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-parser.h — link and metadata discovery in HTML pages.
 *
 * Runs in the parser thread pool: every function here is thread-safe and
 * touches no shared state.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TRAWL_LINK_ANCHOR,        /* <a href>, <area href> */
  TRAWL_LINK_FRAME,         /* <iframe src>, <frame src> */
  TRAWL_LINK_IMAGE,         /* <img src> */
  TRAWL_LINK_SCRIPT,        /* <script src> */
  TRAWL_LINK_STYLESHEET,    /* <link rel=stylesheet href> */
  TRAWL_LINK_LINK,          /* any other <link href> (icons, alternates, prev/next…) */
  TRAWL_LINK_CANONICAL,     /* <link rel=canonical href> */
  TRAWL_LINK_HREFLANG,      /* <link rel=alternate hreflang=… href> */
  TRAWL_LINK_META_REFRESH,  /* <meta http-equiv=refresh content="N; url=…"> */
  TRAWL_LINK_REDIRECT,      /* an HTTP redirect (set by the engine, never by the parser) */
  TRAWL_LINK_SITEMAP,       /* a sitemap entry (set by the engine) */
} TrawlLinkKind;

const char *trawl_link_kind_to_string (TrawlLinkKind kind);

typedef struct {
  char          *url;       /* owned; absolute, resolved against the base, as found */
  char          *anchor;    /* owned, nullable; text with collapsed white space, at most 256 bytes */
  char          *rel;       /* owned, nullable; the rel attribute as written */
  char          *hreflang;  /* owned, nullable; only for TRAWL_LINK_HREFLANG */
  TrawlLinkKind  kind;
  guint          nofollow : 1; /* rel contains nofollow */
} TrawlLink;

typedef struct {
  char      *title;          /* owned, nullable; first <title>, white space collapsed */
  char      *description;    /* owned, nullable; <meta name=description content> */
  char      *h1;             /* owned, nullable; text of the first <h1> */
  char      *canonical;      /* owned, nullable; absolute URL of rel=canonical */
  char      *meta_robots;    /* owned, nullable; <meta name=robots> content, comma-joined */
  char      *base_url;       /* owned; the base used to resolve links (base href or the page URL) */
  char      *charset;        /* owned; the charset the body was decoded from, e.g. "UTF-8" */
  guint      word_count;     /* words of visible text (not in script/style) */
  guint64    content_hash;   /* trawl_hash64() of the raw body */
  gboolean   noindex;        /* from meta robots or X-Robots-Tag */
  gboolean   nofollow;       /* from meta robots or X-Robots-Tag: do not follow any link */
  gboolean   utf8;           /* the raw body is valid UTF-8 as it is (no byte order mark, no NUL) */
  GPtrArray *links;          /* owned, of owned TrawlLink*; in document order */
  gpointer   document;       /* owned, nullable: the DOM (htmlDocPtr), from trawl_parse_html_document() */
} TrawlParseResult;

TrawlParseResult *trawl_parse_html   (const char       *body,
                                      gsize             length,
                                      const char       *page_url,
                                      const char       *content_type,
                                      const char       *x_robots_tag);
TrawlParseResult *trawl_parse_html_document (const char *body,
                                             gsize       length,
                                             const char *page_url,
                                             const char *content_type,
                                             const char *x_robots_tag);
gboolean          trawl_parse_wants  (guint             status,
                                      const char       *content_type);
char             *trawl_parse_charset (const char      *body,
                                       gsize            length,
                                       const char      *content_type);
void              trawl_parse_result_free (TrawlParseResult *result);
void              trawl_link_free         (TrawlLink        *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlParseResult, trawl_parse_result_free)

G_END_DECLS
