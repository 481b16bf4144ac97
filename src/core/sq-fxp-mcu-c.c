/* sq-fxp-mcu-c.c: the `mcu-c` export of a fixed-point network: a self-contained C99 folder
 *
 * model.h (the input and output types, their formats, the timestep mode, the prototypes),
 * model.c (per-layer `const int8_t`/`int16_t` arrays channels-last, the state arrays, the
 * arithmetic, `model_step` and `model_reset`) and example.c (a host program that runs a
 * raster). No dynamic allocation, no floating point in model.c. The arithmetic is the
 * integer core's (sq-fxp-sim.c), written out: values of the long type are held in int64_t and
 * brought back into range by fit_l16/fit_l32, which wrap (two's complement, without the
 * undefined behaviour of signed overflow in C) or saturate as the settings say; shifts go
 * through rescale_l*, which never shift a negative number left or by the width of the type.
 * With MODEL_COUNT_OVERFLOWS defined, model_overflows counts every wrap and saturation, as
 * the simulator's events do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-fxp-private.h"
#include "sq-private.h"

static void
file_free (gpointer p)
{
  SqExportFile *f = p;

  g_free (f->path);
  g_bytes_unref (f->data);
  g_free (f);
}

static void
add_file (GPtrArray  *files,
          const char *dir,
          const char *name,
          GString    *text)
{
  SqExportFile *f = g_new0 (SqExportFile, 1);

  f->path = g_build_filename (dir, name, NULL);
  f->data = g_string_free_to_bytes (text);
  g_ptr_array_add (files, f);
}

static void
append_array (GString      *s,
              const char   *type,
              const char   *name,
              const gint32 *v,
              gsize         n)
{
  g_string_append_printf (s, "static const %s %s[%zu] = {", type, name, n);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (s, "%s%d%s", i % 16 == 0 ? "\n  " : " ", v[i], i + 1 < n ? "," : "");
  g_string_append (s, "\n};\n");
}

/* The helpers of one long width. */
static void
append_long_helpers (GString *s,
                     guint    bits,
                     gboolean saturate)
{
  gint64 hi = ((gint64) 1 << (bits - 1)) - 1;

  if (!saturate)
    g_string_append_printf (s,
      "\n/* Two's complement in %u bits, from the low bits: no conversion of an out-of-range "
      "value. */\nstatic int64_t\nwrap_l%u (uint64_t u)\n{\n"
      "  u &= UINT64_C (0x%" G_GINT64_MODIFIER "x);\n"
      "  return u > UINT64_C (0x%" G_GINT64_MODIFIER "x) ? (int64_t) u - INT64_C (0x%"
      G_GINT64_MODIFIER "x) : (int64_t) u;\n}\n", bits, bits, 2 * hi + 1, hi, 2 * hi + 2);
  g_string_append_printf (s,
    "\nstatic int64_t\nfit_l%u (int64_t x)\n{\n"
    "  if (x >= %" G_GINT64_FORMAT " - 1 && x <= %" G_GINT64_FORMAT ")\n    return x;\n"
    "  COUNT ();\n", bits, -hi, hi);
  if (saturate)
    g_string_append_printf (s, "  return x < 0 ? %" G_GINT64_FORMAT " - 1 : %" G_GINT64_FORMAT
                            ";\n}\n", -hi, hi);
  else
    g_string_append_printf (s, "  return wrap_l%u ((uint64_t) x);\n}\n", bits);
  g_string_append_printf (s,
    "\n/* S(x, k): x << -k for k <= 0, else x / 2^k rounded. */\n"
    "static int64_t\nrescale_l%u (int64_t x,\n             int     k)\n{\n"
    "  if (k > 0)\n    return ROUNDED_SHR (x, k);\n"
    "  if (k == 0 || x == 0)\n    return x;\n"
    "  k = -k;\n"
    "  if (k < 62 && x <= (INT64_C (%" G_GINT64_FORMAT ") >> k) && x >= -(INT64_C (%"
    G_GINT64_FORMAT ") >> k))\n    return x * ((int64_t) 1 << k);\n"
    "  COUNT ();\n", bits, hi, hi + 1);
  if (saturate)
    g_string_append_printf (s, "  return x < 0 ? %" G_GINT64_FORMAT " - 1 : %" G_GINT64_FORMAT
                            ";\n}\n", -hi, hi);
  else
    g_string_append_printf (s, "  return k >= %u ? 0 : wrap_l%u ((uint64_t) x << k);\n}\n",
                            bits, bits);
}

