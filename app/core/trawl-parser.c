/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-parser.c — link and metadata discovery in HTML pages.
 *
 * The body is decoded to UTF-8 in chunks and streamed through libxml2's HTML
 * push parser with SAX callbacks only: no tree is ever built, which measured
 * about three times faster than walking a DOM.  Encoding detection follows
 * the WHATWG Encoding Standard and the HTML prescan so that pages come out
 * the way browsers show them.
 *
 * Everything lives in a ParseState on the caller's stack, so any number of
 * pages can be parsed at once from the parser thread pool.  libxml2 itself
 * must have been initialised with xmlInitParser() before the first parse.
 */
#define G_LOG_DOMAIN "trawl-parser"

#include "config.h"

#include "trawl-parser.h"
#include "trawl-hash.h"
#include "trawl-url.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>

/* How much UTF-8 is handed to libxml2 at a time. */
#define CHUNK_SIZE (64 * 1024)
/* How far back from the end of a chunk to look for an unfinished tag. */
#define TAG_LOOKBACK 16
/* Browsers stop nesting elements this deep, and so does Trawl. */
#define MAX_DEPTH 512
/* The HTML standard's prescan only looks this far for a <meta> charset. */
#define PRESCAN_LENGTH 1024
/* Anchor texts longer than this are cut, as the header promises. */
#define ANCHOR_MAX 256
/* Long enough for any real title, heading or description, short enough
 * that a page which never closes its <title> cannot make the result as
 * large as the body. */
#define TEXT_MAX 4096

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

/* No HTML_PARSE_NOBLANKS: in SAX mode it would route white space between
 * inline elements away from the characters callback and run words into one
 * another.  HTML_PARSE_IGNORE_ENC keeps libxml2 from acting on a <meta>
 * charset, since the text it sees has already been decoded to UTF-8. */
#define PARSE_OPTIONS (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
                       HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC)

/* Encodings */

typedef enum {
  ENC_UTF_8,
  ENC_WINDOWS_1252,
  ENC_UTF_16LE,
  ENC_UTF_16BE,
  ENC_IBM866,
  ENC_ISO_8859_2,
  ENC_ISO_8859_3,
  ENC_ISO_8859_4,
  ENC_ISO_8859_5,
  ENC_ISO_8859_6,
  ENC_ISO_8859_7,
  ENC_ISO_8859_8,
  ENC_ISO_8859_8_I,
  ENC_ISO_8859_10,
  ENC_ISO_8859_13,
  ENC_ISO_8859_14,
  ENC_ISO_8859_15,
  ENC_ISO_8859_16,
  ENC_KOI8_R,
  ENC_KOI8_U,
  ENC_MACINTOSH,
  ENC_WINDOWS_874,
  ENC_WINDOWS_1250,
  ENC_WINDOWS_1251,
  ENC_WINDOWS_1253,
  ENC_WINDOWS_1254,
  ENC_WINDOWS_1255,
  ENC_WINDOWS_1256,
  ENC_WINDOWS_1257,
  ENC_WINDOWS_1258,
  ENC_X_MAC_CYRILLIC,
  ENC_GBK,
  ENC_GB18030,
  ENC_BIG5,
  ENC_EUC_JP,
  ENC_ISO_2022_JP,
  ENC_SHIFT_JIS,
  ENC_EUC_KR,
} EncodingId;

typedef struct {
  const char *name;        /* the WHATWG name, upper-cased */
  const char *iconv_name;  /* NULL for the two decoded by hand */
} Encoding;

/* The iconv names pick glibc's closest match to what browsers decode: the
 * WHATWG Shift_JIS, EUC-KR and Big5 are Microsoft's and Hong Kong's
 * supersets, and GBK is decoded as GB18030. */
static const Encoding encodings[] = {
  [ENC_UTF_8] = { "UTF-8", NULL },
  [ENC_WINDOWS_1252] = { "WINDOWS-1252", NULL },
  [ENC_UTF_16LE] = { "UTF-16LE", "UTF-16LE" },
  [ENC_UTF_16BE] = { "UTF-16BE", "UTF-16BE" },
  [ENC_IBM866] = { "IBM866", "IBM866" },
  [ENC_ISO_8859_2] = { "ISO-8859-2", "ISO-8859-2" },
  [ENC_ISO_8859_3] = { "ISO-8859-3", "ISO-8859-3" },
  [ENC_ISO_8859_4] = { "ISO-8859-4", "ISO-8859-4" },
  [ENC_ISO_8859_5] = { "ISO-8859-5", "ISO-8859-5" },
  [ENC_ISO_8859_6] = { "ISO-8859-6", "ISO-8859-6" },
  [ENC_ISO_8859_7] = { "ISO-8859-7", "ISO-8859-7" },
  [ENC_ISO_8859_8] = { "ISO-8859-8", "ISO-8859-8" },
  [ENC_ISO_8859_8_I] = { "ISO-8859-8-I", "ISO-8859-8" },
  [ENC_ISO_8859_10] = { "ISO-8859-10", "ISO-8859-10" },
  [ENC_ISO_8859_13] = { "ISO-8859-13", "ISO-8859-13" },
  [ENC_ISO_8859_14] = { "ISO-8859-14", "ISO-8859-14" },
  [ENC_ISO_8859_15] = { "ISO-8859-15", "ISO-8859-15" },
  [ENC_ISO_8859_16] = { "ISO-8859-16", "ISO-8859-16" },
  [ENC_KOI8_R] = { "KOI8-R", "KOI8-R" },
  [ENC_KOI8_U] = { "KOI8-U", "KOI8-U" },
  [ENC_MACINTOSH] = { "MACINTOSH", "MACINTOSH" },
  [ENC_WINDOWS_874] = { "WINDOWS-874", "CP874" },
  [ENC_WINDOWS_1250] = { "WINDOWS-1250", "CP1250" },
  [ENC_WINDOWS_1251] = { "WINDOWS-1251", "CP1251" },
  [ENC_WINDOWS_1253] = { "WINDOWS-1253", "CP1253" },
  [ENC_WINDOWS_1254] = { "WINDOWS-1254", "CP1254" },
  [ENC_WINDOWS_1255] = { "WINDOWS-1255", "CP1255" },
  [ENC_WINDOWS_1256] = { "WINDOWS-1256", "CP1256" },
  [ENC_WINDOWS_1257] = { "WINDOWS-1257", "CP1257" },
  [ENC_WINDOWS_1258] = { "WINDOWS-1258", "CP1258" },
  [ENC_X_MAC_CYRILLIC] = { "X-MAC-CYRILLIC", "MAC-CYRILLIC" },
  [ENC_GBK] = { "GBK", "GB18030" },
  [ENC_GB18030] = { "GB18030", "GB18030" },
  [ENC_BIG5] = { "BIG5", "BIG5-HKSCS" },
  [ENC_EUC_JP] = { "EUC-JP", "EUC-JP" },
  [ENC_ISO_2022_JP] = { "ISO-2022-JP", "ISO-2022-JP" },
  [ENC_SHIFT_JIS] = { "SHIFT_JIS", "CP932" },
  [ENC_EUC_KR] = { "EUC-KR", "CP949" },
};

/* The labels of the WHATWG Encoding Standard.  The "replacement" labels
 * are left out on purpose: treating them as unknown gives windows-1252
 * instead of a page of U+FFFD. */
