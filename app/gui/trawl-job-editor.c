/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-job-editor.c — every crawl setting, edited and checked in place.
 *
 * The editor never converts or range-checks a value itself.  Each row
 * holds a setting in its job-file text form ("16", "auto", "32M"); to check
 * a row, the editor hands its value to trawl_job_check_value (), then
 * writes that one key into a job file text and reads it back with
 * trawl_job_load_data () and trawl_job_validate (), so the limits, parsers
 * and messages are those of trawl-job.c's option table and the window can
 * never accept a job that trawl-cli would refuse.
 *
 * The password and secret header rows show the values of the keyring
 * items a job refers to; trawl_job_editor_store_job_async() puts what was
 * typed back into the keyring under the same ids.
 */
#define G_LOG_DOMAIN "trawl-job-editor"

#include "config.h"

#include "trawl-job-editor.h"

#include "trawl-secrets.h"

#include <glib/gi18n.h>

#include <string.h>

typedef enum {
  KIND_LINES,   /* a GtkTextView, one list item a line */
  KIND_SWITCH,  /* a GtkSwitch in an AdwActionRow */
  KIND_ENTRY,   /* an AdwEntryRow or AdwPasswordEntryRow */
  KIND_COMBO,   /* an AdwComboRow whose items follow names */
} FieldKind;

typedef struct {
  const char        *group;
  const char        *key;
  FieldKind          kind;
  const char *const *names;  /* KIND_COMBO: job-file values in item order */
} Field;

static const char *const scope_names[] = { "host", "site", "any", NULL };
static const char *const order_names[] = { "breadth", "depth", NULL };
static const char *const delay_mode_names[] = { "random", "fixed", "auto", NULL };
static const char *const robots_names[] = { "obey", "ignore", "report", NULL };

/* In the order of the rows, so that the first problem named is the one
 * highest on the page.  The ids in the template are the keys. */
static const Field fields[] = {
  { "crawl", "start_urls", KIND_LINES },
  { "crawl", "list_mode", KIND_SWITCH },
  { "crawl", "sitemaps", KIND_SWITCH },
  { "scope", "scope", KIND_COMBO, scope_names },
  { "scope", "include", KIND_LINES },
  { "scope", "exclude", KIND_LINES },
  { "scope", "order", KIND_COMBO, order_names },
  { "scope", "follow_nofollow", KIND_SWITCH },
  { "scope", "resources", KIND_SWITCH },
  { "scope", "max_depth", KIND_ENTRY },
  { "scope", "max_pages", KIND_ENTRY },
  { "scope", "max_time", KIND_ENTRY },
  { "scope", "max_url_length", KIND_ENTRY },
  { "scope", "max_links", KIND_ENTRY },
  { "speed", "concurrency", KIND_ENTRY },
  { "speed", "per_host", KIND_ENTRY },
  { "speed", "delay", KIND_ENTRY },
  { "speed", "delay_mode", KIND_COMBO, delay_mode_names },
  { "speed", "autothrottle_target", KIND_ENTRY },
  { "speed", "max_delay", KIND_ENTRY },
  { "robots", "robots", KIND_COMBO, robots_names },
  { "robots", "max_crawl_delay", KIND_ENTRY },
  { "requests", "user_agent", KIND_ENTRY },
  { "requests", "headers", KIND_LINES },
  { "requests", "cookies", KIND_SWITCH },
  { "requests", "auth_user", KIND_ENTRY },
  { "requests", "auth_password", KIND_ENTRY },
  { "requests", "proxy", KIND_ENTRY },
  { "requests", "proxy_password", KIND_ENTRY },
  { "requests", "ca_file", KIND_ENTRY },
  { "requests", "timeout", KIND_ENTRY },
  { "requests", "retries", KIND_ENTRY },
  { "requests", "max_redirects", KIND_ENTRY },
  { "requests", "max_size", KIND_ENTRY },
  { "requests", "compression", KIND_SWITCH },
  { "requests", "block_private", KIND_SWITCH },
  { "storage", "store_bodies", KIND_SWITCH },
  { "extract", "rules", KIND_LINES },
};

#define N_FIELDS G_N_ELEMENTS (fields)
#define START_URLS 0

/* Presets set only the speed settings; each is a job file fragment, the
 * keys it leaves out keep their defaults.  "Custom" is shown when the
 * speed rows match none of them. */
