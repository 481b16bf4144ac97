/* sq-analysis.h: one quantization of a document and what the plots show of one group
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <synquant.h>

#include "sq-document.h"

G_BEGIN_DECLS

/**
 * SqAnalysisResult:
 * @quant: the quantization of the whole network (its settings are those it was computed
 *   with)
 * @group: the index of the group the histograms show
 * @values: histogram of @group's float values
 * @value_stats: statistics of @group's float values
 * @errors: histogram of dequantized − float of @group
 * @error_stats: statistics of those errors
 * @figures: what quantization did to @group itself (sq_network_result_group_figures())
 * @compute_usec: how long the worker took, for the benchmark and the curious
 *
 * Immutable once handed to the main thread, and reference counted, so a save running in a
 * thread keeps its result alive while newer ones replace it.
 */
typedef struct {
  SqNetworkResult *quant;
  guint            group;
  SqHistogram      values;
  SqStats          value_stats;
  SqHistogram      errors;
  SqStats          error_stats;
  SqGroupFigures   figures;
  gint64           compute_usec;
} SqAnalysisResult;

#define SQ_ANALYSIS_BINS 120

#define SQ_TYPE_ANALYSIS (sq_analysis_get_type ())

G_DECLARE_FINAL_TYPE (SqAnalysis, sq_analysis, SQ, ANALYSIS, GObject)

SqAnalysis             *sq_analysis_new               (void);
SqDocument             *sq_analysis_get_document      (SqAnalysis            *self);
void                    sq_analysis_set_document      (SqAnalysis            *self,
                                                       SqDocument            *document);
guint                   sq_analysis_get_group         (SqAnalysis            *self);
void                    sq_analysis_set_group         (SqAnalysis            *self,
                                                       guint                  group);
const SqNetworkKind    *sq_analysis_get_kind          (SqAnalysis            *self);
void                    sq_analysis_get_settings      (SqAnalysis            *self,
                                                       SqQuantSettings       *settings);
void                    sq_analysis_set_settings      (SqAnalysis            *self,
                                                       const SqQuantSettings *settings);
int                     sq_analysis_get_option        (SqAnalysis            *self,
                                                       const char            *id);
void                    sq_analysis_set_option        (SqAnalysis            *self,
                                                       const char            *id,
                                                       int                    value);
gboolean                sq_analysis_get_busy          (SqAnalysis            *self);
const SqAnalysisResult *sq_analysis_get_result        (SqAnalysis            *self);
SqAnalysisResult       *sq_analysis_dup_result        (SqAnalysis            *self)
                                                      G_GNUC_WARN_UNUSED_RESULT;
const GError           *sq_analysis_get_error         (SqAnalysis            *self);

gboolean                sq_analysis_result_compute    (SqAnalysisResult      *result,
                                                       SqNetwork             *network,
                                                       const SqQuantSettings *settings,
                                                       guint                  group,
                                                       const SqHistogram     *values,
                                                       const SqStats         *value_stats,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
SqAnalysisResult       *sq_analysis_result_new        (void);
SqAnalysisResult       *sq_analysis_result_ref        (SqAnalysisResult      *result);
void                    sq_analysis_result_unref      (SqAnalysisResult      *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqAnalysisResult, sq_analysis_result_unref)

G_END_DECLS