static const char *
narrow_type (guint bits)
{
  return bits == 8 ? "int8_t" : "int16_t";
}

static void
append_layer_decls (GString         *s,
                    const SqFxpQNet *q,
                    guint            i)
{
  const SqFxpLayer *l = &q->net->layers[i];
  const SqFxpQLayer *ql = &q->layers[i];
  const char *t = narrow_type (ql->bits);
  gsize n_out = sq_fxp_shape_size (l->out_shape);
  g_autofree char *name = NULL;

  g_string_append_printf (s, "\n/* layers[%u]: %s%s%s */\n", i, sq_fxp_op_name (l->op),
                          l->neuron.type != SQ_FXP_NEURON_NONE ? " + " : "",
                          l->neuron.type != SQ_FXP_NEURON_NONE
                          ? sq_fxp_neuron_name (l->neuron.type) : "");
  for (guint k = 0; k < SQ_FXP_N_TENSORS; k++)
    if (ql->fmt[k].present)
      {
        g_autofree char *qs = sq_fxp_q_string (ql->fmt[k].n, ql->bits);

        g_string_append_printf (s, "#define L%u_N_%s %d  /* %s */\n", i,
                                k == SQ_FXP_INPUT ? "X" : k == SQ_FXP_WEIGHT ? "W"
                                : k == SQ_FXP_BIAS ? "B" : k == SQ_FXP_ACT ? "A"
                                : k == SQ_FXP_V ? "V" : "O", ql->fmt[k].n, qs);
      }
  if (ql->weight)
    {
      name = g_strdup_printf ("l%u_weight", i);
      append_array (s, t, name, ql->weight, ql->n_weight);
      g_clear_pointer (&name, g_free);
    }
  if (ql->bias)
    {
      name = g_strdup_printf ("l%u_bias", i);
      append_array (s, t, name, ql->bias, ql->n_bias);
      g_clear_pointer (&name, g_free);
    }
  if (ql->recurrent)
    {
      name = g_strdup_printf ("l%u_recurrent", i);
      append_array (s, t, name, ql->recurrent, ql->n_recurrent);
    }
  g_string_append_printf (s, "static %s l%u_act[%zu];\n", t, i, n_out);
  if (l->neuron.type != SQ_FXP_NEURON_NONE)
    {
      g_string_append_printf (s, "static %s l%u_out[%zu];\n%s model_l%u_v[%zu];\n", t, i, n_out,
                              t, i, n_out);
      if (_sq_differ (l->neuron.tau_syn, 0))
        g_string_append_printf (s, "%s model_l%u_syn[%zu];\n", t, i, n_out);
      g_string_append_printf (s, "#define L%u_THETA %d\n#define L%u_V_RESET %d\n#define L%u_R %d\n"
                              "#define L%u_R_SYN %d\n", i, ql->theta, i, ql->v_reset, i, ql->r,
                              i, ql->r_syn);
    }
}

