/* test-evaluate.c: sample sets (every layout and every malformed case) and batch evaluation
 * on a tiny network whose class for each sample is known by construction
 (sq-test-samples.h): an output fires only when its channel had events, and the class of a
 * sample is the channel with more events, on a tie the one stimulated first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <synquant.h>

#include "sq-parallel-private.h"
#include "sq-test-samples.h"
#include "sq-test-toy.h"
#include "sq-test-utils.h"

#define T SQ_TEST_SAMPLE_STEPS

static SqNetwork *
tiny (const char *w_out1)
{
  g_autofree char *json = sq_test_tiny_json (w_out1);

  return sq_test_load_network (json, -1, "tiny.json");
}

#define four_samples sq_test_four_samples
#define npz_of sq_test_samples_npz

static SqSampleSet *
set_of (GBytes  *bytes,
        gsize    n_channels,
        GError **error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  return sq_sample_set_load_data (data, len, "set.npz", n_channels, error);
}

static void
test_npz (void)
{
  g_autofree guint8 *x = four_samples ();
  const gint64 y[4] = { 0, 1, 0, 0 };
  g_autoptr(GBytes) bytes = npz_of (x, 4, y, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, 2, &error);
  SqRaster r;

  g_assert_no_error (error);
  g_assert_cmpuint (set->n_samples, ==, 4);
  g_assert_cmpuint (set->n_steps, ==, T);
  g_assert_cmpuint (set->n_channels, ==, 2);
  g_assert_cmpint (set->labels[1], ==, 1);
  g_assert_cmpstr (set->names[3], ==, "x[3]");
  sq_sample_set_raster (set, 3, &r);
  g_assert_cmpuint (r.n_steps, ==, T);
  g_assert_cmpuint (r.counts[1 * 2 + 1], ==, 1);
  g_assert_cmpuint (r.counts[4 * 2 + 0], ==, 1);
  g_assert_cmpuint (r.counts[4 * 2 + 1], ==, 0);
}

/* A 3-D .npy of int16 counts, 20 clipped to 15. */
static void
test_npy (void)
{
  gint16 x[2 * 3 * 2] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20 };
  gsize shape[3] = { 2, 3, 2 }, len;
  g_autofree guint8 *npy = sq_npy_write_array (SQ_NPY_INT16, 3, shape, x, &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = sq_sample_set_load_data (npy, len, "x.npy", 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (set->n_samples, ==, 2);
  g_assert_null (set->labels);
  g_assert_cmpuint (set->counts[11], ==, 15);
  g_assert_cmpuint (set->counts[10], ==, 10);
  g_assert_cmpuint (set->n_clipped, ==, 1);
}

static void
expect_error (GBytes     *bytes,
              gsize       n_channels,
              int         code,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, n_channels, &error);

  g_assert_null (set);
  g_assert_error (error, SQ_RASTER_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_malformed (void)
{
  g_autofree guint8 *x = four_samples ();
  const gint64 y3[3] = { 0, 1, 0 }, yneg[4] = { 0, -1, 0, 0 };
  g_autoptr(GBytes) wrong_c = npz_of (x, 4, NULL, 0);
  g_autoptr(GBytes) short_y = npz_of (x, 4, y3, 3);
  g_autoptr(GBytes) neg_y = npz_of (x, 4, yneg, 4);
  g_autoptr(SqNpzWriter) w = sq_npz_writer_new ();
  gsize shape[3] = { 1, 2, 2 }, len;
  const double fx[4] = { 0, 1, 0.5, 0 };
  const gint8 nx[4] = { 0, 1, 0, -3 };
  g_autofree guint8 *fnpy = sq_npy_write_array (SQ_NPY_FLOAT64, 3, shape, fx, &len);
  g_autofree guint8 *nnpy = NULL;
  g_autoptr(GBytes) floats = NULL, negative = NULL, no_x = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *data;

  expect_error (wrong_c, 3, SQ_RASTER_ERROR_SHAPE,
                "set.npz: x has 2 channels per step, but the network has 3 inputs");
  expect_error (short_y, 2, SQ_RASTER_ERROR_SHAPE,
                "set.npz: y is (3,), expected (4,): one class label per sample of x");
  expect_error (neg_y, 2, SQ_RASTER_ERROR_VALUE,
                "set.npz: y[1] is -1, expected a class (0 or more)");

  floats = g_bytes_new (fnpy, len);
  expect_error (floats, 0, SQ_RASTER_ERROR_VALUE,
                "set.npz: x is float64; expected integer event counts (write it with "
                ".astype(np.uint8))");
  nnpy = sq_npy_write_array (SQ_NPY_INT8, 3, shape, nx, &len);
  negative = g_bytes_new (nnpy, len);
  expect_error (negative, 0, SQ_RASTER_ERROR_VALUE,
                "set.npz: x[0], step 1, channel 1: the count is -3, expected an event count "
                "(0 or more)");

  g_assert_true (sq_npz_writer_add_npy (w, "inputs", nnpy, len, &error));
  data = sq_npz_writer_finish (w, &len, &error);
  no_x = g_bytes_new_take (data, len);
  expect_error (no_x, 0, SQ_RASTER_ERROR_FORMAT,
                "set.npz: no member x; expected x (N, T, C) event counts and optionally y "
                "(N,) labels, as np.savez(path, x=x, y=y) writes them");
  {
    gsize s2[2] = { 2, 2 };
    g_autofree guint8 *flat = sq_npy_write_array (SQ_NPY_INT8, 2, s2, nx, &len);
    g_autoptr(GBytes) b = g_bytes_new (flat, len);

    expect_error (b, 0, SQ_RASTER_ERROR_SHAPE,
                  "set.npz: x is (2, 2), expected (N, T, C): samples, time steps, input "
                  "channels");
  }
}

/* A folder: files in byte order of their names, labels by name, ragged T refused. */
static void
test_folder (SqTestDir     *f,
             gconstpointer  data)
{
  g_autofree char *a = sq_test_dir_path (f, "b.csv"), *b = sq_test_dir_path (f, "a.json");
  g_autofree char *labels = sq_test_dir_path (f, "labels.csv");
  g_autofree char *c = sq_test_dir_path (f, "c.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = NULL;

  g_assert_true (g_file_set_contents (a, "1,0\n0,20\n", -1, NULL));
  g_assert_true (g_file_set_contents (b, "[[0, 1], [2, 0]]", -1, NULL));
  g_assert_true (g_file_set_contents (labels, "file,label\nb.csv,1\na.json,0\n", -1, NULL));
  set = sq_sample_set_load (f->dir, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set->n_samples, ==, 2);
  g_assert_cmpstr (set->names[0], ==, "a.json");
  g_assert_cmpstr (set->names[1], ==, "b.csv");
  g_assert_cmpint (set->labels[0], ==, 0);
  g_assert_cmpint (set->labels[1], ==, 1);
  g_assert_cmpuint (set->counts[2], ==, 2);
  g_assert_cmpuint (set->counts[7], ==, 15);
  g_assert_cmpuint (set->n_clipped, ==, 1);
  g_clear_pointer (&set, sq_sample_set_free);

  /* One label per line in file order; one too few. */
  g_assert_true (g_file_set_contents (labels, "1\n", -1, NULL));
  set = sq_sample_set_load (f->dir, 2, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message,
                            "labels.csv: 1 labels for 2 samples; expected one label per sample"));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (labels, "1\n0\n", -1, NULL));
  set = sq_sample_set_load (f->dir, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (set->labels[0], ==, 1);
  g_clear_pointer (&set, sq_sample_set_free);

  /* Ragged T: c.csv has three steps. */
  g_assert_true (g_file_set_contents (c, "1,0\n0,0\n0,0\n", -1, NULL));
  set = sq_sample_set_load (f->dir, 2, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE);
  g_assert_true (g_str_has_suffix (error->message,
                                      ": c.csv has 3 steps of 2 channels, but a.json has 2 of "
                                      "2; every sample must have the same"));
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (c), ==, 0);

  /* Wrong C for the network names the first file. */
  set = sq_sample_set_load (f->dir, 4, NULL, &error);
  g_assert_null (set);
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_SHAPE);
  g_assert_true (g_str_has_suffix (error->message,
                                      ": a.json has 2 channels per step, but the network has 4 "
                                      "inputs"));
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (labels), ==, 0);
  g_assert_cmpint (g_unlink (a), ==, 0);
  g_assert_cmpint (g_unlink (b), ==, 0);
}

