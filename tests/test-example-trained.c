/* test-example-trained.c: the trained small example on the labelled set it ships with, and
 * the sidecar set a network opens on
 *
 * data/examples/small.json is trained by data/examples/train-small.py on four classes of
 * synthetic temporal patterns; small-samples.npz beside it holds the held-out samples. The
 * figures below are what the float model and the integer core give on them: the float
 * accuracy is the training's promise (at least 90 %), the others pin the quantization's
 * effect so that a change to either model or to the quantizer shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "synquant.h"
#include "sq-test-samples.h"
#include "sq-test-utils.h"

static char *
example_path (const char *name)
{
  g_autofree char *dir = g_path_get_dirname (g_getenv ("SQ_EXAMPLE_TRAINED"));

  return g_build_filename (dir, name, NULL);
}

/* The float model classifies at least 90 % of the held-out samples; the integer core at the
 * default quantization nearly as many, and at 2 weight bits far fewer. */
static void
test_accuracy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) network = sq_network_load (g_getenv ("SQ_EXAMPLE_TRAINED"), NULL, NULL,
                                                  NULL, NULL, &error);
  g_autofree char *samples = example_path ("small-samples.npz");
  g_autoptr(SqSampleSet) set = NULL;
  SqEvaluation *e;

  g_assert_no_error (error);
  set = sq_sample_set_load (samples, network->n_inputs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_samples, ==, 200);
  g_assert_cmpuint (set->n_steps, ==, 100);
  g_assert_cmpuint (set->n_channels, ==, 8);
  g_assert_nonnull (set->labels);

  e = sq_test_evaluate (network, set, 0);
  g_assert_true (e->has_labels);
  g_assert_cmpuint (e->n_correct_float * 10, >=, 9 * set->n_samples);
  g_assert_cmpuint (e->n_correct_float, ==, 199);
  g_assert_cmpuint (e->n_correct_int, ==, 196);
  g_assert_cmpuint (e->n_class_agree, ==, 195);
  sq_evaluation_free (e);

  e = sq_test_evaluate (network, set, 2);
  g_assert_cmpuint (e->n_correct_float, ==, 199);
  g_assert_cmpuint (e->n_correct_int, ==, 50);
  sq_evaluation_free (e);
}

/* The Xylo-size example (calibrated scales, trained readout) on its 160 samples of 8 classes:
 * the float model right on 95 %, the integer core on 90 % at the defaults and at chance
 * (1 in 8) with 4 weight bits; activity as in a trained network: no hidden neuron at the
 * 31-event cap and no integer state on its rails. */
static void
test_xylo (void)
{
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO_TRAINED");
  g_autoptr(SqNetwork) network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_autofree char *samples = sq_sample_set_sidecar (path);
  g_autoptr(SqSampleSet) set = NULL;
  SqEvaluation *e;

  g_assert_no_error (error);
  g_assert_nonnull (samples);
  g_assert_true (g_str_has_suffix (samples, "xylo-audio2-samples.npz"));
  set = sq_sample_set_load (samples, network->n_inputs, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_samples, ==, 160);
  g_assert_cmpuint (set->n_channels, ==, 16);

  e = sq_test_evaluate (network, set, 0);
  g_assert_cmpuint (e->n_correct_float, ==, 152);
  g_assert_cmpuint (e->n_correct_int, ==, 144);
  g_assert_cmpuint (e->n_class_agree, ==, 146);
  sq_evaluation_free (e);
  e = sq_test_evaluate (network, set, 4);
  g_assert_cmpuint (e->n_correct_int, ==, 19);
  sq_evaluation_free (e);

  /* The first sample, as the Simulate page opens on it. */
  {
    SqQuantSettings settings;
    g_autoptr(SqNetworkResult) result = NULL;
    g_autoptr(SqSimRun) run = NULL;
    const SqSimResult *in, *fl;
    guint64 events_float = 0, events_int = 0, hidden = 0;
    SqRaster first;

    sq_quant_settings_init (&settings, network->kind);
    result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
    g_assert_no_error (error);
    sq_sample_set_raster (set, 0, &first);
    run = sq_network_simulate (result, NULL, &first, SQ_SIM_RECORD_OUTPUT, NULL, NULL, NULL,
                               &error);
    g_assert_no_error (error);
    in = run->int_result;
    fl = run->float_result;
    for (gsize o = 0; o < in->n_out; o++)
      {
        events_float += fl->out_events[o];
        events_int += in->out_events[o];
      }
    for (gsize j = 0; j < in->n_hidden; j++)
      hidden += in->hidden_events[j];
    g_assert_cmpuint (events_float, ==, 18);
    g_assert_cmpuint (events_int, ==, 12);
    g_assert_cmpuint (hidden, ==, 11696);
    g_assert_cmpuint (in->cap_hit, ==, 0);
    g_assert_cmpuint (fl->cap_hit, ==, 0);
    g_assert_cmpuint (in->vmem_saturated, ==, 0);
    g_assert_cmpuint (in->isyn_saturated, ==, 0);
  }
}

/* "NAME-samples.npz" beside "NAME.json" is found; a network without one has none. */
static void
test_sidecar (void)
{
  g_autofree char *found = sq_sample_set_sidecar (g_getenv ("SQ_EXAMPLE_TRAINED"));
  g_autofree char *expected = example_path ("small-samples.npz");
  g_autofree char *cnn = example_path ("dvs-cnn.json");
  g_autofree char *none = sq_sample_set_sidecar (cnn);
  g_autofree char *missing = sq_sample_set_sidecar ("/nonexistent/small.json");

  g_assert_cmpstr (found, ==, expected);
  g_assert_null (none);
  g_assert_null (missing);
}

/* A simulation's input given as a set runs on the set's first sample, a copy. */
static void
test_first_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *samples = example_path ("small-samples.npz");
  g_autoptr(SqSampleSet) set = sq_sample_set_load (samples, 8, NULL, &error);
  SqInputSpec spec = { samples, NULL, 0, 0, 0 };
  SqRaster first, raster;

  g_assert_no_error (error);
  sq_sample_set_raster (set, 0, &first);
  g_assert_true (sq_input_build (&spec, 8, &raster, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (raster.n_steps, ==, 100);
  g_assert_cmpuint (raster.n_channels, ==, 8);
  g_assert_true (raster.counts != first.counts);
  g_assert_cmpmem (raster.counts, 800, first.counts, 800);
  sq_raster_clear (&raster);

  /* The set's channels are checked against the network's. */
  g_assert_false (sq_input_build (&spec, 16, &raster, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "small-samples.npz"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/example-trained/accuracy", test_accuracy);
  g_test_add_func ("/example-trained/xylo", test_xylo);
  g_test_add_func ("/example-trained/sidecar", test_sidecar);
  g_test_add_func ("/example-trained/first-sample", test_first_sample);
  return g_test_run ();
}
