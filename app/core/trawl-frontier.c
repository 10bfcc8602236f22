/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-frontier.c — what to fetch next, and when.
 *
 * Each host has its own queue.  Hosts that may start a request (something
 * queued, a free per-host slot, robots.txt not being fetched) sit in a
 * binary heap ordered by the time their politeness delay allows the next
 * request, so picking the next request is O(log hosts) and a slow host
 * never takes the slots of the others (scrapy#2638).
 *
 * Memory stays flat however large the frontier grows: beyond a window of
 * requests per host (and in all), new URLs are only counted, since their
 * rows are in the crawl file anyway, and the host's queue is refilled from
 * the file, in id order, when it runs dry.  Breadth-first order is kept
 * exactly; depth-first order holds within the window.
 *
 * The seen-set holds the 64-bit fingerprint of every canonical URL ever
 * discovered, in an open-addressing table: 16 bytes per URL at most, so a
 * million URLs cost 16 MB.
 */
#define G_LOG_DOMAIN "trawl-frontier"

#include "config.h"

#include "trawl-frontier.h"

#include <stdlib.h>
#include <string.h>

#define NOT_IN_HEAP G_MAXUINT
/* Requests kept in memory per host, and in all.  TRAWL_FRONTIER_WINDOW
 * shrinks the per-host window, so that tests spill on small sites. */
#define HOST_WINDOW 4096
#define TOTAL_WINDOW (256 * 1024)

struct _TrawlFrontier {
  TrawlOrder  order;
  guint       per_host;
  GHashTable *hosts;      /* key → owned TrawlHost* */
  GPtrArray  *heap;       /* of TrawlHost*, ordered by next_allowed */
  gint64      queued;      /* in memory and spilled */
  gint64      in_memory;
  guint       window;
  TrawlFrontierLoadFunc load;
  gpointer    load_data;
  guint64    *seen;       /* owned; 0 marks an empty slot */
  gsize       seen_mask;
  gsize       n_seen;
};

TrawlRequest *
trawl_request_new (gint64            id,
                   const char       *url,
                   int               depth,
                   gint64            parent_id,
                   TrawlRequestKind  kind)
{
  gsize len = strlen (url);
  TrawlRequest *request = g_malloc (sizeof (TrawlRequest) + len + 1);

  request->id = id;
  request->parent_id = parent_id;
  request->depth = depth;
  request->origin_id = 0;
  request->origin_fp = 0;
  request->attempts = 0;
  request->kind = kind;
  request->hops = 0;
  memcpy (request->url, url, len + 1);

  return request;
}

/* The ring buffer of requests. */

static void
queue_grow (TrawlRequestQueue *q)
{
  guint capacity = MAX (16, q->capacity * 2);
  TrawlRequest **items = g_new (TrawlRequest *, capacity);

  for (guint i = 0; i < q->length; i++)
    items[i] = q->items[(q->head + i) % q->capacity];
  g_free (q->items);
  q->items = items;
  q->head = 0;
  q->capacity = capacity;
}

static void
queue_push_tail (TrawlRequestQueue *q,
                 TrawlRequest      *request)
{
  if (q->length == q->capacity)
    queue_grow (q);
  q->items[(q->head + q->length) % q->capacity] = request;
  q->length++;
}

static void
queue_push_head (TrawlRequestQueue *q,
                 TrawlRequest      *request)
{
  if (q->length == q->capacity)
    queue_grow (q);
  q->head = (q->head + q->capacity - 1) % q->capacity;
  q->items[q->head] = request;
  q->length++;
}

static TrawlRequest *
queue_pop_head (TrawlRequestQueue *q)
{
  TrawlRequest *request;

  if (q->length == 0)
    return NULL;
  request = q->items[q->head];
  q->head = (q->head + 1) % q->capacity;
  q->length--;
  return request;
}

static TrawlRequest *
queue_pop_tail (TrawlRequestQueue *q)
{
  if (q->length == 0)
    return NULL;
  q->length--;
  return q->items[(q->head + q->length) % q->capacity];
}

static void
queue_clear (TrawlRequestQueue *q)
{
  TrawlRequest *request;

  while ((request = queue_pop_head (q)) != NULL)
    g_free (request);
  g_clear_pointer (&q->items, g_free);
  q->head = q->capacity = 0;
}

static void
host_free (gpointer data)
{
  TrawlHost *host = data;

  queue_clear (&host->queue);
  g_clear_pointer (&host->pinned, g_hash_table_unref);
  g_clear_pointer (&host->robots, trawl_robots_free);
  g_free (host->key);
  g_free (host);
}

TrawlFrontier *
trawl_frontier_new (TrawlOrder order,
                    guint      per_host)
{
  TrawlFrontier *frontier = g_new0 (TrawlFrontier, 1);

  frontier->order = order;
  frontier->per_host = MAX (per_host, 1);
  frontier->window = HOST_WINDOW;
  if (g_getenv ("TRAWL_FRONTIER_WINDOW") != NULL)
    frontier->window = CLAMP (atoi (g_getenv ("TRAWL_FRONTIER_WINDOW")), 1, HOST_WINDOW);
  frontier->hosts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, host_free);
  frontier->heap = g_ptr_array_new ();
  frontier->seen_mask = 1024 - 1;
  frontier->seen = g_new0 (guint64, frontier->seen_mask + 1);

  return frontier;
}

