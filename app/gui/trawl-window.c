/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-window.c — the main window: Setup, Monitor, Results and Issues.
 *
 * The window owns the crawl it shows (a TrawlCrawl) and hands it to its
 * four views, which observe it.  The crawl runs in the engine's thread; the
 * window only starts, pauses and stops it, so the UI never waits for it.
 */
#define G_LOG_DOMAIN "trawl-window"

#include "config.h"

#include "trawl-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "trawl-export-dialog.h"
#include "trawl-issues-view.h"
#include "trawl-items-view.h"
#include "trawl-monitor-view.h"
#include "trawl-page-row.h"
#include "trawl-preferences-window.h"
#include "trawl-results-view.h"
#include "trawl-rule-tester.h"
#include "trawl-secrets.h"
#include "trawl-settings.h"
#include "trawl-setup-view.h"
#include "trawl-thread.h"
#include "trawl-url.h"

struct _TrawlWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  GtkRevealer          *message_revealer;
  GtkLabel             *message_label;
  GtkLabel             *state_label;
  GtkStack             *run_stack;
  GtkWidget            *continue_button;
  GtkWidget            *pause_button;
  GtkWidget            *resume_button;
  GtkWidget            *stop_button;
  TrawlSetupView       *setup_view;
  TrawlMonitorView     *monitor_view;
  TrawlResultsView     *results_view;
  TrawlIssuesView      *issues_view;
  TrawlItemsView       *items_view;

  TrawlCrawl           *crawl;        /* owned, nullable */
  gboolean              background;   /* hidden, crawling on; closes at the end */
  GCancellable         *keyring_cancel; /* owned, nullable: a start or continue waiting for the keyring */
  GSettings            *settings;     /* owned */
};

G_DEFINE_FINAL_TYPE (TrawlWindow, trawl_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (TrawlWindow *self)
{
  TrawlEngineState state = self->crawl ? trawl_crawl_get_state (self->crawl) : TRAWL_ENGINE_READY;
  gboolean active = self->crawl != NULL && trawl_crawl_is_active (self->crawl);
  gboolean can_continue = self->crawl != NULL && state == TRAWL_ENGINE_STOPPED;
  /* The setup view shows why Start is disabled, next to the setting. */
  gboolean can_start = !active && trawl_setup_view_get_problem (self->setup_view) == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue",
                                 can_continue && !trawl_items_view_is_rerunning (self->items_view));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.pause", state == TRAWL_ENGINE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.resume", state == TRAWL_ENGINE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop",
                                 state == TRAWL_ENGINE_RUNNING || state == TRAWL_ENGINE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-as",
                                 self->crawl != NULL && state != TRAWL_ENGINE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 self->crawl != NULL && state != TRAWL_ENGINE_READY);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.test-rule",
                                 self->crawl != NULL && state != TRAWL_ENGINE_READY);
  /* A crawl holds its file: its rules are re-run once it stopped. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.rerun-rules",
                                 self->crawl != NULL && !active && state != TRAWL_ENGINE_READY &&
                                 !trawl_items_view_is_rerunning (self->items_view));

  /* The buttons stay where they are, so that a change of state never
   * changes the layout; their actions say whether they work. */
  if (state == TRAWL_ENGINE_PAUSED)
    gtk_stack_set_visible_child (self->run_stack, self->resume_button);
  else if (active)
    gtk_stack_set_visible_child (self->run_stack, self->pause_button);
  else
    gtk_stack_set_visible_child (self->run_stack, self->continue_button);
  gtk_label_set_label (self->state_label, self->crawl ? trawl_crawl_get_state_label (self->crawl) : "");
}

/**
 * trawl_window_show_message:
 * @self: a window
 * @message: (nullable): a sentence, or %NULL to hide the message
 *
 * Shows an error above the views until it is dismissed or replaced.
 */
void
trawl_window_show_message (TrawlWindow *self,
                           const char  *message)
{
  g_return_if_fail (TRAWL_IS_WINDOW (self));

  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_revealer_set_reveal_child (self->message_revealer, message != NULL);
}