static const struct {
  const char *label;
  EncodingId  id;
} labels[] = {
  { "unicode-1-1-utf-8", ENC_UTF_8 }, { "unicode11utf8", ENC_UTF_8 },
  { "unicode20utf8", ENC_UTF_8 }, { "utf-8", ENC_UTF_8 }, { "utf8", ENC_UTF_8 },
  { "x-unicode20utf8", ENC_UTF_8 },
  { "866", ENC_IBM866 }, { "cp866", ENC_IBM866 }, { "csibm866", ENC_IBM866 },
  { "ibm866", ENC_IBM866 },
  { "csisolatin2", ENC_ISO_8859_2 }, { "iso-8859-2", ENC_ISO_8859_2 },
  { "iso-ir-101", ENC_ISO_8859_2 }, { "iso8859-2", ENC_ISO_8859_2 },
  { "iso88592", ENC_ISO_8859_2 }, { "iso_8859-2", ENC_ISO_8859_2 },
  { "iso_8859-2:1987", ENC_ISO_8859_2 }, { "l2", ENC_ISO_8859_2 },
  { "latin2", ENC_ISO_8859_2 },
  { "csisolatin3", ENC_ISO_8859_3 }, { "iso-8859-3", ENC_ISO_8859_3 },
  { "iso-ir-109", ENC_ISO_8859_3 }, { "iso8859-3", ENC_ISO_8859_3 },
  { "iso88593", ENC_ISO_8859_3 }, { "iso_8859-3", ENC_ISO_8859_3 },
  { "iso_8859-3:1988", ENC_ISO_8859_3 }, { "l3", ENC_ISO_8859_3 },
  { "latin3", ENC_ISO_8859_3 },
  { "csisolatin4", ENC_ISO_8859_4 }, { "iso-8859-4", ENC_ISO_8859_4 },
  { "iso-ir-110", ENC_ISO_8859_4 }, { "iso8859-4", ENC_ISO_8859_4 },
  { "iso88594", ENC_ISO_8859_4 }, { "iso_8859-4", ENC_ISO_8859_4 },
  { "iso_8859-4:1988", ENC_ISO_8859_4 }, { "l4", ENC_ISO_8859_4 },
  { "latin4", ENC_ISO_8859_4 },
  { "csisolatincyrillic", ENC_ISO_8859_5 }, { "cyrillic", ENC_ISO_8859_5 },
  { "iso-8859-5", ENC_ISO_8859_5 }, { "iso-ir-144", ENC_ISO_8859_5 },
  { "iso8859-5", ENC_ISO_8859_5 }, { "iso88595", ENC_ISO_8859_5 },
  { "iso_8859-5", ENC_ISO_8859_5 }, { "iso_8859-5:1988", ENC_ISO_8859_5 },
  { "arabic", ENC_ISO_8859_6 }, { "asmo-708", ENC_ISO_8859_6 },
  { "csiso88596e", ENC_ISO_8859_6 }, { "csiso88596i", ENC_ISO_8859_6 },
  { "csisolatinarabic", ENC_ISO_8859_6 }, { "ecma-114", ENC_ISO_8859_6 },
  { "iso-8859-6", ENC_ISO_8859_6 }, { "iso-8859-6-e", ENC_ISO_8859_6 },
  { "iso-8859-6-i", ENC_ISO_8859_6 }, { "iso-ir-127", ENC_ISO_8859_6 },
  { "iso8859-6", ENC_ISO_8859_6 }, { "iso88596", ENC_ISO_8859_6 },
  { "iso_8859-6", ENC_ISO_8859_6 }, { "iso_8859-6:1987", ENC_ISO_8859_6 },
  { "csisolatingreek", ENC_ISO_8859_7 }, { "ecma-118", ENC_ISO_8859_7 },
  { "elot_928", ENC_ISO_8859_7 }, { "greek", ENC_ISO_8859_7 },
  { "greek8", ENC_ISO_8859_7 }, { "iso-8859-7", ENC_ISO_8859_7 },
  { "iso-ir-126", ENC_ISO_8859_7 }, { "iso8859-7", ENC_ISO_8859_7 },
  { "iso88597", ENC_ISO_8859_7 }, { "iso_8859-7", ENC_ISO_8859_7 },
  { "iso_8859-7:1987", ENC_ISO_8859_7 }, { "sun_eu_greek", ENC_ISO_8859_7 },
  { "csiso88598e", ENC_ISO_8859_8 }, { "csisolatinhebrew", ENC_ISO_8859_8 },
  { "hebrew", ENC_ISO_8859_8 }, { "iso-8859-8", ENC_ISO_8859_8 },
  { "iso-8859-8-e", ENC_ISO_8859_8 }, { "iso-ir-138", ENC_ISO_8859_8 },
  { "iso8859-8", ENC_ISO_8859_8 }, { "iso88598", ENC_ISO_8859_8 },
  { "iso_8859-8", ENC_ISO_8859_8 }, { "iso_8859-8:1988", ENC_ISO_8859_8 },
  { "visual", ENC_ISO_8859_8 },
  { "csiso88598i", ENC_ISO_8859_8_I }, { "iso-8859-8-i", ENC_ISO_8859_8_I },
  { "logical", ENC_ISO_8859_8_I },
  { "csisolatin6", ENC_ISO_8859_10 }, { "iso-8859-10", ENC_ISO_8859_10 },
  { "iso-ir-157", ENC_ISO_8859_10 }, { "iso8859-10", ENC_ISO_8859_10 },
  { "iso885910", ENC_ISO_8859_10 }, { "l6", ENC_ISO_8859_10 },
  { "latin6", ENC_ISO_8859_10 },
  { "iso-8859-13", ENC_ISO_8859_13 }, { "iso8859-13", ENC_ISO_8859_13 },
  { "iso885913", ENC_ISO_8859_13 },
  { "iso-8859-14", ENC_ISO_8859_14 }, { "iso8859-14", ENC_ISO_8859_14 },
  { "iso885914", ENC_ISO_8859_14 },
  { "csisolatin9", ENC_ISO_8859_15 }, { "iso-8859-15", ENC_ISO_8859_15 },
  { "iso8859-15", ENC_ISO_8859_15 }, { "iso885915", ENC_ISO_8859_15 },
  { "iso_8859-15", ENC_ISO_8859_15 }, { "l9", ENC_ISO_8859_15 },
  { "iso-8859-16", ENC_ISO_8859_16 },
  { "cskoi8r", ENC_KOI8_R }, { "koi", ENC_KOI8_R }, { "koi8", ENC_KOI8_R },
  { "koi8-r", ENC_KOI8_R }, { "koi8_r", ENC_KOI8_R },
  { "koi8-ru", ENC_KOI8_U }, { "koi8-u", ENC_KOI8_U },
  { "csmacintosh", ENC_MACINTOSH }, { "mac", ENC_MACINTOSH },
  { "macintosh", ENC_MACINTOSH }, { "x-mac-roman", ENC_MACINTOSH },
  { "dos-874", ENC_WINDOWS_874 }, { "iso-8859-11", ENC_WINDOWS_874 },
  { "iso8859-11", ENC_WINDOWS_874 }, { "iso885911", ENC_WINDOWS_874 },
  { "tis-620", ENC_WINDOWS_874 }, { "windows-874", ENC_WINDOWS_874 },
  { "cp1250", ENC_WINDOWS_1250 }, { "windows-1250", ENC_WINDOWS_1250 },
  { "x-cp1250", ENC_WINDOWS_1250 },
  { "cp1251", ENC_WINDOWS_1251 }, { "windows-1251", ENC_WINDOWS_1251 },
  { "x-cp1251", ENC_WINDOWS_1251 },
  { "ansi_x3.4-1968", ENC_WINDOWS_1252 }, { "ascii", ENC_WINDOWS_1252 },
  { "cp1252", ENC_WINDOWS_1252 }, { "cp819", ENC_WINDOWS_1252 },
  { "csisolatin1", ENC_WINDOWS_1252 }, { "ibm819", ENC_WINDOWS_1252 },
  { "iso-8859-1", ENC_WINDOWS_1252 }, { "iso-ir-100", ENC_WINDOWS_1252 },
  { "iso8859-1", ENC_WINDOWS_1252 }, { "iso88591", ENC_WINDOWS_1252 },
  { "iso_8859-1", ENC_WINDOWS_1252 }, { "iso_8859-1:1987", ENC_WINDOWS_1252 },
  { "l1", ENC_WINDOWS_1252 }, { "latin1", ENC_WINDOWS_1252 },
  { "us-ascii", ENC_WINDOWS_1252 }, { "windows-1252", ENC_WINDOWS_1252 },
  { "x-cp1252", ENC_WINDOWS_1252 }, { "x-user-defined", ENC_WINDOWS_1252 },
  { "cp1253", ENC_WINDOWS_1253 }, { "windows-1253", ENC_WINDOWS_1253 },
  { "x-cp1253", ENC_WINDOWS_1253 },
  { "cp1254", ENC_WINDOWS_1254 }, { "csisolatin5", ENC_WINDOWS_1254 },
  { "iso-8859-9", ENC_WINDOWS_1254 }, { "iso-ir-148", ENC_WINDOWS_1254 },
  { "iso8859-9", ENC_WINDOWS_1254 }, { "iso88599", ENC_WINDOWS_1254 },
  { "iso_8859-9", ENC_WINDOWS_1254 }, { "iso_8859-9:1989", ENC_WINDOWS_1254 },
  { "l5", ENC_WINDOWS_1254 }, { "latin5", ENC_WINDOWS_1254 },
  { "windows-1254", ENC_WINDOWS_1254 }, { "x-cp1254", ENC_WINDOWS_1254 },
  { "cp1255", ENC_WINDOWS_1255 }, { "windows-1255", ENC_WINDOWS_1255 },
  { "x-cp1255", ENC_WINDOWS_1255 },
  { "cp1256", ENC_WINDOWS_1256 }, { "windows-1256", ENC_WINDOWS_1256 },
  { "x-cp1256", ENC_WINDOWS_1256 },
  { "cp1257", ENC_WINDOWS_1257 }, { "windows-1257", ENC_WINDOWS_1257 },
  { "x-cp1257", ENC_WINDOWS_1257 },
  { "cp1258", ENC_WINDOWS_1258 }, { "windows-1258", ENC_WINDOWS_1258 },
  { "x-cp1258", ENC_WINDOWS_1258 },
  { "x-mac-cyrillic", ENC_X_MAC_CYRILLIC }, { "x-mac-ukrainian", ENC_X_MAC_CYRILLIC },
  { "chinese", ENC_GBK }, { "csgb2312", ENC_GBK }, { "csiso58gb231280", ENC_GBK },
  { "gb2312", ENC_GBK }, { "gb_2312", ENC_GBK }, { "gb_2312-80", ENC_GBK },
  { "gbk", ENC_GBK }, { "iso-ir-58", ENC_GBK }, { "x-gbk", ENC_GBK },
  { "gb18030", ENC_GB18030 },
  { "big5", ENC_BIG5 }, { "big5-hkscs", ENC_BIG5 }, { "cn-big5", ENC_BIG5 },
  { "csbig5", ENC_BIG5 }, { "x-x-big5", ENC_BIG5 },
  { "cseucpkdfmtjapanese", ENC_EUC_JP }, { "euc-jp", ENC_EUC_JP },
  { "x-euc-jp", ENC_EUC_JP },
  { "csiso2022jp", ENC_ISO_2022_JP }, { "iso-2022-jp", ENC_ISO_2022_JP },
  { "csshiftjis", ENC_SHIFT_JIS }, { "ms932", ENC_SHIFT_JIS },
  { "ms_kanji", ENC_SHIFT_JIS }, { "shift-jis", ENC_SHIFT_JIS },
  { "shift_jis", ENC_SHIFT_JIS }, { "sjis", ENC_SHIFT_JIS },
  { "windows-31j", ENC_SHIFT_JIS }, { "x-sjis", ENC_SHIFT_JIS },
  { "cseuckr", ENC_EUC_KR }, { "csksc56011987", ENC_EUC_KR }, { "euc-kr", ENC_EUC_KR },
  { "iso-ir-149", ENC_EUC_KR }, { "korean", ENC_EUC_KR },
  { "ks_c_5601-1987", ENC_EUC_KR }, { "ks_c_5601-1989", ENC_EUC_KR },
  { "ksc5601", ENC_EUC_KR }, { "ksc_5601", ENC_EUC_KR }, { "windows-949", ENC_EUC_KR },
  { "unicodefffe", ENC_UTF_16BE }, { "utf-16be", ENC_UTF_16BE },
  { "csunicode", ENC_UTF_16LE }, { "iso-10646-ucs-2", ENC_UTF_16LE },
  { "ucs-2", ENC_UTF_16LE }, { "unicode", ENC_UTF_16LE }, { "unicodefeff", ENC_UTF_16LE },
  { "utf-16", ENC_UTF_16LE }, { "utf-16le", ENC_UTF_16LE },
};

