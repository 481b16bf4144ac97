/* sq-export-samna-json.c: the samna-json export, one JSON object mirroring samna's
 * XyloConfiguration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "synquant.h"
#include "sq-export-private.h"

static void
append_json_string (GString    *s,
                    const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      guchar ch = (guchar) *p;

      if (ch == '"' || ch == '\\')
        g_string_append_printf (s, "\\%c", ch);
      else if (ch < 0x20)
        g_string_append_printf (s, "\\u%04x", ch);
      else
        g_string_append_c (s, (char) ch);
    }
  g_string_append_c (s, '"');
}

typedef int (*MatrixFunc) (const SqXyloSpec *spec, gsize r, gsize col, gsize extra);

static int
input_cell (const SqXyloSpec *spec, gsize r, gsize col, gsize syn)
{
  return _sq_export_input_weight (spec, r, col, syn);
}

static int
rec_cell (const SqXyloSpec *spec, gsize r, gsize col, gsize syn)
{
  return _sq_export_rec_weight (spec, r, col, syn);
}

static int
output_cell (const SqXyloSpec *spec, gsize r, gsize col, gsize n_rows)
{
  return _sq_export_output_weight (spec, n_rows, r, col);
}

/* "name": [ one row per line ], at an indent of four spaces. */
static void
append_matrix (GString          *s,
               const char       *name,
               const SqXyloSpec *spec,
               gsize             n_rows,
               gsize             n_cols,
               MatrixFunc        cell,
               gsize             extra)
{
  g_string_append_printf (s, "    \"%s\": [", name);
  for (gsize r = 0; r < n_rows; r++)
    {
      g_string_append (s, r ? ",\n      [" : "\n      [");
      for (gsize col = 0; col < n_cols; col++)
        g_string_append_printf (s, col ? ", %d" : "%d", cell (spec, r, col, extra));
      g_string_append_c (s, ']');
    }
  g_string_append (s, n_rows ? "\n    ],\n" : "],\n");
}

/* samna's Python module for each device (research/rockpool.md §2.2). */
static const char *
samna_module (SqDevice device)
{
  switch (device)
    {
    case SQ_DEVICE_XYLO_V1:
      return "samna.xylo";
    case SQ_DEVICE_XYLO_IMU:
      return "samna.xyloImu";
    case SQ_DEVICE_XYLO_AUDIO3:
      return "samna.xyloAudio3";
    case SQ_DEVICE_XYLO_AUDIO2:
    default:
      return "samna.xyloCore2";
    }
}

static void
append_header (GString           *s,
               const SqExportCtx *c,
               const char        *format)
{
  g_string_append (s, "  \"synquant\": {\"format\": ");
  append_json_string (s, format);
  g_string_append (s, ", \"device\": ");
  append_json_string (s, c->device->name);
  g_string_append (s, ", \"chip\": ");
  append_json_string (s, c->device->chip);
  g_string_append (s, ", \"synquant_version\": ");
  append_json_string (s, PACKAGE_VERSION);
  g_string_append (s, ", \"source\": ");
  append_json_string (s, c->source);
  g_string_append (s, ", \"samna_module\": ");
  append_json_string (s, samna_module (c->device->device));
  g_string_append (s, "},\n");
}

/* One JSON object whose members mirror the attribute paths Rockpool's
 * config_from_specification sets on samna's XyloConfiguration (research/ecosystem.md §4.1):
 * `reservoir` on Xylo v1 and Audio 2, `hidden` on IMU and Audio 3; the second synapse only on
 * devices that have one, biases only on devices that take them. */
