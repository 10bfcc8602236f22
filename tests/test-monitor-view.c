/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-monitor-view.c — the Monitor view, watching real crawls of the test site. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-helpers.h"
#include "test-ui.h"
#include "trawl-host-row.h"
#include "trawl-log-item.h"
#include "trawl-monitor-view.h"
#include "trawl-test-site.h"

static TrawlMonitorView *
monitor_of (GtkWidget *window)
{
  return TRAWL_MONITOR_VIEW (test_ui_find (window, TRAWL_TYPE_MONITOR_VIEW, 0));
}

/* The text of a label named with gtk_widget_set_name(), as the monitor
 * names its counters. */
static GtkWidget *
counter_widget (GtkWidget  *root,
                const char *name)
{
  g_autoptr (GPtrArray) labels = test_ui_find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (labels->pdata[i]), name) == 0)
      return labels->pdata[i];
  g_error ("no label named “%s”", name);
}

static const char *
label_named (GtkWidget  *root,
             const char *name)
{
  return gtk_label_get_label (GTK_LABEL (counter_widget (root, name)));
}

static char *
count_text (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static void
assert_counter (GtkWidget  *root,
                const char *name,
                gint64      expected)
{
  g_autofree char *text = count_text (expected);

  g_assert_cmpstr (label_named (root, name), ==, text);
}

typedef struct {
  TrawlChart *chart;
  guint       n;
} ChartWait;

static gboolean
chart_has (gpointer data)
{
  ChartWait *wait = data;

  return trawl_chart_get_n_samples (wait->chart) == wait->n;
}

typedef struct {
  GListModel *model;
  guint       n;
} ModelWait;

static gboolean
model_has (gpointer data)
{
  ModelWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

static TrawlHostRow *
find_host (GListModel *hosts,
           const char *host)
{
  for (guint i = 0; i < g_list_model_get_n_items (hosts); i++)
    {
      g_autoptr (TrawlHostRow) row = g_list_model_get_item (hosts, i);

      if (g_strcmp0 (trawl_host_row_get_host (row), host) == 0)
        return row;
    }
  return NULL;
}

/* "http://127.0.0.1:PORT", the unit the engine counts hosts by. */
static char *
site_host (TrawlTestSite *site)
{
  return g_strdup_printf ("http://127.0.0.1:%u", trawl_test_site_get_port (site));
}

static gboolean
insensitive (gpointer widget)
{
  return !gtk_widget_get_sensitive (widget);
}

static void
test_empty_state (void)
{
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlMonitorView *monitor = monitor_of (window);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.view", "s", "monitor");
  test_ui_wait_text (GTK_WIDGET (monitor), "No Crawl Running", 5000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (test_ui_find_named (GTK_WIDGET (monitor), "stack"))),
                   ==, "empty");
  /* The screenshot needs the window laid out. */
  test_ui_settle (300);
  g_assert_cmpuint (test_ui_screenshot (window, "monitor-empty.png"), >, 10);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct {
  gint64 crawled, failed, s2xx, s3xx, s4xx, s5xx, samples, log, warnings, errors, host_pages, host_errors;
} FileCounts;

static FileCounts
read_counts (const char    *path,
             TrawlTestSite *site)
{
  g_autofree char *host = site_host (site);
  sqlite3 *db = test_open_db (path);
  FileCounts c = {
    .crawled = test_query_int (db, "SELECT count(*) FROM urls WHERE state = 1"),
    .failed = test_query_int (db, "SELECT count(*) FROM urls WHERE state = 2"),
    .s2xx = test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u USING (id) WHERE u.state = 1 AND p.status BETWEEN 200 AND 299"),
    .s3xx = test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u USING (id) WHERE u.state = 1 AND p.status BETWEEN 300 AND 399"),
    .s4xx = test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u USING (id) WHERE u.state = 1 AND p.status BETWEEN 400 AND 499"),
    .s5xx = test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u USING (id) WHERE u.state = 1 AND p.status BETWEEN 500 AND 599"),
    .samples = test_query_int (db, "SELECT count(*) FROM samples"),
    .log = test_query_int (db, "SELECT count(*) FROM log"),
    .warnings = test_query_int (db, "SELECT count(*) FROM log WHERE level IN ('warning', 'error')"),
    .errors = test_query_int (db, "SELECT count(*) FROM log WHERE level = 'error'"),
    .host_pages = test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u USING (id) WHERE u.host = '%s'", host),
    .host_errors = test_query_int (db, "SELECT count(*) FROM pages p JOIN urls u USING (id) WHERE u.host = '%s' "
                                       "AND (p.status = 0 OR p.status >= 400)", host),
  };

  sqlite3_close (db);
  return c;
}

static void
assert_counters_match (GtkWidget        *root,
                       const FileCounts *c)
{
  assert_counter (root, "crawled-value", c->crawled);
  assert_counter (root, "failed-value", c->failed);
  assert_counter (root, "queued-value", 0);
  assert_counter (root, "in-flight-value", 0);
  assert_counter (root, "status-2xx", c->s2xx);
  assert_counter (root, "status-3xx", c->s3xx);
  assert_counter (root, "status-4xx", c->s4xx);
  assert_counter (root, "status-5xx", c->s5xx);
  assert_counter (root, "status-failed", c->failed);
}

static void
test_live_then_reopened (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (40, 0, TRUE);
  g_autofree char *host = site_host (site);
  g_autofree char *path = NULL;
  g_autofree char *elapsed_text = NULL;
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlMonitorView *monitor = monitor_of (window);
  GtkWidget *root = GTK_WIDGET (monitor);
  TrawlChart *chart = trawl_monitor_view_get_chart (monitor);
  GListModel *log = trawl_monitor_view_get_log_model (monitor);
  GtkDropDown *level = GTK_DROP_DOWN (test_ui_find_named (root, "level_dropdown"));
  GtkEditable *search = GTK_EDITABLE (test_ui_find_named (root, "log_search_entry"));
  g_autoptr (GArray) points = g_array_new (FALSE, FALSE, sizeof (TrawlChartPoint));
  FileCounts c;
  TrawlHostRow *row;
  ChartWait wait;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  test_ui_wait_text (root, "Running", 5000);
  g_assert_true (gtk_widget_is_sensitive (test_ui_find_named (root, "monitor_stop_button")));
  g_assert_true (test_ui_shown (test_ui_find_named (root, "monitor_pause_button")));
  g_assert_false (test_ui_shown (test_ui_find_named (root, "monitor_resume_button")));

  /* While it runs, the chart grows and the host table has the site. */
  test_ui_settle (1800);
  g_assert_cmpuint (trawl_chart_get_n_samples (chart), >=, 1);
  g_assert_nonnull (find_host (trawl_monitor_view_get_host_model (monitor), host));
  g_assert_cmpuint (test_ui_screenshot (window, "monitor-running.png"), >, 20);

  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  test_ui_wait_text (root, "Finished", 2000);
  path = g_strdup (trawl_window_get_crawl_path (TRAWL_WINDOW (window)));
  c = read_counts (path, site);
  g_assert_cmpint (c.samples, >=, 2);
  g_assert_cmpint (c.s4xx, >, 0);
  g_assert_cmpint (c.s5xx, >, 0);
  g_assert_cmpint (c.warnings, >, 0);

  /* At the end, the chart is the stored timeline, point for point. */
  wait = (ChartWait) { chart, c.samples };
  test_ui_wait (chart_has, &wait, 5000, "the chart read from the file");
  g_assert_cmpuint (trawl_chart_get_n_points (chart), ==, c.samples);
  for (guint i = 0; i < trawl_chart_get_n_points (chart); i++)
    {
      TrawlChartPoint point = trawl_chart_get_point (chart, i);

      g_array_append_val (points, point);
    }

  /* The counters and the status breakdown are the file's counts. */
  assert_counters_match (root, &c);
  elapsed_text = g_strdup (label_named (root, "elapsed-value"));
  g_assert_cmpstr (elapsed_text, !=, "0:00:00");
  g_assert_cmpstr (label_named (root, "eta-value"), ==, "—");

  /* One host, the site, with every request it answered. */
  g_assert_cmpuint (g_list_model_get_n_items (trawl_monitor_view_get_host_model (monitor)), ==, 1);
  row = find_host (trawl_monitor_view_get_host_model (monitor), host);
  g_assert_nonnull (row);
  g_assert_cmpuint (trawl_host_row_get_in_flight (row), ==, 0);
  /* The engine also counts robots.txt and retries. */
  g_assert_cmpint (trawl_host_row_get_done (row), >=, c.host_pages);
  g_assert_cmpint (trawl_host_row_get_errors (row), >=, c.host_errors);
  g_assert_cmpfloat (trawl_host_row_get_latency (row), >, 0);
  test_ui_wait_text (root, host + strlen ("http://"), 2000);

  /* The log has every line, newest first. */
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, c.log);
  {
    g_autoptr (TrawlLogItem) first = g_list_model_get_item (log, 0);
    g_autoptr (TrawlLogItem) last = g_list_model_get_item (log, c.log - 1);

    g_assert_cmpstr (trawl_log_item_get_message (first), ==, "The crawl finished");
    g_assert_cmpfloat (trawl_log_item_get_time (first), >=, trawl_log_item_get_time (last));
  }

  /* Filtered by level, only warnings and errors are left… */
  gtk_drop_down_set_selected (level, 2);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, c.warnings);
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr (TrawlLogItem) item = g_list_model_get_item (log, i);

      g_assert_cmpint (trawl_log_item_get_level (item), >=, TRAWL_LOG_WARNING);
    }
  test_ui_wait_text (root, "The server answered 500", 2000);
  /* …and errors only are the error lines (none in a good crawl). */
  gtk_drop_down_set_selected (level, 3);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, c.errors);
  gtk_drop_down_set_selected (level, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, c.log);

  /* A search keeps the lines that mention it, in the message or the URL. */
  gtk_editable_set_text (search, "/EDGE/missing");
  {
    sqlite3 *db = test_open_db (path);
    gint64 n = test_query_int (db, "SELECT count(*) FROM log WHERE instr(lower(message || ' ' || coalesce(url, '')), '/edge/missing')");
    ModelWait model_wait = { log, n };

    sqlite3_close (db);
    g_assert_cmpint (n, >, 0);
    test_ui_wait (model_has, &model_wait, 3000, "the log search");
    for (guint i = 0; i < n; i++)
      {
        g_autoptr (TrawlLogItem) item = g_list_model_get_item (log, i);
        g_autofree char *text = g_strconcat (trawl_log_item_get_message (item), " ",
                                             trawl_log_item_get_url (item), NULL);

        g_assert_nonnull (strstr (text, "/edge/missing"));
      }
  }
  test_ui_wait_text (root, "The server answered 404", 2000);
  gtk_widget_activate_action (window, "win.view", "s", "monitor");
  g_assert_cmpuint (test_ui_screenshot (window, "monitor-finished.png"), >, 20);
  gtk_editable_set_text (search, "");
  gtk_window_destroy (GTK_WINDOW (window));

  /* Reopened, the file shows the same chart, counters, hosts and log. */
  window = GTK_WIDGET (trawl_window_new (NULL));
  monitor = monitor_of (window);
  root = GTK_WIDGET (monitor);
  chart = trawl_monitor_view_get_chart (monitor);
  log = trawl_monitor_view_get_log_model (monitor);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_settle (300);
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.view", "s", "monitor");
  wait = (ChartWait) { chart, c.samples };
  test_ui_wait (chart_has, &wait, 5000, "the chart of the reopened file");
  g_assert_cmpuint (trawl_chart_get_n_points (chart), ==, points->len);
  for (guint i = 0; i < points->len; i++)
    {
      TrawlChartPoint a = g_array_index (points, TrawlChartPoint, i);
      TrawlChartPoint b = trawl_chart_get_point (chart, i);

      g_assert_cmpfloat (a.elapsed, ==, b.elapsed);
      g_assert_cmpfloat (a.pages_per_second, ==, b.pages_per_second);
      g_assert_cmpfloat (a.errors_per_second, ==, b.errors_per_second);
    }
  assert_counters_match (root, &c);
  g_assert_cmpstr (label_named (root, "elapsed-value"), ==, elapsed_text);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, c.log);
  row = find_host (trawl_monitor_view_get_host_model (monitor), host);
  g_assert_nonnull (row);
  g_assert_cmpint (trawl_host_row_get_done (row), ==, c.host_pages);
  g_assert_cmpint (trawl_host_row_get_errors (row), ==, c.host_errors);
  test_ui_wait_text (root, "Finished", 2000);
  /* Nothing runs, so nothing can be paused or sped up. */
  g_assert_false (gtk_widget_is_sensitive (test_ui_find_named (root, "monitor_stop_button")));
  g_assert_false (gtk_widget_get_sensitive (test_ui_find_named (root, "delay_spin")));
  g_assert_cmpuint (test_ui_screenshot (window, "monitor-reopened.png"), >, 20);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The smallest and the mean gap between the starts of /page/ requests
 * that began within [from, to). */
