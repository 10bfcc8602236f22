/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-robots.c — robots.txt rules (RFC 9309) for one user agent.
 *
 * The parser follows RFC 9309 and, where the RFC leaves room, Google's
 * open-source parser: it skips a (partial) byte order mark, accepts the
 * frequent misspellings of the keys and a forgotten colon, and treats
 * "Allow: /dir/index.html" as also allowing "/dir/".  Only the rules of the
 * groups that apply to our agent are kept, sorted so that the first pattern
 * that matches a path is the one that decides.
 */
#define G_LOG_DOMAIN "trawl-robots"

#include "config.h"

#include "trawl-robots.h"

#include <string.h>

typedef struct
{
  char     *pattern;
  gsize     length;
  /* The bytes a path needs at least to match: '*' and a final '$' take
   * none, so paths shorter than this are rejected without matching. */
  gsize     min_path_length;
  gboolean  allow;
} TrawlRobotsRule;

struct _TrawlRobots
{
  GArray    *rules;
  double     crawl_delay;
  GPtrArray *sitemaps;
};

typedef enum
{
  KEY_UNKNOWN,
  KEY_USER_AGENT,
  KEY_ALLOW,
  KEY_DISALLOW,
  KEY_CRAWL_DELAY,
  KEY_SITEMAP,
} RobotsKey;

typedef struct
{
  /* Our product token; empty when we have none, so that only "*" groups
   * apply to us. */
  const char *agent;
  gsize       agent_length;

  /* Whether the group being read names our agent, or "*". */
  gboolean    in_specific;
  gboolean    in_global;
  /* Whether the group being read has had a member line: the next
   * user-agent line then starts a new group instead of joining this one. */
  gboolean    group_has_members;
  /* Whether any group names our agent, which makes "*" groups irrelevant. */
  gboolean    seen_specific;

  GArray     *specific_rules;
  GArray     *global_rules;
  double      specific_delay;
  double      global_delay;

  GPtrArray  *sitemaps;
  GHashTable *seen_sitemaps;
} ParseState;

static void
rule_clear (gpointer data)
{
  TrawlRobotsRule *rule = data;

  g_free (rule->pattern);
}

static GArray *
rule_array_new (void)
{
  GArray *rules = g_array_new (FALSE, FALSE, sizeof (TrawlRobotsRule));

  g_array_set_clear_func (rules, rule_clear);

  return rules;
}

/* Longest pattern first and, on equal length, allow before disallow, so
 * that the first rule that matches is the one RFC 9309 applies. */
static int
rule_compare (gconstpointer a,
              gconstpointer b)
{
  const TrawlRobotsRule *rule_a = a;
  const TrawlRobotsRule *rule_b = b;

  if (rule_a->length != rule_b->length)
    return rule_a->length > rule_b->length ? -1 : 1;

  return (int) rule_b->allow - (int) rule_a->allow;
}

/* Reserving one slot makes pdata a valid empty list from the start. */
static GPtrArray *
sitemap_array_new (void)
{
  return g_ptr_array_new_null_terminated (1, g_free, TRUE);
}

static TrawlRobots *
trawl_robots_new (GArray    *rules,
                  double     crawl_delay,
                  GPtrArray *sitemaps)
{
  TrawlRobots *robots = g_new0 (TrawlRobots, 1);

  g_array_sort (rules, rule_compare);

  robots->rules = rules;
  robots->crawl_delay = crawl_delay;
  robots->sitemaps = sitemaps;

  return robots;
}

static gsize
product_token_length (const char *s,
                      gsize       length)
{
  gsize i = 0;

  while (i < length && (g_ascii_isalpha (s[i]) || s[i] == '_' || s[i] == '-'))
    i++;

  return i;
}

static gboolean
is_line_end (char c)
{
  return c == '\n' || c == '\r';
}

static gboolean
is_escape_at (const char *s,
              gsize       length,
              gsize       i)
{
  return i + 2 < length && s[i] == '%' &&
         g_ascii_isxdigit (s[i + 1]) && g_ascii_isxdigit (s[i + 2]);
}

