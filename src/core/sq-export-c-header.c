/* sq-export-c-header.c: the c-header export, a Xylo specification as C for microcontrollers
 *
 * The header holds the integer parameters as `static const` arrays in the specification's own
 * layouts — [pre-synaptic][post-synaptic][synapse] — so the fan-out of one event is one
 * contiguous row in the order of the state `isyn[N_HIDDEN][N_SYN]`. The companion source, the
 * integer core written out for one network and one device, is sq-export-c-source.c.
 *
 * The output depends only on the inputs (no dates, no paths beyond the source's base name),
 * so the same specification gives the same bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-export-private.h"
#include "sq-export-c-private.h"

/* Longest prefix: C99 guarantees 31 significant characters of an external name, and the
 * longest external name is prefix + "_reset". */
#define PREFIX_MAX 24

/* Generated lines stay within this many columns where a value list wraps. */
#define LINE_WIDTH 99

void
_sq_c_gen_clear (SqCGen *g)
{
  g_free (g->P);
  g_free (g->source);
}

/* ---------------------------------------------------------------------------------------- */
/* Checks                                                                                    */

static gboolean
is_c_keyword (const char *s)
{
  static const char * const keywords[] = {
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
    "typedef", "union", "unsigned", "void", "volatile", "while", "asm", "typeof", "bool",
    "true", "false", "alignas", "alignof", "nullptr", "static_assert", "thread_local",
  };

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (strcmp (s, keywords[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
check_prefix (const char  *prefix,
              GError     **error)
{
  gsize n = strlen (prefix);
  /* A leading underscore would make file-scope names reserved ones. */
  gboolean ok = n > 0 && n <= PREFIX_MAX && g_ascii_isalpha (prefix[0]);

  for (gsize i = 0; ok && i < n; i++)
    ok = g_ascii_isalnum (prefix[i]) || prefix[i] == '_';
  if (ok && !is_c_keyword (prefix))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a usable C identifier prefix: expected 1 to %d letters, digits "
                 "or underscores, starting with a letter, and not a C keyword"),
               prefix, PREFIX_MAX);
  return FALSE;
}

gboolean
_sq_c_check_header_name (const char *name,
                         GError    **error)
{
  gsize n = strlen (name);
  gboolean ok = n > 0 && n <= 255;

  for (gsize i = 0; ok && i < n; i++)
    ok = name[i] >= 0x20 && name[i] < 0x7f && name[i] != '"' && name[i] != '\\';
  if (ok)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               _("“%s” cannot be named in an #include: expected 1 to 255 printable ASCII "
                 "characters without quotes or backslashes"), name);
  return FALSE;
}

/* What the code needs is exactly what the simulator accepts — whole numbers, int8 weights,
 * int16 thresholds and biases, dashes 0…31, no bias on Xylo v1 — so the simulator's own
 * checks decide, with their messages naming the element. */
gboolean
_sq_c_gen_init (SqCGen                *g,
                const SqXyloSpec      *spec,
                const SqQuantResult   *quant,
                const SqDeviceProfile *device,
                const char            *prefix,
                GError               **error)
{
  g_autoptr(SqXyloSim) sim = NULL;
  gsize max_index;

  memset (g, 0, sizeof *g);
  if (!check_prefix (prefix, error))
    return FALSE;
  if (!device->is_xylo)
    {
      g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC,
                   _("%s is not a Xylo device; C code can be written for xylo-v1, "
                     "xylo-audio2, xylo-imu and xylo-audio3"), device->name);
      return FALSE;
    }
  sim = sq_xylo_sim_new (spec, device->device, error);
  if (sim == NULL)
    return FALSE;

  g->spec = spec;
  g->quant = quant;
  g->device = device;
  g->p = prefix;
  g->P = g_ascii_strup (prefix, -1);
  if (spec->source != NULL)
    {
      /* A comment must not end early or nest: only plain printable ASCII, no '*'. */
      g->source = g_path_get_basename (spec->source);
      for (char *c = g->source; *c; c++)
        if (*c < 0x20 || *c >= 0x7f || *c == '*' || *c == '\\')
          *c = '_';
    }
  max_index = spec->alias_offsets != NULL ? MAX (spec->alias_offsets[spec->n_hidden],
                                                 spec->n_hidden) : spec->n_hidden;
  g->index_type = max_index <= G_MAXUINT16 ? "uint16_t" : "uint32_t";
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                      */

void
_sq_c_append_generated_by (GString      *s,
                           const SqCGen *g)
{
  g_string_append_printf (s, " * Generated by Synquant %s", PACKAGE_VERSION);
  if (g->source != NULL)
    g_string_append_printf (s, " from %s", g->source);
  g_string_append_printf (s, "\n * for %s (%s, %s).\n", g->device->title, g->device->chip,
                          g->device->name);
}

/* A list of values that wraps at LINE_WIDTH, continuing with @indent spaces. */
typedef struct {
  GString *s;
  gsize    line_start;
  guint    indent;
  gboolean first;
} Packer;

static void
packer_init (Packer  *k,
             GString *s,
             guint    indent)
{
  k->s = s;
  k->line_start = s->len;
  const char *nl = strrchr (s->str, '\n');
  if (nl != NULL)
    k->line_start = (gsize) (nl - s->str) + 1;
  k->indent = indent;
  k->first = TRUE;
}

static void
packer_add (Packer     *k,
            const char *token)
{
  gsize len = strlen (token);

  if (!k->first)
    {
      if (k->s->len - k->line_start + 2 + len > LINE_WIDTH)
        {
          g_string_append (k->s, ",\n");
          k->line_start = k->s->len;
          for (guint i = 0; i < k->indent; i++)
            g_string_append_c (k->s, ' ');
        }
      else
        g_string_append (k->s, ", ");
    }
  g_string_append (k->s, token);
  k->first = FALSE;
}

static gint64
value_at (const SqTensor *t,
          gsize           i)
{
  return sq_tensor_is_present (t) ? (gint64) t->data[i] : 0;
}

/* An (n_rows, n_cols, n_inner) tensor's values as the braces of a C array: one row per line
 * (wrapped), inner groups `{a, b}` when the array has a synapse axis (@n_inner > 0; `{a}`
 * for one synapse, or -Wmissing-braces fails the build), or a flat list when n_rows is 0. */
static void
append_values (GString        *s,
               const SqTensor *t,
               gsize           n_rows,
               gsize           n_cols,
               gsize           n_inner)
{
  char buf[64];

  g_string_append (s, " = {");
  for (gsize r = 0; r < MAX (n_rows, 1); r++)
    {
      Packer k;

      g_string_append (s, n_rows == 0 ? "\n  " : r ? ",\n  {" : "\n  {");
      packer_init (&k, s, n_rows > 0 ? 3 : 2);
      for (gsize c = 0; c < n_cols; c++)
        {
          gsize base = (r * n_cols + c) * MAX (n_inner, 1);

          if (n_inner == 0)
            g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value_at (t, base));
          else
            {
              GString *grp = g_string_new ("{");

              for (gsize i = 0; i < n_inner; i++)
                g_string_append_printf (grp, "%s%" G_GINT64_FORMAT, i ? ", " : "",
                                        value_at (t, base + i));
              g_string_append_c (grp, '}');
              g_strlcpy (buf, grp->str, sizeof buf);
              g_string_free (grp, TRUE);
            }
          packer_add (&k, buf);
        }
      if (n_rows > 0)
        g_string_append_c (s, '}');
    }
  g_string_append (s, "\n};\n");
}

