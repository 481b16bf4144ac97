/* sq-network-result.c: one quantization of a network — per-group integers, clip points and
 * markers, per-layer figures, and the error histogram over any group of any kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-network-private.h"
#include "sq-parallel-private.h"
#include "sq-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                   */

static void
group_result_clear (gpointer data)
{
  SqGroupResult *g = data;

  g_clear_pointer (&g->markers, g_array_unref);
  g_clear_pointer (&g->channel_clip, g_free);
}

static void
result_clear (gpointer data)
{
  SqNetworkResult *r = data;

  if (r->free_data != NULL)
    r->free_data (r->data);
  sq_network_unref (r->network);
  sq_network_unref (r->quantized);
  g_array_unref (r->groups);
  g_free (r->layers);
  g_ptr_array_unref (r->diagnostics);
}

/**
 * sq_network_result_new:
 * @data: (transfer full): the kind's own result
 *
 * An empty result of quantizing @network, for a kind's quantizer to fill: one
 * #SqLayerResult per layer (zeroed), no groups yet, @in_range set.
 */
SqNetworkResult *
sq_network_result_new (SqNetwork             *network,
                       const SqQuantSettings *settings,
                       gpointer               data,
                       GDestroyNotify         free_data)
{
  SqNetworkResult *r = g_atomic_rc_box_new0 (SqNetworkResult);

  r->network = sq_network_ref (network);
  r->settings = *settings;
  r->groups = g_array_new (FALSE, TRUE, sizeof (SqGroupResult));
  g_array_set_clear_func (r->groups, group_result_clear);
  r->layers = g_new0 (SqLayerResult, MAX (network->layers->len, 1));
  r->in_range = TRUE;
  r->diagnostics = _sq_diagnostics_new ();
  r->data = data;
  r->free_data = free_data;
  return r;
}

SqNetworkResult *
sq_network_result_ref (SqNetworkResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return g_atomic_rc_box_acquire (result);
}

void
sq_network_result_unref (SqNetworkResult *result)
{
  if (result != NULL)
    g_atomic_rc_box_release_full (result, result_clear);
}

double
sq_quant_figures_mse (const SqQuantFigures *figures)
{
  return figures->n_values ? figures->noise / (double) figures->n_values : 0.0;
}

double
sq_quant_figures_sqnr_db (const SqQuantFigures *figures)
{
  if (!(figures->noise > 0.0))
    return INFINITY;
  return 10.0 * log10 (figures->signal / figures->noise);
}

double
sq_zeroed_share (gsize zeroed,
                 gsize n_nonzero)
{
  return n_nonzero > 0 ? (double) zeroed / (double) n_nonzero : NAN;
}

char *
sq_zeroed_text (gsize zeroed,
                gsize n_nonzero)
{
  double percent = 100.0 * sq_zeroed_share (zeroed, n_nonzero);
  char share[32];

  if (zeroed == 0 || n_nonzero == 0)
    /* Translators: zeroed values out of the non-zero ones: "0 of 85848 non-zero" */
    return g_strdup_printf (_("%zu of %zu non-zero"), zeroed, n_nonzero);
  /* 20 of 85848 is not "0.00 %", and 85847 of 85848 is not "100.00 %". */
  if (zeroed < n_nonzero && percent > 99.99)
    g_strlcpy (share, "> 99.99", sizeof share);
  else if (percent < 0.01)
    g_strlcpy (share, "< 0.01", sizeof share);
  else
    g_snprintf (share, sizeof share, "%.2f", percent);
  /* Translators: zeroed values out of the non-zero ones and their share:
   * "85828 of 85848 non-zero (99.98 %)" */
  return g_strdup_printf (_("%zu of %zu non-zero (%s %%)"), zeroed, n_nonzero, share);
}