void
trawl_frontier_free (TrawlFrontier *frontier)
{
  if (frontier == NULL)
    return;
  g_ptr_array_unref (frontier->heap);
  g_hash_table_unref (frontier->hosts);
  g_free (frontier->seen);
  g_free (frontier);
}

/* Seen-set. */

static gboolean
seen_insert (guint64 *table,
             gsize    mask,
             guint64  fp)
{
  gsize i = fp & mask;

  while (table[i] != 0)
    {
      if (table[i] == fp)
        return FALSE;
      i = (i + 1) & mask;
    }
  table[i] = fp;
  return TRUE;
}

static guint64
seen_key (guint64 fingerprint)
{
  /* Zero marks empty slots; the one fingerprint that is zero shares a slot
   * with the one that is one, a collision as unlikely as any other. */
  return fingerprint ? fingerprint : 1;
}

/**
 * trawl_frontier_add_seen:
 * @frontier: a frontier
 * @fingerprint: the fingerprint of a canonical URL
 *
 * Returns: %TRUE when the URL is new, %FALSE when it was seen before.
 */
gboolean
trawl_frontier_add_seen (TrawlFrontier *frontier,
                         guint64        fingerprint)
{
  guint64 fp = seen_key (fingerprint);

  /* Keep the table at most half full so probes stay short. */
  if ((frontier->n_seen + 1) * 2 > frontier->seen_mask + 1)
    {
      gsize new_mask = (frontier->seen_mask << 1) | 1;
      guint64 *table = g_new0 (guint64, new_mask + 1);

      for (gsize i = 0; i <= frontier->seen_mask; i++)
        if (frontier->seen[i] != 0)
          seen_insert (table, new_mask, frontier->seen[i]);
      g_free (frontier->seen);
      frontier->seen = table;
      frontier->seen_mask = new_mask;
    }

  if (!seen_insert (frontier->seen, frontier->seen_mask, fp))
    return FALSE;

  frontier->n_seen++;
  return TRUE;
}

gboolean
trawl_frontier_is_seen (TrawlFrontier *frontier,
                        guint64        fingerprint)
{
  guint64 fp = seen_key (fingerprint);
  gsize i = fp & frontier->seen_mask;

  while (frontier->seen[i] != 0)
    {
      if (frontier->seen[i] == fp)
        return TRUE;
      i = (i + 1) & frontier->seen_mask;
    }
  return FALSE;
}

guint
trawl_frontier_get_n_seen (TrawlFrontier *frontier)
{
  return frontier->n_seen;
}

/* Ready-heap. */

static void
heap_swap (GPtrArray *heap,
           guint      a,
           guint      b)
{
  TrawlHost *ha = heap->pdata[a];
  TrawlHost *hb = heap->pdata[b];

  heap->pdata[a] = hb;
  heap->pdata[b] = ha;
  hb->heap_index = a;
  ha->heap_index = b;
}

static gboolean
heap_less (GPtrArray *heap,
           guint      a,
           guint      b)
{
  return ((TrawlHost *) heap->pdata[a])->next_allowed < ((TrawlHost *) heap->pdata[b])->next_allowed;
}

static void
heap_up (GPtrArray *heap,
         guint      i)
{
  while (i > 0 && heap_less (heap, i, (i - 1) / 2))
    {
      heap_swap (heap, i, (i - 1) / 2);
      i = (i - 1) / 2;
    }
}

static void
heap_down (GPtrArray *heap,
           guint      i)
{
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, m = i;

      if (l < heap->len && heap_less (heap, l, m))
        m = l;
      if (r < heap->len && heap_less (heap, r, m))
        m = r;
      if (m == i)
        return;
      heap_swap (heap, i, m);
      i = m;
    }
}

static void
heap_remove (GPtrArray *heap,
             TrawlHost *host)
{
  guint i = host->heap_index;
  guint last = heap->len - 1;

  g_assert (i < heap->len && heap->pdata[i] == host);

  if (i != last)
    heap_swap (heap, i, last);
  g_ptr_array_remove_index (heap, last);
  host->heap_index = NOT_IN_HEAP;

  if (i < heap->len)
    {
      heap_up (heap, i);
      heap_down (heap, i);
    }
}

