/* test-dynapcnn-simulate.c: sq_dynapcnn_simulate — the slow clock of the event core against
 * the time steps, hand-computed; the input forms it tells apart; the load in a device check;
 * its errors
 *
 * One neuron (a 1 × 1 kernel on a 1 × 1 × 1 input), bias 1, θ = 2, no input events, four
 * 1 ms steps. In time steps v = 1, 2 (spike), 1, 2 (spike): 2 spikes. The event core with
 * one tick per step (1000 Hz) ticks at 0, 1, 2, 3 ms: the same 2 spikes; with no leak, none;
 * at 2000 Hz, eight ticks: 4 spikes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

static const char leaky[] =
  "{\"input_shape\": [1, 1, 1], \"layers\": [{\"weight\": [[[[1]]]], \"bias\": [1], "
  "\"spike_threshold\": 2, \"min_v_mem\": -32768, \"scale\": 1}]}";

static SqNetwork *
load_text (SqTestDir  *f,
           const char *text)
{
  g_autofree char *path = sq_test_dir_path (f, "net.json");
  g_autoptr(GError) error = NULL;
  SqNetwork *network;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (network->kind->name, ==, "dynapcnn");
  return network;
}

static const SqDeviceProfile *
speck (void)
{
  const SqDeviceProfile *d = sq_device_profile_lookup ("speck2f");

  g_assert_nonnull (d);
  return d;
}

/* Runs @network in event mode on 4 silent steps with @leak_hz; returns the divergence row of
 * the output. */
static SqIafDivergenceRow
run_leak (SqNetwork *network,
          gint64     leak_hz,
          guint32   *used_hz)
{
  SqCnnSimOptions options = SQ_CNN_SIM_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  SqRaster raster = { 0, };
  SqCnnSimulation sim;
  SqIafDivergenceRow row;

  g_assert_true (sq_raster_init (&raster, 4, 1, NULL));
  options.mode = SQ_CNN_SIM_EVENT;
  options.leak_hz = leak_hz;
  g_assert_true (sq_dynapcnn_simulate (network, speck (), &raster, NULL, &options, NULL, &sim,
                                       &error));
  g_assert_no_error (error);
  g_assert_true (sim.has_divergence);
  g_assert_cmpuint (sim.divergence.n_layers, ==, 1);
  row = sim.divergence.output;
  *used_hz = sim.leak_hz;
  /* No input events: no SynOps. */
  g_assert_cmpuint (sim.load.layers[0].synops, ==, 0);
  sq_cnn_simulation_clear (&sim);
  sq_raster_clear (&raster);
  return row;
}

static void
test_leak (SqTestDir     *f,
           gconstpointer  data)
{
  g_autoptr(SqNetwork) network = load_text (f, leaky);
  SqIafDivergenceRow r;
  guint32 hz;

  r = run_leak (network, SQ_CNN_LEAK_PER_STEP, &hz);
  g_assert_cmpuint (hz, ==, 1000);
  g_assert_cmpuint (r.spikes_step, ==, 2);
  g_assert_cmpuint (r.spikes_event, ==, 2);
  g_assert_cmpuint (r.l1, ==, 0);
  g_assert_cmpuint (r.n_bins, ==, 4);
  g_assert_cmpuint (r.n_agree, ==, 4);

  r = run_leak (network, 0, &hz);
  g_assert_cmpuint (hz, ==, 0);
  g_assert_cmpuint (r.spikes_step, ==, 2);
  g_assert_cmpuint (r.spikes_event, ==, 0);
  g_assert_cmpuint (r.l1, ==, 2);
  g_assert_cmpuint (r.n_agree, ==, 2);

  r = run_leak (network, 2000, &hz);
  g_assert_cmpuint (hz, ==, 2000);
  g_assert_cmpuint (r.spikes_event, ==, 4);
  g_assert_cmpuint (r.l1, ==, 2);
  g_assert_cmpuint (r.n_agree, ==, 2);
}

/* Counts or events: an .npy of records or of (N, 4) integers, a CSV naming t and p. */
static void
test_input_is_events (void)
{
  static const char csv_events[] = "x,y,p,t\n0,0,1,5\n";
  static const char csv_counts[] = "0,1,0,2\n1,0,0,0\n";
  SqTensor t = { 0, };
  const gsize rows[2] = { 3, 4 };
  g_autofree guint8 *i64 = NULL, *f64 = NULL;
  gsize n_i64, n_f64;

  g_assert_true (sq_dynapcnn_input_is_events ((const guint8 *) csv_events,
                                              strlen (csv_events), 2048));
  g_assert_false (sq_dynapcnn_input_is_events ((const guint8 *) csv_counts,
                                               strlen (csv_counts), 4));
  g_assert_true (sq_tensor_init (&t, 2, rows, NULL));
  i64 = sq_npy_write (&t, SQ_NPY_INT64, &n_i64, NULL);
  f64 = sq_npy_write (&t, SQ_NPY_FLOAT64, &n_f64, NULL);
  sq_tensor_clear (&t);
  g_assert_true (sq_dynapcnn_input_is_events (i64, n_i64, 2048));
  /* A network of 4 inputs reads (T, 4) as counts; floats are never events. */
  g_assert_false (sq_dynapcnn_input_is_events (i64, n_i64, 4));
  g_assert_false (sq_dynapcnn_input_is_events (f64, n_f64, 2048));
}

