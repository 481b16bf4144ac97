/* fuzz-dynapcnn-json.c: DynapCNN layer files (sq_dynapcnn_net_load_json_data), then what
 * runs on what they load: each layer discretized in both modes, the memory and placement
 * check, and, for small networks with an input shape, three steps of the IAF core. */
#include "config.h"

#include <string.h>
#include <synquant.h>

#include "fuzz-common.h"

/* Simulating costs the maps' size per step: only small networks, so a run stays fast. */
#define MAX_SIM_NEURONS 20000

static void
exercise (const SqDynapcnnNet *net)
{
  g_autofree SqIafLayer *iaf = g_new0 (SqIafLayer, net->n_layers);
  g_autofree SqCnnLayerShape *shapes = g_new0 (SqCnnLayerShape, net->n_layers);
  gsize shape[3] = { net->input_shape[0], net->input_shape[1], net->input_shape[2] };
  gsize neurons = 0;
  gboolean all = TRUE;

  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];
      g_autoptr(GError) error = NULL;
      SqDynapcnnDiscrete sinabs, ours;
      gboolean ok;

      ok = sq_dynapcnn_discretize_layer (&l->params, SQ_DISCRETIZE_SINABS, "fuzz", &sinabs,
                                         &error);
      sq_fuzz_check_result (ok, error, "sq_dynapcnn_discretize_layer");
      g_clear_error (&error);
      if (ok)
        {
          g_autoptr(GPtrArray) w = sq_dynapcnn_discrete_warnings (&l->params, &sinabs,
                                                                  SQ_DISCRETIZE_SINABS, "l");

          if (w == NULL)
            g_error ("sq_dynapcnn_discrete_warnings: NULL");
          sq_dynapcnn_discrete_clear (&sinabs);
        }
      ok = sq_dynapcnn_discretize_layer (&l->params, SQ_DISCRETIZE_SYNQUANT, "fuzz", &ours,
                                         &error);
      sq_fuzz_check_result (ok, error, "sq_dynapcnn_discretize_layer");
      if (!ok)
        {
          all = FALSE;
          continue;
        }
      iaf[i].weight = ours.weight;
      iaf[i].bias = ours.bias;
      iaf[i].v_mem = ours.v_mem;
      iaf[i].threshold_high = ours.threshold_high;
      iaf[i].threshold_low = ours.threshold_low;
      iaf[i].stride_y = l->stride_y;
      iaf[i].stride_x = l->stride_x;
      iaf[i].pad_y = l->pad_y;
      iaf[i].pad_x = l->pad_x;
      iaf[i].pool = l->pool;
      iaf[i].reset_zero = l->reset_zero;
      iaf[i].single_spike = l->single_spike;
      if (net->has_input_shape)
        {
          gsize conv[3], pooled[3];

          if (!sq_cnn_output_shape (shape, ours.weight.shape[0], ours.weight.shape[2],
                                    ours.weight.shape[3], l->stride_y, l->stride_x, l->pad_y,
                                    l->pad_x, l->pool, conv, pooled))
            g_error ("a loaded network's layer %u does not fit its input", i);
          shapes[i] = (SqCnnLayerShape) {
            .in_channels = shape[0], .out_channels = conv[0],
            .kernel_y = ours.weight.shape[2], .kernel_x = ours.weight.shape[3],
            .out_y = conv[1], .out_x = conv[2], .has_bias = TRUE,
            .stride_y = l->stride_y, .stride_x = l->stride_x, .pad_y = l->pad_y,
            .pad_x = l->pad_x, .pool = l->pool, .n_destinations = 1,
          };
          if (conv[0] > MAX_SIM_NEURONS || conv[1] > MAX_SIM_NEURONS ||
              conv[2] > MAX_SIM_NEURONS || conv[0] * conv[1] * conv[2] > MAX_SIM_NEURONS)
            all = FALSE;
          else
            neurons += conv[0] * conv[1] * conv[2];
          memcpy (shape, pooled, sizeof shape);
        }
    }

  if (net->has_input_shape && net->n_layers <= 9)
    {
      g_autoptr(SqCnnPlacement) p = sq_cnn_place (sq_device_profile_lookup ("dynapcnn"),
                                                  shapes, net->n_layers);

      if (sq_cnn_placement_fits (p) == (p->problems->len > 0))
        g_error ("sq_cnn_place: fits and problems disagree");
    }
  if (all && net->has_input_shape && neurons <= MAX_SIM_NEURONS &&
      net->input_shape[0] * net->input_shape[1] * net->input_shape[2] <= MAX_SIM_NEURONS)
    {
      const gsize is[4] = { 3, net->input_shape[0], net->input_shape[1], net->input_shape[2] };
      g_autoptr(GError) error = NULL;
      SqTensor input = { 0, };
      SqIafRun run;
      gboolean ok;

      if (sq_tensor_init (&input, 4, is, NULL))
        {
          for (gsize k = 0; k < input.n; k++)
            input.data[k] = (double) (k % 3);
          ok = sq_iaf_run (iaf, net->n_layers, &input, TRUE, NULL, &run, &error);
          sq_fuzz_check_result (ok, error, "sq_iaf_run");
          if (ok)
            sq_iaf_run_clear (&run);
          sq_tensor_clear (&input);
        }
    }
  for (guint i = 0; i < net->n_layers; i++)
    {
      sq_tensor_clear (&iaf[i].weight);
      sq_tensor_clear (&iaf[i].bias);
      sq_tensor_clear (&iaf[i].v_mem);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL;

  sq_fuzz_init ();
  net = sq_dynapcnn_net_load_json_data ((const char *) data, size, "fuzz.json", &error);
  sq_fuzz_check_result (net != NULL, error, "sq_dynapcnn_net_load_json_data");
  if (net != NULL)
    {
      (void) sq_dynapcnn_net_is_integer (net);
      exercise (net);
    }
  return 0;
}