static gboolean
host_is_eligible (TrawlFrontier *frontier,
                  TrawlHost     *host)
{
  return (host->queue.length > 0 || host->spilled > 0) &&
         host->in_flight < frontier->per_host &&
         host->robots_state != TRAWL_ROBOTS_STATE_FETCHING;
}

/**
 * trawl_frontier_update_host:
 * @frontier: a frontier
 * @host: a host whose queue, slots, delay or robots state changed
 *
 * Puts @host in the ready-heap, moves it, or takes it out, as its state
 * now requires.
 */
void
trawl_frontier_update_host (TrawlFrontier *frontier,
                            TrawlHost     *host)
{
  gboolean eligible = host_is_eligible (frontier, host);

  if (host->heap_index != NOT_IN_HEAP)
    {
      if (!eligible)
        heap_remove (frontier->heap, host);
      else
        {
          heap_up (frontier->heap, host->heap_index);
          heap_down (frontier->heap, host->heap_index);
        }
    }
  else if (eligible)
    {
      host->heap_index = frontier->heap->len;
      g_ptr_array_add (frontier->heap, host);
      heap_up (frontier->heap, host->heap_index);
    }
}

void
trawl_frontier_set_per_host (TrawlFrontier *frontier,
                             guint          per_host)
{
  GHashTableIter iter;
  gpointer value;

  frontier->per_host = MAX (per_host, 1);

  g_hash_table_iter_init (&iter, frontier->hosts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    trawl_frontier_update_host (frontier, value);
}

/**
 * trawl_frontier_get_host:
 * @frontier: a frontier
 * @key: a host key from trawl_url_host_key()
 *
 * Returns: (transfer none): the host, created on first use.
 */
TrawlHost *
trawl_frontier_get_host (TrawlFrontier *frontier,
                         const char    *key)
{
  TrawlHost *host = g_hash_table_lookup (frontier->hosts, key);

  if (host == NULL)
    {
      host = g_new0 (TrawlHost, 1);
      host->key = g_strdup (key);
      host->heap_index = NOT_IN_HEAP;
      host->delay = -1;
      g_hash_table_insert (frontier->hosts, host->key, host);
    }
  return host;
}

/**
 * trawl_frontier_push:
 * @frontier: a frontier
 * @host: the request's host
 * @request: (transfer full): a new request
 */
void
trawl_frontier_push (TrawlFrontier *frontier,
                     TrawlHost     *host,
                     TrawlRequest  *request)
{
  queue_push_tail (&host->queue, request);
  host->last_memory_id = MAX (host->last_memory_id, request->id);
  frontier->queued++;
  frontier->in_memory++;
  trawl_frontier_update_host (frontier, host);
}

void
trawl_frontier_set_loader (TrawlFrontier        *frontier,
                           TrawlFrontierLoadFunc func,
                           gpointer              user_data)
{
  frontier->load = func;
  frontier->load_data = user_data;
}

/**
 * trawl_frontier_add:
 * @frontier: a frontier
 * @host: the URL's host
 * @id: the id of its row, already submitted to the crawl file
 * @url: the URL
 * @depth: its depth
 * @parent_id: the page it was found on
 * @kind: what to fetch it as
 *
 * Queues a new URL in memory, or, once the host has a full window or URLs
 * waiting in the file already, only counts it: it will be loaded from its
 * row when the queue runs dry.
 */
void
trawl_frontier_add (TrawlFrontier    *frontier,
                    TrawlHost        *host,
                    gint64            id,
                    const char       *url,
                    int               depth,
                    gint64            parent_id,
                    TrawlRequestKind  kind)
{
  if (frontier->load != NULL &&
      (host->spilled > 0 || host->queue.length >= frontier->window || frontier->in_memory >= TOTAL_WINDOW))
    {
      host->spilled++;
      frontier->queued++;
      trawl_frontier_update_host (frontier, host);
      return;
    }

  trawl_frontier_push (frontier, host, trawl_request_new (id, url, depth, parent_id, kind));
}

/* Brings the next window of a host's spilled URLs back into memory.
 * Returns FALSE when the crawl file cannot give them now. */
static gboolean
refill (TrawlFrontier *frontier,
        TrawlHost     *host)
{
  g_autoptr (GPtrArray) loaded = frontier->load (host, host->last_memory_id, frontier->window, frontier->load_data);
  guint kept = 0;

  if (loaded == NULL)
    return FALSE;

  for (guint i = 0; i < loaded->len; i++)
    {
      TrawlRequest *request = g_steal_pointer (&loaded->pdata[i]);

      host->last_memory_id = MAX (host->last_memory_id, request->id);
      /* Already in memory, queued out of order (a redirect target). */
      if (host->pinned != NULL && g_hash_table_remove (host->pinned, &request->id))
        {
          g_free (request);
          continue;
        }
      queue_push_tail (&host->queue, request);
      kept++;
    }

  frontier->in_memory += kept;
  if (loaded->len < frontier->window || kept >= host->spilled)
    {
      /* The file holds no more for this host; trust it over the count,
       * which a stop or a resume may have left off. */
      frontier->queued += (gint64) kept - host->spilled;
      host->spilled = 0;
    }
  else
    host->spilled -= kept;
  return TRUE;
}

/**
 * trawl_frontier_push_front:
 * @frontier: a frontier
 * @host: the request's host
 * @request: (transfer full): a request to retry before anything else
 */
void
trawl_frontier_push_front (TrawlFrontier *frontier,
                           TrawlHost     *host,
                           TrawlRequest  *request)
{
  if (frontier->order == TRAWL_ORDER_DEPTH)
    queue_push_tail (&host->queue, request);
  else
    queue_push_head (&host->queue, request);

  /* A new URL jumping the queue while others wait in the file: the refill
   * must not load it a second time. */
  if (request->id > host->last_memory_id && host->spilled > 0)
    {
      if (host->pinned == NULL)
        host->pinned = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_hash_table_add (host->pinned, g_memdup2 (&request->id, sizeof request->id));
    }
  else
    host->last_memory_id = MAX (host->last_memory_id, request->id);

  frontier->queued++;
  frontier->in_memory++;
  trawl_frontier_update_host (frontier, host);
}

/**
 * trawl_frontier_pop:
 * @frontier: a frontier
 * @now: g_get_monotonic_time()
 * @host: (out): the host of the returned request
 * @wake_at: (out): when nothing is ready, the time something will be, or
 *   -1 when nothing is waiting at all
 *
 * Takes the next request whose host allows one now.  The host counts it as
 * in flight and leaves the ready-heap until the caller has set its next
 * allowed time and called trawl_frontier_update_host().
 *
 * Returns: (transfer full) (nullable): the request, or %NULL.
 */
TrawlRequest *
trawl_frontier_pop (TrawlFrontier *frontier,
                    gint64         now,
                    TrawlHost    **host,
                    gint64        *wake_at)
{
  TrawlHost *top;
  TrawlRequest *request;

  *host = NULL;
  *wake_at = -1;

  if (frontier->heap->len == 0)
    return NULL;

  top = frontier->heap->pdata[0];
  if (top->next_allowed > now)
    {
      *wake_at = top->next_allowed;
      return NULL;
    }

  heap_remove (frontier->heap, top);
  if (top->queue.length == 0 && top->spilled > 0 && !refill (frontier, top))
    {
      /* Its URLs are still to be written: the host waits a second. */
      top->next_allowed = now + G_USEC_PER_SEC;
      trawl_frontier_update_host (frontier, top);
      return trawl_frontier_pop (frontier, now, host, wake_at);
    }
  if (top->queue.length == 0)
    {
      /* The file held fewer than counted: nothing is left to give. */
      trawl_frontier_update_host (frontier, top);
      return trawl_frontier_pop (frontier, now, host, wake_at);
    }
  request = frontier->order == TRAWL_ORDER_DEPTH
            ? queue_pop_tail (&top->queue)
            : queue_pop_head (&top->queue);
  frontier->queued--;
  frontier->in_memory--;
  top->in_flight++;
  *host = top;

  return request;
}

gint64
trawl_frontier_get_queued (TrawlFrontier *frontier)
{
  return frontier->queued;
}

/**
 * trawl_frontier_get_hosts:
 * @frontier: a frontier
 *
 * Returns: (transfer container) (element-type TrawlHost): every host.
 */
GList *
trawl_frontier_get_hosts (TrawlFrontier *frontier)
{
  return g_hash_table_get_values (frontier->hosts);
}

/**
 * trawl_frontier_clear_queues:
 * @frontier: a frontier
 *
 * Drops every queued request, for a crawl that stops: they stay queued in
 * the crawl file and a resume picks them up again.
 */
void
trawl_frontier_clear_queues (TrawlFrontier *frontier)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, frontier->hosts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TrawlHost *host = value;

      queue_clear (&host->queue);
      host->spilled = 0;
      g_clear_pointer (&host->pinned, g_hash_table_unref);
      trawl_frontier_update_host (frontier, host);
    }
  frontier->queued = 0;
  frontier->in_memory = 0;
}