/* windows-1252 bytes 0x80 to 0x9f; the rest of the upper half is Latin-1.
 * The five bytes Microsoft left undefined map to C1 controls, as in the
 * WHATWG index. */
static const gunichar windows_1252_c1[32] = {
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

/* ASCII white space as HTML defines it. */
static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static gboolean
equal_ignore_case (const char *s,
                   gsize       len,
                   const char *literal)
{
  return strlen (literal) == len && g_ascii_strncasecmp (s, literal, len) == 0;
}

/* "Get an encoding" from the Encoding Standard. */
static const Encoding *
encoding_for_label (const char *label,
                    gsize       len)
{
  while (len > 0 && is_space (*label))
    label++, len--;
  while (len > 0 && is_space (label[len - 1]))
    len--;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if (equal_ignore_case (label, len, labels[i].label))
        return &encodings[labels[i].id];
    }

  return NULL;
}

/* The HTML standard's "algorithm for extracting a character encoding from a
 * meta element", which reads a Content-Type header's charset parameter just
 * as well. */
static const Encoding *
encoding_from_content_type (const char *s,
                            gsize       len)
{
  const char *end = s + len;
  const char *p = s;

  while (end - p >= 7)
    {
      const char *value;

      if (g_ascii_strncasecmp (p, "charset", 7) != 0)
        {
          p++;
          continue;
        }

      p += 7;
      while (p < end && is_space (*p))
        p++;
      if (p == end || *p != '=')
        continue;

      p++;
      while (p < end && is_space (*p))
        p++;
      if (p == end)
        return NULL;

      if (*p == '"' || *p == '\'')
        {
          const char *close = memchr (p + 1, *p, end - p - 1);

          return close != NULL ? encoding_for_label (p + 1, close - p - 1) : NULL;
        }

      value = p;
      while (p < end && !is_space (*p) && *p != ';')
        p++;

      return encoding_for_label (value, p - value);
    }

  return NULL;
}

typedef struct {
  const char *name;
  gsize       name_len;
  const char *value;
  gsize       value_len;
} PrescanAttribute;

/* "Get an attribute" from the HTML prescan.  Returns FALSE when the tag has
 * no more attributes, leaving *pos on its '>' or at @end. */
static gboolean
prescan_attribute (const char       **pos,
                   const char        *end,
                   PrescanAttribute  *attr)
{
  const char *p = *pos;

  while (p < end && (is_space (*p) || *p == '/'))
    p++;
  if (p == end || *p == '>')
    {
      *pos = p;
      return FALSE;
    }

  /* The first byte always belongs to the name, even an '='. */
  attr->name = p++;
  while (p < end && *p != '=' && *p != '/' && *p != '>' && !is_space (*p))
    p++;
  attr->name_len = p - attr->name;
  attr->value = p;
  attr->value_len = 0;

  while (p < end && is_space (*p))
    p++;
  if (p == end || *p != '=')
    {
      *pos = p;
      return TRUE;
    }

  p++;
  while (p < end && is_space (*p))
    p++;

  if (p < end && (*p == '"' || *p == '\''))
    {
      char quote = *p++;

      attr->value = p;
      while (p < end && *p != quote)
        p++;
      attr->value_len = p - attr->value;
      if (p < end)
        p++;
    }
  else
    {
      attr->value = p;
      while (p < end && *p != '>' && !is_space (*p))
        p++;
      attr->value_len = p - attr->value;
    }

  *pos = p;
  return TRUE;
}

/* Reads the attributes of a <meta> tag as the prescan does, leaving *pos at
 * the end of the tag. */
static const Encoding *
prescan_meta (const char **pos,
              const char  *end)
{
  PrescanAttribute attr;
  const Encoding *charset = NULL;
  gboolean got_pragma = FALSE;
  gboolean need_pragma = FALSE;
  gboolean have_decision = FALSE;
  gboolean seen_http_equiv = FALSE;
  gboolean seen_content = FALSE;
  gboolean seen_charset = FALSE;

  while (prescan_attribute (pos, end, &attr))
    {
      /* Only the first of several attributes with one name counts. */
      if (!seen_http_equiv && equal_ignore_case (attr.name, attr.name_len, "http-equiv"))
        {
          seen_http_equiv = TRUE;
          got_pragma = equal_ignore_case (attr.value, attr.value_len, "content-type");
        }
      else if (!seen_content && equal_ignore_case (attr.name, attr.name_len, "content"))
        {
          const Encoding *found = encoding_from_content_type (attr.value, attr.value_len);

          seen_content = TRUE;
          if (found != NULL && charset == NULL)
            {
              charset = found;
              need_pragma = TRUE;
              have_decision = TRUE;
            }
        }
      else if (!seen_charset && equal_ignore_case (attr.name, attr.name_len, "charset"))
        {
          seen_charset = TRUE;
          charset = encoding_for_label (attr.value, attr.value_len);
          need_pragma = FALSE;
          have_decision = TRUE;
        }
    }

  if (!have_decision || charset == NULL || (need_pragma && !got_pragma))
    return NULL;

  /* A page that the prescan could read is not UTF-16, whatever it says. */
  if (charset == &encodings[ENC_UTF_16LE] || charset == &encodings[ENC_UTF_16BE])
    return &encodings[ENC_UTF_8];

  return charset;
}

/* The HTML standard's "prescan a byte stream to determine its encoding",
 * which skips comments and the attributes of other tags so that neither
 * can be mistaken for a <meta> charset. */
