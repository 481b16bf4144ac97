/* sq-device-check.c: does a specification fit a device?
 *
 * The limits are research/rockpool.md §2.3; what Rockpool's config_from_specification would
 * change without an error is §2.2.
 *
 * Fan-out is counted per source neuron as the number of distinct target neurons it reaches
 * through any synapse. The hardware keeps one sparse fan-out list per hidden neuron (RFORAM /
 * HFORAM: target addresses) with the weights of both synapses in parallel RAMs (RWTRAM and
 * RWT2RAM), so a target fed through both synapses takes one list entry. For the same reason
 * the total of recurrent entries counts (source, target) pairs with any non-zero weight,
 * compared with the span of one weight RAM ("per synapse" in the notes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "sq-private.h"
#include "synquant.h"

/* Places named in one message before "and N more". */
#define SHOWN 3

static void
add_issue (SqCheckReport  *report,
           SqCheckSeverity severity,
           const char     *kind,
           int             param,
           gssize          index,
           char           *message)
{
  SqCheckIssue *issue = g_new0 (SqCheckIssue, 1);

  issue->severity = severity;
  issue->kind = kind;
  issue->param = param;
  issue->index = index;
  issue->message = message;
  g_ptr_array_add (report->issues, issue);
}

/* "0–3, 7, 10–12" for ascending indices, at most 8 runs, then " and N more". */
static char *
format_runs (const GArray *indices)
{
  GString *s = g_string_new (NULL);
  guint runs = 0;
  gsize rest = 0;

  for (guint i = 0; i < indices->len;)
    {
      gsize first = g_array_index (indices, gsize, i), last = first;
      guint j = i + 1;

      while (j < indices->len && g_array_index (indices, gsize, j) == last + 1)
        last = g_array_index (indices, gsize, j++);
      if (runs < 8)
        {
          if (runs)
            g_string_append (s, ", ");
          if (last == first)
            g_string_append_printf (s, "%zu", first);
          else
            g_string_append_printf (s, "%zu–%zu", first, last);
        }
      else
        rest += j - i;
      runs++;
      i = j;
    }
  if (rest > 0)
    g_string_append_printf (s, _(" and %zu more"), rest);
  return g_string_free (s, FALSE);
}

/* "weights_rec[3][7] = 131, weights_rec[4][0] = -129 and 5 more" */
static char *
format_places (GPtrArray *places,
               gsize      total)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (places, NULL);
  joined = g_strjoinv (", ", (char **) places->pdata);
  g_ptr_array_set_size (places, places->len - 1);
  if (total > places->len)
    {
      g_autofree char *more = g_strdup_printf (_(" and %zu more"), total - places->len);
      return g_strconcat (joined, more, NULL);
    }
  return g_steal_pointer (&joined);
}

/* What numpy's astype(int8) makes of a whole number: its value modulo 256. */
static double
wrap_int8 (double v)
{
  double r = fmod (v, 256.0);

  if (r < 0.0)
    r += 256.0;
  return r >= 128.0 ? r - 256.0 : r;
}

/* Values of @param outside @lo…@hi: a violation naming the first few places, and, where
 * Rockpool casts the parameter to int8 (@wraps) and a value leaves −128…127, the silent change
 * the cast would make. */
