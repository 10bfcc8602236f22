/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-export-dialog.h — exporting a crawl from the window. */
#pragma once

#include <adwaita.h>

#include "trawl-crawl.h"
#include "trawl-results-model.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_EXPORT_DIALOG (trawl_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TrawlExportDialog, trawl_export_dialog, TRAWL, EXPORT_DIALOG, AdwWindow)

TrawlExportDialog *trawl_export_dialog_new       (GtkWindow         *parent,
                                                  TrawlCrawl        *crawl,
                                                  TrawlResultsModel *shown);
void               trawl_export_dialog_export_to (TrawlExportDialog *self,
                                                  GFile             *file);

G_END_DECLS
