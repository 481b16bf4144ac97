/* sq-dynapcnn-net.h: a DynapCNN / Speck network as a layer file describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-device.h"
#include "sq-dynapcnn-discretize.h"
#include "sq-dynapcnn-iaf.h"
#include "sq-dynapcnn-placement.h"

G_BEGIN_DECLS

/* More layers than this are refused before anything is allocated: the chip has 9 cores. */
#define SQ_DYNAPCNN_MAX_LAYERS 256

/**
 * SqDynapcnnNetLayer:
 * @params: weight, bias, thresholds and initial membrane
 * @stride_y, @stride_x: default 1
 * @pad_y, @pad_x: default 0
 * @pool: sum-pooling p × p, stride p, after the spiking layer; default 1
 * @reset_zero: `"reset": "zero"` (default `"subtract"`)
 * @single_spike: `"spike": "single"` (default `"multi"`)
 * @has_scale: whether the file gives the layer's discretization `scale`
 * @scale: the scale a discretized layer was made with
 */
typedef struct {
  SqDynapcnnLayerParams params;
  guint                 stride_y;
  guint                 stride_x;
  guint                 pad_y;
  guint                 pad_x;
  guint                 pool;
  gboolean              reset_zero;
  gboolean              single_spike;
  gboolean              has_scale;
  double                scale;
} SqDynapcnnNetLayer;

/**
 * SqDynapcnnNet:
 * @source: how messages name the file
 * @has_input_shape: whether the file gives `input_shape`
 * @input_shape: (C, H, W)
 * @n_layers: at least 1
 * @layers: (array length=n_layers): in order; each one's input is the previous one's pooled
 *   output
 * @warnings: (element-type utf8): unknown keys ignored
 */
typedef struct {
  char               *source;
  gboolean            has_input_shape;
  gsize               input_shape[3];
  guint               n_layers;
  SqDynapcnnNetLayer *layers;
  GPtrArray          *warnings;
} SqDynapcnnNet;

/**
 * SqDynapcnnLayerGeometry:
 * @in: the layer's input (C, H, W)
 * @conv: its spiking layer (F, H', W'), before pooling
 * @pooled: after pooling: the next layer's input
 */
typedef struct {
  gsize in[3];
  gsize conv[3];
  gsize pooled[3];
} SqDynapcnnLayerGeometry;

/**
 * SqDynapcnnLayerReport:
 * @scale: the layer's joint scale
 * @bound: which tensor set it
 * @n_weights: weights in all
 * @n_weights_nonzero: float weights that are not 0
 * @n_weights_zeroed: of those, how many became 0
 * @weight_sqnr_db: 10·log10(Σ w² / Σ (w − q/s)²): +inf when exact, NaN for all-zero weights
 * @threshold_before: θ as given
 * @has_min_v_mem_before: whether the membrane had a lower bound
 * @min_v_mem_before: θ_low as given
 * @threshold_after: θ as an integer
 * @min_v_mem_after: θ_low as an integer
 * @first_warning: the layer's first line in the warnings of sq_dynapcnn_net_discretize()
 * @n_warnings: how many lines are the layer's
 *
 * What discretizing did to one layer. Nothing is clipped: the scale fits every tensor.
 */
typedef struct {
  float        scale;
  SqScaleBound bound;
  gsize        n_weights;
  gsize        n_weights_nonzero;
  gsize        n_weights_zeroed;
  double       weight_sqnr_db;
  double       threshold_before;
  gboolean     has_min_v_mem_before;
  double       min_v_mem_before;
  gint32       threshold_after;
  gint32       min_v_mem_after;
  guint        first_warning;
  guint        n_warnings;
} SqDynapcnnLayerReport;

SqDynapcnnNet *sq_dynapcnn_net_load_json_data (const char          *data,
                                               gsize                length,
                                               const char          *display_name,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
SqDynapcnnNet *sq_dynapcnn_net_load_npz_data  (const guint8        *data,
                                               gsize                length,
                                               const char          *display_name,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
SqDynapcnnNet *sq_dynapcnn_net_load_file      (const char          *path,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
gboolean       sq_dynapcnn_net_is_integer     (const SqDynapcnnNet *net);
/* A deep copy without the layers' scales (a float network again). */
SqDynapcnnNet *sq_dynapcnn_net_copy_float     (const SqDynapcnnNet *net,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
gboolean       sq_dynapcnn_net_geometry       (const SqDynapcnnNet     *net,
                                               SqDynapcnnLayerGeometry *layers,
                                               SqCnnLayerShape         *shapes);
SqDynapcnnNet *sq_dynapcnn_net_discretize     (const SqDynapcnnNet *net,
                                               SqDiscretizeMode     mode,
                                               GArray             **reports,
                                               GPtrArray          **warnings,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
GString       *sq_dynapcnn_net_to_json        (const SqDynapcnnNet *net);
GBytes        *sq_dynapcnn_net_to_nir         (const SqDynapcnnNet *net,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
guint8        *sq_dynapcnn_net_to_npz         (const SqDynapcnnNet *net,
                                               gsize               *length,
                                               GError             **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
GString       *sq_dynapcnn_config_to_json     (const SqDynapcnnNet   *net,
                                               const SqDeviceProfile *device,
                                               GError               **error)
                                               G_GNUC_WARN_UNUSED_RESULT;
SqIafLayer    *sq_dynapcnn_net_iaf_layers     (const SqDynapcnnNet *net)
                                               G_GNUC_WARN_UNUSED_RESULT;
gboolean       sq_dynapcnn_net_run_float      (const SqDynapcnnNet *net,
                                               const SqTensor      *input,
                                               gboolean             record_all,
                                               GCancellable        *cancellable,
                                               SqIafRun            *run,
                                               GError             **error);
void           sq_dynapcnn_net_free           (SqDynapcnnNet       *net);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqDynapcnnNet, sq_dynapcnn_net_free)

G_END_DECLS
