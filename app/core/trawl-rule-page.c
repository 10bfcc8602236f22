/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-rule-page.c — one page made ready for trying extraction rules on
 * it, with where in its source each match lies.
 *
 * The page is parsed as a crawl parses it (trawl_stored_page_parse()) and
 * rules run on it with the extractor itself (trawl_extractor_find()), so
 * a match here is what a crawl or a re-run would take.  What the DOM does
 * not say is where a node came from: libxml2 keeps only the line of an
 * element's start tag (the line of its ">", up to 65,535).  So the source
 * is read once for its tags, skipping comments and the raw text of
 * <script> and <style>, and the elements of the DOM, in document order,
 * are paired with the start tags of the same name on their line: the
 * n-th <li> of the DOM that libxml2 put on line 12 is the next unpaired
 * <li> tag whose line span holds 12.  Elements libxml2 made up (an
 * implied <tbody> or <body>) find no tag and are not highlighted.
 * An element then runs to its end tag, or, when the end tag was left out,
 * to the first end tag of an element around it or the start of whatever
 * comes after it.  A text node or inner HTML is the element's content;
 * an attribute is its value in the start tag.  A regex match is its own
 * bytes.  Values from a count() or a string() have no place.
 */
#define G_LOG_DOMAIN "trawl-rule-page"

#include "config.h"

#include "trawl-rule-page.h"

#include <libxml/tree.h>
#include <string.h>

#include "trawl-extract.h"

/* Past this, libxml2 gives every node the same line. */
#define MAX_LINE 65535

typedef struct {
  gsize       start;     /* its "<" */
  gsize       end;       /* after its ">" */
  guint       first_line;
  guint       last_line; /* the line of its ">" */
  const char *name;      /* interned, lower case */
  gboolean    closing;
} Tag;

struct _TrawlRulePage
{
  gatomicrefcount  ref_count;
  char            *url;      /* owned */
  char            *source;   /* owned: the text regex rules see */
  gsize            length;
  xmlDocPtr        document; /* owned, nullable */
  GArray          *tags;     /* owned, of Tag, in source order */
  GHashTable      *paired;   /* owned: xmlNodePtr → index in tags + 1 */
};

void
trawl_rule_match_free (TrawlRuleMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->value);
  g_free (match);
}

static gboolean
has_prefix_nocase (const char *s,
                   const char *end,
                   const char *prefix)
{
  gsize n = strlen (prefix);

  return (gsize) (end - s) >= n && g_ascii_strncasecmp (s, prefix, n) == 0;
}

/* Moves *pos to @to, counting lines. */
static void
advance (const char *source,
         gsize      *pos,
         gsize       to,
         guint      *line)
{
  for (; *pos < to; (*pos)++)
    if (source[*pos] == '\n')
      (*line)++;
}

static const char *
find_nocase (const char *from,
             const char *end,
             const char *needle)
{
  for (const char *p = from; p < end; p++)
    if (has_prefix_nocase (p, end, needle))
      return p;
  return NULL;
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == ':' || c == '.';
}

