/* sq-analysis.c: one quantization of a document and what the plots show of one parameter
 *
 * Every change of a setting recomputes the whole quantization in a worker thread (a few
 * milliseconds for 2 M weights) and hands an immutable SqAnalysisResult back to the main
 * thread, which only swaps a pointer and redraws. A newer request cancels an older one;
 * results of an outdated request are dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-analysis.h"
#include "sq-enum-types.h"

struct _SqAnalysis
{
  GObject           parent_instance;

  SqDocument       *document;
  SqParam           param;
  SqQuantParams     params;

  SqAnalysisResult *result;
  GError           *error;
  GCancellable     *cancellable;
  guint             generation;
  guint             update_id;
  gboolean          busy;
  /* The result's float histogram is that of the current document. */
  gboolean          values_valid;
};

G_DEFINE_FINAL_TYPE (SqAnalysis, sq_analysis, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_PARAM,
  PROP_METHOD,
  PROP_MODE,
  PROP_FUZZY,
  PROP_WEIGHT_BITS,
  PROP_THRESHOLD_BITS,
  PROP_BUSY,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------- */
/* The computation, in any thread                                                            */

static void
result_clear (gpointer data)
{
  SqAnalysisResult *result = data;

  g_clear_pointer (&result->quant, sq_quant_result_free);
  sq_param_view_clear (&result->view);
  sq_histogram_clear (&result->values);
  sq_histogram_clear (&result->errors);
}

SqAnalysisResult *
sq_analysis_result_new (void)
{
  return g_atomic_rc_box_new0 (SqAnalysisResult);
}

SqAnalysisResult *
sq_analysis_result_ref (SqAnalysisResult *result)
{
  return g_atomic_rc_box_acquire (result);
}

void
sq_analysis_result_unref (SqAnalysisResult *result)
{
  if (result != NULL)
    g_atomic_rc_box_release_full (result, result_clear);
}

typedef struct {
  const SqXyloSpec    *spec;
  SqLayer              layer;
  const SqQuantParams *params;
  SqClipPoints         points;
  GError              *error;
  gboolean             ok;
} ClipJob;

static gpointer
clip_thread (gpointer data)
{
  ClipJob *job = data;

  job->ok = sq_clip_points_compute (job->spec, job->layer, job->params, &job->points,
                                    &job->error);
  return NULL;
}

static gboolean
values_histogram (const SqTensor *t,
                  SqHistogram    *hist,
                  SqStats        *stats,
                  GError        **error)
{
  sq_tensor_stats (t, stats);
  if (!sq_histogram_init (hist, stats->min, stats->max, SQ_ANALYSIS_BINS, error))
    return FALSE;
  sq_histogram_add (hist, t->data, t->n);
  return TRUE;
}

/**
 * sq_analysis_result_compute:
 * @result: a new result from sq_analysis_result_new()
 * @values: (nullable): the float histogram of @param when the caller has it already
 * @value_stats: (nullable): with @values, the statistics of @param's float values
 *
 * Quantizes @spec and computes the histograms and clip points of @param. The clip points of
 * the three methods are computed in a second thread beside the quantization: on the
 * 2 M-weight example they take about as long.
 */
gboolean
sq_analysis_result_compute (SqAnalysisResult    *result,
                            const SqXyloSpec    *spec,
                            const SqQuantParams *params,
                            SqParam              param,
                            const SqHistogram   *values,
                            const SqStats       *value_stats,
                            GCancellable        *cancellable,
                            GError             **error)
{
  gint64 start = g_get_monotonic_time ();
  ClipJob job = { spec, sq_param_layer (param), params, { 0, }, NULL, FALSE };
  GThread *thread;
  gboolean ok;

  result->params = *params;
  result->param = param;

  thread = g_thread_new ("sq-clip-points", clip_thread, &job);
  result->quant = sq_quantize (spec, params, error);
  g_thread_join (thread);

  ok = result->quant != NULL;
  if (ok && !job.ok)
    {
      g_propagate_error (error, g_steal_pointer (&job.error));
      ok = FALSE;
    }
  g_clear_error (&job.error);
  if (ok)
    ok = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
         sq_param_view_compute (&result->view, spec, result->quant, &job.points, param, error);
  sq_clip_points_clear (&job.points);
  if (!ok)
    return FALSE;

  if (values != NULL && value_stats != NULL)
    {
      if (!sq_histogram_copy (&result->values, values, error))
        return FALSE;
      result->value_stats = *value_stats;
    }
  else if (!values_histogram (&spec->param[param], &result->values, &result->value_stats,
                              error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !sq_quant_result_error_histogram (result->quant, spec, param, SQ_ANALYSIS_BINS,
                                        &result->errors, &result->error_stats, error))
    return FALSE;

  result->compute_usec = g_get_monotonic_time () - start;
  return TRUE;
}

typedef struct {
  SqDocument    *document;
  SqQuantParams  params;
  SqParam        param;
  SqHistogram    values;
  SqStats        value_stats;
  gboolean       has_values;
  guint          generation;
} Request;

static void
request_free (Request *req)
{
  g_clear_object (&req->document);
  sq_histogram_clear (&req->values);
  g_free (req);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Request *req = task_data;
  g_autoptr(SqAnalysisResult) result = sq_analysis_result_new ();
  GError *error = NULL;

  if (!sq_analysis_result_compute (result, sq_document_get_spec (req->document), &req->params,
                                   req->param, req->has_values ? &req->values : NULL,
                                   &req->value_stats, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&result),
                           (GDestroyNotify) sq_analysis_result_unref);
}

/* ---------------------------------------------------------------------------------------- */
/* The object, in the main thread                                                            */

static void
set_busy (SqAnalysis *self,
          gboolean    busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
compute_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(SqAnalysis) self = user_data;
  Request *req = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  SqAnalysisResult *result;

  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (req->generation != self->generation)
    {
      /* A newer request is under way; this one only had to finish. */
      g_clear_pointer (&result, sq_analysis_result_unref);
      return;
    }

  set_busy (self, FALSE);
  g_clear_pointer (&self->result, sq_analysis_result_unref);
  g_clear_error (&self->error);
  self->result = result;
  self->values_valid = result != NULL && req->document == self->document;
  self->error = g_steal_pointer (&error);
  g_signal_emit (self, signals[UPDATED], 0);
}

static gboolean
start_update (gpointer user_data)
{
  SqAnalysis *self = user_data;
  g_autoptr(GTask) task = NULL;
  Request *req;

  self->update_id = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->generation++;

  if (self->document == NULL || !sq_document_has_param (self->document, self->param))
    {
      gboolean had = self->result != NULL || self->error != NULL;

      g_clear_pointer (&self->result, sq_analysis_result_unref);
      g_clear_error (&self->error);
      set_busy (self, FALSE);
      if (had)
        g_signal_emit (self, signals[UPDATED], 0);
      return G_SOURCE_REMOVE;
    }

  req = g_new0 (Request, 1);
  req->document = g_object_ref (self->document);
  req->params = self->params;
  req->param = self->param;
  req->generation = self->generation;
  /* The float histogram depends only on the document and the parameter. */
  if (self->values_valid && self->result != NULL && self->result->param == self->param)
    {
      req->has_values = sq_histogram_copy (&req->values, &self->result->values, NULL);
      req->value_stats = self->result->value_stats;
    }

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, compute_done, g_object_ref (self));
  g_task_set_source_tag (task, start_update);
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, compute_thread);
  return G_SOURCE_REMOVE;
}

