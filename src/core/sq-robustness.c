/* sq-robustness.c: Monte-Carlo robustness of a network under a transform configuration
 *
 * The float model runs once over the set (the reference); then the untransformed network and
 * every draw run through the same path — their own float model, or their quantization's
 * integer core — against it. The untransformed network's float model is the reference
 * itself, so that path does not run it again. The draws are the parts of one pass on the
 * shared pool (sq-parallel.c): a part burns its draw in, quantizes it, prepares one simulator
 * for it and runs every sample on that simulator, so nothing of a draw waits for another
 * thread, the fan-out lists are built once per draw, and each thread holds one drawn network
 * at a time. A draw's network depends only on (seed, draw) and each sample's figures only on
 * its own run, and each part writes only its draw's slot, so every figure is the same
 * whatever the number of threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-evaluate-private.h"
#include "sq-network-private.h"
#include "sq-parallel-private.h"
#include "sq-private.h"

/* Progress over units (the reference, the plain network, each draw), each unit's own
 * progress 0…1 scaled into its slot. Calls come one at a time (sq-evaluate.c; the draws
 * under @lock). */
typedef struct {
  SqProgressFunc func;
  gpointer       data;
  guint          unit;
  guint          n_units;
  GMutex         lock;
} Outer;

static void
outer_progress (double   fraction,
                gpointer data)
{
  Outer *o = data;

  if (o->func != NULL)
    o->func (((double) o->unit + fraction) / (double) o->n_units, o->data);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Linear interpolation between order statistics, numpy.quantile's default. */
static double
quantile (const double *sorted,
          gsize         n,
          double        q)
{
  double pos = q * (double) (n - 1), f = floor (pos);
  gsize i = (gsize) f;

  return i + 1 < n ? sorted[i] + (pos - f) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

void
sq_distribution_of (SqDistribution *d,
                    double         *values,
                    gsize           n)
{
  double sum = 0.0, ss = 0.0;

  if (n == 0 || isnan (values[0]))
    {
      d->mean = d->sd = d->min = d->q1 = d->median = d->q3 = d->max = NAN;
      return;
    }
  for (gsize i = 0; i < n; i++)
    sum += values[i];
  d->mean = sum / (double) n;
  for (gsize i = 0; i < n; i++)
    ss += (values[i] - d->mean) * (values[i] - d->mean);
  d->sd = n > 1 ? sqrt (ss / (double) (n - 1)) : 0.0;
  qsort (values, n, sizeof *values, compare_doubles);
  d->min = values[0];
  d->max = values[n - 1];
  d->q1 = quantile (values, n, 0.25);
  d->median = quantile (values, n, 0.5);
  d->q3 = quantile (values, n, 0.75);
}

static void
figures_of (SqRobustnessFigures *f,
            const SqEvaluation  *e)
{
  double raster = 0.0;

  f->n_class_agree = e->n_class_agree;
  f->n_correct = e->n_correct_int;
  f->events = 0;
  for (gsize i = 0; i < e->n_samples; i++)
    {
      f->events += e->samples[i].events_int;
      raster += e->samples[i].raster;
    }
  f->raster = e->n_samples ? raster / (double) e->n_samples : 1.0;
}

/* The untransformed network through the run's path, its samples in parallel: the
 * reference itself for float models, or its quantization's integer core. */
static SqEvaluation *
evaluate_plain (SqNetwork                 *network,
                const SqRobustnessOptions *options,
                const SqEvalBaseline      *baseline,
                GCancellable              *cancellable,
                Outer                     *outer,
                GError                   **error)
{
  g_autoptr(SqNetworkResult) result = NULL;

  if (options->settings == NULL)
    return _sq_evaluate_baseline_itself (baseline, error);
  result = sq_network_quantize (network, options->settings, SQ_QUANTIZE_DEFAULT, cancellable,
                                error);
  if (result == NULL)
    return NULL;
  return _sq_evaluate_network (result->quantized, options->device, SQ_SIM_INTEGER, baseline,
                               cancellable, outer_progress, outer, error);
}

/* The draws, one per part of a pass. */
typedef struct {
  SqNetwork                 *network;
  const SqTransformConfig   *config;
  const SqRobustnessOptions *options;
  const SqEvalBaseline      *baseline;
  GCancellable              *cancellable;
  Outer                     *outer;
  SqRobustnessFigures       *draws;
  GError                   **errors;    /* one per draw */
  gint                       failed;    /* the lowest draw that failed, G_MAXINT for none */
  guint                      done;      /* under outer->lock */
} Draws;

/* Draw @k burnt in and through the run's path, in this thread. */
static SqEvaluation *
evaluate_draw (Draws   *d,
               guint    k,
               GError **error)
{
  g_autoptr(SqNetwork) drawn = NULL;
  g_autoptr(SqNetworkResult) result = NULL;

  drawn = sq_transform_config_apply (d->config, d->network, d->options->seed, k, error);
  if (drawn == NULL)
    return NULL;
  if (d->options->settings == NULL)
    return _sq_evaluate_network_here (drawn, NULL, SQ_SIM_FLOAT, d->baseline, d->cancellable,
                                      error);
  result = sq_network_quantize (drawn, d->options->settings, SQ_QUANTIZE_DEFAULT,
                                d->cancellable, error);
  if (result == NULL)
    return NULL;
  return _sq_evaluate_network_here (result->quantized, d->options->device, SQ_SIM_INTEGER,
                                    d->baseline, d->cancellable, error);
}

/* After a failure only the draws above the lowest failed one are skipped, so the error
 * reported, the lowest failing draw's, is the same whatever the number of threads. */
static void
draw_part (guint    k,
           guint    n_parts,
           gpointer data)
{
  Draws *d = data;
  g_autoptr(SqEvaluation) e = NULL;

  if ((gint) k > g_atomic_int_get (&d->failed) ||
      g_cancellable_set_error_if_cancelled (d->cancellable, &d->errors[k]))
    return;
  e = evaluate_draw (d, k, &d->errors[k]);
  if (e == NULL)
    {
      gint lowest = g_atomic_int_get (&d->failed);

      while ((gint) k < lowest && !g_atomic_int_compare_and_exchange (&d->failed, lowest,
                                                                       (gint) k))
        lowest = g_atomic_int_get (&d->failed);
      return;
    }
  figures_of (&d->draws[k], e);
  if (d->outer->func != NULL)
    {
      g_mutex_lock (&d->outer->lock);
      d->done++;
      d->outer->func ((double) (2 + d->done) / (double) d->outer->n_units, d->outer->data);
      g_mutex_unlock (&d->outer->lock);
    }
}

/* Every draw, on every core; on failure the lowest failed draw's error, named. */
static gboolean
run_draws (Draws   *d,
           GError **error)
{
  guint n = d->options->n_draws;
  gboolean ok = TRUE;

  d->errors = g_new0 (GError *, n);
  _sq_parallel_run (n, draw_part, d);
  for (guint k = 0; k < n; k++)
    if (d->errors[k] != NULL)
      {
        if (ok && g_error_matches (d->errors[k], G_IO_ERROR, G_IO_ERROR_CANCELLED))
          g_propagate_error (error, g_steal_pointer (&d->errors[k]));
        else if (ok)
          g_propagate_prefixed_error (error, g_steal_pointer (&d->errors[k]), _("draw %u: "),
                                      k);
        else
          g_clear_error (&d->errors[k]);
        ok = FALSE;
      }
  g_clear_pointer (&d->errors, g_free);
  return ok;
}

/**
 * sq_robustness_run:
 * @network: the trained float network
 * @config: the transforms to draw
 * @set: the samples
 * @options: draws, seed and path
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call): 0…1 over the reference, the untransformed network and
 *   the draws
 *
 * Returns: (transfer full): the figures, or %NULL with @error set
 */
SqRobustness *
sq_robustness_run (SqNetwork                 *network,
                   const SqTransformConfig   *config,
                   const SqSampleSet         *set,
                   const SqRobustnessOptions *options,
                   GCancellable              *cancellable,
                   SqProgressFunc             progress,
                   gpointer                   progress_data,
                   GError                   **error)
{
  g_autoptr(SqEvalBaseline) baseline = NULL;
  g_autoptr(SqEvaluation) plain = NULL;
  g_autoptr(SqRobustness) r = NULL;
  g_autofree double *values = NULL;
  Outer outer = { progress, progress_data, 0, options->n_draws + 2, { 0 } };
  Draws draws = { network, config, options, NULL, cancellable, &outer, NULL, NULL, G_MAXINT,
                  0 };
  gboolean ok;

  g_return_val_if_fail (network != NULL && config != NULL && set != NULL, NULL);
  g_return_val_if_fail (options->n_draws >= 1 &&
                        options->n_draws <= SQ_ROBUSTNESS_MAX_DRAWS, NULL);

  baseline = sq_eval_baseline_new (network, set, cancellable, outer_progress, &outer, error);
  if (baseline == NULL)
    return NULL;
  outer.unit++;
  plain = evaluate_plain (network, options, baseline, cancellable, &outer, error);
  if (plain == NULL)
    return NULL;

  r = g_new0 (SqRobustness, 1);
  r->n_draws = options->n_draws;
  r->seed = options->seed;
  r->n_samples = set->n_samples;
  r->has_labels = set->labels != NULL;
  r->integer = options->settings != NULL;
  r->reference_correct = plain->n_correct_float;
  for (gsize i = 0; i < plain->n_samples; i++)
    r->reference_events += plain->samples[i].events_float;
  figures_of (&r->plain, plain);
  r->draws = g_new0 (SqRobustnessFigures, options->n_draws);

  outer.unit = 2;
  draws.baseline = baseline;
  draws.draws = r->draws;
  g_mutex_init (&outer.lock);
  ok = run_draws (&draws, error);
  g_mutex_clear (&outer.lock);
  if (!ok)
    return NULL;

  values = g_new (double, options->n_draws);
  for (guint k = 0; k < r->n_draws; k++)
    values[k] = sq_evaluation_share (r->draws[k].n_class_agree, r->n_samples);
  sq_distribution_of (&r->agreement, values, r->n_draws);
  for (guint k = 0; k < r->n_draws; k++)
    values[k] = r->has_labels ? sq_evaluation_share (r->draws[k].n_correct, r->n_samples) : NAN;
  sq_distribution_of (&r->accuracy, values, r->n_draws);
  for (guint k = 0; k < r->n_draws; k++)
    values[k] = (double) r->draws[k].events;
  sq_distribution_of (&r->events, values, r->n_draws);
  return g_steal_pointer (&r);
}

void
sq_robustness_free (SqRobustness *r)
{
  if (r == NULL)
    return;
  g_free (r->draws);
  g_free (r);
}

/* ---------------------------------------------------------------------------------------- */
/* Words and JSON                                                                            */

static void
append_distribution (GString              *s,
                     const char           *title,
                     const SqDistribution *d,
                     double                scale)
{
  g_string_append_printf (s, _("%s: mean %.2f, sd %.2f, min %.2f, quartiles %.2f / %.2f / "
                               "%.2f, max %.2f\n"),
                          title, d->mean * scale, d->sd * scale, d->min * scale,
                          d->q1 * scale, d->median * scale, d->q3 * scale, d->max * scale);
}

char *
sq_robustness_text (const SqRobustness *r)
{
  GString *s = g_string_new (NULL);
  double n = (double) r->n_samples;

  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                          "%u draw (seed %" PRIu64 "), %zu samples, "
                                          "each %s, against the float model\n",
                                          "%u draws (seed %" PRIu64 "), %zu samples, "
                                          "each %s, against the float model\n", r->n_draws),
                          r->n_draws, r->seed, r->n_samples,
                          r->integer ? _("quantized and run on the integer core")
                                     : _("run as a float model"));
  g_string_append_printf (s, _("untransformed: class agreement %.2f %%, %" PRIu64
                               " output events (float model: %" PRIu64 ")\n"),
                          100.0 * (double) r->plain.n_class_agree / n, r->plain.events,
                          r->reference_events);
  if (r->has_labels)
    g_string_append_printf (s, _("accuracy: float model %.2f %%, untransformed %.2f %%\n"),
                            100.0 * (double) r->reference_correct / n,
                            100.0 * (double) r->plain.n_correct / n);
  append_distribution (s, _("class agreement over draws (percent)"), &r->agreement, 100.0);
  if (r->has_labels)
    append_distribution (s, _("accuracy over draws (percent)"), &r->accuracy, 100.0);
  append_distribution (s, _("output events over draws"), &r->events, 1.0);
  return g_string_free (s, FALSE);
}

