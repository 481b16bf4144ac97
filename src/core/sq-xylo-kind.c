/* sq-xylo-kind.c: the Xylo specification as a network kind
 *
 * The only place above the Xylo modules (sq-xylo-spec, sq-quantize, sq-param-view,
 * sq-xylo-sim, sq-float-sim, sq-device-check, sq-export) that knows their types: it maps
 * SqParam arrays to groups, SqQuantParams to settings, and each verb of SqNetworkKind to
 * the calls `synquant-cli` and the window made directly before, so every result is
 * bit-identical to theirs. Its words (info, summaries, hints) are in sq-xylo-kind-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-network-private.h"
#include "sq-npz-private.h"
#include "sq-param-view-private.h"
#include "sq-private.h"
#include "sq-quantize-private.h"
#include "sq-xylo-kind-text-private.h"

/* ---------------------------------------------------------------------------------------- */
/* What a Xylo network and result hold                                                       */

/* A quantization, shared by a result and its quantized network (whose specification it
 * owns), so either may outlive the other. */
typedef struct {
  SqQuantResult *quant;
} XyloQuant;

/**
 * XyloData:
 * @spec: a loaded network's specification, owned; %NULL for a quantized network
 * @quant: a quantized network's quantization (a reference): its spec is the network's
 * @cache: the ranges of @spec's float weights, kept from one quantization to the next
 */
typedef struct {
  SqXyloSpec   *spec;
  XyloQuant    *quant;
  SqQuantCache *cache;
} XyloData;

static void
xylo_quant_clear (gpointer data)
{
  XyloQuant *q = data;

  sq_quant_result_free (q->quant);
}

static void
xylo_quant_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, xylo_quant_clear);
}

static void
xylo_data_free (gpointer data)
{
  XyloData *d = data;

  g_clear_pointer (&d->spec, sq_xylo_spec_free);
  g_clear_pointer (&d->quant, xylo_quant_unref);
  g_clear_pointer (&d->cache, _sq_quant_cache_free);
  g_free (d);
}

const SqXyloSpec *
_sq_xylo_network_spec (const SqNetwork *network)
{
  const XyloData *d;

  g_return_val_if_fail (network != NULL && network->kind == &_sq_xylo_kind, NULL);
  d = network->data;
  return d->spec ? d->spec : d->quant->quant->spec;
}

const SqQuantResult *
_sq_xylo_result_quant (const SqNetworkResult *result)
{
  g_return_val_if_fail (result != NULL && result->network->kind == &_sq_xylo_kind, NULL);
  return ((const XyloQuant *) result->data)->quant;
}

/* ---------------------------------------------------------------------------------------- */
/* Groups                                                                                    */

/* The groups in the window's order: weights, thresholds, biases, dashes; a specification's
 * decays are dashes, Rockpool's family "bitshifts" (leak_mode="bitshifts"). */
static const struct {
  SqParam     param;
  const char *label;
  SqRole      role;
  SqFamily    family;
} group_table[] = {
  { SQ_PARAM_WEIGHTS_IN, N_("Input weights"), SQ_ROLE_WEIGHTS, SQ_FAMILY_WEIGHTS },
  { SQ_PARAM_WEIGHTS_REC, N_("Recurrent weights"), SQ_ROLE_WEIGHTS, SQ_FAMILY_WEIGHTS },
  { SQ_PARAM_WEIGHTS_OUT, N_("Output weights"), SQ_ROLE_WEIGHTS, SQ_FAMILY_WEIGHTS },
  { SQ_PARAM_THRESHOLD, N_("Hidden thresholds"), SQ_ROLE_THRESHOLD, SQ_FAMILY_THRESHOLDS },
  { SQ_PARAM_THRESHOLD_OUT, N_("Output thresholds"), SQ_ROLE_THRESHOLD, SQ_FAMILY_THRESHOLDS },
  { SQ_PARAM_BIAS, N_("Hidden biases"), SQ_ROLE_BIAS, SQ_FAMILY_BIASES },
  { SQ_PARAM_BIAS_OUT, N_("Output biases"), SQ_ROLE_BIAS, SQ_FAMILY_BIASES },
  { SQ_PARAM_DASH_MEM, N_("Membrane dashes"), SQ_ROLE_DECAY, SQ_FAMILY_BITSHIFTS },
  { SQ_PARAM_DASH_SYN, N_("Synaptic dashes"), SQ_ROLE_DECAY, SQ_FAMILY_BITSHIFTS },
  { SQ_PARAM_DASH_SYN_2, N_("Second synapse dashes"), SQ_ROLE_DECAY, SQ_FAMILY_BITSHIFTS },
  { SQ_PARAM_DASH_MEM_OUT, N_("Output membrane dashes"), SQ_ROLE_DECAY, SQ_FAMILY_BITSHIFTS },
  { SQ_PARAM_DASH_SYN_OUT, N_("Output synaptic dashes"), SQ_ROLE_DECAY, SQ_FAMILY_BITSHIFTS },
};