static const Encoding *
prescan (const char *body,
         gsize       length)
{
  const char *p = body;
  const char *end = body + MIN (length, PRESCAN_LENGTH);

  while (p < end)
    {
      gsize left = end - p;

      if (left >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          /* The "-->" may share its dashes with the "<!--". */
          for (p += 2; end - p >= 3 && memcmp (p, "-->", 3) != 0; p++)
            ;
          if (end - p < 3)
            return NULL;
          p += 2;
        }
      else if (left >= 6 && g_ascii_strncasecmp (p, "<meta", 5) == 0 &&
               (is_space (p[5]) || p[5] == '/'))
        {
          const Encoding *charset;

          p += 5;
          charset = prescan_meta (&p, end);
          if (charset != NULL)
            return charset;
        }
      else if (left >= 2 && p[0] == '<' &&
               (g_ascii_isalpha (p[1]) ||
                (p[1] == '/' && left >= 3 && g_ascii_isalpha (p[2]))))
        {
          PrescanAttribute attr;

          while (p < end && *p != '>' && !is_space (*p))
            p++;
          while (prescan_attribute (&p, end, &attr))
            ;
        }
      else if (left >= 2 && p[0] == '<' && (p[1] == '!' || p[1] == '/' || p[1] == '?'))
        {
          p = memchr (p, '>', left);
          if (p == NULL)
            return NULL;
        }

      p++;
    }

  return NULL;
}

/* Whether @body is UTF-8 apart from NUL bytes, which decoding replaces
 * anyway, and a character cut short at the very end, as a download stopped
 * at the size limit leaves. */
static gboolean
looks_like_utf8 (const char *body,
                 gsize       length)
{
  const char *end = body + length;
  const char *bad;

  while (!g_utf8_validate_len (body, end - body, &bad))
    {
      if (*bad != '\0')
        return g_utf8_get_char_validated (bad, end - bad) == (gunichar) -2;
      body = bad + 1;
    }

  return TRUE;
}

/* The encoding sniffing algorithm of the HTML standard, minus the steps
 * that need a browser.  A byte order mark beats the Content-Type header
 * there, as it does in every browser.  *bom_length is set to the length of
 * the byte order mark to skip. */
static const Encoding *
detect_encoding (const char *body,
                 gsize       length,
                 const char *content_type,
                 gsize      *bom_length)
{
  const guchar *bytes = (const guchar *) body;
  const Encoding *encoding;

  *bom_length = 0;

  if (length >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf)
    {
      *bom_length = 3;
      return &encodings[ENC_UTF_8];
    }
  if (length >= 2 && bytes[0] == 0xff && bytes[1] == 0xfe)
    {
      *bom_length = 2;
      return &encodings[ENC_UTF_16LE];
    }
  if (length >= 2 && bytes[0] == 0xfe && bytes[1] == 0xff)
    {
      *bom_length = 2;
      return &encodings[ENC_UTF_16BE];
    }

  if (content_type != NULL &&
      (encoding = encoding_from_content_type (content_type, strlen (content_type))) != NULL)
    return encoding;

  if ((encoding = prescan (body, length)) != NULL)
    return encoding;

  if (looks_like_utf8 (body, length))
    return &encodings[ENC_UTF_8];

  return &encodings[ENC_WINDOWS_1252];
}

/**
 * trawl_parse_charset:
 * @body: (array length=length): the raw response body
 * @length: the length of @body in bytes
 * @content_type: (nullable): the Content-Type header of the response
 *
 * Works out the character encoding of an HTML page the way browsers do: a
 * byte order mark comes first, then the charset parameter of @content_type,
 * then a `<meta charset>` or `<meta http-equiv=Content-Type>` in the first
 * 1024 bytes; failing all of those the page is UTF-8 when it is valid UTF-8
 * and windows-1252 otherwise.
 *
 * Names are matched as the WHATWG Encoding Standard says, so "latin1" and
 * "iso-8859-1" both mean windows-1252, and a name nobody knows is passed
 * over for the next clue.
 *
 * Returns: (transfer full): the upper-case canonical name of the encoding,
 *   such as "UTF-8", "WINDOWS-1252" or "SHIFT_JIS"
 */
char *
trawl_parse_charset (const char *body,
                     gsize       length,
                     const char *content_type)
{
  gsize bom_length;

  g_return_val_if_fail (body != NULL || length == 0, NULL);

  /* An empty GBytes has no data at all, and NULL + 0 is undefined. */
  if (body == NULL)
    body = "";
  return g_strdup (detect_encoding (body, length, content_type, &bom_length)->name);
}

/* Text */

/* Appends @text to @buf with each run of white space collapsed to a single
 * space and none at the start.  Stops once @buf is longer than @limit:
 * text_finish() only needs to know that there was more. */
static void
text_append (GString    *buf,
             const char *text,
             gsize       len,
             gsize       limit)
{
  const char *end = text + len;

  while (text < end && buf->len <= limit)
    {
      if (is_space (*text))
        {
          if (buf->len > 0 && buf->str[buf->len - 1] != ' ')
            g_string_append_c (buf, ' ');
          text++;
        }
      else
        {
          const char *run = text;

          while (text < end && !is_space (*text))
            text++;
          g_string_append_len (buf, run, MIN ((gsize) (text - run), limit + 1 - buf->len));
        }
    }
}

/* Returns the text gathered in @buf, trimmed and cut to at most @limit
 * bytes on a character boundary, or %NULL if there is none. */
static char *
text_finish (GString *buf,
             gsize    limit)
{
  gsize len = buf->len;

  if (len > limit)
    {
      len = limit;
      while (len > 0 && ((guchar) buf->str[len] & 0xc0) == 0x80)
        len--;
    }
  while (len > 0 && buf->str[len - 1] == ' ')
    len--;

  return len > 0 ? g_strndup (buf->str, len) : NULL;
}

static char *
text_collapse (const char *text,
               gsize       limit)
{
  g_autoptr(GString) buf = g_string_new (NULL);

  text_append (buf, text, strlen (text), limit);
  return text_finish (buf, limit);
}

/* Whether the white-space separated list @value holds @token, ignoring
 * case, as rel="NoFollow noopener" does. */
static gboolean
has_token (const char *value,
           const char *token)
{
  const char *p = value;

  while (*p != '\0')
    {
      const char *start;

      while (is_space (*p))
        p++;
      start = p;
      while (*p != '\0' && !is_space (*p))
        p++;
      if (p > start && equal_ignore_case (start, p - start, token))
        return TRUE;
    }

  return FALSE;
}

/* Robots directives */

static void
apply_robots_directive (TrawlParseResult *result,
                        const char       *directive,
                        gsize             len)
{
  if (equal_ignore_case (directive, len, "noindex"))
    result->noindex = TRUE;
  else if (equal_ignore_case (directive, len, "nofollow"))
    result->nofollow = TRUE;
  else if (equal_ignore_case (directive, len, "none"))
    result->noindex = result->nofollow = TRUE;
}

/* <meta name=robots> content: directives separated by commas, though
 * "noindex nofollow" is common enough to accept spaces too. */
static void
apply_meta_robots (TrawlParseResult *result,
                   const char       *content)
{
  const char *p = content;

  while (*p != '\0')
    {
      const char *start;

      while (*p == ',' || is_space (*p))
        p++;
      start = p;
      while (*p != '\0' && *p != ',' && !is_space (*p))
        p++;
      apply_robots_directive (result, start, p - start);
    }
}

/* Directives that carry a value after a colon, which must not be taken for
 * a user agent name. */
static gboolean
is_directive_with_value (const char *name)
{
  return g_ascii_strcasecmp (name, "unavailable_after") == 0 ||
         g_ascii_strcasecmp (name, "max-snippet") == 0 ||
         g_ascii_strcasecmp (name, "max-image-preview") == 0 ||
         g_ascii_strcasecmp (name, "max-video-preview") == 0;
}

/* X-Robots-Tag, as Google reads it: comma-separated directives, where
 * "otherbot: noindex, nofollow" hands those that follow to the named
 * crawler until the next name.  Only unnamed ones and those for "trawl"
 * apply to us. */
static void
apply_x_robots_tag (TrawlParseResult *result,
                    const char       *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  gboolean for_us = TRUE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *directive = g_strstrip (parts[i]);
      char *colon = strchr (directive, ':');

      if (colon != NULL)
        {
          *colon = '\0';
          g_strstrip (directive);
          if (!is_directive_with_value (directive))
            {
              for_us = g_ascii_strcasecmp (directive, "trawl") == 0;
              directive = g_strstrip (colon + 1);
            }
        }

      if (for_us)
        apply_robots_directive (result, directive, strlen (directive));
    }
}

