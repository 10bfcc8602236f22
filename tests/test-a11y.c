/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-a11y.c — every control of every view can be reached from the
 * keyboard and has a name a screen reader can say.
 *
 * The window crawls the test site, then each view is shown in turn (the
 * Setup view on both its pages, Results with a page selected) and every
 * control on screen is checked: it, or the part of it that takes the
 * keyboard, can be focused; and it is named, by its own text, an
 * accessible label, or a label it is "labelled by".  GTK_A11Y=test gives
 * each widget an accessibility context, read with gtk_test_accessible_*.
 */
#include "config.h"

#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-setup-view.h"

/* The widgets a person operates. */
static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) ||
         GTK_IS_SWITCH (widget) || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) ||
         GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_SCALE (widget) || ADW_IS_ENTRY_ROW (widget) || ADW_IS_SPLIT_BUTTON (widget) ||
         ADW_IS_COMBO_ROW (widget) ||
         (GTK_IS_LIST_BOX_ROW (widget) && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget))) ||
         (GTK_IS_TEXT_VIEW (widget) && gtk_text_view_get_editable (GTK_TEXT_VIEW (widget)));
}

/* Controls whose parts are GTK's own business: the parts are not
 * checked, the control is. */
static gboolean
is_compound (GtkWidget *widget)
{
  return GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
         GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget) ||
         ADW_IS_ENTRY_ROW (widget) || ADW_IS_SPLIT_BUTTON (widget) || GTK_IS_SCALE (widget) ||
         ADW_IS_COMBO_ROW (widget);
}

/* Whether @widget or one of its parts takes the keyboard focus. */
static gboolean
takes_focus (GtkWidget *widget)
{
  if (!gtk_widget_get_can_focus (widget) || !gtk_widget_get_visible (widget))
    return FALSE;
  if (gtk_widget_get_focusable (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (takes_focus (child))
      return TRUE;
  return FALSE;
}

/* Whether every widget above @widget lets the focus through. */
static gboolean
ancestors_let_focus (GtkWidget *widget)
{
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_can_focus (w))
      return FALSE;
  return TRUE;
}

/* Whether @widget shows a text of its own: a button's label or the
 * label inside it. */
static gboolean
has_own_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_widget_get_visible (widget) && strlen (gtk_label_get_text (GTK_LABEL (widget))) > 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_own_text (child))
      return TRUE;
  return FALSE;
}

static gboolean
is_named (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  /* An entry's placeholder is not a name: it goes once there is text. */
  if (GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
      GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_SCALE (widget) ||
      GTK_IS_SWITCH (widget))
    return FALSE;
  /* An entry or combo row is named by its title. */
  if (ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget))
    return strlen (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget))) > 0;
  return has_own_text (widget);
}

static char *
describe (GtkWidget *widget)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  GString *path = g_string_new (G_OBJECT_TYPE_NAME (widget));

  if (id != NULL)
    g_string_append_printf (path, " “%s”", id);
  if (tooltip != NULL)
    g_string_append_printf (path, " (tooltip “%s”)", tooltip);
  /* Where it is: the nearest ancestors with an id or a title. */
  for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
    {
      const char *wid = gtk_buildable_get_buildable_id (GTK_BUILDABLE (w));

      if (ADW_IS_PREFERENCES_ROW (w))
        {
          g_string_append_printf (path, " in row “%s”", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)));
          break;
        }
      if (wid != NULL)
        {
          g_string_append_printf (path, " in %s “%s”", G_OBJECT_TYPE_NAME (w), wid);
          break;
        }
    }
  return g_string_free (path, FALSE);
}

static void
check_tree (GtkWidget  *widget,
            const char *view,
            GPtrArray  *problems,
            guint      *n_checked)
{
  /* Minimize, maximize and close: the window manager's, by key too. */
  if (!gtk_widget_get_mapped (widget) || GTK_IS_WINDOW_CONTROLS (widget))
    return;
  if (is_control (widget))
    {
      g_autofree char *what = describe (widget);

      (*n_checked)++;
      if (g_getenv ("TRAWL_A11Y_LIST") != NULL)
        g_test_message ("%s: %s", view, what);
      if (gtk_widget_is_sensitive (widget) && (!takes_focus (widget) || !ancestors_let_focus (widget)))
        g_ptr_array_add (problems, g_strdup_printf ("%s: %s cannot be reached with the keyboard", view, what));
      if (!is_named (widget))
        g_ptr_array_add (problems, g_strdup_printf ("%s: %s has no name for a screen reader", view, what));
      if (is_compound (widget))
        return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_tree (child, view, problems, n_checked);
}

static void
test_every_control (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (30, 0, TRUE);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  sqlite3 *db;
  gint64 redirect;
  guint n_checked = 0;
  const struct {
    const char *view;
    const char *action;   /* shows the part of the view to check, or NULL */
    const char *label;
  } steps[] = {
    { "setup", "setup.show-start", "Setup, start page" },
    { "setup", "setup.show-editor", "Setup, All Settings" },
    { "monitor", NULL, "Monitor" },
    { "results", NULL, "Results with a page selected" },
    { "items", NULL, "Items" },
    { "issues", NULL, "Issues" },
  };

  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);

  db = test_open_db (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));
  redirect = test_query_int (db, "SELECT id FROM pages WHERE url LIKE '%%/edge/redirect'");
  sqlite3_close (db);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      gtk_widget_activate_action (window, "win.view", "s", steps[i].view);
      if (steps[i].action != NULL)
        gtk_widget_activate_action (test_ui_find (window, TRAWL_TYPE_SETUP_VIEW, 0), steps[i].action, NULL);
      /* A page selected, so that the detail pane is there too. */
      if (g_str_equal (steps[i].view, "results"))
        {
          gtk_widget_activate_action (window, "win.show-page", "x", redirect);
          test_ui_wait_text (window, "Redirect Chain", 5000);
        }
      test_ui_settle (300);
      check_tree (window, steps[i].label, problems, &n_checked);
    }

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (char *) problems->pdata[i]);
  /* The header, the view switcher and every setting: far more than a few. */
  g_test_message ("%u controls checked", n_checked);
  g_assert_cmpuint (n_checked, >, 80);
  g_assert_cmpuint (problems->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  /* Before GTK starts: a context for each widget, without a bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  test_ui_init (&argc, &argv);
  g_test_add_func ("/a11y/every-control", test_every_control);
  return g_test_run ();
}
