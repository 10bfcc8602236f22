/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-page-row.c — one settled URL as a row of the results table.
 *
 * A row holds the values that the table shows and offers them both raw
 * (for sorting, tests and the detail pane) and as ready-made labels, so
 * that the column view's factories can bind to a property each without
 * any code of their own.
 */
#define G_LOG_DOMAIN "trawl-page-row"

#include "config.h"

#include "trawl-page-row.h"
#include "trawl-store.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _TrawlPageRow
{
  GObject          parent_instance;

  TrawlPageRowData data;  /* owned strings */
};

G_DEFINE_FINAL_TYPE (TrawlPageRow, trawl_page_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_URL,
  PROP_STATE,
  PROP_REASON,
  PROP_STATUS,
  PROP_CONTENT_TYPE,
  PROP_BYTES,
  PROP_FETCH_MS,
  PROP_DEPTH,
  PROP_TITLE,
  PROP_INLINKS,
  PROP_OUTLINKS,
  PROP_STATUS_LABEL,
  PROP_TYPE_LABEL,
  PROP_SIZE_LABEL,
  PROP_TIME_LABEL,
  PROP_DEPTH_LABEL,
  PROP_INLINKS_LABEL,
  PROP_OUTLINKS_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define NONE_LABEL "—"

static void
data_clear (TrawlPageRowData *data)
{
  g_clear_pointer (&data->url, g_free);
  g_clear_pointer (&data->reason, g_free);
  g_clear_pointer (&data->content_type, g_free);
  g_clear_pointer (&data->title, g_free);
}

static void
trawl_page_row_finalize (GObject *object)
{
  TrawlPageRow *self = TRAWL_PAGE_ROW (object);

  data_clear (&self->data);

  G_OBJECT_CLASS (trawl_page_row_parent_class)->finalize (object);
}

static char *
number_label (gint64 n)
{
  if (n < 0)
    return g_strdup (NONE_LABEL);
  return trawl_format_count ((guint64) n);
}

static char *
type_label (const char *content_type)
{
  const char *semicolon;

  if (content_type == NULL || *content_type == '\0')
    return g_strdup (NONE_LABEL);
  /* Parameters such as the charset belong in the detail pane. */
  semicolon = strchr (content_type, ';');
  if (semicolon != NULL)
    return g_strstrip (g_strndup (content_type, semicolon - content_type));
  return g_strdup (content_type);
}

static void
trawl_page_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TrawlPageRow *self = TRAWL_PAGE_ROW (object);
  TrawlPageRowData *d = &self->data;

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, d->id); break;
    case PROP_URL: g_value_set_string (value, d->url); break;
    case PROP_STATE: g_value_set_int (value, d->state); break;
    case PROP_REASON: g_value_set_string (value, d->reason); break;
    case PROP_STATUS: g_value_set_int (value, d->status); break;
    case PROP_CONTENT_TYPE: g_value_set_string (value, d->content_type); break;
    case PROP_BYTES: g_value_set_int64 (value, d->bytes); break;
    case PROP_FETCH_MS: g_value_set_int (value, d->fetch_ms); break;
    case PROP_DEPTH: g_value_set_int (value, d->depth); break;
    case PROP_TITLE: g_value_set_string (value, d->title); break;
    case PROP_INLINKS: g_value_set_int64 (value, d->inlinks); break;
    case PROP_OUTLINKS: g_value_set_int64 (value, d->outlinks); break;
    case PROP_STATUS_LABEL: g_value_take_string (value, trawl_page_row_dup_status_label (self)); break;
    case PROP_TYPE_LABEL: g_value_take_string (value, type_label (d->content_type)); break;
    case PROP_SIZE_LABEL:
      g_value_take_string (value, d->bytes < 0 ? g_strdup (NONE_LABEL) : g_format_size (d->bytes));
      break;
    case PROP_TIME_LABEL:
      if (d->fetch_ms < 0)
        g_value_set_string (value, NONE_LABEL);
      else
        /* Translators: a fetch time in milliseconds. */
        g_value_take_string (value, g_strdup_printf (_("%d ms"), d->fetch_ms));
      break;
    case PROP_DEPTH_LABEL: g_value_take_string (value, number_label (d->depth)); break;
    case PROP_INLINKS_LABEL: g_value_take_string (value, number_label (d->inlinks)); break;
    case PROP_OUTLINKS_LABEL: g_value_take_string (value, number_label (d->outlinks)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_page_row_class_init (TrawlPageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = trawl_page_row_finalize;
  object_class->get_property = trawl_page_row_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, flags);
  properties[PROP_BYTES] = g_param_spec_int64 ("bytes", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_FETCH_MS] = g_param_spec_int ("fetch-ms", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_DEPTH] = g_param_spec_int ("depth", NULL, NULL, -1, G_MAXINT, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_INLINKS] = g_param_spec_int64 ("inlinks", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_OUTLINKS] = g_param_spec_int64 ("outlinks", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);
  properties[PROP_TYPE_LABEL] = g_param_spec_string ("type-label", NULL, NULL, NULL, flags);
  properties[PROP_SIZE_LABEL] = g_param_spec_string ("size-label", NULL, NULL, NULL, flags);
  properties[PROP_TIME_LABEL] = g_param_spec_string ("time-label", NULL, NULL, NULL, flags);
  properties[PROP_DEPTH_LABEL] = g_param_spec_string ("depth-label", NULL, NULL, NULL, flags);
  properties[PROP_INLINKS_LABEL] = g_param_spec_string ("inlinks-label", NULL, NULL, NULL, flags);
  properties[PROP_OUTLINKS_LABEL] = g_param_spec_string ("outlinks-label", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
trawl_page_row_init (TrawlPageRow *self)
{
}

/**
 * trawl_page_row_new:
 * @data: the row's values; the row takes its strings and clears @data
 *
 * Returns: (transfer full): a new row
 */
TrawlPageRow *
trawl_page_row_new (TrawlPageRowData *data)
{
  TrawlPageRow *self = g_object_new (TRAWL_TYPE_PAGE_ROW, NULL);

  g_return_val_if_fail (data != NULL, self);

  self->data = *data;
  memset (data, 0, sizeof *data);
  return self;
}

/**
 * trawl_page_row_update:
 * @self: a row shown in the table
 * @fresh: the same URL read again
 *
 * Takes @fresh's values when they differ, notifying every property so
 * that the cells bound to them follow: the row then shows another URL
 * (after a new sort), or the same one as it is now (a skipped URL fetched
 * after all, inlinks counted once the crawl has closed).
 */
void
trawl_page_row_update (TrawlPageRow *self,
                       TrawlPageRow *fresh)
{
  TrawlPageRowData *a, *b;

  g_return_if_fail (TRAWL_IS_PAGE_ROW (self));
  g_return_if_fail (TRAWL_IS_PAGE_ROW (fresh));

  a = &self->data;
  b = &fresh->data;
  if (a->id == b->id && a->state == b->state && a->status == b->status && a->bytes == b->bytes &&
      a->fetch_ms == b->fetch_ms && a->depth == b->depth && a->inlinks == b->inlinks &&
      a->outlinks == b->outlinks && g_strcmp0 (a->reason, b->reason) == 0 &&
      g_strcmp0 (a->title, b->title) == 0 && g_strcmp0 (a->content_type, b->content_type) == 0 &&
      g_strcmp0 (a->url, b->url) == 0)
    return;

  data_clear (a);
  a->url = g_strdup (b->url);
  a->reason = g_strdup (b->reason);
  a->content_type = g_strdup (b->content_type);
  a->title = g_strdup (b->title);
  a->id = b->id;
  a->state = b->state;
  a->status = b->status;
  a->bytes = b->bytes;
  a->fetch_ms = b->fetch_ms;
  a->depth = b->depth;
  a->inlinks = b->inlinks;
  a->outlinks = b->outlinks;

  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = PROP_ID; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
trawl_page_row_get_id (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), 0);
  return self->data.id;
}

const char *
trawl_page_row_get_url (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), NULL);
  return self->data.url;
}

