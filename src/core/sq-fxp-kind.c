/* sq-fxp-kind.c: fixed-point (Qm.n) networks as a network kind
 *
 * The only place above the fixed-point modules (sq-fxp-net, -quant, -sim, -float, -advice,
 * -mcu-c, -nir) that knows their types: a layer file or a NIR graph that maps to no chip
 * becomes a network whose groups are each layer's weights, recurrent weights, biases and
 * neuron constants (θ, V_r, 1/τ, 1/τ_syn: the values of the v format); quantizing chooses a
 * Qm.n format per layer and tensor class, and each group's clip points carry its format's
 * name ("Q1.6"). Its options are in sq-fxp-kind-options.c; simulating runs the integer core
 * beside the float model (sq-fxp-kind-sim.c); new values (a transform's draw) come in through
 * sq-fxp-kind-values.c; its words are in sq-fxp-kind-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-export-private.h"
#include "sq-fxp-kind-private.h"
#include "sq-fxp-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

static void
fxp_data_free (gpointer data)
{
  FxpData *d = data;

  g_clear_pointer (&d->values, g_array_unref);
  g_clear_pointer (&d->qnet, sq_fxp_qnet_free);
  /* A quantized network borrows its float network's layers. */
  if (d->float_network != NULL)
    sq_network_unref (d->float_network);
  else
    g_clear_pointer (&d->net, sq_fxp_net_free);
  g_clear_pointer (&d->strings, g_ptr_array_unref);
  g_free (d);
}

const FxpData *
_sq_fxp_data (const SqNetwork *network)
{
  g_return_val_if_fail (network->kind == &_sq_fxp_kind, NULL);
  return network->data;
}

/* ---------------------------------------------------------------------------------------- */
/* Groups                                                                                    */

static const char *
keep (FxpData *d,
      char    *string)
{
  g_ptr_array_add (d->strings, string);
  return string;
}

/* The tensor class whose format a slot's values take. */
static SqFxpTensor
slot_tensor (int slot)
{
  switch (slot)
    {
    case FXP_SLOT_WEIGHT:
    case FXP_SLOT_RECURRENT:
      return SQ_FXP_WEIGHT;
    case FXP_SLOT_BIAS:
      return SQ_FXP_BIAS;
    default:
      return SQ_FXP_V;
    }
}

/* The float values of slot @slot of layer @l into @t (NULL data when it has none). */
static gboolean
slot_values (const SqFxpLayer *l,
             int               slot,
             SqTensor         *t)
{
  const SqFxpNeuron *n = &l->neuron;
  double v[4];
  gsize k = 0;

  switch (slot)
    {
    case FXP_SLOT_WEIGHT:
      return sq_tensor_is_present (&l->weight) && sq_tensor_copy (t, &l->weight, NULL);
    case FXP_SLOT_RECURRENT:
      return sq_tensor_is_present (&l->recurrent) && sq_tensor_copy (t, &l->recurrent, NULL);
    case FXP_SLOT_BIAS:
      return sq_tensor_is_present (&l->bias) && sq_tensor_copy (t, &l->bias, NULL);
    default:
      break;
    }
  if (n->type == SQ_FXP_NEURON_NONE)
    return FALSE;
  /* In the quantizer's order: θ, V_r, 1/τ, 1/τ_syn. */
  v[k++] = n->v_threshold;
  if (!n->soft_reset)
    v[k++] = n->v_reset;
  if (n->type == SQ_FXP_NEURON_LIF)
    v[k++] = 1 / n->tau;
  if (!_sq_is_zero (n->tau_syn))
    v[k++] = 1 / n->tau_syn;
  if (!sq_tensor_init (t, 1, &k, NULL))
    return FALSE;
  memcpy (t->data, v, k * sizeof (double));
  return TRUE;
}

/* The integers of @t's values in @fmt, as the quantizer makes them. */
static void
to_integers (SqTensor          *t,
             const SqFxpFormat *fmt,
             guint              bits,
             SqFxpRound         round)
{
  for (gsize i = 0; i < t->n; i++)
    t->data[i] = (double) _sq_fxp_quantize_value (fmt, bits, round, t->data[i]);
  t->integer = TRUE;
}