/* Whether s[i] is one of the two hex digits of a %XX escape. */
static gboolean
is_escape_digit (const char *s,
                 gsize       length,
                 gsize       i)
{
  return (i >= 1 && is_escape_at (s, length, i - 1)) ||
         (i >= 2 && is_escape_at (s, length, i - 2));
}

/* Compares a run of pattern bytes holding no '*' with the path.  Patterns
 * keep their escapes in upper case, so a path escape in lower case still
 * matches: "%e3" and "%E3" stand for the same byte. */
static gboolean
segment_equal (const char *segment,
               gsize       length,
               const char *path)
{
  for (gsize i = 0; i < length; i++)
    {
      if (segment[i] == path[i])
        continue;
      if (g_ascii_toupper (path[i]) != segment[i] || !is_escape_digit (segment, length, i))
        return FALSE;
    }

  return TRUE;
}

/* Returns the position of the first occurrence of the segment in
 * path[from..length), or -1. */
static gssize
segment_find (const char *segment,
              gsize       segment_length,
              const char *path,
              gsize       from,
              gsize       path_length)
{
  for (gsize i = from; i + segment_length <= path_length; i++)
    if (segment_equal (segment, segment_length, path + i))
      return i;

  return -1;
}

static gsize
find_star (const char *pattern,
           gsize       from,
           gsize       length)
{
  const char *star = memchr (pattern + from, '*', length - from);

  return star != NULL ? (gsize) (star - pattern) : length;
}

/* Matches a robots.txt pattern against the start of a path.  The pattern
 * is cut at its '*'s into literal segments: the first must start the path,
 * each later one is taken at its leftmost place after the previous one
 * (which never loses a match when the only wildcard is '*'), and with a
 * final '$' the last one must end the path.  This takes at most
 * O(path × pattern) steps and no memory, where backtracking would go
 * exponential on patterns with many '*'. */
static gboolean
rule_matches (const TrawlRobotsRule *rule,
              const char            *path,
              gsize                  path_length)
{
  const char *pattern = rule->pattern;
  gsize length = rule->length;
  gboolean anchored = FALSE;
  gsize segment_end;
  gsize path_pos;
  gsize pattern_pos;

  if (length > 0 && pattern[length - 1] == '$')
    {
      anchored = TRUE;
      length--;
    }

  segment_end = find_star (pattern, 0, length);
  if (path_length < segment_end || !segment_equal (pattern, segment_end, path))
    return FALSE;
  if (segment_end == length)
    return !anchored || path_length == length;

  path_pos = segment_end;
  pattern_pos = segment_end;

  for (;;)
    {
      gsize segment_start;
      gsize segment_length;
      gssize found;

      while (pattern_pos < length && pattern[pattern_pos] == '*')
        pattern_pos++;

      segment_start = pattern_pos;
      segment_end = find_star (pattern, segment_start, length);
      segment_length = segment_end - segment_start;

      if (segment_end == length && anchored)
        return path_length - path_pos >= segment_length &&
               segment_equal (pattern + segment_start, segment_length,
                              path + path_length - segment_length);

      found = segment_find (pattern + segment_start, segment_length, path, path_pos, path_length);
      if (found < 0)
        return FALSE;
      if (segment_end == length)
        return TRUE;

      path_pos = found + segment_length;
      pattern_pos = segment_end;
    }
}

/* Finds the path and query of @url without copying it, unless a slash
 * has to be put in front ("http://host?q" asks for "/?q"), which
 * canonical URLs never need. */
