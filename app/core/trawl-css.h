/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-css.h — CSS selectors translated to XPath, for libxml2. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *trawl_css_to_xpath (const char  *selector,
                          gboolean     relative,
                          GError     **error);

G_END_DECLS
