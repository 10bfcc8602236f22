/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-job.c — .trawljob files (trawl-job.c).
 *
 * The input is a job file.  One that loads must validate without a
 * crash, save to a file that loads again to the same settings, and make
 * a command line; its crawl-file copy must load and hold no secret in
 * plain text.
 */
#include "config.h"

#include "fuzz-helpers.h"
#include "trawl-job.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (TrawlJob) job = trawl_job_load_data (text, &error);
  g_autoptr (TrawlJob) again = NULL;
  g_autoptr (TrawlJob) copy = NULL;
  g_autoptr (GError) validate_error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *resaved = NULL;
  g_autofree char *command = NULL;
  g_autofree char *sealed_data = NULL;
  g_autofree char *proxy = NULL;
  g_autoptr (TrawlJob) sealed = NULL;

  g_assert_true ((job == NULL) == (error != NULL));
  if (job == NULL)
    return 0;

  if (!trawl_job_validate (job, &validate_error))
    g_assert_nonnull (validate_error);

  saved = trawl_job_to_data (job);
  again = trawl_job_load_data (saved, &error);
  g_assert_no_error (error);
  resaved = trawl_job_to_data (again);
  copy = trawl_job_copy (again);
  g_assert_cmpstr (resaved, ==, saved);
  command = trawl_job_to_command_line (copy);
  g_assert_true (g_str_has_prefix (command, "trawl-cli crawl"));

  proxy = trawl_job_dup_proxy_url (job);
  g_assert_true ((proxy == NULL) == (job->proxy == NULL));
  sealed_data = trawl_job_to_crawl_data (job);
  sealed = trawl_job_load_data (sealed_data, &error);
  g_assert_no_error (error);
  g_assert_false (trawl_job_has_plain_secrets (sealed));
  return 0;
}