static const SqLayerInfo layer_table[SQ_N_LAYERS] = {
  [SQ_LAYER_HIDDEN] = { "hidden", N_("Hidden layer") },
  [SQ_LAYER_OUTPUT] = { "output", N_("Output layer") },
};

/* A network over @spec (owned) or over @quant's specification (referenced). */
static SqNetwork *
network_new (SqXyloSpec *spec,
             XyloQuant  *quant)
{
  XyloData *d = g_new0 (XyloData, 1);
  const SqXyloSpec *s;
  SqNetwork *n;

  d->spec = spec;
  d->quant = quant ? g_atomic_rc_box_acquire (quant) : NULL;
  d->cache = spec ? _sq_quant_cache_new () : NULL;
  s = spec ? spec : quant->quant->spec;

  n = sq_network_new (&_sq_xylo_kind, d, xylo_data_free);
  n->source = g_strdup (s->source);
  n->n_inputs = s->n_in;
  n->n_outputs = s->n_out;
  n->n_hidden = s->n_hidden;
  n->n_synapses = s->n_syn;
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    sq_network_add_layer (n, &layer_table[l]);
  for (guint i = 0; i < G_N_ELEMENTS (group_table); i++)
    {
      SqParam p = group_table[i].param;
      SqLayer layer = sq_param_layer (p);
      SqGroup g = {
        .id = sq_param_name (p),
        .label = group_table[i].label,
        .role = group_table[i].role,
        .layer = layer,
        .scale = sq_param_is_dash (p) ? NULL : layer_table[layer].id,
        .values = &s->param[p],
        .native = (int) p,
        .family = group_table[i].family,
      };

      if (!sq_tensor_is_present (&s->param[p]))
        continue;
      /* Every specification has recurrent weights: the window opens on them. */
      if (p == SQ_PARAM_WEIGHTS_REC)
        n->default_group = n->groups->len;
      sq_network_add_group (n, &g);
    }
  for (guint i = 0; s->warnings && i < s->warnings->len; i++)
    g_ptr_array_add (n->warnings, g_strdup (g_ptr_array_index (s->warnings, i)));
  return n;
}

SqNetwork *
_sq_xylo_network_new (SqXyloSpec *spec)
{
  return network_new (spec, NULL);
}

static SqXyloSpec *
load_spec (const char           *path,
           const SqLoadOptions  *options,
           GCancellable         *cancellable,
           SqProgressFunc        progress,
           gpointer              progress_data,
           GPtrArray           **notes,
           GError              **error)
{
  if (_sq_path_has_extension (path, "nir"))
    return sq_xylo_spec_load_nir (path, options->has_nir ? &options->nir : NULL, notes, error);
  return sq_xylo_spec_load_file (path, cancellable, progress, progress_data, error);
}

static SqNetwork *
xylo_load (const char           *path,
           const SqLoadOptions  *options,
           GCancellable         *cancellable,
           SqProgressFunc        progress,
           gpointer              progress_data,
           GError              **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  SqXyloSpec *spec = load_spec (path, options, cancellable, progress, progress_data, &notes,
                                error);
  SqNetwork *n;

  if (spec == NULL)
    return NULL;
  n = network_new (spec, NULL);
  n->path = g_strdup (path);
  n->is_integer = sq_xylo_spec_is_integer (spec);
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    g_ptr_array_add (n->notes, g_strdup (g_ptr_array_index (notes, i)));
  diagnostics = sq_xylo_spec_diagnose (spec);
  _sq_network_add_diagnostics (n, n->diagnostics, diagnostics);
  return n;
}

