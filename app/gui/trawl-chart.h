/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-chart.h — a live chart of pages per second and errors over time. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One drawn point: the average of one or more stats samples. */
typedef struct {
  double elapsed;            /* seconds since the crawl started, at the last sample */
  double pages_per_second;
  double errors_per_second;
} TrawlChartPoint;

#define TRAWL_TYPE_CHART (trawl_chart_get_type ())
G_DECLARE_FINAL_TYPE (TrawlChart, trawl_chart, TRAWL, CHART, GtkWidget)

GtkWidget             *trawl_chart_new           (void);
void                   trawl_chart_clear         (TrawlChart *self);
void                   trawl_chart_add_sample    (TrawlChart *self,
                                                  double      elapsed,
                                                  double      pages_per_second,
                                                  gint64      errors);
double                 trawl_chart_get_last_elapsed (TrawlChart *self);
guint                  trawl_chart_get_n_samples (TrawlChart *self);
guint                  trawl_chart_get_n_points  (TrawlChart *self);
TrawlChartPoint        trawl_chart_get_point     (TrawlChart *self,
                                                  guint       position);

G_END_DECLS
