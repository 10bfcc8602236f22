/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — the GUI's entry point. */
#include "config.h"

#include "trawl-application.h"
#include "trawl-i18n.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

int
main (int    argc,
      char **argv)
{
  g_autoptr (TrawlApplication) app = NULL;

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
  trawl_i18n_init ();

  app = trawl_application_new ();
  /* What "trawl --help" says; trawl(1) has the rest. */
  g_application_set_option_context_parameter_string (G_APPLICATION (app), _("[FILE…] [URL…]"));
  g_application_set_option_context_summary (G_APPLICATION (app),
                                            _("Open crawl files (.trawl) in the Trawl window, or crawl web addresses;\n"
                                              "a job file (.trawljob) given first sets the crawl's settings."));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
