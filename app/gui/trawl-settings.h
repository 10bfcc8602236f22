/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-settings.h — what the GSettings schema holds, read for the window. */
#pragma once

#include <adwaita.h>

#include "trawl-job.h"

G_BEGIN_DECLS

GSettings  *trawl_settings_new                 (void);
char       *trawl_settings_dup_crawl_folder    (GSettings    *settings);
char       *trawl_settings_dup_crawl_folder_label (GSettings *settings);
char       *trawl_settings_dup_default_crawl_folder (void);
TrawlJob   *trawl_settings_dup_default_job     (GSettings    *settings);
char       *trawl_settings_dup_default_text    (GSettings    *settings,
                                                const char   *key);
gboolean    trawl_settings_set_default_text    (GSettings    *settings,
                                                const char   *key,
                                                const char   *text,
                                                GError      **error);
void        trawl_settings_follow_appearance   (GSettings    *settings);

G_END_DECLS
