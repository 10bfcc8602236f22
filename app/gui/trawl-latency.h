/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-latency.h — how late the GUI's main loop runs, for the benchmarks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     trawl_latency_probe_start      (const char *report_path);
void     trawl_latency_probe_begin      (void);
gboolean trawl_latency_probe_is_running (void);

G_END_DECLS
