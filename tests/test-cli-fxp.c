/* test-cli-fxp.c: the NIR graphs that map to no chip, end to end through synquant-cli as
 * fixed-point networks — info, quantize, simulate and export mcu-c — and --kind for a graph
 * several kinds could take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

typedef struct {
  const char *file;
  const char *dt;        /* NULL: no --dt */
  gboolean    as_fxp;    /* --kind fxp */
  const char *layers;    /* what info says */
  const char *formats;   /* a line of quantize's summary */
} Case;

static const Case cases[] = {
  { "lif_norse.nir", "0.001", FALSE, "Fixed-point mapping: 1 layer\n"
    "  layer 0: linear 1 → 1, LIF τ 2.5 steps, θ 0.1, soft reset\n",
    "  layer 0 (int16, int32 accumulator): input Q1.14 weight Q1.14 bias Q1.14" },
  { "lif_rockpool.nir", "0.001", FALSE, "Fixed-point mapping: 1 layer\n"
    "  layer 0: linear 1 → 1, LIF τ 2.5 steps, θ 0.1, soft reset\n",
    "  layer 0 (int16, int32 accumulator): input Q1.14 weight Q0.15 (SQNR 106.5 dB)" },
  { "braille_noDelay_bias_zero.nir", "0.000125", TRUE, "Fixed-point mapping: 2 layers\n"
    "  layer 0: linear 12 → 38, recurrent, LIF τ 8 steps, synapse τ 1.77778 steps",
    "  layer 1 (int16, int32 accumulator): input Q1.14 weight Q5.10 (SQNR 79.4 dB)" },
  { "cnn_sinabs.nir", NULL, TRUE, "Fixed-point mapping: 8 layers (at dt 1 ms; give --dt)\n"
    "  layer 0: conv2d 2 × 34 × 34 → 16 × 16 × 16, IF, θ 1, soft reset\n",
    "  layer 7 (int16, int32 accumulator): input Q1.14 weight Q0.15" },
};

/* The arguments of @c before the verb's own. */
static void
add_load_args (GPtrArray  *args,
               const Case *c)
{
  if (c->dt != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--dt");
      g_ptr_array_add (args, (gpointer) c->dt);
    }
  if (c->as_fxp)
    {
      g_ptr_array_add (args, (gpointer) "--kind");
      g_ptr_array_add (args, (gpointer) "fxp");
    }
}

static void
run_verb (SqTestRun   *run,
          const Case  *c,
          const char  *verb,
          const char  *path,
          ...)
{
  g_autofree char *cli = sq_test_cli_path ();
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *a;

  g_ptr_array_add (args, cli);
  g_ptr_array_add (args, (gpointer) verb);
  g_ptr_array_add (args, (gpointer) path);
  add_load_args (args, c);
  va_start (ap, path);
  while ((a = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_assert_true (sq_test_run ((const char * const *) args->pdata, &run->status, &run->out,
                              &run->err) || run->status != 0);
}

static void
test_files (SqTestDir     *f,
            gconstpointer  data)
{
  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without HDF5");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autofree char *path = sq_test_data_path ("data", "nir", c->file, NULL);
      g_autofree char *q = sq_test_dir_path (f, "q.json");
      g_autofree char *sim = sq_test_dir_path (f, "sim.json");
      g_autofree char *dir = sq_test_dir_path (f, "mcu");
      g_autofree char *header = g_build_filename (dir, "model.h", NULL);
      g_autofree char *text = NULL;
      g_auto(SqTestRun) run = { 0, };

      g_test_message ("%s", c->file);
      run_verb (&run, c, "info", path, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, c->layers));

      run_verb (&run, c, "quantize", path, "-o", q, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.err, c->formats));
      g_assert_true (g_file_get_contents (q, &text, NULL, NULL));
      g_assert_true (g_str_has_prefix (text, "{\"input_shape\": ["));

      run_verb (&run, c, "simulate", path, "--compare", "--poisson", "0.3", "--steps", "40",
                "-o", sim, NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "float model vs integer core, 1 sample"));
      g_clear_pointer (&text, g_free);
      g_assert_true (g_file_get_contents (sim, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, "\"out\": [["));

      run_verb (&run, c, "export", path, "--device", "mcu", "--format", "mcu-c", "-o", dir,
                NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_clear_pointer (&text, g_free);
      g_assert_true (g_file_get_contents (header, &text, NULL, NULL));
      g_assert_nonnull (strstr (text, "void model_step"));

      run_verb (&run, c, "check", path, "--device", "mcu", NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "fits Microcontroller (C99)"));
    }
}

