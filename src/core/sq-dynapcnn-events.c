/* sq-dynapcnn-events.c: the DynapCNN / Speck integer IAF core driven by events
 *
 * The chip has no time steps (sinabs_qualia.md A.3, the "[derived]" model): each input event
 * (t, c, y, x) adds the weights w[f][c][ky][kx] to every neuron (f, oy, ox) of its projective
 * field, oy·s − p + ky = y, all F features, with 16-bit saturation; then each touched neuron
 * with v ≥ θ_high emits one spike and resets (v −= θ_high, or v = 0), then v = max(v, θ_low).
 * A spike, re-addressed to (y/p, x/p) by the sum-pooling, is an event for the next layer at
 * the same time. The leak is the bias, added to every neuron of a layer on each slow-clock
 * tick, followed by the same fire, reset and clamp.
 *
 * Order, so that runs are deterministic: events in time order (a tick before an event of the
 * same time); within an event, the additions, then the fire check over the touched neurons in
 * (f, y, x) order; the spikes of one layer go to the next in the order they were emitted
 * (each layer sees its input in that order whether the cascade runs depth- or breadth-first,
 * so it runs layer by layer); on a tick, layer i's bias and the cascade of its spikes come
 * before layer i + 1's bias.
 *
 * Output is recorded in bins of a given width in the layout of sq_iaf_run(), so the two runs
 * compare; sq_iaf_divergence() says how far they part.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-private.h"

#define invalid _sq_dynapcnn_invalid
/* Leak ticks × leaking neurons a run may take: about a minute of work. */
#define MAX_LEAK_UPDATES (G_GUINT64_CONSTANT (1) << 34)

typedef struct {
  guint32 c, y, x;
} Spike;

typedef struct {
  const SqIafLayer *layer;
  SqIafShapes       sh;
  gint32           *wt;      /* [c][ky][kx][f] */
  gint32           *v;       /* [f][y][x] */
  gboolean          leaks;   /* a bias with a non-zero value */
  GArray           *queue;   /* Spike: this layer's input events not yet processed */
} Stage;

typedef struct {
  Stage    *stages;
  guint     n_layers;
  SqIafRun *run;
  gboolean  record_all;
  gsize     bin;         /* the bin being recorded */
  gsize     n_bins;
  /* the positions an event touched, reused */
  guint32  *touched_y;
  guint32  *touched_x;
} Sim;

static inline gint32
sat16 (gint32  v,
       guint64 *n_saturated)
{
  if (v > SQ_IAF_STATE_MAX)
    {
      (*n_saturated)++;
      return SQ_IAF_STATE_MAX;
    }
  if (v < SQ_IAF_STATE_MIN)
    {
      (*n_saturated)++;
      return SQ_IAF_STATE_MIN;
    }
  return v;
}

/* Fire, reset and clamp one neuron; a spike goes to the next layer's queue (or the output). */
static inline void
fire (Sim    *sim,
      guint   i,
      guint32 f,
      guint32 y,
      guint32 x)
{
  Stage *s = &sim->stages[i];
  const SqIafLayer *l = s->layer;
  gsize H = s->sh.conv[1], W = s->sh.conv[2];
  gsize idx = ((gsize) f * H + y) * W + x;
  gint32 v = s->v[idx];

  if (v >= l->threshold_high)
    {
      guint32 py = y / l->pool, px = x / l->pool;

      v = l->reset_zero ? 0 : v - l->threshold_high;
      sim->run->n_spikes[i]++;
      if (sim->record_all)
        sim->run->spikes[i].data[sim->bin * (sim->run->spikes[i].n / sim->n_bins) + idx] += 1;
      /* Sum-pooling drops the rows and columns beyond the last whole p × p window. */
      if (py < s->sh.pooled[1] && px < s->sh.pooled[2])
        {
          if (i + 1 < sim->n_layers)
            {
              Spike e = { f, py, px };

              g_array_append_val (sim->stages[i + 1].queue, e);
            }
          else
            {
              SqTensor *out = &sim->run->spikes_out;

              out->data[sim->bin * (out->n / sim->n_bins) +
                        ((gsize) f * s->sh.pooled[1] + py) * s->sh.pooled[2] + px] += 1;
            }
        }
    }
  s->v[idx] = MAX (v, l->threshold_low);
}

