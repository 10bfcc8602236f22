/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-hash.c — a fast, stable 64-bit hash.
 *
 * Fingerprints are stored in crawl files and compared across runs, so the
 * function must never change.  It is FNV-1a over 8-byte words followed by a
 * final avalanche (from MurmurHash3's fmix64), which is quick on whole pages
 * and spreads similar URLs across the dedupe table.
 */
#include "config.h"

#include "trawl-hash.h"

#include <string.h>

static inline guint64
fmix64 (guint64 k)
{
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  k ^= k >> 33;
  k *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  k ^= k >> 33;
  return k;
}

/**
 * trawl_hash64:
 * @data: the bytes to hash
 * @length: how many bytes
 *
 * Returns: a 64-bit hash of @data that is the same on every machine and in
 *   every version of Trawl.
 */
guint64
trawl_hash64 (const void *data,
              gsize       length)
{
  const guint8 *p = data;
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325) ^ length;
  const guint64 prime = G_GUINT64_CONSTANT (0x100000001b3);

  while (length >= 8)
    {
      guint64 word;

      memcpy (&word, p, 8);
      word = GUINT64_TO_LE (word);
      h = (h ^ word) * prime;
      h ^= h >> 29;
      p += 8;
      length -= 8;
    }
  while (length > 0)
    {
      h = (h ^ *p++) * prime;
      length--;
    }

  return fmix64 (h);
}
