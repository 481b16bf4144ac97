/* sq-fxp-nir.c: a NIR graph as a fixed-point network
 *
 * A chain Input → … → Output of Affine, Linear, Conv2d, Flatten, SumPool2d and AvgPool2d
 * nodes, each weight or pooling node optionally followed by an IF, LIF or CubaLIF population,
 * which may feed itself back through one Affine/Linear (a recurrent layer, as the braille
 * networks do). NIR's neurons are continuous; they are discretised with forward Euler at the
 * dt the user confirms (research/ecosystem.md §1.3) onto SpikingJelly's discrete neurons:
 *   LIF     v += (dt/τ)(v_leak − v + R·I)  →  LIF, decay_input, τ_steps = τ/dt, and the input
 *           x = R·I + v_leak − V_r: R scales the rows of the weights (and the bias), v_leak − V_r
 *           joins the bias (V_r only with reset to v_reset, which SpikingJelly leaks towards);
 *   CubaLIF I += (dt/τ_syn)(w_in·x − I) before it: the synapse with τ_syn/dt steps, w_in·R
 *           in the rows; v_leak − V_r joins the bias, through the synapse (exact once the
 *           current has settled);
 *   IF      dv/dt = R·I as sinabs steps it: v += R·x, R in the rows.
 * The reset is the user's choice (NIR stores none): subtract θ (soft) or set v to v_reset.
 * One layer has one θ, τ and τ_syn, as the generated C does; a per-neuron R and v_leak fold
 * into per-row (per-channel for convolutions) weights and bias. What does not map is listed,
 * every reason at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-nir-private.h"
#include "sq-private.h"

typedef struct {
  const SqNirMapOptions *opts;
  GArray                *flat;
  GPtrArray             *problems;
  GPtrArray             *notes;
  GArray                *layers;       /* SqFxpLayer */
  gsize                  shape[3];     /* what the next node receives (C, H, W) */
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

static const SqNirFlatNode *
flat_at (const Walk *w,
         guint       i)
{
  return &g_array_index (w->flat, SqNirFlatNode, i);
}

static gboolean
is_weight (SqNirType t)
{
  return t == SQ_NIR_AFFINE || t == SQ_NIR_LINEAR;
}

static gboolean
is_neuron (SqNirType t)
{
  return t == SQ_NIR_IF || t == SQ_NIR_LIF || t == SQ_NIR_CUBA_LIF;
}

static SqFxpLayer *
new_layer (Walk   *w,
           SqFxpOp op)
{
  SqFxpLayer l = { .op = op, .kernel_y = 1, .kernel_x = 1 };

  l.neuron.type = SQ_FXP_NEURON_NONE;
  g_array_append_val (w->layers, l);
  return &g_array_index (w->layers, SqFxpLayer, w->layers->len - 1);
}

/* The shape after the last layer, as validation will compute it. */
static gboolean
advance_shape (Walk            *w,
               const SqNirNode *n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) probe = sq_fxp_net_new ("", 3, w->shape, 1);
  SqFxpLayer *l = &g_array_index (w->layers, SqFxpLayer, w->layers->len - 1);

  probe->layers[0] = *l;
  probe->layers[0].neuron.type = SQ_FXP_NEURON_NONE;
  if (!sq_fxp_net_validate (probe, &error))
    {
      const char *msg = strstr (error->message, "layers[0]");

      problem (w, "%s: %s", n->path, msg ? msg + strlen ("layers[0]") + 1 : error->message);
      memset (&probe->layers[0], 0, sizeof probe->layers[0]);
      return FALSE;
    }
  memcpy (w->shape, probe->layers[0].out_shape, sizeof w->shape);
  l->stride_y = probe->layers[0].stride_y;
  l->stride_x = probe->layers[0].stride_x;
  /* The probe borrowed the tensors. */
  memset (&probe->layers[0], 0, sizeof probe->layers[0]);
  return TRUE;
}

