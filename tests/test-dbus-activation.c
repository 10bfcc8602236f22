/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-dbus-activation.c — Trawl started by the session bus, as GNOME Shell
 * and the file manager start it (the desktop file says DBusActivatable).
 *
 * The bus is a dbus-daemon of the test's own (GTestDBus) whose only service
 * is the one tests/meson.build makes from data/io.github.trawl.Trawl.service.in
 * for the build tree: the same template as the installed file, naming the
 * trawl built here.  The test talks to Trawl only as the desktop does, over
 * D-Bus, and looks at its windows as a person would, by their titles on the
 * X server (Xvfb) it runs under. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>

#define APP_PATH "/io/github/trawl/Trawl"

/* Long enough for a start under the sanitizers: the bus itself gives up
 * on a service that has not appeared after 25 seconds. */
#define CALL_TIMEOUT_MS 60000

static GDBusConnection *bus;  /* owned while the test runs */

/* Removes @path and, for a folder, everything in it. */
static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

static GVariant *
call (const char         *path,
      const char         *interface,
      const char         *method,
      GVariant           *parameters,
      const GVariantType *reply_type,
      GError            **error)
{
  gboolean is_bus = g_str_equal (interface, "org.freedesktop.DBus");

  return g_dbus_connection_call_sync (bus,
                                      is_bus ? "org.freedesktop.DBus" : APPLICATION_ID,
                                      path, interface, method, parameters, reply_type,
                                      G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, NULL, error);
}

static gboolean
name_has_owner (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = call ("/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
                                     g_variant_new ("(s)", APPLICATION_ID), G_VARIANT_TYPE ("(b)"), &error);
  gboolean owned;

  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* The names of the actions exported at @path, sorted. */
static GStrv
list_actions (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = call (path, "org.gtk.Actions", "List", NULL, G_VARIANT_TYPE ("(as)"), &error);
  GStrv names;

  g_assert_no_error (error);
  g_variant_get (reply, "(^as)", &names);
  return names;
}

/* An X error is a window that went away between listing the windows and
 * reading its title, which the default handler would make fatal. */
static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  return 0;
}

/* The titles of the mapped top-level windows on the X server, sorted: what
 * a window list or Alt+Tab would show. */
static GPtrArray *
window_titles (Display *display)
{
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);
  Atom net_wm_name = XInternAtom (display, "_NET_WM_NAME", False);
  Atom utf8_string = XInternAtom (display, "UTF8_STRING", False);
  Window root, parent, *children = NULL;
  unsigned int n_children = 0;

  XSync (display, False);
  if (!XQueryTree (display, DefaultRootWindow (display), &root, &parent, &children, &n_children))
    return titles;
  for (unsigned int i = 0; i < n_children; i++)
    {
      XWindowAttributes attributes;
      Atom type;
      int format;
      unsigned long n_items, bytes_after;
      unsigned char *value = NULL;

      if (!XGetWindowAttributes (display, children[i], &attributes) || attributes.map_state != IsViewable)
        continue;
      if (XGetWindowProperty (display, children[i], net_wm_name, 0, 1024, False, utf8_string,
                              &type, &format, &n_items, &bytes_after, &value) == Success &&
          value != NULL && type == utf8_string && format == 8)
        g_ptr_array_add (titles, g_strndup ((const char *) value, n_items));
      if (value != NULL)
        XFree (value);
    }
  if (children != NULL)
    XFree (children);
  g_ptr_array_sort (titles, test_strcmp_ptr);
  return titles;
}

static char *
join_titles (GPtrArray *titles)
{
  g_autoptr (GString) joined = g_string_new (NULL);

  for (guint i = 0; i < titles->len; i++)
    g_string_append_printf (joined, "%s“%s”", i > 0 ? ", " : "", (const char *) g_ptr_array_index (titles, i));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* Waits until the windows on the screen are exactly @expected (sorted,
 * NULL-terminated; empty for none). */
static void
wait_for_windows (Display           *display,
                  const char *const *expected)
{
  g_autofree char *wanted = NULL;
  g_autofree char *seen = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC * test_slowdown ();

  {
    g_autoptr (GPtrArray) expected_titles = g_ptr_array_new ();

    for (guint i = 0; expected[i] != NULL; i++)
      g_ptr_array_add (expected_titles, (gpointer) expected[i]);
    wanted = join_titles (expected_titles);
  }
  for (;;)
    {
      g_autoptr (GPtrArray) titles = window_titles (display);

      g_clear_pointer (&seen, g_free);
      seen = join_titles (titles);
      if (g_str_equal (seen, wanted))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("Expected the windows [%s] on the screen, found [%s]", wanted, seen);
      g_usleep (50 * 1000);
    }
}

/* A finished crawl of a small test site, at @path. */
static void
make_crawl_file (const char *path)
{
  TrawlTestSiteOptions options = { .n_pages = 5, .no_edge_cases = TRUE };
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlTestSite) site = trawl_test_site_new (&options, &error);
  g_autoptr (TrawlJob) job = NULL;

  g_assert_no_error (error);
  job = test_job_new (trawl_test_site_get_url (site));
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
}

