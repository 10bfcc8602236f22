/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-log-model.c — a crawl's log as a filtered list, newest first.
 *
 * The model keeps the last max_lines lines of the log in time order and,
 * separately, the lines that pass the level and text filters.  It lists
 * the visible lines newest first, so that new lines appear at the top of
 * the view without scrolling.  Lines come in batches, each batch is one
 * items-changed; a filter change is one items-changed for the whole list.
 * Lines beyond the cap are dropped a tenth at a time, so that trimming is
 * rare rather than a second change on every batch.
 */
#define G_LOG_DOMAIN "trawl-log-model"

#include "config.h"

#include "trawl-log-model.h"

struct _TrawlLogModel
{
  GObject        parent_instance;

  GPtrArray     *lines;      /* owned, of owned TrawlLogItem*, oldest first */
  GPtrArray     *visible;    /* owned, of borrowed TrawlLogItem*, oldest first */
  guint          max_lines;
  TrawlLogLevel  min_level;
  char          *needle;     /* owned, nullable: the search text, folded */
};

static void trawl_log_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TrawlLogModel, trawl_log_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, trawl_log_model_list_model_init))

static void
trawl_log_model_finalize (GObject *object)
{
  TrawlLogModel *self = TRAWL_LOG_MODEL (object);

  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_free (self->needle);

  G_OBJECT_CLASS (trawl_log_model_parent_class)->finalize (object);
}

static GType
trawl_log_model_get_item_type (GListModel *model)
{
  return TRAWL_TYPE_LOG_ITEM;
}

static guint
trawl_log_model_get_n_items (GListModel *model)
{
  return TRAWL_LOG_MODEL (model)->visible->len;
}

static gpointer
trawl_log_model_get_item (GListModel *model,
                          guint       position)
{
  TrawlLogModel *self = TRAWL_LOG_MODEL (model);

  if (position >= self->visible->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->visible, self->visible->len - 1 - position));
}

static void
trawl_log_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = trawl_log_model_get_item_type;
  iface->get_n_items = trawl_log_model_get_n_items;
  iface->get_item = trawl_log_model_get_item;
}

static void
trawl_log_model_class_init (TrawlLogModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = trawl_log_model_finalize;
}

static void
trawl_log_model_init (TrawlLogModel *self)
{
  self->lines = g_ptr_array_new_with_free_func (g_object_unref);
  self->visible = g_ptr_array_new ();
  self->min_level = TRAWL_LOG_DEBUG;
}

/**
 * trawl_log_model_new:
 * @max_lines: how many lines to keep; older ones are dropped
 *
 * Returns: (transfer full): an empty log.
 */
TrawlLogModel *
trawl_log_model_new (guint max_lines)
{
  TrawlLogModel *self;

  g_return_val_if_fail (max_lines > 0, NULL);

  self = g_object_new (TRAWL_TYPE_LOG_MODEL, NULL);
  self->max_lines = max_lines;
  return self;
}

static gboolean
passes (TrawlLogModel *self,
        TrawlLogItem  *item)
{
  return trawl_log_item_get_level (item) >= self->min_level &&
         trawl_log_item_matches (item, self->needle);
}

static void
refilter (TrawlLogModel *self)
{
  guint removed = self->visible->len;

  g_ptr_array_set_size (self->visible, 0);
  for (guint i = 0; i < self->lines->len; i++)
    if (passes (self, self->lines->pdata[i]))
      g_ptr_array_add (self->visible, self->lines->pdata[i]);

  if (removed > 0 || self->visible->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->visible->len);
}

/* Drops the oldest lines when there are a tenth more than the cap. */
static void
trim (TrawlLogModel *self)
{
  guint drop, dropped_visible = 0;

  if (self->lines->len <= self->max_lines + self->max_lines / 10)
    return;

  drop = self->lines->len - self->max_lines;
  /* Visible lines are a subsequence of the lines, in the same order, so
   * the dropped ones among them lead. */
  for (guint i = 0; i < drop && dropped_visible < self->visible->len; i++)
    if (self->lines->pdata[i] == self->visible->pdata[dropped_visible])
      dropped_visible++;

  if (dropped_visible > 0)
    {
      guint n = self->visible->len;

      g_ptr_array_remove_range (self->visible, 0, dropped_visible);
      g_list_model_items_changed (G_LIST_MODEL (self), n - dropped_visible, dropped_visible, 0);
    }
  g_ptr_array_remove_range (self->lines, 0, drop);
}

/**
 * trawl_log_model_append:
 * @self: a log
 * @items: (element-type TrawlLogItem): new lines, oldest first; the model
 *   takes references
 *
 * Adds a batch of lines; those that pass the filters appear at the top.
 */
void
trawl_log_model_append (TrawlLogModel *self,
                        GPtrArray     *items)
{
  guint added = 0;

  g_return_if_fail (TRAWL_IS_LOG_MODEL (self));
  g_return_if_fail (items != NULL);

  for (guint i = 0; i < items->len; i++)
    {
      TrawlLogItem *item = items->pdata[i];

      g_ptr_array_add (self->lines, g_object_ref (item));
      if (passes (self, item))
        {
          g_ptr_array_add (self->visible, item);
          added++;
        }
    }
  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, added);

  trim (self);
}

void
trawl_log_model_clear (TrawlLogModel *self)
{
  guint removed;

  g_return_if_fail (TRAWL_IS_LOG_MODEL (self));

  removed = self->visible->len;
  g_ptr_array_set_size (self->visible, 0);
  g_ptr_array_set_size (self->lines, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

/**
 * trawl_log_model_get_n_lines:
 * @self: a log
 *
 * Returns: how many lines the model holds, visible or not.
 */
guint
trawl_log_model_get_n_lines (TrawlLogModel *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_MODEL (self), 0);
  return self->lines->len;
}

guint
trawl_log_model_get_max_lines (TrawlLogModel *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_MODEL (self), 0);
  return self->max_lines;
}

/**
 * trawl_log_model_set_min_level:
 * @self: a log
 * @level: the least severe level to show
 */
void
trawl_log_model_set_min_level (TrawlLogModel *self,
                               TrawlLogLevel  level)
{
  g_return_if_fail (TRAWL_IS_LOG_MODEL (self));

  if (self->min_level == level)
    return;
  self->min_level = level;
  refilter (self);
}

TrawlLogLevel
trawl_log_model_get_min_level (TrawlLogModel *self)
{
  g_return_val_if_fail (TRAWL_IS_LOG_MODEL (self), TRAWL_LOG_DEBUG);
  return self->min_level;
}

/**
 * trawl_log_model_set_search:
 * @self: a log
 * @text: (nullable): show only lines whose message or URL contains this,
 *   ignoring case; %NULL or "" shows all
 */
void
trawl_log_model_set_search (TrawlLogModel *self,
                            const char    *text)
{
  g_autofree char *needle = NULL;

  g_return_if_fail (TRAWL_IS_LOG_MODEL (self));

  if (text != NULL && *text != '\0')
    needle = g_utf8_casefold (text, -1);
  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  refilter (self);
}
