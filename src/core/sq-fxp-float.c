/* sq-fxp-float.c: the float model of a fixed-point network, and the run both simulators fill
 *
 * SpikingJelly's discrete neurons in double (research/sinabs_qualia.md B.2), in the same
 * channels-last layout and loop order as the integer core, so the two compare value by value.
 * It also calibrates the quantizer: the largest activation and membrane of every layer, and,
 * given the formats, their error figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-fxp-private.h"
#include "sq-private.h"

static const char *const event_names[SQ_FXP_N_EVENTS] = {
  "input", "acc", "act", "neuron", "v", "output",
};

const char *
sq_fxp_event_name (SqFxpEvent event)
{
  return (guint) event < SQ_FXP_N_EVENTS ? event_names[event] : "?";
}

void
sq_fxp_run_clear (SqFxpRun *run)
{
  for (guint i = 0; i < run->n_layers; i++)
    {
      if (run->v)
        g_free (run->v[i]);
      if (run->syn)
        g_free (run->syn[i]);
    }
  g_free (run->v);
  g_free (run->syn);
  g_free (run->n_v);
  g_free (run->out);
  g_free (run->spikes);
  g_free (run->events);
  g_free (run->act_max);
  g_free (run->v_max);
  memset (run, 0, sizeof *run);
}

/* Every wrap and saturation of a layer, narrowing included. */
guint64
sq_fxp_run_overflows (const SqFxpRun *run,
                      guint           layer)
{
  guint64 n = 0;

  for (guint e = 0; e < SQ_FXP_N_EVENTS; e++)
    n += run->events[layer][e];
  return n;
}

gboolean
_sq_fxp_check_input (const SqFxpNet *net,
                     const SqTensor *input,
                     guint          *n_steps,
                     GError        **error)
{
  gboolean ok = FALSE;

  if (input->rank == 4)
    ok = input->shape[1] == net->input_shape[0] && input->shape[2] == net->input_shape[1] &&
         input->shape[3] == net->input_shape[2];
  else if (input->rank == 2)
    ok = input->shape[1] == sq_fxp_shape_size (net->input_shape);
  if (!ok || input->shape[0] == 0 || input->shape[0] > G_MAXUINT)
    {
      g_autofree char *have = sq_tensor_shape_string (input);
      g_autofree char *want = sq_shape_to_string (3, net->input_shape);

      g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_INPUT,
                   _("%s: the input has shape %s: expected (T, %zu) or (T,) + %s with T ≥ 1"),
                   net->source, have, sq_fxp_shape_size (net->input_shape), want);
      return FALSE;
    }
  for (gsize i = 0; i < input->n; i++)
    if (!isfinite (input->data[i]))
      {
        g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_INPUT,
                     _("%s: input value %zu is not finite"), net->source, i);
        return FALSE;
      }
  *n_steps = (guint) input->shape[0];
  return TRUE;
}

/* The raster holds (C, H, W) per step, as NIR and PyTorch do; the core reads (H, W, C). */
void
_sq_fxp_input_step (const SqFxpNet *net,
                    const SqTensor *input,
                    guint           t,
                    double         *out)
{
  gsize C = net->input_shape[0], HW = net->input_shape[1] * net->input_shape[2];
  const double *x = input->data + (gsize) t * C * HW;

  for (gsize c = 0; c < C; c++)
    for (gsize hw = 0; hw < HW; hw++)
      out[hw * C + c] = x[c * HW + hw];
}

void
_sq_fxp_run_alloc (SqFxpRun       *run,
                   const SqFxpNet *net,
                   guint           n_steps)
{
  const SqFxpLayer *last = &net->layers[net->n_layers - 1];

  memset (run, 0, sizeof *run);
  run->n_steps = n_steps;
  run->n_out = sq_fxp_shape_size (last->out_shape);
  run->out = g_new0 (double, (gsize) n_steps * run->n_out);
  run->n_layers = net->n_layers;
  run->v = g_new0 (double *, net->n_layers);
  run->syn = g_new0 (double *, net->n_layers);
  run->n_v = g_new0 (gsize, net->n_layers);
  run->spikes = g_new0 (guint64, net->n_layers);
  run->events = g_malloc0_n (net->n_layers, sizeof *run->events);
  run->act_max = g_new0 (double, net->n_layers);
  run->v_max = g_new0 (double, net->n_layers);
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];

      if (l->neuron.type == SQ_FXP_NEURON_NONE)
        continue;
      run->n_v[i] = sq_fxp_shape_size (l->out_shape);
      run->v[i] = g_new0 (double, run->n_v[i]);
      if (_sq_differ (l->neuron.tau_syn, 0))
        run->syn[i] = g_new0 (double, run->n_v[i]);
    }
}

