/* sq-robustness.h: Monte-Carlo robustness — many draws of a transform configuration, each
 * burnt into a network and evaluated over a sample set against the float model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sq-evaluate.h"
#include "sq-quant-settings.h"
#include "sq-transform.h"

G_BEGIN_DECLS

/* The most draws a run takes. */
#define SQ_ROBUSTNESS_MAX_DRAWS 100000

/**
 * SqRobustnessOptions:
 * @n_draws: draws, 1 to %SQ_ROBUSTNESS_MAX_DRAWS
 * @seed: the seed; draw k is sq_transform_config_apply (…, @seed, k)
 * @settings: (nullable): quantize every draw with these and run the integer core of
 *   @device; %NULL runs each draw's float model
 * @device: (nullable): the integer core (%NULL: the kind's default)
 */
typedef struct {
  guint                  n_draws;
  guint64                seed;
  const SqQuantSettings *settings;
  const SqDeviceProfile *device;
} SqRobustnessOptions;

/**
 * SqRobustnessFigures:
 * @n_class_agree: samples whose class is the float model's
 * @n_correct: samples whose class is their label (0 without labels)
 * @events: output events over every sample
 * @raster: the mean over samples of the share of output bins that agree with the float model
 *
 * One network (a draw, or the untransformed one) over the set.
 */
typedef struct {
  gsize   n_class_agree;
  gsize   n_correct;
  guint64 events;
  double  raster;
} SqRobustnessFigures;

/**
 * SqDistribution:
 * @mean: the mean
 * @sd: the sample standard deviation (0 for one draw)
 * @min: the smallest
 * @q1: the lower quartile (linear interpolation, numpy's default)
 * @median: the median
 * @q3: the upper quartile
 * @max: the largest
 *
 * Figures over draws; NaN everywhere when there is nothing to describe.
 */
typedef struct {
  double mean;
  double sd;
  double min;
  double q1;
  double median;
  double q3;
  double max;
} SqDistribution;

/**
 * SqRobustness:
 * @n_draws: draws
 * @seed: their seed
 * @n_samples: samples in the set
 * @has_labels: the set had labels
 * @integer: the draws ran as quantized integer cores (else as float models)
 * @reference_correct: samples the float model classifies as labelled
 * @reference_events: the float model's output events
 * @plain: the untransformed network through the same path (its float model: itself; or its
 *   quantization's integer core): the deterministic result next to the draws
 * @draws: (array length=n_draws): per draw, in draw order
 * @agreement: class agreement with the float model over draws (shares 0…1)
 * @accuracy: accuracy over draws (shares; NaN without labels)
 * @events: output events over draws
 *
 * Every figure is the same whatever the number of threads.
 */
typedef struct {
  guint                n_draws;
  guint64              seed;
  gsize                n_samples;
  gboolean             has_labels;
  gboolean             integer;
  gsize                reference_correct;
  guint64              reference_events;
  SqRobustnessFigures  plain;
  SqRobustnessFigures *draws;
  SqDistribution       agreement;
  SqDistribution       accuracy;
  SqDistribution       events;
} SqRobustness;

/* The figures of @values (sorted here). */
void          sq_distribution_of   (SqDistribution            *distribution,
                                    double                    *values,
                                    gsize                      n);

/* @options->n_draws draws of @config on @network over @set; @progress (nullable) from any
 * thread, one call at a time. Draws run one after the other, the samples of each in
 * parallel on the shared pool. */
SqRobustness *sq_robustness_run    (SqNetwork                 *network,
                                    const SqTransformConfig   *config,
                                    const SqSampleSet         *set,
                                    const SqRobustnessOptions *options,
                                    GCancellable              *cancellable,
                                    SqProgressFunc             progress,
                                    gpointer                   progress_data,
                                    GError                   **error) G_GNUC_WARN_UNUSED_RESULT;
void          sq_robustness_free   (SqRobustness              *robustness);
/* What `synquant-cli robustness` prints, translated. */
char         *sq_robustness_text   (const SqRobustness        *robustness) G_GNUC_WARN_UNUSED_RESULT;
/* `robustness -o`: every draw's figures, the distributions and the configuration. */
JsonNode     *sq_robustness_report (const SqRobustness        *robustness,
                                    const SqNetwork           *network,
                                    const SqTransformConfig   *config,
                                    const SqSampleSet         *set,
                                    const SqRobustnessOptions *options) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqRobustness, sq_robustness_free)

G_END_DECLS