/* One event into layer @i. */
static void
event (Sim          *sim,
       guint         i,
       const Spike  *e)
{
  Stage *s = &sim->stages[i];
  const SqIafLayer *l = s->layer;
  gsize F = s->sh.conv[0], H = s->sh.conv[1], W = s->sh.conv[2];
  gsize kh = l->weight.shape[2], kw = l->weight.shape[3];
  guint64 *n_sat = &sim->run->n_saturated[i];
  gsize y0, y1, x0, x1, n_y, n_x;

  if (!_sq_iaf_field (e->y, l->pad_y, kh, l->stride_y, H, &y0, &y1) ||
      !_sq_iaf_field (e->x, l->pad_x, kw, l->stride_x, W, &x0, &x1))
    return;
  n_y = y1 - y0 + 1;
  n_x = x1 - x0 + 1;
  for (gsize oy = y0; oy <= y1; oy++)
    for (gsize ox = x0; ox <= x1; ox++)
      {
        gsize ky = e->y + l->pad_y - oy * l->stride_y;
        gsize kx = e->x + l->pad_x - ox * l->stride_x;
        const gint32 *wf = s->wt + ((e->c * kh + ky) * kw + kx) * F;
        gint32 *v = s->v + oy * W + ox;

        for (gsize f = 0; f < F; f++)
          v[f * H * W] = sat16 (v[f * H * W] + wf[f], n_sat);
      }
  for (gsize f = 0; f < F; f++)
    for (gsize a = 0; a < n_y; a++)
      for (gsize b = 0; b < n_x; b++)
        fire (sim, i, (guint32) f, (guint32) (y0 + a), (guint32) (x0 + b));
}

/* Every event queued for layers @from… in turn. */
static void
cascade (Sim  *sim,
         guint from)
{
  for (guint i = from; i < sim->n_layers; i++)
    {
      GArray *q = sim->stages[i].queue;

      for (guint k = 0; k < q->len; k++)
        event (sim, i, &g_array_index (q, Spike, k));
      g_array_set_size (q, 0);
    }
}

/* One slow-clock tick: each leaking layer's bias on every neuron, and its spikes' cascade. */
static void
tick (Sim *sim)
{
  for (guint i = 0; i < sim->n_layers; i++)
    {
      Stage *s = &sim->stages[i];
      gsize F = s->sh.conv[0], H = s->sh.conv[1], W = s->sh.conv[2];

      if (!s->leaks)
        continue;
      for (gsize f = 0; f < F; f++)
        {
          gint32 b = (gint32) s->layer->bias.data[f];

          for (gsize y = 0; y < H; y++)
            for (gsize x = 0; x < W; x++)
              {
                gint32 *v = &s->v[(f * H + y) * W + x];

                *v = sat16 (*v + b, &sim->run->n_saturated[i]);
                fire (sim, i, (guint32) f, (guint32) y, (guint32) x);
              }
        }
      cascade (sim, i + 1);
    }
}

/* Whether the layer has a non-zero bias: only then does the slow clock touch it (sinabs's
 * config builder sets leak_enable so). */
static gboolean
leaks (const SqIafLayer *l)
{
  for (gsize f = 0; sq_tensor_is_present (&l->bias) && f < l->bias.n; f++)
    if (l->bias.data[f] < 0 || l->bias.data[f] > 0)
      return TRUE;
  return FALSE;
}

