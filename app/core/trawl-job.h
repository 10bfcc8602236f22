/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-job.h — the settings of one crawl, as stored in .trawljob files. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TRAWL_JOB_ERROR (trawl_job_error_quark ())

typedef enum {
  TRAWL_JOB_ERROR_INVALID,
  TRAWL_JOB_ERROR_SECRET,   /* a secret of the job is not known */
  TRAWL_JOB_ERROR_VALUE,    /* one setting's value does not fit it */
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
  char           *auth_password;  /* in plain text; wins over auth_password_secret */
  char           *auth_password_secret; /* the id of the password's keyring item */
  char           *proxy;          /* may hold a user name; a password written in it counts as proxy_password */
  char           *proxy_password; /* in plain text; wins over proxy_password_secret */
  char           *proxy_password_secret; /* the id of the proxy password's keyring item */
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
  /* [requests], written only into crawl files */
  char          **withheld;       /* the secrets given in plain text, which a crawl file leaves out */

  /* Not a setting, and never saved: the values of the keyring items the
   * job refers to, by id, once trawl-secrets.h has looked them up or
   * stored them. */
  GHashTable     *secrets;        /* owned, nullable: id → value */
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
gboolean    trawl_job_check_value     (const char      *group,
                                       const char      *key,
                                       const char      *text,
                                       GError         **error);
GOptionGroup *trawl_job_option_group  (TrawlJob        *job);
char       *trawl_job_to_command_line (const TrawlJob  *job);

/* A secret the job refers to: the setting ("auth_password", or a header's
 * name) and the id of its keyring item.  Both point into the job. */
typedef struct {
  const char *setting;
  const char *id;
} TrawlSecretRef;

GArray     *trawl_job_list_secret_refs     (const TrawlJob  *job,
                                            gboolean         missing_only);
gboolean    trawl_job_header_is_named      (const char      *header,
                                            const char      *name);
gboolean    trawl_job_is_secret_header     (const char      *header);
const char *trawl_job_header_secret_id     (const char      *header);
char       *trawl_job_describe_secret      (const char      *setting);
const char *trawl_job_get_auth_password    (const TrawlJob  *job);
const char *trawl_job_get_proxy_password   (const TrawlJob  *job);
char       *trawl_job_dup_proxy_url        (const TrawlJob  *job);
void        trawl_job_take_proxy_password  (TrawlJob        *job);
char       *trawl_job_resolve_header       (const TrawlJob  *job,
                                            const char      *header);
GStrv       trawl_job_dup_request_headers  (const TrawlJob  *job);
gboolean    trawl_job_has_plain_secrets    (const TrawlJob  *job);
void        trawl_job_set_secret           (TrawlJob        *job,
                                            const char      *id,
                                            const char      *value);
void        trawl_job_add_secrets_from     (TrawlJob        *job,
                                            const TrawlJob  *from);
gboolean    trawl_job_check_secrets        (const TrawlJob  *job,
                                            GError         **error);
char       *trawl_job_to_crawl_data        (const TrawlJob  *job);

GType       trawl_job_get_type        (void) G_GNUC_CONST;
#define TRAWL_TYPE_JOB (trawl_job_get_type ())

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrawlJob, trawl_job_free)

G_END_DECLS
