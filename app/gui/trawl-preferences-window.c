/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-preferences-window.c — the settings that outlast a crawl.
 *
 * Every row changes its GSettings key at once, as GNOME's preferences
 * do.  The defaults for new crawls go through trawl-settings.c, which
 * checks them with trawl-job.c's own parsers and limits: a value trawl-cli
 * would refuse is marked and named, and the setting keeps its last good
 * value.
 */
#define G_LOG_DOMAIN "trawl-preferences-window"

#include "config.h"

#include "trawl-preferences-window.h"

#include <glib/gi18n.h>

#include "trawl-settings.h"

/* The defaults typed in entry rows; the template's ids are these keys
 * with "_" for "-". */
static const char *const default_keys[] = {
  "concurrency", "per-host", "delay", "timeout", "max-depth", "max-pages", "user-agent",
};
static const char *const robots_names[] = { "obey", "ignore", "report", NULL };
static const char *const appearance_names[] = { "follow", "light", "dark", NULL };

#define N_DEFAULTS G_N_ELEMENTS (default_keys)

struct _TrawlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwActionRow         *folder_row;
  GtkWidget            *folder_reset_button;
  GtkSwitch            *notifications_switch;
  GtkWidget            *entries[N_DEFAULTS];
  AdwComboRow          *robots;
  GtkLabel             *defaults_problem;
  AdwComboRow          *appearance_row;

  GSettings            *settings;            /* owned */
  GSettings            *defaults;            /* owned: the job-defaults child */
  GError               *errors[N_DEFAULTS];  /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (TrawlPreferencesWindow, trawl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
update_folder (TrawlPreferencesWindow *self)
{
  g_autofree char *folder = trawl_settings_dup_crawl_folder_label (self->settings);
  g_autofree char *custom = g_settings_get_string (self->settings, "crawl-folder");

  adw_action_row_set_subtitle (self->folder_row, folder);
  gtk_widget_set_visible (self->folder_reset_button, custom[0] != '\0');
}

static void
on_folder_changed (GSettings              *settings,
                   const char             *key,
                   TrawlPreferencesWindow *self)
{
  update_folder (self);
}

static void
on_folder_response (GtkNativeDialog        *dialog,
                    int                     response,
                    TrawlPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "crawl-folder", path);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  TrawlPreferencesWindow *self = TRAWL_PREFERENCES_WINDOW (widget);
  g_autofree char *current = trawl_settings_dup_crawl_folder (self->settings);
  g_autoptr (GFile) folder = g_file_new_for_path (current);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Choose the Crawl Folder"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  if (g_file_query_exists (folder, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  g_signal_connect (dialog, "response", G_CALLBACK (on_folder_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
reset_folder_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TrawlPreferencesWindow *self = TRAWL_PREFERENCES_WINDOW (widget);

  g_settings_reset (self->settings, "crawl-folder");
}

/* The first default that is wrong, named by its row, under the rows. */
static void
update_problem (TrawlPreferencesWindow *self)
{
  for (guint i = 0; i < N_DEFAULTS; i++)
    if (self->errors[i] != NULL)
      {
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->entries[i]));
        g_autofree char *text = NULL;

        if (g_error_matches (self->errors[i], TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE))
          /* Translators: a setting's title, then what is wrong with its value. */
          text = g_strdup_printf (_("%s: %s"), title, self->errors[i]->message);
        else
          text = g_strdup (self->errors[i]->message);

        gtk_label_set_label (self->defaults_problem, text);
        gtk_widget_set_visible (GTK_WIDGET (self->defaults_problem), TRUE);
        return;
      }
  gtk_label_set_label (self->defaults_problem, "");
  gtk_widget_set_visible (GTK_WIDGET (self->defaults_problem), FALSE);
}

static void
on_default_changed (GtkEditable            *editable,
                    TrawlPreferencesWindow *self)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), "trawl-default")) - 1;
  g_autoptr (GError) error = NULL;

  g_assert (i < N_DEFAULTS);
  g_clear_error (&self->errors[i]);
  if (!trawl_settings_set_default_text (self->settings, default_keys[i], gtk_editable_get_text (editable), &error))
    self->errors[i] = g_steal_pointer (&error);

  if (self->errors[i] != NULL)
    gtk_widget_add_css_class (self->entries[i], "error");
  else
    gtk_widget_remove_css_class (self->entries[i], "error");
  update_problem (self);
}

