/* sq-fxp-sim.c: the fixed-point integer core, as the exported C computes it
 *
 * research/sinabs_qualia.md B.3, value for value. Per layer, with n_x, n_w, n_b, n_a, n_v, n_o
 * the fractional bits of its input, weights, bias, activation, membrane and output, a narrow
 * type of b bits and a long type of L bits:
 *
 *   acc = Σ w·x (L);  acc = S(acc, n_w − n_t);  acc += S(b, n_b − n_t − n_x);  n_t = max(n_w, n_b)
 *   a = sat_b(S(acc, n_x + n_t − n_a))
 * and the neuron, with n_t = max(n_v, n_a): V = v≪(n_t−n_v), X = a≪(n_t−n_a), Θ, R alike,
 *   IF  H = V + X;   LIF  H = V + S((X − (V − R))·r, n_v)  or  H = V − S((V − R)·r, n_v) + X
 *   H − Θ ≥ 0: out = sat_b(1≪n_o) (ATIF: θ in Q(n_o)), v = soft ? sat_b(S(H − Θ, n_t − n_v)) : V_r
 *   else:      out = 0, v = sat_b(S(H, n_t − n_v))
 * S(x, k) is x≪−k for k ≤ 0 and ⌊x / 2^k⌋ (floor) or ⌊x / 2^k + 1/2⌋ (nearest, computed as
 * ⌊x/2^(k−1)⌋ − ⌊x/2^k⌋, which needs no addition that could overflow) for k > 0. Every value
 * of the long type goes through fit(): in range it is kept, else it wraps (two's complement,
 * what C on the microcontroller does) or saturates, and the event is counted per layer. The
 * reference generator shifts the LIF product by n_t, right only when n_v ≥ n_a; with
 * compat_qualia so do we. A synapse (CubaLIF) is a leaky integrator before the membrane, its
 * current in the v format: I ← sat_b(S(I' + S((X − I')·r_syn, n_v), n_t − n_v)).
 *
 * Integers are exact in 64 bits throughout: values are at most 32 bits, products at most 48.
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

typedef struct {
  gint64   lo;
  gint64   hi;
  guint    bits;
  gboolean saturate;
} Ty;

static void
ty_init (Ty      *t,
         guint    bits,
         gboolean saturate)
{
  t->bits = bits;
  t->hi = ((gint64) 1 << (bits - 1)) - 1;
  t->lo = -t->hi - 1;
  t->saturate = saturate;
}

/* Two's complement of @x in @t's width. */
static gint64
wrap (const Ty *t,
      guint64   u)
{
  guint64 m = ((guint64) 1 << t->bits) - 1;

  u &= m;
  return (u >> (t->bits - 1)) ? (gint64) u - ((gint64) 1 << t->bits) : (gint64) u;
}

static inline gint64
fit (const Ty *t,
     gint64    x,
     guint64  *count)
{
  if (G_LIKELY (x >= t->lo && x <= t->hi))
    return x;
  (*count)++;
  if (t->saturate)
    return x < t->lo ? t->lo : t->hi;
  return wrap (t, (guint64) x);
}

static inline gint64
floor_shr (gint64 x,
           int    k)
{
  if (k >= 62)
    return x < 0 ? -1 : 0;
  return x >= 0 ? x >> k : -((-(x + 1)) >> k) - 1;
}

/* S(x, k) in type @t (x is in its range). */
static gint64
rescale (const Ty *t,
         gint64    x,
         int       k,
         gboolean  nearest,
         guint64  *count)
{
  if (k > 0)
    return nearest ? floor_shr (x, k - 1) - floor_shr (x, k) : floor_shr (x, k);
  if (k == 0 || x == 0)
    return x;
  k = -k;
  if (k < 62)
    {
      /* x·2^k ≤ hi ⟺ x ≤ ⌊hi/2^k⌋; x·2^k ≥ lo ⟺ x ≥ −⌊−lo/2^k⌋ (lo = −2^(L−1)). */
      if (x <= (t->hi >> k) && x >= -((-t->lo) >> k))
        return x * ((gint64) 1 << k);
    }
  (*count)++;
  if (t->saturate)
    return x < 0 ? t->lo : t->hi;
  return k >= (int) t->bits ? 0 : wrap (t, (guint64) x << k);
}

