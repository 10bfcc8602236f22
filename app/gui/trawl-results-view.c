/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-view.c — the Results view of the window.
 *
 * A column view over a TrawlResultsModel, which reads the crawl file in
 * pages: the view never sorts or filters rows itself.  It tells the model
 * the column the person sorted by (read from the column view's sorter),
 * the chips that are on and the search text, and asks it to read the file
 * again, at most four times a second, while the crawl adds pages.  The
 * pane beside the table shows the selected URL, read in a worker.
 */
#define G_LOG_DOMAIN "trawl-results-view"

#include "config.h"

#include "trawl-results-view.h"

#include <glib/gi18n.h>

#include "trawl-page-detail.h"
#include "trawl-page-row.h"
#include "trawl-results-model.h"

/* Live updates: a refresh at most this often. */
#define REFRESH_INTERVAL_MS 250

typedef struct {
  TrawlResultsView *self;
  TrawlResultsSort  sort;
} SortProbe;

struct _TrawlResultsView
{
  AdwBin              parent_instance;

  TrawlCrawl         *crawl;            /* owned, nullable */
  TrawlResultsModel  *model;            /* owned, nullable */
  GCancellable       *detail_cancellable; /* owned, nullable */
  GtkSorter          *sorter;           /* owned: the column view's */
  guint               refresh_source;
  guint               attach_source;    /* gives the table its rows once shown */
  gint64              shown_id;         /* the URL in the detail pane, 0 for none */
  gint64              pending_select;   /* a URL to select once the rows are read */

  /* Which column's sorter the probe reached first; see read_sort(). */
  SortProbe           probes[TRAWL_RESULTS_SORT_OUTLINKS + 1];
  TrawlResultsSort    probed;

  gboolean            resorting;

  /* Template widgets.  The outer stack, the bin's child, is not bound:
   * AdwBin unparents its child itself. */
  AdwStatusPage      *empty_page;
  GtkSearchEntry     *search_entry;
  GtkColumnView      *column_view;
  GtkSingleSelection *selection;        /* owned; the table's while shown */
  GtkLabel           *count_label;
  GtkColumnViewColumn *url_column;
  GtkColumnViewColumn *status_column;
  GtkColumnViewColumn *type_column;
  GtkColumnViewColumn *size_column;
  GtkColumnViewColumn *time_column;
  GtkColumnViewColumn *depth_column;
  GtkColumnViewColumn *title_column;
  GtkColumnViewColumn *inlinks_column;
  GtkColumnViewColumn *outlinks_column;
  GtkToggleButton    *html_chip;
  GtkToggleButton    *s2xx_chip;
  GtkToggleButton    *s3xx_chip;
  GtkToggleButton    *s4xx_chip;
  GtkToggleButton    *s5xx_chip;
  GtkToggleButton    *errors_chip;
  GtkToggleButton    *robots_chip;
  GtkToggleButton    *external_chip;
  GtkStack           *detail_stack;
  GtkLabel           *detail_url;
  GtkLabel           *detail_summary;
  GtkGrid            *meta_grid;
  AdwPreferencesGroup *redirect_group;
  GtkListBox         *redirect_list;
  AdwPreferencesGroup *outlinks_group;
  GtkListBox         *outlinks_list;
  AdwPreferencesGroup *inlinks_group;
  GtkListBox         *inlinks_list;
  AdwPreferencesGroup *headers_group;
  GtkLabel           *headers_label;
};

G_DEFINE_FINAL_TYPE (TrawlResultsView, trawl_results_view, ADW_TYPE_BIN)

static GtkStack *
outer_stack (TrawlResultsView *self)
{
  return GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
}

static void
update_count (TrawlResultsView *self)
{
  g_autofree char *shown = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;

  if (self->model == NULL)
    return;
  shown = trawl_format_count (g_list_model_get_n_items (G_LIST_MODEL (self->model)));
  total = trawl_format_count (trawl_results_model_get_total (self->model));
  /* Translators: "1,234 of 5,678 pages". */
  text = g_strdup_printf (_("%s of %s pages"), shown, total);
  gtk_label_set_label (self->count_label, text);
}

/* The column view's sorter has no public accessors in GTK 4.8.  Every
 * column gets a sorter that records that it was asked and answers
 * "larger"; comparing two items with the column view's sorter then asks
 * the primary column first, and inverts the answer when it is descending. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  SortProbe *probe = data;

  if (probe->self->probed == TRAWL_RESULTS_SORT_NONE)
    probe->self->probed = probe->sort;
  return GTK_ORDERING_LARGER;
}

/* How a column shows its cells. */
typedef struct {
  const char        *property;  /* of TrawlPageRow */
  float              xalign;
  PangoEllipsizeMode ellipsize;
} CellSpec;

static const CellSpec cell_specs[] = {
  [TRAWL_RESULTS_SORT_URL] = { "url", 0, PANGO_ELLIPSIZE_MIDDLE },
  [TRAWL_RESULTS_SORT_STATUS] = { "status-label", 1, PANGO_ELLIPSIZE_END },
  [TRAWL_RESULTS_SORT_TYPE] = { "type-label", 0, PANGO_ELLIPSIZE_END },
  [TRAWL_RESULTS_SORT_SIZE] = { "size-label", 1, PANGO_ELLIPSIZE_NONE },
  [TRAWL_RESULTS_SORT_TIME] = { "time-label", 1, PANGO_ELLIPSIZE_NONE },
  [TRAWL_RESULTS_SORT_DEPTH] = { "depth-label", 1, PANGO_ELLIPSIZE_NONE },
  [TRAWL_RESULTS_SORT_TITLE] = { "title", 0, PANGO_ELLIPSIZE_END },
  [TRAWL_RESULTS_SORT_INLINKS] = { "inlinks-label", 1, PANGO_ELLIPSIZE_NONE },
  [TRAWL_RESULTS_SORT_OUTLINKS] = { "outlinks-label", 1, PANGO_ELLIPSIZE_NONE },
};

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            const CellSpec           *spec)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), spec->xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), spec->ellipsize);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (spec->xalign > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           const CellSpec           *spec)
{
  GBinding *binding = g_object_bind_property (gtk_list_item_get_item (item), spec->property,
                                              gtk_list_item_get_child (item), "label",
                                              G_BINDING_SYNC_CREATE);

  g_object_set_data (G_OBJECT (item), "trawl-binding", binding);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             const CellSpec           *spec)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (item), "trawl-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

