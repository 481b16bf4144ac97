/* sq-fxp-net.h: fixed-point (Qm.n) spiking networks: a stack of layers, each an operation
 * optionally followed by spiking neurons, as Qualia deploys them on microcontrollers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-tensor.h"
#include "sq-nir.h"

G_BEGIN_DECLS

#define SQ_FXP_ERROR (sq_fxp_error_quark ())

/**
 * SqFxpError:
 * @SQ_FXP_ERROR_INVALID: the network does not hold together (shapes, parameters)
 * @SQ_FXP_ERROR_TOO_LARGE: beyond the memory bound
 * @SQ_FXP_ERROR_SETTINGS: a quantization setting outside its range
 * @SQ_FXP_ERROR_ZERO_TAU: 1/τ rounds to 0 in a layer's state format
 * @SQ_FXP_ERROR_NOT_POWER_OF_TWO: the integer core needs power-of-two formats (not `fake`)
 * @SQ_FXP_ERROR_INPUT: the simulation input does not fit the network
 * @SQ_FXP_ERROR_CANCELLED: cancelled
 */
typedef enum {
  SQ_FXP_ERROR_INVALID = 1,
  SQ_FXP_ERROR_TOO_LARGE,
  SQ_FXP_ERROR_SETTINGS,
  SQ_FXP_ERROR_ZERO_TAU,
  SQ_FXP_ERROR_NOT_POWER_OF_TWO,
  SQ_FXP_ERROR_INPUT,
  SQ_FXP_ERROR_CANCELLED,
} SqFxpError;

/* Sizes beyond these are refused before anything is allocated. */
#define SQ_FXP_MAX_LAYERS  1024
/* Parameters of all layers together (float weights, biases): 256 MiB of doubles. */
#define SQ_FXP_MAX_PARAMS  ((gsize) 1 << 25)
/* Neurons (values) of any one layer's input or output map. */
#define SQ_FXP_MAX_NEURONS ((gsize) 1 << 24)
/* Strides, padding and pooling windows beyond this are no network anyone trains. */
#define SQ_FXP_MAX_GEOMETRY 4096

typedef enum {
  SQ_FXP_OP_LINEAR,
  SQ_FXP_OP_CONV2D,
  SQ_FXP_OP_FLATTEN,
  SQ_FXP_OP_SUMPOOL,
  SQ_FXP_OP_AVGPOOL,
} SqFxpOp;

typedef enum {
  SQ_FXP_NEURON_NONE,
  SQ_FXP_NEURON_IF,
  SQ_FXP_NEURON_LIF,
  SQ_FXP_NEURON_ATIF,
} SqFxpNeuronType;

/**
 * SqFxpNeuron:
 * @type: none: the layer's output is its operation's result
 * @tau: LIF: the time constant in steps (r = 1/τ), at least 1
 * @decay_input: LIF: the input is scaled by 1/τ too (SpikingJelly's default)
 * @v_threshold: θ, > 0
 * @soft_reset: subtract θ on a spike (ATIF always); else set v to @v_reset
 * @v_reset: the hard reset value (and the value LIF leaks towards)
 * @tau_syn: 0 for none, else a current-based synapse before the membrane (NIR's CubaLIF): a
 *   leaky integrator I ← I + (x − I)/τ_syn whose I is the membrane's input
 *
 * SpikingJelly's discrete neurons (research/sinabs_qualia.md B.2).
 */
typedef struct {
  SqFxpNeuronType type;
  double          tau;
  gboolean        decay_input;
  double          v_threshold;
  gboolean        soft_reset;
  double          v_reset;
  double          tau_syn;
} SqFxpNeuron;

/**
 * SqFxpLayer:
 * @op: the operation
 * @weight: Linear (out, in), Conv2d (F, C, kh, kw), in PyTorch's (C, H, W) order
 * @bias: (out,) or absent
 * @recurrent: Linear with a neuron only: (out, out), the layer's own output spikes of the
 *   step before, added into its input (NIR's recurrent Affine), or absent
 * @stride_y, @stride_x: Conv2d and pooling (pooling: default the window)
 * @pad_y, @pad_x: Conv2d zero padding
 * @kernel_y, @kernel_x: pooling window
 * @neuron: what follows the operation
 * @in_shape, @out_shape: (C, H, W), a vector of N is (N, 1, 1); set by validation
 */
typedef struct {
  SqFxpOp     op;
  SqTensor    weight;
  SqTensor    bias;
  SqTensor    recurrent;
  guint       stride_y;
  guint       stride_x;
  guint       pad_y;
  guint       pad_x;
  guint       kernel_y;
  guint       kernel_x;
  SqFxpNeuron neuron;
  gsize       in_shape[3];
  gsize       out_shape[3];
} SqFxpLayer;

/**
 * SqFxpNet:
 * @source: how messages name the file
 * @input_shape: (C, H, W); a vector input is (N, 1, 1)
 * @input_rank: 1 or 3, as the file gave it
 * @n_layers: at least 1
 * @layers: (array length=n_layers): in order
 * @warnings: (element-type utf8): unknown keys ignored, what a mapping changed
 */
typedef struct {
  char       *source;
  gsize       input_shape[3];
  guint       input_rank;
  guint       n_layers;
  SqFxpLayer *layers;
  GPtrArray  *warnings;
} SqFxpNet;

GQuark       sq_fxp_error_quark       (void);
const char  *sq_fxp_op_name           (SqFxpOp          op);
const char  *sq_fxp_neuron_name       (SqFxpNeuronType  type);
gsize        sq_fxp_shape_size        (const gsize      shape[3]);

SqFxpNet    *sq_fxp_net_new           (const char      *source,
                                       guint            input_rank,
                                       const gsize     *input_shape,
                                       guint            n_layers);
gboolean     sq_fxp_net_validate      (SqFxpNet        *net,
                                       GError         **error);
SqFxpNet    *sq_fxp_net_load_json_data (const char     *data,
                                        gsize           length,
                                        const char     *display_name,
                                        GError        **error) G_GNUC_WARN_UNUSED_RESULT;
GString     *sq_fxp_net_to_json       (const SqFxpNet  *net);
void         sq_fxp_net_free          (SqFxpNet        *net);

SqFxpNet    *sq_nir_map_to_fxp        (const SqNirGraph      *graph,
                                       const SqNirMapOptions *options,
                                       GPtrArray            **notes,
                                       GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* The inverse of sq_nir_map_to_fxp() at @dt (sq-nir-write-fxp.c). */
GBytes      *sq_fxp_net_to_nir        (const SqFxpNet        *net,
                                       double                 dt,
                                       GError               **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqFxpNet, sq_fxp_net_free)

G_END_DECLS
