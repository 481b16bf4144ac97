/* sq-fxp-kind-text.c: the fixed-point kind's words — what `info` says about a network and
 * a NIR graph, and the summary, report and note of a quantization (every layer's formats)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-fxp-kind-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

static void
append_shape (GString     *s,
              const gsize  shape[3])
{
  if (shape[1] == 1 && shape[2] == 1)
    g_string_append_printf (s, "%zu", shape[0]);
  else
    g_string_append_printf (s, "%zu × %zu × %zu", shape[0], shape[1], shape[2]);
}

/* "  layer 1: linear 256 → 10, LIF τ 2.5 steps, θ 1, soft reset" */
static void
append_layer (GString          *s,
              const SqFxpLayer *l,
              guint             i)
{
  const SqFxpNeuron *n = &l->neuron;

  g_string_append_printf (s, _("  layer %u: %s "), i, sq_fxp_op_name (l->op));
  append_shape (s, l->in_shape);
  g_string_append (s, " → ");
  append_shape (s, l->out_shape);
  if (sq_tensor_is_present (&l->recurrent))
    g_string_append (s, _(", recurrent"));
  if (n->type != SQ_FXP_NEURON_NONE)
    {
      g_autofree char *name = g_ascii_strup (sq_fxp_neuron_name (n->type), -1);

      g_string_append_printf (s, ", %s", name);
      if (n->type == SQ_FXP_NEURON_LIF)
        g_string_append_printf (s, _(" τ %g steps"), n->tau);
      if (!_sq_is_zero (n->tau_syn))
        g_string_append_printf (s, _(", synapse τ %g steps"), n->tau_syn);
      g_string_append_printf (s, _(", θ %g"), n->v_threshold);
      if (n->soft_reset)
        g_string_append (s, _(", soft reset"));
      else
        g_string_append_printf (s, _(", reset to %g"), n->v_reset);
    }
  g_string_append_c (s, '\n');
}

char *
_sq_fxp_kind_describe (const SqNetwork *network)
{
  const FxpData *d = _sq_fxp_data (network);
  const SqFxpNet *net = d->net;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%s: fixed-point network, %u layer",
                                          "%s: fixed-point network, %u layers", net->n_layers),
                          net->source, net->n_layers);
  g_string_append (s, _(", input "));
  append_shape (s, net->input_shape);
  if (d->qnet != NULL)
    g_string_append (s, _(", quantized"));
  g_string_append_c (s, '\n');
  for (guint i = 0; i < net->n_layers; i++)
    append_layer (s, &net->layers[i], i);
  for (guint i = 0; i < network->notes->len; i++)
    g_string_append_printf (s, _("  note: %s\n"), (const char *) network->notes->pdata[i]);
  return g_string_free (s, FALSE);
}

/* What `info` adds about a NIR graph: how it maps to a fixed-point network, or why not. */
char *
_sq_fxp_kind_describe_file (const char           *path,
                            const SqLoadOptions  *options,
                            GError              **error)
{
  g_autoptr(SqNirGraph) graph = NULL;
  g_autoptr(SqFxpNet) net = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  SqNirMapOptions probe = { 1e-3, SQ_NIR_RESET_SUBTRACT };
  GString *s;

  if (!_sq_path_has_extension (path, "nir"))
    return NULL;
  graph = sq_nir_graph_load (path, error);
  if (graph == NULL)
    return NULL;
  /* Without dt the mapping is shown at 1 ms: whether it maps, and its layers. */
  net = sq_nir_map_to_fxp (graph, options && options->has_nir ? &options->nir : &probe,
                           &notes, &local);
  if (net == NULL)
    return g_strdup_printf (_("Fixed-point mapping: %s\n"), local->message);
  s = g_string_new (NULL);
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "Fixed-point mapping: %u layer",
                                          "Fixed-point mapping: %u layers", net->n_layers),
                          net->n_layers);
  if (!(options && options->has_nir))
    g_string_append (s, _(" (at dt 1 ms; give --dt)"));
  g_string_append_c (s, '\n');
  for (guint i = 0; i < net->n_layers; i++)
    append_layer (s, &net->layers[i], i);
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    g_string_append_printf (s, _("  note: %s\n"), (const char *) notes->pdata[i]);
  return g_string_free (s, FALSE);
}

/* "Q1.6", or "Δ 0.0123" for the min–max scheme */
static char *
format_name (const SqFxpQNet   *q,
             const SqFxpFormat *fmt,
             guint              bits)
{
  if (q->power_of_two)
    return sq_fxp_q_string (fmt->n, bits);
  return g_strdup_printf ("Δ %.4g", fmt->delta);
}

/* " input Q1.6 weight Q2.5 (SQNR 40.1 dB) …": layer @i's formats and figures. */
static void
append_formats (GString         *s,
                const SqFxpQNet *q,
                guint            i)
{
  const SqFxpQLayer *ql = &q->layers[i];

  for (guint t = 0; t < SQ_FXP_N_TENSORS; t++)
    {
      g_autofree char *name = NULL;

      if (!ql->fmt[t].present)
        continue;
      name = format_name (q, &ql->fmt[t], ql->bits);
      g_string_append_printf (s, " %s %s", sq_fxp_tensor_name (t), name);
      if ((t == SQ_FXP_WEIGHT || t == SQ_FXP_BIAS) && isfinite (ql->fmt[t].sqnr_db))
        g_string_append_printf (s, _(" (SQNR %.1f dB)"), ql->fmt[t].sqnr_db);
      if (ql->fmt[t].n_clipped > 0)
        g_string_append_printf (s, _(" (%zu clipped)"), ql->fmt[t].n_clipped);
    }
}