typedef struct {
  const SqFxpLayer     *l;
  const SqFxpQLayer    *q;
  const SqFxpPrepLayer *p;
  Ty                    lt;
  Ty                    nt;
  gboolean              nearest;
  int                   n_x, n_w, n_t, n_b, n_a, n_v, n_o;
  gboolean              compat;     /* the reference generator's LIF shift */
  gint32               *act;
  gint32               *out;
  gint32               *prev_out;   /* recurrent layers: the output of the step before */
  gint32               *v;
  gint32               *syn;
  guint32              *nz;         /* the indices of the non-zero inputs of a Linear layer */
  gint32               *wt;         /* Linear: the weights transposed, (in, out) */
  gint32               *sums;       /* Linear: the exact sums of the fast path */
  gint64                row_abs;    /* Linear: the largest Σ|w| of a row */
  guint64              *ev;
} ILayer;

/* The sums of a step whose partial sums cannot leave the long type (max |x| · the largest
 * Σ|w| of a row within its range, at most 32 bits): exact in any order and in 32 bits, so the
 * columns of the transposed weights add up contiguously, which the compiler vectorizes. */
static void
linear_exact (ILayer       *L,
              const gint32 *x,
              gsize         nnz)
{
  gsize F = L->p->n_out;
  gint32 *acc = L->sums;

  memset (acc, 0, F * sizeof (gint32));
  for (gsize k = 0; k < nnz; k++)
    {
      const gint32 *w = L->wt + (gsize) L->nz[k] * F;
      gint32 xv = x[L->nz[k]];

      if (xv == 1)
        for (gsize j = 0; j < F; j++)
          acc[j] += w[j];
      else
        for (gsize j = 0; j < F; j++)
          acc[j] += w[j] * xv;
    }
}

static void
op_linear (ILayer       *L,
           const gint32 *x)
{
  gsize n_in = L->p->n_in, F = L->p->n_out, nnz = 0;
  guint64 *ev = &L->ev[SQ_FXP_EVENT_ACC];
  gint64 x_max = 0;
  gboolean exact;

  /* Adding w·0 leaves any sum as it is, so the zeros of a spike raster are skipped. */
  for (gsize i = 0; i < n_in; i++)
    if (x[i] != 0)
      {
        L->nz[nnz++] = (guint32) i;
        x_max = MAX (x_max, ABS ((gint64) x[i]));
      }
  exact = x_max * L->row_abs <= L->lt.hi;
  if (exact)
    linear_exact (L, x, nnz);
  for (gsize j = 0; j < F; j++)
    {
      const gint32 *w = L->q->weight + j * n_in;
      gint64 acc = 0;

      if (exact)
        acc = L->sums[j];
      else
        for (gsize k = 0; k < nnz; k++)
          acc = fit (&L->lt, acc + (gint64) w[L->nz[k]] * x[L->nz[k]], ev);
      if (L->q->recurrent)
        {
          const gint32 *wr = L->q->recurrent + j * F;
          gint64 rec = 0;

          for (gsize k = 0; k < F; k++)
            if (L->prev_out[k] != 0)
              rec = fit (&L->lt, rec + (gint64) wr[k] * L->prev_out[k], ev);
          /* Σ w_rec·s has n_w + n_o fractional bits, the sum n_w + n_x. */
          acc = fit (&L->lt, acc + rescale (&L->lt, rec, L->n_o - L->n_x, L->nearest, ev), ev);
        }
      acc = rescale (&L->lt, acc, L->n_w - L->n_t, L->nearest, ev);
      if (L->q->bias)
        acc = fit (&L->lt, acc + rescale (&L->lt, L->q->bias[j], L->n_b - L->n_t - L->n_x,
                                          L->nearest, ev), ev);
      L->act[j] = (gint32) fit (&L->nt, rescale (&L->lt, acc, L->n_x + L->n_t - L->n_a,
                                                 L->nearest, ev), &L->ev[SQ_FXP_EVENT_ACT]);
    }
}

