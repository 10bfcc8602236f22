/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-results-keys.c — what the results are sorted and filtered by,
 * for every settled URL, held in memory.
 *
 * Reading a column of a million rows from the crawl file takes 0.2 to
 * 0.8 s (the pages table is wide: its headers sit in the middle of each
 * row); sorting a million numbers in memory takes a tenth of that.  So
 * the keys of every settled URL are read in one pass when the file is
 * opened (and again when a running crawl adds rows), about 41 bytes a
 * URL, and each sort, filter or search after that works on them.  Text
 * is not kept: the first sort by URL or title reads and sorts the texts
 * once and keeps only each row's rank.
 */
#define G_LOG_DOMAIN "trawl-results-keys"

#include "config.h"

#include "trawl-results-keys.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "trawl-store.h"

struct _TrawlResultsKeys
{
  gatomicrefcount  ref_count;
  guint            n;
  /* One array of n per column, in id order. */
  gint64          *id;
  gint64          *fingerprint;
  gint64          *bytes;       /* -1: none */
  gint32          *status;      /* 0: none */
  gint32          *fetch_ms;    /* -1: none */
  gint32          *outlinks;    /* -1: none */
  gint32          *depth;
  guint16         *type;        /* the content type's rank among the crawl's, 0: none */
  guint8          *flags;       /* TrawlResultsFilter: which chips the row passes */
};

static void
keys_free (TrawlResultsKeys *keys)
{
  g_free (keys->id);
  g_free (keys->fingerprint);
  g_free (keys->bytes);
  g_free (keys->status);
  g_free (keys->fetch_ms);
  g_free (keys->outlinks);
  g_free (keys->depth);
  g_free (keys->type);
  g_free (keys->flags);
  g_free (keys);
}

TrawlResultsKeys *
trawl_results_keys_ref (TrawlResultsKeys *keys)
{
  g_atomic_ref_count_inc (&keys->ref_count);
  return keys;
}

void
trawl_results_keys_unref (TrawlResultsKeys *keys)
{
  if (g_atomic_ref_count_dec (&keys->ref_count))
    keys_free (keys);
}

guint
trawl_results_keys_get_n (TrawlResultsKeys *keys)
{
  return keys->n;
}

static guint8
status_flags (gint64 status)
{
  switch (status / 100)
    {
    case 2: return TRAWL_RESULTS_FILTER_2XX;
    case 3: return TRAWL_RESULTS_FILTER_3XX;
    case 4: return TRAWL_RESULTS_FILTER_4XX;
    case 5: return TRAWL_RESULTS_FILTER_5XX;
    default: return 0;
    }
}

