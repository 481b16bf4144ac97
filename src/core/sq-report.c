/* sq-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

/* JSON has no infinity: an exact reproduction (no error at all) is written as null. Every
 * report of the core (this one and the network model's, sq-network-text.c) writes numbers
 * through these two. */
void
_sq_json_add_double (JsonBuilder *b,
                     const char  *name,
                     double       v)
{
  json_builder_set_member_name (b, name);
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

void
_sq_json_add_int (JsonBuilder *b,
                  const char  *name,
                  gint64       v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, v);
}

/* A dash as written in the specification. Rockpool mode leaves dashes unclipped, so one can
 * lie far beyond int64 (−1.3e145): casting it would be undefined and print INT64_MIN; it is
 * written as the double it is instead. */
static void
add_whole (JsonBuilder *b,
           double       v)
{
  if (v >= -0x1p63 && v < 0x1p63)
    json_builder_add_int_value (b, (gint64) v);
  else if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_figures (JsonBuilder         *b,
             const SqGroupReport *g)
{
  _sq_json_add_int (b, "weights", (gint64) g->n_weights);
  _sq_json_add_int (b, "clipped", (gint64) g->clipped);
  _sq_json_add_int (b, "out_of_range", (gint64) g->out_of_range);
  _sq_json_add_int (b, "nonzero", (gint64) g->n_nonzero);
  _sq_json_add_int (b, "zeroed", (gint64) g->zeroed);
  _sq_json_add_double (b, "zeroed_share", sq_zeroed_share (g->zeroed, g->n_nonzero));
  _sq_json_add_int (b, "bias_zeroed", (gint64) g->bias_zeroed);
  _sq_json_add_double (b, "mse", sq_group_report_mse (g));
  _sq_json_add_double (b, "sqnr_db", sq_group_report_sqnr_db (g));
  _sq_json_add_double (b, "max_abs_error", g->max_abs_error);
}

static void
add_scale (JsonBuilder         *b,
           const SqGroupReport *g)
{
  _sq_json_add_double (b, "range", g->range);
  _sq_json_add_double (b, "scale", g->scale);
  _sq_json_add_double (b, "clip", g->clip);
  json_builder_set_member_name (b, "threshold_limited");
  json_builder_add_boolean_value (b, g->threshold_limited);
}

/**
 * sq_quant_result_to_json:
 * @source: (nullable): the input file, for the record
 *
 * The machine-readable report of `synquant-cli quantize --report`: parameters, totals,
 * per-layer and per-group figures, every dash with its effective time constant, and the
 * diagnostics. A SQNR of null means the weights were reproduced exactly.
 */
JsonNode *
sq_quant_result_to_json (const SqQuantResult *result,
                         const char          *source)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const SqXyloSpec *spec = result->spec;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "synquant_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  if (source)
    {
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, source);
    }

  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, sq_method_to_string (result->params.method));
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, sq_mode_to_string (result->params.mode));
  json_builder_set_member_name (b, "fuzzy");
  json_builder_add_boolean_value (b, result->params.fuzzy);
  _sq_json_add_int (b, "weight_bits", result->params.weight_bits);
  _sq_json_add_int (b, "threshold_bits", result->params.threshold_bits);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "mode_used");
  json_builder_add_string_value (b, sq_mode_to_string (result->mode_used));

  json_builder_set_member_name (b, "summary");
  json_builder_begin_object (b);
  add_figures (b, &result->total);
  _sq_json_add_int (b, "dashes_clipped", (gint64) result->dashes_clipped);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "layers");
  json_builder_begin_object (b);
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      json_builder_set_member_name (b, sq_layer_to_string ((SqLayer) l));
      json_builder_begin_object (b);
      add_scale (b, &result->layer[l]);
      add_figures (b, &result->layer[l]);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->groups->len; i++)
    {
      const SqGroupReport *g = sq_quant_result_get_group (result, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "layer");
      json_builder_add_string_value (b, sq_layer_to_string (g->layer));
      json_builder_set_member_name (b, "channel");
      if (g->channel >= 0)
        json_builder_add_int_value (b, g->channel);
      else
        json_builder_add_null_value (b);
      add_scale (b, g);
      add_figures (b, g);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "dashes");
  json_builder_begin_object (b);
  for (guint p = SQ_PARAM_DASH_MEM; p <= SQ_PARAM_DASH_SYN_OUT; p++)
    {
      const SqTensor *d = &spec->param[p];

      if (!sq_tensor_is_present (d))
        continue;
      json_builder_set_member_name (b, sq_param_name ((SqParam) p));
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "values");
      json_builder_begin_array (b);
      for (gsize j = 0; j < d->n; j++)
        add_whole (b, d->data[j]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "tau_eff_steps");
      json_builder_begin_array (b);
      for (gsize j = 0; j < d->n; j++)
        {
          double tau = sq_dash_tau_eff (d->data[j]);
          if (isfinite (tau))
            json_builder_add_double_value (b, tau);
          else
            json_builder_add_null_value (b);
        }
      json_builder_end_array (b);
      if (spec->has_dt)
        {
          json_builder_set_member_name (b, "tau_eff_seconds");
          json_builder_begin_array (b);
          for (gsize j = 0; j < d->n; j++)
            {
              double tau = sq_dash_tau_eff (d->data[j]) * spec->dt;
              if (isfinite (tau))
                json_builder_add_double_value (b, tau);
              else
                json_builder_add_null_value (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "diagnostics");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->diagnostics->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (result->diagnostics, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, sq_diag_kind_to_string (d->kind));
      json_builder_set_member_name (b, "param");
      if (d->param >= 0)
        json_builder_add_string_value (b, sq_param_name ((SqParam) d->param));
      else
        json_builder_add_null_value (b);
      _sq_json_add_int (b, "count", (gint64) d->count);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, d->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* "global scaling, fuzzy range, Synquant mode, 8-bit weights, 16-bit thresholds" */
char *
sq_quant_params_describe (const SqQuantParams *params)
{
  return g_strdup_printf (_("%s scaling%s, %s mode, %u-bit weights, %u-bit thresholds"),
                          params->method == SQ_METHOD_CHANNEL ? _("per-channel") : _("global"),
                          params->fuzzy ? _(" with fuzzy range") : "",
                          params->mode == SQ_MODE_ROCKPOOL ? _("Rockpool") : _("Synquant"),
                          params->weight_bits, params->threshold_bits);
}

/* "3 clipped, zeroed 20 of 85848 non-zero (0.02 %), SQNR 41.20 dB, max error 0.0113": the
 * figures of any network kind's summary. */
void
_sq_append_figures (GString *s,
                    gsize    clipped,
                    gsize    zeroed,
                    gsize    n_nonzero,
                    gsize    out_of_range,
                    double   sqnr,
                    double   max_abs_error)
{
  g_autofree char *zeroed_text = sq_zeroed_text (zeroed, n_nonzero);

  /* Translators: "3 clipped, zeroed 20 of 85848 non-zero (0.02 %)" */
  g_string_append_printf (s, _("%zu clipped, zeroed %s"), clipped, zeroed_text);
  if (out_of_range)
    g_string_append_printf (s, _(", %zu out of range"), out_of_range);
  if (isfinite (sqnr))
    g_string_append_printf (s, _(", SQNR %.2f dB, max error %.3g"), sqnr, max_abs_error);
  else
    g_string_append (s, _(", exact"));
}

static void
append_figures (GString             *s,
                const SqGroupReport *g)
{
  _sq_append_figures (s, g->clipped, g->zeroed, g->n_nonzero, g->out_of_range,
                      sq_group_report_sqnr_db (g),
                      g->max_abs_error);
}

/**
 * sq_quant_result_summary:
 *
 * A few readable lines: per layer the scale and clip point (their spread under channel
 * scaling), the counts and the error figures, then the totals and the diagnostics.
 */
char *
sq_quant_result_summary (const SqQuantResult *result)
{
  GString *s = g_string_new (NULL);
  g_autofree char *params = sq_quant_params_describe (&result->params);

  g_string_append_printf (s, "%s\n", params);
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      const SqGroupReport *g = &result->layer[l];

      g_string_append_printf (s, "  %-7s ", l == SQ_LAYER_HIDDEN ? _("hidden:") : _("output:"));
      if (result->params.method == SQ_METHOD_GLOBAL)
        g_string_append_printf (s, _("scale %.6g, clip ±%.6g%s; "), g->scale, g->clip,
                                g->threshold_limited ? _(" (limited by the thresholds)") : "");
      else
        {
          double lo, hi;

          sq_quant_result_clip_range (result, (SqLayer) l, &lo, &hi);
          if (lo <= hi)
            g_string_append_printf (s, _("clip ±%.4g … ±%.4g per neuron; "), lo, hi);
        }
      append_figures (s, g);
      g_string_append_c (s, '\n');
    }
  g_string_append_printf (s, _("  total:  %zu weights; "),
                          result->total.n_weights);
  append_figures (s, &result->total);
  if (result->dashes_clipped)
    g_string_append_printf (s, _("; %zu dashes outside 0…15"),
                            result->dashes_clipped);
  g_string_append_c (s, '\n');

  for (guint i = 0; i < result->diagnostics->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (result->diagnostics, i);
      g_string_append_printf (s, _("warning: %s\n"), d->message);
    }

  return g_string_free (s, FALSE);
}

/* json-glib 1.6 writes a double with "%.17g" and appends ".0" when that has no '.': 1e-08
 * comes out as "1e-08.0", which no JSON reader takes, and 0.1 as 0.10000000000000001. Each
 * double of the generator's text (a number with '.' or an exponent: integers have neither)
 * is read back, exactly, and written again by _sq_append_float, the shortest text that reads
 * back as the same double ("1e-08", "0.1", "1.0", "-0.0", "5e-324"), as the specification
 * writer spells numbers. Integers, strings and the layout pass unchanged. */
static void
append_respelled (GString    *s,
                  const char *text)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *q = p;

      if (*p == '"')
        {
          for (q = p + 1; *q != '\0' && *q != '"'; q++)
            if (*q == '\\' && q[1] != '\0')
              q++;
          if (*q == '"')
            q++;
          g_string_append_len (s, p, q - p);
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          gboolean fraction = FALSE;

          for (; *q == '-' || *q == '+' || *q == '.' || *q == 'e' || *q == 'E' ||
                 g_ascii_isdigit (*q); q++)
            fraction |= *q == '.' || *q == 'e' || *q == 'E';
          if (fraction)
            _sq_append_float (s, g_ascii_strtod (p, NULL));
          else
            g_string_append_len (s, p, q - p);
        }
      else
        g_string_append_c (s, *q++);
      p = q;
    }
}

/**
 * sq_json_to_data:
 *
 * A JSON document as text, ending with a newline; every JSON document Synquant writes comes
 * through here. Doubles are written as the shortest text that reads back as the same
 * number, always valid JSON (json-glib 1.6 alone writes 1e-08 as "1e-08.0"); a non-finite
 * double cannot be in JSON and must be given as null.
 */
char *
sq_json_to_data (JsonNode *root,
                 gboolean  pretty,
                 gsize    *length)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *data = NULL;
  GString *text;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, pretty);
  json_generator_set_indent (gen, 2);
  data = json_generator_to_data (gen, NULL);
  text = g_string_sized_new (strlen (data) + 2);
  append_respelled (text, data);
  g_string_append_c (text, '\n');
  if (length)
    *length = text->len;
  return g_string_free (text, FALSE);
}
