/* sq-test-xylo.h: the window's settings and groups in the Xylo terms the window tests check
 * them in (SqQuantParams, SqParam)
 *
 * The window reads every network through the network model; the tests compare what it
 * shows with the Xylo core's own results, computed independently, so they translate here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sq-analysis.h"
#include "sq-test-utils.h"

G_BEGIN_DECLS

void     sq_test_get_params         (SqAnalysis             *analysis,
                                     SqQuantParams          *params);
void     sq_test_set_params         (SqAnalysis             *analysis,
                                     const SqQuantParams    *params);
void     sq_test_result_params      (const SqAnalysisResult *result,
                                     SqQuantParams          *params);
SqParam  sq_test_result_param       (const SqAnalysisResult *result);
guint    sq_test_group_of           (SqDocument             *document,
                                     SqParam                 param);
SqParam  sq_test_param_of           (SqDocument             *document,
                                     guint                   group);
void     sq_test_xylo_group_figures (const SqXyloSpec   *spec,
                                     const SqQuantResult *res,
                                     SqParam             param,
                                     SqQuantFigures     *figures);
void     sq_test_assert_network_is_spec (const SqNetwork    *network,
                                         const SqXyloSpec   *spec);

G_END_DECLS
