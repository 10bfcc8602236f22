/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-setup-view.c — the Setup view: the start page and the job editor.
 *
 * The start page asks for one address and lists the recent crawls; "All
 * Settings" slides to the editor, which shows every setting of the job.
 * Both pages edit the same job: the address entry is the first line of
 * the editor's start URLs.  The view's "problem" says why the job cannot
 * start; the window enables win.start only when there is none.
 */
#define G_LOG_DOMAIN "trawl-setup-view"

#include "config.h"

#include "trawl-setup-view.h"

#include <glib/gi18n.h>

#include "trawl-job-editor.h"
#include "trawl-recent-crawls.h"
#include "trawl-secrets.h"
#include "trawl-settings.h"
#include "trawl-url.h"
#include "trawl-window.h"

#include <glib/gi18n.h>

/* The recent list shows this many of the most recently changed files. */
#define MAX_RECENT 20

struct _TrawlSetupView
{
  AdwBin           parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;  /* the child */
  GtkStack        *pages;
  GtkEntry        *url_entry;
  GtkLabel        *problem_label;
  GtkListBox      *recent_list;
  GtkRevealer     *editor_problem_revealer;
  GtkLabel        *editor_problem_label;
  TrawlJobEditor  *editor;

  GListStore      *recent;         /* owned: TrawlRecentCrawl, newest first */
  GCancellable    *recent_cancel;  /* owned, nullable: the load under way */
  GCancellable    *secrets_cancel; /* owned, nullable: the keyring look-up under way */
  GSettings       *settings;       /* owned */
  GtkLabel        *placeholder;    /* the empty recent list's text */
};