/* The load of one event through a 1 × 1 kernel with 3 features on a 1 × 2 × 2 input: 3
 * SynOps in one 1 ms step, 3000 SynOps/s; against a limit of 2000 a violation. */
static void
test_check (SqTestDir     *f,
            gconstpointer  data)
{
  g_autoptr(SqNetwork) network = load_text (f,
    "{\"input_shape\": [1, 2, 2], \"layers\": [{\"weight\": [[[[1]]], [[[1]]], [[[1]]]], "
    "\"spike_threshold\": 5, \"min_v_mem\": -32768, \"scale\": 1}]}");
  g_autoptr(SqCheckReport) report = sq_network_check (network, NULL, speck (), NULL);
  SqCnnSimOptions options = SQ_CNN_SIM_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  SqEvent ev = { 0, 0, 1, 1, 0 };
  SqEventList list = { &ev, 1 };
  SqCnnSimulation sim;
  gsize violations = sq_check_report_count (report, SQ_CHECK_VIOLATION);
  guint n_res = report->resources ? report->resources->len : 0;
  const SqCheckResource *res;
  const SqCheckIssue *issue;

  options.max_synops_per_s = 2000;
  g_assert_true (sq_dynapcnn_simulate (network, speck (), NULL, &list, &options, NULL, &sim,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sim.load.layers[0].synops, ==, 3);
  g_assert_cmpfloat (sim.load.layers[0].peak_per_s, ==, 3000);
  g_assert_cmpuint (sim.load.n_overloaded, ==, 1);
  sq_cnn_load_add_to_check (&sim.load, report);
  g_assert_cmpuint (report->resources->len, ==, n_res + 1);
  res = &g_array_index (report->resources, SqCheckResource, n_res);
  g_assert_cmpstr (res->label, ==, "SynOps/s");
  g_assert_cmpuint (res->used, ==, 3000);
  g_assert_cmpuint (res->capacity, ==, 2000);
  g_assert_cmpuint (sq_check_report_count (report, SQ_CHECK_VIOLATION), ==, violations + 1);
  issue = sq_check_report_first (report, SQ_CHECK_VIOLATION);
  g_assert_cmpstr (issue->kind, ==, "synops");
  g_assert_cmpstr (issue->message, ==, "layers[0]: 0.003 M SynOps/s at its busiest step, "
                                       "above the 0.002 M SynOps/s a core executes: the chip "
                                       "stalls, silently");
  sq_cnn_simulation_clear (&sim);
}

static void
test_errors (SqTestDir     *f,
             gconstpointer  data)
{
  g_autoptr(SqNetwork) network = load_text (f, leaky);
  g_autoptr(SqNetwork) fnet = NULL;
  SqCnnSimOptions options = SQ_CNN_SIM_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  SqRaster raster = { 0, };
  SqCnnSimulation sim;
  g_autofree char *text = g_strdup (leaky);

  g_assert_true (sq_raster_init (&raster, 2, 1, NULL));
  options.mode = SQ_CNN_SIM_EVENT;
  options.leak_hz = 2000000;
  g_assert_false (sq_dynapcnn_simulate (network, speck (), &raster, NULL, &options, NULL, &sim,
                                        &error));
  g_assert_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT);
  g_assert_cmpstr (error->message, ==, "the slow clock is 2000000 Hz: expected 0 (no leak) "
                                       "to 1000000 Hz");
  g_clear_error (&error);

  /* A float network: discretize it first. */
  memcpy (strstr (text, ", \"scale\": 1"), "            ", 12);
  fnet = load_text (f, text);
  options.leak_hz = SQ_CNN_LEAK_PER_STEP;
  g_assert_false (sq_dynapcnn_simulate (fnet, speck (), &raster, NULL, &options, NULL, &sim,
                                        &error));
  g_assert_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC);
  g_assert_nonnull (strstr (error->message, "is not discretized"));
  sq_raster_clear (&raster);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dynapcnn-simulate/leak", SqTestDir, NULL, sq_test_dir_setup, test_leak,
              sq_test_dir_teardown);
  g_test_add_func ("/dynapcnn-simulate/input-is-events", test_input_is_events);
  g_test_add ("/dynapcnn-simulate/check", SqTestDir, NULL, sq_test_dir_setup, test_check,
              sq_test_dir_teardown);
  g_test_add ("/dynapcnn-simulate/errors", SqTestDir, NULL, sq_test_dir_setup, test_errors,
              sq_test_dir_teardown);
  return g_test_run ();
}