static const char *
group_label (FxpData          *d,
             const SqFxpLayer *l,
             guint             i,
             int               slot)
{
  switch (slot)
    {
    case FXP_SLOT_WEIGHT:
      return keep (d, g_strdup_printf (_("Layer %u weights"), i));
    case FXP_SLOT_RECURRENT:
      return keep (d, g_strdup_printf (_("Layer %u recurrent weights"), i));
    case FXP_SLOT_BIAS:
      return keep (d, g_strdup_printf (_("Layer %u biases"), i));
    default:
      break;
    }
  /* Translators: the constants of a layer's neurons that share the membrane's format */
  if (l->neuron.type == SQ_FXP_NEURON_LIF)
    return keep (d, g_strdup_printf (_("Layer %u θ, 1/τ (v format)"), i));
  return keep (d, g_strdup_printf (_("Layer %u θ (v format)"), i));
}

/* A network over @net: the float network (taking @net over) when @qnet is %NULL, else the
 * quantized one of @float_network (whose @net @qnet quantized; @qnet taken over). */
SqNetwork *
_sq_fxp_network_new (SqFxpNet  *net,
                     SqNetwork *float_network,
                     SqFxpQNet *qnet,
                     double     dt)
{
  /* The neuron's group mixes θ, V_r and 1/τ: no one family fits it (docs/transforms.md). */
  static const SqFamily families[FXP_N_SLOTS] = {
    SQ_FAMILY_WEIGHTS, SQ_FAMILY_WEIGHTS, SQ_FAMILY_BIASES, SQ_FAMILY_NONE,
  };
  static const SqRole roles[FXP_N_SLOTS] = {
    SQ_ROLE_WEIGHTS, SQ_ROLE_WEIGHTS, SQ_ROLE_BIAS, SQ_ROLE_THRESHOLD,
  };
  static const char * const keys[FXP_N_SLOTS] = { "weight", "recurrent", "bias", "v" };
  FxpData *d = g_new0 (FxpData, 1);
  const SqFxpLayer *last;
  SqNetwork *n;

  d->net = net;
  d->float_network = float_network ? sq_network_ref (float_network) : NULL;
  d->qnet = qnet;
  d->dt = dt;
  d->strings = g_ptr_array_new_with_free_func (g_free);
  /* The groups point to the tensors: room for every slot, so the array never moves. */
  d->values = g_array_sized_new (FALSE, TRUE, sizeof (SqTensor),
                                 net->n_layers * FXP_N_SLOTS);
  g_array_set_clear_func (d->values, (GDestroyNotify) sq_tensor_clear);

  n = sq_network_new (&_sq_fxp_kind, d, fxp_data_free);
  n->source = g_strdup (net->source);
  n->is_integer = qnet != NULL;
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];
      SqLayerInfo info = {
        keep (d, g_strdup_printf ("layer%u", i)),
        keep (d, g_strdup_printf (_("Layer %u"), i)),
      };

      sq_network_add_layer (n, &info);
      for (int slot = 0; slot < FXP_N_SLOTS; slot++)
        {
          SqTensor t = { 0, };
          SqGroup g;

          if (!slot_values (l, slot, &t))
            continue;
          if (qnet != NULL)
            to_integers (&t, &qnet->layers[i].fmt[slot_tensor (slot)], qnet->layers[i].bits,
                         qnet->settings.round);
          g_array_append_val (d->values, t);
          g = (SqGroup) {
            .id = keep (d, g_strdup_printf ("layers[%u].%s", i, keys[slot])),
            .label = group_label (d, l, i, slot),
            .role = roles[slot],
            .family = families[slot],
            .layer = i,
            .scale = keep (d, g_strdup_printf ("layer%u.%s", i,
                                               sq_fxp_tensor_name (slot_tensor (slot)))),
            .values = &g_array_index (d->values, SqTensor, d->values->len - 1),
            .native = (int) (i * FXP_N_SLOTS + (guint) slot),
          };
          sq_network_add_group (n, &g);
        }
    }

  /* The hidden neurons: every spiking layer's but the last, in layer order. */
  for (guint i = 0; i + 1 < net->n_layers; i++)
    if (net->layers[i].neuron.type != SQ_FXP_NEURON_NONE)
      {
        gsize size = sq_fxp_shape_size (net->layers[i].out_shape);

        n->n_hidden += size;
        sq_network_add_hidden_layer (n, sq_network_get_layer (n, i)->label, size);
      }
  last = &net->layers[net->n_layers - 1];
  n->n_inputs = sq_fxp_shape_size (net->input_shape);
  if (net->input_rank == 3)
    memcpy (n->input_shape, net->input_shape, sizeof n->input_shape);
  n->n_outputs = sq_fxp_shape_size (last->out_shape);
  for (guint i = 0; net->warnings && i < net->warnings->len; i++)
    g_ptr_array_add (n->warnings, g_strdup (g_ptr_array_index (net->warnings, i)));
  return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