/**
 * trawl_window_get_message:
 * @self: a window
 *
 * Returns: (nullable): the error shown, if any.
 */
const char *
trawl_window_get_message (TrawlWindow *self)
{
  g_return_val_if_fail (TRAWL_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->message_revealer))
    return NULL;
  return gtk_label_get_label (self->message_label);
}

static void
toast (TrawlWindow *self,
       const char  *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
on_crawl_state (TrawlCrawl  *crawl,
                GParamSpec  *pspec,
                TrawlWindow *self)
{
  update_actions (self);
}

/* A crawl that ended on its own, finished or failed, while the person
 * looked elsewhere is told of on the desktop; one stopped by hand is not.
 * The notification's id is the crawl file, so that a crawl continued and
 * ended again replaces its own. */
static void
notify_crawl_end (TrawlWindow *self,
                  TrawlCrawl  *crawl)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  TrawlEngineState state = trawl_crawl_get_state (crawl);
  const GError *error = trawl_crawl_get_error (crawl);
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *name = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *body = NULL;

  /* Without a session bus a notification has nowhere to go. */
  if (app == NULL || !g_application_get_is_registered (app) || g_application_get_dbus_connection (app) == NULL ||
      (gtk_window_is_active (GTK_WINDOW (self)) && !self->background) ||
      !g_settings_get_boolean (self->settings, "notifications") ||
      (state != TRAWL_ENGINE_FINISHED && state != TRAWL_ENGINE_FAILED && error == NULL))
    return;

  name = g_path_get_basename (trawl_crawl_get_path (crawl));
  if (error != NULL || state == TRAWL_ENGINE_FAILED)
    {
      notification = g_notification_new (_("Crawl Failed"));
      body = g_strdup_printf ("%s: %s", name, error != NULL ? error->message : _("the crawl file could not be written"));
    }
  else
    {
      guint64 fetched = trawl_crawl_get_stats (crawl)->fetched;

      notification = g_notification_new (_("Crawl Finished"));
      pages = trawl_format_count (fetched);
      body = g_strdup_printf (ngettext ("%s: %s page fetched", "%s: %s pages fetched", (gulong) MIN (fetched, G_MAXLONG)),
                              name, pages);
    }
  g_notification_set_body (notification, body);
  g_application_send_notification (app, trawl_crawl_get_path (crawl), notification);
}

static void
on_crawl_finished (TrawlCrawl  *crawl,
                   TrawlWindow *self)
{
  const GError *error = trawl_crawl_get_error (crawl);

  notify_crawl_end (self, crawl);
  if (error != NULL)
    trawl_window_show_message (self, error->message);

  if (self->background)
    {
      /* Nobody is watching: the crawl is saved, the window can go. */
      self->background = FALSE;
      g_application_release (g_application_get_default ());
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static void
set_crawl (TrawlWindow *self,
           TrawlCrawl  *crawl)
{
  if (self->crawl != NULL)
    g_signal_handlers_disconnect_by_data (self->crawl, self);
  /* A continue still waiting for the keyring was for the other crawl. */
  g_cancellable_cancel (self->keyring_cancel);
  g_clear_object (&self->keyring_cancel);
  g_set_object (&self->crawl, crawl);
  if (crawl != NULL)
    {
      g_signal_connect_object (crawl, "notify::state", G_CALLBACK (on_crawl_state), self, 0);
      /* The state label says when a full disk paused it. */
      g_signal_connect_object (crawl, "notify::problem", G_CALLBACK (on_crawl_state), self, 0);
      g_signal_connect_object (crawl, "finished", G_CALLBACK (on_crawl_finished), self, 0);
    }

  trawl_monitor_view_set_crawl (self->monitor_view, crawl);
  trawl_results_view_set_crawl (self->results_view, crawl);
  trawl_issues_view_set_crawl (self->issues_view, crawl);
  trawl_items_view_set_crawl (self->items_view, crawl);
  if (crawl != NULL)
    {
      g_autofree char *name = g_path_get_basename (trawl_crawl_get_path (crawl));

      gtk_window_set_title (GTK_WINDOW (self), name);
      trawl_setup_view_set_job (self->setup_view, trawl_crawl_get_job (crawl));
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _("Trawl"));
  update_actions (self);
}

/**
 * trawl_window_get_crawl_folder:
 *
 * Returns: (transfer full): the folder new crawls are saved in.
 */
char *
trawl_window_get_crawl_folder (void)
{
  g_autoptr (GSettings) settings = trawl_settings_new ();

  return trawl_settings_dup_crawl_folder (settings);
}

static char *
new_crawl_path (const TrawlJob *job)
{
  g_autofree char *dir = trawl_window_get_crawl_folder ();
  g_autofree char *canonical = trawl_url_canonicalize (job->start_urls[0], NULL);
  g_autofree char *host = canonical ? trawl_url_get_host (canonical) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_mkdir_with_parents (dir, 0700);
  name = g_strdup_printf ("%s-%s.trawl", host ? host : "crawl", stamp);
  path = g_build_filename (dir, name, NULL);
  /* Two crawls of one site started within a second. */
  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS); i++)
    {
      g_free (name);
      g_free (path);
      name = g_strdup_printf ("%s-%s-%u.trawl", host ? host : "crawl", stamp, i);
      path = g_build_filename (dir, name, NULL);
    }
  return g_steal_pointer (&path);
}

