/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-audit-row.c — one URL that a site audit check found.
 *
 * A row is immutable: the audit makes it in a worker thread and the
 * Issues view shows it through its properties.
 */
#define G_LOG_DOMAIN "trawl-audit"

#include "config.h"

#include "trawl-audit-row.h"

struct _TrawlAuditRow
{
  GObject  parent_instance;

  gint64   id;      /* the URL's id in the crawl file */
  char    *url;     /* owned */
  char    *detail;  /* owned, nullable: what the check found (a status, a title…) */
  char    *extra;   /* owned, nullable: more of it (the linking pages, the final URL…) */
};

G_DEFINE_FINAL_TYPE (TrawlAuditRow, trawl_audit_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_URL,
  PROP_DETAIL,
  PROP_EXTRA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
trawl_audit_row_finalize (GObject *object)
{
  TrawlAuditRow *self = TRAWL_AUDIT_ROW (object);

  g_free (self->url);
  g_free (self->detail);
  g_free (self->extra);

  G_OBJECT_CLASS (trawl_audit_row_parent_class)->finalize (object);
}

static void
trawl_audit_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TrawlAuditRow *self = TRAWL_AUDIT_ROW (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_EXTRA:
      g_value_set_string (value, self->extra);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_audit_row_class_init (TrawlAuditRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = trawl_audit_row_finalize;
  object_class->get_property = trawl_audit_row_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTRA] =
    g_param_spec_string ("extra", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
trawl_audit_row_init (TrawlAuditRow *self)
{
}

/**
 * trawl_audit_row_new:
 * @id: the URL's id in the crawl file
 * @url: the URL
 * @detail: (nullable): what the check found about it
 * @extra: (nullable): more of it
 *
 * Returns: (transfer full): a new row
 */
TrawlAuditRow *
trawl_audit_row_new (gint64      id,
                     const char *url,
                     const char *detail,
                     const char *extra)
{
  TrawlAuditRow *self;

  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_AUDIT_ROW, NULL);
  self->id = id;
  self->url = g_strdup (url);
  self->detail = g_strdup (detail);
  self->extra = g_strdup (extra);

  return self;
}

gint64
trawl_audit_row_get_id (TrawlAuditRow *self)
{
  g_return_val_if_fail (TRAWL_IS_AUDIT_ROW (self), 0);

  return self->id;
}

const char *
trawl_audit_row_get_url (TrawlAuditRow *self)
{
  g_return_val_if_fail (TRAWL_IS_AUDIT_ROW (self), NULL);

  return self->url;
}

const char *
trawl_audit_row_get_detail (TrawlAuditRow *self)
{
  g_return_val_if_fail (TRAWL_IS_AUDIT_ROW (self), NULL);

  return self->detail;
}

const char *
trawl_audit_row_get_extra (TrawlAuditRow *self)
{
  g_return_val_if_fail (TRAWL_IS_AUDIT_ROW (self), NULL);

  return self->extra;
}