/* Whether a file is a specification's NumPy archive: one whose first member is a key of
 * the specification (or an empty one, so the loader says so). JSON is read by the first
 * kind whatever its name; an archive of another kind's (a DynapCNN layer file) starts with
 * that kind's keys. */
static gboolean
xylo_probe (const char   *path,
            const guint8 *head,
            gsize         head_len)
{
  g_autofree char *first = _sq_zip_first_member (head, head_len);

  if (head_len >= 4 && memcmp (head, "PK\5\6", 4) == 0)
    return TRUE;
  return first != NULL && _sq_xylo_spec_key_known (first);
}

/* ---------------------------------------------------------------------------------------- */
/* Settings                                                                                  */

enum {
  OPT_METHOD,
  OPT_FUZZY,
  OPT_MODE,
  OPT_WEIGHT_BITS,
  OPT_THRESHOLD_BITS,
  OPT_WEIGHT_SHIFT,
  N_OPTS
};

static const SqChoice method_choices[] = {
  { "global", N_("Global"), NULL, NULL },
  { "channel", N_("Per channel"), NULL, "per-channel" },
};

static const SqChoice mode_choices[] = {
  { "synquant", N_("Synquant"), NULL, NULL },
  { "rockpool", N_("Rockpool-compatible"), NULL, NULL },
};

static const SqOption xylo_options[N_OPTS] = {
  [OPT_METHOD] = {
    "method", N_("_Method"), N_("One scale per layer, or one per target neuron"),
    N_("method"), SQ_OPTION_CHOICE, method_choices, G_N_ELEMENTS (method_choices),
    0, 1, SQ_METHOD_GLOBAL, -1, NULL, TRUE },
  [OPT_FUZZY] = {
    "fuzzy", N_("_Fuzzy"),
    N_("Scale to a robust range instead of the largest weight, clipping outliers"),
    N_("fuzzy"), SQ_OPTION_BOOL, NULL, 0, 0, 1, FALSE, -1, NULL, TRUE },
  [OPT_MODE] = {
    "mode", N_("M_ode"),
    N_("Synquant's corrected quantizer, or Rockpool's results bit for bit, defects included"),
    N_("mode"), SQ_OPTION_CHOICE, mode_choices, G_N_ELEMENTS (mode_choices),
    0, 1, SQ_MODE_SYNQUANT, -1, NULL, TRUE },
  [OPT_WEIGHT_BITS] = {
    "weight-bits", N_("_Weight bits"), N_("Bits per signed weight, 2–16 (default 8)"),
    N_("weight bits"), SQ_OPTION_INT, NULL, 0, SQ_WEIGHT_BITS_MIN, SQ_WEIGHT_BITS_MAX, 8,
    SQ_WEIGHT_BITS_MIN - 1, NULL, FALSE },
  [OPT_THRESHOLD_BITS] = {
    "threshold-bits", N_("_Threshold bits"),
    N_("Bits per signed threshold and bias, 2–24 (default 16)"),
    N_("threshold bits"), SQ_OPTION_INT, NULL, 0, SQ_THRESHOLD_BITS_MIN,
    SQ_THRESHOLD_BITS_MAX, 16, SQ_THRESHOLD_BITS_MIN - 1, NULL, FALSE },
  [OPT_WEIGHT_SHIFT] = {
    "weight-shift", N_("Weight _shift"),
    N_("Shift of the weights into the 16-bit state: 0 (default), 1–7, or auto to choose "
       "per layer (Synquant mode)"),
    N_("the weight shift"), SQ_OPTION_INT, NULL, 0, 0, SQ_QUANT_WEIGHT_SHIFT_MAX, 0,
    SQ_WEIGHT_SHIFT_AUTO, "auto", FALSE },
};