/* The operation of layer @i as a function of its input @x. */
static void
append_op (GString         *s,
           const SqFxpQNet *q,
           guint            i)
{
  const SqFxpLayer *l = &q->net->layers[i];
  const SqFxpQLayer *ql = &q->layers[i];
  const SqFxpPrepLayer *p = &((const SqFxpPrep *) q->prep)->layers[i];
  guint L = ql->long_bits, b = ql->bits;
  const char *t = narrow_type (b);
  int n_t = ql->bias ? MAX (ql->fmt[SQ_FXP_WEIGHT].n, ql->fmt[SQ_FXP_BIAS].n)
                     : ql->fmt[SQ_FXP_WEIGHT].n;
  int n_x = ql->fmt[SQ_FXP_INPUT].n, n_a = ql->fmt[SQ_FXP_ACT].n;

  g_string_append_printf (s, "\nstatic void\nlayer%u_op (const %s *x)\n{\n", i, t);
  switch (l->op)
    {
    case SQ_FXP_OP_LINEAR:
      g_string_append_printf (s,
        "  unsigned j, i;\n\n"
        "  for (j = 0; j < %zuu; j++)\n    {\n"
        "      const %s *w = l%u_weight + (unsigned long) j * %zuu;\n"
        "      int64_t acc = 0;\n\n"
        "      for (i = 0; i < %zuu; i++)\n        if (x[i] != 0)\n"
        "          acc = fit_l%u (acc + (int64_t) w[i] * x[i]);\n",
        p->n_out, t, i, p->n_in, p->n_in, L);
      if (ql->recurrent)
        g_string_append_printf (s,
          "      {\n        int64_t rec = 0;\n\n"
          "        for (i = 0; i < %zuu; i++)\n          if (l%u_out[i] != 0)\n"
          "            rec = fit_l%u (rec + (int64_t) l%u_recurrent[(unsigned long) j * %zuu + i]"
          " * l%u_out[i]);\n"
          "        acc = fit_l%u (acc + rescale_l%u (rec, %d));\n      }\n",
          p->n_out, i, L, i, p->n_out, i, L, L, ql->fmt[SQ_FXP_OUTPUT].n - n_x);
      g_string_append_printf (s, "      acc = rescale_l%u (acc, %d);\n", L,
                              ql->fmt[SQ_FXP_WEIGHT].n - n_t);
      if (ql->bias)
        g_string_append_printf (s, "      acc = fit_l%u (acc + rescale_l%u (l%u_bias[j], %d));\n",
                                L, L, i, ql->fmt[SQ_FXP_BIAS].n - n_t - n_x);
      g_string_append_printf (s, "      l%u_act[j] = (%s) sat_n%u (rescale_l%u (acc, %d));\n"
                              "    }\n}\n", i, t, b, L, n_x + n_t - n_a);
      break;
    case SQ_FXP_OP_CONV2D:
      g_string_append_printf (s,
        "  long oy, ox, f, ky, kx, c;\n\n"
        "  for (oy = 0; oy < %zuL; oy++)\n    for (ox = 0; ox < %zuL; ox++)\n"
        "      for (f = 0; f < %zuL; f++)\n        {\n          int64_t acc = 0;\n\n"
        "          for (ky = 0; ky < %zuL; ky++)\n            {\n"
        "              long iy = oy * %uL + ky - %uL;\n\n"
        "              if (iy < 0 || iy >= %zuL)\n                continue;\n"
        "              for (kx = 0; kx < %zuL; kx++)\n                {\n"
        "                  long ix = ox * %uL + kx - %uL;\n"
        "                  const %s *xp, *wp;\n\n"
        "                  if (ix < 0 || ix >= %zuL)\n                    continue;\n"
        "                  xp = x + (iy * %zuL + ix) * %zuL;\n"
        "                  wp = l%u_weight + ((f * %zuL + ky) * %zuL + kx) * %zuL;\n"
        "                  for (c = 0; c < %zuL; c++)\n                    if (xp[c] != 0)\n"
        "                      acc = fit_l%u (acc + (int64_t) wp[c] * xp[c]);\n"
        "                }\n            }\n",
        l->out_shape[1], l->out_shape[2], l->out_shape[0], l->weight.shape[2], l->stride_y,
        l->pad_y, l->in_shape[1], l->weight.shape[3], l->stride_x, l->pad_x, t,
        l->in_shape[2], l->in_shape[2], l->in_shape[0], i, l->weight.shape[2],
        l->weight.shape[3], l->in_shape[0], l->in_shape[0], L);
      g_string_append_printf (s, "          acc = rescale_l%u (acc, %d);\n", L,
                              ql->fmt[SQ_FXP_WEIGHT].n - n_t);
      if (ql->bias)
        g_string_append_printf (s, "          acc = fit_l%u (acc + rescale_l%u (l%u_bias[f], "
                                "%d));\n", L, L, i, ql->fmt[SQ_FXP_BIAS].n - n_t - n_x);
      g_string_append_printf (s, "          l%u_act[(oy * %zuL + ox) * %zuL + f] = (%s) sat_n%u "
                              "(rescale_l%u (acc, %d));\n        }\n}\n", i, l->out_shape[2],
                              l->out_shape[0], t, b, L, n_x + n_t - n_a);
      break;
    case SQ_FXP_OP_SUMPOOL:
    case SQ_FXP_OP_AVGPOOL:
      g_string_append_printf (s,
        "  long oy, ox, c, ky, kx;\n\n"
        "  for (oy = 0; oy < %zuL; oy++)\n    for (ox = 0; ox < %zuL; ox++)\n"
        "      for (c = 0; c < %zuL; c++)\n        {\n          int64_t acc = 0;\n\n"
        "          for (ky = 0; ky < %uL; ky++)\n            for (kx = 0; kx < %uL; kx++)\n"
        "              acc = fit_l%u (acc + x[((oy * %uL + ky) * %zuL + ox * %uL + kx) * %zuL "
        "+ c]);\n",
        l->out_shape[1], l->out_shape[2], l->out_shape[0], l->kernel_y, l->kernel_x, L,
        l->stride_y, l->in_shape[2], l->stride_x, l->in_shape[0]);
      if (l->op == SQ_FXP_OP_AVGPOOL)
        g_string_append_printf (s, "          acc = div_round (acc, %u);\n",
                                l->kernel_y * l->kernel_x);
      g_string_append_printf (s, "          l%u_act[(oy * %zuL + ox) * %zuL + c] = (%s) sat_n%u "
                              "(rescale_l%u (acc, %d));\n        }\n}\n", i, l->out_shape[2],
                              l->out_shape[0], t, b, L, n_x - n_a);
      break;
    case SQ_FXP_OP_FLATTEN:
    default:
      g_string_append_printf (s, "  memcpy (l%u_act, x, sizeof l%u_act);\n}\n", i, i);
      break;
    }
}

