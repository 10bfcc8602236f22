/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-latency.h — how late the GUI's main loop runs, for the benchmarks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void trawl_latency_probe_start (const char *report_path);

G_END_DECLS
