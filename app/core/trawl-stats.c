/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-stats.c — a snapshot of a running crawl, for observers. */
#define G_LOG_DOMAIN "trawl-stats"

#include "config.h"

#include "trawl-stats.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

G_DEFINE_BOXED_TYPE (TrawlStats, trawl_stats, trawl_stats_copy, trawl_stats_free)

static void
host_stats_free (gpointer data)
{
  TrawlHostStats *host = data;

  g_free (host->host);
  g_free (host);
}

TrawlStats *
trawl_stats_new (void)
{
  TrawlStats *stats = g_new0 (TrawlStats, 1);

  stats->eta = -1;
  stats->hosts = g_ptr_array_new_with_free_func (host_stats_free);
  return stats;
}

TrawlStats *
trawl_stats_copy (const TrawlStats *stats)
{
  TrawlStats *copy = g_memdup2 (stats, sizeof *stats);

  copy->hosts = g_ptr_array_new_with_free_func (host_stats_free);
  for (guint i = 0; stats->hosts && i < stats->hosts->len; i++)
    {
      TrawlHostStats *host = g_memdup2 (stats->hosts->pdata[i], sizeof (TrawlHostStats));

      host->host = g_strdup (host->host);
      g_ptr_array_add (copy->hosts, host);
    }
  return copy;
}

void
trawl_stats_free (TrawlStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->hosts, g_ptr_array_unref);
  g_free (stats);
}

/**
 * trawl_stats_format_line:
 * @stats: a snapshot
 *
 * Returns: (transfer full): a one-line summary for a terminal, such as
 *   "1,204 fetched · 3 failed · 88 queued · 16 in flight · 212.4 pages/s · 18.2 MB · 0:05".
 */
char *
trawl_stats_format_line (const TrawlStats *stats)
{
  g_autofree char *size = g_format_size (stats->bytes);
  guint secs = (guint) stats->elapsed;
  GString *line = g_string_new (NULL);

  /* Translators: a crawl's progress on a terminal; %s is the size fetched,
   * such as “18.2 MB”, and %u:%02u the minutes and seconds it has run. */
  g_string_append_printf (line,
                          _("%" PRId64 " fetched · %" PRId64 " failed · %" PRId64 " skipped · %" PRId64
                            " queued · %" PRId64 " in flight · %.1f pages/s · %s · %u:%02u"),
                          stats->fetched, stats->failed, stats->skipped, stats->queued,
                          stats->in_flight, stats->pages_per_second, size, secs / 60, secs % 60);
  if (stats->items > 0)
    g_string_append_printf (line, _(" · %" PRId64 " items"), stats->items);
  if (stats->eta >= 0)
    /* Translators: the time a crawl has left, in minutes and seconds. */
    g_string_append_printf (line, _(" · ETA %u:%02u"), (guint) stats->eta / 60, (guint) stats->eta % 60);

  return g_string_free (line, FALSE);
}
