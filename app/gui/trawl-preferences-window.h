/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-preferences-window.h — the settings that outlast a crawl. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_PREFERENCES_WINDOW (trawl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TrawlPreferencesWindow, trawl_preferences_window, TRAWL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

TrawlPreferencesWindow *trawl_preferences_window_new (GtkWindow *parent);
const char             *trawl_preferences_window_get_problem (TrawlPreferencesWindow *self);

G_END_DECLS
