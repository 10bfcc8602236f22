/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-extract.c — extraction rules: named fields taken from pages by
 * XPath, CSS selector or regex, alone or as records.
 *
 * A page's DOM is built only when a job has rules, by the link parser's
 * own pass (trawl_parse_html_document()).  CSS is translated to XPath once
 * (trawl-css.c) and every XPath expression compiled once: libxml2's
 * compiled expressions are read-only while evaluated, as libxslt relies
 * on, so the parser pool's threads share them, each with its own context.
 */
#define G_LOG_DOMAIN "trawl-extract"

#include "config.h"

#include "trawl-extract.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xpath.h>
#include <string.h>

#include "trawl-css.h"
#include "trawl-job.h"
#include "trawl-json.h"

/* Bounds for hostile pages: a value is cut at 64 KiB, a field keeps at
 * most this many matches, and a page yields at most this many items. */
#define MAX_VALUE_BYTES (64 * 1024)
#define MAX_MATCHES 10000
#define MAX_ITEMS 10000

static gboolean
set_error (GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_error (GError    **error,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID, message);
  return FALSE;
}

void
trawl_rule_free (TrawlRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->name);
  g_free (rule->record);
  g_free (rule->expr);
  g_free (rule->attr);
  g_free (rule->urls);
  g_free (rule);
}

void
trawl_item_free (TrawlItem *item)
{
  if (item == NULL)
    return;
  g_free (item->record);
  g_free (item->data);
  g_free (item);
}

static gboolean
is_identifier (const char *name)
{
  if (name == NULL || !(g_ascii_isalpha (*name) || *name == '_'))
    return FALSE;
  for (const char *c = name; *c != '\0'; c++)
    if (!(g_ascii_isalnum (*c) || *c == '_' || *c == '-'))
      return FALSE;
  return TRUE;
}

static const char *const kind_names[] = { "css", "xpath", "regex" };

/* "name", "name[]", "record.name" or "record.name[]". */
static gboolean
set_name (TrawlRule   *rule,
          const char  *text,
          const char  *spec,
          GError     **error)
{
  g_autofree char *name = g_strstrip (g_strdup (text));
  char *dot;

  if (g_str_has_suffix (name, "[]"))
    {
      rule->all = TRUE;
      name[strlen (name) - 2] = '\0';
      g_strchomp (name);
    }
  dot = strchr (name, '.');
  if (dot != NULL)
    {
      *dot = '\0';
      rule->record = g_strdup (name);
      rule->name = g_strdup (dot + 1);
    }
  else
    rule->name = g_strdup (name);
  if (!is_identifier (rule->name) || (rule->record != NULL && !is_identifier (rule->record)))
    return set_error (error, _("The rule “%s” has a name that is not a word of letters, digits, “_” and “-” "
                               "(or record.field)"), spec);
  return TRUE;
}

/* A CSS selector's "::text", "::html" or "::attr(name)" at its end. */
static gboolean
take_css_suffix (TrawlRule   *rule,
                 const char  *spec,
                 GError     **error)
{
  char *suffix = g_strrstr (rule->expr, "::");

  if (suffix == NULL)
    return TRUE;
  if (strcmp (suffix, "::text") == 0)
    rule->take = TRAWL_RULE_TEXT;
  else if (strcmp (suffix, "::html") == 0)
    rule->take = TRAWL_RULE_HTML;
  else if (g_str_has_prefix (suffix, "::attr(") && g_str_has_suffix (suffix, ")") && strlen (suffix) > 8)
    {
      rule->take = TRAWL_RULE_ATTR;
      rule->attr = g_strstrip (g_strndup (suffix + 7, strlen (suffix) - 8));
    }
  else
    return set_error (error, _("The rule “%s” ends in “%s”; a CSS rule can end in ::text, ::html or ::attr(name)"),
                      spec, suffix);
  *suffix = '\0';
  g_strchomp (rule->expr);
  return TRUE;
}

