/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-secrets.c — a job's passwords and cookies, kept in the keyring.
 *
 * A job file names its secrets by the ids of keyring items
 * (auth_password_secret=ID, proxy_password_secret=ID, "Cookie: secret:ID");
 * their values are looked up through the Secret Service (gnome-keyring,
 * KWallet, or in a Flatpak the secret portal, which libsecret uses by
 * itself) into job->secrets,
 * which nothing ever writes out.  The window stores what a person typed
 * before it saves a job or starts a crawl, reusing the ids the job had, so
 * that saving again replaces the items rather than leaving old ones.
 *
 * Items have the schema io.github.trawl.Trawl.Secret: "id", which finds
 * them, and "setting" ("auth_password", "proxy_password" or the header's
 * name), which says what they are in a keyring manager such as Seahorse.
 */
#define G_LOG_DOMAIN "trawl-secrets"

#include "config.h"

#include "trawl-secrets.h"

#include "trawl-url.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (trawl-secrets-error-quark, trawl_secrets_error)

/**
 * trawl_secrets_get_schema:
 *
 * Returns: (transfer none): the schema of Trawl's keyring items.
 */
const SecretSchema *
trawl_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.trawl.Trawl.Secret", SECRET_SCHEMA_NONE,
    {
      { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "setting", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* One item to look up or store. */
typedef struct {
  char *setting;
  char *id;
  char *value;  /* nullable: the value to store */
} Item;

typedef struct {
  TrawlJob *job;    /* owned: the result */
  GArray   *items;  /* owned: Item */
  guint     next;
} Op;

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->setting);
  g_free (item->id);
  g_free (item->value);
}

static void
op_free (gpointer data)
{
  Op *op = data;

  trawl_job_free (op->job);
  g_array_unref (op->items);
  g_free (op);
}

static Op *
op_new (const TrawlJob *job)
{
  Op *op = g_new0 (Op, 1);

  op->job = trawl_job_copy (job);
  op->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (op->items, item_clear);
  return op;
}

static void
op_add (Op         *op,
        const char *setting,
        const char *id,
        const char *value)
{
  Item item = { g_strdup (setting), g_strdup (id), g_strdup (value) };

  g_array_append_val (op->items, item);
}

/* A failure of the Secret Service itself, as a sentence that names the
 * secret; a cancelled operation stays G_IO_ERROR_CANCELLED. */
static void
return_error (GTask      *task,
              const char *setting,
              gboolean    storing,
              GError     *error)
{
  g_autofree char *secret = trawl_job_describe_secret (setting);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, error);
  else
    {
      if (storing)
        g_task_return_new_error (task, TRAWL_SECRETS_ERROR, TRAWL_SECRETS_ERROR_UNAVAILABLE,
                                 /* Translators: the first %s is “The password” or “The … header”. */
                                 _("%s for this job could not be kept in the keyring, which is not available: %s"),
                                 secret, error->message);
      else
        g_task_return_new_error (task, TRAWL_SECRETS_ERROR, TRAWL_SECRETS_ERROR_UNAVAILABLE,
                                 /* Translators: the first %s is “The password” or “The … header”. */
                                 _("%s for this job is kept in the keyring, which is not available: %s"),
                                 secret, error->message);
      g_error_free (error);
    }
  g_object_unref (task);
}

static void lookup_next (GTask *task);

static void
on_looked_up (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  Item *item = &g_array_index (op->items, Item, op->next);
  GError *error = NULL;
  char *value = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      return_error (task, item->setting, FALSE, error);
      return;
    }
  if (value == NULL)
    {
      g_autofree char *secret = trawl_job_describe_secret (item->setting);

      g_task_return_new_error (task, TRAWL_SECRETS_ERROR, TRAWL_SECRETS_ERROR_MISSING,
                               /* Translators: the first %s is “The password” or “The … header”. */
                               _("%s for this job is kept in the keyring, but the keyring has no item “%s” "
                                 "(it may have been deleted, or the keyring stayed locked)"),
                               secret, item->id);
      g_object_unref (task);
      return;
    }

  trawl_job_set_secret (op->job, item->id, value);
  secret_password_free (value);
  op->next++;
  lookup_next (task);
}