static void
check_range (SqCheckReport    *report,
             const SqXyloSpec *spec,
             SqParam           param,
             const char       *kind,
             double            lo,
             double            hi,
             gboolean          wraps)
{
  const SqTensor *t = &spec->param[param];
  const char *name = sq_param_name (param);
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) wrapped = g_ptr_array_new_with_free_func (g_free);
  gsize n_outside = 0, n_wrapped = 0;

  if (!sq_tensor_is_present (t))
    return;
  for (gsize k = 0; k < t->n; k++)
    {
      double v = t->data[k];

      if (!(v < lo) && !(v > hi))
        continue;
      if (n_outside++ < SHOWN)
        {
          g_autofree char *path = sq_tensor_element_path (t, name, k);
          g_ptr_array_add (outside, g_strdup_printf ("%s = %.0f", path, v));
        }
      if (wraps && (v < -128.0 || v > 127.0) && n_wrapped++ < SHOWN)
        {
          g_autofree char *path = sq_tensor_element_path (t, name, k);
          /* TRANSLATORS: a value and what Rockpool's int8 cast makes of it */
          g_ptr_array_add (wrapped, g_strdup_printf (_("%s = %.0f becomes %.0f"), path, v,
                                                     wrap_int8 (v)));
        }
    }

  if (n_outside > 0)
    {
      g_autofree char *list = format_places (outside, n_outside);
      add_issue (report, SQ_CHECK_VIOLATION, kind, param, -1,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s: %zu value outside %.0f…%.0f: %s",
                                               "%s: %zu values outside %.0f…%.0f: %s",
                                               n_outside),
                                  name, n_outside, lo, hi, list));
    }
  if (n_wrapped > 0)
    {
      g_autofree char *list = format_places (wrapped, n_wrapped);
      add_issue (report, SQ_CHECK_SILENT_CHANGE, "int8-wrap", param, -1,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "%s: Rockpool's int8 cast would wrap %zu value "
                                               "modulo 256: %s",
                                               "%s: Rockpool's int8 cast would wrap %zu values "
                                               "modulo 256: %s",
                                               n_wrapped),
                                  name, n_wrapped, list));
    }
}

/* The first non-integer value, as "weights_in[0][3] = 0.25", or %NULL. */
static char *
first_fraction (const SqXyloSpec *spec,
                int              *param)
{
  /* In the order of the network, not of SqParam. */
  static const SqParam order[SQ_N_PARAMS] = {
    SQ_PARAM_WEIGHTS_IN, SQ_PARAM_WEIGHTS_REC, SQ_PARAM_THRESHOLD, SQ_PARAM_BIAS,
    SQ_PARAM_DASH_MEM, SQ_PARAM_DASH_SYN, SQ_PARAM_DASH_SYN_2, SQ_PARAM_WEIGHTS_OUT,
    SQ_PARAM_THRESHOLD_OUT, SQ_PARAM_BIAS_OUT, SQ_PARAM_DASH_MEM_OUT, SQ_PARAM_DASH_SYN_OUT,
  };

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[order[i]];

      if (!sq_tensor_is_present (t))
        continue;
      for (gsize k = 0; k < t->n; k++)
        if (_sq_differ (nearbyint (t->data[k]), t->data[k]))
          {
            g_autofree char *path = sq_tensor_element_path (t, sq_param_name (order[i]), k);
            *param = (int) order[i];
            return g_strdup_printf ("%s = %g", path, t->data[k]);
          }
    }
  return NULL;
}

static void
check_counts (SqCheckReport         *report,
              const SqDeviceProfile *device,
              const SqXyloSpec      *spec)
{
  if (spec->n_in > device->max_inputs)
    add_issue (report, SQ_CHECK_VIOLATION, "input-count", SQ_PARAM_WEIGHTS_IN, -1,
               g_strdup_printf (_("%zu input channels > %zu"), spec->n_in, device->max_inputs));
  if (spec->n_hidden > device->max_hidden)
    add_issue (report, SQ_CHECK_VIOLATION, "hidden-count", SQ_PARAM_WEIGHTS_REC, -1,
               g_strdup_printf (_("%zu hidden neurons > %zu"), spec->n_hidden,
                                device->max_hidden));
  if (spec->n_out > device->max_outputs)
    add_issue (report, SQ_CHECK_VIOLATION, "output-count", SQ_PARAM_WEIGHTS_OUT, -1,
               g_strdup_printf (_("%zu output neurons > %zu"), spec->n_out,
                                device->max_outputs));
  /* The chip as one unit, named by its product name. */
  sq_check_report_add_resource (report, device->title, N_("Input channels"), spec->n_in,
                                device->max_inputs);
  sq_check_report_add_resource (report, device->title, N_("Hidden neurons"), spec->n_hidden,
                                device->max_hidden);
  sq_check_report_add_resource (report, device->title, N_("Output neurons"), spec->n_out,
                                device->max_outputs);
}

