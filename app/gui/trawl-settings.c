/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-settings.c — what the GSettings schema holds, read for the window.
 *
 * The defaults for new crawls (the schema's job-defaults child) are kept
 * as GSettings values but checked and turned into a job the way a job
 * file is: each key is written as its job-file key and read back with
 * trawl_job_load_data () and trawl_job_validate (), so the limits and
 * messages are those of trawl-job.c's option table, as in the job editor.
 */
#define G_LOG_DOMAIN "trawl-settings"

#include "config.h"

#include "trawl-settings.h"

#include <string.h>

typedef struct {
  const char *key;      /* in the job-defaults schema */
  const char *group;    /* in a job file */
  const char *job_key;
} DefaultKey;

static const DefaultKey default_keys[] = {
  { "concurrency", "speed", "concurrency" },
  { "per-host", "speed", "per_host" },
  { "delay", "speed", "delay" },
  { "timeout", "requests", "timeout" },
  { "max-depth", "scope", "max_depth" },
  { "max-pages", "scope", "max_pages" },
  { "robots", "robots", "robots" },
  { "user-agent", "requests", "user_agent" },
};

static const DefaultKey *
find_default_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (default_keys); i++)
    if (strcmp (default_keys[i].key, key) == 0)
      return &default_keys[i];
  return NULL;
}

/**
 * trawl_settings_new:
 *
 * Returns: (transfer full): Trawl's settings.
 */
GSettings *
trawl_settings_new (void)
{
  return g_settings_new (APPLICATION_ID);
}

/**
 * trawl_settings_dup_default_crawl_folder:
 *
 * Returns: (transfer full): the folder crawls are saved in when the
 *   crawl-folder setting is empty.
 */
char *
trawl_settings_dup_default_crawl_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "trawl", "crawls", NULL);
}

/**
 * trawl_settings_dup_crawl_folder:
 * @settings: Trawl's settings
 *
 * Returns: (transfer full): the folder new crawls are saved in.
 */
char *
trawl_settings_dup_crawl_folder (GSettings *settings)
{
  g_autofree char *folder = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  folder = g_settings_get_string (settings, "crawl-folder");
  if (folder[0] == '\0')
    return trawl_settings_dup_default_crawl_folder ();
  return g_steal_pointer (&folder);
}

/**
 * trawl_settings_dup_crawl_folder_label:
 * @settings: Trawl's settings
 *
 * Returns: (transfer full): the folder new crawls are saved in, as a
 *   person reads it: "~/.local/share/trawl/crawls" for one in the home
 *   folder.
 */
char *
trawl_settings_dup_crawl_folder_label (GSettings *settings)
{
  g_autofree char *folder = trawl_settings_dup_crawl_folder (settings);
  const char *home = g_get_home_dir ();
  gsize n = strlen (home);

  if (n > 1 && strncmp (folder, home, n) == 0 && (folder[n] == '/' || folder[n] == '\0'))
    return g_strconcat ("~", folder + n, NULL);
  return g_steal_pointer (&folder);
}

/**
 * trawl_settings_dup_default_text:
 * @settings: Trawl's settings
 * @key: a key of the job-defaults schema, such as "per-host"
 *
 * Returns: (transfer full): the key's value as a job file writes it
 *   ("16", "obey"); the empty user agent stands for Trawl's own.
 */
char *
trawl_settings_dup_default_text (GSettings  *settings,
                                 const char *key)
{
  g_autoptr (GSettings) defaults = NULL;
  g_autoptr (GVariant) value = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (find_default_key (key) != NULL, NULL);

  defaults = g_settings_get_child (settings, "job-defaults");
  value = g_settings_get_value (defaults, key);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", g_variant_get_double (value)));
    }
  return g_variant_print (value, FALSE);
}

/* Writes one default into @kf as its job-file key, or nothing for the
 * empty user agent, which leaves the job's own; an empty number is
 * written, for trawl-job.c to refuse. */
static void
add_default (GKeyFile         *kf,
             const DefaultKey *dk,
             const char       *text)
{
  if (text[0] != '\0' || strcmp (dk->key, "user-agent") != 0)
    g_key_file_set_string (kf, dk->group, dk->job_key, text);
}

/* Whether @text is a value trawl-cli would take for the default @dk; a
 * value that does not fit is a TRAWL_JOB_ERROR_VALUE, as the job editor's
 * rows have them. */
