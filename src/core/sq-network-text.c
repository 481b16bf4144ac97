/* sq-network-text.c: networks and results in words — what `synquant-cli` prints
 *
 * The CLI arranges commands, options, files and exit statuses; the words about a network
 * or a quantization come from here: the kind's own where it has them (the presentation
 * hooks of SqNetworkKind), generic ones built from the groups and figures otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-network-private.h"
#include "sq-private.h"

/* ---------------------------------------------------------------------------------------- */
/* A network                                                                                 */

static char *
describe_generic (const SqNetwork *network)
{
  GString *s = g_string_new (NULL);

  /* TRANSLATORS: "net.toy: Toy network with float values" */
  g_string_append_printf (s, _("%s: %s with %s values\n"), network->source,
                          sq_label (network->kind->label),
                          network->is_integer ? _("integer") : _("float"));
  g_string_append_printf (s, _("  inputs          %zu\n"), network->n_inputs);
  g_string_append_printf (s, _("  output neurons  %zu\n"), network->n_outputs);
  return g_string_free (s, FALSE);
}

/* Groups in the order of the kind's files (their native index), the others after, in
 * display order: g_qsort_with_data() is stable. */
static int
compare_native (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const SqNetwork *network = *(const SqNetwork **) user_data;
  int na = sq_network_get_group (network, *(const guint *) a)->native;
  int nb = sq_network_get_group (network, *(const guint *) b)->native;
  guint ka = na < 0 ? G_MAXUINT : (guint) na, kb = nb < 0 ? G_MAXUINT : (guint) nb;

  return ka < kb ? -1 : ka > kb;
}

/**
 * sq_network_describe:
 *
 * Returns: (transfer full): what `synquant-cli info` prints about @network
 */
char *
sq_network_describe (const SqNetwork *network)
{
  g_autofree guint *order = NULL;
  g_autofree char *head = NULL;
  int width = 14;
  GString *s;

  g_return_val_if_fail (network != NULL, NULL);
  head = network->kind->describe ? network->kind->describe (network)
                                 : describe_generic (network);
  s = g_string_new (head);

  /* The names' column as wide as the longest ("layers[12].thresholds"). */
  for (guint g = 0; g < network->groups->len; g++)
    width = MAX (width, (int) strlen (sq_network_get_group (network, g)->id));
  g_string_append_printf (s, _("\n  %-*s %-16s %12s %12s %16s\n"), width, _("parameter"),
                          _("shape"), _("min"), _("max"), _("non-zero"));
  order = g_new (guint, MAX (network->groups->len, 1));
  for (guint g = 0; g < network->groups->len; g++)
    order[g] = g;
  g_qsort_with_data (order, (gint) network->groups->len, sizeof (guint), compare_native,
                     &network);
  for (guint i = 0; i < network->groups->len; i++)
    {
      const SqGroup *g = sq_network_get_group (network, order[i]);
      const SqStats *st = sq_network_group_stats (network, order[i]);
      g_autofree char *shape = sq_tensor_shape_string (g->values);
      g_autofree char *nonzero = g_strdup_printf ("%zu/%zu", st->nonzero, st->n);

      g_string_append_printf (s, "  %-*s %-16s %12.5g %12.5g %16s\n", width, g->id, shape,
                              st->min, st->max, nonzero);
    }

  if (network->diagnostics->len > 0)
    {
      g_string_append (s, _("\nWarnings:\n"));
      for (guint i = 0; i < network->diagnostics->len; i++)
        g_string_append_printf (s, "  %s\n",
                                ((SqDiagnostic *) g_ptr_array_index (network->diagnostics,
                                                                     i))->message);
    }
  else
    g_string_append (s, _("\nNo warnings.\n"));
  return g_string_free (s, FALSE);
}

/**
 * sq_network_describe_file:
 * @options: (nullable): how to load it (a NIR graph's time step and reset)
 *
 * Returns: (transfer full): what `synquant-cli info` prints about @path, or %NULL with
 *   @error set when it cannot be read
 */