/* ---------------------------------------------------------------------------------------- */

/* Classes by construction: 0, 1, none, and 1 by the tie rule (both channels once, channel
 * 1 first). Labels 0 1 0 0: right, right, wrong (silent), wrong (the tie goes to 1). */
static void
test_classes_by_hand (void)
{
  g_autoptr(SqNetwork) network = tiny ("10.5");
  g_autofree guint8 *x = four_samples ();
  const gint64 y[4] = { 0, 1, 0, 0 };
  g_autoptr(GBytes) bytes = npz_of (x, 4, y, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, 2, &error);
  g_autoptr(SqEvaluation) e = sq_test_evaluate (network, set, 8);
  const int want[4] = { 0, 1, -1, 1 };
  /* classes[float][int], class "none" in column 2: (0,0), (1,1) twice, (none,none) */
  const guint64 classes[9] = { 1, 0, 0, 0, 2, 0, 0, 0, 1 };
  /* confusion[label][class]: label 0 → 0, none, 1; label 1 → 1 */
  const guint64 confusion[6] = { 1, 1, 1, 0, 1, 0 };

  for (int i = 0; i < 4; i++)
    {
      g_assert_cmpint (e->samples[i].class_float, ==, want[i]);
      g_assert_cmpint (e->samples[i].class_int, ==, want[i]);
      g_assert_cmpint (e->samples[i].label, ==, y[i]);
    }
  /* The tie: both outputs fired as often, output 1 first. */
  g_assert_cmpuint (e->samples[3].events_float % 2, ==, 0);
  g_assert_cmpuint (e->samples[3].events_float, >, 0);
  /* Silence is silence in both models: every bin agrees. */
  g_assert_cmpuint (e->samples[2].events_float, ==, 0);
  g_assert_true (e->samples[2].raster >= 1.0);
  g_assert_cmpuint (e->samples[2].count_error, ==, 0);
  g_assert_cmpuint (e->n_class_agree, ==, 4);
  g_assert_true (e->has_labels);
  g_assert_cmpuint (e->n_correct_float, ==, 2);
  g_assert_cmpuint (e->n_correct_int, ==, 2);
  g_assert_cmpmem (e->classes, sizeof classes, classes, sizeof classes);
  g_assert_cmpmem (e->confusion_float, sizeof confusion, confusion, sizeof confusion);
  g_assert_cmpmem (e->confusion_int, sizeof confusion, confusion, sizeof confusion);
  g_assert_cmpuint (e->agreement->n_samples, ==, 4);
  g_assert_cmpuint (e->n_worst, ==, 4);
  /* The silent sample agrees everywhere: it is the best, so the last. */
  g_assert_cmpuint (e->worst[3], ==, 2);
}

