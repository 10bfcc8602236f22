/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-sitemap.c — URLs from sitemaps and sitemap indexes.
 *
 * Sitemaps are XML (<urlset> of <url><loc>, or a <sitemapindex> of
 * <sitemap><loc>), often gzip-compressed, sometimes plain text with one URL
 * a line.  All three are read here; the gzip magic decides, not the file
 * name, since servers are inconsistent about both.
 */
#define G_LOG_DOMAIN "trawl-sitemap"

#include "config.h"

#include "trawl-sitemap.h"
#include "trawl-gzip.h"
#include "trawl-url.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <libxml/xmlreader.h>
#include <string.h>

static void
add_url (GPtrArray  *urls,
         const char *base,
         const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  char *url;

  if (trimmed[0] == '\0')
    return;
  url = trawl_url_resolve (base, trimmed);
  if (url != NULL && trawl_url_is_http (url))
    g_ptr_array_add (urls, url);
  else
    g_free (url);
}

static void
parse_text (GPtrArray  *urls,
            const char *base,
            const char *data,
            gsize       len)
{
  /* An empty GBytes has no data at all, and g_strndup (NULL, 0) is NULL. */
  g_autofree char *copy = g_strndup (len > 0 ? data : "", len);
  g_auto (GStrv) lines = g_strsplit (copy, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (trawl_url_is_http (g_strstrip (lines[i])))
      add_url (urls, base, lines[i]);
}

static gboolean
parse_xml (GPtrArray   *urls,
           const char  *base,
           const char  *data,
           gsize        len,
           gboolean    *is_index,
           GError     **error)
{
  xmlTextReaderPtr reader = xmlReaderForMemory (data, (int) len, base, NULL,
                                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_RECOVER);
  gboolean in_loc = FALSE;
  gboolean root_seen = FALSE;
  GString *text = g_string_new (NULL);
  int rc;

  if (reader == NULL)
    {
      g_string_free (text, TRUE);
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, _("The sitemap is not valid XML"));
      return FALSE;
    }

  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      int type = xmlTextReaderNodeType (reader);
      const char *name = (const char *) xmlTextReaderConstLocalName (reader);

      if (type == XML_READER_TYPE_ELEMENT)
        {
          if (!root_seen)
            {
              root_seen = TRUE;
              *is_index = name != NULL && strcmp (name, "sitemapindex") == 0;
            }
          if (name != NULL && strcmp (name, "loc") == 0 && !xmlTextReaderIsEmptyElement (reader))
            {
              in_loc = TRUE;
              g_string_truncate (text, 0);
            }
        }
      else if (in_loc && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA))
        g_string_append (text, (const char *) xmlTextReaderConstValue (reader));
      else if (in_loc && type == XML_READER_TYPE_END_ELEMENT)
        {
          in_loc = FALSE;
          add_url (urls, base, text->str);
        }
    }

  xmlFreeTextReader (reader);
  g_string_free (text, TRUE);

  if (!root_seen)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, _("The sitemap is not valid XML"));
      return FALSE;
    }
  return TRUE;
}

/**
 * trawl_sitemap_parse:
 * @body: the sitemap as fetched, compressed or not
 * @sitemap_url: its URL, to resolve relative entries
 * @is_index: (out): whether it lists other sitemaps rather than pages
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable) (element-type utf8): the absolute
 *   http(s) URLs it lists, or %NULL with @error set.
 */
GPtrArray *
trawl_sitemap_parse (GBytes      *body,
                     const char  *sitemap_url,
                     gboolean    *is_index,
                     GError     **error)
{
  g_autoptr (GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) plain = NULL;
  const char *data;
  gsize len;

  *is_index = FALSE;
  data = g_bytes_get_data (body, &len);

  if (len >= 2 && (guint8) data[0] == 0x1f && (guint8) data[1] == 0x8b)
    {
      /* A small file that inflates beyond the limit is a bomb, not a
       * sitemap: keep what fits. */
      plain = trawl_gzip_decompress (body, TRAWL_SITEMAP_MAX_SIZE, error);
      if (plain == NULL)
        return NULL;
      data = g_bytes_get_data (plain, &len);
    }

  /* Skip a BOM and white space before deciding between XML and text. */
  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
    }
  while (len > 0 && g_ascii_isspace (*data))
    {
      data++;
      len--;
    }

  if (len > 0 && data[0] == '<')
    {
      if (!parse_xml (urls, sitemap_url, data, len, is_index, error))
        return NULL;
    }
  else
    parse_text (urls, sitemap_url, data, len);

  return g_steal_pointer (&urls);
}
