/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-issues-view.c — the Issues view of the window: a site audit.
 *
 * A sidebar lists the checks of trawl-audit with what each found; the
 * selected check's URLs fill a column view a page at a time.  Counting and
 * listing run in worker threads (trawl_audit_*_async), so a crawl of a
 * million pages never stalls the window: the counts are brought up to date
 * when a crawl is shown, every few seconds while it runs and the view is
 * on screen, and once more when it ends.
 */
#define G_LOG_DOMAIN "trawl-issues-view"

#include "config.h"

#include "trawl-issues-view.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "trawl-audit.h"

/* How many rows a list shows at first, and how many more each "Show More"
 * adds. */
#define PAGE_SIZE 200
/* How often the counts are brought up to date while a crawl runs. */
#define REFRESH_SECONDS 3

struct _TrawlIssuesView
{
  AdwBin               parent_instance;

  TrawlCrawl          *crawl;              /* owned, nullable */

  GtkStack            *stack;
  GtkListBox          *check_list;
  GtkImage            *check_icon;
  GtkLabel            *check_title;
  GtkLabel            *check_count;
  GtkLabel            *check_description;
  GtkLabel            *note_label;
  GtkStack            *list_stack;
  GtkColumnView       *column_view;
  GListStore          *rows;
  GtkColumnViewColumn *detail_column;
  GtkColumnViewColumn *extra_column;
  AdwStatusPage       *error_page;
  GtkActionBar        *more_bar;
  GtkLabel            *shown_label;

  GPtrArray           *row_icons;          /* owned, of GtkImage, one per check */
  GPtrArray           *row_counts;         /* owned, of GtkLabel, one per check */
  gint64              *counts;             /* owned, nullable: NULL until counted */
  guint                selected;           /* the index of the shown check */
  gboolean             links_listed;       /* the rows list their linking pages */

  GCancellable        *count_cancellable;  /* owned, nullable: a count in flight */
  gboolean             recount;            /* count again when that one is in */
  gboolean             reload_list;        /* reload the list with the next counts */
  gboolean             stale;              /* counts missed while off screen */
  GCancellable        *list_cancellable;   /* owned, nullable: a list page in flight */
  guint                list_offset;        /* where that page goes */
  guint                refresh_id;         /* the timer while the crawl runs */
  gint64               count_started_us;   /* when the count in flight began */
  gint64               next_count_us;      /* no timed count before this */
};

G_DEFINE_FINAL_TYPE (TrawlIssuesView, trawl_issues_view, ADW_TYPE_BIN)

static void refresh (TrawlIssuesView *self);

static void
stop_work (TrawlIssuesView *self)
{
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->recount = self->reload_list = self->stale = FALSE;
}

static void
trawl_issues_view_dispose (GObject *object)
{
  TrawlIssuesView *self = TRAWL_ISSUES_VIEW (object);

  stop_work (self);
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  g_clear_object (&self->crawl);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_ISSUES_VIEW);

  G_OBJECT_CLASS (trawl_issues_view_parent_class)->dispose (object);
}

static void
trawl_issues_view_finalize (GObject *object)
{
  TrawlIssuesView *self = TRAWL_ISSUES_VIEW (object);

  g_clear_pointer (&self->row_icons, g_ptr_array_unref);
  g_clear_pointer (&self->row_counts, g_ptr_array_unref);
  g_clear_pointer (&self->counts, g_free);

  G_OBJECT_CLASS (trawl_issues_view_parent_class)->finalize (object);
}

/* The icon and style class of a check: its severity, or passed. */
static void
set_severity_icon (GtkWidget *image,
                   guint      check,
                   gint64     count)
{
  static const char *const classes[] = { "error", "warning", "accent", "success" };
  const TrawlAuditCheck *c = trawl_audit_get_check (check);
  const char *icon;
  guint style;

  if (count == 0)
    icon = "emblem-ok-symbolic", style = 3;
  else if (c->severity == TRAWL_AUDIT_ERROR)
    icon = "dialog-error-symbolic", style = 0;
  else if (c->severity == TRAWL_AUDIT_WARNING)
    icon = "dialog-warning-symbolic", style = 1;
  else
    icon = "dialog-information-symbolic", style = 2;

  gtk_image_set_from_icon_name (GTK_IMAGE (image), icon);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (i == style)
      gtk_widget_add_css_class (image, classes[i]);
    else
      gtk_widget_remove_css_class (image, classes[i]);
}

