/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-gzip.h — gzip in memory: stored bodies and compressed sitemaps. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *trawl_gzip_compress   (GBytes  *data);
GBytes *trawl_gzip_decompress (GBytes  *data,
                               gsize    limit,
                               GError **error);

G_END_DECLS
