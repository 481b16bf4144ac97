/* sq-fxp-kind-options.c: the fixed-point kind's settings — the global options, what one
 * layer may set, and the core's settings they stand for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "synquant.h"
#include "sq-fxp-kind-private.h"
#include "sq-fxp-private.h"
#include "sq-network-private.h"

static const SqChoice width_choices[] = {
  { "int8", N_("int8"), NULL, "8" },
  { "int16", N_("int16"), NULL, "16" },
};

static const SqChoice accumulator_choices[] = {
  { "int16", N_("int16"), NULL, "16" },
  { "int32", N_("int32"), NULL, "32" },
};

static const SqChoice scheme_choices[] = {
  { "fxp", N_("Power of two"), N_("n = b − 2 − ⌊log2 M⌋ fractional bits, Δ = 2^−n"), NULL },
  { "fake", N_("Min–max (figures only)"),
    N_("Δ = 2M/(2^b − 1): no power of two, so no integer core or export"), NULL },
  { "force_q", N_("Fixed n"), N_("Every tensor gets the fractional bits of Force Q"), NULL },
};

static const SqChoice rounding_choices[] = {
  { "nearest", N_("Nearest"), N_("⌊x + 0.5⌋, half up, as Qualia's C shifts"), NULL },
  { "floor", N_("Floor"), NULL, NULL },
  { "ceil", N_("Ceil"), NULL, NULL },
};

static const SqChoice overflow_choices[] = {
  { "wrap", N_("Wrap"), N_("Two's complement, what C on the microcontroller does"), NULL },
  { "saturate", N_("Saturate"), NULL, NULL },
};

static const SqChoice compat_choices[] = {
  { "corrected", N_("Corrected"), NULL, NULL },
  { "qualia", N_("Qualia"),
    N_("Shift the LIF product by n_t instead of n_v, as the reference generator does"), NULL },
};

const SqOption _sq_fxp_options[FXP_N_OPTS] = {
  [FXP_OPT_WIDTH] = {
    "width", N_("_Width"), N_("The type of weights, activations and membranes"),
    N_("width"), SQ_OPTION_CHOICE, width_choices, G_N_ELEMENTS (width_choices),
    0, 1, 1, -1, NULL, TRUE },
  [FXP_OPT_ACCUMULATOR] = {
    "accumulator", N_("_Accumulator"),
    N_("The long type sums and products are held in: at least twice the width"),
    N_("accumulator"), SQ_OPTION_CHOICE, accumulator_choices,
    G_N_ELEMENTS (accumulator_choices), 0, 1, 1, -1, NULL, FALSE },
  [FXP_OPT_SCHEME] = {
    "scheme", N_("_Scheme"), N_("How each tensor's step Δ is chosen"),
    N_("scheme"), SQ_OPTION_CHOICE, scheme_choices, G_N_ELEMENTS (scheme_choices),
    0, 2, SQ_FXP_SCHEME_FXP, -1, NULL, FALSE },
  [FXP_OPT_FORCE_Q] = {
    "force-q", N_("_Force Q"), N_("The fractional bits of the fixed-n scheme"),
    N_("fractional bits"), SQ_OPTION_INT, NULL, 0, -16, 30, 6, -1, NULL, FALSE,
    "scheme=force_q" },
  [FXP_OPT_ROUNDING] = {
    "rounding", N_("_Rounding"), N_("How values are rounded onto the grid, and how the "
                                   "integer core's right shifts round"),
    N_("rounding"), SQ_OPTION_CHOICE, rounding_choices, G_N_ELEMENTS (rounding_choices),
    0, 2, SQ_FXP_ROUND_NEAREST, -1, NULL, TRUE },
  [FXP_OPT_OVERFLOW] = {
    "overflow", N_("_Overflow"), N_("What the integer core does when a value leaves its type"),
    N_("overflow"), SQ_OPTION_CHOICE, overflow_choices, G_N_ELEMENTS (overflow_choices),
    0, 1, SQ_FXP_OVERFLOW_WRAP, -1, NULL, FALSE },
  [FXP_OPT_COMPAT] = {
    "compat", N_("_Compatibility"), N_("Reproduce the reference generator's LIF shift"),
    N_("compatibility"), SQ_OPTION_CHOICE, compat_choices, G_N_ELEMENTS (compat_choices),
    0, 1, 0, -1, NULL, FALSE },
  [FXP_OPT_BIAS] = {
    "bias-separate", N_("Separate _bias format"),
    N_("The bias gets its own Δ (else one Δ over weights and bias together)"),
    N_("separate bias format"), SQ_OPTION_BOOL, NULL, 0, 0, 1, 0, -1, NULL, FALSE },
};

static const SqChoice layer_width_choices[] = {
  { "global", N_("As global"), NULL, NULL },
  { "int8", N_("int8"), NULL, "8" },
  { "int16", N_("int16"), NULL, "16" },
};

static const SqChoice layer_accumulator_choices[] = {
  { "global", N_("As global"), NULL, NULL },
  { "int16", N_("int16"), NULL, "16" },
  { "int32", N_("int32"), NULL, "32" },
};

#define FORCE_N(id, label, tooltip, noun) \
  { id, label, tooltip, noun, SQ_OPTION_INT, NULL, 0, -16, 30, -17, -17, "auto", FALSE }

/* What one layer may set for itself; "global" and "auto" leave it to the global options.
 * The n.* ids are the tensor classes of sq_fxp_tensor_name(), in their order. */
