/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-i18n.c — the locale and the message catalogue, for both executables.
 *
 * The strings of the core, the window and trawl-cli are looked up in the
 * one catalogue installed under LOCALEDIR; GTK's own (button labels, the
 * file chooser) come from its domain, set up when GTK starts.
 * TRAWL_LOCALEDIR points elsewhere, such as the build tree's po/, so that
 * a translation can be seen before it is installed.
 */
#include "config.h"

#include "trawl-i18n.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

/**
 * trawl_i18n_init:
 *
 * Takes the locale from the environment and binds Trawl's catalogue, in
 * UTF-8 whatever the locale's own encoding.  Call it first in main().
 *
 * Returns: whether the C library has the environment's locale; without
 *   it, messages stay in English.
 */
gboolean
trawl_i18n_init (void)
{
  const char *localedir = g_getenv ("TRAWL_LOCALEDIR");
  gboolean supported = setlocale (LC_ALL, "") != NULL;

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return supported;
}
