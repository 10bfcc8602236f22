/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-warc.h — WARC 1.1 records (ISO 28500:2017), one at a time. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char    *trawl_warc_record_id     (void);
char    *trawl_warc_sha1          (const guint8  *data,
                                   gsize          len);
void     trawl_warc_add_field     (GString       *fields,
                                   const char    *name,
                                   const char    *value);
GBytes  *trawl_warc_http_response (guint          status,
                                   const char    *header_lines,
                                   GBytes        *payload,
                                   gboolean       decoded);
gboolean trawl_warc_write_record  (GOutputStream *out,
                                   const char    *fields,
                                   GBytes        *block,
                                   gboolean       gzip,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
