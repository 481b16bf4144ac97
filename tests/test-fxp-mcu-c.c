/* test-fxp-mcu-c.c: the `mcu-c` export compiled with gcc -std=c99 -Wall -Wextra -Werror
 * -pedantic (and UndefinedBehaviorSanitizer) and run on a raster: every output value of every
 * step, every final membrane and
 * synaptic current, and the count of wraps and saturations equal the library's integer core —
 * for int8 and int16, floor and nearest, IF and LIF, and a network with everything else
 * (recurrent weights, a synapse, ATIF, average pooling, hard reset, no decay_input, mixed
 * widths) with wrapping and with saturating arithmetic, and mixed widths set per layer through
 * the network model (as --set layers[N].width and the window do). Skipped only without gcc on
 * PATH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sq-test-utils.h"

static void
fill (SqTensor    *t,
      guint        rank,
      const gsize *shape,
      GRand       *rand,
      double       lo,
      double       hi)
{
  g_assert_true (sq_tensor_init (t, rank, shape, NULL));
  for (gsize i = 0; i < t->n; i++)
    t->data[i] = g_rand_double_range (rand, lo, hi);
}

static void
set_neuron (SqFxpLayer     *l,
            SqFxpNeuronType type,
            double          theta)
{
  l->neuron.type = type;
  l->neuron.tau = 3;
  l->neuron.decay_input = TRUE;
  l->neuron.v_threshold = theta;
  l->neuron.soft_reset = TRUE;
}

/* Conv (2 × 4 × 4 → 3 × 4 × 4, 3 × 3, padding 1) + neuron → sum-pool 2 → flatten → linear
 * 12 → 5 + neuron. */
static SqFxpNet *
conv_net (SqFxpNeuronType type,
          GRand          *rand)
{
  const gsize in[3] = { 2, 4, 4 };
  SqFxpNet *net = sq_fxp_net_new ("conv.json", 3, in, 4);
  g_autoptr(GError) error = NULL;

  net->layers[0].op = SQ_FXP_OP_CONV2D;
  fill (&net->layers[0].weight, 4, (gsize[4]) { 3, 2, 3, 3 }, rand, -0.6, 0.9);
  fill (&net->layers[0].bias, 1, (gsize[1]) { 3 }, rand, -0.2, 0.2);
  net->layers[0].pad_y = net->layers[0].pad_x = 1;
  set_neuron (&net->layers[0], type, 1.0);
  net->layers[1].op = SQ_FXP_OP_SUMPOOL;
  net->layers[1].kernel_y = net->layers[1].kernel_x = 2;
  net->layers[2].op = SQ_FXP_OP_FLATTEN;
  net->layers[3].op = SQ_FXP_OP_LINEAR;
  fill (&net->layers[3].weight, 2, (gsize[2]) { 5, 12 }, rand, -0.5, 1.0);
  set_neuron (&net->layers[3], type, 1.5);
  g_assert_true (sq_fxp_net_validate (net, &error));
  g_assert_no_error (error);
  return net;
}

/* Linear 6 → 8 with a recurrent matrix, a synapse and hard reset (LIF, no decay_input) →
 * average pool… on a vector: instead a linear 8 → 4 with ATIF; layer 0 int16, layer 1 int8. */
static SqFxpNet *
mixed_net (GRand *rand)
{
  const gsize in[1] = { 6 };
  SqFxpNet *net = sq_fxp_net_new ("mixed.json", 1, in, 2);
  g_autoptr(GError) error = NULL;

  net->layers[0].op = SQ_FXP_OP_LINEAR;
  fill (&net->layers[0].weight, 2, (gsize[2]) { 8, 6 }, rand, -0.5, 1.5);
  fill (&net->layers[0].bias, 1, (gsize[1]) { 8 }, rand, -0.1, 0.3);
  fill (&net->layers[0].recurrent, 2, (gsize[2]) { 8, 8 }, rand, -0.7, 0.5);
  set_neuron (&net->layers[0], SQ_FXP_NEURON_LIF, 1.0);
  net->layers[0].neuron.decay_input = FALSE;
  net->layers[0].neuron.soft_reset = FALSE;
  net->layers[0].neuron.v_reset = -0.25;
  net->layers[0].neuron.tau_syn = 2;
  net->layers[1].op = SQ_FXP_OP_LINEAR;
  fill (&net->layers[1].weight, 2, (gsize[2]) { 4, 8 }, rand, 0.0, 1.2);
  set_neuron (&net->layers[1], SQ_FXP_NEURON_ATIF, 0.5);
  g_assert_true (sq_fxp_net_validate (net, &error));
  g_assert_no_error (error);
  return net;
}