static SqNetworkResult *
quantize (SqNetwork             *network,
          const SqQuantSettings *settings,
          SqQuantizeFlags        flags,
          GCancellable          *cancellable,
          GError               **error)
{
  gint64 t0 = g_get_monotonic_time ();
  SqNetworkResult *r;

  g_return_val_if_fail (network != NULL && settings != NULL, NULL);
  g_return_val_if_fail (settings->kind == network->kind, NULL);

  if (!sq_quant_settings_check (settings, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!sq_quant_settings_check_layers (settings, sq_network_n_layers (network), error))
    {
      if (network->source != NULL)
        g_prefix_error (error, "%s: ", network->source);
      return NULL;
    }
  r = network->kind->quantize (network, settings, flags, cancellable, error);
  if (r == NULL)
    return NULL;
  /* The kind says whether it wrote over the network's values. */
  r->flags |= flags & ~SQ_QUANTIZE_IN_PLACE;
  if (r->flags & SQ_QUANTIZE_IN_PLACE)
    {
      network->is_integer = TRUE;
      _sq_network_forget_stats (network);
    }
  r->compute_usec = g_get_monotonic_time () - t0;
  return r;
}

/**
 * sq_network_quantize:
 * @settings: settings of @network's kind
 * @flags: what to compute beyond the integers and figures: %SQ_QUANTIZE_MARKERS for a
 *   chart's markers and per-channel clip points
 * @cancellable: (nullable)
 *
 * Quantizes @network with the kind's method: a result with every group's integers, scales,
 * clip points and figures. May run in any thread.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
SqNetworkResult *
sq_network_quantize (SqNetwork             *network,
                     const SqQuantSettings *settings,
                     SqQuantizeFlags        flags,
                     GCancellable          *cancellable,
                     GError               **error)
{
  g_return_val_if_fail ((flags & SQ_QUANTIZE_IN_PLACE) == 0, NULL);
  return quantize (network, settings, flags, cancellable, error);
}

/**
 * sq_network_quantize_consume:
 * @network: (transfer full): a network the caller reads no float value of again
 *
 * sq_network_quantize() for a caller that only saves, reports or exports the result, as
 * `synquant-cli quantize` does: when the reference handed over was @network's only one (and
 * no markers are asked for, which are computed from the float values), a kind that can
 * writes the integers over @network's values instead of allocating, and page-faulting, a
 * second network of the same size. The result's @flags then have %SQ_QUANTIZE_IN_PLACE, its
 * network holds the integers, and sq_network_result_group_errors(), the error histogram and
 * sq_network_simulate() refuse it. Otherwise it is the result sq_network_quantize() gives.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
SqNetworkResult *
sq_network_quantize_consume (SqNetwork             *network,
                             const SqQuantSettings *settings,
                             SqQuantizeFlags        flags,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(SqNetwork) owned G_GNUC_UNUSED = network;  /* dropped on return */

  g_return_val_if_fail (network != NULL, NULL);
  g_return_val_if_fail ((flags & SQ_QUANTIZE_IN_PLACE) == 0, NULL);
  /* Nobody else holds it, so nobody else can take a reference while it changes. */
  if ((flags & SQ_QUANTIZE_MARKERS) == 0 && g_atomic_ref_count_compare (&network->ref_count, 1))
    flags |= SQ_QUANTIZE_IN_PLACE;
  return quantize (network, settings, flags, cancellable, error);
}

const SqGroupResult *
sq_network_result_get_group (const SqNetworkResult *result,
                             guint                  group)
{
  g_return_val_if_fail (group < result->groups->len, NULL);
  return &g_array_index (result->groups, SqGroupResult, group);
}

/* @f's counts and sums added into @to, its largest error kept. */
void
_sq_quant_figures_add (SqQuantFigures       *to,
                       const SqQuantFigures *f)
{
  to->n_values += f->n_values;
  to->n_nonzero += f->n_nonzero;
  to->clipped += f->clipped;
  to->out_of_range += f->out_of_range;
  to->zeroed += f->zeroed;
  to->signal += f->signal;
  to->noise += f->noise;
  to->max_abs_error = MAX (to->max_abs_error, f->max_abs_error);
}

/* Two clip lines (no band) of @style, labelled @label. */
void
_sq_marker_add (GArray        *markers,
                const char    *label,
                double         lo,
                double         hi,
                SqMarkerStyle  style,
                gboolean       dashed)
{
  SqMarker m = { label, lo, hi, FALSE, FALSE, style, dashed };

  g_array_append_val (markers, m);
}

/* The group_errors of a kind whose every group dequantizes as integer / its scale. */
gboolean
_sq_scaled_group_errors (const SqNetworkResult  *result,
                         guint                   group,
                         gsize                   first,
                         gsize                   n,
                         double                 *errors,
                         GError                **error)
{
  const SqTensor *f = sq_network_get_group (result->network, group)->values;
  const SqTensor *q = sq_network_get_group (result->quantized, group)->values;
  double s = sq_network_result_get_group (result, group)->scale;

  for (gsize i = 0; i < n; i++)
    errors[i] = q->data[first + i] / s - f->data[first + i];
  return TRUE;
}