/* Returns the job when every item is done. */
static gboolean
op_finished (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op->next < op->items->len)
    return FALSE;
  g_task_return_pointer (task, g_steal_pointer (&op->job), (GDestroyNotify) trawl_job_free);
  g_object_unref (task);
  return TRUE;
}

static void
lookup_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  if (op_finished (task))
    return;

  secret_password_lookup (trawl_secrets_get_schema (), g_task_get_cancellable (task), on_looked_up, task,
                          "id", g_array_index (op->items, Item, op->next).id,
                          NULL);
}

/**
 * trawl_secrets_lookup_async:
 * @job: a job whose settings may refer to keyring items
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: for @callback
 *
 * Looks up the values of the keyring items @job refers to and does not
 * know yet.  A job that refers to none completes without the keyring.
 */
void
trawl_secrets_lookup_async (const TrawlJob      *job,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  Op *op;
  g_autoptr (GArray) refs = NULL;

  g_return_if_fail (job != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_secrets_lookup_async);
  op = op_new (job);
  g_task_set_task_data (task, op, op_free);

  refs = trawl_job_list_secret_refs (job, TRUE);
  for (guint i = 0; i < refs->len; i++)
    op_add (op, g_array_index (refs, TrawlSecretRef, i).setting, g_array_index (refs, TrawlSecretRef, i).id, NULL);
  lookup_next (task);
}

/**
 * trawl_secrets_lookup_finish:
 * @result: the #GAsyncResult
 * @error: why a secret could not be looked up, as a sentence naming it
 *
 * Returns: (transfer full) (nullable): a copy of the job with the values
 *   in its #TrawlJob.secrets.
 */
TrawlJob *
trawl_secrets_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_sync_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/**
 * trawl_secrets_lookup_sync:
 * @job: a job
 * @cancellable: (nullable): a #GCancellable
 * @error: why a secret could not be looked up, as a sentence naming it
 *
 * Like trawl_secrets_lookup_async(), but fills in @job itself and blocks
 * while the keyring answers (or asks to be unlocked): for trawl-cli and
 * the engine, never for the window's thread.  A job that refers to no
 * unknown item returns at once.
 *
 * Returns: %TRUE when every item was found.
 */
gboolean
trawl_secrets_lookup_sync (TrawlJob      *job,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr (GArray) missing = NULL;
  g_autoptr (GMainContext) context = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (TrawlJob) found = NULL;

  g_return_val_if_fail (job != NULL, FALSE);

  missing = trawl_job_list_secret_refs (job, TRUE);
  if (missing->len == 0)
    return TRUE;

  /* The async calls, on a context of their own: one way to look up. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  trawl_secrets_lookup_async (job, cancellable, on_sync_done, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  found = trawl_secrets_lookup_finish (result, error);
  if (found == NULL)
    return FALSE;
  g_clear_pointer (&job->secrets, g_hash_table_unref);
  job->secrets = g_steal_pointer (&found->secrets);
  return TRUE;
}

/* The id that @previous gave to the first reference of the header @name. */
static char *
previous_header_id (const TrawlJob *previous,
                    const char     *name)
{
  g_autoptr (GArray) refs = NULL;

  if (previous == NULL)
    return NULL;
  refs = trawl_job_list_secret_refs (previous, FALSE);
  for (guint i = 0; i < refs->len; i++)
    {
      const TrawlSecretRef *ref = &g_array_index (refs, TrawlSecretRef, i);

      if (g_ascii_strcasecmp (ref->setting, name) == 0)
        return g_strdup (ref->id);
    }
  return NULL;
}

/* An id for a new item, unless @reuse names one that this job does not
 * use for something else already. */
static char *
choose_id (Op         *op,
           const char *reuse)
{
  gboolean taken = FALSE;

  for (guint i = 0; reuse != NULL && i < op->items->len; i++)
    taken = taken || g_str_equal (g_array_index (op->items, Item, i).id, reuse);
  return reuse != NULL && !taken ? g_strdup (reuse) : g_uuid_string_random ();
}

static void store_next (GTask *task);

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_error (task, g_array_index (op->items, Item, op->next).setting, TRUE, error);
      return;
    }
  op->next++;
  store_next (task);
}