static char *
count_text (TrawlIssuesView *self,
            guint            check)
{
  if (self->counts == NULL)
    return g_strdup ("…");
  return g_strdup_printf ("%" G_GINT64_FORMAT, self->counts[check]);
}

static void
update_note (TrawlIssuesView *self)
{
  const TrawlAuditCheck *check = trawl_audit_get_check (self->selected);
  g_autoptr (GString) note = g_string_new (NULL);

  if (self->crawl != NULL && trawl_crawl_is_active (self->crawl))
    g_string_append (note, _("The crawl is still running: these counts are brought up to date every few seconds."));
  if (check->linked_list_sql != NULL && !self->links_listed &&
      g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0)
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("The pages that link to each URL are listed once the crawl has ended."));
    }

  gtk_label_set_label (self->note_label, note->str);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note->len > 0);
}

/* The footer says how much of the list is shown, with a way to more. */
static void
update_footer (TrawlIssuesView *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  gint64 total = self->counts != NULL ? self->counts[self->selected] : 0;
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("Showing %u of %" PRId64), shown, total);
  gtk_label_set_label (self->shown_label, text);
  gtk_action_bar_set_revealed (self->more_bar, total > shown && self->list_cancellable == NULL);
}

static void
update_header (TrawlIssuesView *self)
{
  const TrawlAuditCheck *check = trawl_audit_get_check (self->selected);
  g_autofree char *count = count_text (self, self->selected);

  gtk_label_set_label (self->check_title, _(check->title));
  gtk_label_set_label (self->check_count, count);
  gtk_label_set_label (self->check_description, _(check->description));
  if (self->counts != NULL)
    set_severity_icon (GTK_WIDGET (self->check_icon), self->selected, self->counts[self->selected]);
  else
    gtk_image_clear (self->check_icon);

  gtk_column_view_column_set_title (self->detail_column,
                                    check->detail_heading ? _(check->detail_heading) : NULL);
  gtk_column_view_column_set_visible (self->detail_column, check->detail_heading != NULL);
  gtk_column_view_column_set_title (self->extra_column,
                                    check->extra_heading ? _(check->extra_heading) : NULL);
  gtk_column_view_column_set_visible (self->extra_column, check->extra_heading != NULL);

  update_note (self);
  update_footer (self);
}

static void
update_sidebar (TrawlIssuesView *self)
{
  for (guint i = 0; i < trawl_audit_get_n_checks (); i++)
    {
      const TrawlAuditCheck *check = trawl_audit_get_check (i);
      g_autofree char *count = count_text (self, i);
      g_autofree char *label = NULL;
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (self->check_list, i));

      gtk_label_set_label (self->row_counts->pdata[i], count);
      if (self->counts != NULL)
        set_severity_icon (self->row_icons->pdata[i], i, self->counts[i]);
      gtk_widget_set_visible (self->row_icons->pdata[i], self->counts != NULL);

      /* Screen readers hear the check, its count, and whether it passed. */
      if (self->counts != NULL && self->counts[i] == 0)
        label = g_strdup_printf (_("%s: passed"), _(check->title));
      else
        label = g_strdup_printf ("%s: %s", _(check->title), count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
}

/* Shows the list, "passed", or a spinner while the first rows are on
 * their way (listing a check of a large crawl can take a second). */
static void
update_list_page (TrawlIssuesView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->rows)) == 0;

  if (empty && self->counts != NULL && self->counts[self->selected] == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "passed");
  else if (empty && (self->list_cancellable != NULL || self->counts == NULL))
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (TrawlIssuesView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gboolean links_listed = FALSE;
  guint n_items;

  rows = trawl_audit_list_finish (result, &links_listed, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->list_cancellable);

  if (rows == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      update_footer (self);
      return;
    }

  /* One items-changed for the whole page, however many rows. */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  if (self->list_offset == 0)
    g_list_store_splice (self->rows, 0, n_items, rows->pdata, rows->len);
  else
    g_list_store_splice (self->rows, n_items, 0, rows->pdata, rows->len);
  self->links_listed = links_listed;

  update_list_page (self);
  update_note (self);
  update_footer (self);
}

