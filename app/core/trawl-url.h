/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-url.h — URL resolution, canonicalisation and fingerprints. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest URL Trawl accepts by default, as Scrapy and old browsers do. */
#define TRAWL_URL_DEFAULT_MAX_LENGTH 2083

char    *trawl_url_resolve        (const char  *base,
                                   const char  *href);
GUri    *trawl_url_parse_base     (const char  *base,
                                   char       **written);
char    *trawl_url_resolve_with   (GUri        *base,
                                   const char  *base_url,
                                   const char  *href);
char    *trawl_url_canonicalize   (const char  *url,
                                   GError     **error);
guint64  trawl_url_fingerprint    (const char  *canonical_url);
guint64  trawl_url_fingerprint_of (const char  *url);
char    *trawl_url_host_key       (const char  *url);
char    *trawl_url_get_host       (const char  *url);
char    *trawl_url_get_path_query (const char  *url);
gboolean trawl_url_is_http        (const char  *url);
gboolean trawl_url_host_in_site   (const char  *host,
                                   const char  *site_host);

G_END_DECLS