/* The cells are made in code rather than by GtkBuilderListItemFactory in
 * the template: that one parses its XML for every cell it makes, and a
 * new sort makes every visible cell again (measured: 150–250 ms of a
 * stalled main loop per sort, against a few ms). */
static GtkListItemFactory *
cell_factory_new (const CellSpec *spec)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) spec);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) spec);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) spec);
  return factory;
}

static GtkColumnViewColumn *
column_of (TrawlResultsView *self,
           TrawlResultsSort  sort)
{
  GtkColumnViewColumn *columns[] = {
    NULL, self->url_column, self->status_column, self->type_column, self->size_column,
    self->time_column, self->depth_column, self->title_column, self->inlinks_column,
    self->outlinks_column,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (columns) == TRAWL_RESULTS_SORT_OUTLINKS + 1);
  return columns[sort];
}

static void
set_probe_sorter (TrawlResultsView *self,
                  TrawlResultsSort  sort)
{
  g_autoptr (GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, &self->probes[sort], NULL));

  self->probes[sort].self = self;
  self->probes[sort].sort = sort;
  gtk_column_view_column_set_sorter (column_of (self, sort), sorter);
}

static void
read_sort (TrawlResultsView *self)
{
  GtkOrdering order;
  gboolean descending;

  if (self->resorting)
    return;
  self->probed = TRAWL_RESULTS_SORT_NONE;
  /* Two different objects: a sorter never compares an item with itself. */
  order = gtk_sorter_compare (self->sorter, self, self->sorter);
  descending = order == GTK_ORDERING_SMALLER;

  /* The model sorts by one column, with ties in discovery order: forget
   * the columns clicked before, so that only one header shows an arrow.
   * GTK 4.8 redraws a header whose column leaves the sort only when the
   * column gets a new sorter. */
  if (self->probed != TRAWL_RESULTS_SORT_NONE)
    {
      self->resorting = TRUE;
      for (guint i = TRAWL_RESULTS_SORT_URL; i <= TRAWL_RESULTS_SORT_OUTLINKS; i++)
        if (i != self->probed)
          set_probe_sorter (self, i);
      self->resorting = FALSE;
    }
  if (self->model != NULL)
    trawl_results_model_set_sort (self->model, self->probed, descending);
}

