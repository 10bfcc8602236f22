/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-monitor-view.c — the Monitor view of the window. */
#define G_LOG_DOMAIN "trawl-monitor-view"

#include "config.h"

#include "trawl-monitor-view.h"

struct _TrawlMonitorView
{
  AdwBin      parent_instance;

  TrawlCrawl *crawl;  /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (TrawlMonitorView, trawl_monitor_view, ADW_TYPE_BIN)

static void
trawl_monitor_view_dispose (GObject *object)
{
  TrawlMonitorView *self = TRAWL_MONITOR_VIEW (object);

  g_clear_object (&self->crawl);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_MONITOR_VIEW);

  G_OBJECT_CLASS (trawl_monitor_view_parent_class)->dispose (object);
}

static void
trawl_monitor_view_class_init (TrawlMonitorViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_monitor_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-monitor-view.ui");
}

static void
trawl_monitor_view_init (TrawlMonitorView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
trawl_monitor_view_set_crawl (TrawlMonitorView *self,
                           TrawlCrawl    *crawl)
{
  g_return_if_fail (TRAWL_IS_MONITOR_VIEW (self));

  g_set_object (&self->crawl, crawl);
}
