/* fuzz-dynapcnn-json.c: DynapCNN layer files, JSON (sq_dynapcnn_net_load_json_data) or, for
 * bytes that start as a ZIP, .npz (sq_dynapcnn_net_load_npz_data); then what runs on what
 * they load: each layer discretized in both modes, the memory and placement check, both
 * writers read back to the same network, and, for small networks with an input shape, three
 * steps of the IAF core and of the float model. */
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
          g_clear_error (&error);
          ok = sq_dynapcnn_net_run_float (net, &input, TRUE, NULL, &run, &error);
          sq_fuzz_check_result (ok, error, "sq_dynapcnn_net_run_float");
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

static gboolean
same_layers (const SqDynapcnnNet *a,
             const SqDynapcnnNet *b)
{
  if (a->n_layers != b->n_layers || a->has_input_shape != b->has_input_shape)
    return FALSE;
  for (guint i = 0; i < a->n_layers; i++)
    {
      const SqTensor *x = &a->layers[i].params.weight, *y = &b->layers[i].params.weight;

      if (x->n != y->n || memcmp (x->shape, y->shape, sizeof x->shape) != 0 ||
          a->layers[i].pool != b->layers[i].pool)
        return FALSE;
      /* By value: a written −0 may read back as 0. */
      for (gsize k = 0; k < x->n; k++)
        if (x->data[k] < y->data[k] || x->data[k] > y->data[k])
          return FALSE;
    }
  return TRUE;
}

/* What Synquant writes, it reads back as the same network. */
static void
round_trip (const SqDynapcnnNet *net)
{
  g_autoptr(GString) json = sq_dynapcnn_net_to_json (net);
  g_autoptr(SqDynapcnnNet) from_json = NULL, from_npz = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *npz = NULL;
  gsize length;

  from_json = sq_dynapcnn_net_load_json_data (json->str, json->len, "w.json", &error);
  if (from_json == NULL || !same_layers (net, from_json))
    g_error ("the JSON writer's file does not read back: %s", error ? error->message : "");
  npz = sq_dynapcnn_net_to_npz (net, &length, &error);
  /* Values an int8 or float64 member cannot hold are refused, not written wrongly. */
  if (npz == NULL)
    return;
  from_npz = sq_dynapcnn_net_load_npz_data (npz, length, "w.npz", &error);
  if (from_npz == NULL || !same_layers (net, from_npz))
    g_error ("the .npz writer's file does not read back: %s", error ? error->message : "");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL;

  sq_fuzz_init ();
  if (size >= 2 && data[0] == 'P' && data[1] == 'K')
    {
      net = sq_dynapcnn_net_load_npz_data (data, size, "fuzz.npz", &error);
      sq_fuzz_check_result (net != NULL, error, "sq_dynapcnn_net_load_npz_data");
    }
  else
    {
      net = sq_dynapcnn_net_load_json_data ((const char *) data, size, "fuzz.json", &error);
      sq_fuzz_check_result (net != NULL, error, "sq_dynapcnn_net_load_json_data");
    }
  if (net != NULL)
    {
      (void) sq_dynapcnn_net_is_integer (net);
      exercise (net);
      round_trip (net);
    }
  return 0;
}
