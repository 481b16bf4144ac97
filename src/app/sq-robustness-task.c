/* sq-robustness-task.c: Monte-Carlo robustness of the document's network in a thread
 *
 * One GTask per run: the transform configuration is read from its JSON (the thread's own
 * copy, so the page may load another meanwhile), the sample set is read only when the set
 * or the network is not the last run's, and sq_robustness_run() runs once per setting the
 * page asked for — the draws' float models, then their integer cores with the Tune page's
 * quantization — exactly as `synquant-cli robustness` does without and with `--settings`.
 * SqJob does the rest: progress for the page to poll, a newer run cancelling an older one, a
 * cancelled or failed run leaving the previous result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sq-robustness-task.h"

/* A sample set read for a network; shared by the task and its runs' threads, read-only. */
typedef struct {
  char        *path;
  SqNetwork   *network;
  SqSampleSet *set;
} Samples;

static void
samples_clear (gpointer data)
{
  Samples *s = data;

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

/* What a run gives: a result per setting it ran, and what it ran with. */
typedef struct {
  SqRobustness          *results[SQ_ROBUSTNESS_N_SETTINGS];
  SqQuantSettings        quant;
  const SqDeviceProfile *device;
  char                  *config_name;
  Samples               *samples;
} Outcome;

static void
outcome_free (Outcome *o)
{
  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    g_clear_pointer (&o->results[k], sq_robustness_free);
  g_clear_pointer (&o->samples, samples_unref);
  g_free (o->config_name);
  g_free (o);
}

struct _SqRobustnessTask
{
  SqJob    parent_instance;

  Outcome *outcome;      /* nullable: the last completed run */
  Samples *samples;      /* nullable: the last run's set */
};

G_DEFINE_FINAL_TYPE (SqRobustnessTask, sq_robustness_task, SQ_TYPE_JOB)

/* ---------------------------------------------------------------------------------------- */
/* The run, in a thread                                                                      */

typedef struct {
  SqNetwork             *network;
  char                  *config_data;
  char                  *config_name;
  char                  *path;
  guint                  n_draws;
  guint64                seed;
  gboolean               settings[SQ_ROBUSTNESS_N_SETTINGS];
  SqQuantSettings        quant;
  const SqDeviceProfile *device;
  Samples               *samples;    /* nullable: to be read from @path */
  SqJob                 *job;
  double                 offset;     /* of the current part's progress in the whole */
  double                 scale;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->network, sq_network_unref);
  g_clear_pointer (&data->samples, samples_unref);
  g_free (data->config_data);
  g_free (data->config_name);
  g_free (data->path);
  g_free (data);
}

