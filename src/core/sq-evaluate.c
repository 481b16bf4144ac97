/* sq-evaluate.c: the float model and the integer core over a sample set, on every core
 *
 * Each sample is one part of a pass on the shared thread pool (sq-parallel.c): a part runs
 * one model on one sample and writes only its own slot, and everything over the set is added
 * afterwards in sample order, so one thread and many give the same figures bit for bit. The
 * float model's results are kept in an SqEvalBaseline, so a sweep runs it once per set.
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
#include "sq-parallel-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

/* Progress of a pass, one call at a time from whichever thread finished a sample. */
typedef struct {
  SqProgressFunc func;
  gpointer       data;
  GMutex         lock;
  gsize          done;
  gsize          total;
  double         offset;
  double         scale;
} Progress;

static void
progress_init (Progress       *p,
               SqProgressFunc  func,
               gpointer        data,
               gsize           total,
               double          offset,
               double          scale)
{
  memset (p, 0, sizeof *p);
  p->func = func;
  p->data = data;
  p->total = MAX (total, 1);
  p->offset = offset;
  p->scale = scale;
  g_mutex_init (&p->lock);
}

static void
progress_step (Progress *p)
{
  if (p->func == NULL)
    return;
  g_mutex_lock (&p->lock);
  p->done++;
  p->func (p->offset + p->scale * (double) p->done / (double) p->total, p->data);
  g_mutex_unlock (&p->lock);
}

/* One model over every sample. */
typedef struct {
  const SqNetwork       *network;
  const SqDeviceProfile *device;
  SqSimModel             model;
  const SqSampleSet     *set;
  SqSimResult          **out;
  GError               **errors;
  GCancellable          *cancellable;
  gint                   failed;
  Progress              *progress;
  gboolean               here;          /* every sample in the caller, on one simulator */
} Pass;

/* A share of the samples, in order, on one simulator built for the share: the setup
 * (fan-out lists over every weight) costs as much as a short run, so it is not repeated per
 * sample. Each sample starts from the power-up state, so the shares do not change a
 * result. */
static void
run_part (guint    part,
          guint    n_parts,
          gpointer data)
{
  Pass *p = data;
  gsize n = p->set->n_samples;
  gsize first = part * n / n_parts, end = (part + 1) * n / n_parts;
  SqSimRunner *runner;

  if (first >= end || g_atomic_int_get (&p->failed))
    return;
  runner = _sq_sim_runner_new (p->network, p->device, p->model, &p->errors[first]);
  if (runner == NULL)
    {
      g_atomic_int_set (&p->failed, 1);
      return;
    }
  for (gsize i = first; i < end; i++)
    {
      SqRaster raster;

      if (g_atomic_int_get (&p->failed) || g_cancellable_is_cancelled (p->cancellable))
        break;
      sq_sample_set_raster (p->set, i, &raster);
      p->out[i] = _sq_sim_runner_run (runner, &raster, p->cancellable, &p->errors[i]);
      if (p->out[i] == NULL)
        g_atomic_int_set (&p->failed, 1);
      progress_step (p->progress);
    }
  _sq_sim_runner_free (runner);
}

/* Runs @pass over the whole set; on failure the error of the first sample that failed (or
 * the cancellation), named. */
static gboolean
run_pass (Pass     *pass,
          GError  **error)
{
  const SqSampleSet *set = pass->set;
  g_autofree GError **errors = g_new0 (GError *, set->n_samples);
  gboolean ok = TRUE;

  pass->errors = errors;
  /* Two shares per thread, so one slow share does not leave a core idle for long. */
  if (pass->here)
    run_part (0, 1, pass);
  else
    _sq_parallel_run ((guint) MIN (set->n_samples, 2 * (gsize) _sq_parallel_n_threads ()),
                      run_part, pass);
  if (g_cancellable_set_error_if_cancelled (pass->cancellable, error))
    ok = FALSE;
  for (gsize i = 0; i < set->n_samples; i++)
    if (errors[i] != NULL)
      {
        if (ok)
          {
            g_propagate_prefixed_error (error, g_steal_pointer (&errors[i]), "%s: %s: ",
                                        set->source, set->names[i]);
            ok = FALSE;
          }
        else
          g_clear_error (&errors[i]);
      }
  return ok && !pass->failed;
}

