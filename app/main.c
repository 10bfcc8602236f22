/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — the GUI's entry point. */
#include "config.h"

#include "trawl-application.h"

#include <glib/gi18n.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

int
main (int    argc,
      char **argv)
{
  g_autoptr (TrawlApplication) app = NULL;
  const char *localedir;

#ifdef __GLIBC__
  /* Each frame is drawn into a new image the size of what changed, a few
   * MB when much of the window does.  By default glibc hands memory that
   * size back to the kernel when it is freed, and getting it again costs
   * a page fault per 4 KB: 15–20 ms of a frame at the end of a crawl,
   * when counters, chart, buttons and title all change.  Kept instead,
   * the next frame reuses it. */
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
  /* The strings in the code and in the templates are looked up in the
   * catalogue installed under LOCALEDIR; GTK's own (button labels, the
   * file chooser) come from its domain, set up when GTK starts.
   * TRAWL_LOCALEDIR points elsewhere, such as the build tree's po/, so
   * that a translation can be seen before it is installed. */
  localedir = g_getenv ("TRAWL_LOCALEDIR");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = trawl_application_new ();
  /* What "trawl --help" says; trawl(1) has the rest. */
  g_application_set_option_context_parameter_string (G_APPLICATION (app), _("[FILE…] [URL…]"));
  g_application_set_option_context_summary (G_APPLICATION (app),
                                            _("Open crawl files (.trawl) in the Trawl window, or crawl web addresses;\n"
                                              "a job file (.trawljob) given first sets the crawl's settings."));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