G_DEFINE_FINAL_TYPE (TrawlSetupView, trawl_setup_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_message (TrawlSetupView *self,
              const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (TRAWL_IS_WINDOW (root))
    trawl_window_show_message (TRAWL_WINDOW (root), message);
  else if (message != NULL)
    g_warning ("%s", message);
}

static void
toast (TrawlSetupView *self,
       const char     *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* The reason Start is disabled, under the address and above the editor. */
static void
update_problem (TrawlSetupView *self)
{
  const char *problem = trawl_job_editor_get_problem (self->editor);
  const char *start_error = trawl_job_editor_get_field_error (self->editor, "start_urls");
  gboolean nothing_typed = gtk_entry_get_text_length (self->url_entry) == 0 && start_error != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
  if (nothing_typed && g_strcmp0 (problem, start_error) == 0)
    {
      /* Not an error yet: nobody has typed anything. */
      gtk_label_set_label (self->problem_label, _("Enter the address of a website to start."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "dim-label");
    }
  else if (problem != NULL)
    {
      gtk_label_set_label (self->problem_label, problem);
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
    }

  if (start_error != NULL && !nothing_typed)
    gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");

  gtk_label_set_label (self->editor_problem_label, problem ? problem : "");
  gtk_revealer_set_reveal_child (self->editor_problem_revealer, problem != NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.save-job", problem == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "setup.copy-command", problem == NULL);
}

static void
on_problem_changed (TrawlJobEditor *editor,
                    GParamSpec     *pspec,
                    TrawlSetupView *self)
{
  update_problem (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
on_first_url_changed (TrawlJobEditor *editor,
                      GParamSpec     *pspec,
                      TrawlSetupView *self)
{
  g_autofree char *url = trawl_job_editor_dup_first_url (editor);

  if (g_strcmp0 (url, gtk_editable_get_text (GTK_EDITABLE (self->url_entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
}

static void
on_url_changed (GtkEditable    *entry,
                TrawlSetupView *self)
{
  trawl_job_editor_set_first_url (self->editor, gtk_editable_get_text (entry));
  update_problem (self);
}

static void
on_url_activate (GtkEntry       *entry,
                 TrawlSetupView *self)
{
  if (trawl_job_editor_get_problem (self->editor) == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.start", NULL);
}

static GtkWidget *
create_recent_row (gpointer item,
                   gpointer user_data)
{
  TrawlRecentCrawl *crawl = item;
  g_autofree char *subtitle = trawl_recent_crawl_describe (crawl);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), trawl_recent_crawl_get_name (crawl));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, trawl_recent_crawl_get_path (crawl));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* An unreadable file opens too: the window then says what is wrong. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", trawl_recent_crawl_get_path (crawl));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-file");

  icon = gtk_image_new_from_icon_name (trawl_recent_crawl_get_problem (crawl) ? "dialog-warning-symbolic"
                                                                                : "go-next-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  trawl_recent_crawl_get_problem (crawl) ? _("Unreadable") : _("Open"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
on_recent_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (TrawlSetupView) self = user_data;
  g_autoptr (GPtrArray) crawls = NULL;
  g_autoptr (GError) error = NULL;

  crawls = trawl_recent_crawls_load_finish (result, &error);
  if (crawls == NULL)
    return;  /* Cancelled by a newer load or by dispose. */

  g_clear_object (&self->recent_cancel);
  /* One items-changed for the whole list. */
  g_list_store_splice (self->recent, 0, g_list_model_get_n_items (G_LIST_MODEL (self->recent)),
                       crawls->pdata, crawls->len);
}

/**
 * trawl_setup_view_reload_recent:
 * @self: the view
 *
 * Reads the crawl folder again, in a worker thread; the list changes once,
 * when it is done.
 */
void
trawl_setup_view_reload_recent (TrawlSetupView *self)
{
  g_autofree char *folder = trawl_window_get_crawl_folder ();

  g_return_if_fail (TRAWL_IS_SETUP_VIEW (self));

  g_cancellable_cancel (self->recent_cancel);
  g_clear_object (&self->recent_cancel);
  self->recent_cancel = g_cancellable_new ();
  trawl_recent_crawls_load_async (folder, MAX_RECENT, self->recent_cancel, on_recent_loaded, g_object_ref (self));
}

/**
 * trawl_setup_view_get_recent:
 * @self: the view
 *
 * Returns: (transfer none): the recent crawls listed, #TrawlRecentCrawl
 *   items, newest first.
 */
GListModel *
trawl_setup_view_get_recent (TrawlSetupView *self)
{
  g_return_val_if_fail (TRAWL_IS_SETUP_VIEW (self), NULL);
  return G_LIST_MODEL (self->recent);
}

/* The empty list says where crawls go. */
static void
update_placeholder (TrawlSetupView *self)
{
  g_autofree char *folder = trawl_settings_dup_crawl_folder_label (self->settings);
  g_autofree char *text = g_strdup_printf (_("No crawls yet. They are saved in %s."), folder);

  gtk_label_set_label (self->placeholder, text);
}

static void
on_crawl_folder_changed (GSettings      *settings,
                         const char     *key,
                         TrawlSetupView *self)
{
  update_placeholder (self);
  trawl_setup_view_reload_recent (self);
}

static void
trawl_setup_view_map (GtkWidget *widget)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (widget);

  GTK_WIDGET_CLASS (trawl_setup_view_parent_class)->map (widget);

  /* Shown again, after a crawl perhaps: the list may have changed. */
  trawl_setup_view_reload_recent (self);
  /* The start page asks for an address: typing goes there at once. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "start") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
}

static void
show_editor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (widget);

  gtk_stack_set_visible_child_name (self->pages, "editor");
}

static void
show_start_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (widget);

  gtk_stack_set_visible_child_name (self->pages, "start");
}

static void
on_command_job (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (TrawlSetupView) self = user_data;
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *command = NULL;

  job = trawl_setup_view_store_job_finish (self, result, &error);
  if (job == NULL)
    {
      show_message (self, error->message);
      return;
    }
  /* The password is named by its keyring item, not put on the clipboard. */
  command = trawl_job_to_command_line (job);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), command);
  toast (self, _("Command line copied"));
}

static void
copy_command_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (widget);

  trawl_setup_view_store_job_async (self, NULL, on_command_job, g_object_ref (self));
}

static GtkFileFilter *
job_file_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Trawl job files"));
  gtk_file_filter_add_pattern (filter, "*.trawljob");
  return filter;
}

static void
on_load_response (GtkNativeDialog *dialog,
                  int              response,
                  TrawlSetupView  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path != NULL && !trawl_setup_view_load_job_file (self, path, &error))
        show_message (self, error->message);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
load_job_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = job_file_filter ();

  dialog = gtk_file_chooser_native_new (_("Load a Job File"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Load"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_load_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_job_file_saved (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (source);
  g_autoptr (GError) error = NULL;

  if (!trawl_setup_view_save_job_file_finish (self, result, &error))
    show_message (self, error->message);
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  TrawlSetupView  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr (GError) error = NULL;

      if (path != NULL && !g_str_has_suffix (path, ".trawljob"))
        {
          char *with_suffix = g_strconcat (path, ".trawljob", NULL);

          g_free (path);
          path = with_suffix;
        }
      if (path != NULL)
        trawl_setup_view_save_job_file_async (self, path, NULL, on_job_file_saved, NULL);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_job_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr (GtkFileFilter) filter = job_file_filter ();
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *host = NULL;
  g_autofree char *name = NULL;

  job = trawl_setup_view_dup_job (self, &error);
  if (job == NULL)
    {
      show_message (self, error->message);
      return;
    }
  canonical = trawl_url_canonicalize (job->start_urls[0], NULL);
  host = canonical ? trawl_url_get_host (canonical) : NULL;
  name = g_strdup_printf ("%s.trawljob", host ? host : "crawl");

  dialog = gtk_file_chooser_native_new (_("Save the Job File"), GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
trawl_setup_view_dispose (GObject *object)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (object);

  g_cancellable_cancel (self->recent_cancel);
  g_clear_object (&self->recent_cancel);
  g_cancellable_cancel (self->secrets_cancel);
  g_clear_object (&self->secrets_cancel);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_SETUP_VIEW);

  G_OBJECT_CLASS (trawl_setup_view_parent_class)->dispose (object);
}

static void
trawl_setup_view_finalize (GObject *object)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (object);

  g_clear_object (&self->recent);

  G_OBJECT_CLASS (trawl_setup_view_parent_class)->finalize (object);
}

static void
trawl_setup_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, trawl_setup_view_get_problem (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_setup_view_class_init (TrawlSetupViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_setup_view_dispose;
  object_class->finalize = trawl_setup_view_finalize;
  object_class->get_property = trawl_setup_view_get_property;
  widget_class->map = trawl_setup_view_map;

  /**
   * TrawlSetupView:problem:
   *
   * Why the job cannot start, as a sentence, or %NULL when it can.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TRAWL_TYPE_JOB_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-setup-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, pages);
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, url_entry);
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, problem_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, recent_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, editor_problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, editor_problem_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, editor);

  gtk_widget_class_install_action (widget_class, "setup.show-editor", NULL, show_editor_action);
  gtk_widget_class_install_action (widget_class, "setup.show-start", NULL, show_start_action);
  gtk_widget_class_install_action (widget_class, "setup.copy-command", NULL, copy_command_action);
  gtk_widget_class_install_action (widget_class, "setup.load-job", NULL, load_job_action);
  gtk_widget_class_install_action (widget_class, "setup.save-job", NULL, save_job_action);
}

static void
trawl_setup_view_init (TrawlSetupView *self)
{
  g_autoptr (TrawlJob) defaults = NULL;
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = trawl_settings_new ();
  /* The template's root is not bound: AdwBin owns and unparents it. */
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_bin_get_child (ADW_BIN (self)));

  self->recent = g_list_store_new (TRAWL_TYPE_RECENT_CRAWL);
  gtk_list_box_bind_model (self->recent_list, G_LIST_MODEL (self->recent), create_recent_row, NULL, NULL);
  placeholder = gtk_label_new (NULL);
  self->placeholder = GTK_LABEL (placeholder);
  update_placeholder (self);
  g_signal_connect (self->settings, "changed::crawl-folder", G_CALLBACK (on_crawl_folder_changed), self);
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (placeholder), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->recent_list, placeholder);

  g_signal_connect (self->editor, "notify::problem", G_CALLBACK (on_problem_changed), self);
  g_signal_connect (self->editor, "notify::first-url", G_CALLBACK (on_first_url_changed), self);
  g_signal_connect (self->url_entry, "changed", G_CALLBACK (on_url_changed), self);
  g_signal_connect (self->url_entry, "activate", G_CALLBACK (on_url_activate), self);

  /* A new crawl starts from the defaults in Preferences. */
  defaults = trawl_settings_dup_default_job (self->settings);
  trawl_job_editor_set_job (self->editor, defaults);
  update_problem (self);
}

/**
 * trawl_setup_view_dup_job:
 * @self: the view
 * @error: what is wrong with the settings, as a sentence
 *
 * Returns: (transfer full) (nullable): the job the form describes, when
 *   it is valid.
 */
TrawlJob *
trawl_setup_view_dup_job (TrawlSetupView  *self,
                          GError         **error)
{
  g_return_val_if_fail (TRAWL_IS_SETUP_VIEW (self), NULL);

  return trawl_job_editor_dup_job (self->editor, error);
}

static void
on_secrets_found (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (TrawlSetupView) self = user_data;
  g_autoptr (TrawlJob) found = NULL;
  g_autoptr (GError) error = NULL;

  found = trawl_secrets_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* Another job was set, or the view went away. */
  g_clear_object (&self->secrets_cancel);
  if (found == NULL)
    show_message (self, error->message);
  else
    trawl_job_editor_add_secrets (self->editor, found);
}

/**
 * trawl_setup_view_set_job:
 * @self: the view
 * @job: settings to show, from a reopened crawl or a job file
 *
 * Shows @job; the values of the keyring items it refers to are looked up
 * and shown when the keyring answers, or the window says why not.
 */
void
trawl_setup_view_set_job (TrawlSetupView *self,
                          const TrawlJob *job)
{
  g_autoptr (GArray) missing = NULL;

  g_return_if_fail (TRAWL_IS_SETUP_VIEW (self));
  g_return_if_fail (job != NULL);

  g_cancellable_cancel (self->secrets_cancel);
  g_clear_object (&self->secrets_cancel);
  trawl_job_editor_set_job (self->editor, job);

  missing = trawl_job_list_secret_refs (job, TRUE);
  if (missing->len > 0)
    {
      self->secrets_cancel = g_cancellable_new ();
      trawl_secrets_lookup_async (job, self->secrets_cancel, on_secrets_found, g_object_ref (self));
    }
}

static void
on_editor_stored (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  TrawlJob *job = trawl_job_editor_store_job_finish (TRAWL_JOB_EDITOR (source), result, &error);

  if (job == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, job, (GDestroyNotify) trawl_job_free);
}

/**
 * trawl_setup_view_store_job_async:
 * @self: the view
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Like trawl_setup_view_dup_job(), with the password and secret headers
 * moved into the keyring: the job to save or to crawl.
 */
void
trawl_setup_view_store_job_async (TrawlSetupView      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TRAWL_IS_SETUP_VIEW (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_setup_view_store_job_async);
  trawl_job_editor_store_job_async (self->editor, cancellable, on_editor_stored, task);
}

/**
 * trawl_setup_view_store_job_finish:
 * @self: the view
 * @result: the #GAsyncResult
 * @error: what is wrong with the settings, or why the keyring did not
 *   keep a secret, as a sentence
 *
 * Returns: (transfer full) (nullable): the job, referring to its keyring
 *   items.
 */
TrawlJob *
trawl_setup_view_store_job_finish (TrawlSetupView  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * trawl_setup_view_set_start_url:
 * @self: the view
 * @url: a web address
 *
 * Puts @url in the address entry, as if typed there; the other settings
 * stay as they are.
 */
void
trawl_setup_view_set_start_url (TrawlSetupView *self,
                                const char     *url)
{
  g_return_if_fail (TRAWL_IS_SETUP_VIEW (self));
  g_return_if_fail (url != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
}

/**
 * trawl_setup_view_get_problem:
 * @self: the view
 *
 * Returns: (nullable): why the job cannot start, as a sentence.
 */
const char *
trawl_setup_view_get_problem (TrawlSetupView *self)
{
  g_return_val_if_fail (TRAWL_IS_SETUP_VIEW (self), NULL);

  return trawl_job_editor_get_problem (self->editor);
}

/**
 * trawl_setup_view_load_job_file:
 * @self: the view
 * @path: a .trawljob file
 * @error: a sentence naming the file and what is wrong with it
 *
 * Shows the settings in @path; on error nothing changes.
 *
 * Returns: whether the file was read
 */
gboolean
trawl_setup_view_load_job_file (TrawlSetupView  *self,
                                const char      *path,
                                GError         **error)
{
  g_autoptr (TrawlJob) job = NULL;

  g_return_val_if_fail (TRAWL_IS_SETUP_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = trawl_job_load_file (path, error);
  if (job == NULL)
    return FALSE;
  trawl_setup_view_set_job (self, job);
  toast (self, _("Job file loaded"));
  return TRUE;
}

static void
on_job_to_save (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  TrawlSetupView *self = g_task_get_source_object (task);
  g_autoptr (TrawlJob) job = NULL;
  GError *error = NULL;

  job = trawl_setup_view_store_job_finish (self, result, &error);
  if (job == NULL || !trawl_job_save_file (job, g_task_get_task_data (task), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  toast (self, _("Job file saved"));
  g_task_return_boolean (task, TRUE);
}

/**
 * trawl_setup_view_save_job_file_async:
 * @self: the view
 * @path: where to write the job
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Writes the settings to @path, the password and secret headers as
 * references to the keyring items that keep them.
 */
void
trawl_setup_view_save_job_file_async (TrawlSetupView      *self,
                                      const char          *path,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TRAWL_IS_SETUP_VIEW (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_setup_view_save_job_file_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  trawl_setup_view_store_job_async (self, cancellable, on_job_to_save, task);
}

/**
 * trawl_setup_view_save_job_file_finish:
 * @self: the view
 * @result: the #GAsyncResult
 * @error: a sentence saying why the job is not saved
 *
 * Returns: whether the settings are valid, their secrets are in the
 *   keyring, and the job was written
 */
gboolean
trawl_setup_view_save_job_file_finish (TrawlSetupView  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