static void
on_sorter_changed (TrawlResultsView *self)
{
  read_sort (self);
}

static TrawlResultsFilter
chip_filters (TrawlResultsView *self)
{
  const struct { GtkToggleButton *chip; TrawlResultsFilter flag; } chips[] = {
    { self->html_chip, TRAWL_RESULTS_FILTER_HTML },
    { self->s2xx_chip, TRAWL_RESULTS_FILTER_2XX },
    { self->s3xx_chip, TRAWL_RESULTS_FILTER_3XX },
    { self->s4xx_chip, TRAWL_RESULTS_FILTER_4XX },
    { self->s5xx_chip, TRAWL_RESULTS_FILTER_5XX },
    { self->errors_chip, TRAWL_RESULTS_FILTER_ERRORS },
    { self->robots_chip, TRAWL_RESULTS_FILTER_ROBOTS },
    { self->external_chip, TRAWL_RESULTS_FILTER_EXTERNAL },
  };
  TrawlResultsFilter filters = 0;

  for (guint i = 0; i < G_N_ELEMENTS (chips); i++)
    if (gtk_toggle_button_get_active (chips[i].chip))
      filters |= chips[i].flag;
  return filters;
}

static void
on_chip_toggled (TrawlResultsView *self)
{
  if (self->model != NULL)
    trawl_results_model_set_filters (self->model, chip_filters (self));
}