static void
op_conv (ILayer       *L,
         const gint32 *x)
{
  const SqFxpLayer *l = L->l;
  gsize C = l->in_shape[0], H = l->in_shape[1], W = l->in_shape[2];
  gsize F = l->out_shape[0], OH = l->out_shape[1], OW = l->out_shape[2];
  gsize KY = l->weight.shape[2], KX = l->weight.shape[3];
  guint64 *ev = &L->ev[SQ_FXP_EVENT_ACC];

  for (gsize oy = 0; oy < OH; oy++)
    for (gsize ox = 0; ox < OW; ox++)
      for (gsize f = 0; f < F; f++)
        {
          gint64 acc = 0;

          for (gsize ky = 0; ky < KY; ky++)
            {
              gssize iy = (gssize) (oy * l->stride_y + ky) - (gssize) l->pad_y;

              if (iy < 0 || iy >= (gssize) H)
                continue;
              for (gsize kx = 0; kx < KX; kx++)
                {
                  gssize ix = (gssize) (ox * l->stride_x + kx) - (gssize) l->pad_x;
                  const gint32 *xp, *wp;

                  if (ix < 0 || ix >= (gssize) W)
                    continue;
                  xp = x + ((gsize) iy * W + (gsize) ix) * C;
                  wp = L->q->weight + ((f * KY + ky) * KX + kx) * C;
                  for (gsize c = 0; c < C; c++)
                    if (xp[c] != 0)
                      acc = fit (&L->lt, acc + (gint64) wp[c] * xp[c], ev);
                }
            }
          acc = rescale (&L->lt, acc, L->n_w - L->n_t, L->nearest, ev);
          if (L->q->bias)
            acc = fit (&L->lt, acc + rescale (&L->lt, L->q->bias[f], L->n_b - L->n_t - L->n_x,
                                              L->nearest, ev), ev);
          L->act[(oy * OW + ox) * F + f] =
            (gint32) fit (&L->nt, rescale (&L->lt, acc, L->n_x + L->n_t - L->n_a, L->nearest,
                                           ev), &L->ev[SQ_FXP_EVENT_ACT]);
        }
}

/* ⌊a / d⌋, ⌈a / d⌉ or ⌊a / d + 1/2⌋ for d > 0. */
static gint64
div_round (gint64     a,
           gint64     d,
           SqFxpRound round)
{
  gint64 fl;

  if (round == SQ_FXP_ROUND_NEAREST)
    a = 2 * a + d, d *= 2;
  fl = a / d - (a % d != 0 && a < 0);
  if (round == SQ_FXP_ROUND_CEIL && a % d != 0)
    fl++;
  return fl;
}

static void
op_pool (ILayer       *L,
         const gint32 *x,
         SqFxpRound    round)
{
  const SqFxpLayer *l = L->l;
  gsize C = l->in_shape[0], W = l->in_shape[2], OH = l->out_shape[1], OW = l->out_shape[2];
  gint64 area = (gint64) l->kernel_y * l->kernel_x;
  guint64 *ev = &L->ev[SQ_FXP_EVENT_ACC];

  for (gsize oy = 0; oy < OH; oy++)
    for (gsize ox = 0; ox < OW; ox++)
      for (gsize c = 0; c < C; c++)
        {
          gint64 acc = 0;

          for (gsize ky = 0; ky < l->kernel_y; ky++)
            for (gsize kx = 0; kx < l->kernel_x; kx++)
              acc = fit (&L->lt, acc + x[((oy * l->stride_y + ky) * W + ox * l->stride_x + kx)
                                         * C + c], ev);
          if (l->op == SQ_FXP_OP_AVGPOOL)
            acc = div_round (acc, area, round);
          L->act[(oy * OW + ox) * C + c] =
            (gint32) fit (&L->nt, rescale (&L->lt, acc, L->n_x - L->n_a, L->nearest, ev),
                          &L->ev[SQ_FXP_EVENT_ACT]);
        }
}