/* Closes the bins before @bin: each one's membrane is the state at its end. */
static void
advance (Sim  *sim,
         gsize bin)
{
  for (; sim->bin < bin; sim->bin++)
    for (guint i = 0; sim->record_all && i < sim->n_layers; i++)
      _sq_iaf_record_step (&sim->run->v_mem[i], sim->bin, sim->stages[i].v);
}

/* Each event inside the map, in time order, before the end of the run. */
static gboolean
check_input (const SqEventList *input,
             const gsize        in_shape[3],
             gsize              n_bins,
             guint64            bin_us,
             GError           **error)
{
  if (!sq_event_list_check (input, in_shape, error))
    return FALSE;
  for (gsize k = 0; k < input->n; k++)
    {
      const SqEvent *e = &input->events[k];

      if (k > 0 && e->t < input->events[k - 1].t)
        return invalid (error, _("events[%u]: t = %" PRId64 " µs comes before the event "
                                 "ahead of it (%" PRId64 " µs); events must be in time order"),
                        e->record, e->t, input->events[k - 1].t);
      if ((guint64) e->t / bin_us >= n_bins)
        return invalid (error, _("events[%u]: t = %" PRId64 " µs is after the last of %zu "
                                 "bins of %" PRIu64 " µs"), e->record, e->t, n_bins, bin_us);
    }
  return TRUE;
}

/**
 * sq_iaf_run_events:
 * @in_shape: the input (C, H, W)
 * @input: the input events, in time order (sq_events_read() sorts them), each inside
 *   @in_shape
 * @run: (out caller-allocates): cleared with sq_iaf_run_clear(); its arrays hold spike
 *   counts per bin, in the layout sq_iaf_run() writes
 *
 * Runs the discretized network on @input event by event, as the chip does. A layer's @spike
 * setting does not apply: every event fires a neuron at most once.
 */