static void
on_search_changed (TrawlResultsView *self)
{
  if (self->model != NULL)
    trawl_results_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
clear_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_LIST_BOX (widget))
        gtk_list_box_remove (GTK_LIST_BOX (widget), child);
      else if (GTK_IS_GRID (widget))
        gtk_grid_remove (GTK_GRID (widget), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
add_meta (TrawlResultsView *self,
          guint            *row,
          const char       *name,
          const char       *value)
{
  GtkWidget *key, *label;

  if (value == NULL || *value == '\0')
    return;
  key = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_label_set_yalign (GTK_LABEL (key), 0);
  gtk_widget_add_css_class (key, "dim-label");
  label = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (self->meta_grid, key, 0, *row, 1, 1);
  gtk_grid_attach (self->meta_grid, label, 1, *row, 1, 1);
  (*row)++;
}

static void
add_meta_int (TrawlResultsView *self,
              guint            *row,
              const char       *name,
              gint64            value,
              const char       *unit)
{
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (value < 0)
    return;
  number = trawl_format_count (value);
  text = unit != NULL ? g_strdup_printf ("%s %s", number, unit) : g_steal_pointer (&number);
  add_meta (self, row, name, text);
}

static GtkWidget *
link_row (const char *title,
          const char *subtitle,
          gint64      id)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  if (subtitle != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
    }
  /* Only a URL recorded in the crawl can be shown in the table. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), id > 0);
  if (id > 0)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_object_set_data_full (G_OBJECT (row), "trawl-page-id", g_memdup2 (&id, sizeof id), g_free);
  return row;
}

static void
fill_links (GtkListBox          *list,
            AdwPreferencesGroup *group,
            GPtrArray           *links,
            gint64               total,
            gboolean             outgoing)
{
  g_autofree char *description = NULL;

  clear_children (GTK_WIDGET (list));
  for (guint i = 0; i < links->len; i++)
    {
      TrawlPageLink *link = g_ptr_array_index (links, i);
      g_autofree char *subtitle = NULL;
      const char *anchor = link->anchor != NULL && *link->anchor != '\0' ? link->anchor : NULL;

      if (g_strcmp0 (link->kind, "anchor") == 0)
        subtitle = g_strdup (anchor != NULL ? anchor : _("No anchor text"));
      else
        subtitle = anchor != NULL ? g_strdup_printf ("%s · %s", link->kind, anchor) : g_strdup (link->kind);
      if (link->nofollow)
        {
          g_autofree char *plain = g_steal_pointer (&subtitle);

          subtitle = g_strdup_printf ("%s · nofollow", plain);
        }
      gtk_list_box_append (list, link_row (link->url, subtitle, link->id));
    }
  gtk_widget_set_visible (GTK_WIDGET (list), links->len > 0);

  if (total == 0)
    description = g_strdup (outgoing ? _("This page links nowhere.") : _("Nothing links here."));
  else if (total > links->len)
    {
      g_autofree char *shown = trawl_format_count (links->len), *all = trawl_format_count (total);

      description = g_strdup_printf (_("The first %s of %s."), shown, all);
    }
  else
    {
      g_autofree char *all = trawl_format_count (total);

      description = g_strdup_printf (outgoing ? ngettext ("%s link.", "%s links.", total)
                                              : ngettext ("%s link to this page.", "%s links to this page.", total),
                                     all);
    }
  adw_preferences_group_set_description (group, description);
}

static void
show_detail (TrawlResultsView *self,
             TrawlPageDetail  *d)
{
  g_autofree char *summary = NULL;
  g_autofree char *reason = trawl_describe_reason (d->reason);
  guint row = 0;

  gtk_label_set_label (self->detail_url, d->url);
  if (d->fetched && d->status > 0)
    summary = g_strdup_printf (_("Status %d"), d->status);
  else if (d->state == 3)
    summary = g_strdup_printf (_("Not requested: %s"), reason != NULL ? reason : _("skipped"));
  else if (d->state == 2)
    summary = g_strdup_printf (_("Failed: %s"), d->error != NULL ? d->error : reason != NULL ? reason : _("no response"));
  else if (d->state == 0)
    summary = g_strdup (_("Queued, not requested yet"));
  else
    summary = g_strdup (_("No response"));
  if (d->fetched && d->final_url != NULL && g_strcmp0 (d->final_url, d->url) != 0)
    {
      g_autofree char *first = g_steal_pointer (&summary);

      summary = g_strdup_printf (_("%s, ends at %s"), first, d->final_url);
    }
  gtk_label_set_label (self->detail_summary, summary);

  clear_children (GTK_WIDGET (self->meta_grid));
  if (d->fetched)
    {
      g_autofree char *size = g_format_size (d->bytes);
      g_autofree char *robots = NULL;

      add_meta (self, &row, _("Title"), d->title);
      add_meta (self, &row, _("Description"), d->description);
      add_meta (self, &row, _("Heading"), d->h1);
      add_meta (self, &row, _("Canonical"), d->canonical);
      if (d->meta_robots != NULL || d->x_robots_tag != NULL || d->noindex || d->nofollow)
        {
          robots = g_strjoin (", ",
                              d->meta_robots != NULL ? d->meta_robots : (d->noindex ? "noindex" : "index"),
                              d->x_robots_tag != NULL ? d->x_robots_tag : (d->nofollow ? "nofollow" : "follow"),
                              NULL);
          add_meta (self, &row, _("Robots"), robots);
        }
      add_meta_int (self, &row, _("Words"), d->word_count, NULL);
      add_meta (self, &row, _("Type"), d->content_type);
      add_meta (self, &row, _("Charset"), d->charset);
      add_meta (self, &row, _("Size"), size);
      add_meta_int (self, &row, _("Time"), d->fetch_ms, "ms");
      add_meta_int (self, &row, _("First byte"), d->ttfb_ms, "ms");
      if (d->attempts > 1)
        add_meta_int (self, &row, _("Attempts"), d->attempts, NULL);
      add_meta (self, &row, _("Error"), d->error);
    }
  add_meta (self, &row, _("Reason"), reason);
  add_meta_int (self, &row, _("Depth"), d->depth, NULL);
  add_meta (self, &row, _("Found on"), d->parent_url);

  clear_children (GTK_WIDGET (self->redirect_list));
  for (guint i = 0; i < d->redirect_chain->len; i++)
    {
      TrawlPageHop *hop = g_ptr_array_index (d->redirect_chain, i);
      g_autofree char *status = hop->location != NULL ? g_strdup_printf (_("%d, to %s"), hop->status, hop->location)
                                                      : g_strdup_printf ("%d", hop->status);

      gtk_list_box_append (self->redirect_list, link_row (hop->url, status, hop->page_id));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->redirect_group), d->redirect_chain->len > 0);

  fill_links (self->outlinks_list, self->outlinks_group, d->outlinks, d->n_outlinks, TRUE);
  /* A URL never requested has no links of its own to speak of. */
  gtk_widget_set_visible (GTK_WIDGET (self->outlinks_group), d->fetched);
  fill_links (self->inlinks_list, self->inlinks_group, d->inlinks, d->n_inlinks, FALSE);

  gtk_label_set_label (self->headers_label, d->headers != NULL ? g_strstrip (d->headers) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->headers_group), d->headers != NULL && *d->headers != '\0');
  gtk_stack_set_visible_child_name (self->detail_stack, "detail");
}