static const char *
get_path_query (const char  *url,
                gsize       *length,
                char       **owned)
{
  const char *start = url;
  gsize span;

  if (url[0] != '/' || url[1] == '/')
    {
      const char *scheme_end = strstr (url, "://");

      if (url[0] == '/')
        start = url + 2;
      else if (scheme_end != NULL && (gsize) (scheme_end - url) < strcspn (url, "/?#"))
        start = scheme_end + 3;
      else
        start = "";

      start += strcspn (start, "/?#");
    }

  span = strcspn (start, "#");
  if (span == 0)
    {
      *length = 1;
      return "/";
    }

  if (start[0] != '/')
    {
      *owned = g_strdup_printf ("/%.*s", (int) span, start);
      *length = span + 1;
      return *owned;
    }

  *length = span;
  return start;
}

static RobotsKey
classify_key (const char *key,
              gsize       length)
{
  static const struct {
    const char *name;
    RobotsKey   key;
  } keys[] = {
    { "user-agent", KEY_USER_AGENT },
    { "allow", KEY_ALLOW },
    { "disallow", KEY_DISALLOW },
    { "crawl-delay", KEY_CRAWL_DELAY },
    { "sitemap", KEY_SITEMAP },
    /* Misspellings frequent enough that Google's parser accepts them. */
    { "useragent", KEY_USER_AGENT },
    { "user agent", KEY_USER_AGENT },
    { "dissallow", KEY_DISALLOW },
    { "dissalow", KEY_DISALLOW },
    { "disalow", KEY_DISALLOW },
    { "diasllow", KEY_DISALLOW },
    { "disallaw", KEY_DISALLOW },
    { "site-map", KEY_SITEMAP },
  };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strlen (keys[i].name) == length && g_ascii_strncasecmp (key, keys[i].name, length) == 0)
      return keys[i].key;

  return KEY_UNKNOWN;
}

/* Percent-encodes bytes outside ASCII and upper-cases the hex digits of
 * escapes, so that patterns compare with URLs as browsers send them. */
static char *
normalize_pattern (const char *value,
                   gsize       length,
                   gsize      *out_length)
{
  static const char hex[] = "0123456789ABCDEF";
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      guchar c = value[i];

      if (c >= 0x80)
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 15]);
        }
      else if (is_escape_at (value, length, i))
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, g_ascii_toupper (value[i + 1]));
          g_string_append_c (out, g_ascii_toupper (value[i + 2]));
          i += 2;
        }
      else
        g_string_append_c (out, c);
    }

  *out_length = out->len;
  return g_string_free (out, FALSE);
}

static void
add_rule (GArray     *rules,
          const char *value,
          gsize       length,
          gboolean    allow)
{
  TrawlRobotsRule rule = { NULL, 0, 0, allow };

  /* An empty value matches nothing (RFC 9309, 2.2.2). */
  if (length == 0)
    return;

  rule.pattern = normalize_pattern (value, length, &rule.length);
  for (gsize i = 0; i < rule.length; i++)
    if (rule.pattern[i] != '*' && !(rule.pattern[i] == '$' && i + 1 == rule.length))
      rule.min_path_length++;

  g_array_append_val (rules, rule);
}

static void
add_member_rule (ParseState *state,
                 const char *value,
                 gsize       length,
                 gboolean    allow)
{
  if (state->in_specific)
    add_rule (state->specific_rules, value, length, allow);
  if (state->in_global)
    add_rule (state->global_rules, value, length, allow);
}

static void
handle_user_agent (ParseState *state,
                   const char *value,
                   gsize       length)
{
  gsize token_length;

  if (state->group_has_members)
    {
      state->in_specific = FALSE;
      state->in_global = FALSE;
      state->group_has_members = FALSE;
    }

  /* "* anything" is still the global group, as in Google's parser. */
  if (length >= 1 && value[0] == '*' && (length == 1 || g_ascii_isspace (value[1])))
    {
      state->in_global = TRUE;
      return;
    }

  /* Lines often carry more than the token ("FooBot/2.1", "Foo Bar"): only
   * the token is compared, as Google's parser does. */
  token_length = product_token_length (value, length);
  if (token_length > 0 && token_length == state->agent_length &&
      g_ascii_strncasecmp (value, state->agent, token_length) == 0)
    {
      state->in_specific = TRUE;
      state->seen_specific = TRUE;
    }
}