static const char *const preset_names[] = { "polite", "default", "fast", "custom", NULL };
static const char *const preset_data[] = {
  "[speed]\nconcurrency=4\nper_host=1\ndelay=1\ndelay_mode=auto\nautothrottle_target=0.5\nmax_delay=60\n",
  "",
  "[speed]\nconcurrency=64\nper_host=16\ndelay=0\ndelay_mode=fixed\n",
};
static const char *const preset_keys[] = {
  "concurrency", "per_host", "delay", "delay_mode", "autothrottle_target", "max_delay",
};

struct _TrawlJobEditor
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkWidget   *inputs[N_FIELDS];
  AdwComboRow *preset;

  GtkWidget   *error_labels[N_FIELDS];  /* nullable: fields that can be wrong */
  GError      *errors[N_FIELDS];        /* owned, nullable: each row's problem */
  char        *problem;                 /* owned, nullable */
  char        *first_url;               /* owned: the first start URL line */
  guint        updating;                /* rows are being set from a job */
  TrawlJob    *loaded;                  /* owned: the job last set or stored, whose keyring items are reused */
  guint        generation;              /* counts the jobs set */
};

G_DEFINE_FINAL_TYPE (TrawlJobEditor, trawl_job_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROBLEM,
  PROP_FIRST_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
find_field (const char *key)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (strcmp (fields[i].key, key) == 0)
      return (int) i;
  return -1;
}

static GtkTextBuffer *
lines_buffer (TrawlJobEditor *self,
              guint           i)
{
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->inputs[i]));
}

/* The non-empty lines of a text view, trimmed. */
static GStrv
get_lines (TrawlJobEditor *self,
           guint           i)
{
  GtkTextBuffer *buffer = lines_buffer (self, i);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  lines = g_strsplit (text, "\n", -1);
  for (guint j = 0; lines[j]; j++)
    {
      g_strstrip (lines[j]);
      if (lines[j][0] != '\0')
        g_strv_builder_add (builder, lines[j]);
    }
  return g_strv_builder_end (builder);
}

/* Writes one row's value into @kf as its job-file key. */
static void
field_to_key_file (TrawlJobEditor *self,
                   guint           i,
                   GKeyFile       *kf)
{
  const Field *f = &fields[i];

  switch (f->kind)
    {
    case KIND_LINES:
      {
        g_auto (GStrv) lines = get_lines (self, i);

        g_key_file_set_string_list (kf, f->group, f->key, (const char *const *) lines, g_strv_length (lines));
        break;
      }
    case KIND_SWITCH:
      g_key_file_set_string (kf, f->group, f->key,
                             gtk_switch_get_active (GTK_SWITCH (self->inputs[i])) ? "true" : "false");
      break;
    case KIND_ENTRY:
      {
        g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->inputs[i])));

        g_key_file_set_string (kf, f->group, f->key, g_strstrip (text));
        break;
      }
    case KIND_COMBO:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->inputs[i]));

        if (selected >= g_strv_length ((char **) f->names))
          selected = 0;
        g_key_file_set_string (kf, f->group, f->key, f->names[selected]);
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

/* A byte count as a person writes it: 32M rather than 33554432. */
static char *
format_size (const char *bytes_text)
{
  static const char units[] = { 'G', 'M', 'K' };
  gint64 bytes = g_ascii_strtoll (bytes_text, NULL, 10);

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      gint64 unit = (gint64) 1 << (10 * (3 - u));

      if (bytes > 0 && bytes % unit == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT "%c", bytes / unit, units[u]);
    }
  return g_strdup (bytes_text);
}

/* Sets one row from @kf, as written by trawl_job_to_data (). */
static void
field_from_key_file (TrawlJobEditor *self,
                     guint           i,
                     GKeyFile       *kf)
{
  const Field *f = &fields[i];

  if (f->kind == KIND_LINES)
    {
      g_auto (GStrv) list = g_key_file_get_string_list (kf, f->group, f->key, NULL, NULL);
      g_autofree char *text = list ? g_strjoinv ("\n", list) : g_strdup ("");

      gtk_text_buffer_set_text (lines_buffer (self, i), text, -1);
      return;
    }
  else
    {
      g_autofree char *value = g_key_file_get_string (kf, f->group, f->key, NULL);

      if (value == NULL)
        return;

      switch (f->kind)
        {
        case KIND_SWITCH:
          gtk_switch_set_active (GTK_SWITCH (self->inputs[i]), g_str_equal (value, "true"));
          break;
        case KIND_ENTRY:
          if (g_str_equal (f->key, "max_size"))
            {
              g_autofree char *size = format_size (value);

              gtk_editable_set_text (GTK_EDITABLE (self->inputs[i]), size);
            }
          else
            gtk_editable_set_text (GTK_EDITABLE (self->inputs[i]), value);
          break;
        case KIND_COMBO:
          for (guint j = 0; f->names[j]; j++)
            if (g_str_equal (f->names[j], value))
              adw_combo_row_set_selected (ADW_COMBO_ROW (self->inputs[i]), j);
          break;
        case KIND_LINES:
        default:
          g_assert_not_reached ();
        }
    }
}

