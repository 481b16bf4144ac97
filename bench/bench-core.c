/* bench-core.c: the performance targets of libsynquant, measured on the Xylo-size example
 * network (16×1000×2 input, 1000×1000×2 recurrent, 1000×8 output weights: 2.04 M values).
 *
 * Each figure is the median of several runs, on every core the machine has (the passes over
 * the weights are split between threads, sq-parallel.c; the count is printed), reported
 * next to its target as a ratio: ratio ≤ 1 meets the target. The exit status is 1
 * when a target is missed, so `meson test --benchmark` shows it.
 *
 * The network model's quantization (what synquant-cli quantize and compare call) is timed
 * against the direct sq_quantize() it wraps, run for run in turn: at most 10 % more, so work
 * its callers do not read (markers, statistics, a second copy) cannot creep back into it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include <synquant.h>

#include "bench-util.h"
#include "sq-parallel-private.h"

typedef struct {
  const char *name;
  double      target_ms;
  double      median_ms;
} Figure;

static gboolean
report (const Figure *f)
{
  return bench_report (f->name, f->median_ms, f->target_ms);
}

/* sq_quantize: a new integer spec, as the Xylo kind's quantization makes it. */
static double
bench_quantize (const SqXyloSpec *spec,
                SqMethod          method,
                SqMode            mode,
                int               runs)
{
  g_autofree double *t = g_new (double, runs);
  SqQuantParams params;

  sq_quant_params_init (&params);
  params.method = method;
  params.mode = mode;
  for (int i = 0; i < runs; i++)
    {
      double t0 = bench_now_ms ();
      g_autoptr(SqQuantResult) r = sq_quantize (spec, &params, NULL);

      t[i] = bench_now_ms () - t0;
      g_assert_nonnull (r);
    }
  return bench_median (t, runs);
}

#define MODEL_RUNS 15
#define MODEL_MARGIN 1.1

static SqNetwork *
load_network (const char *path)
{
  g_autoptr(GError) error = NULL;
  SqNetwork *n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  return n;
}

/* sq_network_quantize() against sq_quantize() of the same specification, in turn so a busy
 * machine slows both alike, each result freed before the next is made; then
 * sq_network_quantize_consume() (synquant-cli quantize) on a network loaded from @npz for
 * each run, outside the timing. */
static gboolean
bench_model (const char *npz,
             SqMethod    method)
{
  g_autoptr(SqNetwork) network = load_network (npz);
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_npz (npz, NULL);
  const char *name = method == SQ_METHOD_CHANNEL ? "channel" : "global";
  double direct[MODEL_RUNS], model[MODEL_RUNS], consume[MODEL_RUNS], target;
  g_autofree char *direct_name = NULL, *model_name = NULL, *consume_name = NULL;
  SqQuantSettings settings;
  SqQuantParams params;
  gboolean ok = TRUE;

  sq_quant_params_init (&params);
  params.method = method;
  sq_quant_settings_init (&settings, network->kind);
  g_assert_true (sq_quant_settings_set_string (&settings, "method", name, NULL));
  for (int i = 0; i < MODEL_RUNS; i++)
    {
      SqNetworkResult *r;
      SqQuantResult *q;
      double t0;

      t0 = bench_now_ms ();
      q = sq_quantize (spec, &params, NULL);
      direct[i] = bench_now_ms () - t0;
      sq_quant_result_free (q);

      t0 = bench_now_ms ();
      r = sq_network_quantize (network, &settings, SQ_QUANTIZE_DEFAULT, NULL, NULL);
      model[i] = bench_now_ms () - t0;
      sq_network_result_unref (r);
    }
  for (int i = 0; i < MODEL_RUNS; i++)
    {
      SqNetwork *copy = load_network (npz);
      double t0 = bench_now_ms ();
      g_autoptr(SqNetworkResult) r = sq_network_quantize_consume (copy, &settings,
                                                                  SQ_QUANTIZE_DEFAULT, NULL,
                                                                  NULL);

      consume[i] = bench_now_ms () - t0;
      g_assert_true (r->flags & SQ_QUANTIZE_IN_PLACE);
    }

  direct_name = g_strdup_printf ("sq_quantize %s (reference for the next two)", name);
  model_name = g_strdup_printf ("sq_network_quantize %s (%.1fx the reference)", name,
                                MODEL_MARGIN);
  consume_name = g_strdup_printf ("sq_network_quantize_consume %s (%.1fx)", name,
                                  MODEL_MARGIN);
  target = MODEL_MARGIN * bench_median (direct, MODEL_RUNS);
  printf ("%-52s %9.2f ms\n", direct_name, target / MODEL_MARGIN);
  ok &= bench_report (model_name, bench_median (model, MODEL_RUNS), target);
  ok &= bench_report (consume_name, bench_median (consume, MODEL_RUNS), target);
  return ok;
}

