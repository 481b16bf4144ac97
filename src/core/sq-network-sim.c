/* sq-network-sim.c: simulating a network of any kind — the input raster, one model, the
 * float + integer run with its agreement, the hints, and writing a recording
 *
 * `synquant-cli simulate` and the window's Simulate page both come here, so the page shows
 * the CLI's figures: the kinds only run one model on one network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "synquant.h"
#include "sq-network-private.h"

/**
 * sq_input_build:
 * @raster: (out caller-allocates): clear it with sq_raster_clear()
 *
 * Reads the raster file of @spec and checks it has @n_channels channels (counts above 15
 * are clipped, and counted in the raster's `n_clipped`), or draws Poisson events.
 */
gboolean
sq_input_build (const SqInputSpec  *spec,
                gsize               n_channels,
                SqRaster           *raster,
                GError            **error)
{
  g_autofree double *rates = NULL;

  g_return_val_if_fail (spec != NULL && raster != NULL, FALSE);
  if (spec->path != NULL)
    {
      g_autofree char *name = g_filename_display_name (spec->path);

      /* A labelled set (an example's sidecar) is run on its first sample. */
      if (g_str_has_suffix (spec->path, ".npz") || g_str_has_suffix (spec->path, ".NPZ"))
        return sq_sample_set_first_raster (spec->path, n_channels, raster, error);
      if (!sq_raster_load (raster, spec->path, error))
        return FALSE;
      if (!sq_raster_check_channels (raster, n_channels, name, error))
        {
          sq_raster_clear (raster);
          return FALSE;
        }
      return TRUE;
    }

  if (spec->rates == NULL || (spec->n_rates != 1 && spec->n_rates != n_channels))
    {
      g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_PARAMS,
                   _("%zu rates given, expected one or one per input channel (%zu)"),
                   spec->rates ? spec->n_rates : 0, n_channels);
      return FALSE;
    }
  rates = g_new (double, MAX (n_channels, 1));
  for (gsize i = 0; i < n_channels; i++)
    rates[i] = spec->rates[spec->n_rates == 1 ? 0 : i];
  return sq_raster_poisson (raster, spec->steps, n_channels, rates, spec->seed, error);
}

const SqDeviceProfile *
_sq_default_device (const SqNetworkKind   *kind,
                    const SqDeviceProfile *device)
{
  g_autoptr(GPtrArray) devices = NULL;

  if (device != NULL)
    return device;
  devices = sq_network_kind_devices (kind);
  return devices->len > 0 ? g_ptr_array_index (devices, 0) : NULL;
}

/* The device @model runs on: none for the float model, @device or the kind's first for the
 * integer core, refused when the kind cannot run there. */
static gboolean
resolve_device (const SqNetwork        *network,
                const SqDeviceProfile **device,
                SqSimModel              model,
                GError                **error)
{
  const SqNetworkKind *kind = network->kind;
  g_autoptr(GPtrArray) devices = NULL;

  if (kind->run == NULL)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED,
                   _("a %s cannot be simulated"), sq_label (kind->label));
      return FALSE;
    }
  if (model == SQ_SIM_FLOAT)
    {
      *device = NULL;
      return TRUE;
    }
  devices = sq_network_kind_devices (kind);
  if (*device == NULL && devices->len > 0)
    *device = g_ptr_array_index (devices, 0);
  if (*device == NULL || !g_ptr_array_find (devices, *device, NULL))
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_DEVICE,
                   _("a %s cannot run on %s"), sq_label (kind->label),
                   *device ? (*device)->title : "?");
      return FALSE;
    }
  return TRUE;
}

/* The 15-event cap dropped these events when the raster was read, before any model saw
 * them: the models alone would report none. */
static SqSimResult *
count_dropped (SqSimResult    *result,
               const SqRaster *input)
{
  if (result != NULL)
    result->input_dropped = input->n_dropped > G_MAXUINT64 - result->input_dropped
                            ? G_MAXUINT64 : result->input_dropped + input->n_dropped;
  return result;
}

/**
 * sq_network_run:
 * @device: (nullable): the integer core to run on; %NULL for the kind's default device
 *   (ignored by the float model)
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call)
 *
 * Runs the float model on a float @network, or the integer core of @device on an integer
 * one, as `synquant-cli simulate` (with --float) does.
 *
 * Returns: (transfer full): the recording, or %NULL with @error set
 */