static void
add_weight (Walk            *w,
            const SqNirNode *n)
{
  const SqTensor *weight = _sq_nir_node_tensor (n, "weight");
  const SqTensor *bias = _sq_nir_node_tensor (n, "bias");
  SqFxpLayer *l;

  if (weight == NULL)
    {
      problem (w, _("%s: no weight"), n->path);
      return;
    }
  l = new_layer (w, n->type == SQ_NIR_CONV2D ? SQ_FXP_OP_CONV2D : SQ_FXP_OP_LINEAR);
  sq_tensor_copy (&l->weight, weight, NULL);
  if (n->type != SQ_NIR_CONV2D && weight->rank > 2)
    {
      gsize rows = weight->shape[weight->rank - 2], cols = weight->shape[weight->rank - 1];
      gsize lead = weight->n / MAX (rows * cols, 1);

      if (lead != 1)
        {
          problem (w, _("%s: a weight with batch dimensions"), n->path);
          return;
        }
      l->weight.shape[0] = rows;
      l->weight.shape[1] = cols;
      l->weight.rank = 2;
    }
  if (bias != NULL)
    {
      sq_tensor_copy (&l->bias, bias, NULL);
      l->bias.rank = 1;
      l->bias.shape[0] = bias->n;
    }
  if (n->type == SQ_NIR_CONV2D)
    {
      gsize stride[2], pad[2], dil[2];
      const SqTensor *groups = _sq_nir_node_tensor (n, "groups");

      if (!_sq_nir_node_pair (n, "stride", 1, 1, stride) ||
          !_sq_nir_node_pair (n, "padding", 0, 0, pad) ||
          !_sq_nir_node_pair (n, "dilation", 1, 1, dil) || dil[0] != 1 || dil[1] != 1 ||
          (groups != NULL && (groups->n != 1 || _sq_differ (groups->data[0], 1))))
        {
          problem (w, _("%s: only whole-number strides and paddings, no dilation, no groups "
                        "(padding \"same\" is not supported)"), n->path);
          return;
        }
      l->stride_y = (guint) stride[0];
      l->stride_x = (guint) stride[1];
      l->pad_y = (guint) pad[0];
      l->pad_x = (guint) pad[1];
    }
  advance_shape (w, n);
}

static void
add_pool (Walk            *w,
          const SqNirNode *n)
{
  gsize k[2], s[2], p[2];
  SqFxpLayer *l;

  if (!_sq_nir_node_pair (n, "kernel_size", 1, 1, k) ||
      !_sq_nir_node_pair (n, "stride", k[0], 1, s) ||
      !_sq_nir_node_pair (n, "padding", 0, 0, p) || p[0] != 0 || p[1] != 0)
    {
      problem (w, _("%s: pooling with whole-number windows and strides and no padding only"),
               n->path);
      return;
    }
  l = new_layer (w, n->type == SQ_NIR_AVG_POOL2D ? SQ_FXP_OP_AVGPOOL : SQ_FXP_OP_SUMPOOL);
  l->kernel_y = (guint) k[0];
  l->kernel_x = (guint) k[1];
  l->stride_y = (guint) s[0];
  l->stride_x = (guint) s[1];
  advance_shape (w, n);
}