static TrawlRule *
parse_json (const char  *spec,
            GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (TrawlRule) rule = g_new0 (TrawlRule, 1);
  g_autoptr (GError) local_error = NULL;
  JsonObject *object;
  const char *take;
  guint kinds = 0;

  if (!json_parser_load_from_data (parser, spec, -1, &local_error) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      if (local_error != NULL)
        set_error (error, _("The rule “%s” is not a JSON object: %s"), spec, local_error->message);
      else
        set_error (error, _("The rule “%s” is not a JSON object"), spec);
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  if (!set_name (rule, json_object_get_string_member_with_default (object, "name", ""), spec, error))
    return NULL;
  for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
    if (json_object_has_member (object, kind_names[k]))
      {
        rule->kind = k;
        rule->expr = g_strdup (json_object_get_string_member_with_default (object, kind_names[k], ""));
        kinds++;
      }
  if (kinds != 1)
    {
      set_error (error, _("The rule “%s” needs exactly one of “css”, “xpath” and “regex”"), spec);
      return NULL;
    }
  take = json_object_get_string_member_with_default (object, "take", "text");
  if (strcmp (take, "text") == 0)
    rule->take = TRAWL_RULE_TEXT;
  else if (strcmp (take, "html") == 0)
    rule->take = TRAWL_RULE_HTML;
  else if (strcmp (take, "attr") == 0)
    rule->take = TRAWL_RULE_ATTR;
  else
    {
      set_error (error, _("The rule “%s” has “take” “%s”; it can be text, html or attr"), spec, take);
      return NULL;
    }
  rule->attr = g_strdup (json_object_get_string_member_with_default (object, "attr", ""));
  if (rule->take == TRAWL_RULE_ATTR && *rule->attr == '\0')
    {
      set_error (error, _("The rule “%s” takes an attribute but names none in “attr”"), spec);
      return NULL;
    }
  rule->all = rule->all || json_object_get_boolean_member_with_default (object, "all", FALSE);
  if (json_object_has_member (object, "urls") && *json_object_get_string_member (object, "urls") != '\0')
    rule->urls = g_strdup (json_object_get_string_member (object, "urls"));
  return g_steal_pointer (&rule);
}

/**
 * trawl_rule_parse:
 * @spec: a rule in its short form or as a JSON object (see trawl-extract.h)
 * @error: what is wrong with it, as a sentence
 *
 * Reads a rule; its expression is checked only by trawl_extractor_new().
 *
 * Returns: (transfer full) (nullable): the rule
 */
TrawlRule *
trawl_rule_parse (const char  *spec,
                  GError     **error)
{
  g_autoptr (TrawlRule) rule = NULL;
  g_autofree char *trimmed = NULL;
  const char *equals, *value, *colon;

  g_return_val_if_fail (spec != NULL, NULL);

  trimmed = g_strstrip (g_strdup (spec));
  if (*trimmed == '{')
    return parse_json (trimmed, error);

  equals = strchr (trimmed, '=');
  if (equals == NULL)
    {
      set_error (error, _("The rule “%s” needs a name, “=” and what to match, such as “price = css:.price”"), spec);
      return NULL;
    }
  rule = g_new0 (TrawlRule, 1);
  {
    g_autofree char *name = g_strndup (trimmed, equals - trimmed);

    if (!set_name (rule, name, spec, error))
      return NULL;
  }
  value = equals + 1;
  while (g_ascii_isspace (*value))
    value++;
  colon = strchr (value, ':');
  for (guint k = 0; colon != NULL && k < G_N_ELEMENTS (kind_names); k++)
    if ((gsize) (colon - value) == strlen (kind_names[k]) &&
        g_ascii_strncasecmp (value, kind_names[k], colon - value) == 0)
      {
        rule->kind = k;
        rule->expr = g_strstrip (g_strdup (colon + 1));
        break;
      }
  if (rule->expr == NULL)
    {
      set_error (error, _("The rule “%s” needs css:, xpath: or regex: before what it matches"), spec);
      return NULL;
    }
  if (rule->kind == TRAWL_RULE_CSS && !take_css_suffix (rule, spec, error))
    return NULL;
  if (*rule->expr == '\0')
    {
      set_error (error, _("The rule “%s” has nothing to match after “%s:”"), spec, kind_names[rule->kind]);
      return NULL;
    }
  return g_steal_pointer (&rule);
}

/**
 * trawl_rule_to_string:
 * @rule: a rule
 *
 * Returns: (transfer full): @rule as trawl_rule_parse() reads it: the
 *   short form when it can say everything, else JSON
 */
char *
trawl_rule_to_string (const TrawlRule *rule)
{
  g_autofree char *name = rule->record != NULL ? g_strdup_printf ("%s.%s", rule->record, rule->name)
                                               : g_strdup (rule->name);
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (JsonNode) root = NULL;
  static const char *const takes[] = { "text", "html", "attr" };

  if (rule->urls == NULL && (rule->kind == TRAWL_RULE_CSS || rule->take == TRAWL_RULE_TEXT))
    {
      const char *suffix = "";
      g_autofree char *attr = NULL;

      if (rule->kind == TRAWL_RULE_CSS && rule->take == TRAWL_RULE_HTML)
        suffix = "::html";
      else if (rule->kind == TRAWL_RULE_CSS && rule->take == TRAWL_RULE_ATTR)
        suffix = attr = g_strdup_printf ("::attr(%s)", rule->attr);
      /* A selector that itself ends in "::…" would be read as a suffix. */
      if (rule->kind != TRAWL_RULE_CSS || *suffix != '\0' || g_strrstr (rule->expr, "::") == NULL)
        return g_strdup_printf ("%s%s = %s:%s%s", name, rule->all ? "[]" : "", kind_names[rule->kind],
                                rule->expr, suffix);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, kind_names[rule->kind]);
  json_builder_add_string_value (builder, rule->expr);
  json_builder_set_member_name (builder, "take");
  json_builder_add_string_value (builder, takes[rule->take]);
  if (rule->take == TRAWL_RULE_ATTR)
    {
      json_builder_set_member_name (builder, "attr");
      json_builder_add_string_value (builder, rule->attr);
    }
  json_builder_set_member_name (builder, "all");
  json_builder_add_boolean_value (builder, rule->all);
  if (rule->urls != NULL)
    {
      json_builder_set_member_name (builder, "urls");
      json_builder_add_string_value (builder, rule->urls);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

typedef struct {
  TrawlRule           *rule;
  xmlXPathCompExprPtr  xpath;      /* CSS and XPath rules */
  GRegex              *regex;      /* regex rules */
  GRegex              *urls;       /* nullable */
  gboolean             container;  /* fields name it as their record */
} Compiled;

struct _TrawlExtractor
{
  GPtrArray *rules;   /* of owned Compiled* */
  char     **fields;  /* owned: the field names, in order, once each */
};

static void
compiled_free (Compiled *c)
{
  trawl_rule_free (c->rule);
  g_clear_pointer (&c->xpath, xmlXPathFreeCompExpr);
  g_clear_pointer (&c->regex, g_regex_unref);
  g_clear_pointer (&c->urls, g_regex_unref);
  g_free (c);
}

void
trawl_extractor_free (TrawlExtractor *extractor)
{
  if (extractor == NULL)
    return;
  g_ptr_array_unref (extractor->rules);
  g_strfreev (extractor->fields);
  g_free (extractor);
}

static void
collect_xml_error (void        *data,
                   xmlErrorPtr  error)
{
  GString *message = data;

  if (message->len == 0 && error != NULL && error->message != NULL)
    g_string_append (message, error->message);
}

static gboolean
compile_xpath (Compiled    *c,
               const char  *expr,
               const char  *spec,
               GError     **error)
{
  g_autoptr (GString) message = g_string_new (NULL);

  xmlSetStructuredErrorFunc (message, collect_xml_error);
  c->xpath = xmlXPathCompile ((const xmlChar *) expr);
  xmlSetStructuredErrorFunc (NULL, NULL);
  if (c->xpath == NULL)
    return set_error (error, _("The rule “%s” has an XPath expression that does not compile: %s"), spec,
                      message->len > 0 ? g_strstrip (message->str) : _("invalid expression"));
  return TRUE;
}

static Compiled *
find_rule (TrawlExtractor *extractor,
           const char     *record,
           const char     *name)
{
  for (guint i = 0; i < extractor->rules->len; i++)
    {
      Compiled *c = extractor->rules->pdata[i];

      if (g_strcmp0 (c->rule->record, record) == 0 && strcmp (c->rule->name, name) == 0)
        return c;
    }
  return NULL;
}

/**
 * trawl_extractor_new:
 * @specs: (array zero-terminated=1): rules, as trawl_rule_parse() reads them
 * @error: what is wrong with the first bad rule, as a sentence
 *
 * Returns: (transfer full) (nullable): the rules, checked and compiled
 */
TrawlExtractor *
trawl_extractor_new (const char *const  *specs,
                     GError            **error)
{
  g_autoptr (TrawlExtractor) extractor = g_new0 (TrawlExtractor, 1);
  g_autoptr (GPtrArray) fields = g_ptr_array_new ();

  extractor->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) compiled_free);
  xmlInitParser ();
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      Compiled *c;
      g_autoptr (GError) regex_error = NULL;
      TrawlRule *rule = trawl_rule_parse (specs[i], error);

      if (rule == NULL)
        return NULL;
      /* An export's first two columns. */
      if (strcmp (rule->name, "page") == 0 || strcmp (rule->name, "record") == 0)
        {
          set_error (error, _("The rule “%s” cannot be named “%s”, which exports use for the page and the record; "
                              "choose another name"), specs[i], rule->name);
          trawl_rule_free (rule);
          return NULL;
        }
      if (find_rule (extractor, rule->record, rule->name) != NULL)
        {
          set_error (error, _("Two rules are named “%s%s%s”"), rule->record ? rule->record : "",
                     rule->record ? "." : "", rule->name);
          trawl_rule_free (rule);
          return NULL;
        }
      c = g_new0 (Compiled, 1);
      c->rule = rule;
      g_ptr_array_add (extractor->rules, c);

      switch (rule->kind)
        {
        case TRAWL_RULE_CSS:
          {
            g_autofree char *xpath = trawl_css_to_xpath (rule->expr, rule->record != NULL, &regex_error);

            if (xpath == NULL)
              {
                set_error (error, _("%s, in the rule “%s”"), regex_error->message, specs[i]);
                return NULL;
              }
            if (!compile_xpath (c, xpath, specs[i], error))
              return NULL;
          }
          break;
        case TRAWL_RULE_XPATH:
          if (!compile_xpath (c, rule->expr, specs[i], error))
            return NULL;
          break;
        case TRAWL_RULE_REGEX:
          c->regex = g_regex_new (rule->expr, G_REGEX_OPTIMIZE, 0, &regex_error);
          if (c->regex == NULL)
            {
              set_error (error, _("The rule “%s” has a regular expression that does not compile: %s"),
                         specs[i], regex_error->message);
              return NULL;
            }
          break;
        default:
          g_assert_not_reached ();
        }
      if (rule->urls != NULL && (c->urls = g_regex_new (rule->urls, G_REGEX_OPTIMIZE, 0, &regex_error)) == NULL)
        {
          set_error (error, _("The rule “%s” has a URL pattern that does not compile: %s"),
                     specs[i], regex_error->message);
          return NULL;
        }
    }

  /* Records: each field's record is a rule of its own, the container. */
  for (guint i = 0; i < extractor->rules->len; i++)
    {
      Compiled *c = extractor->rules->pdata[i];
      Compiled *container;

      if (c->rule->record == NULL)
        continue;
      container = find_rule (extractor, NULL, c->rule->record);
      if (container == NULL)
        {
          set_error (error, _("The rule for “%s.%s” needs a rule named “%s” that finds each %s, "
                              "such as “%s = css:.%s”"), c->rule->record, c->rule->name, c->rule->record,
                     c->rule->record, c->rule->record, c->rule->record);
          return NULL;
        }
      if (container->rule->kind == TRAWL_RULE_REGEX)
        {
          set_error (error, _("The record “%s” is found by a regular expression; a record needs a CSS "
                              "selector or an XPath expression"), c->rule->record);
          return NULL;
        }
      container->container = TRUE;
    }
  for (guint i = 0; i < extractor->rules->len; i++)
    {
      Compiled *c = extractor->rules->pdata[i];

      if (!c->container && !g_ptr_array_find_with_equal_func (fields, c->rule->name, g_str_equal, NULL))
        g_ptr_array_add (fields, g_strdup (c->rule->name));
    }
  g_ptr_array_add (fields, NULL);
  extractor->fields = (char **) g_ptr_array_free (g_steal_pointer (&fields), FALSE);
  return g_steal_pointer (&extractor);
}

