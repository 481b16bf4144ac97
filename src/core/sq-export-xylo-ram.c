/* sq-export-xylo-ram.c: the xylo-ram export, a folder of RAM image text files and
 * basic_config.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-export-private.h"

/* Hex digits for a register that holds 0…@max. */
static guint
digits_for (gsize max)
{
  guint d = 1;

  while (max >= ((gsize) 1 << (4 * d)) && d < 16)
    d++;
  return d;
}

/* @v as @digits lower-case two's-complement hex digits and a newline. The callers have
 * checked that @v fits, so the mask never drops a significant bit. */
static void
append_hex (GString *s,
            gint64   v,
            guint    digits)
{
  guint64 mask = digits >= 16 ? G_MAXUINT64 : (((guint64) 1 << (4 * digits)) - 1);

  g_string_append_printf (s, "%0*" G_GINT64_MODIFIER "x\n", (int) digits, (guint64) v & mask);
}

typedef struct {
  const char *name;
  GString    *text;
} Ram;

static GString *
ram (GPtrArray  *rams,
     const char *name)
{
  Ram *r = g_new0 (Ram, 1);

  r->name = name;
  r->text = g_string_new (NULL);
  g_ptr_array_add (rams, r);
  return r->text;
}

static void
ram_free (gpointer data)
{
  Ram *r = data;

  if (r->text)
    g_string_free (r->text, TRUE);
  g_free (r);
}

/* The RAM images of research/ecosystem.md §4.1 (Rockpool's debug export), one value per
 * line, two's complement, zero-padded: 2 hex digits for weights, 1 for dashes and the
 * neuron-type flags, 4 for thresholds and biases, 3 for neuron ids; the fan-out counts get as
 * many digits as the device's largest fan-out needs. docs/export.md has the layout. */