/* The quantizer's parameters from checked settings. */
static void
params_from_settings (const SqQuantSettings *settings,
                      SqQuantParams         *params)
{
  sq_quant_params_init (params);
  params->method = (SqMethod) settings->value[OPT_METHOD];
  params->fuzzy = settings->value[OPT_FUZZY] != 0;
  params->mode = (SqMode) settings->value[OPT_MODE];
  params->weight_bits = (guint) settings->value[OPT_WEIGHT_BITS];
  params->threshold_bits = (guint) settings->value[OPT_THRESHOLD_BITS];
  params->weight_shift = settings->value[OPT_WEIGHT_SHIFT];
}

static gboolean
xylo_check_settings (const SqQuantSettings  *settings,
                     GError                **error)
{
  SqQuantParams params;

  params_from_settings (settings, &params);
  return sq_quant_params_check (&params, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Quantization                                                                              */

/* The clip points of every method for both layers (the markers), only for a caller that
 * draws them: from the network's cached ranges, they cost nothing after the first time. */
typedef struct {
  const SqXyloSpec    *spec;
  gboolean             wanted;
  SqClipPoints         points[SQ_N_LAYERS];
} ClipJob;

static void
clip_job_clear (ClipJob *job)
{
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    sq_clip_points_clear (&job->points[l]);
}

/* The scale of @layer's weights: one, or the spread of its neurons' (|scale|) under
 * channel scaling. */
static void
layer_scales (const SqQuantResult *quant,
              SqLayer              layer,
              double              *scale,
              double              *lo,
              double              *hi)
{
  if (quant->params.method != SQ_METHOD_CHANNEL)
    {
      *scale = *lo = *hi = sq_quant_result_get_group (quant, layer)->scale;
      return;
    }
  *scale = NAN;
  *lo = INFINITY;
  *hi = -INFINITY;
  for (guint g = 0; g < quant->groups->len; g++)
    {
      const SqGroupReport *r = sq_quant_result_get_group (quant, g);

      if (r->layer == layer && r->range > 0.0)
        {
          *lo = MIN (*lo, fabs (r->scale));
          *hi = MAX (*hi, fabs (r->scale));
        }
    }
}

static void
figures_from_report (SqQuantFigures      *f,
                     const SqGroupReport *r)
{
  f->n_values = r->n_weights;
  f->n_nonzero = r->n_nonzero;
  f->clipped = r->clipped;
  f->out_of_range = r->out_of_range;
  f->zeroed = r->zeroed;
  f->signal = r->signal;
  f->noise = r->noise;
  f->max_abs_error = r->max_abs_error;
}

static void
add_marker (GArray        *markers,
            const char    *label,
            double         lo,
            double         hi,
            gboolean       band,
            SqMarkerStyle  style,
            gboolean       dashed)
{
  SqMarker m = { label, lo, hi, band, band, style, dashed };

  g_array_append_val (markers, m);
}

/* What the histogram of a group marks, as the window has drawn it: the range of dashes, or
 * the band of per-channel clip points, the fuzzy and the global clip point. */
static GArray *
markers_from_view (const SqParamView *v)
{
  GArray *markers = g_array_new (FALSE, FALSE, sizeof (SqMarker));

  if (sq_param_is_dash (v->param))
    {
      add_marker (markers, N_("dash 15"), 0.0, SQ_DASH_MAX, FALSE, SQ_MARKER_LIMIT, FALSE);
      return markers;
    }
  if (v->clip.n_channels > 0 && isfinite (v->clip.channel_min) &&
      isfinite (v->clip.channel_max))
    add_marker (markers, N_("per channel"), v->clip.channel_min, v->clip.channel_max, TRUE,
                SQ_MARKER_TERTIARY, FALSE);
  if (isfinite (v->clip.fuzzy))
    add_marker (markers, N_("fuzzy"), -fabs (v->clip.fuzzy), fabs (v->clip.fuzzy), FALSE,
                SQ_MARKER_SECONDARY, TRUE);
  if (isfinite (v->clip.global))
    add_marker (markers, N_("global"), -fabs (v->clip.global), fabs (v->clip.global), FALSE,
                SQ_MARKER_PRIMARY, FALSE);
  return markers;
}

static gboolean
add_group_result (SqNetworkResult  *r,
                  guint             g,
                  const ClipJob    *job,
                  GError          **error)
{
  const SqQuantResult *quant = _sq_xylo_result_quant (r);
  SqParam p = (SqParam) sq_network_get_group (r->network, g)->native;
  SqLayer layer = sq_param_layer (p);
  SqGroupResult gr = { 0, };
  SqParamView view;

  if (!_sq_param_view_compute (&view, job->spec, quant,
                               job->wanted ? &job->points[layer] : NULL, p, error))
    return FALSE;
  gr.group = g;
  gr.values = sq_network_get_group (r->quantized, g)->values;
  if (sq_param_is_dash (p))
    gr.scale = gr.scale_min = gr.scale_max = NAN;
  else
    {
      layer_scales (quant, layer, &gr.scale, &gr.scale_min, &gr.scale_max);
      /* Rockpool's defect b gives weights_rec a scale of its own. */
      if (p == SQ_PARAM_WEIGHTS_REC && quant->params.method != SQ_METHOD_CHANNEL)
        gr.scale = gr.scale_min = gr.scale_max = gr.scale * quant->rec_scale_factor;
      /* Thresholds and biases live in the state, 2^shift above the weights. */
      if (!sq_param_is_weights (p))
        {
          gr.scale = ldexp (gr.scale, quant->weight_shift[layer]);
          gr.scale_min = ldexp (gr.scale_min, quant->weight_shift[layer]);
          gr.scale_max = ldexp (gr.scale_max, quant->weight_shift[layer]);
        }
    }
  gr.clip_lo = view.clip_lo;
  gr.clip_hi = view.clip_hi;
  gr.level_scale = view.level_scale;
  gr.level_bits = view.level_bits;
  gr.markers = job->wanted ? markers_from_view (&view)
                           : g_array_new (FALSE, FALSE, sizeof (SqMarker));
  if (!sq_param_is_dash (p))
    {
      gr.n_channels = view.clip.n_channels;
      gr.channel_clip = g_steal_pointer (&view.clip.channel);
    }
  /* The report divides the integer error by the scale, the errors are q/s − w: they may
   * differ in the last bit, so the range gets a little room. */
  gr.error_bound = sq_param_is_weights (p) ? quant->layer[layer].max_abs_error * (1.0 + 1e-9)
                                           : NAN;
  _sq_param_view_clear (&view);
  g_array_append_val (r->groups, gr);
  return TRUE;
}

static SqNetworkResult *
xylo_quantize (SqNetwork             *network,
               const SqQuantSettings *settings,
               SqQuantizeFlags        flags,
               GCancellable          *cancellable,
               GError               **error)
{
  const SqXyloSpec *spec = _sq_xylo_network_spec (network);
  XyloData *d = network->data;
  /* Only a loaded network owns a specification to write over; the clip points of the
   * markers read its float values meanwhile. */
  gboolean in_place = (flags & SQ_QUANTIZE_IN_PLACE) != 0 &&
                      (flags & SQ_QUANTIZE_MARKERS) == 0 && d->spec != NULL;
  g_autoptr(SqNetworkResult) r = NULL;
  SqQuantParams params;
  ClipJob job = { 0, };
  XyloQuant *box;
  SqQuantResult *quant;
  const SqQuantResult *q;

  params_from_settings (settings, &params);
  job.spec = spec;
  job.wanted = (flags & SQ_QUANTIZE_MARKERS) != 0;
  if (job.wanted && !_sq_clip_points_compute_all (spec, &params, d->cache, job.points, error))
    return NULL;
  if (in_place)
    {
      /* The float values are about to go: so are their ranges. */
      g_clear_pointer (&d->cache, _sq_quant_cache_free);
      quant = _sq_quantize_in_place (d->spec, &params, error);
    }
  else
    quant = _sq_quantize_cached (spec, &params, d->cache, error);
  if (quant == NULL)
    {
      clip_job_clear (&job);
      return NULL;
    }

  box = g_atomic_rc_box_new0 (XyloQuant);
  box->quant = quant;
  if (in_place)
    {
      /* The quantization owns the specification now; the network sees it through it, as
       * a quantized network does. */
      d->spec = NULL;
      d->quant = g_atomic_rc_box_acquire (box);
    }
  r = sq_network_result_new (network, settings, box, xylo_quant_unref);
  r->flags = in_place ? SQ_QUANTIZE_IN_PLACE : 0;
  q = quant;
  r->quantized = network_new (NULL, box);
  r->quantized->is_integer = TRUE;
  r->mode_used = sq_mode_to_string (q->mode_used);
  for (guint l = 0; l < SQ_N_LAYERS; l++)
    {
      SqLayerResult *lr = &r->layers[l];

      figures_from_report (&lr->figures, &q->layer[l]);
      if (q->params.method == SQ_METHOD_GLOBAL)
        lr->clip = lr->clip_min = lr->clip_max = q->layer[l].clip;
      else
        {
          lr->clip = NAN;
          sq_quant_result_clip_range (q, (SqLayer) l, &lr->clip_min, &lr->clip_max);
        }
      layer_scales (q, (SqLayer) l, &lr->scale, &lr->scale_min, &lr->scale_max);
    }
  figures_from_report (&r->total, &q->total);
  /* Rockpool mode leaves out-of-range weights and dashes as they are; Synquant clips. */
  r->in_range = q->total.out_of_range == 0 &&
                !(q->mode_used == SQ_MODE_ROCKPOOL && q->dashes_clipped > 0);
  _sq_network_add_diagnostics (network, r->diagnostics, q->diagnostics);

  for (guint g = 0; g < network->groups->len; g++)
    if (!add_group_result (r, g, &job, error))
      break;
  clip_job_clear (&job);
  if (r->groups->len < network->groups->len ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&r);
}

static gboolean
xylo_group_errors (const SqNetworkResult  *result,
                   guint                   group,
                   gsize                   first,
                   gsize                   n,
                   double                 *errors,
                   GError                **error)
{
  SqParam p = (SqParam) sq_network_get_group (result->network, group)->native;

  _sq_quant_result_errors_range (_sq_xylo_result_quant (result),
                                 _sq_xylo_network_spec (result->network), p, first, n, errors);
  return TRUE;
}

static gboolean
xylo_group_figures (const SqNetworkResult  *result,
                    guint                   group,
                    gsize                   first,
                    gsize                   n,
                    SqGroupFigures         *figures,
                    double                 *errors,
                    GError                **error)
{
  SqParam p = (SqParam) sq_network_get_group (result->network, group)->native;

  _sq_quant_result_group_figures (_sq_xylo_result_quant (result),
                                  _sq_xylo_network_spec (result->network), p, first, n,
                                  figures, errors);
  return TRUE;
}

/* A sparse weight matrix's errors through its non-zero pairs (the network's cached list). */
static gboolean
xylo_sparse_errors (const SqNetworkResult *result,
                    guint                  group,
                    gsize                  block,
                    gsize                  part,
                    SqGroupFigures        *part_figures,
                    SqHistogram           *hist,
                    SqStats               *stats)
{
  SqParam p = (SqParam) sq_network_get_group (result->network, group)->native;
  const XyloData *d = result->network->data;
  const SqXyloSpec *spec = _sq_xylo_network_spec (result->network);
  SqQuantLayerView v;

  if (d->cache == NULL || !sq_param_is_weights (p))
    return FALSE;
  _sq_quant_layer_view_init (&v, spec, sq_param_layer (p));
  v.cache = d->cache;
  for (guint t = 0; t < v.n_w; t++)
    {
      const SqQuantSparse *sp = v.w_param[t] == p ? _sq_quant_view_sparse (&v, t) : NULL;

      if (sp != NULL)
        return _sq_quant_result_sparse_errors (_sq_xylo_result_quant (result), spec, p, sp,
                                               block, part, part_figures, hist, stats);
    }
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Simulation                                                                                */

static SqSimResult *
xylo_run (const SqNetwork        *network,
          const SqDeviceProfile  *device,
          const SqRaster         *input,
          gboolean                record_all,
          GCancellable           *cancellable,
          SqProgressFunc          progress,
          gpointer                progress_data,
          GError                **error)
{
  const SqXyloSpec *spec = _sq_xylo_network_spec (network);

  if (device == NULL)
    {
      g_autoptr(SqFloatSim) sim = sq_float_sim_new (spec, error);

      if (sim == NULL)
        return NULL;
      return sq_float_sim_run_full (sim, input, record_all, cancellable, progress,
                                    progress_data, error);
    }
  else
    {
      g_autoptr(SqXyloSim) sim = sq_xylo_sim_new (spec, device->device, error);

      if (sim == NULL)
        return NULL;
      return sq_xylo_sim_run_full (sim, input, record_all, cancellable, progress,
                                   progress_data, error);
    }
}

/* A prepared simulator: one of the two, reset before each input. */
typedef struct {
  SqFloatSim *float_sim;
  SqXyloSim  *int_sim;
} XyloRunner;

static void
xylo_runner_free (gpointer data)
{
  XyloRunner *r = data;

  g_clear_pointer (&r->float_sim, sq_float_sim_free);
  g_clear_pointer (&r->int_sim, sq_xylo_sim_free);
  g_free (r);
}

static gpointer
xylo_runner_new (const SqNetwork       *network,
                 const SqDeviceProfile *device,
                 GError               **error)
{
  const SqXyloSpec *spec = _sq_xylo_network_spec (network);
  XyloRunner *r = g_new0 (XyloRunner, 1);

  if (device == NULL)
    r->float_sim = sq_float_sim_new (spec, error);
  else
    r->int_sim = sq_xylo_sim_new (spec, device->device, error);
  if (r->float_sim == NULL && r->int_sim == NULL)
    {
      xylo_runner_free (r);
      return NULL;
    }
  return r;
}

static SqSimResult *
xylo_runner_run (gpointer        data,
                 const SqRaster *input,
                 GCancellable   *cancellable,
                 GError        **error)
{
  XyloRunner *r = data;

  if (r->float_sim != NULL)
    {
      sq_float_sim_reset (r->float_sim);
      return sq_float_sim_run_full (r->float_sim, input, FALSE, cancellable, NULL, NULL,
                                    error);
    }
  sq_xylo_sim_reset (r->int_sim);
  return sq_xylo_sim_run_full (r->int_sim, input, FALSE, cancellable, NULL, NULL, error);
}

/* Integer state per float unit for neuron @index: the weight scale of its group, times
 * 2^shift (thresholds and states are scaled by the shift more than the weights). */
static double
xylo_state_scale (const SqNetworkResult *result,
                  gboolean               output,
                  gsize                  index)
{
  const SqQuantResult *quant = _sq_xylo_result_quant (result);
  SqLayer layer = output ? SQ_LAYER_OUTPUT : SQ_LAYER_HIDDEN;
  gsize n_hidden = quant->spec->n_hidden;
  guint g;

  if (quant->params.method == SQ_METHOD_GLOBAL)
    g = layer;
  else
    g = (guint) (layer == SQ_LAYER_HIDDEN ? index : n_hidden + index);
  if (g >= quant->groups->len)
    return NAN;
  return ldexp (sq_quant_result_get_group (quant, g)->scale, quant->weight_shift[layer]);
}

static double
xylo_neuron_threshold (const SqNetwork *network,
                       gboolean         output,
                       gsize            index)
{
  const SqTensor *t = &_sq_xylo_network_spec (network)->param[output ? SQ_PARAM_THRESHOLD_OUT
                                                                     : SQ_PARAM_THRESHOLD];

  return sq_tensor_is_present (t) && index < t->n ? t->data[index] : NAN;
}

/* ---------------------------------------------------------------------------------------- */
/* Check, export, save                                                                       */

static SqCheckReport *
xylo_check (const SqNetwork        *network,
            const SqNetworkResult  *result,
            const SqDeviceProfile  *device,
            GError                **error)
{
  SqCheckReport *report = sq_device_check (device, _sq_xylo_network_spec (network));

  for (guint i = 0; i < report->issues->len; i++)
    {
      SqCheckIssue *issue = g_ptr_array_index (report->issues, i);
      guint g;

      issue->param = sq_network_group_for_native (network, issue->param, &g) ? (int) g : -1;
    }
  return report;
}

static GPtrArray *
xylo_export (const SqNetwork        *network,
             const SqNetworkResult  *result,
             const SqDeviceProfile  *device,
             const SqFormatInfo     *format,
             const char             *path,
             const SqExportOptions  *options,
             GError                **error)
{
  SqExportFormat f;

  if (!sq_export_format_from_string (format->name, &f))
    g_return_val_if_reached (NULL);
  return sq_export_build (_sq_xylo_network_spec (network),
                          result ? _sq_xylo_result_quant (result) : NULL, device, f, path,
                          options, error);
}

static GBytes *
xylo_save (const SqNetworkResult  *result,
           const char             *extension,
           GError                **error)
{
  const SqQuantResult *quant = _sq_xylo_result_quant (result);

  return _sq_xylo_spec_bytes (quant->spec, quant, extension, error);
}

/* ---------------------------------------------------------------------------------------- */
/* The kind                                                                                  */

/* In SqExportFormat order, the names its menus showed. */
static const SqFormatInfo xylo_formats[] = {
  { "rockpool-json", N_("Rockpool JSON"), "json", FALSE, FALSE },
  { "rockpool-npz", N_("Rockpool NumPy"), "npz", FALSE, FALSE },
  { "samna-json", N_("samna JSON"), "json", FALSE, FALSE },
  { "xylo-ram", N_("Xylo RAM images"), NULL, TRUE, FALSE },
  { "c-header", N_("C header"), "h", FALSE, TRUE },
  { "nir", N_("NIR graph"), "nir", FALSE, FALSE },
};

static const char * const save_extensions[] = { "json", "npz", "nir", NULL };
static const char * const load_extensions[] = { "json", "npz", "nir", NULL };
/* The default first, as `synquant-cli simulate` has always listed them. */
static const char * const xylo_devices[] = {
  "xylo-audio2", "xylo-imu", "xylo-audio3", "xylo-v1", NULL
};

/* The compare page's columns as the window has always offered them: the choices users
 * compare first. */
static const char * const compare_presets[] = {
  "method=global", "method=channel", "fuzzy=true", "method=channel weight-bits=4", NULL
};
static const char * const compare_shared[] = { "threshold-bits", "weight-shift", NULL };

static const SqKindView xylo_view = {
  .compare_presets = compare_presets,
  .compare_shared = compare_shared,
  /* TRANSLATORS: %s is a number of bits */
  .compare_caption = N_("The parameter selected on the Tune page, under each column's "
                        "settings; thresholds and biases use %s bits everywhere. The column "
                        "with the best network SQNR is marked."),
  .save_name = "{method}{-fuzzy}-{weight-bits}bit",
};

const SqNetworkKind _sq_xylo_kind = {
  .name = "xylo",
  .label = N_("Xylo specification"),
  .options = xylo_options,
  .n_options = N_OPTS,
  .formats = xylo_formats,
  .n_formats = G_N_ELEMENTS (xylo_formats),
  .save_extensions = save_extensions,
  .load_extensions = load_extensions,
  .devices = xylo_devices,
  .role_labels = { [SQ_ROLE_DECAY] = N_("Dashes") },
  .view = &xylo_view,

  .probe = xylo_probe,
  .load = xylo_load,
  .check_settings = xylo_check_settings,
  .quantize = xylo_quantize,
  .group_errors = xylo_group_errors,
  .group_figures = xylo_group_figures,
  .sparse_errors = xylo_sparse_errors,
  .run = xylo_run,
  .runner_new = xylo_runner_new,
  .runner_run = xylo_runner_run,
  .runner_free = xylo_runner_free,
  .hints = _sq_xylo_hints,
  .state_scale = xylo_state_scale,
  .neuron_threshold = xylo_neuron_threshold,
  .check = xylo_check,
  .export = xylo_export,
  .save = xylo_save,
  .write = _sq_xylo_write,
  .with_values = _sq_xylo_with_values,

  .describe = _sq_xylo_describe,
  .describe_file = _sq_xylo_describe_file,
  .summary = _sq_xylo_summary,
  .report = _sq_xylo_report,
  .note = _sq_xylo_note,
  .compare_table = _sq_xylo_compare_table,
};