/* The neurons of layer @i, on l<i>_act into l<i>_out. */
static void
append_neurons (GString         *s,
                const SqFxpQNet *q,
                guint            i)
{
  const SqFxpNeuron *n = &q->net->layers[i].neuron;
  const SqFxpQLayer *ql = &q->layers[i];
  guint L = ql->long_bits, b = ql->bits;
  const char *t = narrow_type (b);
  gboolean syn = _sq_differ (n->tau_syn, 0);
  int n_a = ql->fmt[SQ_FXP_ACT].n, n_v = ql->fmt[SQ_FXP_V].n, n_o = ql->fmt[SQ_FXP_OUTPUT].n;
  int n_x = syn ? n_v : n_a, n_t = MAX (n_v, n_x), st = MAX (n_v, n_a);
  int shift = q->settings.compat_qualia ? n_t : n_v;
  int syn_shift = q->settings.compat_qualia ? st : n_v;
  g_autofree char *r_expr = n->soft_reset ? g_strdup ("0")
                            : g_strdup_printf ("rescale_l%u (L%u_V_RESET, %d)", L, i, n_v - n_t);

  g_string_append_printf (s, "\nstatic void\nlayer%u_neurons (void)\n{\n"
                          "  unsigned long j;\n  int64_t spike = ", i);
  if (n->type == SQ_FXP_NEURON_ATIF)
    g_string_append_printf (s, "sat_n%u (rescale_l%u (L%u_THETA, %d));\n", b, L, i, n_v - n_o);
  else
    g_string_append_printf (s, "sat_n%u (rescale_l%u (1, %d));\n", b, L, -n_o);
  g_string_append_printf (s, "\n  for (j = 0; j < %zuu; j++)\n    {\n"
                          "      int64_t x = l%u_act[j], V, X, TH, R, H, d;\n\n",
                          sq_fxp_shape_size (q->net->layers[i].out_shape), i);
  if (syn)
    g_string_append_printf (s,
      "      {\n        int64_t I = rescale_l%u (model_l%u_syn[j], %d);\n"
      "        int64_t XI = rescale_l%u (x, %d);\n\n"
      "        d = fit_l%u (XI - fit_l%u (I - 0));\n"
      "        H = fit_l%u (I + rescale_l%u (fit_l%u (d * L%u_R_SYN), %d));\n"
      "        model_l%u_syn[j] = (%s) sat_n%u (rescale_l%u (H, %d));\n"
      "        x = model_l%u_syn[j];\n      }\n",
      L, i, n_v - st, L, n_a - st, L, L, L, L, L, i, syn_shift, i, t, b, L, st - n_v, i);
  g_string_append_printf (s,
    "      V = rescale_l%u (model_l%u_v[j], %d);\n      X = rescale_l%u (x, %d);\n"
    "      TH = rescale_l%u (L%u_THETA, %d);\n      R = %s;\n",
    L, i, n_v - n_t, L, n_x - n_t, L, i, n_v - n_t, r_expr);
  if (n->type == SQ_FXP_NEURON_LIF && n->decay_input)
    g_string_append_printf (s, "      d = fit_l%u (X - fit_l%u (V - R));\n"
                            "      H = fit_l%u (V + rescale_l%u (fit_l%u (d * L%u_R), %d));\n",
                            L, L, L, L, L, i, shift);
  else if (n->type == SQ_FXP_NEURON_LIF)
    g_string_append_printf (s, "      d = fit_l%u (V - R);\n"
                            "      H = fit_l%u (fit_l%u (V - rescale_l%u (fit_l%u (d * L%u_R), "
                            "%d)) + X);\n", L, L, L, L, L, i, shift);
  else
    g_string_append_printf (s, "      (void) R;\n      H = fit_l%u (V + X);\n", L);
  g_string_append_printf (s, "      d = fit_l%u (H - TH);\n"
                          "      if (d >= 0)\n        {\n          l%u_out[j] = (%s) spike;\n",
                          L, i, t);
  if (n->soft_reset)
    g_string_append_printf (s, "          model_l%u_v[j] = (%s) sat_n%u (rescale_l%u (d, %d));\n",
                            i, t, b, L, n_t - n_v);
  else
    g_string_append_printf (s, "          model_l%u_v[j] = L%u_V_RESET;\n", i, i);
  g_string_append_printf (s, "        }\n      else\n        {\n          l%u_out[j] = 0;\n"
                          "          model_l%u_v[j] = (%s) sat_n%u (rescale_l%u (H, %d));\n"
                          "        }\n    }\n}\n", i, i, t, b, L, n_t - n_v);
}