/* Loads the selected check's rows from @offset: from 0 it replaces the
 * list (keeping as many rows as were shown), beyond it appends a page. */
static void
load_list (TrawlIssuesView *self,
           guint            offset)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint limit = offset == 0 ? MAX (PAGE_SIZE, n_items) : PAGE_SIZE;

  if (self->crawl == NULL)
    return;

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  self->list_offset = offset;
  trawl_audit_list_async (trawl_crawl_get_path (self->crawl), self->selected, offset, limit,
                          self->list_cancellable, on_listed, g_object_ref (self));
  update_list_page (self);
  update_footer (self);
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (TrawlIssuesView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *counts = NULL;
  gboolean changed;

  counts = trawl_audit_count_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->count_cancellable);

  if (counts == NULL)
    {
      /* A crawl file that cannot be read is reported once, by the window;
       * here the list says why it is empty. */
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->list_stack, "error");
      return;
    }

  /* A count of a very large crawl takes seconds: space the timed ones out
   * so that the audit never keeps a core busy on its own. */
  self->next_count_us = g_get_monotonic_time () +
                        3 * (g_get_monotonic_time () - self->count_started_us);

  changed = self->counts == NULL || self->counts[self->selected] != counts[self->selected];
  g_free (self->counts);
  self->counts = g_steal_pointer (&counts);

  update_sidebar (self);
  update_header (self);
  if (changed || self->reload_list)
    load_list (self, 0);
  else
    update_list_page (self);
  self->reload_list = FALSE;

  if (self->recount)
    {
      self->recount = FALSE;
      refresh (self);
    }
}

/* Counts again, in a worker thread; a request while a count is in flight
 * is served by one more count after it. */
static void
refresh (TrawlIssuesView *self)
{
  if (self->crawl == NULL)
    return;
  if (self->count_cancellable != NULL)
    {
      self->recount = TRUE;
      return;
    }
  self->stale = FALSE;
  self->count_started_us = g_get_monotonic_time ();
  self->count_cancellable = g_cancellable_new ();
  trawl_audit_count_async (trawl_crawl_get_path (self->crawl), self->count_cancellable,
                           on_counted, g_object_ref (self));
}

static gboolean
on_refresh_timeout (gpointer data)
{
  TrawlIssuesView *self = data;

  /* Off screen, counting a large crawl over and over is wasted work: it
   * is done when the view is shown again. */
  if (g_get_monotonic_time () < self->next_count_us)
    return G_SOURCE_CONTINUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    self->stale = TRUE;
  return G_SOURCE_CONTINUE;
}

static void
on_map (TrawlIssuesView *self)
{
  if (self->stale)
    refresh (self);
}

/* While the crawl runs, the counts follow it every few seconds. */
static void
update_timer (TrawlIssuesView *self)
{
  gboolean active = self->crawl != NULL && trawl_crawl_is_active (self->crawl);

  if (active && self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh_timeout, self);
  else if (!active)
    g_clear_handle_id (&self->refresh_id, g_source_remove);
  update_note (self);
}

static void
on_crawl_state (TrawlCrawl      *crawl,
                GParamSpec      *pspec,
                TrawlIssuesView *self)
{
  update_timer (self);
}

static void
on_crawl_finished (TrawlCrawl      *crawl,
                   TrawlIssuesView *self)
{
  update_timer (self);
  self->reload_list = TRUE;
  refresh (self);
}

/* The crawl file has its inlinks index (TrawlCrawl builds it once the
 * crawl has ended, or when a file is opened): the broken links can now
 * list the pages that link to them. */