/* The URL of <meta http-equiv=refresh content="5; url=…">, following the
 * HTML standard's "shared declarative refresh steps": the URL may come
 * bare, after "url=" in any case, or in quotes. */
static char *
refresh_url (const char *content)
{
  const char *p = content;
  const char *start;
  const char *end;

  while (is_space (*p))
    p++;
  if (!g_ascii_isdigit (*p) && *p != '.')
    return NULL;
  while (g_ascii_isdigit (*p) || *p == '.')
    p++;
  if (*p != '\0' && *p != ';' && *p != ',' && !is_space (*p))
    return NULL;

  while (is_space (*p))
    p++;
  if (*p == ';' || *p == ',')
    p++;
  while (is_space (*p))
    p++;

  if (g_ascii_strncasecmp (p, "url", 3) == 0)
    {
      const char *q = p + 3;

      while (is_space (*q))
        q++;
      if (*q == '=')
        {
          p = q + 1;
          while (is_space (*p))
            p++;
        }
    }

  if (*p == '"' || *p == '\'')
    {
      start = p + 1;
      end = strchr (start, *p);
      if (end == NULL)
        end = start + strlen (start);
    }
  else
    {
      start = p;
      end = start + strlen (start);
    }

  while (end > start && is_space (end[-1]))
    end--;

  return end > start ? g_strndup (start, end - start) : NULL;
}

/* SAX handling */

typedef enum {
  ELEMENT_OTHER,
  ELEMENT_A,
  ELEMENT_AREA,
  ELEMENT_BASE,
  ELEMENT_FRAME,
  ELEMENT_H1,
  ELEMENT_IMG,
  ELEMENT_LINK,
  ELEMENT_META,
  ELEMENT_SCRIPT,
  ELEMENT_TITLE,
} ElementKind;

typedef enum {
  /* Phrasing elements: "<b>W</b>ord" is one word, so they do not end one. */
  ELEMENT_INLINE = 1 << 0,
  /* Elements whose text is not visible page text. */
  ELEMENT_HIDDEN = 1 << 1,
} ElementFlags;

typedef struct {
  const char   *name;
  ElementKind   kind;
  ElementFlags  flags;
} ElementInfo;

/* Sorted by name for bsearch(); any element not listed separates words. */
static const ElementInfo elements[] = {
  { "a", ELEMENT_A, ELEMENT_INLINE },
  { "abbr", ELEMENT_OTHER, ELEMENT_INLINE },
  { "acronym", ELEMENT_OTHER, ELEMENT_INLINE },
  { "area", ELEMENT_AREA, 0 },
  { "b", ELEMENT_OTHER, ELEMENT_INLINE },
  { "base", ELEMENT_BASE, 0 },
  { "bdi", ELEMENT_OTHER, ELEMENT_INLINE },
  { "bdo", ELEMENT_OTHER, ELEMENT_INLINE },
  { "big", ELEMENT_OTHER, ELEMENT_INLINE },
  { "cite", ELEMENT_OTHER, ELEMENT_INLINE },
  { "code", ELEMENT_OTHER, ELEMENT_INLINE },
  { "data", ELEMENT_OTHER, ELEMENT_INLINE },
  { "del", ELEMENT_OTHER, ELEMENT_INLINE },
  { "dfn", ELEMENT_OTHER, ELEMENT_INLINE },
  { "em", ELEMENT_OTHER, ELEMENT_INLINE },
  { "font", ELEMENT_OTHER, ELEMENT_INLINE },
  { "frame", ELEMENT_FRAME, 0 },
  { "h1", ELEMENT_H1, 0 },
  { "head", ELEMENT_OTHER, ELEMENT_HIDDEN },
  { "i", ELEMENT_OTHER, ELEMENT_INLINE },
  { "iframe", ELEMENT_FRAME, 0 },
  { "img", ELEMENT_IMG, 0 },
  { "ins", ELEMENT_OTHER, ELEMENT_INLINE },
  { "kbd", ELEMENT_OTHER, ELEMENT_INLINE },
  { "label", ELEMENT_OTHER, ELEMENT_INLINE },
  { "link", ELEMENT_LINK, 0 },
  { "mark", ELEMENT_OTHER, ELEMENT_INLINE },
  { "meta", ELEMENT_META, 0 },
  { "nobr", ELEMENT_OTHER, ELEMENT_INLINE },
  { "noscript", ELEMENT_OTHER, ELEMENT_HIDDEN },
  { "q", ELEMENT_OTHER, ELEMENT_INLINE },
  { "ruby", ELEMENT_OTHER, ELEMENT_INLINE },
  { "s", ELEMENT_OTHER, ELEMENT_INLINE },
  { "samp", ELEMENT_OTHER, ELEMENT_INLINE },
  { "script", ELEMENT_SCRIPT, ELEMENT_HIDDEN },
  { "small", ELEMENT_OTHER, ELEMENT_INLINE },
  { "span", ELEMENT_OTHER, ELEMENT_INLINE },
  { "strike", ELEMENT_OTHER, ELEMENT_INLINE },
  { "strong", ELEMENT_OTHER, ELEMENT_INLINE },
  { "style", ELEMENT_OTHER, ELEMENT_HIDDEN },
  { "sub", ELEMENT_OTHER, ELEMENT_INLINE },
  { "sup", ELEMENT_OTHER, ELEMENT_INLINE },
  { "template", ELEMENT_OTHER, ELEMENT_HIDDEN },
  { "time", ELEMENT_OTHER, ELEMENT_INLINE },
  { "title", ELEMENT_TITLE, ELEMENT_HIDDEN },
  { "tt", ELEMENT_OTHER, ELEMENT_INLINE },
  { "u", ELEMENT_OTHER, ELEMENT_INLINE },
  { "var", ELEMENT_OTHER, ELEMENT_INLINE },
  { "wbr", ELEMENT_OTHER, ELEMENT_INLINE },
};

static const ElementInfo other_element = { NULL, ELEMENT_OTHER, 0 };

static int
compare_element (const void *key,
                 const void *element)
{
  return strcmp (key, ((const ElementInfo *) element)->name);
}

static const ElementInfo *
lookup_element (const xmlChar *name)
{
  const ElementInfo *info = bsearch (name, elements, G_N_ELEMENTS (elements),
                                     sizeof (ElementInfo), compare_element);

  return info != NULL ? info : &other_element;
}

typedef enum {
  COLLECT_NOT_YET,
  COLLECT_ACTIVE,
  COLLECT_DONE,
} CollectState;

typedef struct {
  TrawlParseResult *result;
  htmlParserCtxtPtr ctxt;
  gboolean          tree;       /* also build the DOM, with libxml2's own SAX2 builders */

  /* Hrefs as written; resolved once the whole page, and so its first
   * <base href>, has been seen. */
  GPtrArray        *links;
  char             *base_href;
  GString          *robots;

  /* The link of the <a> being read, its text and the alt of its first
   * image, which stands in when there is no text. */
  TrawlLink        *anchor;
  GString          *anchor_text;
  char             *anchor_alt;

  CollectState      title_state;
  GString          *title;
  CollectState      h1_state;
  GString          *h1;

  /* How many open elements hide their text, and whether the current run
   * of non-space characters has already been counted as a word. */
  guint             hidden_depth;
  gboolean          word_counted;
} ParseState;

static const char *
get_attribute (const xmlChar **atts,
               const char     *name)
{
  if (atts == NULL)
    return NULL;

  /* libxml2 lower-cases attribute names in HTML and leaves the value NULL
   * for a bare attribute such as <a href>. */
  for (; atts[0] != NULL; atts += 2)
    {
      if (strcmp ((const char *) atts[0], name) == 0)
        return atts[1] != NULL ? (const char *) atts[1] : "";
    }

  return NULL;
}

/* Whether @href may lead to a page: scripts, mail and phone links, inline
 * data and jumps within the page do not.  Other schemes are dropped after
 * resolution. */
static gboolean
is_followable (const char *href)
{
  /* Leading C0 controls and spaces are dropped by URL parsers. */
  while (*href != '\0' && (guchar) *href <= ' ')
    href++;

  return *href != '\0' && *href != '#' &&
         g_ascii_strncasecmp (href, "javascript:", 11) != 0 &&
         g_ascii_strncasecmp (href, "mailto:", 7) != 0 &&
         g_ascii_strncasecmp (href, "tel:", 4) != 0 &&
         g_ascii_strncasecmp (href, "data:", 5) != 0;
}

static TrawlLink *
add_link (ParseState    *st,
          TrawlLinkKind  kind,
          const char    *href,
          const char    *rel)
{
  TrawlLink *link;

  if (href == NULL || !is_followable (href))
    return NULL;

  link = g_new0 (TrawlLink, 1);
  link->kind = kind;
  link->url = g_strdup (href);
  if (rel != NULL)
    {
      link->rel = g_strdup (rel);
      link->nofollow = has_token (rel, "nofollow");
    }
  g_ptr_array_add (st->links, link);

  return link;
}

