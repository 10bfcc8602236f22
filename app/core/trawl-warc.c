/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-warc.c — WARC 1.1 records (ISO 28500:2017), one at a time.
 *
 * A record is its named fields, a Content-Length and a block, then two
 * CRLFs; a .warc.gz file is the same records, each compressed as its own
 * gzip member so that a reader can seek to any of them.  Digests are
 * SHA-1 in base 32, as Heritrix, wget and warcio write them.
 *
 * A response's block is rebuilt from what a crawl file keeps: its status,
 * its header lines and its body as Trawl read it.  That body has no
 * transfer coding (libsoup removes chunking) and, unless compression was
 * off, no content coding either, so the headers that would say otherwise
 * are renamed X-Orig-…, and a Content-Length is made to match the body, the
 * server's kept as X-Orig-Content-Length: browsertrix-crawler does the same
 * with the decoded bodies a browser hands it.
 */
#define G_LOG_DOMAIN "trawl-warc"

#include "config.h"

#include "trawl-warc.h"

#include <libsoup/soup.h>
#include <string.h>

/**
 * trawl_warc_record_id:
 *
 * Returns: (transfer full): a new record id, "<urn:uuid:…>"
 */
char *
trawl_warc_record_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("<urn:uuid:%s>", uuid);
}

/**
 * trawl_warc_sha1:
 * @data: (array length=len): bytes
 * @len: how many
 *
 * Returns: (transfer full): their digest as a WARC writes it,
 *   "sha1:" and 32 letters and digits of base 32 (RFC 4648)
 */
char *
trawl_warc_sha1 (const guint8 *data,
                 gsize         len)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  GString *out = g_string_new ("sha1:");

  g_checksum_update (checksum, data, len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  /* 160 bits are 32 groups of 5: no padding. */
  for (guint bit = 0; bit < 160; bit += 5)
    {
      guint byte = bit / 8, shift = bit % 8;
      guint pair = (digest[byte] << 8) | (byte + 1 < sizeof digest ? digest[byte + 1] : 0);

      g_string_append_c (out, alphabet[(pair >> (11 - shift)) & 0x1f]);
    }
  return g_string_free (out, FALSE);
}

/**
 * trawl_warc_add_field:
 * @fields: the record's fields so far
 * @name: a field name, such as "WARC-Target-URI"
 * @value: its value; line breaks become spaces, and bytes that are not
 *   UTF-8 U+FFFD, so that a value cannot end the record's header
 *
 * Appends one named field.
 */
void
trawl_warc_add_field (GString    *fields,
                      const char *name,
                      const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value, -1);

  g_string_append_printf (fields, "%s: ", name);
  for (const char *p = valid; *p != '\0'; p++)
    g_string_append_c (fields, *p == '\r' || *p == '\n' ? ' ' : *p);
  g_string_append (fields, "\r\n");
}

/* Whether libsoup's decoder removes @coding, a Content-Encoding value. */
static gboolean
is_decoded_coding (const char *coding)
{
  g_autofree char *value = g_ascii_strdown (coding, -1);

  g_strstrip (value);
  return strcmp (value, "gzip") == 0 || strcmp (value, "x-gzip") == 0 ||
         strcmp (value, "deflate") == 0 || strcmp (value, "br") == 0;
}

/**
 * trawl_warc_http_response:
 * @status: the HTTP status
 * @header_lines: (nullable): the response's "Name: value" lines, as the
 *   pages table keeps them
 * @payload: the body as stored
 * @decoded: whether the body was decoded (the crawl asked for
 *   compression, so libsoup undid gzip, deflate and br)
 *
 * Rebuilds an HTTP response that says what @payload is: the status line,
 * which Trawl does not keep, as "HTTP/1.1 STATUS PHRASE"; a transfer
 * coding, and a content coding libsoup undid, renamed X-Orig-…; and the
 * Content-Length of @payload, the server's kept as X-Orig-Content-Length
 * when it differs.
 *
 * Returns: (transfer full): the block of a response record
 */
GBytes *
trawl_warc_http_response (guint       status,
                          const char *header_lines,
                          GBytes     *payload,
                          gboolean    decoded)
{
  g_auto (GStrv) lines = g_strsplit (header_lines != NULL ? header_lines : "", "\n", -1);
  gsize len;
  const guint8 *data = g_bytes_get_data (payload, &len);
  GByteArray *block;
  GString *head = g_string_new (NULL);

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strchomp (lines[i]);
      const char *colon = strchr (line, ':');
      g_autofree char *name = colon != NULL ? g_strndup (line, colon - line) : NULL;
      const char *value = colon != NULL ? colon + 1 : NULL;

      if (name == NULL)
        continue;
      while (*value == ' ' || *value == '\t')
        value++;
      if (g_ascii_strcasecmp (name, "Transfer-Encoding") == 0 ||
          (decoded && g_ascii_strcasecmp (name, "Content-Encoding") == 0 && is_decoded_coding (value)))
        g_string_append_printf (head, "X-Orig-%s: %s\r\n", name, value);
      else if (g_ascii_strcasecmp (name, "Content-Length") == 0)
        {
          if (g_ascii_strtoull (value, NULL, 10) != len || *value == '\0')
            g_string_append_printf (head, "X-Orig-%s: %s\r\n", name, value);
          g_string_append_printf (head, "%s: %" G_GSIZE_FORMAT "\r\n", name, len);
        }
      else
        g_string_append_printf (head, "%s\r\n", line);
    }
  g_string_append (head, "\r\n");

  block = g_byte_array_sized_new (head->len + len);
  g_byte_array_append (block, (const guint8 *) head->str, head->len);
  g_byte_array_append (block, data, len);
  g_string_free (head, TRUE);
  return g_byte_array_free_to_bytes (block);
}

/**
 * trawl_warc_write_record:
 * @out: where the record goes
 * @fields: its named fields, from trawl_warc_add_field(), without
 *   Content-Length
 * @block: its content
 * @gzip: whether to write it as a gzip member of its own
 * @cancellable: (nullable): a #GCancellable
 * @error: what went wrong writing
 *
 * Returns: whether the whole record was written
 */
gboolean
trawl_warc_write_record (GOutputStream  *out,
                         const char     *fields,
                         GBytes         *block,
                         gboolean        gzip,
                         GCancellable   *cancellable,
                         GError        **error)
{
  g_autoptr (GOutputStream) member = NULL;
  g_autofree char *head = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (block, &len);
  GOutputStream *to = out;

  if (gzip)
    {
      g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);

      member = g_converter_output_stream_new (out, G_CONVERTER (compressor));
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (member), FALSE);
      to = member;
    }
  head = g_strdup_printf ("WARC/1.1\r\n%sContent-Length: %" G_GSIZE_FORMAT "\r\n\r\n", fields, len);
  return g_output_stream_write_all (to, head, strlen (head), NULL, cancellable, error) &&
         g_output_stream_write_all (to, data, len, NULL, cancellable, error) &&
         g_output_stream_write_all (to, "\r\n\r\n", 4, NULL, cancellable, error) &&
         (member == NULL || g_output_stream_close (member, cancellable, error));
}
