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

#include "sq-loaded-samples.h"
#include "sq-robustness-task.h"

/* What a run gives: a result per setting it ran, and what it ran with. */
typedef struct {
  SqRobustness          *results[SQ_ROBUSTNESS_N_SETTINGS];
  SqQuantSettings        quant;
  const SqDeviceProfile *device;
  char                  *config_name;
  SqLoadedSamples       *samples;
} Outcome;

static void
outcome_free (Outcome *o)
{
  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    g_clear_pointer (&o->results[k], sq_robustness_free);
  g_clear_pointer (&o->samples, sq_loaded_samples_unref);
  g_free (o->config_name);
  g_free (o);
}

struct _SqRobustnessTask
{
  SqJob    parent_instance;

  Outcome *outcome;      /* nullable: the last completed run */
  SqLoadedSamples *samples;   /* nullable: the last run's set */
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
  SqLoadedSamples       *samples;    /* nullable: to be read from @path */
  SqJob                 *job;
  double                 offset;     /* of the current part's progress in the whole */
  double                 scale;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->network, sq_network_unref);
  g_clear_pointer (&data->samples, sq_loaded_samples_unref);
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
  if (data->samples == NULL &&
      (data->samples = sq_loaded_samples_load (data->path, data->network, cancellable,
                                               &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
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
      g_clear_pointer (&self->samples, sq_loaded_samples_unref);
      self->samples = sq_loaded_samples_ref (o->samples);
    }
  /* The task keeps the set; the outcome needs it no longer. */
  g_clear_pointer (&o->samples, sq_loaded_samples_unref);
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
  if (sq_loaded_samples_are (self->samples, request->network, request->samples))
    data->samples = sq_loaded_samples_ref (self->samples);
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
  g_clear_pointer (&self->samples, sq_loaded_samples_unref);
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
  g_clear_pointer (&self->samples, sq_loaded_samples_unref);
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
