/* cli-quantize.c: synquant-cli quantize and compare
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>

#include "cli-private.h"

int
cli_quantize (int    argc,
              char **argv)
{
  g_autofree char *output = NULL, *report = NULL, *method = NULL, *mode = NULL;
  g_autofree char *reset = NULL, *weight_shift = NULL;
  double dt = 0;
  gboolean fuzzy = FALSE, timings = FALSE;
  int weight_bits = 0, threshold_bits = 0, status;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the integer specification to FILE (.npz for NumPy, .nir for NIR, JSON "
         "otherwise)"), N_("FILE") },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method,
      N_("Scaling method: global (default) or channel"), N_("METHOD") },
    { "fuzzy", 0, 0, G_OPTION_ARG_NONE, &fuzzy,
      N_("Range |mean| + 2·std of the non-zero weights instead of max |w|"), NULL },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      N_("synquant (default, corrected) or rockpool (bit-exact with Rockpool 2.8–3.0.3)"),
      N_("MODE") },
    { "weight-bits", 0, 0, G_OPTION_ARG_INT, &weight_bits,
      N_("Bits per signed weight, 2–16 (default 8)"), "N" },
    { "threshold-bits", 0, 0, G_OPTION_ARG_INT, &threshold_bits,
      N_("Bits per signed threshold and bias, 2–24 (default 16)"), "N" },
    { "weight-shift", 0, 0, G_OPTION_ARG_STRING, &weight_shift,
      N_("Shift of the weights into the 16-bit state: 0 (default), 1–7, or auto to choose "
         "per layer (Synquant mode)"), N_("auto|N") },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
      N_("Write the figures per layer and channel, dashes and warnings to FILE (JSON)"),
      N_("FILE") },
    { "timings", 0, 0, G_OPTION_ARG_NONE, &timings,
      N_("Print the time of each phase to stderr"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IN -o OUT"));
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(SqQuantResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  SqQuantParams params;
  gint64 t;

  g_option_context_set_summary (context,
    _("Scale and round a float Xylo specification to integers. OUT holds the input's keys as "
      "integers with the input's shapes, plus dt, weight shifts and aliases, ready for "
      "Rockpool's XyloSim.from_specification. IN is .json, .npz or .nir (--dt maps a graph "
      "from another tool); OUT is written as NumPy .npz (np.load gives the dict back) when "
      "its name ends in .npz, as a NIR graph for .nir, as JSON otherwise. A summary goes to "
      "stderr."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_add_nir_options (context, &dt, &reset);
  if (!cli_parse (context, "quantize", &argc, &argv, &status))
    return status;

  if (argc != 2)
    return cli_usage_error ("quantize", argc < 2 ? _("missing input file")
                                                 : _("more than one input file"));
  if (output == NULL)
    return cli_usage_error ("quantize", _("missing output file (-o OUT)"));
  if (!cli_quant_params (method, mode, fuzzy, weight_bits, threshold_bits, &params, &error))
    return cli_usage_error ("quantize", "%s", error->message);
  if (weight_shift != NULL)
    {
      gint64 n = 0;

      if (g_str_equal (weight_shift, "auto"))
        params.weight_shift = SQ_WEIGHT_SHIFT_AUTO;
      else if (g_ascii_string_to_signed (weight_shift, 10, 0, SQ_QUANT_WEIGHT_SHIFT_MAX, &n,
                                         NULL))
        params.weight_shift = (int) n;
      else
        return cli_usage_error ("quantize", _("--weight-shift is “%s”; use auto or a whole "
                                              "number from 0 to %d"),
                                weight_shift, SQ_QUANT_WEIGHT_SHIFT_MAX);
      if (!sq_quant_params_check (&params, &error))
        return cli_usage_error ("quantize", "%s", error->message);
    }

  t = g_get_monotonic_time ();
  spec = cli_is_nir (argv[1]) ? cli_load_spec_nir (argv[1], dt, reset, &error)
                              : cli_load_spec (argv[1], &error);
  if (spec == NULL)
    return cli_fail_error (error);
  cli_timing (timings, "load", t);
  cli_print_warnings (spec);

  /* The float values are not needed afterwards: quantizing in place saves allocating and
   * page-faulting a second copy of the network. */
  t = g_get_monotonic_time ();
  result = sq_quantize_in_place (g_steal_pointer (&spec), &params, &error);
  if (result == NULL)
    return cli_fail_error (error);
  cli_timing (timings, "quantize", t);

  /* OUT and the report are written together: if either fails, neither is replaced. */
  t = g_get_monotonic_time ();
  {
    g_autoptr(GString) json = NULL;
    g_autofree guint8 *npz = NULL;
    g_autofree char *report_text = NULL;
    SqFileContent files[2] = { { output, NULL, 0 }, { report, NULL, 0 } };
    g_autoptr(GBytes) nir = NULL;

    /* The output's format follows its extension: .npz, .nir, JSON otherwise. */
    if (cli_has_extension (output, ".npz"))
      {
        npz = sq_xylo_spec_to_npz (result->spec, &files[0].length, &error);
        if (npz == NULL)
          return cli_fail_error (error);
        files[0].data = (const char *) npz;
      }
    else if (cli_is_nir (output))
      {
        nir = sq_xylo_spec_to_nir (result->spec, result, &error);
        if (nir == NULL)
          return cli_fail_error (error);
        files[0].data = g_bytes_get_data (nir, &files[0].length);
      }
    else
      {
        json = sq_xylo_spec_to_json (result->spec);
        files[0].data = json->str;
        files[0].length = json->len;
      }

    if (report)
      {
        g_autoptr(JsonNode) root = sq_quant_result_to_json (result, result->spec->source);

        report_text = sq_json_to_data (root, TRUE, &files[1].length);
        files[1].data = report_text;
      }
    if (!sq_file_write_all_atomic (files, report ? 2 : 1, &error))
      return cli_fail_error (error);
  }
  cli_timing (timings, "write", t);

  summary = sq_quant_result_summary (result);
  fprintf (stderr, "%s: %s", result->spec->source, summary);
  return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct {
  SqQuantParams  params;
  SqQuantResult *result;
} Row;

