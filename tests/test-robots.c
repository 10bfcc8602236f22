/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-robots.c — robots.txt parsing and matching.
 *
 * Runs Google's robots.txt conformance corpus (all STANDARD cases must
 * pass; the GOOGLE_SPECIFIC score is only reported) and focused tests of
 * what the corpus does not cover.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "trawl-robots.h"

#define STANDARD_CASE_COUNT 378

typedef struct
{
  char   *file;
  gint64  index;
  guchar *body;
  gsize   body_length;
  char   *url;
  char   *user_agent;
  gboolean expected;
  gboolean standard;
} CorpusCase;

static void
corpus_case_free (gpointer data)
{
  CorpusCase *c = data;

  g_free (c->file);
  g_free (c->body);
  g_free (c->url);
  g_free (c->user_agent);
  g_free (c);
}

/* Loads cases.jsonl, one JSON object a line, or returns NULL (and marks
 * the test skipped) when the test data directory is not known. */
static GPtrArray *
load_corpus (void)
{
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (corpus_case_free);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  const char *testdata = g_getenv ("TRAWL_TESTDATA");

  if (testdata == NULL)
    {
      g_test_skip ("TRAWL_TESTDATA is not set");
      return NULL;
    }

  path = g_build_filename (testdata, "robotstxt-spec", "cases.jsonl", NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      JsonObject *object;
      CorpusCase *c;

      if (lines[i][0] == '\0')
        continue;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));

      c = g_new0 (CorpusCase, 1);
      c->file = g_strdup (json_object_get_string_member (object, "file"));
      c->index = json_object_get_int_member (object, "case");
      c->body = g_base64_decode (json_object_get_string_member (object, "robotstxt_b64"), &c->body_length);
      c->url = g_strdup (json_object_get_string_member (object, "url"));
      c->user_agent = g_strdup (json_object_get_string_member (object, "useragent"));
      c->expected = g_str_equal (json_object_get_string_member (object, "expected"), "ALLOWED");
      c->standard = g_str_equal (json_object_get_string_member (object, "type"), "STANDARD");
      g_ptr_array_add (cases, c);
    }

  return g_steal_pointer (&cases);
}

static gboolean
corpus_case_passes (const CorpusCase *c)
{
  g_autoptr (TrawlRobots) robots = trawl_robots_parse ((const char *) c->body, c->body_length, c->user_agent);

  return trawl_robots_is_allowed (robots, c->url) == c->expected;
}

static void
test_corpus_standard (void)
{
  g_autoptr (GPtrArray) cases = load_corpus ();
  guint total = 0;
  guint passed = 0;

  if (cases == NULL)
    return;

  for (guint i = 0; i < cases->len; i++)
    {
      const CorpusCase *c = cases->pdata[i];

      if (!c->standard)
        continue;

      total++;
      if (corpus_case_passes (c))
        passed++;
      else
        g_test_message ("FAIL %s case %" G_GINT64_FORMAT ": url \"%s\", agent \"%s\", expected %s",
                        c->file, c->index, c->url, c->user_agent,
                        c->expected ? "ALLOWED" : "DISALLOWED");
    }

  g_test_message ("robots STANDARD: %u/%u passed", passed, total);
  g_assert_cmpuint (total, ==, STANDARD_CASE_COUNT);
  g_assert_cmpuint (passed, ==, total);
}

/* Google's own extensions are optional: the score is reported so that a
 * change in it shows, but it never fails the test. */
static void
test_corpus_google_specific (void)
{
  g_autoptr (GPtrArray) cases = load_corpus ();
  guint total = 0;
  guint passed = 0;

  if (cases == NULL)
    return;

  for (guint i = 0; i < cases->len; i++)
    {
      const CorpusCase *c = cases->pdata[i];

      if (c->standard)
        continue;

      total++;
      if (corpus_case_passes (c))
        passed++;
      else
        g_test_message ("not passed: %s case %" G_GINT64_FORMAT ": url \"%s\", agent \"%s\", expected %s",
                        c->file, c->index, c->url, c->user_agent,
                        c->expected ? "ALLOWED" : "DISALLOWED");
    }

  g_test_message ("robots GOOGLE_SPECIFIC: %u/%u passed", passed, total);
  g_print ("# robots GOOGLE_SPECIFIC: %u/%u passed\n", passed, total);
}

static TrawlRobots *
parse_string (const char *text,
              const char *user_agent)
{
  return trawl_robots_parse (text, strlen (text), user_agent);
}