/* A time step that no time constant is shorter than: whether a graph maps at all, before
 * anyone chose one. */
#define PROBE_DT 1e-12

static gboolean
has_time_constants (const SqFxpNet *net)
{
  for (guint i = 0; i < net->n_layers; i++)
    if (net->layers[i].neuron.type == SQ_FXP_NEURON_LIF ||
        !_sq_is_zero (net->layers[i].neuron.tau_syn))
      return TRUE;
  return FALSE;
}

/* A NIR graph from another tool: mapped with the caller's dt; without one, a graph whose
 * neurons have time constants fails with SQ_NIR_ERROR_NEEDS_DT (the window asks for it, the
 * CLI names --dt) once it is known to map, and one of IF neurons alone (dt does not enter)
 * maps as it is. */
static SqFxpNet *
load_nir (const char           *path,
          const SqLoadOptions  *options,
          GPtrArray           **notes,
          double               *dt,
          GError              **error)
{
  g_autoptr(SqNirGraph) graph = sq_nir_graph_load (path, error);
  SqNirMapOptions probe = { PROBE_DT, SQ_NIR_RESET_SUBTRACT };
  SqFxpNet *net;

  if (graph == NULL)
    return NULL;
  if (options->has_nir)
    {
      *dt = options->nir.dt;
      return sq_nir_map_to_fxp (graph, &options->nir, notes, error);
    }
  net = sq_nir_map_to_fxp (graph, &probe, NULL, error);
  if (net == NULL)
    return NULL;
  if (has_time_constants (net))
    {
      sq_fxp_net_free (net);
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT,
                   _("%s: NIR stores no time step: give dt (--dt) to map it to a fixed-point "
                     "network"), graph->source);
      return NULL;
    }
  sq_fxp_net_free (net);
  /* IF neurons alone: any dt maps the same; 1 ms names it. */
  probe.dt = *dt = 1e-3;
  return sq_nir_map_to_fxp (graph, &probe, notes, error);
}

static SqNetwork *
fxp_load (const char           *path,
          const SqLoadOptions  *options,
          GCancellable         *cancellable,
          SqProgressFunc        progress,
          gpointer              progress_data,
          GError              **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  SqFxpNet *net;
  SqNetwork *n;
  double dt = 0;

  if (_sq_path_has_extension (path, "nir"))
    net = load_nir (path, options, &notes, &dt, error);
  else
    {
      g_autofree char *contents = NULL;
      g_autofree char *name = g_filename_display_basename (path);
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, error))
        return NULL;
      net = sq_fxp_net_load_json_data (contents, length, name, error);
    }
  if (net == NULL)
    return NULL;
  n = _sq_fxp_network_new (net, NULL, NULL, dt);
  n->path = g_strdup (path);
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    g_ptr_array_add (n->notes, g_strdup (g_ptr_array_index (notes, i)));
  return n;
}

