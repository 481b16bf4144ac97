/* sq-network-private.h: helpers the network model shares with the kinds inside libsynquant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"
#include "sq-xylo-kind-private.h"

G_BEGIN_DECLS

/* DynapCNN / Speck layer networks (sq-dynapcnn-kind.c), registered after Xylo. */
extern const SqNetworkKind _sq_dynapcnn_kind;
/* Fixed-point (Qm.n) networks (sq-fxp-kind.c), registered after DynapCNN: a NIR graph that
 * maps to neither chip opens as one. */
extern const SqNetworkKind _sq_fxp_kind;

char    *_sq_join_or                 (const char * const *items,
                                      guint               n) G_GNUC_WARN_UNUSED_RESULT;
gboolean _sq_path_has_extension      (const char         *path,
                                      const char         *extension);
void     _sq_network_add_diagnostics (const SqNetwork    *network,
                                      GPtrArray          *to,
                                      GPtrArray          *diagnostics);
GPtrArray *_sq_network_kind_candidates (const char          *path,
                                        const SqLoadOptions *options);
/* The report of a kind without one of its own (sq-network-text.c). */
JsonNode *_sq_network_report_generic (const SqNetworkResult *result,
                                      const char            *source) G_GNUC_WARN_UNUSED_RESULT;
/* After a kind wrote over @network's values (sq_network_quantize_consume()). */
void     _sq_network_forget_stats    (SqNetwork          *network);

/* @device, or @kind's default device (its first) when @device is %NULL; %NULL for a kind
 * without devices. */
const SqDeviceProfile *_sq_default_device (const SqNetworkKind   *kind,
                                           const SqDeviceProfile *device);

/* A hint's advice tried on the run's input (sq-network-sim.c): the integer core after
 * quantizing with option @id set to @value, or %NULL when it cannot be tried. */
SqSimResult *_sq_sim_run_retry       (const SqSimRun     *run,
                                      const char         *id,
                                      const char         *value) G_GNUC_WARN_UNUSED_RESULT;

/* Shared by the kinds (sq-network-result.c). */
void     _sq_quant_figures_add       (SqQuantFigures        *to,
                                      const SqQuantFigures  *f);
void     _sq_marker_add              (GArray                *markers,
                                      const char            *label,
                                      double                 lo,
                                      double                 hi,
                                      SqMarkerStyle          style,
                                      gboolean               dashed);
gboolean _sq_scaled_group_errors     (const SqNetworkResult *result,
                                      guint                  group,
                                      gsize                  first,
                                      gsize                  n,
                                      double                *errors,
                                      GError               **error);

/* The input of a run while its hints are made (sq-network-sim.c), or %NULL. */
const SqRaster *_sq_sim_run_input    (const SqSimRun     *run);

/* sq_network_run() for many inputs in a row, in one thread: the kind's simulator is built
 * once (when the kind can), each run starts from the power-up state, and the results are
 * those of sq_network_run() without recording everything. */
typedef struct _SqSimRunner SqSimRunner;

SqSimRunner *_sq_sim_runner_new      (const SqNetwork       *network,
                                      const SqDeviceProfile *device,
                                      SqSimModel             model,
                                      GError               **error);
SqSimResult *_sq_sim_runner_run      (SqSimRunner           *runner,
                                      const SqRaster        *input,
                                      GCancellable          *cancellable,
                                      GError               **error);
void         _sq_sim_runner_free     (SqSimRunner           *runner);

G_END_DECLS
