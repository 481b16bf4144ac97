/* sq-test-xylo.c: the window's settings and groups in the Xylo terms the window tests check
 * them in (see sq-test-xylo.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sq-test-xylo.h"

void
sq_test_get_params (SqAnalysis    *analysis,
                    SqQuantParams *params)
{
  SqQuantSettings s;

  sq_analysis_get_settings (analysis, &s);
  sq_test_settings_to_params (&s, params);
}

void
sq_test_set_params (SqAnalysis          *analysis,
                    const SqQuantParams *params)
{
  SqQuantSettings s;

  sq_test_params_to_settings (params, &s);
  sq_analysis_set_settings (analysis, &s);
}

/* The settings @result was computed with. */
void
sq_test_result_params (const SqAnalysisResult *result,
                       SqQuantParams          *params)
{
  sq_test_settings_to_params (&result->quant->settings, params);
}

/* The parameter the result's histograms show. */
SqParam
sq_test_result_param (const SqAnalysisResult *result)
{
  return (SqParam) sq_network_get_group (result->quant->network, result->group)->native;
}

/* The index of @param's group in @document's network. */
guint
sq_test_group_of (SqDocument *document,
                  SqParam     param)
{
  guint group = G_MAXUINT;

  g_assert_true (sq_network_group_for_native (sq_document_get_network (document), (int) param,
                                              &group));
  return group;
}

SqParam
sq_test_param_of (SqDocument *document,
                  guint       group)
{
  return (SqParam) sq_network_get_group (sq_document_get_network (document), group)->native;
}

/* @network holds exactly @spec's parameters, each as a group of its own, and its sizes. */
void
sq_test_assert_network_is_spec (const SqNetwork  *network,
                                const SqXyloSpec *spec)
{
  guint present = 0;

  g_assert_cmpuint (network->n_inputs, ==, spec->n_in);
  g_assert_cmpuint (network->n_hidden, ==, spec->n_hidden);
  g_assert_cmpuint (network->n_outputs, ==, spec->n_out);
  for (int p = 0; p < SQ_N_PARAMS; p++)
    {
      guint group;

      if (!sq_tensor_is_present (&spec->param[p]))
        {
          g_assert_false (sq_network_group_for_native (network, p, &group));
          continue;
        }
      g_assert_true (sq_network_group_for_native (network, p, &group));
      g_assert_true (sq_test_tensor_equal (sq_network_get_group (network, group)->values,
                                           &spec->param[p]));
      present++;
    }
  g_assert_cmpuint (sq_network_n_groups (network), ==, present);
}

/* What quantization did to @param alone, from the floats of @spec, the integers of @res and
 * the scales its groups report: the test's own count, independent of the core's group
 * figures. A value is clipped when its float, at its scale, rounds beyond the integer range
 * (Synquant's mode), out of range when its integer lies beyond it (Rockpool's). */
void
sq_test_xylo_group_figures (const SqXyloSpec    *spec,
                            const SqQuantResult *res,
                            SqParam              param,
                            SqQuantFigures      *f)
{
  const SqTensor *w = &spec->param[param];
  const SqTensor *q = &res->spec->param[param];
  gboolean dash = sq_param_is_dash (param), weights = sq_param_is_weights (param);
  gboolean channel = res->params.method == SQ_METHOD_CHANNEL;
  SqLayer l = sq_param_layer (param);
  double hi = dash ? 15.0 : weights ? sq_quant_weight_max (&res->params)
                                    : sq_quant_threshold_max (&res->params);
  double lo = dash ? 0.0 : -hi;
  gsize cols = weights ? w->shape[1] : w->n, syn = weights && w->rank == 3 ? w->shape[2] : 1;

  memset (f, 0, sizeof *f);
  f->n_values = w->n;
  for (gsize i = 0; i < w->n; i++)
    {
      gsize c = weights ? (i / syn) % cols : i;
      gsize g = !channel ? (gsize) l : l == SQ_LAYER_OUTPUT ? res->spec->n_hidden + c : c;
      double s = dash ? 1.0 : sq_quant_result_get_group (res, (guint) g)->scale;
      double x = w->data[i], v = q->data[i], r, e;

      if (weights && param == SQ_PARAM_WEIGHTS_REC && !channel)
        s *= res->rec_scale_factor;
      if (!weights && !dash)
        s = ldexp (s, res->weight_shift[l]);
      r = rint (x * s);
      e = v / s - x;
      f->n_nonzero += fabs (x) > 0.0;
      f->zeroed += fabs (x) > 0.0 && !(fabs (v) > 0.0);
      f->clipped += res->mode_used == SQ_MODE_SYNQUANT && (r > hi || r < lo);
      f->out_of_range += v > hi || v < lo;
      f->signal += x * x;
      f->noise += e * e;
      f->max_abs_error = MAX (f->max_abs_error, fabs (e));
    }
}