/* An enum key as the position of its name in @user_data, for a combo row. */
static gboolean
enum_to_selected (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  const char *const *names = user_data;
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; names[i]; i++)
    if (g_str_equal (names[i], name))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
selected_to_enum (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  const char *const *names = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) names))
    return NULL;
  return g_variant_new_string (names[selected]);
}

static void
trawl_preferences_window_dispose (GObject *object)
{
  TrawlPreferencesWindow *self = TRAWL_PREFERENCES_WINDOW (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->defaults);

  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (trawl_preferences_window_parent_class)->dispose (object);
}

static void
trawl_preferences_window_finalize (GObject *object)
{
  TrawlPreferencesWindow *self = TRAWL_PREFERENCES_WINDOW (object);

  for (guint i = 0; i < N_DEFAULTS; i++)
    g_clear_error (&self->errors[i]);

  G_OBJECT_CLASS (trawl_preferences_window_parent_class)->finalize (object);
}

static void
trawl_preferences_window_class_init (TrawlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_preferences_window_dispose;
  object_class->finalize = trawl_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, TrawlPreferencesWindow, folder_reset_button);
  gtk_widget_class_bind_template_child (widget_class, TrawlPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, TrawlPreferencesWindow, robots);
  gtk_widget_class_bind_template_child (widget_class, TrawlPreferencesWindow, defaults_problem);
  gtk_widget_class_bind_template_child (widget_class, TrawlPreferencesWindow, appearance_row);
  for (guint i = 0; i < N_DEFAULTS; i++)
    {
      /* The ids live as long as the class: intern them. */
      g_autofree char *id = g_strdelimit (g_strdup (default_keys[i]), "-", '_');

      gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (id), FALSE,
                                                 G_STRUCT_OFFSET (TrawlPreferencesWindow, entries) +
                                                   i * sizeof (GtkWidget *));
    }

  gtk_widget_class_install_action (widget_class, "prefs.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "prefs.reset-folder", NULL, reset_folder_action);
}

static void
trawl_preferences_window_init (TrawlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = trawl_settings_new ();
  self->defaults = g_settings_get_child (self->settings, "job-defaults");

  update_folder (self);
  g_signal_connect (self->settings, "changed::crawl-folder", G_CALLBACK (on_folder_changed), self);
  g_settings_bind (self->settings, "notifications", self->notifications_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "appearance", self->appearance_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, enum_to_selected, selected_to_enum,
                                (gpointer) appearance_names, NULL);

  for (guint i = 0; i < N_DEFAULTS; i++)
    {
      g_autofree char *text = trawl_settings_dup_default_text (self->settings, default_keys[i]);

      gtk_editable_set_text (GTK_EDITABLE (self->entries[i]), text);
      g_object_set_data (G_OBJECT (self->entries[i]), "trawl-default", GUINT_TO_POINTER (i + 1));
      g_signal_connect (self->entries[i], "changed", G_CALLBACK (on_default_changed), self);
    }
  g_settings_bind_with_mapping (self->defaults, "robots", self->robots, "selected",
                                G_SETTINGS_BIND_DEFAULT, enum_to_selected, selected_to_enum,
                                (gpointer) robots_names, NULL);
}

/**
 * trawl_preferences_window_new:
 * @parent: (nullable): the window it is opened from
 *
 * Returns: (transfer none): a new preferences window, not yet shown.
 */
TrawlPreferencesWindow *
trawl_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (TRAWL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
}

/**
 * trawl_preferences_window_get_problem:
 * @self: the window
 *
 * Returns: (nullable): what is wrong with the defaults typed, as shown
 *   under them.
 */
const char *
trawl_preferences_window_get_problem (TrawlPreferencesWindow *self)
{
  g_return_val_if_fail (TRAWL_IS_PREFERENCES_WINDOW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->defaults_problem)))
    return NULL;
  return gtk_label_get_label (self->defaults_problem);
}
