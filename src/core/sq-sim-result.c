/* sq-sim-result.c: what a simulation records, its summary, and the recording as JSON, .npz
 * and .npy files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-sim-private.h"

G_DEFINE_QUARK (sq-sim-error-quark, sq_sim_error)

static const char *const trace_names[SQ_N_TRACES] = {
  [SQ_TRACE_VMEM_HIDDEN] = "vmem_hidden",
  [SQ_TRACE_ISYN_HIDDEN] = "isyn_hidden",
  [SQ_TRACE_VMEM_OUT]    = "vmem_out",
  [SQ_TRACE_ISYN_OUT]    = "isyn_out",
};

const char *
sq_trace_name (SqTrace trace)
{
  g_return_val_if_fail (trace < SQ_N_TRACES, "?");
  return trace_names[trace];
}

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                   */

void
_sq_sim_shape_init (SqSimShape       *shape,
                    const SqXyloSpec *spec)
{
  shape->n_in = spec->n_in;
  shape->n_hidden = spec->n_hidden;
  shape->n_syn = spec->n_syn;
  shape->n_out = spec->n_out;
}

gboolean
_sq_sim_check_input (const SqSimShape  *spec,
                     const SqRaster    *input,
                     GError           **error)
{
  if (input->n_channels != spec->n_in)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the input has %zu channel, but the network "
                                "has %zu inputs (the rows of weights_in)",
                                "the input has %zu channels, but the network "
                                "has %zu inputs (the rows of weights_in)",
                                input->n_channels),
                   input->n_channels, spec->n_in);
      return FALSE;
    }
  return TRUE;
}

/* The trace's shape for @n_steps steps. */
static guint
trace_shape (gsize        n_steps,
             gsize        n_hidden,
             gsize        n_syn,
             gsize        n_out,
             SqTrace      trace,
             gsize       *shape)
{
  shape[0] = n_steps;
  shape[1] = trace <= SQ_TRACE_ISYN_HIDDEN ? n_hidden : n_out;
  shape[2] = n_syn;
  return trace == SQ_TRACE_ISYN_HIDDEN ? 3 : 2;
}

/* Every recorded array is allocated up front, after its size is checked: a run never stops
 * half-way for lack of memory it could have foreseen. */
SqSimResult *
_sq_sim_result_new (const SqSimShape  *spec,
                    gsize              n_steps,
                    gboolean           float_model,
                    gboolean           record_all,
                    GError           **error)
{
  g_autoptr(SqSimResult) r = g_new0 (SqSimResult, 1);
  gsize n, shape[3];

  r->n_steps = n_steps;
  r->n_in = spec->n_in;
  r->n_hidden = spec->n_hidden;
  r->n_syn = spec->n_syn;
  r->n_out = spec->n_out;
  r->float_model = float_model;
  r->record_all = record_all;

  if (n_steps == 0)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT, _("the input has no time steps"));
      return NULL;
    }
  shape[0] = n_steps;
  shape[1] = r->n_out;
  if (!sq_shape_count (2, shape, &n, error))
    return NULL;
  r->spikes_out = g_new0 (guint8, n);
  if (record_all)
    {
      shape[1] = r->n_hidden;
      if (r->n_hidden > 0 && !sq_shape_count (2, shape, &n, error))
        return NULL;
      r->spikes_hidden = g_new0 (guint8, r->n_hidden > 0 ? n : 1);
      for (guint t = 0; t < SQ_N_TRACES; t++)
        {
          guint rank = trace_shape (n_steps, r->n_hidden, r->n_syn, r->n_out, t, shape);

          /* A kind without hidden neurons or synaptic states records no such trace. */
          if (shape[1] == 0 || (rank == 3 && shape[2] == 0))
            continue;
          if (!sq_shape_count (rank, shape, &n, error))
            return NULL;
          if (float_model)
            r->ftrace[t] = g_new0 (double, n);
          else
            r->itrace[t] = g_new0 (gint16, n);
        }
    }
  r->hidden_events = g_new0 (guint64, r->n_hidden);
  r->out_events = g_new0 (guint64, r->n_out);
  r->first_out = g_new (gint64, r->n_out);
  for (gsize o = 0; o < r->n_out; o++)
    r->first_out[o] = -1;

  return g_steal_pointer (&r);
}

void
sq_sim_result_free (SqSimResult *result)
{
  if (result == NULL)
    return;
  g_free (result->spikes_out);
  g_free (result->spikes_hidden);
  for (guint t = 0; t < SQ_N_TRACES; t++)
    {
      g_free (result->itrace[t]);
      g_free (result->ftrace[t]);
    }
  g_free (result->hidden_events);
  g_free (result->out_events);
  g_free (result->first_out);
  g_clear_pointer (&result->arrays, g_ptr_array_unref);
  g_free (result);
}