static GString *
model_h (const SqFxpQNet *q)
{
  const SqFxpNet *net = q->net;
  const SqFxpQLayer *first = &q->layers[0], *last = &q->layers[net->n_layers - 1];
  gsize n_out = sq_fxp_shape_size (net->layers[net->n_layers - 1].out_shape);
  GString *s = g_string_new (NULL);

  g_string_append_printf (s,
    "/* model.h: a fixed-point spiking network for microcontrollers, written by Synquant from\n"
    " * %s. C99, no dynamic allocation. */\n"
    "#ifndef MODEL_H\n#define MODEL_H\n\n#include <stdint.h>\n\n"
    "/* One call of model_step() is one time step; the host feeds step t of its raster. */\n"
    "#define MODEL_TIMESTEP_MODE_ITERATE 1\n"
    "#define MODEL_N_LAYERS %u\n"
    "/* Values per step, channels-last: (H, W, C) = (%zu, %zu, %zu). */\n"
    "#define MODEL_INPUT_SIZE %zu\n#define MODEL_OUTPUT_SIZE %zu\n"
    "/* input_t holds x·2^MODEL_INPUT_SCALE_FACTOR rounded, output_t y·2^"
    "MODEL_OUTPUT_SCALE_FACTOR. */\n"
    "#define MODEL_INPUT_SCALE_FACTOR %d\n#define MODEL_OUTPUT_SCALE_FACTOR %d\n"
    "#define MODEL_INPUT_BITS %u\n#define MODEL_OUTPUT_BITS %u\n"
    "#define MODEL_ROUND_%s 1\n#define MODEL_OVERFLOW_%s 1\n%s\n"
    "typedef %s input_t[MODEL_INPUT_SIZE];\ntypedef %s output_t[MODEL_OUTPUT_SIZE];\n\n"
    "void model_step (const input_t input, output_t output);\nvoid model_reset (void);\n\n"
    "/* The membranes (and synaptic currents), channels-last, in each layer's v format. */\n",
    net->source, net->n_layers, net->input_shape[1], net->input_shape[2], net->input_shape[0],
    sq_fxp_shape_size (net->input_shape), n_out, first->fmt[SQ_FXP_INPUT].n,
    last->fmt[SQ_FXP_OUTPUT].n, first->bits, last->bits,
    q->settings.round == SQ_FXP_ROUND_NEAREST ? "NEAREST"
    : q->settings.round == SQ_FXP_ROUND_FLOOR ? "FLOOR" : "CEIL",
    q->settings.overflow == SQ_FXP_OVERFLOW_WRAP ? "WRAP" : "SATURATE",
    q->settings.compat_qualia ? "#define MODEL_COMPAT_QUALIA 1\n" : "",
    narrow_type (first->bits), narrow_type (last->bits));
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];
      gsize n = sq_fxp_shape_size (l->out_shape);

      if (l->neuron.type == SQ_FXP_NEURON_NONE)
        continue;
      g_string_append_printf (s, "extern %s model_l%u_v[%zu];\n", narrow_type (q->layers[i].bits),
                              i, n);
      if (_sq_differ (l->neuron.tau_syn, 0))
        g_string_append_printf (s, "extern %s model_l%u_syn[%zu];\n",
                                narrow_type (q->layers[i].bits), i, n);
    }
  g_string_append (s, "\n#ifdef MODEL_COUNT_OVERFLOWS\n/* Every wrap and saturation since "
                      "model_reset(). */\nextern unsigned long model_overflows;\n#endif\n\n"
                      "#endif\n");
  return s;
}