/* One leaky integration in the long type: H = V + S((X − (V − R))·r, shift), or with
 * @no_decay_input H = V − S((V − R)·r, shift) + X. */
static gint64
leak (ILayer  *L,
      gint64   V,
      gint64   X,
      gint64   R,
      gint64   r,
      int      shift,
      gboolean no_decay_input)
{
  guint64 *ev = &L->ev[SQ_FXP_EVENT_NEURON];
  gint64 d = fit (&L->lt, V - R, ev);

  if (no_decay_input)
    {
      gint64 p = fit (&L->lt, d * r, ev);

      return fit (&L->lt, fit (&L->lt, V - rescale (&L->lt, p, shift, L->nearest, ev),
                               ev) + X, ev);
    }
  d = fit (&L->lt, X - d, ev);
  return fit (&L->lt, V + rescale (&L->lt, fit (&L->lt, d * r, ev), shift, L->nearest,
                                   ev), ev);
}

static void
neurons (ILayer *L)
{
  const SqFxpNeuron *n = &L->l->neuron;
  const SqFxpQLayer *q = L->q;
  guint64 *ev = &L->ev[SQ_FXP_EVENT_NEURON];
  int n_x = L->n_a, n_v = L->n_v, n_t;
  gint64 spike;

  if (L->syn)
    n_x = n_v;   /* the membrane's input is the synaptic current */
  n_t = MAX (n_v, n_x);
  spike = n->type == SQ_FXP_NEURON_ATIF
          ? fit (&L->nt, rescale (&L->lt, q->theta, n_v - L->n_o, L->nearest, ev),
                 &L->ev[SQ_FXP_EVENT_OUTPUT])
          : fit (&L->nt, rescale (&L->lt, 1, -L->n_o, L->nearest, ev),
                 &L->ev[SQ_FXP_EVENT_OUTPUT]);
  for (gsize j = 0; j < L->p->n_out; j++)
    {
      gint64 x = L->act[j], V, X, TH, R, H, diff;

      if (L->syn)
        {
          int st = MAX (n_v, L->n_a);
          gint64 I = rescale (&L->lt, L->syn[j], n_v - st, L->nearest, ev);
          gint64 XI = rescale (&L->lt, x, L->n_a - st, L->nearest, ev);

          /* 1/τ_syn has n_v fractional bits, as 1/τ has. */
          H = leak (L, I, XI, 0, q->r_syn, L->compat ? st : n_v, FALSE);
          L->syn[j] = (gint32) fit (&L->nt, rescale (&L->lt, H, st - n_v, L->nearest, ev),
                                    &L->ev[SQ_FXP_EVENT_V]);
          x = L->syn[j];
        }
      V = rescale (&L->lt, L->v[j], n_v - n_t, L->nearest, ev);
      X = rescale (&L->lt, x, n_x - n_t, L->nearest, ev);
      TH = rescale (&L->lt, q->theta, n_v - n_t, L->nearest, ev);
      R = n->soft_reset ? 0 : rescale (&L->lt, q->v_reset, n_v - n_t, L->nearest, ev);
      if (n->type == SQ_FXP_NEURON_LIF)
        H = leak (L, V, X, R, q->r, L->compat ? n_t : n_v, !n->decay_input);
      else
        H = fit (&L->lt, V + X, ev);
      diff = fit (&L->lt, H - TH, ev);
      if (diff >= 0)
        {
          L->out[j] = (gint32) spike;
          L->v[j] = n->soft_reset
                    ? (gint32) fit (&L->nt, rescale (&L->lt, diff, n_t - n_v, L->nearest, ev),
                                    &L->ev[SQ_FXP_EVENT_V])
                    : q->v_reset;
        }
      else
        {
          L->out[j] = 0;
          L->v[j] = (gint32) fit (&L->nt, rescale (&L->lt, H, n_t - n_v, L->nearest, ev),
                                  &L->ev[SQ_FXP_EVENT_V]);
        }
    }
}