gboolean
_sq_export_xylo_ram (const SqExportCtx *c,
                     const char        *dir,
                     GPtrArray         *files,
                     GError           **error)
{
  const SqXyloSpec *spec = c->spec;
  const SqDeviceProfile *device = c->device;
  gboolean syn2 = device->max_synapses >= 2;
  gboolean full = _sq_export_full_windows (device);
  gsize n_cols_in = full ? spec->n_hidden : spec->n_ien;
  gsize n_rows_out = full ? spec->n_hidden : spec->n_oen;
  guint id_digits = 3;
  guint count_digits = digits_for (device->max_fanout ? device->max_fanout : 255);
  g_autoptr(GPtrArray) rams = g_ptr_array_new_with_free_func (ram_free);
  g_autoptr(GString) config = g_string_new (NULL);
  GString *iwt, *iwt2 = NULL, *rwt, *rwt2 = NULL, *rfo, *refoc, *owt;
  GString *ndm, *nds, *rds2 = NULL, *nth, *nb = NULL, *ra, *rc;
  g_autofree guint8 *is_target = NULL;
  g_autoptr(GString) dt = g_string_new (NULL);

  if (!_sq_export_check_values (c, TRUE, error))
    return FALSE;
  /* Neuron ids are 3 hex digits in RFORAM and RARAM. */
  if (spec->n_hidden > ((gsize) 1 << (4 * id_digits)))
    {
      g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE,
                   _("%s: %zu hidden neurons do not fit the RAM image's %u-digit neuron ids"),
                   c->source, spec->n_hidden, id_digits);
      return FALSE;
    }

  iwt = ram (rams, "iwtram.ini");
  if (syn2)
    iwt2 = ram (rams, "iwt2ram.ini");
  rwt = ram (rams, "rwtram.ini");
  if (syn2)
    rwt2 = ram (rams, "rwt2ram.ini");
  rfo = ram (rams, "rforam.ini");
  refoc = ram (rams, "refocram.ini");
  owt = ram (rams, "owtram.ini");
  ndm = ram (rams, "ndmram.ini");
  nds = ram (rams, "ndsram.ini");
  if (syn2)
    rds2 = ram (rams, "rds2ram.ini");
  nth = ram (rams, "nthram.ini");
  if (device->has_bias)
    nb = ram (rams, "nbram.ini");
  ra = ram (rams, "raram.ini");
  rc = ram (rams, "rcram.ini");

  for (gsize i = 0; i < spec->n_in; i++)
    {
      g_string_append_printf (iwt, "// iwt for IN%zu\n", i);
      if (iwt2)
        g_string_append_printf (iwt2, "// iwt2 for IN%zu\n", i);
      for (gsize j = 0; j < n_cols_in; j++)
        {
          append_hex (iwt, _sq_export_input_weight (spec, i, j, 0), 2);
          if (iwt2)
            append_hex (iwt2, _sq_export_input_weight (spec, i, j, 1), 2);
        }
    }

  /* Recurrent weights as fan-out lists: per source neuron its targets in ascending order,
   * with the weight of each synapse (0 where only the other one connects). */
  for (gsize i = 0; i < spec->n_hidden; i++)
    {
      gsize count = 0;

      g_string_append_printf (rwt, "// rwt of RSN%zu\n", i);
      if (rwt2)
        g_string_append_printf (rwt2, "// rwt2 of RSN%zu\n", i);
      g_string_append_printf (rfo, "// rfo of RSN%zu\n", i);
      for (gsize j = 0; j < spec->n_hidden; j++)
        {
          int w1 = _sq_export_rec_weight (spec, i, j, 0);
          int w2 = _sq_export_rec_weight (spec, i, j, 1);

          if (w1 == 0 && w2 == 0)
            continue;
          append_hex (rfo, (gint64) j, id_digits);
          append_hex (rwt, w1, 2);
          if (rwt2)
            append_hex (rwt2, w2, 2);
          count++;
        }
      if (count >= ((gsize) 1 << (4 * count_digits)))
        {
          g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE,
                       _("%s: hidden neuron %zu: fan-out %zu does not fit the RAM image's "
                         "%u-digit count"), c->source, i, count, count_digits);
          return FALSE;
        }
      append_hex (refoc, (gint64) count, count_digits);
    }

  for (gsize r = 0; r < n_rows_out; r++)
    {
      g_string_append_printf (owt, "// owt for RSN%zu\n", spec->n_hidden - n_rows_out + r);
      for (gsize o = 0; o < spec->n_out; o++)
        append_hex (owt, _sq_export_output_weight (spec, n_rows_out, r, o), 2);
    }

  /* Neuron RAMs: the hidden neurons, then the output neurons. */
  for (gsize j = 0; j < spec->n_hidden + spec->n_out; j++)
    {
      gboolean out = j >= spec->n_hidden;
      gsize k = out ? j - spec->n_hidden : j;

      SqParam dash_mem = out ? SQ_PARAM_DASH_MEM_OUT : SQ_PARAM_DASH_MEM;
      SqParam dash_syn = out ? SQ_PARAM_DASH_SYN_OUT : SQ_PARAM_DASH_SYN;
      SqParam threshold = out ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD;
      SqParam bias = out ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS;

      append_hex (ndm, _sq_export_value_at (spec, dash_mem, k), 1);
      append_hex (nds, _sq_export_value_at (spec, dash_syn, k), 1);
      append_hex (nth, _sq_export_value_at (spec, threshold, k), 4);
      if (nb)
        append_hex (nb, _sq_export_value_at (spec, bias, k), 4);
      if (rds2 && !out)
        append_hex (rds2, _sq_export_value_at (spec, SQ_PARAM_DASH_SYN_2, k), 1);
    }

  /* Aliases: RARAM the target (-1: none), RCRAM 2 for a source plus 1 for a target. */
  is_target = g_new0 (guint8, spec->n_hidden + 1);
  for (gsize j = 0; j < spec->n_hidden; j++)
    {
      gssize t = _sq_export_alias_target (spec, j);

      if (t >= 0 && (gsize) t < spec->n_hidden)
        is_target[t] = 1;
    }
  for (gsize j = 0; j < spec->n_hidden; j++)
    {
      gssize t = _sq_export_alias_target (spec, j);

      append_hex (ra, t, id_digits);
      append_hex (rc, (t >= 0 ? 2 : 0) + is_target[j], 1);
    }

  /* Rockpool's default time step where the specification gives none. */
  _sq_append_float (dt, spec->has_dt ? spec->dt : 1e-3);
  g_string_append_printf (config, "{\"IN\": %zu, \"RSN\": %zu, \"ON\": %zu, \"IWBS\": %d, "
                          "\"RWBS\": %d, \"OWBS\": %d, \"DT\": %s, \"N_SYNS\": %zu, "
                          "\"RA\": %s, \"time_resolution_wrap\": 0",
                          spec->n_in, spec->n_hidden, spec->n_out,
                          spec->weight_shift[SQ_SHIFT_IN], spec->weight_shift[SQ_SHIFT_REC],
                          spec->weight_shift[SQ_SHIFT_OUT], dt->str, spec->n_syn,
                          _sq_export_any_alias (spec) ? "true" : "false");
  if (device->has_bias)
    g_string_append_printf (config, ", \"BIAS\": %s",
                            _sq_export_any_bias (spec) ? "true" : "false");
  if (!full)
    g_string_append_printf (config, ", \"IEN\": %zu, \"OEN\": %zu", spec->n_ien, spec->n_oen);
  g_string_append (config, "}\n");

  {
    g_autofree char *path = g_build_filename (dir, "basic_config.json", NULL);

    _sq_export_add_file (files, path, g_string_free_to_bytes (g_steal_pointer (&config)));
  }
  for (guint i = 0; i < rams->len; i++)
    {
      Ram *r = g_ptr_array_index (rams, i);
      g_autofree char *path = g_build_filename (dir, r->name, NULL);

      _sq_export_add_file (files, path, g_string_free_to_bytes (g_steal_pointer (&r->text)));
    }
  return TRUE;
}
