/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c — the GUI's entry point. */
#include "config.h"

#include "trawl-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr (TrawlApplication) app = trawl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
