/* sq-test-xylo.c: the window's settings and groups in the Xylo terms the window tests check
 * them in (see sq-test-xylo.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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