static void
finish_anchor (ParseState *st)
{
  if (st->anchor == NULL)
    return;

  st->anchor->anchor = text_finish (st->anchor_text, ANCHOR_MAX);
  if (st->anchor->anchor == NULL && st->anchor_alt != NULL)
    st->anchor->anchor = text_collapse (st->anchor_alt, ANCHOR_MAX);

  st->anchor = NULL;
  g_clear_pointer (&st->anchor_alt, g_free);
}

static void
finish_title (ParseState *st)
{
  if (st->title_state == COLLECT_ACTIVE)
    {
      st->result->title = text_finish (st->title, TEXT_MAX);
      st->title_state = COLLECT_DONE;
    }
}

static void
finish_h1 (ParseState *st)
{
  if (st->h1_state == COLLECT_ACTIVE)
    {
      st->result->h1 = text_finish (st->h1, TEXT_MAX);
      st->h1_state = COLLECT_DONE;
    }
}

static void
add_text (ParseState *st,
          const char *text,
          gsize       len)
{
  if (st->title_state == COLLECT_ACTIVE)
    text_append (st->title, text, len, TEXT_MAX);
  if (st->h1_state == COLLECT_ACTIVE)
    text_append (st->h1, text, len, TEXT_MAX);
  if (st->anchor != NULL)
    text_append (st->anchor_text, text, len, ANCHOR_MAX);
}

/* A boundary that is not phrasing content, like the edge of a <p> or a
 * <br>, separates words in the gathered texts and in the count. */
static void
break_text (ParseState *st)
{
  st->word_counted = FALSE;
  add_text (st, " ", 1);
}

/* What an ASCII byte is to the word count. */
enum { ASCII_OTHER, ASCII_SPACE, ASCII_WORD };

static const guint8 ascii_class[128] = {
  ['\t'] = ASCII_SPACE, ['\n'] = ASCII_SPACE, ['\f'] = ASCII_SPACE, ['\r'] = ASCII_SPACE, [' '] = ASCII_SPACE,
  ['0'] = ASCII_WORD, ['1'] = ASCII_WORD, ['2'] = ASCII_WORD, ['3'] = ASCII_WORD, ['4'] = ASCII_WORD,
  ['5'] = ASCII_WORD, ['6'] = ASCII_WORD, ['7'] = ASCII_WORD, ['8'] = ASCII_WORD, ['9'] = ASCII_WORD,
  ['A' ... 'Z'] = ASCII_WORD, ['a' ... 'z'] = ASCII_WORD,
};

/* Counts runs of non-space characters holding at least one letter or
 * digit, so that a lone dash or bullet is not a word.  Page text is most
 * of what the parser sees, so ASCII goes through a table. */
static void
count_words (ParseState *st,
             const char *text,
             gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;
  gboolean counted = st->word_counted;
  int words = 0;

  while (p < end)
    {
      if (*p < 0x80)
        {
          /* Without branches: word boundaries are too frequent and too
           * irregular for the branch predictor. */
          guint8 class = ascii_class[*p++];
          gboolean is_word = class == ASCII_WORD;

          words += is_word & !counted;
          counted = (counted | is_word) & (class != ASCII_SPACE);
        }
      else
        {
          gunichar u = g_utf8_get_char_validated ((const char *) p, end - p);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            {
              p++;
              continue;
            }

          if (g_unichar_isspace (u))
            counted = FALSE;
          else if (!counted && g_unichar_isalnum (u))
            {
              counted = TRUE;
              words++;
            }
          p = (const guchar *) g_utf8_next_char (p);
        }
    }

  st->word_counted = counted;
  st->result->word_count += words;
}

static void
handle_link_element (ParseState     *st,
                     const xmlChar **atts)
{
  const char *rel = get_attribute (atts, "rel");
  const char *hreflang = get_attribute (atts, "hreflang");
  TrawlLinkKind kind = TRAWL_LINK_LINK;
  TrawlLink *link;

  if (rel != NULL)
    {
      if (has_token (rel, "stylesheet"))
        kind = TRAWL_LINK_STYLESHEET;
      else if (has_token (rel, "canonical"))
        kind = TRAWL_LINK_CANONICAL;
      else if (has_token (rel, "alternate") && hreflang != NULL && *hreflang != '\0')
        kind = TRAWL_LINK_HREFLANG;
    }

  link = add_link (st, kind, get_attribute (atts, "href"), rel);
  if (link != NULL && kind == TRAWL_LINK_HREFLANG)
    link->hreflang = g_strdup (hreflang);
}

static void
handle_meta_element (ParseState     *st,
                     const xmlChar **atts)
{
  const char *content = get_attribute (atts, "content");
  const char *name;
  const char *http_equiv;

  if (content == NULL)
    return;

  if ((name = get_attribute (atts, "name")) != NULL)
    {
      if (g_ascii_strcasecmp (name, "description") == 0)
        {
          if (st->result->description == NULL)
            st->result->description = text_collapse (content, TEXT_MAX);
        }
      else if (g_ascii_strcasecmp (name, "robots") == 0)
        {
          g_autofree char *trimmed = g_strstrip (g_strdup (content));

          if (*trimmed != '\0')
            {
              if (st->robots == NULL)
                st->robots = g_string_new (NULL);
              else
                g_string_append (st->robots, ", ");
              g_string_append (st->robots, trimmed);
              apply_meta_robots (st->result, trimmed);
            }
        }
    }

  if ((http_equiv = get_attribute (atts, "http-equiv")) != NULL &&
      g_ascii_strcasecmp (http_equiv, "refresh") == 0)
    {
      g_autofree char *url = refresh_url (content);

      add_link (st, TRAWL_LINK_META_REFRESH, url, NULL);
    }
}

static void
on_end_element (void          *user_data,
                const xmlChar *name)
{
  ParseState *st = user_data;
  const ElementInfo *info = lookup_element (name);

  if (st->tree)
    xmlSAX2EndElement (st->ctxt, name);
  if (!(info->flags & ELEMENT_INLINE))
    break_text (st);
  if ((info->flags & ELEMENT_HIDDEN) && st->hidden_depth > 0)
    st->hidden_depth--;

  if (info->kind == ELEMENT_A)
    finish_anchor (st);
  else if (info->kind == ELEMENT_TITLE)
    finish_title (st);
  else if (info->kind == ELEMENT_H1)
    finish_h1 (st);
}

/* Closes the parent of the element just opened if that one would lie
 * deeper than MAX_DEPTH, so that it ends up beside its parent instead of
 * inside, much as browsers do.  Besides bounding memory, this keeps libxml2
 * fast: it looks for the match of every end tag through all open elements,
 * and a page of unclosed tags followed by stray end tags took minutes. */
static void
limit_depth (ParseState    *st,
             const xmlChar *name)
{
  const htmlElemDesc *desc;
  const xmlChar *top;

  /* libxml2 pushes an element before reporting it, so it is on top. */
  if (st->ctxt->nameNr <= MAX_DEPTH || !xmlStrEqual (st->ctxt->name, name))
    return;

  /* Void elements are closed straight away and add no depth. */
  desc = htmlTagLookup (name);
  if (desc != NULL && desc->empty)
    return;

  top = namePop (st->ctxt);
  on_end_element (st, namePop (st->ctxt));
  namePush (st->ctxt, top);
}

