/* sq-quant-apply.c: a quantization plan carried out, layer by layer — Synquant's mode with
 * its clipping and weight shifts, and Rockpool's global_quantize and channel_quantize with
 * their defects — and the diagnostics each mode owes the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-private.h"
#include "sq-quant-kernels-private.h"
#include "sq-quantize-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Synquant mode                                                                             */

/* Says which shift the automatic choice took for a layer, and why. */
static void
diagnose_shift (const SqQuantLayerView *v,
                const SqXyloSpec       *dst,
                const SqQuantScales    *s,
                double                  tmax,
                SqQuantResult          *res)
{
  const char *names = v->layer == SQ_LAYER_HIDDEN ? "weight_shift_in, weight_shift_rec"
                                                  : "weight_shift_out";
  const SqTensor *theta = &dst->param[v->theta_param];
  const SqTensor *bias = &dst->param[v->bias_param];
  gboolean limited = FALSE;
  double largest = 0.0;

  for (gsize g = 0; g < s->n; g++)
    limited |= s->limited[g];
  for (gsize c = 0; c < theta->n; c++)
    largest = MAX (largest, fabs (theta->data[c]));
  for (gsize c = 0; sq_tensor_is_present (bias) && c < bias->n; c++)
    largest = MAX (largest, fabs (bias->data[c]));

  if (s->shift > 0)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_WEIGHT_SHIFT, v->w_param[0], (gsize) s->shift,
                         _("%s = %d: thresholds and biases are scaled %d× more than the "
                           "weights, which keep their full range; the largest is now %.0f of "
                           "±%.0f"),
                         names, s->shift, 1 << s->shift, largest, tmax);
  else if (limited)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_WEIGHT_SHIFT, v->w_param[0], 0,
                         _("%s = 0: the thresholds or biases need more range than the weights "
                           "at their full scale leave; a shift would only widen the gap"),
                         names);
  else
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_WEIGHT_SHIFT, v->w_param[0], 0,
                         _("%s = 0: the largest threshold or bias (%.0f) already uses more than "
                           "1/32 of the state, which must hold the 31 events of one step"),
                         names, largest);
}

static void
synquant_layer (const SqXyloSpec    *src,
                SqXyloSpec          *dst,
                const SqQuantParams *params,
                SqLayer              layer,
                const SqQuantScales *s,
                SqQuantResult       *res,
                gsize               *clipped_weights,
                gsize               *clipped_thresholds,
                gsize               *clipped_biases)
{
  gboolean per_channel = params->method == SQ_METHOD_CHANNEL;
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  g_autofree SqQuantAcc *acc = g_new0 (SqQuantAcc, s->n);
  g_autofree gsize *n_weights = g_new0 (gsize, s->n);
  SqQuantLayerView v;

  _sq_quant_layer_view_init (&v, src, layer);

  for (guint t = 0; t < v.n_w; t++)
    {
      double *q = dst->param[v.w_param[t]].data;

      if (per_channel)
        {
          _sq_quant_columns (v.w[t]->data, q, v.rows[t], v.cols[t], v.syn[t], s->scale, wmax,
                             TRUE, acc);
          for (gsize c = 0; c < v.cols[t]; c++)
            n_weights[c] += v.rows[t] * v.syn[t];
        }
      else
        {
          _sq_quant_flat (v.w[t]->data, q, v.w[t]->n, s->scale[0], wmax, TRUE, acc);
          n_weights[0] += v.w[t]->n;
        }
    }

  for (gsize g = 0; g < s->n; g++)
    *clipped_weights += acc[g].clipped;

  for (gsize c = 0; c < v.n_targets; c++)
    {
      gsize g = per_channel ? c : 0;

      double state = ldexp (s->scale[g], s->shift);

      _sq_quant_neuron (&v, dst, c, state, state, tmax, TRUE, &acc[g],
                        clipped_thresholds, clipped_biases);
    }

  res->weight_shift[layer] = s->shift;
  if (params->weight_shift != 0)
    {
      if (layer == SQ_LAYER_HIDDEN)
        {
          dst->weight_shift[SQ_SHIFT_IN] = dst->weight_shift[SQ_SHIFT_REC] = s->shift;
          dst->has_weight_shift[SQ_SHIFT_IN] = dst->has_weight_shift[SQ_SHIFT_REC] = TRUE;
        }
      else
        {
          dst->weight_shift[SQ_SHIFT_OUT] = s->shift;
          dst->has_weight_shift[SQ_SHIFT_OUT] = TRUE;
        }
    }
  if (params->weight_shift == SQ_WEIGHT_SHIFT_AUTO)
    diagnose_shift (&v, dst, s, tmax, res);

  for (gsize g = 0; g < s->n; g++)
    {
      SqGroupReport report;

      _sq_quant_group_from_acc (&report, layer, per_channel ? (gssize) g : -1, s->range[g],
                                s->scale[g], s->limited[g], n_weights[g], &acc[g], wmax);
      g_array_append_val (res->groups, report);
    }

  if (s->overflow)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_SCALE_OVERFLOW, v.w_param[0], 1,
                         "%s", layer == SQ_LAYER_HIDDEN
                         ? _("the hidden weights are so small that their scale overflows; the "
                             "largest finite scale was used")
                         : _("the output weights are so small that their scale overflows; the "
                             "largest finite scale was used"));
}