static void
sim_array_free (gpointer data)
{
  SqSimArray *a = data;

  g_free (a->name);
  sq_tensor_clear (&a->values);
  g_free (a);
}

void
sq_sim_result_take_array (SqSimResult *result,
                          const char  *name,
                          SqTensor    *values,
                          SqNpyDtype   dtype)
{
  SqSimArray *a = g_new0 (SqSimArray, 1);

  if (result->arrays == NULL)
    result->arrays = g_ptr_array_new_with_free_func (sim_array_free);
  a->name = g_strdup (name);
  a->values = *values;
  a->dtype = dtype;
  memset (values, 0, sizeof *values);
  g_ptr_array_add (result->arrays, a);
}

/* Hidden neurons that sent no event over the whole run. */
gsize
sq_sim_result_silent_hidden (const SqSimResult *result)
{
  gsize n = 0;

  for (gsize j = 0; j < result->n_hidden; j++)
    n += result->hidden_events[j] == 0;
  return n;
}

/* The class a run votes for: the output with most events, the lowest index on a tie, -1
 * when no output fired. */
int
sq_sim_result_class (const SqSimResult *result)
{
  int best = -1;
  guint64 most = 0;

  for (gsize o = 0; o < result->n_out; o++)
    if (result->out_events[o] > most)
      {
        most = result->out_events[o];
        best = (int) o;
      }
  return best;
}

/**
 * sq_sim_result_get_spikes:
 * @hidden: the hidden raster (T, Nhid) rather than the output raster (T, Nout)
 * @tensor: (out caller-allocates): an integer tensor
 *
 * Returns: %FALSE with @error set when the raster was not recorded
 */
gboolean
sq_sim_result_get_spikes (const SqSimResult *result,
                          gboolean           hidden,
                          SqTensor          *tensor,
                          GError           **error)
{
  const guint8 *src = hidden ? result->spikes_hidden : result->spikes_out;
  gsize shape[2] = { result->n_steps, hidden ? result->n_hidden : result->n_out };

  memset (tensor, 0, sizeof *tensor);
  if (src == NULL)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   _("spikes_hidden was not recorded; record everything to get it"));
      return FALSE;
    }
  if (!sq_tensor_init (tensor, 2, shape, error))
    return FALSE;
  for (gsize i = 0; i < tensor->n; i++)
    tensor->data[i] = src[i];
  tensor->integer = TRUE;
  return TRUE;
}

gboolean
sq_sim_result_get_trace (const SqSimResult *result,
                         SqTrace            trace,
                         SqTensor          *tensor,
                         GError           **error)
{
  gsize shape[3];
  guint rank;

  g_return_val_if_fail (trace < SQ_N_TRACES, FALSE);
  memset (tensor, 0, sizeof *tensor);
  if (!result->record_all)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   _("%s was not recorded; record everything to get it"), trace_names[trace]);
      return FALSE;
    }
  rank = trace_shape (result->n_steps, result->n_hidden, result->n_syn, result->n_out, trace,
                      shape);
  if (!sq_tensor_init (tensor, rank, shape, error))
    return FALSE;
  for (gsize i = 0; i < tensor->n; i++)
    tensor->data[i] = result->float_model ? result->ftrace[trace][i] : result->itrace[trace][i];
  tensor->integer = !result->float_model;
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* JSON                                                                                      */

/* Integers without printf: a 10 000-step run of a 1000-neuron network records 40 M values,
 * and printf's locale and format parsing would dominate the write. */
static inline void
append_small_int (GString *s,
                  int      v)
{
  char buf[8], *p = buf + sizeof buf;
  unsigned u = v < 0 ? (unsigned) -(long) v : (unsigned) v;

  do
    *--p = (char) ('0' + u % 10);
  while ((u /= 10) != 0);
  if (v < 0)
    *--p = '-';
  g_string_append_len (s, p, buf + sizeof buf - p);
}

typedef struct {
  const guint8 *u8;
  const gint16 *i16;
  const double *f64;
} Values;