static void
progress (double   fraction,
          gpointer user_data)
{
  RunData *data = user_data;

  sq_job_set_progress (data->job, data->offset + data->scale * CLAMP (fraction, 0.0, 1.0));
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(SqTransformConfig) config = NULL;
  GError *error = NULL;
  Outcome *o;
  guint n_parts = 0, part = 0;

  /* The job outlives the thread: the task holds it. */
  data->job = source_object;
  config = sq_transform_config_load_data (data->config_data, strlen (data->config_data),
                                          data->config_name, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->samples == NULL)
    {
      g_autoptr(Samples) s = g_atomic_rc_box_new0 (Samples);

      s->path = g_strdup (data->path);
      s->network = sq_network_ref (data->network);
      s->set = sq_sample_set_load (data->path, data->network->n_inputs, cancellable, &error);
      if (s->set == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      data->samples = g_steal_pointer (&s);
    }
  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    n_parts += data->settings[k] != FALSE;
  o = g_new0 (Outcome, 1);
  o->quant = data->quant;
  o->device = data->device;
  o->config_name = g_strdup (data->config_name);
  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    {
      SqRobustnessOptions options = {
        data->n_draws, data->seed, k == SQ_ROBUSTNESS_INTEGER ? &data->quant : NULL,
        data->device,
      };

      if (!data->settings[k])
        continue;
      data->scale = 1.0 / (double) n_parts;
      data->offset = data->scale * part++;
      o->results[k] = sq_robustness_run (data->network, config, data->samples->set, &options,
                                         cancellable, progress, data, &error);
      if (o->results[k] == NULL)
        {
          outcome_free (o);
          g_task_return_error (task, error);
          return;
        }
    }
  sq_job_set_progress (data->job, 1.0);
  o->samples = g_steal_pointer (&data->samples);
  g_task_return_pointer (task, o, (GDestroyNotify) outcome_free);
}

/* ---------------------------------------------------------------------------------------- */
/* The main thread                                                                           */

static void
sq_robustness_task_take_result (SqJob    *job,
                                gpointer  result)
{
  SqRobustnessTask *self = SQ_ROBUSTNESS_TASK (job);
  Outcome *o = result;

  g_clear_pointer (&self->outcome, outcome_free);
  if (o->samples != self->samples)
    {
      g_clear_pointer (&self->samples, samples_unref);
      self->samples = g_atomic_rc_box_acquire (o->samples);
    }
  /* The task keeps the set; the outcome needs it no longer. */
  g_clear_pointer (&o->samples, samples_unref);
  self->outcome = o;
}

/**
 * sq_robustness_task_run:
 * @request: the run's inputs, copied; at least one setting
 *
 * Starts a run in a thread, cancelling any under way. The set is read only when it or the
 * network differ from the last completed run's. #SqJob::finished follows on the main
 * thread, with a result per setting or an error (a cancelled run leaves the previous result
 * and sets %G_IO_ERROR_CANCELLED).
 */
void
sq_robustness_task_run (SqRobustnessTask          *self,
                        const SqRobustnessRequest *request)
{
  RunData *data;

  g_return_if_fail (SQ_IS_ROBUSTNESS_TASK (self));
  g_return_if_fail (request != NULL && request->network != NULL);
  g_return_if_fail (request->config_data != NULL && request->samples != NULL);
  g_return_if_fail (request->settings[SQ_ROBUSTNESS_FLOAT]
                    || request->settings[SQ_ROBUSTNESS_INTEGER]);

  data = g_new0 (RunData, 1);
  data->network = sq_network_ref (request->network);
  data->config_data = g_strdup (request->config_data);
  data->config_name = g_strdup (request->config_name);
  data->path = g_strdup (request->samples);
  data->n_draws = request->n_draws;
  data->seed = request->seed;
  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    data->settings[k] = request->settings[k];
  data->quant = request->quant;
  data->device = request->device;
  data->scale = 1.0;
  if (self->samples != NULL && self->samples->network == request->network
      && g_str_equal (self->samples->path, request->samples))
    data->samples = g_atomic_rc_box_acquire (self->samples);
  sq_job_start (SQ_JOB (self), run_thread, data, (GDestroyNotify) run_data_free,
                (GDestroyNotify) outcome_free);
}

/**
 * sq_robustness_task_forget:
 *
 * Another network or other settings: abandons the run under way (sq_job_abandon()) and
 * drops the last result and the sample set read for it, so nothing of the old network is
 * shown or re-used. Nothing is emitted but #SqJob:busy.
 */
void
sq_robustness_task_forget (SqRobustnessTask *self)
{
  g_return_if_fail (SQ_IS_ROBUSTNESS_TASK (self));

  sq_job_abandon (SQ_JOB (self));
  g_clear_pointer (&self->outcome, outcome_free);
  g_clear_pointer (&self->samples, samples_unref);
}

/* Returns: (nullable): the last completed run's result for @setting, if it ran that one */
const SqRobustness *
sq_robustness_task_get_result (SqRobustnessTask    *self,
                               SqRobustnessSetting  setting)
{
  g_return_val_if_fail (SQ_IS_ROBUSTNESS_TASK (self), NULL);
  g_return_val_if_fail (setting < SQ_ROBUSTNESS_N_SETTINGS, NULL);
  return self->outcome ? self->outcome->results[setting] : NULL;
}

/* Returns: (nullable): the quantization the last completed run's integer cores had */
const SqQuantSettings *
sq_robustness_task_get_quant (SqRobustnessTask *self)
{
  g_return_val_if_fail (SQ_IS_ROBUSTNESS_TASK (self), NULL);
  return self->outcome && self->outcome->results[SQ_ROBUSTNESS_INTEGER]
         ? &self->outcome->quant : NULL;
}

/* Returns: (nullable): the device the last completed run's integer cores were, %NULL for
 * the kind's default or without a last run */
const SqDeviceProfile *
sq_robustness_task_get_device (SqRobustnessTask *self)
{
  g_return_val_if_fail (SQ_IS_ROBUSTNESS_TASK (self), NULL);
  return self->outcome ? self->outcome->device : NULL;
}

/* Returns: (nullable): the last completed run's configuration's name */
const char *
sq_robustness_task_get_config_name (SqRobustnessTask *self)
{
  g_return_val_if_fail (SQ_IS_ROBUSTNESS_TASK (self), NULL);
  return self->outcome ? self->outcome->config_name : NULL;
}

static void
sq_robustness_task_finalize (GObject *object)
{
  SqRobustnessTask *self = SQ_ROBUSTNESS_TASK (object);

  g_clear_pointer (&self->outcome, outcome_free);
  g_clear_pointer (&self->samples, samples_unref);
  G_OBJECT_CLASS (sq_robustness_task_parent_class)->finalize (object);
}

static void
sq_robustness_task_class_init (SqRobustnessTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sq_robustness_task_finalize;
  SQ_JOB_CLASS (klass)->take_result = sq_robustness_task_take_result;
}

static void
sq_robustness_task_init (SqRobustnessTask *self)
{
}

SqRobustnessTask *
sq_robustness_task_new (void)
{
  return g_object_new (SQ_TYPE_ROBUSTNESS_TASK, NULL);
}
