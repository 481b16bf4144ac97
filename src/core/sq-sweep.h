/* sq-sweep.h: every combination of a few settings of a kind, quantized (sharing what depends
 * only on the float weights), checked against a device and, with samples, evaluated
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
#include "sq-network-result.h"
#include "sq-quant-settings.h"

G_BEGIN_DECLS

/* The most combinations one sweep runs. */
#define SQ_SWEEP_MAX_ROWS 4096

/**
 * SqSweepAxis:
 * @option: the kind's option swept
 * @values: (array length=n_values): its values, in the order given
 */
typedef struct {
  const SqOption *option;
  int            *values;
  guint           n_values;
} SqSweepAxis;

/**
 * SqSweepRow:
 * @settings: the combination
 * @refused: (nullable): why the kind's rules refuse the combination (nothing else is set),
 *   or %NULL
 * @total: figures over every weight group
 * @groups: (array length=n_groups): each group's figures
 * @fits: the device check found no violation
 * @alive: and no layer that can never fire
 * @evaluated: the row has the figures below (a sweep with samples)
 * @n_class_agree: samples both models put in the same class
 * @n_correct_float: samples the float model classified as labelled
 * @n_correct_int: the same for the integer core
 * @raster: output raster agreement over the set
 */
typedef struct {
  SqQuantSettings  settings;
  char            *refused;
  SqQuantFigures   total;
  SqQuantFigures  *groups;
  guint            n_groups;
  gboolean         fits;
  gboolean         alive;
  gboolean         evaluated;
  gsize            n_class_agree;
  gsize            n_correct_float;
  gsize            n_correct_int;
  double           raster;
} SqSweepRow;

/**
 * SqSweep:
 * @network: the float network swept (a reference)
 * @base: the values of the options no axis sweeps
 * @axes: (element-type SqSweepAxis): first outermost
 * @rows: (element-type SqSweepRow): one per combination after sq_sweep_run()
 * @device: the device checked and simulated
 * @n_samples: samples evaluated per row, 0 without a set
 * @has_labels: the set had labels
 */
typedef struct {
  SqNetwork             *network;
  SqQuantSettings        base;
  GArray                *axes;
  GArray                *rows;
  const SqDeviceProfile *device;
  gsize                  n_samples;
  gboolean               has_labels;
} SqSweep;

SqSweep  *sq_sweep_new      (SqNetwork             *network,
                             const SqQuantSettings *base);
void      sq_sweep_free     (SqSweep               *sweep);
/* @values: a comma-separated list of values as sq_quant_settings_set_string() takes them,
 * where a whole-number option also takes ranges ("2-8", "2-4,8"), an on/off option "both"
 * and a choice "all". An option swept twice is refused. */
gboolean  sq_sweep_add_axis (SqSweep               *sweep,
                             const char            *id,
                             const char            *values,
                             GError               **error);
/* The combinations the axes make. */
gsize     sq_sweep_n_rows   (const SqSweep         *sweep);
/* Quantizes every combination, checks it on @device (%NULL: the kind's default) and, with
 * @set, evaluates it against @baseline (nullable: made here once). @progress is called from
 * any thread, one call at a time. */
gboolean  sq_sweep_run      (SqSweep               *sweep,
                             const SqDeviceProfile *device,
                             const SqSampleSet     *set,
                             const SqEvalBaseline  *baseline,
                             GCancellable          *cancellable,
                             SqProgressFunc         progress,
                             gpointer               progress_data,
                             GError               **error);
/* The rows as JSON (an object with "axes", "groups" and "rows") or CSV (one line per row,
 * a header first); numbers in the C locale, an SQNR of an exact result null or "inf". */
JsonNode *sq_sweep_to_json  (const SqSweep         *sweep) G_GNUC_WARN_UNUSED_RESULT;
char     *sq_sweep_to_csv   (const SqSweep         *sweep) G_GNUC_WARN_UNUSED_RESULT;
/* A table for the terminal, translated. */
char     *sq_sweep_text     (const SqSweep         *sweep) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSweep, sq_sweep_free)

G_END_DECLS
