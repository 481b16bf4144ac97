/* sq-export-registers.c: what Xylo's registers hold, and the network as they see it
 *
 * Shared by the Xylo formats (sq-export-rockpool.c, sq-export-samna-json.c,
 * sq-export-xylo-ram.c): the check that every value is a whole number within its register,
 * and the padded or windowed view of the weight matrices the register layouts take.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-export-private.h"

/* ---------------------------------------------------------------------------------------- */
/* What the device can hold                                                                  */

static void
param_range (const SqDeviceProfile *device,
             SqParam                param,
             int                   *lo,
             int                   *hi)
{
  if (sq_param_is_weights (param))
    *lo = device->weight_min, *hi = device->weight_max;
  else if (sq_param_is_dash (param))
    *lo = device->dash_min, *hi = device->dash_max;
  else if (param == SQ_PARAM_THRESHOLD || param == SQ_PARAM_THRESHOLD_OUT)
    *lo = device->threshold_min, *hi = device->threshold_max;
  else
    *lo = device->bias_min, *hi = device->bias_max;
}

/* Every value a whole number within the device's register; biases only where the device has
 * them. With @strict (samna, RAM images) also the structure each register layout needs. */
gboolean
_sq_export_check_values (const SqExportCtx *c,
                         gboolean           strict,
                         GError           **error)
{
  const SqXyloSpec *spec = c->spec;
  const SqDeviceProfile *device = c->device;

  if (!device->is_xylo)
    {
      g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_DEVICE,
                   _("%s runs convolutional networks, not Xylo specifications"), device->title);
      return FALSE;
    }

  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      const SqTensor *t = &spec->param[p];
      gboolean is_bias = p == SQ_PARAM_BIAS || p == SQ_PARAM_BIAS_OUT;
      int lo, hi;

      if (!sq_tensor_is_present (t))
        continue;
      param_range (device, (SqParam) p, &lo, &hi);
      for (gsize k = 0; k < t->n; k++)
        {
          double v = t->data[k];

          if (!(nearbyint (v) <= v && nearbyint (v) >= v))
            {
              g_autofree char *where = sq_tensor_element_path (t, sq_param_name (p), k);

              g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_NOT_INTEGER,
                           _("%s: %s is %g, expected a whole number (quantize first)"),
                           c->source, where, v);
              return FALSE;
            }
          if (is_bias && !device->has_bias && !_sq_is_zero (v))
            {
              g_autofree char *where = sq_tensor_element_path (t, sq_param_name (p), k);

              g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE,
                           _("%s: %s is %g, but %s has no biases"), c->source, where, v,
                           device->title);
              return FALSE;
            }
          if (device->has_bias || !is_bias)
            if (v < lo || v > hi)
              {
                g_autofree char *where = sq_tensor_element_path (t, sq_param_name (p), k);

                g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE,
                             _("%s: %s is %g, outside %s's range %d…%d; "
                               "values are never wrapped"),
                             c->source, where, v, device->title, lo, hi);
                return FALSE;
              }
        }
    }

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->weight_shift[i] < device->weight_shift_min ||
        spec->weight_shift[i] > device->weight_shift_max)
      {
        g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE,
                     _("%s: %s is %d, outside %s's range %d…%d; values are never wrapped"),
                     c->source, sq_shift_name ((SqShift) i), spec->weight_shift[i],
                     device->title, device->weight_shift_min, device->weight_shift_max);
        return FALSE;
      }

  if (!strict)
    return TRUE;

  if (spec->n_syn > device->max_synapses)
    {
      g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE,
                   _("%s: %zu synapses per hidden neuron, but %s's configuration holds %u"),
                   c->source, spec->n_syn, device->title, device->max_synapses);
      return FALSE;
    }
  for (gsize j = 0; spec->alias_offsets != NULL && j < spec->n_alias_lists; j++)
    {
      gsize n = spec->alias_offsets[j + 1] - spec->alias_offsets[j];

      if (n > device->max_alias_targets)
        {
          g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE,
                       _("%s: aliases[%zu] has %zu targets, but %s's configuration holds %u"),
                       c->source, j, n, device->title, device->max_alias_targets);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* The network as the device's registers see it                                              */

/* weights_in[i][j][s] and weights_rec[i][j][s] of a 2-D or 3-D tensor; 0 beyond its synapses. */
static int
weight3 (const SqTensor *t,
         gsize           i,
         gsize           j,
         gsize           s)
{
  gsize n_syn = t->rank == 3 ? t->shape[2] : 1;

  if (s >= n_syn)
    return 0;
  return (int) t->data[(i * t->shape[1] + j) * n_syn + s];
}

int
_sq_export_value_at (const SqXyloSpec *spec,
                     SqParam           param,
                     gsize             i)
{
  const SqTensor *t = &spec->param[param];

  return sq_tensor_is_present (t) ? (int) t->data[i] : 0;
}

/* On devices where every hidden neuron takes input and drives outputs (v1, Audio 2) the
 * registers span all hidden neurons, so narrower matrices are padded with zeros; on IMU and
 * Audio 3 they span the input and output expansion windows, which the matrices give. */
gboolean
_sq_export_full_windows (const SqDeviceProfile *device)
{
  return device->max_ien >= device->max_hidden && device->max_oen >= device->max_hidden;
}

/* Input weight to hidden column @j (of n_ien, or of n_hidden when padded). */
int
_sq_export_input_weight (const SqXyloSpec *spec,
                         gsize             i,
                         gsize             j,
                         gsize             s)
{
  return j < spec->n_ien ? weight3 (&spec->param[SQ_PARAM_WEIGHTS_IN], i, j, s) : 0;
}

/* Recurrent weight from hidden neuron @i to @j on synapse @s (0 beyond the synapses). */
int
_sq_export_rec_weight (const SqXyloSpec *spec,
                       gsize             i,
                       gsize             j,
                       gsize             s)
{
  return weight3 (&spec->param[SQ_PARAM_WEIGHTS_REC], i, j, s);
}

/* Output weight of register row @r of @n_rows (the last n_oen rows hold weights_out). */
int
_sq_export_output_weight (const SqXyloSpec *spec,
                          gsize             n_rows,
                          gsize             r,
                          gsize             o)
{
  gsize first = n_rows - spec->n_oen;

  if (r < first)
    return 0;
  return (int) spec->param[SQ_PARAM_WEIGHTS_OUT].data[(r - first) * spec->n_out + o];
}

gssize
_sq_export_alias_target (const SqXyloSpec *spec,
                         gsize             j)
{
  if (spec->alias_offsets == NULL || j >= spec->n_alias_lists ||
      spec->alias_offsets[j + 1] == spec->alias_offsets[j])
    return -1;
  return spec->alias_targets[spec->alias_offsets[j]];
}

gboolean
_sq_export_any_alias (const SqXyloSpec *spec)
{
  return spec->alias_offsets != NULL && spec->alias_offsets[spec->n_alias_lists] > 0;
}

gboolean
_sq_export_any_bias (const SqXyloSpec *spec)
{
  for (guint p = SQ_PARAM_BIAS; p <= SQ_PARAM_BIAS_OUT; p++)
    {
      const SqTensor *t = &spec->param[p];

      for (gsize k = 0; sq_tensor_is_present (t) && k < t->n; k++)
        if (!_sq_is_zero (t->data[k]))
          return TRUE;
    }
  return FALSE;
}