/* One (T, N[, S]) array as nested lists, one time step per line. */
static void
append_array (GString     *s,
              const char  *key,
              Values       v,
              gsize        n_steps,
              gsize        n,
              gsize        n_syn)
{
  gsize i = 0;

  g_string_append_printf (s, "  \"%s\": [\n", key);
  for (gsize t = 0; t < n_steps; t++)
    {
      g_string_append (s, "    [");
      for (gsize j = 0; j < n; j++)
        {
          if (j)
            g_string_append (s, ", ");
          if (n_syn)
            g_string_append_c (s, '[');
          for (gsize k = 0; k < MAX (n_syn, 1); k++, i++)
            {
              if (k)
                g_string_append (s, ", ");
              if (v.u8)
                append_small_int (s, v.u8[i]);
              else if (v.i16)
                append_small_int (s, v.i16[i]);
              else if (isfinite (v.f64[i]))
                _sq_append_float (s, v.f64[i]);
              else
                /* A float state that overflowed: JSON has no NaN or infinity, and a reader
                 * would refuse Python's spelling of them. The .npz keeps the value. */
                g_string_append (s, "null");
            }
          if (n_syn)
            g_string_append_c (s, ']');
        }
      g_string_append (s, t + 1 < n_steps ? "],\n" : "]\n");
    }
  g_string_append (s, "  ]");
}

/**
 * sq_sim_result_to_json:
 *
 * The recording as a JSON object in the layout of the conformance cases: `spikes_out`, and
 * when everything was recorded `spikes_hidden`, `vmem_hidden`, `isyn_hidden` (T, Nhid, Nsyn),
 * `vmem_out` and `isyn_out`; a kind's own arrays (@arrays) instead when it has them.
 * Numbers never depend on the locale; a float state that overflowed to infinity or NaN is
 * null.
 */
GString *
sq_sim_result_to_json (const SqSimResult *result)
{
  GString *s = g_string_sized_new (64 + result->n_steps * result->n_out * 3);

  if (result->arrays != NULL)
    {
      g_string_append (s, "{");
      for (guint i = 0; i < result->arrays->len; i++)
        {
          const SqSimArray *a = g_ptr_array_index (result->arrays, i);

          g_string_append_printf (s, "%s\n\"%s\": ", i ? "," : "", a->name);
          _sq_append_tensor (s, &a->values);
        }
      g_string_append (s, "\n}\n");
      return s;
    }
  g_string_append (s, "{\n");
  append_array (s, "spikes_out", (Values) { .u8 = result->spikes_out }, result->n_steps,
                result->n_out, 0);
  if (result->record_all)
    {
      g_string_append (s, ",\n");
      append_array (s, "spikes_hidden", (Values) { .u8 = result->spikes_hidden },
                    result->n_steps, result->n_hidden, 0);
      for (guint t = 0; t < SQ_N_TRACES; t++)
        {
          Values v = { NULL, result->itrace[t], result->ftrace[t] };

          g_string_append (s, ",\n");
          append_array (s, trace_names[t], v, result->n_steps,
                        t <= SQ_TRACE_ISYN_HIDDEN ? result->n_hidden : result->n_out,
                        t == SQ_TRACE_ISYN_HIDDEN ? result->n_syn : 0);
        }
    }
  g_string_append (s, "\n}\n");
  return s;
}

/* ---------------------------------------------------------------------------------------- */
/* Summary                                                                                   */

static void
append_silent (GString *s,
               gsize    silent,
               gsize    total,
               gboolean hidden)
{
  if (silent == 0)
    return;
  if (hidden)
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                            "  warning: %zu of %zu"
                                            " hidden neuron never fired\n",
                                            "  warning: %zu of %zu"
                                            " hidden neurons never fired\n", silent),
                            silent, total);
  else
    g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                            "  warning: %zu of %zu"
                                            " output neuron never fired\n",
                                            "  warning: %zu of %zu"
                                            " output neurons never fired\n", silent),
                            silent, total);
}

/**
 * sq_sim_result_summary:
 *
 * What a user needs when the hardware stays silent: events per output, silent neurons, and
 * how often saturation and the caps changed the result.
 */