/* The tags of the source, as an HTML parser meets them. */
static void
read_tags (TrawlRulePage *self)
{
  const char *s = self->source, *end = self->source + self->length;
  gsize pos = 0;
  guint line = 1;

  while (pos < self->length)
    {
      Tag tag = { 0 };
      gsize name_start, name_end;
      char quote = 0;
      const char *skip_to = NULL;

      if (s[pos] != '<')
        {
          advance (s, &pos, pos + 1, &line);
          continue;
        }
      if (has_prefix_nocase (s + pos, end, "<!--"))
        {
          skip_to = strstr (s + pos + 4, "-->");
          advance (s, &pos, skip_to != NULL ? (gsize) (skip_to - s) + 3 : self->length, &line);
          continue;
        }
      if (s[pos + 1] == '!' || s[pos + 1] == '?')
        {
          skip_to = strchr (s + pos, '>');
          advance (s, &pos, skip_to != NULL ? (gsize) (skip_to - s) + 1 : self->length, &line);
          continue;
        }
      tag.closing = s[pos + 1] == '/';
      name_start = pos + 1 + tag.closing;
      if (!g_ascii_isalpha (s[name_start]))
        {
          advance (s, &pos, pos + 1, &line);
          continue;
        }
      for (name_end = name_start; name_end < self->length && is_name_char (s[name_end]); name_end++)
        ;
      {
        g_autofree char *name = g_ascii_strdown (s + name_start, name_end - name_start);

        tag.name = g_intern_string (name);
      }
      tag.start = pos;
      tag.first_line = line;
      /* To the ">" outside quotes. */
      for (pos = name_end; pos < self->length; pos++)
        {
          if (s[pos] == '\n')
            line++;
          else if (quote != 0 && s[pos] == quote)
            quote = 0;
          else if (quote == 0 && (s[pos] == '"' || s[pos] == '\''))
            quote = s[pos];
          else if (quote == 0 && s[pos] == '>')
            break;
        }
      tag.last_line = line;
      pos = MIN (pos + 1, self->length);
      tag.end = pos;
      g_array_append_val (self->tags, tag);

      /* Their text is not markup. */
      if (!tag.closing && (strcmp (tag.name, "script") == 0 || strcmp (tag.name, "style") == 0))
        {
          g_autofree char *close = g_strconcat ("</", tag.name, NULL);

          skip_to = find_nocase (s + pos, end, close);
          advance (s, &pos, skip_to != NULL ? (gsize) (skip_to - s) : self->length, &line);
        }
    }
}

/* Whether @tag can be where libxml2 put an element it says is on @line. */
static gboolean
tag_on_line (const Tag *tag,
             long       line)
{
  if (line >= MAX_LINE)
    return tag->last_line >= MAX_LINE;
  return tag->first_line <= line && line <= tag->last_line;
}

static xmlNodePtr
next_in_document (xmlNodePtr node,
                  gboolean   into_children)
{
  if (into_children && node->children != NULL)
    return node->children;
  while (node != NULL && node->next == NULL)
    node = node->parent;
  return node != NULL ? node->next : NULL;
}

/* Pairs the DOM's elements with the source's start tags. */
static void
pair_elements (TrawlRulePage *self)
{
  g_autoptr (GHashTable) by_name = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr (GHashTable) cursors = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < self->tags->len; i++)
    {
      Tag *tag = &g_array_index (self->tags, Tag, i);
      GArray *indexes;

      if (tag->closing)
        continue;
      indexes = g_hash_table_lookup (by_name, tag->name);
      if (indexes == NULL)
        {
          indexes = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (by_name, (gpointer) tag->name, indexes);
        }
      g_array_append_val (indexes, i);
    }

  for (xmlNodePtr node = self->document->children; node != NULL; node = next_in_document (node, TRUE))
    {
      g_autofree char *lower = NULL;
      const char *name;
      GArray *indexes;
      guint cursor;
      long line;

      if (node->type != XML_ELEMENT_NODE || node->name == NULL)
        continue;
      lower = g_ascii_strdown ((const char *) node->name, -1);
      name = g_intern_string (lower);
      indexes = g_hash_table_lookup (by_name, name);
      if (indexes == NULL)
        continue;
      cursor = GPOINTER_TO_UINT (g_hash_table_lookup (cursors, name));
      line = xmlGetLineNo (node);
      /* Tags before the line became no element of their own (a second
       * <body>, say); a tag after it belongs to a later element. */
      while (cursor < indexes->len && line < MAX_LINE &&
             g_array_index (self->tags, Tag, g_array_index (indexes, guint, cursor)).last_line < line)
        cursor++;
      if (cursor < indexes->len &&
          tag_on_line (&g_array_index (self->tags, Tag, g_array_index (indexes, guint, cursor)), line))
        {
          g_hash_table_insert (self->paired, node, GUINT_TO_POINTER (g_array_index (indexes, guint, cursor) + 1));
          cursor++;
        }
      g_hash_table_insert (cursors, (gpointer) name, GUINT_TO_POINTER (cursor));
    }
}

static const Tag *
tag_of (TrawlRulePage *self,
        xmlNodePtr     node,
        guint         *index)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (self->paired, node));

  if (i == 0)
    return NULL;
  *index = i - 1;
  return &g_array_index (self->tags, Tag, i - 1);
}

