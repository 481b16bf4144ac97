/* sq-dynapcnn-placement.h: what a DynapCNN / Speck layer needs of a core, and which core
 * takes which layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-device.h"

G_BEGIN_DECLS

/**
 * SqCnnLayerShape:
 * @in_channels: C
 * @out_channels: F
 * @kernel_y, @kernel_x: kernel rows and columns
 * @out_y, @out_x: the convolution's output map (before pooling)
 * @has_bias: whether the layer uses its bias memory
 * @stride_y, @stride_x, @pad_y, @pad_x, @pool: as the layer is configured
 * @n_destinations: cores (or the readout) the layer sends to
 *
 * One layer as the chip's limits see it.
 */
typedef struct {
  gsize    in_channels;
  gsize    out_channels;
  gsize    kernel_y;
  gsize    kernel_x;
  gsize    out_y;
  gsize    out_x;
  gboolean has_bias;
  guint    stride_y;
  guint    stride_x;
  guint    pad_y;
  guint    pad_x;
  guint    pool;
  guint    n_destinations;
} SqCnnLayerShape;

/**
 * SqCnnMemory:
 * @kernel: kernel memory entries, C · 2^(⌈log2(ky·kx)⌉ + ⌈log2 F⌉)
 * @neuron: neuron memory entries, F · 2^(⌈log2 H'⌉ + ⌈log2 W'⌉)
 * @bias: bias entries, F with a bias, else 0
 */
typedef struct {
  guint64 kernel;
  guint64 neuron;
  guint64 bias;
} SqCnnMemory;

/**
 * SqCnnPlacement:
 * @n_layers: layers placed
 * @memory: (array length=n_layers): what each layer needs
 * @core: (array length=n_layers): the core each layer is on, or −1 when no placement exists
 * @problems: (element-type utf8): one translated line per limit a layer breaks, or why no
 *   placement exists (which layers, which cores, which memory); empty when the network fits
 */
typedef struct {
  guint        n_layers;
  SqCnnMemory *memory;
  int         *core;
  GPtrArray   *problems;
} SqCnnPlacement;

void            sq_cnn_layer_memory    (const SqCnnLayerShape *layer,
                                        SqCnnMemory           *memory);
SqCnnPlacement *sq_cnn_place           (const SqDeviceProfile *device,
                                        const SqCnnLayerShape *layers,
                                        guint                  n_layers)
                                        G_GNUC_WARN_UNUSED_RESULT;
gboolean        sq_cnn_placement_fits  (const SqCnnPlacement  *placement);
void            sq_cnn_placement_free  (SqCnnPlacement        *placement);

gsize           sq_cnn_readout_channels (gsize                  out_features);
char           *sq_cnn_readout_check   (const SqDeviceProfile *device,
                                        guint                  last_layer,
                                        gsize                  out_features)
                                        G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqCnnPlacement, sq_cnn_placement_free)

G_END_DECLS
