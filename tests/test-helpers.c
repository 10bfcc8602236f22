/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-helpers.c — running crawls and reading crawl files in tests. */
#define _GNU_SOURCE  /* memmem(), unshare() */
#include "config.h"

#include "test-helpers.h"
#include "trawl-test-site.h"

#include <gio/gio.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

static char *tmp_dir;
static gboolean own_mounts;  /* the process has a mount namespace of its own */

static void
remove_tmp_dir (void)
{
  g_autoptr (GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (tmp_dir);
}

/* The address of a port on 127.0.0.1 that was free a moment ago and is
 * closed again: every connection to it is refused. */
char *
test_refused_url (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  g_socket_close (socket, NULL);
  return g_strdup_printf ("http://127.0.0.1:%u/", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* A path in a folder of this test run's own, removed at exit. */
char *
test_tmp_path (const char *name)
{
  if (tmp_dir == NULL)
    {
      tmp_dir = g_dir_make_tmp ("trawl-test-XXXXXX", NULL);
      g_assert_nonnull (tmp_dir);
      atexit (remove_tmp_dir);
    }
  return g_build_filename (tmp_dir, name, NULL);
}

/* How many times slower than usual the tests run: $TRAWL_TEST_SLOWDOWN,
 * which meson test --setup valgrind sets, else 1.  A test multiplies the
 * slack it allows for the machine's timing by it, never what it checks. */
double
test_slowdown (void)
{
  const char *value = g_getenv ("TRAWL_TEST_SLOWDOWN");
  double factor = value != NULL ? g_ascii_strtod (value, NULL) : 1;

  return MAX (factor, 1);
}

/* A job for the test site: fast, but otherwise with Trawl's defaults. */
TrawlJob *
test_job_new (const char *start_url)
{
  TrawlJob *job = trawl_job_new ();
  const char *urls[] = { start_url, NULL };

  job->start_urls = g_strdupv ((char **) urls);
  job->delay = 0;
  job->concurrency = 8;
  job->per_host = 8;
  job->timeout = 10;
  return job;
}

static void
on_finished (TrawlEngine *engine,
             GMainLoop   *loop)
{
  g_main_loop_quit (loop);
}

TrawlEngineState
test_run_engine (TrawlEngine *engine)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong id = g_signal_connect (engine, "finished", G_CALLBACK (on_finished), loop);

  trawl_engine_start (engine);
  g_main_loop_run (loop);
  g_signal_handler_disconnect (engine, id);

  return trawl_engine_get_state (engine);
}

TrawlEngineState
test_crawl (const TrawlJob *job,
            const char     *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlEngine) engine = trawl_engine_new (job, path, &error);

  g_assert_no_error (error);
  return test_run_engine (engine);
}

sqlite3 *
test_open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* A crawl that just ended may still be checkpointing its WAL, as the
   * app's own readers know; a test reading the file waits like they do. */
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

gint64
test_query_int (sqlite3    *db,
                const char *format,
                ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 value = -1;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  stmt = prepare (db, sql);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The first column of the first row; freed at the end of the test. */
const char *
test_query_string (sqlite3    *db,
                   const char *format,
                   ...)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *value = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  stmt = prepare (db, sql);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return test_keep (value);
}

/* Frees @string at the end of the current test, for strings built inside
 * assertions. */
char *
test_keep (char *string)
{
  if (string != NULL)
    g_test_queue_free (string);
  return string;
}

/* The first column of every row, sorted. */
GPtrArray *
test_query_strings (sqlite3    *db,
                    const char *sql)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = prepare (db, sql);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_ptr_array_sort (rows, test_strcmp_ptr);
  return rows;
}

/* "http://127.0.0.1:PORT/page/1.html" → "/page/1.html" */
char *
test_path_of (const char *base,
              const char *url)
{
  g_assert_true (g_str_has_prefix (url, base));
  return g_strconcat ("/", url + strlen (base), NULL);
}

