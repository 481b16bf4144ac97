/* sq-sweep.c: every combination of a few settings, quantized, checked and evaluated
 *
 * An axis is any option of the network's kind with a list or range of values, so a sweep
 * works for every kind without knowing one. Quantizations go through sq_network_quantize(),
 * whose cache on the network keeps what depends only on the float weights (ranges, sparse
 * forms) between combinations; the float model runs once per set (SqEvalBaseline).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-network-private.h"
#include "sq-parallel-private.h"
#include "sq-private.h"

static void
axis_clear (gpointer data)
{
  g_free (((SqSweepAxis *) data)->values);
}

static void
row_clear (gpointer data)
{
  SqSweepRow *row = data;

  g_free (row->refused);
  g_free (row->groups);
}

SqSweep *
sq_sweep_new (SqNetwork             *network,
              const SqQuantSettings *base)
{
  SqSweep *sweep = g_new0 (SqSweep, 1);

  g_return_val_if_fail (network != NULL && base != NULL, NULL);
  sweep->network = sq_network_ref (network);
  sweep->base = *base;
  sweep->axes = g_array_new (FALSE, TRUE, sizeof (SqSweepAxis));
  g_array_set_clear_func (sweep->axes, axis_clear);
  sweep->rows = g_array_new (FALSE, TRUE, sizeof (SqSweepRow));
  g_array_set_clear_func (sweep->rows, row_clear);
  return sweep;
}

void
sq_sweep_free (SqSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_array_unref (sweep->axes);
  g_array_unref (sweep->rows);
  sq_network_unref (sweep->network);
  g_free (sweep);
}

static void
append_value (GArray *values,
              int     v)
{
  for (guint i = 0; i < values->len; i++)
    if (g_array_index (values, int, i) == v)
      return;
  g_array_append_val (values, v);
}

/* "2-8": both ends as the option takes them, each value in between checked by the kind. */
static gboolean
parse_range (const SqOption   *o,
             SqQuantSettings  *scratch,
             const char       *text,
             GArray           *values,
             gboolean         *is_range,
             GError          **error)
{
  const char *dash = strchr (text + (text[0] == '-'), '-');
  g_autofree char *lo_text = NULL;
  gint64 lo, hi;

  *is_range = FALSE;
  if (o->type != SQ_OPTION_INT || dash == NULL)
    return TRUE;
  lo_text = g_strndup (text, dash - text);
  if (!g_ascii_string_to_signed (lo_text, 10, G_MININT, G_MAXINT, &lo, NULL) ||
      !g_ascii_string_to_signed (dash + 1, 10, G_MININT, G_MAXINT, &hi, NULL))
    return TRUE;
  *is_range = TRUE;
  if (hi < lo || hi - lo >= SQ_SWEEP_MAX_ROWS)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("%s: the range “%s” is empty or longer than %d values"),
                   sq_label (o->noun), text, SQ_SWEEP_MAX_ROWS);
      return FALSE;
    }
  for (gint64 v = lo; v <= hi; v++)
    {
      if (!sq_quant_settings_set (scratch, o->id, (int) v, error))
        return FALSE;
      append_value (values, (int) v);
    }
  return TRUE;
}