/* A 2 × 6 × 6 map, average-pooled 3 × 3 (a non-power-of-two window), into a LIF layer. */
static SqFxpNet *
avg_net (GRand *rand)
{
  const gsize in[3] = { 2, 6, 6 };
  SqFxpNet *net = sq_fxp_net_new ("avg.json", 3, in, 2);
  g_autoptr(GError) error = NULL;

  net->layers[0].op = SQ_FXP_OP_AVGPOOL;
  net->layers[0].kernel_y = net->layers[0].kernel_x = 3;
  net->layers[1].op = SQ_FXP_OP_LINEAR;
  fill (&net->layers[1].weight, 2, (gsize[2]) { 3, 8 }, rand, -1, 3);
  set_neuron (&net->layers[1], SQ_FXP_NEURON_LIF, 0.5);
  g_assert_true (sq_fxp_net_validate (net, &error));
  g_assert_no_error (error);
  return net;
}

/* Linear 4 → 6 + IF at int8, a Flatten at int16 / int32 (only it uses that width: the
 * export must still compile), linear 6 → 3 + IF at int8. */
static SqFxpNet *
flatten_net (GRand *rand)
{
  const gsize in[1] = { 4 };
  SqFxpNet *net = sq_fxp_net_new ("flatten.json", 1, in, 3);
  g_autoptr(GError) error = NULL;

  net->layers[0].op = SQ_FXP_OP_LINEAR;
  fill (&net->layers[0].weight, 2, (gsize[2]) { 6, 4 }, rand, -0.2, 1.0);
  set_neuron (&net->layers[0], SQ_FXP_NEURON_IF, 1.0);
  net->layers[1].op = SQ_FXP_OP_FLATTEN;
  net->layers[2].op = SQ_FXP_OP_LINEAR;
  fill (&net->layers[2].weight, 2, (gsize[2]) { 3, 6 }, rand, 0.0, 1.0);
  set_neuron (&net->layers[2], SQ_FXP_NEURON_IF, 1.0);
  g_assert_true (sq_fxp_net_validate (net, &error));
  g_assert_no_error (error);
  return net;
}

/* (T, C, H, W) spikes with probability @p, or graded values in [0, 1). */
static void
make_input (const SqFxpNet *net,
            GRand          *rand,
            guint           steps,
            double          p,
            gboolean        graded,
            SqTensor       *input)
{
  gsize shape[4] = { steps, net->input_shape[0], net->input_shape[1], net->input_shape[2] };

  g_assert_true (sq_tensor_init (input, net->input_rank == 3 ? 4 : 2,
                                 net->input_rank == 3 ? shape : (gsize[2]) { steps,
                                                                 net->input_shape[0] }, NULL));
  for (gsize i = 0; i < input->n; i++)
    input->data[i] = graded ? g_rand_double (rand) * 2 - 0.5
                            : (g_rand_double (rand) < p ? 1.0 : 0.0);
}

