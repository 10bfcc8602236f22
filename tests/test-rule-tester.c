/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rule-tester.c — trying a rule on a crawled page: the matches
 * listed, highlighted in the source, and a bad rule's sentence. */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-rule-tester.h"
#include "trawl-test-site.h"
#include "trawl-window.h"

static TrawlRuleTester *
find_tester (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  TrawlRuleTester *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) window = g_list_model_get_item (toplevels, i);

      if (TRAWL_IS_RULE_TESTER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        found = TRAWL_RULE_TESTER (window);
    }
  g_assert_nonnull (found);
  return found;
}

static gboolean
idle (gpointer data)
{
  return !trawl_rule_tester_is_busy (data);
}

static void
wait_idle (TrawlRuleTester *tester)
{
  test_ui_wait (idle, tester, 10000, "the tester to finish");
  test_ui_settle (50);
}

/* Types @text into the entry named @name a character at a time, as a
 * person does: every key starts a test that the next one makes stale. */
static void
type_into (TrawlRuleTester *tester,
           const char      *name,
           const char      *text)
{
  GtkEditable *entry = GTK_EDITABLE (test_ui_find_named (GTK_WIDGET (tester), name));

  gtk_editable_set_text (entry, "");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *typed = g_strndup (text, g_utf8_next_char (p) - text);

      gtk_editable_set_text (entry, typed);
      test_ui_settle (g_random_int_range (5, 60));
    }
}

static void
open_page (TrawlRuleTester *tester,
           const char      *url)
{
  GtkWidget *entry = test_ui_find_named (GTK_WIDGET (tester), "url_entry");

  gtk_editable_set_text (GTK_EDITABLE (entry), url);
  g_signal_emit_by_name (entry, "activate");
  wait_idle (tester);
}

static const char *
label_of (TrawlRuleTester *tester,
          const char      *name)
{
  return gtk_label_get_label (GTK_LABEL (test_ui_find_named (GTK_WIDGET (tester), name)));
}

/* The texts of the matches listed. */
static char *
listed (TrawlRuleTester *tester)
{
  GtkWidget *list = test_ui_find_named (GTK_WIDGET (tester), "match_list");
  g_autoptr (GString) out = g_string_new (NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

      g_string_append_printf (out, "%s%s", out->len > 0 ? "|" : "",
                              gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box))));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The source text under the highlight, range by range. */
