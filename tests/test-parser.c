/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-parser.c — link and metadata discovery in HTML pages. */
#include "config.h"

#include "trawl-parser.h"
#include "trawl-hash.h"

#include <string.h>

#include <libxml/parser.h>

#define PAGE_URL "http://example.com/a/b/c.html"
#define UTF8_TYPE "text/html; charset=utf-8"

typedef struct {
  const char    *url;
  TrawlLinkKind  kind;
  const char    *anchor;
  const char    *rel;
  gboolean       nofollow;
} ExpectedLink;

static TrawlParseResult *
parse_full (const char *html,
            gsize       length,
            const char *content_type,
            const char *x_robots_tag)
{
  TrawlParseResult *result = trawl_parse_html (html, length, PAGE_URL, content_type, x_robots_tag);

  g_assert_nonnull (result);
  g_assert_nonnull (result->links);
  return result;
}

static TrawlParseResult *
parse (const char *html)
{
  return parse_full (html, strlen (html), UTF8_TYPE, NULL);
}

static void
assert_links (TrawlParseResult   *result,
              const ExpectedLink *expected,
              guint               n_expected)
{
  for (guint i = 0; i < MIN (result->links->len, n_expected); i++)
    {
      TrawlLink *link = g_ptr_array_index (result->links, i);

      g_test_message ("link %u: %s", i, link->url);
      g_assert_cmpstr (link->url, ==, expected[i].url);
      g_assert_cmpstr (trawl_link_kind_to_string (link->kind), ==,
                       trawl_link_kind_to_string (expected[i].kind));
      g_assert_cmpstr (link->anchor, ==, expected[i].anchor);
      g_assert_cmpstr (link->rel, ==, expected[i].rel);
      g_assert_cmpint (link->nofollow, ==, expected[i].nofollow);
    }
  g_assert_cmpuint (result->links->len, ==, n_expected);
}

static TrawlLink *
get_link (TrawlParseResult *result,
          guint             index)
{
  g_assert_cmpuint (index, <, result->links->len);
  return g_ptr_array_index (result->links, index);
}

static void
assert_valid_utf8 (const char *s)
{
  if (s != NULL)
    g_assert_true (g_utf8_validate (s, -1, NULL));
}

static void
assert_result_valid_utf8 (TrawlParseResult *result)
{
  assert_valid_utf8 (result->title);
  assert_valid_utf8 (result->description);
  assert_valid_utf8 (result->h1);
  assert_valid_utf8 (result->canonical);
  assert_valid_utf8 (result->meta_robots);
  assert_valid_utf8 (result->base_url);
  for (guint i = 0; i < result->links->len; i++)
    {
      TrawlLink *link = g_ptr_array_index (result->links, i);

      assert_valid_utf8 (link->url);
      assert_valid_utf8 (link->anchor);
      assert_valid_utf8 (link->rel);
      assert_valid_utf8 (link->hreflang);
    }
}

