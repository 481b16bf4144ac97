/* test-robustness-draws.c: every draw of a robustness run is what its network gives alone
 *
 * sq_robustness_run() prepares one simulator per draw and runs every sample on it, the
 * draws spread over the threads (sq-robustness.c). Here each draw is burnt in again and
 * every sample run on a fresh simulator (sq_network_run()), and the figures are added up
 * as the report defines them: a simulator reused without its reset, a draw's network or
 * figures mixed up with another's, or a figure that depends on the threads would show.
 * The trained small example carries state from one sample's end into the next (its
 * membranes and synapses have not decayed to zero after 100 steps), so a missing reset
 * changes figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <synquant.h>

#include "sq-parallel-private.h"

#define N_DRAWS 6
#define SEED    5

static const char config_json[] =
  "{\"transforms\": ["
  " {\"family\": \"weights\", \"transform\": \"stochastic_rounding\", \"num_levels\": 16},"
  " {\"group\": \"weights_rec\", \"transform\": \"dropout\", \"probability\": 0.2}]}";

typedef struct {
  SqNetwork         *network;
  SqSampleSet       *set;
  SqTransformConfig *config;
  SqQuantSettings    settings;
  SqSimResult      **reference;   /* the float model, per sample */
} Fixture;

static SqSimResult *
run_alone (SqNetwork         *network,
           SqSimModel         model,
           const SqSampleSet *set,
           gsize              i)
{
  g_autoptr(GError) error = NULL;
  SqRaster raster;
  SqSimResult *r;

  sq_sample_set_raster (set, i, &raster);
  r = sq_network_run (network, NULL, model, &raster, FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return r;
}

static void
fixture_init (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (g_getenv ("SQ_EXAMPLE_TRAINED"));
  g_autofree char *samples = g_build_filename (dir, "small-samples.npz", NULL);

  f->network = sq_network_load (g_getenv ("SQ_EXAMPLE_TRAINED"), NULL, NULL, NULL, NULL,
                                &error);
  g_assert_no_error (error);
  f->set = sq_sample_set_load (samples, f->network->n_inputs, NULL, &error);
  g_assert_no_error (error);
  f->config = sq_transform_config_load_data (config_json, strlen (config_json), "t.json",
                                             &error);
  g_assert_no_error (error);
  sq_quant_settings_init (&f->settings, f->network->kind);
  f->reference = g_new0 (SqSimResult *, f->set->n_samples);
  for (gsize i = 0; i < f->set->n_samples; i++)
    f->reference[i] = run_alone (f->network, SQ_SIM_FLOAT, f->set, i);
}

static void
fixture_clear (Fixture *f)
{
  for (gsize i = 0; i < f->set->n_samples; i++)
    sq_sim_result_free (f->reference[i]);
  g_free (f->reference);
  sq_transform_config_free (f->config);
  sq_sample_set_free (f->set);
  sq_network_unref (f->network);
}

/* Draw @k's figures from fresh simulators, added as sq-robustness.c defines them. */
static void
figures_alone (Fixture             *f,
               gboolean             integer,
               guint                k,
               SqRobustnessFigures *want)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqNetwork) drawn = sq_transform_config_apply (f->config, f->network, SEED, k,
                                                          &error);
  g_autoptr(SqNetworkResult) result = NULL;
  SqNetwork *run = drawn;
  double raster = 0.0;

  g_assert_no_error (error);
  if (integer)
    {
      result = sq_network_quantize (drawn, &f->settings, SQ_QUANTIZE_DEFAULT, NULL, &error);
      g_assert_no_error (error);
      run = result->quantized;
    }
  memset (want, 0, sizeof *want);
  for (gsize i = 0; i < f->set->n_samples; i++)
    {
      g_autoptr(SqSimResult) r = run_alone (run, integer ? SQ_SIM_INTEGER : SQ_SIM_FLOAT,
                                            f->set, i);
      const SqSimResult *ref = f->reference[i];
      gsize bins = r->n_steps * r->n_out, equal = 0;
      int c = sq_sim_result_class (r);

      want->n_class_agree += c == sq_sim_result_class (ref);
      want->n_correct += c == f->set->labels[i];
      for (gsize b = 0; b < bins; b++)
        equal += r->spikes_out[b] == ref->spikes_out[b];
      raster += (double) equal / (double) bins;
      for (gsize o = 0; o < r->n_out; o++)
        want->events += r->out_events[o];
    }
  want->raster = raster / (double) f->set->n_samples;
}

static void
check_draws (gboolean integer)
{
  Fixture f = { 0 };
  SqRobustnessOptions options = { N_DRAWS, SEED, NULL, NULL };
  g_autoptr(SqRobustness) one = NULL;
  g_autoptr(SqRobustness) many = NULL;
  g_autoptr(GError) error = NULL;
  gsize differ = 0;

  fixture_init (&f);
  if (integer)
    options.settings = &f.settings;
  _sq_parallel_set_threads (1);
  one = sq_robustness_run (f.network, f.config, f.set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  _sq_parallel_set_threads (0);
  many = sq_robustness_run (f.network, f.config, f.set, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpmem (one->draws, N_DRAWS * sizeof (SqRobustnessFigures), many->draws,
                   N_DRAWS * sizeof (SqRobustnessFigures));
  g_assert_cmpmem (&one->plain, sizeof one->plain, &many->plain, sizeof many->plain);
  for (guint k = 0; k < N_DRAWS; k++)
    {
      SqRobustnessFigures want;

      figures_alone (&f, integer, k, &want);
      g_assert_cmpuint (many->draws[k].n_class_agree, ==, want.n_class_agree);
      g_assert_cmpuint (many->draws[k].n_correct, ==, want.n_correct);
      g_assert_cmpuint (many->draws[k].events, ==, want.events);
      g_assert_cmpfloat (many->draws[k].raster, ==, want.raster);
      differ += want.events != many->plain.events;
    }
  /* The draws are not the untransformed network over again. */
  g_assert_cmpuint (differ, >, 0);
  if (!integer)
    {
      /* The untransformed float model is the reference itself. */
      g_assert_cmpuint (one->plain.n_class_agree, ==, f.set->n_samples);
      g_assert_cmpfloat (one->plain.raster, ==, 1.0);
      g_assert_cmpuint (one->plain.events, ==, one->reference_events);
    }
  fixture_clear (&f);
}

static void
test_float_draws (void)
{
  check_draws (FALSE);
}

static void
test_integer_draws (void)
{
  check_draws (TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/robustness-draws/float", test_float_draws);
  g_test_add_func ("/robustness-draws/integer", test_integer_draws);
  return g_test_run ();
}
