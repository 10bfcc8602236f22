/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-items-view.c — the Items view: what a crawl's extraction rules
 * found, one row per item and one column per field, in the order found.
 * It grows in batches while the crawl runs, and is read again when the
 * rules are re-run over the stored pages (in a worker, with progress). */
#define G_LOG_DOMAIN "trawl-items-view"

#include "config.h"

#include "trawl-items-view.h"

#include <glib/gi18n.h>

#include "trawl-items-model.h"
#include "trawl-page-row.h"
#include "trawl-thread.h"

/* Live updates: a refresh at most this often. */
#define REFRESH_INTERVAL_MS 500
/* The progress of a re-run is shown at most this often. */
#define PROGRESS_INTERVAL_US (100 * 1000)

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
  GtkProgressBar   *progress_bar;
  GtkWidget        *cancel_button;

  GTask            *rerun;    /* nullable: the re-run of the rules in progress */
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
                                         "Settings and Extraction, then re-run the rules over the stored "
                                         "pages or crawl again."));
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
  /* A load still running keeps the model alive after this: its end must
   * not update the view, which has another model by then, or none. */
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
}

/* Reads the crawl's items and fields anew. */
static void
load_model (TrawlItemsView *self)
{
  g_autoptr (GError) error = NULL;

  drop_model (self);
  self->model = trawl_items_model_new (trawl_crawl_get_path (self->crawl), &error);
  if (self->model == NULL)
    {
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->model));
}

static void
trawl_items_view_dispose (GObject *object)
{
  TrawlItemsView *self = TRAWL_ITEMS_VIEW (object);

  drop_model (self);
  g_clear_object (&self->crawl);
  if (self->rerun != NULL)
    g_cancellable_cancel (g_task_get_cancellable (self->rerun));
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_ITEMS_VIEW);
  G_OBJECT_CLASS (trawl_items_view_parent_class)->dispose (object);
}

/* Stops a re-run: the crawl keeps the items it had. */
static void
cancel_rerun_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TrawlItemsView *self = TRAWL_ITEMS_VIEW (widget);

  if (self->rerun != NULL)
    g_cancellable_cancel (g_task_get_cancellable (self->rerun));
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
  gtk_widget_class_bind_template_child (widget_class, TrawlItemsView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TrawlItemsView, cancel_button);

  gtk_widget_class_install_action (widget_class, "items.cancel-rerun", NULL, cancel_rerun_action);
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

  load_model (self);
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

typedef struct {
  char   *path;
  char  **rules;
  gint64  last_progress;   /* monotonic, in the worker */
  TrawlRerunResult result;
} Rerun;

static void
rerun_free (Rerun *rerun)
{
  g_free (rerun->path);
  g_strfreev (rerun->rules);
  g_free (rerun);
}

typedef struct {
  TrawlItemsView *view;   /* owned */
  double          fraction;
} Progress;

static gboolean
show_progress (gpointer data)
{
  Progress *p = data;

  if (p->view->rerun != NULL && p->view->progress_bar != NULL)
    gtk_progress_bar_set_fraction (p->view->progress_bar, p->fraction);
  return G_SOURCE_REMOVE;
}

static void
progress_free (Progress *p)
{
  g_object_unref (p->view);
  g_free (p);
}

/* In the worker: handed to the window's thread, at most ten times a
 * second. */
static void
on_rerun_progress (gint64   done,
                   gint64   total,
                   gpointer user_data)
{
  GTask *task = user_data;
  Rerun *rerun = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  Progress *p;

  if (now - rerun->last_progress < PROGRESS_INTERVAL_US && done < total)
    return;
  rerun->last_progress = now;
  p = g_new0 (Progress, 1);
  p->view = g_object_ref (g_task_get_source_object (task));
  p->fraction = total > 0 ? (double) done / total : 1;
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, show_progress, p,
                              (GDestroyNotify) progress_free);
}

static void
rerun_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Rerun *rerun = task_data;
  GError *error = NULL;

  trawl_thread_lower_priority ();
  if (trawl_rerun_rules (rerun->path, (const char *const *) rerun->rules, on_rerun_progress, task, cancellable,
                         &rerun->result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_rerun_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TrawlItemsView *self = TRAWL_ITEMS_VIEW (source);
  g_autoptr (GTask) outer = user_data;
  Rerun *rerun = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  g_clear_object (&self->rerun);
  /* After dispose the template's widgets are gone. */
  if (self->progress_bar != NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
      gtk_widget_set_visible (self->cancel_button, FALSE);
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* The fields may be others now: the columns are made again. */
  if (self->crawl != NULL)
    load_model (self);
  g_task_set_task_data (outer, g_memdup2 (&rerun->result, sizeof rerun->result), g_free);
  g_task_return_boolean (outer, TRUE);
}

/**
 * trawl_items_view_rerun_rules_async:
 * @self: the view, showing a crawl that is not running
 * @rules: (array zero-terminated=1) (nullable): the rules to run
 * @cancellable: (nullable): stops the run, which then changes nothing
 * @callback: called on this thread when the items are replaced, or not
 * @user_data: for @callback
 *
 * Runs @rules over the pages the crawl stored, in a worker thread, in
 * place of the crawl's items (see trawl_rerun_rules()); the view shows
 * the progress and then the new items.
 */
void
trawl_items_view_rerun_rules_async (TrawlItemsView      *self,
                                    const char *const   *rules,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GCancellable) own = NULL;
  GTask *outer;
  GTask *task;
  Rerun *rerun;

  g_return_if_fail (TRAWL_IS_ITEMS_VIEW (self));
  g_return_if_fail (self->crawl != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, trawl_items_view_rerun_rules_async);
  /* A cancel that comes once the new items are committed is too late:
   * the run says it finished, and the view shows them. */
  g_task_set_check_cancellable (outer, FALSE);
  if (self->rerun != NULL)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING, _("The rules are being re-run already"));
      g_object_unref (outer);
      return;
    }

  /* The view's own cancellable, so that closing the window stops it. */
  own = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  rerun = g_new0 (Rerun, 1);
  rerun->path = g_strdup (trawl_crawl_get_path (self->crawl));
  rerun->rules = g_strdupv ((char **) rules);
  task = g_task_new (self, own, on_rerun_done, outer);
  g_task_set_source_tag (task, trawl_items_view_rerun_rules_async);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, rerun, (GDestroyNotify) rerun_free);
  self->rerun = g_object_ref (task);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  g_task_run_in_thread (task, rerun_thread);
  g_object_unref (task);
}

/**
 * trawl_items_view_rerun_rules_finish:
 * @self: the view
 * @result: what the callback was given
 * @counts: (out caller-allocates) (optional): the pages and items
 * @error: why the items were left as they were
 *
 * Returns: whether the crawl's items are now what the rules found
 */
gboolean
trawl_items_view_rerun_rules_finish (TrawlItemsView    *self,
                                     GAsyncResult      *result,
                                     TrawlRerunResult  *counts,
                                     GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (counts != NULL)
    *counts = *(TrawlRerunResult *) g_task_get_task_data (G_TASK (result));
  return TRUE;
}

/**
 * trawl_items_view_is_rerunning:
 *
 * Returns: whether the rules are being re-run
 */
gboolean
trawl_items_view_is_rerunning (TrawlItemsView *self)
{
  g_return_val_if_fail (TRAWL_IS_ITEMS_VIEW (self), FALSE);
  return self->rerun != NULL;
}
