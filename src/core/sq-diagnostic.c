/* sq-diagnostic.c: what a user should know about a specification or its quantization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Diagnostics                                                                               */

static void
diagnostic_free (gpointer p)
{
  SqDiagnostic *d = p;

  g_free (d->message);
  g_free (d);
}

GPtrArray *
_sq_diagnostics_new (void)
{
  return g_ptr_array_new_with_free_func (diagnostic_free);
}

void
_sq_diagnostics_add (GPtrArray  *diagnostics,
                     SqDiagKind  kind,
                     int         param,
                     gsize       count,
                     const char *format,
                     ...)
{
  SqDiagnostic *d = g_new0 (SqDiagnostic, 1);
  va_list args;

  d->kind = kind;
  d->param = param;
  d->count = count;
  va_start (args, format);
  d->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (diagnostics, d);
}

/* "4, 17, 250 and 12 more" */
char *
_sq_format_list (GPtrArray *items)
{
  GString *s = g_string_new (NULL);
  const guint shown = 8;

  for (guint i = 0; i < items->len && i < shown; i++)
    g_string_append_printf (s, i ? ", %s" : "%s", (char *) g_ptr_array_index (items, i));
  if (items->len > shown)
    g_string_append_printf (s, _(" and %u more"), items->len - shown);

  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Dashes                                                                                    */

/* Whether synapse @k of hidden neuron @j (or output neuron @j) receives any weight. */
static gboolean
synapse_has_input (const SqXyloSpec *spec,
                   SqParam           dash,
                   gsize             j,
                   gsize             k)
{
  if (dash == SQ_PARAM_DASH_SYN_OUT)
    {
      const SqTensor *w = &spec->param[SQ_PARAM_WEIGHTS_OUT];

      for (gsize r = 0; r < spec->n_oen; r++)
        if (!_sq_is_zero (w->data[r * spec->n_out + j]))
          return TRUE;
      return FALSE;
    }

  const double *w_in = spec->param[SQ_PARAM_WEIGHTS_IN].data;
  const double *w_rec = spec->param[SQ_PARAM_WEIGHTS_REC].data;

  if (j < spec->n_ien)
    for (gsize i = 0; i < spec->n_in; i++)
      if (!_sq_is_zero (w_in[(i * spec->n_ien + j) * spec->n_syn + k]))
        return TRUE;
  for (gsize p = 0; p < spec->n_hidden; p++)
    if (!_sq_is_zero (w_rec[(p * spec->n_hidden + j) * spec->n_syn + k]))
      return TRUE;
  return FALSE;
}

/**
 * _sq_dashes_round:
 * @clip: clip to 0…15 (Synquant) or leave values outside as Rockpool does
 * @out: (nullable): where the rounded dashes go; %NULL only diagnoses
 *
 * Rounds every dash half to even, and diagnoses dashes of 0 on a synapse that receives
 * weights or on a membrane, and dashes outside 0…15.
 *
 * Returns: the number of dashes outside 0…15
 */
gsize
_sq_dashes_round (const SqXyloSpec *spec,
                  gboolean          clip,
                  SqXyloSpec       *out,
                  GPtrArray        *diagnostics)
{
  gsize n_outside = 0;

  for (guint i = SQ_PARAM_DASH_MEM; i <= SQ_PARAM_DASH_SYN_OUT; i++)
    {
      SqParam p = (SqParam) i;
      const SqTensor *d = &spec->param[p];
      SqTensor *q = out ? &out->param[p] : NULL;
      gboolean is_syn = p == SQ_PARAM_DASH_SYN || p == SQ_PARAM_DASH_SYN_2 ||
                        p == SQ_PARAM_DASH_SYN_OUT;
      gboolean unused = p == SQ_PARAM_DASH_SYN_2 && spec->n_syn < 2;
      const char *unit = sq_param_is_output (p) ? _("output neurons") : _("hidden neurons");
      g_autoptr(GPtrArray) zero = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);

      if (!sq_tensor_is_present (d))
        continue;

      for (gsize j = 0; j < d->n; j++)
        {
          double v = rint (d->data[j]);

          if (v < 0.0 || v > SQ_DASH_MAX)
            {
              g_ptr_array_add (outside, g_strdup_printf ("%zu (%.3g → %.0f)",
                                                         j, d->data[j],
                                                         clip ? CLAMP (v, 0.0, SQ_DASH_MAX) : v));
              if (clip)
                v = CLAMP (v, 0.0, SQ_DASH_MAX);
            }
          if (q)
            q->data[j] = v;

          if (_sq_is_zero (v) && !unused &&
              (!is_syn || synapse_has_input (spec, p, j, p == SQ_PARAM_DASH_SYN_2 ? 1 : 0)))
            g_ptr_array_add (zero, g_strdup_printf ("%zu", j));
        }

      n_outside += outside->len;
      if (outside->len > 0)
        {
          g_autofree char *list = _sq_format_list (outside);

          if (clip)
            _sq_diagnostics_add (diagnostics, SQ_DIAG_DASH_CLIPPED, p, outside->len,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u value outside 0…15 was clipped: %s %s",
                                              "%s: %u values outside 0…15 were clipped: %s %s",
                                              outside->len),
                                 sq_param_name (p), outside->len, unit, list);
          else
            _sq_diagnostics_add (diagnostics, SQ_DIAG_DASH_OUT_OF_RANGE, p, outside->len,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u value lies outside the hardware's 0…15 and "
                                              "Rockpool does not clip it: %s %s",
                                              "%s: %u values lie outside the hardware's 0…15 and "
                                              "Rockpool does not clip them: %s %s", outside->len),
                                 sq_param_name (p), outside->len, unit, list);
        }

      if (zero->len > 0)
        {
          g_autofree char *list = _sq_format_list (zero);

          if (is_syn)
            _sq_diagnostics_add (diagnostics, SQ_DIAG_DASH_ZERO, p, zero->len,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u neuron has dash 0, so its synaptic current "
                                              "is cleared every step before it reaches the "
                                              "membrane and the synapse is dead (τ_syn below "
                                              "1.41·dt, Rockpool issue #19): %s %s",
                                              "%s: %u neurons have dash 0, so their synaptic "
                                              "current is cleared every step before it reaches the "
                                              "membrane and the synapse is dead (τ_syn below "
                                              "1.41·dt, Rockpool issue #19): %s %s", zero->len),
                                 sq_param_name (p), zero->len, unit, list);
          else
            _sq_diagnostics_add (diagnostics, SQ_DIAG_DASH_ZERO, p, zero->len,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%s: %u neuron has dash 0, so its membrane potential "
                                              "does not persist from one step to the next (τ_mem "
                                              "below 1.41·dt): %s %s",
                                              "%s: %u neurons have dash 0, so their membrane "
                                              "potential does not persist from one step to the "
                                              "next (τ_mem below 1.41·dt): %s %s", zero->len),
                                 sq_param_name (p), zero->len, unit, list);
        }
    }

  return n_outside;
}

