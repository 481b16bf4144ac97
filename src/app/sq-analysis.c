/* sq-analysis.c: one quantization of a document and what the plots show of one group
 *
 * Every change of a setting recomputes the whole quantization in a worker thread (a few
 * milliseconds for 2 M weights) and hands an immutable SqAnalysisResult back to the main
 * thread, which only swaps a pointer and redraws. A newer request cancels an older one;
 * results of an outdated request are dropped. The settings are the options of the document's
 * kind; a document of another kind starts from that kind's defaults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sq-analysis.h"
#include "sq-types.h"

struct _SqAnalysis
{
  GObject           parent_instance;

  SqDocument       *document;
  guint             group;
  char             *group_id;   /* the group shown, kept across documents by its id */
  SqQuantSettings   settings;

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
  PROP_GROUP,
  PROP_SETTINGS,
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

  g_clear_pointer (&result->quant, sq_network_result_unref);
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

/* A float 0 quantizes to exactly 0 in every mode, so the exact zeros of the values are
 * errors of exactly 0, in the bin of 0: they are counted apart there too, and the error
 * chart shows the errors of the weights rather than one bar of structural zeros. */
static void
leave_out_zero_errors (SqHistogram *errors,
                       guint64      zeros)
{
  guint bin;

  if (zeros == 0 || !sq_histogram_find_bin (errors, 0.0, &bin) || errors->counts[bin] < zeros)
    return;
  errors->counts[bin] -= zeros;
  errors->n -= zeros;
  errors->zeros = zeros;
}

/**
 * sq_analysis_result_compute:
 * @result: a new result from sq_analysis_result_new()
 * @group: the index of the group the histograms show
 * @values: (nullable): the float histogram of @group when the caller has it already
 * @value_stats: (nullable): with @values, the statistics of @group's float values
 *
 * Quantizes @network with @settings (of its kind) and computes the histograms and the
 * figures of @group.
 */
gboolean
sq_analysis_result_compute (SqAnalysisResult       *result,
                            SqNetwork              *network,
                            const SqQuantSettings  *settings,
                            guint                   group,
                            const SqHistogram      *values,
                            const SqStats          *value_stats,
                            GCancellable           *cancellable,
                            GError                **error)
{
  gint64 start = g_get_monotonic_time ();
  const SqGroup *g;

  g_return_val_if_fail (group < sq_network_n_groups (network), FALSE);
  g = sq_network_get_group (network, group);
  result->group = group;
  /* The charts draw the markers of every method. */
  result->quant = sq_network_quantize (network, settings, SQ_QUANTIZE_MARKERS, cancellable,
                                       error);
  if (result->quant == NULL)
    return FALSE;

  if (values != NULL && value_stats != NULL)
    {
      if (!sq_histogram_copy (&result->values, values, error))
        return FALSE;
      result->value_stats = *value_stats;
    }
  else
    {
      result->value_stats = *sq_network_group_stats (network, group);
      /* The structural zeros of a sparse matrix are counted apart: as a bar they would
       * flatten every other one (HACKING.md, "Charts"). */
      if (!sq_histogram_init_nonzero (&result->values, g->values->data, g->values->n,
                                      SQ_ANALYSIS_BINS, error))
        return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !sq_network_result_error_histogram_figures (result->quant, group, SQ_ANALYSIS_BINS,
                                                  &result->errors, &result->error_stats,
                                                  &result->figures, error))
    return FALSE;
  leave_out_zero_errors (&result->errors, result->values.zeros);

  result->compute_usec = g_get_monotonic_time () - start;
  return TRUE;
}

typedef struct {
  SqNetwork       *network;
  SqQuantSettings  settings;
  guint            group;
  SqHistogram      values;
  SqStats          value_stats;
  gboolean         has_values;
  guint            generation;
  SqDocument      *document;
} Request;

