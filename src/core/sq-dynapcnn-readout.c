/* sq-dynapcnn-readout.c: the Speck 2e / 2f readout erratum
 *
 * On Speck 2e and 2f the readout layer takes its channel i from channel 4·i of the last
 * core (sinabs's docs, faqs/chip_errata.md), so a network whose last layer feeds the readout
 * must spread its F features to channels 0, 4, 8, …: (F − 1)·4 + 1 channels, zeros between,
 * which is what sinabs's extend_readout_layer does to the weights and the bias. The spread
 * layer's membrane starts at zero on the new channels, as sinabs's forward pass leaves it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-private.h"

#define SPREAD 4

/* (F − 1)·4 + 1 */
gsize
sq_cnn_readout_channels (gsize out_features)
{
  return out_features == 0 ? 0 : (out_features - 1) * SPREAD + 1;
}

/**
 * sq_cnn_readout_check:
 * @device: the target
 * @last_layer: the index of the layer that feeds the readout
 * @out_features: its output features F
 *
 * Returns: (nullable): a translated warning naming the layer and the channels it needs
 *   spread, for a device with the readout erratum; %NULL for the others
 */
char *
sq_cnn_readout_check (const SqDeviceProfile *device,
                      guint                  last_layer,
                      gsize                  out_features)
{
  gsize need = sq_cnn_readout_channels (out_features);
  g_autofree char *text = NULL;

  g_return_val_if_fail (device != NULL, NULL);
  if (!device->readout_erratum || out_features <= 1)
    return NULL;
  text = g_strdup_printf (_("layers[%u]: %s's readout takes its channel i from channel 4·i "
                            "(chip erratum): the layer's %zu features must be spread to %zu "
                            "channels, feature i at channel 4·i"), last_layer, device->title,
                          out_features, need);
  if (device->max_features > 0 && need > device->max_features)
    return g_strdup_printf (_("%s; %zu channels are more than the %u a core holds"), text, need,
                            device->max_features);
  return g_steal_pointer (&text);
}

/**
 * sq_cnn_spread_readout:
 * @t: a tensor whose first dimension is the F output features (weight, bias, v_mem)
 * @out: (out caller-allocates): (F − 1)·4 + 1 along the first dimension, @t's slice i at
 *   4·i and zeros elsewhere
 */
gboolean
sq_cnn_spread_readout (const SqTensor *t,
                       SqTensor       *out,
                       GError        **error)
{
  gsize shape[SQ_TENSOR_MAX_RANK], per;

  g_return_val_if_fail (sq_tensor_is_present (t) && t->rank >= 1 && t->shape[0] >= 1, FALSE);
  memcpy (shape, t->shape, t->rank * sizeof (gsize));
  shape[0] = sq_cnn_readout_channels (t->shape[0]);
  if (!sq_tensor_init (out, t->rank, shape, error))
    return FALSE;
  out->integer = t->integer;
  per = t->n / t->shape[0];
  for (gsize i = 0; i < t->shape[0]; i++)
    memcpy (out->data + i * SPREAD * per, t->data + i * per, per * sizeof (double));
  return TRUE;
}

/**
 * sq_iaf_layer_extend_readout:
 * @extended: (out caller-allocates): @layer with its weight, bias and initial membrane
 *   spread by sq_cnn_spread_readout(), the rest copied; its tensors are the caller's to clear
 *
 * The last layer as a device with the readout erratum needs it (sinabs's
 * extend_readout_layer).
 */
gboolean
sq_iaf_layer_extend_readout (const SqIafLayer *layer,
                             SqIafLayer       *extended,
                             GError          **error)
{
  g_return_val_if_fail (layer != NULL && extended != NULL, FALSE);
  *extended = *layer;
  memset (&extended->weight, 0, sizeof extended->weight);
  memset (&extended->bias, 0, sizeof extended->bias);
  memset (&extended->v_mem, 0, sizeof extended->v_mem);
  if (!sq_tensor_is_present (&layer->weight) || layer->weight.rank != 4 ||
      layer->weight.shape[0] == 0)
    return _sq_dynapcnn_invalid (error, _("the readout layer has no (F, C, kh, kw) weight"));
  if (!sq_cnn_spread_readout (&layer->weight, &extended->weight, error) ||
      (sq_tensor_is_present (&layer->bias) &&
       !sq_cnn_spread_readout (&layer->bias, &extended->bias, error)) ||
      (sq_tensor_is_present (&layer->v_mem) &&
       !sq_cnn_spread_readout (&layer->v_mem, &extended->v_mem, error)))
    {
      sq_tensor_clear (&extended->weight);
      sq_tensor_clear (&extended->bias);
      sq_tensor_clear (&extended->v_mem);
      return FALSE;
    }
  return TRUE;
}