GBytes *
_sq_export_samna_json (const SqExportCtx *c,
                       GError           **error)
{
  const SqXyloSpec *spec = c->spec;
  const SqDeviceProfile *device = c->device;
  gboolean syn2 = device->max_synapses >= 2;
  gboolean bias = device->has_bias;
  gboolean full = _sq_export_full_windows (device);
  gsize n_cols_in = full ? spec->n_hidden : spec->n_ien;
  gsize n_rows_out = full ? spec->n_hidden : spec->n_oen;
  const char *hidden = device->device == SQ_DEVICE_XYLO_IMU ||
                       device->device == SQ_DEVICE_XYLO_AUDIO3 ? "hidden" : "reservoir";
  GString *s;

  if (!_sq_export_check_values (c, TRUE, error))
    return NULL;

  s = g_string_sized_new (4096 + 8 * sq_xylo_spec_n_weights (spec));
  g_string_append (s, "{\n");
  append_header (s, c, "samna-json");

  g_string_append (s, "  \"input\": {\n");
  append_matrix (s, "weights", spec, spec->n_in, n_cols_in, input_cell, 0);
  if (syn2)
    append_matrix (s, "syn2_weights", spec, spec->n_in, n_cols_in, input_cell, 1);
  g_string_append_printf (s, "    \"weight_bit_shift\": %d\n  },\n",
                          spec->weight_shift[SQ_SHIFT_IN]);

  g_string_append_printf (s, "  \"%s\": {\n", hidden);
  append_matrix (s, "weights", spec, spec->n_hidden, spec->n_hidden, rec_cell, 0);
  if (syn2)
    append_matrix (s, "syn2_weights", spec, spec->n_hidden, spec->n_hidden, rec_cell, 1);
  g_string_append_printf (s, "    \"weight_bit_shift\": %d,\n    \"aliasing\": %s,\n"
                          "    \"neurons\": [",
                          spec->weight_shift[SQ_SHIFT_REC],
                          _sq_export_any_alias (spec) ? "true" : "false");
  for (gsize j = 0; j < spec->n_hidden; j++)
    {
      gssize alias = _sq_export_alias_target (spec, j);

      g_string_append_printf (s, "%s{\"i_syn_decay\": %d", j ? ",\n      " : "\n      ",
                              _sq_export_value_at (spec, SQ_PARAM_DASH_SYN, j));
      if (syn2)
        g_string_append_printf (s, ", \"i_syn2_decay\": %d",
                                _sq_export_value_at (spec, SQ_PARAM_DASH_SYN_2, j));
      g_string_append_printf (s, ", \"v_mem_decay\": %d, \"threshold\": %d",
                              _sq_export_value_at (spec, SQ_PARAM_DASH_MEM, j),
                              _sq_export_value_at (spec, SQ_PARAM_THRESHOLD, j));
      if (bias)
        g_string_append_printf (s, ", \"v_mem_bias\": %d",
                                _sq_export_value_at (spec, SQ_PARAM_BIAS, j));
      if (alias >= 0)
        g_string_append_printf (s, ", \"alias_target\": %" G_GSSIZE_FORMAT, alias);
      g_string_append_c (s, '}');
    }
  g_string_append (s, spec->n_hidden ? "\n    ]\n  },\n" : "]\n  },\n");

  g_string_append (s, "  \"readout\": {\n");
  append_matrix (s, "weights", spec, n_rows_out, spec->n_out, output_cell, n_rows_out);
  g_string_append_printf (s, "    \"weight_bit_shift\": %d,\n    \"neurons\": [",
                          spec->weight_shift[SQ_SHIFT_OUT]);
  for (gsize o = 0; o < spec->n_out; o++)
    {
      g_string_append_printf (s, "%s{\"i_syn_decay\": %d, \"v_mem_decay\": %d, "
                              "\"threshold\": %d", o ? ",\n      " : "\n      ",
                              _sq_export_value_at (spec, SQ_PARAM_DASH_SYN_OUT, o),
                              _sq_export_value_at (spec, SQ_PARAM_DASH_MEM_OUT, o),
                              _sq_export_value_at (spec, SQ_PARAM_THRESHOLD_OUT, o));
      if (bias)
        g_string_append_printf (s, ", \"v_mem_bias\": %d",
                                _sq_export_value_at (spec, SQ_PARAM_BIAS_OUT, o));
      g_string_append_c (s, '}');
    }
  g_string_append (s, spec->n_out ? "\n    ]\n  }" : "]\n  }");

  if (!full)
    g_string_append_printf (s, ",\n  \"input_expansion_neurons\": %zu,\n"
                            "  \"output_expansion_neurons\": %zu", spec->n_ien, spec->n_oen);
  if (syn2)
    g_string_append_printf (s, ",\n  \"synapse2_enable\": %s",
                            spec->n_syn > 1 ? "true" : "false");
  if (bias)
    g_string_append_printf (s, ",\n  \"bias_enable\": %s",
                            _sq_export_any_bias (spec) ? "true" : "false");
  g_string_append (s, "\n}\n");

  return g_string_free_to_bytes (s);
}
