/* sq-export-c-source.c: the companion source of the c-header export
 *
 * The integer core of sq-xylo-sim.c written out for one network and one device: the same
 * order of events and neurons, the same saturations and wraps, so it gives the simulator's
 * spikes and states bit for bit. Like the simulator it delivers events through fan-out lists
 * of the non-zero weights (written into the source; the dense input and recurrent arrays of
 * the header are then unused there and dropped by the compiler), so a step costs what its
 * events cost — a Xylo network has at most 64 recurrent targets per neuron, not 2000. It is
 * C99 for a freestanding target: <stdint.h> only, no allocation, no library calls, and no
 * implementation-defined arithmetic (right shifts of negative values and narrowing
 * conversions of out-of-range values are written out).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "synquant.h"
#include "sq-export-c-private.h"

/* The non-zero weights of an (n_pre, n_post, n_syn_t) matrix as fan-out lists: the entries
 * of row i are `prefix_@which_weight[prefix_@which_offsets[i] ..]`, each added to the state
 * `prefix_@which_target[e]` = post * N_SYN + synapse. A zero weight adds nothing (the state
 * is in range already), so leaving it out changes no result, and an event costs what its
 * synapses cost: the simulator's own lists. Returns the number of entries. */
static gsize
append_fanout (GString        *s,
               const SqCGen   *g,
               const char     *which,
               const SqTensor *t,
               gsize           n_pre,
               gsize           n_post,
               gsize           n_syn_t)
{
  g_autofree gint32 *offsets = g_new (gint32, n_pre + 1);
  g_autoptr(GArray) target = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autoptr(GArray) weight = g_array_new (FALSE, FALSE, sizeof (gint32));
  g_autofree char *name = NULL, *dims = NULL;
  const char *index_type;

  for (gsize i = 0; i < n_pre; i++)
    {
      offsets[i] = (gint32) target->len;
      for (gsize j = 0; j < n_post; j++)
        for (gsize k = 0; k < n_syn_t; k++)
          {
            gint32 w = (gint32) t->data[(i * n_post + j) * n_syn_t + k];
            gint32 state = (gint32) (j * g->spec->n_syn + k);

            if (w == 0)
              continue;
            g_array_append_val (target, state);
            g_array_append_val (weight, w);
          }
    }
  offsets[n_pre] = (gint32) target->len;
  if (target->len == 0)
    {
      g_string_append_printf (s, "\n/* weights_%s: all zero, those events add nothing. */\n",
                              which);
      return 0;
    }

  index_type = MAX (target->len, n_post * g->spec->n_syn) <= G_MAXUINT16 ? "uint16_t"
               : "uint32_t";
  g_string_append_printf (s,
    "\n/* weights_%s as fan-out lists of its %u non-zero weights: row i has the entries\n"
    " * offsets[i] to offsets[i + 1] - 1, and entry e adds weight[e] to the state\n"
    " * isyn[target[e] / N_SYN][target[e] %% N_SYN]. */\n", which, target->len);
  name = g_strdup_printf ("%s_%s_offsets", g->p, which);
  dims = g_strdup_printf ("%zu", n_pre + 1);
  _sq_c_append_list (s, index_type, name, dims, offsets, n_pre + 1);
  g_free (name);
  g_free (dims);
  name = g_strdup_printf ("%s_%s_target", g->p, which);
  dims = g_strdup_printf ("%u", target->len);
  _sq_c_append_list (s, index_type, name, dims, (const gint32 *) (void *) target->data,
                     target->len);
  g_free (name);
  name = g_strdup_printf ("%s_%s_weight", g->p, which);
  _sq_c_append_list (s, "int8_t", name, dims, (const gint32 *) (void *) weight->data, weight->len);
  return target->len;
}

