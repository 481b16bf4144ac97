/* sq-agreement.h: the agreement report of the float model and the integer core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-sim-result.h"

G_BEGIN_DECLS

/**
 * SqAgreement:
 * @n_samples: samples (runs on one input each) added
 * @n_class_agree: samples whose class (sq_sim_result_class(): the output with most events,
 *   the first to fire of equals) is the same
 * @out_float: (array length=n_out): events per output over all samples, float model
 * @out_int: (array length=n_out): the same, integer core
 * @n_bins: output raster bins (steps × outputs) compared
 * @n_bins_equal: bins where both rasters agree
 * @latency_sum: (array length=n_out): Σ (first integer event − first float event) in steps
 *   over samples where both fired
 * @latency_n: (array length=n_out): samples counted in @latency_sum
 * @hidden_float: (array length=n_hidden): events per hidden neuron, float model
 * @hidden_int: (array length=n_hidden): the same, integer core
 *
 * The comparison of the float model on a float specification with the integer core on its
 * quantized version, over one or more input samples.
 */
typedef struct {
  gsize    n_hidden;
  gsize    n_out;
  gsize    n_samples;
  gsize    n_class_agree;
  guint64 *out_float;
  guint64 *out_int;
  guint64  n_bins;
  guint64  n_bins_equal;
  gint64  *latency_sum;
  gsize   *latency_n;
  guint64 *hidden_float;
  guint64 *hidden_int;
} SqAgreement;

SqAgreement *sq_agreement_new          (gsize              n_hidden,
                                        gsize              n_out);
void         sq_agreement_free         (SqAgreement       *agreement);
gboolean     sq_agreement_add          (SqAgreement       *agreement,
                                        const SqSimResult *float_result,
                                        const SqSimResult *int_result,
                                        GError           **error);
double       sq_agreement_raster       (const SqAgreement *agreement);
gsize        sq_agreement_silent_only  (const SqAgreement *agreement,
                                        gboolean           in_int,
                                        gboolean           output);
char        *sq_agreement_summary      (const SqAgreement *agreement) G_GNUC_WARN_UNUSED_RESULT;
GString     *sq_agreement_to_json      (const SqAgreement *agreement) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqAgreement, sq_agreement_free)

G_END_DECLS
