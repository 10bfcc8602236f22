/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rule-page.c — where in a page's source a rule's matches lie, for
 * the rule tester's highlighting. */
#include "config.h"

#include "test-helpers.h"
#include "trawl-rule-page.h"

#include <string.h>

#define SHOP_URL "https://shop.example/garden/"

static TrawlRulePage *
page_of (const char *html,
         const char *content_type)
{
  TrawlStoredPage stored = { 0 };
  TrawlRulePage *page;

  stored.url = (char *) SHOP_URL;
  stored.status = 200;
  stored.content_type_header = (char *) content_type;
  stored.body = g_bytes_new (html, strlen (html));
  page = trawl_rule_page_new (&stored);
  g_bytes_unref (stored.body);
  return page;
}

static TrawlRulePage *
shop_page (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TRAWL_TESTDATA"), "extract", "shop.html", NULL);
  g_autofree char *html = NULL;

  g_assert_true (g_file_get_contents (path, &html, NULL, NULL));
  return page_of (html, "text/html; charset=utf-8");
}

/* The source a match covers. */
static char *
covered (TrawlRulePage  *page,
         TrawlRuleMatch *match)
{
  g_assert_cmpint (match->start, >=, 0);
  g_assert_cmpint (match->end, >=, match->start);
  return g_strndup (trawl_rule_page_get_source (page) + match->start, match->end - match->start);
}

static GPtrArray *
test_rule (TrawlRulePage *page,
           const char    *rule)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *matches = trawl_rule_page_test (page, rule, &error);

  g_assert_no_error (error);
  return matches;
}

/* Every element of the shop page is found at its own start tag: its
 * data-t attribute's value is where the match of it says. */
static void
test_every_element (void)
{
  g_autoptr (TrawlRulePage) page = shop_page ();
  g_autoptr (GPtrArray) matches = test_rule (page, "t[] = css:[data-t]::attr(data-t)");

  g_assert_cmpuint (matches->len, ==, 54);
  for (guint i = 0; i < matches->len; i++)
    {
      TrawlRuleMatch *match = matches->pdata[i];
      g_autofree char *text = covered (page, match);

      g_assert_cmpstr (text, ==, match->value);
    }
}

static void
test_elements (void)
{
  g_autoptr (TrawlRulePage) page = shop_page ();
  g_autoptr (GPtrArray) h1 = test_rule (page, "h = css:h1");
  g_autoptr (GPtrArray) products = test_rule (page, "p[] = css:li.product h2");
  g_autoptr (GPtrArray) inner = test_rule (page, "p = css:p.intro::html");
  g_autoptr (GPtrArray) text = test_rule (page, "t[] = xpath://td/text()");
  g_autoptr (GPtrArray) attr = test_rule (page, "a[] = xpath://img/@src");
  g_autoptr (GPtrArray) count = test_rule (page, "n = xpath:count(//li)");
  g_autoptr (GPtrArray) none = test_rule (page, "x = css:blink");
  g_autofree char *s = NULL;

  g_assert_cmpuint (h1->len, ==, 1);
  g_assert_cmpstr (((TrawlRuleMatch *) h1->pdata[0])->value, ==, "Garden tools");
  s = covered (page, h1->pdata[0]);
  g_assert_cmpstr (s, ==, "<h1 data-t=\"h1\">Garden   tools</h1>");
  g_clear_pointer (&s, g_free);

  /* Not the <li class='product'> in the script. */
  g_assert_cmpuint (products->len, ==, 3);
  s = covered (page, products->pdata[2]);
  g_assert_cmpstr (s, ==, "<h2 data-t=\"p3-name\"><a href=\"/p/hoe\" data-t=\"p3-link\">Dutch hoe</a></h2>");
  g_clear_pointer (&s, g_free);

  s = covered (page, inner->pdata[0]);
  g_assert_true (g_str_has_prefix (s, "Everything for the <em"));
  g_assert_true (g_str_has_suffix (s, "</b>."));
  g_clear_pointer (&s, g_free);

  g_assert_cmpuint (text->len, ==, 7);
  s = covered (page, text->pdata[0]);
  g_assert_cmpstr (s, ==, "Spade");
  g_clear_pointer (&s, g_free);

  g_assert_cmpuint (attr->len, ==, 2);
  s = covered (page, attr->pdata[1]);
  g_assert_cmpstr (s, ==, "/img/rake.jpg");
  g_clear_pointer (&s, g_free);

  /* A number has no place. */
  g_assert_cmpuint (count->len, ==, 1);
  g_assert_cmpstr (((TrawlRuleMatch *) count->pdata[0])->value, ==, "7");
  g_assert_cmpint (((TrawlRuleMatch *) count->pdata[0])->start, ==, -1);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Regex matches are their own bytes, in the page as UTF-8 even when it
 * came in another charset. */
static void
test_regex_and_charset (void)
{
  g_autoptr (TrawlRulePage) page = page_of ("<p>caf\xe9 SKU-12</p>\n<p>SKU-7</p>", "text/html; charset=iso-8859-1");
  g_autoptr (GPtrArray) skus = test_rule (page, "s[] = regex:SKU-(\\d+)");
  g_autoptr (GPtrArray) words = test_rule (page, "w = regex:caf.");
  g_autofree char *s = NULL;

  g_assert_cmpuint (skus->len, ==, 2);
  s = covered (page, skus->pdata[1]);
  g_assert_cmpstr (s, ==, "7");
  g_clear_pointer (&s, g_free);
  s = covered (page, words->pdata[0]);
  g_assert_cmpstr (s, ==, "café");
}

/* Unclosed elements, tags over several lines, elements libxml2 makes up. */
static void
test_markup_left_out (void)
{
  g_autoptr (TrawlRulePage) page = page_of ("<ul>\n<li class=a\n  id=x>one<li>two</li><li>three\n</ul>\n"
                                            "<table><tr><td>cell</td></tr></table>\n<p>end", "text/html");
  g_autoptr (GPtrArray) items = test_rule (page, "li[] = css:li");
  g_autoptr (GPtrArray) body = test_rule (page, "b = css:body");
  g_autoptr (GPtrArray) cell = test_rule (page, "c = css:td");
  g_autoptr (GPtrArray) end = test_rule (page, "e = css:p");
  const char *expected[] = { "<li class=a\n  id=x>one", "<li>two</li>", "<li>three" };
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (items->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *s = covered (page, items->pdata[i]);

      g_assert_cmpstr (s, ==, expected[i]);
    }
  /* There is no <body> in the source to show. */
  g_assert_cmpuint (body->len, ==, 1);
  g_assert_cmpint (((TrawlRuleMatch *) body->pdata[0])->start, ==, -1);
  {
    g_autofree char *s = covered (page, cell->pdata[0]);

    g_assert_cmpstr (s, ==, "<td>cell</td>");
  }
  {
    g_autofree char *s = covered (page, end->pdata[0]);

    g_assert_cmpstr (s, ==, "<p>end");
  }

  /* A bad rule: the sentence a crawl gives. */
  g_assert_null (trawl_rule_page_test (page, "x = css:li:hover", &error));
  g_assert_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "uses :hover, which is not supported"));
}

int
main (int    argc,
      char **argv)
{
  test_init (&argc, &argv);

  g_test_add_func ("/rule-page/every-element", test_every_element);
  g_test_add_func ("/rule-page/elements", test_elements);
  g_test_add_func ("/rule-page/regex-and-charset", test_regex_and_charset);
  g_test_add_func ("/rule-page/markup-left-out", test_markup_left_out);

  return g_test_run ();
}