/* The loop over the fan-out entries of row @row with @n events, into the hidden states. */
static void
append_fanout_loop (GString      *s,
                    const SqCGen *g,
                    const char   *which,
                    const char   *row,
                    const char   *indent)
{
  const char *p = g->p, *P = g->P;

  g_string_append_printf (s,
    "%sfor (e = %s_%s_offsets[%s]; e < %s_%s_offsets[%s + 1]; e++)\n"
    "%s  {\n"
    "%s    uint32_t t = %s_%s_target[e];\n"
    "%s    int16_t *x = &s->isyn[t / %s_N_SYN][t %% %s_N_SYN];\n\n"
    "%s    *x = (int16_t) %s_sat16 (*x + n * %s_weight_%s (%s_%s_weight[e]));\n"
    "%s  }\n",
    indent, p, which, row, p, which, row,
    indent,
    indent, p, which,
    indent, P, P,
    indent, p, p, which, p, which,
    indent);
}

static gboolean
any_nonzero (const SqTensor *t)
{
  for (gsize i = 0; i < t->n; i++)
    if ((gint32) t->data[i] != 0)
      return TRUE;
  return FALSE;
}

/* The function that turns a stored int8 weight into what one event adds: wrap16 (w << s), as
 * the simulator does. FALSE when the shift leaves nothing (16 or more), and the matrix adds
 * nothing at all. Not written for a fan-out matrix (@t) without a non-zero weight: it would
 * be unused, and -Wunused-function fails the build. */
static gboolean
append_weight_function (GString        *s,
                        const SqCGen   *g,
                        const char     *which,
                        int             shift,
                        const SqTensor *t)
{
  if (shift >= 16)
    {
      g_string_append_printf (s, "\n/* weight_shift_%s = %d leaves no bit of an int8 weight in "
                              "int16: those events add nothing. */\n", which, shift);
      return FALSE;
    }
  if (t != NULL && !any_nonzero (t))
    return TRUE;
  g_string_append_printf (s, "\n/* weight_shift_%s = %d */\nstatic int32_t\n%s_weight_%s "
                          "(int32_t w)\n{\n", which, shift, g->p, which);
  if (shift == 0)
    g_string_append (s, "  return w;\n}\n");
  else
    g_string_append_printf (s, "  return %s_wrap16 ((uint32_t) w << %d);\n}\n", g->p, shift);
  return TRUE;
}

/* `v = prefix_integrate (s->@args, [bias,] dash);` for a hidden (@suffix "") or output
 * ("_out") neuron @index; Xylo v1 has no bias. */
static void
append_integrate_call (GString      *s,
                       const SqCGen *g,
                       gboolean      v1,
                       const char   *args,
                       const char   *suffix,
                       const char   *index)
{
  g_string_append_printf (s, "      v = %s_integrate (s->%s, ", g->p, args);
  if (!v1)
    g_string_append_printf (s, "%s_bias%s[%s], ", g->p, suffix, index);
  g_string_append_printf (s, "%s_dash_mem%s[%s]);\n", g->p, suffix, index);
}

/**
 * sq_xylo_spec_to_c_source:
 * @quant: (nullable): the quantization that made @spec (named in the comments only)
 * @header_name: the name the source includes the header by (`#include "header_name"`)
 *
 * The companion of sq_xylo_spec_to_c_header(): `prefix_reset()` and `prefix_step()`, the
 * integer core for @spec on @device, giving the spikes and states of sq_xylo_sim_run() bit
 * for bit. Freestanding C99: <stdint.h> only, no allocation, no library calls.
 *
 * Returns: (transfer full): the text, or %NULL with @error set as for the header, or
 *   %G_IO_ERROR_INVALID_ARGUMENT for a header name that cannot be written in an #include
 */
