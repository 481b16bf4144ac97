/* sq-nir-map.c: a NIR graph as a Xylo specification, the way Rockpool's mapper lays it out
 *
 * (Affine|Linear) → (CubaLIF|LIF|IF) chains, recurrent loops allowed. The weight fed by the
 * Input node becomes weights_in, every hidden → hidden weight weights_rec, the weights into
 * the population that drives the Output node weights_out (research/rockpool.md §2.1).
 *
 * NIR's neurons are continuous-time; exporters discretise them with forward Euler and a dt
 * NIR does not store (research/ecosystem.md §1.3):
 *   I += (dt/τ_syn)(−I + w_in·x),   V += (dt/τ_mem)(v_leak − V + r·I)
 * Xylo adds its inputs unscaled and decays by 1 − 2^−dash, so with dash = log2(τ/dt)
 * (2^−dash = dt/τ, the mapper's rule) the gains go into the weights of each target neuron:
 *   w_xylo = w · w_in·(dt/τ_syn) · r·(dt/τ_mem),   bias = v_leak·(dt/τ_mem).
 * For snnTorch's export convention (r = τ_mem/dt, w_in = τ_syn/dt) both gains are 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-nir-private.h"

typedef struct {
  guint            flat;
  const SqNirNode *node;
  gsize            offset;
  gsize            n;
  gboolean         output;
  double          *gain;       /* per neuron: what one unit of x adds to V via I */
  double          *bias_gain;  /* per neuron: V per step from a constant unit input */
} Pop;

typedef struct {
  const SqNirGraph *graph;
  GArray           *flat;
  const SqNirMapOptions *opts;
  GPtrArray        *problems;
  GPtrArray        *notes;
  int              *pop_of;    /* flat index → population index, or −1 */
  GArray           *pops;
} Mapper;

static void
pop_clear (gpointer p)
{
  Pop *pop = p;

  g_free (pop->gain);
  g_free (pop->bias_gain);
}

static const SqNirFlatNode *
flat_at (const Mapper *m,
         guint         i)
{
  return &g_array_index (m->flat, SqNirFlatNode, i);
}

/* Subgraph Input and Output nodes only pass values through. */
static gboolean
is_passthrough (const Mapper *m,
                guint         i)
{
  const SqNirFlatNode *f = flat_at (m, i);

  return !f->top && (f->node->type == SQ_NIR_INPUT || f->node->type == SQ_NIR_OUTPUT);
}

/* The real nodes next to @i, looking through pass-through nodes (with a guard against a
 * loop of them, which validation allows when it passes through a neuron elsewhere). */
static void
real_neighbours (const Mapper *m,
                 guint         i,
                 gboolean      forward,
                 GArray       *out,
                 guint         depth)
{
  const SqNirFlatNode *f = flat_at (m, i);
  GArray *next = forward ? f->succ : f->pred;

  for (guint k = 0; k < next->len; k++)
    {
      guint j = g_array_index (next, guint, k);

      if (is_passthrough (m, j))
        {
          if (depth < 64)
            real_neighbours (m, j, forward, out, depth + 1);
        }
      else
        {
          gboolean seen = FALSE;

          for (guint s = 0; s < out->len; s++)
            seen = seen || g_array_index (out, guint, s) == j;
          if (!seen)
            g_array_append_val (out, j);
        }
    }
}

static GArray *
neighbours (const Mapper *m,
            guint         i,
            gboolean      forward)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  real_neighbours (m, i, forward, out, 0);
  return out;
}

