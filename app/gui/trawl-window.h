/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-window.h — the main window. */
#pragma once

#include <adwaita.h>

#include "trawl-crawl.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_WINDOW (trawl_window_get_type ())
G_DECLARE_FINAL_TYPE (TrawlWindow, trawl_window, TRAWL, WINDOW, AdwApplicationWindow)

TrawlWindow *trawl_window_new               (GtkApplication *application);
TrawlCrawl  *trawl_window_get_crawl         (TrawlWindow    *self);
const char  *trawl_window_get_crawl_path    (TrawlWindow    *self);
gboolean     trawl_window_is_crawling       (TrawlWindow    *self);
gboolean     trawl_window_open_file         (TrawlWindow    *self,
                                             const char     *path);
gboolean     trawl_window_load_job          (TrawlWindow    *self,
                                             const char     *path);
void         trawl_window_crawl_url         (TrawlWindow    *self,
                                             const char     *url);
void         trawl_window_save_as           (TrawlWindow    *self,
                                             const char     *path);
void         trawl_window_show_message      (TrawlWindow    *self,
                                             const char     *message);
const char  *trawl_window_get_message       (TrawlWindow    *self);
char        *trawl_window_get_crawl_folder  (void);

G_END_DECLS
