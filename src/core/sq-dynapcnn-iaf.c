/* sq-dynapcnn-iaf.c: the DynapCNN / Speck integer IAF core in time steps
 *
 * Per step and layer, as sinabs runs a discretized network (sinabs_qualia.md A.3) on
 * integers: the convolution of the input spike counts plus the bias, accumulated in 32 bits;
 * added to the membrane with 16-bit saturation; n = ⌊v/θ⌋ spikes for v > 0 (or [v ≥ θ] for
 * single spikes); reset v −= n·θ (or v = 0 where n > 0); then v = max(v, θ_low). The spike
 * counts, sum-pooled p × p, are the next layer's input. Every saturation is counted: sinabs
 * does not say what the chip does on overflow, so it is shown, not hidden.
 *
 * The convolution scatters each non-zero input count into the outputs whose receptive field
 * holds it (inputs are sparse event counts), with the weights laid out [c][ky][kx][f] so the
 * innermost loop runs over contiguous output channels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-private.h"

#define STATE_MIN SQ_IAF_STATE_MIN
#define STATE_MAX SQ_IAF_STATE_MAX
/* An input count above this is refused: no event stream puts so many events on one pixel in
 * one step, and it keeps count × weight × kernel far inside 64 bits. */
#define MAX_COUNT 65535

#define invalid _sq_dynapcnn_invalid