int
main (int   argc,
      char *argv[])
{
  const char *path = argc > 1 ? argv[1] : g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(SqXyloSpec) spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL, *npz = NULL;
  double t[7];
  gboolean ok = TRUE;
  struct rusage usage;
  Figure f;
  SqHistogram hist;

  if (path == NULL)
    {
      fprintf (stderr, "usage: bench-core XYLO-SIZE.json\n");
      return 2;
    }

  /* Load first, alone, so the peak resident size below is the loader's. */
  for (int i = 0; i < 5; i++)
    {
      double t0 = bench_now_ms ();
      g_autoptr(SqXyloSpec) s = sq_xylo_spec_load_json (path, &error);

      g_assert_no_error (error);
      t[i] = bench_now_ms () - t0;
      if (i == 4)
        spec = g_steal_pointer (&s);
    }
  getrusage (RUSAGE_SELF, &usage);
  printf ("network: %s, %" G_GSIZE_FORMAT " weights; quantization passes on %u threads\n",
          path, sq_xylo_spec_n_weights (spec), _sq_parallel_n_threads ());

  f = (Figure) { "load JSON", 1500.0, bench_median (t, 5) };
  ok &= report (&f);
  printf ("%-40s %9.1f MB   target ≤ %7.1f MB   ratio %.2f  %s\n", "load JSON peak memory",
          usage.ru_maxrss / 1024.0, 512.0, usage.ru_maxrss / 1024.0 / 512.0,
          usage.ru_maxrss / 1024.0 <= 512.0 ? "ok" : "MISSED");
  ok &= usage.ru_maxrss / 1024.0 <= 512.0;

  /* The same network as an .npz archive of float64 members (what np.savez makes of a float
   * spec): loading it must take at most a tenth of the JSON's time. */
  {
    double json_ms = f.median_ms, tn[9];

    dir = g_dir_make_tmp ("synquant-bench-XXXXXX", &error);
    g_assert_no_error (error);
    npz = g_build_filename (dir, "xylo-audio2.npz", NULL);
    g_assert_true (sq_xylo_spec_save_npz (spec, npz, &error));
    for (int i = 0; i < 9; i++)
      {
        double t0 = bench_now_ms ();
        g_autoptr(SqXyloSpec) s = sq_xylo_spec_load_npz (npz, &error);

        g_assert_no_error (error);
        tn[i] = bench_now_ms () - t0;
        g_assert_cmpuint (sq_xylo_spec_n_weights (s), ==, sq_xylo_spec_n_weights (spec));
      }
    f = (Figure) { "load .npz (target: JSON load / 10)", json_ms / 10.0, bench_median (tn, 9) };
    ok &= report (&f);
    printf ("%-52s %9.1f×\n", "load .npz speed-up over JSON", json_ms / f.median_ms);
  }

  for (guint m = 0; m < 2; m++)
    for (guint mode = 0; mode < 2; mode++)
      {
        g_autofree char *name = g_strdup_printf ("quantize %s (%s)", m ? "channel" : "global",
                                                 mode ? "rockpool" : "synquant");

        f = (Figure) { name, 10.0,
                       bench_quantize (spec, m ? SQ_METHOD_CHANNEL : SQ_METHOD_GLOBAL,
                                       mode ? SQ_MODE_ROCKPOOL : SQ_MODE_SYNQUANT, 15) };
        ok &= report (&f);
      }
  ok &= bench_model (npz, SQ_METHOD_GLOBAL);
  ok &= bench_model (npz, SQ_METHOD_CHANNEL);
  g_unlink (npz);
  g_rmdir (dir);

  /* 1 M values: the first million recurrent weights. */
  {
    const SqTensor *rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
    g_autofree double *th = g_new (double, 21);
    SqStats st;

    g_assert_cmpuint (rec->n, >=, 1000000);
    sq_tensor_stats (rec, &st);
    g_assert_true (sq_histogram_init (&hist, st.min, st.max, 256, NULL));
    for (int i = 0; i < 21; i++)
      {
        double t0 = bench_now_ms ();

        sq_histogram_reset (&hist);
        sq_histogram_add (&hist, rec->data, 1000000);
        th[i] = bench_now_ms () - t0;
      }
    g_assert_cmpuint (hist.n, ==, 1000000);
    sq_histogram_clear (&hist);
    f = (Figure) { "histogram of 1 M values", 5.0, bench_median (th, 21) };
    ok &= report (&f);
  }

  return ok ? 0 : 1;
}
