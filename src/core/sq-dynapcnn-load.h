/* sq-dynapcnn-load.h: the synaptic operations each DynapCNN / Speck core executes on an input,
 * against the device's SynOps/s limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-dynapcnn-iaf.h"

G_BEGIN_DECLS

/**
 * SqCnnLayerLoad:
 * @core: the core the layer is on, or −1 when not placed
 * @events: input events the layer received
 * @synops: synaptic operations over the run: Σ over its input events of F × the kernel
 *   positions that land inside its output map
 * @peak_synops: the most in one time step
 * @peak_step: that step
 * @mean_per_s: @synops over the run's duration, per second
 * @peak_per_s: @peak_synops over one time step, per second
 */
typedef struct {
  int     core;
  guint64 events;
  guint64 synops;
  guint64 peak_synops;
  gsize   peak_step;
  double  mean_per_s;
  double  peak_per_s;
} SqCnnLayerLoad;

/**
 * SqCnnLoad:
 * @n_layers: layers
 * @layers: (array length=n_layers): each layer's load
 * @step_us: the time step the run was binned at, in µs
 * @busiest: the layer with the highest @peak_per_s (the first of equals)
 * @limit_per_s: SynOps/s one core executes (0: not checked)
 * @n_overloaded: layers whose @peak_per_s is above @limit_per_s
 */
typedef struct {
  guint           n_layers;
  SqCnnLayerLoad *layers;
  guint64         step_us;
  guint           busiest;
  guint64         limit_per_s;
  guint           n_overloaded;
} SqCnnLoad;

gboolean sq_cnn_load            (const SqIafLayer *layers,
                                 guint             n_layers,
                                 const SqTensor   *input,
                                 const SqIafRun   *run,
                                 guint64           step_us,
                                 const int        *core,
                                 guint64           limit_per_s,
                                 SqCnnLoad        *load,
                                 GError          **error);
char    *sq_cnn_load_to_string  (const SqCnnLoad  *load) G_GNUC_WARN_UNUSED_RESULT;
void     sq_cnn_load_clear      (SqCnnLoad        *load);

G_END_DECLS