static void
check_synapses (SqCheckReport         *report,
                const SqDeviceProfile *device,
                const SqXyloSpec      *spec)
{
  const SqTensor *w_in = &spec->param[SQ_PARAM_WEIGHTS_IN];
  const SqTensor *w_rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  gsize n_syn2 = 0;

  if (spec->n_syn > device->max_synapses)
    {
      add_issue (report, SQ_CHECK_VIOLATION, "synapse-count", SQ_PARAM_WEIGHTS_REC, -1,
                 g_strdup_printf (_("%zu synapses per hidden neuron > %u: Rockpool's "
                                    "configuration for %s raises ValueError"),
                                  spec->n_syn, device->max_synapses, device->title));
      return;
    }
  if (spec->n_syn < 2 || device->device != SQ_DEVICE_XYLO_AUDIO3)
    return;

  /* XyloAudio 3 has the second synapse, but Rockpool's configuration writes only
   * weights[..., 0] and leaves i_syn2_decay unset. */
  for (gsize k = 1; k < w_in->n; k += 2)
    n_syn2 += !_sq_is_zero (w_in->data[k]);
  for (gsize k = 1; k < w_rec->n; k += 2)
    n_syn2 += !_sq_is_zero (w_rec->data[k]);
  if (n_syn2 > 0)
    add_issue (report, SQ_CHECK_SILENT_CHANGE, "synapse-2-dropped", SQ_PARAM_DASH_SYN_2, -1,
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "synapse 2 would be dropped: Rockpool's "
                                             "configuration for %s writes only the synapse-1 "
                                             "weights (%zu non-zero synapse-2 weight is lost) "
                                             "and never sets i_syn2_decay",
                                             "synapse 2 would be dropped: Rockpool's "
                                             "configuration for %s writes only the synapse-1 "
                                             "weights (%zu non-zero synapse-2 weights are lost) "
                                             "and never sets i_syn2_decay",
                                             n_syn2),
                                device->title, n_syn2));
}

/* Non-zero weights_in columns beyond the first max_ien hidden neurons. */
static void
check_input_window (SqCheckReport         *report,
                    const SqDeviceProfile *device,
                    const SqXyloSpec      *spec)
{
  const SqTensor *w = &spec->param[SQ_PARAM_WEIGHTS_IN];
  gsize ns = spec->n_syn, nien = spec->n_ien;
  g_autofree gboolean *used = NULL;
  g_autoptr(GArray) cols = NULL;
  g_autofree char *runs = NULL;

  if (nien <= device->max_ien)
    return;
  used = g_new0 (gboolean, nien);
  for (gsize i = 0; i < spec->n_in; i++)
    for (gsize j = device->max_ien; j < nien; j++)
      for (gsize k = 0; k < ns; k++)
        used[j] |= !_sq_is_zero (w->data[(i * nien + j) * ns + k]);
  cols = g_array_new (FALSE, FALSE, sizeof (gsize));
  for (gsize j = device->max_ien; j < nien; j++)
    if (used[j])
      g_array_append_val (cols, j);
  if (cols->len == 0)
    return;

  runs = format_runs (cols);
  add_issue (report, SQ_CHECK_VIOLATION, "input-window", SQ_PARAM_WEIGHTS_IN,
             (gssize) g_array_index (cols, gsize, 0),
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "hidden neuron %s receives input weights, but %s "
                                           "feeds input only to the first %zu hidden neurons",
                                           "hidden neurons %s receive input weights, but %s "
                                           "feeds input only to the first %zu hidden neurons",
                                           cols->len),
                              runs, device->title, device->max_ien));
  /* A2 and v1 feed every hidden neuron; Rockpool truncates only where the window is
   * narrower than the core (IMU, Audio 3). */
  if (device->max_ien < device->max_hidden)
    add_issue (report, SQ_CHECK_SILENT_CHANGE, "input-window-dropped", SQ_PARAM_WEIGHTS_IN,
               (gssize) g_array_index (cols, gsize, 0),
               g_strdup_printf (_("weights_in columns %s would be dropped: %s keeps the first "
                                  "%zu input-receiving neurons"),
                                runs, device->title, device->max_ien));
}

