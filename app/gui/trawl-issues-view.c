/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-issues-view.c — the Issues view of the window. */
#define G_LOG_DOMAIN "trawl-issues-view"

#include "config.h"

#include "trawl-issues-view.h"

struct _TrawlIssuesView
{
  AdwBin      parent_instance;

  TrawlCrawl *crawl;  /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (TrawlIssuesView, trawl_issues_view, ADW_TYPE_BIN)

static void
trawl_issues_view_dispose (GObject *object)
{
  TrawlIssuesView *self = TRAWL_ISSUES_VIEW (object);

  g_clear_object (&self->crawl);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_ISSUES_VIEW);

  G_OBJECT_CLASS (trawl_issues_view_parent_class)->dispose (object);
}

static void
trawl_issues_view_class_init (TrawlIssuesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_issues_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-issues-view.ui");
}

static void
trawl_issues_view_init (TrawlIssuesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
trawl_issues_view_set_crawl (TrawlIssuesView *self,
                           TrawlCrawl    *crawl)
{
  g_return_if_fail (TRAWL_IS_ISSUES_VIEW (self));

  g_set_object (&self->crawl, crawl);
}