static void
ilayer_clear (ILayer *L)
{
  g_free (L->act);
  g_free (L->out);
  g_free (L->v);
  g_free (L->syn);
  g_free (L->nz);
  g_free (L->wt);
  g_free (L->sums);
}

static void
ilayer_init (ILayer          *L,
             const SqFxpQNet *qnet,
             guint            i,
             guint64         *events)
{
  const SqFxpSettings *s = &qnet->settings;
  const SqFxpQLayer *q = &qnet->layers[i];
  gsize n_out;

  memset (L, 0, sizeof *L);
  L->l = &qnet->net->layers[i];
  L->q = q;
  L->p = &((const SqFxpPrep *) qnet->prep)->layers[i];
  ty_init (&L->lt, q->long_bits, s->overflow == SQ_FXP_OVERFLOW_SATURATE);
  ty_init (&L->nt, q->bits, TRUE);
  L->nearest = s->round == SQ_FXP_ROUND_NEAREST;
  L->compat = s->compat_qualia;
  L->n_x = q->fmt[SQ_FXP_INPUT].n;
  L->n_w = q->fmt[SQ_FXP_WEIGHT].n;
  L->n_b = q->fmt[SQ_FXP_BIAS].n;
  L->n_t = q->bias ? MAX (L->n_w, L->n_b) : L->n_w;
  L->n_a = q->fmt[SQ_FXP_ACT].n;
  L->n_v = q->fmt[SQ_FXP_V].n;
  L->n_o = q->fmt[SQ_FXP_OUTPUT].n;
  L->ev = events;
  n_out = L->p->n_out;
  L->act = g_new0 (gint32, n_out);
  /* A recurrent layer reads its outputs of the step before while it computes the new ones:
   * the operation is done before the neurons write. */
  L->out = L->l->neuron.type != SQ_FXP_NEURON_NONE ? g_new0 (gint32, n_out) : NULL;
  L->prev_out = L->out;
  if (L->l->neuron.type != SQ_FXP_NEURON_NONE)
    L->v = g_new0 (gint32, n_out);
  if (L->l->neuron.type != SQ_FXP_NEURON_NONE && _sq_differ (L->l->neuron.tau_syn, 0))
    L->syn = g_new0 (gint32, n_out);
  if (L->l->op == SQ_FXP_OP_LINEAR)
    {
      gsize n_in = L->p->n_in;

      L->nz = g_new (guint32, MAX (n_in, 1));
      L->wt = g_new (gint32, n_in * n_out);
      L->sums = g_new (gint32, n_out);
      for (gsize j = 0; j < n_out; j++)
        {
          gint64 row = 0;

          for (gsize k = 0; k < n_in; k++)
            {
              L->wt[k * n_out + j] = q->weight[j * n_in + k];
              row += ABS ((gint64) q->weight[j * n_in + k]);
            }
          L->row_abs = MAX (L->row_abs, row);
        }
    }
}

/**
 * sq_fxp_run_int:
 * @input: (T, C, H, W) or (T, N) floats, quantized to layer 0's input format with the
 *   settings' rounding (as the exported host example does)
 * @run: (out caller-allocates): filled on success; clear with sq_fxp_run_clear()
 *
 * Runs the integer core from potentials at 0 (see the file's comment).
 */
