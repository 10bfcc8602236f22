/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-items-model.c — the items a crawl extracted, as a GListModel.
 *
 * In the order they were found.  The model holds the items' ids, read in
 * a worker with the field names of the crawl's rules; the rows are read
 * on demand by id, and a bounded number of them kept.  Items only ever
 * add up at the end while a crawl runs, so a refresh tells of rows added
 * at the end and keeps those shown.
 */
#define G_LOG_DOMAIN "trawl-items-model"

#include "config.h"

#include "trawl-items-model.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "trawl-extract.h"
#include "trawl-store.h"
#include "trawl-thread.h"

/* Rows kept made; past this many, the cache starts again. */
#define MAX_ROWS 4096

struct _TrawlItemRow
{
  GObject  parent_instance;
  char    *page;
  char    *record;   /* nullable */
  char   **values;   /* one per field, "" when missing; lists joined with " · " */
};

G_DEFINE_FINAL_TYPE (TrawlItemRow, trawl_item_row, G_TYPE_OBJECT)

static void
trawl_item_row_finalize (GObject *object)
{
  TrawlItemRow *self = TRAWL_ITEM_ROW (object);

  g_free (self->page);
  g_free (self->record);
  g_strfreev (self->values);
  G_OBJECT_CLASS (trawl_item_row_parent_class)->finalize (object);
}

static void
trawl_item_row_class_init (TrawlItemRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = trawl_item_row_finalize;
}

static void
trawl_item_row_init (TrawlItemRow *self)
{
}

const char *
trawl_item_row_get_page (TrawlItemRow *self)
{
  g_return_val_if_fail (TRAWL_IS_ITEM_ROW (self), NULL);
  return self->page;
}

/**
 * trawl_item_row_get_record:
 *
 * Returns: (nullable): the record the item is one of, or %NULL for a
 *   page's own fields
 */
const char *
trawl_item_row_get_record (TrawlItemRow *self)
{
  g_return_val_if_fail (TRAWL_IS_ITEM_ROW (self), NULL);
  return self->record;
}

/**
 * trawl_item_row_get_value:
 * @field: a position in trawl_items_model_get_fields()
 *
 * Returns: the field's text, the values of a list joined by " · ", or ""
 */
const char *
trawl_item_row_get_value (TrawlItemRow *self,
                          guint         field)
{
  g_return_val_if_fail (TRAWL_IS_ITEM_ROW (self), "");
  return self->values != NULL && field < g_strv_length (self->values) ? self->values[field] : "";
}

static TrawlItemRow *
item_row_new (const char        *page,
              const char        *record,
              const char        *data,
              int                data_len,
              const char *const *fields)
{
  TrawlItemRow *row = g_object_new (TRAWL_TYPE_ITEM_ROW, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *valid = g_utf8_make_valid (data != NULL ? data : "{}", data != NULL ? data_len : -1);
  JsonObject *object = NULL;
  guint n = g_strv_length ((char **) fields);

  row->page = g_strdup (page != NULL ? page : "");
  row->record = g_strdup (record);
  if (json_parser_load_from_data (parser, valid, -1, NULL) && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  row->values = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = object != NULL && json_object_has_member (object, fields[i])
                       ? json_object_get_member (object, fields[i]) : NULL;

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *list = json_node_get_array (node);
          GString *joined = g_string_new (NULL);

          for (guint j = 0; j < json_array_get_length (list); j++)
            {
              const char *text = json_array_get_string_element (list, j);

              g_string_append_printf (joined, "%s%s", j > 0 ? " · " : "", text != NULL ? text : "");
            }
          row->values[i] = g_string_free (joined, FALSE);
        }
      else if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_string (node) != NULL)
        row->values[i] = g_strdup (json_node_get_string (node));
      else
        row->values[i] = g_strdup ("");
    }
  return row;
}

struct _TrawlItemsModel
{
  GObject        parent_instance;

  char          *path;        /* owned */
  sqlite3       *db;          /* owned: read-only, main thread only */
  sqlite3_stmt  *row_stmt;    /* owned, nullable */
  GArray        *ids;         /* owned: gint64 item ids, in the order found */
  char         **fields;      /* owned */
  GHashTable    *rows;        /* owned: position → TrawlItemRow */
  GCancellable  *cancellable; /* owned, nullable: the running load */
  gboolean       dirty;       /* a refresh was asked while one ran */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TrawlItemsModel, trawl_items_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  char    *path;
  gint64   after;    /* ids above this one only */
  GArray  *ids;      /* result */
  char   **fields;   /* result */
} Load;

static void
load_free (Load *load)
{
  g_free (load->path);
  g_clear_pointer (&load->ids, g_array_unref);
  g_strfreev (load->fields);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr (GError) error = NULL;
  TrawlStore *store;
  g_autofree char *job_text = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean has_rules;
  int rc;

  trawl_thread_lower_priority ();
  store = trawl_store_open (load->path, TRAWL_STORE_READ, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job_text = trawl_store_get_meta (store, "job");
  load->fields = trawl_extract_job_fields (job_text);
  has_rules = load->fields != NULL;
  if (!has_rules)
    load->fields = g_new0 (char *, 1);
  load->ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* A file from before extraction has no items table: no items. */
  if (has_rules &&
      sqlite3_prepare_v2 (trawl_store_get_db (store), "SELECT id FROM items WHERE id > ? ORDER BY id",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, load->after);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);

          g_array_append_val (load->ids, id);
        }
    }
  sqlite3_finalize (stmt);
  trawl_store_free (store);
  g_task_return_boolean (task, TRUE);
}