/* For g_ptr_array_sort(), which passes pointers to the elements. */
int
test_strcmp_ptr (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* g_test_init(), without GLib's debug messages drowning the TAP output. */
void
test_init (int    *argc,
           char ***argv)
{
  /* Mounts of the process's own, for the small disks some tests mount:
   * they go with it even when a test crashes, and no one else sees them.
   * Taken before any thread starts, so that every thread and child
   * process inherits them.  The kernel ignores the file system type of a
   * change of propagation; valgrind wants one it can read. */
  own_mounts = geteuid () == 0 && unshare (CLONE_NEWNS) == 0 &&
               mount (NULL, "/", "none", MS_REC | MS_PRIVATE, NULL) == 0;

  g_test_init (argc, argv, NULL);
  g_log_set_debug_enabled (FALSE);
}

/* A small disk of @size (as tmpfs takes it: "2m") mounted at a folder of
 * the test's own; NULL, the test skipped, when the process may not mount
 * one: it must run as root. */
char *
test_mount_disk (const char *name,
                 const char *size)
{
  g_autofree char *dir = test_tmp_path (name);
  g_autofree char *options = g_strdup_printf ("size=%s", size);

  if (!own_mounts)
    {
      g_test_skip (geteuid () != 0 ? "Mounting a small disk (tmpfs) for this test needs root"
                                   : "Mounting a small disk (tmpfs) is not permitted here");
      return NULL;
    }
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  if (mount ("tmpfs", dir, "tmpfs", 0, options) != 0)
    {
      g_autofree char *why = g_strdup_printf ("Mounting a small disk (tmpfs) is not permitted here: %s",
                                              g_strerror (errno));

      g_test_skip (why);
      g_rmdir (dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* Mounts the disk again with @options: "size=64m" makes room, "ro" makes
 * it read-only. */
void
test_remount_disk (const char *dir,
                   const char *options)
{
  unsigned long flags = MS_REMOUNT;

  if (strcmp (options, "ro") == 0)
    flags |= MS_RDONLY;
  if (mount (NULL, dir, "tmpfs", flags, flags & MS_RDONLY ? NULL : options) != 0)
    g_error ("Could not mount %s again with %s: %s", dir, options, g_strerror (errno));
}

/* Unmounts a disk of test_mount_disk() with what it holds; the folder it
 * was mounted on goes too, unless earlier tests left files in it (a crawl
 * folder the window uses). */
void
test_unmount_disk (const char *dir)
{
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
  g_rmdir (dir);
}

/* Fills the disk at @dir with a file @name, but for @free bytes. */
void
test_fill_disk (const char *dir,
                const char *name,
                gsize       free)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *zeros = NULL;
  struct statvfs st;
  gsize size;

  g_assert_cmpint (statvfs (dir, &st), ==, 0);
  size = st.f_bavail * st.f_frsize - free;
  zeros = g_malloc0 (size);
  g_assert_true (g_file_set_contents (path, zeros, size, NULL));
}

/* The first column of every row of @sql, sorted, from the crawl file at
 * @path, which must be whole: SQLite finds nothing wrong, no URL is there
 * twice, and no unit of writes was split (a page goes with its URL's
 * outcome, and an outcome with its page). */
GPtrArray *
test_whole_rows (const char *path,
                 const char *sql)
{
  sqlite3 *db = test_open_db (path);
  GPtrArray *rows = test_query_strings (db, sql);

  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  g_assert_cmpint (test_query_int (db, "SELECT count(*) - count(DISTINCT url) FROM urls"), ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u ON u.id = p.id WHERE u.state = 0"),
                   ==, 0);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state IN (1, 2) "
                                       "AND id NOT IN (SELECT id FROM pages)"), ==, 0);
  sqlite3_close (db);
  return rows;
}

/* Every item of a crawl, as "url seq record data", sorted: two crawls of
 * one site number their pages in the order they answered. */
GPtrArray *
test_items_of (const char *path)
{
  return test_whole_rows (path, "SELECT u.url || ' ' || i.seq || ' ' || coalesce (i.record, '-') "
                                "|| ' ' || i.data FROM items i JOIN urls u ON u.id = i.page_id");
}

/* The trawl-cli of this build. */
char *
test_cli_path (void)
{
  const char *builddir = g_getenv ("TRAWL_BUILDDIR");

  g_assert_nonnull (builddir);
  return g_build_filename (builddir, "app", "cli", "trawl-cli", NULL);
}

/* Runs trawl-cli with @args (NULL-terminated) and returns its exit code. */
int
test_run_cli (char       **out,
              char       **err,
              const char  *first,
              ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;

  /* Callers reuse their out and err variables from one run to the next. */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);

  g_ptr_array_add (argv, test_cli_path ());
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_newv ((const char *const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (proc);
}

/* The Authorization header of a member of the test site. */
char *
test_member_authorization (void)
{
  return test_basic_authorization (TRAWL_TEST_SITE_MEMBER_USER ":" TRAWL_TEST_SITE_MEMBER_PASSWORD);
}

/* "Basic " and the base64 of @credentials, "user:password". */
char *
test_basic_authorization (const char *credentials)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));

  return g_strconcat ("Basic ", encoded, NULL);
}

