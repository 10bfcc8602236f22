/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-export.h — a crawl's pages, links or items, streamed out in a format. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  TRAWL_EXPORT_PAGES,
  TRAWL_EXPORT_LINKS,
  TRAWL_EXPORT_ITEMS,    /* what the job's extraction rules found */
} TrawlExportWhat;

typedef enum {
  TRAWL_EXPORT_CSV,
  TRAWL_EXPORT_JSON,
  TRAWL_EXPORT_JSONL,
  TRAWL_EXPORT_XML,
  TRAWL_EXPORT_SITEMAP,   /* pages only: the indexable HTML pages */
  TRAWL_EXPORT_TRAWL,     /* the crawl file itself: trawl_export_copy() */
  TRAWL_EXPORT_WARC,      /* pages only: their stored responses as WARC 1.1 */
} TrawlExportFormat;

/* Most URLs one sitemap file may list (sitemaps.org). */
#define TRAWL_SITEMAP_MAX_URLS 50000

typedef enum {
  TRAWL_EXPORT_NONE = 0,
  /* Text cells of a CSV file that begin with = + - @ tab or CR get a
   * leading ' so that a spreadsheet shows them instead of running them. */
  TRAWL_EXPORT_CSV_GUARD = 1 << 0,
  /* WARC: each record compressed as a gzip member of its own (.warc.gz). */
  TRAWL_EXPORT_GZIP = 1 << 1,
} TrawlExportFlags;

/* Called every few thousand rows with the rows written and the total. */
typedef void (*TrawlExportProgress) (gint64   done,
                                     gint64   total,
                                     gpointer user_data);

gboolean trawl_export_what_from_string   (const char         *text,
                                          TrawlExportWhat    *what);
gboolean trawl_export_format_from_string (const char         *text,
                                          TrawlExportFormat  *format);
gboolean trawl_export_format_from_path   (const char         *path,
                                          TrawlExportFormat  *format);
gboolean trawl_export                    (const char         *crawl_path,
                                          TrawlExportWhat     what,
                                          TrawlExportFormat   format,
                                          TrawlExportFlags    flags,
                                          const char *const  *columns,
                                          GArray             *ids,
                                          GOutputStream      *out,
                                          TrawlExportProgress progress,
                                          gpointer            user_data,
                                          GCancellable       *cancellable,
                                          GError            **error);

gboolean trawl_export_to_file            (const char         *crawl_path,
                                          TrawlExportWhat     what,
                                          TrawlExportFormat   format,
                                          TrawlExportFlags    flags,
                                          const char *const  *columns,
                                          GArray             *ids,
                                          const char         *sitemap_base,
                                          const char         *out_path,
                                          TrawlExportProgress progress,
                                          gpointer            user_data,
                                          GCancellable       *cancellable,
                                          GError            **error);
gboolean trawl_export_copy               (const char         *crawl_path,
                                          const char         *out_path,
                                          GCancellable       *cancellable,
                                          GError            **error);
gboolean trawl_export_sitemap_files      (const char         *crawl_path,
                                          GArray             *ids,
                                          const char         *out_path,
                                          const char         *base_url,
                                          GCancellable       *cancellable,
                                          GError            **error);

G_END_DECLS