/* Without dt a LIF graph asks for one; the subgraph file does not load; --kind chooses. */
static void
test_refusals (SqTestDir     *f,
               gconstpointer  data)
{
  g_autofree char *lif = sq_test_data_path ("data", "nir", "lif_norse.nir", NULL);
  g_autofree char *sub = sq_test_data_path ("data", "nir",
                                            "braille_noDelay_bias_zero_subgraph.nir", NULL);
  g_autofree char *cnn = sq_test_data_path ("data", "nir", "cnn_sinabs.nir", NULL);
  g_autofree char *q = sq_test_dir_path (f, "q.json");
  const Case none = { NULL, NULL, FALSE, NULL, NULL };
  const Case xylo = { NULL, "0.001", FALSE, NULL, NULL };
  g_auto(SqTestRun) run = { 0, };

  if (!sq_nir_is_supported ())
    {
      g_test_skip ("built without HDF5");
      return;
    }
  run_verb (&run, &none, "quantize", lif, "-o", q, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "lif_norse.nir: NIR stores no time step: give dt (--dt) "
                                     "to map it to a fixed-point network"));

  /* Six inputs of 1.9 each step leave an int16 accumulator: the layer and the advice. */
  {
    g_autofree char *ov = sq_test_dir_path (f, "ov.json");
    g_autofree char *sim = sq_test_dir_path (f, "sim.json");

    g_assert_true (g_file_set_contents (ov, "{\"input_shape\": [6], \"layers\": [{\"type\": "
                                            "\"linear\", \"weight\": [[1.9, 1.9, 1.9, 1.9, "
                                            "1.9, 1.9]], \"neuron\": {\"type\": \"if\"}}]}",
                                        -1, NULL));
    g_autofree char *ones = sq_test_dir_path (f, "ones.csv");
    g_autoptr(GString) csv = g_string_new (NULL);

    for (guint t = 0; t < 20; t++)
      g_string_append (csv, "1,1,1,1,1,1\n");
    g_assert_true (g_file_set_contents (ones, csv->str, -1, NULL));
    /* The fifth product of a step takes the sum to 39 040: one wrap a step. */
    run_verb (&run, &none, "simulate", ov, "--compare", "--set", "width=int8", "--set",
              "accumulator=int16", "--input", ones, "-o", sim, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "hint: Layer 0 overflowed "));
    g_assert_nonnull (strstr (run.out, " times on this input (accumulator 20, "));
    g_assert_nonnull (strstr (run.out, "hint: Long values wrap as the microcontroller's C "
                                       "does"));
  }

  run_verb (&run, &none, "info", sub, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "lif1"));

  run_verb (&run, &xylo, "quantize", lif, "--kind", "xylo", "-o", q, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot map to Xylo"));
  g_assert_null (strstr (run.err, "fixed-point"));

  run_verb (&run, &none, "info", cnn, "--kind", "speck", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "unknown kind “speck”; use one of xylo, dynapcnn, fxp"));

  /* Automatic, a CNN is DynapCNN's; --kind fxp takes it as fixed point. */
  run_verb (&run, &none, "quantize", cnn, "-o", q, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "mode synquant"));
  run_verb (&run, &none, "quantize", cnn, "--kind", "fxp", "--set", "width=int8", "-o", q,
            NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "  layer 0 (int8, int32 accumulator): input Q1.6"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli/fxp/files", SqTestDir, NULL, sq_test_dir_setup, test_files,
              sq_test_dir_teardown);
  g_test_add ("/cli/fxp/refusals", SqTestDir, NULL, sq_test_dir_setup, test_refusals,
              sq_test_dir_teardown);
  return g_test_run ();
}
