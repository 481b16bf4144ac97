/* sq-xylo-kind-text.c: the Xylo kind's own words — `synquant-cli info`, `quantize` and
 * `compare` texts, and the Simulate page's hints
 *
 * Word for word what the CLI and the window printed before the network model, so their
 * output stays byte-identical.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-network-private.h"
#include "sq-xylo-kind-text-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Hints                                                                                     */

/* The neurons whose @param (a dash) is 0 in the integer specification. */
static gsize
count_zero (const SqXyloSpec *spec,
            SqParam           param)
{
  const SqTensor *t = &spec->param[param];
  gsize n = 0;

  for (gsize i = 0; sq_tensor_is_present (t) && i < t->n; i++)
    n += !(fabs (t->data[i]) > 0.0);
  return n;
}

static char *
dash_hint (guint    synapse,
           gboolean output,
           gsize    n)
{
  if (synapse > 0)
    return g_strdup_printf (output
                              ? g_dngettext (GETTEXT_PACKAGE,
                                             "Synapse %u of %zu output neuron decays to "
                                             "zero every step: dash 0 — τ_syn is below "
                                             "1.41·dt.",
                                             "Synapse %u of %zu output neurons decays to "
                                             "zero every step: dash 0 — τ_syn is below "
                                             "1.41·dt.", n)
                              : g_dngettext (GETTEXT_PACKAGE,
                                             "Synapse %u of %zu neuron decays to zero every "
                                             "step: dash 0 — τ_syn is below 1.41·dt.",
                                             "Synapse %u of %zu neurons decays to zero "
                                             "every step: dash 0 — τ_syn is below 1.41·dt.",
                                             n),
                            synapse, n);
  return g_strdup_printf (output
                            ? g_dngettext (GETTEXT_PACKAGE,
                                           "The membrane of %zu output neuron forgets "
                                           "everything every step: dash 0 — τ_mem is "
                                           "below 1.41·dt.",
                                           "The membranes of %zu output neurons forget "
                                           "everything every step: dash 0 — τ_mem is "
                                           "below 1.41·dt.", n)
                            : g_dngettext (GETTEXT_PACKAGE,
                                           "The membrane of %zu neuron forgets everything "
                                           "every step: dash 0 — τ_mem is below 1.41·dt.",
                                           "The membranes of %zu neurons forget "
                                           "everything every step: dash 0 — τ_mem is "
                                           "below 1.41·dt.", n),
                          n);
}

/* Fewer threshold bits lower the scale only where the thresholds set it, so the advice is
 * tried on the run's input first: 1, 2, 4 and 8 bits fewer, the first that lowers the
 * saturations is given with what it gives; where none does, that is said; "" where nothing
 * could be tried (_sq_sim_run_retry()). */
static char *
saturation_advice (const SqSimRun *run,
                   guint64         now)
{
  int bits = sq_quant_settings_get (&run->result->settings, "threshold-bits");
  int tried = bits;

  for (int fewer = 1; fewer <= 8 && bits - fewer >= SQ_THRESHOLD_BITS_MIN; fewer *= 2)
    {
      g_autofree char *value = g_strdup_printf ("%d", bits - fewer);
      g_autoptr(SqSimResult) in = _sq_sim_run_retry (run, "threshold-bits", value);
      guint64 n;

      if (in == NULL)
        return g_strdup ("");
      n = in->isyn_saturated + in->vmem_saturated;
      if (n < now)
        return g_strdup_printf (_(" With %d threshold bits they hit them %" PRIu64 " times "
                                  "on this input."), bits - fewer, n);
      tried = bits - fewer;
    }
  if (tried == bits)
    return g_strdup ("");
  return g_strdup_printf (_(" Fewer threshold bits (down to %d) do not lower that on this "
                            "input."), tried);
}

/* What the integer core's run says about the quantized network: dead synapses and
 * membranes, saturated states, capped events, dropped input. */