static gboolean
check_default (const DefaultKey  *dk,
               const char        *text,
               GError           **error)
{
  const char *const stand_in[] = { "https://example.org/", NULL };
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (TrawlJob) job = NULL;
  g_autofree char *data = NULL;

  if ((text[0] != '\0' || strcmp (dk->key, "user-agent") != 0) &&
      !trawl_job_check_value (dk->group, dk->job_key, text, error))
    return FALSE;

  /* A start URL, so that validation looks at this setting alone. */
  g_key_file_set_string_list (kf, "crawl", "start_urls", stand_in, 1);
  add_default (kf, dk, text);
  data = g_key_file_to_data (kf, NULL, NULL);
  job = trawl_job_load_data (data, error);
  return job != NULL && trawl_job_validate (job, error);
}

/**
 * trawl_settings_dup_default_job:
 * @settings: Trawl's settings
 *
 * A default that trawl-cli would refuse (written by hand with
 * gsettings, say) is left out, and the job keeps its built-in value.
 *
 * Returns: (transfer full): a job without start URLs, with the defaults
 *   new crawls start from.
 */
TrawlJob *
trawl_settings_dup_default_job (GSettings *settings)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *data = NULL;
  TrawlJob *job;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (default_keys); i++)
    {
      g_autofree char *text = trawl_settings_dup_default_text (settings, default_keys[i].key);
      g_autoptr (GError) error = NULL;

      if (check_default (&default_keys[i], text, &error))
        add_default (kf, &default_keys[i], text);
      else
        g_debug ("Ignoring the default %s: %s", default_keys[i].key, error->message);
    }

  data = g_key_file_to_data (kf, NULL, NULL);
  job = trawl_job_load_data (data, NULL);
  g_assert (job != NULL);
  return job;
}

/**
 * trawl_settings_set_default_text:
 * @settings: Trawl's settings
 * @key: a key of the job-defaults schema
 * @text: its new value as a job file writes it, or "" for the user agent
 *   to be Trawl's own
 * @error: what is wrong with @text, as a sentence
 *
 * Keeps @text as the default for new crawls when trawl-cli would accept
 * it; otherwise changes nothing.
 *
 * Returns: whether @text was kept
 */
gboolean
trawl_settings_set_default_text (GSettings   *settings,
                                 const char  *key,
                                 const char  *text,
                                 GError     **error)
{
  const DefaultKey *dk = find_default_key (key);
  g_autoptr (GSettings) defaults = NULL;
  g_autofree char *stripped = NULL;
  const GVariantType *type;
  g_autoptr (GVariant) current = NULL;
  GVariant *value;

  g_return_val_if_fail (G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (dk != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));
  if (!check_default (dk, stripped, error))
    return FALSE;

  /* Checked: the text parses as the key's type. */
  defaults = g_settings_get_child (settings, "job-defaults");
  current = g_settings_get_value (defaults, key);
  type = g_variant_get_type (current);
  if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32))
    value = g_variant_new_int32 ((gint32) g_ascii_strtoll (stripped, NULL, 10));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_DOUBLE))
    value = g_variant_new_double (g_ascii_strtod (stripped, NULL));
  else if (g_variant_type_equal (type, G_VARIANT_TYPE_STRING))
    value = g_variant_new_string (stripped);
  else
    g_assert_not_reached ();

  return g_settings_set_value (defaults, key, value);
}

static void
apply_appearance (GSettings  *settings,
                  const char *key,
                  gpointer    user_data)
{
  static const AdwColorScheme schemes[] = {
    ADW_COLOR_SCHEME_DEFAULT,
    ADW_COLOR_SCHEME_FORCE_LIGHT,
    ADW_COLOR_SCHEME_FORCE_DARK,
  };
  guint appearance = (guint) g_settings_get_enum (settings, "appearance");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      schemes[MIN (appearance, G_N_ELEMENTS (schemes) - 1)]);
}

/**
 * trawl_settings_follow_appearance:
 * @settings: Trawl's settings, which must outlive the application's windows
 *
 * Applies the appearance setting to the application's style, now and
 * whenever it changes.
 */
void
trawl_settings_follow_appearance (GSettings *settings)
{
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_signal_connect (settings, "changed::appearance", G_CALLBACK (apply_appearance), NULL);
  apply_appearance (settings, "appearance", NULL);
}