/**
 * trawl_extract_job_fields:
 * @job_text: (nullable): a job, as a crawl file keeps it
 *
 * Returns: (transfer full) (nullable): the names of the fields the job's
 *   rules give, or %NULL when it has none (or cannot be read)
 */
char **
trawl_extract_job_fields (const char *job_text)
{
  g_autoptr (TrawlJob) job = job_text != NULL ? trawl_job_load_data (job_text, NULL) : NULL;
  g_autoptr (TrawlExtractor) extractor = NULL;

  if (job == NULL || job->extract == NULL || job->extract[0] == NULL)
    return NULL;
  extractor = trawl_extractor_new ((const char *const *) job->extract, NULL);
  return extractor != NULL ? g_strdupv (extractor->fields) : NULL;
}

/**
 * trawl_extractor_get_fields:
 * @extractor: the rules
 *
 * Returns: (transfer none): the names of the fields items can have, in
 *   the order of the rules
 */
char **
trawl_extractor_get_fields (TrawlExtractor *extractor)
{
  return extractor->fields;
}

/* @text as valid UTF-8, with white space collapsed if asked, cut to at
 * most MAX_VALUE_BYTES between two characters. */
static char *
clean_value (const char *text,
             gssize      length,
             gboolean    collapse)
{
  gsize len = length < 0 ? strlen (text) : (gsize) length;
  g_autofree char *valid = NULL;
  char *out, *o;
  gboolean space = FALSE;

  /* libxml2 keeps bytes it could not decode in some recoveries. */
  if (!g_utf8_validate_len (text, len, NULL))
    {
      text = valid = g_utf8_make_valid (text, len);
      len = strlen (valid);
    }
  out = o = g_malloc (len + 1);

  for (gsize i = 0; i < len && text[i] != '\0'; i++)
    {
      if (collapse && g_ascii_isspace (text[i]))
        {
          space = o > out;
          continue;
        }
      if (space)
        *o++ = ' ';
      space = FALSE;
      *o++ = text[i];
    }
  if (o - out > MAX_VALUE_BYTES)
    o = (char *) g_utf8_find_prev_char (out, out + MAX_VALUE_BYTES + 1);
  *o = '\0';
  return out;
}