static void
handle_allow (ParseState *state,
              const char *value,
              gsize       length)
{
  static const char index_page[] = "/index.htm";
  gsize slash = length;

  add_member_rule (state, value, length, TRUE);

  while (slash > 0 && value[slash - 1] != '/')
    slash--;

  /* Servers answer "/dir/" with "/dir/index.html", so allowing the one
   * means allowing the other, as Google's parser assumes. */
  if (slash > 0 && length - (slash - 1) >= strlen (index_page) &&
      strncmp (value + slash - 1, index_page, strlen (index_page)) == 0)
    {
      g_autofree char *directory = g_strdup_printf ("%.*s$", (int) slash, value);

      add_member_rule (state, directory, strlen (directory), TRUE);
    }
}

/* Reads a delay in seconds ("10", "0.5"); returns -1 for anything else,
 * including negative values, exponents and "inf". */
static double
parse_crawl_delay (const char *value,
                   gsize       length)
{
  g_autofree char *copy = NULL;
  double delay;
  guint digits = 0;
  guint dots = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (g_ascii_isdigit (value[i]))
        digits++;
      else if (value[i] == '.')
        dots++;
      else
        return -1;
    }

  if (digits == 0 || dots > 1)
    return -1;

  copy = g_strndup (value, length);
  delay = g_ascii_strtod (copy, NULL);

  return MIN (delay, TRAWL_ROBOTS_MAX_CRAWL_DELAY);
}

static void
handle_crawl_delay (ParseState *state,
                    const char *value,
                    gsize       length)
{
  double delay = parse_crawl_delay (value, length);

  /* The first valid delay of the groups that apply wins. */
  if (delay < 0)
    return;
  if (state->in_specific && state->specific_delay < 0)
    state->specific_delay = delay;
  if (state->in_global && state->global_delay < 0)
    state->global_delay = delay;
}

static void
handle_sitemap (ParseState *state,
                const char *value,
                gsize       length)
{
  char *sitemap;

  /* A NUL byte would cut the URL short, down to nothing at worst. */
  if (length == 0 || memchr (value, '\0', length) != NULL)
    return;

  /* Not g_hash_table_add()'s answer alone: for a key it has, it keeps
   * the new copy in place of the old, which would then be freed here. */
  sitemap = g_strndup (value, length);
  if (g_hash_table_contains (state->seen_sitemaps, sitemap))
    {
      g_free (sitemap);
      return;
    }

  g_hash_table_add (state->seen_sitemaps, sitemap);
  g_ptr_array_add (state->sitemaps, sitemap);
}

static void
strip (const char **s,
       gsize       *length)
{
  while (*length > 0 && g_ascii_isspace ((*s)[0]))
    {
      (*s)++;
      (*length)--;
    }
  while (*length > 0 && g_ascii_isspace ((*s)[*length - 1]))
    (*length)--;
}

static void
parse_line (ParseState *state,
            const char *line,
            gsize       length)
{
  const char *hash = memchr (line, '#', length);
  const char *separator;
  const char *key;
  const char *value;
  gsize key_length;
  gsize value_length;

  if (hash != NULL)
    length = hash - line;
  strip (&line, &length);
  if (length == 0)
    return;

  key = line;
  separator = memchr (line, ':', length);
  if (separator != NULL)
    {
      key_length = separator - line;
      value = separator + 1;
      value_length = line + length - value;
    }
  else
    {
      /* A forgotten colon is accepted when white space separates exactly
       * two words ("Disallow /"), as Google's parser does. */
      key_length = 0;
      while (key_length < length && !g_ascii_isspace (line[key_length]))
        key_length++;
      value = line + key_length;
      value_length = length - key_length;
      strip (&value, &value_length);
      if (value_length == 0)
        return;
      for (gsize i = 0; i < value_length; i++)
        if (g_ascii_isspace (value[i]))
          return;
    }

  strip (&key, &key_length);
  strip (&value, &value_length);
  if (key_length == 0)
    return;

  switch (classify_key (key, key_length))
    {
    case KEY_USER_AGENT:
      handle_user_agent (state, value, value_length);
      break;

    case KEY_ALLOW:
      state->group_has_members = TRUE;
      handle_allow (state, value, value_length);
      break;

    case KEY_DISALLOW:
      state->group_has_members = TRUE;
      add_member_rule (state, value, value_length, FALSE);
      break;

    case KEY_CRAWL_DELAY:
      state->group_has_members = TRUE;
      handle_crawl_delay (state, value, value_length);
      break;

    case KEY_SITEMAP:
      /* Sitemaps belong to no group (RFC 9309, 2.3.5). */
      handle_sitemap (state, value, value_length);
      break;

    case KEY_UNKNOWN:
      break;
    }
}