/* Whether starting @job needs the keyring: to keep a secret typed in
 * plain text, or to read one it refers to. */
static gboolean
needs_keyring (const TrawlJob *job)
{
  g_autoptr (GArray) missing = trawl_job_list_secret_refs (job, TRUE);

  return trawl_job_has_plain_secrets (job) || missing->len > 0;
}

/* Ends a wait for the keyring; FALSE when it was cancelled, or failed and
 * the window says why. */
static gboolean
keyring_done (TrawlWindow  *self,
              GError       *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  g_clear_object (&self->keyring_cancel);
  if (error != NULL)
    trawl_window_show_message (self, error->message);
  return error == NULL;
}

/* Shows the Monitor of a crawl that was just started or continued.  The
 * address entry or button that started it is hidden with the Setup page,
 * and GTK would hand the keyboard focus to the Monitor's Pause button: the
 * Return that started the crawl, repeating while it is held, or pressed
 * once more, would pause it again. */
static void
show_monitor (TrawlWindow *self)
{
  adw_view_stack_set_visible_child_name (self->stack, "monitor");
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
start_job (TrawlWindow    *self,
           const TrawlJob *job)
{
  g_autoptr (TrawlCrawl) crawl = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  path = new_crawl_path (job);
  crawl = trawl_crawl_new (job, path, &error);
  if (crawl == NULL || !trawl_crawl_start (crawl, &error))
    {
      trawl_window_show_message (self, error->message);
      return;
    }

  trawl_window_show_message (self, NULL);
  set_crawl (self, crawl);
  show_monitor (self);
}

static void
on_job_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr (TrawlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = trawl_secrets_lookup_finish (result, &error);

  if (keyring_done (self, error))
    start_job (self, job);
}

static void
on_job_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr (TrawlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = trawl_setup_view_store_job_finish (TRAWL_SETUP_VIEW (source), result, &error);

  if (job == NULL)
    {
      keyring_done (self, error);
      return;
    }
  /* What the form still refers to without knowing it, say an item that
   * could not be read when the job was opened. */
  trawl_secrets_lookup_async (job, self->keyring_cancel, on_job_looked_up, g_object_ref (self));
}

/* A job without secrets starts at once; the keyring is asked only when
 * there is something to keep in it or to read from it. */
static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (GError) error = NULL;

  if (self->keyring_cancel != NULL)
    return;  /* Already on its way. */
  job = trawl_setup_view_dup_job (self->setup_view, &error);
  if (job == NULL)
    {
      trawl_window_show_message (self, error->message);
      return;
    }
  if (!needs_keyring (job))
    {
      start_job (self, job);
      return;
    }
  self->keyring_cancel = g_cancellable_new ();
  trawl_setup_view_store_job_async (self->setup_view, self->keyring_cancel, on_job_stored, g_object_ref (self));
}