/* Non-zero weights_out rows before the last max_oen. */
static void
check_output_window (SqCheckReport         *report,
                     const SqDeviceProfile *device,
                     const SqXyloSpec      *spec)
{
  const SqTensor *w = &spec->param[SQ_PARAM_WEIGHTS_OUT];
  gsize noen = spec->n_oen, nout = spec->n_out, first_hidden;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) neurons = NULL;
  g_autofree char *row_runs = NULL, *neuron_runs = NULL;

  if (noen <= device->max_oen)
    return;
  rows = g_array_new (FALSE, FALSE, sizeof (gsize));
  neurons = g_array_new (FALSE, FALSE, sizeof (gsize));
  first_hidden = spec->n_hidden - noen;
  for (gsize r = 0; r < noen - device->max_oen; r++)
    for (gsize o = 0; o < nout; o++)
      if (!_sq_is_zero (w->data[r * nout + o]))
        {
          gsize h = first_hidden + r;

          g_array_append_val (rows, r);
          g_array_append_val (neurons, h);
          break;
        }
  if (rows->len == 0)
    return;

  row_runs = format_runs (rows);
  neuron_runs = format_runs (neurons);
  add_issue (report, SQ_CHECK_VIOLATION, "output-window", SQ_PARAM_WEIGHTS_OUT,
             (gssize) g_array_index (rows, gsize, 0),
             g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "weights_out row %s (hidden neuron %s) drives "
                                           "outputs, but on %s only the last %zu hidden "
                                           "neurons drive outputs",
                                           "weights_out rows %s (hidden neurons %s) drive "
                                           "outputs, but on %s only the last %zu hidden "
                                           "neurons drive outputs",
                                           rows->len),
                              row_runs, neuron_runs, device->title, device->max_oen));
  if (device->max_oen < device->max_hidden)
    add_issue (report, SQ_CHECK_SILENT_CHANGE, "output-window-dropped", SQ_PARAM_WEIGHTS_OUT,
               (gssize) g_array_index (rows, gsize, 0),
               g_strdup_printf (_("weights_out rows %s would be dropped: %s keeps the last "
                                  "%zu output-driving neurons"),
                                row_runs, device->title, device->max_oen));
}

/* Fan-out per source neuron and the total of recurrent entries (see the top of the file for
 * what is counted). */
static void
check_fanout (SqCheckReport         *report,
              const SqDeviceProfile *device,
              const SqXyloSpec      *spec)
{
  const SqTensor *w = &spec->param[SQ_PARAM_WEIGHTS_REC];
  gsize nh = spec->n_hidden, ns = spec->n_syn, total = 0;

  for (gsize p = 0; p < nh; p++)
    {
      const double *row = w->data + p * nh * ns;
      gsize fanout = 0;

      for (gsize j = 0; j < nh; j++)
        {
          gboolean any = FALSE;

          for (gsize k = 0; k < ns; k++)
            any |= !_sq_is_zero (row[j * ns + k]);
          fanout += any;
        }
      total += fanout;
      if (device->max_fanout > 0 && fanout > device->max_fanout)
        add_issue (report, SQ_CHECK_VIOLATION, "fan-out", SQ_PARAM_WEIGHTS_REC, (gssize) p,
                   g_strdup_printf (_("hidden neuron %zu: fan-out %zu > %zu"),
                                    p, fanout, device->max_fanout));
    }
  if (device->max_rec_entries > 0 && total > device->max_rec_entries)
    add_issue (report, SQ_CHECK_VIOLATION, "recurrent-entries", SQ_PARAM_WEIGHTS_REC, -1,
               g_strdup_printf (_("weights_rec: %zu connected (source, target) pairs > %zu "
                                  "recurrent entries"), total, device->max_rec_entries));
}