void
_sq_quant_apply_synquant (const SqXyloSpec    *src,
                          SqXyloSpec          *dst,
                          const SqQuantParams *params,
                          const SqQuantPlan   *plan,
                          SqQuantResult       *res)
{
  gsize cw = 0, ct = 0, cb = 0;

  synquant_layer (src, dst, params, SQ_LAYER_HIDDEN, &plan->scales[SQ_LAYER_HIDDEN], res,
                  &cw, &ct, &cb);
  synquant_layer (src, dst, params, SQ_LAYER_OUTPUT, &plan->scales[SQ_LAYER_OUTPUT], res,
                  &cw, &ct, &cb);

  if (cw > 0)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_CLIPPED, -1, cw,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%zu weight was clipped to ±%.0f",
                                      "%zu weights were clipped to ±%.0f", cw),
                         cw, sq_quant_weight_max (params));
  if (ct > 0)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_CLIPPED, SQ_PARAM_THRESHOLD, ct,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%zu threshold was clipped to ±%.0f",
                                      "%zu thresholds were clipped to ±%.0f", ct),
                         ct, sq_quant_threshold_max (params));
  if (cb > 0)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_CLIPPED, SQ_PARAM_BIAS, cb,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%zu bias was clipped to ±%.0f",
                                      "%zu biases were clipped to ±%.0f", cb),
                         cb, sq_quant_threshold_max (params));
}

/* ---------------------------------------------------------------------------------------- */
/* Rockpool mode                                                                             */

/* rint(rint(rint(x·s)·l1)·l2): Rockpool rounds, then rescales the integers and rounds again. */
static double
rockpool_round3 (double x,
                 double s,
                 double l1,
                 double l2)
{
  return rint (rint (rint (x * s) * l1) * l2);
}

static void
rockpool_weights_global (const SqTensor *w,
                         double         *q,
                         double          s,
                         double          l1,
                         double          l2,
                         double          wmax,
                         SqQuantAcc     *acc)
{
  double eff = s * l1 * l2;

  /* Without a threshold limit Rockpool rounds once, exactly what the flat loop does. */
  if (!_sq_differ (l1, 1.0) && !_sq_differ (l2, 1.0))
    {
      _sq_quant_flat (w->data, q, w->n, s, wmax, FALSE, acc);
      return;
    }

  for (gsize i = 0; i < w->n; i++)
    {
      double x = w->data[i];
      double v = rockpool_round3 (x, s, l1, l2);
      double e = fabs (v - x * eff);

      q[i] = v;
      acc->out_of_range += v > wmax || v < -wmax;
      acc->signal += x * x;
      acc->noise_q += e * e;
      acc->max_err_q = MAX (acc->max_err_q, e);
      acc->zeroed += _sq_is_zero (v) && !_sq_is_zero (x);
      acc->nonzero += !_sq_is_zero (x);
    }
}

/* A layer's thresholds, rint(rint(θ·s)·ℓ), and biases, rint(b·s_bias), unclipped. */
static void
rockpool_neurons_global (const SqQuantLayerView *v,
                         SqXyloSpec             *dst,
                         double                  s,
                         double                  l,
                         double                  s_bias,
                         double                  tmax,
                         SqQuantAcc             *acc)
{
  for (gsize c = 0; c < v->n_targets; c++)
    {
      double t = rockpool_round3 (v->theta->data[c], s, l, 1.0);

      dst->param[v->theta_param].data[c] = t;
      acc->out_of_range += t > tmax || t < -tmax;
      if (v->bias)
        {
          double b = v->bias->data[c], q = rint (b * s_bias);

          dst->param[v->bias_param].data[c] = q;
          acc->out_of_range += q > tmax || q < -tmax;
          acc->bias_zeroed += _sq_is_zero (q) && !_sq_is_zero (b);
        }
    }
}