/* A job with defaults and this one row's value, or NULL with the row's
 * problem: a TRAWL_JOB_ERROR_VALUE, which the row's title completes, or a
 * sentence of its own.  Other rows' start URLs are replaced by a stand-in
 * so that a row is checked on its own. */
static TrawlJob *
job_with_field (TrawlJobEditor  *self,
                guint            i,
                GError         **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autoptr (TrawlJob) job = NULL;

  if (i != START_URLS)
    {
      const char *const stand_in[] = { "https://example.org/", NULL };

      g_key_file_set_string_list (kf, "crawl", "start_urls", stand_in, 1);
    }
  field_to_key_file (self, i, kf);
  if (fields[i].kind != KIND_LINES)
    {
      g_autofree char *value = g_key_file_get_string (kf, fields[i].group, fields[i].key, NULL);

      if (!trawl_job_check_value (fields[i].group, fields[i].key, value, error))
        return NULL;
    }
  data = g_key_file_to_data (kf, NULL, NULL);

  job = trawl_job_load_data (data, error);
  if (job == NULL || !trawl_job_validate (job, error))
    return NULL;
  return g_steal_pointer (&job);
}

/* The value of one key in @job, in its job-file text form. */
static char *
job_value (const TrawlJob *job,
           const char     *group,
           const char     *key)
{
  g_autofree char *data = trawl_job_to_data (job);
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  g_key_file_load_from_data (kf, data, -1, G_KEY_FILE_NONE, NULL);
  return g_key_file_get_string (kf, group, key, NULL);
}

static GtkWidget *
field_row (TrawlJobEditor *self,
           guint           i)
{
  return gtk_widget_get_ancestor (self->inputs[i], ADW_TYPE_PREFERENCES_ROW);
}

static void
check_field (TrawlJobEditor *self,
             guint           i)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = NULL;
  GtkWidget *row = field_row (self, i);

  if (self->error_labels[i] == NULL)
    return;

  job = job_with_field (self, i, &error);
  g_clear_error (&self->errors[i]);
  if (job == NULL)
    self->errors[i] = g_steal_pointer (&error);

  if (self->errors[i] != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_add_css_class (self->inputs[i], "error");
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_remove_css_class (self->inputs[i], "error");
    }
  gtk_label_set_label (GTK_LABEL (self->error_labels[i]), self->errors[i] ? self->errors[i]->message : "");
  gtk_widget_set_visible (gtk_widget_get_parent (self->error_labels[i]), self->errors[i] != NULL);
}

/* The first row's problem, named so that it makes sense away from the row,
 * on the start page. */
