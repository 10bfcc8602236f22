/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-gzip.c — gzip in memory: stored bodies and compressed sitemaps. */
#define G_LOG_DOMAIN "trawl-gzip"

#include "config.h"

#include "trawl-gzip.h"

#include <gio/gio.h>

/**
 * trawl_gzip_compress:
 * @data: bytes
 *
 * Returns: (transfer full) (nullable): @data in the gzip format, at
 *   level 6, or %NULL if zlib failed
 */
GBytes *
trawl_gzip_compress (GBytes *data)
{
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr (GOutputStream) mem = g_memory_output_stream_new_resizable ();
  g_autoptr (GOutputStream) out = g_converter_output_stream_new (mem, G_CONVERTER (compressor));
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);

  if (!g_output_stream_write_all (out, bytes, len, NULL, NULL, NULL) ||
      !g_output_stream_close (out, NULL, NULL))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (mem));
}

/**
 * trawl_gzip_decompress:
 * @data: gzip bytes
 * @limit: the most bytes to inflate; what goes beyond is dropped
 * @error: why @data could not be read
 *
 * A small file that inflates beyond @limit is a bomb: the part that fits
 * is kept.
 *
 * Returns: (transfer full) (nullable): the inflated bytes
 */
GBytes *
trawl_gzip_decompress (GBytes  *data,
                       gsize    limit,
                       GError **error)
{
  g_autoptr (GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr (GInputStream) mem = g_memory_input_stream_new_from_bytes (data);
  g_autoptr (GInputStream) in = g_converter_input_stream_new (mem, G_CONVERTER (decompressor));
  g_autoptr (GByteArray) out = g_byte_array_new ();
  guint8 buf[64 * 1024];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buf, sizeof buf, NULL, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (out->len + (gsize) n > limit)
        break;
      g_byte_array_append (out, buf, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