char *
_sq_fxp_kind_summary (const SqNetworkResult *result)
{
  const FxpData *d = _sq_fxp_data (result->quantized);
  const SqFxpQNet *q = d->qnet;
  g_autofree char *settings = sq_quant_settings_to_string (&result->settings);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, _("settings %s\n"), settings);
  for (guint i = 0; i < d->net->n_layers; i++)
    {
      const SqFxpQLayer *ql = &q->layers[i];

      g_string_append_printf (s, _("  layer %u (int%u, int%u accumulator):"), i, ql->bits,
                              ql->long_bits);
      append_formats (s, q, i);
      g_string_append_c (s, '\n');
    }
  for (guint i = 0; i < result->diagnostics->len; i++)
    g_string_append_printf (s, _("warning: %s\n"),
                            ((SqDiagnostic *) g_ptr_array_index (result->diagnostics,
                                                                 i))->message);
  return g_string_free (s, FALSE);
}

/* "int8, int16 accumulator: input Q1.6 weight Q2.5 …" */
char *
_sq_fxp_kind_layer_summary (const SqNetworkResult *result,
                            guint                  layer)
{
  const SqFxpQNet *q = _sq_fxp_data (result->quantized)->qnet;
  GString *s = g_string_new (NULL);

  /* Translators: a layer's types before its formats: "int8, int16 accumulator:" */
  g_string_append_printf (s, _("int%u, int%u accumulator:"), q->layers[layer].bits,
                          q->layers[layer].long_bits);
  append_formats (s, q, layer);
  return g_string_free (s, FALSE);
}

static void
set_number (JsonObject *o,
            const char *key,
            double      v)
{
  if (isfinite (v))
    json_object_set_double_member (o, key, v);
  else
    json_object_set_null_member (o, key);
}

/* The generic report, each layer's formats with their figures. */
JsonNode *
_sq_fxp_kind_report (const SqNetworkResult *result,
                     const char            *source)
{
  const FxpData *d = _sq_fxp_data (result->quantized);
  const SqFxpQNet *q = d->qnet;
  JsonNode *root = _sq_network_report_generic (result, source);
  JsonObject *layers = json_object_get_object_member (json_node_get_object (root), "layers");

  for (guint i = 0; i < d->net->n_layers; i++)
    {
      const SqFxpQLayer *ql = &q->layers[i];
      JsonObject *o = json_object_get_object_member (
        layers, sq_network_get_layer (result->network, i)->id);
      JsonObject *formats = json_object_new ();

      if (o == NULL)
        {
          o = json_object_new ();
          json_object_set_object_member (layers, sq_network_get_layer (result->network,
                                                                       i)->id, o);
        }
      json_object_set_int_member (o, "bits", ql->bits);
      json_object_set_int_member (o, "long_bits", ql->long_bits);
      for (guint t = 0; t < SQ_FXP_N_TENSORS; t++)
        {
          const SqFxpFormat *f = &ql->fmt[t];
          JsonObject *fo;
          g_autofree char *name = NULL;

          if (!f->present)
            continue;
          fo = json_object_new ();
          name = format_name (q, f, ql->bits);
          json_object_set_string_member (fo, "q", name);
          json_object_set_int_member (fo, "n", f->n);
          set_number (fo, "delta", f->delta);
          set_number (fo, "range", f->range);
          set_number (fo, "clip_lo", f->clip_lo);
          set_number (fo, "clip_hi", f->clip_hi);
          json_object_set_int_member (fo, "n_values", (gint64) f->n_values);
          json_object_set_int_member (fo, "n_clipped", (gint64) f->n_clipped);
          set_number (fo, "max_abs_error", f->max_abs_error);
          set_number (fo, "sqnr_db", f->sqnr_db);
          json_object_set_object_member (formats, sq_fxp_tensor_name (t), fo);
        }
      json_object_set_object_member (o, "formats", formats);
    }
  return root;
}

/* "int8, weights Q1.6 … Q3.4" for a comparison table */
char *
_sq_fxp_kind_note (const SqNetworkResult *result)
{
  const FxpData *d = _sq_fxp_data (result->quantized);
  const SqFxpQNet *q = d->qnet;
  int lo = G_MAXINT, hi = G_MININT;
  guint bits = 0;

  if (!q->power_of_two)
    return g_strdup (_("min–max steps: figures only"));
  for (guint i = 0; i < d->net->n_layers; i++)
    if (q->layers[i].fmt[SQ_FXP_WEIGHT].present)
      {
        lo = MIN (lo, q->layers[i].fmt[SQ_FXP_WEIGHT].n);
        hi = MAX (hi, q->layers[i].fmt[SQ_FXP_WEIGHT].n);
        bits = q->layers[i].bits;
      }
  if (bits == 0)
    return g_strdup ("");
  if (lo == hi)
    {
      g_autofree char *one = sq_fxp_q_string (lo, bits);

      return g_strdup_printf (_("weights %s"), one);
    }
  {
    g_autofree char *a = sq_fxp_q_string (hi, bits), *b = sq_fxp_q_string (lo, bits);

    return g_strdup_printf (_("weights %s … %s"), a, b);
  }
}
