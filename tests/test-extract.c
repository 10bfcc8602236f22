/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-extract.c — extraction rules and the CSS selectors they use. */
#include "config.h"

#include "trawl-css.h"
#include "trawl-extract.h"
#include "trawl-parser.h"
#include "test-helpers.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define SHOP_URL "https://shop.example/garden/"

static char *shop_html;
static gsize shop_length;

/* Runs @specs over the shop page. */
static GPtrArray *
run_on (const char *const *specs,
        const char        *html,
        gsize              length,
        const char        *url)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlExtractor) extractor = trawl_extractor_new (specs, &error);
  g_autoptr (TrawlParseResult) parsed = NULL;

  g_assert_no_error (error);
  /* As a crawl does: the link parser's pass builds the DOM. */
  parsed = trawl_parse_html_document (html, length, url, "text/html; charset=utf-8", NULL);
  return trawl_extractor_run (extractor, parsed, html, length, url);
}

static JsonObject *
item_object (GPtrArray *items,
             guint      i)
{
  JsonParser *parser = json_parser_new ();
  JsonObject *object;

  g_assert_cmpuint (i, <, items->len);
  g_assert_true (json_parser_load_from_data (parser, ((TrawlItem *) items->pdata[i])->data, -1, NULL));
  object = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  g_object_unref (parser);
  return object;
}

/* The data-t labels of what @selector matches in the shop page, in
 * document order, space-separated. */
static char *
matches (const char *selector)
{
  g_autofree char *spec = g_strdup_printf ("t[] = css:%s::attr(data-t)", selector);
  const char *specs[] = { spec, NULL };
  g_autoptr (GPtrArray) items = run_on (specs, shop_html, shop_length, SHOP_URL);
  g_autoptr (JsonObject) object = NULL;
  g_autoptr (GString) labels = g_string_new (NULL);
  JsonArray *array;

  if (items->len == 0)
    return g_strdup ("");
  object = item_object (items, 0);
  array = json_object_get_array_member (object, "t");
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (labels, "%s%s", i > 0 ? " " : "", json_array_get_string_element (array, i));
  return g_string_free (g_steal_pointer (&labels), FALSE);
}

typedef struct {
  const char *selector;
  const char *expected;
} CssCase;