gboolean
_sq_fxp_probe_json (const guint8 *head,
                    gsize         head_len)
{
  gsize i = 0;

  if (head_len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  while (i < head_len && g_ascii_isspace (head[i]))
    i++;
  if (i >= head_len || head[i++] != '{')
    return FALSE;
  while (i < head_len && g_ascii_isspace (head[i]))
    i++;
  if (!((head_len - i >= 8 && memcmp (head + i, "\"layers\"", 8) == 0) ||
        (head_len - i >= 13 && memcmp (head + i, "\"input_shape\"", 13) == 0)))
    return FALSE;
  return g_strstr_len ((const char *) head + i, (gssize) (head_len - i), "\"type\"") != NULL;
}

static gboolean
fxp_probe (const char   *path,
           const guint8 *head,
           gsize         head_len)
{
  return _sq_fxp_probe_json (head, head_len);
}

/* The quantized network with every value dequantized (q·Δ): a float network that quantizes
 * to the same integers with the same settings; a float network's copy. */
SqFxpNet *
_sq_fxp_dequantized (const FxpData  *d,
                     GError        **error)
{
  const SqFxpQNet *q = d->qnet;
  g_autoptr(GString) json = sq_fxp_net_to_json (d->net);
  SqFxpNet *copy = sq_fxp_net_load_json_data (json->str, json->len, d->net->source, error);

  for (guint i = 0; copy != NULL && q != NULL && i < copy->n_layers; i++)
    {
      SqFxpLayer *l = &copy->layers[i];
      const SqFxpQLayer *ql = &q->layers[i];
      SqTensor *t[3] = { &l->weight, &l->recurrent, &l->bias };
      SqFxpTensor cls[3] = { SQ_FXP_WEIGHT, SQ_FXP_WEIGHT, SQ_FXP_BIAS };
      const SqFxpFormat *fv = &ql->fmt[SQ_FXP_V];

      for (guint k = 0; k < 3; k++)
        for (gsize j = 0; sq_tensor_is_present (t[k]) && j < t[k]->n; j++)
          t[k]->data[j] = (double) _sq_fxp_quantize_value (&ql->fmt[cls[k]], ql->bits,
                                                           q->settings.round, t[k]->data[j]) *
                          ql->fmt[cls[k]].delta;
      if (l->neuron.type == SQ_FXP_NEURON_NONE)
        continue;
      l->neuron.v_threshold = ql->theta * fv->delta;
      if (!l->neuron.soft_reset)
        l->neuron.v_reset = ql->v_reset * fv->delta;
      if (l->neuron.type == SQ_FXP_NEURON_LIF)
        l->neuron.tau = MAX (1 / (ql->r * fv->delta), 1);
      if (!_sq_is_zero (l->neuron.tau_syn))
        l->neuron.tau_syn = MAX (1 / (ql->r_syn * fv->delta), 1);
    }
  return copy;
}

/* The quantized network as a layer file, its values dequantized. */
static GBytes *
fxp_save (const SqNetworkResult  *result,
          const char             *extension,
          GError                **error)
{
  g_autoptr(SqFxpNet) copy = _sq_fxp_dequantized (_sq_fxp_data (result->quantized), error);

  return copy ? g_string_free_to_bytes (sq_fxp_net_to_json (copy)) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Quantization                                                                              */

/**
 * FxpResult:
 * @strings: the markers' labels (the formats' names)
 */
typedef struct {
  GPtrArray *strings;
} FxpResult;

static void
fxp_result_free (gpointer data)
{
  FxpResult *r = data;

  g_clear_pointer (&r->strings, g_ptr_array_unref);
  g_free (r);
}

/* The clip points of format @fmt under the other width, for comparison: what int16 would
 * give an int8 tensor and the other way round. */
static void
add_other_width (GArray            *markers,
                 FxpResult         *fr,
                 const SqFxpFormat *fmt,
                 guint              bits)
{
  guint other = bits == 8 ? 16 : 8;
  int n = sq_fxp_frac_bits (fmt->range, other);
  double top = ldexp (1.0, (int) other - 1), delta = ldexp (1.0, -n);
  g_autofree char *q = sq_fxp_q_string (n, other);
  /* Translators: a format and its type, "Q1.14 (int16)" */
  char *label = g_strdup_printf (_("%s (int%u)"), q, other);

  g_ptr_array_add (fr->strings, label);
  _sq_marker_add (markers, label, -top * delta, (top - 1) * delta, SQ_MARKER_SECONDARY, TRUE);
}

static SqNetworkResult *
fxp_quantize (SqNetwork              *network,
              const SqQuantSettings  *settings,
              SqQuantizeFlags         flags,
              GCancellable           *cancellable,
              GError                **error)
{
  const FxpData *d = _sq_fxp_data (network);
  SqFxpSettings s;
  SqFxpQNet *q;
  FxpResult *fr;
  SqNetworkResult *r;

  if (!_sq_fxp_check_settings (settings, error))
    return NULL;
  _sq_fxp_settings_from (settings, d->net->n_layers, &s);
  q = sq_fxp_quantize (d->net, &s, NULL, error);
  if (q == NULL)
    {
      sq_fxp_settings_clear (&s);
      return NULL;
    }
  fr = g_new0 (FxpResult, 1);
  fr->strings = g_ptr_array_new_with_free_func (g_free);
  r = sq_network_result_new (network, settings, fr, fxp_result_free);
  r->flags = flags & SQ_QUANTIZE_MARKERS;
  r->quantized = _sq_fxp_network_new (d->net, network, q, d->dt);
  r->in_range = TRUE;

  for (guint g = 0; g < sq_network_n_groups (network); g++)
    {
      const SqGroup *group = sq_network_get_group (network, g);
      const SqFxpQLayer *ql = &q->layers[group->layer];
      const SqFxpFormat *fmt = &ql->fmt[slot_tensor (group->native % FXP_N_SLOTS)];
      const SqTensor *iv = sq_network_get_group (r->quantized, g)->values;
      SqLayerResult *lr = &r->layers[group->layer];
      SqGroupResult gr = { 0, };
      SqQuantFigures f = { 0, };

      gr.group = g;
      gr.values = iv;
      gr.scale = gr.scale_min = gr.scale_max = gr.level_scale = 1 / fmt->delta;
      gr.level_bits = ql->bits;
      gr.clip_lo = fmt->clip_lo;
      gr.clip_hi = fmt->clip_hi;
      gr.error_bound = NAN;
      gr.markers = g_array_new (FALSE, FALSE, sizeof (SqMarker));
      if (flags & SQ_QUANTIZE_MARKERS)
        {
          char *label = q->power_of_two ? sq_fxp_q_string (fmt->n, ql->bits)
                                        : g_strdup_printf ("Δ %.4g", fmt->delta);

          if (s.scheme == SQ_FXP_SCHEME_FXP)
            add_other_width (gr.markers, fr, fmt, ql->bits);
          g_ptr_array_add (fr->strings, label);
          _sq_marker_add (gr.markers, label, fmt->clip_lo, fmt->clip_hi, SQ_MARKER_PRIMARY, FALSE);
        }
      g_array_append_val (r->groups, gr);

      for (gsize k = 0; k < group->values->n; k++)
        {
          double x = group->values->data[k], e = iv->data[k] * fmt->delta - x;

          f.n_values++;
          f.n_nonzero += !_sq_is_zero (x);
          f.zeroed += !_sq_is_zero (x) && _sq_is_zero (iv->data[k]);
          /* Clipped: the rounded value left the type (the quantizer's own rule). */
          f.clipped += sq_fxp_round (x / fmt->delta, q->settings.round) != (gint64) iv->data[k];
          f.signal += x * x;
          f.noise += e * e;
          f.max_abs_error = MAX (f.max_abs_error, fabs (e));
        }
      if (group->role != SQ_ROLE_WEIGHTS)
        continue;
      if (group->native % FXP_N_SLOTS == FXP_SLOT_WEIGHT)
        {
          lr->scale = lr->scale_min = lr->scale_max = 1 / fmt->delta;
          lr->clip = lr->clip_max = lr->clip_min = fmt->clip_hi;
        }
      _sq_quant_figures_add (&lr->figures, &f);
      _sq_quant_figures_add (&r->total, &f);
    }
  for (guint i = 0; i < d->net->n_layers; i++)
    if (!sq_tensor_is_present (&d->net->layers[i].weight))
      {
        SqLayerResult *lr = &r->layers[i];

        lr->scale = lr->scale_min = lr->scale_max = lr->clip = lr->clip_min = lr->clip_max = NAN;
      }
  for (guint k = 0; q->warnings != NULL && k < q->warnings->len; k++)
    _sq_diagnostics_add (r->diagnostics, SQ_DIAG_FXP_FORMAT, -1, 1, "%s",
                         (const char *) g_ptr_array_index (q->warnings, k));
  sq_fxp_settings_clear (&s);
  return r;
}

/* ---------------------------------------------------------------------------------------- */
/* Check and export                                                                          */

/* What the exported C holds: constant arrays in flash, states and a step's buffers in RAM
 * (the two largest maps of the long type, which the generated step keeps at once). */
static void
memory_use (const SqFxpQNet *q,
            guint64         *flash,
            guint64         *ram)
{
  gsize widest = 0;

  *flash = *ram = 0;
  for (guint i = 0; i < q->net->n_layers; i++)
    {
      const SqFxpLayer *l = &q->net->layers[i];
      const SqFxpQLayer *ql = &q->layers[i];
      guint64 bytes = ql->bits / 8, n = sq_fxp_shape_size (l->out_shape);

      *flash += (ql->n_weight + ql->n_bias + ql->n_recurrent) * bytes;
      if (l->neuron.type != SQ_FXP_NEURON_NONE)
        *ram += n * bytes * (_sq_is_zero (l->neuron.tau_syn) ? 1 : 2);
      if (sq_tensor_is_present (&l->recurrent))
        *ram += n * bytes;
      widest = MAX (widest, MAX (n, sq_fxp_shape_size (l->in_shape)));
    }
  *ram += 2 * (guint64) widest * 4;
}

static SqCheckReport *
fxp_check (const SqNetwork        *network,
           const SqNetworkResult  *result,
           const SqDeviceProfile  *device,
           GError                **error)
{
  const FxpData *d = _sq_fxp_data (network);
  SqCheckReport *report = _sq_check_report_new (device);
  g_autoptr(SqFxpQNet) own = NULL;
  const SqFxpQNet *q = d->qnet;
  guint64 flash, ram;

  if (device->flash_bytes == 0)
    {
      char *m = g_strdup_printf (_("a fixed-point network runs on a microcontroller, not on %s"),
                                 device->title);

      _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "device", -1, m);
      return report;
    }
  if (q == NULL)
    {
      SqQuantSettings qs;
      SqFxpSettings fs;

      /* A float network is counted as the default quantization would make it. */
      sq_quant_settings_init (&qs, &_sq_fxp_kind);
      _sq_fxp_settings_from (&qs, d->net->n_layers, &fs);
      q = own = sq_fxp_quantize (d->net, &fs, NULL, error);
      sq_fxp_settings_clear (&fs);
      if (q == NULL)
        {
          sq_check_report_free (report);
          return NULL;
        }
      _sq_check_report_add_issue (report, SQ_CHECK_NOTE, "float", -1,
        g_strdup (_("the network is not quantized yet: its memory is counted at the default "
                    "formats (int16, int32 accumulator)")));
    }
  if (!q->power_of_two)
    _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "scheme", -1,
      g_strdup (_("the min–max scheme's steps are no powers of two: there is no integer core "
                  "or C for them; choose the power-of-two or the fixed-n scheme")));
  for (guint k = 0; q->warnings && k < q->warnings->len; k++)
    _sq_check_report_add_issue (report, SQ_CHECK_NOTE, "format", -1,
                                g_strdup (g_ptr_array_index (q->warnings, k)));
  memory_use (q, &flash, &ram);
  sq_check_report_add_resource (report, device->title, N_("Flash (bytes)"), flash,
                                device->flash_bytes);
  sq_check_report_add_resource (report, device->title, N_("RAM (bytes)"), ram,
                                device->ram_bytes);
  if (flash > device->flash_bytes)
    _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "flash", -1,
      g_strdup_printf (_("the weights and biases take %" PRIu64 " bytes; the profile has %"
                         PRIu64 " of flash"), flash, device->flash_bytes));
  if (ram > device->ram_bytes)
    _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "ram", -1,
      g_strdup_printf (_("the states and buffers take %" PRIu64 " bytes; the profile has %"
                         PRIu64 " of RAM"), ram, device->ram_bytes));
  return report;
}