int
trawl_page_row_get_state (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), 0);
  return self->data.state;
}

const char *
trawl_page_row_get_reason (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), NULL);
  return self->data.reason;
}

int
trawl_page_row_get_status (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), 0);
  return self->data.status;
}

const char *
trawl_page_row_get_content_type (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), NULL);
  return self->data.content_type;
}

gint64
trawl_page_row_get_bytes (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), -1);
  return self->data.bytes;
}

int
trawl_page_row_get_fetch_ms (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), -1);
  return self->data.fetch_ms;
}

int
trawl_page_row_get_depth (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), 0);
  return self->data.depth;
}

const char *
trawl_page_row_get_title (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), NULL);
  return self->data.title;
}

gint64
trawl_page_row_get_inlinks (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), -1);
  return self->data.inlinks;
}

gint64
trawl_page_row_get_outlinks (TrawlPageRow *self)
{
  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), -1);
  return self->data.outlinks;
}

/**
 * trawl_describe_reason:
 * @reason: (nullable): a reason from the `urls` table
 *
 * Returns: (transfer full) (nullable): the reason as a short phrase for
 *   people, or %NULL for none
 */
char *
trawl_describe_reason (const char *reason)
{
  static const struct { const char *reason, *phrase; } phrases[] = {
    { "robots", N_("Blocked by robots.txt") },
    { "out-of-scope", N_("Out of scope") },
    { "excluded", N_("Excluded by a pattern") },
    { "url-too-long", N_("URL too long") },
    { "too-deep", N_("Too deep") },
    { "nofollow", N_("Only nofollow links") },
    { "resource", N_("Resource not crawled") },
    { "list-mode", N_("Not in the list") },
    { "too-large", N_("Cut at the size limit") },
    { "network", N_("No response") },
    { "tls", N_("Secure connection failed") },
  };

  if (reason == NULL || *reason == '\0')
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    if (strcmp (phrases[i].reason, reason) == 0)
      return g_strdup (_(phrases[i].phrase));
  return g_strdup (reason);
}

/**
 * trawl_page_row_dup_status_label:
 * @self: a row
 *
 * Returns: (transfer full): the HTTP status, or why there is none
 */
char *
trawl_page_row_dup_status_label (TrawlPageRow *self)
{
  char *reason;

  g_return_val_if_fail (TRAWL_IS_PAGE_ROW (self), NULL);

  if (self->data.status > 0)
    return g_strdup_printf ("%d", self->data.status);
  reason = trawl_describe_reason (self->data.reason);
  if (reason != NULL)
    return reason;
  if (self->data.state == TRAWL_URL_FAILED || self->data.state == TRAWL_URL_SKIPPED)
    return g_strdup (trawl_url_state_get_label ((TrawlUrlState) self->data.state));
  return g_strdup (NONE_LABEL);
}

/**
 * trawl_format_count:
 * @n: a count
 *
 * Returns: (transfer full): @n with its thousands grouped, "1,234,567"
 */
char *
trawl_format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}