static void
test_crawl_delay (void)
{
  static const struct {
    const char *text;
    double      expected;
  } cases[] = {
    { "User-agent: *\nDisallow: /x\n", -1 },
    { "User-agent: *\nCrawl-delay: 10\n", 10 },
    { "User-agent: *\ncrawl-delay : 0.5 # half a second\n", 0.5 },
    { "User-agent: *\nCrawl-delay: 86400\n", TRAWL_ROBOTS_MAX_CRAWL_DELAY },
    { "User-agent: *\nCrawl-delay: -5\n", -1 },
    { "User-agent: *\nCrawl-delay: soon\n", -1 },
    { "User-agent: *\nCrawl-delay: 1e3\n", -1 },
    { "User-agent: *\nCrawl-delay: inf\n", -1 },
    { "User-agent: *\nCrawl-delay: 1.2.3\n", -1 },
    /* The first valid value wins. */
    { "User-agent: *\nCrawl-delay: x\nCrawl-delay: 3\nCrawl-delay: 4\n", 3 },
    /* The delay of the group naming us, not the one of "*". */
    { "User-agent: *\nCrawl-delay: 5\n\nUser-agent: trawl\nCrawl-delay: 2\n", 2 },
    /* A group naming us without a delay has none, whatever "*" says. */
    { "User-agent: *\nCrawl-delay: 5\n\nUser-agent: trawl\nDisallow: /x\n", -1 },
    /* Another agent's delay is not ours. */
    { "User-agent: otherbot\nCrawl-delay: 7\n", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TrawlRobots) robots = parse_string (cases[i].text, "Trawl/0.1");

      g_test_message ("case %u", i);
      g_assert_cmpfloat_with_epsilon (trawl_robots_get_crawl_delay (robots), cases[i].expected, 1e-9);
    }
}

static void
test_sitemaps (void)
{
  static const char text[] =
    "Sitemap: https://example.com/before-groups.xml\n"
    "User-agent: otherbot\n"
    "Disallow: /\n"
    "sitemap:https://example.com/in-other-group.xml # comment\n"
    "\n"
    "User-agent: *\n"
    "Site-map: https://example.com/typo.xml\n"
    "Allow: /\n"
    "Sitemap: https://example.com/before-groups.xml\n"
    "Sitemap:\n"
    /* A repeated Sitemap left a freed string in the table of those seen,
     * which the next lookups read (found by fuzzing). */
    "Sitemap: https://example.com/before-groups.xml\n"
    "Sitemap: https://example.com/last.xml\n"
    /* A NUL byte made an empty sitemap URL. */
    "Sitemap: \0https://example.com/after-nul.xml\n";
  static const char * const expected[] = {
    "https://example.com/before-groups.xml",
    "https://example.com/in-other-group.xml",
    "https://example.com/typo.xml",
    "https://example.com/last.xml",
    NULL,
  };
  g_autoptr (TrawlRobots) robots = trawl_robots_parse (text, sizeof text - 1, "trawl");
  g_autoptr (TrawlRobots) allow_all = trawl_robots_new_allow_all ();

  g_assert_cmpstrv (trawl_robots_get_sitemaps (robots), expected);

  g_assert_nonnull (trawl_robots_get_sitemaps (allow_all));
  g_assert_null (trawl_robots_get_sitemaps (allow_all)[0]);
}

static void
test_product_token (void)
{
  static const struct {
    const char *user_agent;
    const char *expected;
  } cases[] = {
    { "Trawl/0.1 (+https://example.org/trawl)", "Trawl" },
    { "Trawl", "Trawl" },
    { "foo_bar-baz/2.0", "foo_bar-baz" },
    { "AB42bot", "AB" },
    { "Foo Bar", "Foo" },
    { "42bot", "" },
    { "", "" },
  };
  static const char text[] =
    "User-agent: *\n"
    "Disallow: /\n"
    "\n"
    "User-agent: TRAWL\n"
    "Disallow: /private/\n";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = trawl_robots_product_token (cases[i].user_agent);

      g_assert_cmpstr (token, ==, cases[i].expected);
    }

  /* A whole User-Agent header finds its group, case-insensitively. */
  {
    g_autoptr (TrawlRobots) robots = parse_string (text, "Trawl/0.1 (+https://example.org/trawl)");

    g_assert_true (trawl_robots_is_allowed (robots, "https://example.org/public/"));
    g_assert_false (trawl_robots_is_allowed (robots, "https://example.org/private/x"));
  }

  /* "TRAWL2" is not a valid product token and must not take the rules
   * written for "TRAWL". */
  {
    g_autoptr (TrawlRobots) robots = parse_string (text, "TRAWL2/1.0");

    g_assert_false (trawl_robots_is_allowed (robots, "https://example.org/public/"));
  }
}