/* Whether @needle is anywhere in the file at @path or, for a crawl file,
 * its WAL and index beside it. */
gboolean
test_file_contains (const char *path,
                    const char *needle)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *data = NULL;
      gsize length;

      if (g_file_get_contents (name, &data, &length, NULL) && memmem (data, length, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* No way a secret of the tests could be written down is in @path. */
void
test_assert_no_secret (const char *path)
{
  g_autofree char *authorization = test_member_authorization ();
  g_autofree char *proxy_escaped = g_uri_escape_string (TRAWL_TEST_SITE_PROXY_PASSWORD, NULL, FALSE);
  const char *secrets[] = { TRAWL_TEST_SITE_MEMBER_PASSWORD, TRAWL_TEST_SITE_COOKIE, strchr (TRAWL_TEST_SITE_COOKIE, '=') + 1,
                            TEST_AUTHORIZATION, authorization, TRAWL_TEST_SITE_PROXY_PASSWORD, proxy_escaped };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (test_file_contains (path, secrets[i]))
      g_error ("“%s” holds the secret “%s”", path, secrets[i]);
}

/* The first request for @path that the site answered with @status. */
TrawlTestRequest *
test_find_request (TrawlTestSite *site,
                   const char    *path,
                   guint          status)
{
  g_autoptr (GPtrArray) requests = trawl_test_site_get_requests (site);

  for (guint i = 0; i < requests->len; i++)
    {
      const TrawlTestRequest *r = requests->pdata[i];

      if (g_str_equal (r->path, path) && r->status == status)
        return trawl_test_request_copy (r);
    }
  return NULL;
}

/* The site let the crawl into /members/: it sent the member's password
 * and cookie, and never a reference to the keyring in their place. */
void
test_assert_logged_in (TrawlTestSite *site)
{
  g_autoptr (GPtrArray) requests = trawl_test_site_get_requests (site);
  g_autofree char *authorization = test_member_authorization ();
  g_autoptr (TrawlTestRequest) members = test_find_request (site, "/members/", 200);
  g_autoptr (TrawlTestRequest) cookie = test_find_request (site, "/members/cookie.html", 200);

  g_assert_nonnull (members);
  g_assert_cmpstr (members->authorization, ==, authorization);
  g_assert_cmpstr (members->cookie, ==, TRAWL_TEST_SITE_COOKIE);
  g_assert_nonnull (cookie);
  g_assert_cmpstr (cookie->cookie, ==, TRAWL_TEST_SITE_COOKIE);
  for (guint i = 0; i < requests->len; i++)
    {
      const TrawlTestRequest *r = requests->pdata[i];

      g_assert_true (r->cookie == NULL || strstr (r->cookie, "secret:") == NULL);
      g_assert_true (r->authorization == NULL || strstr (r->authorization, "secret:") == NULL);
    }
}

/* A crawl that stopped at --max-pages 1, with that limit lifted, as if it
 * had been interrupted. */
void
test_lift_page_limit (const char *crawl)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (crawl, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE meta SET value = replace (value, 'max_pages=1\n', 'max_pages=0\n') "
                                     "WHERE key = 'job'", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}