/* Rockpool's global_quantize. */
static void
rockpool_global (const SqXyloSpec       *src,
                 SqXyloSpec             *dst,
                 const SqQuantParams    *params,
                 const SqRockpoolGlobal *f,
                 SqQuantResult          *res)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  /* Read before the biases are written: @dst may be @src. */
  gboolean bias_out_nonzero = sq_tensor_is_present (&src->param[SQ_PARAM_BIAS_OUT]) &&
                              _sq_quant_vector_max_abs (&src->param[SQ_PARAM_BIAS_OUT]) > 0.0;
  SqQuantAcc in = { 0, }, rec = { 0, }, out = { 0, }, hidden_other = { 0, }, output_other = { 0, };
  SqGroupReport g_hidden, g_output, g_rec;
  SqQuantLayerView hid, outv;

  _sq_quant_layer_view_init (&hid, src, SQ_LAYER_HIDDEN);
  _sq_quant_layer_view_init (&outv, src, SQ_LAYER_OUTPUT);

  rockpool_weights_global (&src->param[SQ_PARAM_WEIGHTS_IN], dst->param[SQ_PARAM_WEIGHTS_IN].data,
                           f->s, f->l_hidden, 1.0, wmax, &in);
  /* Defect (b): the output layer's threshold limit rescales weights_rec too. */
  rockpool_weights_global (&src->param[SQ_PARAM_WEIGHTS_REC],
                           dst->param[SQ_PARAM_WEIGHTS_REC].data,
                           f->s, f->l_hidden, f->l_output, wmax, &rec);
  rockpool_weights_global (&src->param[SQ_PARAM_WEIGHTS_OUT],
                           dst->param[SQ_PARAM_WEIGHTS_OUT].data,
                           f->s_out, f->l_output, 1.0, wmax, &out);

  /* Thresholds get the limit after rounding; defects (a) and (h): both biases keep the
   * hidden scale s and no limit. */
  rockpool_neurons_global (&hid, dst, f->s, f->l_hidden, f->s, tmax, &hidden_other);
  rockpool_neurons_global (&outv, dst, f->s_out, f->l_output, f->s, tmax, &output_other);

  /* weights_in and weights_rec form the hidden group; their scales differ only under
   * defect (b), so each contributes its errors at its own scale. */
  _sq_quant_group_from_acc (&g_hidden, SQ_LAYER_HIDDEN, -1, f->m, f->s * f->l_hidden,
                            _sq_differ (f->l_hidden, 1.0), src->param[SQ_PARAM_WEIGHTS_IN].n,
                            &in, wmax);
  _sq_quant_group_from_acc (&g_rec, SQ_LAYER_HIDDEN, -1, f->m, f->s * f->l_hidden * f->l_output,
                            FALSE, src->param[SQ_PARAM_WEIGHTS_REC].n, &rec, wmax);
  g_rec.out_of_range += hidden_other.out_of_range;
  g_rec.bias_zeroed = hidden_other.bias_zeroed;
  _sq_quant_group_add (&g_hidden, &g_rec);
  g_array_append_val (res->groups, g_hidden);
  res->rec_scale_factor = f->l_output;

  _sq_quant_group_from_acc (&g_output, SQ_LAYER_OUTPUT, -1, f->m_out, f->s_out * f->l_output,
                            _sq_differ (f->l_output, 1.0), src->param[SQ_PARAM_WEIGHTS_OUT].n,
                            &out, wmax);
  g_output.out_of_range += output_other.out_of_range;
  g_output.bias_zeroed = output_other.bias_zeroed;
  g_array_append_val (res->groups, g_output);

  if (bias_out_nonzero && _sq_differ (f->s, f->s_out))
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_BIAS_OUT, src->n_out,
                         _("bias_out was scaled with the hidden layer's scale, not the output "
                           "layer's, as Rockpool does (its defect a)"));
  if (_sq_differ (f->l_hidden, 1.0))
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_THRESHOLD,
                         src->n_hidden,
                         _("the hidden thresholds did not fit in %u bits: Rockpool rescaled the "
                           "rounded thresholds and weights and rounded them again, and left bias "
                           "unscaled (its defect h)"), params->threshold_bits);
  if (_sq_differ (f->l_output, 1.0))
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_WEIGHTS_REC,
                         src->param[SQ_PARAM_WEIGHTS_REC].n,
                         _("the output thresholds did not fit in %u bits: Rockpool rescaled "
                           "weights_out and also weights_rec with them (its defect b)"),
                         params->threshold_bits);
}