SqSimResult *
sq_network_run (const SqNetwork        *network,
                const SqDeviceProfile  *device,
                SqSimModel              model,
                const SqRaster         *input,
                gboolean                record_all,
                GCancellable           *cancellable,
                SqProgressFunc          progress,
                gpointer                progress_data,
                GError                **error)
{
  const SqNetworkKind *kind;
  SqSimResult *result;

  g_return_val_if_fail (network != NULL && input != NULL, NULL);
  kind = network->kind;
  if (!resolve_device (network, &device, model, error))
    return NULL;
  result = kind->run (network, device, input, record_all, cancellable, progress,
                      progress_data, error);
  return count_dropped (result, input);
}

struct _SqSimRunner {
  const SqNetwork       *network;
  const SqDeviceProfile *device;
  SqSimModel             model;
  gpointer               prepared;   /* the kind's, or NULL: then each run is a whole run */
};

SqSimRunner *
_sq_sim_runner_new (const SqNetwork       *network,
                    const SqDeviceProfile *device,
                    SqSimModel             model,
                    GError               **error)
{
  SqSimRunner *runner;
  gpointer prepared = NULL;

  if (!resolve_device (network, &device, model, error))
    return NULL;
  if (network->kind->runner_new != NULL)
    {
      prepared = network->kind->runner_new (network, device, error);
      if (prepared == NULL)
        return NULL;
    }
  runner = g_new0 (SqSimRunner, 1);
  *runner = (SqSimRunner) { network, device, model, prepared };
  return runner;
}

SqSimResult *
_sq_sim_runner_run (SqSimRunner    *runner,
                    const SqRaster *input,
                    GCancellable   *cancellable,
                    GError        **error)
{
  if (runner->prepared == NULL)
    return sq_network_run (runner->network, runner->device, runner->model, input, FALSE,
                           cancellable, NULL, NULL, error);
  return count_dropped (runner->network->kind->runner_run (runner->prepared, input,
                                                           cancellable, error), input);
}

void
_sq_sim_runner_free (SqSimRunner *runner)
{
  if (runner == NULL)
    return;
  if (runner->prepared != NULL)
    runner->network->kind->runner_free (runner->prepared);
  g_free (runner);
}

/* The run as the core keeps it. While sq_network_simulate() makes the hints it holds the
 * input, so a hint can try its advice on the same events (_sq_sim_run_retry()); the hints
 * are kept, so the page and the CLI read the same checked sentences. */
typedef struct {
  SqSimRun        pub;
  const SqRaster *input;
  GCancellable   *cancellable;
  GPtrArray      *hints;
} RunPrivate;

/* Advice is tried on runs up to this many neuron-steps, each try a quantization and an
 * integer run: the small example's 1000 steps × 36 neurons many times over, a Xylo-size
 * network's 1000 steps not (its hints then state what happened without advice). */
#define RETRY_BUDGET ((gsize) 200 * 1000)

static void
run_clear (gpointer data)
{
  SqSimRun *run = data;

  g_clear_pointer (&((RunPrivate *) run)->hints, g_ptr_array_unref);
  sq_network_result_unref (run->result);
  g_clear_pointer (&run->float_result, sq_sim_result_free);
  g_clear_pointer (&run->int_result, sq_sim_result_free);
  g_clear_pointer (&run->agreement, sq_agreement_free);
}

void
sq_sim_run_unref (SqSimRun *run)
{
  if (run != NULL)
    g_atomic_rc_box_release_full (run, run_clear);
}

typedef struct {
  SqProgressFunc progress;
  gpointer       data;
  double         offset;
} Half;

static void
half_progress (double   fraction,
               gpointer user_data)
{
  Half *h = user_data;

  h->progress (h->offset + 0.5 * CLAMP (fraction, 0.0, 1.0), h->data);
}

/**
 * sq_network_simulate:
 * @device: (nullable): the integer core; %NULL for the kind's default
 * @record: which model records hidden events and every state besides the outputs
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call): the float model reports 0…½, the integer core ½…1
 *
 * Runs the float model on @result's float network and the integer core on its quantized
 * network over the same @input, and compares them: `simulate --compare` and the Simulate
 * page.
 *
 * Returns: (transfer full): the run, or %NULL with @error set
 */