static void
update_problem (TrawlJobEditor *self)
{
  g_autofree char *problem = NULL;

  for (guint i = 0; i < N_FIELDS && problem == NULL; i++)
    {
      if (self->errors[i] == NULL)
        continue;
      if (g_error_matches (self->errors[i], TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_VALUE))
        {
          const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (field_row (self, i)));

          /* Translators: a setting's title, then what is wrong with its value. */
          problem = g_strdup_printf (_("%s: %s"), title, self->errors[i]->message);
        }
      else
        problem = g_strdup (self->errors[i]->message);
    }

  if (g_strcmp0 (problem, self->problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_steal_pointer (&problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
update_first_url (TrawlJobEditor *self)
{
  GtkTextBuffer *buffer = lines_buffer (self, START_URLS);
  GtkTextIter start, end;
  g_autofree char *line = NULL;

  gtk_text_buffer_get_start_iter (buffer, &start);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  line = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (g_strcmp0 (line, self->first_url) == 0)
    return;
  g_free (self->first_url);
  self->first_url = g_steal_pointer (&line);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_URL]);
}

static gboolean
is_preset_key (const char *key)
{
  for (guint k = 0; k < G_N_ELEMENTS (preset_keys); k++)
    if (g_str_equal (preset_keys[k], key))
      return TRUE;
  return FALSE;
}

static TrawlJob *
preset_job (guint p)
{
  TrawlJob *job = trawl_job_load_data (preset_data[p], NULL);

  g_assert (job != NULL);
  return job;
}

/* Shows which preset the speed rows match, or Custom. */
static void
update_preset (TrawlJobEditor *self)
{
  guint match = G_N_ELEMENTS (preset_data);

  for (guint p = 0; p < G_N_ELEMENTS (preset_data) && match == G_N_ELEMENTS (preset_data); p++)
    {
      g_autoptr (TrawlJob) preset = preset_job (p);
      gboolean same = TRUE;

      for (guint k = 0; k < G_N_ELEMENTS (preset_keys) && same; k++)
        {
          guint i = find_field (preset_keys[k]);
          g_autoptr (TrawlJob) current = job_with_field (self, i, NULL);
          g_autofree char *want = job_value (preset, fields[i].group, fields[i].key);
          g_autofree char *have = current ? job_value (current, fields[i].group, fields[i].key) : NULL;

          same = g_strcmp0 (want, have) == 0;
        }
      if (same)
        match = p;
    }

  self->updating++;
  adw_combo_row_set_selected (self->preset, match);
  self->updating--;
}

static void
field_changed (TrawlJobEditor *self,
               gpointer        emitter)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (emitter, "trawl-field")) - 1;

  g_assert (i < N_FIELDS);
  if (self->updating)
    return;

  check_field (self, i);
  update_problem (self);
  if (i == START_URLS)
    update_first_url (self);
  if (is_preset_key (fields[i].key))
    update_preset (self);
}

static void
on_editable_changed (GtkEditable    *editable,
                     TrawlJobEditor *self)
{
  field_changed (self, editable);
}

static void
on_buffer_changed (GtkTextBuffer  *buffer,
                   TrawlJobEditor *self)
{
  field_changed (self, buffer);
}

static void
on_notify (GObject        *object,
           GParamSpec     *pspec,
           TrawlJobEditor *self)
{
  field_changed (self, object);
}

static void
on_preset_selected (AdwComboRow    *row,
                    GParamSpec     *pspec,
                    TrawlJobEditor *self)
{
  guint p = adw_combo_row_get_selected (row);

  if (self->updating || p >= G_N_ELEMENTS (preset_data))
    return;
  trawl_job_editor_apply_preset (self, preset_names[p]);
}

/* Refreshes everything that depends on the rows after they were set. */
static void
check_all (TrawlJobEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    check_field (self, i);
  update_problem (self);
  update_first_url (self);
  update_preset (self);
}