static void
test_css_matches (void)
{
  static const CssCase cases[] = {
    /* Types, classes (one of several words), ids. */
    { "li.product", "p1 p2 p3" },  /* not "products-footer", not the one in the script */
    { ".product.sale", "p1" },
    { "body.listing", "body" },
    { "#list > li:first-child", "p1" },
    { "#list > li:last-child", "pf" },
    { "UL.menu > LI.active A", "a-garden" },  /* element names ignore case */
    { "*:root", "html" },
    { ":root", "html" },
    /* Combinators. */
    { "li.product h2 a", "p1-link p2-link p3-link" },
    { "h2 + span", "p1-price p2-price p3-price" },
    { "span.was + img", "p1-img" },
    { "h2 + img", "" },
    { "span.price ~ img", "p1-img p2-img" },
    { "nav > ul:only-child", "menu" },
    { "p > em, p > b", "em b" },
    { "header a, footer p:first-child", "a-home a-garden a-tools f1" },
    /* Attributes, with every operator. */
    { "img[alt]", "p1-img p2-img" },
    { "img[alt=\"\"]", "p2-img" },
    { "li[data-sku='RK-200']", "p2" },
    { "li[data-sku=RK-200]", "p2" },
    { "a[href^=\"/p/\"]", "p1-link p2-link p3-link" },
    { "a[href$=rake]", "p2-link" },
    { "a[href*=\"sort=price\"]", "a-tools" },
    { "[class~=lead]", "intro" },
    { "[class~=\"\"]", "" },
    { "[lang|=fr]", "f2 f3" },
    { "[lang|=en]", "html" },
    { "td[title='Fork \"Gardener\\'s\"']", "r5a" },
    { "[DATA-SKU^=HO]", "p3" },  /* attribute names ignore case */
    /* Structural pseudo-classes. */
    { "ul.products > li:nth-child(2)", "p2" },
    { "tr:nth-child(odd)", "r1 r3 r5" },
    { "tr:nth-child(even)", "r2 r4" },
    { "tr:nth-child(2n+3)", "r3 r5" },
    { "tr:nth-child( -n + 2 )", "r1 r2" },
    { "tr:nth-child(n)", "r1 r2 r3 r4 r5" },
    { "tr:nth-last-child(1)", "r5" },
    { "tr:nth-last-child(2n)", "r2 r4" },
    { "td:empty", "r5b" },
    { "li:not(.product)", "m1 m2 m3 pf" },
    { "#list li.product > span.price:not(.was)", "p1-price p2-price p3-price" },
    { "li:not([data-sku])", "m1 m2 m3 pf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *found = matches (cases[i].selector);

      g_test_message ("%s → %s", cases[i].selector, found);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
}

typedef struct {
  const char *selector;
  const char *message;
} CssError;

static void
test_css_errors (void)
{
  static const CssError cases[] = {
    { "a:hover", "uses :hover, which is not supported" },
    { "p::before", "has a pseudo-element" },
    { "a[href", "needs a “]” to close the attribute test (at character 7)" },
    { "a[href=\"x", "has a string that never ends" },
    { "a[href!=x]", "not one of =, ~=, |=, ^=, $=, *=" },
    { "div >", "ends where a selector is expected" },
    { "div, ", "ends where a selector is expected" },
    { "", "is empty" },
    { "li:nth-child(x)", "has “x” where :nth-child() takes odd, even, a number or an+b" },
    { "li:nth-child(2", "needs a “)”" },
    { "svg|rect", "uses a namespace" },
    { "li:not(:not(a))", ":not() inside :not()" },
    { "li:not(a b)", "the one compound selector it takes" },
    { "a[href=x i]", "attribute flag" },
    { "div ) p", "has “)” where a selector is expected (at character 5)" },
    { "div)", "has “)” where a combinator or the end is expected" },
    /* Found by fuzzing: names that are none went into the XPath as
     * they were, which libxml2 refused or read as more steps. */
    { "\\31 23", "has “31”, which cannot be the name of an element (at character 1)" },
    { "a\\[x\\]\\/\\/script", "cannot be the name of an element" },
    { "[1=x]", "has “1”, which cannot be the name of an attribute (at character 2)" },
    { "[on\\)\\(x]", "cannot be the name of an attribute" },
    /* …and characters XML cannot hold went into string literals. */
    { "a[href^=\"/x\x1b\"]", "has the character U+001B, which no page can hold (at character 12)" },
    { "a[title=\"\xef\xbf\xbe\"]", "has the character U+FFFE" },
    { "a[title=\"\xff\"]", "is not valid UTF-8" },
    /* …and a message quoted half a character. */
    { "[lang|=en]\xc3\xa9", "has “\xc3\xa9” where a combinator or the end is expected" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *xpath = trawl_css_to_xpath (cases[i].selector, FALSE, &error);
      /* The TAP reader takes only UTF-8 lines. */
      g_autofree char *shown = g_strescape (cases[i].selector, NULL);

      g_test_message ("%s: %s", shown, error ? error->message : "(no error)");
      g_assert_null (xpath);
      g_assert_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* Rules read back as they were written, in either form. */
static void
test_rule_forms (void)
{
  static const char *const specs[] = {
    "price = css:.product .price",
    "tags[] = css:.tag",
    "image = css:img.main::attr(src)",
    "body = css:article::html",
    "heading = xpath://h1",
    "sku = regex:SKU-(\\d+)",
    "product = css:li.product",
    "product.name = css:h2",
    "{\"name\":\"p\",\"xpath\":\"//p\",\"take\":\"html\",\"all\":true}",
    "{\"name\":\"price\",\"css\":\".price\",\"take\":\"text\",\"all\":false,\"urls\":\"/product/\"}",
    "{\"name\":\"x\",\"css\":\"a::text\",\"take\":\"text\",\"all\":false}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TrawlRule) rule = trawl_rule_parse (specs[i], &error);
      g_autoptr (TrawlRule) again = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = trawl_rule_to_string (rule);
      g_test_message ("%s → %s", specs[i], text);
      again = trawl_rule_parse (text, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (again->name, ==, rule->name);
      g_assert_cmpstr (again->record, ==, rule->record);
      g_assert_cmpint (again->kind, ==, rule->kind);
      g_assert_cmpstr (again->expr, ==, rule->expr);
      g_assert_cmpint (again->take, ==, rule->take);
      g_assert_cmpint (again->all, ==, rule->all);
      g_assert_cmpstr (again->urls, ==, rule->urls);
    }

  {
    g_autoptr (TrawlRule) rule = trawl_rule_parse ("  links[] = CSS: a.x::attr( href ) ", NULL);

    g_assert_nonnull (rule);
    g_assert_true (rule->all);
    g_assert_cmpint (rule->kind, ==, TRAWL_RULE_CSS);
    g_assert_cmpstr (rule->expr, ==, "a.x");
    g_assert_cmpint (rule->take, ==, TRAWL_RULE_ATTR);
    g_assert_cmpstr (rule->attr, ==, "href");
  }
}

typedef struct {
  const char *specs[4];
  const char *message;
} RuleError;

static void
test_rule_errors (void)
{
  static const RuleError cases[] = {
    { { "price", NULL }, "needs a name, “=” and what to match" },
    { { "= css:a", NULL }, "has a name that is not a word" },
    { { "my price = css:a", NULL }, "has a name that is not a word" },
    { { "price = .price", NULL }, "needs css:, xpath: or regex: before what it matches" },
    { { "price = css:", NULL }, "has nothing to match after “css:”" },
    { { "price = css:a::content", NULL }, "a CSS rule can end in ::text, ::html or ::attr(name)" },
    { { "price = css:a:hover", NULL }, "uses :hover" },
    { { "price = xpath://a[", NULL }, "has an XPath expression that does not compile" },
    { { "price = regex:(unclosed", NULL }, "has a regular expression that does not compile" },
    { { "{\"name\": \"p\", \"css\": \"a\", \"urls\": \"(\"}", NULL }, "has a URL pattern that does not compile" },
    { { "{\"name\": \"p\"}", NULL }, "needs exactly one of “css”, “xpath” and “regex”" },
    { { "{\"name\": \"p\", \"css\": \"a\", \"take\": \"all\"}", NULL }, "it can be text, html or attr" },
    { { "{\"name\": \"p\", \"css\": \"a\", \"take\": \"attr\"}", NULL }, "names none in “attr”" },
    { { "{not json", NULL }, "is not a JSON object" },
    { { "a = css:a", "a = css:b", NULL }, "Two rules are named “a”" },
    { { "page = css:a", NULL }, "cannot be named “page”, which exports use" },
    { { "product.name = css:h2", NULL }, "needs a rule named “product” that finds each product" },
    { { "product = regex:x", "product.name = css:h2", NULL }, "a record needs a CSS selector or an XPath" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TrawlExtractor) extractor = trawl_extractor_new (cases[i].specs, &error);

      g_test_message ("%s: %s", cases[i].specs[0], error ? error->message : "(no error)");
      g_assert_null (extractor);
      g_assert_error (error, TRAWL_JOB_ERROR, TRAWL_JOB_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
assert_string_member (JsonObject *object,
                      const char *name,
                      const char *expected)
{
  g_assert_true (json_object_has_member (object, name));
  g_assert_cmpstr (json_object_get_string_member (object, name), ==, expected);
}

/* What each kind of rule takes, and records. */
static void
test_run (void)
{
  const char *specs[] = {
    "title = xpath://title",
    "heading = css:h1",                          /* white space collapsed */
    "intro = css:p.intro::html",
    "canonical = css:link[rel=canonical]::attr(href)",
    "count = xpath:count(//li[@data-sku])",
    "weights[] = xpath://td[2]/text()",
    "skus[] = regex:SKU-(\\d+)",
    "missing = css:.nothing",
    "{\"name\":\"only_elsewhere\",\"css\":\"h1\",\"urls\":\"/tools/\"}",
    "product = css:li.product",
    "product.name = css:h2",
    "product.link = css:h2 a::attr(href)",
    "product.prices[] = css:.price",
    "product.sku = regex:data-sku=\"([^\"]+)\"",
    NULL,
  };
  g_autoptr (GPtrArray) items = run_on (specs, shop_html, shop_length, SHOP_URL);
  g_autoptr (JsonObject) page = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlExtractor) extractor = trawl_extractor_new (specs, &error);
  const char *fields[] = { "title", "heading", "intro", "canonical", "count", "weights", "skus", "missing",
                           "only_elsewhere", "name", "link", "prices", "sku", NULL };
  JsonArray *array;

  g_assert_no_error (error);
  g_assert_cmpstrv (trawl_extractor_get_fields (extractor), fields);

  /* The page's item, then one per product. */
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_null (((TrawlItem *) items->pdata[0])->record);
  page = item_object (items, 0);
  assert_string_member (page, "title", "Garden tools — Example Shop");
  assert_string_member (page, "heading", "Garden tools");
  assert_string_member (page, "intro", "Everything for the <em data-t=\"em\">garden</em>, from <b data-t=\"b\">£4</b>.");
  assert_string_member (page, "canonical", "https://shop.example/garden/");
  assert_string_member (page, "count", "3");
  array = json_object_get_array_member (page, "weights");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, "1.9 kg");
  g_assert_cmpstr (json_array_get_string_element (array, 2), ==, "0.6 kg");
  array = json_object_get_array_member (page, "skus");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "200");
  /* No match, no member; a rule for other URLs does not run. */
  g_assert_false (json_object_has_member (page, "missing"));
  g_assert_false (json_object_has_member (page, "only_elsewhere"));

  for (guint i = 1; i < 4; i++)
    {
      static const char *const names[] = { "Border spade", "Lawn rake", "Dutch hoe" };
      static const char *const links[] = { "/p/spade", "/p/rake", "/p/hoe" };
      static const char *const skus[] = { "SP-100", "RK-200", "HO-300" };
      g_autoptr (JsonObject) product = item_object (items, i);

      g_assert_cmpstr (((TrawlItem *) items->pdata[i])->record, ==, "product");
      assert_string_member (product, "name", names[i - 1]);
      assert_string_member (product, "link", links[i - 1]);
      assert_string_member (product, "sku", skus[i - 1]);
      /* Fields of a record look only inside it. */
      array = json_object_get_array_member (product, "prices");
      g_assert_cmpuint (json_array_get_length (array), ==, i == 1 ? 2 : 1);
      g_assert_false (json_object_has_member (product, "title"));
    }

  /* On a URL the pattern matches, the rule runs. */
  {
    g_autoptr (GPtrArray) tools = run_on (specs, shop_html, shop_length, "https://shop.example/tools/");
    g_autoptr (JsonObject) object = item_object (tools, 0);

    assert_string_member (object, "only_elsewhere", "Garden tools");
  }
}

/* Pages no browser would be proud of still give what they have, within
 * bounds, and never crash. */
static void
test_hostile (void)
{
  const char *specs[] = { "cells[] = css:td", "title = css:title", "p = css:p::html", "x = regex:\\w+", NULL };
  g_autoptr (GString) many = g_string_new ("<table>");
  g_autoptr (GString) deep = g_string_new (NULL);
  static const char broken[] = "<title>Un<b>closed</title><p>one<p>two<td>cell</td></table></div></body>";
  static const char binary[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\x00<td>\xff</td>";

  {
    g_autoptr (GPtrArray) items = run_on (specs, broken, strlen (broken), SHOP_URL);
    g_autoptr (JsonObject) object = item_object (items, 0);

    assert_string_member (object, "title", "Unclosed");
    assert_string_member (object, "p", "one");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "cells")), ==, 1);
  }
  {
    g_autoptr (GPtrArray) items = run_on (specs, binary, sizeof binary - 1, SHOP_URL);

    /* Whatever came out is valid UTF-8 JSON. */
    for (guint i = 0; i < items->len; i++)
      {
        g_autoptr (JsonObject) object = item_object (items, i);

        g_assert_true (g_utf8_validate (((TrawlItem *) items->pdata[i])->data, -1, NULL));
      }
  }
  {
    g_autoptr (GPtrArray) items = run_on (specs, "", 0, SHOP_URL);

    g_assert_cmpuint (items->len, ==, 0);
  }

  /* A regex reads the page's own bytes and none past its end, which is
   * where a fetched body stops; bytes that are not UTF-8 become U+FFFD. */
  {
    static const char page[] = "<p>SKU-1 caf\xc3\xa9</p>SKU-2";
    static const char latin[] = "<p>SKU-3 caf\xe9</p>";
    const char *regex_specs[] = { "skus[] = regex:SKU-\\d", "word = regex:caf.", NULL };
    g_autoptr (GPtrArray) items = run_on (regex_specs, page, sizeof page - 1 - strlen ("SKU-2"), SHOP_URL);
    g_autoptr (GPtrArray) latin_items = run_on (regex_specs, latin, sizeof latin - 1, SHOP_URL);
    g_autoptr (JsonObject) object = item_object (items, 0);
    g_autoptr (JsonObject) latin_object = item_object (latin_items, 0);
    JsonArray *skus = json_object_get_array_member (object, "skus");

    g_assert_cmpuint (json_array_get_length (skus), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (skus, 0), ==, "SKU-1");
    assert_string_member (object, "word", "café");
    assert_string_member (latin_object, "word", "caf\xef\xbf\xbd");
  }

  /* 20,000 matches: the list stops at 10,000. */
  for (guint i = 0; i < 20000; i++)
    g_string_append (many, "<tr><td>x</td></tr>");
  {
    g_autoptr (GPtrArray) items = run_on (specs, many->str, many->len, SHOP_URL);
    g_autoptr (JsonObject) object = item_object (items, 0);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "cells")), ==, 10000);
  }

  /* 100,000 nested elements and a 100 KB value, cut at 64 KiB. */
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "<div>");
  g_string_append (deep, "<p>");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "é");
  {
    g_autoptr (GPtrArray) items = run_on (specs, deep->str, deep->len, SHOP_URL);

    for (guint i = 0; i < items->len; i++)
      {
        g_autoptr (JsonObject) object = item_object (items, i);

        if (json_object_has_member (object, "p"))
          {
            const char *p = json_object_get_string_member (object, "p");

            g_assert_cmpuint (strlen (p), <=, 64 * 1024);
            g_assert_true (g_utf8_validate (p, -1, NULL));
          }
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;
  int ret;

  test_init (&argc, &argv);
  path = g_build_filename (g_getenv ("TRAWL_TESTDATA"), "extract", "shop.html", NULL);
  g_assert_true (g_file_get_contents (path, &shop_html, &shop_length, NULL));

  g_test_add_func ("/extract/css-matches", test_css_matches);
  g_test_add_func ("/extract/css-errors", test_css_errors);
  g_test_add_func ("/extract/rule-forms", test_rule_forms);
  g_test_add_func ("/extract/rule-errors", test_rule_errors);
  g_test_add_func ("/extract/run", test_run);
  g_test_add_func ("/extract/hostile", test_hostile);

  ret = g_test_run ();
  g_free (shop_html);
  return ret;
}