const SqOption _sq_fxp_layer_options[FXP_N_LAYER_OPTS] = {
  [FXP_LOPT_WIDTH] = {
    "width", N_("Width"), N_("This layer's type of weights, activations and membranes"),
    N_("layer width"), SQ_OPTION_CHOICE, layer_width_choices,
    G_N_ELEMENTS (layer_width_choices), 0, 2, 0, -1, NULL, FALSE },
  [FXP_LOPT_ACCUMULATOR] = {
    "accumulator", N_("Accumulator"),
    N_("This layer's long type for sums and products: at least twice its width"),
    N_("layer accumulator"), SQ_OPTION_CHOICE, layer_accumulator_choices,
    G_N_ELEMENTS (layer_accumulator_choices), 0, 2, 0, -1, NULL, FALSE },
  [FXP_LOPT_N + SQ_FXP_INPUT] = FORCE_N ("n.input", N_("Input n"),
    N_("Fractional bits of the input (the first layer's, or where the width changes)"),
    N_("the input's fractional bits")),
  [FXP_LOPT_N + SQ_FXP_WEIGHT] = FORCE_N ("n.weight", N_("Weight n"),
    N_("Fractional bits of the weights"), N_("the weights' fractional bits")),
  [FXP_LOPT_N + SQ_FXP_BIAS] = FORCE_N ("n.bias", N_("Bias n"),
    N_("Fractional bits of the bias"), N_("the bias's fractional bits")),
  [FXP_LOPT_N + SQ_FXP_ACT] = FORCE_N ("n.act", N_("Activation n"),
    N_("Fractional bits of the sums the neuron takes"),
    N_("the activation's fractional bits")),
  [FXP_LOPT_N + SQ_FXP_V] = FORCE_N ("n.v", N_("Membrane n"),
    N_("Fractional bits of the membrane, θ, 1/τ and V_r"),
    N_("the membrane's fractional bits")),
  [FXP_LOPT_N + SQ_FXP_OUTPUT] = FORCE_N ("n.output", N_("Output n"),
    N_("Fractional bits of the layer's output"), N_("the output's fractional bits")),
};

void
_sq_fxp_settings_from (const SqQuantSettings *settings,
                       guint                  n_layers,
                       SqFxpSettings         *out)
{
  sq_fxp_settings_init (out);
  out->bits = settings->value[FXP_OPT_WIDTH] == 0 ? 8 : 16;
  out->long_bits = settings->value[FXP_OPT_ACCUMULATOR] == 0 ? 16 : 32;
  out->scheme = (SqFxpScheme) settings->value[FXP_OPT_SCHEME];
  out->force_q = settings->value[FXP_OPT_FORCE_Q];
  out->round = (SqFxpRound) settings->value[FXP_OPT_ROUNDING];
  out->overflow = (SqFxpOverflow) settings->value[FXP_OPT_OVERFLOW];
  out->compat_qualia = settings->value[FXP_OPT_COMPAT] == 1;
  out->bias_separate = settings->value[FXP_OPT_BIAS] != 0;
  sq_fxp_settings_set_layer_count (out, n_layers);
  for (guint k = 0; k < settings->n_layer_overrides; k++)
    {
      const SqLayerOverride *lo = &settings->layer_overrides[k];
      SqFxpLayerSettings *ls;

      /* sq_network_quantize() refused the settings of a layer the network lacks. */
      if (lo->layer >= n_layers)
        continue;
      ls = &out->layers[lo->layer];
      ls->bits = lo->value[FXP_LOPT_WIDTH] == 0 ? 0 : lo->value[FXP_LOPT_WIDTH] == 1 ? 8 : 16;
      ls->long_bits = lo->value[FXP_LOPT_ACCUMULATOR] == 0 ? 0
                      : lo->value[FXP_LOPT_ACCUMULATOR] == 1 ? 16 : 32;
      for (int t = 0; t < SQ_FXP_N_TENSORS; t++)
        {
          int v = lo->value[FXP_LOPT_N + t];

          ls->force_n[t] = v == _sq_fxp_layer_options[FXP_LOPT_N + t].special_value ? SQ_FXP_AUTO
                                                                                : v;
        }
    }
}

gboolean
_sq_fxp_check_settings (const SqQuantSettings  *settings,
                        GError                **error)
{
  if (settings->value[FXP_OPT_WIDTH] == 1 && settings->value[FXP_OPT_ACCUMULATOR] == 0)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("int16 values need an int32 accumulator: a product of two must fit it"));
      return FALSE;
    }
  return TRUE;
}