/* A row under @row, hidden until the setting is wrong, for the message. */
static GtkWidget *
add_error_row (GtkWidget *row)
{
  GtkWidget *list = gtk_widget_get_parent (row);
  GtkWidget *error_row = adw_preferences_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  g_assert (GTK_IS_LIST_BOX (list));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "error");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (error_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (error_row), label);
  gtk_widget_set_visible (error_row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), error_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
  /* The message describes the row for screen readers too. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
  return label;
}

static void
trawl_job_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TRAWL_TYPE_JOB_EDITOR);

  G_OBJECT_CLASS (trawl_job_editor_parent_class)->dispose (object);
}

static void
trawl_job_editor_finalize (GObject *object)
{
  TrawlJobEditor *self = TRAWL_JOB_EDITOR (object);

  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_error (&self->errors[i]);
  g_free (self->problem);
  g_free (self->first_url);
  g_clear_pointer (&self->loaded, trawl_job_free);

  G_OBJECT_CLASS (trawl_job_editor_parent_class)->finalize (object);
}

static void
trawl_job_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TrawlJobEditor *self = TRAWL_JOB_EDITOR (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_FIRST_URL:
      g_value_set_string (value, self->first_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_job_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TrawlJobEditor *self = TRAWL_JOB_EDITOR (object);

  switch (prop_id)
    {
    case PROP_FIRST_URL:
      trawl_job_editor_set_first_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_ca_file_chosen (GtkNativeDialog *chooser,
                   int              response,
                   TrawlJobEditor  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL && g_file_peek_path (file) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->inputs[find_field ("ca_file")]), g_file_peek_path (file));
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

/* The CA row's button: a file chooser, through the portal when sandboxed. */
static void
on_choose_ca_file (TrawlJobEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose Certificate Authorities"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (pem, _("PEM Certificates"));
  gtk_file_filter_add_mime_type (pem, "application/x-x509-ca-cert");
  gtk_file_filter_add_mime_type (pem, "application/x-pem-file");
  gtk_file_filter_add_suffix (pem, "pem");
  gtk_file_filter_add_suffix (pem, "crt");
  gtk_file_filter_add_suffix (pem, "cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), pem);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_ca_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
trawl_job_editor_class_init (TrawlJobEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_job_editor_dispose;
  object_class->finalize = trawl_job_editor_finalize;
  object_class->get_property = trawl_job_editor_get_property;
  object_class->set_property = trawl_job_editor_set_property;

  /**
   * TrawlJobEditor:problem:
   *
   * What stops the job from being crawled, as a sentence, or %NULL.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * TrawlJobEditor:first-url:
   *
   * The first line of the start URLs, as typed.
   */
  properties[PROP_FIRST_URL] =
    g_param_spec_string ("first-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-job-editor.ui");
  for (guint i = 0; i < N_FIELDS; i++)
    gtk_widget_class_bind_template_child_full (widget_class, fields[i].key, FALSE,
                                               G_STRUCT_OFFSET (TrawlJobEditor, inputs) + i * sizeof (GtkWidget *));
  gtk_widget_class_bind_template_child (widget_class, TrawlJobEditor, preset);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_ca_file);
}

static void
trawl_job_editor_init (TrawlJobEditor *self)
{
  g_autoptr (TrawlJob) defaults = trawl_job_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_FIELDS; i++)
    {
      gpointer emitter = self->inputs[i];

      switch (fields[i].kind)
        {
        case KIND_LINES:
          emitter = lines_buffer (self, i);
          g_signal_connect (emitter, "changed", G_CALLBACK (on_buffer_changed), self);
          self->error_labels[i] = add_error_row (field_row (self, i));
          break;
        case KIND_ENTRY:
          g_signal_connect (emitter, "changed", G_CALLBACK (on_editable_changed), self);
          self->error_labels[i] = add_error_row (field_row (self, i));
          break;
        case KIND_SWITCH:
          g_signal_connect (emitter, "notify::active", G_CALLBACK (on_notify), self);
          break;
        case KIND_COMBO:
          g_signal_connect (emitter, "notify::selected", G_CALLBACK (on_notify), self);
          break;
        default:
          g_assert_not_reached ();
        }
      g_object_set_data (emitter, "trawl-field", GUINT_TO_POINTER (i + 1));
    }
  g_signal_connect (self->preset, "notify::selected", G_CALLBACK (on_preset_selected), self);

  trawl_job_editor_set_job (self, defaults);
}

/* Shows @value in the password row @key, unless the row has text already. */
static void
reveal_password (TrawlJobEditor *self,
                 const char     *key,
                 const char     *value)
{
  GtkEditable *row = GTK_EDITABLE (self->inputs[find_field (key)]);

  if (value != NULL && gtk_editable_get_text (row)[0] == '\0')
    gtk_editable_set_text (row, value);
}

/* The rows show the values of the keyring items that are known, for the
 * person who typed them; a reference still unknown stays as it is written
 * ("Cookie: secret:ID"), or leaves the password empty. */
static void
reveal_secrets (TrawlJobEditor *self)
{
  const TrawlJob *job = self->loaded;
  guint headers = find_field ("headers");
  g_auto (GStrv) lines = get_lines (self, headers);
  gboolean changed = FALSE;

  reveal_password (self, "auth_password", trawl_job_get_auth_password (job));
  reveal_password (self, "proxy_password", trawl_job_get_proxy_password (job));

  for (guint i = 0; lines[i]; i++)
    {
      char *shown;

      if (trawl_job_header_secret_id (lines[i]) == NULL || (shown = trawl_job_resolve_header (job, lines[i])) == NULL)
        continue;
      g_free (lines[i]);
      lines[i] = shown;
      changed = TRUE;
    }
  if (changed)
    {
      g_autofree char *text = g_strjoinv ("\n", lines);

      gtk_text_buffer_set_text (lines_buffer (self, headers), text, -1);
    }
}