/**
 * trawl_window_crawl_url:
 * @self: a window
 * @url: a web address
 *
 * Starts a crawl of @url with the settings of the Setup view, as if it
 * had been typed there and Start pressed.
 */
void
trawl_window_crawl_url (TrawlWindow *self,
                        const char  *url)
{
  g_return_if_fail (TRAWL_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  trawl_setup_view_set_start_url (self->setup_view, url);
  if (trawl_setup_view_get_problem (self->setup_view) != NULL)
    {
      /* Start is disabled; say why rather than doing nothing. */
      trawl_window_show_message (self, trawl_setup_view_get_problem (self->setup_view));
      adw_view_stack_set_visible_child_name (self->stack, "setup");
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.start", NULL);
}

/**
 * trawl_window_load_job:
 * @self: a window
 * @path: a .trawljob file
 *
 * Fills the Setup view with the settings in @path and shows it; a file
 * that cannot be read is reported in the window.
 *
 * Returns: whether the job was loaded
 */
gboolean
trawl_window_load_job (TrawlWindow *self,
                       const char  *path)
{
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (TRAWL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = trawl_job_load_file (path, &error);
  if (job == NULL)
    {
      trawl_window_show_message (self, error->message);
      return FALSE;
    }
  trawl_setup_view_set_job (self->setup_view, job);
  adw_view_stack_set_visible_child_name (self->stack, "setup");
  return TRUE;
}

static void
continue_crawl (TrawlWindow *self)
{
  g_autoptr (GError) error = NULL;

  if (!trawl_crawl_start (self->crawl, &error))
    {
      trawl_window_show_message (self, error->message);
      return;
    }
  trawl_window_show_message (self, NULL);
  show_monitor (self);
}

static void
on_crawl_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (TrawlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) found = trawl_secrets_lookup_finish (result, &error);

  if (!keyring_done (self, error))
    return;
  trawl_crawl_add_secrets (self->crawl, found);
  continue_crawl (self);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  const TrawlJob *job;

  if (self->crawl == NULL || !trawl_crawl_can_continue (self->crawl) || self->keyring_cancel != NULL)
    return;

  job = trawl_crawl_get_job (self->crawl);
  if (!needs_keyring (job))
    {
      continue_crawl (self);
      return;
    }
  self->keyring_cancel = g_cancellable_new ();
  trawl_secrets_lookup_async (job, self->keyring_cancel, on_crawl_looked_up, g_object_ref (self));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  if (self->crawl != NULL)
    trawl_crawl_pause (self->crawl);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  if (self->crawl != NULL)
    trawl_crawl_unpause (self->crawl);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  if (self->crawl != NULL)
    trawl_crawl_stop (self->crawl);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  if (self->crawl != NULL && trawl_crawl_is_active (self->crawl))
    {
      /* The running crawl keeps this window. */
      TrawlWindow *window = trawl_window_new (gtk_window_get_application (GTK_WINDOW (self)));

      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  set_crawl (self, NULL);
  trawl_window_show_message (self, NULL);
  adw_view_stack_set_visible_child_name (self->stack, "setup");
}

/**
 * trawl_window_open_file:
 * @self: a window
 * @path: a crawl file
 *
 * Shows the crawl in @path, finished or interrupted; an unreadable or
 * damaged file is reported in the window and changes nothing.
 *
 * Returns: whether the file was opened
 */
gboolean
trawl_window_open_file (TrawlWindow *self,
                        const char  *path)
{
  g_autoptr (TrawlCrawl) crawl = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (TRAWL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->crawl != NULL && trawl_crawl_is_active (self->crawl))
    {
      trawl_window_show_message (self, _("Stop the running crawl before opening another one here."));
      return FALSE;
    }

  crawl = trawl_crawl_open (path, &error);
  if (crawl == NULL)
    {
      trawl_window_show_message (self, error->message);
      return FALSE;
    }

  trawl_window_show_message (self, NULL);
  set_crawl (self, crawl);
  adw_view_stack_set_visible_child_name (self->stack, "results");
  return TRUE;
}

static void
open_file_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  trawl_window_open_file (TRAWL_WINDOW (widget), g_variant_get_string (param, NULL));
}

static GtkFileFilter *
crawl_file_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Crawl files"));
  gtk_file_filter_add_pattern (filter, "*.trawl");
  gtk_file_filter_add_mime_type (filter, "application/x-trawl");
  return filter;
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  TrawlWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        trawl_window_open_file (self, path);
    }
  g_object_unref (dialog);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *folder_path = trawl_window_get_crawl_folder ();
  g_autoptr (GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr (GtkFileFilter) filter = crawl_file_filter ();

  dialog = gtk_file_chooser_native_new (_("Open a Crawl"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Save As copies the crawl with VACUUM INTO, which reads one consistent
 * snapshot even while the crawl writes, in a worker thread. */
static void
save_copy_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  char **paths = task_data;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *tmp = g_strconcat (paths[1], ".part", NULL);
  int rc;

  trawl_thread_lower_priority ();
  g_unlink (tmp);
  rc = trawl_store_open_db (paths[0], &db, SQLITE_OPEN_READONLY);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, tmp, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
    }

  if (rc != SQLITE_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Could not save the crawl as “%s”: %s"), paths[1], sqlite3_errmsg (db));
      g_unlink (tmp);
    }
  else if (g_rename (tmp, paths[1]) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Could not save the crawl as “%s”: %s"), paths[1], g_strerror (saved));
      g_unlink (tmp);
    }
  else
    g_task_return_boolean (task, TRUE);

  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TrawlWindow *self = TRAWL_WINDOW (source);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    trawl_window_show_message (self, error->message);
  else
    toast (self, _("Crawl saved"));
}

/**
 * trawl_window_save_as:
 * @self: a window with a crawl
 * @path: where to write a copy of the crawl file
 *
 * Writes a consistent copy of the crawl, even while it runs, without
 * blocking the window; errors are shown in the window.
 */
void
trawl_window_save_as (TrawlWindow *self,
                      const char  *path)
{
  g_autoptr (GTask) task = NULL;
  char **paths;

  g_return_if_fail (TRAWL_IS_WINDOW (self));
  g_return_if_fail (self->crawl != NULL);

  paths = g_new0 (char *, 3);
  paths[0] = g_strdup (trawl_crawl_get_path (self->crawl));
  paths[1] = g_strdup (path);
  task = g_task_new (self, NULL, on_saved, NULL);
  g_task_set_source_tag (task, trawl_window_save_as);
  g_task_set_task_data (task, paths, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, save_copy_thread);
}

static void
on_save_response (GtkNativeDialog *dialog,
                  int              response,
                  TrawlWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->crawl != NULL)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        trawl_window_save_as (self, path);
    }
  g_object_unref (dialog);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (self->crawl == NULL)
    return;

  name = g_path_get_basename (trawl_crawl_get_path (self->crawl));
  dialog = gtk_file_chooser_native_new (_("Save the Crawl As"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  if (self->crawl != NULL)
    gtk_window_present (GTK_WINDOW (trawl_export_dialog_new (GTK_WINDOW (self), self->crawl,
                                                             trawl_results_view_get_model (self->results_view))));
}

static void
on_rules_rerun (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr (TrawlWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  TrawlRerunResult counts;

  if (!trawl_items_view_rerun_rules_finish (TRAWL_ITEMS_VIEW (source), result, &counts, &error))
    {
      if (g_error_matches (error, TRAWL_RERUN_ERROR, TRAWL_RERUN_ERROR_NO_BODIES))
        trawl_window_show_message (self, _("This crawl did not store its pages, so its rules cannot be re-run. "
                                           "Turn on Store Response Bodies in Setup, under All Settings, and crawl "
                                           "again."));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _("Stopped; the crawl keeps the items it had"));
      else
        trawl_window_show_message (self, error->message);
    }
  else
    {
      g_autofree char *items = trawl_format_count (counts.items);
      g_autofree char *pages = trawl_format_count (counts.pages);
      g_autofree char *items_text = g_strdup_printf (ngettext ("%s item", "%s items", (gulong) MIN (counts.items, G_MAXLONG)),
                                                     items);
      g_autofree char *pages_text = g_strdup_printf (ngettext ("%s page", "%s pages", (gulong) MIN (counts.pages, G_MAXLONG)),
                                                     pages);
      /* Translators: "The rules found 12 items in 3 pages". */
      g_autofree char *text = g_strdup_printf (_("The rules found %s in %s"), items_text, pages_text);

      trawl_window_show_message (self, NULL);
      toast (self, text);
    }
  update_actions (self);
}

/* The rules as they are in Setup, run over the pages the crawl stored. */
static void
rerun_rules_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  g_autoptr (TrawlJob) job = NULL;
  g_autoptr (GError) error = NULL;

  if (self->crawl == NULL || trawl_crawl_is_active (self->crawl) || trawl_items_view_is_rerunning (self->items_view))
    return;
  job = trawl_setup_view_dup_job (self->setup_view, &error);
  if (job == NULL)
    {
      trawl_window_show_message (self, error->message);
      return;
    }
  trawl_window_show_message (self, NULL);
  adw_view_stack_set_visible_child_name (self->stack, "items");
  trawl_items_view_rerun_rules_async (self->items_view, (const char *const *) job->extract, NULL, on_rules_rerun,
                                      g_object_ref (self));
  update_actions (self);
}

/* The tester opens on the page selected in Results (else the first
 * start URL) with the first rule in Setup. */
static void
test_rule_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);
  g_autoptr (TrawlJob) edited = NULL;
  g_autofree char *url = NULL;
  const TrawlJob *job;
  TrawlRuleTester *tester;

  if (self->crawl == NULL)
    return;
  edited = trawl_setup_view_dup_job (self->setup_view, NULL);
  job = edited != NULL ? edited : trawl_crawl_get_job (self->crawl);
  tester = trawl_rule_tester_new (GTK_WINDOW (self), trawl_crawl_get_path (self->crawl), job);
  url = trawl_results_view_dup_selected_url (self->results_view);
  if (url == NULL && job->start_urls != NULL && job->start_urls[0] != NULL)
    url = g_strdup (job->start_urls[0]);
  if (job->extract != NULL && job->extract[0] != NULL)
    trawl_rule_tester_set_rule (tester, job->extract[0]);
  gtk_window_present (GTK_WINDOW (tester));
  if (url != NULL)
    trawl_rule_tester_open_url (tester, url);
}