char *
sq_network_describe_file (const char           *path,
                          const SqLoadOptions  *options,
                          GError              **error)
{
  g_autoptr(GPtrArray) candidates = _sq_network_kind_candidates (path, options);
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(GString) text = NULL;

  /* A NIR graph: the first kind describes it and how it maps; every other kind that could
   * read it adds how it maps there. */
  for (guint i = 0; i < candidates->len; i++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (candidates, i);
      GError *local = NULL;
      char *part;

      if (kind->describe_file == NULL)
        continue;
      part = kind->describe_file (path, options, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (part == NULL)
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      g_string_append (text, part);
      g_free (part);
    }
  if (text != NULL)
    return g_string_free (g_steal_pointer (&text), FALSE);
  network = sq_network_load (path, options, NULL, NULL, NULL, error);
  return network ? sq_network_describe (network) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* A result                                                                                  */

static void
append_figures (GString              *s,
                const SqQuantFigures *f)
{
  _sq_append_figures (s, f->clipped, f->zeroed, f->n_nonzero, f->out_of_range,
                      sq_quant_figures_sqnr_db (f),
                      f->max_abs_error);
}

char *
sq_network_result_layer_summary (const SqNetworkResult *result,
                                 guint                  layer)
{
  const SqNetworkKind *kind = result->network->kind;

  g_return_val_if_fail (layer < sq_network_n_layers (result->network), NULL);
  return kind->layer_summary ? kind->layer_summary (result, layer) : NULL;
}

char *
sq_network_result_summary (const SqNetworkResult *result)
{
  const SqNetwork *network = result->network;
  g_autofree char *settings = NULL;
  GString *s;

  if (network->kind->summary != NULL)
    return network->kind->summary (result);

  settings = sq_quant_settings_to_string (&result->settings);
  s = g_string_new (settings);
  g_string_append_c (s, '\n');
  for (guint l = 0; l < sq_network_n_layers (network); l++)
    {
      g_string_append_printf (s, "  %s: ", sq_network_get_layer (network, l)->id);
      append_figures (s, &result->layers[l].figures);
      g_string_append_c (s, '\n');
    }
  g_string_append (s, _("  total: "));
  append_figures (s, &result->total);
  g_string_append_c (s, '\n');
  for (guint i = 0; i < result->diagnostics->len; i++)
    g_string_append_printf (s, _("warning: %s\n"),
                            ((SqDiagnostic *) g_ptr_array_index (result->diagnostics,
                                                                 i))->message);
  return g_string_free (s, FALSE);
}

static void
add_figures (JsonBuilder          *b,
             const SqQuantFigures *f)
{
  json_builder_begin_object (b);
  _sq_json_add_int (b, "values", (gint64) f->n_values);
  _sq_json_add_int (b, "clipped", (gint64) f->clipped);
  _sq_json_add_int (b, "out_of_range", (gint64) f->out_of_range);
  _sq_json_add_int (b, "nonzero", (gint64) f->n_nonzero);
  _sq_json_add_int (b, "zeroed", (gint64) f->zeroed);
  _sq_json_add_double (b, "zeroed_share", sq_zeroed_share (f->zeroed, f->n_nonzero));
  _sq_json_add_double (b, "mse", sq_quant_figures_mse (f));
  _sq_json_add_double (b, "sqnr_db", sq_quant_figures_sqnr_db (f));
  _sq_json_add_double (b, "max_abs_error", f->max_abs_error);
  json_builder_end_object (b);
}

/* A kind without a report of its own: settings, figures per layer and in all, warnings;
 * a kind's report may start from it. */
JsonNode *
_sq_network_report_generic (const SqNetworkResult *result,
                const char            *source)
{
  const SqNetwork *network = result->network;
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (source != NULL)
    {
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, source);
    }
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, network->kind->name);
  json_builder_set_member_name (b, "params");
  json_builder_begin_object (b);
  sq_quant_settings_build_json (&result->settings, b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "mode_used");
  if (result->mode_used != NULL)
    json_builder_add_string_value (b, result->mode_used);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "summary");
  add_figures (b, &result->total);
  json_builder_set_member_name (b, "layers");
  json_builder_begin_object (b);
  for (guint l = 0; l < sq_network_n_layers (network); l++)
    {
      json_builder_set_member_name (b, sq_network_get_layer (network, l)->id);
      add_figures (b, &result->layers[l].figures);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->diagnostics->len; i++)
    json_builder_add_string_value (b, ((SqDiagnostic *) g_ptr_array_index (result->diagnostics,
                                                                            i))->message);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * sq_network_result_report:
 * @source: (nullable): the file named in the report
 *
 * Returns: (transfer full): a JSON object with at least "params", "mode_used", "summary"
 *   and "layers"
 */
