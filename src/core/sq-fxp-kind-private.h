/* sq-fxp-kind-private.h: what the fixed-point kind's files share (sq-fxp-kind.c: groups,
 * quantization, check, export and save; -sim.c: the two models as runs and the overflow
 * hints; -text.c: its words)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* The groups of a layer, in the order of the layer file; a group's native index is
 * layer · FXP_N_SLOTS + slot. The neuron's group holds θ, then V_r (hard reset), 1/τ (LIF)
 * and 1/τ_syn (a synapse): the values of the v format. */
enum { FXP_SLOT_WEIGHT, FXP_SLOT_RECURRENT, FXP_SLOT_BIAS, FXP_SLOT_NEURON, FXP_N_SLOTS };

/* The kind's options, in their order in the kind's table. */
enum {
  FXP_OPT_WIDTH,
  FXP_OPT_ACCUMULATOR,
  FXP_OPT_SCHEME,
  FXP_OPT_FORCE_Q,
  FXP_OPT_ROUNDING,
  FXP_OPT_OVERFLOW,
  FXP_OPT_COMPAT,
  FXP_OPT_BIAS,
  FXP_N_OPTS
};

/* The kind's layer options: width, accumulator, then the forced n of each tensor class in
 * SqFxpTensor order. */
enum {
  FXP_LOPT_WIDTH,
  FXP_LOPT_ACCUMULATOR,
  FXP_LOPT_N,
  FXP_N_LAYER_OPTS = FXP_LOPT_N + SQ_FXP_N_TENSORS
};

/**
 * FxpData:
 * @net: the layers (owned by the float network; the quantized one borrows its float
 *   network's through @float_network)
 * @float_network: (nullable): for a quantized network, the float network it came from (a
 *   reference: @qnet points into its layers)
 * @qnet: (nullable): the formats and integers of a quantized network
 * @strings: the ids and labels the groups and layers point to
 * @values: per group, its values (float, or the integers of @qnet in the float layout)
 * @dt: the time step a NIR graph was mapped with, or 0 for a layer file
 */
typedef struct {
  SqFxpNet  *net;
  SqNetwork *float_network;
  SqFxpQNet *qnet;
  GPtrArray *strings;
  GArray    *values;
  double     dt;
} FxpData;

/* The kind's options and what one layer may set (sq-fxp-kind-options.c). */
extern const SqOption _sq_fxp_options[FXP_N_OPTS];
extern const SqOption _sq_fxp_layer_options[FXP_N_LAYER_OPTS];
gboolean       _sq_fxp_check_settings  (const SqQuantSettings *settings,
                                        GError               **error);

const FxpData *_sq_fxp_data            (const SqNetwork       *network);
/* A network over @net: the float network (taking @net over) when @qnet is %NULL, else the
 * quantized one of @float_network (@qnet taken over). */
SqNetwork     *_sq_fxp_network_new     (SqFxpNet              *net,
                                        SqNetwork             *float_network,
                                        SqFxpQNet             *qnet,
                                        double                 dt);
/* A copy of a network's layers; a quantized network's values dequantized (q·Δ). */
SqFxpNet      *_sq_fxp_dequantized     (const FxpData         *d,
                                        GError               **error);
/* The settings of the core a kind's settings stand for (cleared by the caller). */
void           _sq_fxp_settings_from   (const SqQuantSettings *settings,
                                        guint                  n_layers,
                                        SqFxpSettings         *out);
/* Whether the first bytes of a file are a fixed-point layer file's: a JSON object whose
 * first key is "input_shape" or "layers" and whose layers have a "type" (a DynapCNN layer
 * file has the same first keys and no "type"). */
gboolean       _sq_fxp_probe_json      (const guint8          *head,
                                        gsize                  head_len);

SqSimResult *_sq_fxp_kind_run              (const SqNetwork        *network,
                                            const SqDeviceProfile  *device,
                                            const SqRaster         *input,
                                            gboolean                record_all,
                                            GCancellable           *cancellable,
                                            SqProgressFunc          progress,
                                            gpointer                progress_data,
                                            GError                **error);
double       _sq_fxp_kind_state_scale      (const SqNetworkResult  *result,
                                            gboolean                output,
                                            gsize                   index);
double       _sq_fxp_kind_neuron_threshold (const SqNetwork        *network,
                                            gboolean                output,
                                            gsize                   index);
GPtrArray   *_sq_fxp_kind_hints            (const SqSimRun         *run);
char        *_sq_fxp_kind_overflow_figure  (const SqSimRun         *run);

SqNetwork   *_sq_fxp_kind_with_values      (const SqNetwork        *network,
                                            const SqTensor * const *values,
                                            GError                **error);
GBytes      *_sq_fxp_kind_write            (const SqNetwork        *network,
                                            const char             *extension,
                                            GError                **error);

char        *_sq_fxp_kind_describe         (const SqNetwork        *network);
char        *_sq_fxp_kind_describe_file    (const char             *path,
                                            const SqLoadOptions    *options,
                                            GError                **error);
char        *_sq_fxp_kind_summary          (const SqNetworkResult  *result);
JsonNode    *_sq_fxp_kind_report           (const SqNetworkResult  *result,
                                            const char             *source);
char        *_sq_fxp_kind_note             (const SqNetworkResult  *result);
char        *_sq_fxp_kind_layer_summary    (const SqNetworkResult  *result,
                                            guint                   layer);

G_END_DECLS