static void
test_allow_disallow_all (void)
{
  g_autoptr (TrawlRobots) allow = trawl_robots_new_allow_all ();
  g_autoptr (TrawlRobots) disallow = trawl_robots_new_disallow_all ();
  g_autoptr (TrawlRobots) empty = trawl_robots_parse (NULL, 0, "trawl");

  g_assert_true (trawl_robots_is_allowed (allow, "https://example.com/"));
  g_assert_true (trawl_robots_is_allowed (allow, "/any/path?q=1"));
  g_assert_cmpfloat (trawl_robots_get_crawl_delay (allow), ==, -1);

  g_assert_false (trawl_robots_is_allowed (disallow, "https://example.com/"));
  g_assert_false (trawl_robots_is_allowed (disallow, "https://example.com"));
  g_assert_false (trawl_robots_is_allowed (disallow, "https://example.com?q"));
  g_assert_false (trawl_robots_is_allowed (disallow, "/any/path?q=1"));
  g_assert_cmpfloat (trawl_robots_get_crawl_delay (disallow), ==, -1);

  g_assert_true (trawl_robots_is_allowed (empty, "https://example.com/x"));
}

/* The corpus expects /robots.txt to follow the rules like any other path
 * ("Disallow: /" covers it); fetching robots.txt itself never asks. */
static void
test_robots_txt_path (void)
{
  g_autoptr (TrawlRobots) robots = parse_string ("User-agent: *\nDisallow: /\nAllow: /robots.txt$\n", "trawl");
  g_autoptr (TrawlRobots) blocked = parse_string ("User-agent: *\nDisallow: /\n", "trawl");

  g_assert_true (trawl_robots_is_allowed (robots, "https://example.com/robots.txt"));
  g_assert_false (trawl_robots_is_allowed (robots, "https://example.com/robots.txt.bak"));
  g_assert_false (trawl_robots_is_allowed (blocked, "https://example.com/robots.txt"));
}

static void
test_url_forms (void)
{
  static const char text[] =
    "User-agent: *\n"
    "Disallow: /*?\n"
    "Disallow: /secret\n"
    "Disallow: /caf\xc3\xa9/\n"
    "Allow: /secret/%7epublic\n";
  g_autoptr (TrawlRobots) robots = parse_string (text, "trawl");

  g_assert_true (trawl_robots_is_allowed (robots, "https://example.com"));
  g_assert_true (trawl_robots_is_allowed (robots, "https://example.com/"));
  g_assert_true (trawl_robots_is_allowed (robots, "https://example.com/#secret"));
  g_assert_true (trawl_robots_is_allowed (robots, "https://example.com/page#x?y"));
  g_assert_false (trawl_robots_is_allowed (robots, "https://example.com/page?y"));
  g_assert_false (trawl_robots_is_allowed (robots, "https://example.com?y"));
  g_assert_false (trawl_robots_is_allowed (robots, "//example.com/secret"));
  g_assert_false (trawl_robots_is_allowed (robots, "/secret/x"));
  g_assert_true (trawl_robots_is_allowed (robots, "/public/secret"));

  /* A raw non-ASCII pattern matches the percent-encoded path, with its
   * hex digits in either case. */
  g_assert_false (trawl_robots_is_allowed (robots, "https://example.com/caf%C3%A9/menu"));
  g_assert_false (trawl_robots_is_allowed (robots, "https://example.com/caf%c3%a9/menu"));
  g_assert_true (trawl_robots_is_allowed (robots, "https://example.com/cafe/menu"));

  /* Escapes stay escapes: %7E is not decoded to "~". */
  g_assert_true (trawl_robots_is_allowed (robots, "/secret/%7Epublic/x"));
  g_assert_true (trawl_robots_is_allowed (robots, "/secret/%7epublic/x"));
  g_assert_false (trawl_robots_is_allowed (robots, "/secret/~public/x"));
}