static void
check_aliases (SqCheckReport         *report,
               const SqDeviceProfile *device,
               const SqXyloSpec      *spec)
{
  if (spec->alias_offsets == NULL)
    return;
  for (gsize j = 0; j < spec->n_alias_lists; j++)
    {
      gsize first = spec->alias_offsets[j], n = spec->alias_offsets[j + 1] - first;

      if (n <= device->max_alias_targets)
        continue;
      add_issue (report, SQ_CHECK_VIOLATION, "alias-targets", -1, (gssize) j,
                 g_strdup_printf (_("hidden neuron %zu: %zu alias targets > %u"),
                                  j, n, device->max_alias_targets));
      add_issue (report, SQ_CHECK_SILENT_CHANGE, "alias-dropped", -1, (gssize) j,
                 g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "hidden neuron %zu: Rockpool keeps only the "
                                               "first alias target (%u) and drops %zu other",
                                               "hidden neuron %zu: Rockpool keeps only the "
                                               "first alias target (%u) and drops %zu others",
                                               n - 1),
                                  j, spec->alias_targets[first], n - 1));
    }
}

static gsize
count_nonzero (const SqTensor *t)
{
  gsize n = 0;

  if (!sq_tensor_is_present (t))
    return 0;
  for (gsize k = 0; k < t->n; k++)
    n += !_sq_is_zero (t->data[k]);
  return n;
}

/* @param is bias or bias_out. */
static void
check_biases (SqCheckReport         *report,
              const SqDeviceProfile *device,
              const SqXyloSpec      *spec,
              SqParam                param,
              gboolean               integer)
{
  gsize n = count_nonzero (&spec->param[param]);

  if (!device->has_bias)
    {
      if (n == 0)
        return;
      if (param == SQ_PARAM_BIAS)
        add_issue (report, SQ_CHECK_VIOLATION, "bias-unsupported", param, -1,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "bias: %zu hidden neuron has a non-zero bias, "
                                                 "but %s neurons take no bias",
                                                 "bias: %zu hidden neurons have non-zero "
                                                 "biases, but %s neurons take no bias",
                                                 n),
                                    n, device->title));
      else
        add_issue (report, SQ_CHECK_VIOLATION, "bias-unsupported", param, -1,
                   g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "bias_out: %zu output neuron has a non-zero "
                                                 "bias, but %s neurons take no bias",
                                                 "bias_out: %zu output neurons have non-zero "
                                                 "biases, but %s neurons take no bias",
                                                 n),
                                    n, device->title));
      return;
    }

  if (integer)
    check_range (report, spec, param, "bias-range", device->bias_min, device->bias_max, FALSE);
  /* research/rockpool.md §2.2: the mapper writes `bias`, config_from_specification takes
   * `bias_hidden`, and **kwargs swallows the difference. */
  if (param == SQ_PARAM_BIAS && n > 0)
    add_issue (report, SQ_CHECK_NOTE, "bias-hidden-key", param, -1,
               g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "bias: %zu hidden neuron has a non-zero bias; "
                                             "Rockpool's config_from_specification(**spec) "
                                             "ignores the key bias and drops it without a "
                                             "word: pass bias_hidden=spec[\"bias\"] "
                                             "(XyloSim.from_specification does read bias)",
                                             "bias: %zu hidden neurons have non-zero biases; "
                                             "Rockpool's config_from_specification(**spec) "
                                             "ignores the key bias and drops them without a "
                                             "word: pass bias_hidden=spec[\"bias\"] "
                                             "(XyloSim.from_specification does read bias)",
                                             n),
                              n));
}