/* Several settings often change together (a compare column's "Use these settings"): one
 * computation follows them all, before the next frame is drawn. */
static void
queue_update (SqAnalysis *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, start_update, self, NULL);
}

static void
sq_analysis_dispose (GObject *object)
{
  SqAnalysis *self = SQ_ANALYSIS (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (sq_analysis_parent_class)->dispose (object);
}

static void
sq_analysis_finalize (GObject *object)
{
  SqAnalysis *self = SQ_ANALYSIS (object);

  g_clear_pointer (&self->result, sq_analysis_result_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (sq_analysis_parent_class)->finalize (object);
}

static void
sq_analysis_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SqAnalysis *self = SQ_ANALYSIS (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_PARAM:
      g_value_set_enum (value, self->param);
      break;
    case PROP_METHOD:
      g_value_set_enum (value, self->params.method);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->params.mode);
      break;
    case PROP_FUZZY:
      g_value_set_boolean (value, self->params.fuzzy);
      break;
    case PROP_WEIGHT_BITS:
      g_value_set_uint (value, self->params.weight_bits);
      break;
    case PROP_THRESHOLD_BITS:
      g_value_set_uint (value, self->params.threshold_bits);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_analysis_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SqAnalysis *self = SQ_ANALYSIS (object);
  SqQuantParams p = self->params;

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      sq_analysis_set_document (self, g_value_get_object (value));
      return;
    case PROP_PARAM:
      sq_analysis_set_param (self, g_value_get_enum (value));
      return;
    case PROP_METHOD:
      p.method = g_value_get_enum (value);
      break;
    case PROP_MODE:
      p.mode = g_value_get_enum (value);
      break;
    case PROP_FUZZY:
      p.fuzzy = g_value_get_boolean (value);
      break;
    case PROP_WEIGHT_BITS:
      p.weight_bits = g_value_get_uint (value);
      break;
    case PROP_THRESHOLD_BITS:
      p.threshold_bits = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  sq_analysis_set_params (self, &p);
}

static void
sq_analysis_class_init (SqAnalysisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sq_analysis_dispose;
  object_class->finalize = sq_analysis_finalize;
  object_class->get_property = sq_analysis_get_property;
  object_class->set_property = sq_analysis_set_property;

  /**
   * SqAnalysis:document:
   *
   * The network quantized; %NULL shows nothing.
   */
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, SQ_TYPE_DOCUMENT, rw);

  /**
   * SqAnalysis:param:
   *
   * The parameter the histograms show.
   */
  properties[PROP_PARAM] =
    g_param_spec_enum ("param", NULL, NULL, SQ_TYPE_PARAM, SQ_PARAM_WEIGHTS_REC, rw);

  /**
   * SqAnalysis:method:
   *
   * Global or per-channel scaling.
   */
  properties[PROP_METHOD] =
    g_param_spec_enum ("method", NULL, NULL, SQ_TYPE_METHOD, SQ_METHOD_GLOBAL, rw);

  /**
   * SqAnalysis:mode:
   *
   * Synquant's corrected quantizer or bit-exact Rockpool compatibility.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, SQ_TYPE_MODE, SQ_MODE_SYNQUANT, rw);

  /**
   * SqAnalysis:fuzzy:
   *
   * Scale to a robust range rather than the largest weight.
   */
  properties[PROP_FUZZY] =
    g_param_spec_boolean ("fuzzy", NULL, NULL, FALSE, rw);

  /**
   * SqAnalysis:weight-bits:
   *
   * Signed bits of the integer weights.
   */
  properties[PROP_WEIGHT_BITS] =
    g_param_spec_uint ("weight-bits", NULL, NULL, SQ_WEIGHT_BITS_MIN, SQ_WEIGHT_BITS_MAX, 8,
                       rw);

  /**
   * SqAnalysis:threshold-bits:
   *
   * Signed bits of the integer thresholds and biases.
   */
  properties[PROP_THRESHOLD_BITS] =
    g_param_spec_uint ("threshold-bits", NULL, NULL, SQ_THRESHOLD_BITS_MIN,
                       SQ_THRESHOLD_BITS_MAX, 16, rw);

  /**
   * SqAnalysis:busy:
   *
   * A computation is under way.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SqAnalysis::updated:
   *
   * A new result (or error) replaced the previous one.
   */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sq_analysis_init (SqAnalysis *self)
{
  sq_quant_params_init (&self->params);
  self->param = SQ_PARAM_WEIGHTS_REC;
}

SqAnalysis *
sq_analysis_new (void)
{
  return g_object_new (SQ_TYPE_ANALYSIS, NULL);
}

SqDocument *
sq_analysis_get_document (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), NULL);
  return self->document;
}