/**
 * trawl_robots_parse:
 * @data: (array length=length): the body of a robots.txt, in any encoding
 * @length: the length of @data in bytes
 * @user_agent: the crawler's product token, or its whole User-Agent header
 *
 * Parses a robots.txt and keeps the rules for @user_agent: those of the
 * groups naming its product token (see trawl_robots_product_token()), or
 * when there are none, those of the "*" groups.  A product token followed
 * by anything but the end, '/' or white space (such as "AB42bot") is not a
 * valid RFC 9309 token and only obeys the "*" groups, so that it never
 * picks up rules written for another agent ("AB").
 *
 * Only the first %TRAWL_ROBOTS_MAX_SIZE bytes are read; a line cut by that
 * limit is dropped rather than read in part.
 *
 * Returns: (transfer full): the rules that apply to @user_agent
 */
TrawlRobots *
trawl_robots_parse (const char *data,
                    gsize       length,
                    const char *user_agent)
{
  static const guchar bom[] = { 0xEF, 0xBB, 0xBF };
  ParseState state = { 0 };
  gsize token_length;
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (user_agent != NULL, NULL);

  token_length = product_token_length (user_agent, strlen (user_agent));
  if (user_agent[token_length] == '\0' || user_agent[token_length] == '/' ||
      g_ascii_isspace (user_agent[token_length]))
    {
      state.agent = user_agent;
      state.agent_length = token_length;
    }

  state.specific_rules = rule_array_new ();
  state.global_rules = rule_array_new ();
  state.specific_delay = -1;
  state.global_delay = -1;
  state.sitemaps = sitemap_array_new ();
  state.seen_sitemaps = g_hash_table_new (g_str_hash, g_str_equal);

  /* A rule cut in half can say more than the whole one: "Disallow: /private"
   * would become "Disallow: /". */
  if (length > TRAWL_ROBOTS_MAX_SIZE)
    {
      length = TRAWL_ROBOTS_MAX_SIZE;
      while (length > 0 && !is_line_end (data[length]))
        length--;
    }

  /* Byte order marks, even partial ones, are skipped at the start only. */
  while (pos < length && pos < G_N_ELEMENTS (bom) && (guchar) data[pos] == bom[pos])
    pos++;

  while (pos < length)
    {
      gsize end = pos;

      while (end < length && !is_line_end (data[end]))
        end++;

      /* CR LF yields an extra empty line, which means nothing. */
      parse_line (&state, data + pos, end - pos);
      pos = end + 1;
    }

  g_hash_table_unref (state.seen_sitemaps);

  if (state.seen_specific)
    {
      g_array_unref (state.global_rules);
      return trawl_robots_new (state.specific_rules, state.specific_delay, state.sitemaps);
    }

  g_array_unref (state.specific_rules);
  return trawl_robots_new (state.global_rules, state.global_delay, state.sitemaps);
}

/**
 * trawl_robots_new_allow_all:
 *
 * Creates rules that allow everything, for a site whose robots.txt is
 * missing or unavailable (4xx), as RFC 9309 asks.
 *
 * Returns: (transfer full): the rules
 */