/**
 * trawl_job_editor_set_job:
 * @self: the editor
 * @job: the settings to show
 *
 * Sets every row from @job, with the values of the keyring items it knows.
 */
void
trawl_job_editor_set_job (TrawlJobEditor *self,
                          const TrawlJob *job)
{
  g_autofree char *data = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  g_return_if_fail (TRAWL_IS_JOB_EDITOR (self));
  g_return_if_fail (job != NULL);

  g_clear_pointer (&self->loaded, trawl_job_free);
  self->loaded = trawl_job_copy (job);
  self->generation++;

  data = trawl_job_to_data (job);
  g_key_file_load_from_data (kf, data, -1, G_KEY_FILE_NONE, NULL);

  self->updating++;
  for (guint i = 0; i < N_FIELDS; i++)
    field_from_key_file (self, i, kf);
  reveal_secrets (self);
  self->updating--;

  check_all (self);
}

/**
 * trawl_job_editor_add_secrets:
 * @self: the editor
 * @found: the job last set, with the values of its keyring items looked up
 *
 * Shows the values where the rows still show their references.
 */
void
trawl_job_editor_add_secrets (TrawlJobEditor *self,
                              const TrawlJob *found)
{
  g_return_if_fail (TRAWL_IS_JOB_EDITOR (self));
  g_return_if_fail (found != NULL);

  trawl_job_add_secrets_from (self->loaded, found);
  reveal_secrets (self);
}

/* An empty password row keeps a keyring item that could not be read; one
 * whose value was shown and then cleared is dropped. */
static void
keep_unread_password (const char  *typed,
                      char       **secret,
                      const char  *loaded_plain,
                      const char  *loaded_secret,
                      const char  *loaded_value)
{
  if (typed == NULL && loaded_plain == NULL && loaded_secret != NULL && loaded_value == NULL)
    {
      g_free (*secret);
      *secret = g_strdup (loaded_secret);
    }
}

/**
 * trawl_job_editor_dup_job:
 * @self: the editor
 * @error: what is wrong with the settings, as a sentence
 *
 * Returns: (transfer full) (nullable): the job the rows describe, when
 *   every row is valid.
 */
TrawlJob *
trawl_job_editor_dup_job (TrawlJobEditor  *self,
                          GError         **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *data = NULL;
  g_autoptr (TrawlJob) job = NULL;

  g_return_val_if_fail (TRAWL_IS_JOB_EDITOR (self), NULL);

  if (self->problem != NULL)
    {
      g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, self->problem);
      return NULL;
    }

  for (guint i = 0; i < N_FIELDS; i++)
    field_to_key_file (self, i, kf);
  data = g_key_file_to_data (kf, NULL, NULL);
  job = trawl_job_load_data (data, error);
  if (job == NULL || !trawl_job_validate (job, error))
    return NULL;

  keep_unread_password (job->auth_password, &job->auth_password_secret,
                        self->loaded->auth_password, self->loaded->auth_password_secret,
                        trawl_job_get_auth_password (self->loaded));
  keep_unread_password (job->proxy_password, &job->proxy_password_secret,
                        self->loaded->proxy_password, self->loaded->proxy_password_secret,
                        trawl_job_get_proxy_password (self->loaded));
  return g_steal_pointer (&job);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  TrawlJobEditor *self = g_task_get_source_object (task);
  GError *error = NULL;
  TrawlJob *stored = trawl_secrets_store_finish (result, &error);

  if (stored == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Saved again, the job replaces these items rather than adding more;
   * unless another job was set meanwhile. */
  if (self->generation == GPOINTER_TO_UINT (g_task_get_task_data (task)))
    {
      trawl_job_free (self->loaded);
      self->loaded = trawl_job_copy (stored);
    }
  g_task_return_pointer (task, stored, (GDestroyNotify) trawl_job_free);
}

/**
 * trawl_job_editor_store_job_async:
 * @self: the editor
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Like trawl_job_editor_dup_job(), but keeps the password and the values
 * of Cookie and Authorization headers in the keyring, under the ids the
 * job had, so that the job can be written to a file.
 */
void
trawl_job_editor_store_job_async (TrawlJobEditor      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (TrawlJob) job = NULL;
  GError *error = NULL;

  g_return_if_fail (TRAWL_IS_JOB_EDITOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_job_editor_store_job_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (self->generation), NULL);
  job = trawl_job_editor_dup_job (self, &error);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  trawl_secrets_store_async (job, self->loaded, cancellable, on_stored, g_steal_pointer (&task));
}

