/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.c — driving real windows in the ui suite. */
#include "config.h"

#include "test-ui.h"

#include <gdk/x11/gdkx.h>
#include <string.h>
#include <X11/extensions/XTest.h>

#include "test-helpers.h"

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

/**
 * test_ui_find_all:
 * @root: a widget
 * @type: a widget type
 *
 * Returns: (transfer container): every widget of @type under @root, in
 *   depth-first order, hidden ones included.
 */
GPtrArray *
test_ui_find_all (GtkWidget *root,
                  GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

/* The @nth widget of @type under @root; fails the test when there is none. */
GtkWidget *
test_ui_find (GtkWidget *root,
              GType      type,
              guint      nth)
{
  g_autoptr (GPtrArray) found = test_ui_find_all (root, type);

  if (nth >= found->len)
    g_error ("no %s number %u under %s", g_type_name (type), nth, G_OBJECT_TYPE_NAME (root));
  return found->pdata[nth];
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A widget by its id in a template, for tests that must reach one
 * particular control; fails the test when there is none. */
GtkWidget *
test_ui_find_named (GtkWidget  *root,
                    const char *buildable_id)
{
  GtkWidget *found = find_named (root, buildable_id);

  if (found == NULL)
    g_error ("no widget “%s” under %s", buildable_id, G_OBJECT_TYPE_NAME (root));
  return found;
}

/* Whether @widget is shown: visible, and not a page a GtkStack hides. */
gboolean
test_ui_shown (GtkWidget *widget)
{
  return gtk_widget_get_visible (widget) && gtk_widget_get_child_visible (widget);
}

/* The text of every visible label, one a line, as a person reads the window. */
char *
test_ui_text (GtkWidget *root)
{
  g_autoptr (GPtrArray) labels = test_ui_find_all (root, GTK_TYPE_LABEL);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (labels->pdata[i]))
      g_string_append_printf (text, "%s\n", gtk_label_get_label (labels->pdata[i]));
  return g_string_free (text, FALSE);
}

/* Runs the main loop for @ms milliseconds, so the window lays out and draws. */
void
test_ui_settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (data));
}

/**
 * test_ui_press_key:
 * @window: a shown window
 * @keyval: a key, such as %GDK_KEY_Return
 *
 * Presses and releases @keyval on the X server's keyboard, as a person
 * would: the event goes through the whole of GTK's key handling, to
 * whatever has the focus in @window, which is given the X input focus
 * first.
 */
void
test_ui_press_key (GtkWidget *window,
                   guint      keyval)
{
  GdkDisplay *display = gtk_widget_get_display (window);
  Display *xdisplay;
  KeyCode code;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  if (!gtk_window_is_active (GTK_WINDOW (window)))
    {
      XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                      RevertToParent, CurrentTime);
      test_ui_wait (window_is_active, window, 5000, "the window to have the keyboard");
    }
  /* GDK's key values are X keysyms. */
  code = XKeysymToKeycode (xdisplay, keyval);
  g_assert_cmpuint (code, !=, 0);
  XTestFakeKeyEvent (xdisplay, code, True, CurrentTime);
  XTestFakeKeyEvent (xdisplay, code, False, CurrentTime);
  XFlush (xdisplay);
  test_ui_settle (50);
}

void
test_ui_wait (gboolean   (*done) (gpointer data),
              gpointer     data,
              guint        timeout_ms,
              const char  *what)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

typedef struct {
  GtkWidget  *root;
  const char *needle;
} TextWait;

static gboolean
has_text (gpointer data)
{
  TextWait *w = data;
  g_autofree char *text = test_ui_text (w->root);

  return strstr (text, w->needle) != NULL;
}