char *
sq_xylo_spec_to_c_source (const SqXyloSpec      *spec,
                          const SqQuantResult   *quant,
                          const SqDeviceProfile *device,
                          const char            *prefix,
                          const char            *header_name,
                          GError               **error)
{
  g_auto(SqCGen) g = { 0 };
  g_autoptr(GString) s = NULL;
  const char *p, *P;
  gboolean v1, w_in, w_rec, w_out;
  gsize n_in_entries = 0, n_rec_entries = 0;
  const gboolean has_aliases = spec->alias_offsets != NULL &&
                               spec->alias_offsets[spec->n_hidden] > 0;
  const gsize syn_in = spec->weights_in_3d ? spec->param[SQ_PARAM_WEIGHTS_IN].shape[2] : 1;
  const gsize syn_rec = spec->weights_rec_3d ? spec->param[SQ_PARAM_WEIGHTS_REC].shape[2] : 1;

  g_return_val_if_fail (spec != NULL && device != NULL && prefix != NULL, NULL);
  g_return_val_if_fail (header_name != NULL, NULL);

  if (!_sq_c_check_header_name (header_name, error) ||
      !_sq_c_gen_init (&g, spec, quant, device, prefix, error))
    return NULL;
  p = g.p;
  P = g.P;
  v1 = device->device == SQ_DEVICE_XYLO_V1;

  s = g_string_new (NULL);
  g_string_append_printf (s, "/* The Xylo integer core for %s%s%s: %s_reset() and %s_step()\n"
                          " *\n", header_name, g.source ? ", network " : "",
                          g.source ? g.source : "", p, p);
  _sq_c_append_generated_by (s, &g);
  if (quant != NULL)
    g_string_append_printf (s, " * Quantized by Synquant: %s scaling, %s mode, %u-bit weights.\n",
                            sq_method_to_string (quant->params.method),
                            sq_mode_to_string (quant->mode_used), quant->params.weight_bits);
  g_string_append_printf (s,
    " * Do not edit: export it again from the specification.\n"
    " *\n"
    " * The same arithmetic as Synquant's simulator (%s core), so the spikes and states\n"
    " * are the simulator's bit for bit. Per step: the input events (at most %d per channel),\n"
    " * then the hidden events of the previous step, then the hidden neurons in ascending order\n"
    " * (decay, integrate, up to %d events with subtractive reset, alias copies), then the\n"
    " * output neurons (at most one event). Every add to a state saturates at int16.\n"
    " *\n"
    " * Freestanding C99: <stdint.h> only, no allocation, no library calls. States are stored\n"
    " * as int16 and computed in int32, where nothing can overflow; shifts of negative values\n"
    " * and narrowing conversions are written out, so no result is implementation-defined.\n"
    " */\n"
    "#include \"%s\"\n",
    v1 ? "Xylo v1" : "Xylo v2", SQ_XYLO_INPUT_CAP, SQ_XYLO_HIDDEN_CAP, header_name);

  g_string_append_printf (s,
    "\n/* Clamps to int16, as the state registers do. */\n"
    "static int32_t\n%s_sat16 (int32_t v)\n{\n"
    "  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;\n}\n"
    "\n/* The low 16 bits as two's complement, as the core's int16 arithmetic wraps. */\n"
    "static int32_t\n%s_wrap16 (uint32_t u)\n{\n"
    "  u &= 0xffffu;\n"
    "  return u >= 0x8000u ? (int32_t) u - (int32_t) 0x10000 : (int32_t) u;\n}\n"
    "\n/* The decay step v >> d, towards minus infinity (written out: >> of a negative value is\n"
    " * implementation-defined), and at least 1 for a positive v. */\n"
    "static int32_t\n%s_decay (int32_t v, int32_t d)\n{\n"
    "  int32_t q = v < 0 ? ~(~v >> d) : v >> d;\n\n"
    "  return q == 0 && v > 0 ? 1 : q;\n}\n",
    p, p, p);
  if (v1)
    g_string_append_printf (s,
      "\n/* Xylo v1's membrane update: decay, add the current, saturate once. */\n"
      "static int32_t\n%s_integrate (int32_t v, int32_t isyn, int32_t dash)\n{\n"
      "  return %s_sat16 (v - %s_decay (v, dash) + isyn);\n}\n", p, p, p);
  else
    g_string_append_printf (s,
      "\n/* The v2 membrane update: the wrapped decay plus the current, saturated; plus the\n"
      " * bias, saturated; added to the potential, saturated. */\n"
      "static int32_t\n%s_integrate (int32_t v, int32_t isyn, int32_t bias, int32_t dash)\n{\n"
      "  int32_t dv = %s_sat16 (%s_wrap16 ((uint32_t) -%s_decay (v, dash)) + isyn);\n\n"
      "  return %s_sat16 (v + %s_sat16 (dv + bias));\n}\n", p, p, p, p, p, p);
  w_in = append_weight_function (s, &g, "in", spec->weight_shift[SQ_SHIFT_IN],
                                 &spec->param[SQ_PARAM_WEIGHTS_IN]);
  w_rec = append_weight_function (s, &g, "rec", spec->weight_shift[SQ_SHIFT_REC],
                                  &spec->param[SQ_PARAM_WEIGHTS_REC]);
  /* weights_out is read densely: its function is always used. */
  w_out = append_weight_function (s, &g, "out", spec->weight_shift[SQ_SHIFT_OUT], NULL);
  if (w_in)
    n_in_entries = append_fanout (s, &g, "in", &spec->param[SQ_PARAM_WEIGHTS_IN], spec->n_in,
                                  spec->n_ien, syn_in);
  if (w_rec)
    n_rec_entries = append_fanout (s, &g, "rec", &spec->param[SQ_PARAM_WEIGHTS_REC],
                                   spec->n_hidden, spec->n_hidden, syn_rec);

  g_string_append_printf (s,
    "\nvoid\n%s_reset (%s_state_t *s)\n{\n"
    "  int32_t j, k, o;\n\n"
    "  for (j = 0; j < %s_N_HIDDEN; j++)\n    {\n"
    "      for (k = 0; k < %s_N_SYN; k++)\n        s->isyn[j][k] = 0;\n"
    "      s->vmem[j] = 0;\n      s->events[j] = 0;\n    }\n"
    "  for (o = 0; o < %s_N_OUT; o++)\n    {\n"
    "      s->isyn_out[o] = 0;\n      s->vmem_out[o] = 0;\n    }\n}\n",
    p, p, P, P, P);

  g_string_append_printf (s,
    "\nvoid\n%s_step (%s_state_t *s, const uint8_t input[%s_N_IN],\n"
    "    uint8_t out_spikes[%s_N_OUT])\n"
    "{\n  int32_t i, j, o;\n%s\n", p, p, P, P,
    n_in_entries > 0 || n_rec_entries > 0 || has_aliases ? "  uint32_t e;\n" : "");

  /* 1. Input. The entries of one event go to distinct states, so a dense row in any order
   * is the simulator's fan-out list; a zero weight adds nothing. */
  if (w_in && n_in_entries > 0)
    {
      g_string_append_printf (s,
        "  /* 1. This step's input events through weights_in. */\n"
        "  for (i = 0; i < %s_N_IN; i++)\n    {\n"
        "      int32_t n = input[i] > %s_INPUT_CAP ? %s_INPUT_CAP : input[i];\n\n"
        "      if (n == 0)\n        continue;\n", P, P, P);
      append_fanout_loop (s, &g, "in", "i", "      ");
      g_string_append (s, "    }\n\n");
    }
  else
    g_string_append (s, "  (void) input;\n\n");

  /* 2. The previous step's hidden events. */
  g_string_append_printf (s,
    "  /* 2. The hidden events of the previous step through weights_rec and weights_out. */\n"
    "  for (i = 0; i < %s_N_HIDDEN; i++)\n    {\n"
    "      int32_t n = s->events[i];\n\n"
    "      if (n == 0)\n        continue;\n", P);
  if (w_rec && n_rec_entries > 0)
    append_fanout_loop (s, &g, "rec", "i", "      ");
  if (w_out)
    g_string_append_printf (s,
      "      if (i >= %s_N_HIDDEN - %s_N_OEN)\n"
      "        for (o = 0; o < %s_N_OUT; o++)\n"
      "          {\n"
      "            int32_t w = %s_weight_out (%s_w_out[i - (%s_N_HIDDEN - %s_N_OEN)][o]);\n\n"
      "            s->isyn_out[o] = (int16_t) %s_sat16 (s->isyn_out[o] + n * w);\n"
      "          }\n", P, P, P, p, p, P, P, p);
  g_string_append (s, "      s->events[i] = 0;\n    }\n\n");

  /* 3. Hidden neurons. */
  g_string_append_printf (s,
    "  /* 3. The hidden neurons in ascending order; events[] collects this step's events,\n"
    "   * copies from lower-numbered aliases included. */\n"
    "  for (j = 0; j < %s_N_HIDDEN; j++)\n    {\n"
    "      int32_t i1 = s->isyn[j][0], th = %s_threshold[j], v, n;\n", P, p);
  if (spec->n_syn == 2)
    g_string_append_printf (s,
      "      int32_t i2 = s->isyn[j][1];\n\n"
      "      i1 -= %s_decay (i1, %s_dash_syn[j]);\n"
      "      i2 -= %s_decay (i2, %s_dash_syn_2[j]);\n"
      "      s->isyn[j][0] = (int16_t) i1;\n"
      "      s->isyn[j][1] = (int16_t) i2;\n"
      "      i1 += i2;\n", p, p, p, p);
  else
    g_string_append_printf (s,
      "\n      i1 -= %s_decay (i1, %s_dash_syn[j]);\n"
      "      s->isyn[j][0] = (int16_t) i1;\n", p, p);
  append_integrate_call (s, &g, v1, "vmem[j], i1", "", "j");
  g_string_append_printf (s,
    "      n = s->events[j];\n"
    "      if (v >= th && n < %s_HIDDEN_CAP)\n        {\n"
    "          if (th > 0)\n            {\n"
    "              /* The subtractions in closed form: nothing can wrap. */\n"
    "              int32_t own = v / th;\n\n"
    "              if (own > %s_HIDDEN_CAP - n)\n"
    "                own = %s_HIDDEN_CAP - n;\n"
    "              v -= own * th;\n              n += own;\n            }\n"
    "          else\n"
    "            /* Each subtraction raises v and may wrap it negative. */\n"
    "            while (v >= th && n < %s_HIDDEN_CAP)\n              {\n"
    "                n++;\n"
    "                v = %s_wrap16 ((uint32_t) (v - th));\n              }\n"
    "          s->events[j] = (uint8_t) n;\n        }\n"
    "      s->vmem[j] = (int16_t) v;\n", P, P, P, P, p);
  if (has_aliases)
    g_string_append_printf (s,
      "      /* Every alias entry in order, re-reading this neuron's count each time. */\n"
      "      for (e = %s_alias_offsets[j]; e < %s_alias_offsets[j + 1]; e++)\n"
      "        {\n"
      "          int32_t a = %s_alias_targets[e], c = s->events[a] + s->events[j];\n\n"
      "          s->events[a] = (uint8_t) (c > %s_HIDDEN_CAP ? %s_HIDDEN_CAP : c);\n"
      "        }\n", p, p, p, P, P);
  g_string_append (s, "    }\n\n");

  /* 4. Outputs. */
  g_string_append_printf (s,
    "  /* 4. The output neurons: one synapse, at most one event. */\n"
    "  for (o = 0; o < %s_N_OUT; o++)\n    {\n"
    "      int32_t io = s->isyn_out[o], v;\n\n"
    "      io -= %s_decay (io, %s_dash_syn_out[o]);\n"
    "      s->isyn_out[o] = (int16_t) io;\n", P, p, p);
  append_integrate_call (s, &g, v1, "vmem_out[o], io", "_out", "o");
  g_string_append_printf (s,
    "      out_spikes[o] = v >= %s_threshold_out[o];\n"
    "      if (out_spikes[o])\n"
    "        v = %s_wrap16 ((uint32_t) (v - %s_threshold_out[o]));\n"
    "      s->vmem_out[o] = (int16_t) v;\n    }\n}\n", p, p, p);

  return g_string_free (g_steal_pointer (&s), FALSE);
}