static void
detail_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (TrawlResultsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlPageDetail) detail = trawl_page_detail_load_finish (result, &error);

  if (detail == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s", error->message);
      return;
    }
  if (detail->id == self->shown_id)
    show_detail (self, detail);
}

static void
load_detail (TrawlResultsView *self,
             gint64            id)
{
  if (self->detail_cancellable != NULL)
    g_cancellable_cancel (self->detail_cancellable);
  g_clear_object (&self->detail_cancellable);
  self->shown_id = id;
  if (id <= 0 || self->model == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  self->detail_cancellable = g_cancellable_new ();
  trawl_page_detail_load_async (trawl_results_model_get_path (self->model), id, self->detail_cancellable,
                                detail_loaded, g_object_ref (self));
}

static gint64
selected_id (TrawlResultsView *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (self->model == NULL || position == GTK_INVALID_LIST_POSITION ||
      position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return 0;
  return trawl_results_model_get_id (self->model, position);
}

static void
on_selection_changed (TrawlResultsView *self)
{
  gint64 id = selected_id (self);

  /* When a filter hides the URL shown, the pane stays. */
  if (id == 0 && self->shown_id > 0 && !trawl_results_model_find (self->model, self->shown_id, NULL))
    return;
  if (id == 0 || id != self->shown_id)
    load_detail (self, id);
}

static GtkWidget *
inner_list_view (TrawlResultsView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

/* Selects the row of @id if it is shown; returns whether it was. */
static gboolean
select_shown (TrawlResultsView *self,
              gint64            id,
              gboolean          scroll)
{
  guint position;
  GtkWidget *list_view;

  if (self->model == NULL || !trawl_results_model_find (self->model, id, &position))
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  /* GTK 4.8 has no gtk_column_view_scroll_to(): the column view's inner
   * list view has an action for it. */
  list_view = inner_list_view (self);
  if (scroll && list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
  return TRUE;
}

static void
on_refreshed (TrawlResultsView *self)
{
  guint position;

  /* A new sort or a crawl's new pages move URLs to other rows: the
   * selection follows the URL rather than the row. */
  if (self->shown_id > 0 && selected_id (self) != self->shown_id)
    {
      if (trawl_results_model_find (self->model, self->shown_id, &position))
        gtk_single_selection_set_selected (self->selection, position);
      else
        gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
    }
  update_count (self);
}

/* Shows @description where the pages would be. */
static void
show_empty (TrawlResultsView *self,
            const char       *title,
            const char       *description)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (outer_stack (self), "empty");
}

static void
on_loading_changed (TrawlResultsView *self)
{
  gint64 id = self->pending_select;
  const GError *error;

  if (self->model == NULL || trawl_results_model_is_loading (self->model))
    return;
  /* A file that cannot be read (damaged, say) says so in place of its
   * pages; once a query works again they are back. */
  error = trawl_results_model_get_error (self->model);
  if (error != NULL)
    show_empty (self, _("Could Not Read the Crawl"), error->message);
  else
    gtk_stack_set_visible_child_name (outer_stack (self), "results");
  if (error != NULL || id == 0)
    return;
  self->pending_select = 0;
  select_shown (self, id, TRUE);
}

static void
on_link_activated (TrawlResultsView *self,
                   GtkListBoxRow    *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "trawl-page-id");

  if (id != NULL && *id > 0)
    trawl_results_view_select_page (self, *id);
}

static gboolean
refresh_cb (gpointer data)
{
  TrawlResultsView *self = data;

  self->refresh_source = 0;
  if (self->model != NULL)
    trawl_results_model_refresh (self->model);
  return G_SOURCE_REMOVE;
}

static void
on_crawl_pages (TrawlResultsView *self)
{
  /* Batches are read together, at most every REFRESH_INTERVAL_MS: a fast
   * crawl costs four queries a second, and the model runs one at a time. */
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_INTERVAL_MS, refresh_cb, self);
}

static void
on_crawl_ended (TrawlResultsView *self)
{
  /* Read the last pages; and once the window has indexed the links of a
   * closed crawl, the rows get their inlink counts. */
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->model != NULL)
    trawl_results_model_refresh (self->model);
}

