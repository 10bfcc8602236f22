/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-latency.c — how late the GUI's main loop runs, for the benchmarks.
 *
 * With TRAWL_LATENCY_REPORT=FILE in the environment, a 10 ms timer on the
 * GTK main loop notes how late each tick runs.  A loop that never stalls
 * runs every tick within a millisecond or two; a slow handler shows up as
 * a late tick.  Once a second FILE is rewritten with the maximum and the
 * 99th percentile so far, so the report survives the process being killed.
 * Ticks count from trawl_latency_probe_begin(), which the application
 * calls a moment after the window has drawn its first frame: what is
 * measured is the loop while the window works, not the toolkit's start-up.
 */
#define G_LOG_DOMAIN "trawl-latency"

#include "config.h"

#include "trawl-latency.h"

#include <stdio.h>

#define TICK_MS 10

typedef struct {
  char   *path;      /* owned */
  GArray *lateness;  /* owned; of double, milliseconds */
  gint64  expected;  /* monotonic µs of the next tick */
  gint64  last_report;
  gint64  started;
  double  worst;     /* milliseconds */
  double  worst_at;  /* seconds after the start */
  gboolean begun;
} Probe;

static Probe *the_probe;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
write_report (Probe *probe)
{
  g_autoptr (GArray) sorted = g_array_copy (probe->lateness);
  g_autofree char *text = NULL;
  double max, p99;

  if (sorted->len == 0)
    return;
  g_array_sort (sorted, compare_doubles);
  max = g_array_index (sorted, double, sorted->len - 1);
  p99 = g_array_index (sorted, double, (guint) (0.99 * (sorted->len - 1)));
  text = g_strdup_printf ("ticks %u max_ms %.1f p99_ms %.1f max_at_s %.1f\n",
                          sorted->len, max, p99, probe->worst_at);
  if (!g_file_set_contents (probe->path, text, -1, NULL))
    g_warning ("Could not write the latency report to “%s”", probe->path);
}

static gboolean
on_tick (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  double late = MAX (0, now - probe->expected) / 1000.0;

  probe->expected = now + TICK_MS * 1000;
  if (!probe->begun)
    return G_SOURCE_CONTINUE;

  g_array_append_val (probe->lateness, late);
  /* Each stall is told as it happens, to be matched with what caused it. */
  if (late > 50)
    g_message ("The main loop ran %.0f ms late, %.1f s after the start", late,
               (now - probe->started) / (double) G_USEC_PER_SEC);
  if (late > probe->worst)
    {
      probe->worst = late;
      probe->worst_at = (now - probe->started) / (double) G_USEC_PER_SEC;
    }

  if (now - probe->last_report > G_USEC_PER_SEC)
    {
      probe->last_report = now;
      write_report (probe);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * trawl_latency_probe_start:
 * @report_path: the file to write the report to
 *
 * Starts measuring the lateness of a 10 ms timer on the default main
 * context, for the rest of the process.
 */
void
trawl_latency_probe_start (const char *report_path)
{
  Probe *probe;

  g_return_if_fail (the_probe == NULL);

  probe = the_probe = g_new0 (Probe, 1);
  probe->path = g_strdup (report_path);
  probe->lateness = g_array_new (FALSE, FALSE, sizeof (double));
  probe->started = g_get_monotonic_time ();
  probe->expected = probe->started + TICK_MS * 1000;
  /* The same priority as GTK's redraws, so the probe is not starved by
   * them but does wait behind every handler that runs long. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, TICK_MS, on_tick, probe, NULL);
}

/**
 * trawl_latency_probe_begin:
 *
 * Starts counting late ticks, if a probe runs; the time of the report is
 * counted from here.
 */
void
trawl_latency_probe_begin (void)
{
  if (the_probe == NULL || the_probe->begun)
    return;
  the_probe->begun = TRUE;
  the_probe->started = g_get_monotonic_time ();
}

gboolean
trawl_latency_probe_is_running (void)
{
  return the_probe != NULL;
}