static void
row_clear (gpointer p)
{
  Row *row = p;
  g_clear_pointer (&row->result, sq_quant_result_free);
}

/* A row is usable on hardware only when every value fits its integer range. */
static gboolean
row_valid (const Row *row)
{
  const SqQuantResult *r = row->result;

  /* Rockpool mode leaves out-of-range weights and dashes as they are; Synquant clips. */
  return r->total.out_of_range == 0 &&
         !(r->mode_used == SQ_MODE_ROCKPOOL && r->dashes_clipped > 0);
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

static char *
row_note (const Row *row)
{
  const SqQuantResult *r = row->result;

  if (r->mode_used != r->params.mode)
    return g_strdup (_("Rockpool would fail; Synquant's result shown"));
  if (r->params.mode == SQ_MODE_ROCKPOOL && r->params.method == SQ_METHOD_CHANNEL &&
      r->params.fuzzy)
    return g_strdup (_("Rockpool ignores fuzzy here"));
  if (r->total.out_of_range > 0)
    return g_strdup_printf (_("%zu values out of range"), r->total.out_of_range);
  return g_strdup ("");
}

static JsonNode *
rows_to_json (GArray     *rows,
              int         best,
              const char *source)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, source);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      g_autoptr(JsonNode) full = sq_quant_result_to_json (row->result, NULL);
      JsonObject *o = json_node_get_object (full);
      g_autofree char *note = row_note (row);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "params");
      json_builder_add_value (b, json_node_copy (json_object_get_member (o, "params")));
      json_builder_set_member_name (b, "mode_used");
      json_builder_add_value (b, json_node_copy (json_object_get_member (o, "mode_used")));
      json_builder_set_member_name (b, "summary");
      json_builder_add_value (b, json_node_copy (json_object_get_member (o, "summary")));
      json_builder_set_member_name (b, "layers");
      json_builder_add_value (b, json_node_copy (json_object_get_member (o, "layers")));
      json_builder_set_member_name (b, "valid");
      json_builder_add_boolean_value (b, row_valid (row));
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

