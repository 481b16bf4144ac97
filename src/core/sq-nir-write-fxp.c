/* sq-nir-write-fxp.c: a fixed-point network as a NIR graph, the inverse of sq-fxp-nir.c
 *
 *   input → l0 [→ n0] → l1 [→ n1] → … → output
 *
 * Each layer's operation as Affine (linear, bias 0 when it has none), Conv2d, Flatten,
 * SumPool2d or AvgPool2d, and its neurons as IF (r = 1), LIF (τ = τ_steps·dt, r = 1, v_leak =
 * V_r so that forward Euler at dt gives SpikingJelly's charge back) or CubaLIF for a layer
 * with a synapse (τ_syn = τ_syn_steps·dt, w_in = 1); recurrent weights as an Affine from the
 * neurons back into them. A soft reset is not NIR's to say: v_reset is 0 then and the reader
 * picks the reset (--reset subtract). LIF without decay_input has no NIR equivalent: it is
 * written as NIR's LIF, whose input decays.
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

typedef struct {
  const SqFxpNet *net;
  double          dt;
} FxpGraph;

static void
write_op (Writer           *w,
          hid_t             nodes,
          const SqFxpLayer *l,
          const char       *name)
{
  gsize out = sq_fxp_shape_size (l->out_shape);
  g_autofree double *zeros = g_new0 (double, MAX (out, 1));
  hid_t g = -1;

  switch (l->op)
    {
    case SQ_FXP_OP_LINEAR:
      {
        hsize_t dims[2] = { l->weight.shape[0], l->weight.shape[1] };

        g = _sq_h5w_node (w, nodes, name, "Affine");
        if (g < 0)
          break;
        _sq_h5w_array (w, g, "weight", 2, dims, l->weight.data, l->weight.n);
        _sq_h5w_vector (w, g, "bias", sq_tensor_is_present (&l->bias) ? l->bias.data : zeros,
                        l->weight.shape[0]);
        break;
      }
    case SQ_FXP_OP_CONV2D:
      {
        hsize_t dims[4] = { l->weight.shape[0], l->weight.shape[1], l->weight.shape[2],
                            l->weight.shape[3] };

        g = _sq_h5w_node (w, nodes, name, "Conv2d");
        if (g < 0)
          break;
        _sq_h5w_array (w, g, "weight", 4, dims, l->weight.data, l->weight.n);
        _sq_h5w_vector (w, g, "bias", sq_tensor_is_present (&l->bias) ? l->bias.data : zeros,
                        l->weight.shape[0]);
        _sq_h5w_pair (w, g, "stride", l->stride_y, l->stride_x);
        _sq_h5w_pair (w, g, "padding", l->pad_y, l->pad_x);
        _sq_h5w_pair (w, g, "dilation", 1, 1);
        _sq_h5w_scalar (w, g, "groups", 1);
        _sq_h5w_pair (w, g, "input_shape", (double) l->in_shape[1], (double) l->in_shape[2]);
        break;
      }
    case SQ_FXP_OP_FLATTEN:
      {
        const double in[3] = { (double) l->in_shape[0], (double) l->in_shape[1],
                               (double) l->in_shape[2] };

        g = _sq_h5w_node (w, nodes, name, "Flatten");
        if (g < 0)
          break;
        _sq_h5w_scalar (w, g, "start_dim", 0);
        _sq_h5w_scalar (w, g, "end_dim", -1);
        _sq_h5w_vector (w, g, "input_type", in, 3);
        break;
      }
    case SQ_FXP_OP_SUMPOOL:
    case SQ_FXP_OP_AVGPOOL:
      g = _sq_h5w_node (w, nodes, name,
                        l->op == SQ_FXP_OP_SUMPOOL ? "SumPool2d" : "AvgPool2d");
      if (g < 0)
        break;
      _sq_h5w_pair (w, g, "kernel_size", l->kernel_y, l->kernel_x);
      _sq_h5w_pair (w, g, "stride", l->stride_y, l->stride_x);
      _sq_h5w_pair (w, g, "padding", 0, 0);
      break;
    default:
      g_return_if_reached ();
    }
  _sq_h5w_close (g);
}

static void
write_neuron (Writer           *w,
              hid_t             nodes,
              const SqFxpLayer *l,
              const char       *name,
              double            dt)
{
  const SqFxpNeuron *nr = &l->neuron;
  gsize n = sq_fxp_shape_size (l->out_shape), rank = l->out_shape[1] * l->out_shape[2] > 1
                                                     ? 3 : 1;
  hsize_t dims[3] = { rank == 3 ? l->out_shape[0] : n, l->out_shape[1], l->out_shape[2] };
  gboolean cuba = nr->tau_syn > 0;
  const char *type = nr->type == SQ_FXP_NEURON_LIF ? (cuba ? "CubaLIF" : "LIF") : "IF";
  g_autofree double *v = g_new (double, n);
  hid_t g;
  struct { const char *name; double value; } params[] = {
    { "r", 1 },
    { "v_threshold", nr->v_threshold },
    { "v_reset", nr->soft_reset ? 0 : nr->v_reset },
    { "v_leak", nr->soft_reset ? 0 : nr->v_reset },
    { cuba ? "tau_mem" : "tau", nr->tau * dt },
    { "tau_syn", nr->tau_syn * dt },
    { "w_in", 1 },
  };
  /* IF has r, θ, V_r; LIF adds v_leak and τ; CubaLIF τ_syn and w_in. */
  guint n_params = nr->type != SQ_FXP_NEURON_LIF ? 3 : cuba ? 7 : 5;

  g = _sq_h5w_node (w, nodes, name, type);
  for (guint k = 0; g >= 0 && k < n_params; k++)
    {
      for (gsize i = 0; i < n; i++)
        v[i] = params[k].value;
      _sq_h5w_array (w, g, params[k].name, (int) rank, dims, v, n);
    }
  _sq_h5w_close (g);
}

