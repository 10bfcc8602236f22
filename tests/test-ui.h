/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.h — driving real windows in the ui suite. */
#pragma once

#include <adwaita.h>

#include "trawl-test-site.h"
#include "trawl-window.h"

G_BEGIN_DECLS

GtkWidget *test_ui_find        (GtkWidget   *root,
                                GType        type,
                                guint        nth);
GPtrArray *test_ui_find_all    (GtkWidget   *root,
                                GType        type);
GtkWidget *test_ui_find_named  (GtkWidget   *root,
                                const char  *buildable_id);
gboolean   test_ui_shown       (GtkWidget   *widget);
char      *test_ui_text        (GtkWidget   *root);
void       test_ui_wait_text   (GtkWidget   *root,
                                const char  *needle,
                                guint        timeout_ms);
void       test_ui_wait        (gboolean   (*done) (gpointer data),
                                gpointer     data,
                                guint        timeout_ms,
                                const char  *what);
void       test_ui_settle      (guint        ms);
void       test_ui_press_key   (GtkWidget   *window,
                                guint        keyval);
TrawlEngineState test_ui_wait_crawl_end (TrawlWindow *window,
                                         guint        timeout_ms);
guint      test_ui_screenshot  (GtkWidget   *window,
                                const char  *name);
TrawlTestSite *test_ui_site_new    (guint        n_pages,
                                    guint        delay_ms,
                                    gboolean     edge_cases);
void       test_ui_start_crawl (GtkWidget   *window,
                                const char  *url);
void       test_ui_init        (int         *argc,
                                char      ***argv);

G_END_DECLS