GPtrArray *
_sq_xylo_hints (const SqSimRun *run)
{
  const SqXyloSpec *spec = _sq_xylo_network_spec (run->result->quantized);
  const SqSimResult *in = run->int_result;
  GPtrArray *hints = g_ptr_array_new_with_free_func (g_free);
  static const struct {
    SqParam  param;
    guint    synapse;   /* 0: the membrane */
    gboolean output;
  } dashes[] = {
    { SQ_PARAM_DASH_SYN, 1, FALSE },
    { SQ_PARAM_DASH_SYN_2, 2, FALSE },
    { SQ_PARAM_DASH_MEM, 0, FALSE },
    { SQ_PARAM_DASH_SYN_OUT, 1, TRUE },
    { SQ_PARAM_DASH_MEM_OUT, 0, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (dashes); i++)
    {
      gsize n = count_zero (spec, dashes[i].param);

      if (n == 0 || (dashes[i].param == SQ_PARAM_DASH_SYN_2 && spec->n_syn < 2))
        continue;
      g_ptr_array_add (hints, dash_hint (dashes[i].synapse, dashes[i].output, n));
    }
  if (in->isyn_saturated + in->vmem_saturated > 0)
    {
      g_autofree char *advice = saturation_advice (run, in->isyn_saturated +
                                                        in->vmem_saturated);

      g_ptr_array_add (hints,
                       g_strdup_printf (_("The integer states hit their 16-bit limits %" PRIu64
                                          " times: the network is scaled too close to the "
                                          "state's range.%s"),
                                        in->isyn_saturated + in->vmem_saturated, advice));
    }
  if (in->cap_hit > 0)
    g_ptr_array_add (hints,
                     g_strdup_printf (_("Neurons wanted more than 31 events in one step %"
                                        PRIu64 " times; the core sent 31 and kept the rest "
                                        "of the potential."), in->cap_hit));
  if (in->input_dropped > 0)
    g_ptr_array_add (hints,
                     g_strdup_printf (_("%" PRIu64 " input events beyond 15 per channel and "
                                        "step were dropped, as the chip does: lower the "
                                        "input rate."), in->input_dropped));
  return hints;
}

/* ---------------------------------------------------------------------------------------- */
/* info                                                                                      */

char *
_sq_xylo_describe (const SqNetwork *network)
{
  const SqXyloSpec *spec = _sq_xylo_network_spec (network);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, _("%s: Xylo specification with %s values\n"), spec->source,
                          network->is_integer ? _("integer") : _("float"));
  g_string_append_printf (s, _("  inputs          %zu\n"), spec->n_in);
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                          "  hidden neurons  %zu, %zu synapse each; "
                                          "%zu receive input, the last %zu"
                                          " drive outputs\n",
                                          "  hidden neurons  %zu, %zu synapses each; "
                                          "%zu receive input, the last %zu"
                                          " drive outputs\n", spec->n_syn),
                          spec->n_hidden, spec->n_syn, spec->n_ien, spec->n_oen);
  g_string_append_printf (s, _("  output neurons  %zu\n"), spec->n_out);
  if (spec->has_dt)
    g_string_append_printf (s, _("  dt              %g s\n"), spec->dt);
  g_string_append_printf (s, _("  weight shifts   in %d, rec %d, out %d\n"),
                          spec->weight_shift[SQ_SHIFT_IN], spec->weight_shift[SQ_SHIFT_REC],
                          spec->weight_shift[SQ_SHIFT_OUT]);
  if (spec->alias_offsets)
    g_string_append_printf (s, _("  alias targets   %zu\n"),
                            spec->alias_offsets[spec->n_alias_lists]);
  return g_string_free (s, FALSE);
}