static void
on_crawl_state (TrawlResultsView *self)
{
  if (self->crawl != NULL && !trawl_crawl_is_active (self->crawl))
    on_crawl_ended (self);
}

static void
drop_model (TrawlResultsView *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->detail_cancellable != NULL)
    g_cancellable_cancel (self->detail_cancellable);
  g_clear_object (&self->detail_cancellable);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_single_selection_set_model (self->selection, NULL);
  g_clear_object (&self->model);
  self->shown_id = 0;
  self->pending_select = 0;
}

static void
trawl_results_view_dispose (GObject *object)
{
  TrawlResultsView *self = TRAWL_RESULTS_VIEW (object);

  drop_model (self);
  g_clear_handle_id (&self->attach_source, g_source_remove);
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  g_clear_object (&self->crawl);
  /* The column view's columns go with it, changing its sorter. */
  if (self->sorter != NULL)
    g_signal_handlers_disconnect_by_data (self->sorter, self);
  g_clear_object (&self->sorter);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_RESULTS_VIEW);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (trawl_results_view_parent_class)->dispose (object);
}

/* The table has rows only while the view is shown.  A GtkColumnView in a
 * hidden page, not yet allocated, builds rows for 200 items at its first
 * items-changed (300 ms of a stalled main loop for nine columns, measured
 * in bench/run --only gui); once allocated it builds those it shows. */
static gboolean
attach_rows (gpointer user_data)
{
  TrawlResultsView *self = user_data;
  guint position = gtk_single_selection_get_selected (self->selection);
  GtkWidget *list_view;

  self->attach_source = 0;
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  list_view = inner_list_view (self);
  if (position != GTK_INVALID_LIST_POSITION && list_view != NULL)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
  return G_SOURCE_REMOVE;
}

static void
trawl_results_view_map (GtkWidget *widget)
{
  TrawlResultsView *self = TRAWL_RESULTS_VIEW (widget);

  GTK_WIDGET_CLASS (trawl_results_view_parent_class)->map (widget);
  /* After the first layout of the view, so the table knows its height. */
  if (self->attach_source == 0)
    self->attach_source = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, attach_rows, self, NULL);
}

static void
trawl_results_view_unmap (GtkWidget *widget)
{
  TrawlResultsView *self = TRAWL_RESULTS_VIEW (widget);

  g_clear_handle_id (&self->attach_source, g_source_remove);
  gtk_column_view_set_model (self->column_view, NULL);
  GTK_WIDGET_CLASS (trawl_results_view_parent_class)->unmap (widget);
}

static void
trawl_results_view_class_init (TrawlResultsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_results_view_dispose;
  widget_class->map = trawl_results_view_map;
  widget_class->unmap = trawl_results_view_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-results-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, selection);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, url_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, status_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, type_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, size_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, time_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, depth_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, title_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, inlinks_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, outlinks_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, html_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, s2xx_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, s3xx_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, s4xx_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, s5xx_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, errors_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, robots_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, external_chip);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, detail_url);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, detail_summary);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, meta_grid);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, redirect_group);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, redirect_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, outlinks_group);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, outlinks_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, inlinks_group);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, inlinks_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, headers_group);
  gtk_widget_class_bind_template_child (widget_class, TrawlResultsView, headers_label);
  gtk_widget_class_bind_template_callback (widget_class, on_chip_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_link_activated);
}

