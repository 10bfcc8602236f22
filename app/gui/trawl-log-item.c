/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-log-item.c — one line of a crawl's log.
 *
 * Items never change once made, so their properties are read-only and
 * never notified.  The text a search looks through is folded once, when
 * the item is made, so that typing in the search entry only compares.
 */
#define G_LOG_DOMAIN "trawl-log-item"

#include "config.h"

#include "trawl-log-item.h"

#include <string.h>

struct _TrawlLogItem
{
  GObject        parent_instance;

  double         time;
  TrawlLogLevel  level;
  char          *message;  /* owned */
  char          *url;      /* owned, nullable */
  char          *folded;   /* owned: message and URL, case-folded */
};

G_DEFINE_FINAL_TYPE (TrawlLogItem, trawl_log_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LEVEL_NAME,
  PROP_TIME_TEXT,
  PROP_MESSAGE,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
trawl_log_item_finalize (GObject *object)
{
  TrawlLogItem *self = TRAWL_LOG_ITEM (object);

  g_free (self->message);
  g_free (self->url);
  g_free (self->folded);

  G_OBJECT_CLASS (trawl_log_item_parent_class)->finalize (object);
}

static void
trawl_log_item_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TrawlLogItem *self = TRAWL_LOG_ITEM (object);

  switch (prop_id)
    {
    case PROP_LEVEL_NAME:
      g_value_set_string (value, trawl_log_level_get_label (self->level));
      break;
    case PROP_TIME_TEXT:
      {
        g_autoptr (GDateTime) dt = g_date_time_new_from_unix_local ((gint64) self->time);

        g_value_take_string (value, dt ? g_date_time_format (dt, "%H:%M:%S") : g_strdup (""));
      }
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url ? self->url : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_log_item_class_init (TrawlLogItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = trawl_log_item_finalize;
  object_class->get_property = trawl_log_item_get_property;

  properties[PROP_LEVEL_NAME] = g_param_spec_string ("level-name", NULL, NULL, NULL, flags);
  properties[PROP_TIME_TEXT] = g_param_spec_string ("time-text", NULL, NULL, NULL, flags);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
trawl_log_item_init (TrawlLogItem *self)
{
}

TrawlLogItem *
trawl_log_item_new (double         time,
                    TrawlLogLevel  level,
                    const char    *message,
                    const char    *url)
{
  TrawlLogItem *self;
  g_autofree char *text = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_LOG_ITEM, NULL);
  self->time = time;
  self->level = CLAMP (level, TRAWL_LOG_DEBUG, TRAWL_LOG_ERROR);
  self->message = g_strdup (message);
  self->url = url && *url ? g_strdup (url) : NULL;
  text = g_strconcat (message, "\n", url ? url : "", NULL);
  self->folded = g_utf8_casefold (text, -1);
  return self;
}

double
trawl_log_item_get_time (TrawlLogItem *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_ITEM (self), 0);
  return self->time;
}

TrawlLogLevel
trawl_log_item_get_level (TrawlLogItem *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_ITEM (self), TRAWL_LOG_INFO);
  return self->level;
}

const char *
trawl_log_item_get_message (TrawlLogItem *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_ITEM (self), NULL);
  return self->message;
}

const char *
trawl_log_item_get_url (TrawlLogItem *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_ITEM (self), NULL);
  return self->url;
}

/**
 * trawl_log_item_matches:
 * @self: an item
 * @folded_needle: (nullable): text folded with g_utf8_casefold()
 *
 * Returns: whether the message or the URL contains the text, ignoring case;
 *   any item matches %NULL or "".
 */
gboolean
trawl_log_item_matches (TrawlLogItem *self,
                        const char   *folded_needle)
{
  g_return_val_if_fail (TRAWL_IS_LOG_ITEM (self), FALSE);

  return folded_needle == NULL || *folded_needle == '\0' || strstr (self->folded, folded_needle) != NULL;
}
