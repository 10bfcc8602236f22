/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-export-dialog.c — exporting a crawl from the window: what and in
 * which format, then where (the file chooser, through the portal when
 * sandboxed), then a progress bar with Cancel while a worker writes it.
 * The export is trawl_export_to_file(), as trawl-cli's.  When the Results
 * view filters, searches or sorts, its rows may be exported instead of
 * every page: their ids, taken when the dialog opens, in its order. */
#define G_LOG_DOMAIN "trawl-export-dialog"

#include "config.h"

#include "trawl-export-dialog.h"

#include <glib/gi18n.h>

#include "trawl-export.h"
#include "trawl-page-row.h"
#include "trawl-thread.h"

/* The format rows, in TrawlExportFormat's order. */
static const struct {
  const char *label;
  const char *extension;
} formats[] = {
  { N_("CSV"), "csv" },
  { N_("JSON"), "json" },
  { N_("JSON Lines"), "jsonl" },
  { N_("XML"), "xml" },
  { N_("Sitemap"), "xml" },
  { N_("Crawl File (.trawl)"), "trawl" },
  { N_("WARC"), "warc.gz" },
};

/* The rows of what to export, in TrawlExportWhat's order, and the words
 * that name their files. */
static const char *const whats[] = { N_("Pages"), N_("Links"), N_("Items") };
static const char *const what_stems[] = { "pages", "links", "items" };

/* What the worker shares with the progress bar. */
typedef struct {
  char              *crawl_path;
  char              *out_path;
  TrawlExportWhat    what;
  TrawlExportFormat  format;
  TrawlExportFlags   flags;
  GArray            *ids;      /* owned, nullable: the pages to write, in order */
  GMutex             lock;
  gint64             done;     /* under lock */
  gint64             total;    /* under lock */
} Job;

static void
job_free (Job *job)
{
  g_mutex_clear (&job->lock);
  g_free (job->crawl_path);
  g_free (job->out_path);
  g_clear_pointer (&job->ids, g_array_unref);
  g_free (job);
}

struct _TrawlExportDialog
{
  AdwWindow       parent_instance;

  TrawlCrawl     *crawl;        /* owned */
  GArray         *shown_ids;    /* owned, nullable: gint64, the Results view's rows */
  GCancellable   *cancellable;  /* owned, nullable: the export running */
  Job            *job;          /* borrowed from the running task */
  guint           progress_id;

  GtkStack       *stack;
  GtkWidget      *cancel_button;
  GtkWidget      *export_button;
  AdwComboRow    *what_row;
  GtkStringList  *what_list;
  AdwComboRow    *format_row;
  GtkStringList  *format_list;
  GtkWidget      *guard_row;
  GtkSwitch      *guard_switch;
  AdwActionRow   *shown_row;
  GtkSwitch      *shown_switch;
  GtkLabel       *note_label;
  GtkLabel       *error_label;
  GtkLabel       *progress_title;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (TrawlExportDialog, trawl_export_dialog, ADW_TYPE_WINDOW)

static TrawlExportFormat
chosen_format (TrawlExportDialog *self)
{
  return adw_combo_row_get_selected (self->format_row);
}

/* WARC holds pages' responses, whatever the What row says. */
static TrawlExportWhat
chosen_what (TrawlExportDialog *self)
{
  return chosen_format (self) == TRAWL_EXPORT_WARC ? TRAWL_EXPORT_PAGES : adw_combo_row_get_selected (self->what_row);
}

/* Whether the rows the Results view shows can be chosen instead of all. */
static gboolean
can_choose_shown (TrawlExportDialog *self)
{
  return self->shown_ids != NULL && chosen_format (self) != TRAWL_EXPORT_TRAWL &&
         chosen_what (self) == TRAWL_EXPORT_PAGES;
}

/* What the choices mean, and whether they can be exported. */
static void
update (TrawlExportDialog *self)
{
  TrawlExportFormat format = chosen_format (self);
  TrawlExportWhat what = chosen_what (self);
  const char *note = "";
  gboolean possible = TRUE;

  gtk_widget_set_visible (self->guard_row, format == TRAWL_EXPORT_CSV);
  gtk_widget_set_visible (GTK_WIDGET (self->shown_row), can_choose_shown (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->what_row), format != TRAWL_EXPORT_TRAWL && format != TRAWL_EXPORT_WARC);
  if (format == TRAWL_EXPORT_TRAWL)
    note = _("A copy of the whole crawl file, which Trawl and sqlite3 open; taken at one moment, even while the crawl runs.");
  else if (format == TRAWL_EXPORT_WARC && !trawl_crawl_get_job (self->crawl)->store_bodies)
    {
      note = _("This crawl kept no response bodies: turn on Store Response Bodies in All Settings and crawl "
               "again to export WARC.");
      possible = FALSE;
    }
  else if (format == TRAWL_EXPORT_WARC)
    note = _("Every stored response with its headers and body, as web archives keep them (WARC 1.1); "
             "a file named .warc.gz has each record gzipped, one named .warc is plain.");
  else if (format == TRAWL_EXPORT_SITEMAP && what != TRAWL_EXPORT_PAGES)
    {
      note = _("A sitemap lists pages: choose Pages to make one.");
      possible = FALSE;
    }
  else if (format == TRAWL_EXPORT_SITEMAP)
    note = _("The pages that answered 200 with HTML, may be indexed and are their own canonical; past 50,000, "
             "a sitemap index with its parts beside it.");
  gtk_label_set_label (self->note_label, note);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), *note != '\0');
  gtk_widget_set_sensitive (self->export_button, possible && self->cancellable == NULL);
}

