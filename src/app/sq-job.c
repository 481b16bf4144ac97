/* sq-job.c: work in a thread that a newer run replaces
 *
 * One GTask per run, the job its source object, so the job (and its progress counter) lives
 * until the thread is done. A newer run cancels an older one, whose end then finds another
 * cancellable and drops its result; a run cancelled before its end reports
 * G_IO_ERROR_CANCELLED (GTask checks the cancellable when the result is taken) and leaves the
 * previous result. Progress is written atomically by the thread and polled by a page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-job.h"

typedef struct
{
  GError       *error;
  GCancellable *cancellable;
  gint          permille;
} SqJobPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SqJob, sq_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  SqJob *self = SQ_JOB (source);
  SqJobPrivate *priv = sq_job_get_instance_private (self);
  GDestroyNotify result_free = user_data;
  g_autoptr(GError) error = NULL;
  gpointer result = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer run (or sq_job_abandon()) replaced this one: drop what it computed. */
  if (g_task_get_cancellable (G_TASK (res)) != priv->cancellable)
    {
      if (result != NULL)
        result_free (result);
      return;
    }
  g_clear_object (&priv->cancellable);
  g_clear_error (&priv->error);
  if (result != NULL)
    SQ_JOB_GET_CLASS (self)->take_result (self, result);
  else
    priv->error = g_steal_pointer (&error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[FINISHED], 0);
}

/**
 * sq_job_start:
 * @func: the run, in a thread; it returns its result with g_task_return_pointer() (freed by
 *   @result_free) or an error, and reports progress with sq_job_set_progress() on its
 *   source object
 * @task_data: (transfer full): the run's data
 * @result_free: frees a result nobody takes
 *
 * Starts a run, cancelling any run under way. #SqJob::finished follows on the main thread.
 */
void
sq_job_start (SqJob           *self,
              GTaskThreadFunc  func,
              gpointer         task_data,
              GDestroyNotify   task_data_free,
              GDestroyNotify   result_free)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  gboolean was_busy;

  g_return_if_fail (SQ_IS_JOB (self));

  was_busy = priv->cancellable != NULL;
  if (was_busy)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  g_atomic_int_set (&priv->permille, 0);

  task = g_task_new (self, priv->cancellable, run_done, result_free);
  g_task_set_source_tag (task, sq_job_start);
  g_task_set_task_data (task, task_data, task_data_free);
  /* The task holds the job until the thread is done, so the callback always runs. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, func);
  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* From the run's thread: @fraction of the run done, 0…1. */
void
sq_job_set_progress (SqJob  *self,
                     double  fraction)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);

  g_atomic_int_set (&priv->permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000.0));
}

/**
 * sq_job_cancel:
 *
 * Stops the run under way; the previous result stays and #SqJob::finished reports
 * %G_IO_ERROR_CANCELLED.
 */
void
sq_job_cancel (SqJob *self)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);

  g_return_if_fail (SQ_IS_JOB (self));
  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
}

/**
 * sq_job_abandon:
 *
 * Cancels the run under way and forgets it at once: its end reaches nobody, nothing is
 * emitted but #SqJob:busy, and the last error is cleared. For a job whose results belong to
 * something gone (another network).
 */
void
sq_job_abandon (SqJob *self)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);

  g_return_if_fail (SQ_IS_JOB (self));
  g_clear_error (&priv->error);
  if (priv->cancellable == NULL)
    return;
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
sq_job_get_busy (SqJob *self)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);

  g_return_val_if_fail (SQ_IS_JOB (self), FALSE);
  return priv->cancellable != NULL;
}

/* Returns: the part of the current run done, 0…1, polled by a page */
double
sq_job_get_progress (SqJob *self)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);

  g_return_val_if_fail (SQ_IS_JOB (self), 0.0);
  return g_atomic_int_get (&priv->permille) / 1000.0;
}

/* Returns: (nullable): why the last run ended without a result */
const GError *
sq_job_get_error (SqJob *self)
{
  SqJobPrivate *priv = sq_job_get_instance_private (self);

  g_return_val_if_fail (SQ_IS_JOB (self), NULL);
  return priv->error;
}

static void
sq_job_dispose (GObject *object)
{
  SqJobPrivate *priv = sq_job_get_instance_private (SQ_JOB (object));

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  G_OBJECT_CLASS (sq_job_parent_class)->dispose (object);
}

static void
sq_job_finalize (GObject *object)
{
  SqJobPrivate *priv = sq_job_get_instance_private (SQ_JOB (object));

  g_clear_error (&priv->error);
  G_OBJECT_CLASS (sq_job_parent_class)->finalize (object);
}

static void
sq_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, sq_job_get_busy (SQ_JOB (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_job_class_init (SqJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sq_job_dispose;
  object_class->finalize = sq_job_finalize;
  object_class->get_property = sq_job_get_property;

  /**
   * SqJob:busy:
   *
   * A run is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SqJob::finished:
   *
   * The current run ended, with a result (taken by the class) or an error.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sq_job_init (SqJob *self)
{
}