static GString *
model_c (const SqFxpQNet *q)
{
  const SqFxpNet *net = q->net;
  GString *s = g_string_new (NULL);
  gboolean long_used[2] = { FALSE, FALSE }, narrow_used[2] = { FALSE, FALSE }, avg = FALSE;
  gboolean saturate = q->settings.overflow == SQ_FXP_OVERFLOW_SATURATE;

  for (guint i = 0; i < net->n_layers; i++)
    {
      long_used[q->layers[i].long_bits == 32] = TRUE;
      narrow_used[q->layers[i].bits == 16] = TRUE;
      avg = avg || net->layers[i].op == SQ_FXP_OP_AVGPOOL;
    }
  g_string_append_printf (s,
    "/* model.c: written by Synquant from %s; see model.h. */\n"
    "#include <string.h>\n\n#include \"model.h\"\n\n"
    "#ifdef MODEL_COUNT_OVERFLOWS\nunsigned long model_overflows;\n"
    "#define COUNT() (model_overflows++)\n#else\n#define COUNT() ((void) 0)\n#endif\n\n"
    "/* floor(x / 2^k), without shifting a negative number. */\n"
    "static int64_t\nfloor_shr (int64_t x,\n           int     k)\n{\n"
    "  if (k >= 62)\n    return x < 0 ? -1 : 0;\n"
    "  return x >= 0 ? x >> k : -((-(x + 1)) >> k) - 1;\n}\n\n"
    "/* Nearest: floor(x / 2^k + 1/2) = floor(x / 2^(k-1)) - floor(x / 2^k), with no addition "
    "that\n * could overflow. */\n"
    "#ifdef MODEL_ROUND_NEAREST\n"
    "#define ROUNDED_SHR(x, k) (floor_shr ((x), (k) - 1) - floor_shr ((x), (k)))\n"
    "#else\n#define ROUNDED_SHR(x, k) floor_shr ((x), (k))\n#endif\n", net->source);
  for (guint w = 0; w < 2; w++)
    if (narrow_used[w])
      g_string_append_printf (s, "\nstatic int64_t\nsat_n%u (int64_t x)\n{\n"
                              "  if (x >= %d && x <= %d)\n    return x;\n  COUNT ();\n"
                              "  return x < 0 ? %d : %d;\n}\n", w ? 16 : 8, w ? -32768 : -128,
                              w ? 32767 : 127, w ? -32768 : -128, w ? 32767 : 127);
  for (guint w = 0; w < 2; w++)
    if (long_used[w])
      append_long_helpers (s, w ? 32 : 16, saturate);
  if (avg)
    g_string_append (s, "\nstatic int64_t\ndiv_round (int64_t a,\n           int64_t d)\n{\n"
                        "  int64_t fl;\n\n#ifdef MODEL_ROUND_NEAREST\n  a = 2 * a + d;\n"
                        "  d *= 2;\n#endif\n  fl = a / d - (a % d != 0 && a < 0);\n"
                        "#ifdef MODEL_ROUND_CEIL\n  if (a % d != 0)\n    fl++;\n#endif\n"
                        "  return fl;\n}\n");
  for (guint i = 0; i < net->n_layers; i++)
    {
      append_layer_decls (s, q, i);
      if (i > 0 && q->layers[i].bits != q->layers[i - 1].bits)
        g_string_append_printf (s, "static %s l%u_in[%zu];\n", narrow_type (q->layers[i].bits),
                                i, sq_fxp_shape_size (net->layers[i].in_shape));
      append_op (s, q, i);
      if (net->layers[i].neuron.type != SQ_FXP_NEURON_NONE)
        append_neurons (s, q, i);
    }

  g_string_append (s, "\nvoid\nmodel_step (const input_t input,\n            output_t      "
                      "output)\n{\n  unsigned long k;\n\n  (void) k;\n  layer0_op (input);\n");
  for (guint i = 0; i < net->n_layers; i++)
    {
      const char *out = net->layers[i].neuron.type != SQ_FXP_NEURON_NONE ? "out" : "act";

      if (i > 0)
        {
          const char *prev = net->layers[i - 1].neuron.type != SQ_FXP_NEURON_NONE ? "out"
                                                                                    : "act";

          if (q->layers[i].bits != q->layers[i - 1].bits)
            {
              g_string_append_printf (s, "  for (k = 0; k < %zuu; k++)\n    l%u_in[k] = (%s) "
                                      "sat_n%u (rescale_l%u (l%u_%s[k], %d));\n",
                                      sq_fxp_shape_size (net->layers[i].in_shape), i,
                                      narrow_type (q->layers[i].bits), q->layers[i].bits,
                                      q->layers[i].long_bits, i - 1, prev,
                                      q->layers[i - 1].fmt[SQ_FXP_OUTPUT].n -
                                      q->layers[i].fmt[SQ_FXP_INPUT].n);
              g_string_append_printf (s, "  layer%u_op (l%u_in);\n", i, i);
            }
          else
            g_string_append_printf (s, "  layer%u_op (l%u_%s);\n", i, i - 1, prev);
        }
      if (net->layers[i].neuron.type != SQ_FXP_NEURON_NONE)
        g_string_append_printf (s, "  layer%u_neurons ();\n", i);
      if (i == net->n_layers - 1)
        g_string_append_printf (s, "  memcpy (output, l%u_%s, sizeof (output_t));\n}\n", i, out);
    }
  g_string_append (s, "\nvoid\nmodel_reset (void)\n{\n");
  for (guint i = 0; i < net->n_layers; i++)
    if (net->layers[i].neuron.type != SQ_FXP_NEURON_NONE)
      {
        g_string_append_printf (s, "  memset (model_l%u_v, 0, sizeof model_l%u_v);\n"
                                "  memset (l%u_out, 0, sizeof l%u_out);\n", i, i, i, i);
        if (_sq_differ (net->layers[i].neuron.tau_syn, 0))
          g_string_append_printf (s, "  memset (model_l%u_syn, 0, sizeof model_l%u_syn);\n", i,
                                  i);
      }
  /* A helper no layer happens to call (a width only a Flatten uses) is still used. */
  for (guint w = 0; w < 2; w++)
    {
      if (narrow_used[w])
        g_string_append_printf (s, "  (void) sat_n%u;\n", w ? 16 : 8);
      if (long_used[w])
        g_string_append_printf (s, "  (void) fit_l%u;\n  (void) rescale_l%u;\n", w ? 32 : 16,
                                w ? 32 : 16);
    }
  g_string_append (s, "#ifdef MODEL_COUNT_OVERFLOWS\n  model_overflows = 0;\n#endif\n}\n");
  return s;
}

