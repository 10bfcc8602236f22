/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-sitemap.h — URLs from sitemaps and sitemap indexes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The sitemaps.org protocol allows 50 MB uncompressed; a little more is
 * read, nothing beyond. */
#define TRAWL_SITEMAP_MAX_SIZE (64 * 1024 * 1024)

GPtrArray *trawl_sitemap_parse (GBytes      *body,
                                const char  *sitemap_url,
                                gboolean    *is_index,
                                GError     **error);

G_END_DECLS
