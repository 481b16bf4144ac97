/* sq-nir-dynapcnn.c: a NIR graph as a DynapCNN / Speck network
 *
 * A chain Input → (Conv2d | [Flatten] Affine | [Flatten] Linear) → IF → [SumPool2d | AvgPool2d] → … → Output, as
 * sinabs exports its networks (cnn_sinabs.nir). Each weight layer and the IF after it become
 * one layer; a pooling after the IF is that layer's sum-pooling; an Affine becomes a
 * convolution whose kernel covers its whole input (sinabs's Linear → Conv2d). IF as sinabs
 * imports it: θ = v_threshold (one per layer: the chip has one), min_v_mem = −θ, reset by
 * subtraction, several spikes per step; r multiplies the weights and bias of its channel, and
 * v_reset, which the chip cannot hold, is left out with a note. AvgPool2d is a sum-pool
 * whose 1/k² goes into the next layer's weights, as sinabs rescales them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-net-private.h"
#include "sq-nir-private.h"

typedef struct {
  const SqNirGraph *graph;
  GPtrArray        *problems;
  GPtrArray        *notes;
  GArray           *layers;      /* SqDynapcnnNetLayer */
  gsize             shape[3];    /* what the next node receives (C, H, W) */
  const SqNirNode  *pending;      /* a weight node waiting for its IF */
  gboolean          flattened;
  double            rescale;      /* AvgPool's 1/k² for the next weights */
  gboolean          pool_open;    /* the last layer may still take a pooling */
} Walk;