/* At 3 weight bits (levels −3 … 3 of 10.5 / 3) the output weight 1.5 of path 1 becomes 0
 * (1.5 · 3 / 10.5 = 0.43 rounds to 0), while the thresholds stay 1 (2 · 3 / 10.5 = 0.57):
 * the integer core's output 1 never fires. Sample 1 (channel 1 alone) loses its class;
 * sample 3 (one event on each channel) is class 0 in both, as the weaker path 1 fires less
 * in the float model too. Labels 0 1 0 1: float right on 0 and 1, integer on 0 only. */
static void
test_quantization_changes_class (void)
{
  g_autoptr(SqNetwork) network = tiny ("1.5");
  g_autofree guint8 *x = four_samples ();
  const gint64 y[4] = { 0, 1, 0, 1 };
  g_autoptr(GBytes) bytes = npz_of (x, 4, y, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, 2, &error);
  g_autoptr(SqEvaluation) e = sq_test_evaluate (network, set, 3);
  g_autofree char *text = NULL;

  g_assert_cmpint (e->samples[0].class_float, ==, 0);
  g_assert_cmpint (e->samples[0].class_int, ==, 0);
  g_assert_cmpint (e->samples[1].class_float, ==, 1);
  g_assert_cmpint (e->samples[1].class_int, ==, -1);
  g_assert_cmpuint (e->samples[1].events_int, ==, 0);
  g_assert_cmpint (e->samples[3].class_float, ==, 0);
  g_assert_cmpint (e->samples[3].class_int, ==, 0);
  g_assert_cmpuint (e->n_class_agree, ==, 3);
  g_assert_cmpuint (e->n_correct_float, ==, 2);
  g_assert_cmpuint (e->n_correct_int, ==, 1);
  /* The one sample whose class changed is the worst. */
  g_assert_cmpuint (e->worst[0], ==, 1);
  /* Its count error is every float event of output 1. */
  g_assert_cmpuint (e->samples[1].count_error, ==, e->samples[1].events_float);
  text = sq_evaluation_text (e, set);
  g_assert_nonnull (strstr (text, "class agreement, float vs integer: 3 of 4 (75.0 %)\n"));
  g_assert_nonnull (strstr (text, "accuracy, float model: 2 of 4 (50.0 %)\n"));
  g_assert_nonnull (strstr (text, "accuracy, integer core: 1 of 4 (25.0 %)\n"));
}

