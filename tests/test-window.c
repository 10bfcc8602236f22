/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c — the window, driven through its actions under Xvfb. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"
#include "trawl-window.h"

#include <string.h>

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static GtkWidget *
find_first (GtkWidget *root,
            GType      type)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect (root, type, found);
  g_assert_cmpuint (found->len, >, 0);
  return found->pdata[0];
}

/* The text of every label, one a line, as a person reads the window. */
static char *
window_text (GtkWidget *root)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  collect (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    g_string_append_printf (text, "%s\n", gtk_label_get_label (labels->pdata[i]));
  return g_string_free (text, FALSE);
}

static void
iterate_until (GtkWidget  *root,
               const char *needle,
               guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *text = window_text (root);

      if (strstr (text, needle) != NULL)
        return;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_error ("the window never said “%s”; it says:\n%s", needle, window_text (root));
}

/* Renders the window and counts its distinct colours: a blank or broken
 * window has one or two. */
static guint
screenshot_colours (GtkWidget  *window,
                    const char *png)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_autofree guint32 *pixels = NULL;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  /* The window draws the background behind its content; stand in for it. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1 }, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gtk_widget_snapshot_child (gtk_widget_get_parent (window), window, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_renderer_unrealize (renderer);

  gdk_texture_save_to_png (texture, png);
  pixels = g_new (guint32, w * h);
  gdk_texture_download (texture, (guchar *) pixels, w * 4);
  for (int i = 0; i < w * h; i++)
    g_hash_table_add (colours, GUINT_TO_POINTER (pixels[i]));

  return g_hash_table_size (colours);
}

static void
test_crawl_from_window (void)
{
  TrawlTestSiteOptions options = { .n_pages = 30, .no_edge_cases = TRUE };
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, NULL);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  /* TRAWL_TEST_SCREENSHOTS keeps the screenshots for a person to look at. */
  g_autofree char *png = g_getenv ("TRAWL_TEST_SCREENSHOTS")
                         ? g_build_filename (g_getenv ("TRAWL_TEST_SCREENSHOTS"), "window.png", NULL)
                         : test_tmp_path ("window.png");
  GtkWidget *entry;
  sqlite3 *db;

  gtk_window_present (GTK_WINDOW (window));
  iterate_until (window, "Crawl a Website", 5000);
  entry = find_first (window, GTK_TYPE_ENTRY);

  /* A bad address is refused with a sentence, and nothing starts. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "not a website");
  gtk_widget_activate_action (window, "win.start", NULL);
  iterate_until (window, "is not a valid web address", 2000);
  g_assert_null (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));

  /* A good one crawls the whole site into a file. */
  gtk_editable_set_text (GTK_EDITABLE (entry), trawl_test_site_get_url (site));
  gtk_widget_activate_action (window, "win.start", NULL);
  g_assert_true (trawl_window_is_crawling (TRAWL_WINDOW (window)));
  iterate_until (window, "finished — ", 60000);
  g_assert_false (trawl_window_is_crawling (TRAWL_WINDOW (window)));

  db = test_open_db (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));
  /* "/", 30 pages, and the sitemap index, its two sitemaps and two orphans. */
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 36);
  sqlite3_close (db);
  {
    g_autofree char *text = window_text (window);

    g_assert_nonnull (strstr (text, "36 fetched"));
  }

  /* Let the window lay out and draw its last changes. */
  for (gint64 end = g_get_monotonic_time () + 300 * 1000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);

  /* A toplevel paints through its surface, so render its content. */
  g_assert_cmpuint (screenshot_colours (gtk_widget_get_parent (find_first (window, ADW_TYPE_HEADER_BAR)), png), >, 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = NULL;

  test_init (&argc, &argv);
  /* Crawls are saved in the user's data folder: keep them in the test's. */
  data_home = test_tmp_path ("data");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  adw_init ();

  g_test_add_func ("/window/crawl", test_crawl_from_window);

  return g_test_run ();
}
