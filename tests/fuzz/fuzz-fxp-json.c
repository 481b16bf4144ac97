/* fuzz-fxp-json.c: fixed-point layer files (sq_fxp_net_load_json_data), then what runs on what
 * they load: written and read back, quantized (fxp int8 and int16, force_q, fake), and for
 * small networks three steps of the float model and the integer core, the overflow advice
 * and the mcu-c export. */
#include "config.h"

#include <string.h>
#include <synquant.h>

#include "fuzz-common.h"

/* Simulating costs the layers' sizes per step: only small networks, so a run stays fast. */
#define MAX_SIM_VALUES 20000
#define MAX_QUANT_PARAMS 1000000

static gsize
cost (const SqFxpNet *net,
      gsize          *params)
{
  gsize c = sq_fxp_shape_size (net->input_shape);

  *params = 0;
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqFxpLayer *l = &net->layers[i];

      *params += (sq_tensor_is_present (&l->weight) ? l->weight.n : 0) +
                 (sq_tensor_is_present (&l->recurrent) ? l->recurrent.n : 0);
      c += sq_fxp_shape_size (l->out_shape) * (l->op == SQ_FXP_OP_CONV2D
                                               ? l->weight.n / l->weight.shape[0]
                                               : l->kernel_y * l->kernel_x);
    }
  return c + *params;
}

static void
exercise (const SqFxpNet *net)
{
  static const guint bits[][2] = { { 8, 16 }, { 16, 32 } };
  gsize params, c = cost (net, &params);
  SqTensor input = { 0, };
  gsize n_in = sq_fxp_shape_size (net->input_shape);
  gboolean small = c <= MAX_SIM_VALUES;

  if (params > MAX_QUANT_PARAMS)
    return;
  if (small && sq_tensor_init (&input, 2, (gsize[2]) { 3, n_in }, NULL))
    for (gsize k = 0; k < input.n; k++)
      input.data[k] = (double) (k % 3);
  for (guint v = 0; v < 4; v++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SqFxpQNet) q = NULL;
      SqFxpSettings s;

      sq_fxp_settings_init (&s);
      s.bits = bits[v % 2][0];
      s.long_bits = bits[v % 2][1];
      s.scheme = v == 2 ? SQ_FXP_SCHEME_FORCE_Q : v == 3 ? SQ_FXP_SCHEME_FAKE
                                                         : SQ_FXP_SCHEME_FXP;
      s.force_q = 5;
      s.overflow = v % 2 ? SQ_FXP_OVERFLOW_SATURATE : SQ_FXP_OVERFLOW_WRAP;
      s.round = (SqFxpRound) (v % 3);
      q = sq_fxp_quantize (net, &s, small ? &input : NULL, &error);
      sq_fuzz_check_result (q != NULL, error, "sq_fxp_quantize");
      if (q != NULL && small)
        {
          SqFxpRun run;
          gboolean ok = sq_fxp_run_int (q, &input, NULL, &run, &error);
          g_autoptr(GPtrArray) files = NULL;

          sq_fuzz_check_result (ok, error, "sq_fxp_run_int");
          if (ok)
            sq_fxp_run_clear (&run);
          g_clear_error (&error);
          files = sq_fxp_export_mcu_c (q, "out", &error);
          sq_fuzz_check_result (files != NULL, error, "sq_fxp_export_mcu_c");
        }
      sq_fxp_settings_clear (&s);
    }
  if (small)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *desc = NULL;
      SqFxpSettings s, prop;
      SqFxpRun run;
      gboolean ok = sq_fxp_run_float (net, &input, NULL, &run, &error);

      sq_fuzz_check_result (ok, error, "sq_fxp_run_float");
      if (ok)
        sq_fxp_run_clear (&run);
      g_clear_error (&error);
      sq_fxp_settings_init (&s);
      ok = sq_fxp_propose_formats (net, &s, &input, &prop, &desc, &error);
      sq_fuzz_check_result (ok, error, "sq_fxp_propose_formats");
      if (ok)
        sq_fxp_settings_clear (&prop);
    }
  sq_tensor_clear (&input);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpNet) net = NULL;

  sq_fuzz_init ();
  net = sq_fxp_net_load_json_data ((const char *) data, size, "fuzz.json", &error);
  sq_fuzz_check_result (net != NULL, error, "sq_fxp_net_load_json_data");
  if (net != NULL)
    {
      g_autoptr(GString) text = sq_fxp_net_to_json (net);
      g_autoptr(SqFxpNet) back = sq_fxp_net_load_json_data (text->str, text->len, "back.json",
                                                            &error);

      if (back == NULL)
        g_error ("a written network does not read back: %s", error->message);
      exercise (net);
    }
  return 0;
}