SqSimRun *
sq_network_simulate (SqNetworkResult        *result,
                     const SqDeviceProfile  *device,
                     const SqRaster         *input,
                     SqSimRecord             record,
                     GCancellable           *cancellable,
                     SqProgressFunc          progress,
                     gpointer                progress_data,
                     GError                **error)
{
  g_autoptr(SqSimRun) run = (SqSimRun *) g_atomic_rc_box_new0 (RunPrivate);
  RunPrivate *priv = (RunPrivate *) run;
  gint64 t0 = g_get_monotonic_time ();
  Half half = { progress, progress_data, 0.0 };
  SqProgressFunc each = progress ? half_progress : NULL;

  g_return_val_if_fail (result != NULL && input != NULL, NULL);
  /* The float model needs the float values. */
  g_return_val_if_fail ((result->flags & SQ_QUANTIZE_IN_PLACE) == 0, NULL);
  run->result = sq_network_result_ref (result);
  run->device = _sq_default_device (result->network->kind, device);

  device = run->device;
  run->float_result = sq_network_run (result->network, NULL, SQ_SIM_FLOAT, input,
                                      (record & SQ_SIM_RECORD_FLOAT) != 0, cancellable, each,
                                      &half, error);
  if (run->float_result == NULL)
    return NULL;
  half.offset = 0.5;
  run->int_result = sq_network_run (result->quantized, device, SQ_SIM_INTEGER, input,
                                    (record & SQ_SIM_RECORD_INTEGER) != 0, cancellable, each,
                                    &half, error);
  if (run->int_result == NULL)
    return NULL;
  run->agreement = sq_agreement_new (run->float_result->n_hidden, run->float_result->n_out);
  if (!sq_agreement_add (run->agreement, run->float_result, run->int_result, error))
    return NULL;
  /* Made while the input is at hand: advice is tried on it before it is given. */
  priv->input = input;
  priv->cancellable = cancellable;
  priv->hints = sq_sim_run_hints (run);
  priv->input = NULL;
  priv->cancellable = NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (progress != NULL)
    progress (1.0, progress_data);
  run->compute_usec = g_get_monotonic_time () - t0;
  return g_steal_pointer (&run);
}

char *
sq_sim_run_overflow_figure (const SqSimRun *run)
{
  const SqNetworkKind *kind;

  g_return_val_if_fail (run != NULL && run->result != NULL, NULL);
  kind = run->result->network->kind;
  return kind->overflow_figure ? kind->overflow_figure (run) : NULL;
}

/**
 * sq_sim_run_hints:
 *
 * Advice in plain words about a run, as the Simulate page shows it: the kind's own (dead
 * synapses, saturated states), then what the agreement says. Advice to change a setting
 * is tried first, on the run's input, and given only where it helps, with what it gives
 * ("With 10 weight bits, 0 stay silent on this input."): sq_network_simulate() makes the
 * hints while it has the input, and this returns them; a run too large to try again
 * (steps × neurons beyond 200 000) gets the facts without the advice.
 *
 * Returns: (transfer full) (element-type utf8): translated sentences; never empty
 */
/**
 * _sq_sim_run_retry:
 * @id: an option of the run's kind
 * @value: its value as sq_quant_settings_set_string() takes it ("6", "channel")
 *
 * What a hint's advice would give: @run's network quantized with @id set to @value, run on
 * the integer core over @run's input. Only while sq_network_simulate() makes the hints.
 *
 * Returns: (nullable): the integer run, or %NULL when it cannot be tried (the input is gone,
 *   the run is beyond the budget, the value is refused or the run was cancelled)
 */