static char *
highlighted (TrawlRuleTester *tester)
{
  GtkTextView *view = GTK_TEXT_VIEW (test_ui_find_named (GTK_WIDGET (tester), "source_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "match");
  g_autoptr (GString) out = g_string_new (NULL);
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  while (gtk_text_iter_starts_tag (&iter, tag) || gtk_text_iter_forward_to_tag_toggle (&iter, tag))
    {
      GtkTextIter end = iter;
      g_autofree char *text = NULL;

      if (!gtk_text_iter_starts_tag (&iter, tag))
        continue;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      text = gtk_text_buffer_get_text (buffer, &iter, &end, FALSE);
      g_string_append_printf (out, "%s%s", out->len > 0 ? "|" : "", text);
      iter = end;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_rules (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (20, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("tester.trawl");
  g_autofree char *page = g_strconcat (trawl_test_site_get_url (site), "page/3.html", NULL);
  const char *rules[] = { "heading = css:h1", NULL };
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlRuleTester *tester;
  GtkWidget *error_label;
  g_autofree char *text = NULL;

  job->store_bodies = TRUE;
  job->extract = g_strdupv ((char **) rules);
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  /* From the Items view's button. */
  gtk_widget_activate_action (window, "win.view", "s", "items");
  test_ui_settle (200);
  g_assert_true (gtk_widget_is_sensitive (test_ui_find_named (window, "test_rule_button")));
  g_signal_emit_by_name (test_ui_find_named (window, "test_rule_button"), "clicked");
  tester = find_tester ();
  wait_idle (tester);
  /* It opens on the start page with the crawl's first rule. */
  g_assert_cmpstr (label_of (tester, "page_status"), ==, "Read from the crawl file, as the crawl stored it.");
  g_assert_cmpstr (label_of (tester, "count_label"), ==, "1 match");
  text = listed (tester);
  g_assert_cmpstr (text, ==, "Trawl test site");
  g_clear_pointer (&text, g_free);

  open_page (tester, page);
  type_into (tester, "rule_entry", "h = css:h1");
  wait_idle (tester);
  g_assert_cmpstr (label_of (tester, "count_label"), ==, "1 match");
  text = listed (tester);
  g_assert_cmpstr (text, ==, "Heading 3");
  g_clear_pointer (&text, g_free);
  text = highlighted (tester);
  g_assert_cmpstr (text, ==, "<h1>Heading 3</h1>");
  g_clear_pointer (&text, g_free);

  type_into (tester, "rule_entry", "links[] = css:li a");
  wait_idle (tester);
  g_assert_cmpstr (label_of (tester, "count_label"), ==, "4 matches");
  text = listed (tester);
  g_assert_cmpstr (text, ==, "/page/7.html|/page/8.html|/page/4.html|Home");
  g_clear_pointer (&text, g_free);
  text = highlighted (tester);
  g_assert_true (g_str_has_prefix (text, "<a href=\"../page/7.html\">/page/7.html</a>|<a href=\"http"));
  g_assert_true (g_str_has_suffix (text, "|<a href=\"/page/4.html\">/page/4.html</a>|<a href=\"../\">Home</a>"));
  g_clear_pointer (&text, g_free);
  g_assert_cmpuint (test_ui_screenshot (GTK_WIDGET (tester), "rule-tester.png"), >, 20);

  /* A bad rule: its sentence under the entry, nothing highlighted. */
  error_label = test_ui_find_named (GTK_WIDGET (tester), "rule_error");
  g_assert_false (gtk_widget_get_visible (error_label));
  type_into (tester, "rule_entry", "x = css:li:hover");
  wait_idle (tester);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "uses :hover, which is not supported"));
  text = highlighted (tester);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);
  text = listed (tester);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);

  /* A regex: its group, and exactly its bytes. */
  type_into (tester, "rule_entry", "n[] = regex:Page (\\d+)");
  wait_idle (tester);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (label_of (tester, "count_label"), ==, "1 match");
  text = highlighted (tester);
  g_assert_cmpstr (text, ==, "3");
  g_clear_pointer (&text, g_free);

  /* XPath, and a value with no place in the source. */
  type_into (tester, "rule_entry", "n = xpath:count(//li)");
  wait_idle (tester);
  text = listed (tester);
  g_assert_cmpstr (text, ==, "4");
  g_clear_pointer (&text, g_free);
  text = highlighted (tester);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);

  gtk_window_destroy (GTK_WINDOW (tester));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A crawl that kept no bodies: the page is fetched now. */
static void
test_fetched (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (5, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("tester-plain.trawl");
  g_autofree char *page = g_strconcat (trawl_test_site_get_url (site), "page/2.html", NULL);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlRuleTester *tester;
  g_autofree char *text = NULL;

  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.test-rule", NULL);
  tester = find_tester ();
  wait_idle (tester);
  open_page (tester, page);
  g_assert_cmpstr (label_of (tester, "page_status"), ==, "Fetched now: the crawl did not store this page.");
  type_into (tester, "rule_entry", "t = css:title");
  wait_idle (tester);
  text = highlighted (tester);
  g_assert_cmpstr (text, ==, "<title>Page 2</title>");
  g_clear_pointer (&text, g_free);

  /* Not a web page at all. */
  open_page (tester, "not a web address");
  g_assert_true (g_str_has_prefix (label_of (tester, "page_status"), "The crawl did not store not a web address, and "
                                                                     "fetching it failed: "));
  gtk_window_destroy (GTK_WINDOW (tester));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);
  g_test_add_func ("/rule-tester/rules", test_rules);
  g_test_add_func ("/rule-tester/fetched", test_fetched);
  return g_test_run ();
}