/* Value @i of a neuron parameter: one for all, or one per neuron; absent is @fallback. */
static gboolean
param_at (const SqNirNode *n,
          const char      *name,
          gsize            count,
          gsize            i,
          double           fallback,
          double          *out)
{
  const SqTensor *t = _sq_nir_node_tensor (n, name);

  if (t == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (t->n != 1 && t->n != count)
    return FALSE;
  *out = t->data[t->n == 1 ? 0 : i];
  return isfinite (*out);
}

/* One value for the whole population, or a problem. */
static gboolean
uniform (Walk            *w,
         const SqNirNode *n,
         const char      *name,
         gsize            count,
         double           fallback,
         double          *out)
{
  double first, v = 0;

  if (!param_at (n, name, count, 0, fallback, &first))
    {
      problem (w, _("%s: %s has the wrong number of values for %zu neurons, or one that is not "
                    "finite"), n->path, name, count);
      return FALSE;
    }
  for (gsize i = 1; i < count; i++)
    if (!param_at (n, name, count, i, fallback, &v) || _sq_differ (v, first))
      {
        problem (w, _("%s: %s differs across neurons (%g and %g): a fixed-point layer has one"),
                 n->path, name, first, v);
        return FALSE;
      }
  *out = first;
  return TRUE;
}

/* The per-neuron gain into the rows and the offset into the bias of @l. */
static gboolean
fold (Walk            *w,
      const SqNirNode *n,
      SqFxpLayer      *l,
      gsize            count,
      gboolean         cuba,
      double           v_r)
{
  gboolean weighted = l->op == SQ_FXP_OP_LINEAR || l->op == SQ_FXP_OP_CONV2D;
  gsize F = weighted ? l->weight.shape[0] : count, per = count / MAX (F, 1);
  gsize k = weighted ? l->weight.n / F : 0;
  gboolean any_offset = FALSE;

  for (gsize f = 0; f < F; f++)
    {
      double gain = 0, offset = 0;

      for (gsize i = 0; i < per; i++)
        {
          double r, w_in, leak, g, o;

          if (!param_at (n, "r", count, f * per + i, 1.0, &r) ||
              !param_at (n, "w_in", count, f * per + i, 1.0, &w_in) ||
              !param_at (n, "v_leak", count, f * per + i, 0.0, &leak))
            {
              problem (w, _("%s: r, w_in or v_leak has the wrong number of values for %zu "
                            "neurons, or one that is not finite"), n->path, count);
              return FALSE;
            }
          g = cuba ? r * w_in : r;
          o = n->type == SQ_NIR_IF ? 0 : leak - v_r;
          if (i == 0)
            gain = g, offset = o;
          else if (_sq_differ (g, gain) || _sq_differ (o, offset))
            {
              problem (w, _("%s: r, w_in or v_leak differ within channel %zu: a convolution "
                            "scales a channel as one"), n->path, f);
              return FALSE;
            }
        }
      if (!weighted)
        {
          if (_sq_differ (gain, 1) || _sq_differ (offset, 0))
            {
              problem (w, _("%s: r, w_in and v_leak must be 1, 1 and 0 after a layer without "
                            "weights"), n->path);
              return FALSE;
            }
          continue;
        }
      for (gsize i = 0; i < k; i++)
        l->weight.data[f * k + i] *= gain;
      for (gsize i = 0; sq_tensor_is_present (&l->recurrent) && i < F; i++)
        l->recurrent.data[f * F + i] *= gain;
      if (sq_tensor_is_present (&l->bias))
        l->bias.data[f] *= gain;
      if (_sq_differ (offset, 0))
        {
          if (!sq_tensor_is_present (&l->bias))
            {
              g_assert_true (sq_tensor_init (&l->bias, 1, &F, NULL));
              memset (l->bias.data, 0, F * sizeof (double));
            }
          l->bias.data[f] += offset;
          any_offset = TRUE;
        }
    }
  if (any_offset && cuba)
    g_ptr_array_add (w->notes, g_strdup_printf (
      _("%s: v_leak joins the bias before the synapse: exact once the synaptic current has "
        "settled"), n->path));
  return TRUE;
}

static void
add_neuron (Walk            *w,
            const SqNirNode *n,
            const SqNirNode *rec)
{
  double dt = w->opts->dt, theta, v_r = 0, tau = 0, tau_syn = 0;
  gsize count = sq_fxp_shape_size (w->shape);
  gboolean hard = w->opts->reset == SQ_NIR_RESET_ZERO, cuba = n->type == SQ_NIR_CUBA_LIF;
  SqFxpLayer *l;

  if (w->layers->len == 0 ||
      g_array_index (w->layers, SqFxpLayer, w->layers->len - 1).neuron.type != SQ_FXP_NEURON_NONE)
    {
      /* Neurons straight after the input or after other neurons: an identity layer. */
      if (w->shape[1] * w->shape[2] > 1)
        {
          problem (w, _("%s: neurons without a layer before them on a map"), n->path);
          return;
        }
      new_layer (w, SQ_FXP_OP_FLATTEN);
    }
  l = &g_array_index (w->layers, SqFxpLayer, w->layers->len - 1);
  if (!uniform (w, n, "v_threshold", count, NAN, &theta) ||
      !uniform (w, n, "v_reset", count, 0.0, &v_r) ||
      (n->type == SQ_NIR_LIF && !uniform (w, n, "tau", count, NAN, &tau)) ||
      (cuba && (!uniform (w, n, "tau_mem", count, NAN, &tau) ||
                !uniform (w, n, "tau_syn", count, NAN, &tau_syn))))
    return;
  if (!(theta > 0))
    {
      problem (w, _("%s: v_threshold is %g, expected a value above 0"), n->path, theta);
      return;
    }
  for (guint k = 0; k < 2; k++)
    {
      double t = k == 0 ? tau : tau_syn;

      if ((k == 0 && n->type == SQ_NIR_IF) || (k == 1 && !cuba))
        continue;
      /* float32 time constants are a few ulps off dt's multiples: τ = dt stays one step. */
      if (!(t / dt >= 1 - 1e-6) || !isfinite (t / dt))
        {
          problem (w, _("%s: %s/dt is %g: a time constant shorter than one step (dt %g s) "
                        "does not discretise"), n->path, k == 0 ? (cuba ? "tau_mem" : "tau")
                   : "tau_syn", t / dt, dt);
          return;
        }
    }
  if (rec != NULL)
    {
      const SqTensor *rw = _sq_nir_node_tensor (rec, "weight");
      const SqTensor *rb = _sq_nir_node_tensor (rec, "bias");

      if (l->op != SQ_FXP_OP_LINEAR || rw == NULL || rw->n != count * count)
        {
          problem (w, _("%s: a recurrent weight must be (%zu, %zu) into a population after a "
                        "linear layer"), rec->path, count, count);
          return;
        }
      sq_tensor_copy (&l->recurrent, rw, NULL);
      l->recurrent.rank = 2;
      l->recurrent.shape[0] = l->recurrent.shape[1] = count;
      if (rb != NULL && rb->n == count)
        {
          if (!sq_tensor_is_present (&l->bias))
            {
              g_assert_true (sq_tensor_init (&l->bias, 1, &count, NULL));
              memset (l->bias.data, 0, count * sizeof (double));
            }
          for (gsize j = 0; j < count; j++)
            l->bias.data[j] += rb->data[j];
        }
    }
  if (!fold (w, n, l, count, cuba, hard ? v_r : 0))
    return;
  l->neuron.type = n->type == SQ_NIR_IF ? SQ_FXP_NEURON_IF : SQ_FXP_NEURON_LIF;
  l->neuron.v_threshold = theta;
  l->neuron.soft_reset = !hard;
  l->neuron.v_reset = hard ? v_r : 0;
  l->neuron.decay_input = TRUE;
  l->neuron.tau = n->type == SQ_NIR_IF ? 2 : MAX (tau / dt, 1);
  l->neuron.tau_syn = cuba ? MAX (tau_syn / dt, 1) : 0;
  if (n->type == SQ_NIR_IF)
    g_ptr_array_add (w->notes, g_strdup_printf (_("%s: IF adds r·x every step, as sinabs steps "
                                                  "it (dt does not enter)"), n->path));
  if (!hard && _sq_differ (v_r, 0))
    g_ptr_array_add (w->notes, g_strdup_printf (_("%s: v_reset %g left out: the reset "
                                                  "subtracts the threshold"), n->path, v_r));
}

/* A weight node of @n's successors that feeds only @n back. */
static const SqNirNode *
recurrent_of (const Walk *w,
              guint       n,
              guint      *index)
{
  GArray *succ = flat_at (w, n)->succ;

  for (guint k = 0; k < succ->len; k++)
    {
      guint s = g_array_index (succ, guint, k);
      const SqNirFlatNode *f = flat_at (w, s);

      if (is_weight (f->node->type) && f->succ->len == 1 &&
          g_array_index (f->succ, guint, 0) == n)
        {
          *index = s;
          return f->node;
        }
    }
  return NULL;
}

static void
layer_clear (gpointer p)
{
  SqFxpLayer *l = p;

  sq_tensor_clear (&l->weight);
  sq_tensor_clear (&l->bias);
  sq_tensor_clear (&l->recurrent);
}

/**
 * sq_nir_map_to_fxp:
 * @options: dt (NIR stores none) and the reset the network was trained with
 * @notes: (out) (optional) (element-type utf8): what the mapping approximated or left out
 *
 * Maps a checked NIR graph that is a chain from its Input to its Output (see the file's
 * comment).
 *
 * Returns: (transfer full): the float network, or %NULL with %SQ_NIR_ERROR_UNMAPPABLE and
 *   every reason
 */
SqFxpNet *
sq_nir_map_to_fxp (const SqNirGraph      *graph,
                   const SqNirMapOptions *options,
                   GPtrArray            **notes,
                   GError               **error)
{
  g_autoptr(GArray) flat = _sq_nir_flatten (graph);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) my_notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) layers = g_array_new (FALSE, TRUE, sizeof (SqFxpLayer));
  g_autoptr(SqFxpNet) net = NULL;
  Walk w = { options, flat, problems, my_notes, layers, { 1, 1, 1 } };
  const SqNirFlatNode *input = NULL;
  guint n_inputs = 0, at = 0, rank = 1, steps = 0;

  g_return_val_if_fail (graph != NULL && options != NULL, NULL);

  g_array_set_clear_func (layers, layer_clear);
  if (!(isfinite (options->dt) && options->dt > 0))
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE,
                   _("%s: dt is %g, expected a positive time step in seconds (NIR stores none: "
                     "give it with --dt)"), graph->source, options->dt);
      return NULL;
    }
  for (guint i = 0; i < flat->len; i++)
    if (flat_at (&w, i)->top && flat_at (&w, i)->node->type == SQ_NIR_INPUT)
      {
        n_inputs++;
        input = flat_at (&w, i);
        at = i;
      }
  if (n_inputs != 1)
    problem (&w, _("the graph has %u Input nodes at the top level; a layer stack takes one"),
             n_inputs);
  else if (input->node->out_rank != 3 && input->node->out_rank != 1)
    problem (&w, _("%s: the input must be (C, H, W) or (N,)"), input->node->path);
  else
    {
      rank = input->node->out_rank;
      w.shape[0] = input->node->out_shape[0];
      w.shape[1] = rank == 3 ? input->node->out_shape[1] : 1;
      w.shape[2] = rank == 3 ? input->node->out_shape[2] : 1;
      while (problems->len == 0)
        {
          const SqNirFlatNode *f = flat_at (&w, at);
          guint rec_index = G_MAXUINT, next = G_MAXUINT;

          /* A neuron's own recurrent weight is part of its layer, not the next step. */
          if (is_neuron (f->node->type))
            (void) recurrent_of (&w, at, &rec_index);

          if (f->top && f->node->type == SQ_NIR_OUTPUT)
            break;
          for (guint k = 0; k < f->succ->len; k++)
            {
              guint s = g_array_index (f->succ, guint, k);

              if (s == rec_index)
                continue;
              if (next != G_MAXUINT || steps++ > flat->len)
                {
                  problem (&w, _("%s: the network branches here; a layer stack is a chain"),
                           f->node->path);
                  break;
                }
              next = s;
            }
          if (problems->len > 0)
            break;
          if (next == G_MAXUINT)
            {
              problem (&w, _("%s: the chain ends before the Output"), f->node->path);
              break;
            }
          at = next;
          f = flat_at (&w, at);
          switch (f->node->type)
            {
            case SQ_NIR_INPUT:
            case SQ_NIR_OUTPUT:
              break;   /* a subgraph's boundary, or the end */
            case SQ_NIR_AFFINE:
            case SQ_NIR_LINEAR:
            case SQ_NIR_CONV2D:
              add_weight (&w, f->node);
              break;
            case SQ_NIR_FLATTEN:
              new_layer (&w, SQ_FXP_OP_FLATTEN);
              advance_shape (&w, f->node);
              break;
            case SQ_NIR_SUM_POOL2D:
            case SQ_NIR_AVG_POOL2D:
              add_pool (&w, f->node);
              break;
            case SQ_NIR_IF:
            case SQ_NIR_LIF:
            case SQ_NIR_CUBA_LIF:
              {
                guint rec_at = G_MAXUINT;

                add_neuron (&w, f->node, recurrent_of (&w, at, &rec_at));
                break;
              }
            default:
              problem (&w, _("%s (%s): a fixed-point layer stack has no such node"),
                       f->node->path, sq_nir_type_name (f->node->type));
              break;
            }
        }
      if (problems->len == 0 && layers->len == 0)
        problem (&w, _("no layer between the Input and the Output"));
    }
  if (problems->len > 0)
    {
      g_autoptr(GString) msg = g_string_new (NULL);

      g_string_printf (msg, _("%s: cannot map to a fixed-point network:"), graph->source);
      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (msg, "\n  %s", (const char *) g_ptr_array_index (problems, i));
      g_set_error_literal (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE, msg->str);
      return NULL;
    }
  {
    const gsize in[3] = { input->node->out_shape[0],
                          rank == 3 ? input->node->out_shape[1] : 1,
                          rank == 3 ? input->node->out_shape[2] : 1 };

    net = sq_fxp_net_new (graph->source, rank, in, 0);
  }
  g_free (net->layers);
  g_array_set_clear_func (layers, NULL);
  net->n_layers = layers->len;
  net->layers = (SqFxpLayer *) (void *) g_array_free (g_steal_pointer (&layers), FALSE);
  if (!sq_fxp_net_validate (net, error))
    return NULL;
  g_ptr_array_add (my_notes, g_strdup_printf (
    _("%u layers; dt %g s; reset %s"), net->n_layers, options->dt,
    options->reset == SQ_NIR_RESET_ZERO ? _("to v_reset") : _("by subtracting the threshold")));
  if (notes != NULL)
    *notes = g_steal_pointer (&my_notes);
  return g_steal_pointer (&net);
}