static void
trawl_results_view_init (TrawlResultsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Kept apart from the table until the view is shown; see attach_rows(). */
  g_object_ref (self->selection);
  gtk_column_view_set_model (self->column_view, NULL);

  for (guint i = TRAWL_RESULTS_SORT_URL; i <= TRAWL_RESULTS_SORT_OUTLINKS; i++)
    {
      g_autoptr (GtkListItemFactory) factory = cell_factory_new (&cell_specs[i]);

      gtk_column_view_column_set_factory (column_of (self, i), factory);
      set_probe_sorter (self, i);
    }
  self->sorter = g_object_ref (gtk_column_view_get_sorter (self->column_view));
  g_signal_connect_object (self->sorter, "changed", G_CALLBACK (on_sorter_changed), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (outer_stack (self), "empty");
}

void
trawl_results_view_set_crawl (TrawlResultsView *self,
                              TrawlCrawl       *crawl)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (TRAWL_IS_RESULTS_VIEW (self));
  g_return_if_fail (crawl == NULL || TRAWL_IS_CRAWL (crawl));

  if (self->crawl == crawl)
    return;
  drop_model (self);
  g_clear_handle_id (&self->attach_source, g_source_remove);
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  g_set_object (&self->crawl, crawl);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");

  if (crawl == NULL)
    {
      show_empty (self, _("No Results Yet"), _("Start a crawl or open a crawl file to browse the pages it found."));
      return;
    }

  self->model = trawl_results_model_new (trawl_crawl_get_path (crawl), &error);
  if (self->model == NULL)
    {
      show_empty (self, _("Could Not Read the Crawl"), error->message);
      return;
    }
  /* A new crawl file starts with the same search, chips and sort. */
  trawl_results_model_set_filters (self->model, chip_filters (self));
  trawl_results_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  read_sort (self);
  g_signal_connect_object (self->model, "refreshed", G_CALLBACK (on_refreshed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::total", G_CALLBACK (update_count), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_loading_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  update_count (self);

  g_signal_connect_object (crawl, "pages", G_CALLBACK (on_crawl_pages), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (crawl, "finished", G_CALLBACK (on_crawl_ended), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (crawl, "notify::state", G_CALLBACK (on_crawl_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (crawl, "notify::links-indexed", G_CALLBACK (on_crawl_ended), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (outer_stack (self), "results");
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

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * trawl_results_view_select_page:
 * @self: the view
 * @page_id: the id of a URL in the crawl file
 *
 * Selects that URL's row, scrolls to it and shows its details.  When the
 * search or the chips hide it, they are cleared first.
 */
void
trawl_results_view_select_page (TrawlResultsView *self,
                                gint64            page_id)
{
  g_return_if_fail (TRAWL_IS_RESULTS_VIEW (self));

  if (self->model == NULL || page_id <= 0)
    return;
  if (select_shown (self, page_id, TRUE))
    return;

  /* Not among the rows shown: it may be hidden by the search or a chip,
   * or not read yet; it is selected when the rows come. */
  self->pending_select = page_id;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  trawl_results_model_set_search (self->model, NULL);
  gtk_toggle_button_set_active (self->html_chip, FALSE);
  gtk_toggle_button_set_active (self->s2xx_chip, FALSE);
  gtk_toggle_button_set_active (self->s3xx_chip, FALSE);
  gtk_toggle_button_set_active (self->s4xx_chip, FALSE);
  gtk_toggle_button_set_active (self->s5xx_chip, FALSE);
  gtk_toggle_button_set_active (self->errors_chip, FALSE);
  gtk_toggle_button_set_active (self->robots_chip, FALSE);
  gtk_toggle_button_set_active (self->external_chip, FALSE);
  /* Nothing changed and nothing is loading: the URL is not a result. */
  if (!trawl_results_model_is_loading (self->model))
    on_loading_changed (self);
}

/**
 * trawl_results_view_get_model:
 * @self: the view
 *
 * Returns: (transfer none) (nullable): the rows the view shows, with its
 *   filters, search and sort; %NULL before a crawl is set
 */
TrawlResultsModel *
trawl_results_view_get_model (TrawlResultsView *self)
{
  g_return_val_if_fail (TRAWL_IS_RESULTS_VIEW (self), NULL);
  return self->model;
}

/**
 * trawl_results_view_dup_selected_url:
 * @self: the view
 *
 * Returns: (transfer full) (nullable): the URL of the selected row
 */
char *
trawl_results_view_dup_selected_url (TrawlResultsView *self)
{
  guint position;
  g_autoptr (TrawlPageRow) row = NULL;

  g_return_val_if_fail (TRAWL_IS_RESULTS_VIEW (self), NULL);

  if (self->model == NULL || self->selection == NULL)
    return NULL;
  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION || position >= g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return NULL;
  row = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  return row != NULL ? g_strdup (trawl_page_row_get_url (row)) : NULL;
}
