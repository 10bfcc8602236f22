/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-audit-row.h — one URL that a site audit check found. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_AUDIT_ROW (trawl_audit_row_get_type ())
G_DECLARE_FINAL_TYPE (TrawlAuditRow, trawl_audit_row, TRAWL, AUDIT_ROW, GObject)

TrawlAuditRow *trawl_audit_row_new        (gint64         id,
                                           const char    *url,
                                           const char    *detail,
                                           const char    *extra);
gint64         trawl_audit_row_get_id     (TrawlAuditRow *self);
const char    *trawl_audit_row_get_url    (TrawlAuditRow *self);
const char    *trawl_audit_row_get_detail (TrawlAuditRow *self);
const char    *trawl_audit_row_get_extra  (TrawlAuditRow *self);

G_END_DECLS
