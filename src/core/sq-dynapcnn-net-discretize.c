/* sq-dynapcnn-net-discretize.c: a whole DynapCNN network to integers, layer by layer, with
 * what each layer's discretization did to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "synquant.h"
#include "sq-dynapcnn-net-private.h"

/* 10·log10(Σ w² / Σ (w − q/s)²) over the float32 weights; +inf when every weight is exact,
 * NaN when every weight is 0. */
static double
weight_sqnr (const SqTensor *w,
             const SqTensor *q,
             float           scale)
{
  double signal = 0, noise = 0;

  for (gsize i = 0; i < w->n; i++)
    {
      double x = (double) (float) w->data[i];
      double e = x - q->data[i] / (double) scale;

      signal += x * x;
      noise += e * e;
    }
  if (!(signal > 0))
    return NAN;
  if (!(noise > 0))
    return INFINITY;
  return 10.0 * log10 (signal / noise);
}

/**
 * sq_dynapcnn_net_discretize:
 * @reports: (out) (optional) (element-type SqDynapcnnLayerReport): one per layer
 * @warnings: (out) (optional) (element-type utf8): what the chip would do wrong, per layer
 *
 * Discretizes every layer of @net (sq_dynapcnn_discretize_layer()) into a network of the
 * same structure: integer weights, biases (zeros where @net has none), thresholds and initial
 * membranes, and each layer's scale. An unbounded membrane becomes min_v_mem −32768 in
 * %SQ_DISCRETIZE_SYNQUANT mode and round(−32768 · s) in %SQ_DISCRETIZE_SINABS mode.
 *
 * Returns: (transfer full): the integer network, or %NULL with @error set
 */
SqDynapcnnNet *
sq_dynapcnn_net_discretize (const SqDynapcnnNet *net,
                            SqDiscretizeMode     mode,
                            GArray             **reports,
                            GPtrArray          **warnings,
                            GError             **error)
{
  g_autoptr(SqDynapcnnNet) out = _sq_dynapcnn_net_new_frame (net);
  g_autoptr(GArray) rep = g_array_new (FALSE, TRUE, sizeof (SqDynapcnnLayerReport));
  g_autoptr(GPtrArray) warn = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *in = &net->layers[i];
      SqDynapcnnNetLayer *l = &out->layers[i];
      g_autofree char *where = g_strdup_printf ("%s: layers[%u]", net->source, i);
      g_autofree char *name = g_strdup_printf (_("layer %u"), i);
      g_autoptr(GPtrArray) lines = NULL;
      SqDynapcnnDiscrete d;
      SqDynapcnnLayerReport r = { 0, };

      if (!sq_dynapcnn_discretize_layer (&in->params, mode, where, &d, error))
        return NULL;
      *l = *in;
      l->params = (SqDynapcnnLayerParams) {
        .weight = d.weight, .bias = d.bias, .v_mem = d.v_mem,
        .spike_threshold = d.threshold_high, .has_min_v_mem = TRUE,
        .min_v_mem = d.threshold_low,
      };
      l->has_scale = TRUE;
      l->scale = d.scale;
      out->n_layers = i + 1;

      r.scale = d.scale;
      r.bound = d.bound;
      r.n_weights = in->params.weight.n;
      r.n_weights_nonzero = d.n_weights_nonzero;
      r.n_weights_zeroed = d.n_weights_zeroed;
      r.weight_sqnr_db = weight_sqnr (&in->params.weight, &l->params.weight, d.scale);
      r.threshold_before = in->params.spike_threshold;
      r.has_min_v_mem_before = in->params.has_min_v_mem;
      r.min_v_mem_before = in->params.min_v_mem;
      r.threshold_after = d.threshold_high;
      r.min_v_mem_after = d.threshold_low;
      lines = sq_dynapcnn_discrete_warnings (&in->params, &d, mode, name);
      r.first_warning = warn->len;
      r.n_warnings = lines->len;
      g_array_append_val (rep, r);

      for (guint k = 0; k < lines->len; k++)
        g_ptr_array_add (warn, g_strdup (g_ptr_array_index (lines, k)));
    }
  if (reports != NULL)
    *reports = g_steal_pointer (&rep);
  if (warnings != NULL)
    *warnings = g_steal_pointer (&warn);
  return g_steal_pointer (&out);
}
