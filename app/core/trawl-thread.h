/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-thread.h — worker threads that give way to the window. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void trawl_thread_lower_priority (void);

G_END_DECLS