SqSimResult *
_sq_sim_run_retry (const SqSimRun *run,
                   const char     *id,
                   const char     *value)
{
  const RunPrivate *priv = (const RunPrivate *) run;
  const SqNetwork *network = run->result->network;
  g_autoptr(SqNetworkResult) q = NULL;
  SqQuantSettings settings = run->result->settings;

  if (priv->input == NULL ||
      priv->input->n_steps > RETRY_BUDGET / MAX (network->n_hidden + network->n_outputs, 1) ||
      sq_network_kind_option (network->kind, id) == NULL ||
      !sq_quant_settings_set_string (&settings, id, value, NULL) ||
      !sq_quant_settings_check (&settings, NULL))
    return NULL;
  q = sq_network_quantize (run->result->network, &settings, SQ_QUANTIZE_DEFAULT,
                           priv->cancellable, NULL);
  if (q == NULL)
    return NULL;
  return sq_network_run (q->quantized, run->device, SQ_SIM_INTEGER, priv->input, FALSE,
                         priv->cancellable, NULL, NULL, NULL);
}

/**
 * _sq_sim_run_input:
 *
 * The input @run ran on, for a kind's hints that try advice of their own (a fixed-point
 * network's formats that do not overflow). Only while sq_network_simulate() makes the
 * hints.
 *
 * Returns: (nullable): the raster, or %NULL when it is gone
 */
const SqRaster *
_sq_sim_run_input (const SqSimRun *run)
{
  return ((const RunPrivate *) run)->input;
}

/* Neurons that fire in the float model and never in @in. */
static gsize
silent_in_int (const SqSimRun    *run,
               const SqSimResult *in)
{
  g_autoptr(SqAgreement) a = sq_agreement_new (run->float_result->n_hidden,
                                               run->float_result->n_out);

  if (!sq_agreement_add (a, run->float_result, in, NULL))
    return G_MAXSIZE;
  return sq_agreement_silent_only (a, TRUE, FALSE) + sq_agreement_silent_only (a, TRUE, TRUE);
}

/* Advice on neurons silent only in the integer core, each tried on the run's input and given
 * only where it leaves fewer of them silent: the fewest more weight bits that do, and
 * per-channel scaling. "" when nothing could be tried or nothing helps. */
static char *
silent_advice (const SqSimRun *run,
               gsize           n)
{
  const SqOption *bits = sq_network_kind_option (run->result->network->kind, "weight-bits");
  GString *s = g_string_new (NULL);

  for (int more = 1; bits != NULL && more <= 4; more *= 2)
    {
      int b = sq_quant_settings_get (&run->result->settings, "weight-bits") + more;
      g_autofree char *value = g_strdup_printf ("%d", b);
      g_autoptr(SqSimResult) in = b <= bits->max ? _sq_sim_run_retry (run, "weight-bits",
                                                                        value) : NULL;
      gsize m = in ? silent_in_int (run, in) : G_MAXSIZE;

      if (m < n)
        {
          g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                  " With %d weight bits, %zu stays silent on "
                                                  "this input.",
                                                  " With %d weight bits, %zu stay silent on "
                                                  "this input.", m), b, m);
          break;
        }
    }
  {
    g_autofree char *method = sq_network_kind_option (run->result->network->kind, "method")
                              ? sq_quant_settings_get_string (&run->result->settings, "method")
                              : NULL;
    g_autoptr(SqSimResult) in = method && !g_str_equal (method, "channel")
                                ? _sq_sim_run_retry (run, "method", "channel") : NULL;
    gsize m = in ? silent_in_int (run, in) : G_MAXSIZE;

    if (m < n)
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                              " With per-channel scaling, %zu stays silent on "
                                              "this input.",
                                              " With per-channel scaling, %zu stay silent on "
                                              "this input.", m), m);
  }
  /* A kind's other choices that vary (DynapCNN's mode): the one that silences fewest. */
  for (guint o = 0; o < run->result->network->kind->n_options; o++)
    {
      const SqOption *opt = &run->result->network->kind->options[o];
      g_autofree char *current = NULL;
      const SqChoice *best = NULL;
      gsize best_m = n;

      if (opt->type != SQ_OPTION_CHOICE || !opt->varies || g_str_equal (opt->id, "method"))
        continue;
      current = sq_quant_settings_get_string (&run->result->settings, opt->id);
      for (guint c = 0; c < opt->n_choices; c++)
        {
          g_autoptr(SqSimResult) in = NULL;
          gsize m;

          if (g_str_equal (opt->choices[c].name, current))
            continue;
          in = _sq_sim_run_retry (run, opt->id, opt->choices[c].name);
          m = in ? silent_in_int (run, in) : G_MAXSIZE;
          if (m < best_m)
            {
              best = &opt->choices[c];
              best_m = m;
            }
        }
      if (best != NULL)
        /* Translators: advice after a count of silent neurons, "With mode set to
         * “sinabs-compatible”, 0 stay silent on this input." */
        g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                                " With %s set to “%s”, %zu stays silent on "
                                                "this input.",
                                                " With %s set to “%s”, %zu stay silent on "
                                                "this input.", best_m),
                                _(opt->noun), sq_label (best->label), best_m);
    }
  return g_string_free (s, FALSE);
}

