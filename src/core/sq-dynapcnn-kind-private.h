/* sq-dynapcnn-kind-private.h: what the DynapCNN kind's files share (sq-dynapcnn-kind.c:
 * groups, discretization, check and export; -sim.c: the two models as runs; -text.c: its
 * words)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* The groups of a layer, in the order of the layer file; a group's native index is
 * layer · N_SLOTS + slot. */
enum { SLOT_WEIGHT, SLOT_BIAS, SLOT_THRESHOLDS, SLOT_V_MEM, N_SLOTS };

/* Which optional groups a layer has: those of the float network, kept by its discretized
 * one (which always has biases, and a lower threshold) so their groups correspond. */
enum { HAS_BIAS = 1 << 0, HAS_LOW = 1 << 1, HAS_V_MEM = 1 << 2 };

/**
 * DynData:
 * @net: the layers, owned
 * @strings: the ids and labels the groups and layers point to
 * @thresholds: per layer, θ_high and (with %HAS_LOW) θ_low as a group's values
 * @pattern: per layer, which optional groups it has
 * @geometry: per layer, its maps; %NULL without an input shape
 * @shapes: per layer, as the chip's limits see it; %NULL without an input shape
 */
typedef struct {
  SqDynapcnnNet           *net;
  GPtrArray               *strings;
  SqTensor                *thresholds;
  guint8                  *pattern;
  SqDynapcnnLayerGeometry *geometry;
  SqCnnLayerShape         *shapes;
} DynData;

/**
 * DynResult:
 * @mode: how the network was discretized
 * @reports: (element-type SqDynapcnnLayerReport): per layer
 */
typedef struct {
  SqDiscretizeMode mode;
  GArray          *reports;
} DynResult;

const DynData *_sq_dynapcnn_data       (const SqNetwork       *network);
/* What a joint scale's clip point is labelled with: the tensor that set it (N_() marked). */
extern const char * const _sq_dynapcnn_bound_labels[4];

SqSimResult *_sq_dynapcnn_run              (const SqNetwork        *network,
                                            const SqDeviceProfile  *device,
                                            const SqRaster         *input,
                                            gboolean                record_all,
                                            GCancellable           *cancellable,
                                            SqProgressFunc          progress,
                                            gpointer                progress_data,
                                            GError                **error);
/* @run (taken apart: its arrays move into the result) as a run of the network model */
SqSimResult *_sq_dynapcnn_sim_result       (const SqNetwork        *network,
                                            SqIafRun               *run,
                                            gboolean                float_model,
                                            gboolean                record_all,
                                            GError                **error);
double       _sq_dynapcnn_state_scale      (const SqNetworkResult  *result,
                                            gboolean                output,
                                            gsize                   index);
double       _sq_dynapcnn_neuron_threshold (const SqNetwork        *network,
                                            gboolean                output,
                                            gsize                   index);
GPtrArray   *_sq_dynapcnn_hints            (const SqSimRun         *run);

char        *_sq_dynapcnn_describe         (const SqNetwork        *network);
char        *_sq_dynapcnn_describe_file    (const char             *path,
                                            const SqLoadOptions    *options,
                                            GError                **error);
char        *_sq_dynapcnn_summary          (const SqNetworkResult  *result);
JsonNode    *_sq_dynapcnn_report           (const SqNetworkResult  *result,
                                            const char             *source);

G_END_DECLS