static void
on_start_element (void           *user_data,
                  const xmlChar  *name,
                  const xmlChar **atts)
{
  ParseState *st = user_data;
  const ElementInfo *info = lookup_element (name);
  const char *alt;
  TrawlLink *link;

  limit_depth (st, name);
  if (st->tree)
    xmlSAX2StartElement (st->ctxt, name, atts);

  if (!(info->flags & ELEMENT_INLINE))
    break_text (st);
  if (info->flags & ELEMENT_HIDDEN)
    st->hidden_depth++;

  switch (info->kind)
    {
    case ELEMENT_A:
      /* An <a> inside another ends it, as in browsers. */
      finish_anchor (st);
      st->anchor = add_link (st, TRAWL_LINK_ANCHOR, get_attribute (atts, "href"),
                             get_attribute (atts, "rel"));
      g_string_truncate (st->anchor_text, 0);
      break;

    case ELEMENT_AREA:
      /* An image map area has no content; its alt is its link text. */
      link = add_link (st, TRAWL_LINK_ANCHOR, get_attribute (atts, "href"),
                       get_attribute (atts, "rel"));
      if (link != NULL && (alt = get_attribute (atts, "alt")) != NULL)
        link->anchor = text_collapse (alt, ANCHOR_MAX);
      break;

    case ELEMENT_BASE:
      if (st->base_href == NULL)
        st->base_href = g_strdup (get_attribute (atts, "href"));
      break;

    case ELEMENT_FRAME:
      add_link (st, TRAWL_LINK_FRAME, get_attribute (atts, "src"), NULL);
      break;

    case ELEMENT_H1:
      if (st->h1_state == COLLECT_NOT_YET)
        st->h1_state = COLLECT_ACTIVE;
      break;

    case ELEMENT_IMG:
      add_link (st, TRAWL_LINK_IMAGE, get_attribute (atts, "src"), NULL);
      if (st->anchor != NULL && st->anchor_alt == NULL)
        st->anchor_alt = g_strdup (get_attribute (atts, "alt"));
      break;

    case ELEMENT_LINK:
      handle_link_element (st, atts);
      break;

    case ELEMENT_META:
      handle_meta_element (st, atts);
      break;

    case ELEMENT_SCRIPT:
      add_link (st, TRAWL_LINK_SCRIPT, get_attribute (atts, "src"), NULL);
      break;

    case ELEMENT_TITLE:
      if (st->title_state == COLLECT_NOT_YET)
        st->title_state = COLLECT_ACTIVE;
      break;

    case ELEMENT_OTHER:
    default:
      break;
    }
}

static void
on_characters (void          *user_data,
               const xmlChar *text,
               int            len)
{
  ParseState *st = user_data;

  if (st->tree)
    xmlSAX2Characters (st->ctxt, text, len);
  if (st->hidden_depth == 0)
    count_words (st, (const char *) text, len);
  add_text (st, (const char *) text, len);
}

/* White space libxml2 finds ignorable: a word break, and in the DOM what
 * htmlReadMemory() would make of it. */
static void
on_whitespace (void          *user_data,
               const xmlChar *text,
               int            len)
{
  ParseState *st = user_data;

  if (st->tree)
    xmlSAX2IgnorableWhitespace (st->ctxt, text, len);
  if (st->hidden_depth == 0)
    count_words (st, (const char *) text, len);
  add_text (st, (const char *) text, len);
}

static void
on_start_document (void *user_data)
{
  ParseState *st = user_data;

  if (st->tree)
    xmlSAX2StartDocument (st->ctxt);
}

static void
on_end_document (void *user_data)
{
  ParseState *st = user_data;

  if (st->tree)
    xmlSAX2EndDocument (st->ctxt);
}

static void
on_comment (void          *user_data,
            const xmlChar *text)
{
  ParseState *st = user_data;

  if (st->tree)
    xmlSAX2Comment (st->ctxt, text);
}

/* The bodies of <script> and <style> are neither page text nor anchor
 * text, so they are dropped here rather than passed to on_characters(). */
static void
on_raw_text (void          *user_data,
             const xmlChar *text,
             int            len)
{
  ParseState *st = user_data;

  if (st->tree)
    xmlSAX2CDataBlock (st->ctxt, text, len);
}

static void
on_diagnostic (void       *user_data,
               const char *message,
               ...)
{
}

static void
on_structured_error (void        *user_data,
                     xmlErrorPtr  error)
{
}

/* Decoding */

/* Hands UTF-8 to libxml2, replacing invalid sequences and NUL bytes with
 * U+FFFD as browsers do.  Otherwise libxml2 would switch to Latin-1 on the
 * first bad byte, and strings in the result could be invalid UTF-8. */
static void
push_utf8 (ParseState *st,
           const char *text,
           gsize       len)
{
  g_autofree char *valid = NULL;

  if (g_utf8_validate_len (text, len, NULL))
    {
      htmlParseChunk (st->ctxt, text, len, 0);
      return;
    }

  st->result->utf8 = FALSE;
  valid = g_utf8_make_valid (text, len);
  htmlParseChunk (st->ctxt, valid, strlen (valid), 0);
}

/* Where to end a chunk of @len bytes so that it does not stop inside a
 * tag.  In recovery mode libxml2 2.9 ends a <script> or <style> only at a
 * complete "</script", and when the data stops at "</scr" it takes that
 * for script text and swallows the page up to the next "</script>". */
static gsize
chunk_cut (const char *data,
           gsize       len)
{
  for (gsize i = len; i > 1 && len - i < TAG_LOOKBACK; i--)
    {
      if (data[i - 1] == '<')
        return i - 1;
    }

  return len;
}

static void
push_utf8_body (ParseState *st,
                const char *body,
                gsize       length)
{
  while (length > 0)
    {
      gsize n = MIN (length, CHUNK_SIZE);

      if (n < length)
        {
          /* Cut before a lead byte so that no character straddles two
           * chunks and is taken for two broken ones. */
          for (guint i = 0; i < 3 && ((guchar) body[n] & 0xc0) == 0x80; i++)
            n--;
          n = chunk_cut (body, n);
        }

      push_utf8 (st, body, n);
      body += n;
      length -= n;
    }
}

/* Pushes the @used bytes decoded into @out but for the unfinished tag
 * chunk_cut() leaves, which moves to the front of @out.  Returns its
 * length. */
static gsize
push_decoded (ParseState *st,
              char       *out,
              gsize       used)
{
  gsize cut = chunk_cut (out, used);

  push_utf8 (st, out, cut);
  memmove (out, out + cut, used - cut);

  return used - cut;
}

/* windows-1252 is the fallback for everything, so it is decoded here
 * rather than relying on iconv having the converter installed. */
static void
push_windows_1252_body (ParseState *st,
                        const char *body,
                        gsize       length)
{
  g_autofree char *out = g_malloc (CHUNK_SIZE);
  const guchar *in = (const guchar *) body;
  const guchar *end = in + length;
  gsize used = 0;

  while (in < end)
    {
      /* Each byte takes at most three bytes of UTF-8. */
      const guchar *stop = in + MIN ((gsize) (end - in), (CHUNK_SIZE - used) / 3);
      char *o = out + used;

      for (; in < stop; in++)
        {
          if (*in < 0x80)
            *o++ = *in;
          else
            o += g_unichar_to_utf8 (*in < 0xa0 ? windows_1252_c1[*in - 0x80] : *in, o);
        }

      used = push_decoded (st, out, o - out);
    }

  push_utf8 (st, out, used);
}

static void
push_iconv_body (ParseState *st,
                 GIConv      cd,
                 const char *body,
                 gsize       length)
{
  g_autofree char *out = g_malloc (CHUNK_SIZE);
  char *in = (char *) body;
  gsize in_left = length;
  gsize used = 0;

  while (in_left > 0)
    {
      char *o = out + used;
      gsize o_left = CHUNK_SIZE - used;
      gsize ret = g_iconv (cd, &in, &in_left, &o, &o_left);
      int saved_errno = errno;

      used = o - out;
      if (ret != (gsize) -1)
        break;

      if (saved_errno == E2BIG)
        used = push_decoded (st, out, used);
      else
        {
          /* An invalid sequence, or one cut short at the end: replace a
           * byte as g_utf8_make_valid() would and carry on after it. */
          if (CHUNK_SIZE - used < strlen (REPLACEMENT_CHARACTER))
            used = push_decoded (st, out, used);
          memcpy (out + used, REPLACEMENT_CHARACTER, strlen (REPLACEMENT_CHARACTER));
          used += strlen (REPLACEMENT_CHARACTER);
          in++;
          in_left--;
        }
    }

  push_utf8 (st, out, used);
}

/* Links */

/* Resolves the hrefs gathered during the parse against the base, drops
 * those that do not lead to an http or https URL and fills in the
 * canonical URL from the first rel=canonical that does. */
static void
resolve_links (ParseState *st,
               const char *page_url)
{
  TrawlParseResult *result = st->result;
  g_autofree char *base = NULL;
  g_autoptr (GUri) base_uri = NULL;
  g_autofree char *base_string = NULL;
  guint kept = 0;

  if (st->base_href != NULL)
    {
      base = trawl_url_resolve (page_url, st->base_href);
      if (base != NULL && !trawl_url_is_http (base))
        g_clear_pointer (&base, g_free);
    }
  result->base_url = g_strdup (base != NULL ? base : page_url);
  /* Parsed once for every link of the page. */
  base_uri = trawl_url_parse_base (result->base_url, &base_string);

  for (guint i = 0; i < st->links->len; i++)
    {
      TrawlLink *link = g_ptr_array_index (st->links, i);
      char *url = trawl_url_resolve_with (base_uri, base_string, link->url);

      if (url == NULL || !trawl_url_is_http (url))
        {
          g_free (url);
          trawl_link_free (link);
          continue;
        }

      g_free (link->url);
      link->url = url;
      if (link->kind == TRAWL_LINK_CANONICAL && result->canonical == NULL)
        result->canonical = g_strdup (url);
      st->links->pdata[kept++] = link;
    }

  /* The array has no free function yet, so shrinking it frees nothing. */
  g_ptr_array_set_size (st->links, kept);
  g_ptr_array_set_free_func (st->links, (GDestroyNotify) trawl_link_free);
  result->links = g_steal_pointer (&st->links);
}