int
cli_compare (int    argc,
             char **argv)
{
  gboolean json = FALSE;
  int weight_bits = 0, threshold_bits = 0, status, best = -1;
  const GOptionEntry entries[] = {
    { "weight-bits", 0, 0, G_OPTION_ARG_INT, &weight_bits,
      N_("Bits per signed weight, 2–16 (default 8)"), "N" },
    { "threshold-bits", 0, 0, G_OPTION_ARG_INT, &threshold_bits,
      N_("Bits per signed threshold and bias, 2–24 (default 16)"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the comparison as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IN"));
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GError) error = NULL;
  double best_sqnr = -INFINITY;
  SqQuantParams base;

  g_option_context_set_summary (context,
    _("Quantize IN with every method — global and channel scaling, each with and without the "
      "fuzzy range, each in Synquant and Rockpool mode — and print one row of figures per "
      "method. The best SQNR among results that fit the hardware is marked with *."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse (context, "compare", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return cli_usage_error ("compare", argc < 2 ? _("missing input file")
                                                : _("more than one input file"));
  if (!cli_quant_params (NULL, NULL, FALSE, weight_bits, threshold_bits, &base, &error))
    return cli_usage_error ("compare", "%s", error->message);

  spec = cli_load_spec (argv[1], &error);
  if (spec == NULL)
    return cli_fail_error (error);
  cli_print_warnings (spec);

  g_array_set_clear_func (rows, row_clear);
  for (guint m = 0; m < 2; m++)
    for (guint f = 0; f < 2; f++)
      for (guint mode = 0; mode < 2; mode++)
        {
          Row row = { base, NULL };

          row.params.method = m ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL;
          row.params.fuzzy = f;
          row.params.mode = mode ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT;
          row.result = sq_quantize (spec, &row.params, &error);
          if (row.result == NULL)
            return cli_fail_error (error);
          g_array_append_val (rows, row);
        }

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      double sqnr = sq_group_report_sqnr_db (&row->result->total);

      if (row_valid (row) && sqnr > best_sqnr)
        {
          best_sqnr = sqnr;
          best = (int) i;
        }
    }

  if (json)
    {
      g_autoptr(JsonNode) root = rows_to_json (rows, best, spec->source);
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return CLI_EXIT_OK;
    }

  printf (_("%s: %u-bit weights, %u-bit thresholds\n"), spec->source, base.weight_bits,
          base.threshold_bits);
  printf ("  %-8s %-5s %-8s %-15s %-15s %8s %8s %10s %10s  %s\n",
          _("method"), _("fuzzy"), _("mode"), _("clip hidden"), _("clip output"),
          _("clipped"), _("zeroed"), _("SQNR dB"), _("max error"), _("note"));
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      const SqQuantResult *r = row->result;
      g_autofree char *ch_text = clip_text (r, SQ_LAYER_HIDDEN);
      g_autofree char *co_text = clip_text (r, SQ_LAYER_OUTPUT);
      g_autofree char *ch = pad (ch_text, 15);
      g_autofree char *co = pad (co_text, 15);
      g_autofree char *note = row_note (row);
      double sqnr = sq_group_report_sqnr_db (&r->total);

      g_autofree char *sqnr_text = isfinite (sqnr) ? g_strdup_printf ("%.2f", sqnr)
                                                     : g_strdup (_("exact"));

      printf ("%s %-8s %-5s %-8s %s %s %8zu %8zu"
              " %10s %10.3g  %s\n",
              (int) i == best ? "*" : " ",
              sq_method_to_string (r->params.method), r->params.fuzzy ? _("yes") : _("no"),
              sq_mode_to_string (r->params.mode), ch, co,
              r->total.clipped, r->total.zeroed, sqnr_text, r->total.max_abs_error, note);
    }
  return CLI_EXIT_OK;
}