static char *
node_html (xmlNodePtr node,
           gboolean   inner)
{
  xmlBufferPtr buffer = xmlBufferCreate ();
  char *html;

  if (!inner)
    htmlNodeDump (buffer, node->doc, node);
  else
    for (xmlNodePtr child = node->children; child != NULL; child = child->next)
      htmlNodeDump (buffer, node->doc, child);
  html = clean_value ((const char *) xmlBufferContent (buffer), xmlBufferLength (buffer), FALSE);
  xmlBufferFree (buffer);
  return html;
}

/* The text of @node when a single text node holds all of it, as it does
 * for most attributes and headings, read in place; else NULL. */
static const xmlChar *
single_text (xmlNodePtr node)
{
  xmlNodePtr child = node->children;

  if (child != NULL && child->next == NULL && child->type == XML_TEXT_NODE)
    return child->content;
  return NULL;
}

/* What a rule takes from a node it matched; NULL for nothing.  White
 * space is collapsed in what comes from an element, attributes taken
 * from it included. */
static char *
node_value (xmlNodePtr       node,
            const TrawlRule *rule)
{
  gboolean collapse = node->type == XML_ELEMENT_NODE;
  const xmlChar *text;
  xmlChar *content;
  char *value;

  if (node->type == XML_ELEMENT_NODE && rule->take == TRAWL_RULE_ATTR)
    {
      if ((node = (xmlNodePtr) xmlHasProp (node, (const xmlChar *) rule->attr)) == NULL)
        return NULL;
    }
  else if (node->type == XML_ELEMENT_NODE && rule->take == TRAWL_RULE_HTML)
    return node_html (node, TRUE);

  if ((node->type == XML_ELEMENT_NODE || node->type == XML_ATTRIBUTE_NODE) &&
      (text = single_text (node)) != NULL)
    return clean_value ((const char *) text, -1, collapse);
  if ((content = xmlNodeGetContent (node)) == NULL)
    return NULL;
  value = clean_value ((const char *) content, -1, collapse);
  xmlFree (content);
  return value;
}