gboolean
sq_iaf_run_events (const SqIafLayer        *layers,
                   guint                    n_layers,
                   const gsize              in_shape[3],
                   const SqEventList       *input,
                   const SqIafEventOptions *options,
                   GCancellable            *cancellable,
                   SqIafRun                *run,
                   GError                 **error)
{
  g_autofree SqIafShapes *shapes = NULL;
  g_autofree Stage *stages = NULL;
  guint64 bin_us, end_us, hz;
  gsize n_bins, next = 0;
  guint64 k_tick = 0, leak_neurons = 0;
  gboolean ok = FALSE;
  Sim sim;

  g_return_val_if_fail (run != NULL && options != NULL && input != NULL, FALSE);
  *run = (SqIafRun) { 0, };
  bin_us = options->bin_us;
  hz = options->leak_hz;
  if (n_layers == 0)
    return invalid (error, _("the network has no layers"));
  if (bin_us < 1 || bin_us >= (guint64) SQ_EVENTS_MAX_TIME)
    return invalid (error, _("the time step is %" PRIu64 " µs: expected 1 µs to %" PRId64
                             " µs"), bin_us, SQ_EVENTS_MAX_TIME - 1);
  if (hz > SQ_IAF_MAX_LEAK_HZ)
    return invalid (error, _("the leak clock is %" PRIu64 " Hz: expected at most %u Hz"), hz,
                    SQ_IAF_MAX_LEAK_HZ);
  n_bins = options->n_bins ? options->n_bins : sq_event_list_n_steps (input, bin_us);
  if (n_bins == 0)
    return invalid (error, _("there are no events and no number of time steps"));
  if (n_bins > SQ_TENSOR_MAX_DIM || n_bins > (guint64) SQ_EVENTS_MAX_TIME / bin_us)
    return invalid (error, _("%zu bins of %" PRIu64 " µs are more than Synquant takes"),
                    n_bins, bin_us);
  end_us = n_bins * bin_us;
  shapes = _sq_iaf_check_layers (layers, n_layers, in_shape, error);
  if (shapes == NULL || !check_input (input, in_shape, n_bins, bin_us, error))
    return FALSE;

  /* Ticks matter only where a bias leaks; their work is bounded, as a run without a
   * cancellable (the CLI) could otherwise go on for days. */
  for (guint i = 0; i < n_layers; i++)
    if (leaks (&layers[i]))
      leak_neurons += shapes[i].conv[0] * shapes[i].conv[1] * shapes[i].conv[2];
  if (leak_neurons == 0)
    hz = 0;
  else
    {
      guint64 n_ticks = (end_us * hz + 999999) / 1000000;

      if (n_ticks > MAX_LEAK_UPDATES / leak_neurons)
        return invalid (error, _("%" PRIu64 " ticks of the %" PRIu64 " Hz leak clock on %"
                                 PRIu64 " leaking neurons are more than Synquant runs (%"
                                 PRIu64 " neuron updates)"), n_ticks, hz, leak_neurons,
                        MAX_LEAK_UPDATES);
    }

  stages = g_new0 (Stage, n_layers);
  sim = (Sim) { stages, n_layers, run, options->record_all, 0, n_bins, NULL, NULL };
  if (!_sq_iaf_run_init (run, n_layers, n_bins, shapes, options->record_all, error))
    goto out;
  for (guint i = 0; i < n_layers; i++)
    {
      Stage *s = &stages[i];
      gsize n_conv = shapes[i].conv[0] * shapes[i].conv[1] * shapes[i].conv[2];

      s->layer = &layers[i];
      s->sh = shapes[i];
      s->wt = _sq_iaf_weights_cyxf (&layers[i].weight);
      s->v = g_new0 (gint32, n_conv);
      if (sq_tensor_is_present (&layers[i].v_mem))
        for (gsize j = 0; j < n_conv; j++)
          s->v[j] = (gint32) layers[i].v_mem.data[j];
      s->leaks = leaks (&layers[i]);
      s->queue = g_array_new (FALSE, FALSE, sizeof (Spike));
    }
  /* Tick k is at k·10⁶/hz µs: it comes first while k·10⁶ ≤ t·hz. Both sides stay below 2⁶²
   * (t < 2⁴², hz ≤ 10⁶ < 2²⁰). */
  for (guint64 n_done = 0;; n_done++)
    {
      gboolean have_tick = hz > 0 && k_tick * 1000000 < end_us * hz;

      if ((n_done & 4095) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (have_tick && (next >= input->n ||
                        k_tick * 1000000 <= (guint64) input->events[next].t * hz))
        {
          advance (&sim, (gsize) (k_tick * 1000000 / (hz * bin_us)));
          tick (&sim);
          k_tick++;
        }
      else if (next < input->n)
        {
          const SqEvent *e = &input->events[next++];
          Spike in = { e->c, e->y, e->x };

          advance (&sim, (gsize) ((guint64) e->t / bin_us));
          event (&sim, 0, &in);
          cascade (&sim, 1);
        }
      else
        break;
    }
  advance (&sim, n_bins);
  ok = TRUE;

out:
  for (guint i = 0; i < n_layers; i++)
    {
      g_free (stages[i].wt);
      g_free (stages[i].v);
      if (stages[i].queue != NULL)
        g_array_unref (stages[i].queue);
    }
  if (!ok)
    sq_iaf_run_clear (run);
  return ok;
}

/* ---------------------------------------------------------------------------------------- */
/* Divergence                                                                                */

static gboolean
compare (const SqTensor     *a,
         const SqTensor     *b,
         SqIafDivergenceRow *row,
         const char         *what,
         GError            **error)
{
  if (a->rank != b->rank || a->n != b->n || memcmp (a->shape, b->shape,
                                                    a->rank * sizeof (gsize)) != 0)
    {
      g_autofree char *sa = sq_shape_to_string (a->rank, a->shape);
      g_autofree char *sb = sq_shape_to_string (b->rank, b->shape);

      return invalid (error, _("%s: the time-step run has shape %s, the event run %s"), what,
                      sa, sb);
    }
  row->n_bins = a->n;
  for (gsize i = 0; i < a->n; i++)
    {
      double d = a->data[i] - b->data[i];

      row->l1 += (guint64) (d < 0 ? -d : d);
      row->n_agree += d < 0 || d > 0 ? 0 : 1;
    }
  return TRUE;
}

static guint64
total (const SqTensor *t)
{
  guint64 n = 0;

  for (gsize i = 0; i < t->n; i++)
    n += (guint64) t->data[i];
  return n;
}

/**
 * sq_iaf_divergence:
 * @step: a run of sq_iaf_run() with @record_all
 * @event: a run of sq_iaf_run_events() of the same network on the same input, with
 *   @record_all, binned at the time step of @step
 * @divergence: (out caller-allocates): cleared with sq_iaf_divergence_clear()
 *
 * How far the event-driven chip parts from the time-step simulation, per layer and at the
 * output.
 */
gboolean
sq_iaf_divergence (const SqIafRun  *step,
                   const SqIafRun  *event,
                   SqIafDivergence *divergence,
                   GError         **error)
{
  g_return_val_if_fail (step != NULL && event != NULL && divergence != NULL, FALSE);
  *divergence = (SqIafDivergence) { 0, };
  if (step->n_layers != event->n_layers)
    return invalid (error, _("the runs have %u and %u layers"), step->n_layers,
                    event->n_layers);
  divergence->n_layers = step->n_layers;
  divergence->layers = g_new0 (SqIafDivergenceRow, step->n_layers);
  for (guint i = 0; i < step->n_layers; i++)
    {
      g_autofree char *what = g_strdup_printf ("layers[%u]", i);
      SqIafDivergenceRow *row = &divergence->layers[i];

      if (!sq_tensor_is_present (&step->spikes[i]) || !sq_tensor_is_present (&event->spikes[i]))
        {
          sq_iaf_divergence_clear (divergence);
          return invalid (error, _("%s: both runs must record every layer's spikes"), what);
        }
      row->spikes_step = step->n_spikes[i];
      row->spikes_event = event->n_spikes[i];
      if (!compare (&step->spikes[i], &event->spikes[i], row, what, error))
        {
          sq_iaf_divergence_clear (divergence);
          return FALSE;
        }
    }
  divergence->output.spikes_step = total (&step->spikes_out);
  divergence->output.spikes_event = total (&event->spikes_out);
  if (!compare (&step->spikes_out, &event->spikes_out, &divergence->output, _("output"),
                error))
    {
      sq_iaf_divergence_clear (divergence);
      return FALSE;
    }
  return TRUE;
}

static void
append_row (GString                  *s,
            const char               *what,
            const SqIafDivergenceRow *row)
{
  /* Per mille, in integers and rounded down (100.0 % only when every bin agrees). */
  guint64 agree = row->n_bins ? row->n_agree * 1000 / row->n_bins : 1000;

  g_string_append_printf (s, _("%s: %" PRIu64 " spikes in time steps, %" PRIu64 " event "
                               "driven; L1 distance %" PRIu64 "; %" PRIu64 ".%" PRIu64 " %% "
                               "of %" PRIu64 " (step, neuron) bins agree\n"),
                          what, row->spikes_step, row->spikes_event, row->l1, agree / 10,
                          agree % 10, row->n_bins);
}

/* One translated line per layer, then one for the output. */
char *
sq_iaf_divergence_to_string (const SqIafDivergence *divergence)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (divergence != NULL, NULL);
  for (guint i = 0; i < divergence->n_layers; i++)
    {
      g_autofree char *what = g_strdup_printf ("layers[%u]", i);

      append_row (s, what, &divergence->layers[i]);
    }
  append_row (s, _("output"), &divergence->output);
  return g_string_free (s, FALSE);
}

void
sq_iaf_divergence_clear (SqIafDivergence *divergence)
{
  g_clear_pointer (&divergence->layers, g_free);
  divergence->n_layers = 0;
}
