/* sq-dynapcnn-float.c: the float model of a DynapCNN network in time steps, as sinabs
 * simulates the trained network before discretization
 *
 * Per step and layer (sinabs_qualia.md A.3): v += conv(input counts) + bias; n = ⌊v/θ⌋
 * spikes for v > 0 (multi) or [v ≥ θ] (single); v −= n·θ (or v = 0 where n > 0); then
 * v = max(v, θ_low) when the membrane has a lower bound. The pooled spike counts are the next
 * layer's input, as in the integer core (sq-dynapcnn-iaf.c), so the two runs compare step by
 * step. Doubles throughout: it is the reference the integers are measured against.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"

typedef struct {
  const SqDynapcnnNetLayer      *layer;
  const SqDynapcnnLayerGeometry *g;
  double *v;       /* [f][y][x] */
  double *spikes;  /* this step's, [f][y][x] */
  double *out;     /* pooled */
} Stage;

static void
stage_step (Stage        *s,
            const double *in)
{
  const SqDynapcnnNetLayer *l = s->layer;
  const SqDynapcnnLayerParams *p = &l->params;
  const SqTensor *w = &p->weight;
  gsize F = s->g->conv[0], H = s->g->conv[1], W = s->g->conv[2];
  gsize C = s->g->in[0], IH = s->g->in[1], IW = s->g->in[2];
  gsize kh = w->shape[2], kw = w->shape[3], P = l->pool;
  gsize PH = s->g->pooled[1], PW = s->g->pooled[2];
  double theta = p->spike_threshold;

  for (gsize f = 0; f < F; f++)
    {
      double bias = sq_tensor_is_present (&p->bias) ? p->bias.data[f] : 0.0;

      for (gsize i = f * H * W; i < (f + 1) * H * W; i++)
        s->v[i] += bias;
    }
  /* Scatter each non-zero count into the outputs whose receptive field holds it. */
  for (gsize c = 0; c < C; c++)
    for (gsize y = 0; y < IH; y++)
      for (gsize x = 0; x < IW; x++)
        {
          double k = in[(c * IH + y) * IW + x];

          if (!(k > 0))
            continue;
          for (gsize ky = 0; ky < kh; ky++)
            {
              gint64 ty = (gint64) y + l->pad_y - (gint64) ky;
              gsize oy;

              if (ty < 0 || ty % l->stride_y != 0 || (oy = (gsize) ty / l->stride_y) >= H)
                continue;
              for (gsize kx = 0; kx < kw; kx++)
                {
                  gint64 tx = (gint64) x + l->pad_x - (gint64) kx;
                  gsize ox;

                  if (tx < 0 || tx % l->stride_x != 0 || (ox = (gsize) tx / l->stride_x) >= W)
                    continue;
                  for (gsize f = 0; f < F; f++)
                    s->v[(f * H + oy) * W + ox] += k * w->data[((f * C + c) * kh + ky) * kw + kx];
                }
            }
        }
  for (gsize i = 0; i < F * H * W; i++)
    {
      double v = s->v[i], n;

      if (l->single_spike)
        n = v >= theta ? 1.0 : 0.0;
      else
        n = v > 0 ? floor (v / theta) : 0.0;
      if (n > 0)
        v = l->reset_zero ? 0.0 : v - n * theta;
      if (p->has_min_v_mem && v < p->min_v_mem)
        v = p->min_v_mem;
      s->v[i] = v;
      s->spikes[i] = n;
    }
  for (gsize f = 0; f < F; f++)
    for (gsize py = 0; py < PH; py++)
      for (gsize px = 0; px < PW; px++)
        {
          double sum = 0;

          for (gsize dy = 0; dy < P; dy++)
            for (gsize dx = 0; dx < P; dx++)
              sum += s->spikes[(f * H + py * P + dy) * W + px * P + dx];
          s->out[(f * PH + py) * PW + px] = sum;
        }
}

static gboolean
record_init (SqTensor    *t,
             gsize        steps,
             const gsize  shape[3],
             GError     **error)
{
  gsize full[4] = { steps, shape[0], shape[1], shape[2] };

  return sq_tensor_init (t, 4, full, error);
}

static void
record_step (SqTensor     *t,
             gsize         step,
             const double *values)
{
  gsize per = t->n / t->shape[0];

  memcpy (t->data + step * per, values, per * sizeof (double));
}