static void
test_wildcards (void)
{
  static const struct {
    const char *pattern;
    const char *path;
    gboolean    matches;
  } cases[] = {
    { "/a*b*c", "/abc", TRUE },
    { "/a*b*c", "/axxbyyc/z", TRUE },
    { "/a*b*c", "/acb", FALSE },
    { "/a*b*c$", "/abcabc", TRUE },
    { "/a*b*c$", "/abcab", FALSE },
    { "/*bc$", "/bc", TRUE },
    { "/a**$", "/a", TRUE },
    { "/*$", "/", TRUE },
    { "/a$b", "/a$b/c", TRUE },
    { "/a$b", "/ab", FALSE },
    { "*.pdf$", "/x/y.pdf", TRUE },
    { "/aa*a$", "/aa", FALSE },
    { "/aa*a$", "/aaa", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("User-agent: *\nDisallow: %s\n", cases[i].pattern);
      g_autoptr (TrawlRobots) robots = parse_string (text, "trawl");

      g_test_message ("pattern \"%s\", path \"%s\"", cases[i].pattern, cases[i].path);
      g_assert_cmpint (trawl_robots_is_allowed (robots, cases[i].path), ==, !cases[i].matches);
    }
}

/* Thirty '*'s against a long path that almost matches: a backtracking
 * matcher takes exponential time here. */
static void
test_pathological_pattern (void)
{
  g_autoptr (GString) pattern = g_string_new ("User-agent: *\nDisallow: /");
  g_autoptr (GString) path = g_string_new ("/");
  g_autoptr (GTimer) timer = g_timer_new ();
  g_autoptr (TrawlRobots) robots = NULL;

  for (guint i = 0; i < 30; i++)
    g_string_append (pattern, "*a");
  g_string_append (pattern, "*b$\n");
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (path, 'a');

  robots = trawl_robots_parse (pattern->str, pattern->len, "trawl");
  for (guint i = 0; i < 100; i++)
    g_assert_true (trawl_robots_is_allowed (robots, path->str));

  g_string_append_c (path, 'b');
  g_assert_false (trawl_robots_is_allowed (robots, path->str));

  /* Generous, so that valgrind passes too: the matcher needs about a
   * millisecond, backtracking would need years. */
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 5.0);
}

/* Only TRAWL_ROBOTS_MAX_SIZE bytes are read, and a line cut by the limit
 * is dropped rather than read in part. */
static void
test_size_limit (void)
{
  static const char head[] = "User-agent: *\nDisallow: /early\n";
  g_autoptr (GString) text = g_string_new (head);
  g_autoptr (TrawlRobots) robots = NULL;

  while (text->len < TRAWL_ROBOTS_MAX_SIZE)
    g_string_append (text, "# padding padding padding padding padding\n");
  /* The limit falls right after "Disallow: /p". */
  g_string_truncate (text, TRAWL_ROBOTS_MAX_SIZE - strlen ("\nDisallow: /p"));
  g_string_append (text, "\nDisallow: /private-area\nDisallow: /late\n");

  robots = trawl_robots_parse (text->str, text->len, "trawl");

  g_assert_false (trawl_robots_is_allowed (robots, "/early"));
  g_assert_true (trawl_robots_is_allowed (robots, "/p"));
  g_assert_true (trawl_robots_is_allowed (robots, "/late"));
}

static void
test_line_handling (void)
{
  /* A BOM, CR line ends, comments, typos, a forgotten colon and bytes that
   * are not UTF-8 in one file. */
  static const char text[] =
    "\xef\xbb\xbfuser agent: trawl\r"
    "dissalow /a # the slash is not the comment\r\n"
    "\xff\xfe garbage line\n"
    "DISALLOW:/b\xff\n"
    "Allow: /a/index.html\n";
  g_autoptr (TrawlRobots) robots = trawl_robots_parse (text, sizeof text - 1, "trawl");

  g_assert_false (trawl_robots_is_allowed (robots, "/a/x"));
  g_assert_false (trawl_robots_is_allowed (robots, "/b%FF/x"));
  g_assert_true (trawl_robots_is_allowed (robots, "/b/x"));
  g_assert_true (trawl_robots_is_allowed (robots, "/a/index.html"));
  g_assert_true (trawl_robots_is_allowed (robots, "/a/"));
  g_assert_false (trawl_robots_is_allowed (robots, "/a/other.html"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robots/corpus/standard", test_corpus_standard);
  g_test_add_func ("/robots/corpus/google-specific", test_corpus_google_specific);
  g_test_add_func ("/robots/crawl-delay", test_crawl_delay);
  g_test_add_func ("/robots/sitemaps", test_sitemaps);
  g_test_add_func ("/robots/product-token", test_product_token);
  g_test_add_func ("/robots/allow-disallow-all", test_allow_disallow_all);
  g_test_add_func ("/robots/robots-txt-path", test_robots_txt_path);
  g_test_add_func ("/robots/url-forms", test_url_forms);
  g_test_add_func ("/robots/wildcards", test_wildcards);
  g_test_add_func ("/robots/pathological-pattern", test_pathological_pattern);
  g_test_add_func ("/robots/size-limit", test_size_limit);
  g_test_add_func ("/robots/line-handling", test_line_handling);

  return g_test_run ();
}