static void
request_gaps (TrawlTestSite *site,
              gint64         from,
              gint64         to,
              double        *min_gap,
              double        *mean_gap,
              guint         *n)
{
  g_autoptr (GPtrArray) requests = trawl_test_site_get_requests (site);
  gint64 previous = 0, first = 0, last = 0;

  *min_gap = G_MAXDOUBLE;
  *n = 0;
  for (guint i = 0; i < requests->len; i++)
    {
      TrawlTestRequest *r = requests->pdata[i];

      if (!g_str_has_prefix (r->path, "/page/") || r->start_us < from || r->start_us >= to)
        continue;
      if (previous != 0)
        *min_gap = MIN (*min_gap, (r->start_us - previous) / 1e6);
      else
        first = r->start_us;
      previous = last = r->start_us;
      (*n)++;
    }
  *mean_gap = *n > 1 ? (last - first) / 1e6 / (*n - 1) : 0;
}

static void
test_speed_controls (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (200, 150, FALSE);
  g_autofree char *host = site_host (site);
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  TrawlMonitorView *monitor = monitor_of (window);
  GtkWidget *root = GTK_WIDGET (monitor);
  GtkSpinButton *delay = GTK_SPIN_BUTTON (test_ui_find_named (root, "delay_spin"));
  TrawlCrawl *crawl;
  TrawlHostRow *row;
  gint64 changed;
  double min_gap, mean_gap;
  guint n;

  gtk_window_present (GTK_WINDOW (window));
  test_ui_start_crawl (window, trawl_test_site_get_url (site));
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));

  /* The controls start from the job's settings. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (test_ui_find_named (root, "concurrency_spin"))), ==, 16);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (test_ui_find_named (root, "per_host_spin"))), ==, 4);
  g_assert_cmpfloat (gtk_spin_button_get_value (delay), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (delay)));

  /* Without a delay, four at a time, requests come close together: about
   * 40 ms apart with 150 ms answers, well under the half second the delay
   * below makes.  (Under ASan on a loaded machine, CI measured 103 ms.) */
  test_ui_settle (1500);
  request_gaps (site, 0, g_get_monotonic_time (), &min_gap, &mean_gap, &n);
  g_assert_cmpuint (n, >=, 8);
  g_assert_cmpfloat (mean_gap, <, 0.25);

  /* With a 0.8 s delay (randomised 0.5–1.5×), they are spaced out. */
  gtk_spin_button_set_value (delay, 0.8);
  changed = g_get_monotonic_time ();
  g_assert_cmpfloat (trawl_crawl_get_job (crawl)->delay, ==, 0.8);
  test_ui_settle (4000);
  request_gaps (site, changed + 500000, g_get_monotonic_time (), &min_gap, &mean_gap, &n);
  g_assert_cmpuint (n, >=, 2);
  /* Each gap is at least 0.4 s, the shortest the randomised delay can be
   * (less a little for noting the arrival); a few short ones in a row can
   * bring the mean under 0.5 s (an ASan run on a loaded machine measured 0.493). */
  g_assert_cmpfloat (min_gap, >=, 0.35);
  g_assert_cmpfloat (mean_gap, >=, 0.4);
  row = find_host (trawl_monitor_view_get_host_model (monitor), host);
  g_assert_nonnull (row);
  g_assert_cmpfloat (trawl_host_row_get_delay (row), >=, 0.8);

  /* The monitor's own buttons pause and stop it. */
  g_signal_emit_by_name (test_ui_find_named (root, "monitor_pause_button"), "clicked");
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_PAUSED);
  test_ui_wait_text (root, "Paused", 2000);
  g_assert_true (test_ui_shown (test_ui_find_named (root, "monitor_resume_button")));
  g_assert_false (test_ui_shown (test_ui_find_named (root, "monitor_pause_button")));
  g_signal_emit_by_name (test_ui_find_named (root, "monitor_stop_button"), "clicked");
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 30000), ==, TRAWL_ENGINE_STOPPED);
  test_ui_wait_text (root, "Stopped", 2000);
  /* The speed controls grey out in a frame after the rest (queue_step()). */
  test_ui_wait (insensitive, delay, 2000, "the speed controls to grey out");

  /* Continued, it keeps the chosen delay, and the chart goes on after
   * the first run rather than over it. */
  {
    TrawlChart *chart = trawl_monitor_view_get_chart (monitor);
    ChartWait wait = { chart, 0 };
    double before_end;
    sqlite3 *db;

    db = test_open_db (trawl_crawl_get_path (crawl));
    wait.n = test_query_int (db, "SELECT count(*) FROM samples");
    sqlite3_close (db);
    test_ui_wait (chart_has, &wait, 5000, "the chart of the first run");
    before_end = trawl_chart_get_point (chart, trawl_chart_get_n_points (chart) - 1).elapsed;

    gtk_widget_activate_action (window, "win.continue", NULL);
    g_assert_true (trawl_crawl_is_active (crawl));
    changed = g_get_monotonic_time ();
    test_ui_settle (3500);
    request_gaps (site, changed + 300000, g_get_monotonic_time (), &min_gap, &mean_gap, &n);
    g_assert_cmpuint (n, >=, 2);
    g_assert_cmpfloat (min_gap, >=, 0.35);
    g_assert_cmpuint (trawl_chart_get_n_samples (chart), >, wait.n);

    gtk_widget_activate_action (window, "win.stop", NULL);
    g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 30000), ==, TRAWL_ENGINE_STOPPED);
    db = test_open_db (trawl_crawl_get_path (crawl));
    wait.n = test_query_int (db, "SELECT count(*) FROM samples");
    sqlite3_close (db);
    test_ui_wait (chart_has, &wait, 5000, "the chart of both runs");
    g_assert_cmpfloat (trawl_chart_get_point (chart, trawl_chart_get_n_points (chart) - 1).elapsed, >, before_end + 2);
    for (guint i = 1; i < trawl_chart_get_n_points (chart); i++)
      g_assert_cmpfloat (trawl_chart_get_point (chart, i).elapsed, >=, trawl_chart_get_point (chart, i - 1).elapsed);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A day-long crawl's timeline costs no more to draw than a minute's. */