/**
 * trawl_rule_page_new:
 * @page: a page with its body, stored by a crawl or fetched now
 *
 * Parses @page as a crawl does and reads where its tags are.  Takes about
 * as long as a crawl's parse; do it off the window's thread.
 *
 * Returns: (transfer full): the page
 */
TrawlRulePage *
trawl_rule_page_new (const TrawlStoredPage *page)
{
  TrawlRulePage *self;
  g_autoptr (TrawlParseResult) parsed = NULL;
  gsize length = 0;
  const char *body;

  g_return_val_if_fail (page != NULL && page->body != NULL, NULL);

  self = g_new0 (TrawlRulePage, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->url = g_strdup (page->url);
  parsed = trawl_stored_page_parse ((TrawlStoredPage *) page);
  body = g_bytes_get_data (page->body, &length);
  self->source = trawl_extract_page_source (body != NULL ? body : "", length, parsed->charset);
  self->length = strlen (self->source);
  self->document = g_steal_pointer (&parsed->document);
  self->tags = g_array_new (FALSE, FALSE, sizeof (Tag));
  self->paired = g_hash_table_new (NULL, NULL);
  read_tags (self);
  if (self->document != NULL)
    pair_elements (self);
  return self;
}

TrawlRulePage *
trawl_rule_page_ref (TrawlRulePage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
trawl_rule_page_unref (TrawlRulePage *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->url);
  g_free (self->source);
  g_clear_pointer (&self->document, xmlFreeDoc);
  g_array_unref (self->tags);
  g_hash_table_unref (self->paired);
  g_free (self);
}

const char *
trawl_rule_page_get_url (TrawlRulePage *self)
{
  return self->url;
}

/**
 * trawl_rule_page_get_source:
 *
 * Returns: the page's source as valid UTF-8, which match offsets count in
 */
const char *
trawl_rule_page_get_source (TrawlRulePage *self)
{
  return self->source;
}

static gboolean
is_void (const char *name)
{
  static const char *const voids[] = { "area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                                       "meta", "param", "source", "track", "wbr", NULL };

  return g_strv_contains (voids, name);
}

/* Where the element @node, paired with the start tag @index, ends: its
 * end tag's end, or for an end tag left out, before the end tag of an
 * element around it or what comes after it.  *content_end is where its
 * content ends. */
static gsize
element_end (TrawlRulePage *self,
             xmlNodePtr     node,
             guint          index,
             gsize         *content_end)
{
  const Tag *start = &g_array_index (self->tags, Tag, index);
  g_autoptr (GPtrArray) open = g_ptr_array_new ();
  gsize bound = self->length;
  guint depth = 0;

  if (is_void (start->name) || (start->end >= 2 && self->source[start->end - 2] == '/'))
    {
      *content_end = start->end;
      return start->end;
    }
  for (xmlNodePtr next = next_in_document (node, FALSE); next != NULL; next = next_in_document (next, TRUE))
    {
      guint next_index;

      if (next->type == XML_ELEMENT_NODE && tag_of (self, next, &next_index) != NULL)
        {
          bound = g_array_index (self->tags, Tag, next_index).start;
          break;
        }
    }

  for (guint j = index + 1; j < self->tags->len; j++)
    {
      const Tag *tag = &g_array_index (self->tags, Tag, j);

      if (tag->start >= bound)
        break;
      if (!tag->closing)
        {
          if (tag->name == start->name)
            depth++;
          else if (!is_void (tag->name))
            g_ptr_array_add (open, (gpointer) tag->name);
          continue;
        }
      if (tag->name == start->name && depth == 0)
        {
          *content_end = tag->start;
          return tag->end;
        }
      if (tag->name == start->name)
        depth--;
      else if (open->len > 0 && open->pdata[open->len - 1] == tag->name)
        g_ptr_array_set_size (open, open->len - 1);
      else if (!g_ptr_array_find (open, tag->name, NULL))
        {
          /* Closes an element around this one. */
          bound = tag->start;
          break;
        }
    }
  while (bound > start->end && g_ascii_isspace (self->source[bound - 1]))
    bound--;
  *content_end = bound;
  return bound;
}

/* The value of the attribute @name in the start tag @tag. */
static gboolean
attribute_value (TrawlRulePage *self,
                 const Tag     *tag,
                 const char    *name,
                 gssize        *start,
                 gssize        *end)
{
  const char *s = self->source;
  gsize n = strlen (name);

  for (gsize p = tag->start + 1; p + n < tag->end; p++)
    {
      gsize v;

      if (!g_ascii_isspace (s[p - 1]) || g_ascii_strncasecmp (s + p, name, n) != 0 || is_name_char (s[p + n]))
        continue;
      for (v = p + n; v < tag->end && g_ascii_isspace (s[v]); v++)
        ;
      if (v >= tag->end || s[v] != '=')
        continue;
      for (v++; v < tag->end && g_ascii_isspace (s[v]); v++)
        ;
      if (s[v] == '"' || s[v] == '\'')
        {
          const char *close = memchr (s + v + 1, s[v], tag->end - v - 1);

          *start = v + 1;
          *end = close != NULL ? close - s : (gssize) tag->end - 1;
        }
      else
        {
          *start = v;
          for (*end = v; (gsize) *end < tag->end - 1 && !g_ascii_isspace (s[*end]); (*end)++)
            ;
        }
      return TRUE;
    }
  return FALSE;
}

/* Where in the source the value @rule took from @node came from. */
static void
locate (TrawlRulePage   *self,
        const TrawlRule *rule,
        xmlNodePtr       node,
        gssize          *start,
        gssize          *end)
{
  xmlNodePtr element = node;
  const Tag *tag;
  const char *attr = NULL;
  gboolean content = FALSE;
  gsize content_end, element_stop;
  guint index;

  *start = *end = -1;
  if (node->type == XML_ATTRIBUTE_NODE)
    {
      attr = (const char *) node->name;
      element = node->parent;
    }
  else if (node->type != XML_ELEMENT_NODE)
    {
      /* A text node or a comment: the element's content. */
      element = node->parent;
      content = TRUE;
    }
  else if (rule->take == TRAWL_RULE_ATTR)
    attr = rule->attr;
  else if (rule->take == TRAWL_RULE_HTML)
    content = TRUE;

  if (element == NULL || element->type != XML_ELEMENT_NODE || (tag = tag_of (self, element, &index)) == NULL)
    return;
  if (attr != NULL)
    {
      if (!attribute_value (self, tag, attr, start, end))
        {
          *start = tag->start;
          *end = tag->end;
        }
      return;
    }
  element_stop = element_end (self, element, index, &content_end);
  if (content)
    {
      *start = tag->end;
      *end = content_end;
    }
  else
    {
      *start = tag->start;
      *end = element_stop;
    }
}

/**
 * trawl_rule_page_test:
 * @self: the page
 * @rule: one rule, as the Extraction settings take it
 * @error: what is wrong with @rule, as a sentence
 *
 * Thread-safe, one call at a time per page.
 *
 * Returns: (transfer full) (element-type TrawlRuleMatch) (nullable): what
 *   @rule takes from the page, each with its place in the source
 */
GPtrArray *
trawl_rule_page_test (TrawlRulePage  *self,
                      const char     *rule,
                      GError        **error)
{
  const char *const specs[] = { rule, NULL };
  g_autoptr (TrawlExtractor) extractor = NULL;
  g_autoptr (TrawlRule) parsed = NULL;
  g_autoptr (GPtrArray) found = NULL;
  GPtrArray *matches;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (rule != NULL, NULL);

  extractor = trawl_extractor_new (specs, error);
  if (extractor == NULL)
    return NULL;
  parsed = trawl_rule_parse (rule, NULL);
  found = trawl_extractor_find (extractor, self->document, self->source, self->url);
  matches = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_rule_match_free);
  for (guint i = 0; i < found->len; i++)
    {
      TrawlExtractMatch *m = found->pdata[i];
      TrawlRuleMatch *match = g_new0 (TrawlRuleMatch, 1);

      match->value = g_strdup (m->value);
      match->start = m->start;
      match->end = m->end;
      if (m->node != NULL)
        locate (self, parsed, m->node, &match->start, &match->end);
      g_ptr_array_add (matches, match);
    }
  return matches;
}