static gboolean
check_inputs (const SqNetwork    *network,
              const SqSampleSet  *set,
              GError            **error)
{
  if (set->n_channels == network->n_inputs)
    return TRUE;
  g_set_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_INPUT,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: the samples have %zu channel, but the network has %zu inputs",
                            "%s: the samples have %zu channels, but the network has %zu "
                            "inputs", set->n_channels),
               set->source, set->n_channels, network->n_inputs);
  return FALSE;
}

static void
free_results (SqSimResult **results,
              gsize         n)
{
  if (results == NULL)
    return;
  for (gsize i = 0; i < n; i++)
    sq_sim_result_free (results[i]);
  g_free (results);
}

void
sq_eval_baseline_free (SqEvalBaseline *baseline)
{
  if (baseline == NULL)
    return;
  free_results (baseline->results, baseline->set->n_samples);
  g_clear_pointer (&baseline->network, sq_network_unref);
  g_free (baseline);
}

static SqEvalBaseline *
baseline_new (SqNetwork          *network,
              const SqSampleSet  *set,
              GCancellable       *cancellable,
              Progress           *progress,
              GError            **error)
{
  g_autoptr(SqEvalBaseline) b = g_new0 (SqEvalBaseline, 1);
  Pass pass = { network, NULL, SQ_SIM_FLOAT, set, NULL, NULL, cancellable, 0, progress, FALSE };

  b->network = sq_network_ref (network);
  b->set = set;
  b->results = g_new0 (SqSimResult *, set->n_samples);
  if (!check_inputs (network, set, error))
    return NULL;
  pass.out = b->results;
  if (!run_pass (&pass, error))
    return NULL;
  return g_steal_pointer (&b);
}

/**
 * sq_eval_baseline_new:
 * @network: a float network
 * @set: the samples; it must outlive the baseline
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call): 0…1 as samples finish
 *
 * Returns: (transfer full): the float model's results, or %NULL with @error set
 */
SqEvalBaseline *
sq_eval_baseline_new (SqNetwork          *network,
                      const SqSampleSet  *set,
                      GCancellable       *cancellable,
                      SqProgressFunc      progress,
                      gpointer            progress_data,
                      GError            **error)
{
  Progress p;
  SqEvalBaseline *b;

  g_return_val_if_fail (network != NULL && set != NULL, NULL);
  progress_init (&p, progress, progress_data, set->n_samples, 0.0, 1.0);
  b = baseline_new (network, set, cancellable, &p, error);
  g_mutex_clear (&p.lock);
  return b;
}

/* ---------------------------------------------------------------------------------------- */

void
sq_evaluation_free (SqEvaluation *e)
{
  if (e == NULL)
    return;
  g_free (e->samples);
  g_free (e->classes);
  g_free (e->confusion_float);
  g_free (e->confusion_int);
  g_clear_pointer (&e->agreement, sq_agreement_free);
  g_free (e);
}

double
sq_evaluation_share (gsize n,
                     gsize d)
{
  return d == 0 ? NAN : (double) n / (double) d;
}

/* A class as a column of the matrices: "no output fired" last. */
static gsize
class_column (const SqEvaluation *e,
              int                 c)
{
  return c < 0 ? e->n_out : (gsize) c;
}

static void
sample_figures (SqSampleEval       *s,
                const SqSimResult  *f,
                const SqSimResult  *i)
{
  gsize bins = f->n_steps * f->n_out, equal = 0;

  s->class_float = sq_sim_result_class (f);
  s->class_int = sq_sim_result_class (i);
  for (gsize k = 0; k < bins; k++)
    equal += f->spikes_out[k] == i->spikes_out[k];
  s->raster = bins ? (double) equal / (double) bins : 1.0;
  s->events_float = s->events_int = s->count_error = 0;
  for (gsize o = 0; o < f->n_out; o++)
    {
      guint64 a = f->out_events[o], b = i->out_events[o];

      s->events_float += a;
      s->events_int += b;
      s->count_error += a > b ? a - b : b - a;
    }
}

