/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-helpers.h — what the libFuzzer targets in tests/fuzz share. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* libFuzzer's entry points, which no header declares. */
int   LLVMFuzzerInitialize   (int            *argc,
                              char         ***argv);
int   LLVMFuzzerTestOneInput (const uint8_t  *data,
                              size_t          size);

char *fuzz_next_line         (const uint8_t **data,
                              size_t         *size);

G_END_DECLS