const char *
sq_diag_kind_to_string (SqDiagKind kind)
{
  static const char * const names[] = {
    [SQ_DIAG_ROCKPOOL_FALLBACK]       = "rockpool-fallback",
    [SQ_DIAG_ROCKPOOL_DEFECT]         = "rockpool-defect",
    [SQ_DIAG_FUZZY_IGNORED]           = "fuzzy-ignored",
    [SQ_DIAG_CLIPPED]                 = "clipped",
    [SQ_DIAG_OUT_OF_RANGE]            = "out-of-range",
    [SQ_DIAG_BIAS_ZEROED]             = "bias-zeroed",
    [SQ_DIAG_DASH_ZERO]               = "dash-zero",
    [SQ_DIAG_DASH_CLIPPED]            = "dash-clipped",
    [SQ_DIAG_DASH_OUT_OF_RANGE]       = "dash-out-of-range",
    [SQ_DIAG_SCALE_OVERFLOW]          = "scale-overflow",
    [SQ_DIAG_UNKNOWN_KEY]             = "unknown-key",
    [SQ_DIAG_NO_INPUT]                = "no-input",
    [SQ_DIAG_NO_OUTPUT]               = "no-output",
    [SQ_DIAG_THRESHOLD_NOT_POSITIVE]  = "threshold-not-positive",
    [SQ_DIAG_ALIAS_MULTIPLE]          = "alias-multiple",
    [SQ_DIAG_WEIGHT_SHIFT]            = "weight-shift",
    [SQ_DIAG_DISCRETIZE]              = "discretize",
    [SQ_DIAG_FXP_FORMAT]              = "fxp-format",
  };

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}

static void
add_neuron_list (GPtrArray  *diagnostics,
                 SqDiagKind  kind,
                 int         param,
                 GPtrArray  *items,
                 const char *singular,
                 const char *plural)
{
  g_autofree char *list = NULL;

  if (items->len == 0)
    return;
  list = _sq_format_list (items);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  _sq_diagnostics_add (diagnostics, kind, param, items->len,
                       g_dngettext (GETTEXT_PACKAGE, singular, plural, items->len),
                       items->len, list);
#pragma GCC diagnostic pop
}

/**
 * sq_xylo_spec_diagnose:
 *
 * What a user should know about a specification before quantizing it: keys the loader
 * ignored, dashes that round to 0 or outside 0…15, hidden neurons that receive no weight or
 * drive nothing, thresholds ≤ 0 and alias lists with several targets.
 *
 * Returns: (transfer full) (element-type SqDiagnostic): the diagnostics
 */
