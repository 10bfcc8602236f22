/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-log-model.h — a crawl's log as a filtered list, newest first. */
#pragma once

#include <gio/gio.h>

#include "trawl-log-item.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_LOG_MODEL (trawl_log_model_get_type ())
G_DECLARE_FINAL_TYPE (TrawlLogModel, trawl_log_model, TRAWL, LOG_MODEL, GObject)

TrawlLogModel *trawl_log_model_new            (guint          max_lines);
void           trawl_log_model_append         (TrawlLogModel *self,
                                               GPtrArray     *items);
void           trawl_log_model_clear          (TrawlLogModel *self);
guint          trawl_log_model_get_n_lines    (TrawlLogModel *self);
guint          trawl_log_model_get_max_lines  (TrawlLogModel *self);
void           trawl_log_model_set_min_level  (TrawlLogModel *self,
                                               TrawlLogLevel  level);
TrawlLogLevel  trawl_log_model_get_min_level  (TrawlLogModel *self);
void           trawl_log_model_set_search     (TrawlLogModel *self,
                                               const char    *text);

G_END_DECLS
