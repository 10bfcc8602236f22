/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-css.c — CSS selectors translated to XPath, for libxml2.
 *
 * Covers what selects elements in a static page: type and universal
 * selectors, classes, ids, attributes with every operator of Selectors
 * Level 3 (=, ~=, |=, ^=, $=, *=), the combinators (descendant, >, +, ~),
 * :first-child, :last-child, :only-child, :nth-child(), :nth-last-child(),
 * :empty, :root and :not() of a compound selector, and lists (a, b).
 * Anything else (:hover, ::before, namespaces…) is an error that says
 * what and where.  libxml2's HTML parser lowers the case of element and
 * attribute names, so the selector's are lowered too.  Compound selectors
 * become a node test and predicates ("div[…]"), as the cssselect library
 * writes them; see parse_complex() for the combinators.
 */
#define G_LOG_DOMAIN "trawl-css"

#include "config.h"

#include "trawl-css.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "trawl-job.h"

typedef struct {
  const char *selector;
  const char *p;
  GError    **error;
} Cursor;

static gboolean
fail (Cursor     *c,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (Cursor     *c,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (c->error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID,
               /* Translators: a selector, then what is wrong with it, as
                * the messages that follow say it: “has a string that never
                * ends”, “needs a “]” to close the attribute test”… */
               _("The CSS selector “%s” %s (at character %u)"), c->selector, what,
               (guint) g_utf8_pointer_to_offset (c->selector, c->p) + 1);
  return FALSE;
}

/* The bytes of the character at @p, for messages that quote it whole. */
static int
char_length (const char *p)
{
  return g_utf8_next_char (p) - p;
}

static void
skip_space (Cursor *c)
{
  while (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r' || *c->p == '\f')
    c->p++;
}

static gboolean
is_name_char (char ch)
{
  return g_ascii_isalnum (ch) || ch == '-' || ch == '_' || (guchar) ch >= 0x80;
}

/* An identifier, with backslash escapes of single characters; NULL if
 * there is none here. */
static char *
read_ident (Cursor *c)
{
  GString *ident = g_string_new (NULL);

  while (*c->p != '\0')
    {
      if (*c->p == '\\' && c->p[1] != '\0')
        {
          g_string_append_c (ident, c->p[1]);
          c->p += 2;
        }
      else if (is_name_char (*c->p))
        g_string_append_c (ident, *c->p++);
      else
        break;
    }
  if (ident->len == 0)
    {
      g_string_free (ident, TRUE);
      return NULL;
    }
  return g_string_free (ident, FALSE);
}

/* Whether @name can stand in XPath as an element or attribute name: an
 * XML name without a colon, in ASCII, as libxml2's HTML parser makes
 * them.  Escapes put anything in an identifier ("a\\[b", "\\31"), and
 * so would into the expression. */
static gboolean
is_xpath_name (const char *name)
{
  if (!g_ascii_isalpha (name[0]) && name[0] != '_')
    return FALSE;
  for (const char *p = name + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* A quoted string or an identifier, as attribute values are written. */
static char *
read_value (Cursor *c)
{
  char quote = *c->p;
  GString *value;

  if (quote != '"' && quote != '\'')
    return read_ident (c);
  value = g_string_new (NULL);
  c->p++;
  while (*c->p != quote)
    {
      if (*c->p == '\0')
        {
          g_string_free (value, TRUE);
          fail (c, _("has a string that never ends"));
          return NULL;
        }
      if (*c->p == '\\' && c->p[1] != '\0')
        c->p++;
      g_string_append_c (value, *c->p++);
    }
  c->p++;
  return g_string_free (value, FALSE);
}

/* @text as an XPath string literal: XPath 1.0 has no escapes. */
static void
append_literal (GString    *out,
                const char *text)
{
  if (strchr (text, '\'') == NULL)
    g_string_append_printf (out, "'%s'", text);
  else if (strchr (text, '"') == NULL)
    g_string_append_printf (out, "\"%s\"", text);
  else
    {
      g_auto (GStrv) parts = g_strsplit (text, "'", -1);

      g_string_append (out, "concat(");
      for (guint i = 0; parts[i] != NULL; i++)
        g_string_append_printf (out, "%s'%s'", i > 0 ? ", \"'\", " : "", parts[i]);
      g_string_append_c (out, ')');
    }
}

/* "contains(concat(' ', normalize-space(@a), ' '), ' v ')": one of the
 * white-space-separated words of @a is @v. */
static void
append_has_word (GString    *out,
                 const char *attr,
                 const char *word)
{
  g_autofree char *padded = g_strdup_printf (" %s ", word);

  g_string_append_printf (out, "[contains(concat(' ', normalize-space(@%s), ' '), ", attr);
  append_literal (out, padded);
  g_string_append (out, ")]");
}

static gboolean
parse_attribute (Cursor  *c,
                 GString *out)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *lower = NULL;
  char op[3] = { 0 };
  const char *start;

  c->p++;
  skip_space (c);
  start = c->p;
  if ((name = read_ident (c)) == NULL)
    return fail (c, _("needs an attribute name after “[”"));
  if (!is_xpath_name (name))
    {
      c->p = start;
      return fail (c, _("has “%s”, which cannot be the name of an attribute"), name);
    }
  lower = g_ascii_strdown (name, -1);
  skip_space (c);
  if (*c->p == ']')
    {
      c->p++;
      g_string_append_printf (out, "[@%s]", lower);
      return TRUE;
    }
  if (*c->p == '\0')
    return fail (c, _("needs a “]” to close the attribute test"));
  if (*c->p == '=')
    op[0] = *c->p++;
  else if (strchr ("~|^$*", *c->p) != NULL && *c->p != '\0' && c->p[1] == '=')
    {
      op[0] = c->p[0];
      op[1] = '=';
      c->p += 2;
    }
  else
    return fail (c, _("has an attribute test that is not one of =, ~=, |=, ^=, $=, *="));
  skip_space (c);
  if ((value = read_value (c)) == NULL)
    return c->error != NULL && *c->error != NULL ? FALSE : fail (c, _("needs a value after “%s”"), op);
  skip_space (c);
  if (*c->p == 'i' || *c->p == 'I' || *c->p == 's' || *c->p == 'S')
    return fail (c, _("uses an attribute flag (i or s), which is not supported"));
  if (*c->p != ']')
    return fail (c, _("needs a “]” to close the attribute test"));
  c->p++;

  switch (op[0])
    {
    case '=':
      g_string_append_printf (out, "[@%s = ", lower);
      append_literal (out, value);
      g_string_append_c (out, ']');
      break;
    case '~':
      if (*value == '\0' || strpbrk (value, " \t\n\r\f") != NULL)
        g_string_append (out, "[false()]");
      else
        append_has_word (out, lower, value);
      break;
    case '|':
      {
        g_autofree char *prefix = g_strdup_printf ("%s-", value);

        g_string_append_printf (out, "[@%s = ", lower);
        append_literal (out, value);
        g_string_append_printf (out, " or starts-with(@%s, ", lower);
        append_literal (out, prefix);
        g_string_append (out, ")]");
      }
      break;
    case '^':
      g_string_append_printf (out, "[@%s and starts-with(@%s, ", lower, lower);
      append_literal (out, value);
      g_string_append_printf (out, ")%s]", *value == '\0' ? " and false()" : "");
      break;
    case '$':
      g_string_append_printf (out, "[@%s and substring(@%s, string-length(@%s) - %d) = ", lower, lower, lower,
                              (int) strlen (value) - 1);
      append_literal (out, value);
      g_string_append_printf (out, "%s]", *value == '\0' ? " and false()" : "");
      break;
    case '*':
      g_string_append_printf (out, "[@%s and contains(@%s, ", lower, lower);
      append_literal (out, value);
      g_string_append_printf (out, ")%s]", *value == '\0' ? " and false()" : "");
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* The argument of :nth-child(): "odd", "even", "5", "2n+1", "-n+3"… as
 * a and b of an+b. */
static gboolean
parse_nth (Cursor *c,
           int    *a,
           int    *b)
{
  const char *end = strchr (c->p, ')');
  g_autofree char *arg = NULL;
  g_autoptr (GRegex) regex = NULL;
  g_autoptr (GMatchInfo) match = NULL;

  if (end == NULL)
    return fail (c, _("needs a “)” after the argument of :nth-child("));
  arg = g_strndup (c->p, end - c->p);
  g_strstrip (arg);
  c->p = end + 1;
  if (g_ascii_strcasecmp (arg, "odd") == 0)
    return (*a = 2, *b = 1, TRUE);
  if (g_ascii_strcasecmp (arg, "even") == 0)
    return (*a = 2, *b = 0, TRUE);

  regex = g_regex_new ("^(?:([+-]?\\d*)n\\s*(?:([+-])\\s*(\\d+))?|([+-]?\\d+))$", G_REGEX_CASELESS, 0, NULL);
  if (!g_regex_match (regex, arg, 0, &match))
    return fail (c, _("has “%s” where :nth-child() takes odd, even, a number or an+b"), arg);
  if (g_match_info_get_match_count (match) > 4)
    {
      g_autofree char *number = g_match_info_fetch (match, 4);

      *a = 0;
      *b = atoi (number);
    }
  else
    {
      g_autofree char *coefficient = g_match_info_fetch (match, 1);
      g_autofree char *sign = g_match_info_fetch (match, 2);
      g_autofree char *offset = g_match_info_fetch (match, 3);

      *a = strcmp (coefficient, "") == 0 || strcmp (coefficient, "+") == 0 ? 1
         : strcmp (coefficient, "-") == 0 ? -1 : atoi (coefficient);
      *b = offset != NULL && *offset != '\0' ? atoi (offset) * (strcmp (sign, "-") == 0 ? -1 : 1) : 0;
    }
  return TRUE;
}

/* The element's position among its siblings (from the end when @last),
 * as an+b for some n >= 0. */
static void
append_nth (GString  *out,
            int       a,
            int       b,
            gboolean  last)
{
  const char *position = last ? "(count(following-sibling::*) + 1)" : "(count(preceding-sibling::*) + 1)";

  if (a == 0)
    g_string_append_printf (out, "[%s = %d]", position, b);
  else if (a > 0)
    g_string_append_printf (out, "[%s >= %d and (%s - %d) mod %d = 0]", position, b, position, b, a);
  else
    g_string_append_printf (out, "[%s <= %d and (%d - %s) mod %d = 0]", position, b, b, position, -a);
}

static gboolean parse_compound (Cursor *c, GString *out, gboolean negated);

static gboolean
parse_pseudo (Cursor  *c,
              GString *out,
              gboolean negated)
{
  g_autofree char *name = NULL;
  g_autofree char *lower = NULL;
  const char *start = c->p;

  c->p++;
  if (*c->p == ':')
    {
      c->p = start;
      return fail (c, _("has a pseudo-element, which a selector of elements cannot have "
                        "(to take text or an attribute, choose it in the rule instead)"));
    }
  if ((name = read_ident (c)) == NULL)
    return fail (c, _("needs a name after “:”"));
  lower = g_ascii_strdown (name, -1);

  if (strcmp (lower, "first-child") == 0)
    g_string_append (out, "[not(preceding-sibling::*)]");
  else if (strcmp (lower, "last-child") == 0)
    g_string_append (out, "[not(following-sibling::*)]");
  else if (strcmp (lower, "only-child") == 0)
    g_string_append (out, "[not(preceding-sibling::*) and not(following-sibling::*)]");
  else if (strcmp (lower, "empty") == 0)
    g_string_append (out, "[not(*) and not(text())]");
  else if (strcmp (lower, "root") == 0)
    g_string_append (out, "[not(parent::*)]");
  else if ((strcmp (lower, "nth-child") == 0 || strcmp (lower, "nth-last-child") == 0) && *c->p == '(')
    {
      int a = 0, b = 0;

      c->p++;
      if (!parse_nth (c, &a, &b))
        return FALSE;
      append_nth (out, a, b, strcmp (lower, "nth-last-child") == 0);
    }
  else if (strcmp (lower, "not") == 0 && *c->p == '(')
    {
      g_autoptr (GString) inner = g_string_new (NULL);

      if (negated)
        return fail (c, _("has :not() inside :not()"));
      c->p++;
      skip_space (c);
      if (!parse_compound (c, inner, TRUE))
        return FALSE;
      skip_space (c);
      if (*c->p != ')')
        return fail (c, _("has more in :not() than the one compound selector it takes"));
      c->p++;
      g_string_append_printf (out, "[not(self::%s)]", inner->str);
    }
  else
    {
      c->p = start;
      return fail (c, _("uses :%s, which is not supported (supported: :first-child, :last-child, "
                        ":only-child, :nth-child(), :nth-last-child(), :empty, :root, :not())"), name);
    }
  return TRUE;
}

/* A compound selector, such as div.a#b[c]:first-child, as a node test
 * and predicates: "div[…][…]". */
static gboolean
parse_compound (Cursor  *c,
                GString *out,
                gboolean negated)
{
  g_autofree char *type = NULL;
  const char *start = c->p;

  if (*c->p == '*')
    {
      c->p++;
      g_string_append_c (out, '*');
    }
  else if ((type = read_ident (c)) != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (type, -1);

      if (!is_xpath_name (type))
        {
          c->p = start;
          return fail (c, _("has “%s”, which cannot be the name of an element"), type);
        }
      g_string_append (out, lower);
    }
  else
    g_string_append_c (out, '*');
  if (*c->p == '|')
    return fail (c, _("uses a namespace, which is not supported"));

  for (;;)
    {
      g_autofree char *ident = NULL;

      switch (*c->p)
        {
        case '.':
          c->p++;
          if ((ident = read_ident (c)) == NULL)
            return fail (c, _("needs a class name after “.”"));
          append_has_word (out, "class", ident);
          continue;
        case '#':
          c->p++;
          if ((ident = read_ident (c)) == NULL)
            return fail (c, _("needs an id after “#”"));
          g_string_append (out, "[@id = ");
          append_literal (out, ident);
          g_string_append_c (out, ']');
          continue;
        case '[':
          if (!parse_attribute (c, out))
            return FALSE;
          continue;
        case ':':
          if (!parse_pseudo (c, out, negated))
            return FALSE;
          continue;
        default:
          break;
        }
      break;
    }
  if (c->p == start)
    return *c->p == '\0' ? fail (c, _("ends where a selector is expected"))
                         : fail (c, _("has “%.*s” where a selector is expected"), char_length (c->p), c->p);
  return TRUE;
}

/* The condition that the element before @combinator be @compound:
 * "ancestor::div[…]" for "div p", and so on. */
static void
append_condition (GString    *out,
                  char        combinator,
                  const char *compound)
{
  switch (combinator)
    {
    case ' ': g_string_append (out, "ancestor::"); break;
    case '>': g_string_append (out, "parent::"); break;
    case '+': g_string_append (out, "preceding-sibling::*[1]/self::"); break;
    case '~': g_string_append (out, "preceding-sibling::"); break;
    default: g_assert_not_reached ();
    }
  g_string_append (out, compound);
}

/* One complex selector (compounds joined by combinators), up to a comma
 * or the end.
 *
 * In a document, it is written from the right, as browsers match: the
 * element the selector picks, with what must hold around it as nested
 * predicates ("li.p a" is "descendant-or-self::a[ancestor::li[…]]").
 * Written from the left ("…li[…]/descendant::a"), libxml2 2.9 merges the
 * result of every step and checks each node against all it has so far:
 * on a page of 50,000 list items that took 7 s instead of 40 ms.  Below a
 * record's element the steps stay left to right, so that the whole match
 * lies inside the record, which is small. */
static gboolean
parse_complex (Cursor   *c,
               GString  *out,
               gboolean  relative)
{
  g_autoptr (GPtrArray) compounds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) combinators = g_string_new (NULL);
  GString *condition;

  for (;;)
    {
      g_autoptr (GString) compound = g_string_new (NULL);
      const char *before;
      char combinator = ' ';

      if (!parse_compound (c, compound, FALSE))
        return FALSE;
      g_ptr_array_add (compounds, g_string_free (g_steal_pointer (&compound), FALSE));
      before = c->p;
      skip_space (c);
      if (*c->p == '\0' || *c->p == ',')
        break;
      if (*c->p == '>' || *c->p == '+' || *c->p == '~')
        {
          combinator = *c->p++;
          skip_space (c);
        }
      else if (c->p == before)
        return fail (c, _("has “%.*s” where a combinator or the end is expected"), char_length (c->p), c->p);
      g_string_append_c (combinators, combinator);
    }

  if (relative)
    {
      g_string_append (out, "descendant::");
      for (guint i = 0; i < compounds->len; i++)
        {
          if (i > 0)
            switch (combinators->str[i - 1])
              {
              case ' ': g_string_append (out, "/descendant::"); break;
              case '>': g_string_append (out, "/"); break;
              case '+': g_string_append (out, "/following-sibling::*[1]/self::"); break;
              case '~': g_string_append (out, "/following-sibling::"); break;
              default: g_assert_not_reached ();
              }
          g_string_append (out, compounds->pdata[i]);
        }
      return TRUE;
    }

  /* From the leftmost condition inwards: "[ancestor::a[parent::b]]". */
  condition = g_string_new (NULL);
  for (guint i = 0; i + 1 < compounds->len; i++)
    {
      g_autoptr (GString) outer = g_string_new (NULL);

      append_condition (outer, combinators->str[i], compounds->pdata[i]);
      if (condition->len > 0)
        g_string_append_printf (outer, "[%s]", condition->str);
      g_string_assign (condition, outer->str);
    }
  g_string_append_printf (out, "descendant-or-self::%s", (char *) compounds->pdata[compounds->len - 1]);
  if (condition->len > 0)
    g_string_append_printf (out, "[%s]", condition->str);
  g_string_free (condition, TRUE);
  return TRUE;
}

/**
 * trawl_css_to_xpath:
 * @selector: a CSS selector, or a list of them
 * @relative: match only below the context node (for the fields of a
 *   record), rather than anywhere in the document
 * @error: what is wrong with @selector, and where
 *
 * Returns: (transfer full) (nullable): the XPath expression
 */
char *
trawl_css_to_xpath (const char  *selector,
                    gboolean     relative,
                    GError     **error)
{
  Cursor c = { selector, selector, error };
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (selector != NULL, NULL);

  /* XPath string literals hold only what XML text can: with anything
   * else the expression would not compile. */
  if (!g_utf8_validate (selector, -1, NULL))
    {
      g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CSS selector is not valid UTF-8"));
      return NULL;
    }
  for (; *c.p != '\0'; c.p = g_utf8_next_char (c.p))
    {
      gunichar ch = g_utf8_get_char (c.p);

      if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0xfffe || ch == 0xffff)
        {
          fail (&c, _("has the character U+%04X, which no page can hold"), ch);
          return NULL;
        }
    }
  c.p = selector;

  skip_space (&c);
  if (*c.p == '\0')
    {
      g_set_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, _("The CSS selector is empty"));
      return NULL;
    }
  for (;;)
    {
      if (!parse_complex (&c, out, relative))
        return NULL;
      if (*c.p == '\0')
        break;
      /* A comma. */
      c.p++;
      skip_space (&c);
      g_string_append (out, " | ");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
