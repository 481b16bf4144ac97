/* sq-evaluate.h: what quantization does to a task — the float model and the integer core
 * over every sample of a set, on every core, with per-sample and whole-set figures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sq-agreement.h"
#include "sq-device.h"
#include "sq-network.h"
#include "sq-sample-set.h"
#include "sq-sim-result.h"

G_BEGIN_DECLS

/* How many of the worst samples an evaluation names. */
#define SQ_EVAL_N_WORST 10

/**
 * SqEvalBaseline:
 * @network: the float network run (a reference)
 * @set: the samples (borrowed: it must outlive the baseline)
 * @results: (array length=set->n_samples): the float model's outputs on each sample
 *
 * The float model over a set, run once and shared by every evaluation of a quantization of
 * @network on @set (a sweep's every setting). Read-only once made.
 */
typedef struct {
  SqNetwork          *network;
  const SqSampleSet  *set;
  SqSimResult       **results;
} SqEvalBaseline;

/**
 * SqSampleEval:
 * @label: the sample's label, or -1 without labels
 * @class_float: the float model's class (sq_sim_result_class()), -1 when no output fired
 * @class_int: the integer core's
 * @raster: the share of output bins (steps × outputs) where both rasters agree
 * @events_float: output events of the float model
 * @events_int: output events of the integer core
 * @count_error: Σ over outputs of |integer events − float events|
 */
typedef struct {
  gint64  label;
  int     class_float;
  int     class_int;
  double  raster;
  guint64 events_float;
  guint64 events_int;
  guint64 count_error;
} SqSampleEval;

/**
 * SqEvaluation:
 * @n_samples: samples evaluated
 * @n_out: output neurons, the classes 0 … @n_out − 1; class @n_out in the matrices is
 *   "no output fired"
 * @samples: (array length=n_samples): per sample
 * @n_class_agree: samples both models put in the same class
 * @has_labels: the set had labels
 * @n_correct_float: samples whose float class is their label (0 without labels)
 * @n_correct_int: the same for the integer core
 * @classes: (n_out + 1) × (n_out + 1) counts, row the float class, column the integer
 *   class
 * @confusion_float: (nullable): @n_out × (n_out + 1) counts, row the label, column the float
 *   class; %NULL without labels
 * @confusion_int: (nullable): the same for the integer core
 * @worst: (array length=n_worst): sample indices, worst first: classes that differ, then the
 *   lowest raster agreement, then the largest count error, then the lowest index
 * @agreement: float vs integer over every sample, added in sample order
 * @compute_usec: how long the integer runs (and the float ones made here) took
 *
 * Every figure is the same whatever the number of threads.
 */
typedef struct {
  gsize          n_samples;
  gsize          n_out;
  SqSampleEval  *samples;
  gsize          n_class_agree;
  gboolean       has_labels;
  gsize          n_correct_float;
  gsize          n_correct_int;
  guint64       *classes;
  guint64       *confusion_float;
  guint64       *confusion_int;
  gsize          worst[SQ_EVAL_N_WORST];
  gsize          n_worst;
  SqAgreement   *agreement;
  gint64         compute_usec;
} SqEvaluation;

/* The float model on every sample of @set, in parallel. @progress (nullable) is called from
 * any thread, one call at a time. */
SqEvalBaseline *sq_eval_baseline_new  (SqNetwork             *network,
                                       const SqSampleSet     *set,
                                       GCancellable          *cancellable,
                                       SqProgressFunc         progress,
                                       gpointer               progress_data,
                                       GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void            sq_eval_baseline_free (SqEvalBaseline        *baseline);

/* The integer core of @device (%NULL: the kind's default) on @result's quantized network over
 * every sample of @set, against @baseline (nullable: made here, on @result's float network).
 * Labels must be classes the network has. */
SqEvaluation   *sq_evaluate           (SqNetworkResult       *result,
                                       const SqDeviceProfile *device,
                                       const SqSampleSet     *set,
                                       const SqEvalBaseline  *baseline,
                                       GCancellable          *cancellable,
                                       SqProgressFunc         progress,
                                       gpointer               progress_data,
                                       GError               **error) G_GNUC_WARN_UNUSED_RESULT;
void            sq_evaluation_free    (SqEvaluation          *evaluation);

/* @n of @d as a share, NaN when @d is 0: class agreement, accuracies. */
double          sq_evaluation_share   (gsize                  n,
                                       gsize                  d);
/* What `synquant-cli evaluate` prints: the figures over the set, the confusion matrices and
 * the worst samples, translated. */
char           *sq_evaluation_text    (const SqEvaluation    *evaluation,
                                       const SqSampleSet     *set) G_GNUC_WARN_UNUSED_RESULT;
/* `evaluate -o`: the same as JSON, @result's settings and @device named in it. */
JsonNode       *sq_evaluation_report  (const SqEvaluation    *evaluation,
                                       const SqSampleSet     *set,
                                       const SqNetworkResult *result,
                                       const SqDeviceProfile *device) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqEvalBaseline, sq_eval_baseline_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqEvaluation, sq_evaluation_free)

G_END_DECLS