/* Rockpool's channel_quantize for one layer, with the scales planned. */
static void
rockpool_channel_layer (const SqXyloSpec    *src,
                        SqXyloSpec          *dst,
                        const SqQuantParams *params,
                        SqLayer              layer,
                        const SqQuantScales *s,
                        const double        *bias_scale,
                        SqQuantResult       *res)
{
  double wmax = sq_quant_weight_max (params);
  double tmax = sq_quant_threshold_max (params);
  g_autofree SqQuantAcc *acc = NULL;
  gsize flipped = 0, unused = 0;
  SqQuantLayerView v;

  _sq_quant_layer_view_init (&v, src, layer);
  acc = g_new0 (SqQuantAcc, v.n_targets);
  for (guint t = 0; t < v.n_w; t++)
    _sq_quant_columns (v.w[t]->data, dst->param[v.w_param[t]].data, v.rows[t], v.cols[t],
                       v.syn[t], s->scale, wmax, FALSE, acc);

  for (gsize c = 0; c < v.n_targets; c++)
    {
      _sq_quant_neuron (&v, dst, c, s->scale[c], bias_scale[c], tmax, FALSE, &acc[c],
                        &unused, &unused);
      flipped += s->scale[c] < 0.0;
    }

  for (gsize c = 0; c < v.n_targets; c++)
    {
      SqGroupReport report;
      gsize n = 0;

      for (guint t = 0; t < v.n_w; t++)
        n += c < v.cols[t] ? v.rows[t] * v.syn[t] : 0;
      _sq_quant_group_from_acc (&report, layer, (gssize) c, s->range[c], s->scale[c],
                                s->limited[c], n, &acc[c], wmax);
      g_array_append_val (res->groups, report);
    }

  if (flipped > 0)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, v.theta_param, flipped,
                         layer == SQ_LAYER_HIDDEN
                         ? g_dngettext (GETTEXT_PACKAGE,
                                        "%zu hidden neuron has a negative threshold that "
                                        "did not fit: Rockpool's rescale flipped the signs "
                                        "of its weights",
                                        "%zu hidden neurons have negative thresholds that "
                                        "did not fit: Rockpool's rescale flipped the signs "
                                        "of their weights",
                                        flipped)
                         : g_dngettext (GETTEXT_PACKAGE,
                                        "%zu output neuron has a negative threshold that "
                                        "did not fit: Rockpool's rescale flipped the signs "
                                        "of its weights",
                                        "%zu output neurons have negative thresholds that "
                                        "did not fit: Rockpool's rescale flipped the signs "
                                        "of their weights",
                                        flipped),
                         flipped);
  if (layer == SQ_LAYER_HIDDEN && v.bias && src->n_syn == 1)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_ROCKPOOL_DEFECT, SQ_PARAM_BIAS, src->n_hidden,
                         _("the hidden biases were only rounded, not scaled: Rockpool's "
                           "channel_quantize scales them only in networks with two synapses "
                           "(its defect f)"));
}

void
_sq_quant_apply_rockpool (const SqXyloSpec    *src,
                          SqXyloSpec          *dst,
                          const SqQuantParams *params,
                          const SqQuantPlan   *plan,
                          SqQuantResult       *res)
{
  gsize oor = 0;

  if (params->method == SQ_METHOD_GLOBAL)
    rockpool_global (src, dst, params, &plan->global, res);
  else
    {
      if (params->fuzzy)
        _sq_diagnostics_add (res->diagnostics, SQ_DIAG_FUZZY_IGNORED, -1, 0,
                             _("Rockpool's channel_quantize has no fuzzy scaling and silently "
                               "ignores the option; so does this result"));
      for (guint l = 0; l < SQ_N_LAYERS; l++)
        rockpool_channel_layer (src, dst, params, (SqLayer) l, &plan->scales[l],
                                plan->bias_scale[l], res);
    }

  for (guint i = 0; i < res->groups->len; i++)
    oor += g_array_index (res->groups, SqGroupReport, i).out_of_range;
  if (oor > 0)
    _sq_diagnostics_add (res->diagnostics, SQ_DIAG_OUT_OF_RANGE, -1, oor,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%zu value lies beyond its integer range "
                                      "(±%.0f for weights, ±%.0f for thresholds and biases): "
                                      "Rockpool does not clip, and an int8 cast would wrap it "
                                      "around",
                                      "%zu values lie beyond their integer range "
                                      "(±%.0f for weights, ±%.0f for thresholds and biases): "
                                      "Rockpool does not clip, and an int8 cast would wrap them "
                                      "around", oor),
                         oor, sq_quant_weight_max (params), sq_quant_threshold_max (params));
}
