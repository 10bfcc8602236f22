/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gui-results.c — the Trawl window with a large crawl file open: how long
 * the Results view takes to sort, filter and search, how late the main
 * loop runs meanwhile, and the process's memory.  Run by bench/gui-results
 * under Xvfb; not a test. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "trawl-results-model.h"
#include "trawl-results-view.h"
#include "trawl-window.h"

static gint64 last_tick;
static gint64 max_late_us;

/* A 10 ms timer: how late it fires is how long the main loop was busy. */
static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick != 0)
    max_late_us = MAX (max_late_us, now - last_tick - 10000);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *id)
{
  const char *own = GTK_IS_BUILDABLE (root) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)) : NULL;

  if (g_strcmp0 (own, id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || (line = strstr (status, field)) == NULL)
    return -1;
  return strtol (line + strlen (field) + 1, NULL, 10);
}

static GtkWidget *window;
static GtkColumnView *column_view;

static TrawlResultsModel *
model (void)
{
  GtkSelectionModel *selection = gtk_column_view_get_model (column_view);
  GListModel *m;

  /* The view attaches its rows once it is on screen. */
  if (selection == NULL)
    return NULL;
  m = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));

  return m != NULL ? TRAWL_RESULTS_MODEL (m) : NULL;
}

/* Runs the main loop until the model has its rows and the window has
 * drawn them; returns the milliseconds since @start. */
static double
settle (gint64 start)
{
  while (model () == NULL || trawl_results_model_is_loading (model ()))
    g_main_context_iteration (NULL, TRUE);
  /* A few frames, so that the rows on screen are read and laid out. */
  for (int i = 0; i < 5; i++)
    g_main_context_iteration (NULL, FALSE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
report (const char *what,
        double      ms)
{
  printf ("%-34s %9.0f ms %9u rows  RSS %4ld MB (peak %3ld)  main loop late ≤ %3.0f ms\n", what, ms,
          g_list_model_get_n_items (G_LIST_MODEL (model ())), status_kb ("VmRSS:") / 1024, status_kb ("VmHWM:") / 1024,
          max_late_us / 1000.0);
  fflush (stdout);
  max_late_us = 0;
}

static GtkColumnViewColumn *
column_titled (const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_error ("no column %s", title);
}

int
main (int    argc,
      char **argv)
{
  const char *titles[] = { "URL", "Status", "Type", "Size", "Time", "Depth", "Title", "Inlinks", "Outlinks" };
  const char *chips[] = { "html_chip", "s2xx_chip", "s3xx_chip", "s4xx_chip", "s5xx_chip",
                          "errors_chip", "robots_chip", "external_chip" };
  GtkWidget *results;
  GtkWidget *search;
  gint64 start;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s FILE.trawl\n", argv[0]);
      return 2;
    }
  gtk_init ();
  adw_init ();
  g_log_set_debug_enabled (FALSE);
  printf ("RSS before the window: %ld MB\n", status_kb ("VmRSS:") / 1024);

  window = GTK_WIDGET (trawl_window_new (NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  /* Looked for in the Results view: GTK's own templates have ids too (a
   * drop-down's search entry is "search_entry"). */
  results = find_type (window, TRAWL_TYPE_RESULTS_VIEW);
  column_view = GTK_COLUMN_VIEW (find_named (results, "column_view"));
  search = find_named (results, "search_entry");
  g_timeout_add (10, tick, NULL);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  start = g_get_monotonic_time ();
  gtk_widget_activate_action (window, "win.open-file", "s", argv[1]);
  gtk_widget_activate_action (window, "win.view", "s", "results");
  report ("open the file", settle (start));
  /* The window builds the inlinks index in a worker when it opens a
   * crawl (at once here: the bench file has it), then the view refreshes. */
  start = g_get_monotonic_time ();
  while (!trawl_results_model_get_inlinks_known (model ()))
    g_main_context_iteration (NULL, TRUE);
  report ("inlinks known", settle (start));

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    for (int d = 0; d < 2; d++)
      {
        g_autofree char *what = g_strdup_printf ("sort by %s, %s", titles[i], d ? "descending" : "ascending");

        start = g_get_monotonic_time ();
        gtk_column_view_sort_by_column (column_view, column_titled (titles[i]),
                                        d ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
        report (what, settle (start));
      }

  start = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
  report ("unsorted (discovery order)", settle (start));

  for (guint i = 0; i < G_N_ELEMENTS (chips); i++)
    {
      GtkToggleButton *chip = GTK_TOGGLE_BUTTON (find_named (window, chips[i]));
      g_autofree char *what = g_strdup_printf ("filter %s", gtk_button_get_label (GTK_BUTTON (chip)));

      start = g_get_monotonic_time ();
      gtk_toggle_button_set_active (chip, TRUE);
      report (what, settle (start));
      gtk_toggle_button_set_active (chip, FALSE);
      settle (g_get_monotonic_time ());
    }

  {
    GtkToggleButton *html = GTK_TOGGLE_BUTTON (find_named (window, "html_chip"));
    GtkToggleButton *s4xx = GTK_TOGGLE_BUTTON (find_named (window, "s4xx_chip"));

    start = g_get_monotonic_time ();
    gtk_toggle_button_set_active (html, TRUE);
    gtk_toggle_button_set_active (s4xx, TRUE);
    gtk_column_view_sort_by_column (column_view, column_titled ("Size"), GTK_SORT_DESCENDING);
    report ("filter HTML + 4xx, sort by Size", settle (start));
    gtk_toggle_button_set_active (html, FALSE);
    gtk_toggle_button_set_active (s4xx, FALSE);
    gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
    settle (g_get_monotonic_time ());
  }

  /* The entry waits 150 ms after typing before it searches; that delay
   * is counted here. */
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (search), "page-777");
  while (trawl_results_model_get_search (model ()) == NULL)
    g_main_context_iteration (NULL, TRUE);
  report ("search \"page-777\" (after 150 ms)", settle (start));
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  while (trawl_results_model_get_search (model ()) != NULL)
    g_main_context_iteration (NULL, TRUE);
  report ("clear the search", settle (start));

  /* Jumping to a row far down, as activating a link does. */
  start = g_get_monotonic_time ();
  trawl_results_view_select_page (TRAWL_RESULTS_VIEW (results), 999000);
  report ("select and scroll to row 999,000", settle (start));

  printf ("peak RSS (VmHWM): %ld MB\n", status_kb ("VmHWM:") / 1024);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