static void
problem (Mapper     *m,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Mapper     *m,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (m->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
note (Mapper     *m,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
note (Mapper     *m,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (m->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

static const char *
why_unmappable (SqNirType type)
{
  switch (type)
    {
    case SQ_NIR_CONV1D:
    case SQ_NIR_CONV2D:     return _("Xylo has no convolutions");
    case SQ_NIR_SUM_POOL2D:
    case SQ_NIR_AVG_POOL2D: return _("Xylo has no pooling");
    case SQ_NIR_FLATTEN:    return _("Xylo has no reshaping layer");
    case SQ_NIR_SCALE:      return _("Xylo has no elementwise scaling between layers");
    case SQ_NIR_DELAY:      return _("Xylo has no synaptic delays");
    case SQ_NIR_THRESHOLD:  return _("Xylo has no stateless threshold units");
    case SQ_NIR_I:
    case SQ_NIR_LI:
    case SQ_NIR_CUBA_LI:    return _("Xylo's neurons all spike; this population has no "
                                     "threshold");
    case SQ_NIR_INPUT:
    case SQ_NIR_OUTPUT:
    case SQ_NIR_AFFINE:
    case SQ_NIR_LINEAR:
    case SQ_NIR_IF:
    case SQ_NIR_LIF:
    case SQ_NIR_CUBA_LIF:
    case SQ_NIR_GRAPH:
    case SQ_NIR_N_TYPES:
    default:
      return NULL;
    }
}

static gboolean
is_weight (SqNirType type)
{
  return type == SQ_NIR_AFFINE || type == SQ_NIR_LINEAR;
}

static gboolean
is_mappable_neuron (SqNirType type)
{
  return type == SQ_NIR_CUBA_LIF || type == SQ_NIR_LIF || type == SQ_NIR_IF;
}

static const double *
values (const SqNirNode *node,
        const char      *name)
{
  const SqNirParam *p = sq_nir_node_get_param (node, name);

  return p && sq_tensor_is_present (&p->value) ? p->value.data : NULL;
}

/* Counts values ≤ dt and notes them: Rockpool's mapper refuses them, the quantizer rounds the
 * negative dash to 0. */
static gboolean
check_tau (Mapper          *m,
           const SqNirNode *node,
           const char      *name,
           const double    *tau,
           gsize            n)
{
  double dt = m->opts->dt, lo = INFINITY, hi = -INFINITY;
  gsize short_ = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (!(tau[i] > 0))
        {
          problem (m, _("%s: %s[%zu] is %g, expected a positive time constant"),
                   node->path, name, i, tau[i]);
          return FALSE;
        }
      if (tau[i] <= dt)
        {
          short_++;
          lo = MIN (lo, tau[i] / dt);
          hi = MAX (hi, tau[i] / dt);
        }
    }
  if (short_ > 0)
    note (m, g_dngettext (GETTEXT_PACKAGE,
                          "%s: %s ≤ dt for %zu neuron (τ/dt %.3g…%.3g): its "
                          "dash log2(τ/dt) is ≤ 0; Rockpool's mapper refuses this, the quantizer "
                          "rounds it to 0 (the state is cleared every step)",
                          "%s: %s ≤ dt for %zu neurons (τ/dt %.3g…%.3g): their "
                          "dashes log2(τ/dt) are ≤ 0; Rockpool's mapper refuses this, the "
                          "quantizer rounds them to 0 (the state is cleared every step)", short_),
          node->path, name, short_, lo, hi);
  return TRUE;
}

/* Fills the population's gains and its neuron parameters into the specification. */
static void
map_population (Mapper     *m,
                Pop        *pop,
                SqXyloSpec *spec)
{
  const SqNirNode *node = pop->node;
  double dt = m->opts->dt;
  SqParam p_mem = pop->output ? SQ_PARAM_DASH_MEM_OUT : SQ_PARAM_DASH_MEM;
  SqParam p_syn = pop->output ? SQ_PARAM_DASH_SYN_OUT : SQ_PARAM_DASH_SYN;
  SqParam p_th = pop->output ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD;
  SqParam p_bias = pop->output ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS;
  const double *r = values (node, "r"), *vth = values (node, "v_threshold");
  const double *vleak = values (node, "v_leak"), *vreset = values (node, "v_reset");
  const double *tau_mem, *tau_syn = NULL, *w_in = NULL;
  gsize off = pop->output ? 0 : pop->offset, n_reset = 0;

  pop->gain = g_new0 (double, pop->n);
  pop->bias_gain = g_new0 (double, pop->n);
  if (node->type == SQ_NIR_CUBA_LIF)
    {
      tau_mem = values (node, "tau_mem");
      tau_syn = values (node, "tau_syn");
      w_in = values (node, "w_in");
      if (!check_tau (m, node, "tau_mem", tau_mem, pop->n) ||
          !check_tau (m, node, "tau_syn", tau_syn, pop->n))
        return;
    }
  else if (node->type == SQ_NIR_LIF)
    {
      tau_mem = values (node, "tau");
      if (!check_tau (m, node, "tau", tau_mem, pop->n))
        return;
      note (m, _("%s: LIF has no synaptic current: dash_syn is 0, so each input reaches the "
                 "membrane in the step it arrives"), node->path);
    }
  else
    {
      tau_mem = NULL;
      note (m, _("%s: IF has no leak, Xylo always leaks: dash_mem is 15 (τ ≈ 32768·dt, the "
                 "longest Xylo has)"), node->path);
    }

  for (gsize j = 0; j < pop->n; j++)
    {
      double mem_gain = tau_mem ? r[j] * dt / tau_mem[j] : r[j] * dt;
      double syn_gain = tau_syn ? w_in[j] * dt / tau_syn[j] : 1.0;

      pop->gain[j] = syn_gain * mem_gain;
      /* A constant input c settles the synaptic current at c·w_in (the dt/τ_syn cancel). */
      pop->bias_gain[j] = (w_in ? w_in[j] : 1.0) * mem_gain;
      spec->param[p_mem].data[off + j] = tau_mem ? log2 (tau_mem[j] / dt) : SQ_DASH_MAX;
      spec->param[p_syn].data[off + j] = tau_syn ? log2 (tau_syn[j] / dt) : 0.0;
      spec->param[p_th].data[off + j] = vth[j];
      spec->param[p_bias].data[off + j] = tau_mem && vleak ? vleak[j] * dt / tau_mem[j] : 0.0;
      if (vreset && _sq_differ (vreset[j], 0.0))
        n_reset++;
    }
  if (n_reset > 0)
    note (m, g_dngettext (GETTEXT_PACKAGE,
                          "%s: v_reset is not 0 for %zu neuron; Xylo resets by "
                          "subtracting the threshold, v_reset is not used",
                          "%s: v_reset is not 0 for %zu neurons; Xylo resets by "
                          "subtracting the threshold, v_reset is not used", n_reset),
          node->path, n_reset);
}

static gboolean
alloc_param (SqXyloSpec *spec,
             SqParam     param,
             guint       rank,
             gsize       a,
             gsize       b,
             GError    **error)
{
  gsize shape[2] = { a, b };

  if (!sq_tensor_init (&spec->param[param], rank, shape, error))
    return FALSE;
  memset (spec->param[param].data, 0, spec->param[param].n * sizeof (double));
  return TRUE;
}

/* Adds one weight node's matrix (out, in), folded with the target's gains, into the
 * specification's matrix [source, target]. */
static void
map_weight (Mapper         *m,
            const SqNirNode *node,
            SqTensor       *dest,
            gsize           src_off,
            gsize           n_src,
            const Pop      *target,
            gsize           dst_off,
            SqXyloSpec     *spec)
{
  const SqNirParam *w = sq_nir_node_get_param (node, "weight");
  const SqNirParam *b = sq_nir_node_get_param (node, "bias");
  SqParam p_bias = target->output ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS;
  gsize rows = w->value.shape[w->value.rank - 2], cols = w->value.shape[w->value.rank - 1];
  gsize cols_dest = dest->shape[1];
  gboolean any_bias = FALSE;

  if (w->value.rank != 2 || rows != target->n || cols != n_src)
    {
      g_autofree char *shape = sq_tensor_shape_string (&w->value);
      problem (m, _("%s: weight is %s, expected (%zu, %zu) from "
                    "%zu sources to %s's %zu neurons"),
               node->path, shape, target->n, n_src, n_src, target->node->path, target->n);
      return;
    }
  for (gsize j = 0; j < rows; j++)
    for (gsize i = 0; i < cols; i++)
      dest->data[(src_off + i) * cols_dest + dst_off + j] +=
        w->value.data[j * cols + i] * target->gain[j];

  if (b == NULL)
    return;
  for (gsize j = 0; j < rows; j++)
    if (_sq_differ (b->value.data[j], 0.0))
      {
        spec->param[p_bias].data[dst_off + j] += b->value.data[j] * target->bias_gain[j];
        any_bias = TRUE;
      }
  if (any_bias)
    note (m, _("%s: its bias is added to %s's membrane bias (Xylo has no synaptic bias; the "
               "result is exact once the synaptic current has settled)"),
          node->path, target->node->path);
}

static Pop *
pop_at (const Mapper *m,
        guint         flat)
{
  int k = m->pop_of[flat];

  return k < 0 ? NULL : &g_array_index (m->pops, Pop, k);
}

static SqXyloSpec *
map_graph (Mapper  *m,
           GError **error)
{
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_new ();
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *queued = NULL;
  int input = -1, output = -1;
  guint n_inputs = 0, n_outputs = 0;
  gsize n_in = 0, n_hidden = 0, n_out = 0;
  Pop *out_pop = NULL;

  /* 1. What has no Xylo counterpart. */
  for (guint i = 0; i < m->flat->len; i++)
    {
      const SqNirFlatNode *f = flat_at (m, i);
      const char *why = why_unmappable (f->node->type);

      if (why != NULL)
        problem (m, "%s (%s): %s", f->node->path, sq_nir_type_name (f->node->type), why);
      if (f->top && f->node->type == SQ_NIR_INPUT)
        input = (int) i, n_inputs++;
      if (f->top && f->node->type == SQ_NIR_OUTPUT)
        output = (int) i, n_outputs++;
    }
  if (n_inputs != 1 || n_outputs != 1)
    {
      problem (m, _("the graph has %u Input and %u Output nodes at the top level; Xylo has one "
                    "input and one output layer"), n_inputs, n_outputs);
      return NULL;
    }

  /* 2. The populations, in the order a walk from the input meets them. */
  queued = g_new0 (gboolean, m->flat->len);
  g_array_append_val (order, input);
  queued[input] = TRUE;
  for (guint k = 0; k < order->len; k++)
    {
      g_autoptr(GArray) next = neighbours (m, g_array_index (order, guint, k), TRUE);

      for (guint s = 0; s < next->len; s++)
        {
          guint j = g_array_index (next, guint, s);

          if (!queued[j])
            {
              queued[j] = TRUE;
              g_array_append_val (order, j);
            }
        }
    }
  for (guint i = 0; i < m->flat->len; i++)
    if (!queued[i] && !is_passthrough (m, i))
      {
        problem (m, _("%s: not reachable from the input"), flat_at (m, i)->node->path);
        g_array_append_val (order, i);
      }

  {
    g_autoptr(GArray) feeds = neighbours (m, output, FALSE);
    const SqNirFlatNode *f = feeds->len == 1 ? flat_at (m, g_array_index (feeds, guint, 0))
                                             : NULL;

    if (f == NULL || !is_mappable_neuron (f->node->type))
      problem (m, _("%s: the output must be fed by one spiking population (CubaLIF, LIF or IF) "
                    "as Xylo's outputs are neurons"), flat_at (m, output)->node->path);
    else
      {
        Pop pop = { g_array_index (feeds, guint, 0), f->node, 0, 0,
                    TRUE, NULL, NULL };

        g_array_append_val (m->pops, pop);
        m->pop_of[pop.flat] = 0;
      }
  }
  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint, k);
      const SqNirFlatNode *f = flat_at (m, i);

      if (is_mappable_neuron (f->node->type) && m->pop_of[i] < 0)
        {
          Pop pop = { i, f->node, 0, 0, FALSE, NULL, NULL };

          m->pop_of[i] = (int) m->pops->len;
          g_array_append_val (m->pops, pop);
        }
    }

  n_in = 1;
  for (guint d = 0; d < flat_at (m, input)->node->out_rank; d++)
    n_in *= flat_at (m, input)->node->out_shape[d];
  for (guint k = 0; k < m->pops->len; k++)
    {
      Pop *pop = &g_array_index (m->pops, Pop, k);
      const SqNirNode *node = pop->node;

      pop->n = 1;
      for (guint d = 0; d < node->out_rank; d++)
        pop->n *= node->out_shape[d];
      if (pop->output)
        n_out = pop->n;
      else
        {
          pop->offset = n_hidden;
          n_hidden += pop->n;
        }
    }
  out_pop = m->pops->len > 0 && g_array_index (m->pops, Pop, 0).output
            ? &g_array_index (m->pops, Pop, 0) : NULL;
  if (n_hidden == 0)
    problem (m, _("no hidden population: Xylo needs input weights into hidden neurons, and "
                  "output weights from them"));
  if (m->problems->len > 0 || out_pop == NULL)
    return NULL;
  if (n_hidden > SQ_TENSOR_MAX_DIM)
    {
      problem (m, _("%zu hidden neurons, more than Synquant handles"), n_hidden);
      return NULL;
    }

  /* 3. The arrays. */
  if (!alloc_param (spec, SQ_PARAM_WEIGHTS_IN, 2, n_in, n_hidden, error) ||
      !alloc_param (spec, SQ_PARAM_WEIGHTS_REC, 2, n_hidden, n_hidden, error) ||
      !alloc_param (spec, SQ_PARAM_WEIGHTS_OUT, 2, n_hidden, n_out, error))
    return NULL;
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    if (!sq_param_is_weights ((SqParam) i) && i != SQ_PARAM_DASH_SYN_2 &&
        !alloc_param (spec, (SqParam) i, 1, sq_param_is_output ((SqParam) i) ? n_out : n_hidden,
                      0, error))
      return NULL;
  for (guint k = 0; k < m->pops->len; k++)
    map_population (m, &g_array_index (m->pops, Pop, k), spec);
  if (m->problems->len > 0)
    return NULL;

  /* 4. The weights, and the rules on what may connect to what. */
  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint, k);
      const SqNirNode *node = flat_at (m, i)->node;
      g_autoptr(GArray) from = NULL;
      g_autoptr(GArray) to = NULL;
      const Pop *src, *dst;
      gboolean from_input;

      if (!is_mappable_neuron (node->type) && !is_weight (node->type))
        continue;
      from = neighbours (m, i, FALSE);
      if (is_mappable_neuron (node->type))
        {
          for (guint s = 0; s < from->len; s++)
            {
              const SqNirNode *p = flat_at (m, g_array_index (from, guint, s))->node;

              if (!is_weight (p->type))
                problem (m, _("%s → %s: a neuron's input must come through a weight (Affine or "
                              "Linear)"), p->path, node->path);
            }
          continue;
        }

      to = neighbours (m, i, TRUE);
      if (from->len != 1 || to->len != 1)
        {
          problem (m, _("%s: a weight must have one source and one target, found %u and %u"),
                   node->path, from->len, to->len);
          continue;
        }
      from_input = g_array_index (from, guint, 0) == (guint) input;
      src = pop_at (m, g_array_index (from, guint, 0));
      dst = pop_at (m, g_array_index (to, guint, 0));
      if ((!from_input && src == NULL) || dst == NULL)
        {
          problem (m, _("%s: a weight must connect the input or a spiking population to a "
                        "spiking population (no weight → weight chains)"), node->path);
          continue;
        }
      if (src != NULL && src->output)
        {
          problem (m, _("%s: it takes the output population %s's spikes; Xylo's output neurons "
                        "feed nothing back"), node->path, src->node->path);
          continue;
        }
      if (from_input && dst->output)
        {
          problem (m, _("%s: it connects the input straight to the output population; Xylo "
                        "has no input → output weights"), node->path);
          continue;
        }
      if (from_input)
        map_weight (m, node, &spec->param[SQ_PARAM_WEIGHTS_IN], 0, n_in, dst, dst->offset, spec);
      else if (dst->output)
        map_weight (m, node, &spec->param[SQ_PARAM_WEIGHTS_OUT], src->offset, src->n, dst, 0,
                    spec);
      else
        map_weight (m, node, &spec->param[SQ_PARAM_WEIGHTS_REC], src->offset, src->n, dst,
                    dst->offset, spec);
    }
  if (m->problems->len > 0)
    return NULL;

  spec->dt = m->opts->dt;
  spec->has_dt = TRUE;
  spec->source = g_strdup (m->graph->source);
  if (!sq_xylo_spec_validate (spec, error))
    return NULL;

  {
    g_autoptr(GString) hidden = g_string_new (NULL);

    for (guint k = 0; k < m->pops->len; k++)
      {
        const Pop *pop = &g_array_index (m->pops, Pop, k);

        if (!pop->output)
          g_string_append_printf (hidden, "%s%s %zu…%zu",
                                  hidden->len ? ", " : "", pop->node->path, pop->offset,
                                  pop->offset + pop->n - 1);
      }
    note (m, _("mapped %zu inputs → %zu hidden neurons (%s) → %zu outputs (%s); dt %g s, dash = "
               "log2(τ/dt)"),
          n_in, n_hidden, hidden->str, n_out, out_pop->node->path, m->opts->dt);
  }
  if (m->opts->reset == SQ_NIR_RESET_ZERO)
    note (m, _("reset to zero is not available on Xylo, which subtracts the threshold: the "
               "mapped network differs whenever a membrane overshoots its threshold"));
  else
    note (m, _("reset by subtraction, as on Xylo"));
  return g_steal_pointer (&spec);
}

