/* sq-simulation.c: the float model and the integer core on one input, in a thread
 *
 * One GTask per run builds the input (Poisson events or a raster file) and runs the core's
 * sq_network_simulate(): the float model on the document's network and the integer core on the
 * current quantization, both over the same raster, compared exactly as `synquant-cli simulate
 * --compare` does, so the page shows the CLI's figures. Progress is written atomically (float model
 * the first half, integer core the second) for the page to poll; a newer run cancels an older one,
 * whose result is dropped; the result is swapped in on the main thread (SqJob does all three).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-simulation.h"

struct _SqSimulation
{
  SqJob               parent_instance;

  SqSimulationResult *result;
};

G_DEFINE_FINAL_TYPE (SqSimulation, sq_simulation, SQ_TYPE_JOB)

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                   */

static void
result_clear (gpointer data)
{
  SqSimulationResult *r = data;

  sq_raster_clear (&r->input);
  g_clear_pointer (&r->analysis, sq_analysis_result_unref);
  g_clear_pointer (&r->run, sq_sim_run_unref);
  if (r->cnn != NULL)
    sq_cnn_simulation_clear (r->cnn);
  g_clear_pointer (&r->cnn, g_free);
}

SqSimulationResult *
sq_simulation_result_ref (SqSimulationResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

void
sq_simulation_result_unref (SqSimulationResult *result)
{
  g_atomic_rc_box_release_full (result, result_clear);
}

/* ---------------------------------------------------------------------------------------- */
/* The run, in a thread                                                                      */

typedef struct {
  SqAnalysisResult      *analysis;
  const SqDeviceProfile *device;
  SqSimInput             input;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->analysis, sq_analysis_result_unref);
  g_free (data->input.path);
  g_free (data);
}

static void
progress (double   fraction,
          gpointer user_data)
{
  sq_job_set_progress (user_data, fraction);
}

/* Whether a run of @n_steps on @network records hidden events and traces. */
static gboolean
records_all (const SqNetwork *network,
             gsize            n_steps)
{
  gsize per_step = network->n_hidden * (1 + network->n_synapses);

  /* Without a hidden layer there is little to record. */
  if (network->n_hidden == 0)
    return TRUE;
  return n_steps <= SQ_SIMULATION_RECORD_BUDGET / per_step;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  SqNetworkResult *quant = data->analysis->quant;
  g_autoptr(SqSimulationResult) r = g_atomic_rc_box_new0 (SqSimulationResult);
  /* The input as synquant-cli simulate builds it: the same rate for every channel. */
  SqInputSpec spec = { data->input.path, &data->input.rate, 1, data->input.steps,
                       data->input.seed };
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  r->analysis = sq_analysis_result_ref (data->analysis);
  if (!sq_input_build (&spec, quant->network->n_inputs, &r->input, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  r->recorded = records_all (quant->network, r->input.n_steps);
  r->run = sq_network_simulate (quant, data->device, &r->input,
                                r->recorded ? SQ_SIM_RECORD_ALL : SQ_SIM_RECORD_OUTPUT,
                                cancellable, progress, source_object, &error);
  if (r->run == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->input.event_mode && g_str_equal (quant->network->kind->name, "dynapcnn"))
    {
      const SqNetworkKind *kind = quant->network->kind;
      SqCnnSimOptions options = SQ_CNN_SIM_OPTIONS_INIT;

      options.mode = SQ_CNN_SIM_EVENT;
      r->cnn = g_new0 (SqCnnSimulation, 1);
      if (!sq_dynapcnn_simulate (quant->quantized,
                                 data->device ? data->device
                                              : sq_network_kind_device (kind, kind->devices[0]),
                                 &r->input, NULL, &options, cancellable, r->cnn, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  sq_job_set_progress (source_object, 1.0);
  r->compute_usec = g_get_monotonic_time () - t0;
  g_task_return_pointer (task, g_steal_pointer (&r),
                         (GDestroyNotify) sq_simulation_result_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* The main thread                                                                           */

static void
sq_simulation_take_result (SqJob    *job,
                           gpointer  result)
{
  SqSimulation *self = SQ_SIMULATION (job);

  g_clear_pointer (&self->result, sq_simulation_result_unref);
  self->result = result;
}

/**
 * sq_simulation_run:
 * @analysis: the quantization to run: its network on the float model, its quantized network
 *   on the integer core; referenced
 * @device: (nullable): the integer core, one of the network kind's devices; %NULL for the
 *   kind's default
 * @input: copied
 *
 * Starts a run in a thread, cancelling any run under way. #SqJob::finished follows on
 * the main thread, with a result or an error (a cancelled run leaves the previous result and
 * sets %G_IO_ERROR_CANCELLED).
 */
void
sq_simulation_run (SqSimulation          *self,
                   SqAnalysisResult      *analysis,
                   const SqDeviceProfile *device,
                   const SqSimInput      *input)
{
  RunData *data;

  g_return_if_fail (SQ_IS_SIMULATION (self));
  g_return_if_fail (analysis != NULL && input != NULL);

  data = g_new0 (RunData, 1);
  data->analysis = sq_analysis_result_ref (analysis);
  data->device = device;
  data->input = *input;
  data->input.path = g_strdup (input->path);
  sq_job_start (SQ_JOB (self), run_thread, data, (GDestroyNotify) run_data_free,
                (GDestroyNotify) sq_simulation_result_unref);
}

/**
 * sq_simulation_cancel:
 *
 * Stops the run under way, within a few hundred steps; the previous result stays and
 * #SqJob::finished reports %G_IO_ERROR_CANCELLED.
 */
void
sq_simulation_cancel (SqSimulation *self)
{
  sq_job_cancel (SQ_JOB (self));
}

gboolean
sq_simulation_get_busy (SqSimulation *self)
{
  return sq_job_get_busy (SQ_JOB (self));
}

/* Returns: the part of the current run done, 0…1, polled by the page */
double
sq_simulation_get_progress (SqSimulation *self)
{
  return sq_job_get_progress (SQ_JOB (self));
}

/* Returns: (nullable): the last completed run */
const SqSimulationResult *
sq_simulation_get_result (SqSimulation *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATION (self), NULL);
  return self->result;
}

/**
 * sq_simulation_dup_result:
 *
 * The last completed run for what outlives it (a chart holding its arrays): the reference is
 * the caller's.
 *
 * Returns: (nullable) (transfer full): the last completed run
 */
SqSimulationResult *
sq_simulation_dup_result (SqSimulation *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATION (self), NULL);
  return self->result != NULL ? sq_simulation_result_ref (self->result) : NULL;
}

/* Returns: (nullable): why the last run ended without a result */
const GError *
sq_simulation_get_error (SqSimulation *self)
{
  return sq_job_get_error (SQ_JOB (self));
}

static void
sq_simulation_finalize (GObject *object)
{
  SqSimulation *self = SQ_SIMULATION (object);

  g_clear_pointer (&self->result, sq_simulation_result_unref);
  G_OBJECT_CLASS (sq_simulation_parent_class)->finalize (object);
}

static void
sq_simulation_class_init (SqSimulationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sq_simulation_finalize;
  SQ_JOB_CLASS (klass)->take_result = sq_simulation_take_result;
}

static void
sq_simulation_init (SqSimulation *self)
{
}

SqSimulation *
sq_simulation_new (void)
{
  return g_object_new (SQ_TYPE_SIMULATION, NULL);
}
