/* test-quant-sparse-figures.c: a sparse group's figures and error histogram, counted over
 * its non-zero pairs alone, are the dense pass's bit for bit
 *
 * The Xylo-size example's recurrent weights (97 % zeros) are given −0.0 weights (listed:
 * they are not +0.0), pairs holding one −0.0 and one +0.0, and weights that land exactly
 * half-way between two levels (rint's ties, some of them −0.5 → −0: non-zero weights
 * zeroed). The network is loaded twice: once with sparse forms, once without (every pass
 * dense). Under every method, mode, fuzzy range and a few weight bits (some of which clip),
 * each group's histogram, statistics and figures must be the same bits both ways; the
 * sparse network must have taken the sparse pass for its recurrent weights, and its counts
 * must be those the test counts itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <synquant.h>

#include "sq-quant-kernels-private.h"
#include "sq-test-utils.h"

static gboolean
same_double (double a,
             double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

static void
assert_same_figures (const SqGroupFigures *a,
                     const SqGroupFigures *b)
{
  g_assert_cmpuint (a->figures.n_values, ==, b->figures.n_values);
  g_assert_cmpuint (a->figures.n_nonzero, ==, b->figures.n_nonzero);
  g_assert_cmpuint (a->figures.clipped, ==, b->figures.clipped);
  g_assert_cmpuint (a->figures.out_of_range, ==, b->figures.out_of_range);
  g_assert_cmpuint (a->figures.zeroed, ==, b->figures.zeroed);
  /* Bits, not values: a sum in another order may differ in the last one. */
  g_assert_true (same_double (a->figures.signal, b->figures.signal));
  g_assert_true (same_double (a->figures.noise, b->figures.noise));
  g_assert_true (same_double (a->figures.max_abs_error, b->figures.max_abs_error));
  g_assert_cmpint (a->decay, ==, b->decay);
  g_assert_true (same_double (a->range_lo, b->range_lo));
  g_assert_true (same_double (a->range_hi, b->range_hi));
  g_assert_cmpuint (a->at_lo, ==, b->at_lo);
  g_assert_cmpuint (a->at_hi, ==, b->at_hi);
  g_assert_true (same_double (a->tau_error, b->tau_error));
}

/* The example with −0.0 weights, mixed pairs and, at @scale (the recurrent weights' global
 * scale at 8 bits), weights whose scaled value is exactly k + ½. Returns how many ties. */
static gsize
make_spec (SqXyloSpec *spec,
           double      scale)
{
  SqTensor *rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  gsize syn = rec->rank == 3 ? rec->shape[2] : 1, ties = 0, seen = 0;

  g_assert_cmpuint (syn, ==, 2);
  for (gsize i = 0; i < rec->n; i++)
    {
      double *x = &rec->data[i];

      if (!(*x < 0.0 || *x > 0.0))
        {
          /* Whole pairs of −0.0, and pairs of −0.0 beside +0.0. */
          if (i % 211 == 0)
            *x = -0.0;
          continue;
        }
      if (scale > 0.0 && seen++ % 7 == 0)
        {
          double target = (double) ((gssize) (i % 6) - 2) + 0.5;   /* −1.5 … 3.5 */
          double t = target / scale;

          /* The nearest float whose product with the scale is exactly the tie. */
          for (int k = 0; k < 8 && t * scale < target; k++)
            t = nextafter (t, INFINITY);
          for (int k = 0; k < 8 && t * scale > target; k++)
            t = nextafter (t, -INFINITY);
          if (!(t * scale < target) && !(t * scale > target))
            {
              *x = t;
              ties++;
            }
        }
    }
  return ties;
}