static void
view_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, g_variant_get_string (param, NULL));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "results");
  trawl_results_view_focus_search (self->results_view);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TrawlWindow *self = TRAWL_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, "results");
  trawl_results_view_select_page (self->results_view, g_variant_get_int64 (param));
}

static void
dismiss_message_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  trawl_window_show_message (TRAWL_WINDOW (widget), NULL);
}

static gboolean
destroy_window (gpointer data)
{
  gtk_window_destroy (data);
  return G_SOURCE_REMOVE;
}

static void
on_close_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TrawlWindow      *self)
{
  if (g_str_equal (response, "stop"))
    {
      trawl_crawl_stop (self->crawl);
      /* Not while the dialog, which the window owns, is still answering. */
      g_idle_add_full (G_PRIORITY_DEFAULT, destroy_window, g_object_ref (self), g_object_unref);
    }
  else if (g_str_equal (response, "background"))
    {
      /* The application lives on until the crawl ends. */
      self->background = TRUE;
      g_application_hold (g_application_get_default ());
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
    }
}

/* Shown again (the application was activated while the window crawled
 * on hidden): someone is watching once more, so the window stays when the
 * crawl ends, and the application no longer waits for it. */
static void
on_visible_changed (TrawlWindow *self)
{
  if (self->background && gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      self->background = FALSE;
      g_application_release (g_application_get_default ());
    }
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  gtk_window_present (GTK_WINDOW (trawl_preferences_window_new (GTK_WINDOW (widget))));
}