static TrawlParseResult *parse_html (const char *body, gsize length, const char *page_url,
                                     const char *content_type, const char *x_robots_tag, gboolean tree);

/**
 * trawl_parse_html:
 * @body: (array length=length): the raw response body
 * @length: the length of @body in bytes
 * @page_url: the absolute URL the page was fetched from
 * @content_type: (nullable): the Content-Type header of the response
 * @x_robots_tag: (nullable): the X-Robots-Tag header of the response
 *
 * Finds the links and the metadata of an HTML page.  The body is decoded
 * from the encoding trawl_parse_charset() finds, or from windows-1252 if
 * this system cannot decode that one; invalid bytes become U+FFFD, so
 * every string in the result is valid UTF-8.  Malformed markup is read the
 * way libxml2 recovers from it.
 *
 * Links come in document order, resolved against the first `<base href>`
 * or else @page_url; only those leading to http and https URLs are kept.
 *
 * This function is thread-safe, provided xmlInitParser() has been called.
 *
 * Returns: (transfer full): the links and metadata of the page
 */
TrawlParseResult *
trawl_parse_html (const char *body,
                  gsize       length,
                  const char *page_url,
                  const char *content_type,
                  const char *x_robots_tag)
{
  return parse_html (body, length, page_url, content_type, x_robots_tag, FALSE);
}

/**
 * trawl_parse_html_document:
 *
 * As trawl_parse_html(), and also keeps the page's DOM in the result's
 * document, made in the same pass: for extraction rules, at a fraction
 * of the cost of a second parse.
 *
 * Returns: (transfer full): the links, metadata and document of the page
 */
TrawlParseResult *
trawl_parse_html_document (const char *body,
                           gsize       length,
                           const char *page_url,
                           const char *content_type,
                           const char *x_robots_tag)
{
  return parse_html (body, length, page_url, content_type, x_robots_tag, TRUE);
}

static TrawlParseResult *
parse_html (const char *body,
            gsize       length,
            const char *page_url,
            const char *content_type,
            const char *x_robots_tag,
            gboolean    tree)
{
  htmlSAXHandler sax = {
    .startDocument = on_start_document,
    .endDocument = on_end_document,
    .startElement = on_start_element,
    .endElement = on_end_element,
    .characters = on_characters,
    /* White space is text too: it separates words. */
    .ignorableWhitespace = on_whitespace,
    .cdataBlock = on_raw_text,
    .comment = on_comment,
    .warning = on_diagnostic,
    .error = on_diagnostic,
    .fatalError = on_diagnostic,
    /* libxml2 reads serror only from handlers marked as SAX2, and it is
     * the one that would otherwise fall back to a thread's global error
     * handler. */
    .serror = on_structured_error,
    .initialized = XML_SAX2_MAGIC,
  };
  ParseState st = { 0 };
  const Encoding *encoding;
  GIConv cd = (GIConv) -1;
  gsize bom_length;

  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (page_url != NULL, NULL);

  if (body == NULL)
    body = "";
  st.tree = tree;
  st.result = g_new0 (TrawlParseResult, 1);
  st.result->content_hash = trawl_hash64 (body, length);
  st.links = g_ptr_array_new ();
  st.anchor_text = g_string_sized_new (ANCHOR_MAX + 1);
  st.title = g_string_new (NULL);
  st.h1 = g_string_new (NULL);

  encoding = detect_encoding (body, length, content_type, &bom_length);
  if (encoding->iconv_name != NULL)
    {
      cd = g_iconv_open ("UTF-8", encoding->iconv_name);
      if (cd == (GIConv) -1)
        encoding = &encodings[ENC_WINDOWS_1252];
    }
  st.result->charset = g_strdup (encoding->name);

  st.ctxt = htmlCreatePushParserCtxt (&sax, &st, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
  if (st.ctxt == NULL)
    g_error ("libxml2 could not allocate an HTML parser");
  htmlCtxtUseOptions (st.ctxt, PARSE_OPTIONS);
  /* The tree's elements keep the line of their start tag (the line of its
   * ">"), which the rule tester needs to find them in the source. */
  if (tree)
    st.ctxt->linenumbers = 1;

  body += bom_length;
  length -= bom_length;
  if (cd != (GIConv) -1)
    {
      push_iconv_body (&st, cd, body, length);
      g_iconv_close (cd);
    }
  else if (encoding == &encodings[ENC_UTF_8])
    {
      st.result->utf8 = bom_length == 0;
      push_utf8_body (&st, body, length);
    }
  else
    push_windows_1252_body (&st, body, length);

  htmlParseChunk (st.ctxt, NULL, 0, 1);
  if (tree)
    st.result->document = g_steal_pointer (&st.ctxt->myDoc);
  else if (st.ctxt->myDoc != NULL)
    g_clear_pointer (&st.ctxt->myDoc, xmlFreeDoc);
  htmlFreeParserCtxt (st.ctxt);

  /* libxml2 closes every element at the end, but a page cut short must not
   * leave text behind. */
  finish_anchor (&st);
  finish_title (&st);
  finish_h1 (&st);

  resolve_links (&st, page_url);

  if (st.robots != NULL)
    st.result->meta_robots = g_string_free (st.robots, FALSE);
  if (x_robots_tag != NULL)
    apply_x_robots_tag (st.result, x_robots_tag);

  g_free (st.base_href);
  g_string_free (st.anchor_text, TRUE);
  g_string_free (st.title, TRUE);
  g_string_free (st.h1, TRUE);

  return st.result;
}

/**
 * trawl_parse_wants:
 * @status: a response's HTTP status
 * @content_type: (nullable): its MIME type, in lower case
 *
 * Returns: whether a crawl parses such a response for links, metadata and
 *   extraction rules: a successful HTML one
 */
gboolean
trawl_parse_wants (guint       status,
                   const char *content_type)
{
  return status >= 200 && status < 300 && content_type != NULL &&
         (strcmp (content_type, "text/html") == 0 || strcmp (content_type, "application/xhtml+xml") == 0);
}

/**
 * trawl_link_free:
 * @link: (nullable): a link
 *
 * Frees @link and the strings it owns.
 */
void
trawl_link_free (TrawlLink *link)
{
  if (link == NULL)
    return;

  g_free (link->url);
  g_free (link->anchor);
  g_free (link->rel);
  g_free (link->hreflang);
  g_free (link);
}

/**
 * trawl_parse_result_free:
 * @result: (nullable): a parse result
 *
 * Frees @result, its strings and its links.
 */
void
trawl_parse_result_free (TrawlParseResult *result)
{
  if (result == NULL)
    return;

  g_free (result->title);
  g_free (result->description);
  g_free (result->h1);
  g_free (result->canonical);
  g_free (result->meta_robots);
  g_free (result->base_url);
  g_free (result->charset);
  g_clear_pointer (&result->links, g_ptr_array_unref);
  g_clear_pointer (&result->document, xmlFreeDoc);
  g_free (result);
}

/**
 * trawl_link_kind_to_string:
 * @kind: a link kind
 *
 * Returns: the lower-case name of @kind, such as "anchor" or
 *   "meta-refresh", as shown in exports and the user interface
 */
const char *
trawl_link_kind_to_string (TrawlLinkKind kind)
{
  switch (kind)
    {
    case TRAWL_LINK_ANCHOR:
      return "anchor";
    case TRAWL_LINK_FRAME:
      return "frame";
    case TRAWL_LINK_IMAGE:
      return "image";
    case TRAWL_LINK_SCRIPT:
      return "script";
    case TRAWL_LINK_STYLESHEET:
      return "stylesheet";
    case TRAWL_LINK_LINK:
      return "link";
    case TRAWL_LINK_CANONICAL:
      return "canonical";
    case TRAWL_LINK_HREFLANG:
      return "hreflang";
    case TRAWL_LINK_META_REFRESH:
      return "meta-refresh";
    case TRAWL_LINK_REDIRECT:
      return "redirect";
    case TRAWL_LINK_SITEMAP:
      return "sitemap";
    default:
      g_return_val_if_reached (NULL);
    }
}
