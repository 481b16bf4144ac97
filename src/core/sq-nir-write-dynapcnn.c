/* sq-nir-write-dynapcnn.c: a DynapCNN network as a NIR graph, the chain sinabs exports
 *
 *   input → conv0 → if0 [→ pool0] → conv1 → if1 [→ pool1] → … → output
 *
 * Conv2d (weight (F, C, kh, kw), bias, stride, padding, dilation 1, groups 1, input_shape),
 * IF (r = 1, v_threshold = θ, v_reset = 0 for every neuron) and SumPool2d for a layer's
 * pooling: what sq_nir_map_to_dynapcnn() and sinabs's NIR import read. What IF cannot say —
 * the lower bound (NIR import takes −θ), the reset and spike rules, the scale and an initial
 * membrane — is in each IF's `metadata` group, which the mapper reads back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-nir-h5w-private.h"
#include "sq-nir-private.h"

#if SYNQUANT_HAVE_NIR

/* Conv2d, IF and (with pooling) SumPool2d of layer @i; appends their names to @names. */
static void
write_layer (Writer                        *w,
             hid_t                          nodes,
             const SqDynapcnnNet           *net,
             const SqDynapcnnLayerGeometry *geometry,
             guint                          i,
             GPtrArray                     *names)
{
  const SqDynapcnnNetLayer *l = &net->layers[i];
  const SqDynapcnnLayerParams *p = &l->params;
  const gsize *in = geometry[i].in, *conv = geometry[i].conv;
  gsize F = conv[0], n = conv[0] * conv[1] * conv[2];
  hsize_t wdims[4] = { p->weight.shape[0], p->weight.shape[1], p->weight.shape[2],
                       p->weight.shape[3] };
  hsize_t ndims[3] = { conv[0], conv[1], conv[2] };
  g_autofree double *ones = g_new (double, n);
  g_autofree double *theta = g_new (double, n);
  g_autofree double *zeros = g_new0 (double, MAX (n, F));
  char *conv_name = g_strdup_printf ("conv%u", i);
  char *if_name = g_strdup_printf ("if%u", i);
  hid_t g, meta;

  g = _sq_h5w_node (w, nodes, conv_name, "Conv2d");
  if (g >= 0)
    {
      _sq_h5w_array (w, g, "weight", 4, wdims, p->weight.data, p->weight.n);
      _sq_h5w_vector (w, g, "bias", sq_tensor_is_present (&p->bias) ? p->bias.data : zeros, F);
      _sq_h5w_pair (w, g, "stride", l->stride_y, l->stride_x);
      _sq_h5w_pair (w, g, "padding", l->pad_y, l->pad_x);
      _sq_h5w_pair (w, g, "dilation", 1, 1);
      _sq_h5w_scalar (w, g, "groups", 1);
      _sq_h5w_pair (w, g, "input_shape", (double) in[1], (double) in[2]);
    }
  _sq_h5w_close (g);
  g_ptr_array_add (names, conv_name);

  for (gsize k = 0; k < n; k++)
    {
      ones[k] = 1;
      theta[k] = p->spike_threshold;
    }
  g = _sq_h5w_node (w, nodes, if_name, "IF");
  meta = _sq_h5w_metadata (w, g);
  if (g >= 0)
    {
      _sq_h5w_array (w, g, "r", 3, ndims, ones, n);
      _sq_h5w_array (w, g, "v_threshold", 3, ndims, theta, n);
      _sq_h5w_array (w, g, "v_reset", 3, ndims, zeros, n);
    }
  if (meta >= 0)
    {
      if (p->has_min_v_mem)
        _sq_h5w_scalar (w, meta, "min_v_mem", p->min_v_mem);
      else
        _sq_h5w_scalar (w, meta, "unbounded", 1);
      _sq_h5w_scalar (w, meta, "reset_zero", l->reset_zero ? 1 : 0);
      _sq_h5w_scalar (w, meta, "single_spike", l->single_spike ? 1 : 0);
      if (l->has_scale)
        {
          Writer exact = _sq_h5w_variant (w, FALSE);

          _sq_h5w_scalar (&exact, meta, "scale", l->scale);
          w->ok = w->ok && exact.ok;
        }
      if (sq_tensor_is_present (&p->v_mem))
        _sq_h5w_array (w, meta, "v_mem", 3, ndims, p->v_mem.data, p->v_mem.n);
    }
  _sq_h5w_close (meta);
  _sq_h5w_close (g);
  g_ptr_array_add (names, if_name);

  if (l->pool > 1)
    {
      char *pool_name = g_strdup_printf ("pool%u", i);

      g = _sq_h5w_node (w, nodes, pool_name, "SumPool2d");
      if (g >= 0)
        {
          _sq_h5w_pair (w, g, "kernel_size", l->pool, l->pool);
          _sq_h5w_pair (w, g, "stride", l->pool, l->pool);
          _sq_h5w_pair (w, g, "padding", 0, 0);
        }
      _sq_h5w_close (g);
      g_ptr_array_add (names, pool_name);
    }
}

