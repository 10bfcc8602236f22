/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-model.c — the Monitor view's log list, without a display. */
#include "config.h"

#include "trawl-log-model.h"

typedef struct {
  guint changes;
  guint last_position, last_removed, last_added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->changes++;
  changes->last_position = position;
  changes->last_removed = removed;
  changes->last_added = added;
}

static GPtrArray *
batch (guint          first,
       guint          n,
       TrawlLogLevel  level)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *message = g_strdup_printf ("Line %u", i);
      g_autofree char *url = g_strdup_printf ("http://example.com/Page/%u", i);

      g_ptr_array_add (items, trawl_log_item_new (i, level, message, url));
    }
  return items;
}

static const char *
message_at (GListModel *model,
            guint       position)
{
  g_autoptr (TrawlLogItem) item = g_list_model_get_item (model, position);

  /* The model holds a reference, so the string outlives this one. */
  return trawl_log_item_get_message (item);
}

static void
test_batches_newest_first (void)
{
  g_autoptr (TrawlLogModel) log = trawl_log_model_new (1000);
  GListModel *model = G_LIST_MODEL (log);
  g_autoptr (GPtrArray) first = batch (0, 5, TRAWL_LOG_INFO);
  g_autoptr (GPtrArray) second = batch (5, 3, TRAWL_LOG_WARNING);
  Changes changes = { 0 };

  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &changes);
  trawl_log_model_append (log, first);
  trawl_log_model_append (log, second);

  /* One change per batch, at the top. */
  g_assert_cmpuint (changes.changes, ==, 2);
  g_assert_cmpuint (changes.last_position, ==, 0);
  g_assert_cmpuint (changes.last_added, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 8);
  g_assert_cmpstr (message_at (model, 0), ==, "Line 7");
  g_assert_cmpstr (message_at (model, 7), ==, "Line 0");
  g_assert_null (g_list_model_get_item (model, 8));
}

static void
test_level_and_search (void)
{
  g_autoptr (TrawlLogModel) log = trawl_log_model_new (1000);
  GListModel *model = G_LIST_MODEL (log);
  g_autoptr (GPtrArray) debug = batch (0, 4, TRAWL_LOG_DEBUG);
  g_autoptr (GPtrArray) info = batch (4, 4, TRAWL_LOG_INFO);
  g_autoptr (GPtrArray) warnings = batch (8, 2, TRAWL_LOG_WARNING);
  g_autoptr (GPtrArray) errors = batch (10, 1, TRAWL_LOG_ERROR);
  g_autoptr (GPtrArray) late = batch (11, 2, TRAWL_LOG_INFO);
  Changes changes = { 0 };

  trawl_log_model_append (log, debug);
  trawl_log_model_append (log, info);
  trawl_log_model_append (log, warnings);
  trawl_log_model_append (log, errors);
  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), &changes);

  trawl_log_model_set_min_level (log, TRAWL_LOG_WARNING);
  g_assert_cmpuint (changes.changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (message_at (model, 0), ==, "Line 10");
  trawl_log_model_set_min_level (log, TRAWL_LOG_ERROR);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* Lines that arrive while filtered are filtered too. */
  trawl_log_model_set_min_level (log, TRAWL_LOG_INFO);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  trawl_log_model_append (log, late);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 9);

  /* The search ignores case and looks in the URL as well. */
  trawl_log_model_set_search (log, "page/1");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);  /* 10, 11, 12 */
  g_assert_cmpstr (message_at (model, 2), ==, "Line 10");
  trawl_log_model_set_search (log, "LINE 5");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  trawl_log_model_set_search (log, "nothing like this");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  trawl_log_model_set_search (log, NULL);
  trawl_log_model_set_min_level (log, TRAWL_LOG_DEBUG);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 13);
  g_assert_cmpuint (trawl_log_model_get_n_lines (log), ==, 13);
}

static void
test_cap (void)
{
  g_autoptr (TrawlLogModel) log = trawl_log_model_new (100);
  GListModel *model = G_LIST_MODEL (log);

  trawl_log_model_set_min_level (log, TRAWL_LOG_WARNING);
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (GPtrArray) items = batch (i * 10, 10, i % 2 ? TRAWL_LOG_WARNING : TRAWL_LOG_INFO);

      trawl_log_model_append (log, items);
      g_assert_cmpuint (trawl_log_model_get_n_lines (log), <=, 110);
    }

  /* The newest lines stay; the visible list dropped the same old ones. */
  g_assert_cmpuint (trawl_log_model_get_n_lines (log), >=, 100);
  g_assert_cmpstr (message_at (model, 0), ==, "Line 499");
  {
    guint n = trawl_log_model_get_n_lines (log), warnings = 0;

    /* Lines 500 - n to 499 are kept; odd tens are warnings. */
    for (guint l = 500 - n; l < 500; l++)
      warnings += (l / 10) % 2;
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, warnings);
  }
  trawl_log_model_set_min_level (log, TRAWL_LOG_DEBUG);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, trawl_log_model_get_n_lines (log));
  {
    g_autofree char *oldest = g_strdup_printf ("Line %u", 500 - trawl_log_model_get_n_lines (log));

    g_assert_cmpstr (message_at (model, trawl_log_model_get_n_lines (log) - 1), ==, oldest);
  }

  trawl_log_model_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log-model/batches-newest-first", test_batches_newest_first);
  g_test_add_func ("/log-model/level-and-search", test_level_and_search);
  g_test_add_func ("/log-model/cap", test_cap);

  return g_test_run ();
}