static SqNetwork *
load_network (const char *path)
{
  g_autoptr(GError) error = NULL;
  SqNetwork *n;

  n = sq_network_load (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return n;
}

static SqNetworkResult *
quantize (SqNetwork             *network,
          const SqQuantSettings *settings,
          gboolean               sparse)
{
  g_autoptr(GError) error = NULL;
  SqNetworkResult *r;

  /* The network keeps the sparse forms (or their absence) of its first quantization. */
  _sq_quant_sparse_set_enabled (sparse);
  r = sq_network_quantize (network, settings, SQ_QUANTIZE_MARKERS, NULL, &error);
  _sq_quant_sparse_set_enabled (TRUE);
  g_assert_no_error (error);
  return r;
}

/* Whether the kind counts @group of @r through its sparse pass. */
static gboolean
takes_sparse_pass (const SqNetworkResult *r,
                   guint                  group)
{
  gsize n = sq_network_get_group (r->network, group)->values->n;
  guint parts = (guint) MAX ((n + 65535) / 65536, 1);
  g_autofree SqGroupFigures *figs = g_new0 (SqGroupFigures, parts);
  SqStats st;

  sq_stats_init (&st);
  return r->network->kind->sparse_errors (r, group, 2048, 65536, figs, NULL, &st);
}

static void
test_sparse_figures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_json (g_getenv ("SQ_EXAMPLE_XYLO"), &error);
  g_autofree char *dir = sq_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "sparse.json", NULL);
  g_autoptr(SqNetwork) sparse = NULL;
  g_autoptr(SqNetwork) dense = NULL;
  static const guint weight_bits[] = { 2, 4, 8 };
  SqQuantSettings settings;
  gsize ties, exact_ties = 0, signed_zeros = 0, nonzero = 0;
  gsize clipped = 0, zeroed = 0, out_of_range = 0;
  double scale;
  guint rec;

  g_assert_no_error (error);
  /* The global scale of the recurrent weights at 8 bits, which the ties are made for (it
   * comes from the largest weight, which they do not change). */
  {
    g_autoptr(SqNetwork) n = load_network (g_getenv ("SQ_EXAMPLE_XYLO"));
    g_autoptr(SqNetworkResult) r = NULL;

    sq_quant_settings_init (&settings, n->kind);
    r = quantize (n, &settings, TRUE);
    g_assert_true (sq_network_find_group (n, "weights_rec", &rec));
    scale = sq_network_result_get_group (r, rec)->scale;
    g_assert_cmpfloat (scale, >, 0.0);
  }
  ties = make_spec (spec, scale);
  g_assert_cmpuint (ties, >, 1000);
  g_assert_true (sq_xylo_spec_save_json (spec, path, &error));
  g_assert_no_error (error);

  sparse = load_network (path);
  dense = load_network (path);
  {
    const SqTensor *v = sq_network_get_group (sparse, rec)->values;

    for (gsize i = 0; i < v->n; i++)
      {
        signed_zeros += !(v->data[i] < 0.0 || v->data[i] > 0.0) && signbit (v->data[i]);
        nonzero += v->data[i] < 0.0 || v->data[i] > 0.0;
      }
    /* The −0.0 weights came through the file. */
    g_assert_cmpuint (signed_zeros, >, 1000);
  }

  for (guint k = 0; k < 2 * 2 * 2 * G_N_ELEMENTS (weight_bits); k++)
    {
      guint b = k % G_N_ELEMENTS (weight_bits), fuzzy = k / 3 % 2, mode = k / 6 % 2;
      guint method = k / 12;
      g_autoptr(SqNetworkResult) rs = NULL;
      g_autoptr(SqNetworkResult) rd = NULL;

      sq_quant_settings_init (&settings, sparse->kind);
      g_assert_true (sq_quant_settings_set_string (&settings, "method",
                                                   method ? "channel" : "global", &error));
      g_assert_true (sq_quant_settings_set_string (&settings, "mode",
                                                   mode ? "rockpool" : "synquant", &error));
      g_assert_true (sq_quant_settings_set (&settings, "fuzzy", (int) fuzzy, &error));
      g_assert_true (sq_quant_settings_set (&settings, "weight-bits", (int) weight_bits[b],
                                            &error));
      g_assert_no_error (error);
      rs = quantize (sparse, &settings, TRUE);
      rd = quantize (dense, &settings, FALSE);
      g_assert_true (takes_sparse_pass (rs, rec));
      g_assert_false (takes_sparse_pass (rd, rec));

      if (method == 0 && fuzzy == 0 && weight_bits[b] == 8)
        {
          const SqTensor *v = sq_network_get_group (sparse, rec)->values;
          double s = sq_network_result_get_group (rs, rec)->scale;

          g_assert_true (same_double (s, scale));
          for (gsize i = 0; i < v->n; i++)
            {
              double t = v->data[i] * s, frac = fabs (t - trunc (t));

              exact_ties += !(frac < 0.5) && !(frac > 0.5);
            }
        }

      for (guint g = 0; g < sq_network_n_groups (sparse); g++)
        {
          SqHistogram hs, hd;
          SqStats ss, sd;
          SqGroupFigures fs, fd;

          g_assert_true (sq_network_result_error_histogram_figures (rs, g, 64, &hs, &ss, &fs,
                                                                    &error));
          g_assert_true (sq_network_result_error_histogram_figures (rd, g, 64, &hd, &sd, &fd,
                                                                    &error));
          g_assert_no_error (error);
          sq_test_assert_same_errors (&hs, &ss, &hd, &sd);
          assert_same_figures (&fs, &fd);
          if (g == rec)
            {
              g_assert_cmpuint (fs.figures.n_values, ==,
                                sq_network_get_group (sparse, rec)->values->n);
              g_assert_cmpuint (fs.figures.n_nonzero, ==, nonzero);
              g_assert_cmpuint (hs.n, ==, fs.figures.n_values);
              g_assert_cmpuint (fs.figures.zeroed, <=, fs.figures.n_nonzero);
              clipped += fs.figures.clipped;
              zeroed += fs.figures.zeroed;
              out_of_range += fs.figures.out_of_range;
            }
          sq_histogram_clear (&hs);
          sq_histogram_clear (&hd);
        }
    }
  /* The cases the sparse pass must get right did occur. */
  g_assert_cmpuint (exact_ties, >=, ties);
  g_assert_cmpuint (clipped, >, 0);
  g_assert_cmpuint (zeroed, >, 0);
  g_assert_cmpuint (out_of_range, >, 0);
  sq_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quant-sparse-figures/dense-bits", test_sparse_figures);
  return g_test_run ();
}
