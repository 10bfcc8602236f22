/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-rule-tester.c — try an extraction rule on one page and see what
 * it matches, listed and highlighted in the page's source.
 *
 * The page is one the crawl stored (read from the crawl file), or else
 * fetched now with the job's settings.  Reading and parsing it, and every
 * evaluation of the rule, run in worker threads; an evaluation starts
 * 150 ms after the last key press, one at a time, and one for a rule
 * or a page that has changed since is dropped.  Where the matches lie
 * comes from TrawlRulePage, whose notes say how and what it cannot place.
 */
#define G_LOG_DOMAIN "trawl-rule-tester"

#include "config.h"

#include "trawl-rule-tester.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "trawl-extract.h"
#include "trawl-fetcher.h"
#include "trawl-page-row.h"
#include "trawl-rule-page.h"
#include "trawl-store.h"
#include "trawl-thread.h"

/* As the brief for typing says: fast enough to feel live, slow enough
 * not to evaluate every key. */
#define DEBOUNCE_MS 150
/* Rows listed; every match is highlighted. */
#define MAX_ROWS 500
/* URLs offered as completions. */
#define MAX_COMPLETIONS 5000

struct _TrawlRuleTester
{
  AdwWindow        parent_instance;

  AdwWindowTitle  *window_title;
  GtkEntry        *url_entry;
  GtkEntry        *rule_entry;
  GtkLabel        *page_status;
  GtkLabel        *rule_error;
  GtkLabel        *count_label;
  GtkListBox      *match_list;
  GtkTextView     *source_view;

  char            *path;          /* owned: the crawl file */
  TrawlJob        *job;           /* owned: for pages fetched now */
  TrawlFetcher    *fetcher;       /* owned, nullable: made at the first fetch */
  GCancellable    *cancellable;   /* owned: everything, until the window goes */
  GCancellable    *load;          /* owned, nullable: the page being read */
  TrawlRulePage   *page;          /* owned, nullable */
  GtkTextTag      *match_tag;     /* the buffer's */
  GtkTextTag      *current_tag;   /* the buffer's */
  GArray          *ranges;        /* owned: char offsets, two per listed row, -1 when not placed */
  guint            debounce;
  guint            generation;    /* of the rule and page; a test of an older one is dropped */
  gboolean         testing;
  gboolean         busy;          /* a page is read, or a test runs or waits */
};