void
test_ui_wait_text (GtkWidget  *root,
                   const char *needle,
                   guint       timeout_ms)
{
  TextWait w = { root, needle };
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!has_text (&w))
    {
      if (g_get_monotonic_time () > end)
        {
          g_autofree char *text = test_ui_text (root);

          g_error ("the window never said “%s”; it says:\n%s", needle, text);
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static gboolean
crawl_ended (gpointer data)
{
  TrawlCrawl *crawl = trawl_window_get_crawl (data);

  return crawl != NULL && !trawl_crawl_is_active (crawl) &&
         trawl_crawl_get_state (crawl) != TRAWL_ENGINE_READY;
}

/* Waits for the window's crawl to end, and a little more for the views'
 * last batched updates. */
TrawlEngineState
test_ui_wait_crawl_end (TrawlWindow *window,
                        guint        timeout_ms)
{
  test_ui_wait (crawl_ended, window, timeout_ms, "the crawl to end");
  test_ui_settle (400);
  return trawl_crawl_get_state (trawl_window_get_crawl (window));
}

typedef struct {
  GtkWidget     *window;
  GskRenderNode *node;  /* owned, once taken */
  int            width, height;
} Shot;

/* Takes the window's content right after a frame was painted, when every
 * widget has its allocation and nothing has changed since: a snapshot
 * taken between frames can catch a live view half laid out. */
static void
on_after_paint (GdkFrameClock *clock,
                Shot          *shot)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  int w = gtk_widget_get_width (shot->window), h = gtk_widget_get_height (shot->window);

  if (shot->node != NULL)
    return;
  shot->width = w;
  shot->height = h;
  /* A toplevel paints through its surface: render its content on the
   * window's background colour instead. */
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.98, 0.98, 0.98, 1 }, &GRAPHENE_RECT_INIT (0, 0, w, h));
  for (GtkWidget *child = gtk_widget_get_first_child (shot->window); child; child = gtk_widget_get_next_sibling (child))
    gtk_widget_snapshot_child (shot->window, child, snapshot);
  shot->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static gboolean
shot_taken (gpointer data)
{
  return ((Shot *) data)->node != NULL;
}

/**
 * test_ui_screenshot:
 * @window: a toplevel window
 * @name: a file name such as "monitor.png"
 *
 * Renders @window and saves it as @name in $TRAWL_TEST_SCREENSHOTS when
 * set, for a person to look at, or in the test's temporary folder.
 *
 * Returns: the number of distinct colours: a blank or broken window has
 *   one or two.
 */
guint
test_ui_screenshot (GtkWidget  *window,
                    const char *name)
{
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  g_autofree guint32 *pixels = NULL;
  g_autofree char *png = g_getenv ("TRAWL_TEST_SCREENSHOTS")
                         ? g_build_filename (g_getenv ("TRAWL_TEST_SCREENSHOTS"), name, NULL)
                         : test_tmp_path (name);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  Shot shot = { window, NULL };
  gulong handler;
  int w, h;

  test_ui_settle (300);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &shot);
  gtk_widget_queue_draw (window);
  test_ui_wait (shot_taken, &shot, 5000, "a frame to be painted");
  g_signal_handler_disconnect (clock, handler);
  /* The size the frame had: a window shown just now may not have had
   * one when this was called. */
  w = shot.width;
  h = shot.height;
  g_assert_cmpint (w, >, 0);
  g_assert_cmpint (h, >, 0);

  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, shot.node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_renderer_unrealize (renderer);
  gsk_render_node_unref (shot.node);

  gdk_texture_save_to_png (texture, png);
  pixels = g_new (guint32, w * h);
  gdk_texture_download (texture, (guchar *) pixels, w * 4);
  for (int i = 0; i < w * h; i++)
    g_hash_table_add (colours, GUINT_TO_POINTER (pixels[i]));

  return g_hash_table_size (colours);
}

/* A test site on 127.0.0.1: @n_pages pages answered after @delay_ms,
 * with or without the edge cases linked from its home page. */
TrawlTestSite *
test_ui_site_new (guint    n_pages,
                  guint    delay_ms,
                  gboolean edge_cases)
{
  TrawlTestSiteOptions options = { .n_pages = n_pages, .page_delay_ms = delay_ms, .no_edge_cases = !edge_cases };
  g_autoptr (GError) error = NULL;
  TrawlTestSite *site = trawl_test_site_new (&options, &error);

  g_assert_no_error (error);
  return site;
}

/* Types @url on the start page and presses Start. */
void
test_ui_start_crawl (GtkWidget  *window,
                     const char *url)
{
  gtk_editable_set_text (GTK_EDITABLE (test_ui_find_named (window, "url_entry")), url);
  gtk_widget_activate_action (window, "win.start", NULL);
}

/* Sets up a ui test: crawls go to the test's own data folder. */
void
test_ui_init (int    *argc,
              char ***argv)
{
  g_autofree char *data_home = NULL;

  test_init (argc, argv);
  data_home = test_tmp_path ("data");
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  adw_init ();
}
