/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-json.h — JSON text written straight into a buffer. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void trawl_json_append_string (GString    *out,
                               const char *text);

G_END_DECLS