static void
test_activation (gconstpointer data)
{
  Display *display = (Display *) data;
  const char *builddir = g_getenv ("TRAWL_BUILDDIR");
  g_autofree char *program = g_build_filename (builddir, "app", "gui", "trawl", NULL);
  g_autofree char *crawl_path = test_tmp_path ("activated.trawl");
  g_autofree char *crawl_name = g_path_get_basename (crawl_path);
  g_autofree char *crawl_uri = g_filename_to_uri (crawl_path, NULL, NULL);
  g_autofree char *proc_exe = NULL;
  g_autofree char *exe = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) activatable = NULL;
  g_auto (GStrv) app_actions = NULL;
  g_auto (GStrv) window_actions = NULL;
  const char *const no_windows[] = { NULL };
  const char *const untitled[] = { "Trawl", NULL };
  const char *const opened[] = { crawl_name, NULL };
  const char *uris[] = { crawl_uri, NULL };
  guint32 pid;
  gint64 deadline;

  make_crawl_file (crawl_path);

  /* Nothing runs yet, but the bus knows how to start Trawl. */
  reply = call ("/org/freedesktop/DBus", "org.freedesktop.DBus", "ListActivatableNames", NULL,
                G_VARIANT_TYPE ("(as)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^as)", &activatable);
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_true (g_strv_contains ((const char *const *) activatable, APPLICATION_ID));
  g_assert_false (name_has_owner ());
  wait_for_windows (display, no_windows);

  /* What GNOME Shell sends when Trawl is clicked: the bus starts the
   * program its service file names and hands it the call. */
  reply = call (APP_PATH, "org.freedesktop.Application", "Activate",
                g_variant_new_parsed ("(@a{sv} {},)"), NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_true (name_has_owner ());

  reply = call ("/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                g_variant_new ("(s)", APPLICATION_ID), G_VARIANT_TYPE ("(u)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  g_clear_pointer (&reply, g_variant_unref);
  proc_exe = g_strdup_printf ("/proc/%u/exe", pid);
  exe = g_file_read_link (proc_exe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exe, ==, program);

  /* Its application actions are there for the shell's menus, and the
   * window it opened has its own (the shortcuts window, Ctrl+?). */
  app_actions = list_actions (APP_PATH);
  g_assert_true (g_strv_contains ((const char *const *) app_actions, "quit"));
  g_assert_true (g_strv_contains ((const char *const *) app_actions, "about"));
  window_actions = list_actions (APP_PATH "/window/1");
  g_assert_true (g_strv_contains ((const char *const *) window_actions, "show-help-overlay"));
  wait_for_windows (display, untitled);

  /* What the file manager sends for a double-clicked .trawl file: the
   * crawl opens in the empty window, which takes the file's name. */
  reply = call (APP_PATH, "org.freedesktop.Application", "Open",
                g_variant_new ("(^as@a{sv})", uris, g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  wait_for_windows (display, opened);

  /* Quit from the shell's menu: the program ends and gives up its name. */
  reply = call (APP_PATH, "org.gtk.Actions", "Activate",
                g_variant_new_parsed ("('quit', @av [], @a{sv} {})"), NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);

  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC * test_slowdown ();
  while (name_has_owner () || !(kill ((pid_t) pid, 0) == -1 && errno == ESRCH))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Trawl (process %u) was still running 20 s after app.quit", pid);
      g_usleep (50 * 1000);
    }
  wait_for_windows (display, no_windows);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GTestDBus) bus_daemon = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *scratch = NULL;
  g_autofree char *services = NULL;
  g_autofree char *service = NULL;
  g_autofree char *contents = NULL;
  const char *const homes[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  Display *display;
  int status;

  test_init (&argc, &argv);

  /* The X server of xvfb-run; g_test_dbus_up() unsets DISPLAY for this
   * process once the daemon, and so Trawl, has inherited it. */
  display = XOpenDisplay (NULL);
  if (display == NULL)
    g_error ("The D-Bus activation test needs an X server (meson runs it under xvfb-run)");
  XSetErrorHandler (ignore_x_error);

  /* Trawl inherits the daemon's environment: the build's schemas and
   * settings in memory from meson, and here folders of the test's own
   * for everything it might keep, such as the recent files. */
  scratch = g_dir_make_tmp ("trawl-dbus-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (homes); i++)
    {
      g_autofree char *folder = g_build_filename (scratch, homes[i], NULL);

      g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
      g_setenv (homes[i], folder, TRUE);
    }

  /* A folder with the build tree's service file and nothing else. */
  services = g_build_filename (scratch, "services", NULL);
  g_assert_cmpint (g_mkdir (services, 0700), ==, 0);
  g_file_get_contents (g_getenv ("TRAWL_DBUS_SERVICE"), &contents, NULL, &error);
  g_assert_no_error (error);
  service = g_build_filename (services, APPLICATION_ID ".service", NULL);
  g_file_set_contents (service, contents, -1, &error);
  g_assert_no_error (error);

  bus_daemon = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (bus_daemon, services);
  g_test_dbus_up (bus_daemon);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  g_test_add_data_func ("/dbus-activation/activate-open-quit", display, test_activation);
  status = g_test_run ();

  g_clear_object (&bus);
  g_test_dbus_down (bus_daemon);
  XCloseDisplay (display);
  remove_tree (scratch);
  return status;
}