/* Where a value was found: the node it was taken from, or for a regex
 * its bytes in the source. */
typedef struct {
  xmlNodePtr node;
  int        start;
  int        end;
} Place;

static void
add_place (GArray     *places,
           xmlNodePtr  node,
           int         start,
           int         end)
{
  Place place = { node, start, end };

  if (places != NULL)
    g_array_append_val (places, place);
}

/* Every value (or the first) @c finds in @node, or for a regex in the
 * @source_len bytes of @source (-1: up to its NUL); @places, if given,
 * gets where each was found. */
static GPtrArray *
find_values (Compiled           *c,
             xmlXPathContextPtr  context,
             xmlNodePtr          node,
             const char         *source,
             gssize              source_len,
             GArray             *places)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  guint limit = c->rule->all ? MAX_MATCHES : 1;

  if (c->regex != NULL)
    {
      g_autoptr (GMatchInfo) match = NULL;
      int group = g_regex_get_capture_count (c->regex) > 0 ? 1 : 0;

      g_regex_match_full (c->regex, source, source_len, 0, 0, &match, NULL);
      while (g_match_info_matches (match) && values->len < limit)
        {
          int start, end;

          if (g_match_info_fetch_pos (match, group, &start, &end) && start >= 0)
            {
              g_ptr_array_add (values, clean_value (source + start, end - start, FALSE));
              add_place (places, NULL, start, end);
            }
          if (!g_match_info_next (match, NULL))
            break;
        }
      return values;
    }

  {
    xmlXPathObjectPtr result;

    context->node = node;
    result = xmlXPathCompiledEval (c->xpath, context);
    if (result == NULL)
      return values;
    switch (result->type)
      {
      case XPATH_NODESET:
        for (int i = 0; result->nodesetval != NULL && i < result->nodesetval->nodeNr && values->len < limit; i++)
          {
            char *value = node_value (result->nodesetval->nodeTab[i], c->rule);

            if (value != NULL)
              {
                g_ptr_array_add (values, value);
                add_place (places, result->nodesetval->nodeTab[i], -1, -1);
              }
          }
        break;
      case XPATH_STRING:
        g_ptr_array_add (values, clean_value ((const char *) result->stringval, -1, FALSE));
        add_place (places, NULL, -1, -1);
        break;
      case XPATH_NUMBER:
        if (result->floatval == (double) (gint64) result->floatval)
          g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) result->floatval));
        else
          {
            char number[G_ASCII_DTOSTR_BUF_SIZE];

            g_ptr_array_add (values, g_strdup (g_ascii_dtostr (number, sizeof number, result->floatval)));
          }
        add_place (places, NULL, -1, -1);
        break;
      case XPATH_BOOLEAN:
        g_ptr_array_add (values, g_strdup (result->boolval ? "true" : "false"));
        add_place (places, NULL, -1, -1);
        break;
      default:
        break;
      }
    xmlXPathFreeObject (result);
  }
  return values;
}