/* The raster as example.c reads it: one line per step, channels-last. */
static char *
raster_text (const SqFxpNet *net,
             const SqTensor *input)
{
  GString *s = g_string_new (NULL);
  gsize C = net->input_shape[0], HW = net->input_shape[1] * net->input_shape[2];

  for (gsize t = 0; t < input->shape[0]; t++)
    {
      for (gsize hw = 0; hw < HW; hw++)
        for (gsize c = 0; c < C; c++)
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append_printf (s, "%s%s", hw + c ? " " : "",
                                    g_ascii_dtostr (buf, sizeof buf,
                                                    input->data[(t * C + c) * HW + hw]));
          }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* @calibration: what the activations' and membranes' formats are chosen on (the input, or
 * %NULL as the network model quantizes) */
static void
check_against_c_calibrated (const SqFxpNet      *net,
                            const SqFxpSettings *settings,
                            const SqTensor      *calibration,
                            const SqTensor      *input,
                            const char          *gcc,
                            const char          *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqFxpQNet) q = sq_fxp_quantize (net, settings, calibration, &error);
  g_autofree char *dir = NULL, *text = NULL, *out = NULL, *err = NULL, *in_path = NULL;
  g_autofree char *exe = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 events = 0;
  SqFxpRun run;
  int status;
  guint line = 0;

  g_test_message ("%s", label);
  g_assert_no_error (error);
  g_assert_true (sq_fxp_run_int (q, input, NULL, &run, &error));
  g_assert_no_error (error);
  /* The case must say something: the last layer produced output. */
  g_test_message ("output values not 0 per layer: first %" G_GUINT64_FORMAT ", last %"
                  G_GUINT64_FORMAT, run.spikes[0], run.spikes[net->n_layers - 1]);
  g_assert_cmpuint (run.spikes[net->n_layers - 1], >, 0);

  dir = g_dir_make_tmp ("sq-mcu-c-XXXXXX", &error);
  g_assert_no_error (error);
  files = sq_fxp_export_mcu_c (q, dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 3);
  for (guint i = 0; i < files->len; i++)
    {
      const SqExportFile *f = g_ptr_array_index (files, i);
      gsize n;
      const char *data = g_bytes_get_data (f->data, &n);

      g_assert_true (g_file_set_contents (f->path, data, (gssize) n, &error));
    }
  exe = g_build_filename (dir, "model", NULL);
  {
    g_autofree char *mc = g_build_filename (dir, "model.c", NULL);
    g_autofree char *ec = g_build_filename (dir, "example.c", NULL);
    /* UndefinedBehaviorSanitizer as well: the generated arithmetic must wrap without signed
     * overflow and shift without shifting a negative number or by the type's width. */
    const char *argv[] = { gcc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1",
                           "-fsanitize=undefined", "-fno-sanitize-recover=all",
                           "-DMODEL_COUNT_OVERFLOWS", mc, ec, "-lm", "-o", exe, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("%s: gcc failed:\n%s%s", label, out, err);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  text = raster_text (net, input);
  in_path = g_build_filename (dir, "raster.txt", NULL);
  g_assert_true (g_file_set_contents (in_path, text, -1, &error));
  {
    const char *argv[] = { exe, in_path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  lines = g_strsplit (out, "\n", -1);
  for (guint t = 0; t < run.n_steps; t++, line++)
    {
      g_auto(GStrv) v = g_strsplit (lines[line], " ", -1);

      g_assert_cmpuint (g_strv_length (v), ==, run.n_out);
      for (gsize j = 0; j < run.n_out; j++)
        if (g_ascii_strtod (v[j], NULL) < run.out[t * run.n_out + j] ||
            g_ascii_strtod (v[j], NULL) > run.out[t * run.n_out + j])
          g_error ("%s: step %u output %zu: C %s, library %g", label, t, j, v[j],
                   run.out[t * run.n_out + j]);
    }
  for (guint i = 0; i < net->n_layers; i++)
    for (guint k = 0; k < 2; k++)
      {
        const double *want = k == 0 ? run.v[i] : run.syn[i];
        g_autofree char *prefix = g_strdup_printf ("%s %u:", k == 0 ? "v" : "syn", i);
        g_auto(GStrv) v = NULL;

        if (want == NULL)
          continue;
        g_assert_true (g_str_has_prefix (lines[line], prefix));
        v = g_strsplit (lines[line] + strlen (prefix) + 1, " ", -1);
        line++;
        g_assert_cmpuint (g_strv_length (v), ==, run.n_v[i]);
        for (gsize j = 0; j < run.n_v[i]; j++)
          g_assert_cmpfloat (g_ascii_strtod (v[j], NULL), ==, want[j]);
      }
  for (guint i = 0; i < net->n_layers; i++)
    events += sq_fxp_run_overflows (&run, i);
  /* The raster's own clipping happens in the host's quantize(), outside the model. */
  events -= run.events[0][SQ_FXP_EVENT_INPUT];
  {
    g_autofree char *want = g_strdup_printf ("overflows %" G_GUINT64_FORMAT, events);

    g_assert_cmpstr (lines[line], ==, want);
  }
  g_test_message ("%s: %u steps, %" G_GUINT64_FORMAT " output values not 0, %" G_GUINT64_FORMAT
                  " wraps and saturations, all equal", label, run.n_steps,
                  run.spikes[net->n_layers - 1], events);
  sq_fxp_run_clear (&run);
  sq_test_remove_tree (dir);
}

static void
check_against_c (const SqFxpNet      *net,
                 const SqFxpSettings *settings,
                 const SqTensor      *input,
                 const char          *gcc,
                 const char          *label)
{
  check_against_c_calibrated (net, settings, input, input, gcc, label);
}

static char *
find_gcc (void)
{
  char *gcc = g_find_program_in_path ("gcc");

  if (gcc == NULL)
    g_test_skip ("no gcc on PATH");
  return gcc;
}

/* int8 and int16, floor and nearest, IF and LIF. */
static void
test_grid (void)
{
  g_autofree char *gcc = find_gcc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);

  if (gcc == NULL)
    return;
  for (guint type = 0; type < 2; type++)
    {
      g_autoptr(SqFxpNet) net = conv_net (type ? SQ_FXP_NEURON_LIF : SQ_FXP_NEURON_IF, rand);
      SqTensor input = { 0, };

      make_input (net, rand, 40, 0.4, FALSE, &input);
      for (guint bits = 8; bits <= 16; bits += 8)
        for (guint r = 0; r < 2; r++)
          {
            g_autofree char *label = g_strdup_printf ("%s int%u %s", type ? "LIF" : "IF", bits,
                                                      r ? "floor" : "nearest");
            SqFxpSettings s;

            sq_fxp_settings_init (&s);
            s.bits = bits;
            s.long_bits = 2 * bits;
            s.round = r ? SQ_FXP_ROUND_FLOOR : SQ_FXP_ROUND_NEAREST;
            check_against_c (net, &s, &input, gcc, label);
            sq_fxp_settings_clear (&s);
          }
      sq_tensor_clear (&input);
    }
}

/* Everything else, and overflow: int8 with an int16 accumulator and graded inputs wraps;
 * the same saturating; compat qualia; a mixed int16 / int8 network. */
static void
test_features (void)
{
  g_autofree char *gcc = find_gcc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (1919);
  g_autoptr(SqFxpNet) mixed = NULL, avg = NULL, flat = NULL;
  SqTensor input = { 0, };
  SqFxpSettings s;

  if (gcc == NULL)
    return;
  mixed = mixed_net (rand);
  avg = avg_net (rand);
  sq_fxp_settings_init (&s);
  sq_fxp_settings_set_layer_count (&s, 2);
  s.layers[0].bits = 16;
  s.layers[0].long_bits = 32;
  make_input (mixed, rand, 60, 0, TRUE, &input);
  check_against_c (mixed, &s, &input, gcc, "mixed widths, recurrent, synapse, ATIF");
  s.compat_qualia = TRUE;
  s.round = SQ_FXP_ROUND_FLOOR;
  check_against_c (mixed, &s, &input, gcc, "the same, compat qualia, floor");
  sq_tensor_clear (&input);
  sq_fxp_settings_clear (&s);

  /* Wraps: force the activation of the pooled map to more fractional bits than it holds. */
  sq_fxp_settings_init (&s);
  sq_fxp_settings_set_layer_count (&s, 2);
  s.layers[1].force_n[SQ_FXP_WEIGHT] = 7;
  s.layers[1].force_n[SQ_FXP_V] = 6;
  make_input (avg, rand, 30, 0, TRUE, &input);
  check_against_c (avg, &s, &input, gcc, "average pooling, int8, wrapping");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SqFxpQNet) q = sq_fxp_quantize (avg, &s, &input, &error);
    SqFxpRun run;

    g_assert_no_error (error);
    g_assert_true (sq_fxp_run_int (q, &input, NULL, &run, &error));
    /* The case wraps for real. */
    g_assert_cmpuint (run.events[1][SQ_FXP_EVENT_ACC] + run.events[1][SQ_FXP_EVENT_NEURON], >,
                      0);
    sq_fxp_run_clear (&run);
  }
  s.overflow = SQ_FXP_OVERFLOW_SATURATE;
  s.round = SQ_FXP_ROUND_CEIL;
  check_against_c (avg, &s, &input, gcc, "average pooling, int8, saturating, ceil");
  sq_tensor_clear (&input);
  sq_fxp_settings_clear (&s);

  flat = flatten_net (rand);
  sq_fxp_settings_init (&s);
  sq_fxp_settings_set_layer_count (&s, 3);
  s.layers[1].bits = 16;
  s.layers[1].long_bits = 32;
  make_input (flat, rand, 30, 0.5, FALSE, &input);
  check_against_c (flat, &s, &input, gcc, "a width only a Flatten uses");
  sq_tensor_clear (&input);
  sq_fxp_settings_clear (&s);
}

/* Layer settings as the user gives them (`--set layers[0].width=int16`, the Tune page's
 * layer row): the mixed network at int8 with an int16 accumulator, its layer 0 at int16 with
 * int32 and its layer 1's membrane forced to Q2.5, quantized and exported through the network
 * model. The folder is the one the library writes for the same formats, byte for byte, and
 * that C runs as the library's core. */
static void
test_layer_settings (void)
{
  static const char * const set[][2] = {
    { "width", "int8" }, { "accumulator", "int16" }, { "rounding", "floor" },
    { "layers[0].width", "int16" }, { "layers[0].accumulator", "int32" },
    { "layers[1].n.v", "5" },
  };
  g_autofree char *gcc = find_gcc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (1921);
  g_autoptr(SqFxpNet) mixed = NULL;
  g_autoptr(SqNetwork) n = NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  g_autoptr(SqFxpQNet) q = NULL;
  g_autoptr(GPtrArray) ours = NULL, library = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *path = NULL, *out = NULL;
  SqQuantSettings qs;
  SqFxpSettings s;
  SqTensor input = { 0, };

  if (gcc == NULL)
    return;
  mixed = mixed_net (rand);
  dir = g_dir_make_tmp ("sq-layers-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "mixed.json", NULL);
  out = g_build_filename (dir, "mcu", NULL);
  {
    g_autoptr(GString) json = sq_fxp_net_to_json (mixed);

    g_assert_true (g_file_set_contents (path, json->str, (gssize) json->len, &error));
  }
  n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sq_quant_settings_init (&qs, n->kind);
  for (guint i = 0; i < G_N_ELEMENTS (set); i++)
    g_assert_true (sq_quant_settings_set_string (&qs, set[i][0], set[i][1], &error));
  r = sq_network_quantize (n, &qs, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  ours = sq_network_export_build (n, r, sq_device_profile_lookup ("mcu"), "mcu-c", out, NULL,
                                  &error);
  g_assert_no_error (error);

  sq_fxp_settings_init (&s);
  s.bits = 8;
  s.long_bits = 16;
  s.round = SQ_FXP_ROUND_FLOOR;
  sq_fxp_settings_set_layer_count (&s, 2);
  s.layers[0].bits = 16;
  s.layers[0].long_bits = 32;
  s.layers[1].force_n[SQ_FXP_V] = 5;
  q = sq_fxp_quantize (mixed, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (q->layers[0].bits, ==, 16);
  g_assert_cmpuint (q->layers[0].long_bits, ==, 32);
  g_assert_cmpuint (q->layers[1].bits, ==, 8);
  g_assert_cmpuint (q->layers[1].long_bits, ==, 16);
  g_assert_cmpint (q->layers[1].fmt[SQ_FXP_V].n, ==, 5);
  library = sq_fxp_export_mcu_c (q, out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ours->len, ==, library->len);
  for (guint i = 0; i < ours->len; i++)
    {
      const SqExportFile *a = ours->pdata[i], *b = library->pdata[i];

      g_assert_cmpstr (a->path, ==, b->path);
      g_assert_true (g_bytes_equal (a->data, b->data));
    }
  {
    /* int16 arrays for layer 0, int8 for layer 1: the folder mixes the widths. */
    const SqExportFile *c = NULL;

    for (guint i = 0; i < ours->len; i++)
      if (g_str_has_suffix (((SqExportFile *) ours->pdata[i])->path, "model.c"))
        c = ours->pdata[i];
    g_assert_nonnull (c);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (c->data, NULL),
                                    (gssize) g_bytes_get_size (c->data), "int16_t"));
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (c->data, NULL),
                                    (gssize) g_bytes_get_size (c->data), "int8_t"));
  }

  make_input (mixed, rand, 60, 0, TRUE, &input);
  check_against_c_calibrated (mixed, &s, NULL, &input, gcc,
                              "layer settings through the network model");
  sq_tensor_clear (&input);
  sq_fxp_settings_clear (&s);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fxp-mcu-c/grid", test_grid);
  g_test_add_func ("/fxp-mcu-c/features", test_features);
  g_test_add_func ("/fxp-mcu-c/layer-settings", test_layer_settings);
  return g_test_run ();
}