/* The size the window was given by the person, saved when it closes, as
 * GNOME applications do; a maximized window keeps the size it had before. */
static void
save_window_state (TrawlWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
trawl_window_close_request (GtkWindow *window)
{
  TrawlWindow *self = TRAWL_WINDOW (window);
  AdwMessageDialog *dialog;

  save_window_state (self);

  if (self->crawl == NULL || !trawl_crawl_is_active (self->crawl) || self->background)
    return GTK_WINDOW_CLASS (trawl_window_parent_class)->close_request (window);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Stop Crawling?"),
                                                       _("The crawl is still running. Stop it now, or let it "
                                                         "finish in the background; what it found so far is saved "
                                                         "either way.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "background", _("_Keep Crawling"),
                                    "stop", _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "background");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
trawl_window_dispose (GObject *object)
{
  TrawlWindow *self = TRAWL_WINDOW (object);

  if (self->crawl != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->crawl, self);
      trawl_crawl_stop (self->crawl);
    }
  g_clear_object (&self->crawl);
  g_cancellable_cancel (self->keyring_cancel);
  g_clear_object (&self->keyring_cancel);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_WINDOW);

  G_OBJECT_CLASS (trawl_window_parent_class)->dispose (object);
}

static void
trawl_window_class_init (TrawlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  static const char *views[] = { "setup", "monitor", "results", "items", "issues" };

  object_class->dispose = trawl_window_dispose;
  window_class->close_request = trawl_window_close_request;

  g_type_ensure (TRAWL_TYPE_SETUP_VIEW);
  g_type_ensure (TRAWL_TYPE_MONITOR_VIEW);
  g_type_ensure (TRAWL_TYPE_RESULTS_VIEW);
  g_type_ensure (TRAWL_TYPE_ISSUES_VIEW);
  g_type_ensure (TRAWL_TYPE_ITEMS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, run_stack);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, setup_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, monitor_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, results_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, issues_view);
  gtk_widget_class_bind_template_child (widget_class, TrawlWindow, items_view);

  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "win.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-file", "s", open_file_action);
  gtk_widget_class_install_action (widget_class, "win.save-as", NULL, save_as_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.rerun-rules", NULL, rerun_rules_action);
  gtk_widget_class_install_action (widget_class, "win.test-rule", NULL, test_rule_action);
  gtk_widget_class_install_action (widget_class, "win.view", "s", view_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "x", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-message", NULL, dismiss_message_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "win.pause", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.resume", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "win.test-rule", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK, "win.view", "s", views[i]);
}