G_DEFINE_FINAL_TYPE (TrawlRuleTester, trawl_rule_tester, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_test (TrawlRuleTester *self);

static void
set_busy (TrawlRuleTester *self)
{
  gboolean busy = self->load != NULL || self->testing || self->debounce != 0;

  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_status (TrawlRuleTester *self,
            const char      *text,
            gboolean         error)
{
  gtk_label_set_label (self->page_status, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->page_status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->page_status), "error");
}

/* Pages */

typedef struct {
  char          *path;
  char          *url;
  TrawlStoredPage *fetched;  /* owned, nullable: a page fetched now, to parse */
  TrawlRulePage *page;       /* result */
  gboolean       fetch;      /* result: the crawl did not store it */
} Load;

static void
load_free (Load *load)
{
  g_free (load->path);
  g_free (load->url);
  trawl_stored_page_free (load->fetched);
  g_clear_pointer (&load->page, trawl_rule_page_unref);
  g_free (load);
}

static gboolean
check_html (const TrawlStoredPage  *page,
            GError                **error)
{
  if (trawl_parse_wants (page->status, page->content_type))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               _("%s answered %u with %s; rules run only on HTML pages that answered 2xx"), page->url, page->status,
               page->content_type != NULL ? page->content_type : _("no content type"));
  return FALSE;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr (TrawlStoredPage) stored = NULL;
  GError *error = NULL;

  trawl_thread_lower_priority ();
  if (load->fetched == NULL)
    {
      stored = trawl_stored_page_read (load->path, load->url, &error);
      if (stored == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
      if (stored == NULL || stored->body == NULL)
        {
          load->fetch = TRUE;
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  else
    stored = g_steal_pointer (&load->fetched);
  if (!check_html (stored, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  load->page = trawl_rule_page_new (stored);
  g_task_return_boolean (task, TRUE);
}

static void
set_page (TrawlRuleTester *self,
          TrawlRulePage   *page)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->source_view);

  g_clear_pointer (&self->page, trawl_rule_page_unref);
  self->page = page != NULL ? trawl_rule_page_ref (page) : NULL;
  self->generation++;
  gtk_text_buffer_set_text (buffer, page != NULL ? trawl_rule_page_get_source (page) : "", -1);
  adw_window_title_set_subtitle (self->window_title, page != NULL ? trawl_rule_page_get_url (page) : "");
  start_test (self);
}

static void load_page (TrawlRuleTester *self, const char *url, TrawlStoredPage *fetched);

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (TrawlRuleTester) self = user_data;
  g_autoptr (TrawlFetchResult) fetch = trawl_fetcher_fetch_finish (self->fetcher, result);
  TrawlStoredPage *page;

  if (g_error_matches (fetch->error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->load == NULL)
    return;
  g_clear_object (&self->load);
  if (fetch->error != NULL || fetch->body == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The crawl did not store %s, and fetching it failed: %s"),
                                               fetch->url, fetch->error != NULL ? fetch->error->message
                                                                                : _("it is not an HTML page"));

      set_status (self, text, TRUE);
      set_busy (self);
      return;
    }
  page = g_new0 (TrawlStoredPage, 1);
  page->url = g_strdup (fetch->url);
  page->status = fetch->status;
  page->content_type = g_strdup (fetch->content_type);
  page->content_type_header = g_strdup (fetch->content_type_header);
  page->x_robots_tag = g_strdup (fetch->x_robots_tag);
  page->body = g_bytes_ref (fetch->body);
  load_page (self, fetch->url, page);
}

static void
fetch_page (TrawlRuleTester *self,
            const char      *url)
{
  set_status (self, _("The crawl did not store this page; fetching it now…"), FALSE);
  if (self->fetcher == NULL)
    self->fetcher = trawl_fetcher_new (self->job);
  self->load = g_cancellable_new ();
  trawl_fetcher_fetch_async (self->fetcher, url, TRAWL_FETCH_KEEP_HTML, TRUE, self->load, on_fetched,
                             g_object_ref (self));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TrawlRuleTester *self = TRAWL_RULE_TESTER (source);
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->load);
      set_status (self, error->message, TRUE);
      set_busy (self);
      return;
    }
  if (g_task_get_cancellable (G_TASK (result)) != self->load)
    return;
  g_clear_object (&self->load);
  if (load->fetch)
    {
      fetch_page (self, load->url);
      return;
    }
  set_status (self, g_task_get_source_tag (G_TASK (result)) == load_page
                    ? _("Read from the crawl file, as the crawl stored it.")
                    : _("Fetched now: the crawl did not store this page."), FALSE);
  set_page (self, load->page);
  set_busy (self);
}

/* Reads @url from the crawl file, or parses @fetched, in a worker. */
static void
load_page (TrawlRuleTester *self,
           const char      *url,
           TrawlStoredPage *fetched)
{
  g_autoptr (GTask) task = NULL;
  Load *load = g_new0 (Load, 1);

  if (self->load != NULL)
    g_cancellable_cancel (self->load);
  g_clear_object (&self->load);
  self->load = g_cancellable_new ();
  load->path = g_strdup (self->path);
  load->url = g_strdup (url);
  load->fetched = fetched;
  task = g_task_new (self, self->load, on_loaded, NULL);
  g_task_set_source_tag (task, fetched == NULL ? (gpointer) load_page : (gpointer) fetch_page);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);
  g_task_set_return_on_cancel (task, FALSE);
  if (fetched == NULL)
    set_status (self, _("Reading the page…"), FALSE);
  set_busy (self);
  g_task_run_in_thread (task, load_thread);
}

