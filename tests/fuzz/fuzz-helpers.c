/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-helpers.c — what the libFuzzer targets in tests/fuzz share. */
#include "config.h"

#include "fuzz-helpers.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

/* A critical or a warning is a bug the fuzzer found, like a crash:
 * GLib's g_return_if_fail() checks would otherwise only log and carry on.
 * abort() rather than GLib's own fatal messages, whose SIGTRAP libFuzzer
 * does not catch. */
static GLogWriterOutput
write_fatally (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  GLogWriterOutput written = g_log_writer_default (level, fields, n_fields, user_data);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return written;
}

/* libFuzzer calls this once, before the first input. */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (write_fatally, NULL, NULL);
  xmlInitParser ();
  return 0;
}

/**
 * fuzz_next_line:
 * @data: (inout): the input left
 * @size: (inout): its length
 *
 * Takes the first line of the input, for targets that read several
 * strings from one input (a URL, then a body).  A NUL byte ends the
 * string early, as it would in C.
 *
 * Returns: (transfer full): the line, without its "\n"
 */
char *
fuzz_next_line (const uint8_t **data,
                size_t         *size)
{
  const uint8_t *end = *size > 0 ? memchr (*data, '\n', *size) : NULL;
  size_t len = end != NULL ? (size_t) (end - *data) : *size;
  char *line = g_strndup ((const char *) *data, len);

  *data += MIN (len + 1, *size);
  *size -= MIN (len + 1, *size);
  return line;
}
