/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-secrets.h — a job's passwords and cookies, kept in the keyring. */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "trawl-job.h"

G_BEGIN_DECLS

#define TRAWL_SECRETS_ERROR (trawl_secrets_error_quark ())

typedef enum {
  TRAWL_SECRETS_ERROR_UNAVAILABLE, /* no Secret Service, or it failed */
  TRAWL_SECRETS_ERROR_MISSING,     /* no such item, or the keyring stayed locked */
} TrawlSecretsError;

GQuark              trawl_secrets_error_quark   (void);
const SecretSchema *trawl_secrets_get_schema    (void);

void                trawl_secrets_lookup_async  (const TrawlJob       *job,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
TrawlJob           *trawl_secrets_lookup_finish (GAsyncResult         *result,
                                                 GError              **error);
gboolean            trawl_secrets_lookup_sync   (TrawlJob             *job,
                                                 GCancellable         *cancellable,
                                                 GError              **error);

void                trawl_secrets_store_async   (const TrawlJob       *job,
                                                 const TrawlJob       *previous,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
TrawlJob           *trawl_secrets_store_finish  (GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
