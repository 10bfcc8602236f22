/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-rule-page.h — one page made ready for trying extraction rules on
 * it: parsed as a crawl parses it, with where in its source each match
 * lies, for the rule tester. */
#pragma once

#include <glib.h>

#include "trawl-rerun.h"

G_BEGIN_DECLS

typedef struct _TrawlRulePage TrawlRulePage;

/* What a rule took, and the bytes [start, end) of the page's source it
 * came from; -1 and -1 when that cannot be said (a count, a string). */
typedef struct {
  char  *value;  /* owned */
  gssize start;
  gssize end;
} TrawlRuleMatch;

void            trawl_rule_match_free      (TrawlRuleMatch        *match);

TrawlRulePage  *trawl_rule_page_new        (const TrawlStoredPage *page);
TrawlRulePage  *trawl_rule_page_ref        (TrawlRulePage         *self);
void            trawl_rule_page_unref      (TrawlRulePage         *self);
const char     *trawl_rule_page_get_url    (TrawlRulePage         *self);
const char     *trawl_rule_page_get_source (TrawlRulePage         *self);
GPtrArray      *trawl_rule_page_test       (TrawlRulePage         *self,
                                            const char            *rule,
                                            GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlRulePage, trawl_rule_page_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlRuleMatch, trawl_rule_match_free)

G_END_DECLS
