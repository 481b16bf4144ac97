/* sq-simulation.c: the float model and the integer core on one input, in a thread
 *
 * One GTask per run builds the input (Poisson events or a raster file) and runs the core's
 * sq_network_simulate(): the float model on the document's network and the integer core on the
 * current quantization, both over the same raster, compared exactly as `synquant-cli simulate
 * --compare` does, so the page shows the CLI's figures. Progress is written atomically (float model
 * the first half, integer core the second) for the page to poll; a newer run cancels an older one,
 * whose result is dropped; the result is swapped in on the main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-simulation.h"

struct _SqSimulation
{
  GObject             parent_instance;

  SqSimulationResult *result;
  GError             *error;
  GCancellable       *cancellable;
  gint                permille;
};

G_DEFINE_FINAL_TYPE (SqSimulation, sq_simulation, G_TYPE_OBJECT)

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
  gint                  *permille;
  GObject               *simulation;   /* keeps permille alive */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->analysis, sq_analysis_result_unref);
  g_free (data->input.path);
  g_clear_object (&data->simulation);
  g_free (data);
}

static void
progress (double   fraction,
          gpointer user_data)
{
  g_atomic_int_set ((gint *) user_data, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000.0));
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
                                cancellable, progress, data->permille, &error);
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
  g_atomic_int_set (data->permille, 1000);
  r->compute_usec = g_get_monotonic_time () - t0;
  g_task_return_pointer (task, g_steal_pointer (&r),
                         (GDestroyNotify) sq_simulation_result_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* The main thread                                                                           */

static void
run_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(SqSimulation) self = user_data;
  g_autoptr(GError) error = NULL;
  SqSimulationResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  /* A newer run (or a cancel) replaced this one: drop what it computed. */
  if (g_task_get_cancellable (G_TASK (res)) != self->cancellable)
    {
      g_clear_pointer (&result, sq_simulation_result_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  if (result != NULL)
    {
      g_clear_pointer (&self->result, sq_simulation_result_unref);
      self->result = result;
    }
  else
    self->error = g_steal_pointer (&error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[FINISHED], 0);
}

/**
 * sq_simulation_run:
 * @analysis: the quantization to run: its network on the float model, its quantized network
 *   on the integer core; referenced
 * @device: (nullable): the integer core, one of the network kind's devices; %NULL for the
 *   kind's default
 * @input: copied
 *
 * Starts a run in a thread, cancelling any run under way. #SqSimulation::finished follows on
 * the main thread, with a result or an error (a cancelled run leaves the previous result and
 * sets %G_IO_ERROR_CANCELLED).
 */
void
sq_simulation_run (SqSimulation          *self,
                   SqAnalysisResult      *analysis,
                   const SqDeviceProfile *device,
                   const SqSimInput      *input)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_busy;
  RunData *data;

  g_return_if_fail (SQ_IS_SIMULATION (self));
  g_return_if_fail (analysis != NULL && input != NULL);

  was_busy = self->cancellable != NULL;
  if (was_busy)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_atomic_int_set (&self->permille, 0);

  data = g_new0 (RunData, 1);
  data->analysis = sq_analysis_result_ref (analysis);
  data->device = device;
  data->input = *input;
  data->input.path = g_strdup (input->path);
  data->permille = &self->permille;
  data->simulation = g_object_ref (G_OBJECT (self));

  task = g_task_new (NULL, self->cancellable, run_done, g_object_ref (self));
  g_task_set_source_tag (task, sq_simulation_run);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  /* The thread holds a reference to the simulation (for the progress counter), so the
   * callback always runs, and a cancelled run reports G_IO_ERROR_CANCELLED. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
  if (!was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * sq_simulation_cancel:
 *
 * Stops the run under way, within a few hundred steps; the previous result stays and
 * #SqSimulation::finished reports %G_IO_ERROR_CANCELLED.
 */
void
sq_simulation_cancel (SqSimulation *self)
{
  g_return_if_fail (SQ_IS_SIMULATION (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
sq_simulation_get_busy (SqSimulation *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATION (self), FALSE);
  return self->cancellable != NULL;
}

/* Returns: the part of the current run done, 0…1, polled by the page */
double
sq_simulation_get_progress (SqSimulation *self)
{
  g_return_val_if_fail (SQ_IS_SIMULATION (self), 0.0);
  return g_atomic_int_get (&self->permille) / 1000.0;
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
  g_return_val_if_fail (SQ_IS_SIMULATION (self), NULL);
  return self->error;
}

static void
sq_simulation_dispose (GObject *object)
{
  SqSimulation *self = SQ_SIMULATION (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sq_simulation_parent_class)->dispose (object);
}

static void
sq_simulation_finalize (GObject *object)
{
  SqSimulation *self = SQ_SIMULATION (object);

  g_clear_pointer (&self->result, sq_simulation_result_unref);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (sq_simulation_parent_class)->finalize (object);
}

static void
sq_simulation_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SqSimulation *self = SQ_SIMULATION (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, sq_simulation_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_simulation_class_init (SqSimulationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sq_simulation_dispose;
  object_class->finalize = sq_simulation_finalize;
  object_class->get_property = sq_simulation_get_property;

  /**
   * SqSimulation:busy:
   *
   * A run is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SqSimulation::finished:
   *
   * The current run ended, with a result or an error.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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
