/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-hash.h — the 64-bit hash used for URL fingerprints and content hashes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint64 trawl_hash64 (const void *data,
                      gsize       length);

G_END_DECLS