gboolean
sq_sweep_add_axis (SqSweep     *sweep,
                   const char  *id,
                   const char  *text,
                   GError     **error)
{
  const SqNetworkKind *kind = sweep->network->kind;
  const SqOption *o = sq_network_kind_option (kind, id);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (int));
  g_auto(GStrv) items = NULL;
  SqQuantSettings scratch = sweep->base;
  SqSweepAxis axis;

  g_return_val_if_fail (id != NULL && text != NULL, FALSE);
  if (o == NULL)
    /* The settings' own message lists the kind's options. */
    return sq_quant_settings_set_string (&scratch, id, text, error);
  for (guint i = 0; i < sweep->axes->len; i++)
    if (g_array_index (sweep->axes, SqSweepAxis, i).option == o)
      {
        g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                     _("%s is swept twice; give all its values at once (2,4,8)"),
                     sq_label (o->noun));
        return FALSE;
      }
  items = g_strsplit (text, ",", -1);
  for (char **item = items; *item != NULL; item++)
    {
      gboolean is_range;

      g_strstrip (*item);
      if (o->type == SQ_OPTION_BOOL && g_str_equal (*item, "both"))
        {
          append_value (values, 0);
          append_value (values, 1);
          continue;
        }
      if (o->type == SQ_OPTION_CHOICE && g_str_equal (*item, "all"))
        {
          for (guint c = 0; c < o->n_choices; c++)
            append_value (values, (int) c);
          continue;
        }
      if (!parse_range (o, &scratch, *item, values, &is_range, error))
        return FALSE;
      if (is_range)
        continue;
      if (!sq_quant_settings_set_string (&scratch, id, *item, error))
        return FALSE;
      append_value (values, sq_quant_settings_get (&scratch, id));
    }
  if (values->len == 0)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("%s: no values to sweep"), sq_label (o->noun));
      return FALSE;
    }
  axis.option = o;
  axis.n_values = values->len;
  axis.values = (int *) (void *) g_array_free (g_steal_pointer (&values), FALSE);
  g_array_append_val (sweep->axes, axis);
  return TRUE;
}

gsize
sq_sweep_n_rows (const SqSweep *sweep)
{
  gsize n = 1;

  for (guint i = 0; i < sweep->axes->len; i++)
    {
      n *= g_array_index (sweep->axes, SqSweepAxis, i).n_values;
      if (n > SQ_SWEEP_MAX_ROWS)
        return SQ_SWEEP_MAX_ROWS + 1;
    }
  return n;
}

/* Progress of one step of @n, forwarded into its share of the whole. */
typedef struct {
  SqProgressFunc func;
  gpointer       data;
  double         offset;
  double         scale;
} Share;

static void
share_progress (double   fraction,
                gpointer data)
{
  Share *s = data;

  s->func (s->offset + s->scale * CLAMP (fraction, 0.0, 1.0), s->data);
}

/* A row's two passes over the quantization, on two cores: the device check (one thread) and
 * every group's figures (on what is left). Each writes only its own fields. */
typedef struct {
  SqSweep         *sweep;
  SqNetworkResult *result;
  SqSweepRow      *row;
  SqCheckReport   *report;
  GError          *errors[2];
} RowJob;

static void
row_part (guint    part,
          guint    n_parts,
          gpointer data)
{
  RowJob *job = data;
  SqSweepRow *row = job->row;

  if (part == 0)
    {
      job->report = sq_network_check (job->sweep->network, job->result, job->sweep->device,
                                      &job->errors[0]);
      return;
    }
  for (guint g = 0; g < row->n_groups; g++)
    {
      SqGroupFigures gf;

      if (!sq_network_result_group_figures (job->result, g, &gf, &job->errors[1]))
        return;
      row->groups[g] = gf.figures;
    }
}

/* One combination: quantize, the figures of every group, the check and the evaluation. */
static gboolean
run_row (SqSweep               *sweep,
         SqSweepRow            *row,
         const SqSampleSet     *set,
         const SqEvalBaseline  *baseline,
         GCancellable          *cancellable,
         Share                 *share,
         GError               **error)
{
  g_autoptr(SqNetworkResult) result = NULL;
  g_autoptr(SqEvaluation) e = NULL;
  g_autoptr(GError) refused = NULL;
  SqNetwork *network = sweep->network;
  RowJob job = { sweep, NULL, row, NULL, { NULL, NULL } };

  if (!sq_quant_settings_check (&row->settings, &refused))
    {
      row->refused = g_strdup (refused->message);
      return TRUE;
    }
  result = sq_network_quantize (network, &row->settings, SQ_QUANTIZE_DEFAULT, cancellable,
                                error);
  if (result == NULL)
    return FALSE;
  row->total = result->total;
  row->n_groups = sq_network_n_groups (network);
  row->groups = g_new0 (SqQuantFigures, row->n_groups);
  job.result = result;
  _sq_parallel_run (2, row_part, &job);
  if (job.report != NULL)
    {
      row->fits = sq_check_report_fits (job.report);
      row->alive = sq_check_report_alive (job.report);
      sq_check_report_free (job.report);
    }
  if (job.errors[0] != NULL || job.errors[1] != NULL)
    {
      /* The check's error first, as a serial run would meet it. */
      g_propagate_error (error, job.errors[0] ? job.errors[0] : job.errors[1]);
      if (job.errors[0] != NULL)
        g_clear_error (&job.errors[1]);
      return FALSE;
    }
  if (set == NULL)
    return TRUE;
  e = sq_evaluate (result, sweep->device, set, baseline, cancellable,
                   share->func ? share_progress : NULL, share, error);
  if (e == NULL)
    return FALSE;
  row->evaluated = TRUE;
  row->n_class_agree = e->n_class_agree;
  row->n_correct_float = e->n_correct_float;
  row->n_correct_int = e->n_correct_int;
  row->raster = sq_agreement_raster (e->agreement);
  return TRUE;
}

