/* sq-sweep-task.c: a sweep of the document's network in a thread
 *
 * One GTask per run: the sample set is read and the float model run over it
 * (sq_eval_baseline_new) only when the set or the network is not the last run's, then
 * sq_sweep_run() quantizes, checks and evaluates every combination against those float runs.
 * So a second sweep of the same set (other bit widths, other methods, another device) costs
 * only the integer runs, as the CLI's sweep shares one baseline between its rows. SqJob does
 * the rest: progress for the page to poll, a newer run cancelling an older one, whose result
 * is dropped, a cancelled or failed run leaving the previous sweep.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-loaded-samples.h"
#include "sq-sweep-task.h"

struct _SqSweepTask
{
  SqJob    parent_instance;

  SqSweep *sweep;
  SqLoadedSamples *samples;   /* nullable: the last run's set, with its baseline */
};

G_DEFINE_FINAL_TYPE (SqSweepTask, sq_sweep_task, SQ_TYPE_JOB)

/* ---------------------------------------------------------------------------------------- */
/* The run, in a thread                                                                      */

typedef struct {
  SqSweep               *sweep;
  const SqDeviceProfile *device;
  char                  *path;       /* nullable: no samples */
  SqLoadedSamples       *samples;    /* nullable: to be made from @path */
  SqJob                 *job;
  double                 offset;     /* of the current part's progress in the whole */
  double                 scale;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->sweep, sq_sweep_free);
  g_clear_pointer (&data->samples, sq_loaded_samples_unref);
  g_free (data->path);
  g_free (data);
}

typedef struct {
  SqSweep         *sweep;
  SqLoadedSamples *samples;
} Outcome;

static void
outcome_free (Outcome *o)
{
  g_clear_pointer (&o->sweep, sq_sweep_free);
  g_clear_pointer (&o->samples, sq_loaded_samples_unref);
  g_free (o);
}

static void
progress (double   fraction,
          gpointer user_data)
{
  RunData *data = user_data;
  double f = data->offset + data->scale * CLAMP (fraction, 0.0, 1.0);

  sq_job_set_progress (data->job, f);
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

  /* The job outlives the thread: the task holds it. */
  data->job = source_object;
  if (data->path != NULL && data->samples == NULL)
    {
      g_autoptr(SqLoadedSamples) s = sq_loaded_samples_load (data->path, network, cancellable,
                                                             &error);

      if (s == NULL)
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
  sq_job_set_progress (data->job, 1.0);
  o = g_new0 (Outcome, 1);
  o->sweep = g_steal_pointer (&data->sweep);
  o->samples = g_steal_pointer (&data->samples);
  g_task_return_pointer (task, o, (GDestroyNotify) outcome_free);
}

/* ---------------------------------------------------------------------------------------- */
/* The main thread                                                                           */

static void
sq_sweep_task_take_result (SqJob    *job,
                           gpointer  result)
{
  SqSweepTask *self = SQ_SWEEP_TASK (job);
  Outcome *o = result;

  g_clear_pointer (&self->sweep, sq_sweep_free);
  self->sweep = g_steal_pointer (&o->sweep);
  if (o->samples != self->samples)
    {
      g_clear_pointer (&self->samples, sq_loaded_samples_unref);
      self->samples = g_steal_pointer (&o->samples);
    }
  outcome_free (o);
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
 * #SqJob::finished follows on the main thread, with a sweep or an error (a cancelled
 * run leaves the previous sweep and sets %G_IO_ERROR_CANCELLED).
 */
void
sq_sweep_task_run (SqSweepTask           *self,
                   SqSweep               *sweep,
                   const SqDeviceProfile *device,
                   const char            *samples)
{
  RunData *data;

  g_return_if_fail (SQ_IS_SWEEP_TASK (self));
  g_return_if_fail (sweep != NULL);

  data = g_new0 (RunData, 1);
  data->sweep = sweep;
  data->device = device;
  data->path = g_strdup (samples);
  data->scale = 1.0;
  if (sq_loaded_samples_are (self->samples, sweep->network, samples))
    data->samples = sq_loaded_samples_ref (self->samples);
  sq_job_start (SQ_JOB (self), run_thread, data, (GDestroyNotify) run_data_free,
                (GDestroyNotify) outcome_free);
}

/**
 * sq_sweep_task_forget:
 *
 * Another network: abandons the run under way (sq_job_abandon()) and drops the last sweep
 * and sample set, so nothing of the old network is shown or re-used. Nothing is emitted but
 * #SqJob:busy.
 */
void
sq_sweep_task_forget (SqSweepTask *self)
{
  g_return_if_fail (SQ_IS_SWEEP_TASK (self));

  sq_job_abandon (SQ_JOB (self));
  g_clear_pointer (&self->sweep, sq_sweep_free);
  g_clear_pointer (&self->samples, sq_loaded_samples_unref);
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

static void
sq_sweep_task_finalize (GObject *object)
{
  SqSweepTask *self = SQ_SWEEP_TASK (object);

  g_clear_pointer (&self->sweep, sq_sweep_free);
  g_clear_pointer (&self->samples, sq_loaded_samples_unref);
  G_OBJECT_CLASS (sq_sweep_task_parent_class)->finalize (object);
}

static void
sq_sweep_task_class_init (SqSweepTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sq_sweep_task_finalize;
  SQ_JOB_CLASS (klass)->take_result = sq_sweep_task_take_result;
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
