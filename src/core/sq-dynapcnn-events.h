/* sq-dynapcnn-events.h: the DynapCNN / Speck integer IAF core driven by events, as the chip
 * works, and how far it diverges from the time-step core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-dynapcnn-iaf.h"
#include "sq-events.h"

G_BEGIN_DECLS

/**
 * SqIafEventOptions:
 * @bin_us: the width of one recorded bin in µs (the time step the run is compared at), ≥ 1
 * @n_bins: bins to record; 0 for as many as reach the last input event
 * @leak_hz: the slow clock: each layer with a bias adds it to every neuron at
 *   t = k / @leak_hz (k = 0, 1, …); 0 for no leak
 * @record_all: also record every layer's spikes and membrane (at the end of each bin)
 */
typedef struct {
  guint64  bin_us;
  gsize    n_bins;
  guint32  leak_hz;
  gboolean record_all;
} SqIafEventOptions;

/* The fastest slow clock taken: 1 MHz, a tick every µs. */
#define SQ_IAF_MAX_LEAK_HZ 1000000u

gboolean sq_iaf_run_events (const SqIafLayer        *layers,
                            guint                    n_layers,
                            const gsize              in_shape[3],
                            const SqEventList       *input,
                            const SqIafEventOptions *options,
                            GCancellable            *cancellable,
                            SqIafRun                *run,
                            GError                 **error);

/**
 * SqIafDivergenceRow:
 * @spikes_step: spikes in the time-step run
 * @spikes_event: spikes in the event run
 * @l1: Σ |count_step − count_event| over every (bin, neuron)
 * @n_bins: (bin, neuron) pairs compared
 * @n_agree: pairs where both runs count the same spikes
 *
 * One layer (before pooling) or the network's output (after the last pooling).
 */
typedef struct {
  guint64 spikes_step;
  guint64 spikes_event;
  guint64 l1;
  guint64 n_bins;
  guint64 n_agree;
} SqIafDivergenceRow;

/**
 * SqIafDivergence:
 * @n_layers: layers compared
 * @layers: (array length=n_layers): one row per layer
 * @output: the last layer's pooled output
 */
typedef struct {
  guint               n_layers;
  SqIafDivergenceRow *layers;
  SqIafDivergenceRow  output;
} SqIafDivergence;

gboolean sq_iaf_divergence           (const SqIafRun        *step,
                                      const SqIafRun        *event,
                                      SqIafDivergence       *divergence,
                                      GError               **error);
char    *sq_iaf_divergence_to_string (const SqIafDivergence *divergence)
                                      G_GNUC_WARN_UNUSED_RESULT;
void     sq_iaf_divergence_clear     (SqIafDivergence       *divergence);

G_END_DECLS