static void
request_free (Request *req)
{
  g_clear_pointer (&req->network, sq_network_unref);
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

  if (!sq_analysis_result_compute (result, req->network, &req->settings, req->group,
                                   req->has_values ? &req->values : NULL, &req->value_stats,
                                   cancellable, &error))
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

/* Whether the current document, group and settings can be quantized. */
static gboolean
can_compute (SqAnalysis *self)
{
  SqNetwork *network = self->document ? sq_document_get_network (self->document) : NULL;

  return network != NULL && self->group < sq_network_n_groups (network) &&
         network->kind == self->settings.kind;
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

  if (!can_compute (self))
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
  req->network = sq_network_ref (sq_document_get_network (self->document));
  req->settings = self->settings;
  req->group = self->group;
  req->generation = self->generation;
  /* The float histogram depends only on the document and the group. */
  if (self->values_valid && self->result != NULL && self->result->group == self->group)
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
 * computation follows them all, before the next frame is drawn. The analysis is busy from
 * now on: its result no longer matches its settings, and whoever waits for it to settle
 * must not see it idle before the computation has even started. */
static void
queue_update (SqAnalysis *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, start_update, self, NULL);
  set_busy (self, TRUE);
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
  g_free (self->group_id);

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
    case PROP_GROUP:
      g_value_set_uint (value, self->group);
      break;
    case PROP_SETTINGS:
      g_value_set_boxed (value, &self->settings);
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

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      sq_analysis_set_document (self, g_value_get_object (value));
      break;
    case PROP_GROUP:
      sq_analysis_set_group (self, g_value_get_uint (value));
      break;
    case PROP_SETTINGS:
      if (g_value_get_boxed (value) != NULL)
        sq_analysis_set_settings (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
   * SqAnalysis:group:
   *
   * The index of the parameter group the histograms show.
   */
  properties[PROP_GROUP] =
    g_param_spec_uint ("group", NULL, NULL, 0, G_MAXUINT, 0, rw);

  /**
   * SqAnalysis:settings:
   *
   * The quantization settings (#SqQuantSettings), the options of the document's kind.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_boxed ("settings", NULL, NULL, SQ_TYPE_QUANT_SETTINGS, rw);

  /**
   * SqAnalysis:busy:
   *
   * A computation is queued or under way: the result is not yet that of the settings.
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
  sq_quant_settings_init (&self->settings, sq_default_kind ());
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

/* Sets the group and remembers its id, so another document shows the same group. */
static void
set_group (SqAnalysis *self,
           guint       group)
{
  SqNetwork *network = self->document ? sq_document_get_network (self->document) : NULL;

  if (network != NULL && group < sq_network_n_groups (network))
    {
      g_free (self->group_id);
      self->group_id = g_strdup (sq_network_get_group (network, group)->id);
    }
  if (self->group == group)
    return;
  self->group = group;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
}

/**
 * sq_analysis_set_document:
 *
 * Shows @document: the group of the same id as before, else the network's first; settings
 * of another kind start from the defaults of the document's.
 */
void
sq_analysis_set_document (SqAnalysis *self,
                          SqDocument *document)
{
  g_return_if_fail (SQ_IS_ANALYSIS (self));
  g_return_if_fail (document == NULL || SQ_IS_DOCUMENT (document));

  if (!g_set_object (&self->document, document))
    return;
  self->values_valid = FALSE;
  g_object_freeze_notify (G_OBJECT (self));
  if (document != NULL)
    {
      SqNetwork *network = sq_document_get_network (document);
      guint group;

      if (network->kind != self->settings.kind)
        {
          sq_quant_settings_init (&self->settings, network->kind);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
        }
      else if (self->settings.n_layer_overrides > 0)
        {
          /* Layer settings name layers by index: they were the last network's. */
          self->settings.n_layer_overrides = 0;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
        }
      if (self->group_id == NULL || !sq_network_find_group (network, self->group_id, &group))
        group = sq_network_default_group (network);
      set_group (self, group);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  g_object_thaw_notify (G_OBJECT (self));
  queue_update (self);
}

guint
sq_analysis_get_group (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), 0);
  return self->group;
}

void
sq_analysis_set_group (SqAnalysis *self,
                       guint       group)
{
  g_return_if_fail (SQ_IS_ANALYSIS (self));

  if (self->group == group)
    return;
  set_group (self, group);
  queue_update (self);
}

/* Returns: the kind whose options the settings are */
const SqNetworkKind *
sq_analysis_get_kind (SqAnalysis *self)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), NULL);
  return self->settings.kind;
}

void
sq_analysis_get_settings (SqAnalysis      *self,
                          SqQuantSettings *settings)
{
  g_return_if_fail (SQ_IS_ANALYSIS (self));
  *settings = self->settings;
}

/* @value within what @option takes, as a spin button or drop-down would keep it. */
static int
clamp_value (const SqOption *option,
             int             value)
{
  switch (option->type)
    {
    case SQ_OPTION_CHOICE:
      return CLAMP (value, 0, (int) option->n_choices - 1);
    case SQ_OPTION_BOOL:
      return value != 0;
    case SQ_OPTION_INT:
    default:
      if (option->special_name != NULL && value == option->special_value)
        return value;
      return CLAMP (value, option->min, option->max);
    }
}

/**
 * sq_analysis_set_settings:
 *
 * Sets every setting at once (of any kind: a document of another kind computes nothing with
 * them); notifies once and computes once. Values out of range are clamped, as a spin button
 * would.
 */
void
sq_analysis_set_settings (SqAnalysis            *self,
                          const SqQuantSettings *settings)
{
  SqQuantSettings s = *settings;

  g_return_if_fail (SQ_IS_ANALYSIS (self));
  g_return_if_fail (settings->kind != NULL);

  for (guint i = 0; i < s.kind->n_options; i++)
    s.value[i] = clamp_value (&s.kind->options[i], s.value[i]);
  if (sq_quant_settings_equal (&self->settings, &s))
    return;
  self->settings = s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
  queue_update (self);
}

/* Returns: the value of option @id of the analysis's kind, which must have it */
int
sq_analysis_get_option (SqAnalysis *self,
                        const char *id)
{
  g_return_val_if_fail (SQ_IS_ANALYSIS (self), 0);
  return sq_quant_settings_get (&self->settings, id);
}

/* Sets option @id (clamped into its range); an id the kind does not have is ignored. */
void
sq_analysis_set_option (SqAnalysis *self,
                        const char *id,
                        int         value)
{
  SqQuantSettings s;
  const SqOption *option;

  g_return_if_fail (SQ_IS_ANALYSIS (self));

  option = sq_network_kind_option (self->settings.kind, id);
  if (option == NULL)
    return;
  s = self->settings;
  s.value[option - self->settings.kind->options] = clamp_value (option, value);
  sq_analysis_set_settings (self, &s);
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