static gpointer
copy_string (gconstpointer s,
             gpointer      data)
{
  return g_strdup (s);
}

GPtrArray *
sq_sim_run_hints (const SqSimRun *run)
{
  const SqNetworkKind *kind = run->result->network->kind;
  const SqAgreement *a = run->agreement;
  const RunPrivate *priv = (const RunPrivate *) run;
  GPtrArray *hints;
  gsize n = sq_agreement_silent_only (a, TRUE, FALSE) + sq_agreement_silent_only (a, TRUE, TRUE);

  if (priv->hints != NULL)
    return g_ptr_array_copy (priv->hints, copy_string, NULL);
  hints = kind->hints ? kind->hints (run) : g_ptr_array_new_with_free_func (g_free);
  if (n > 0)
    {
      g_autofree char *advice = silent_advice (run, n);

      /* Weights rounding to zero is the likely cause only where a bit width sets their
       * step; a kind without one (DynapCNN's joint scale) gets the fact and the advice. */
      if (sq_network_kind_option (kind, "weight-bits") != NULL)
        g_ptr_array_add (hints,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%zu neuron fires in the float model "
                                                       "but never in the integer core: its "
                                                       "weights may have rounded to zero.%s",
                                                       "%zu neurons fire in the float model "
                                                       "but never in the integer core: their "
                                                       "weights may have rounded to zero.%s",
                                                       n),
                                          n, advice));
      else
        g_ptr_array_add (hints,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%zu neuron fires in the float model "
                                                       "but never in the integer core.%s",
                                                       "%zu neurons fire in the float model "
                                                       "but never in the integer core.%s", n),
                                          n, advice));
    }
  if (a->n_class_agree < a->n_samples)
    g_ptr_array_add (hints,
                     g_strdup (_("The integer core votes for another class than the float "
                                 "model.")));
  if (hints->len == 0)
    g_ptr_array_add (hints,
                     g_strdup (_("No problems found: the integer core follows the float "
                                 "model.")));
  return hints;
}

/* @json (an object ending in "\n}\n") with "agreement" added as its last member. */
static void
add_agreement (GString           *json,
               const SqAgreement *agreement)
{
  g_autoptr(GString) a = sq_agreement_to_json (agreement);

  g_assert (g_str_has_suffix (json->str, "\n}\n"));
  g_string_truncate (json, json->len - 3);
  g_string_append (json, ",\n  \"agreement\": ");
  g_string_append_len (json, a->str, (gssize) a->len);
  g_string_append (json, "\n}\n");
}

/**
 * sq_sim_result_serialize:
 * @agreement: (nullable): the agreement of a float + integer run, added to JSON only
 *
 * Returns: (transfer full): the bytes, or %NULL with @error set
 */
GBytes *
sq_sim_result_serialize (const SqSimResult  *result,
                         const SqAgreement  *agreement,
                         const char         *path,
                         GError            **error)
{
  GString *json;
  guint8 *bytes;
  gsize length;

  g_return_val_if_fail (result != NULL && path != NULL, NULL);
  if (_sq_path_has_extension (path, "npz") || _sq_path_has_extension (path, "npy"))
    {
      bytes = _sq_path_has_extension (path, "npz") ? sq_sim_result_to_npz (result, &length, error)
                                                   : sq_sim_result_to_npy (result, &length, error);
      return bytes ? g_bytes_new_take (bytes, length) : NULL;
    }
  json = sq_sim_result_to_json (result);
  if (agreement != NULL)
    add_agreement (json, agreement);
  return g_string_free_to_bytes (json);
}
