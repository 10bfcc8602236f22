/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-items-model.h — the items a crawl extracted, as a GListModel. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TRAWL_TYPE_ITEM_ROW (trawl_item_row_get_type ())
G_DECLARE_FINAL_TYPE (TrawlItemRow, trawl_item_row, TRAWL, ITEM_ROW, GObject)

const char *trawl_item_row_get_page   (TrawlItemRow *self);
const char *trawl_item_row_get_record (TrawlItemRow *self);
const char *trawl_item_row_get_value  (TrawlItemRow *self,
                                       guint         field);

#define TRAWL_TYPE_ITEMS_MODEL (trawl_items_model_get_type ())
G_DECLARE_FINAL_TYPE (TrawlItemsModel, trawl_items_model, TRAWL, ITEMS_MODEL, GObject)

TrawlItemsModel *trawl_items_model_new        (const char      *path,
                                               GError         **error);
void             trawl_items_model_refresh    (TrawlItemsModel *self);
gboolean         trawl_items_model_is_loading (TrawlItemsModel *self);
char           **trawl_items_model_get_fields (TrawlItemsModel *self);

G_END_DECLS