static int
compare_worst (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const SqSampleEval *samples = data;
  gsize ia = *(const gsize *) a, ib = *(const gsize *) b;
  const SqSampleEval *x = &samples[ia], *y = &samples[ib];
  gboolean dx = x->class_float != x->class_int, dy = y->class_float != y->class_int;

  if (dx != dy)
    return dx ? -1 : 1;
  if (x->raster < y->raster || x->raster > y->raster)
    return x->raster < y->raster ? -1 : 1;
  if (x->count_error != y->count_error)
    return x->count_error > y->count_error ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* The figures over the set, added in sample order. */
static gboolean
summarize (SqEvaluation       *e,
           const SqSampleSet  *set,
           SqSimResult       **floats,
           SqSimResult       **ints,
           GError            **error)
{
  gsize nc = e->n_out + 1;
  g_autoptr(GArray) order = g_array_sized_new (FALSE, FALSE, sizeof (gsize), set->n_samples);

  e->classes = g_new0 (guint64, nc * nc);
  if (e->has_labels)
    {
      e->confusion_float = g_new0 (guint64, e->n_out * nc);
      e->confusion_int = g_new0 (guint64, e->n_out * nc);
    }
  e->agreement = sq_agreement_new (floats[0]->n_hidden, e->n_out);
  for (gsize i = 0; i < set->n_samples; i++)
    {
      SqSampleEval *s = &e->samples[i];
      gsize cf, ci;

      sample_figures (s, floats[i], ints[i]);
      s->label = e->has_labels ? set->labels[i] : -1;
      cf = class_column (e, s->class_float);
      ci = class_column (e, s->class_int);
      e->classes[cf * nc + ci]++;
      e->n_class_agree += s->class_float == s->class_int;
      if (e->has_labels)
        {
          e->confusion_float[s->label * nc + cf]++;
          e->confusion_int[s->label * nc + ci]++;
          e->n_correct_float += s->class_float == s->label;
          e->n_correct_int += s->class_int == s->label;
        }
      if (!sq_agreement_add (e->agreement, floats[i], ints[i], error))
        return FALSE;
      g_array_append_val (order, i);
    }
  g_array_sort_with_data (order, compare_worst, e->samples);
  e->n_worst = MIN (SQ_EVAL_N_WORST, set->n_samples);
  for (gsize k = 0; k < e->n_worst; k++)
    e->worst[k] = g_array_index (order, gsize, k);
  return TRUE;
}

static gboolean
check_labels (const SqSampleSet  *set,
              gsize               n_out,
              GError            **error)
{
  for (gsize i = 0; set->labels != NULL && i < set->n_samples; i++)
    if ((guint64) set->labels[i] >= n_out)
      {
        g_set_error (error, SQ_RASTER_ERROR, SQ_RASTER_ERROR_VALUE,
                     _("%s: %s: the label is %" PRId64 ", but the network's classes (its "
                       "outputs) are 0 to %zu"),
                     set->source, set->names[i], set->labels[i], n_out - 1);
        return FALSE;
      }
  return TRUE;
}

/* The figures of @results (one per sample of @baseline's set) against @baseline. */
static SqEvaluation *
evaluation_new (const SqEvalBaseline  *baseline,
                SqSimResult          **results,
                GError               **error)
{
  const SqSampleSet *set = baseline->set;
  g_autoptr(SqEvaluation) e = g_new0 (SqEvaluation, 1);

  e->n_samples = set->n_samples;
  e->n_out = baseline->results[0]->n_out;
  e->samples = g_new0 (SqSampleEval, set->n_samples);
  e->has_labels = set->labels != NULL;
  if (!summarize (e, set, baseline->results, results, error))
    return NULL;
  return g_steal_pointer (&e);
}

/* @network's @model over every sample of @set against @baseline, with @p's progress, in
 * parallel or, with @here, in the caller. */
static SqEvaluation *
against_baseline (const SqNetwork        *network,
                  const SqDeviceProfile  *device,
                  SqSimModel              model,
                  const SqSampleSet      *set,
                  const SqEvalBaseline   *baseline,
                  gboolean                here,
                  GCancellable           *cancellable,
                  Progress               *p,
                  GError                **error)
{
  SqEvaluation *e = NULL;
  SqSimResult **ints = g_new0 (SqSimResult *, set->n_samples);
  Pass pass = { 0 };

  pass.network = network;
  pass.device = device;
  pass.model = model;
  pass.set = set;
  pass.out = ints;
  pass.cancellable = cancellable;
  pass.progress = p;
  pass.here = here;
  if (run_pass (&pass, error))
    e = evaluation_new (baseline, ints, error);
  free_results (ints, set->n_samples);
  return e;
}

/**
 * sq_evaluate:
 * @result: a quantization of a float network (not made in place)
 * @device: (nullable): the integer core; %NULL for the kind's default
 * @baseline: (nullable): the float model on @set, made for @result's network; %NULL to run
 *   it here
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call): 0…1 as samples finish (the float model the first
 *   half when it runs here), from any thread, one call at a time
 *
 * Returns: (transfer full): the evaluation, or %NULL with @error set
 */
SqEvaluation *
sq_evaluate (SqNetworkResult        *result,
             const SqDeviceProfile  *device,
             const SqSampleSet      *set,
             const SqEvalBaseline   *baseline,
             GCancellable           *cancellable,
             SqProgressFunc          progress,
             gpointer                progress_data,
             GError                **error)
{
  g_autoptr(SqEvaluation) e = NULL;
  g_autoptr(SqEvalBaseline) own = NULL;
  Progress p;
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (result != NULL && set != NULL, NULL);
  g_return_val_if_fail ((result->flags & SQ_QUANTIZE_IN_PLACE) == 0, NULL);
  g_return_val_if_fail (baseline == NULL || (baseline->network == result->network &&
                                             baseline->set == set), NULL);
  if (!check_inputs (result->network, set, error) ||
      !check_labels (set, result->network->n_outputs, error))
    return NULL;
  device = _sq_default_device (result->network->kind, device);

  progress_init (&p, progress, progress_data, set->n_samples, 0.0, baseline ? 1.0 : 0.5);
  if (baseline == NULL)
    {
      own = baseline_new (result->network, set, cancellable, &p, error);
      if (own == NULL)
        {
          g_mutex_clear (&p.lock);
          return NULL;
        }
      baseline = own;
      p.done = 0;
      p.offset = 0.5;
    }

  e = against_baseline (result->quantized, device, SQ_SIM_INTEGER, set, baseline, FALSE,
                        cancellable, &p, error);
  g_mutex_clear (&p.lock);
  if (e == NULL)
    return NULL;
  e->compute_usec = g_get_monotonic_time () - t0;
  return g_steal_pointer (&e);
}

/**
 * _sq_evaluate_network:
 * @network: the network to run, with the inputs and outputs of @baseline's
 * @model: which model of it runs (the float model of a transformed network, say)
 * @baseline: the reference, made for another network of the same kind
 *
 * sq_evaluate() of any network against any baseline of its shape: what robustness runs
 * (sq-robustness.c) need, whose every draw is its own network.
 */
static SqEvaluation *
evaluate_network (const SqNetwork        *network,
                  const SqDeviceProfile  *device,
                  SqSimModel              model,
                  const SqEvalBaseline   *baseline,
                  gboolean                here,
                  GCancellable           *cancellable,
                  SqProgressFunc          progress,
                  gpointer                progress_data,
                  GError                **error)
{
  SqEvaluation *e;
  Progress p;
  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (network != NULL && baseline != NULL, NULL);
  g_return_val_if_fail (network->n_inputs == baseline->network->n_inputs &&
                        network->n_outputs == baseline->network->n_outputs, NULL);
  if (!check_inputs (network, baseline->set, error) ||
      !check_labels (baseline->set, network->n_outputs, error))
    return NULL;
  progress_init (&p, progress, progress_data, baseline->set->n_samples, 0.0, 1.0);
  e = against_baseline (network, _sq_default_device (network->kind, device), model,
                        baseline->set, baseline, here, cancellable, &p, error);
  g_mutex_clear (&p.lock);
  if (e != NULL)
    e->compute_usec = g_get_monotonic_time () - t0;
  return e;
}

SqEvaluation *
_sq_evaluate_network (const SqNetwork        *network,
                      const SqDeviceProfile  *device,
                      SqSimModel              model,
                      const SqEvalBaseline   *baseline,
                      GCancellable           *cancellable,
                      SqProgressFunc          progress,
                      gpointer                progress_data,
                      GError                **error)
{
  return evaluate_network (network, device, model, baseline, FALSE, cancellable, progress,
                           progress_data, error);
}

/**
 * _sq_evaluate_network_here:
 *
 * _sq_evaluate_network() in the calling thread, on one simulator prepared once for all the
 * samples (reset before each), without progress: for callers that already spread their
 * networks over the threads (sq-robustness.c runs one draw per part).
 */
SqEvaluation *
_sq_evaluate_network_here (const SqNetwork        *network,
                           const SqDeviceProfile  *device,
                           SqSimModel              model,
                           const SqEvalBaseline   *baseline,
                           GCancellable           *cancellable,
                           GError                **error)
{
  return evaluate_network (network, device, model, baseline, TRUE, cancellable, NULL, NULL,
                           error);
}

/**
 * _sq_evaluate_baseline_itself:
 *
 * The baseline's own float model against itself, without running anything again: what
 * _sq_evaluate_network() gives for the baseline's network as a float model.
 */
SqEvaluation *
_sq_evaluate_baseline_itself (const SqEvalBaseline  *baseline,
                              GError               **error)
{
  g_return_val_if_fail (baseline != NULL, NULL);
  if (!check_labels (baseline->set, baseline->network->n_outputs, error))
    return NULL;
  return evaluation_new (baseline, baseline->results, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Words and JSON                                                                            */

static void
append_share (GString *s,
              gsize    n,
              gsize    d)
{
  /* TRANSLATORS: "97 of 100 (97.0 %)" */
  g_string_append_printf (s, _("%zu of %zu (%.1f %%)\n"), n, d,
                          100.0 * sq_evaluation_share (n, d));
}

static const char *
class_name (int  c,
            char buf[24])
{
  if (c < 0)
    return "-";
  g_snprintf (buf, 24, "%d", c);
  return buf;
}

static void
append_matrix (GString        *s,
               const char     *title,
               const guint64  *m,
               gsize           rows,
               gsize           cols)
{
  char buf[24];

  g_string_append_printf (s, "\n%s\n%8s", title, "");
  for (gsize c = 0; c < cols; c++)
    g_string_append_printf (s, " %7s", class_name (c + 1 == cols ? -1 : (int) c, buf));
  g_string_append_c (s, '\n');
  for (gsize r = 0; r < rows; r++)
    {
      g_string_append_printf (s, "%8s", class_name (r + 1 == cols ? -1 : (int) r, buf));
      for (gsize c = 0; c < cols; c++)
        g_string_append_printf (s, " %7" PRIu64, m[r * cols + c]);
      g_string_append_c (s, '\n');
    }
}

/**
 * sq_evaluation_text:
 *
 * Returns: (transfer full): the figures over the set, the matrices (at most 20 classes) and
 *   the worst samples, translated
 */
char *
sq_evaluation_text (const SqEvaluation *e,
                    const SqSampleSet  *set)
{
  GString *s = g_string_new (NULL);
  gsize nc = e->n_out + 1;
  char b1[24], b2[24], b3[24];

  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE,
                                          "%s: %zu sample of %zu steps, %zu channels\n",
                                          "%s: %zu samples of %zu steps, %zu channels\n",
                                          e->n_samples),
                          set->source, e->n_samples, set->n_steps, set->n_channels);
  g_string_append (s, _("class agreement, float vs integer: "));
  append_share (s, e->n_class_agree, e->n_samples);
  if (e->has_labels)
    {
      g_string_append (s, _("accuracy, float model: "));
      append_share (s, e->n_correct_float, e->n_samples);
      g_string_append (s, _("accuracy, integer core: "));
      append_share (s, e->n_correct_int, e->n_samples);
    }
  g_string_append_printf (s, _("output raster agreement: %.2f %%\n"),
                          100.0 * sq_agreement_raster (e->agreement));
  if (e->n_out <= 20)
    {
      append_matrix (s, _("Classes (rows: float model, columns: integer core; - no output "
                          "fired):"), e->classes, nc, nc);
      if (e->has_labels)
        append_matrix (s, _("Confusion, integer core (rows: label, columns: class):"),
                       e->confusion_int, e->n_out, nc);
    }
  g_string_append_printf (s, "\n%s\n%-16s %7s %7s %7s %9s %11s\n", _("Worst samples:"),
                          _("sample"), _("label"), _("float"), _("integer"), _("raster"),
                          _("count error"));
  for (gsize k = 0; k < e->n_worst; k++)
    {
      const SqSampleEval *x = &e->samples[e->worst[k]];
      char raster[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (raster, sizeof raster, "%.2f %%", 100.0 * x->raster);
      g_string_append_printf (s, "%-16s %7s %7s %7s %9s %11" PRIu64 "\n",
                              set->names[e->worst[k]],
                              class_name (x->label < 0 ? -1 : (int) x->label, b1),
                              class_name (x->class_float, b2), class_name (x->class_int, b3),
                              raster, x->count_error);
    }
  return g_string_free (s, FALSE);
}

static void
add_matrix (JsonBuilder   *b,
            const char    *name,
            const guint64 *m,
            gsize          rows,
            gsize          cols)
{
  json_builder_set_member_name (b, name);
  if (m == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_array (b);
  for (gsize r = 0; r < rows; r++)
    {
      json_builder_begin_array (b);
      for (gsize c = 0; c < cols; c++)
        json_builder_add_int_value (b, (gint64) m[r * cols + c]);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
}

/**
 * sq_evaluation_report:
 *
 * Returns: (transfer full): the evaluation as a JSON object; shares are null where they
 *   do not exist (accuracy without labels); class -1 is "no output fired"
 */
JsonNode *
sq_evaluation_report (const SqEvaluation    *e,
                      const SqSampleSet     *set,
                      const SqNetworkResult *result,
                      const SqDeviceProfile *device)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *settings = sq_quant_settings_to_string (&result->settings);
  gsize nc = e->n_out + 1;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "network");
  json_builder_add_string_value (b, result->network->source ? result->network->source : "");
  json_builder_set_member_name (b, "samples");
  json_builder_add_string_value (b, set->source);
  json_builder_set_member_name (b, "settings");
  json_builder_add_string_value (b, settings);
  json_builder_set_member_name (b, "device");
  if (device != NULL)
    json_builder_add_string_value (b, device->name);
  else
    json_builder_add_null_value (b);
  _sq_json_add_int (b, "n_samples", (gint64) e->n_samples);
  _sq_json_add_int (b, "n_steps", (gint64) set->n_steps);
  _sq_json_add_int (b, "n_channels", (gint64) set->n_channels);
  _sq_json_add_int (b, "n_outputs", (gint64) e->n_out);
  _sq_json_add_int (b, "class_agree", (gint64) e->n_class_agree);
  _sq_json_add_double (b, "class_agreement", sq_evaluation_share (e->n_class_agree,
                                                                  e->n_samples));
  _sq_json_add_double (b, "accuracy_float", e->has_labels ?
                       sq_evaluation_share (e->n_correct_float, e->n_samples) : NAN);
  _sq_json_add_double (b, "accuracy_int", e->has_labels ?
                       sq_evaluation_share (e->n_correct_int, e->n_samples) : NAN);
  _sq_json_add_double (b, "raster_agreement", sq_agreement_raster (e->agreement));
  add_matrix (b, "classes", e->classes, nc, nc);
  add_matrix (b, "confusion_float", e->confusion_float, e->n_out, nc);
  add_matrix (b, "confusion_int", e->confusion_int, e->n_out, nc);
  json_builder_set_member_name (b, "worst");
  json_builder_begin_array (b);
  for (gsize k = 0; k < e->n_worst; k++)
    json_builder_add_int_value (b, (gint64) e->worst[k]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "per_sample");
  json_builder_begin_array (b);
  for (gsize i = 0; i < e->n_samples; i++)
    {
      const SqSampleEval *x = &e->samples[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, set->names[i]);
      json_builder_set_member_name (b, "label");
      if (x->label >= 0)
        json_builder_add_int_value (b, x->label);
      else
        json_builder_add_null_value (b);
      _sq_json_add_int (b, "class_float", x->class_float);
      _sq_json_add_int (b, "class_int", x->class_int);
      _sq_json_add_double (b, "raster", x->raster);
      _sq_json_add_int (b, "events_float", (gint64) x->events_float);
      _sq_json_add_int (b, "events_int", (gint64) x->events_int);
      _sq_json_add_int (b, "count_error", (gint64) x->count_error);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
