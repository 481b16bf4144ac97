/* sq-sweep-task.c: a sweep of the document's network in a thread
 *
 * One GTask per run: the sample set is read and the float model run over it
 * (sq_eval_baseline_new) only when the set or the network is not the last run's, then
 * sq_sweep_run() quantizes, checks and evaluates every combination against those float runs.
 * So a second sweep of the same set (other bit widths, other methods, another device) costs
 * only the integer runs, as the CLI's sweep shares one baseline between its rows. Progress is
 * written atomically for the page to poll; a newer run cancels an older one, whose result is
 * dropped; a cancelled or failed run leaves the previous sweep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-sweep-task.h"

/* A sample set read for a network, with the float model's runs on it; shared by the task
 * and its runs' threads, read-only once made. */
typedef struct {
  char           *path;
  SqNetwork      *network;
  SqSampleSet    *set;
  SqEvalBaseline *baseline;
} Samples;

static void
samples_clear (gpointer data)
{
  Samples *s = data;

  /* The baseline borrows the set. */
  g_clear_pointer (&s->baseline, sq_eval_baseline_free);
  g_clear_pointer (&s->set, sq_sample_set_free);
  g_clear_pointer (&s->network, sq_network_unref);
  g_free (s->path);
}

static void
samples_unref (Samples *s)
{
  g_atomic_rc_box_release_full (s, samples_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Samples, samples_unref)

struct _SqSweepTask
{
  GObject       parent_instance;

  SqSweep      *sweep;
  Samples      *samples;      /* nullable: the last run's set */
  GError       *error;
  GCancellable *cancellable;
  gint          permille;
};

G_DEFINE_FINAL_TYPE (SqSweepTask, sq_sweep_task, G_TYPE_OBJECT)

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

/* ---------------------------------------------------------------------------------------- */
/* The run, in a thread                                                                      */

typedef struct {
  SqSweep               *sweep;
  const SqDeviceProfile *device;
  char                  *path;       /* nullable: no samples */
  Samples               *samples;    /* nullable: to be made from @path */
  gint                  *permille;
  GObject               *task;       /* keeps permille alive */
  double                 offset;     /* of the current part's progress in the whole */
  double                 scale;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->sweep, sq_sweep_free);
  g_clear_pointer (&data->samples, samples_unref);
  g_free (data->path);
  g_clear_object (&data->task);
  g_free (data);
}

typedef struct {
  SqSweep *sweep;
  Samples *samples;
} Outcome;

static void
outcome_free (Outcome *o)
{
  g_clear_pointer (&o->sweep, sq_sweep_free);
  g_clear_pointer (&o->samples, samples_unref);
  g_free (o);
}