/* Matches */

typedef struct {
  TrawlRulePage *page;       /* owned, nullable */
  char          *rule;
  guint          generation;
  GPtrArray     *matches;    /* result, of TrawlRuleMatch */
  GArray        *chars;      /* result: char offsets, two per match, -1 when not placed */
} Test;

static void
test_free (Test *test)
{
  g_clear_pointer (&test->page, trawl_rule_page_unref);
  g_free (test->rule);
  g_clear_pointer (&test->matches, g_ptr_array_unref);
  g_clear_pointer (&test->chars, g_array_unref);
  g_free (test);
}

typedef struct {
  gsize byte;
  guint slot;
} Offset;

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  gsize x = ((const Offset *) a)->byte, y = ((const Offset *) b)->byte;

  return x < y ? -1 : x > y;
}

/* The text view counts characters; the matches count bytes.  One pass
 * over the source for all of them. */
static GArray *
char_offsets (const char *source,
              GPtrArray  *matches)
{
  GArray *chars = g_array_sized_new (FALSE, FALSE, sizeof (gint64), matches->len * 2);
  g_autoptr (GArray) offsets = g_array_new (FALSE, FALSE, sizeof (Offset));
  const char *p = source;
  gint64 count = 0;

  g_array_set_size (chars, matches->len * 2);
  for (guint i = 0; i < matches->len; i++)
    {
      TrawlRuleMatch *match = matches->pdata[i];

      g_array_index (chars, gint64, 2 * i) = g_array_index (chars, gint64, 2 * i + 1) = -1;
      if (match->start < 0)
        continue;
      g_array_append_vals (offsets, (Offset[]) { { match->start, 2 * i }, { match->end, 2 * i + 1 } }, 2);
    }
  g_array_sort (offsets, compare_offsets);
  for (guint i = 0; i < offsets->len; i++)
    {
      Offset *o = &g_array_index (offsets, Offset, i);

      count += g_utf8_strlen (p, source + o->byte - p);
      p = source + o->byte;
      g_array_index (chars, gint64, o->slot) = count;
    }
  return chars;
}

static void
test_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Test *test = task_data;
  GError *error = NULL;

  trawl_thread_lower_priority ();
  if (test->page == NULL)
    {
      /* No page yet: the rule is still checked. */
      const char *const specs[] = { test->rule, NULL };
      g_autoptr (TrawlExtractor) extractor = trawl_extractor_new (specs, &error);

      if (extractor == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  test->matches = trawl_rule_page_test (test->page, test->rule, &error);
  if (test->matches == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  test->chars = char_offsets (trawl_rule_page_get_source (test->page), test->matches);
  g_task_return_boolean (task, TRUE);
}

static void
clear_matches (TrawlRuleTester *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->source_view);
  GtkTextIter start, end;
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->match_list))) != NULL)
    gtk_list_box_remove (self->match_list, row);
  g_array_set_size (self->ranges, 0);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->match_tag, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->current_tag, &start, &end);
}

static GtkWidget *
match_row (const char *value,
           const char *where)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (value[0] != '\0' ? value : _("(empty)"));
  GtkWidget *place = gtk_label_new (where);
  g_autofree char *description = g_strdup_printf ("%s, %s", value, where);
  GtkWidget *row;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (place), 0);
  gtk_widget_add_css_class (place, "dim-label");
  gtk_widget_add_css_class (place, "caption");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), place);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  return row;
}