static void
add_distribution (JsonBuilder          *b,
                  const char           *key,
                  const SqDistribution *d)
{
  const struct {
    const char *name;
    double      value;
  } f[] = {
    { "mean", d->mean }, { "sd", d->sd }, { "min", d->min }, { "q1", d->q1 },
    { "median", d->median }, { "q3", d->q3 }, { "max", d->max },
  };

  json_builder_set_member_name (b, key);
  if (isnan (d->mean))
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (f); i++)
    {
      json_builder_set_member_name (b, f[i].name);
      json_builder_add_double_value (b, f[i].value);
    }
  json_builder_end_object (b);
}

static void
add_figures (JsonBuilder               *b,
             const SqRobustness        *r,
             const SqRobustnessFigures *f)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "class_agreement");
  json_builder_add_double_value (b, sq_evaluation_share (f->n_class_agree, r->n_samples));
  json_builder_set_member_name (b, "accuracy");
  if (r->has_labels)
    json_builder_add_double_value (b, sq_evaluation_share (f->n_correct, r->n_samples));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "output_events");
  json_builder_add_int_value (b, (gint64) f->events);
  json_builder_set_member_name (b, "raster_agreement");
  json_builder_add_double_value (b, f->raster);
  json_builder_end_object (b);
}

JsonNode *
sq_robustness_report (const SqRobustness        *r,
                      const SqNetwork           *network,
                      const SqTransformConfig   *config,
                      const SqSampleSet         *set,
                      const SqRobustnessOptions *options)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "network");
  json_builder_add_string_value (b, network->source ? network->source : "");
  json_builder_set_member_name (b, "samples");
  json_builder_add_string_value (b, set->source);
  json_builder_set_member_name (b, "n_samples");
  json_builder_add_int_value (b, (gint64) r->n_samples);
  json_builder_set_member_name (b, "seed");
  /* As a string: a 64-bit seed does not survive a double in other JSON readers. */
  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, r->seed);

    json_builder_add_string_value (b, seed);
  }
  json_builder_set_member_name (b, "n_draws");
  json_builder_add_int_value (b, r->n_draws);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, r->integer ? "integer" : "float");
  json_builder_set_member_name (b, "settings");
  if (options->settings != NULL)
    {
      g_autofree char *settings = sq_quant_settings_to_string (options->settings);

      json_builder_add_string_value (b, settings);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "device");
  if (r->integer)
    json_builder_add_string_value (b, _sq_default_device (network->kind,
                                                          options->device)->name);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "config");
  json_builder_add_value (b, sq_transform_config_to_json (config));

  json_builder_set_member_name (b, "reference");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "accuracy");
  if (r->has_labels)
    json_builder_add_double_value (b, sq_evaluation_share (r->reference_correct, r->n_samples));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "output_events");
  json_builder_add_int_value (b, (gint64) r->reference_events);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "untransformed");
  add_figures (b, r, &r->plain);

  add_distribution (b, "class_agreement", &r->agreement);
  add_distribution (b, "accuracy", &r->accuracy);
  add_distribution (b, "output_events", &r->events);
  json_builder_set_member_name (b, "draws");
  json_builder_begin_array (b);
  for (guint k = 0; k < r->n_draws; k++)
    add_figures (b, r, &r->draws[k]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
