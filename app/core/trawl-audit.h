/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-audit.h — a site audit of a crawl file: the checks and their SQL. */
#pragma once

#include <gio/gio.h>

#include "trawl-audit-row.h"

G_BEGIN_DECLS

/* Pages that took longer than this to arrive are slow. */
#define TRAWL_AUDIT_SLOW_MS 1000
/* Pages whose body is larger than this are large (1 MB). */
#define TRAWL_AUDIT_LARGE_BYTES 1000000

typedef enum {
  TRAWL_AUDIT_ERROR,
  TRAWL_AUDIT_WARNING,
  TRAWL_AUDIT_NOTICE,
} TrawlAuditSeverity;

/**
 * TrawlAuditCheck:
 * @id: a stable name, such as "broken-links"
 * @title: what the check finds, for people (mark for translation with N_())
 * @description: why it matters, in a sentence or two
 * @severity: how much it matters
 * @detail_heading: (nullable): the heading of the rows' detail column
 * @extra_heading: (nullable): the heading of the rows' extra column
 * @count_sql: one integer: how many URLs the check finds
 * @list_sql: the URLs, a page at a time: ?1 is the limit and ?2 the
 *   offset; the columns are the URL's id, the URL, the detail and the
 *   extra, then optionally how many items the extra lists in all (when it
 *   shows only the first three)
 * @linked_list_sql: (nullable): like @list_sql, with the pages that link
 *   to each URL; used only when the crawl file has its inlinks index
 *   (links_to, which the window builds once a crawl has ended), because
 *   without it every row would scan every link
 *
 * One check of the audit.  Adding a check is adding one of these to the
 * table in trawl-audit.c.
 */
typedef struct {
  const char         *id;
  const char         *title;
  const char         *description;
  TrawlAuditSeverity  severity;
  const char         *detail_heading;
  const char         *extra_heading;
  const char         *count_sql;
  const char         *list_sql;
  const char         *linked_list_sql;
} TrawlAuditCheck;

guint                  trawl_audit_get_n_checks (void);
const TrawlAuditCheck *trawl_audit_get_check    (guint                 index);
int                    trawl_audit_find_check   (const char           *id);

gint64                *trawl_audit_count        (const char           *path,
                                                 GError              **error);
void                   trawl_audit_count_async  (const char           *path,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gint64                *trawl_audit_count_finish (GAsyncResult         *result,
                                                 GError              **error);

GPtrArray             *trawl_audit_list         (const char           *path,
                                                 guint                 check,
                                                 guint                 offset,
                                                 guint                 limit,
                                                 gboolean             *links_listed,
                                                 GError              **error);
void                   trawl_audit_list_async   (const char           *path,
                                                 guint                 check,
                                                 guint                 offset,
                                                 guint                 limit,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray             *trawl_audit_list_finish  (GAsyncResult         *result,
                                                 gboolean             *links_listed,
                                                 GError              **error);

G_END_DECLS