/**
 * trawl_job_editor_store_job_finish:
 * @self: the editor
 * @result: the #GAsyncResult
 * @error: what is wrong with the settings, or why the keyring did not
 *   keep a secret, as a sentence
 *
 * Returns: (transfer full) (nullable): the job, referring to its keyring
 *   items, with their values in its #TrawlJob.secrets.
 */
TrawlJob *
trawl_job_editor_store_job_finish (TrawlJobEditor  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * trawl_job_editor_get_problem:
 * @self: the editor
 *
 * Returns: (nullable): the first problem with the settings, as a sentence.
 */
const char *
trawl_job_editor_get_problem (TrawlJobEditor *self)
{
  g_return_val_if_fail (TRAWL_IS_JOB_EDITOR (self), NULL);
  return self->problem;
}

/**
 * trawl_job_editor_get_field_error:
 * @self: the editor
 * @key: a job-file key, such as "concurrency"
 *
 * Returns: (nullable): the message shown under that setting's row.
 */
const char *
trawl_job_editor_get_field_error (TrawlJobEditor *self,
                                  const char     *key)
{
  int i;

  g_return_val_if_fail (TRAWL_IS_JOB_EDITOR (self), NULL);
  i = find_field (key);
  g_return_val_if_fail (i >= 0, NULL);
  return self->errors[i] ? self->errors[i]->message : NULL;
}

/**
 * trawl_job_editor_dup_first_url:
 * @self: the editor
 *
 * Returns: (transfer full): the first line of the start URLs, as typed.
 */
char *
trawl_job_editor_dup_first_url (TrawlJobEditor *self)
{
  g_return_val_if_fail (TRAWL_IS_JOB_EDITOR (self), NULL);
  return g_strdup (self->first_url ? self->first_url : "");
}

/**
 * trawl_job_editor_set_first_url:
 * @self: the editor
 * @url: what the start page's address entry holds
 *
 * Replaces the first line of the start URLs, keeping the others.
 */
void
trawl_job_editor_set_first_url (TrawlJobEditor *self,
                                const char     *url)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (TRAWL_IS_JOB_EDITOR (self));

  if (url == NULL)
    url = "";
  if (g_strcmp0 (url, self->first_url) == 0)
    return;

  buffer = lines_buffer (self, START_URLS);
  gtk_text_buffer_get_start_iter (buffer, &start);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  /* The row is checked once, with the new address. */
  self->updating++;
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, url, -1);
  gtk_text_buffer_end_user_action (buffer);
  self->updating--;

  check_field (self, START_URLS);
  update_problem (self);
  update_first_url (self);
}

/**
 * trawl_job_editor_apply_preset:
 * @self: the editor
 * @preset: "polite", "default" or "fast"
 *
 * Sets the speed and politeness rows to the preset's values.
 */
void
trawl_job_editor_apply_preset (TrawlJobEditor *self,
                               const char     *preset)
{
  g_autoptr (TrawlJob) job = NULL;
  g_autofree char *data = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  guint p;

  g_return_if_fail (TRAWL_IS_JOB_EDITOR (self));

  for (p = 0; p < G_N_ELEMENTS (preset_data); p++)
    if (g_str_equal (preset_names[p], preset))
      break;
  g_return_if_fail (p < G_N_ELEMENTS (preset_data));

  job = preset_job (p);
  data = trawl_job_to_data (job);
  g_key_file_load_from_data (kf, data, -1, G_KEY_FILE_NONE, NULL);

  self->updating++;
  for (guint k = 0; k < G_N_ELEMENTS (preset_keys); k++)
    field_from_key_file (self, find_field (preset_keys[k]), kf);
  self->updating--;

  for (guint k = 0; k < G_N_ELEMENTS (preset_keys); k++)
    check_field (self, find_field (preset_keys[k]));
  update_problem (self);
  update_preset (self);
}

/**
 * trawl_job_editor_get_preset:
 * @self: the editor
 *
 * Returns: the preset the speed rows match: "polite", "default", "fast",
 *   or "custom".
 */
const char *
trawl_job_editor_get_preset (TrawlJobEditor *self)
{
  g_return_val_if_fail (TRAWL_IS_JOB_EDITOR (self), NULL);
  return preset_names[MIN (adw_combo_row_get_selected (self->preset), G_N_ELEMENTS (preset_data))];
}