static void
show_rule_error (TrawlRuleTester *self,
                 const char      *message)
{
  gtk_label_set_label (self->rule_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->rule_error), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->rule_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->rule_entry), "error");
  /* Read out with the entry. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rule_entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message != NULL ? message : _("NAME = css:SELECTOR, xpath:EXPRESSION or "
                                                                "regex:PATTERN, as in the Extraction settings"),
                                  -1);
}

static void
show_matches (TrawlRuleTester *self,
              Test            *test)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->source_view);
  guint n = test->matches->len;
  g_autofree char *count = trawl_format_count (n);
  g_autofree char *heading = NULL;

  for (guint i = 0; i < n; i++)
    {
      TrawlRuleMatch *match = test->matches->pdata[i];
      gint64 start = g_array_index (test->chars, gint64, 2 * i), end = g_array_index (test->chars, gint64, 2 * i + 1);
      GtkTextIter from, to;
      g_autofree char *where = NULL;

      if (start >= 0)
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &from, start);
          gtk_text_buffer_get_iter_at_offset (buffer, &to, end);
          gtk_text_buffer_apply_tag (buffer, self->match_tag, &from, &to);
        }
      if (i >= MAX_ROWS)
        continue;
      where = start >= 0 ? g_strdup_printf (_("Line %d"), gtk_text_iter_get_line (&from) + 1)
                         : g_strdup (_("Not placed in the source"));
      gtk_list_box_append (self->match_list, match_row (match->value, where));
      g_array_append_vals (self->ranges, (gint64[]) { start, end }, 2);
    }
  if (n == 0)
    heading = g_strdup (_("No matches"));
  else if (n > MAX_ROWS)
    heading = g_strdup_printf (_("%s matches, the first %d listed"), count, MAX_ROWS);
  else
    heading = g_strdup_printf (g_dngettext (NULL, "%s match", "%s matches", n), count);
  gtk_label_set_label (self->count_label, heading);
}

static void
on_tested (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  TrawlRuleTester *self = TRAWL_RULE_TESTER (source);
  Test *test = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->testing = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  /* The rule or the page changed meanwhile: only the newest counts. */
  if (test->generation != self->generation)
    {
      if (self->debounce == 0)
        start_test (self);
      set_busy (self);
      return;
    }
  clear_matches (self);
  show_rule_error (self, ok ? NULL : error->message);
  if (!ok)
    gtk_label_set_label (self->count_label, "");
  else if (test->matches == NULL)
    gtk_label_set_label (self->count_label, _("Open a page to see what the rule matches"));
  else
    show_matches (self, test);
  set_busy (self);
}

static void
start_test (TrawlRuleTester *self)
{
  g_autoptr (GTask) task = NULL;
  const char *rule = gtk_editable_get_text (GTK_EDITABLE (self->rule_entry));
  Test *test;

  g_clear_handle_id (&self->debounce, g_source_remove);
  if (self->testing)
    {
      /* on_tested() starts the next once this one is dropped. */
      set_busy (self);
      return;
    }
  if (*rule == '\0')
    {
      clear_matches (self);
      show_rule_error (self, NULL);
      gtk_label_set_label (self->count_label, _("Type a rule to see what it matches"));
      set_busy (self);
      return;
    }
  test = g_new0 (Test, 1);
  test->page = self->page != NULL ? trawl_rule_page_ref (self->page) : NULL;
  test->rule = g_strdup (rule);
  test->generation = self->generation;
  self->testing = TRUE;
  task = g_task_new (self, self->cancellable, on_tested, NULL);
  g_task_set_source_tag (task, start_test);
  g_task_set_task_data (task, test, (GDestroyNotify) test_free);
  g_task_set_return_on_cancel (task, FALSE);
  set_busy (self);
  g_task_run_in_thread (task, test_thread);
}

static gboolean
debounced (gpointer data)
{
  TrawlRuleTester *self = data;

  self->debounce = 0;
  start_test (self);
  return G_SOURCE_REMOVE;
}

static void
on_rule_changed (TrawlRuleTester *self)
{
  self->generation++;
  g_clear_handle_id (&self->debounce, g_source_remove);
  self->debounce = g_timeout_add (DEBOUNCE_MS, debounced, self);
  set_busy (self);
}

