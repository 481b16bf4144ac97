/* sq-fxp-sim.h: a fixed-point network simulated as its generated C computes it, the float
 * model beside it, the overflow advice, and the microcontroller C export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-fxp-quant.h"

G_BEGIN_DECLS

/* Where in a layer a value left its type. */
typedef enum {
  SQ_FXP_EVENT_INPUT,   /* the input narrowed to the layer's width (the raster, a wider layer) */
  SQ_FXP_EVENT_ACC,     /* the accumulator (long type): sums, the bias, its shifts */
  SQ_FXP_EVENT_ACT,     /* the operation's result narrowed to the activation format */
  SQ_FXP_EVENT_NEURON,  /* the neuron's arithmetic in the long type (V, X, H, products) */
  SQ_FXP_EVENT_V,       /* the membrane (and synaptic current) narrowed to the v format */
  SQ_FXP_EVENT_OUTPUT,  /* the output value (1 or θ) narrowed to the output format */
  SQ_FXP_N_EVENTS
} SqFxpEvent;

/**
 * SqFxpRun:
 * @n_steps: steps run
 * @n_out: values of the last layer's output per step
 * @out: (array length=n_steps×n_out): the last layer's output, step-major, channels-last:
 *   integers in the output format for the integer core, floats for the float model
 * @n_layers: layers
 * @v: (array length=n_layers): each layer's membrane after the last step, channels-last
 *   (integers in the v format, or floats), %NULL for a layer without a neuron
 * @syn: the same for the synaptic current
 * @n_v: (array length=n_layers): the length of each @v
 * @spikes: (array length=n_layers): outputs that were not 0, per layer
 * @events: (array length=n_layers): per layer and %SqFxpEvent, how many times a value left
 *   its type (wrapped or saturated by the policy; narrowing always saturates)
 * @act_max: (array length=n_layers): the float model's largest |value| per layer of the
 *   operation's result, and @v_max of the membrane and synaptic current (0 for the integer core)
 * @in_max: the float model's largest |input|
 *
 * What a run of either core recorded. Integer values are held as doubles (exact: at most 32
 * bits).
 */
typedef struct {
  guint     n_steps;
  gsize     n_out;
  double   *out;
  guint     n_layers;
  double  **v;
  double  **syn;
  gsize    *n_v;
  guint64  *spikes;
  guint64 (*events)[SQ_FXP_N_EVENTS];
  double   *act_max;
  double   *v_max;
  double    in_max;
} SqFxpRun;

gboolean  sq_fxp_run_int       (const SqFxpQNet *qnet,
                                const SqTensor  *input,
                                GCancellable    *cancellable,
                                SqFxpRun        *run,
                                GError         **error);
gboolean  sq_fxp_run_float     (const SqFxpNet  *net,
                                const SqTensor  *input,
                                GCancellable    *cancellable,
                                SqFxpRun        *run,
                                GError         **error);
void      sq_fxp_run_clear     (SqFxpRun        *run);
guint64   sq_fxp_run_overflows (const SqFxpRun  *run,
                                guint            layer);
const char *sq_fxp_event_name  (SqFxpEvent       event);

/* The helper behind "which layer overflows, and what would not". */
gboolean  sq_fxp_propose_formats (const SqFxpNet      *net,
                                  const SqFxpSettings *settings,
                                  const SqTensor      *input,
                                  SqFxpSettings       *proposal,
                                  char               **description,
                                  GError             **error);

/* `mcu-c`: a self-contained C99 folder, as SqExportFile entries under @dir. */
GPtrArray *sq_fxp_export_mcu_c (const SqFxpQNet *qnet,
                                const char      *dir,
                                GError         **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