gboolean
sq_network_result_group_errors (const SqNetworkResult *result,
                                guint                  group,
                                gsize                  first,
                                gsize                  n,
                                double                *errors,
                                GError               **error)
{
  const SqGroup *g;

  g_return_val_if_fail (group < result->network->groups->len, FALSE);
  /* The float values are gone. */
  g_return_val_if_fail ((result->flags & SQ_QUANTIZE_IN_PLACE) == 0, FALSE);
  g = sq_network_get_group (result->network, group);
  g_return_val_if_fail (first <= g->values->n && n <= g->values->n - first, FALSE);
  return result->network->kind->group_errors (result, group, first, n, errors, error);
}

/* Errors are made in blocks this size on the stack: the histogram of 2 M errors needs no
 * 16 MB buffer, and no page faults. */
#define ERROR_BLOCK 2048
/* The errors are counted in parts of this many values, on every core; each part has its
 * own counts and statistics, added in part order (counts and extremes do not depend on the
 * order, so the result is the one of a single pass). */
#define ERROR_PART (32 * ERROR_BLOCK)

typedef struct {
  const SqNetworkResult *result;
  guint                  group;
  gsize                  n_values;
  gboolean               with_hist;
  SqHistogram           *hists;   /* one per part, when with_hist */
  SqStats               *stats;   /* one per part */
  GError               **errors;  /* one per part */
  SqGroupFigures        *figs;    /* one per part, or NULL */
} ErrorJob;

static gboolean block_errors (const SqNetworkResult *result,
                              guint                  group,
                              gsize                  first,
                              gsize                  n,
                              SqGroupFigures        *figures,
                              double                *errors,
                              GError               **error);

static void
error_part (guint    part,
            guint    n_parts,
            gpointer data)
{
  ErrorJob *job = data;
  gsize first = (gsize) part * ERROR_PART;
  gsize last = MIN (first + ERROR_PART, job->n_values);
  double block[ERROR_BLOCK];

  sq_stats_init (&job->stats[part]);
  for (gsize i = first; i < last; i += ERROR_BLOCK)
    {
      gsize n = MIN (ERROR_BLOCK, last - i);

      if (!block_errors (job->result, job->group, i, n,
                         job->figs != NULL ? &job->figs[part] : NULL, block, &job->errors[part]))
        return;
      sq_stats_add (&job->stats[part], block, n);
      if (job->with_hist)
        sq_histogram_add (&job->hists[part], block, n);
    }
}

/* A part's figures added to @out, in part order (the sums' order is the parts', fixed
 * whatever the number of threads). */
static void
figures_merge (SqGroupFigures       *out,
               const SqGroupFigures *part)
{
  out->figures.n_nonzero += part->figures.n_nonzero;
  out->figures.clipped += part->figures.clipped;
  out->figures.out_of_range += part->figures.out_of_range;
  out->figures.zeroed += part->figures.zeroed;
  out->figures.signal += part->figures.signal;
  out->figures.noise += part->figures.noise;
  out->figures.max_abs_error = MAX (out->figures.max_abs_error, part->figures.max_abs_error);
  out->range_lo = part->range_lo;
  out->range_hi = part->range_hi;
  out->at_lo += part->at_lo;
  out->at_hi += part->at_hi;
  if (!isnan (part->tau_error))
    out->tau_error = isnan (out->tau_error) ? part->tau_error
                                            : MAX (out->tau_error, part->tau_error);
}

/* @group's errors through the kind's sparse pass, which skips the errors it knows to be
 * +0.0: their statistics, their histogram into @hist when it is not %NULL (initialised),
 * and with @figures its figures, counted per part of error_pass() and merged as it merges
 * them, so every sum has the dense pass's bits. %FALSE, touching none but @stats, when the
 * kind leaves the group to error_pass(). */
static gboolean
sparse_pass (const SqNetworkResult *result,
             guint                  group,
             gsize                  n_values,
             SqGroupFigures        *figures,
             SqHistogram           *hist,
             SqStats               *stats)
{
  const SqNetworkKind *kind = result->network->kind;
  guint parts = (guint) MAX ((n_values + ERROR_PART - 1) / ERROR_PART, 1);
  g_autofree SqGroupFigures *figs = figures != NULL ? g_new (SqGroupFigures, parts) : NULL;

  if (kind->sparse_errors == NULL)
    return FALSE;
  for (guint p = 0; figs != NULL && p < parts; p++)
    figs[p] = *figures;
  sq_stats_init (stats);
  if (!kind->sparse_errors (result, group, ERROR_BLOCK, ERROR_PART, figs, hist, stats))
    return FALSE;
  for (guint p = 0; figs != NULL && p < parts; p++)
    figures_merge (figures, &figs[p]);
  return TRUE;
}