/**
 * sq_sweep_run:
 * @device: (nullable): the kind's default for %NULL
 * @set: (nullable): samples to evaluate every combination on
 * @baseline: (nullable): the float model on @set, made for the sweep's network
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call)
 *
 * Combinations the kind's rules refuse (a weight shift in Rockpool mode) get a row that says
 * why; any other failure fails the sweep.
 */
gboolean
sq_sweep_run (SqSweep                *sweep,
              const SqDeviceProfile  *device,
              const SqSampleSet      *set,
              const SqEvalBaseline   *baseline,
              GCancellable           *cancellable,
              SqProgressFunc          progress,
              gpointer                progress_data,
              GError                **error)
{
  g_autoptr(SqEvalBaseline) own = NULL;
  gsize n = sq_sweep_n_rows (sweep), steps = n + (set != NULL && baseline == NULL);
  Share share = { progress, progress_data, 0.0, 1.0 / (double) steps };

  g_return_val_if_fail (baseline == NULL || (set == baseline->set &&
                                             baseline->network == sweep->network), FALSE);
  g_array_set_size (sweep->rows, 0);
  if (n > SQ_SWEEP_MAX_ROWS)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_SETTING,
                   _("more than %d combinations to sweep; sweep fewer values"),
                   SQ_SWEEP_MAX_ROWS);
      return FALSE;
    }
  device = _sq_default_device (sweep->network->kind, device);
  sweep->device = device;
  sweep->n_samples = set ? set->n_samples : 0;
  sweep->has_labels = set != NULL && set->labels != NULL;
  if (set != NULL && baseline == NULL)
    {
      own = sq_eval_baseline_new (sweep->network, set, cancellable,
                                  progress ? share_progress : NULL, &share, error);
      if (own == NULL)
        return FALSE;
      baseline = own;
      share.offset += share.scale;
    }

  for (gsize r = 0; r < n; r++)
    {
      SqSweepRow row = { 0 };
      gsize rest = r;

      row.settings = sweep->base;
      /* The last axis varies fastest. */
      for (guint a = sweep->axes->len; a-- > 0;)
        {
          const SqSweepAxis *axis = &g_array_index (sweep->axes, SqSweepAxis, a);

          gboolean ok = sq_quant_settings_set (&row.settings, axis->option->id,
                                               axis->values[rest % axis->n_values], NULL);

          /* Every value was checked when its axis was added. */
          g_warn_if_fail (ok);
          rest /= axis->n_values;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!run_row (sweep, &row, set, baseline, cancellable, &share, error))
        {
          row_clear (&row);
          g_array_set_size (sweep->rows, 0);
          return FALSE;
        }
      g_array_append_val (sweep->rows, row);
      share.offset = (double) (steps - n + r + 1) / (double) steps;
      if (progress != NULL)
        progress (share.offset, progress_data);
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* JSON, CSV and words                                                                       */

static double
clipped_share (const SqQuantFigures *f)
{
  return f->n_values ? (double) f->clipped / (double) f->n_values : NAN;
}

static double
row_share (const SqSweep    *sweep,
           const SqSweepRow *row,
           gsize             n)
{
  return row->evaluated ? sq_evaluation_share (n, sweep->n_samples) : NAN;
}

JsonNode *
sq_sweep_to_json (const SqSweep *sweep)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const SqNetwork *network = sweep->network;
  const SqNetworkKind *kind = network->kind;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "network");
  json_builder_add_string_value (b, network->source ? network->source : "");
  json_builder_set_member_name (b, "device");
  if (sweep->device != NULL)
    json_builder_add_string_value (b, sweep->device->name);
  else
    json_builder_add_null_value (b);
  _sq_json_add_int (b, "n_samples", (gint64) sweep->n_samples);
  json_builder_set_member_name (b, "axes");
  json_builder_begin_array (b);
  for (guint a = 0; a < sweep->axes->len; a++)
    json_builder_add_string_value (b, g_array_index (sweep->axes, SqSweepAxis, a).option->id);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  for (guint r = 0; r < sweep->rows->len; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "settings");
      json_builder_begin_object (b);
      for (guint o = 0; o < kind->n_options; o++)
        {
          g_autofree char *v = sq_quant_settings_get_string (&row->settings,
                                                             kind->options[o].id);

          json_builder_set_member_name (b, kind->options[o].id);
          json_builder_add_string_value (b, v);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "refused");
      if (row->refused != NULL)
        {
          json_builder_add_string_value (b, row->refused);
          json_builder_end_object (b);
          continue;
        }
      json_builder_add_null_value (b);
      _sq_json_add_double (b, "sqnr_db", sq_quant_figures_sqnr_db (&row->total));
      _sq_json_add_double (b, "clipped_share", clipped_share (&row->total));
      _sq_json_add_double (b, "zeroed_share", sq_zeroed_share (row->total.zeroed,
                                                               row->total.n_nonzero));
      json_builder_set_member_name (b, "fits");
      json_builder_add_boolean_value (b, row->fits);
      json_builder_set_member_name (b, "alive");
      json_builder_add_boolean_value (b, row->alive);
      _sq_json_add_double (b, "class_agreement", row_share (sweep, row, row->n_class_agree));
      _sq_json_add_double (b, "accuracy_float", sweep->has_labels ?
                           row_share (sweep, row, row->n_correct_float) : NAN);
      _sq_json_add_double (b, "accuracy_int", sweep->has_labels ?
                           row_share (sweep, row, row->n_correct_int) : NAN);
      _sq_json_add_double (b, "raster_agreement", row->evaluated ? row->raster : NAN);
      json_builder_set_member_name (b, "groups");
      json_builder_begin_object (b);
      for (guint g = 0; g < row->n_groups; g++)
        {
          const SqQuantFigures *f = &row->groups[g];

          json_builder_set_member_name (b, sq_network_get_group (network, g)->id);
          json_builder_begin_object (b);
          _sq_json_add_double (b, "sqnr_db", sq_quant_figures_sqnr_db (f));
          _sq_json_add_double (b, "clipped_share", clipped_share (f));
          _sq_json_add_double (b, "zeroed_share", sq_zeroed_share (f->zeroed, f->n_nonzero));
          json_builder_end_object (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* A CSV number: shortest round-trip text, "inf" for an exact result, empty for none. */
static void
csv_number (GString *s,
            double   v)
{
  g_string_append_c (s, ',');
  if (isnan (v))
    return;
  if (isinf (v))
    g_string_append (s, v > 0 ? "inf" : "-inf");
  else
    _sq_append_float (s, v);
}

static void
csv_text (GString    *s,
          const char *text)
{
  g_string_append_c (s, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

char *
sq_sweep_to_csv (const SqSweep *sweep)
{
  GString *s = g_string_new (NULL);
  const SqNetworkKind *kind = sweep->network->kind;
  guint n_groups = sq_network_n_groups (sweep->network);

  for (guint o = 0; o < kind->n_options; o++)
    g_string_append_printf (s, "%s,", kind->options[o].id);
  g_string_append (s, "sqnr_db,clipped_share,zeroed_share,fits,alive,class_agreement,"
                   "accuracy_float,accuracy_int,raster_agreement");
  for (guint g = 0; g < n_groups; g++)
    g_string_append_printf (s, ",%s_sqnr_db", sq_network_get_group (sweep->network, g)->id);
  g_string_append (s, ",refused\n");
  for (guint r = 0; r < sweep->rows->len; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);

      for (guint o = 0; o < kind->n_options; o++)
        {
          g_autofree char *v = sq_quant_settings_get_string (&row->settings,
                                                             kind->options[o].id);

          g_string_append_printf (s, "%s%s", o ? "," : "", v);
        }
      if (row->refused != NULL)
        {
          for (guint k = 0; k < 9 + n_groups; k++)
            g_string_append_c (s, ',');
          g_string_append_c (s, ',');
          csv_text (s, row->refused);
          g_string_append_c (s, '\n');
          continue;
        }
      csv_number (s, sq_quant_figures_sqnr_db (&row->total));
      csv_number (s, clipped_share (&row->total));
      csv_number (s, sq_zeroed_share (row->total.zeroed, row->total.n_nonzero));
      g_string_append_printf (s, ",%d,%d", row->fits, row->alive);
      csv_number (s, row_share (sweep, row, row->n_class_agree));
      csv_number (s, sweep->has_labels ? row_share (sweep, row, row->n_correct_float) : NAN);
      csv_number (s, sweep->has_labels ? row_share (sweep, row, row->n_correct_int) : NAN);
      csv_number (s, row->evaluated ? row->raster : NAN);
      for (guint g = 0; g < row->n_groups; g++)
        csv_number (s, sq_quant_figures_sqnr_db (&row->groups[g]));
      g_string_append (s, ",\n");
    }
  return g_string_free (s, FALSE);
}

/* "97.0 %", or "–" for none. */
static void
append_percent (GString *s,
                double   v)
{
  if (isnan (v))
    g_string_append_printf (s, " %9s", "-");
  else
    g_string_append_printf (s, " %7.1f %%", 100.0 * v);
}

char *
sq_sweep_text (const SqSweep *sweep)
{
  GString *s = g_string_new (NULL);

  for (guint a = 0; a < sweep->axes->len; a++)
    g_string_append_printf (s, "%-14s ",
                            g_array_index (sweep->axes, SqSweepAxis, a).option->id);
  g_string_append_printf (s, "%9s %9s %9s %-8s", _("SQNR dB"), _("clipped"), _("zeroed"),
                          _("device"));
  if (sweep->n_samples > 0)
    g_string_append_printf (s, " %9s %9s %9s", _("classes"), _("float"), _("integer"));
  g_string_append_c (s, '\n');
  for (guint r = 0; r < sweep->rows->len; r++)
    {
      const SqSweepRow *row = &g_array_index (sweep->rows, SqSweepRow, r);
      double sqnr = sq_quant_figures_sqnr_db (&row->total);

      for (guint a = 0; a < sweep->axes->len; a++)
        {
          const SqSweepAxis *axis = &g_array_index (sweep->axes, SqSweepAxis, a);
          g_autofree char *v = sq_quant_settings_get_string (&row->settings, axis->option->id);

          g_string_append_printf (s, "%-14s ", v);
        }
      if (row->refused != NULL)
        {
          g_string_append_printf (s, "%s\n", row->refused);
          continue;
        }
      if (isfinite (sqnr))
        g_string_append_printf (s, "%9.2f", sqnr);
      else
        g_string_append_printf (s, "%9s", "inf");
      append_percent (s, clipped_share (&row->total));
      append_percent (s, sq_zeroed_share (row->total.zeroed, row->total.n_nonzero));
      g_string_append_printf (s, " %-8s", !row->fits ? _("no fit") : !row->alive ? _("dead")
                                                                                : _("ok"));
      if (sweep->n_samples > 0)
        {
          append_percent (s, row_share (sweep, row, row->n_class_agree));
          append_percent (s, sweep->has_labels ? row_share (sweep, row, row->n_correct_float)
                                               : NAN);
          append_percent (s, sweep->has_labels ? row_share (sweep, row, row->n_correct_int)
                                               : NAN);
        }
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}
