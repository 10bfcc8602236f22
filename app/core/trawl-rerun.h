/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-rerun.h — extraction rules run again over the pages a crawl
 * stored, without crawling again. */
#pragma once

#include <gio/gio.h>

#include "trawl-parser.h"

G_BEGIN_DECLS

#define TRAWL_RERUN_ERROR (trawl_rerun_error_quark ())

typedef enum {
  TRAWL_RERUN_ERROR_NO_BODIES,  /* the crawl did not store its responses */
} TrawlRerunError;

GQuark trawl_rerun_error_quark (void);

/* A page as a crawl stored it, its body inflated. */
typedef struct {
  gint64  id;
  char   *url;
  guint   status;
  char   *content_type;         /* nullable: the MIME type, lower case */
  char   *content_type_header;  /* nullable: with its parameters, for the charset */
  char   *x_robots_tag;         /* nullable */
  GBytes *body;                 /* nullable: when the crawl stored none */
} TrawlStoredPage;

void              trawl_stored_page_free  (TrawlStoredPage  *page);
TrawlStoredPage  *trawl_stored_page_read  (const char       *path,
                                           const char       *url,
                                           GError          **error);
TrawlParseResult *trawl_stored_page_parse (TrawlStoredPage  *page);

/* Called on the calling thread every hundred pages or so, with the pages
 * done and the pages to do. */
typedef void (*TrawlRerunProgress) (gint64   done,
                                    gint64   total,
                                    gpointer user_data);

typedef struct {
  gint64 pages;   /* HTML pages the rules ran over */
  gint64 items;   /* items they found */
} TrawlRerunResult;

gboolean trawl_rerun_rules (const char         *path,
                            const char *const  *rules,
                            TrawlRerunProgress  progress,
                            gpointer            user_data,
                            GCancellable       *cancellable,
                            TrawlRerunResult   *result,
                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlStoredPage, trawl_stored_page_free)

G_END_DECLS