static void
write_dynapcnn (Writer        *w,
                hid_t          file,
                gconstpointer  data)
{
  const SqDynapcnnNet *net = data;
  g_autofree SqDynapcnnLayerGeometry *geometry = g_new0 (SqDynapcnnLayerGeometry, net->n_layers);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **edges = NULL;
  const gsize *out;
  double shape[3];
  hsize_t edims[2] = { 0, 2 };
  hid_t root, nodes, meta, g;

  if (!sq_dynapcnn_net_geometry (net, geometry, NULL))
    {
      w->ok = FALSE;
      return;
    }
  root = _sq_h5w_graph (w, file, &nodes);
  if (root < 0)
    return;

  g_ptr_array_add (names, g_strdup ("input"));
  g = _sq_h5w_node (w, nodes, "input", "Input");
  for (guint d = 0; d < 3; d++)
    shape[d] = (double) net->input_shape[d];
  _sq_h5w_vector (w, g, "shape", shape, 3);
  _sq_h5w_close (g);
  for (guint i = 0; i < net->n_layers; i++)
    write_layer (w, nodes, net, geometry, i, names);
  g_ptr_array_add (names, g_strdup ("output"));
  g = _sq_h5w_node (w, nodes, "output", "Output");
  out = geometry[net->n_layers - 1].pooled;
  for (guint d = 0; d < 3; d++)
    shape[d] = (double) out[d];
  _sq_h5w_vector (w, g, "shape", shape, 3);
  _sq_h5w_close (g);
  _sq_h5w_close (nodes);

  edges = g_new (const char *, 2 * names->len);
  for (guint k = 0; k + 1 < names->len; k++)
    {
      edges[2 * k] = names->pdata[k];
      edges[2 * k + 1] = names->pdata[k + 1];
      edims[0]++;
    }
  _sq_h5w_strings (w, root, "edges", 2, edims, edges);
  meta = _sq_h5w_metadata (w, root);
  if (meta >= 0)
    {
      _sq_h5w_string (w, meta, SQ_NIR_LAYOUT_KEY, "dynapcnn");
      _sq_h5w_string (w, meta, "synquant_version", PACKAGE_VERSION);
    }
  _sq_h5w_close (meta);
  _sq_h5w_close (root);
}

#endif /* SYNQUANT_HAVE_NIR */

/**
 * sq_dynapcnn_net_to_nir:
 * @net: a network with an input shape
 *
 * Returns: (transfer full): the bytes of a .nir file holding @net (see the top of this
 *   file), or %NULL with @error set
 */
GBytes *
sq_dynapcnn_net_to_nir (const SqDynapcnnNet  *net,
                        GError              **error)
{
#if SYNQUANT_HAVE_NIR
  if (!net->has_input_shape)
    {
      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: a NIR graph needs the network's input_shape"), net->source);
      return NULL;
    }
  return _sq_h5w_image (sq_dynapcnn_net_is_integer (net), write_dynapcnn, net,
                        error);
#else
  _sq_nir_no_support (error);
  return NULL;
#endif
}