/* Adds @c's field to @object, a JSON object being written (its "{" and
 * any fields before); returns how many values it found. */
static guint
add_field (GString            *object,
           Compiled           *c,
           xmlXPathContextPtr  context,
           xmlNodePtr          node,
           const char         *source,
           gssize              source_len)
{
  g_autoptr (GPtrArray) values = find_values (c, context, node, source, source_len, NULL);

  if (values->len == 0)
    return 0;
  if (object->len > 1)
    g_string_append_c (object, ',');
  trawl_json_append_string (object, c->rule->name);
  g_string_append_c (object, ':');
  if (!c->rule->all)
    trawl_json_append_string (object, values->pdata[0]);
  else
    {
      g_string_append_c (object, '[');
      for (guint i = 0; i < values->len; i++)
        {
          if (i > 0)
            g_string_append_c (object, ',');
          trawl_json_append_string (object, values->pdata[i]);
        }
      g_string_append_c (object, ']');
    }
  return values->len;
}

static void
add_item (GPtrArray  *items,
          const char *record,
          GString    *object)
{
  TrawlItem *item = g_new0 (TrawlItem, 1);

  g_string_append_c (object, '}');
  item->record = g_strdup (record);
  item->data = g_strdup (object->str);
  g_ptr_array_add (items, item);
}

