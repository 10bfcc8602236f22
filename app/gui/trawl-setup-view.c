/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trawl-setup-view.c — the Setup view: the start page and the job editor. */
#define G_LOG_DOMAIN "trawl-setup-view"

#include "config.h"

#include "trawl-setup-view.h"

struct _TrawlSetupView
{
  AdwBin     parent_instance;

  GtkEntry  *url_entry;
  TrawlJob  *job;  /* owned; the settings the form does not show */
};

G_DEFINE_FINAL_TYPE (TrawlSetupView, trawl_setup_view, ADW_TYPE_BIN)

static void
trawl_setup_view_dispose (GObject *object)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TRAWL_TYPE_SETUP_VIEW);

  G_OBJECT_CLASS (trawl_setup_view_parent_class)->dispose (object);
}

static void
trawl_setup_view_finalize (GObject *object)
{
  TrawlSetupView *self = TRAWL_SETUP_VIEW (object);

  g_clear_pointer (&self->job, trawl_job_free);

  G_OBJECT_CLASS (trawl_setup_view_parent_class)->finalize (object);
}

static void
trawl_setup_view_class_init (TrawlSetupViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = trawl_setup_view_dispose;
  object_class->finalize = trawl_setup_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/trawl/Trawl/trawl-setup-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TrawlSetupView, url_entry);
}

static void
trawl_setup_view_init (TrawlSetupView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->job = trawl_job_new ();
}

/**
 * trawl_setup_view_dup_job:
 * @self: the view
 * @error: what is wrong with the settings, as a sentence
 *
 * Returns: (transfer full) (nullable): the job the form describes, when
 *   it is valid.
 */
TrawlJob *
trawl_setup_view_dup_job (TrawlSetupView  *self,
                          GError         **error)
{
  g_autoptr (TrawlJob) job = NULL;
  const char *url;

  g_return_val_if_fail (TRAWL_IS_SETUP_VIEW (self), NULL);

  job = trawl_job_copy (self->job);
  url = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  g_strfreev (job->start_urls);
  job->start_urls = g_new0 (char *, 2);
  job->start_urls[0] = g_strdup (url);
  if (!trawl_job_validate (job, error))
    return NULL;
  return g_steal_pointer (&job);
}

void
trawl_setup_view_set_job (TrawlSetupView *self,
                          const TrawlJob *job)
{
  g_return_if_fail (TRAWL_IS_SETUP_VIEW (self));
  g_return_if_fail (job != NULL);

  g_clear_pointer (&self->job, trawl_job_free);
  self->job = trawl_job_copy (job);
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry),
                         job->start_urls && job->start_urls[0] ? job->start_urls[0] : "");
}