static void
test_link_kinds (void)
{
  static const char html[] =
    "<!DOCTYPE html><html><head>\n"
    "<link rel=stylesheet href=/style.css>\n"
    "<link rel=\"alternate stylesheet\" href=/alt.css>\n"
    "<link rel=\"icon\" href=\"favicon.ico\">\n"
    "<link rel=\"canonical\" href=\"/canonical\">\n"
    "<link rel=\"alternate\" hreflang=\"de\" href=\"/de/\">\n"
    "<meta http-equiv=\"refresh\" content=\"5; url=/refreshed\">\n"
    "<script src=\"/app.js\"></script>\n"
    "</head><body>\n"
    "<a href=\"/page\" rel=\"nofollow\">A page</a>\n"
    "<img src=\"/photo.jpg\" alt=\"A photo\">\n"
    "<iframe src=\"/embedded\"></iframe>\n"
    "<map name=m><area href=\"/area\" alt=\"An area\"></map>\n"
    "</body></html>";
  static const ExpectedLink expected[] = {
    { "http://example.com/style.css", TRAWL_LINK_STYLESHEET, NULL, "stylesheet", FALSE },
    { "http://example.com/alt.css", TRAWL_LINK_STYLESHEET, NULL, "alternate stylesheet", FALSE },
    { "http://example.com/a/b/favicon.ico", TRAWL_LINK_LINK, NULL, "icon", FALSE },
    { "http://example.com/canonical", TRAWL_LINK_CANONICAL, NULL, "canonical", FALSE },
    { "http://example.com/de/", TRAWL_LINK_HREFLANG, NULL, "alternate", FALSE },
    { "http://example.com/refreshed", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://example.com/app.js", TRAWL_LINK_SCRIPT, NULL, NULL, FALSE },
    { "http://example.com/page", TRAWL_LINK_ANCHOR, "A page", "nofollow", TRUE },
    { "http://example.com/photo.jpg", TRAWL_LINK_IMAGE, NULL, NULL, FALSE },
    { "http://example.com/embedded", TRAWL_LINK_FRAME, NULL, NULL, FALSE },
    { "http://example.com/area", TRAWL_LINK_ANCHOR, "An area", NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (get_link (result, 4)->hreflang, ==, "de");
  g_assert_null (get_link (result, 7)->hreflang);
}

static void
test_frameset (void)
{
  static const char html[] =
    "<html><frameset cols=\"50%,50%\"><frame src=\"left.html\"><frame src=\"right.html\">"
    "</frameset></html>";
  static const ExpectedLink expected[] = {
    { "http://example.com/a/b/left.html", TRAWL_LINK_FRAME, NULL, NULL, FALSE },
    { "http://example.com/a/b/right.html", TRAWL_LINK_FRAME, NULL, NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
}

static void
test_relative_links (void)
{
  static const char html[] =
    "<a href=\"../x\">1</a><a href=\"x\">2</a><a href=\"/x\">3</a>"
    "<a href=\"//host/x\">4</a><a href=\"?q\">5</a><a href=\"page#frag\">6</a>"
    "<a href=\"  /spaced  \">7</a><a href=\"https://secure.example.com/\">8</a>"
    "<a href=\"./\">9</a><a href=\"/a b\">10</a>";
  static const ExpectedLink expected[] = {
    { "http://example.com/a/x", TRAWL_LINK_ANCHOR, "1", NULL, FALSE },
    { "http://example.com/a/b/x", TRAWL_LINK_ANCHOR, "2", NULL, FALSE },
    { "http://example.com/x", TRAWL_LINK_ANCHOR, "3", NULL, FALSE },
    { "http://host/x", TRAWL_LINK_ANCHOR, "4", NULL, FALSE },
    { "http://example.com/a/b/c.html?q", TRAWL_LINK_ANCHOR, "5", NULL, FALSE },
    { "http://example.com/a/b/page#frag", TRAWL_LINK_ANCHOR, "6", NULL, FALSE },
    { "http://example.com/spaced", TRAWL_LINK_ANCHOR, "7", NULL, FALSE },
    { "https://secure.example.com/", TRAWL_LINK_ANCHOR, "8", NULL, FALSE },
    { "http://example.com/a/b/", TRAWL_LINK_ANCHOR, "9", NULL, FALSE },
    { "http://example.com/a%20b", TRAWL_LINK_ANCHOR, "10", NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (result->base_url, ==, PAGE_URL);
}

static void
test_base_href (void)
{
  /* The first <base> with an href counts, for links before it too. */
  static const char html[] =
    "<html><head><link rel=stylesheet href=\"s.css\">"
    "<base target=\"_blank\"><base href=\"/sub/dir/\"><base href=\"http://other.example/\">"
    "</head><body><a href=\"x\">x</a><a href=\"../y\">y</a><a href=\"/z\">z</a>"
    "<a href=\"//host/w\">w</a></body></html>";
  static const ExpectedLink expected[] = {
    { "http://example.com/sub/dir/s.css", TRAWL_LINK_STYLESHEET, NULL, "stylesheet", FALSE },
    { "http://example.com/sub/dir/x", TRAWL_LINK_ANCHOR, "x", NULL, FALSE },
    { "http://example.com/sub/y", TRAWL_LINK_ANCHOR, "y", NULL, FALSE },
    { "http://example.com/z", TRAWL_LINK_ANCHOR, "z", NULL, FALSE },
    { "http://host/w", TRAWL_LINK_ANCHOR, "w", NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);
  g_autoptr(TrawlParseResult) absolute = NULL;
  g_autoptr(TrawlParseResult) bad = NULL;

  assert_links (result, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (result->base_url, ==, "http://example.com/sub/dir/");

  absolute = parse ("<base href=\"https://cdn.example.org/root/\"><a href=\"p\">p</a>");
  g_assert_cmpstr (absolute->base_url, ==, "https://cdn.example.org/root/");
  g_assert_cmpstr (get_link (absolute, 0)->url, ==, "https://cdn.example.org/root/p");

  /* A base that is not a web URL is ignored. */
  bad = parse ("<base href=\"javascript:void(0)\"><a href=\"p\">p</a>");
  g_assert_cmpstr (bad->base_url, ==, PAGE_URL);
  g_assert_cmpstr (get_link (bad, 0)->url, ==, "http://example.com/a/b/p");
}

static void
test_skipped_links (void)
{
  static const char html[] =
    "<a>no href</a><a href>bare</a><a href=\"\">empty</a><a href=\"   \">blank</a>"
    "<a href=\"#\">hash</a><a href=\"#frag\">frag</a><a href=\" #top\">top</a>"
    "<a href=\"javascript:alert(1)\">js</a><a href=\"JavaScript:void(0)\">JS</a>"
    "<a href=\" javascript:x\">spaced</a><a href=\"java&#9;script:x\">tab</a>"
    "<a href=\"mailto:someone@example.com\">mail</a><a href=\"MAILTO:x@y\">MAIL</a>"
    "<a href=\"tel:+441234\">tel</a><a href=\"data:text/html,hi\">data</a>"
    "<a href=\"ftp://example.com/file\">ftp</a><a href=\"about:blank\">about</a>"
    "<img src=\"data:image/png;base64,AAAA\"><img src=\"\"><script src=\"\"></script>"
    "<link rel=stylesheet href=\"#\"><iframe src=\"about:blank\"></iframe>";
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, NULL, 0);
}

static void
test_anchor_text (void)
{
  static const char html[] =
    "<a href=/1>  Multiple   spaces\n\tand lines </a>"
    "<a href=/2><span>nested</span> <b>text</b></a>"
    "<a href=/3><b>W</b>ord</a>"
    "<a href=/4><img src=/i.png alt=\" Alt  text \"></a>"
    "<a href=/5>Text <img src=/j.png alt=Ignored></a>"
    "<a href=/6></a>"
    "<a href=/7><img src=/k.png></a>"
    "<a href=/8>foo<br>bar</a>"
    "<a href=/9>Caf&eacute; &amp; bar&nbsp;baz</a>"
    "<a href=/10><div>block</div><div>level</div></a>"
    "<a href=/11>outer <a href=/12>inner</a>"
    "<a href=/13>script<script>var x = 1;</script> <style>p {}</style>free</a>";
  static const ExpectedLink expected[] = {
    { "http://example.com/1", TRAWL_LINK_ANCHOR, "Multiple spaces and lines", NULL, FALSE },
    { "http://example.com/2", TRAWL_LINK_ANCHOR, "nested text", NULL, FALSE },
    { "http://example.com/3", TRAWL_LINK_ANCHOR, "Word", NULL, FALSE },
    { "http://example.com/4", TRAWL_LINK_ANCHOR, "Alt text", NULL, FALSE },
    { "http://example.com/i.png", TRAWL_LINK_IMAGE, NULL, NULL, FALSE },
    { "http://example.com/5", TRAWL_LINK_ANCHOR, "Text", NULL, FALSE },
    { "http://example.com/j.png", TRAWL_LINK_IMAGE, NULL, NULL, FALSE },
    { "http://example.com/6", TRAWL_LINK_ANCHOR, NULL, NULL, FALSE },
    { "http://example.com/7", TRAWL_LINK_ANCHOR, NULL, NULL, FALSE },
    { "http://example.com/k.png", TRAWL_LINK_IMAGE, NULL, NULL, FALSE },
    { "http://example.com/8", TRAWL_LINK_ANCHOR, "foo bar", NULL, FALSE },
    { "http://example.com/9", TRAWL_LINK_ANCHOR, "Café & bar\u00a0baz", NULL, FALSE },
    { "http://example.com/10", TRAWL_LINK_ANCHOR, "block level", NULL, FALSE },
    { "http://example.com/11", TRAWL_LINK_ANCHOR, "outer", NULL, FALSE },
    { "http://example.com/12", TRAWL_LINK_ANCHOR, "inner", NULL, FALSE },
    { "http://example.com/13", TRAWL_LINK_ANCHOR, "script free", NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
}

static void
test_anchor_truncation (void)
{
  g_autoptr(GString) html = g_string_new ("<a href=/ascii>");
  g_autoptr(TrawlParseResult) result = NULL;
  const char *anchor;

  for (guint i = 0; i < 300; i++)
    g_string_append_c (html, 'x');
  /* 'a' and then two-byte characters put byte 256 inside a character. */
  g_string_append (html, "</a><a href=/utf8>a");
  for (guint i = 0; i < 200; i++)
    g_string_append (html, "é");
  g_string_append (html, "</a><a href=/words>");
  for (guint i = 0; i < 100; i++)
    g_string_append (html, "word    \n");
  g_string_append (html, "</a><a href=/exact>");
  for (guint i = 0; i < 256; i++)
    g_string_append_c (html, 'y');
  g_string_append (html, "   </a>");

  result = parse (html->str);
  g_assert_cmpuint (result->links->len, ==, 4);

  anchor = get_link (result, 0)->anchor;
  g_assert_cmpuint (strlen (anchor), ==, 256);

  anchor = get_link (result, 1)->anchor;
  g_assert_cmpuint (strlen (anchor), ==, 255);
  g_assert_true (g_utf8_validate (anchor, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (anchor, -1), ==, 128);

  anchor = get_link (result, 2)->anchor;
  g_assert_cmpuint (strlen (anchor), <=, 256);
  g_assert_true (g_str_has_prefix (anchor, "word word word"));
  g_assert_false (g_str_has_suffix (anchor, " "));
  g_assert_null (strstr (anchor, "  "));

  anchor = get_link (result, 3)->anchor;
  g_assert_cmpuint (strlen (anchor), ==, 256);
}

static void
test_rel_nofollow (void)
{
  static const char html[] =
    "<a href=/1 rel=nofollow>1</a>"
    "<a href=/2 rel=\"NoFollow\">2</a>"
    "<a href=/3 rel=\"ugc nofollow\">3</a>"
    "<a href=/4 rel=\"  noopener\tNOFOLLOW \">4</a>"
    "<a href=/5 rel=\"nofollowme\">5</a>"
    "<a href=/6 rel=\"\">6</a>"
    "<a href=/7 rel=\"no-follow sponsored\">7</a>"
    "<link rel=\"nofollow stylesheet\" href=/8.css>";
  static const ExpectedLink expected[] = {
    { "http://example.com/1", TRAWL_LINK_ANCHOR, "1", "nofollow", TRUE },
    { "http://example.com/2", TRAWL_LINK_ANCHOR, "2", "NoFollow", TRUE },
    { "http://example.com/3", TRAWL_LINK_ANCHOR, "3", "ugc nofollow", TRUE },
    { "http://example.com/4", TRAWL_LINK_ANCHOR, "4", "  noopener\tNOFOLLOW ", TRUE },
    { "http://example.com/5", TRAWL_LINK_ANCHOR, "5", "nofollowme", FALSE },
    { "http://example.com/6", TRAWL_LINK_ANCHOR, "6", "", FALSE },
    { "http://example.com/7", TRAWL_LINK_ANCHOR, "7", "no-follow sponsored", FALSE },
    { "http://example.com/8.css", TRAWL_LINK_STYLESHEET, NULL, "nofollow stylesheet", TRUE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
}

static void
test_meta_refresh (void)
{
  static const char html[] =
    "<meta http-equiv=\"refresh\" content=\"5; url=/a\">"
    "<meta http-equiv=\"Refresh\" content=\"0;URL='/b'\">"
    "<meta http-equiv=\"REFRESH\" content='3, url=\"/c\"'>"
    "<meta http-equiv=\"refresh\" content=\"0; /d\">"
    "<meta http-equiv=\"refresh\" content=\"10\">"
    "<meta http-equiv=\"refresh\" content=\" 1 ; Url = /e \">"
    "<meta http-equiv=\"refresh\" content=\"0.5;url=http://other.example/f\">"
    "<meta http-equiv=\"refresh\" content=\"soon; url=/g\">"
    "<meta http-equiv=\"refresh\" content=\"0; url=javascript:alert(1)\">"
    "<meta http-equiv=\"refresh\" content=\"0; url='/h i'\">"
    "<meta name=\"refresh\" content=\"0; url=/not-http-equiv\">"
    "<meta http-equiv=\"refresh\">";
  static const ExpectedLink expected[] = {
    { "http://example.com/a", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://example.com/b", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://example.com/c", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://example.com/d", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://example.com/e", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://other.example/f", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
    { "http://example.com/h%20i", TRAWL_LINK_META_REFRESH, NULL, NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
}

static void
test_hreflang (void)
{
  static const char html[] =
    "<link rel=\"alternate\" hreflang=\"de\" href=\"/de/\">"
    "<link rel=\"Alternate\" hreflang=\"x-default\" href=\"https://example.com/\">"
    "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed\">"
    "<link rel=\"alternate\" hreflang=\"\" href=\"/empty\">"
    "<a href=\"/fr/\" hreflang=\"fr\">fr</a>";
  static const ExpectedLink expected[] = {
    { "http://example.com/de/", TRAWL_LINK_HREFLANG, NULL, "alternate", FALSE },
    { "https://example.com/", TRAWL_LINK_HREFLANG, NULL, "Alternate", FALSE },
    { "http://example.com/feed", TRAWL_LINK_LINK, NULL, "alternate", FALSE },
    { "http://example.com/empty", TRAWL_LINK_LINK, NULL, "alternate", FALSE },
    { "http://example.com/fr/", TRAWL_LINK_ANCHOR, "fr", NULL, FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);

  assert_links (result, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (get_link (result, 0)->hreflang, ==, "de");
  g_assert_cmpstr (get_link (result, 1)->hreflang, ==, "x-default");
  g_assert_null (get_link (result, 2)->hreflang);
  g_assert_null (get_link (result, 3)->hreflang);
  g_assert_null (get_link (result, 4)->hreflang);
}

static void
test_canonical (void)
{
  static const char html[] =
    "<link rel=\"canonical\" href=\"javascript:void(0)\">"
    "<link rel=\"Canonical\" href=\"../first\">"
    "<link rel=\"canonical\" href=\"/second\">";
  static const ExpectedLink expected[] = {
    { "http://example.com/a/first", TRAWL_LINK_CANONICAL, NULL, "Canonical", FALSE },
    { "http://example.com/second", TRAWL_LINK_CANONICAL, NULL, "canonical", FALSE },
  };
  g_autoptr(TrawlParseResult) result = parse (html);
  g_autoptr(TrawlParseResult) none = parse ("<title>No canonical</title>");

  assert_links (result, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (result->canonical, ==, "http://example.com/a/first");
  g_assert_null (none->canonical);
}

static void
test_metadata (void)
{
  static const char html[] =
    "<!DOCTYPE html>\n<html lang=en><head>\n"
    "<title>\n  The   <i>page</i>\ttitle \n</title>\n"
    "<title>Second title</title>\n"
    "<meta name=\"Description\" content=\"  A page\n  about   things. \">\n"
    "<meta name=\"description\" content=\"Second description\">\n"
    "<meta name=\"robots\" content=\" noarchive \">\n"
    "<meta name=\"ROBOTS\" content=\"noindex\">\n"
    "<meta name=\"googlebot\" content=\"nofollow\">\n"
    "</head><body>\n"
    "<h1> The <span>main</span>\n heading </h1><h1>Second heading</h1>\n"
    "</body></html>";
  g_autoptr(TrawlParseResult) result = parse (html);
  g_autoptr(TrawlParseResult) empty = parse_full ("", 0, NULL, NULL);

  g_assert_cmpstr (result->title, ==, "The page title");
  g_assert_cmpstr (result->description, ==, "A page about things.");
  g_assert_cmpstr (result->h1, ==, "The main heading");
  g_assert_cmpstr (result->meta_robots, ==, "noarchive, noindex");
  g_assert_true (result->noindex);
  g_assert_false (result->nofollow);
  g_assert_null (result->canonical);
  g_assert_cmpstr (result->base_url, ==, PAGE_URL);
  g_assert_cmpstr (result->charset, ==, "UTF-8");
  g_assert_cmpuint (result->content_hash, ==, trawl_hash64 (html, strlen (html)));

  g_assert_null (empty->title);
  g_assert_null (empty->description);
  g_assert_null (empty->h1);
  g_assert_null (empty->meta_robots);
  g_assert_cmpstr (empty->base_url, ==, PAGE_URL);
  g_assert_cmpstr (empty->charset, ==, "UTF-8");
  g_assert_cmpuint (empty->word_count, ==, 0);
  g_assert_cmpuint (empty->links->len, ==, 0);
  g_assert_cmpuint (empty->content_hash, ==, trawl_hash64 ("", 0));
  g_assert_false (empty->noindex);
  g_assert_false (empty->nofollow);
}

static void
test_word_count (void)
{
  /* "seven<b>eight</b>nine" shows as one word; a dash or a dot alone is
   * none; text in the head, scripts, styles, noscript and templates is not
   * visible. */
  static const char html[] =
    "<html><head><title>Not counted</title><style>p { color: red }</style>"
    "<script>var notCounted = 1;</script></head>"
    "<body><p>One two three.</p><noscript>not counted</noscript>"
    "<template><p>not counted</p></template>"
    "<p>Four&nbsp;five \xe2\x80\x94 six<br>seven<b>eight</b>nine</p>"
    "<ul><li>ten</li><li>eleven</li></ul> 12 \xc2\xb7 13 . "
    "<p>na\xc3\xafve \xe6\x97\xa5\xe6\x9c\xac</p></body></html>";
  g_autoptr(TrawlParseResult) result = parse (html);

  g_assert_cmpuint (result->word_count, ==, 13);
}

static void
test_meta_robots (void)
{
  static const struct {
    const char *html;
    const char *meta_robots;
    gboolean    noindex;
    gboolean    nofollow;
  } cases[] = {
    { "<meta name=robots content=\"NoIndex, NoFollow\">", "NoIndex, NoFollow", TRUE, TRUE },
    { "<meta name=robots content=\"none\">", "none", TRUE, TRUE },
    { "<meta name=robots content=\"noindex nofollow\">", "noindex nofollow", TRUE, TRUE },
    { "<meta name=robots content=\"nofollow\">", "nofollow", FALSE, TRUE },
    { "<meta name=robots content=\"index, follow\">", "index, follow", FALSE, FALSE },
    { "<meta name=robots content=\"\">", NULL, FALSE, FALSE },
    { "<meta name=googlebot content=\"noindex\">", NULL, FALSE, FALSE },
    { "<meta name=robots content=noindex><meta name=robots content=nofollow>",
      "noindex, nofollow", TRUE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TrawlParseResult) result = parse (cases[i].html);

      g_test_message ("%s", cases[i].html);
      g_assert_cmpstr (result->meta_robots, ==, cases[i].meta_robots);
      g_assert_cmpint (result->noindex, ==, cases[i].noindex);
      g_assert_cmpint (result->nofollow, ==, cases[i].nofollow);
    }
}

static void
test_x_robots_tag (void)
{
  static const struct {
    const char *header;
    gboolean    noindex;
    gboolean    nofollow;
  } cases[] = {
    { NULL, FALSE, FALSE },
    { "", FALSE, FALSE },
    { "noindex", TRUE, FALSE },
    { "NOFOLLOW", FALSE, TRUE },
    { "none", TRUE, TRUE },
    { "noindex, nofollow", TRUE, TRUE },
    { " noindex ,nofollow ", TRUE, TRUE },
    { "all", FALSE, FALSE },
    { "noarchive, nosnippet", FALSE, FALSE },
    { "otherbot: noindex", FALSE, FALSE },
    { "otherbot: noindex, nofollow", FALSE, FALSE },
    { "otherbot: noindex, trawl: nofollow", FALSE, TRUE },
    { "Trawl: none", TRUE, TRUE },
    { "googlebot: none, noindex", FALSE, FALSE },
    { "nofollow, googlebot: noindex", FALSE, TRUE },
    { "unavailable_after: 25 Jun 2010 15:00:00 PST, noindex", TRUE, FALSE },
    { "max-snippet: 20, max-image-preview: large, nofollow", FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TrawlParseResult) result = NULL;

      g_test_message ("X-Robots-Tag: %s", cases[i].header);
      result = parse_full ("<p>hi", 5, UTF8_TYPE, cases[i].header);
      g_assert_cmpint (result->noindex, ==, cases[i].noindex);
      g_assert_cmpint (result->nofollow, ==, cases[i].nofollow);
      g_assert_null (result->meta_robots);
    }
}

static void
test_robots_combined (void)
{
  static const char html[] = "<meta name=robots content=noindex><a href=/x>x</a>";
  g_autoptr(TrawlParseResult) result = parse_full (html, strlen (html), UTF8_TYPE, "nofollow");

  g_assert_true (result->noindex);
  g_assert_true (result->nofollow);
  /* The links are still reported; following them is the engine's call. */
  g_assert_cmpuint (result->links->len, ==, 1);
}

static void
assert_charset (const char *body,
                gsize       length,
                const char *content_type,
                const char *expected)
{
  g_autofree char *charset = trawl_parse_charset (body, length, content_type);
  g_autofree char *escaped = g_strescape (body, NULL);

  g_test_message ("Content-Type: %s, body: %.60s", content_type, escaped);
  g_assert_cmpstr (charset, ==, expected);
}

#define ASSERT_CHARSET(body, type, expected) \
  assert_charset ((body), sizeof (body) - 1, (type), (expected))

static void
test_charset_header (void)
{
  ASSERT_CHARSET ("<p>x", "text/html; charset=utf-8", "UTF-8");
  ASSERT_CHARSET ("<p>x", "text/html; charset=\"UTF8\"", "UTF-8");
  ASSERT_CHARSET ("<p>x", "text/html; charset=ISO-8859-1", "WINDOWS-1252");
  ASSERT_CHARSET ("<p>x", "text/html;charset=latin1", "WINDOWS-1252");
  ASSERT_CHARSET ("<p>x", "text/html; charset='us-ascii'", "WINDOWS-1252");
  ASSERT_CHARSET ("<p>x", "text/html; Charset = Shift_JIS ; format=flowed", "SHIFT_JIS");
  ASSERT_CHARSET ("<p>x", "text/html; charset=gb2312", "GBK");
  ASSERT_CHARSET ("<p>x", "text/html; charset=koi8-r", "KOI8-R");
  ASSERT_CHARSET ("<p>x", "text/html; charset=iso-8859-15", "ISO-8859-15");
  ASSERT_CHARSET ("<p>x", "text/html; charset=utf-16", "UTF-16LE");

  /* The header beats a <meta>. */
  ASSERT_CHARSET ("<meta charset=koi8-r>", "text/html; charset=utf-8", "UTF-8");

  /* Unknown or empty labels are passed over for the next clue. */
  ASSERT_CHARSET ("<meta charset=koi8-r>", "text/html; charset=x-bogus", "KOI8-R");
  ASSERT_CHARSET ("<p>Caf\xe9</p>", "text/html; charset=", "WINDOWS-1252");
  ASSERT_CHARSET ("Caf\xc3\xa9", "text/html", "UTF-8");
}

static void
test_charset_bom (void)
{
  ASSERT_CHARSET ("\xef\xbb\xbf<p>x", NULL, "UTF-8");
  ASSERT_CHARSET ("\xff\xfe<\0p\0", NULL, "UTF-16LE");
  ASSERT_CHARSET ("\xfe\xff\0<\0p", NULL, "UTF-16BE");
  /* As in browsers, a byte order mark beats the header. */
  ASSERT_CHARSET ("\xef\xbb\xbf<p>x", "text/html; charset=iso-8859-1", "UTF-8");
  ASSERT_CHARSET ("\xff\xfe<\0p\0", "text/html; charset=utf-8", "UTF-16LE");
}

static void
test_charset_meta (void)
{
  g_autoptr(GString) late = g_string_new ("<html><head>");

  ASSERT_CHARSET ("<meta charset=\"iso-8859-15\">", NULL, "ISO-8859-15");
  ASSERT_CHARSET ("<META CHARSET=latin1>", NULL, "WINDOWS-1252");
  ASSERT_CHARSET ("<meta charset='windows-1251'/>", NULL, "WINDOWS-1251");
  ASSERT_CHARSET ("<!DOCTYPE html><html><head><meta name=viewport content=\"width=device-width\">"
                  "<meta charset=euc-jp>", NULL, "EUC-JP");
  ASSERT_CHARSET ("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">",
                  NULL, "KOI8-R");
  ASSERT_CHARSET ("<meta content='text/html; charset=\"big5\"' http-equiv=content-type>",
                  NULL, "BIG5");
  /* content without http-equiv=Content-Type does not count. */
  ASSERT_CHARSET ("<meta content=\"text/html; charset=koi8-r\">", NULL, "UTF-8");
  ASSERT_CHARSET ("<meta name=x content=\"charset=koi8-r\"><meta charset=iso-8859-2>",
                  NULL, "ISO-8859-2");
  /* Comments and other tags' attributes are skipped. */
  ASSERT_CHARSET ("<!-- <meta charset=koi8-r> --><meta charset=iso-8859-5>", NULL, "ISO-8859-5");
  ASSERT_CHARSET ("<a title=\"<meta charset=koi8-r>\"><meta charset=iso-8859-7>", NULL,
                  "ISO-8859-7");
  /* Unknown labels are passed over, UTF-16 in a <meta> means UTF-8. */
  ASSERT_CHARSET ("<meta charset=bogus><p>Caf\xe9</p>", NULL, "WINDOWS-1252");
  ASSERT_CHARSET ("<meta charset=utf-16><p>Caf\xe9</p>", NULL, "UTF-8");

  /* Only the first 1024 bytes are searched. */
  while (late->len < 1024)
    g_string_append (late, "<!-- padding -->");
  g_string_append (late, "<meta charset=koi8-r><p>Caf\xe9</p>");
  assert_charset (late->str, late->len, NULL, "WINDOWS-1252");
}

static void
test_charset_fallback (void)
{
  ASSERT_CHARSET ("", NULL, "UTF-8");
  ASSERT_CHARSET ("<p>plain ASCII", NULL, "UTF-8");
  ASSERT_CHARSET ("<p>Caf\xc3\xa9", NULL, "UTF-8");
  ASSERT_CHARSET ("<p>Caf\xe9</p>", NULL, "WINDOWS-1252");
  /* A download cut inside a character is still UTF-8, and so is a page
   * with a stray NUL byte. */
  ASSERT_CHARSET ("<p>Caf\xc3\xa9 \xe6\x97", NULL, "UTF-8");
  ASSERT_CHARSET ("<p>Caf\xc3\xa9\0", NULL, "UTF-8");
}

static void
test_decode_latin1 (void)
{
  static const char latin1[] = "<title>Caf\xe9</title><p>Cr\xe8me br\xfbl\xe9" "e</p>"
                               "<a href=\"/caf\xe9\">Caf\xe9</a>";
  static const char meta[] = "<meta charset=iso-8859-1><title>Caf\xe9</title>";
  static const char cp1252[] = "<title>\x93Quoted\x94 \x80 5 \x81</title>";
  g_autoptr(TrawlParseResult) result = NULL;

  result = parse_full (latin1, strlen (latin1), "text/html; charset=ISO-8859-1", NULL);
  g_assert_cmpstr (result->charset, ==, "WINDOWS-1252");
  g_assert_cmpstr (result->title, ==, "Café");
  g_assert_cmpuint (result->word_count, ==, 3);
  g_assert_cmpstr (get_link (result, 0)->url, ==, "http://example.com/caf%C3%A9");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "Café");
  g_clear_pointer (&result, trawl_parse_result_free);

  result = parse_full (meta, strlen (meta), NULL, NULL);
  g_assert_cmpstr (result->charset, ==, "WINDOWS-1252");
  g_assert_cmpstr (result->title, ==, "Café");
  g_clear_pointer (&result, trawl_parse_result_free);

  /* No clue at all, and not UTF-8. */
  result = parse_full (latin1, strlen (latin1), NULL, NULL);
  g_assert_cmpstr (result->charset, ==, "WINDOWS-1252");
  g_assert_cmpstr (result->title, ==, "Café");
  g_clear_pointer (&result, trawl_parse_result_free);

  result = parse_full (cp1252, strlen (cp1252), "text/html; charset=latin1", NULL);
  g_assert_cmpstr (result->title, ==, "\u201cQuoted\u201d \u20ac 5 \xc2\x81");
}

static void
test_decode_utf8_bom (void)
{
  static const char html[] = "\xef\xbb\xbf<title>Caf\xc3\xa9</title><a href=/x>x</a>";
  g_autoptr(TrawlParseResult) result = parse_full (html, strlen (html), NULL, NULL);

  g_assert_cmpstr (result->charset, ==, "UTF-8");
  g_assert_cmpstr (result->title, ==, "Café");
  g_assert_cmpuint (result->links->len, ==, 1);
}

static void
test_decode_utf16 (void)
{
  static const char html[] = "<title>Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac</title>"
                             "<a href=\"/x\">Link \xf0\x9f\x94\x97</a>";
  g_autofree char *le = NULL;
  g_autofree char *be = NULL;
  gsize le_len, be_len;
  g_autoptr(GString) with_bom = g_string_new_len ("\xff\xfe", 2);
  g_autoptr(TrawlParseResult) result = NULL;

  le = g_convert (html, -1, "UTF-16LE", "UTF-8", NULL, &le_len, NULL);
  be = g_convert (html, -1, "UTF-16BE", "UTF-8", NULL, &be_len, NULL);
  g_assert_nonnull (le);
  g_assert_nonnull (be);

  g_string_append_len (with_bom, le, le_len);
  result = parse_full (with_bom->str, with_bom->len, NULL, NULL);
  g_assert_cmpstr (result->charset, ==, "UTF-16LE");
  g_assert_cmpstr (result->title, ==, "Café 日本");
  g_assert_cmpstr (get_link (result, 0)->url, ==, "http://example.com/x");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "Link 🔗");
  g_clear_pointer (&result, trawl_parse_result_free);

  result = parse_full (be, be_len, "text/html; charset=UTF-16BE", NULL);
  g_assert_cmpstr (result->charset, ==, "UTF-16BE");
  g_assert_cmpstr (result->title, ==, "Café 日本");
  g_clear_pointer (&result, trawl_parse_result_free);

  /* An odd byte at the end becomes U+FFFD rather than an error. */
  result = parse_full (le, le_len + 1, "text/html; charset=utf-16", NULL);
  g_assert_cmpstr (result->title, ==, "Café 日本");
  assert_result_valid_utf8 (result);
}

static void
test_decode_multibyte (void)
{
  /* 日本 in Shift_JIS and EUC-JP. */
  static const char sjis[] = "<title>\x93\xfa\x96\x7b</title><a href=/x>\x93\xfa\x96\x7b</a>";
  static const char eucjp[] = "<meta charset=euc-jp><title>\xc6\xfc\xcb\xdc</title>";
  static const char broken[] = "<title>\x93\xfa\xff\xff\x96\x7b</title>";
  g_autoptr(TrawlParseResult) result = NULL;

  result = parse_full (sjis, strlen (sjis), "text/html; charset=Shift_JIS", NULL);
  g_assert_cmpstr (result->charset, ==, "SHIFT_JIS");
  g_assert_cmpstr (result->title, ==, "日本");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "日本");
  g_clear_pointer (&result, trawl_parse_result_free);

  result = parse_full (eucjp, strlen (eucjp), NULL, NULL);
  g_assert_cmpstr (result->charset, ==, "EUC-JP");
  g_assert_cmpstr (result->title, ==, "日本");
  g_clear_pointer (&result, trawl_parse_result_free);

  /* Bytes the encoding does not know become U+FFFD. */
  result = parse_full (broken, strlen (broken), "text/html; charset=sjis", NULL);
  g_assert_true (g_str_has_prefix (result->title, "日"));
  g_assert_true (g_str_has_suffix (result->title, "本"));
  g_assert_nonnull (strstr (result->title, "\xef\xbf\xbd"));
  assert_result_valid_utf8 (result);
}

static void
test_invalid_utf8 (void)
{
  static const char html[] =
    "<title>Caf\xe9 \xff\xfe bad \xc3</title>"
    "<meta name=description content=\"\xed\xa0\x80 surrogate\">"
    "<h1>\xf8\x88\x80\x80\x80 overlong</h1>"
    "<a href=\"/caf\xe9\">x\x80y</a><a href=\"/ok\">\xc3\xa9t\xc3\xa9</a>";
  g_autoptr(TrawlParseResult) result = NULL;

  result = parse_full (html, strlen (html), UTF8_TYPE, NULL);
  assert_result_valid_utf8 (result);
  g_assert_cmpstr (result->charset, ==, "UTF-8");
  g_assert_cmpstr (result->title, ==, "Caf\ufffd \ufffd\ufffd bad \ufffd");
  g_assert_true (g_str_has_suffix (result->description, " surrogate"));
  g_assert_true (g_str_has_suffix (result->h1, " overlong"));
  g_assert_cmpuint (result->links->len, ==, 2);
  g_assert_cmpstr (get_link (result, 0)->url, ==, "http://example.com/caf%EF%BF%BD");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "x\ufffdy");
  g_assert_cmpstr (get_link (result, 1)->anchor, ==, "été");
}

static void
test_nul_bytes (void)
{
  static const char html[] =
    "<title>A\0B</title><a href=\"/a\0b\">x\0y</a>\0\0<a\0 href=/nope>n</a>"
    "<a href=/c>c</a>";
  g_autoptr(TrawlParseResult) result = parse_full (html, sizeof (html) - 1, NULL, NULL);

  assert_result_valid_utf8 (result);
  g_assert_cmpstr (result->charset, ==, "UTF-8");
  g_assert_cmpstr (result->title, ==, "A\ufffdB");
  g_assert_cmpstr (get_link (result, 0)->url, ==, "http://example.com/a%EF%BF%BDb");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "x\ufffdy");
  g_assert_cmpstr (get_link (result, result->links->len - 1)->url, ==, "http://example.com/c");
}

static void
test_malformed (void)
{
  static const char html[] =
    "<html><head><title>Broken<body>"
    "<div><p>unclosed <b>bold <i>italic\n"
    "<a href=/one>one</a\n"
    "<p>stray < less than and 1 < 2 > 0\n"
    "<a href=unquoted/two class=x>two</a>"
    "<a href='/three' <b>three</b>"
    "<a href=\"/four\">four"
    "<table><tr><td><a href=/five>five</td></tr>"
    "</span></span></div></div></div>"
    "<!-- unclosed comment <a href=/hidden>";
  g_autoptr(TrawlParseResult) result = parse (html);
  g_autoptr(TrawlParseResult) cut = parse ("<a href=\"/cut\">cut <a href=\"/never");
  g_autoptr(TrawlParseResult) garbage = parse ("<<<>>><</>><a href=/g>g</a><!><?x><!DOCTYPE");
  gboolean found[5] = { FALSE, };
  static const char *urls[] = {
    "http://example.com/one", "http://example.com/a/b/unquoted/two",
    "http://example.com/three", "http://example.com/four", "http://example.com/five",
  };

  for (guint i = 0; i < result->links->len; i++)
    {
      TrawlLink *link = get_link (result, i);

      g_assert_cmpstr (link->url, !=, "http://example.com/hidden");
      for (guint j = 0; j < G_N_ELEMENTS (urls); j++)
        found[j] |= g_strcmp0 (link->url, urls[j]) == 0;
    }
  for (guint j = 0; j < G_N_ELEMENTS (urls); j++)
    {
      g_test_message ("looking for %s", urls[j]);
      g_assert_true (found[j]);
    }
  g_assert_nonnull (result->title);
  g_assert_true (g_str_has_prefix (result->title, "Broken"));

  g_assert_cmpuint (cut->links->len, >=, 1);
  g_assert_cmpstr (get_link (cut, 0)->url, ==, "http://example.com/cut");

  g_assert_cmpuint (garbage->links->len, ==, 1);
  g_assert_cmpstr (get_link (garbage, 0)->url, ==, "http://example.com/g");
}

static void
test_deep_nesting (void)
{
  const guint depth = 100000;
  g_autoptr(GString) html = g_string_sized_new (depth * 12);
  g_autoptr(TrawlParseResult) result = NULL;
  g_autoptr(TrawlParseResult) stray = NULL;

  g_string_append (html, "<html><body>");
  for (guint i = 0; i < depth; i++)
    g_string_append (html, "<div>");
  g_string_append (html, "<a href=\"/deep\">deep</a>");
  for (guint i = 0; i < depth; i++)
    g_string_append (html, "</div>");
  g_string_append (html, "<a href=\"/after\">after</a></body></html>");

  g_test_timer_start ();
  result = parse_full (html->str, html->len, UTF8_TYPE, NULL);
  g_test_message ("%u nested divs: %.3f s", depth, g_test_timer_elapsed ());
  g_assert_cmpuint (result->links->len, ==, 2);
  g_assert_cmpstr (get_link (result, 0)->url, ==, "http://example.com/deep");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "deep");
  g_assert_cmpstr (get_link (result, 1)->url, ==, "http://example.com/after");
  g_assert_cmpuint (result->word_count, ==, 2);

  /* Never closed, and then end tags that match nothing. */
  g_string_truncate (html, 0);
  for (guint i = 0; i < depth; i++)
    g_string_append (html, "<div><span>");
  g_string_append (html, "<a href=\"/stray\">stray</a>");
  for (guint i = 0; i < depth; i++)
    g_string_append (html, "</p></b>");

  g_test_timer_start ();
  stray = parse_full (html->str, html->len, UTF8_TYPE, NULL);
  g_test_message ("%u unclosed elements and stray end tags: %.3f s", depth,
                  g_test_timer_elapsed ());
  g_assert_cmpuint (stray->links->len, ==, 1);
  g_assert_cmpstr (get_link (stray, 0)->url, ==, "http://example.com/stray");
}

static void
test_many_links (void)
{
  const guint n_links = 100000;
  g_autoptr(GString) html = g_string_new ("<html><body><ul>\n");
  g_autoptr(TrawlParseResult) result = NULL;

  for (guint i = 0; i < n_links; i++)
    g_string_append_printf (html, "<li><a href=\"/page/%u\">Page %u</a>\n", i, i);
  g_string_append (html, "</ul></body></html>");

  g_test_timer_start ();
  result = parse_full (html->str, html->len, UTF8_TYPE, NULL);
  g_test_message ("%u links: %.3f s", n_links, g_test_timer_elapsed ());

  g_assert_cmpuint (result->links->len, ==, n_links);
  g_assert_cmpstr (get_link (result, 0)->url, ==, "http://example.com/page/0");
  g_assert_cmpstr (get_link (result, 0)->anchor, ==, "Page 0");
  g_assert_cmpstr (get_link (result, n_links - 1)->url, ==, "http://example.com/page/99999");
  g_assert_cmpstr (get_link (result, n_links - 1)->anchor, ==, "Page 99999");
  g_assert_cmpuint (result->word_count, ==, 2 * n_links);
}

static void
test_big_page (void)
{
  const gsize target = 5 * 1024 * 1024;
  g_autoptr(GString) html = g_string_sized_new (target + 1024);
  g_autoptr(TrawlParseResult) result = NULL;
  g_autofree char *last_anchor = NULL;
  g_autofree char *latin1 = NULL;
  gsize latin1_len;
  guint blocks = 0;

  g_string_append (html, "<!DOCTYPE html><html><head><title>Big</title></head><body>\n");
  while (html->len < target)
    {
      g_string_append_printf (html,
                              "<div class=\"entry\"><p>Lorem ipsum dolor sit amet, "
                              "caf\xc3\xa9 cr\xc3\xa8me <a href=\"/item/%u\">item %u</a>.</p>"
                              "<script>var notWords = [1, 2, 3];</script></div>\n",
                              blocks, blocks);
      blocks++;
    }
  g_string_append (html, "</body></html>");

  g_test_timer_start ();
  result = parse_full (html->str, html->len, UTF8_TYPE, NULL);
  g_test_message ("%.1f MB: %.3f s", html->len / 1e6, g_test_timer_elapsed ());

  g_assert_cmpstr (result->title, ==, "Big");
  g_assert_cmpuint (result->links->len, ==, blocks);
  g_assert_cmpuint (result->word_count, ==, 9 * blocks);
  last_anchor = g_strdup_printf ("item %u", blocks - 1);
  g_assert_cmpstr (get_link (result, blocks - 1)->anchor, ==, last_anchor);
  g_clear_pointer (&result, trawl_parse_result_free);

  /* The same page in Latin-1 goes through the decoder in chunks. */
  latin1 = g_convert (html->str, html->len, "ISO-8859-1", "UTF-8", NULL, &latin1_len, NULL);
  g_assert_nonnull (latin1);
  result = parse_full (latin1, latin1_len, "text/html; charset=iso-8859-1", NULL);
  g_assert_cmpuint (result->links->len, ==, blocks);
  g_assert_cmpuint (result->word_count, ==, 9 * blocks);
}

static void
test_silent (void)
{
  if (g_test_subprocess ())
    {
      static const char html[] =
        "<html><html><body><body><p <<a href=/x>&bogus; &#0; &#xD800;</p></i></b>"
        "<a href=\"/y\" href=\"/z\" =x ='y'>y</a><!DOCTYPE html><?php x ?>"
        "<meta charset=iso-8859-1><![CDATA[ x ]]><svg><circle/></svg>\xe9\xff\0";
      g_autoptr(TrawlParseResult) result = NULL;

      result = parse_full (html, sizeof (html) - 1, UTF8_TYPE, NULL);
      g_assert_cmpuint (result->links->len, >=, 1);
      g_clear_pointer (&result, trawl_parse_result_free);

      result = parse_full (html, sizeof (html) - 1, NULL, NULL);
      g_assert_cmpuint (result->links->len, >=, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("");
  g_test_trap_assert_stderr ("");
}

typedef struct {
  const char *html;
  gsize       length;
  const char *content_type;
  guint       n_links;
  const char *title;
} ThreadCase;

static gpointer
parse_repeatedly (gpointer data)
{
  const ThreadCase *cases = data;

  for (guint round = 0; round < 200; round++)
    {
      for (const ThreadCase *c = cases; c->html != NULL; c++)
        {
          g_autoptr(TrawlParseResult) result = NULL;

          result = trawl_parse_html (c->html, c->length, PAGE_URL, c->content_type, NULL);
          g_assert_cmpuint (result->links->len, ==, c->n_links);
          g_assert_cmpstr (result->title, ==, c->title);
        }
    }

  return NULL;
}

static void
test_threads (void)
{
  static const char utf8[] = "<title>Caf\xc3\xa9</title><a href=/1>1</a><img src=/2><p>x</p>";
  static const char latin1[] = "<title>Caf\xe9</title><a href=/1>1</a><a href=/2>2</a>";
  static const char sjis[] = "<title>\x93\xfa\x96\x7b</title><link rel=canonical href=/c>";
  static const char broken[] = "<title>Caf\xe9<a href=/1>1<div><div><a href=/2>\xff";
  ThreadCase cases[] = {
    { utf8, sizeof (utf8) - 1, NULL, 2, "Café" },
    { latin1, sizeof (latin1) - 1, NULL, 2, "Café" },
    { sjis, sizeof (sjis) - 1, "text/html; charset=shift_jis", 1, "日本" },
    { broken, sizeof (broken) - 1, UTF8_TYPE, 2, NULL },
    { 0 },
  };
  GThread *threads[8];
  g_autoptr(TrawlParseResult) reference = NULL;

  /* The broken page's title swallows the rest; settle what it is first. */
  reference = trawl_parse_html (broken, sizeof (broken) - 1, PAGE_URL, UTF8_TYPE, NULL);
  cases[3].title = reference->title;
  cases[3].n_links = reference->links->len;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parser", parse_repeatedly, cases);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

static void
test_kind_to_string (void)
{
  static const struct {
    TrawlLinkKind  kind;
    const char    *name;
  } kinds[] = {
    { TRAWL_LINK_ANCHOR, "anchor" },
    { TRAWL_LINK_FRAME, "frame" },
    { TRAWL_LINK_IMAGE, "image" },
    { TRAWL_LINK_SCRIPT, "script" },
    { TRAWL_LINK_STYLESHEET, "stylesheet" },
    { TRAWL_LINK_LINK, "link" },
    { TRAWL_LINK_CANONICAL, "canonical" },
    { TRAWL_LINK_HREFLANG, "hreflang" },
    { TRAWL_LINK_META_REFRESH, "meta-refresh" },
    { TRAWL_LINK_REDIRECT, "redirect" },
    { TRAWL_LINK_SITEMAP, "sitemap" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_cmpstr (trawl_link_kind_to_string (kinds[i].kind), ==, kinds[i].name);
}

static void
test_content_hash (void)
{
  /* The hash is of the raw bytes, before any decoding. */
  static const char latin1[] = "<title>Caf\xe9</title>";
  static const char utf8[] = "<title>Caf\xc3\xa9</title>";
  g_autoptr(TrawlParseResult) a = parse_full (latin1, strlen (latin1), "text/html; charset=latin1", NULL);
  g_autoptr(TrawlParseResult) b = parse_full (utf8, strlen (utf8), UTF8_TYPE, NULL);

  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpuint (a->content_hash, ==, trawl_hash64 (latin1, strlen (latin1)));
  g_assert_cmpuint (b->content_hash, ==, trawl_hash64 (utf8, strlen (utf8)));
  g_assert_cmpuint (a->content_hash, !=, b->content_hash);
}

/* An empty body comes as NULL from an empty GBytes: it is a page with
 * nothing in it, not NULL + 0, which is undefined (found by fuzzing). */
static void
test_empty_body (void)
{
  g_autoptr (TrawlParseResult) result = trawl_parse_html (NULL, 0, PAGE_URL, NULL, NULL);
  g_autofree char *charset = trawl_parse_charset (NULL, 0, "text/html");

  g_assert_cmpuint (result->links->len, ==, 0);
  g_assert_null (result->title);
  g_assert_cmpstr (result->charset, ==, "UTF-8");
  g_assert_cmpstr (charset, ==, "UTF-8");
}

int
main (int   argc,
      char *argv[])
{
  xmlInitParser ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parser/links/kinds", test_link_kinds);
  g_test_add_func ("/parser/links/frameset", test_frameset);
  g_test_add_func ("/parser/links/relative", test_relative_links);
  g_test_add_func ("/parser/links/base-href", test_base_href);
  g_test_add_func ("/parser/links/skipped", test_skipped_links);
  g_test_add_func ("/parser/links/anchor-text", test_anchor_text);
  g_test_add_func ("/parser/links/anchor-truncation", test_anchor_truncation);
  g_test_add_func ("/parser/links/rel-nofollow", test_rel_nofollow);
  g_test_add_func ("/parser/links/meta-refresh", test_meta_refresh);
  g_test_add_func ("/parser/links/hreflang", test_hreflang);
  g_test_add_func ("/parser/links/canonical", test_canonical);
  g_test_add_func ("/parser/links/kind-to-string", test_kind_to_string);
  g_test_add_func ("/parser/metadata", test_metadata);
  g_test_add_func ("/parser/metadata/word-count", test_word_count);
  g_test_add_func ("/parser/metadata/content-hash", test_content_hash);
  g_test_add_func ("/parser/robots/meta", test_meta_robots);
  g_test_add_func ("/parser/robots/x-robots-tag", test_x_robots_tag);
  g_test_add_func ("/parser/robots/combined", test_robots_combined);
  g_test_add_func ("/parser/charset/header", test_charset_header);
  g_test_add_func ("/parser/charset/bom", test_charset_bom);
  g_test_add_func ("/parser/charset/meta", test_charset_meta);
  g_test_add_func ("/parser/charset/fallback", test_charset_fallback);
  g_test_add_func ("/parser/decode/latin1", test_decode_latin1);
  g_test_add_func ("/parser/decode/utf8-bom", test_decode_utf8_bom);
  g_test_add_func ("/parser/decode/utf16", test_decode_utf16);
  g_test_add_func ("/parser/decode/multibyte", test_decode_multibyte);
  g_test_add_func ("/parser/robustness/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/parser/robustness/nul-bytes", test_nul_bytes);
  g_test_add_func ("/parser/robustness/malformed", test_malformed);
  g_test_add_func ("/parser/robustness/silent", test_silent);
  g_test_add_func ("/parser/robustness/empty-body", test_empty_body);
  g_test_add_func ("/parser/robustness/threads", test_threads);
  g_test_add_func ("/parser/limits/deep-nesting", test_deep_nesting);
  g_test_add_func ("/parser/limits/many-links", test_many_links);
  g_test_add_func ("/parser/limits/big-page", test_big_page);

  return g_test_run ();
}