char *
sq_sim_result_summary (const SqSimResult *result)
{
  GString *s = g_string_new (NULL);
  gsize silent = sq_sim_result_silent_hidden (result), silent_out = 0;
  guint64 hidden_total = 0;

  for (gsize j = 0; j < result->n_hidden; j++)
    hidden_total += result->hidden_events[j];
  for (gsize o = 0; o < result->n_out; o++)
    silent_out += result->out_events[o] == 0;

  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%zu step",
                                          "%zu steps", result->n_steps),
                          result->n_steps);
  g_string_append_printf (s, _(", %s model\n"), result->float_model ? _("float") : _("integer"));
  g_string_append (s, _("  output events:"));
  for (gsize o = 0; o < result->n_out; o++)
    g_string_append_printf (s, " %" PRIu64, result->out_events[o]);
  g_string_append_c (s, '\n');
  if (result->n_hidden > 0)
    g_string_append_printf (s, _("  hidden events: %" PRIu64 " (%.2f per neuron and "
                                 "step)\n"), hidden_total,
                            (double) hidden_total / (double) result->n_hidden /
                            (double) result->n_steps);
  append_silent (s, silent, result->n_hidden, TRUE);
  append_silent (s, silent_out, result->n_out, FALSE);
  /* A kind with its own layout (DynapCNN) has neither synaptic currents nor Xylo's caps. */
  if (result->arrays != NULL)
    {
      if (!result->float_model)
        g_string_append_printf (s, _("  saturated: vmem %" PRIu64 " times\n"),
                                result->vmem_saturated);
      return g_string_free (s, FALSE);
    }
  if (!result->float_model)
    g_string_append_printf (s, _("  saturated: isyn %" PRIu64 " times, vmem %"
                                 PRIu64 " times\n"),
                            result->isyn_saturated, result->vmem_saturated);
  g_string_append_printf (s, _("  31-event cap hit: %" PRIu64 " neuron-steps\n"),
                          result->cap_hit);
  g_string_append_printf (s, _("  input events dropped by the 15-event cap: %" PRIu64
                               "\n"), result->input_dropped);
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* NumPy files                                                                               */

/**
 * sq_sim_result_to_npz:
 *
 * The recording as an .npz archive with the arrays of sq_sim_result_to_json():
 * `spikes_out` (T, Nout) as uint8, and when everything was recorded `spikes_hidden`
 * (T, Nhid) as uint8 and the traces `vmem_hidden` (T, Nhid), `isyn_hidden` (T, Nhid, Nsyn),
 * `vmem_out`, `isyn_out` (T, Nout), int16 from the integer core, float64 from the float
 * model.
 *
 * Returns: (transfer full): the archive, or %NULL with @error set
 */
guint8 *
sq_sim_result_to_npz (const SqSimResult *result,
                      gsize             *length,
                      GError           **error)
{
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();

  for (guint i = 0; result->arrays != NULL && i < result->arrays->len; i++)
    {
      const SqSimArray *a = g_ptr_array_index (result->arrays, i);

      if (!sq_npz_writer_add_tensor (w, a->name, &a->values, a->dtype, error))
        return NULL;
    }
  for (guint a = 0; result->arrays == NULL && a < 2 + SQ_N_TRACES; a++)
    {
      g_autofree guint8 *npy = NULL;
      gsize shape[3] = { result->n_steps, 0, result->n_syn }, npy_len;
      gconstpointer values;
      const char *key;
      SqNpyDtype dtype;
      guint rank = 2;

      if (a > 0 && !result->record_all)
        break;
      if (a < 2)
        {
          key = a == 0 ? "spikes_out" : "spikes_hidden";
          shape[1] = a == 0 ? result->n_out : result->n_hidden;
          values = a == 0 ? result->spikes_out : result->spikes_hidden;
          dtype = SQ_NPY_UINT8;
        }
      else
        {
          SqTrace t = (SqTrace) (a - 2);

          key = sq_trace_name (t);
          shape[1] = t <= SQ_TRACE_ISYN_HIDDEN ? result->n_hidden : result->n_out;
          rank = t == SQ_TRACE_ISYN_HIDDEN ? 3 : 2;
          values = result->float_model ? (gconstpointer) result->ftrace[t]
                                       : (gconstpointer) result->itrace[t];
          dtype = result->float_model ? SQ_NPY_FLOAT64 : SQ_NPY_INT16;
        }
      npy = sq_npy_write_array (dtype, rank, shape, values, &npy_len);
      if (!sq_npz_writer_add_npy (w, key, npy, npy_len, error))
        return NULL;
    }
  return sq_npz_writer_finish (w, length, error);
}

/**
 * sq_sim_result_to_npy:
 *
 * `spikes_out` (T, Nout) as a uint8 .npy file: the one array of a recording of the outputs.
 *
 * Returns: (transfer full): the file's bytes
 */
guint8 *
sq_sim_result_to_npy (const SqSimResult *result,
                      gsize             *length,
                      GError           **error)
{
  gsize shape[2] = { result->n_steps, result->n_out };

  for (guint i = 0; result->arrays != NULL && i < result->arrays->len; i++)
    {
      const SqSimArray *a = g_ptr_array_index (result->arrays, i);

      if (g_str_equal (a->name, "spikes_out"))
        return sq_npy_write (&a->values, a->dtype, length, error);
    }
  return sq_npy_write_array (SQ_NPY_UINT8, 2, shape, result->spikes_out, length);
}