/* A NIR graph: its nodes and edges, then how it maps to Xylo with @options, or why not. */
char *
_sq_xylo_describe_file (const char           *path,
                        const SqLoadOptions  *options,
                        GError              **error)
{
  g_autoptr(SqNirGraph) graph = NULL;
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(GError) local = NULL;
  SqLoadOptions xylo = { { 0, }, FALSE, &_sq_xylo_kind };
  SqNirDtProposal proposal;
  g_autofree char *text = NULL;
  GString *s;

  if (!_sq_path_has_extension (path, "nir"))
    return NULL;
  graph = sq_nir_graph_load (path, error);
  if (graph == NULL)
    return NULL;
  text = sq_nir_graph_describe (graph);
  s = g_string_new (text);

  if (options != NULL)
    {
      xylo.nir = options->nir;
      xylo.has_nir = options->has_nir;
    }
  network = sq_network_load (path, &xylo, NULL, NULL, NULL, &local);
  if (network == NULL)
    {
      g_string_append_printf (s, _("\nXylo mapping: %s\n"), local->message);
      return g_string_free (s, FALSE);
    }
  g_string_append_printf (s, _("\nXylo mapping: %zu inputs, %zu hidden neurons, %zu outputs\n"),
                          network->n_inputs, _sq_xylo_network_spec (network)->n_hidden,
                          network->n_outputs);
  /* Without dt the loader's message suggests one; with a dt, the graph's own may differ. */
  if (options != NULL && options->has_nir && sq_nir_propose_dt (graph, &proposal))
    {
      g_autofree char *why = sq_nir_dt_proposal_describe (&proposal);
      g_autoptr(GString) dt = g_string_new (NULL);

      _sq_append_float (dt, proposal.dt);
      /* Translators: "suggested time step: --dt 0.000125 (dt 0.125 ms puts every τ between
       * dash 1 and 3)" */
      g_string_append_printf (s, _("suggested time step: --dt %s (%s)\n"), dt->str, why);
    }
  for (guint i = 0; i < network->notes->len; i++)
    g_string_append_printf (s, _("note: %s\n"),
                            (const char *) g_ptr_array_index (network->notes, i));
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* quantize and compare                                                                      */

char *
_sq_xylo_summary (const SqNetworkResult *result)
{
  return sq_quant_result_summary (_sq_xylo_result_quant (result));
}

JsonNode *
_sq_xylo_report (const SqNetworkResult *result,
                 const char            *source)
{
  return sq_quant_result_to_json (_sq_xylo_result_quant (result), source);
}

char *
_sq_xylo_note (const SqNetworkResult *result)
{
  const SqQuantResult *r = _sq_xylo_result_quant (result);

  if (r->mode_used != r->params.mode)
    return g_strdup (_("Rockpool would fail; Synquant's result shown"));
  if (r->params.mode == SQ_MODE_ROCKPOOL && r->params.method == SQ_METHOD_CHANNEL &&
      r->params.fuzzy)
    return g_strdup (_("Rockpool ignores fuzzy here"));
  if (r->total.out_of_range > 0)
    return g_strdup_printf (_("%zu values out of range"), r->total.out_of_range);
  return g_strdup ("");
}

static char *
clip_text (const SqQuantResult *r,
           SqLayer              layer)
{
  if (r->params.method == SQ_METHOD_GLOBAL)
    return g_strdup_printf ("%.4g", r->layer[layer].clip);
  else
    {
      double lo, hi;

      sq_quant_result_clip_range (r, layer, &lo, &hi);
      if (lo > hi)
        return g_strdup ("-");
      return g_strdup_printf ("%.3g…%.3g", lo, hi);
    }
}

/* @text padded with spaces to @width characters (printf pads bytes, and "…" is three). */
static char *
pad (const char *text,
     glong       width)
{
  glong n = g_utf8_strlen (text, -1);
  g_autofree char *spaces = g_strnfill (n < width ? (gsize) (width - n) : 0, ' ');

  return g_strconcat (text, spaces, NULL);
}

char *
_sq_xylo_compare_table (SqNetworkResult **results,
                        guint             n_results,
                        int               best)
{
  const SqQuantParams *base = &_sq_xylo_result_quant (results[0])->params;
  GString *s = g_string_new (NULL);
  g_autofree char *zeroed_head = NULL;

  g_string_append_printf (s, _("%s: %u-bit weights, %u-bit thresholds\n"),
                          results[0]->network->source, base->weight_bits,
                          base->threshold_bits);
  zeroed_head = pad (_("zeroed of non-zero"), 34);
  g_string_append_printf (s, "  %-8s %-5s %-8s %-15s %-15s %8s %s %10s %10s  %s\n",
                          _("method"), _("fuzzy"), _("mode"), _("clip hidden"),
                          _("clip output"), _("clipped"), zeroed_head, _("SQNR dB"),
                          _("max error"), _("note"));
  for (guint i = 0; i < n_results; i++)
    {
      const SqQuantResult *r = _sq_xylo_result_quant (results[i]);
      g_autofree char *ch_text = clip_text (r, SQ_LAYER_HIDDEN);
      g_autofree char *co_text = clip_text (r, SQ_LAYER_OUTPUT);
      g_autofree char *ch = pad (ch_text, 15);
      g_autofree char *co = pad (co_text, 15);
      g_autofree char *note = _sq_xylo_note (results[i]);
      g_autofree char *zeroed_text = sq_zeroed_text (r->total.zeroed, r->total.n_nonzero);
      g_autofree char *zeroed = pad (zeroed_text, 34);
      double sqnr = sq_group_report_sqnr_db (&r->total);
      g_autofree char *sqnr_text = isfinite (sqnr) ? g_strdup_printf ("%.2f", sqnr)
                                                   : g_strdup (_("exact"));

      g_string_append_printf (s, "%s %-8s %-5s %-8s %s %s %8zu %s %10s %10.3g  %s\n",
                              (int) i == best ? "*" : " ",
                              sq_method_to_string (r->params.method),
                              r->params.fuzzy ? _("yes") : _("no"),
                              sq_mode_to_string (r->params.mode), ch, co, r->total.clipped,
                              zeroed, sqnr_text, r->total.max_abs_error, note);
    }
  return g_string_free (s, FALSE);
}