/* As SQLite's LIKE 'text/html%', which ignores the case of ASCII letters. */
static gboolean
type_is_html (const char *type)
{
  return g_ascii_strncasecmp (type, "text/html", 9) == 0 ||
         g_ascii_strncasecmp (type, "application/xhtml+xml", 21) == 0;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Numbers the content types in order of appearance while reading; ranks
 * them (in SQLite's BINARY order, strcmp's) once all are known. */
static void
rank_types (TrawlResultsKeys *keys,
            GHashTable       *types)
{
  guint n_types = g_hash_table_size (types);
  g_autofree gpointer *names = g_hash_table_get_keys_as_array (types, NULL);
  g_autofree guint16 *rank = g_new (guint16, n_types + 1);

  qsort (names, n_types, sizeof (gpointer), compare_strings);
  rank[0] = 0;
  for (guint i = 0; i < n_types; i++)
    rank[GPOINTER_TO_UINT (g_hash_table_lookup (types, names[i]))] = i + 1;
  for (guint i = 0; i < keys->n; i++)
    keys->type[i] = rank[keys->type[i]];
}

/**
 * trawl_results_keys_read:
 * @db: a crawl file, in a read transaction
 *
 * Returns: (transfer full) (nullable): the keys of every settled URL, or
 *   %NULL if SQLite failed or was interrupted (see sqlite3_errcode())
 */
TrawlResultsKeys *
trawl_results_keys_read (sqlite3 *db)
{
  TrawlResultsKeys *keys;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GHashTable) types = NULL;
  guint capacity = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM urls WHERE state <> 0", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  rc = sqlite3_step (stmt);
  capacity = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return NULL;
  if (sqlite3_prepare_v2 (db, "SELECT u.id, u.fingerprint, u.depth, u.state, u.reason, p.status, "
                              "p.content_type, p.bytes, p.fetch_ms, p.outlinks "
                              "FROM urls u LEFT JOIN pages p ON p.id = u.id "
                              "WHERE u.state <> 0 ORDER BY u.id", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;

  keys = g_new0 (TrawlResultsKeys, 1);
  g_atomic_ref_count_init (&keys->ref_count);
  keys->id = g_new (gint64, capacity);
  keys->fingerprint = g_new (gint64, capacity);
  keys->bytes = g_new (gint64, capacity);
  keys->status = g_new (gint32, capacity);
  keys->fetch_ms = g_new (gint32, capacity);
  keys->outlinks = g_new (gint32, capacity);
  keys->depth = g_new (gint32, capacity);
  keys->type = g_new (guint16, capacity);
  keys->flags = g_new (guint8, capacity);
  types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The count came from the same transaction: the rows cannot outnumber it. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && keys->n < capacity)
    {
      guint i = keys->n++;
      int state = sqlite3_column_int (stmt, 3);
      const char *reason = (const char *) sqlite3_column_text (stmt, 4);
      const char *type = (const char *) sqlite3_column_text (stmt, 6);
      guint8 flags = 0;

      keys->id[i] = sqlite3_column_int64 (stmt, 0);
      keys->fingerprint[i] = sqlite3_column_int64 (stmt, 1);
      keys->depth[i] = CLAMP (sqlite3_column_int64 (stmt, 2), G_MININT32, G_MAXINT32);
      keys->status[i] = CLAMP (trawl_store_column_int64_or (stmt, 5, 0), G_MININT32, G_MAXINT32);
      keys->bytes[i] = trawl_store_column_int64_or (stmt, 7, -1);
      keys->fetch_ms[i] = CLAMP (trawl_store_column_int64_or (stmt, 8, -1), G_MININT32, G_MAXINT32);
      keys->outlinks[i] = CLAMP (trawl_store_column_int64_or (stmt, 9, -1), G_MININT32, G_MAXINT32);

      keys->type[i] = 0;
      if (type != NULL)
        {
          gpointer number;

          if (!g_hash_table_lookup_extended (types, type, NULL, &number))
            {
              /* 0 is for no type; a crawl with 65,535 types ranks the rest last. */
              number = GUINT_TO_POINTER (MIN (g_hash_table_size (types) + 1, G_MAXUINT16));
              if (GPOINTER_TO_UINT (number) < G_MAXUINT16)
                g_hash_table_insert (types, g_strdup (type), number);
            }
          keys->type[i] = GPOINTER_TO_UINT (number);
          if (type_is_html (type))
            flags |= TRAWL_RESULTS_FILTER_HTML;
        }

      flags |= status_flags (keys->status[i]);
      if (state == 2)
        flags |= TRAWL_RESULTS_FILTER_ERRORS;
      if (state == 3 && g_strcmp0 (reason, "robots") == 0)
        flags |= TRAWL_RESULTS_FILTER_ROBOTS;
      if (g_strcmp0 (reason, "out-of-scope") == 0)
        flags |= TRAWL_RESULTS_FILTER_EXTERNAL;
      keys->flags[i] = flags;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      keys_free (keys);
      return NULL;
    }
  rank_types (keys, types);
  return keys;
}

/**
 * trawl_results_keys_select:
 * @keys: the keys
 * @filters: the chips that are on
 * @only_ids: (nullable): gint64 ids in ascending order, such as a search's
 *
 * Returns: (transfer full): the rows (guint indexes into @keys) that pass,
 *   in id order
 */
GArray *
trawl_results_keys_select (TrawlResultsKeys   *keys,
                           TrawlResultsFilter  filters,
                           GArray             *only_ids)
{
  guint8 outcomes = filters & ~TRAWL_RESULTS_FILTER_HTML;
  gboolean html = (filters & TRAWL_RESULTS_FILTER_HTML) != 0;
  GArray *rows = g_array_sized_new (FALSE, FALSE, sizeof (guint), only_ids != NULL ? only_ids->len : keys->n);
  guint j = 0;

  for (guint i = 0; i < keys->n; i++)
    {
      guint8 flags = keys->flags[i];

      if (only_ids != NULL)
        {
          /* Both in id order: a merge. */
          while (j < only_ids->len && g_array_index (only_ids, gint64, j) < keys->id[i])
            j++;
          if (j == only_ids->len)
            break;
          if (g_array_index (only_ids, gint64, j) != keys->id[i])
            continue;
        }
      if (html && !(flags & TRAWL_RESULTS_FILTER_HTML))
        continue;
      if (outcomes != 0 && !(flags & outcomes))
        continue;
      g_array_append_val (rows, i);
    }
  return rows;
}

typedef struct {
  gint64 id;  /* or a row, for the texts */
  gint64 n;
} SortPair;

typedef struct {
  gint64      row;
  const char *text;  /* nullable */
} TextPair;

/* Missing text comes first, as in SQLite. */
static int
compare_text_pairs (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  return g_strcmp0 (((const TextPair *) a)->text, ((const TextPair *) b)->text);
}

/* Equal keys keep the id order, descending or not. */
static int
compare_pairs (gconstpointer a,
               gconstpointer b,
               gpointer      descending)
{
  const SortPair *x = a, *y = b;

  if (x->n != y->n)
    return (x->n < y->n ? -1 : 1) * (descending ? -1 : 1);
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorting a million keys takes a hundred ms or more; above this many, the
 * two halves are sorted on two threads and merged.  TRAWL_PARALLEL_SORT_MIN
 * sets it for the tests, which sort a hundred rows. */
#define PARALLEL_SORT_MIN 65536

static guint
parallel_sort_min (void)
{
  const char *env = g_getenv ("TRAWL_PARALLEL_SORT_MIN");

  return env != NULL ? (guint) MAX (2, atoi (env)) : PARALLEL_SORT_MIN;
}

typedef struct {
  GArray           *pairs;
  guint             offset;
  guint             len;
  GCompareDataFunc  compare;
  gpointer          data;
} SortHalf;

static gpointer
sort_half (gpointer user_data)
{
  SortHalf *h = user_data;
  guint size = g_array_get_element_size (h->pairs);

  g_qsort_with_data (h->pairs->data + (gsize) h->offset * size, h->len, size, h->compare, h->data);
  return NULL;
}

/* Called with each pair in sorted order, @i from 0. */
typedef void (*VisitFunc) (guint          i,
                           gconstpointer  pair,
                           gpointer       data);

/* Sorts @pairs stably, as g_array_sort_with_data() does, and visits them
 * in that order; on two cores when there are enough of them, merging the
 * sorted halves as it visits. */
static void
sort_pairs (GArray           *pairs,
            GCompareDataFunc  compare,
            gpointer          compare_data,
            VisitFunc         visit,
            gpointer          visit_data)
{
  guint size = g_array_get_element_size (pairs);
  guint n = pairs->len, mid = n / 2;
  SortHalf left = { pairs, 0, mid, compare, compare_data };
  SortHalf right = { pairs, mid, n - mid, compare, compare_data };
  GThread *thread;
  char *a, *a_end, *b, *b_end;

  if (n < parallel_sort_min () || g_get_num_processors () < 2)
    {
      g_array_sort_with_data (pairs, compare, compare_data);
      for (guint i = 0; i < n; i++)
        visit (i, pairs->data + (gsize) i * size, visit_data);
      return;
    }

  thread = g_thread_new ("trawl-sort", sort_half, &right);
  sort_half (&left);
  g_thread_join (thread);

  /* On equal keys the left half's goes first. */
  a = pairs->data;
  a_end = b = pairs->data + (gsize) mid * size;
  b_end = pairs->data + (gsize) n * size;
  for (guint i = 0; i < n; i++)
    {
      char **next = b == b_end || (a < a_end && compare (b, a, compare_data) >= 0) ? &a : &b;

      visit (i, *next, visit_data);
      *next += size;
    }
}

static void
visit_id (guint         i,
          gconstpointer pair,
          gpointer      ids)
{
  g_array_index ((GArray *) ids, gint64, i) = ((const SortPair *) pair)->id;
}

typedef struct {
  GArray     *ranks;
  const char *previous;
  guint32     rank;
} Ranking;

static void
visit_text (guint         i,
            gconstpointer pair,
            gpointer      data)
{
  const TextPair *p = pair;
  Ranking *r = data;

  if (i > 0 && g_strcmp0 (p->text, r->previous) != 0)
    r->rank = i;
  g_array_index (r->ranks, guint32, p->row) = r->rank;
  r->previous = p->text;
}

/**
 * trawl_results_keys_rank_text:
 * @keys: the keys
 * @db: the crawl file @keys were read from
 * @sort: %TRAWL_RESULTS_SORT_URL or %TRAWL_RESULTS_SORT_TITLE
 *
 * Reads that text of every row and sorts it once.
 *
 * Returns: (transfer full) (nullable): each row's rank (guint32): equal
 *   texts share one, a missing text ranks first; %NULL if SQLite failed
 */
GArray *
trawl_results_keys_rank_text (TrawlResultsKeys *keys,
                              sqlite3          *db,
                              TrawlResultsSort  sort)
{
  const char *sql = sort == TRAWL_RESULTS_SORT_URL
    ? "SELECT u.id, u.url FROM urls u WHERE u.state <> 0 ORDER BY u.id"
    : "SELECT u.id, p.title FROM urls u LEFT JOIN pages p ON p.id = u.id WHERE u.state <> 0 ORDER BY u.id";
  g_autoptr (GArray) pairs = g_array_sized_new (FALSE, FALSE, sizeof (TextPair), keys->n);
  GStringChunk *texts = g_string_chunk_new (1 << 20);
  GArray *ranks = NULL;
  sqlite3_stmt *stmt = NULL;
  guint row = 0;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  /* Rows the keys lack (added since they were read) are left out. */
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *text = (const char *) sqlite3_column_text (stmt, 1);

      rc = SQLITE_OK;
      while (row < keys->n && keys->id[row] < id)
        row++;
      if (row < keys->n && keys->id[row] == id)
        {
          TextPair pair = { row, text != NULL ? g_string_chunk_insert (texts, text) : NULL };

          g_array_append_val (pairs, pair);
        }
    }
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    {
      Ranking ranking = { g_array_sized_new (FALSE, TRUE, sizeof (guint32), keys->n), NULL, 0 };

      g_array_set_size (ranking.ranks, keys->n);
      sort_pairs (pairs, compare_text_pairs, NULL, visit_text, &ranking);
      ranks = ranking.ranks;
    }
  g_string_chunk_free (texts);
  return ranks;
}

/**
 * trawl_results_inlinks_of:
 * @fps: (nullable): gint64 fingerprints, ascending
 * @counts: guint32 inlink counts, as @fps
 * @fingerprint: a URL's fingerprint
 *
 * Returns: how many links lead to @fingerprint; -1 without counts
 */
gint64
trawl_results_inlinks_of (GArray *fps,
                          GArray *counts,
                          gint64  fingerprint)
{
  guint lo = 0, hi;

  if (fps == NULL)
    return -1;
  hi = fps->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 fp = g_array_index (fps, gint64, mid);

      if (fp == fingerprint)
        return g_array_index (counts, guint32, mid);
      if (fp < fingerprint)
        lo = mid + 1;
      else
        hi = mid;
    }
  return 0;
}

