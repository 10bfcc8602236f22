/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-window.h — the main window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_WINDOW (trawl_window_get_type ())
G_DECLARE_FINAL_TYPE (TrawlWindow, trawl_window, TRAWL, WINDOW, AdwApplicationWindow)

TrawlWindow *trawl_window_new              (GtkApplication *application);
const char  *trawl_window_get_crawl_path   (TrawlWindow    *self);
gboolean     trawl_window_is_crawling      (TrawlWindow    *self);

G_END_DECLS