void
sq_analysis_set_document (SqAnalysis *self,
                          SqDocument *document)
{
  g_return_if_fail (SQ_IS_ANALYSIS (self));
  g_return_if_fail (document == NULL || SQ_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;
  self->values_valid = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  queue_update (self);
}

SqParam
sq_analysis_get_param (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), SQ_PARAM_WEIGHTS_REC);
  return self->param;
}

void
sq_analysis_set_param (SqAnalysis *self,
                       SqParam     param)
{
  g_return_if_fail (SQ_IS_ANALYSIS (self));
  g_return_if_fail (param < SQ_N_PARAMS);

  if (self->param == param)
    return;
  self->param = param;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARAM]);
  queue_update (self);
}

void
sq_analysis_get_params (SqAnalysis    *self,
                        SqQuantParams *params)
{
  g_return_if_fail (SQ_IS_ANALYSIS (self));
  *params = self->params;
}

/* Sets every setting at once; notifies each that changed and computes once. Settings out of
 * range are clamped, as a spin button would. */
void
sq_analysis_set_params (SqAnalysis          *self,
                        const SqQuantParams *params)
{
  SqQuantParams old = self->params, p = *params;

  g_return_if_fail (SQ_IS_ANALYSIS (self));

  p.weight_bits = CLAMP (p.weight_bits, SQ_WEIGHT_BITS_MIN, SQ_WEIGHT_BITS_MAX);
  p.threshold_bits = CLAMP (p.threshold_bits, SQ_THRESHOLD_BITS_MIN, SQ_THRESHOLD_BITS_MAX);
  p.fuzzy = !!p.fuzzy;
  if (memcmp (&old, &p, sizeof p) == 0)
    return;

  self->params = p;
  g_object_freeze_notify (G_OBJECT (self));
  if (old.method != p.method)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METHOD]);
  if (old.mode != p.mode)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
  if (old.fuzzy != p.fuzzy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FUZZY]);
  if (old.weight_bits != p.weight_bits)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHT_BITS]);
  if (old.threshold_bits != p.threshold_bits)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THRESHOLD_BITS]);
  g_object_thaw_notify (G_OBJECT (self));
  queue_update (self);
}

gboolean
sq_analysis_get_busy (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), FALSE);
  return self->busy;
}

/* Returns: (nullable): the latest result, or %NULL before the first or after an error */
const SqAnalysisResult *
sq_analysis_get_result (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), NULL);
  return self->result;
}

/**
 * sq_analysis_dup_result:
 *
 * The latest result for work that outlives it (a thread, a dialog): the reference is the
 * caller's, so the result stays alive and unchanged while newer ones replace it.
 *
 * Returns: (nullable) (transfer full): the latest result, or %NULL as
 *   sq_analysis_get_result()
 */
SqAnalysisResult *
sq_analysis_dup_result (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), NULL);
  return self->result != NULL ? sq_analysis_result_ref (self->result) : NULL;
}

/* Returns: (nullable): why the latest computation failed */
const GError *
sq_analysis_get_error (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), NULL);
  return self->error;
}