static GPtrArray *
fxp_export (const SqNetwork        *network,
            const SqNetworkResult  *result,
            const SqDeviceProfile  *device,
            const SqFormatInfo     *format,
            const char             *path,
            const SqExportOptions  *options,
            GError                **error)
{
  const FxpData *d = _sq_fxp_data (network);

  if (d->qnet == NULL)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED,
                   _("%s is not quantized: quantize it first"), d->net->source);
      return NULL;
    }
  if (g_str_equal (format->name, "nir"))
    {
      g_autoptr(SqFxpNet) copy = _sq_fxp_dequantized (d, error);
      /* A layer file's time constants are in steps: 1 ms names a step. */
      GBytes *bytes = copy ? sq_fxp_net_to_nir (copy, d->dt > 0 ? d->dt : 1e-3, error) : NULL;
      GPtrArray *files;

      if (bytes == NULL)
        return NULL;
      files = _sq_export_files_new ();
      _sq_export_add_file (files, path, bytes);
      return files;
    }
  return sq_fxp_export_mcu_c (d->qnet, path, error);
}

/* ---------------------------------------------------------------------------------------- */
/* The kind                                                                                  */

static const SqFormatInfo fxp_formats[] = {
  { "mcu-c", N_("Microcontroller C (folder)"), NULL, TRUE, FALSE },
  { "nir", N_("NIR graph"), "nir", FALSE, FALSE },
};

