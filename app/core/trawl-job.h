/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-job.h — the settings of one crawl, as stored in .trawljob files. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TRAWL_JOB_ERROR (trawl_job_error_quark ())

typedef enum {
  TRAWL_JOB_ERROR_INVALID,
} TrawlJobError;

typedef enum {
  TRAWL_SCOPE_HOST,   /* only the start URLs' hosts */
  TRAWL_SCOPE_SITE,   /* those hosts and their subdomains */
  TRAWL_SCOPE_ANY,    /* anything reachable */
} TrawlScope;

typedef enum {
  TRAWL_ORDER_BREADTH,
  TRAWL_ORDER_DEPTH,
} TrawlOrder;

typedef enum {
  TRAWL_DELAY_RANDOM,  /* 0.5–1.5 × delay, as Scrapy does */
  TRAWL_DELAY_FIXED,
  TRAWL_DELAY_AUTO,    /* AutoThrottle from the latency */
} TrawlDelayMode;

typedef enum {
  TRAWL_ROBOTS_OBEY,
  TRAWL_ROBOTS_IGNORE,
  TRAWL_ROBOTS_REPORT, /* fetch anyway, but record what robots.txt would block */
} TrawlRobotsMode;

/* Every field is a key in the job file and a trawl-cli flag; see
 * trawl-job.c's option table, which is the one place that lists them. */
typedef struct {
  /* [crawl] */
  char          **start_urls;
  gboolean        list_mode;
  gboolean        sitemaps;
  /* [scope] */
  TrawlScope      scope;
  char          **include;
  char          **exclude;
  int             max_depth;      /* -1: no limit */
  int             max_pages;      /* 0: no limit */
  double          max_time;       /* seconds; 0: no limit */
  int             max_url_length;
  int             max_links;      /* of one page; 0: no limit */
  gboolean        follow_nofollow;
  gboolean        resources;      /* also fetch images, scripts and stylesheets */
  TrawlOrder      order;
  /* [speed] */
  int             concurrency;
  int             per_host;
  double          delay;
  TrawlDelayMode  delay_mode;
  double          autothrottle_target;
  double          max_delay;
  /* [robots] */
  TrawlRobotsMode robots;
  double          max_crawl_delay;
  /* [requests] */
  char           *user_agent;
  char          **headers;
  gboolean        cookies;
  char           *auth_user;
  char           *auth_password;
  char           *proxy;
  char           *ca_file;        /* PEM authorities trusted besides the system's */
  double          timeout;
  int             retries;
  int             max_redirects;
  gint64          max_size;
  gboolean        compression;
  gboolean        block_private;  /* refuse private, loopback and link-local addresses */
  /* [storage] */
  gboolean        store_bodies;
  /* [extract] */
  char          **extract;        /* rules, as trawl-extract.h reads them */
} TrawlJob;

GQuark      trawl_job_error_quark     (void);
TrawlJob   *trawl_job_new             (void);
TrawlJob   *trawl_job_copy            (const TrawlJob  *job);
void        trawl_job_free            (TrawlJob        *job);
TrawlJob   *trawl_job_load_file       (const char      *path,
                                       GError         **error);
TrawlJob   *trawl_job_load_data       (const char      *data,
                                       GError         **error);
char       *trawl_job_to_data         (const TrawlJob  *job);
gboolean    trawl_job_save_file       (const TrawlJob  *job,
                                       const char      *path,
                                       GError         **error);
gboolean    trawl_job_validate        (const TrawlJob  *job,
                                       GError         **error);
GOptionGroup *trawl_job_option_group  (TrawlJob        *job);
char       *trawl_job_to_command_line (const TrawlJob  *job);

GType       trawl_job_get_type        (void) G_GNUC_CONST;
#define TRAWL_TYPE_JOB (trawl_job_get_type ())

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlJob, trawl_job_free)

G_END_DECLS