static GString *
example_c (const SqFxpQNet *q)
{
  const SqFxpNet *net = q->net;
  guint bits = q->layers[0].bits;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s,
    "/* example.c: runs a raster through the model on a host, written by Synquant.\n *\n"
    " * Reads numbers from the file named first, or from standard input: MODEL_INPUT_SIZE per\n"
    " * time step, channels-last, as floats; writes each step's output as integers, one line\n"
    " * per step, then each layer's final membrane (\"v <layer>: ...\") and synaptic current\n"
    " * (\"syn <layer>: ...\"). Build: cc -std=c99 model.c example.c -lm\n */\n"
    "#include <math.h>\n#include <stdio.h>\n\n#include \"model.h\"\n\n"
    "static %s\nquantize (double x)\n{\n  double q = ldexp (x, MODEL_INPUT_SCALE_FACTOR);\n\n"
    "#if defined MODEL_ROUND_FLOOR\n  q = floor (q);\n#elif defined MODEL_ROUND_CEIL\n"
    "  q = ceil (q);\n#else\n  q = floor (q + 0.5);  /* half up, as the model's shifts */\n"
    "#endif\n  return (%s) (q < %d ? %d : q > %d ? %d : q);\n}\n\n",
    narrow_type (bits), narrow_type (bits), bits == 8 ? -128 : -32768, bits == 8 ? -128 : -32768,
    bits == 8 ? 127 : 32767, bits == 8 ? 127 : 32767);
  g_string_append (s,
    "int\nmain (int    argc,\n      char **argv)\n{\n  static input_t input;\n"
    "  static output_t output;\n"
    "  FILE *f = argc > 1 ? fopen (argv[1], \"r\") : stdin;\n  unsigned long n = 0, i;\n"
    "  double x;\n\n  if (f == NULL)\n    {\n      perror (argv[1]);\n      return 1;\n    }\n"
    "  model_reset ();\n  while (fscanf (f, \"%lf\", &x) == 1)\n    {\n"
    "      input[n++] = quantize (x);\n      if (n < MODEL_INPUT_SIZE)\n        continue;\n"
    "      n = 0;\n      model_step (input, output);\n"
    "      for (i = 0; i < MODEL_OUTPUT_SIZE; i++)\n"
    "        printf (\"%s%d\", i ? \" \" : \"\", (int) output[i]);\n      printf (\"\\n\");\n"
    "    }\n");
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];
      gsize n = sq_fxp_shape_size (l->out_shape);
      const char *what[2] = { "v", "syn" };

      if (l->neuron.type == SQ_FXP_NEURON_NONE)
        continue;
      for (guint k = 0; k < (_sq_differ (l->neuron.tau_syn, 0) ? 2u : 1u); k++)
        g_string_append_printf (s, "  printf (\"%s %u:\");\n  for (i = 0; i < %zuu; i++)\n"
                                "    printf (\" %%d\", (int) model_l%u_%s[i]);\n"
                                "  printf (\"\\n\");\n", what[k], i, n, i, what[k]);
    }
  g_string_append (s, "#ifdef MODEL_COUNT_OVERFLOWS\n  printf (\"overflows %lu\\n\", "
                      "model_overflows);\n#endif\n  return 0;\n}\n");
  return s;
}

/**
 * sq_fxp_export_mcu_c:
 * @dir: the folder the files go into
 *
 * Returns: (transfer full) (element-type SqExportFile): model.h, model.c and example.c, or
 *   %NULL with @error set (a `fake` quantization has no integer form)
 */
GPtrArray *
sq_fxp_export_mcu_c (const SqFxpQNet *qnet,
                     const char      *dir,
                     GError         **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (file_free);

  if (!qnet->power_of_two)
    {
      g_set_error (error, SQ_FXP_ERROR, SQ_FXP_ERROR_NOT_POWER_OF_TWO,
                   _("%s: the `fake` scheme's steps are no powers of two: microcontroller C "
                     "needs `fxp` or `force_q`"), qnet->net->source);
      return NULL;
    }
  add_file (files, dir, "model.h", model_h (qnet));
  add_file (files, dir, "model.c", model_c (qnet));
  add_file (files, dir, "example.c", example_c (qnet));
  return g_steal_pointer (&files);
}
