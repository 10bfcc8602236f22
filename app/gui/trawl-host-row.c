/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-host-row.c — one host in the Monitor view's host table.
 *
 * The table keeps one row per host for the whole crawl and updates it in
 * place from each stats snapshot: only the properties whose value changed
 * are notified, so the cells that show them are the only ones redrawn.
 */
#define G_LOG_DOMAIN "trawl-host-row"

#include "config.h"

#include "trawl-host-row.h"

#include <glib/gi18n.h>
#include <string.h>

struct _TrawlHostRow
{
  GObject  parent_instance;

  char    *host;       /* owned */
  guint    in_flight;
  gint64   done;
  gint64   errors;
  double   latency;    /* milliseconds */
  double   delay;      /* seconds */
};

G_DEFINE_FINAL_TYPE (TrawlHostRow, trawl_host_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_HOST_TEXT,
  PROP_IN_FLIGHT,
  PROP_DONE,
  PROP_ERRORS,
  PROP_LATENCY,
  PROP_DELAY,
  PROP_LATENCY_TEXT,
  PROP_DELAY_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
trawl_host_row_finalize (GObject *object)
{
  TrawlHostRow *self = TRAWL_HOST_ROW (object);

  g_free (self->host);

  G_OBJECT_CLASS (trawl_host_row_parent_class)->finalize (object);
}

static char *
format_latency (double ms)
{
  if (ms <= 0)
    return g_strdup ("—");
  if (ms < 10)
    return g_strdup_printf (_("%.1f ms"), ms);
  return g_strdup_printf (_("%.0f ms"), ms);
}

static char *
format_delay (double seconds)
{
  if (seconds <= 0)
    return g_strdup (_("none"));
  return g_strdup_printf (_("%.2g s"), seconds);
}

static void
trawl_host_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TrawlHostRow *self = TRAWL_HOST_ROW (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_HOST_TEXT:
      /* Plain HTTP is the usual case and the table is narrow; a secure
       * host keeps its scheme, as it is a different host. */
      g_value_set_string (value, g_str_has_prefix (self->host, "http://") ? self->host + strlen ("http://") : self->host);
      break;
    case PROP_IN_FLIGHT:
      g_value_set_uint (value, self->in_flight);
      break;
    case PROP_DONE:
      g_value_set_int64 (value, self->done);
      break;
    case PROP_ERRORS:
      g_value_set_int64 (value, self->errors);
      break;
    case PROP_LATENCY:
      g_value_set_double (value, self->latency);
      break;
    case PROP_DELAY:
      g_value_set_double (value, self->delay);
      break;
    case PROP_LATENCY_TEXT:
      g_value_take_string (value, format_latency (self->latency));
      break;
    case PROP_DELAY_TEXT:
      g_value_take_string (value, format_delay (self->delay));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_host_row_class_init (TrawlHostRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = trawl_host_row_finalize;
  object_class->get_property = trawl_host_row_get_property;

  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, flags);
  properties[PROP_HOST_TEXT] = g_param_spec_string ("host-text", NULL, NULL, NULL, flags);
  properties[PROP_IN_FLIGHT] = g_param_spec_uint ("in-flight", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DONE] = g_param_spec_int64 ("done", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ERRORS] = g_param_spec_int64 ("errors", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LATENCY] = g_param_spec_double ("latency", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_DELAY] = g_param_spec_double ("delay", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_LATENCY_TEXT] = g_param_spec_string ("latency-text", NULL, NULL, NULL, flags);
  properties[PROP_DELAY_TEXT] = g_param_spec_string ("delay-text", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
trawl_host_row_init (TrawlHostRow *self)
{
}

TrawlHostRow *
trawl_host_row_new (const char *host)
{
  TrawlHostRow *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_HOST_ROW, NULL);
  self->host = g_strdup (host);
  return self;
}

const char *
trawl_host_row_get_host (TrawlHostRow *self)
{
  g_return_val_if_fail (TRAWL_IS_HOST_ROW (self), NULL);
  return self->host;
}

guint
trawl_host_row_get_in_flight (TrawlHostRow *self)
{
  g_return_val_if_fail (TRAWL_IS_HOST_ROW (self), 0);
  return self->in_flight;
}

gint64
trawl_host_row_get_done (TrawlHostRow *self)
{
  g_return_val_if_fail (TRAWL_IS_HOST_ROW (self), 0);
  return self->done;
}

gint64
trawl_host_row_get_errors (TrawlHostRow *self)
{
  g_return_val_if_fail (TRAWL_IS_HOST_ROW (self), 0);
  return self->errors;
}

double
trawl_host_row_get_latency (TrawlHostRow *self)
{
  g_return_val_if_fail (TRAWL_IS_HOST_ROW (self), 0);
  return self->latency;
}

double
trawl_host_row_get_delay (TrawlHostRow *self)
{
  g_return_val_if_fail (TRAWL_IS_HOST_ROW (self), 0);
  return self->delay;
}

/**
 * trawl_host_row_update:
 * @self: a row
 * @stats: the host's figures from the latest snapshot
 *
 * Takes the new figures, notifying only those that changed.
 */
void
trawl_host_row_update (TrawlHostRow         *self,
                       const TrawlHostStats *stats)
{
  g_return_if_fail (TRAWL_IS_HOST_ROW (self));
  g_return_if_fail (stats != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->in_flight != stats->in_flight)
    {
      self->in_flight = stats->in_flight;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_FLIGHT]);
    }
  if (self->done != stats->done)
    {
      self->done = stats->done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
  if (self->errors != stats->errors)
    {
      self->errors = stats->errors;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERRORS]);
    }
  if (self->latency != stats->avg_latency_ms)
    {
      self->latency = stats->avg_latency_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY_TEXT]);
    }
  if (self->delay != stats->delay)
    {
      self->delay = stats->delay;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELAY_TEXT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