GPtrArray *
sq_xylo_spec_diagnose (const SqXyloSpec *spec)
{
  GPtrArray *diags = _sq_diagnostics_new ();
  const SqTensor *w_in = &spec->param[SQ_PARAM_WEIGHTS_IN];
  const SqTensor *w_rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  const SqTensor *w_out = &spec->param[SQ_PARAM_WEIGHTS_OUT];
  gsize nh = spec->n_hidden, ns = spec->n_syn;
  g_autofree gboolean *has_in = g_new0 (gboolean, nh);
  g_autofree gboolean *has_out = g_new0 (gboolean, nh);
  g_autoptr(GPtrArray) no_in = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) no_out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bad_theta = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bad_theta_out = g_ptr_array_new_with_free_func (g_free);
  gsize multi_alias = 0;

  for (guint i = 0; i < spec->warnings->len; i++)
    _sq_diagnostics_add (diags, SQ_DIAG_UNKNOWN_KEY, -1, 1, "%s",
                         (char *) g_ptr_array_index (spec->warnings, i));

  _sq_dashes_round (spec, FALSE, NULL, diags);

  /* Which neurons receive and which send, in one pass over each matrix in memory order. */
  for (gsize i = 0; i < spec->n_in; i++)
    for (gsize j = 0; j < spec->n_ien; j++)
      for (gsize k = 0; k < ns; k++)
        has_in[j] |= !_sq_is_zero (w_in->data[(i * spec->n_ien + j) * ns + k]);
  for (gsize p = 0; p < nh; p++)
    for (gsize j = 0; j < nh; j++)
      for (gsize k = 0; k < ns; k++)
        if (!_sq_is_zero (w_rec->data[(p * nh + j) * ns + k]))
          has_in[j] = has_out[p] = TRUE;
  for (gsize r = 0; r < spec->n_oen; r++)
    for (gsize o = 0; o < spec->n_out; o++)
      has_out[nh - spec->n_oen + r] |= !_sq_is_zero (w_out->data[r * spec->n_out + o]);
  if (spec->alias_offsets)
    for (gsize j = 0; j < nh; j++)
      {
        gsize n = spec->alias_offsets[j + 1] - spec->alias_offsets[j];

        has_out[j] |= n > 0;
        multi_alias += n > 1;
      }

  for (gsize j = 0; j < nh; j++)
    {
      if (!has_in[j])
        g_ptr_array_add (no_in, g_strdup_printf ("%zu", j));
      if (!has_out[j])
        g_ptr_array_add (no_out, g_strdup_printf ("%zu", j));
      if (!(spec->param[SQ_PARAM_THRESHOLD].data[j] > 0.0))
        g_ptr_array_add (bad_theta, g_strdup_printf ("%zu", j));
    }
  for (gsize o = 0; o < spec->n_out; o++)
    if (!(spec->param[SQ_PARAM_THRESHOLD_OUT].data[o] > 0.0))
      g_ptr_array_add (bad_theta_out, g_strdup_printf ("%zu", o));

  add_neuron_list (diags, SQ_DIAG_NO_INPUT, SQ_PARAM_WEIGHTS_REC, no_in,
                   N_("%u hidden neuron receives no input weight; only its bias, if any, can "
                      "make it fire: %s"),
                   N_("%u hidden neurons receive no input weight; only their bias, if any, can "
                      "make them fire: %s"));
  add_neuron_list (diags, SQ_DIAG_NO_OUTPUT, SQ_PARAM_WEIGHTS_REC, no_out,
                   N_("%u hidden neuron drives no other neuron and no output: %s"),
                   N_("%u hidden neurons drive no other neuron and no output: %s"));
  add_neuron_list (diags, SQ_DIAG_THRESHOLD_NOT_POSITIVE, SQ_PARAM_THRESHOLD, bad_theta,
                   N_("%u hidden neuron has a threshold ≤ 0 and would fire 31 events every step "
                      "on Xylo: %s"),
                   N_("%u hidden neurons have thresholds ≤ 0 and would fire 31 events every "
                      "step on Xylo: %s"));
  add_neuron_list (diags, SQ_DIAG_THRESHOLD_NOT_POSITIVE, SQ_PARAM_THRESHOLD_OUT, bad_theta_out,
                   N_("%u output neuron has a threshold ≤ 0 and would fire every step on Xylo: "
                      "%s"),
                   N_("%u output neurons have thresholds ≤ 0 and would fire every step on "
                      "Xylo: %s"));
  if (multi_alias > 0)
    _sq_diagnostics_add (diags, SQ_DIAG_ALIAS_MULTIPLE, -1, multi_alias,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "%zu alias list has more than one target; "
                                      "Rockpool's hardware configuration keeps only the first",
                                      "%zu alias lists have more than one target; "
                                      "Rockpool's hardware configuration keeps only the first",
                                      multi_alias),
                         multi_alias);

  return diags;
}