/**
 * trawl_results_keys_sort:
 * @keys: the keys
 * @rows: guint indexes into @keys, in id order
 * @sort: the column
 * @descending: largest first
 * @text_ranks: (nullable): for a sort by URL or title, from
 *   trawl_results_keys_rank_text()
 * @inlink_fps: (nullable): for a sort by inlinks, the counts
 * @inlink_counts: (nullable): as @inlink_fps
 *
 * Equal keys keep the id order.  Missing numbers count as the rows show
 * them (no status 0, no size -1).
 *
 * Returns: (transfer full): the ids of @rows (gint64) in that order
 */
GArray *
trawl_results_keys_sort (TrawlResultsKeys *keys,
                         GArray           *rows,
                         TrawlResultsSort  sort,
                         gboolean          descending,
                         GArray           *text_ranks,
                         GArray           *inlink_fps,
                         GArray           *inlink_counts)
{
  g_autoptr (GArray) pairs = NULL;
  const guint *row = (const guint *) rows->data;
  GArray *ids;

  if (sort == TRAWL_RESULTS_SORT_NONE ||
      ((sort == TRAWL_RESULTS_SORT_URL || sort == TRAWL_RESULTS_SORT_TITLE) && text_ranks == NULL))
    {
      ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);
      g_array_set_size (ids, rows->len);
      for (guint i = 0; i < rows->len; i++)
        g_array_index (ids, gint64, descending ? rows->len - 1 - i : i) = keys->id[row[i]];
      return ids;
    }

  pairs = g_array_sized_new (FALSE, FALSE, sizeof (SortPair), rows->len);
  g_array_set_size (pairs, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      guint r = row[i];
      SortPair *pair = &g_array_index (pairs, SortPair, i);

      pair->id = keys->id[r];
      switch (sort)
        {
        case TRAWL_RESULTS_SORT_URL:
        case TRAWL_RESULTS_SORT_TITLE:
          pair->n = g_array_index (text_ranks, guint32, r);
          break;
        case TRAWL_RESULTS_SORT_STATUS: pair->n = keys->status[r]; break;
        case TRAWL_RESULTS_SORT_TYPE: pair->n = keys->type[r]; break;
        case TRAWL_RESULTS_SORT_SIZE: pair->n = keys->bytes[r]; break;
        case TRAWL_RESULTS_SORT_TIME: pair->n = keys->fetch_ms[r]; break;
        case TRAWL_RESULTS_SORT_DEPTH: pair->n = keys->depth[r]; break;
        case TRAWL_RESULTS_SORT_OUTLINKS: pair->n = keys->outlinks[r]; break;
        case TRAWL_RESULTS_SORT_INLINKS:
          pair->n = trawl_results_inlinks_of (inlink_fps, inlink_counts, keys->fingerprint[r]);
          break;
        case TRAWL_RESULTS_SORT_NONE:
        default:
          g_assert_not_reached ();
        }
    }
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), rows->len);
  g_array_set_size (ids, rows->len);
  sort_pairs (pairs, compare_pairs, GINT_TO_POINTER (descending), visit_id, ids);
  return ids;
}