/* `static const @ctype prefix_@name@dims = {…};`, where every '@' in @dims is the capital
 * prefix, so sizes are written with the macros. */
static void
append_array (GString        *s,
              const SqCGen      *g,
              const char     *comment,
              const char     *ctype,
              const char     *name,
              const char     *dims,
              const SqTensor *t,
              gsize           n_rows,
              gsize           n_cols,
              gsize           n_inner)
{
  g_autoptr(GString) d = g_string_new (dims);

  g_string_replace (d, "@", g->P, 0);
  g_string_append_printf (s, "\n/* %s */\nstatic const %s %s_%s%s", comment, ctype, g->p,
                          name, d->str);
  append_values (s, t, n_rows, n_cols, n_inner);
}

/* `static const @ctype @name[@dims] = {…};` for a flat list of integers. */
void
_sq_c_append_list (GString      *s,
                   const char   *ctype,
                   const char   *name,
                   const char   *dims,
                   const gint32 *v,
                   gsize         n)
{
  char buf[16];
  Packer k;

  g_string_append_printf (s, "static const %s %s[%s] = {\n  ", ctype, name, dims);
  packer_init (&k, s, 2);
  for (gsize i = 0; i < n; i++)
    {
      g_snprintf (buf, sizeof buf, "%" G_GINT32_FORMAT, v[i]);
      packer_add (&k, buf);
    }
  g_string_append (s, "\n};\n");
}