static gboolean
applies_to (Compiled   *c,
            const char *url)
{
  return c->urls == NULL || g_regex_match (c->urls, url, 0, NULL);
}

/**
 * trawl_extract_page_source:
 * @body: a page as fetched
 * @length: its length in bytes
 * @charset: (nullable): its character set, as the link parser found it
 *
 * Returns: (transfer full): the text regex rules run on: the page's
 *   source as valid UTF-8
 */
char *
trawl_extract_page_source (const char *body,
                           gsize       length,
                           const char *charset)
{
  if (charset != NULL && g_ascii_strcasecmp (charset, "UTF-8") != 0)
    {
      char *converted = g_convert_with_fallback (body, length, "UTF-8", charset, "\357\277\275", NULL, NULL, NULL);

      if (converted != NULL)
        return converted;
    }
  return g_utf8_make_valid (body, length);
}

/* Each parser thread evaluates its pages' rules in a context of its own,
 * kept from page to page: a new one registers every XPath function anew,
 * and an old one has its cache of XPath objects warm.  libxml2 2.9 makes
 * contexts without that cache: with it, the predicates of a translated
 * CSS selector ("a[ancestor::li]") reuse node sets rather than allocate
 * and free one for every element they test. */
static GPrivate xpath_context = G_PRIVATE_INIT ((GDestroyNotify) xmlXPathFreeContext);

static xmlXPathContextPtr
thread_context (htmlDocPtr doc)
{
  xmlXPathContextPtr context = g_private_get (&xpath_context);

  if (context == NULL)
    {
      context = xmlXPathNewContext (NULL);
      if (context == NULL || xmlXPathContextSetCache (context, 1, -1, 0) != 0)
        g_error ("libxml2 could not allocate an XPath context");
      g_private_set (&xpath_context, context);
    }
  context->doc = doc;
  return context;
}

/**
 * trawl_extractor_run:
 * @extractor: the rules
 * @parsed: the page as trawl_parse_html_document() parsed it, with its DOM
 * @body: the page, for regex rules
 * @length: its length in bytes
 * @url: its address, for rules that apply only to some
 *
 * Thread-safe.
 *
 * Returns: (transfer full) (element-type TrawlItem): the page's fields as
 *   one item (if any matched), then one item per match of each record
 */