/* Public for the kind and tests: the float model on its own. */
gboolean
sq_fxp_run_float (const SqFxpNet *net,
                  const SqTensor *input,
                  GCancellable   *cancellable,
                  SqFxpRun       *run,
                  GError        **error)
{
  SqFxpPrep *prep = _sq_fxp_prep_new (net, error);
  gboolean ok;

  if (prep == NULL)
    return FALSE;
  ok = _sq_fxp_float_run (net, prep, input, NULL, NULL, cancellable, run, error);
  _sq_fxp_prep_free (prep);
  return ok;
}

static void
op_float (const SqFxpLayer     *l,
          const SqFxpPrepLayer *p,
          const double         *x,
          const double         *s_prev,
          double               *y)
{
  gsize C = l->in_shape[0], H = l->in_shape[1], W = l->in_shape[2];
  gsize F = l->out_shape[0], OH = l->out_shape[1], OW = l->out_shape[2];

  switch (l->op)
    {
    case SQ_FXP_OP_LINEAR:
      for (gsize j = 0; j < F; j++)
        {
          double s = 0;
          const double *w = p->w + j * p->n_in;

          for (gsize i = 0; i < p->n_in; i++)
            s += w[i] * x[i];
          for (gsize k = 0; p->rec && k < F; k++)
            s += p->rec[j * F + k] * s_prev[k];
          y[j] = p->b ? s + p->b[j] : s;
        }
      break;
    case SQ_FXP_OP_CONV2D:
      {
        gsize KY = l->weight.shape[2], KX = l->weight.shape[3];

        for (gsize oy = 0; oy < OH; oy++)
          for (gsize ox = 0; ox < OW; ox++)
            for (gsize f = 0; f < F; f++)
              {
                double s = 0;

                for (gsize ky = 0; ky < KY; ky++)
                  {
                    gssize iy = (gssize) (oy * l->stride_y + ky) - (gssize) l->pad_y;

                    if (iy < 0 || iy >= (gssize) H)
                      continue;
                    for (gsize kx = 0; kx < KX; kx++)
                      {
                        gssize ix = (gssize) (ox * l->stride_x + kx) - (gssize) l->pad_x;
                        const double *xp, *wp;

                        if (ix < 0 || ix >= (gssize) W)
                          continue;
                        xp = x + ((gsize) iy * W + (gsize) ix) * C;
                        wp = p->w + ((f * KY + ky) * KX + kx) * C;
                        for (gsize c = 0; c < C; c++)
                          s += wp[c] * xp[c];
                      }
                  }
                y[(oy * OW + ox) * F + f] = p->b ? s + p->b[f] : s;
              }
        break;
      }
    case SQ_FXP_OP_SUMPOOL:
    case SQ_FXP_OP_AVGPOOL:
      for (gsize oy = 0; oy < OH; oy++)
        for (gsize ox = 0; ox < OW; ox++)
          for (gsize c = 0; c < C; c++)
            {
              double s = 0;

              for (gsize ky = 0; ky < l->kernel_y; ky++)
                for (gsize kx = 0; kx < l->kernel_x; kx++)
                  s += x[((oy * l->stride_y + ky) * W + ox * l->stride_x + kx) * C + c];
              y[(oy * OW + ox) * C + c] = l->op == SQ_FXP_OP_AVGPOOL
                                          ? s / (double) (l->kernel_y * l->kernel_x) : s;
            }
      break;
    case SQ_FXP_OP_FLATTEN:
    default:
      memcpy (y, x, p->n_in * sizeof (double));
      break;
    }
}