static void start_load (TrawlItemsModel *self);

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TrawlItemsModel *self = TRAWL_ITEMS_MODEL (source);
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  guint old_n = self->ids->len;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("%s", error->message);
    }
  else
    {
      if (self->fields == NULL || !g_strv_equal ((const char *const *) self->fields,
                                                 (const char *const *) load->fields))
        {
          g_strfreev (self->fields);
          self->fields = g_steal_pointer (&load->fields);
          g_hash_table_remove_all (self->rows);
        }
      /* Items are only ever added, at the end. */
      g_array_append_vals (self->ids, load->ids->data, load->ids->len);
      if (self->ids->len > old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->ids->len - old_n);
    }
  g_clear_object (&self->cancellable);
  if (self->dirty)
    start_load (self);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
start_load (TrawlItemsModel *self)
{
  g_autoptr (GTask) task = NULL;
  Load *load = g_new0 (Load, 1);
  gboolean was_loading = self->cancellable != NULL;

  self->dirty = FALSE;
  self->cancellable = g_cancellable_new ();
  load->path = g_strdup (self->path);
  load->after = self->ids->len > 0 ? g_array_index (self->ids, gint64, self->ids->len - 1) : 0;
  task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_run_in_thread (task, load_thread);
  if (!was_loading)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static GType
trawl_items_model_get_item_type (GListModel *model)
{
  return TRAWL_TYPE_ITEM_ROW;
}

static guint
trawl_items_model_get_n_items (GListModel *model)
{
  return TRAWL_ITEMS_MODEL (model)->ids->len;
}

static gpointer
trawl_items_model_get_item (GListModel *model,
                            guint       position)
{
  TrawlItemsModel *self = TRAWL_ITEMS_MODEL (model);
  TrawlItemRow *row;

  if (position >= self->ids->len)
    return NULL;
  row = g_hash_table_lookup (self->rows, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  if (self->row_stmt == NULL)
    sqlite3_prepare_v2 (self->db, "SELECT u.url, i.record, i.data FROM items i "
                                  "LEFT JOIN urls u ON u.id = i.page_id WHERE i.id = ?",
                        -1, &self->row_stmt, NULL);
  if (self->row_stmt != NULL)
    {
      sqlite3_reset (self->row_stmt);
      sqlite3_bind_int64 (self->row_stmt, 1, g_array_index (self->ids, gint64, position));
    }
  if (self->row_stmt != NULL && sqlite3_step (self->row_stmt) == SQLITE_ROW)
    row = item_row_new ((const char *) sqlite3_column_text (self->row_stmt, 0),
                        (const char *) sqlite3_column_text (self->row_stmt, 1),
                        (const char *) sqlite3_column_text (self->row_stmt, 2),
                        sqlite3_column_bytes (self->row_stmt, 2),
                        (const char *const *) self->fields);
  else
    row = item_row_new ("", NULL, NULL, 0, (const char *const *) self->fields);
  if (self->row_stmt != NULL)
    sqlite3_reset (self->row_stmt);

  if (g_hash_table_size (self->rows) >= MAX_ROWS)
    g_hash_table_remove_all (self->rows);
  g_hash_table_insert (self->rows, GUINT_TO_POINTER (position), row);
  return g_object_ref (row);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = trawl_items_model_get_item_type;
  iface->get_n_items = trawl_items_model_get_n_items;
  iface->get_item = trawl_items_model_get_item;
}

static void
trawl_items_model_dispose (GObject *object)
{
  TrawlItemsModel *self = TRAWL_ITEMS_MODEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (trawl_items_model_parent_class)->dispose (object);
}

static void
trawl_items_model_finalize (GObject *object)
{
  TrawlItemsModel *self = TRAWL_ITEMS_MODEL (object);

  g_clear_pointer (&self->row_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_strfreev (self->fields);
  g_free (self->path);
  G_OBJECT_CLASS (trawl_items_model_parent_class)->finalize (object);
}

static void
trawl_items_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, trawl_items_model_is_loading (TRAWL_ITEMS_MODEL (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_items_model_class_init (TrawlItemsModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = trawl_items_model_dispose;
  object_class->finalize = trawl_items_model_finalize;
  object_class->get_property = trawl_items_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
trawl_items_model_init (TrawlItemsModel *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}

/**
 * trawl_items_model_new:
 * @path: a crawl file, finished or still being written
 * @error: where to put a sentence when it cannot be read
 *
 * Opens @path read-only and starts reading its items; the model is empty
 * until #TrawlItemsModel:loading goes back to %FALSE.
 *
 * Returns: (transfer full) (nullable): the model
 */
TrawlItemsModel *
trawl_items_model_new (const char  *path,
                       GError     **error)
{
  g_autoptr (TrawlItemsModel) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_ITEMS_MODEL, NULL);
  self->path = g_strdup (path);
  if (trawl_store_open_db (path, &self->db, SQLITE_OPEN_READONLY) != SQLITE_OK)
    {
      trawl_store_set_read_error (error, self->db, path);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 1000);
  start_load (self);
  return g_steal_pointer (&self);
}

/**
 * trawl_items_model_refresh:
 *
 * Reads the items a running crawl has added since; one load at a time.
 */
void
trawl_items_model_refresh (TrawlItemsModel *self)
{
  g_return_if_fail (TRAWL_IS_ITEMS_MODEL (self));

  if (self->cancellable != NULL)
    self->dirty = TRUE;
  else
    start_load (self);
}

gboolean
trawl_items_model_is_loading (TrawlItemsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_ITEMS_MODEL (self), FALSE);
  return self->cancellable != NULL;
}

/**
 * trawl_items_model_get_fields:
 *
 * Returns: (transfer none) (nullable): the field names, once loaded
 */
char **
trawl_items_model_get_fields (TrawlItemsModel *self)
{
  g_return_val_if_fail (TRAWL_IS_ITEMS_MODEL (self), NULL);
  return self->fields;
}