static void
on_setup_problem (TrawlSetupView *view,
                  GParamSpec     *pspec,
                  TrawlWindow    *self)
{
  update_actions (self);
}

static void
trawl_window_init (TrawlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The size the last window closed with. */
  self->settings = trawl_settings_new ();
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect (self, "notify::visible", G_CALLBACK (on_visible_changed), NULL);
  g_signal_connect_object (self->setup_view, "notify::problem", G_CALLBACK (on_setup_problem), self, 0);
  update_actions (self);
}

TrawlWindow *
trawl_window_new (GtkApplication *application)
{
  return g_object_new (TRAWL_TYPE_WINDOW, "application", application, NULL);
}

/**
 * trawl_window_get_crawl:
 * @self: a window
 *
 * Returns: (transfer none) (nullable): the crawl shown.
 */
TrawlCrawl *
trawl_window_get_crawl (TrawlWindow *self)
{
  g_return_val_if_fail (TRAWL_IS_WINDOW (self), NULL);
  return self->crawl;
}

/**
 * trawl_window_get_crawl_path:
 * @self: a window
 *
 * Returns: (nullable): the file of the crawl shown.
 */
const char *
trawl_window_get_crawl_path (TrawlWindow *self)
{
  g_return_val_if_fail (TRAWL_IS_WINDOW (self), NULL);
  return self->crawl ? trawl_crawl_get_path (self->crawl) : NULL;
}

gboolean
trawl_window_is_crawling (TrawlWindow *self)
{
  g_return_val_if_fail (TRAWL_IS_WINDOW (self), FALSE);
  return self->crawl != NULL && trawl_crawl_is_active (self->crawl);
}