/* The item counter: shown for a crawl with extraction rules, with what
 * its file holds; hidden for a crawl without. */
static void
test_items (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (20, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autoptr (TrawlJob) plain_job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *path = test_tmp_path ("monitor-items.trawl");
  g_autofree char *plain = test_tmp_path ("monitor-no-items.trawl");
  const char *rules[] = { "heading = css:h1", "link = css:li", "link.href = css:a::attr(href)", NULL };
  GtkWidget *window = GTK_WIDGET (trawl_window_new (NULL));
  GtkWidget *root = GTK_WIDGET (monitor_of (window));
  gint64 items;
  sqlite3 *db;

  job->extract = g_strdupv ((char **) rules);
  g_assert_cmpint (test_crawl (job, path), ==, TRAWL_ENGINE_FINISHED);
  g_assert_cmpint (test_crawl (plain_job, plain), ==, TRAWL_ENGINE_FINISHED);
  db = test_open_db (path);
  items = test_query_int (db, "SELECT count(*) FROM items");
  sqlite3_close (db);
  g_assert_cmpint (items, >, 20);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (window, "win.open-file", "s", path);
  gtk_widget_activate_action (window, "win.view", "s", "monitor");
  test_ui_settle (300);
  assert_counter (root, "items-value", items);
  g_assert_true (gtk_widget_is_visible (counter_widget (root, "items-value")));

  gtk_widget_activate_action (window, "win.open-file", "s", plain);
  test_ui_settle (300);
  g_assert_false (gtk_widget_is_visible (counter_widget (root, "items-value")));
  /* The other counters stay. */
  g_assert_true (gtk_widget_is_visible (counter_widget (root, "crawled-value")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_chart_downsampling (void)
{
  TrawlChart *chart = TRAWL_CHART (g_object_ref_sink (trawl_chart_new ()));
  guint n_points;

  for (guint i = 1; i <= 86400; i++)
    trawl_chart_add_sample (chart, i, i <= 43200 ? 10 : 30, i / 2);

  g_assert_cmpuint (trawl_chart_get_n_samples (chart), ==, 86400);
  n_points = trawl_chart_get_n_points (chart);
  g_assert_cmpuint (n_points, <=, 512);
  g_assert_cmpuint (n_points, >=, 256);
  /* The points still span the crawl, and average what they stand for. */
  g_assert_cmpfloat (trawl_chart_get_point (chart, n_points - 1).elapsed, ==, 86400);
  g_assert_cmpfloat (trawl_chart_get_point (chart, 0).pages_per_second, ==, 10);
  g_assert_cmpfloat (trawl_chart_get_point (chart, n_points - 1).pages_per_second, ==, 30);
  g_assert_cmpfloat_with_epsilon (trawl_chart_get_point (chart, n_points / 2).errors_per_second, 0.5, 1e-9);
  for (guint i = 1; i < n_points; i++)
    g_assert_cmpfloat (trawl_chart_get_point (chart, i).elapsed, >, trawl_chart_get_point (chart, i - 1).elapsed);

  trawl_chart_clear (chart);
  g_assert_cmpuint (trawl_chart_get_n_points (chart), ==, 0);
  g_object_unref (chart);
}

static gboolean
revealed (gpointer revealer)
{
  return gtk_revealer_get_reveal_child (revealer);
}

/* The disk fills up: the monitor says so, with Continue, which goes on
 * once there is room; the crawl then ends as a clean one would. */
static void
test_disk_full (void)
{
  g_autoptr (TrawlTestSite) site = test_ui_site_new (300, 0, FALSE);
  g_autoptr (TrawlJob) job = test_job_new (trawl_test_site_get_url (site));
  g_autofree char *job_path = test_tmp_path ("disk-full.trawljob");
  g_autoptr (GError) error = NULL;
  /* Where the window saves its crawls (see test_ui_init()). */
  g_autofree char *disk = test_mount_disk ("data/trawl/crawls", "4m");
  g_autofree char *filler = NULL;
  GtkWidget *window;
  GtkWidget *root;
  GtkRevealer *problem;
  GtkWidget *button;
  TrawlCrawl *crawl;
  sqlite3 *db;

  if (disk == NULL)
    return;
  job->store_bodies = TRUE;
  g_assert_true (trawl_job_save_file (job, job_path, &error));
  filler = g_build_filename (disk, "filler", NULL);
  test_fill_disk (disk, "filler", 160 * 1024);

  window = GTK_WIDGET (trawl_window_new (NULL));
  root = GTK_WIDGET (monitor_of (window));
  problem = GTK_REVEALER (test_ui_find_named (root, "problem_revealer"));
  button = test_ui_find_named (root, "problem_button");
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (trawl_window_load_job (TRAWL_WINDOW (window), job_path));
  gtk_widget_activate_action (window, "win.start", NULL);
  crawl = trawl_window_get_crawl (TRAWL_WINDOW (window));
  g_assert_true (g_str_has_prefix (trawl_crawl_get_path (crawl), disk));
  g_assert_false (gtk_revealer_get_reveal_child (problem));

  test_ui_wait_text (root, "The disk is full: the crawl is paused. Free some space, then press Continue.", 30000);
  test_ui_wait (revealed, problem, 2000, "the problem shown");
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_PAUSED);
  g_assert_true (g_error_matches (trawl_crawl_get_problem (crawl), TRAWL_STORE_ERROR, TRAWL_STORE_ERROR_FULL));
  test_ui_wait_text (window, "Disk Full", 2000);
  g_assert_true (test_ui_shown (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (test_ui_shown (test_ui_find_named (root, "monitor_resume_button")));
  test_ui_settle (500);
  g_assert_cmpuint (test_ui_screenshot (window, "monitor-disk-full.png"), >, 20);

  /* Continue while the disk is still full: it stays paused, and says so. */
  g_signal_emit_by_name (button, "clicked");
  test_ui_settle (800);
  g_assert_cmpint (trawl_crawl_get_state (crawl), ==, TRAWL_ENGINE_PAUSED);
  g_assert_true (gtk_revealer_get_reveal_child (problem));

  /* With room, Continue goes on to the end, and the message goes. */
  g_assert_cmpint (g_remove (filler), ==, 0);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (test_ui_wait_crawl_end (TRAWL_WINDOW (window), 60000), ==, TRAWL_ENGINE_FINISHED);
  g_assert_false (gtk_revealer_get_reveal_child (problem));
  g_assert_null (trawl_crawl_get_problem (crawl));
  test_ui_wait_text (root, "Finished", 2000);

  /* "/", 300 pages, the sitemap index, its two sitemaps and two orphans,
   * each once. */
  db = test_open_db (trawl_crawl_get_path (crawl));
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM pages"), ==, 306);
  g_assert_cmpint (test_query_int (db, "SELECT count(DISTINCT url) FROM pages"), ==, 306);
  g_assert_cmpint (test_query_int (db, "SELECT count(*) FROM urls WHERE state = 0"), ==, 0);
  g_assert_cmpstr (test_query_string (db, "PRAGMA integrity_check"), ==, "ok");
  sqlite3_close (db);

  gtk_window_destroy (GTK_WINDOW (window));
  test_unmount_disk (disk);
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/monitor/chart-downsampling", test_chart_downsampling);
  g_test_add_func ("/monitor/empty", test_empty_state);
  g_test_add_func ("/monitor/live-then-reopened", test_live_then_reopened);
  g_test_add_func ("/monitor/speed-controls", test_speed_controls);
  g_test_add_func ("/monitor/items", test_items);
  g_test_add_func ("/monitor/disk-full", test_disk_full);

  return g_test_run ();
}
