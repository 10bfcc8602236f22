/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-json.c — JSON text written straight into a buffer, for exports
 * and extracted items, where a tree of nodes per value would cost more
 * than the value. */
#include "config.h"

#include "trawl-json.h"

/**
 * trawl_json_append_string:
 * @out: where to write
 * @text: valid UTF-8
 *
 * Appends @text as a JSON string, quoted and escaped.  Line and paragraph
 * separators are escaped too, so that a line of JSON Lines is also a
 * line of JavaScript.
 */
void
trawl_json_append_string (GString    *out,
                          const char *text)
{
  const guchar *run = (const guchar *) text;
  const guchar *p = run;

  g_string_append_c (out, '"');
  for (;; p++)
    {
      const char *escape = NULL;
      char code[8];

      if (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0xE2)
        continue;
      if (*p == 0xE2 && !(p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)))
        continue;
      g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case 0xE2:
          escape = p[2] == 0xA8 ? "\\u2028" : "\\u2029";
          p += 2;
          break;
        default:
          g_snprintf (code, sizeof code, "\\u%04x", *p);
          escape = code;
        }
      g_string_append (out, escape);
      run = p + 1;
    }
  g_string_append_c (out, '"');
}