gboolean
_sq_dynapcnn_invalid (GError    **error,
                      const char *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (SQ_DYNAPCNN_ERROR, SQ_DYNAPCNN_ERROR_INVALID,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* Every value an integer in [@lo, @hi]. */
static gboolean
check_integers (const SqTensor *t,
                const char     *where,
                const char     *name,
                double          lo,
                double          hi,
                GError        **error)
{
  for (gsize i = 0; i < t->n; i++)
    {
      double v = t->data[i];

      if (!(v >= lo && v <= hi && nearbyint (v) >= v && nearbyint (v) <= v))
        {
          g_autofree char *path = sq_tensor_element_path (t, name, i);

          return invalid (error, _("%s: %s is %g: expected an integer from %g to %g"),
                          where, path, v, lo, hi);
        }
    }
  return TRUE;
}

/* One convolution dimension: ⌊(n + 2p − k)/s⌋ + 1, when the kernel fits the padded input. */
static gboolean
conv_size (gsize   n,
           gsize   k,
           guint   pad,
           guint   stride,
           gsize  *out)
{
  if (n + 2 * (gsize) pad < k)
    return FALSE;
  *out = (n + 2 * (gsize) pad - k) / stride + 1;
  return TRUE;
}

/**
 * sq_cnn_output_shape:
 * @in_shape: (C, H, W)
 * @kernel_y, @kernel_x: the kernel's size
 * @conv_shape: (out): (F, H', W'), H' = ⌊(H + 2p − k)/s⌋ + 1
 * @pooled_shape: (out): (F, ⌊H'/p⌋, ⌊W'/p⌋)
 *
 * Returns: %FALSE when the kernel is larger than the padded input or pooling leaves nothing
 */
gboolean
sq_cnn_output_shape (const gsize in_shape[3],
                     gsize       out_channels,
                     gsize       kernel_y,
                     gsize       kernel_x,
                     guint       stride_y,
                     guint       stride_x,
                     guint       pad_y,
                     guint       pad_x,
                     guint       pool,
                     gsize       conv_shape[3],
                     gsize       pooled_shape[3])
{
  gsize h, w;

  g_return_val_if_fail (stride_y >= 1 && stride_x >= 1 && pool >= 1, FALSE);
  if (!conv_size (in_shape[1], kernel_y, pad_y, stride_y, &h) ||
      !conv_size (in_shape[2], kernel_x, pad_x, stride_x, &w) || h < pool || w < pool)
    return FALSE;
  conv_shape[0] = pooled_shape[0] = out_channels;
  conv_shape[1] = h;
  conv_shape[2] = w;
  pooled_shape[1] = h / pool;
  pooled_shape[2] = w / pool;
  return TRUE;
}

/**
 * sq_iaf_layer_output_shape:
 * @in_shape: the layer's input (C, H, W)
 * @conv_shape: (out): the spiking layer's (F, H', W')
 * @pooled_shape: (out): after pooling, the next layer's input
 * @where: how messages name the layer ("net.json: layers[1]")
 *
 * Checks @layer against its input and its own parameters: shapes, integer ranges (weights
 * 8 bits, bias, thresholds and membrane 16 bits), θ > 0 and above θ_low, strides and pooling.
 */
gboolean
sq_iaf_layer_output_shape (const SqIafLayer *layer,
                           const gsize       in_shape[3],
                           gsize             conv_shape[3],
                           gsize             pooled_shape[3],
                           const char       *where,
                           GError          **error)
{
  const SqTensor *w = &layer->weight;

  if (!sq_tensor_is_present (w) || w->rank != 4 || w->n == 0)
    return invalid (error, _("%s: weight must be a non-empty (F, C, kh, kw) array"), where);
  if (w->shape[1] != in_shape[0])
    return invalid (error, _("%s: weight has %zu input channels, but the layer's input has "
                             "%zu"), where, w->shape[1], in_shape[0]);
  if (layer->stride_y < 1 || layer->stride_x < 1 || layer->pool < 1)
    return invalid (error, _("%s: stride and pooling must be at least 1"), where);
  if (!sq_cnn_output_shape (in_shape, w->shape[0], w->shape[2], w->shape[3], layer->stride_y,
                            layer->stride_x, layer->pad_y, layer->pad_x, layer->pool,
                            conv_shape, pooled_shape))
    {
      gsize h = in_shape[1] + 2 * (gsize) layer->pad_y;
      gsize wd = in_shape[2] + 2 * (gsize) layer->pad_x;

      if (h < w->shape[2] || wd < w->shape[3])
        return invalid (error, _("%s: the %zu × %zu kernel is larger than the padded %zu × %zu "
                                 "input"), where, w->shape[2], w->shape[3], h, wd);
      return invalid (error, _("%s: %u × %u pooling of a %zu × %zu output leaves nothing"),
                      where, layer->pool, layer->pool, (h - w->shape[2]) / layer->stride_y + 1,
                      (wd - w->shape[3]) / layer->stride_x + 1);
    }
  if (sq_tensor_is_present (&layer->bias) &&
      (layer->bias.rank != 1 || layer->bias.shape[0] != w->shape[0]))
    return invalid (error, _("%s: bias must have one value per output channel (%zu)"), where,
                    w->shape[0]);
  if (sq_tensor_is_present (&layer->v_mem) &&
      (layer->v_mem.rank != 3 || memcmp (layer->v_mem.shape, conv_shape,
                                         3 * sizeof (gsize)) != 0))
    {
      g_autofree char *want = sq_shape_to_string (3, conv_shape);

      return invalid (error, _("%s: v_mem must have the layer's output shape %s"), where,
                      want);
    }
  if (!check_integers (w, where, "weight", -128, 127, error) ||
      (sq_tensor_is_present (&layer->bias) &&
       !check_integers (&layer->bias, where, "bias", STATE_MIN, STATE_MAX, error)) ||
      (sq_tensor_is_present (&layer->v_mem) &&
       !check_integers (&layer->v_mem, where, "v_mem", STATE_MIN, STATE_MAX, error)))
    return FALSE;
  if (layer->threshold_high <= 0 || layer->threshold_high > STATE_MAX)
    return invalid (error, _("%s: spike_threshold is %d: expected 1 to 32767 (a threshold "
                             "of 0 or less would fire without end)"), where,
                    layer->threshold_high);
  if (layer->threshold_low < STATE_MIN || layer->threshold_low >= layer->threshold_high)
    return invalid (error, _("%s: min_v_mem is %d: expected −32768 up to below the spike "
                             "threshold (%d)"), where, layer->threshold_low,
                    layer->threshold_high);
  return TRUE;
}

typedef struct {
  const SqIafLayer *layer;
  gsize   in[3], conv[3], pooled[3];
  gint32 *wt;       /* [c][ky][kx][f] */
  gint32 *v;        /* [f][y][x] */
  gint64 *acc;
  gint32 *spikes;   /* this step's, [f][y][x] */
  gint32 *out;      /* pooled, the next layer's input */
} Stage;

static void
stage_clear (Stage *s)
{
  g_free (s->wt);
  g_free (s->v);
  g_free (s->acc);
  g_free (s->spikes);
  g_free (s->out);
}

/* The weights (F, C, kh, kw) as integers laid out [c][ky][kx][f], so that the loops over an
 * input position's outputs run over contiguous output channels. */
gint32 *
_sq_iaf_weights_cyxf (const SqTensor *w)
{
  gsize F = w->shape[0], C = w->shape[1], kh = w->shape[2], kw = w->shape[3];
  gint32 *wt = g_new (gint32, w->n);

  for (gsize f = 0; f < F; f++)
    for (gsize c = 0; c < C; c++)
      for (gsize ky = 0; ky < kh; ky++)
        for (gsize kx = 0; kx < kw; kx++)
          wt[((c * kh + ky) * kw + kx) * F + f] =
            (gint32) w->data[((f * C + c) * kh + ky) * kw + kx];
  return wt;
}

static void
stage_init (Stage *s)
{
  gsize n_conv = s->conv[0] * s->conv[1] * s->conv[2];

  s->wt = _sq_iaf_weights_cyxf (&s->layer->weight);
  s->v = g_new0 (gint32, n_conv);
  if (sq_tensor_is_present (&s->layer->v_mem))
    for (gsize i = 0; i < n_conv; i++)
      s->v[i] = (gint32) s->layer->v_mem.data[i];
  s->acc = g_new (gint64, n_conv);
  s->spikes = g_new (gint32, n_conv);
  s->out = g_new (gint32, s->pooled[0] * s->pooled[1] * s->pooled[2]);
}

/* One step of one layer on the input counts @in (C, H, W). */
static void
stage_step (Stage        *s,
            const gint32 *in,
            guint64      *n_saturated,
            guint64      *n_spikes)
{
  const SqIafLayer *l = s->layer;
  gsize F = s->conv[0], H = s->conv[1], W = s->conv[2];
  gsize C = s->in[0], IH = s->in[1], IW = s->in[2];
  gsize kh = l->weight.shape[2], kw = l->weight.shape[3];
  gsize P = l->pool, PH = s->pooled[1], PW = s->pooled[2];
  gint32 theta = l->threshold_high;

  memset (s->acc, 0, F * H * W * sizeof (gint64));
  for (gsize c = 0; c < C; c++)
    for (gsize y = 0; y < IH; y++)
      for (gsize x = 0; x < IW; x++)
        {
          gint64 k = in[(c * IH + y) * IW + x];

          if (k == 0)
            continue;
          /* Outputs (oy, ox) with oy·s − p + ky = y for a kernel row ky in range. */
          for (gsize ky = 0; ky < kh; ky++)
            {
              gint64 ty = (gint64) y + l->pad_y - (gint64) ky;
              gsize oy;

              if (ty < 0 || ty % l->stride_y != 0)
                continue;
              oy = (gsize) ty / l->stride_y;
              if (oy >= H)
                continue;
              for (gsize kx = 0; kx < kw; kx++)
                {
                  gint64 tx = (gint64) x + l->pad_x - (gint64) kx;
                  const gint32 *wf;
                  gint64 *a;
                  gsize ox;

                  if (tx < 0 || tx % l->stride_x != 0)
                    continue;
                  ox = (gsize) tx / l->stride_x;
                  if (ox >= W)
                    continue;
                  wf = s->wt + ((c * kh + ky) * kw + kx) * F;
                  a = s->acc + oy * W + ox;
                  for (gsize f = 0; f < F; f++)
                    a[f * H * W] += k * wf[f];
                }
            }
        }

  for (gsize f = 0; f < F; f++)
    {
      gint64 bias = sq_tensor_is_present (&l->bias) ? (gint64) l->bias.data[f] : 0;

      for (gsize i = f * H * W; i < (f + 1) * H * W; i++)
        {
          gint64 a = s->acc[i] + bias;
          gint64 v;
          gint32 n;

          if (a > G_MAXINT32 || a < G_MININT32)
            {
              a = CLAMP (a, G_MININT32, G_MAXINT32);
              (*n_saturated)++;
            }
          v = (gint64) s->v[i] + a;
          if (v > STATE_MAX || v < STATE_MIN)
            {
              v = CLAMP (v, STATE_MIN, STATE_MAX);
              (*n_saturated)++;
            }
          if (l->single_spike)
            n = v >= theta ? 1 : 0;
          else
            n = v > 0 ? (gint32) (v / theta) : 0;
          if (n > 0)
            v = l->reset_zero ? 0 : v - (gint64) n * theta;
          v = MAX (v, l->threshold_low);
          s->v[i] = (gint32) v;
          s->spikes[i] = n;
          *n_spikes += (guint64) n;
        }
    }

  for (gsize f = 0; f < F; f++)
    for (gsize py = 0; py < PH; py++)
      for (gsize px = 0; px < PW; px++)
        {
          gint32 sum = 0;

          for (gsize dy = 0; dy < P; dy++)
            for (gsize dx = 0; dx < P; dx++)
              sum += s->spikes[(f * H + py * P + dy) * W + px * P + dx];
          s->out[(f * PH + py) * PW + px] = sum;
        }
}

gboolean
_sq_iaf_record_init (SqTensor    *t,
                     gsize        steps,
                     const gsize  shape[3],
                     GError     **error)
{
  gsize full[4] = { steps, shape[0], shape[1], shape[2] };

  if (!sq_tensor_init (t, 4, full, error))
    return FALSE;
  t->integer = TRUE;
  return TRUE;
}

void
_sq_iaf_record_step (SqTensor     *t,
                     gsize         step,
                     const gint32 *values)
{
  gsize per = t->n / t->shape[0];

  for (gsize i = 0; i < per; i++)
    t->data[step * per + i] = values[i];
}

/* Returns: (array length=n_layers): every layer's shapes, from the input's @in_shape on, each
 * layer checked (messages name it "layers[i]"); %NULL on error */
SqIafShapes *
_sq_iaf_check_layers (const SqIafLayer *layers,
                      guint             n_layers,
                      const gsize       in_shape[3],
                      GError          **error)
{
  g_autofree SqIafShapes *shapes = g_new0 (SqIafShapes, n_layers);
  const gsize *shape = in_shape;

  for (guint i = 0; i < n_layers; i++)
    {
      g_autofree char *where = g_strdup_printf ("layers[%u]", i);
      gsize n_conv;

      memcpy (shapes[i].in, shape, sizeof shapes[i].in);
      /* Sizes come from files: each map is counted, and bounded, before it is allocated. */
      if (!sq_iaf_layer_output_shape (&layers[i], shapes[i].in, shapes[i].conv,
                                      shapes[i].pooled, where, error) ||
          !sq_shape_count (3, shapes[i].conv, &n_conv, error))
        return NULL;
      shape = shapes[i].pooled;
    }
  return g_steal_pointer (&shapes);
}

/* The run's arrays for @T steps or bins: the last layer's pooled output, and with
 * @record_all every layer's spikes and membrane. */
gboolean
_sq_iaf_run_init (SqIafRun          *run,
                  guint              n_layers,
                  gsize              T,
                  const SqIafShapes *shapes,
                  gboolean           record_all,
                  GError           **error)
{
  run->n_layers = n_layers;
  run->spikes = g_new0 (SqTensor, n_layers);
  run->v_mem = g_new0 (SqTensor, n_layers);
  run->n_saturated = g_new0 (guint64, n_layers);
  run->n_spikes = g_new0 (guint64, n_layers);
  if (!_sq_iaf_record_init (&run->spikes_out, T, shapes[n_layers - 1].pooled, error))
    return FALSE;
  for (guint i = 0; record_all && i < n_layers; i++)
    if (!_sq_iaf_record_init (&run->spikes[i], T, shapes[i].conv, error) ||
        !_sq_iaf_record_init (&run->v_mem[i], T, shapes[i].conv, error))
      return FALSE;
  return TRUE;
}

/**
 * sq_iaf_run:
 * @input: spike counts (T, C, H, W), integers from 0 to 65535
 * @record_all: also record every layer's spikes and membrane
 * @run: (out caller-allocates): cleared with sq_iaf_run_clear()
 *
 * Runs the discretized network on @input in time steps.
 */
gboolean
sq_iaf_run (const SqIafLayer *layers,
            guint             n_layers,
            const SqTensor   *input,
            gboolean          record_all,
            GCancellable     *cancellable,
            SqIafRun         *run,
            GError          **error)
{
  g_autofree Stage *stages = NULL;
  g_autofree SqIafShapes *shapes = NULL;
  g_autofree gint32 *in0 = NULL;
  gsize T;
  gboolean ok = FALSE;

  g_return_val_if_fail (run != NULL, FALSE);
  *run = (SqIafRun) { 0, };
  if (n_layers == 0)
    return invalid (error, _("the network has no layers"));
  if (!sq_tensor_is_present (input) || input->rank != 4 || input->n == 0)
    return invalid (error, _("the input must be a non-empty (T, C, H, W) array of event "
                             "counts"));
  if (!check_integers (input, _("input"), "input", 0, MAX_COUNT, error))
    return FALSE;
  T = input->shape[0];
  shapes = _sq_iaf_check_layers (layers, n_layers, input->shape + 1, error);
  if (shapes == NULL)
    return FALSE;
  stages = g_new0 (Stage, n_layers);
  for (guint i = 0; i < n_layers; i++)
    {
      stages[i].layer = &layers[i];
      memcpy (stages[i].in, shapes[i].in, sizeof shapes[i].in);
      memcpy (stages[i].conv, shapes[i].conv, sizeof shapes[i].conv);
      memcpy (stages[i].pooled, shapes[i].pooled, sizeof shapes[i].pooled);
    }
  if (!_sq_iaf_run_init (run, n_layers, T, shapes, record_all, error))
    goto out;
  for (guint i = 0; i < n_layers; i++)
    stage_init (&stages[i]);

  in0 = g_new (gint32, input->n / T);
  for (gsize t = 0; t < T; t++)
    {
      const gint32 *in = in0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      for (gsize k = 0; k < input->n / T; k++)
        in0[k] = (gint32) input->data[t * (input->n / T) + k];
      for (guint i = 0; i < n_layers; i++)
        {
          stage_step (&stages[i], in, &run->n_saturated[i], &run->n_spikes[i]);
          if (record_all)
            {
              _sq_iaf_record_step (&run->spikes[i], t, stages[i].spikes);
              _sq_iaf_record_step (&run->v_mem[i], t, stages[i].v);
            }
          in = stages[i].out;
        }
      _sq_iaf_record_step (&run->spikes_out, t, stages[n_layers - 1].out);
    }
  ok = TRUE;

out:
  for (guint i = 0; i < n_layers; i++)
    stage_clear (&stages[i]);
  if (!ok)
    sq_iaf_run_clear (run);
  return ok;
}

void
sq_iaf_run_clear (SqIafRun *run)
{
  sq_tensor_clear (&run->spikes_out);
  for (guint i = 0; i < run->n_layers; i++)
    {
      if (run->spikes != NULL)
        sq_tensor_clear (&run->spikes[i]);
      if (run->v_mem != NULL)
        sq_tensor_clear (&run->v_mem[i]);
    }
  g_clear_pointer (&run->spikes, g_free);
  g_clear_pointer (&run->v_mem, g_free);
  g_clear_pointer (&run->n_saturated, g_free);
  g_clear_pointer (&run->n_spikes, g_free);
  run->n_layers = 0;
}