/* A float constant that reads back as the same float, with a decimal point or exponent. */
static void
append_c_float (GString *s,
                double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  float f = (float) v;

  if (!isfinite (f))
    {
      /* A neuron without weights has no scale; 0 cannot be mistaken for one. */
      g_string_append (s, "0.0f");
      return;
    }
  for (int p = 6; p <= 9; p++)
    {
      char fmt[8];

      g_snprintf (fmt, sizeof fmt, "%%.%dg", p);
      g_ascii_formatd (buf, sizeof buf, fmt, (double) f);
      if (!((float) g_ascii_strtod (buf, NULL) < f) && !((float) g_ascii_strtod (buf, NULL) > f))
        break;
    }
  g_string_append (s, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (s, ".0");
  g_string_append_c (s, 'f');
}

static void
append_scales (GString   *s,
               const SqCGen *g)
{
  const SqQuantResult *q = g->quant;
  static const char * const layer_names[SQ_N_LAYERS] = { "hidden", "out" };

  g_string_append_printf (s,
    "\n/* Quantization by Synquant: %s scaling, %s mode, %u-bit weights, %u-bit thresholds.\n"
    " * integer = rint (float * scale), so float ~ integer / scale. The weights, thresholds\n"
    " * and biases of a layer%s share its scale. */\n"
    "#define %s_WEIGHT_BITS %u\n#define %s_THRESHOLD_BITS %u\n",
    sq_method_to_string (q->params.method), sq_mode_to_string (q->mode_used),
    q->params.weight_bits, q->params.threshold_bits,
    q->params.method == SQ_METHOD_CHANNEL ? " (per target neuron)" : "",
    g->P, q->params.weight_bits, g->P, q->params.threshold_bits);

  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      if (q->params.method == SQ_METHOD_GLOBAL)
        {
          g_string_append_printf (s, "static const float %s_scale_%s = ", g->p, layer_names[l]);
          append_c_float (s, q->layer[l].scale);
          g_string_append (s, "; /* ");
          _sq_append_float (s, q->layer[l].scale);
          g_string_append (s, " */\n");
          if (l == SQ_LAYER_HIDDEN)
            {
              g_string_append_printf (s, "/* weights_rec: the hidden scale times this */\n"
                                      "static const float %s_scale_rec_factor = ", g->p);
              append_c_float (s, q->rec_scale_factor);
              g_string_append (s, ";\n");
            }
        }
      else
        {
          g_autoptr(GString) values = g_string_new (NULL);
          Packer k;
          gsize n = 0;

          packer_init (&k, values, 2);
          for (guint i = 0; i < q->groups->len; i++)
            {
              const SqGroupReport *r = &g_array_index (q->groups, SqGroupReport, i);
              g_autoptr(GString) one = NULL;

              if (r->layer != l)
                continue;
              one = g_string_new (NULL);
              append_c_float (one, r->scale);
              packer_add (&k, one->str);
              n++;
            }
          g_string_append_printf (s, "static const float %s_scale_%s[%zu] = {\n  %s\n};\n",
                                  g->p, layer_names[l], MAX (n, 1), n ? values->str : "0.0f");
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The header                                                                                */

/**
 * sq_xylo_spec_to_c_header:
 * @quant: (nullable): the quantization that made @spec, for the scales and bit widths
 * @device: a Xylo profile; v1 and the v2 chips differ in the membrane update
 * @prefix: the C identifier prefix of every name ("net": `net_w_rec`, `NET_N_HIDDEN`)
 *
 * One self-contained header with @spec's integers: int8 weights, int16 thresholds and biases,
 * uint8 dashes, the weight shifts and aliases, the shapes as macros, the scales when @quant is
 * given, and the declarations of the companion source's API (sq_xylo_spec_to_c_source()),
 * which a program that only reads the arrays can hide by defining `PREFIX_NO_CORE`.
 *
 * Returns: (transfer full): the text, or %NULL with @error set: %SQ_SIM_ERROR_SPEC when the
 *   specification is not integer or a value does not fit its type (the message names the
 *   element), %G_IO_ERROR_INVALID_ARGUMENT for a prefix that is not a C identifier
 */
char *
sq_xylo_spec_to_c_header (const SqXyloSpec      *spec,
                          const SqQuantResult   *quant,
                          const SqDeviceProfile *device,
                          const char            *prefix,
                          GError               **error)
{
  const SqTensor *param = spec->param;
  const gsize nh = spec->n_hidden;
  const gsize syn_in = spec->weights_in_3d ? param[SQ_PARAM_WEIGHTS_IN].shape[2] : 1;
  const gsize syn_rec = spec->weights_rec_3d ? param[SQ_PARAM_WEIGHTS_REC].shape[2] : 1;
  static const struct {
    SqParam     param;
    const char *ctype;
    const char *name;
  } vectors[] = {
    { SQ_PARAM_THRESHOLD, "int16_t", "threshold" },
    { SQ_PARAM_BIAS, "int16_t", "bias" },
    { SQ_PARAM_DASH_MEM, "uint8_t", "dash_mem" },
    { SQ_PARAM_DASH_SYN, "uint8_t", "dash_syn" },
    { SQ_PARAM_DASH_SYN_2, "uint8_t", "dash_syn_2" },
    { SQ_PARAM_THRESHOLD_OUT, "int16_t", "threshold_out" },
    { SQ_PARAM_BIAS_OUT, "int16_t", "bias_out" },
    { SQ_PARAM_DASH_MEM_OUT, "uint8_t", "dash_mem_out" },
    { SQ_PARAM_DASH_SYN_OUT, "uint8_t", "dash_syn_out" },
  };
  const char *P, *p;
  g_auto(SqCGen) g = { 0 };
  g_autoptr(GString) s = NULL;
  gsize n_alias;

  g_return_val_if_fail (spec != NULL && device != NULL && prefix != NULL, NULL);

  if (!_sq_c_gen_init (&g, spec, quant, device, prefix, error))
    return NULL;
  P = g.P;
  p = g.p;
  n_alias = spec->alias_offsets != NULL ? spec->alias_offsets[nh] : 0;

  s = g_string_new (NULL);
  g_string_append_printf (s, "/* The Xylo network%s%s as C arrays, for %s_step() in the "
                          "companion source\n *\n", g.source ? " " : "",
                          g.source ? g.source : "", p);
  _sq_c_append_generated_by (s, &g);
  g_string_append_printf (s,
    " * Do not edit: export it again from the specification.\n"
    " *\n"
    " * Weights are int8, thresholds and biases int16, dashes (decay bit shifts) uint8, in the\n"
    " * specification's layouts [pre-synaptic][post-synaptic][synapse]: the fan-out of one\n"
    " * event is one contiguous row, in the order of the state isyn[N_HIDDEN][N_SYN].\n"
    " * weights_in feeds the first %s_N_IEN hidden neurons, weights_out is driven by the last\n"
    " * %s_N_OEN. Define %s_NO_CORE before including it to get the parameters only.\n"
    " */\n"
    "#ifndef %s_SYNQUANT_H\n#define %s_SYNQUANT_H\n\n#include <stdint.h>\n\n",
    P, P, P, P, P);

  g_string_append_printf (s,
    "#define %s_N_IN %zu\n"
    "#define %s_N_HIDDEN %zu\n"
    "#define %s_N_OUT %zu\n"
    "/* Synaptic states per hidden neuron (1 or 2) */\n"
    "#define %s_N_SYN %zu\n"
    "/* Hidden neurons fed by weights_in (the first ones) and driving weights_out (the last) */\n"
    "#define %s_N_IEN %zu\n"
    "#define %s_N_OEN %zu\n"
    "/* Synapse axis of the weight arrays: 1 where the specification's matrix is 2-D */\n"
    "#define %s_W_IN_SYN %zu\n"
    "#define %s_W_REC_SYN %zu\n"
    "/* Alias entries in all (0: no aliases) */\n"
    "#define %s_N_ALIAS %zu\n"
    "/* Weights are added as wrap16 (w << shift) */\n"
    "#define %s_WEIGHT_SHIFT_IN %d\n"
    "#define %s_WEIGHT_SHIFT_REC %d\n"
    "#define %s_WEIGHT_SHIFT_OUT %d\n"
    "/* Events the core takes per input channel and step, and sends per hidden neuron and\n"
    " * step (output neurons send at most 1) */\n"
    "#define %s_INPUT_CAP %d\n"
    "#define %s_HIDDEN_CAP %d\n"
    "/* 1 for Xylo v1's membrane update (decay, add, saturate once), 0 for the v2 core */\n"
    "#define %s_XYLO_V1 %d\n",
    P, spec->n_in, P, nh, P, spec->n_out, P, spec->n_syn, P, spec->n_ien, P, spec->n_oen,
    P, syn_in, P, syn_rec, P, n_alias,
    P, spec->weight_shift[SQ_SHIFT_IN], P, spec->weight_shift[SQ_SHIFT_REC],
    P, spec->weight_shift[SQ_SHIFT_OUT], P, SQ_XYLO_INPUT_CAP, P, SQ_XYLO_HIDDEN_CAP,
    P, device->device == SQ_DEVICE_XYLO_V1);
  if (spec->has_dt)
    {
      g_string_append_printf (s, "/* The time step in seconds */\n#define %s_DT ", P);
      _sq_append_float (s, spec->dt);
      g_string_append_c (s, '\n');
    }

  if (quant != NULL)
    append_scales (s, &g);

  append_array (s, &g, "weights_in: input channel, hidden neuron, synapse", "int8_t", "w_in",
                "[@_N_IN][@_N_IEN][@_W_IN_SYN]", &param[SQ_PARAM_WEIGHTS_IN],
                spec->n_in, spec->n_ien, syn_in);
  append_array (s, &g, "weights_rec: pre-synaptic hidden neuron, post-synaptic, synapse",
                "int8_t", "w_rec", "[@_N_HIDDEN][@_N_HIDDEN][@_W_REC_SYN]",
                &param[SQ_PARAM_WEIGHTS_REC], nh, nh, syn_rec);
  append_array (s, &g, "weights_out: hidden neuron (the last N_OEN), output neuron", "int8_t",
                "w_out", "[@_N_OEN][@_N_OUT]", &param[SQ_PARAM_WEIGHTS_OUT],
                spec->n_oen, spec->n_out, 0);
  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      const SqTensor *t = &param[vectors[i].param];
      gboolean out = sq_param_is_output (vectors[i].param);
      g_autofree char *comment = NULL;

      if (vectors[i].param == SQ_PARAM_DASH_SYN_2 && !sq_tensor_is_present (t))
        continue;
      comment = g_strdup_printf ("%s%s", sq_param_name (vectors[i].param),
                                 sq_tensor_is_present (t) ? ""
                                 : device->has_bias ? " (not in the specification: 0)"
                                 : " (Xylo v1 has no bias: 0)");
      append_array (s, &g, comment, vectors[i].ctype, vectors[i].name,
                    out ? "[@_N_OUT]" : "[@_N_HIDDEN]", t, 0, out ? spec->n_out : nh, 0);
    }
  if (n_alias > 0)
    {
      g_autofree gint32 *off = g_new (gint32, nh + 1);
      g_autofree gint32 *tgt = g_new (gint32, n_alias);
      g_autofree char *name = g_strdup_printf ("%s_alias_offsets", p);
      g_autofree char *dims = g_strdup_printf ("%s_N_HIDDEN + 1", P);

      for (gsize j = 0; j <= nh; j++)
        off[j] = (gint32) spec->alias_offsets[j];
      for (gsize e = 0; e < n_alias; e++)
        tgt[e] = (gint32) spec->alias_targets[e];
      g_string_append (s, "\n/* aliases: hidden neuron j copies its events to the hidden neurons\n"
                       " * alias_targets[alias_offsets[j]] ... "
                       "alias_targets[alias_offsets[j + 1] - 1] */\n");
      _sq_c_append_list (s, g.index_type, name, dims, off, nh + 1);
      g_free (name);
      g_free (dims);
      name = g_strdup_printf ("%s_alias_targets", p);
      dims = g_strdup_printf ("%s_N_ALIAS", P);
      g_string_append (s, "\n/* alias targets, hidden neuron indices */\n");
      _sq_c_append_list (s, g.index_type, name, dims, tgt, n_alias);
    }

  /* C99 has no _Static_assert: an array of size -1 fails instead, if the arrays and the
   * macros ever disagree. */
  g_string_append_printf (s,
    "\n/* Compile-time checks that the arrays have the sizes of the macros */\n"
    "typedef char %s_check_w_in_[\n"
    "  sizeof %s_w_in == (unsigned long) %s_N_IN * %s_N_IEN * %s_W_IN_SYN ? 1 : -1];\n"
    "typedef char %s_check_w_rec_[\n"
    "  sizeof %s_w_rec == (unsigned long) %s_N_HIDDEN * %s_N_HIDDEN * %s_W_REC_SYN ? 1 : -1];\n"
    "typedef char %s_check_w_out_[\n"
    "  sizeof %s_w_out == (unsigned long) %s_N_OEN * %s_N_OUT ? 1 : -1];\n",
    p, p, P, P, P, p, p, P, P, P, p, p, P, P);

  g_string_append_printf (s,
    "\n#ifndef %s_NO_CORE\n"
    "/* The integer core in the companion source. State is what the chip holds: int16\n"
    " * synaptic currents and membrane potentials, and the events each hidden neuron sent in\n"
    " * the last step (delivered at the start of the next). Read it for debugging; change it\n"
    " * only through %s_reset() and %s_step(). */\n"
    "typedef struct {\n"
    "  int16_t isyn[%s_N_HIDDEN][%s_N_SYN];\n"
    "  int16_t vmem[%s_N_HIDDEN];\n"
    "  int16_t isyn_out[%s_N_OUT];\n"
    "  int16_t vmem_out[%s_N_OUT];\n"
    "  uint8_t events[%s_N_HIDDEN];\n"
    "} %s_state_t;\n\n"
    "/* Clears every state and pending event, as at power-up. */\n"
    "void %s_reset (%s_state_t *s);\n\n"
    "/* One time step: @input holds this step's events per channel (above %s_INPUT_CAP count\n"
    " * as %s_INPUT_CAP); @out_spikes receives 0 or 1 per output neuron. */\n"
    "void %s_step (%s_state_t *s, const uint8_t input[%s_N_IN],\n"
    "    uint8_t out_spikes[%s_N_OUT]);\n"
    "#endif\n\n"
    "#endif /* %s_SYNQUANT_H */\n",
    P, p, p, P, P, P, P, P, P, p, p, p, P, P, p, p, P, P, P);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* The export                                                                                */

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
gboolean
_sq_export_c_header (const SqExportCtx     *c,
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
  _sq_export_add_file (files, path, g_bytes_new_take (g_steal_pointer (&header), n));
  if (source != NULL)
    {
      n = strlen (source);
      _sq_export_add_file (files, options->c_source_path,
                           g_bytes_new_take (g_steal_pointer (&source), n));
    }
  return TRUE;
}
