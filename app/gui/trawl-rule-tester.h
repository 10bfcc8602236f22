/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-rule-tester.h — try an extraction rule on one page of a crawl. */
#pragma once

#include <adwaita.h>

#include "trawl-job.h"

G_BEGIN_DECLS

#define TRAWL_TYPE_RULE_TESTER (trawl_rule_tester_get_type ())
G_DECLARE_FINAL_TYPE (TrawlRuleTester, trawl_rule_tester, TRAWL, RULE_TESTER, AdwWindow)

TrawlRuleTester *trawl_rule_tester_new      (GtkWindow       *parent,
                                             const char      *crawl_path,
                                             const TrawlJob  *job);
void             trawl_rule_tester_open_url (TrawlRuleTester *self,
                                             const char      *url);
void             trawl_rule_tester_set_rule (TrawlRuleTester *self,
                                             const char      *rule);
gboolean         trawl_rule_tester_is_busy  (TrawlRuleTester *self);

G_END_DECLS