/* One pass over @group's errors: their statistics, and their histogram into @hist when it
 * is not %NULL (initialised). */
static gboolean
error_pass (const SqNetworkResult *result,
            guint                  group,
            gsize                  n_values,
            SqGroupFigures        *figures,
            SqHistogram           *hist,
            SqStats               *stats,
            GError               **error)
{
  guint parts = (guint) MAX ((n_values + ERROR_PART - 1) / ERROR_PART, 1);
  g_autofree SqHistogram *hists = g_new0 (SqHistogram, parts);
  g_autofree SqStats *part_stats = g_new0 (SqStats, parts);
  g_autofree GError **errors = g_new0 (GError *, parts);
  g_autofree SqGroupFigures *figs = figures != NULL ? g_new (SqGroupFigures, parts) : NULL;
  ErrorJob job = { result, group, n_values, hist != NULL, hists, part_stats, errors, figs };
  gboolean ok = TRUE;

  for (guint p = 0; figs != NULL && p < parts; p++)
    figs[p] = *figures;

  for (guint p = 0; hist && p < parts; p++)
    if (!sq_histogram_init (&hists[p], hist->lo, hist->hi, hist->n_bins, error))
      {
        for (guint k = 0; k < p; k++)
          sq_histogram_clear (&hists[k]);
        return FALSE;
      }
  _sq_parallel_run (parts, error_part, &job);

  sq_stats_init (stats);
  for (guint p = 0; p < parts; p++)
    {
      const SqStats *ps = &part_stats[p];

      if (errors[p] != NULL && ok)
        {
          g_propagate_error (error, g_steal_pointer (&errors[p]));
          ok = FALSE;
        }
      g_clear_error (&errors[p]);
      if (figs != NULL)
        figures_merge (figures, &figs[p]);
      /* As sq_stats_add() merges a block: on a tie the earlier parts' extreme stays. */
      stats->n += ps->n;
      stats->nonzero += ps->nonzero;
      stats->min = ps->min < stats->min ? ps->min : stats->min;
      stats->max = ps->max > stats->max ? ps->max : stats->max;
      stats->max_abs = MAX (stats->max_abs, ps->max_abs);
      if (hist)
        {
          for (guint b = 0; b < hist->n_bins; b++)
            hist->counts[b] += hists[p].counts[b];
          hist->n += hists[p].n;
          hist->below += hists[p].below;
          hist->above += hists[p].above;
          sq_histogram_clear (&hists[p]);
        }
    }
  return ok;
}

/* A kind without figures of its own: the errors of values @first … @first + @n − 1 from
 * group_errors, and their figures from the values, integers and errors, at the group's level
 * scale, its levels ±(2^(bits−1) − 1); a value counts as clipped when its float, at that
 * scale, rounds beyond them (exact for a kind with one scale per group). */
static gboolean
block_figures_generic (const SqNetworkResult *result,
                       guint                  group,
                       gsize                  first,
                       gsize                  n,
                       SqGroupFigures        *out,
                       double                *errors,
                       GError               **error)
{
  const SqGroupResult *gr = sq_network_result_get_group (result, group);
  const double *f = sq_network_get_group (result->network, group)->values->data + first;
  const double *q = gr->values->data + first;
  SqQuantFigures *fig = &out->figures;

  if (!sq_network_result_group_errors (result, group, first, n, errors, error))
    return FALSE;
  out->range_hi = ldexp (1.0, (int) gr->level_bits - 1) - 1.0;
  out->range_lo = -out->range_hi;
  for (gsize i = 0; i < n; i++)
    {
      double x = f[i], v = q[i], r = rint (x * gr->level_scale);

      fig->n_nonzero += !_sq_is_zero (x);
      fig->zeroed += !_sq_is_zero (x) && _sq_is_zero (v);
      fig->clipped += r > out->range_hi || r < out->range_lo;
      fig->out_of_range += v > out->range_hi || v < out->range_lo;
      out->at_lo += !(v > out->range_lo);
      out->at_hi += !(v < out->range_hi);
      fig->signal += x * x;
      fig->noise += errors[i] * errors[i];
      fig->max_abs_error = MAX (fig->max_abs_error, fabs (errors[i]));
    }
  return TRUE;
}

/* The errors of a block of @group, and with @figures (nullable) their figures added in. */
static gboolean
block_errors (const SqNetworkResult *result,
              guint                  group,
              gsize                  first,
              gsize                  n,
              SqGroupFigures        *figures,
              double                *errors,
              GError               **error)
{
  const SqNetworkKind *kind = result->network->kind;

  if (figures == NULL)
    return sq_network_result_group_errors (result, group, first, n, errors, error);
  if (kind->group_figures != NULL)
    return kind->group_figures (result, group, first, n, figures, errors, error);
  return block_figures_generic (result, group, first, n, figures, errors, error);
}