static void
progress (double   fraction,
          gpointer user_data)
{
  RunData *data = user_data;
  double f = data->offset + data->scale * CLAMP (fraction, 0.0, 1.0);

  g_atomic_int_set (data->permille, (gint) (CLAMP (f, 0.0, 1.0) * 1000.0));
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  SqNetwork *network = data->sweep->network;
  gsize n = sq_sweep_n_rows (data->sweep);
  GError *error = NULL;
  Outcome *o;

  if (data->path != NULL && data->samples == NULL)
    {
      g_autoptr(Samples) s = g_atomic_rc_box_new0 (Samples);

      s->path = g_strdup (data->path);
      s->network = sq_network_ref (network);
      s->set = sq_sample_set_load (data->path, network->n_inputs, cancellable, &error);
      if (s->set == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      /* The float runs count as one combination more. */
      data->scale = 1.0 / (double) (n + 1);
      s->baseline = sq_eval_baseline_new (network, s->set, cancellable, progress, data,
                                          &error);
      if (s->baseline == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      data->offset = data->scale;
      data->scale = 1.0 - data->offset;
      data->samples = g_steal_pointer (&s);
    }
  if (!sq_sweep_run (data->sweep, data->device, data->samples ? data->samples->set : NULL,
                     data->samples ? data->samples->baseline : NULL, cancellable, progress,
                     data, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_atomic_int_set (data->permille, 1000);
  o = g_new0 (Outcome, 1);
  o->sweep = g_steal_pointer (&data->sweep);
  o->samples = g_steal_pointer (&data->samples);
  g_task_return_pointer (task, o, (GDestroyNotify) outcome_free);
}

/* ---------------------------------------------------------------------------------------- */
/* The main thread                                                                           */

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(SqSweepTask) self = user_data;
  g_autoptr(GError) error = NULL;
  Outcome *o = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer run (or a cancel) replaced this one: drop what it computed. */
  if (g_task_get_cancellable (G_TASK (res)) != self->cancellable)
    {
      g_clear_pointer (&o, outcome_free);
      return;
    }
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  if (o != NULL)
    {
      g_clear_pointer (&self->sweep, sq_sweep_free);
      self->sweep = g_steal_pointer (&o->sweep);
      if (o->samples != self->samples)
        {
          g_clear_pointer (&self->samples, samples_unref);
          self->samples = g_steal_pointer (&o->samples);
        }
      outcome_free (o);
    }
  else
    self->error = g_steal_pointer (&error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[FINISHED], 0);
}

/**
 * sq_sweep_task_run:
 * @sweep: (transfer full): its network and axes; run here
 * @device: (nullable): one of the network kind's devices, %NULL for the kind's default
 * @samples: (nullable): the path of a sample set (sq_sample_set_load()) to evaluate every
 *   combination on, %NULL for the figures of the quantization and the device check alone
 *
 * Starts a sweep in a thread, cancelling any under way. The set is read and the float model
 * run on it only when @samples or the network differ from the last completed run's.
 * #SqSweepTask::finished follows on the main thread, with a sweep or an error (a cancelled
 * run leaves the previous sweep and sets %G_IO_ERROR_CANCELLED).
 */
void
sq_sweep_task_run (SqSweepTask           *self,
                   SqSweep               *sweep,
                   const SqDeviceProfile *device,
                   const char            *samples)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_busy;
  RunData *data;

  g_return_if_fail (SQ_IS_SWEEP_TASK (self));
  g_return_if_fail (sweep != NULL);

  was_busy = self->cancellable != NULL;
  if (was_busy)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->permille, 0);

  data = g_new0 (RunData, 1);
  data->sweep = sweep;
  data->device = device;
  data->path = g_strdup (samples);
  data->permille = &self->permille;
  data->task = g_object_ref (G_OBJECT (self));
  data->scale = 1.0;
  if (samples != NULL && self->samples != NULL && self->samples->network == sweep->network
      && g_str_equal (self->samples->path, samples))
    data->samples = g_atomic_rc_box_acquire (self->samples);

  task = g_task_new (NULL, self->cancellable, run_done, g_object_ref (self));
  g_task_set_source_tag (task, sq_sweep_task_run);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  /* The thread holds a reference to the task object (for the progress counter), so the
   * callback always runs, and a cancelled run reports G_IO_ERROR_CANCELLED. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * sq_sweep_task_cancel:
 *
 * Stops the run under way; the previous sweep stays and #SqSweepTask::finished reports
 * %G_IO_ERROR_CANCELLED.
 */
void
sq_sweep_task_cancel (SqSweepTask *self)
{
  g_return_if_fail (SQ_IS_SWEEP_TASK (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/**
 * sq_sweep_task_forget:
 *
 * Another network: cancels the run under way and drops the last sweep and sample set, so
 * nothing of the old network is shown or re-used. Nothing is emitted.
 */
void
sq_sweep_task_forget (SqSweepTask *self)
{
  g_return_if_fail (SQ_IS_SWEEP_TASK (self));

  sq_sweep_task_cancel (self);
  /* The cancelled run's end finds another cancellable, and drops its result. */
  if (self->cancellable != NULL)
    {
      g_clear_object (&self->cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  g_clear_pointer (&self->sweep, sq_sweep_free);
  g_clear_pointer (&self->samples, samples_unref);
  g_clear_error (&self->error);
}

gboolean
sq_sweep_task_get_busy (SqSweepTask *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_TASK (self), FALSE);
  return self->cancellable != NULL;
}

/* Returns: the part of the current run done, 0…1, polled by the page */
double
sq_sweep_task_get_progress (SqSweepTask *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_TASK (self), 0.0);
  return g_atomic_int_get (&self->permille) / 1000.0;
}

/* Returns: (nullable): the last completed sweep */
const SqSweep *
sq_sweep_task_get_sweep (SqSweepTask *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_TASK (self), NULL);
  return self->sweep;
}

/* Returns: (nullable): the sample set of the last completed sweep that had one */
const SqSampleSet *
sq_sweep_task_get_samples (SqSweepTask *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_TASK (self), NULL);
  return self->samples ? self->samples->set : NULL;
}

/* Returns: (nullable): the float model's runs on that set, re-used by the next sweep of it */
const SqEvalBaseline *
sq_sweep_task_get_baseline (SqSweepTask *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_TASK (self), NULL);
  return self->samples ? self->samples->baseline : NULL;
}

/* Returns: (nullable): why the last run ended without a sweep */
const GError *
sq_sweep_task_get_error (SqSweepTask *self)
{
  g_return_val_if_fail (SQ_IS_SWEEP_TASK (self), NULL);
  return self->error;
}

static void
sq_sweep_task_dispose (GObject *object)
{
  SqSweepTask *self = SQ_SWEEP_TASK (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sq_sweep_task_parent_class)->dispose (object);
}

static void
sq_sweep_task_finalize (GObject *object)
{
  SqSweepTask *self = SQ_SWEEP_TASK (object);

  g_clear_pointer (&self->sweep, sq_sweep_free);
  g_clear_pointer (&self->samples, samples_unref);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (sq_sweep_task_parent_class)->finalize (object);
}

static void
sq_sweep_task_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SqSweepTask *self = SQ_SWEEP_TASK (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, sq_sweep_task_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_sweep_task_class_init (SqSweepTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sq_sweep_task_dispose;
  object_class->finalize = sq_sweep_task_finalize;
  object_class->get_property = sq_sweep_task_get_property;

  /**
   * SqSweepTask:busy:
   *
   * A sweep is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SqSweepTask::finished:
   *
   * The current run ended, with a sweep or an error.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sq_sweep_task_init (SqSweepTask *self)
{
}

SqSweepTask *
sq_sweep_task_new (void)
{
  return g_object_new (SQ_TYPE_SWEEP_TASK, NULL);
}
