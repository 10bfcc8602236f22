/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-css.c — CSS selectors translated to XPath (trawl-css.c).
 *
 * The input is a selector.  Whatever it translates to, for a document and
 * for a record's fields, must be an XPath expression libxml2 compiles, and
 * evaluating it on a small page must not crash libxml2.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-css.h"

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

static const char page[] =
  "<!DOCTYPE html><html lang=en><head><title>T</title></head><body>"
  "<ul><li class='p a'><a href=/x id=x>x</a></li><li></li><li lang=en-GB><b>b</b> t</li></ul>"
  "<div data-v=\"a'b\"><p>1</p><p>2</p><p>3</p></div></body></html>";

/* Errors of libxml2 are no findings; it reports them on stderr. */
static void
ignore_error (void        *data,
              xmlErrorPtr  error)
{
}

static void
check (xmlDocPtr   doc,
       const char *selector,
       gboolean    relative)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *xpath = trawl_css_to_xpath (selector, relative, &error);
  xmlXPathCompExprPtr compiled;
  xmlXPathContextPtr context;
  xmlXPathObjectPtr result;

  g_assert_true ((xpath == NULL) == (error != NULL));
  if (xpath == NULL)
    {
      g_assert_true (g_utf8_validate (error->message, -1, NULL) || !g_utf8_validate (selector, -1, NULL));
      return;
    }

  compiled = xmlXPathCompile ((const xmlChar *) xpath);
  if (compiled == NULL)
    g_error ("“%s” became “%s”, which libxml2 does not compile", selector, xpath);
  context = xmlXPathNewContext (doc);
  context->node = relative ? xmlDocGetRootElement (doc) : (xmlNodePtr) doc;
  result = xmlXPathCompiledEval (compiled, context);
  g_assert_nonnull (result);
  g_assert_true (result->type == XPATH_NODESET);
  xmlXPathFreeObject (result);
  xmlXPathFreeContext (context);
  xmlXPathFreeCompExpr (compiled);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static xmlDocPtr doc;
  g_autofree char *selector = g_strndup ((const char *) data, size);

  if (doc == NULL)
    {
      xmlSetStructuredErrorFunc (NULL, ignore_error);
      doc = htmlReadMemory (page, sizeof page - 1, "http://example.org/", "UTF-8",
                            HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    }
  check (doc, selector, FALSE);
  check (doc, selector, TRUE);
  return 0;
}