static void
store_next (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  Item *item;
  g_autofree char *label = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *host = NULL;

  if (op_finished (task))
    return;

  item = &g_array_index (op->items, Item, op->next);
  /* What a keyring manager lists: "Trawl: The password for example.org". */
  secret = trawl_job_describe_secret (item->setting);
  if (op->job->start_urls != NULL && op->job->start_urls[0] != NULL)
    canonical = trawl_url_canonicalize (op->job->start_urls[0], NULL);
  host = canonical != NULL ? trawl_url_get_host (canonical) : NULL;
  if (host != NULL)
    /* Translators: a keyring item's label; %s is “The password” or “The … header”, then a host. */
    label = g_strdup_printf (_("Trawl: %s for %s"), secret, host);
  else
    /* Translators: a keyring item's label; %s is “The password” or “The … header”. */
    label = g_strdup_printf (_("Trawl: %s for a crawl"), secret);

  secret_password_store (trawl_secrets_get_schema (), SECRET_COLLECTION_DEFAULT, label, item->value,
                         g_task_get_cancellable (task), on_stored, task,
                         "id", item->id,
                         "setting", item->setting,
                         NULL);
}

/* Moves a password given in plain text (@plain) to a keyring item, whose
 * id goes in @secret: the one @secret or @previous_secret had, if it is
 * free. */
static void
move_password (Op          *op,
               const char  *setting,
               char       **plain,
               char       **secret,
               const char  *previous_secret)
{
  g_autofree char *id = NULL;

  if (*plain == NULL)
    return;
  id = choose_id (op, *secret != NULL ? *secret : previous_secret);
  op_add (op, setting, id, *plain);
  trawl_job_set_secret (op->job, id, *plain);
  g_clear_pointer (plain, g_free);
  g_free (*secret);
  *secret = g_steal_pointer (&id);
}

/**
 * trawl_secrets_store_async:
 * @job: a job that may hold a password or secret headers in plain text
 * @previous: (nullable): the job it was edited from, whose item ids are
 *   reused so that saving again replaces its items
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: for @callback
 *
 * Moves @job's plain-text passwords (for HTTP authentication and for the
 * proxy, also one written in the proxy URL) and the values of its Cookie,
 * Authorization and Proxy-Authorization headers into the keyring.  A job
 * without any completes without the keyring.
 */
void
trawl_secrets_store_async (const TrawlJob      *job,
                           const TrawlJob      *previous,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Op *op;
  TrawlJob *out;

  g_return_if_fail (job != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, trawl_secrets_store_async);
  op = op_new (job);
  g_task_set_task_data (task, op, op_free);
  out = op->job;

  trawl_job_take_proxy_password (out);
  move_password (op, "auth_password", &out->auth_password, &out->auth_password_secret,
                 previous != NULL ? previous->auth_password_secret : NULL);
  move_password (op, "proxy_password", &out->proxy_password, &out->proxy_password_secret,
                 previous != NULL ? previous->proxy_password_secret : NULL);

  for (guint i = 0; out->headers && out->headers[i]; i++)
    {
      char *header = out->headers[i];
      const char *colon = strchr (header, ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;
      g_autofree char *reuse = NULL;
      g_autofree char *id = NULL;

      if (!trawl_job_is_secret_header (header) || trawl_job_header_secret_id (header) != NULL)
        continue;
      name = g_strstrip (g_strndup (header, colon - header));
      value = g_strstrip (g_strdup (colon + 1));
      reuse = previous_header_id (previous, name);
      id = choose_id (op, reuse);
      op_add (op, name, id, value);
      trawl_job_set_secret (out, id, value);
      out->headers[i] = g_strdup_printf ("%s: secret:%s", name, id);
      g_free (header);
    }

  store_next (task);
}

/**
 * trawl_secrets_store_finish:
 * @result: the #GAsyncResult
 * @error: why a secret could not be stored, as a sentence naming it
 *
 * Returns: (transfer full) (nullable): a copy of the job that refers to
 *   the keyring items instead of holding their values, with the values in
 *   its #TrawlJob.secrets.
 */
TrawlJob *
trawl_secrets_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
