/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-items-view.c — the Items view: what a crawl's extraction rules
 * found, one row per item and one column per field, in the order found.
 * It grows in batches while the crawl runs. */
#define G_LOG_DOMAIN "trawl-items-view"

#include "config.h"

#include "trawl-items-view.h"

#include <glib/gi18n.h>

#include "trawl-items-model.h"
#include "trawl-page-row.h"

/* Live updates: a refresh at most this often. */
#define REFRESH_INTERVAL_MS 500

/* Columns before the fields. */
enum {
  COLUMN_PAGE = -2,
  COLUMN_RECORD = -1,
};

struct _TrawlItemsView
{
  AdwBin            parent_instance;

  TrawlCrawl       *crawl;    /* owned, nullable */
  TrawlItemsModel  *model;    /* owned, nullable */
  guint             refresh_source;

  GtkStack         *stack;       /* the bin's child */
  AdwStatusPage    *empty_page;
  GtkColumnView    *column_view;
  GtkNoSelection   *selection;
  GtkLabel         *count_label;
};

G_DEFINE_FINAL_TYPE (TrawlItemsView, trawl_items_view, ADW_TYPE_BIN)

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  TrawlItemRow *row = gtk_list_item_get_item (item);
  int column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "trawl-column"));
  const char *text;

  if (column == COLUMN_PAGE)
    text = trawl_item_row_get_page (row);
  else if (column == COLUMN_RECORD)
    text = trawl_item_row_get_record (row);
  else
    text = trawl_item_row_get_value (row, column);
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

static void
add_column (TrawlItemsView *self,
            const char     *title,
            int             column,
            int             width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr (GtkColumnViewColumn) view_column = NULL;

  g_object_set_data (G_OBJECT (factory), "trawl-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_append_column (self->column_view, view_column);
}

static void
clear_columns (TrawlItemsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

/* The columns follow the fields of the crawl's rules. */
static void
build_columns (TrawlItemsView *self)
{
  char **fields = trawl_items_model_get_fields (self->model);

  clear_columns (self);
  add_column (self, _("Page"), COLUMN_PAGE, 280);
  add_column (self, _("Record"), COLUMN_RECORD, 90);
  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    add_column (self, fields[i], i, 180);
}

static void
update (TrawlItemsView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  char **fields = trawl_items_model_get_fields (self->model);
  g_autofree char *count = trawl_format_count (n);
  g_autofree char *text = NULL;

  if (trawl_items_model_is_loading (self->model) && fields == NULL)
    return;
  if (fields == NULL || fields[0] == NULL)
    {
      adw_status_page_set_description (self->empty_page,
                                       _("This crawl has no extraction rules. Add them in Setup, under All "
                                         "Settings and Extraction, then crawl again."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (g_list_model_get_n_items (gtk_column_view_get_columns (self->column_view)) == 0)
    build_columns (self);
  text = g_strdup_printf (g_dngettext (NULL, "%s item", "%s items", n), count);
  gtk_label_set_label (self->count_label, text);
  gtk_stack_set_visible_child_name (self->stack, "items");
}

static gboolean
refresh_cb (gpointer data)
{
  TrawlItemsView *self = data;

  self->refresh_source = 0;
  if (self->model != NULL)
    trawl_items_model_refresh (self->model);
  return G_SOURCE_REMOVE;
}

static void
on_crawl_pages (TrawlItemsView *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_INTERVAL_MS, refresh_cb, self);
}

static void
on_crawl_ended (TrawlItemsView *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->model != NULL)
    trawl_items_model_refresh (self->model);
}

static void
drop_model (TrawlItemsView *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  gtk_no_selection_set_model (self->selection, NULL);
  clear_columns (self);
  g_clear_object (&self->model);
}

static void
trawl_items_view_dispose (GObject *object)
{
  TrawlItemsView *self = TRAWL_ITEMS_VIEW (object);

  drop_model (self);
  g_clear_object (&self->crawl);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_ITEMS_VIEW);
  G_OBJECT_CLASS (trawl_items_view_parent_class)->dispose (object);
}

static void
trawl_items_view_class_init (TrawlItemsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_items_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-items-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlItemsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TrawlItemsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlItemsView, selection);
  gtk_widget_class_bind_template_child (widget_class, TrawlItemsView, count_label);
}

static void
trawl_items_view_init (TrawlItemsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bin's child is not bound: the bin disposes it itself. */
  self->stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
  adw_status_page_set_description (self->empty_page, _("Start a crawl or open one to see the items it extracted."));
}

/**
 * trawl_items_view_set_crawl:
 * @self: the view
 * @crawl: (nullable): the crawl to show
 */
void
trawl_items_view_set_crawl (TrawlItemsView *self,
                            TrawlCrawl     *crawl)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TRAWL_IS_ITEMS_VIEW (self));
  g_return_if_fail (crawl == NULL || TRAWL_IS_CRAWL (crawl));

  if (self->crawl == crawl)
    return;
  drop_model (self);
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  g_set_object (&self->crawl, crawl);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  if (crawl == NULL)
    {
      adw_status_page_set_description (self->empty_page, _("Start a crawl or open one to see the items it extracted."));
      return;
    }

  self->model = trawl_items_model_new (trawl_crawl_get_path (crawl), &error);
  if (self->model == NULL)
    {
      adw_status_page_set_description (self->empty_page, error->message);
      return;
    }
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  g_signal_connect_object (crawl, "pages", G_CALLBACK (on_crawl_pages), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (crawl, "finished", G_CALLBACK (on_crawl_ended), self, G_CONNECT_SWAPPED);
}

/**
 * trawl_items_view_get_model:
 *
 * Returns: (transfer none) (nullable): the items shown
 */
GListModel *
trawl_items_view_get_model (TrawlItemsView *self)
{
  g_return_val_if_fail (TRAWL_IS_ITEMS_VIEW (self), NULL);
  return self->model != NULL ? G_LIST_MODEL (self->model) : NULL;
}