static void
group_figures_init (const SqNetworkResult *result,
                    guint                  group,
                    SqGroupFigures        *figures)
{
  const SqGroup *g = sq_network_get_group (result->network, group);

  memset (figures, 0, sizeof *figures);
  figures->figures.n_values = g->values->n;
  figures->decay = g->role == SQ_ROLE_DECAY;
  figures->tau_error = NAN;
}

/**
 * sq_network_result_error_histogram_figures:
 * @n_bins: bins of @hist, at least 1
 * @hist: (out caller-allocates): clear it with sq_histogram_clear()
 * @stats: (out caller-allocates) (optional): the statistics of the errors
 * @figures: (out caller-allocates) (optional): the figures of @group itself
 *
 * The histogram of dequantized − float over @group, made without storing the errors: over
 * [−E, E], E the group's error bound when the kind knows one (one pass), else the largest
 * error (two passes). With @figures, what quantization did to @group's own values (not its
 * layer's: for weights their own counts and errors, for thresholds and biases theirs, for
 * decays also how many landed on each end of their range and the error of the time
 * constant), counted in the first pass. The passes run on every core.
 */
gboolean
sq_network_result_error_histogram_figures (const SqNetworkResult *result,
                                           guint                  group,
                                           guint                  n_bins,
                                           SqHistogram           *hist,
                                           SqStats               *stats,
                                           SqGroupFigures        *figures,
                                           GError               **error)
{
  const SqGroupResult *gr = sq_network_result_get_group (result, group);
  gsize n_values = sq_network_get_group (result->network, group)->values->n;
  double e = gr->error_bound;
  SqStats st;

  memset (hist, 0, sizeof *hist);
  g_return_val_if_fail ((result->flags & SQ_QUANTIZE_IN_PLACE) == 0, FALSE);
  /* The figures are counted with the errors, in the sparse pass when the kind has one for
   * the group, else in the parallel parts. */
  if (figures != NULL)
    group_figures_init (result, group, figures);
  if (isnan (e))
    {
      if (!sparse_pass (result, group, n_values, figures, NULL, &st) &&
          !error_pass (result, group, n_values, figures, NULL, &st, error))
        return FALSE;
      figures = NULL;   /* counted */
      e = st.max_abs;
    }

  if (!(e > 0.0) || !isfinite (e))
    e = 1e-12;
  if (!sq_histogram_init (hist, -e, e, n_bins, error))
    return FALSE;
  if (!sparse_pass (result, group, n_values, figures, hist, &st) &&
      !error_pass (result, group, n_values, figures, hist, &st, error))
    {
      sq_histogram_clear (hist);
      return FALSE;
    }
  if (stats)
    *stats = st;
  return TRUE;
}

/**
 * sq_network_result_error_histogram:
 *
 * sq_network_result_error_histogram_figures() without the figures.
 */
gboolean
sq_network_result_error_histogram (const SqNetworkResult *result,
                                   guint                  group,
                                   guint                  n_bins,
                                   SqHistogram           *hist,
                                   SqStats               *stats,
                                   GError               **error)
{
  return sq_network_result_error_histogram_figures (result, group, n_bins, hist, stats, NULL,
                                                    error);
}

/**
 * sq_network_result_group_figures:
 * @figures: (out caller-allocates): the figures of @group
 *
 * The figures of sq_network_result_error_histogram_figures() alone, in one pass.
 */
gboolean
sq_network_result_group_figures (const SqNetworkResult *result,
                                 guint                  group,
                                 SqGroupFigures        *figures,
                                 GError               **error)
{
  SqStats stats;

  g_return_val_if_fail (result != NULL && figures != NULL, FALSE);
  g_return_val_if_fail (group < result->network->groups->len, FALSE);
  g_return_val_if_fail ((result->flags & SQ_QUANTIZE_IN_PLACE) == 0, FALSE);

  /* The pass the window's figures take, on every core: the same numbers (a sweep asks for
   * every group of every setting). */
  group_figures_init (result, group, figures);
  return error_pass (result, group, figures->figures.n_values, figures, NULL, &stats, error);
}


double
sq_network_result_state_scale (const SqNetworkResult *result,
                               gboolean               output,
                               gsize                  index)
{
  const SqNetworkKind *kind = result->network->kind;

  return kind->state_scale ? kind->state_scale (result, output, index) : NAN;
}