static void
problem (Walk       *w,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Walk       *w,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (w->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* A 2-vector parameter (stride, padding, kernel_size, dilation), or a scalar for both; absent
 * gives @fallback. FALSE for anything else, or a value outside [@lo, 4096]. */
static gboolean
pair_param (const SqNirNode *node,
            const char      *name,
            gsize            fallback,
            gsize            lo,
            gsize            out[2])
{
  const SqNirParam *p = sq_nir_node_get_param (node, name);

  out[0] = out[1] = fallback;
  if (p == NULL)
    return TRUE;
  if (p->text != NULL || p->value.n < 1 || p->value.n > 2 || p->value.rank > 1)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      double v = p->value.data[p->value.n == 2 ? i : 0];

      if (!(v >= (double) lo && v <= 4096) || nearbyint (v) < v || nearbyint (v) > v)
        return FALSE;
      out[i] = (gsize) v;
    }
  return TRUE;
}

static const SqTensor *
tensor_param (const SqNirNode *node,
              const char      *name)
{
  const SqNirParam *p = sq_nir_node_get_param (node, name);

  return p != NULL && p->text == NULL && sq_tensor_is_present (&p->value) ? &p->value : NULL;
}

/* A number of the node's `metadata` group (one Synquant's writer put there), or %NULL. */
static const SqTensor *
meta_param (const SqNirNode *node,
            const char      *name)
{
  for (guint i = 0; node->metadata != NULL && i < node->metadata->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (node->metadata, i);

      if (g_str_equal (p->name, name) && p->text == NULL && sq_tensor_is_present (&p->value))
        return &p->value;
    }
  return NULL;
}

/* What NIR's IF cannot say, from the metadata sq_dynapcnn_net_to_nir() writes: the lower
 * bound (or none), the reset and spike rules, the scale and the initial membrane. The
 * network's checks judge the values. */
static void
layer_metadata (const SqNirNode    *n,
                SqDynapcnnNetLayer *l,
                const gsize         conv[3])
{
  const SqTensor *t;

  if ((t = meta_param (n, "unbounded")) != NULL && t->data[0] > 0)
    l->params.has_min_v_mem = FALSE;
  else if ((t = meta_param (n, "min_v_mem")) != NULL)
    l->params.min_v_mem = t->data[0];
  if ((t = meta_param (n, "reset_zero")) != NULL)
    l->reset_zero = t->data[0] > 0;
  if ((t = meta_param (n, "single_spike")) != NULL)
    l->single_spike = t->data[0] > 0;
  if ((t = meta_param (n, "scale")) != NULL)
    {
      l->has_scale = TRUE;
      l->scale = t->data[0];
    }
  if ((t = meta_param (n, "v_mem")) != NULL && t->n == conv[0] * conv[1] * conv[2])
    {
      if (sq_tensor_init (&l->params.v_mem, 3, conv, NULL))
        memcpy (l->params.v_mem.data, t->data, t->n * sizeof (double));
    }
}

/* The weight node waiting for its IF, as a layer's weight and bias (Affine as a convolution
 * over its whole input). */
static gboolean
start_layer (Walk               *w,
             SqDynapcnnNetLayer *l)
{
  const SqNirNode *n = w->pending;
  const SqTensor *weight = tensor_param (n, "weight");
  const SqTensor *bias = tensor_param (n, "bias");
  g_autoptr(GError) error = NULL;
  gsize out;

  *l = (SqDynapcnnNetLayer) { .stride_y = 1, .stride_x = 1, .pool = 1 };
  if (n->type == SQ_NIR_CONV2D)
    {
      gsize stride[2], pad[2], dil[2];
      const SqTensor *groups = tensor_param (n, "groups");

      if (weight == NULL || weight->rank != 4 || weight->shape[1] != w->shape[0])
        {
          problem (w, _("%s: Conv2d weight must be (F, %zu, kh, kw)"), n->path, w->shape[0]);
          return FALSE;
        }
      if (!pair_param (n, "stride", 1, 1, stride) || !pair_param (n, "padding", 0, 0, pad) ||
          !pair_param (n, "dilation", 1, 1, dil))
        {
          problem (w, _("%s: stride, padding or dilation is not a pair of whole numbers "
                        "(padding \"same\" is not supported)"), n->path);
          return FALSE;
        }
      if (dil[0] != 1 || dil[1] != 1 ||
          (groups != NULL && (groups->n != 1 || !(groups->data[0] >= 1 && groups->data[0] <= 1))))
        {
          problem (w, _("%s: dilated or grouped convolutions do not map to DynapCNN"), n->path);
          return FALSE;
        }
      l->stride_y = (guint) stride[0];
      l->stride_x = (guint) stride[1];
      l->pad_y = (guint) pad[0];
      l->pad_x = (guint) pad[1];
      sq_tensor_copy (&l->params.weight, weight, NULL);
    }
  else
    {
      gsize n_in = w->shape[0] * w->shape[1] * w->shape[2];
      gsize shape[4];

      if (weight == NULL || weight->rank != 2 || weight->shape[1] != n_in)
        {
          problem (w, _("%s: Affine weight must be (out, %zu)"), n->path, n_in);
          return FALSE;
        }
      if (!w->flattened && (w->shape[1] != 1 || w->shape[2] != 1))
        {
          problem (w, _("%s: an Affine layer after a %zu × %zu map needs a Flatten before it"),
                   n->path, w->shape[1], w->shape[2]);
          return FALSE;
        }
      /* (out, C·H·W) in C order is (out, C, H, W): a kernel over the whole input. */
      shape[0] = weight->shape[0];
      shape[1] = w->shape[0];
      shape[2] = w->shape[1];
      shape[3] = w->shape[2];
      if (!sq_tensor_init (&l->params.weight, 4, shape, &error))
        {
          problem (w, "%s: %s", n->path, error->message);
          return FALSE;
        }
      memcpy (l->params.weight.data, weight->data, weight->n * sizeof (double));
    }
  out = l->params.weight.shape[0];
  if (bias != NULL)
    {
      if (bias->n != out)
        {
          problem (w, _("%s: bias has %zu values, expected %zu"), n->path, bias->n, out);
          sq_tensor_clear (&l->params.weight);
          return FALSE;
        }
      sq_tensor_copy (&l->params.bias, bias, NULL);
      l->params.bias.rank = 1;
      l->params.bias.shape[0] = out;
    }
  if (w->rescale < 1)
    for (gsize i = 0; i < l->params.weight.n; i++)
      l->params.weight.data[i] *= w->rescale;
  w->rescale = 1;
  w->flattened = FALSE;
  return TRUE;
}

/* IF: one threshold for the layer, r folded into each channel's weights and bias. */
static void
finish_layer (Walk            *w,
              const SqNirNode *n)
{
  const SqTensor *theta = tensor_param (n, "v_threshold");
  const SqTensor *r = tensor_param (n, "r");
  const SqTensor *reset = tensor_param (n, "v_reset");
  SqDynapcnnNetLayer l;
  gsize conv[3], pooled[3], F, per;

  if (w->pending == NULL)
    {
      problem (w, _("%s: an IF without a Conv2d or Affine before it"), n->path);
      return;
    }
  if (!start_layer (w, &l))
    {
      w->pending = NULL;
      return;
    }
  w->pending = NULL;
  F = l.params.weight.shape[0];
  if (!sq_cnn_output_shape (w->shape, F, l.params.weight.shape[2], l.params.weight.shape[3],
                            l.stride_y, l.stride_x, l.pad_y, l.pad_x, 1, conv, pooled))
    {
      problem (w, _("%s: the kernel does not fit its %zu × %zu input"), n->path, w->shape[1],
               w->shape[2]);
      goto fail;
    }
  per = conv[1] * conv[2];
  if (theta == NULL || theta->n == 0 || (theta->n != 1 && theta->n != F * per && theta->n != F))
    {
      problem (w, _("%s: v_threshold has %zu values for %zu × %zu × %zu neurons"), n->path,
               theta != NULL ? theta->n : 0, F, conv[1], conv[2]);
      goto fail;
    }
  for (gsize i = 1; i < theta->n; i++)
    if (theta->data[i] < theta->data[0] || theta->data[i] > theta->data[0])
      {
        problem (w, _("%s: v_threshold differs across neurons (%g and %g): a DynapCNN layer "
                      "has one threshold"), n->path, theta->data[0], theta->data[i]);
        goto fail;
      }
  if (!(theta->data[0] > 0) || !isfinite (theta->data[0]))
    {
      problem (w, _("%s: v_threshold is %g, expected a value above 0"), n->path,
               theta->data[0]);
      goto fail;
    }
  l.params.spike_threshold = theta->data[0];
  l.params.has_min_v_mem = TRUE;
  l.params.min_v_mem = -theta->data[0];
  if (r != NULL && r->n != 1 && r->n != F && r->n != F * per)
    {
      problem (w, _("%s: r has %zu values for %zu × %zu × %zu neurons"), n->path, r->n, F,
               conv[1], conv[2]);
      goto fail;
    }
  for (gsize f = 0; r != NULL && f < F; f++)
    {
      gsize first = r->n == 1 ? 0 : r->n == F ? f : f * per;
      gsize count = r->n == F * per ? per : 1;
      double rf = r->data[first];
      gsize k = l.params.weight.n / F;

      for (gsize i = 1; i < count; i++)
        if (r->data[first + i] < rf || r->data[first + i] > rf)
          {
            problem (w, _("%s: r differs within channel %zu: DynapCNN scales a channel's "
                          "weights as one"), n->path, f);
            goto fail;
          }
      for (gsize i = 0; i < k; i++)
        l.params.weight.data[f * k + i] *= rf;
      if (sq_tensor_is_present (&l.params.bias))
        l.params.bias.data[f] *= rf;
    }
  for (gsize i = 0; reset != NULL && i < reset->n; i++)
    if (reset->data[i] < 0 || reset->data[i] > 0)
      {
        g_ptr_array_add (w->notes, g_strdup_printf (
          _("%s: v_reset %g left out: the chip resets by subtracting the threshold (or to 0)"),
          n->path, reset->data[i]));
        break;
      }
  layer_metadata (n, &l, conv);
  memcpy (w->shape, conv, sizeof conv);
  g_array_append_val (w->layers, l);
  w->pool_open = TRUE;
  return;

fail:
  sq_tensor_clear (&l.params.weight);
  sq_tensor_clear (&l.params.bias);
}

static void
pool (Walk            *w,
      const SqNirNode *n)
{
  gsize k[2], s[2], p[2];
  SqDynapcnnNetLayer *l;

  if (!w->pool_open || w->layers->len == 0)
    {
      problem (w, _("%s: pooling must follow an IF directly (DynapCNN pools a layer's "
                    "spikes)"), n->path);
      return;
    }
  if (!pair_param (n, "kernel_size", 1, 1, k) || !pair_param (n, "stride", k[0], 1, s) ||
      !pair_param (n, "padding", 0, 0, p) || k[0] != k[1] || s[0] != k[0] || s[1] != k[1] ||
      p[0] != 0 || p[1] != 0)
    {
      problem (w, _("%s: DynapCNN pools square windows with a stride equal to the window and "
                    "no padding"), n->path);
      return;
    }
  if (w->shape[1] < k[0] || w->shape[2] < k[0])
    {
      problem (w, _("%s: %zu × %zu pooling of a %zu × %zu map"), n->path, k[0], k[0],
               w->shape[1], w->shape[2]);
      return;
    }
  l = &g_array_index (w->layers, SqDynapcnnNetLayer, w->layers->len - 1);
  l->pool = (guint) k[0];
  w->shape[1] /= k[0];
  w->shape[2] /= k[0];
  w->pool_open = FALSE;
  if (n->type == SQ_NIR_AVG_POOL2D)
    {
      w->rescale = 1.0 / (double) (k[0] * k[1]);
      g_ptr_array_add (w->notes, g_strdup_printf (
        _("%s: average pooling becomes sum pooling; the next layer's weights are divided by "
          "%zu"), n->path, k[0] * k[1]));
    }
}

static void
step (Walk            *w,
      const SqNirNode *n)
{
  switch (n->type)
    {
    case SQ_NIR_INPUT:
    case SQ_NIR_OUTPUT:
      return;   /* a subgraph's boundary passes values through */
    case SQ_NIR_CONV2D:
    case SQ_NIR_AFFINE:
    case SQ_NIR_LINEAR:
      if (w->pending != NULL)
        problem (w, _("%s: two weight layers without an IF between them"), n->path);
      w->pending = n;
      w->pool_open = FALSE;
      return;
    case SQ_NIR_FLATTEN:
      w->flattened = TRUE;
      w->pool_open = FALSE;
      return;
    case SQ_NIR_IF:
      finish_layer (w, n);
      return;
    case SQ_NIR_SUM_POOL2D:
    case SQ_NIR_AVG_POOL2D:
      pool (w, n);
      return;
    default:
      problem (w, _("%s (%s): DynapCNN has integrate-and-fire neurons, convolutions, "
                    "sum-pooling and flattening only"), n->path, sq_nir_type_name (n->type));
      return;
    }
}

static void
layer_clear (gpointer p)
{
  SqDynapcnnNetLayer *l = p;

  sq_tensor_clear (&l->params.weight);
  sq_tensor_clear (&l->params.bias);
  sq_tensor_clear (&l->params.v_mem);
}

/**
 * sq_nir_map_to_dynapcnn:
 * @notes: (out) (optional) (element-type utf8): what the mapping changed or left out
 *
 * Maps a checked NIR graph that is a single chain from its Input to its Output onto DynapCNN
 * layers (see the file's comment).
 *
 * Returns: (transfer full): the float network, or %NULL with %SQ_NIR_ERROR_UNMAPPABLE and
 *   every reason
 */
SqDynapcnnNet *
sq_nir_map_to_dynapcnn (const SqNirGraph *graph,
                        GPtrArray       **notes,
                        GError          **error)
{
  g_autoptr(GArray) flat = _sq_nir_flatten (graph);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) my_notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) layers = g_array_new (FALSE, TRUE, sizeof (SqDynapcnnNetLayer));
  g_autoptr(SqDynapcnnNet) net = NULL;
  Walk w = { graph, problems, my_notes, layers, { 0, }, NULL, FALSE, 1, FALSE };
  const SqNirFlatNode *at = NULL, *input = NULL;
  guint n_inputs = 0, steps = 0;

  g_array_set_clear_func (layers, layer_clear);
  for (guint i = 0; i < flat->len; i++)
    {
      const SqNirFlatNode *f = &g_array_index (flat, SqNirFlatNode, i);

      if (f->top && f->node->type == SQ_NIR_INPUT)
        {
          n_inputs++;
          at = input = f;
        }
    }
  if (n_inputs != 1)
    problem (&w, _("the graph has %u Input nodes at the top level; DynapCNN takes one"),
             n_inputs);
  else if (at->node->out_rank != 3 && at->node->out_rank != 1)
    problem (&w, _("%s: the input must be (C, H, W) or (N,)"), at->node->path);
  else
    {
      w.shape[0] = at->node->out_shape[0];
      w.shape[1] = at->node->out_rank == 3 ? at->node->out_shape[1] : 1;
      w.shape[2] = at->node->out_rank == 3 ? at->node->out_shape[2] : 1;
      /* Walk the chain; the checks ruled out loops without a neuron, and IF has no loop. */
      while (problems->len == 0 && !(at->top && at->node->type == SQ_NIR_OUTPUT))
        {
          if (at->succ->len != 1 || steps++ > flat->len)
            {
              problem (&w, _("%s: the network branches or ends here; DynapCNN takes a chain "
                             "of layers"), at->node->path);
              break;
            }
          at = &g_array_index (flat, SqNirFlatNode, g_array_index (at->succ, guint, 0));
          if (!(at->top && at->node->type == SQ_NIR_OUTPUT))
            step (&w, at->node);
        }
      if (problems->len == 0 && w.pending != NULL)
        problem (&w, _("%s: a weight layer without an IF after it"), w.pending->path);
      if (problems->len == 0 && layers->len == 0)
        problem (&w, _("no layer: DynapCNN needs Conv2d or Affine followed by IF"));
    }
  if (problems->len > 0)
    {
      GString *msg = g_string_new (NULL);

      g_string_printf (msg, _("%s: cannot map to DynapCNN:"), graph->source);
      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (msg, "\n  %s", (const char *) g_ptr_array_index (problems, i));
      g_set_error_literal (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE, msg->str);
      g_string_free (msg, TRUE);
      return NULL;
    }
  net = g_new0 (SqDynapcnnNet, 1);
  net->source = g_strdup (graph->source);
  net->warnings = g_ptr_array_new_with_free_func (g_free);
  net->has_input_shape = TRUE;
  net->input_shape[0] = input->node->out_shape[0];
  net->input_shape[1] = input->node->out_rank == 3 ? input->node->out_shape[1] : 1;
  net->input_shape[2] = input->node->out_rank == 3 ? input->node->out_shape[2] : 1;
  g_array_set_clear_func (layers, NULL);
  net->n_layers = layers->len;
  net->layers = (SqDynapcnnNetLayer *) (void *) g_array_free (g_steal_pointer (&layers), FALSE);
  /* Metadata may say what the file's own checks refuse (a lower bound above θ). */
  if (!_sq_dynapcnn_net_validate (net, error))
    return NULL;
  if (notes != NULL)
    *notes = g_steal_pointer (&my_notes);
  return g_steal_pointer (&net);
}