gboolean
sq_fxp_run_int (const SqFxpQNet *qnet,
                const SqTensor  *input,
                GCancellable    *cancellable,
                SqFxpRun        *run,
                GError         **error)
{
  const SqFxpNet *net = qnet->net;
  g_autofree ILayer *L = NULL;
  g_autofree double *in = NULL;
  g_autofree gint32 *xq = NULL;
  g_autofree gint32 *narrowed = NULL;
  gsize n_in = sq_fxp_shape_size (net->input_shape), widest = n_in;
  const SqFxpQLayer *q0 = &qnet->layers[0];
  guint n_steps;
  gboolean ok = TRUE;
  Ty t0;

  if (!qnet->power_of_two)
    {
      g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_NOT_POWER_OF_TWO,
                   _("%s: the `fake` scheme's steps are no powers of two, so the integer core "
                     "cannot shift by them; choose `fxp` or `force_q` to simulate"),
                   net->source);
      return FALSE;
    }
  if (!_sq_fxp_check_input (net, input, &n_steps, error))
    return FALSE;
  _sq_fxp_run_alloc (run, net, n_steps);
  L = g_new0 (ILayer, net->n_layers);
  for (guint i = 0; i < net->n_layers; i++)
    {
      ilayer_init (&L[i], qnet, i, run->events[i]);
      widest = MAX (widest, L[i].p->n_in);
    }
  in = g_new (double, n_in);
  xq = g_new (gint32, n_in);
  narrowed = g_new (gint32, widest);
  ty_init (&t0, q0->bits, TRUE);
  for (guint t = 0; t < n_steps; t++)
    {
      const gint32 *x = xq;
      guint prev_bits = q0->bits;

      if ((t & 255) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_CANCELLED, _("cancelled"));
          ok = FALSE;
          break;
        }
      _sq_fxp_input_step (net, input, t, in);
      for (gsize k = 0; k < n_in; k++)
        xq[k] = (gint32) fit (&t0, sq_fxp_round (ldexp (in[k], L[0].n_x), qnet->settings.round),
                              &run->events[0][SQ_FXP_EVENT_INPUT]);
      for (guint i = 0; i < net->n_layers; i++)
        {
          ILayer *li = &L[i];

          /* Another width: the values are rescaled into this layer's input format. */
          if (li->q->bits != prev_bits)
            {
              int k_shift = qnet->layers[i - 1].fmt[SQ_FXP_OUTPUT].n - li->n_x;

              for (gsize k = 0; k < li->p->n_in; k++)
                narrowed[k] = (gint32) fit (&li->nt, rescale (&li->lt, x[k], k_shift, li->nearest,
                                                              &li->ev[SQ_FXP_EVENT_INPUT]),
                                            &li->ev[SQ_FXP_EVENT_INPUT]);
              x = narrowed;
            }
          switch (li->l->op)
            {
            case SQ_FXP_OP_LINEAR:
              op_linear (li, x);
              break;
            case SQ_FXP_OP_CONV2D:
              op_conv (li, x);
              break;
            case SQ_FXP_OP_SUMPOOL:
            case SQ_FXP_OP_AVGPOOL:
              op_pool (li, x, qnet->settings.round);
              break;
            case SQ_FXP_OP_FLATTEN:
            default:
              memcpy (li->act, x, li->p->n_in * sizeof (gint32));
              break;
            }
          if (li->out != NULL)
            {
              neurons (li);
              x = li->out;
            }
          else
            x = li->act;
          for (gsize j = 0; j < li->p->n_out; j++)
            run->spikes[i] += x[j] != 0;
          prev_bits = li->q->bits;
        }
      for (gsize j = 0; j < run->n_out; j++)
        run->out[(gsize) t * run->n_out + j] = x[j];
    }
  for (guint i = 0; i < net->n_layers; i++)
    {
      for (gsize j = 0; L[i].v && j < run->n_v[i]; j++)
        run->v[i][j] = L[i].v[j];
      for (gsize j = 0; L[i].syn && j < run->n_v[i]; j++)
        run->syn[i][j] = L[i].syn[j];
      ilayer_clear (&L[i]);
    }
  if (!ok)
    sq_fxp_run_clear (run);
  return ok;
}