static void
on_match_selected (TrawlRuleTester *self,
                   GtkListBoxRow   *row)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->source_view);
  GtkTextIter start, end;
  int i;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->current_tag, &start, &end);
  if (row == NULL || (i = gtk_list_box_row_get_index (row)) < 0 || (guint) (2 * i + 1) >= self->ranges->len ||
      g_array_index (self->ranges, gint64, 2 * i) < 0)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, g_array_index (self->ranges, gint64, 2 * i));
  gtk_text_buffer_get_iter_at_offset (buffer, &end, g_array_index (self->ranges, gint64, 2 * i + 1));
  gtk_text_buffer_apply_tag (buffer, self->current_tag, &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_view_scroll_to_iter (self->source_view, &start, 0.1, FALSE, 0, 0);
}

/* Enter on a match: to it in the source. */
static void
on_match_activated (TrawlRuleTester *self,
                    GtkListBoxRow   *row)
{
  on_match_selected (self, row);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

static void
on_url_activate (TrawlRuleTester *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "tester.open", NULL);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TrawlRuleTester *self = TRAWL_RULE_TESTER (widget);
  g_autofree char *url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_entry))));

  if (*url == '\0')
    {
      set_status (self, _("Type the address of a page."), TRUE);
      return;
    }
  load_page (self, url, NULL);
}

/* Completion with the crawl's HTML pages, read in a worker. */

static void
completions_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  TrawlStore *store;
  sqlite3_stmt *stmt = NULL;

  trawl_thread_lower_priority ();
  store = trawl_store_open (task_data, TRAWL_STORE_READ, &error);
  if (store != NULL && sqlite3_prepare_v2 (trawl_store_get_db (store), "SELECT url, status, content_type "
                                           "FROM pages ORDER BY id", -1, &stmt, NULL) == SQLITE_OK)
    while (urls->len < MAX_COMPLETIONS && sqlite3_step (stmt) == SQLITE_ROW)
      if (trawl_parse_wants (sqlite3_column_int (stmt, 1), (const char *) sqlite3_column_text (stmt, 2)))
        g_ptr_array_add (urls, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  trawl_store_free (store);
  g_task_return_pointer (task, g_steal_pointer (&urls), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
match_anywhere (GtkEntryCompletion *completion,
                const char         *key,
                GtkTreeIter        *iter,
                gpointer            user_data)
{
  g_autofree char *url = NULL;
  g_autofree char *folded = NULL;

  gtk_tree_model_get (gtk_entry_completion_get_model (completion), iter, 0, &url, -1);
  folded = url != NULL ? g_utf8_casefold (url, -1) : NULL;
  /* GTK gives the key case-folded. */
  return folded != NULL && strstr (folded, key) != NULL;
}

static void
on_completions (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TrawlRuleTester *self;
  g_autoptr (GPtrArray) urls = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr (GtkEntryCompletion) completion = NULL;
  g_autoptr (GtkListStore) store = NULL;

  if (urls == NULL || g_task_had_error (G_TASK (result)))
    return;
  self = TRAWL_RULE_TESTER (source);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  store = gtk_list_store_new (1, G_TYPE_STRING);
  for (guint i = 0; i < urls->len; i++)
    gtk_list_store_insert_with_values (store, NULL, -1, 0, urls->pdata[i], -1);
  completion = gtk_entry_completion_new ();
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (store));
  gtk_entry_completion_set_text_column (completion, 0);
  gtk_entry_completion_set_match_func (completion, match_anywhere, NULL, NULL);
  gtk_entry_completion_set_minimum_key_length (completion, 2);
  gtk_entry_set_completion (self->url_entry, completion);
}

static void
trawl_rule_tester_dispose (GObject *object)
{
  TrawlRuleTester *self = TRAWL_RULE_TESTER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->load != NULL)
    g_cancellable_cancel (self->load);
  g_clear_object (&self->load);
  g_clear_handle_id (&self->debounce, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_RULE_TESTER);
  G_OBJECT_CLASS (trawl_rule_tester_parent_class)->dispose (object);
}