/**
 * sq_dynapcnn_net_run_float:
 * @net: a float (or integer) network with an input shape
 * @input: spike counts (T, C, H, W)
 * @record_all: also record every layer's spikes and membrane
 * @run: (out caller-allocates): cleared with sq_iaf_run_clear(); its @n_saturated are 0
 *
 * Runs the float model of @net on @input: the step-mode equations of the integer core on
 * real numbers, without saturation.
 */
gboolean
sq_dynapcnn_net_run_float (const SqDynapcnnNet *net,
                           const SqTensor      *input,
                           gboolean             record_all,
                           GCancellable        *cancellable,
                           SqIafRun            *run,
                           GError             **error)
{
  g_autofree SqDynapcnnLayerGeometry *geometry = NULL;
  g_autofree Stage *stages = NULL;
  gsize T;
  gboolean ok = FALSE;

  g_return_val_if_fail (run != NULL, FALSE);
  *run = (SqIafRun) { 0, };
  geometry = g_new0 (SqDynapcnnLayerGeometry, net->n_layers);
  if (!sq_dynapcnn_net_geometry (net, geometry, NULL))
    {
      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("%s: the network has no input_shape: give one to simulate it"),
                   net->source);
      return FALSE;
    }
  if (!sq_tensor_is_present (input) || input->rank != 4 || input->shape[0] == 0 ||
      memcmp (input->shape + 1, net->input_shape, sizeof net->input_shape) != 0)
    {
      g_autofree char *want = sq_shape_to_string (3, net->input_shape);

      g_set_error (error, SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                   _("the input must be (T, C, H, W) event counts with (C, H, W) = %s"), want);
      return FALSE;
    }
  T = input->shape[0];
  run->n_layers = net->n_layers;
  run->spikes = g_new0 (SqTensor, net->n_layers);
  run->v_mem = g_new0 (SqTensor, net->n_layers);
  run->n_saturated = g_new0 (guint64, net->n_layers);
  run->n_spikes = g_new0 (guint64, net->n_layers);
  stages = g_new0 (Stage, net->n_layers);
  if (!record_init (&run->spikes_out, T, geometry[net->n_layers - 1].pooled, error))
    goto out;
  for (guint i = 0; record_all && i < net->n_layers; i++)
    if (!record_init (&run->spikes[i], T, geometry[i].conv, error) ||
        !record_init (&run->v_mem[i], T, geometry[i].conv, error))
      goto out;
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqTensor *v0 = &net->layers[i].params.v_mem;
      const gsize *conv = geometry[i].conv, *pooled = geometry[i].pooled;
      gsize n = conv[0] * conv[1] * conv[2];

      stages[i].layer = &net->layers[i];
      stages[i].g = &geometry[i];
      stages[i].v = sq_tensor_is_present (v0) ? g_memdup2 (v0->data, n * sizeof (double))
                                              : g_new0 (double, n);
      stages[i].spikes = g_new0 (double, n);
      stages[i].out = g_new0 (double, pooled[0] * pooled[1] * pooled[2]);
    }

  for (gsize t = 0; t < T; t++)
    {
      const double *in = input->data + t * (input->n / T);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      for (guint i = 0; i < net->n_layers; i++)
        {
          const gsize *conv = geometry[i].conv;

          stage_step (&stages[i], in);
          /* A runaway float neuron (θ tiny against v) may count beyond any integer. */
          for (gsize k = 0; k < conv[0] * conv[1] * conv[2]; k++)
            run->n_spikes[i] += stages[i].spikes[k] < 1e12 ? (guint64) stages[i].spikes[k]
                                                           : (guint64) 1e12;
          if (record_all)
            {
              record_step (&run->spikes[i], t, stages[i].spikes);
              record_step (&run->v_mem[i], t, stages[i].v);
            }
          in = stages[i].out;
        }
      record_step (&run->spikes_out, t, stages[net->n_layers - 1].out);
    }
  ok = TRUE;

out:
  for (guint i = 0; stages != NULL && i < net->n_layers; i++)
    {
      g_free (stages[i].v);
      g_free (stages[i].spikes);
      g_free (stages[i].out);
    }
  if (!ok)
    sq_iaf_run_clear (run);
  return ok;
}