GPtrArray *
trawl_extractor_run (TrawlExtractor         *extractor,
                     const TrawlParseResult *parsed,
                     const char             *body,
                     gsize                   length,
                     const char             *url)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_item_free);
  g_autofree char *converted = NULL;
  const char *source = NULL;
  gssize source_len = -1;
  g_autoptr (GString) page = g_string_new ("{");
  htmlDocPtr doc = parsed->document;
  xmlXPathContextPtr context;
  guint found = 0;

  if (doc == NULL)
    return items;
  context = thread_context (doc);

  for (guint i = 0; i < extractor->rules->len; i++)
    {
      Compiled *c = extractor->rules->pdata[i];

      if (c->container || c->rule->record != NULL || !applies_to (c, url))
        continue;
      /* Most pages are valid UTF-8 already, which regexes read in place. */
      if (c->regex != NULL && source == NULL && parsed->utf8)
        source = body, source_len = length;
      else if (c->regex != NULL && source == NULL)
        source = converted = trawl_extract_page_source (body, length, parsed->charset);
      found += add_field (page, c, context, (xmlNodePtr) doc, source, source_len);
    }
  if (found > 0)
    add_item (items, NULL, page);

  for (guint i = 0; i < extractor->rules->len; i++)
    {
      Compiled *container = extractor->rules->pdata[i];
      xmlXPathObjectPtr matches;

      if (!container->container || !applies_to (container, url))
        continue;
      context->node = (xmlNodePtr) doc;
      matches = xmlXPathCompiledEval (container->xpath, context);
      for (int m = 0; matches != NULL && matches->type == XPATH_NODESET && matches->nodesetval != NULL &&
                      m < matches->nodesetval->nodeNr && items->len < MAX_ITEMS; m++)
        {
          xmlNodePtr node = matches->nodesetval->nodeTab[m];
          g_autoptr (GString) record = g_string_new ("{");
          g_autofree char *outer = NULL;

          found = 0;
          for (guint f = 0; f < extractor->rules->len; f++)
            {
              Compiled *c = extractor->rules->pdata[f];

              if (g_strcmp0 (c->rule->record, container->rule->name) != 0 || !applies_to (c, url))
                continue;
              if (c->regex != NULL && outer == NULL)
                outer = node_html (node, FALSE);
              found += add_field (record, c, context, node, outer, -1);
            }
          if (found > 0)
            add_item (items, container->rule->name, record);
        }
      if (matches != NULL)
        xmlXPathFreeObject (matches);
    }

  context->doc = NULL;
  context->node = NULL;
  return items;
}

void
trawl_extract_match_free (TrawlExtractMatch *match)
{
  if (match == NULL)
    return;
  g_free (match->field);
  g_free (match->value);
  g_free (match);
}

/**
 * trawl_extractor_find:
 * @extractor: the rules
 * @document: the page's DOM, as for trawl_extractor_run()
 * @source: the page's text from trawl_extract_page_source()
 * @url: its address
 *
 * Finds what the page's own fields (not records) take, one match per
 * value, with where each came from: for trying rules out.  Thread-safe.
 *
 * Returns: (transfer full) (element-type TrawlExtractMatch): the matches,
 *   rule by rule, in the order found
 */
GPtrArray *
trawl_extractor_find (TrawlExtractor *extractor,
                      gpointer        document,
                      const char     *source,
                      const char     *url)
{
  GPtrArray *matches = g_ptr_array_new_with_free_func ((GDestroyNotify) trawl_extract_match_free);
  g_autoptr (GArray) places = g_array_new (FALSE, FALSE, sizeof (Place));
  xmlXPathContextPtr context;

  g_return_val_if_fail (extractor != NULL, matches);
  if (document == NULL)
    return matches;
  context = xmlXPathNewContext (document);
  for (guint i = 0; i < extractor->rules->len; i++)
    {
      Compiled *c = extractor->rules->pdata[i];
      g_autoptr (GPtrArray) values = NULL;

      if (c->container || c->rule->record != NULL || !applies_to (c, url))
        continue;
      g_array_set_size (places, 0);
      values = find_values (c, context, document, source, -1, places);
      for (guint v = 0; v < values->len; v++)
        {
          TrawlExtractMatch *match = g_new0 (TrawlExtractMatch, 1);
          Place *place = &g_array_index (places, Place, v);

          match->field = g_strdup (c->rule->name);
          match->value = g_strdup (values->pdata[v]);
          match->node = place->node;
          match->start = place->start;
          match->end = place->end;
          g_ptr_array_add (matches, match);
        }
    }
  xmlXPathFreeContext (context);
  return matches;
}
