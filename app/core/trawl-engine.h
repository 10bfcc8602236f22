/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-engine.h — the crawler, in its own thread. */
#pragma once

#include <glib-object.h>

#include "trawl-job.h"
#include "trawl-stats.h"
#include "trawl-store.h"

G_BEGIN_DECLS

typedef enum {
  TRAWL_ENGINE_READY,      /* created, not started */
  TRAWL_ENGINE_RUNNING,
  TRAWL_ENGINE_PAUSED,     /* by the user, or by itself: see trawl_engine_get_problem() */
  TRAWL_ENGINE_STOPPING,   /* requests in flight finish, nothing new starts */
  TRAWL_ENGINE_FINISHED,   /* nothing left to crawl, or a limit was reached */
  TRAWL_ENGINE_STOPPED,    /* stopped by the user; resume continues it */
  TRAWL_ENGINE_FAILED,     /* the crawl file could not be written */
} TrawlEngineState;

const char *trawl_engine_state_to_string   (TrawlEngineState  state);
gboolean    trawl_engine_state_from_string (const char       *name,
                                            TrawlEngineState *state);
const char *trawl_engine_state_get_label   (TrawlEngineState  state);

/* A fetched, failed or skipped URL, as observers see it. */
typedef struct {
  gint64        id;
  char         *url;           /* owned */
  TrawlUrlState state;
  char         *reason;        /* owned, nullable */
  int           status;
  char         *content_type;  /* owned, nullable */
  char         *title;         /* owned, nullable */
  gint64        bytes;
  int           depth;
  int           fetch_ms;
} TrawlPageEvent;

void trawl_page_event_free (TrawlPageEvent *event);

#define TRAWL_TYPE_ENGINE (trawl_engine_get_type ())
G_DECLARE_FINAL_TYPE (TrawlEngine, trawl_engine, TRAWL, ENGINE, GObject)

TrawlEngine      *trawl_engine_new             (const TrawlJob  *job,
                                                const char      *path,
                                                GError         **error);
TrawlEngine      *trawl_engine_new_resume      (const char      *path,
                                                const TrawlJob  *given,
                                                GError         **error);
const TrawlJob   *trawl_engine_get_job         (TrawlEngine     *self);
const char       *trawl_engine_get_path        (TrawlEngine     *self);
TrawlEngineState  trawl_engine_get_state       (TrawlEngine     *self);
const GError     *trawl_engine_get_error       (TrawlEngine     *self);
const GError     *trawl_engine_get_problem     (TrawlEngine     *self);
TrawlStats       *trawl_engine_get_stats       (TrawlEngine     *self);
void              trawl_engine_set_background  (TrawlEngine     *self,
                                                gboolean         background);
void              trawl_engine_start           (TrawlEngine     *self);
void              trawl_engine_pause           (TrawlEngine     *self);
void              trawl_engine_resume          (TrawlEngine     *self);
void              trawl_engine_stop            (TrawlEngine     *self);
void              trawl_engine_set_concurrency (TrawlEngine     *self,
                                                int              concurrency,
                                                int              per_host);
void              trawl_engine_set_delay       (TrawlEngine     *self,
                                                double           delay);

G_END_DECLS
