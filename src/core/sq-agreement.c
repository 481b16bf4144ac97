/* sq-agreement.c: how far the float model and the integer core agree, over input samples
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <inttypes.h>

#include "synquant.h"
#include "sq-private.h"

SqAgreement *
sq_agreement_new (gsize n_hidden,
                  gsize n_out)
{
  SqAgreement *a = g_new0 (SqAgreement, 1);

  a->n_hidden = n_hidden;
  a->n_out = n_out;
  a->out_float = g_new0 (guint64, MAX (n_out, 1));
  a->out_int = g_new0 (guint64, MAX (n_out, 1));
  a->latency_sum = g_new0 (gint64, MAX (n_out, 1));
  a->latency_n = g_new0 (gsize, MAX (n_out, 1));
  a->hidden_float = g_new0 (guint64, MAX (n_hidden, 1));
  a->hidden_int = g_new0 (guint64, MAX (n_hidden, 1));
  return a;
}

void
sq_agreement_free (SqAgreement *a)
{
  if (a == NULL)
    return;
  g_free (a->out_float);
  g_free (a->out_int);
  g_free (a->latency_sum);
  g_free (a->latency_n);
  g_free (a->hidden_float);
  g_free (a->hidden_int);
  g_free (a);
}

/**
 * sq_agreement_add:
 * @float_result: the float model on one input sample
 * @int_result: the integer core on the same sample
 *
 * Adds one sample. Both runs must have the same network shape and number of steps.
 */
gboolean
sq_agreement_add (SqAgreement        *a,
                  const SqSimResult  *f,
                  const SqSimResult  *i,
                  GError            **error)
{
  if (f->n_hidden != a->n_hidden || i->n_hidden != a->n_hidden || f->n_out != a->n_out ||
      i->n_out != a->n_out || f->n_steps != i->n_steps)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
                   _("the float and integer runs differ in shape: %zu and %zu steps, %zu and %zu"
                     " hidden neurons, %zu and %zu outputs"),
                   f->n_steps, i->n_steps, f->n_hidden, i->n_hidden, f->n_out, i->n_out);
      return FALSE;
    }

  a->n_samples++;
  a->n_class_agree += sq_sim_result_class (f) == sq_sim_result_class (i);
  for (gsize k = 0; k < f->n_steps * f->n_out; k++)
    a->n_bins_equal += f->spikes_out[k] == i->spikes_out[k];
  a->n_bins += f->n_steps * f->n_out;
  for (gsize o = 0; o < a->n_out; o++)
    {
      a->out_float[o] += f->out_events[o];
      a->out_int[o] += i->out_events[o];
      if (f->first_out[o] >= 0 && i->first_out[o] >= 0)
        {
          a->latency_sum[o] += i->first_out[o] - f->first_out[o];
          a->latency_n[o]++;
        }
    }
  for (gsize j = 0; j < a->n_hidden; j++)
    {
      a->hidden_float[j] += f->hidden_events[j];
      a->hidden_int[j] += i->hidden_events[j];
    }
  return TRUE;
}

/* The fraction of output raster bins where both models agree. */
double
sq_agreement_raster (const SqAgreement *a)
{
  return a->n_bins ? (double) a->n_bins_equal / (double) a->n_bins : NAN;
}

/**
 * sq_agreement_silent_only:
 * @in_int: count neurons silent in the integer core but not in the float model (or the
 *   reverse)
 * @output: count output neurons rather than hidden ones
 */
gsize
sq_agreement_silent_only (const SqAgreement *a,
                          gboolean           in_int,
                          gboolean           output)
{
  const guint64 *fl = output ? a->out_float : a->hidden_float;
  const guint64 *in = output ? a->out_int : a->hidden_int;
  gsize n = 0;

  for (gsize k = 0; k < (output ? a->n_out : a->n_hidden); k++)
    n += in_int ? (in[k] == 0 && fl[k] > 0) : (fl[k] == 0 && in[k] > 0);
  return n;
}

char *
sq_agreement_summary (const SqAgreement *a)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                          "float model vs integer core, %zu"
                                          " sample\n",
                                          "float model vs integer core, %zu"
                                          " samples\n", a->n_samples), a->n_samples);
  g_string_append_printf (s, _("  %-8s %12s %12s %16s\n"), _("output"), _("float"),
                          _("integer"), _("latency Δ steps"));
  for (gsize o = 0; o < a->n_out; o++)
    {
      g_autofree char *lat = a->latency_n[o]
        ? g_strdup_printf ("%+.1f", (double) a->latency_sum[o] / (double) a->latency_n[o])
        : g_strdup ("-");

      g_string_append_printf (s, "  %-8zu %12" PRIu64 " %12"
                              PRIu64 " %16s\n", o, a->out_float[o], a->out_int[o],
                              lat);
    }
  g_string_append_printf (s, _("  output raster agreement: %.2f %%\n"),
                          100.0 * sq_agreement_raster (a));
  g_string_append_printf (s, _("  class (argmax) agreement: %zu of %zu\n"), a->n_class_agree,
                          a->n_samples);
  g_string_append_printf (s, _("  silent only in the integer core: %zu"
                               " hidden, %zu output\n"),
                          sq_agreement_silent_only (a, TRUE, FALSE),
                          sq_agreement_silent_only (a, TRUE, TRUE));
  g_string_append_printf (s, _("  silent only in the float model: %zu"
                               " hidden, %zu output\n"),
                          sq_agreement_silent_only (a, FALSE, FALSE),
                          sq_agreement_silent_only (a, FALSE, TRUE));
  return g_string_free (s, FALSE);
}

static void
append_counts (GString       *s,
               const char    *key,
               const guint64 *v,
               gsize          n)
{
  g_string_append_printf (s, "    \"%s\": [", key);
  for (gsize k = 0; k < n; k++)
    g_string_append_printf (s, k ? ", %" PRIu64 : "%" PRIu64, v[k]);
  g_string_append (s, "],\n");
}

/* The agreement as a JSON object; numbers never go through the locale. */
GString *
sq_agreement_to_json (const SqAgreement *a)
{
  GString *s = g_string_new ("{\n");

  g_string_append_printf (s, "    \"samples\": %zu,\n", a->n_samples);
  g_string_append_printf (s, "    \"class_agree\": %zu,\n", a->n_class_agree);
  append_counts (s, "out_events_float", a->out_float, a->n_out);
  append_counts (s, "out_events_int", a->out_int, a->n_out);
  g_string_append (s, "    \"raster_agreement\": ");
  _sq_append_float (s, sq_agreement_raster (a));
  g_string_append (s, ",\n    \"first_spike_latency_diff\": [");
  for (gsize o = 0; o < a->n_out; o++)
    {
      if (o)
        g_string_append (s, ", ");
      if (a->latency_n[o])
        _sq_append_float (s, (double) a->latency_sum[o] / (double) a->latency_n[o]);
      else
        g_string_append (s, "null");
    }
  g_string_append_printf (s, "],\n    \"silent_only_int\": {\"hidden\": %zu"
                          ", \"output\": %zu},\n",
                          sq_agreement_silent_only (a, TRUE, FALSE),
                          sq_agreement_silent_only (a, TRUE, TRUE));
  g_string_append_printf (s, "    \"silent_only_float\": {\"hidden\": %zu"
                          ", \"output\": %zu}\n  }",
                          sq_agreement_silent_only (a, FALSE, FALSE),
                          sq_agreement_silent_only (a, FALSE, TRUE));
  return s;
}