TrawlRobots *
trawl_robots_new_allow_all (void)
{
  return trawl_robots_new (rule_array_new (), -1, sitemap_array_new ());
}

/**
 * trawl_robots_new_disallow_all:
 *
 * Creates rules that disallow everything, for a site whose robots.txt is
 * unreachable (5xx, network errors), as RFC 9309 asks.
 *
 * Returns: (transfer full): the rules
 */
TrawlRobots *
trawl_robots_new_disallow_all (void)
{
  GArray *rules = rule_array_new ();

  add_rule (rules, "/", 1, FALSE);

  return trawl_robots_new (rules, -1, sitemap_array_new ());
}

/**
 * trawl_robots_is_allowed:
 * @robots: the rules
 * @url: an absolute URL, or a path starting with '/'
 *
 * Checks the path and query of @url (not its fragment) against the rules:
 * the longest matching pattern decides, allow winning a tie, and a URL no
 * pattern matches is allowed.  Escapes in @url are compared as they are,
 * except for the case of their hex digits; bytes outside ASCII must be
 * percent-encoded, as trawl_url_resolve() does.
 *
 * Returns: whether @robots allow fetching @url
 */
gboolean
trawl_robots_is_allowed (const TrawlRobots *robots,
                         const char        *url)
{
  g_autofree char *owned = NULL;
  const char *path;
  gsize path_length;

  g_return_val_if_fail (robots != NULL, FALSE);
  g_return_val_if_fail (url != NULL, FALSE);

  if (robots->rules->len == 0)
    return TRUE;

  path = get_path_query (url, &path_length, &owned);

  for (guint i = 0; i < robots->rules->len; i++)
    {
      const TrawlRobotsRule *rule = &g_array_index (robots->rules, TrawlRobotsRule, i);

      if (path_length >= rule->min_path_length && rule_matches (rule, path, path_length))
        return rule->allow;
    }

  return TRUE;
}

/**
 * trawl_robots_get_crawl_delay:
 * @robots: the rules
 *
 * Gets the Crawl-delay of the groups that apply, clamped to
 * %TRAWL_ROBOTS_MAX_CRAWL_DELAY.
 *
 * Returns: the delay between requests in seconds, or -1 when the groups
 *   set none or no valid one
 */
double
trawl_robots_get_crawl_delay (const TrawlRobots *robots)
{
  g_return_val_if_fail (robots != NULL, -1);

  return robots->crawl_delay;
}

/**
 * trawl_robots_get_sitemaps:
 * @robots: the rules
 *
 * Gets the Sitemap URLs of the whole file, whichever groups they stand in,
 * in order and without duplicates.  They are given as written, so a
 * relative one has to be resolved against the robots.txt URL.
 *
 * Returns: (transfer none) (array zero-terminated=1): the sitemap URLs
 */
const char * const *
trawl_robots_get_sitemaps (const TrawlRobots *robots)
{
  g_return_val_if_fail (robots != NULL, NULL);

  return (const char * const *) robots->sitemaps->pdata;
}

/**
 * trawl_robots_product_token:
 * @user_agent: a product token or a whole User-Agent header, such as
 *   "Trawl/0.1 (+https://example.org/trawl)"
 *
 * Extracts the product token robots.txt groups name: the leading run of
 * letters, '_' and '-' ("Trawl" in the example).
 *
 * Returns: (transfer full): the product token, empty when @user_agent
 *   starts with none
 */
char *
trawl_robots_product_token (const char *user_agent)
{
  g_return_val_if_fail (user_agent != NULL, NULL);

  return g_strndup (user_agent, product_token_length (user_agent, strlen (user_agent)));
}

/**
 * trawl_robots_free:
 * @robots: (transfer full) (nullable): the rules
 *
 * Frees @robots.
 */
void
trawl_robots_free (TrawlRobots *robots)
{
  if (robots == NULL)
    return;

  g_array_unref (robots->rules);
  g_ptr_array_unref (robots->sitemaps);
  g_free (robots);
}