static void
write_fxp (Writer        *w,
           hid_t          file,
           gconstpointer  data)
{
  const FxpGraph *fg = data;
  const SqFxpNet *net = fg->net;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) edges = g_ptr_array_new ();
  g_autofree const char **flat = NULL;
  const SqFxpLayer *last = &net->layers[net->n_layers - 1];
  double shape[3];
  hsize_t edims[2] = { 0, 2 };
  hid_t root, nodes, meta, g;
  const char *prev;

  root = _sq_h5w_graph (w, file, &nodes);
  if (root < 0)
    return;
  g = _sq_h5w_node (w, nodes, "input", "Input");
  for (guint d = 0; d < 3; d++)
    shape[d] = (double) net->input_shape[d];
  _sq_h5w_vector (w, g, "shape", shape, net->input_rank == 3 ? 3 : 1);
  _sq_h5w_close (g);
  prev = "input";
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];
      char *op = g_strdup_printf ("l%u", i);

      g_ptr_array_add (names, op);
      write_op (w, nodes, l, op);
      g_ptr_array_add (edges, (gpointer) prev);
      g_ptr_array_add (edges, op);
      prev = op;
      if (l->neuron.type != SQ_FXP_NEURON_NONE)
        {
          char *neuron = g_strdup_printf ("n%u", i);

          g_ptr_array_add (names, neuron);
          write_neuron (w, nodes, l, neuron, fg->dt);
          g_ptr_array_add (edges, (gpointer) prev);
          g_ptr_array_add (edges, neuron);
          prev = neuron;
          if (sq_tensor_is_present (&l->recurrent))
            {
              char *rec = g_strdup_printf ("n%u_rec", i);
              hsize_t dims[2] = { l->recurrent.shape[0], l->recurrent.shape[1] };
              g_autofree double *zeros = g_new0 (double, l->recurrent.shape[0]);

              g_ptr_array_add (names, rec);
              g = _sq_h5w_node (w, nodes, rec, "Affine");
              if (g >= 0)
                {
                  _sq_h5w_array (w, g, "weight", 2, dims, l->recurrent.data,
                                 l->recurrent.n);
                  _sq_h5w_vector (w, g, "bias", zeros, l->recurrent.shape[0]);
                }
              _sq_h5w_close (g);
              g_ptr_array_add (edges, neuron);
              g_ptr_array_add (edges, rec);
              g_ptr_array_add (edges, rec);
              g_ptr_array_add (edges, neuron);
            }
        }
    }
  g = _sq_h5w_node (w, nodes, "output", "Output");
  for (guint d = 0; d < 3; d++)
    shape[d] = (double) last->out_shape[d];
  if (last->out_shape[1] * last->out_shape[2] == 1)
    _sq_h5w_vector (w, g, "shape", shape, 1);
  else
    _sq_h5w_vector (w, g, "shape", shape, 3);
  _sq_h5w_close (g);
  _sq_h5w_close (nodes);
  g_ptr_array_add (edges, (gpointer) prev);
  g_ptr_array_add (edges, (gpointer) "output");

  flat = g_new (const char *, edges->len);
  memcpy (flat, edges->pdata, edges->len * sizeof (gpointer));
  edims[0] = edges->len / 2;
  _sq_h5w_strings (w, root, "edges", 2, edims, flat);
  meta = _sq_h5w_metadata (w, root);
  if (meta >= 0)
    {
      _sq_h5w_scalar (w, meta, "dt", fg->dt);
      _sq_h5w_string (w, meta, "synquant_version", PACKAGE_VERSION);
    }
  _sq_h5w_close (meta);
  _sq_h5w_close (root);
}

#endif /* SYNQUANT_HAVE_NIR */

/**
 * sq_fxp_net_to_nir:
 * @net: a validated network (a quantized one's dequantized values)
 * @dt: the time step in seconds its time constants are in steps of (> 0)
 *
 * Returns: (transfer full): the bytes of a .nir file holding @net (see the top of this
 *   file), or %NULL with @error set
 */
GBytes *
sq_fxp_net_to_nir (const SqFxpNet  *net,
                   double           dt,
                   GError         **error)
{
#if SYNQUANT_HAVE_NIR
  FxpGraph fg = { net, dt };

  g_return_val_if_fail (dt > 0, NULL);
  return _sq_h5w_image (FALSE, write_fxp, &fg, error);
#else
  _sq_nir_no_support (error);
  return NULL;
#endif
}