static void
check_shifts (SqCheckReport         *report,
              const SqDeviceProfile *device,
              const SqXyloSpec      *spec)
{
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    {
      int s = spec->weight_shift[i];

      if (s >= device->weight_shift_min && s <= device->weight_shift_max)
        continue;
      add_issue (report, SQ_CHECK_VIOLATION, "weight-shift-range",
                 i == SQ_SHIFT_IN ? SQ_PARAM_WEIGHTS_IN
                 : i == SQ_SHIFT_REC ? SQ_PARAM_WEIGHTS_REC : SQ_PARAM_WEIGHTS_OUT, -1,
                 g_strdup_printf (_("%s = %d, outside %d…%d"), sq_shift_name ((SqShift) i), s,
                                  device->weight_shift_min, device->weight_shift_max));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Can the network work at all?                                                              */

/* Whether every value of @param rounds to a dash of 0 (a float specification's dashes are
 * log2(τ/dt) before rounding; the quantizer clips what is below 0). */
static gboolean
all_dashes_zero (const SqXyloSpec *spec,
                 SqParam           param)
{
  const SqTensor *t = &spec->param[param];

  if (!sq_tensor_is_present (t) || t->n == 0)
    return FALSE;
  for (gsize k = 0; k < t->n; k++)
    if (nearbyint (t->data[k]) > 0.0)
      return FALSE;
  return TRUE;
}

static double
value_or_zero (const SqXyloSpec *spec,
               SqParam           param,
               gsize             k)
{
  const SqTensor *t = &spec->param[param];

  return sq_tensor_is_present (t) && k < t->n ? t->data[k] : 0.0;
}

/* Whether a neuron fires without any spike reaching it: a threshold ≤ 0, or a positive bias
 * that charges the membrane on its own. */
static gboolean
fires_alone (const SqXyloSpec *spec,
             gboolean          output,
             gsize             j)
{
  return !(value_or_zero (spec, output ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD, j) > 0.0) ||
         value_or_zero (spec, output ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS, j) > 0.0;
}

/* The hidden neurons that can ever fire: inputs are event counts ≥ 0 and spikes are ≥ 0, so
 * a membrane rises above 0 only through a positive weight from an input or from a hidden
 * neuron that can fire, or through a positive bias (every state decays towards 0). Grows
 * the set from the neurons that fire by themselves or through weights_in, along the
 * positive weights_rec of each neuron once. */
static gboolean *
hidden_can_fire (const SqXyloSpec *spec)
{
  const SqTensor *w_in = &spec->param[SQ_PARAM_WEIGHTS_IN];
  const SqTensor *w_rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  gsize nh = spec->n_hidden, ns = spec->n_syn, nien = spec->n_ien;
  gboolean *can = g_new0 (gboolean, nh);
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (gsize));

  for (gsize j = 0; j < nh; j++)
    can[j] = fires_alone (spec, FALSE, j);
  for (gsize i = 0; sq_tensor_is_present (w_in) && i < spec->n_in; i++)
    for (gsize j = 0; j < nien && j < nh; j++)
      for (gsize k = 0; k < ns; k++)
        can[j] |= w_in->data[(i * nien + j) * ns + k] > 0.0;
  for (gsize j = 0; j < nh; j++)
    if (can[j])
      g_array_append_val (todo, j);
  for (guint t = 0; sq_tensor_is_present (w_rec) && t < todo->len; t++)
    {
      gsize p = g_array_index (todo, gsize, t);
      const double *row = w_rec->data + p * nh * ns;

      for (gsize j = 0; j < nh; j++)
        {
          gboolean positive = FALSE;

          if (can[j])
            continue;
          for (gsize k = 0; k < ns; k++)
            positive |= row[j * ns + k] > 0.0;
          if (positive)
            {
              can[j] = TRUE;
              g_array_append_val (todo, j);
            }
        }
    }
  return can;
}

/* Whether some output neuron can ever fire, given the hidden neurons that can. */
static gboolean
outputs_can_fire (const SqXyloSpec *spec,
                  const gboolean   *hidden)
{
  const SqTensor *w = &spec->param[SQ_PARAM_WEIGHTS_OUT];
  gsize noen = spec->n_oen, nout = spec->n_out, first_hidden = spec->n_hidden - noen;

  for (gsize o = 0; o < nout; o++)
    if (fires_alone (spec, TRUE, o))
      return TRUE;
  for (gsize r = 0; sq_tensor_is_present (w) && r < noen; r++)
    if (hidden[first_hidden + r])
      for (gsize o = 0; o < nout; o++)
        if (w->data[r * nout + o] > 0.0)
          return TRUE;
  return FALSE;
}

/* A %SQ_CHECK_DEAD issue, with the few words a badge shows. */
static void
add_dead (SqCheckReport *report,
          const char    *kind,
          int            param,
          const char    *headline,
          char          *message)
{
  add_issue (report, SQ_CHECK_DEAD, kind, param, -1, message);
  ((SqCheckIssue *) g_ptr_array_index (report->issues, report->issues->len - 1))->headline =
    headline;
}

/* What makes a network that fits useless: membranes that forget their potential every step,
 * layers that can never fire. One issue per layer. */
static void
check_alive (SqCheckReport    *report,
             const SqXyloSpec *spec)
{
  g_autofree gboolean *hidden = NULL;
  gboolean any_hidden = FALSE;

  if (all_dashes_zero (spec, SQ_PARAM_DASH_MEM))
    add_dead (report, "dead-membrane", SQ_PARAM_DASH_MEM, N_("Dash 0: no memory"),
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "dash_mem is 0 for the %zu hidden neuron: its "
                                            "membrane forgets its potential every step "
                                            "(τ_mem below 1.41·dt)",
                                            "dash_mem is 0 for all %zu hidden neurons: their "
                                            "membranes forget their potential every step "
                                            "(τ_mem below 1.41·dt)", spec->n_hidden),
                               spec->n_hidden));
  if (all_dashes_zero (spec, SQ_PARAM_DASH_MEM_OUT))
    add_dead (report, "dead-membrane", SQ_PARAM_DASH_MEM_OUT,
              N_("Outputs: no memory"),
              g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "dash_mem_out is 0 for the %zu output neuron: its "
                                            "membrane forgets its potential every step "
                                            "(τ_mem below 1.41·dt)",
                                            "dash_mem_out is 0 for all %zu output neurons: "
                                            "their membranes forget their potential every "
                                            "step (τ_mem below 1.41·dt)", spec->n_out),
                               spec->n_out));

  hidden = hidden_can_fire (spec);
  for (gsize j = 0; j < spec->n_hidden; j++)
    any_hidden |= hidden[j];
  if (spec->n_hidden > 0 && !any_hidden)
    add_dead (report, "dead-hidden", SQ_PARAM_WEIGHTS_IN, N_("No hidden spikes"),
              g_strdup (_("no hidden neuron can ever fire: none has a positive input or "
                          "recurrent weight from a neuron that fires, a positive bias or a "
                          "threshold ≤ 0")));
  if (spec->n_out > 0 && !outputs_can_fire (spec, hidden))
    add_dead (report, "dead-output", SQ_PARAM_WEIGHTS_OUT, N_("No output spikes"),
              g_strdup (_("no output neuron can ever fire: none has a positive output "
                          "weight from a hidden neuron that fires, a positive bias or a "
                          "threshold ≤ 0")));
}