/* 1 thread and every thread: every figure the same, bit for bit; a baseline reused gives
 * the same too. */
static void
test_threads (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_SMALL");
  g_autoptr(SqNetwork) network = sq_network_load (path, NULL, NULL, NULL, NULL, NULL);
  gsize n = 12, steps = 200, c = network->n_inputs;
  g_autofree guint8 *x = g_new0 (guint8, n * steps * c);
  g_autoptr(SqSampleSet) set = NULL;
  g_autoptr(SqEvalBaseline) base = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetworkResult) result = NULL;
  SqQuantSettings settings;
  SqEvaluation *e[3];

  for (gsize s = 0; s < n; s++)
    {
      SqRaster r;
      double rate = 0.05 + 0.03 * (double) s;

      g_assert_true (sq_raster_poisson (&r, steps, 1, &rate, s, NULL));
      for (gsize t = 0; t < steps; t++)
        x[(s * steps + t) * c + s % c] = r.counts[t];
      sq_raster_clear (&r);
    }
  {
    gsize shape[3] = { n, steps, c }, len;
    g_autofree guint8 *npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);

    set = sq_sample_set_load_data (npy, len, "x.npy", c, &error);
    g_assert_no_error (error);
  }
  sq_quant_settings_init (&settings, network->kind);
  g_assert_true (sq_quant_settings_set (&settings, "weight-bits", 4, NULL));
  result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);

  _sq_parallel_set_threads (1);
  e[0] = sq_evaluate (result, NULL, set, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  _sq_parallel_set_threads (0);
  e[1] = sq_evaluate (result, NULL, set, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  base = sq_eval_baseline_new (network, set, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  e[2] = sq_evaluate (result, NULL, set, base, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (int k = 1; k < 3; k++)
    {
      g_assert_cmpmem (e[0]->samples, n * sizeof (SqSampleEval), e[k]->samples,
                       n * sizeof (SqSampleEval));
      g_assert_cmpmem (e[0]->worst, sizeof e[0]->worst, e[k]->worst, sizeof e[k]->worst);
      g_assert_cmpuint (e[0]->agreement->n_bins_equal, ==, e[k]->agreement->n_bins_equal);
      g_assert_cmpmem (e[0]->agreement->hidden_int, network->n_hidden * 8,
                       e[k]->agreement->hidden_int, network->n_hidden * 8);
    }
  /* The set is not trivial: the samples have output events. */
  g_assert_cmpuint (e[0]->agreement->out_float[0] + e[0]->agreement->out_float[1], >, 0);
  /* Shares of the samples run on one prepared simulator each: every sample's run is the
   * one sq_network_run() gives it alone. */
  for (gsize s = 0; s < n; s++)
    {
      g_autoptr(SqSimResult) alone = NULL, alone_float = NULL;
      guint64 events = 0, events_float = 0;
      SqRaster r;

      sq_sample_set_raster (set, s, &r);
      alone = sq_network_run (result->quantized, NULL, SQ_SIM_INTEGER, &r, FALSE, NULL, NULL,
                              NULL, &error);
      g_assert_no_error (error);
      alone_float = sq_network_run (network, NULL, SQ_SIM_FLOAT, &r, FALSE, NULL, NULL, NULL,
                                    &error);
      g_assert_no_error (error);
      for (gsize o = 0; o < alone->n_out; o++)
        {
          events += alone->out_events[o];
          events_float += alone_float->out_events[o];
        }
      g_assert_cmpuint (e[0]->samples[s].events_int, ==, events);
      g_assert_cmpuint (e[0]->samples[s].events_float, ==, events_float);
    }
  for (int k = 0; k < 3; k++)
    sq_evaluation_free (e[k]);
}

static SqNetworkResult *
quantize_default (SqNetwork *network)
{
  g_autoptr(GError) error = NULL;
  SqQuantSettings settings;
  SqNetworkResult *result;

  sq_quant_settings_init (&settings, network->kind);
  result = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
count_progress (double   fraction,
                gpointer data)
{
  GCancellable *cancellable = data;

  /* Cancel as soon as the first sample is done. */
  g_cancellable_cancel (cancellable);
}

static void
test_cancel (void)
{
  g_autoptr(SqNetwork) network = tiny ("10.5");
  g_autofree guint8 *x = four_samples ();
  g_autoptr(GBytes) bytes = npz_of (x, 4, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, 2, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SqNetworkResult) result = quantize_default (network);
  g_autoptr(SqEvaluation) e = NULL;

  e = sq_evaluate (result, NULL, set, NULL, cancellable, count_progress, cancellable, &error);
  g_assert_null (e);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A label beyond the network's outputs. */
static void
test_label_range (void)
{
  g_autoptr(SqNetwork) network = tiny ("10.5");
  g_autofree guint8 *x = four_samples ();
  const gint64 y[4] = { 0, 1, 2, 0 };
  g_autoptr(GBytes) bytes = npz_of (x, 4, y, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, 2, &error);
  g_autoptr(SqNetworkResult) result = quantize_default (network);
  g_autoptr(SqEvaluation) e = NULL;

  e = sq_evaluate (result, NULL, set, NULL, NULL, NULL, NULL, &error);
  g_assert_null (e);
  g_assert_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "set.npz: x[2]: the label is 2, but the network's classes (its outputs) are "
                   "0 to 1");
}

/* Axes: ranges, lists, both, all, duplicates dropped, every value checked by the kind. */
static void
test_sweep_axes (void)
{
  g_autoptr(SqNetwork) network = tiny ("10.5");
  g_autoptr(SqSweep) sweep = NULL;
  g_autoptr(GError) error = NULL;
  SqQuantSettings base;
  const SqSweepAxis *axis;

  sq_quant_settings_init (&base, network->kind);
  sweep = sq_sweep_new (network, &base);
  g_assert_true (sq_sweep_add_axis (sweep, "weight-bits", "2-4,8,3", &error));
  g_assert_no_error (error);
  axis = &g_array_index (sweep->axes, SqSweepAxis, 0);
  g_assert_cmpuint (axis->n_values, ==, 4);
  g_assert_cmpint (axis->values[0], ==, 2);
  g_assert_cmpint (axis->values[2], ==, 4);
  g_assert_cmpint (axis->values[3], ==, 8);
  g_assert_true (sq_sweep_add_axis (sweep, "fuzzy", "both", &error));
  g_assert_true (sq_sweep_add_axis (sweep, "method", "all", &error));
  g_assert_cmpuint (sq_sweep_n_rows (sweep), ==, 4 * 2 * 2);

  g_assert_false (sq_sweep_add_axis (sweep, "weight-bits", "6", &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_assert_cmpstr (error->message, ==,
                   "weight bits is swept twice; give all its values at once (2,4,8)");
  g_clear_error (&error);
  g_assert_false (sq_sweep_add_axis (sweep, "threshold-bits", "8,99", &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_clear_error (&error);
  g_assert_false (sq_sweep_add_axis (sweep, "mode", "synquant,exact", &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_clear_error (&error);
  g_assert_false (sq_sweep_add_axis (sweep, "colour", "red", &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING);
  g_assert_cmpuint (sweep->axes->len, ==, 3);
}

/* Each row is what sq_network_quantize and sq_evaluate give for its settings. */
static void
test_sweep_rows (void)
{
  g_autoptr(SqNetwork) network = tiny ("1.5");
  g_autofree guint8 *x = four_samples ();
  const gint64 y[4] = { 0, 1, 0, 1 };
  g_autoptr(GBytes) bytes = npz_of (x, 4, y, 4);
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = set_of (bytes, 2, &error);
  g_autoptr(SqSweep) sweep = NULL;
  SqQuantSettings base;

  sq_quant_settings_init (&base, network->kind);
  sweep = sq_sweep_new (network, &base);
  g_assert_true (sq_sweep_add_axis (sweep, "weight-bits", "3,8", &error));
  g_assert_true (sq_sweep_run (sweep, NULL, set, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sweep->rows->len, ==, 2);
  for (guint r = 0; r < 2; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);
      g_autoptr(SqNetworkResult) result = sq_network_quantize (network, &row->settings,
                                                               SQ_QUANTIZE_DEFAULT, NULL,
                                                               &error);
      g_autoptr(SqEvaluation) e = sq_evaluate (result, NULL, set, NULL, NULL, NULL, NULL,
                                               &error);

      g_assert_no_error (error);
      g_assert_cmpint (sq_quant_settings_get (&row->settings, "weight-bits"), ==,
                       r ? 8 : 3);
      g_assert_true (row->evaluated);
      g_assert_cmpuint (row->n_class_agree, ==, e->n_class_agree);
      g_assert_cmpuint (row->n_correct_int, ==, e->n_correct_int);
      g_assert_cmpuint (row->total.clipped, ==, result->total.clipped);
      g_assert_cmpmem (&row->total, sizeof row->total, &result->total, sizeof result->total);
      g_assert_true (row->fits);
    }
  g_assert_cmpuint (g_array_index (sweep->rows, SqSweepRow, 0).n_class_agree, ==, 3);
}

/* Another kind: its own options are the axes; a kind that cannot simulate says so when a
 * sweep asks it to evaluate. */
static void
test_sweep_toy (void)
{
  const double w[3][2] = { { 1.0, -0.5 }, { 0.25, 0.0 }, { 2.0, 0.75 } };
  const double thr[2] = { 1.0, 1.0 };
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "net.toy", NULL);
  g_autoptr(SqNetwork) network = NULL;
  g_autoptr(SqSweep) sweep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SqSampleSet) set = NULL;
  SqQuantSettings base;

  sq_test_toy_register ();
  sq_test_toy_write (path, w, thr);
  network = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  sq_quant_settings_init (&base, network->kind);
  sweep = sq_sweep_new (network, &base);
  g_assert_true (sq_sweep_add_axis (sweep, "weight-bits", "2-4", &error));
  g_assert_true (sq_sweep_add_axis (sweep, "method", "all", &error));
  g_assert_true (sq_sweep_run (sweep, NULL, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sweep->rows->len, ==, 6);
  g_assert_cmpstr (sweep->device->name, ==, "dynapcnn");
  for (guint r = 0; r < 6; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);
      g_autoptr(SqNetworkResult) result = sq_network_quantize (network, &row->settings,
                                                               SQ_QUANTIZE_DEFAULT, NULL,
                                                               &error);

      g_assert_no_error (error);
      /* The axis added last (method) varies fastest. */
      g_assert_cmpint (sq_quant_settings_get (&row->settings, "weight-bits"), ==, 2 + r / 2);
      g_assert_cmpint (sq_quant_settings_get (&row->settings, "method"), ==, r % 2);
      g_assert_cmpmem (&row->total, sizeof row->total, &result->total, sizeof result->total);
      g_assert_true (row->fits);
      g_assert_false (row->evaluated);
    }
  {
    gsize shape[3] = { 1, 2, 3 }, len;
    const guint8 x[6] = { 0 };
    g_autofree guint8 *npy = sq_npy_write_array (SQ_NPY_UINT8, 3, shape, x, &len);

    set = sq_sample_set_load_data (npy, len, "x.npy", 3, &error);
    g_assert_no_error (error);
  }
  g_assert_false (sq_sweep_run (sweep, NULL, set, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED);
  g_assert_cmpuint (sweep->rows->len, ==, 0);
  sq_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/evaluate/set/npz", test_npz);
  g_test_add_func ("/evaluate/set/npy", test_npy);
  g_test_add_func ("/evaluate/set/malformed", test_malformed);
  g_test_add ("/evaluate/set/folder", SqTestDir, NULL, sq_test_dir_setup, test_folder,
              sq_test_dir_teardown);
  g_test_add_func ("/evaluate/classes/by-hand", test_classes_by_hand);
  g_test_add_func ("/evaluate/classes/quantization", test_quantization_changes_class);
  g_test_add_func ("/evaluate/threads", test_threads);
  g_test_add_func ("/evaluate/cancel", test_cancel);
  g_test_add_func ("/evaluate/label-range", test_label_range);
  g_test_add_func ("/evaluate/sweep/axes", test_sweep_axes);
  g_test_add_func ("/evaluate/sweep/rows", test_sweep_rows);
  g_test_add_func ("/evaluate/sweep/toy", test_sweep_toy);
  return g_test_run ();
}