static void
on_links_indexed (TrawlCrawl      *crawl,
                  GParamSpec      *pspec,
                  TrawlIssuesView *self)
{
  const TrawlAuditCheck *check = trawl_audit_get_check (self->selected);

  if (trawl_crawl_get_links_indexed (crawl) && check->linked_list_sql != NULL &&
      self->counts != NULL && self->count_cancellable == NULL)
    load_list (self, 0);
  else
    self->reload_list = TRUE;
}

static void
on_check_selected (TrawlIssuesView *self,
                   GtkListBoxRow   *row)
{
  if (row == NULL)
    return;

  self->selected = gtk_list_box_row_get_index (row);
  self->links_listed = FALSE;
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_list_store_remove_all (self->rows);
  update_header (self);

  if (self->counts != NULL && self->counts[self->selected] == 0)
    update_list_page (self);
  else
    load_list (self, 0);
}

static void
on_row_activated (TrawlIssuesView *self,
                  guint            position)
{
  g_autoptr (TrawlAuditRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (row != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "x", trawl_audit_row_get_id (row));
}

static void
on_more_clicked (TrawlIssuesView *self)
{
  load_list (self, g_list_model_get_n_items (G_LIST_MODEL (self->rows)));
}

static void
trawl_issues_view_class_init (TrawlIssuesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_issues_view_dispose;
  object_class->finalize = trawl_issues_view_finalize;

  /* The template's list store and factories name the row type. */
  g_type_ensure (TRAWL_TYPE_AUDIT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-issues-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, check_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, check_icon);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, check_title);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, check_count);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, check_description);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, note_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, column_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, rows);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, detail_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, extra_column);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, error_page);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, more_bar);
  gtk_widget_class_bind_template_child (widget_class, TrawlIssuesView, shown_label);
  gtk_widget_class_bind_template_callback (widget_class, on_check_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
}

/* One sidebar row per check: its severity icon, its title, its count. */
static GtkWidget *
make_check_row (TrawlIssuesView       *self,
                const TrawlAuditCheck *check)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (_(check->title));
  GtkWidget *count = gtk_label_new ("…");

  gtk_widget_set_name (row, check->id);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_visible (icon, FALSE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_add_css_class (count, "dim-label");

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), count);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_ptr_array_add (self->row_icons, icon);
  g_ptr_array_add (self->row_counts, count);
  return row;
}

static void
trawl_issues_view_init (TrawlIssuesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->row_icons = g_ptr_array_new ();
  self->row_counts = g_ptr_array_new ();
  for (guint i = 0; i < trawl_audit_get_n_checks (); i++)
    gtk_list_box_append (self->check_list, make_check_row (self, trawl_audit_get_check (i)));
  gtk_list_box_select_row (self->check_list, gtk_list_box_get_row_at_index (self->check_list, 0));

  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

/**
 * trawl_issues_view_set_crawl:
 * @self: the view
 * @crawl: (nullable): the crawl to audit
 *
 * Audits @crawl: counts what each check finds and lists the selected
 * check's URLs, then follows the crawl while it runs.
 */
void
trawl_issues_view_set_crawl (TrawlIssuesView *self,
                             TrawlCrawl      *crawl)
{
  g_return_if_fail (TRAWL_IS_ISSUES_VIEW (self));
  g_return_if_fail (crawl == NULL || TRAWL_IS_CRAWL (crawl));

  if (crawl == self->crawl)
    return;

  stop_work (self);
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  g_set_object (&self->crawl, crawl);
  g_clear_pointer (&self->counts, g_free);
  g_list_store_remove_all (self->rows);
  self->links_listed = FALSE;

  update_sidebar (self);
  update_header (self);
  if (crawl == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  g_signal_connect_object (crawl, "notify::state", G_CALLBACK (on_crawl_state), self, 0);
  g_signal_connect_object (crawl, "finished", G_CALLBACK (on_crawl_finished), self, 0);
  g_signal_connect_object (crawl, "notify::links-indexed", G_CALLBACK (on_links_indexed), self, 0);
  gtk_stack_set_visible_child_name (self->stack, "audit");
  update_list_page (self);
  update_timer (self);
  refresh (self);
}
