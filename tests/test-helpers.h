/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-helpers.h — running crawls and reading crawl files in tests. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "trawl-engine.h"
#include "trawl-job.h"
#include "trawl-test-site.h"

G_BEGIN_DECLS

char             *test_tmp_path      (const char  *name);
double            test_slowdown      (void);
TrawlJob         *test_job_new       (const char  *start_url);
TrawlEngineState  test_run_engine    (TrawlEngine *engine);
TrawlEngineState  test_crawl         (const TrawlJob *job,
                                      const char  *path);
sqlite3          *test_open_db       (const char  *path);
gint64            test_query_int     (sqlite3     *db,
                                      const char  *sql,
                                      ...) G_GNUC_PRINTF (2, 3);
const char       *test_query_string  (sqlite3     *db,
                                      const char  *sql,
                                      ...) G_GNUC_PRINTF (2, 3);
GPtrArray        *test_query_strings (sqlite3     *db,
                                      const char  *sql);
GPtrArray        *test_whole_rows    (const char  *path,
                                      const char  *sql);
GPtrArray        *test_items_of      (const char  *path);
int               test_strcmp_ptr    (gconstpointer a,
                                      gconstpointer b);
void              test_init          (int         *argc,
                                      char      ***argv);
char             *test_keep          (char        *string);
char             *test_path_of       (const char  *base,
                                      const char  *url);
char             *test_cli_path      (void);
char             *test_refused_url   (void);
/* An Authorization header the tests put in jobs, never in files. */
#define TEST_AUTHORIZATION "Bearer tok-5a1e-not-for-files"

char             *test_member_authorization (void);
char             *test_basic_authorization (const char *credentials);
gboolean          test_file_contains (const char  *path,
                                      const char  *needle);
void              test_assert_no_secret (const char *path);
void              test_lift_page_limit (const char *crawl);
TrawlTestRequest *test_find_request  (TrawlTestSite *site,
                                      const char  *path,
                                      guint        status);
void              test_assert_logged_in (TrawlTestSite *site);
int               test_run_cli       (char       **out,
                                      char       **err,
                                      const char  *first,
                                      ...) G_GNUC_NULL_TERMINATED;
char             *test_mount_disk    (const char  *name,
                                      const char  *size);
void              test_remount_disk  (const char  *dir,
                                      const char  *options);
void              test_unmount_disk  (const char  *dir);
void              test_fill_disk     (const char  *dir,
                                      const char  *name,
                                      gsize        free);

G_END_DECLS
