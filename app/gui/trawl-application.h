/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-application.h — the single-instance GTK application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_APPLICATION (trawl_application_get_type ())
G_DECLARE_FINAL_TYPE (TrawlApplication, trawl_application, TRAWL, APPLICATION, AdwApplication)

TrawlApplication *trawl_application_new (void);

G_END_DECLS
