/* sq-export.c: configuration exports for a device
 *
 * Every format is built in memory first (sq_export_build), so a test sees the exact bytes a
 * file would hold, and then written with sq_file_write_all_atomic: a target holds its old
 * content or the new, and the files of a RAM image are replaced together or not at all.
 * Nothing here ever wraps a value into a register: a value the device cannot hold is an error
 * that names its place (Rockpool's int8 cast wraps silently, research/rockpool.md §2.2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>

#include "sq-private.h"
#include "synquant.h"

G_DEFINE_QUARK (sq-export-error-quark, sq_export_error)

static const char * const format_names[SQ_N_EXPORT_FORMATS] = {
  [SQ_EXPORT_ROCKPOOL_JSON] = "rockpool-json",
  [SQ_EXPORT_ROCKPOOL_NPZ] = "rockpool-npz",
  [SQ_EXPORT_SAMNA_JSON] = "samna-json",
  [SQ_EXPORT_XYLO_RAM] = "xylo-ram",
  [SQ_EXPORT_C_HEADER] = "c-header",
  [SQ_EXPORT_NIR] = "nir",
};

const char *
sq_export_format_to_string (SqExportFormat format)
{
  g_return_val_if_fail ((guint) format < SQ_N_EXPORT_FORMATS, NULL);
  return format_names[format];
}

/* Returns: whether @name (any case) is a format; then *@format is set. */
gboolean
sq_export_format_from_string (const char     *name,
                              SqExportFormat *format)
{
  g_return_val_if_fail (name != NULL && format != NULL, FALSE);

  for (guint i = 0; i < SQ_N_EXPORT_FORMATS; i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *format = (SqExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

/* "rockpool-json, rockpool-npz, …", for usage messages. */
char *
sq_export_format_names_string (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < SQ_N_EXPORT_FORMATS; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", format_names[i]);
  return g_string_free (s, FALSE);
}

/* Whether the format's path is a folder that receives several files. */
gboolean
sq_export_format_is_directory (SqExportFormat format)
{
  return format == SQ_EXPORT_XYLO_RAM;
}

static void
export_file_free (gpointer data)
{
  SqExportFile *f = data;

  g_free (f->path);
  g_bytes_unref (f->data);
  g_free (f);
}

static void
add_file (GPtrArray  *files,
          const char *path,
          GBytes     *data)
{
  SqExportFile *f = g_new0 (SqExportFile, 1);

  f->path = g_strdup (path);
  f->data = data;
  g_ptr_array_add (files, f);
}

static GBytes *
string_to_bytes (GString *s)
{
  return g_string_free_to_bytes (s);
}

/* ---------------------------------------------------------------------------------------- */
/* What the device can hold                                                                 */

typedef struct {
  const SqXyloSpec      *spec;
  const SqDeviceProfile *device;
  const char            *source;
} Ctx;

static void
param_range (const SqDeviceProfile *device,
             SqParam                param,
             int                   *lo,
             int                   *hi)
{
  if (sq_param_is_weights (param))
    *lo = device->weight_min, *hi = device->weight_max;
  else if (sq_param_is_dash (param))
    *lo = device->dash_min, *hi = device->dash_max;
  else if (param == SQ_PARAM_THRESHOLD || param == SQ_PARAM_THRESHOLD_OUT)
    *lo = device->threshold_min, *hi = device->threshold_max;
  else
    *lo = device->bias_min, *hi = device->bias_max;
}

/* Every value a whole number within the device's register; biases only where the device has
 * them. With @strict (samna, RAM images) also the structure each register layout needs. */
static gboolean
check_values (const Ctx *c,
              gboolean   strict,
              GError   **error)
{
  const SqXyloSpec *spec = c->spec;
  const SqDeviceProfile *device = c->device;

  if (!device->is_xylo)
    {
      g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_DEVICE,
                   _("%s runs convolutional networks, not Xylo specifications"), device->title);
      return FALSE;
    }

  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      const SqTensor *t = &spec->param[p];
      gboolean is_bias = p == SQ_PARAM_BIAS || p == SQ_PARAM_BIAS_OUT;
      int lo, hi;

      if (!sq_tensor_is_present (t))
        continue;
      param_range (device, (SqParam) p, &lo, &hi);
      for (gsize k = 0; k < t->n; k++)
        {
          double v = t->data[k];

          if (!(nearbyint (v) <= v && nearbyint (v) >= v))
            {
              g_autofree char *where = sq_tensor_element_path (t, sq_param_name (p), k);

              g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_NOT_INTEGER,
                           _("%s: %s is %g, expected a whole number (quantize first)"),
                           c->source, where, v);
              return FALSE;
            }
          if (is_bias && !device->has_bias && !sq_is_zero (v))
            {
              g_autofree char *where = sq_tensor_element_path (t, sq_param_name (p), k);

              g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE,
                           _("%s: %s is %g, but %s has no biases"), c->source, where, v,
                           device->title);
              return FALSE;
            }
          if (device->has_bias || !is_bias)
            if (v < lo || v > hi)
              {
                g_autofree char *where = sq_tensor_element_path (t, sq_param_name (p), k);

                g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE,
                             _("%s: %s is %g, outside %s's range %d…%d; "
                               "values are never wrapped"),
                             c->source, where, v, device->title, lo, hi);
                return FALSE;
              }
        }
    }

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->weight_shift[i] < device->weight_shift_min ||
        spec->weight_shift[i] > device->weight_shift_max)
      {
        g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_RANGE,
                     _("%s: %s is %d, outside %s's range %d…%d; values are never wrapped"),
                     c->source, sq_shift_name ((SqShift) i), spec->weight_shift[i],
                     device->title, device->weight_shift_min, device->weight_shift_max);
        return FALSE;
      }

  if (!strict)
    return TRUE;

  if (spec->n_syn > device->max_synapses)
    {
      g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE,
                   _("%s: %zu synapses per hidden neuron, but %s's configuration holds %u"),
                   c->source, spec->n_syn, device->title, device->max_synapses);
      return FALSE;
    }
  for (gsize j = 0; spec->alias_offsets != NULL && j < spec->n_alias_lists; j++)
    {
      gsize n = spec->alias_offsets[j + 1] - spec->alias_offsets[j];

      if (n > device->max_alias_targets)
        {
          g_set_error (error, SQ_EXPORT_ERROR, SQ_EXPORT_ERROR_UNREPRESENTABLE,
                       _("%s: aliases[%zu] has %zu targets, but %s's configuration holds %u"),
                       c->source, j, n, device->title, device->max_alias_targets);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* The network as the device's registers see it                                            */

/* weights_in[i][j][s] and weights_rec[i][j][s] of a 2-D or 3-D tensor; 0 beyond its synapses. */
static int
weight3 (const SqTensor *t,
         gsize           i,
         gsize           j,
         gsize           s)
{
  gsize n_syn = t->rank == 3 ? t->shape[2] : 1;

  if (s >= n_syn)
    return 0;
  return (int) t->data[(i * t->shape[1] + j) * n_syn + s];
}

static int
value_at (const SqXyloSpec *spec,
          SqParam           param,
          gsize             i)
{
  const SqTensor *t = &spec->param[param];

  return sq_tensor_is_present (t) ? (int) t->data[i] : 0;
}

/* On devices where every hidden neuron takes input and drives outputs (v1, Audio 2) the
 * registers span all hidden neurons, so narrower matrices are padded with zeros; on IMU and
 * Audio 3 they span the input and output expansion windows, which the matrices give. */
static gboolean
full_windows (const SqDeviceProfile *device)
{
  return device->max_ien >= device->max_hidden && device->max_oen >= device->max_hidden;
}

/* Input weight to hidden column @j (of n_ien, or of n_hidden when padded). */
static int
input_weight (const SqXyloSpec *spec,
              gsize             i,
              gsize             j,
              gsize             s)
{
  return j < spec->n_ien ? weight3 (&spec->param[SQ_PARAM_WEIGHTS_IN], i, j, s) : 0;
}

/* Output weight of register row @r of @n_rows (the last n_oen rows hold weights_out). */
static int
output_weight (const SqXyloSpec *spec,
               gsize             n_rows,
               gsize             r,
               gsize             o)
{
  gsize first = n_rows - spec->n_oen;

  if (r < first)
    return 0;
  return (int) spec->param[SQ_PARAM_WEIGHTS_OUT].data[(r - first) * spec->n_out + o];
}

static gssize
alias_target (const SqXyloSpec *spec,
              gsize             j)
{
  if (spec->alias_offsets == NULL || j >= spec->n_alias_lists ||
      spec->alias_offsets[j + 1] == spec->alias_offsets[j])
    return -1;
  return spec->alias_targets[spec->alias_offsets[j]];
}

static gboolean
any_alias (const SqXyloSpec *spec)
{
  return spec->alias_offsets != NULL && spec->alias_offsets[spec->n_alias_lists] > 0;
}

static gboolean
any_bias (const SqXyloSpec *spec)
{
  for (guint p = SQ_PARAM_BIAS; p <= SQ_PARAM_BIAS_OUT; p++)
    {
      const SqTensor *t = &spec->param[p];

      for (gsize k = 0; sq_tensor_is_present (t) && k < t->n; k++)
        if (!sq_is_zero (t->data[k]))
          return TRUE;
    }
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* rockpool-json, rockpool-npz                                                              */

/* The specification as Rockpool's XyloSim.from_specification and config_from_specification
 * take it on every device: weights_in and weights_rec always 3-D (Audio 3's configuration
 * refuses 2-D, the others add the axis themselves), the three weight shifts always present,
 * no bias keys on Xylo v1 (which has none; check_values made sure they are zero). */
static SqXyloSpec *
rockpool_spec (const Ctx *c,
               GError   **error)
{
  g_autoptr(SqXyloSpec) copy = sq_xylo_spec_copy (c->spec, error);

  if (copy == NULL)
    return NULL;
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      SqTensor *t = &copy->param[p];

      if ((p == SQ_PARAM_WEIGHTS_IN || p == SQ_PARAM_WEIGHTS_REC) && t->rank == 2)
        {
          t->shape[2] = 1;
          t->rank = 3;
        }
      t->integer = TRUE;
    }
  copy->weights_in_3d = copy->weights_rec_3d = TRUE;
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    copy->has_weight_shift[i] = TRUE;
  if (!c->device->has_bias)
    {
      sq_tensor_clear (&copy->param[SQ_PARAM_BIAS]);
      sq_tensor_clear (&copy->param[SQ_PARAM_BIAS_OUT]);
    }
  return g_steal_pointer (&copy);
}

static GBytes *
build_rockpool (const Ctx *c,
                gboolean   npz,
                GError   **error)
{
  g_autoptr(SqXyloSpec) spec = NULL;

  if (!check_values (c, FALSE, error))
    return NULL;
  spec = rockpool_spec (c, error);
  if (spec == NULL)
    return NULL;
  if (npz)
    {
      gsize length;
      guint8 *data = sq_xylo_spec_to_npz (spec, &length, error);

      return data ? g_bytes_new_take (data, length) : NULL;
    }
  return string_to_bytes (sq_xylo_spec_to_json (spec));
}

/* ---------------------------------------------------------------------------------------- */
/* samna-json                                                                               */

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
  return input_weight (spec, r, col, syn);
}

static int
rec_cell (const SqXyloSpec *spec, gsize r, gsize col, gsize syn)
{
  return weight3 (&spec->param[SQ_PARAM_WEIGHTS_REC], r, col, syn);
}

static int
output_cell (const SqXyloSpec *spec, gsize r, gsize col, gsize n_rows)
{
  return output_weight (spec, n_rows, r, col);
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
append_header (GString    *s,
               const Ctx  *c,
               const char *format)
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
static GBytes *
build_samna (const Ctx *c,
             GError   **error)
{
  const SqXyloSpec *spec = c->spec;
  const SqDeviceProfile *device = c->device;
  gboolean syn2 = device->max_synapses >= 2;
  gboolean bias = device->has_bias;
  gboolean full = full_windows (device);
  gsize n_cols_in = full ? spec->n_hidden : spec->n_ien;
  gsize n_rows_out = full ? spec->n_hidden : spec->n_oen;
  const char *hidden = device->device == SQ_DEVICE_XYLO_IMU ||
                       device->device == SQ_DEVICE_XYLO_AUDIO3 ? "hidden" : "reservoir";
  GString *s;

  if (!check_values (c, TRUE, error))
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
                          spec->weight_shift[SQ_SHIFT_REC], any_alias (spec) ? "true" : "false");
  for (gsize j = 0; j < spec->n_hidden; j++)
    {
      gssize alias = alias_target (spec, j);

      g_string_append_printf (s, "%s{\"i_syn_decay\": %d", j ? ",\n      " : "\n      ",
                              value_at (spec, SQ_PARAM_DASH_SYN, j));
      if (syn2)
        g_string_append_printf (s, ", \"i_syn2_decay\": %d",
                                value_at (spec, SQ_PARAM_DASH_SYN_2, j));
      g_string_append_printf (s, ", \"v_mem_decay\": %d, \"threshold\": %d",
                              value_at (spec, SQ_PARAM_DASH_MEM, j),
                              value_at (spec, SQ_PARAM_THRESHOLD, j));
      if (bias)
        g_string_append_printf (s, ", \"v_mem_bias\": %d", value_at (spec, SQ_PARAM_BIAS, j));
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
                              value_at (spec, SQ_PARAM_DASH_SYN_OUT, o),
                              value_at (spec, SQ_PARAM_DASH_MEM_OUT, o),
                              value_at (spec, SQ_PARAM_THRESHOLD_OUT, o));
      if (bias)
        g_string_append_printf (s, ", \"v_mem_bias\": %d", value_at (spec, SQ_PARAM_BIAS_OUT, o));
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
    g_string_append_printf (s, ",\n  \"bias_enable\": %s", any_bias (spec) ? "true" : "false");
  g_string_append (s, "\n}\n");

  return string_to_bytes (s);
}

/* ---------------------------------------------------------------------------------------- */
/* xylo-ram                                                                                 */

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
static gboolean
build_ram (const Ctx  *c,
           const char *dir,
           GPtrArray  *files,
           GError    **error)
{
  const SqXyloSpec *spec = c->spec;
  const SqDeviceProfile *device = c->device;
  gboolean syn2 = device->max_synapses >= 2;
  gboolean full = full_windows (device);
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

  if (!check_values (c, TRUE, error))
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
          append_hex (iwt, input_weight (spec, i, j, 0), 2);
          if (iwt2)
            append_hex (iwt2, input_weight (spec, i, j, 1), 2);
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
          int w1 = rec_cell (spec, i, j, 0), w2 = rec_cell (spec, i, j, 1);

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
        append_hex (owt, output_weight (spec, n_rows_out, r, o), 2);
    }

  /* Neuron RAMs: the hidden neurons, then the output neurons. */
  for (gsize j = 0; j < spec->n_hidden + spec->n_out; j++)
    {
      gboolean out = j >= spec->n_hidden;
      gsize k = out ? j - spec->n_hidden : j;

      append_hex (ndm, value_at (spec, out ? SQ_PARAM_DASH_MEM_OUT : SQ_PARAM_DASH_MEM, k), 1);
      append_hex (nds, value_at (spec, out ? SQ_PARAM_DASH_SYN_OUT : SQ_PARAM_DASH_SYN, k), 1);
      append_hex (nth, value_at (spec, out ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD, k),
                  4);
      if (nb)
        append_hex (nb, value_at (spec, out ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS, k), 4);
      if (rds2 && !out)
        append_hex (rds2, value_at (spec, SQ_PARAM_DASH_SYN_2, k), 1);
    }

  /* Aliases: RARAM the target (-1: none), RCRAM 2 for a source plus 1 for a target. */
  is_target = g_new0 (guint8, spec->n_hidden + 1);
  for (gsize j = 0; j < spec->n_hidden; j++)
    {
      gssize t = alias_target (spec, j);

      if (t >= 0 && (gsize) t < spec->n_hidden)
        is_target[t] = 1;
    }
  for (gsize j = 0; j < spec->n_hidden; j++)
    {
      gssize t = alias_target (spec, j);

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
                          any_alias (spec) ? "true" : "false");
  if (device->has_bias)
    g_string_append_printf (config, ", \"BIAS\": %s", any_bias (spec) ? "true" : "false");
  if (!full)
    g_string_append_printf (config, ", \"IEN\": %zu, \"OEN\": %zu", spec->n_ien, spec->n_oen);
  g_string_append (config, "}\n");

  {
    g_autofree char *path = g_build_filename (dir, "basic_config.json", NULL);

    add_file (files, path, string_to_bytes (g_steal_pointer (&config)));
  }
  for (guint i = 0; i < rams->len; i++)
    {
      Ram *r = g_ptr_array_index (rams, i);
      g_autofree char *path = g_build_filename (dir, r->name, NULL);

      add_file (files, path, string_to_bytes (g_steal_pointer (&r->text)));
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

/* "net-v2.h" → "net_v2": the C prefix a header's name suggests; "net" when it suggests none. */
static char *
prefix_from_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');
  GString *s = g_string_new (NULL);

  if (dot != NULL && dot != base)
    *dot = '\0';
  for (const char *p = base; *p && s->len < 24; p++)
    g_string_append_c (s, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : '_');
  if (s->len == 0 || !g_ascii_isalpha (s->str[0]))
    g_string_prepend (s, "net_");
  g_string_truncate (s, MIN (s->len, 24));
  return g_string_free (s, FALSE);
}

/* The header, and the companion source when options name a path for it. */
static gboolean
build_c (const Ctx             *c,
         const SqQuantResult   *quant,
         const char            *path,
         const SqExportOptions *options,
         GPtrArray             *files,
         GError               **error)
{
  g_autofree char *own_prefix = NULL;
  const char *prefix = options ? options->prefix : NULL;
  g_autofree char *header = NULL;
  g_autofree char *source = NULL;
  g_autofree char *header_name = g_path_get_basename (path);
  gsize n;

  if (prefix == NULL)
    prefix = own_prefix = prefix_from_path (path);
  header = sq_xylo_spec_to_c_header (c->spec, quant, c->device, prefix, error);
  if (header == NULL)
    return FALSE;
  if (options != NULL && options->c_source_path != NULL)
    {
      source = sq_xylo_spec_to_c_source (c->spec, quant, c->device, prefix, header_name, error);
      if (source == NULL)
        return FALSE;
    }
  n = strlen (header);
  add_file (files, path, g_bytes_new_take (g_steal_pointer (&header), n));
  if (source != NULL)
    {
      n = strlen (source);
      add_file (files, options->c_source_path, g_bytes_new_take (g_steal_pointer (&source), n));
    }
  return TRUE;
}

/**
 * sq_export_build:
 * @spec: the integer specification (a float one only for %SQ_EXPORT_NIR)
 * @quant: (nullable): the quantization that produced @spec: scales and bit widths for the
 *   formats that record them
 * @device: the target device
 * @path: where the export goes: a file, or the folder of %SQ_EXPORT_XYLO_RAM
 * @options: (nullable): format options
 *
 * Builds the files of an export in memory, without touching the file system. Callers check
 * the fit first (sq_device_check); this only refuses what the format cannot hold at all.
 *
 * Returns: (transfer full) (element-type SqExportFile): the files in a fixed order, or %NULL
 *   with @error set
 */
GPtrArray *
sq_export_build (const SqXyloSpec      *spec,
                 const SqQuantResult   *quant,
                 const SqDeviceProfile *device,
                 SqExportFormat         format,
                 const char            *path,
                 const SqExportOptions *options,
                 GError               **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (export_file_free);
  g_autofree char *display = NULL;
  Ctx c;
  GBytes *data = NULL;

  g_return_val_if_fail (spec != NULL && device != NULL && path != NULL, NULL);
  g_return_val_if_fail ((guint) format < SQ_N_EXPORT_FORMATS, NULL);

  c.spec = spec;
  c.device = device;
  if (options && options->source)
    c.source = options->source;
  else if (spec->source)
    c.source = spec->source;
  else
    c.source = display = g_filename_display_name (path);

  switch (format)
    {
    case SQ_EXPORT_ROCKPOOL_JSON:
    case SQ_EXPORT_ROCKPOOL_NPZ:
      data = build_rockpool (&c, format == SQ_EXPORT_ROCKPOOL_NPZ, error);
      break;
    case SQ_EXPORT_SAMNA_JSON:
      data = build_samna (&c, error);
      break;
    case SQ_EXPORT_XYLO_RAM:
      if (!build_ram (&c, path, files, error))
        return NULL;
      return g_steal_pointer (&files);
    case SQ_EXPORT_C_HEADER:
      if (!build_c (&c, quant, path, options, files, error))
        return NULL;
      return g_steal_pointer (&files);
    case SQ_EXPORT_NIR:
      data = sq_xylo_spec_to_nir (spec, quant, error);
      break;
    case SQ_N_EXPORT_FORMATS:
    default:
      g_return_val_if_reached (NULL);
    }

  if (data == NULL)
    return NULL;
  add_file (files, path, data);
  return g_steal_pointer (&files);
}

/**
 * sq_export:
 *
 * Builds the export (sq_export_build) and writes its files atomically and together: each
 * target keeps its old content unless every file was written. The folder of
 * %SQ_EXPORT_XYLO_RAM is created when missing; in an existing one only the export's files
 * are replaced.
 */
gboolean
sq_export (const SqXyloSpec      *spec,
           const SqQuantResult   *quant,
           const SqDeviceProfile *device,
           SqExportFormat         format,
           const char            *path,
           const SqExportOptions *options,
           GError               **error)
{
  g_autoptr(GPtrArray) files = NULL;

  files = sq_export_build (spec, quant, device, format, path, options, error);
  if (files == NULL)
    return FALSE;
  return _sq_export_write_files (files, sq_export_format_is_directory (format), path, error);
}

/* Writes @files (SqExportFile) atomically and together, creating the folder @path first for
 * a format that writes one; sq_export() and every network kind's export. */
gboolean
_sq_export_write_files (GPtrArray   *files,
                        gboolean     is_directory,
                        const char  *path,
                        GError     **error)
{
  g_autofree SqFileContent *contents = NULL;
  gboolean created = FALSE, ok;

  if (is_directory && !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      if (g_mkdir_with_parents (path, 0777) != 0)
        {
          int saved_errno = errno;
          g_autofree char *name = g_filename_display_name (path);

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "%s: %s: %s", name, _("cannot create the folder"),
                       g_strerror (saved_errno));
          return FALSE;
        }
      created = TRUE;
    }

  contents = g_new0 (SqFileContent, files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const SqExportFile *f = g_ptr_array_index (files, i);

      contents[i].path = f->path;
      contents[i].data = g_bytes_get_data (f->data, &contents[i].length);
    }
  ok = sq_file_write_all_atomic (contents, files->len, error);
  /* A folder made for an export that failed goes again (it is empty: nothing was renamed). */
  if (!ok && created)
    g_rmdir (path);
  return ok;
}