static void
trawl_rule_tester_finalize (GObject *object)
{
  TrawlRuleTester *self = TRAWL_RULE_TESTER (object);

  g_clear_pointer (&self->page, trawl_rule_page_unref);
  g_clear_pointer (&self->fetcher, trawl_fetcher_free);
  g_clear_pointer (&self->job, trawl_job_free);
  g_clear_pointer (&self->ranges, g_array_unref);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  G_OBJECT_CLASS (trawl_rule_tester_parent_class)->finalize (object);
}

static void
trawl_rule_tester_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, TRAWL_RULE_TESTER (object)->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
trawl_rule_tester_class_init (TrawlRuleTesterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_rule_tester_dispose;
  object_class->finalize = trawl_rule_tester_finalize;
  object_class->get_property = trawl_rule_tester_get_property;

  /**
   * TrawlRuleTester:busy:
   *
   * Whether a page is being read or the rule is about to be, or being,
   * tried on it.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-rule-tester.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, window_title);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, url_entry);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, rule_entry);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, page_status);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, rule_error);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, count_label);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, match_list);
  gtk_widget_class_bind_template_child (widget_class, TrawlRuleTester, source_view);
  gtk_widget_class_bind_template_callback (widget_class, on_url_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_rule_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_match_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_match_activated);

  gtk_widget_class_install_action (widget_class, "tester.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
trawl_rule_tester_init (TrawlRuleTester *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->ranges = g_array_new (FALSE, FALSE, sizeof (gint64));
  buffer = gtk_text_view_get_buffer (self->source_view);
  self->match_tag = gtk_text_buffer_create_tag (buffer, "match", "background", "#f8e45c", "foreground", "#000000",
                                                NULL);
  self->current_tag = gtk_text_buffer_create_tag (buffer, "current", "background", "#f5c211",
                                                  "weight", PANGO_WEIGHT_BOLD, NULL);
  gtk_label_set_label (self->count_label, _("Type a rule to see what it matches"));
}

/**
 * trawl_rule_tester_new:
 * @parent: (nullable): the window it belongs to
 * @crawl_path: the crawl whose pages it reads
 * @job: the settings pages are fetched with when the crawl did not store them
 *
 * Returns: (transfer none): a new tester window, not shown yet
 */
TrawlRuleTester *
trawl_rule_tester_new (GtkWindow      *parent,
                       const char     *crawl_path,
                       const TrawlJob *job)
{
  TrawlRuleTester *self;
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (crawl_path != NULL, NULL);
  g_return_val_if_fail (job != NULL, NULL);

  self = g_object_new (TRAWL_TYPE_RULE_TESTER, "transient-for", parent, NULL);
  self->path = g_strdup (crawl_path);
  self->job = trawl_job_copy (job);
  task = g_task_new (self, self->cancellable, on_completions, NULL);
  g_task_set_source_tag (task, trawl_rule_tester_new);
  g_task_set_task_data (task, g_strdup (crawl_path), g_free);
  g_task_run_in_thread (task, completions_thread);
  return self;
}

/**
 * trawl_rule_tester_open_url:
 * @self: the tester
 * @url: a page of the crawl, or any web address
 *
 * Shows @url's source, as stored by the crawl or else fetched now.
 */
void
trawl_rule_tester_open_url (TrawlRuleTester *self,
                            const char      *url)
{
  g_return_if_fail (TRAWL_IS_RULE_TESTER (self));
  g_return_if_fail (url != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  gtk_widget_activate_action (GTK_WIDGET (self), "tester.open", NULL);
}

/**
 * trawl_rule_tester_set_rule:
 * @self: the tester
 * @rule: a rule, as the Extraction settings take it
 */
void
trawl_rule_tester_set_rule (TrawlRuleTester *self,
                            const char      *rule)
{
  g_return_if_fail (TRAWL_IS_RULE_TESTER (self));
  g_return_if_fail (rule != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->rule_entry), rule);
}

gboolean
trawl_rule_tester_is_busy (TrawlRuleTester *self)
{
  g_return_val_if_fail (TRAWL_IS_RULE_TESTER (self), FALSE);
  return self->busy;
}
