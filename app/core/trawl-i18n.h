/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-i18n.h — the locale and the message catalogue, for both executables. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean trawl_i18n_init (void);

G_END_DECLS