/**
 * sq_device_check:
 *
 * Lists everything in @spec that @device cannot hold, and what Rockpool's configuration
 * would change without saying so, in the order of the network: sizes, inputs, hidden
 * neurons, outputs, weight shifts, then whether the network can work at all
 * (%SQ_CHECK_DEAD). Ranges are checked only on an integer specification.
 */
SqCheckReport *
sq_device_check (const SqDeviceProfile *device,
                 const SqXyloSpec      *spec)
{
  SqCheckReport *report;
  g_autofree char *fraction = NULL;
  int fraction_param = -1;
  /* Xylo v1's configuration casts to int and lets samna range-check; the others cast
   * weights and dashes to int8 first (research/rockpool.md §2.2). */
  gboolean wraps;

  g_return_val_if_fail (device != NULL && spec != NULL, NULL);

  report = _sq_check_report_new (device);
  if (!device->is_xylo)
    {
      add_issue (report, SQ_CHECK_VIOLATION, "not-xylo", -1, -1,
                 g_strdup_printf (_("%s runs convolutional networks, not Xylo specifications"),
                                  device->title));
      return report;
    }
  wraps = device->device != SQ_DEVICE_XYLO_V1;

  check_counts (report, device, spec);
  check_synapses (report, device, spec);

  fraction = first_fraction (spec, &fraction_param);
  if (fraction != NULL)
    /* The structure can be checked on a float network; its values cannot be, and the
     * export refuses it anyway, so this is a note rather than a violation. */
    add_issue (report, SQ_CHECK_NOTE, "not-integer", fraction_param, -1,
               g_strdup_printf (_("the specification is not quantized (%s): quantize it "
                                  "before exporting; value ranges are checked on integers "
                                  "only"), fraction));

  /* Inputs */
  check_input_window (report, device, spec);
  if (fraction == NULL)
    check_range (report, spec, SQ_PARAM_WEIGHTS_IN, "weight-range", device->weight_min,
                 device->weight_max, wraps);

  /* Hidden neurons */
  if (fraction == NULL)
    check_range (report, spec, SQ_PARAM_WEIGHTS_REC, "weight-range", device->weight_min,
                 device->weight_max, wraps);
  check_fanout (report, device, spec);
  check_aliases (report, device, spec);
  if (fraction == NULL)
    {
      check_range (report, spec, SQ_PARAM_THRESHOLD, "threshold-range", device->threshold_min,
                   device->threshold_max, FALSE);
      for (guint p = SQ_PARAM_DASH_MEM; p <= SQ_PARAM_DASH_SYN_2; p++)
        if (p != SQ_PARAM_DASH_MEM_OUT)
          check_range (report, spec, (SqParam) p, "dash-range", device->dash_min,
                       device->dash_max, wraps);
    }
  check_biases (report, device, spec, SQ_PARAM_BIAS, fraction == NULL);

  /* Outputs */
  check_output_window (report, device, spec);
  if (fraction == NULL)
    {
      check_range (report, spec, SQ_PARAM_WEIGHTS_OUT, "weight-range", device->weight_min,
                   device->weight_max, wraps);
      check_range (report, spec, SQ_PARAM_THRESHOLD_OUT, "threshold-range",
                   device->threshold_min, device->threshold_max, FALSE);
      check_range (report, spec, SQ_PARAM_DASH_MEM_OUT, "dash-range", device->dash_min,
                   device->dash_max, wraps);
      check_range (report, spec, SQ_PARAM_DASH_SYN_OUT, "dash-range", device->dash_min,
                   device->dash_max, wraps);
    }

  check_biases (report, device, spec, SQ_PARAM_BIAS_OUT, fraction == NULL);
  check_shifts (report, device, spec);
  check_alive (report, spec);
  return report;
}

/* ---------------------------------------------------------------------------------------- */
/* Resources                                                                                 */

static void
resource_clear (gpointer data)
{
  SqCheckResource *r = data;

  g_free (r->unit);
}

/**
 * sq_check_report_add_resource:
 * @unit: translated title of the part of the device (copied)
 * @label: untranslated name of the resource, N_() marked, static
 *
 * Records that the network takes @used of @capacity of a resource of @unit, for the
 * window's bars; a kind's check calls it unit by unit.
 */
void
sq_check_report_add_resource (SqCheckReport *report,
                              const char    *unit,
                              const char    *label,
                              guint64        used,
                              guint64        capacity)
{
  SqCheckResource r = { g_strdup (unit), label, used, capacity };

  g_return_if_fail (report != NULL && unit != NULL && label != NULL);
  if (report->resources == NULL)
    {
      report->resources = g_array_new (FALSE, TRUE, sizeof (SqCheckResource));
      g_array_set_clear_func (report->resources, resource_clear);
    }
  g_array_append_val (report->resources, r);
}