JsonNode *
sq_network_result_report (const SqNetworkResult *result,
                          const char            *source)
{
  const SqNetworkKind *kind = result->network->kind;

  return kind->report ? kind->report (result, source)
                      : _sq_network_report_generic (result, source);
}

char *
sq_network_result_note (const SqNetworkResult *result)
{
  const SqNetworkKind *kind = result->network->kind;

  if (kind->note != NULL)
    return kind->note (result);
  if (result->total.out_of_range > 0)
    return g_strdup_printf (_("%zu values out of range"), result->total.out_of_range);
  return g_strdup ("");
}

/* ---------------------------------------------------------------------------------------- */
/* A comparison                                                                              */

/* The result with the best SQNR of those that fit their integer ranges, or -1. */
int
sq_network_results_best (SqNetworkResult **results,
                         guint             n_results)
{
  double best_sqnr = -INFINITY;
  int best = -1;

  for (guint i = 0; i < n_results; i++)
    {
      double sqnr = sq_quant_figures_sqnr_db (&results[i]->total);

      if (results[i]->in_range && sqnr > best_sqnr)
        {
          best_sqnr = sqnr;
          best = (int) i;
        }
    }
  return best;
}

/* The values of the options the comparison varies, and the figures, one row each. */
static char *
compare_generic (SqNetworkResult **results,
                 guint             n_results,
                 int               best)
{
  const SqNetworkKind *kind = results[0]->network->kind;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s:", results[0]->network->source);
  for (guint i = 0; i < kind->n_options; i++)
    if (!kind->options[i].varies)
      {
        g_autofree char *v = sq_quant_settings_get_string (&results[0]->settings,
                                                           kind->options[i].id);

        g_string_append_printf (s, " %s=%s", kind->options[i].id, v);
      }
  g_string_append_c (s, '\n');
  for (guint r = 0; r < n_results; r++)
    {
      g_autofree char *note = sq_network_result_note (results[r]);

      g_string_append (s, (int) r == best ? "*" : " ");
      for (guint i = 0; i < kind->n_options; i++)
        if (kind->options[i].varies)
          {
            g_autofree char *v = sq_quant_settings_get_string (&results[r]->settings,
                                                               kind->options[i].id);

            g_string_append_printf (s, " %s=%s", kind->options[i].id, v);
          }
      g_string_append (s, "  ");
      append_figures (s, &results[r]->total);
      g_string_append_printf (s, "%s%s\n", *note ? "  " : "", note);
    }
  return g_string_free (s, FALSE);
}

char *
sq_network_compare_text (SqNetworkResult **results,
                         guint             n_results,
                         int               best)
{
  const SqNetworkKind *kind;

  g_return_val_if_fail (results != NULL && n_results > 0, NULL);
  kind = results[0]->network->kind;
  if (kind->compare_table != NULL)
    return kind->compare_table (results, n_results, best);
  return compare_generic (results, n_results, best);
}

static void
copy_member (JsonBuilder *b,
             JsonObject  *o,
             const char  *name)
{
  json_builder_set_member_name (b, name);
  if (json_object_has_member (o, name))
    json_builder_add_value (b, json_node_copy (json_object_get_member (o, name)));
  else
    json_builder_add_null_value (b);
}

JsonNode *
sq_network_compare_json (SqNetworkResult **results,
                         guint             n_results,
                         int               best)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (results != NULL && n_results > 0, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, results[0]->network->source);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_results; i++)
    {
      g_autoptr(JsonNode) full = sq_network_result_report (results[i], NULL);
      JsonObject *o = json_node_get_object (full);
      g_autofree char *note = sq_network_result_note (results[i]);

      json_builder_begin_object (b);
      copy_member (b, o, "params");
      copy_member (b, o, "mode_used");
      copy_member (b, o, "summary");
      copy_member (b, o, "layers");
      json_builder_set_member_name (b, "valid");
      json_builder_add_boolean_value (b, results[i]->in_range);
      json_builder_set_member_name (b, "best");
      json_builder_add_boolean_value (b, (int) i == best);
      json_builder_set_member_name (b, "note");
      json_builder_add_string_value (b, note);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
