/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-extract.h — extraction rules: named fields taken from pages by
 * XPath, CSS selector or regex, alone or as records.
 *
 * A rule is written as one line, in the job file and on the command line:
 *
 *   price = css:.product .price              the text of the first match
 *   tags[] = css:.tag                        the text of every match
 *   image = css:img.main::attr(src)          an attribute
 *   body = css:article::html                 the inner HTML
 *   heading = xpath://h1                     XPath (a node's text, an
 *   count = xpath:count(//li)                attribute's value, or a result)
 *   sku = regex:SKU-(\d+)                    the first group, else the match
 *   product = css:li.product                 a record: one item per match,
 *   product.name = css:h2                    with fields found within it
 *
 * or, for what the short form cannot say (only on some URLs, XPath taking
 * inner HTML), as a JSON object:
 *
 *   {"name": "price", "css": ".price", "take": "text", "all": false, "urls": "/product/"}
 *
 * Runs in the parser pool: an extractor is immutable once made.
 */
#pragma once

#include <glib.h>

#include "trawl-parser.h"

G_BEGIN_DECLS

typedef enum {
  TRAWL_RULE_CSS,
  TRAWL_RULE_XPATH,
  TRAWL_RULE_REGEX,
} TrawlRuleKind;

typedef enum {
  TRAWL_RULE_TEXT,   /* text content, white space collapsed */
  TRAWL_RULE_HTML,   /* inner HTML */
  TRAWL_RULE_ATTR,   /* an attribute's value */
} TrawlRuleTake;

typedef struct {
  char          *name;    /* the field, or the record of a container rule */
  char          *record;  /* nullable: the record this field belongs to */
  TrawlRuleKind  kind;
  char          *expr;    /* the selector, XPath expression or regex */
  TrawlRuleTake  take;
  char          *attr;    /* for TRAWL_RULE_ATTR */
  gboolean       all;     /* every match, as a list, rather than the first */
  char          *urls;    /* nullable: a regex the page URL must match */
} TrawlRule;

TrawlRule *trawl_rule_parse     (const char       *spec,
                                 GError          **error);
char      *trawl_rule_to_string (const TrawlRule  *rule);
void       trawl_rule_free      (TrawlRule        *rule);

/* One item: the fields of a page, or of one match of a record. */
typedef struct {
  char *record;  /* owned, nullable: NULL for the page's own fields */
  char *data;    /* owned: a JSON object, field name → string or list */
} TrawlItem;

void       trawl_item_free      (TrawlItem        *item);

typedef struct _TrawlExtractor TrawlExtractor;

TrawlExtractor *trawl_extractor_new        (const char *const *specs,
                                            GError           **error);
void            trawl_extractor_free       (TrawlExtractor    *extractor);
GPtrArray      *trawl_extractor_run        (TrawlExtractor         *extractor,
                                            const TrawlParseResult *parsed,
                                            const char             *body,
                                            gsize                   length,
                                            const char             *url);
char          **trawl_extractor_get_fields (TrawlExtractor    *extractor);
char           *trawl_extract_page_source  (const char        *body,
                                            gsize              length,
                                            const char        *charset);

/* A value a rule took, and where from: a node of the DOM, or for a regex
 * the bytes [start, end) of the page's source. */
typedef struct {
  char     *field;  /* owned */
  char     *value;  /* owned */
  gpointer  node;   /* nullable: an xmlNodePtr of the document */
  int       start;  /* -1 unless a regex matched */
  int       end;
} TrawlExtractMatch;

void            trawl_extract_match_free   (TrawlExtractMatch *match);
GPtrArray      *trawl_extractor_find       (TrawlExtractor    *extractor,
                                            gpointer           document,
                                            const char        *source,
                                            const char        *url);
char          **trawl_extract_job_fields   (const char        *job_text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlRule, trawl_rule_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlExtractor, trawl_extractor_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlExtractMatch, trawl_extract_match_free)

G_END_DECLS