/**
 * sq_nir_map_to_xylo:
 * @options: dt and the reset mode the network was trained with (NIR stores neither)
 * @notes: (out) (optional) (element-type utf8): what was approximated or left out, and why
 *
 * Returns: a float specification with dt, or %NULL with %SQ_NIR_ERROR_UNMAPPABLE whose
 *   message lists every node that could not be mapped and why
 */
SqXyloSpec *
sq_nir_map_to_xylo (const SqNirGraph      *graph,
                    const SqNirMapOptions *options,
                    GPtrArray            **notes,
                    GError               **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) my_notes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) flat = NULL;
  g_autoptr(GArray) pops = g_array_new (FALSE, TRUE, sizeof (Pop));
  g_autofree int *pop_of = NULL;
  g_autoptr(GError) local_error = NULL;
  SqXyloSpec *spec;
  Mapper m;

  g_return_val_if_fail (graph != NULL && options != NULL, NULL);

  if (!(isfinite (options->dt) && options->dt > 0))
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE,
                   _("%s: dt is %g, expected a positive time step in seconds (NIR stores none: "
                     "give it with --dt)"), graph->source, options->dt);
      return NULL;
    }
  g_array_set_clear_func (pops, pop_clear);
  flat = _sq_nir_flatten (graph);
  pop_of = g_new (int, flat->len);
  for (guint i = 0; i < flat->len; i++)
    pop_of[i] = -1;
  m = (Mapper) { graph, flat, options, problems, my_notes, pop_of, pops };

  spec = map_graph (&m, &local_error);
  if (spec == NULL)
    {
      g_autoptr(GString) msg = g_string_new (NULL);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_string_printf (msg, _("%s: cannot map to Xylo:"), graph->source);
      for (guint i = 0; i < problems->len; i++)
        g_string_append_printf (msg, "\n  %s", (const char *) g_ptr_array_index (problems, i));
      g_set_error_literal (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE, msg->str);
      return NULL;
    }
  if (notes != NULL)
    *notes = g_steal_pointer (&my_notes);
  return spec;
}