static void
on_progress (gint64   done,
             gint64   total,
             gpointer user_data)
{
  Job *job = user_data;

  g_mutex_lock (&job->lock);
  job->done = done;
  job->total = total;
  g_mutex_unlock (&job->lock);
}

static gboolean
show_progress (gpointer data)
{
  TrawlExportDialog *self = data;
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *text = NULL;
  gint64 done, total;

  g_mutex_lock (&self->job->lock);
  done = self->job->done;
  total = self->job->total;
  g_mutex_unlock (&self->job->lock);
  done_text = trawl_format_count (done);
  total_text = trawl_format_count (total);

  if (total <= 0)
    {
      gtk_progress_bar_pulse (self->progress_bar);
      return G_SOURCE_CONTINUE;
    }
  text = g_strdup_printf (_("%s of %s rows"), done_text, total_text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  return G_SOURCE_CONTINUE;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  trawl_thread_lower_priority ();
  if (trawl_export_to_file (job->crawl_path, job->what, job->format, job->flags, NULL, job->ids, NULL, job->out_path,
                            on_progress, job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  TrawlExportDialog *self = TRAWL_EXPORT_DIALOG (source);
  g_autoptr (GError) error = NULL;

  g_clear_handle_id (&self->progress_id, g_source_remove);
  self->job = NULL;
  g_clear_object (&self->cancellable);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  gtk_label_set_label (self->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_stack_set_visible_child_name (self->stack, "choose");
  update (self);
}

/**
 * trawl_export_dialog_export_to:
 * @self: the dialog
 * @file: where to write, as the file chooser gave it
 *
 * Starts the export chosen in the dialog; it closes when done, or shows
 * why not.
 */
void
trawl_export_dialog_export_to (TrawlExportDialog *self,
                               GFile             *file)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;
  Job *job;

  g_return_if_fail (TRAWL_IS_EXPORT_DIALOG (self));
  g_return_if_fail (self->cancellable == NULL);

  job = g_new0 (Job, 1);
  g_mutex_init (&job->lock);
  job->crawl_path = g_strdup (trawl_crawl_get_path (self->crawl));
  job->out_path = g_file_get_path (file);
  job->what = chosen_what (self);
  job->format = chosen_format (self);
  job->flags = gtk_switch_get_active (self->guard_switch) ? TRAWL_EXPORT_CSV_GUARD : TRAWL_EXPORT_NONE;
  if (can_choose_shown (self) && gtk_switch_get_active (self->shown_switch))
    job->ids = g_array_ref (self->shown_ids);
  self->job = job;
  self->cancellable = g_cancellable_new ();

  title = g_strdup_printf (_("Exporting to “%s”"), name);
  gtk_label_set_label (self->progress_title, title);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update (self);
  self->progress_id = g_timeout_add (100, show_progress, self);

  task = g_task_new (self, self->cancellable, export_done, NULL);
  g_task_set_source_tag (task, trawl_export_dialog_export_to);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_chooser_response (GtkNativeDialog   *chooser,
                     int                response,
                     TrawlExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL && g_file_peek_path (file) != NULL)
        trawl_export_dialog_export_to (self, file);
    }
  g_object_unref (chooser);
}

static void
on_export (TrawlExportDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autofree char *stem = g_path_get_basename (trawl_crawl_get_path (self->crawl));
  g_autofree char *name = NULL;
  TrawlExportFormat format = chosen_format (self);
  char *dot = strrchr (stem, '.');

  if (dot != NULL)
    *dot = '\0';
  if (format == TRAWL_EXPORT_SITEMAP)
    name = g_strdup ("sitemap.xml");
  else if (format == TRAWL_EXPORT_TRAWL)
    name = g_strdup_printf ("%s-copy.trawl", stem);
  else
    name = g_strdup_printf ("%s-%s.%s", stem, what_stems[chosen_what (self)], formats[format].extension);
  chooser = gtk_file_chooser_native_new (_("Export To"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Cancel: before an export, closes the dialog; during one, stops it,
 * which leaves any file that was there. */
static void
on_cancel (TrawlExportDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
trawl_export_dialog_close_request (GtkWindow *window)
{
  TrawlExportDialog *self = TRAWL_EXPORT_DIALOG (window);

  /* Closing during an export cancels it; the dialog goes when it has stopped. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return FALSE;
}

static void
trawl_export_dialog_dispose (GObject *object)
{
  TrawlExportDialog *self = TRAWL_EXPORT_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->crawl);
  g_clear_pointer (&self->shown_ids, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (trawl_export_dialog_parent_class)->dispose (object);
}

static void
trawl_export_dialog_class_init (TrawlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = trawl_export_dialog_dispose;
  window_class->close_request = trawl_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, what_row);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, what_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, format_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, guard_row);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, guard_switch);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, shown_row);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, shown_switch);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, note_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, TrawlExportDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, update);
  gtk_widget_class_bind_template_callback (widget_class, on_export);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
trawl_export_dialog_init (TrawlExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    gtk_string_list_append (self->format_list, _(formats[i].label));
}

/**
 * trawl_export_dialog_new:
 * @parent: the window it belongs to
 * @crawl: the crawl to export
 * @shown: (nullable): the Results view's rows; when it filters, searches
 *   or sorts, they may be exported instead of every page
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
TrawlExportDialog *
trawl_export_dialog_new (GtkWindow         *parent,
                         TrawlCrawl        *crawl,
                         TrawlResultsModel *shown)
{
  TrawlExportDialog *self;
  const TrawlJob *job = trawl_crawl_get_job (crawl);
  gboolean has_items = job->extract != NULL && job->extract[0] != NULL;

  g_return_val_if_fail (TRAWL_IS_CRAWL (crawl), NULL);

  self = g_object_new (TRAWL_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->crawl = g_object_ref (crawl);
  /* Items only for a crawl with extraction rules. */
  for (guint i = 0; i < G_N_ELEMENTS (whats) - (has_items ? 0 : 1); i++)
    gtk_string_list_append (self->what_list, _(whats[i]));
  /* The rows as they are now; while a new query runs they would not be
   * those the view shows. */
  if (shown != NULL && trawl_results_model_is_narrowed (shown) && !trawl_results_model_is_loading (shown))
    {
      g_autofree char *count = NULL;
      g_autofree char *title = NULL;

      self->shown_ids = trawl_results_model_ref_ids (shown);
      count = trawl_format_count (self->shown_ids->len);
      title = g_strdup_printf (_("Rows shown in Results (%s)"), count);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->shown_row), title);
    }
  update (self);
  return self;
}
