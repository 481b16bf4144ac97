/* sq-dynapcnn-config.c: a discretized DynapCNN network as the per-core configuration sinabs's
 * config builder fills in (samna's config.cnn_layers), written as documented JSON
 *
 * samna's binary form is proprietary; this mirrors its fields (sinabs_qualia.md A.2) so a
 * short script can copy them into a samna configuration object. Field order is fixed and
 * every number an integer, so equal networks give equal bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"

#define CONFIG_VERSION 1

static void
append_xy (GString    *s,
           const char *key,
           gsize       x,
           gsize       y)
{
  g_string_append_printf (s, "\"%s\": {\"x\": %zu, \"y\": %zu}", key, x, y);
}

/* values[f][c][y][x] (torch's layout) as [f][c][x][y], samna's. */
static void
append_weights (GString        *s,
                const SqTensor *w)
{
  gsize F = w->shape[0], C = w->shape[1], H = w->shape[2], W = w->shape[3];

  g_string_append_c (s, '[');
  for (gsize f = 0; f < F; f++)
    {
      g_string_append (s, f ? ", [" : "[");
      for (gsize c = 0; c < C; c++)
        {
          g_string_append (s, c ? ", [" : "[");
          for (gsize x = 0; x < W; x++)
            {
              g_string_append (s, x ? ", [" : "[");
              for (gsize y = 0; y < H; y++)
                g_string_append_printf (s, y ? ", %d" : "%d",
                                        (int) w->data[((f * C + c) * H + y) * W + x]);
              g_string_append_c (s, ']');
            }
          g_string_append_c (s, ']');
        }
      g_string_append_c (s, ']');
    }
  g_string_append_c (s, ']');
}

/* v[f][y][x] as [f][x][y]; zeros for a layer without an initial membrane. */
static void
append_initial (GString        *s,
                const SqTensor *v,
                const gsize     conv[3])
{
  g_string_append_c (s, '[');
  for (gsize f = 0; f < conv[0]; f++)
    {
      g_string_append (s, f ? ", [" : "[");
      for (gsize x = 0; x < conv[2]; x++)
        {
          g_string_append (s, x ? ", [" : "[");
          for (gsize y = 0; y < conv[1]; y++)
            g_string_append_printf (s, y ? ", %d" : "%d",
                                    sq_tensor_is_present (v)
                                    ? (int) v->data[(f * conv[1] + y) * conv[2] + x] : 0);
          g_string_append_c (s, ']');
        }
      g_string_append_c (s, ']');
    }
  g_string_append_c (s, ']');
}

/**
 * sq_dynapcnn_config_to_json:
 * @net: a discretized network with an input shape (sq_dynapcnn_net_is_integer())
 * @device: a DynapCNN profile
 *
 * Places @net on @device's cores and writes each core's configuration: dimensions, weights
 * [F][C][kx][ky], biases, leak_enable, neurons_initial_value [F][x][y], thresholds,
 * return_to_zero, monitor_enable (the last layer) and destinations (the next layer's core,
 * with this layer's pooling). docs/dynapcnn.md describes the file.
 *
 * Returns: (transfer full): the JSON text, or %NULL with @error set when @net is not
 *   integer, has no input shape, or does not fit @device (the message lists why)
 */
GString *
sq_dynapcnn_config_to_json (const SqDynapcnnNet   *net,
                            const SqDeviceProfile *device,
                            GError               **error)
{
  g_autofree SqCnnLayerShape *shapes = NULL;
  g_autoptr(SqCnnPlacement) placement = NULL;
  g_autofree SqDynapcnnLayerGeometry *geometry = NULL;
  GString *s;

  if (!net->has_input_shape || !sq_dynapcnn_net_is_integer (net))
    {
      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: a device configuration needs a discretized network with an "
                     "input_shape"), net->source);
      return NULL;
    }
  shapes = g_new0 (SqCnnLayerShape, net->n_layers);
  geometry = g_new0 (SqDynapcnnLayerGeometry, net->n_layers);
  if (!sq_dynapcnn_net_geometry (net, geometry, shapes))
    g_return_val_if_reached (NULL);
  /* The configuration writes every layer's biases, zeros included. */
  for (guint i = 0; i < net->n_layers; i++)
    shapes[i].has_bias = TRUE;
  placement = sq_cnn_place (device, shapes, net->n_layers);
  if (!sq_cnn_placement_fits (placement))
    {
      g_autofree char *why = g_strjoinv ("\n  ", (char **) placement->problems->pdata);

      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s does not fit %s:\n  %s"), net->source, device->title, why);
      return NULL;
    }

  s = g_string_new (NULL);
  g_string_append_printf (s, "{\"format\": \"synquant-dynapcnn-config\", \"version\": %d, "
                          "\"device\": \"%s\",\n \"cnn_layers\": [", CONFIG_VERSION,
                          device->name);
  for (guint core = 0; core < device->n_cores; core++)
    {
      int i = -1;

      for (guint k = 0; k < net->n_layers; k++)
        if (placement->core[k] == (int) core)
          i = (int) k;
      g_string_append (s, core ? ",\n  " : "\n  ");
      if (i < 0)
        {
          g_string_append (s, "null");
          continue;
        }
      {
        const SqDynapcnnNetLayer *l = &net->layers[i];
        const SqTensor *b = &l->params.bias;
        const gsize *in = geometry[i].in, *conv = geometry[i].conv;
        gboolean leak = FALSE, last = (guint) i + 1 == net->n_layers;

        for (gsize f = 0; f < b->n; f++)
          leak = leak || b->data[f] < 0 || b->data[f] > 0;
        g_string_append_printf (s, "{\"layer\": %d, \"dimensions\": {", i);
        g_string_append (s, "\"input_shape\": {");
        append_xy (s, "size", in[2], in[1]);
        g_string_append_printf (s, ", \"feature_count\": %zu}, \"output_shape\": {", in[0]);
        append_xy (s, "size", conv[2], conv[1]);
        g_string_append_printf (s, ", \"feature_count\": %zu}, ", conv[0]);
        append_xy (s, "padding", l->pad_x, l->pad_y);
        g_string_append (s, ", ");
        append_xy (s, "stride", l->stride_x, l->stride_y);
        g_string_append_printf (s, ", \"kernel_size\": %zu},\n   \"weights\": ",
                                l->params.weight.shape[2]);
        append_weights (s, &l->params.weight);
        g_string_append (s, ",\n   \"biases\": [");
        for (gsize f = 0; f < b->n; f++)
          g_string_append_printf (s, f ? ", %d" : "%d", (int) b->data[f]);
        g_string_append_printf (s, "], \"leak_enable\": %s,\n   \"neurons_initial_value\": ",
                                leak ? "true" : "false");
        append_initial (s, &l->params.v_mem, conv);
        g_string_append_printf (s, ",\n   \"threshold_high\": %d, \"threshold_low\": %d, "
                                "\"return_to_zero\": %s, \"monitor_enable\": %s, "
                                "\"destinations\": [",
                                (int) l->params.spike_threshold, (int) l->params.min_v_mem,
                                l->reset_zero ? "true" : "false", last ? "true" : "false");
        if (last)
          g_string_append_printf (s, "{\"layer\": 0, \"enable\": false, \"pooling\": %u}",
                                  l->pool);
        else
          g_string_append_printf (s, "{\"layer\": %d, \"enable\": true, \"pooling\": %u}",
                                  placement->core[i + 1], l->pool);
        g_string_append (s, ", {\"layer\": 0, \"enable\": false, \"pooling\": 1}]}");
      }
    }
  g_string_append (s, "\n]}\n");
  return s;
}