static const char * const save_extensions[] = { "json", NULL };
static const char * const load_extensions[] = { "json", "nir", NULL };
static const char * const fxp_devices[] = { "mcu", NULL };

static const char * const compare_presets[] = {
  "width=int8", "width=int16", "width=int8 rounding=floor", "width=int16 rounding=floor",
  NULL
};

static const SqKindView fxp_view = {
  .compare_presets = compare_presets,
  .save_name = "{width}-{rounding}",
  .sections_by_layer = TRUE,
  /* The width is a choice of types: int8 and int16 are the x axis, a curve per rounding. */
  .sweep_x = "width",
  .sweep_series = "rounding",
};

const SqNetworkKind _sq_fxp_kind = {
  .name = "fxp",
  .label = N_("fixed-point network"),
  .options = _sq_fxp_options,
  .n_options = FXP_N_OPTS,
  .layer_options = _sq_fxp_layer_options,
  .n_layer_options = FXP_N_LAYER_OPTS,
  .formats = fxp_formats,
  .n_formats = G_N_ELEMENTS (fxp_formats),
  .save_extensions = save_extensions,
  .load_extensions = load_extensions,
  .devices = fxp_devices,
  .role_labels = { [SQ_ROLE_THRESHOLD] = N_("Neuron constants (v format)") },
  .view = &fxp_view,

  .probe = fxp_probe,
  .load = fxp_load,
  .check_settings = _sq_fxp_check_settings,
  .quantize = fxp_quantize,
  .group_errors = _sq_scaled_group_errors,
  .run = _sq_fxp_kind_run,
  .hints = _sq_fxp_kind_hints,
  .state_scale = _sq_fxp_kind_state_scale,
  .neuron_threshold = _sq_fxp_kind_neuron_threshold,
  .check = fxp_check,
  .export = fxp_export,
  .save = fxp_save,
  .write = _sq_fxp_kind_write,
  .with_values = _sq_fxp_kind_with_values,

  .describe = _sq_fxp_kind_describe,
  .describe_file = _sq_fxp_kind_describe_file,
  .summary = _sq_fxp_kind_summary,
  .report = _sq_fxp_kind_report,
  .note = _sq_fxp_kind_note,
  .layer_summary = _sq_fxp_kind_layer_summary,
  .overflow_figure = _sq_fxp_kind_overflow_figure,
};