/* One neuron for one step: SpikingJelly's charge, fire, reset. Returns the output. */
static double
neuron_float (const SqFxpNeuron *n,
              double             x,
              double            *v,
              double            *syn)
{
  double vr = n->soft_reset ? 0 : n->v_reset, h;

  if (syn != NULL)
    {
      *syn += (x - *syn) / n->tau_syn;
      x = *syn;
    }
  if (n->type == SQ_FXP_NEURON_LIF)
    h = n->decay_input ? *v + (x - (*v - vr)) / n->tau : *v - (*v - vr) / n->tau + x;
  else
    h = *v + x;
  if (h - n->v_threshold >= 0)
    {
      *v = n->soft_reset ? h - n->v_threshold : vr;
      return n->type == SQ_FXP_NEURON_ATIF ? n->v_threshold : 1.0;
    }
  *v = h;
  return 0.0;
}

gboolean
_sq_fxp_float_run (const SqFxpNet  *net,
                   const SqFxpPrep *prep,
                   const SqTensor  *input,
                   SqFxpQNet       *figures,
                   SqFxpFigureSums (*sums)[SQ_FXP_N_TENSORS],
                   GCancellable    *cancellable,
                   SqFxpRun        *run,
                   GError         **error)
{
  g_autofree double **act = g_new0 (double *, net->n_layers);
  g_autofree double **out = g_new0 (double *, net->n_layers);
  g_autofree double *in = NULL;
  gsize n_in = sq_fxp_shape_size (net->input_shape);
  gboolean ok = TRUE;
  guint n_steps;

  if (!_sq_fxp_check_input (net, input, &n_steps, error))
    return FALSE;
  _sq_fxp_run_alloc (run, net, n_steps);
  in = g_new (double, n_in);
  for (guint i = 0; i < net->n_layers; i++)
    {
      act[i] = g_new0 (double, prep->layers[i].n_out);
      out[i] = g_new0 (double, prep->layers[i].n_out);
    }
  for (guint t = 0; t < n_steps && ok; t++)
    {
      const double *x = in;

      if ((t & 255) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_CANCELLED, _("cancelled"));
          ok = FALSE;
          break;
        }
      _sq_fxp_input_step (net, input, t, in);
      for (gsize k = 0; k < n_in; k++)
        {
          run->in_max = MAX (run->in_max, fabs (in[k]));
          if (figures)
            _sq_fxp_figure_add (&figures->layers[0].fmt[SQ_FXP_INPUT], &sums[0][SQ_FXP_INPUT],
                                figures->layers[0].bits, figures->settings.round, in[k]);
        }
      for (guint i = 0; i < net->n_layers; i++)
        {
          const SqFxpLayer *l = &net->layers[i];
          const SqFxpPrepLayer *p = &prep->layers[i];
          SqFxpQLayer *ql = figures ? &figures->layers[i] : NULL;

          op_float (l, p, x, out[i], act[i]);
          for (gsize j = 0; j < p->n_out; j++)
            {
              run->act_max[i] = MAX (run->act_max[i], fabs (act[i][j]));
              if (ql && l->op != SQ_FXP_OP_FLATTEN)
                _sq_fxp_figure_add (&ql->fmt[SQ_FXP_ACT], &sums[i][SQ_FXP_ACT], ql->bits,
                                    figures->settings.round, act[i][j]);
            }
          if (l->neuron.type == SQ_FXP_NEURON_NONE)
            memcpy (out[i], act[i], p->n_out * sizeof (double));
          else
            for (gsize j = 0; j < p->n_out; j++)
              {
                double *syn = run->syn[i] ? &run->syn[i][j] : NULL;

                out[i][j] = neuron_float (&l->neuron, act[i][j], &run->v[i][j], syn);
                run->spikes[i] += _sq_differ (out[i][j], 0);
                run->v_max[i] = MAX (run->v_max[i], fabs (run->v[i][j]));
                if (syn)
                  run->v_max[i] = MAX (run->v_max[i], fabs (*syn));
                if (ql)
                  {
                    _sq_fxp_figure_add (&ql->fmt[SQ_FXP_V], &sums[i][SQ_FXP_V], ql->bits,
                                        figures->settings.round, run->v[i][j]);
                    if (syn)
                      _sq_fxp_figure_add (&ql->fmt[SQ_FXP_V], &sums[i][SQ_FXP_V], ql->bits,
                                          figures->settings.round, *syn);
                  }
              }
          x = out[i];
        }
      memcpy (run->out + (gsize) t * run->n_out, x, run->n_out * sizeof (double));
    }
  for (guint i = 0; i < net->n_layers; i++)
    {
      g_free (act[i]);
      g_free (out[i]);
    }
  if (!ok)
    sq_fxp_run_clear (run);
  return ok;
}
