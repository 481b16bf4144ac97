/* sq-robustness-page-chart.c: what the Robustness page shows — the transform configuration
 * in words, a box per setting of the figure chosen over the draws with the deterministic
 * result beside it, the chart's description and every figure in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-format.h"
#include "sq-robustness-page-private.h"

/* The drop-down's names and the charts' titles and y labels, in SqRobustnessFigure order. */
static const struct {
  const char *name;
  const char *title;
  const char *y_label;
} figures[SQ_ROBUSTNESS_N_FIGURES] = {
  { N_("Class agreement"), N_("Class agreement with the float model over the draws"),
    N_("class agreement (%)") },
  { N_("Accuracy"), N_("Accuracy over the draws"), N_("accuracy (%)") },
  { N_("Output events"), N_("Output events over the draws"), N_("output events") },
};

/* The boxes' names under the chart, in SqRobustnessSetting order. */
static const char *const setting_names[SQ_ROBUSTNESS_N_SETTINGS] = {
  N_("Float models"), N_("Integer cores"),
};

/* ---------------------------------------------------------------------------------------- */
/* The configuration in words                                                               */

static char *
transform_text (const SqTransform *t)
{
  g_autofree char *p = NULL, *dt = NULL;

  switch (t->type)
    {
    case SQ_TRANSFORM_STOCHASTIC_ROUNDING:
      return t->exact_zero
        /* Translators: a transform in words, "stochastic rounding to 15 levels, 0 kept" */
        ? g_strdup_printf (_("stochastic rounding to %u levels, 0 kept exactly"),
                           t->num_levels % 2 == 0 ? t->num_levels - 1 : t->num_levels)
        : g_strdup_printf (_("stochastic rounding to %u levels"), t->num_levels);
    case SQ_TRANSFORM_DETERMINISTIC_ROUNDING:
      return g_strdup_printf (_("deterministic rounding to %u levels"), t->num_levels);
    case SQ_TRANSFORM_DROPOUT:
      p = sq_format_percent (t->probability);
      /* Translators: a transform in words, "each value 0 with probability 10 %" */
      return g_strdup_printf (_("each value 0 with probability %s"), p);
    case SQ_TRANSFORM_T_DECAY:
      dt = sq_format_number (t->dt);
      return g_strdup_printf (_("decays snapped to 1 − 2^−N (dt %s s)"), dt);
    case SQ_TRANSFORM_ROUND:
      return g_strdup (_("rounded to integers"));
    case SQ_TRANSFORM_BITSHIFT_DECAY:
      dt = sq_format_number (t->dt);
      return g_strdup_printf (_("time constants snapped to dt·2^N (dt %s s)"), dt);
    case SQ_N_TRANSFORM_TYPES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* "weights: stochastic rounding to 16 levels; weights_rec: each value 0 with probability
 * 10 %", and whether anything is drawn at random at all. */
char *
_sq_robustness_config_text (const SqTransformConfig *config)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < config->n_entries; i++)
    {
      const SqTransformEntry *e = &config->entries[i];
      g_autofree char *t = transform_text (&e->transform);

      if (i > 0)
        g_string_append (s, "; ");
      /* Translators: what one entry of a transform configuration does: the family or group
       * it applies to (Rockpool's names), then the transform */
      g_string_append_printf (s, _("%s: %s"),
                              e->group ? e->group : sq_family_to_string (e->family), t);
    }
  if (config->n_entries == 0)
    g_string_append (s, _("No transforms"));
  if (!sq_transform_config_is_random (config))
    {
      g_string_append_c (s, '\n');
      g_string_append (s, _("Nothing is drawn at random: every draw is the same network."));
    }
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* What is shown                                                                             */

/* The figure's distribution over the draws and its deterministic value, scaled as drawn. */
static void
figure_of (const SqRobustness   *r,
           SqRobustnessFigure    figure,
           SqDistribution       *d,
           double               *plain)
{
  double n = (double) r->n_samples, scale = 100.0;

  switch (figure)
    {
    case SQ_ROBUSTNESS_FIGURE_ACCURACY:
      *d = r->accuracy;
      *plain = r->has_labels ? 100.0 * ((double) r->plain.n_correct / n) : NAN;
      break;
    case SQ_ROBUSTNESS_FIGURE_EVENTS:
      *d = r->events;
      *plain = (double) r->plain.events;
      scale = 1.0;
      break;
    case SQ_ROBUSTNESS_FIGURE_AGREEMENT:
    case SQ_ROBUSTNESS_N_FIGURES:
    default:
      *d = r->agreement;
      *plain = 100.0 * ((double) r->plain.n_class_agree / n);
      break;
    }
  d->mean *= scale;
  d->sd *= scale;
  d->min *= scale;
  d->q1 *= scale;
  d->median *= scale;
  d->q3 *= scale;
  d->max *= scale;
}

/* A value of @figure as written: "96.5 %" or "1 234". */
static char *
value_text (SqRobustnessFigure figure,
            double             v)
{
  g_autofree char *number = NULL;

  if (isnan (v))
    return g_strdup ("—");
  /* Events as whole counts (a mean's fraction says nothing at thousands), shares to three
   * digits as everywhere in the window. */
  number = figure == SQ_ROBUSTNESS_FIGURE_EVENTS ? sq_format_to_step (v, 1.0, 0)
                                                 : sq_format_significant (v, 3);
  return figure == SQ_ROBUSTNESS_FIGURE_EVENTS ? g_steal_pointer (&number)
                                               /* Translators: a percentage, "12.5 %" */
                                               : g_strdup_printf (_("%s %%"), number);
}

/* "mean 96.5 % ± 3.1 %, median 95 %, 90 % to 100 %; deterministic 100 %" */
static char *
distribution_text (const SqRobustness *r,
                   SqRobustnessFigure  figure)
{
  SqDistribution d;
  double plain;
  g_autofree char *mean = NULL, *sd = NULL, *median = NULL, *lo = NULL, *hi = NULL;
  g_autofree char *det = NULL;

  figure_of (r, figure, &d, &plain);
  if (isnan (d.mean))
    return g_strdup (_("the sample set has no labels"));
  mean = value_text (figure, d.mean);
  sd = value_text (figure, d.sd);
  median = value_text (figure, d.median);
  lo = value_text (figure, d.min);
  hi = value_text (figure, d.max);
  det = value_text (figure, plain);
  /* Translators: a figure over the draws, then the untransformed network's:
   * "mean 96.5 % ± 3.1 %, median 95 %, 90 % to 100 %; deterministic 100 %" */
  return g_strdup_printf (_("mean %s ± %s, median %s, %s to %s; deterministic %s"), mean, sd,
                          median, lo, hi, det);
}

/* Everything a setting's run says, for the read-out and the text below the chart. */
static char *
setting_text (SqRobustnessPage    *self,
              SqRobustnessSetting  setting,
              const SqRobustness  *r)
{
  GString *s = g_string_new (NULL);

  if (setting == SQ_ROBUSTNESS_INTEGER)
    {
      g_autofree char *settings =
        sq_quant_settings_describe (sq_robustness_task_get_quant (self->task));

      /* Translators: the integer cores' box, then its quantization settings in parentheses */
      g_string_append_printf (s, _("Integer cores (%s)"), settings);
    }
  else
    g_string_append (s, _("Float models"));
  for (guint f = 0; f < SQ_ROBUSTNESS_N_FIGURES; f++)
    {
      g_autofree char *d = NULL;

      if (f == SQ_ROBUSTNESS_FIGURE_ACCURACY && !r->has_labels)
        continue;
      d = distribution_text (r, f);
      g_string_append_printf (s, "\n%s: %s", _(figures[f].name), d);
    }
  return g_string_free (s, FALSE);
}

void
_sq_robustness_page_show_result (SqRobustnessPage *self)
{
  SqRobustnessFigure figure = gtk_drop_down_get_selected (self->figure_dropdown);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  SqChartBox boxes[SQ_ROBUSTNESS_N_SETTINGS];
  const char *names[SQ_ROBUSTNESS_N_SETTINGS + 1] = { NULL };
  guint n = 0;
  gboolean any = FALSE, labels = TRUE;

  if (figure >= SQ_ROBUSTNESS_N_FIGURES)
    figure = SQ_ROBUSTNESS_FIGURE_AGREEMENT;
  sq_chart_set_title (self->chart, _(figures[figure].title));
  sq_chart_set_y_label (self->chart, _(figures[figure].y_label));
  for (guint k = 0; k < SQ_ROBUSTNESS_N_SETTINGS; k++)
    {
      const SqRobustness *r = sq_robustness_task_get_result (self->task, k);
      SqDistribution d;
      double plain;
      char *marker, *readout;

      if (r == NULL)
        continue;
      figure_of (r, figure, &d, &plain);
      marker = value_text (figure, plain);
      readout = setting_text (self, k, r);
      g_ptr_array_add (keep, marker);
      g_ptr_array_add (keep, readout);
      boxes[n] = (SqChartBox) { d.min, d.q1, d.median, d.q3, d.max, d.mean, plain, marker,
                                readout };
      names[n++] = _(setting_names[k]);
      any |= isfinite (d.median);
      labels &= r->has_labels;
      g_string_append_printf (text, "%s%s", text->len ? "\n\n" : "", readout);
      if (isfinite (d.median))
        {
          g_autofree char *mean = value_text (figure, d.mean);
          g_autofree char *det = value_text (figure, plain);

          /* Translators: a box in the chart's description for screen readers, "Float
           * models: mean 96.5 %, deterministic 100 %" */
          g_string_append_printf (description, _("%s%s: mean %s, deterministic %s"),
                                  description->len ? "; " : "", _(setting_names[k]), mean,
                                  det);
        }
    }
  names[n] = NULL;
  sq_chart_set_x_categories (self->chart, n > 0 ? names : NULL);
  sq_chart_boxes_set_boxes (SQ_CHART_BOXES (self->boxes), any ? boxes : NULL, any ? n : 0);
  gtk_label_set_text (self->figures_label, text->str);
  if (!any)
    {
      sq_chart_set_description (self->chart, NULL);
      sq_chart_set_placeholder (self->chart,
                                n > 0 && figure == SQ_ROBUSTNESS_FIGURE_ACCURACY && !labels
                                  ? _("The sample set has no labels: no accuracy to show")
                                  : _("Choose a sample set and run the draws to see how the "
                                      "network holds up"));
      return;
    }
  {
    const SqRobustness *r = sq_robustness_task_get_result (self->task, SQ_ROBUSTNESS_FLOAT);
    g_autofree char *full = NULL;

    if (r == NULL)
      r = sq_robustness_task_get_result (self->task, SQ_ROBUSTNESS_INTEGER);
    /* Translators: the chart's description for screen readers: its title, the number of
     * draws, then each box's figures */
    full = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u draw: %s",
                                         "%s, %u draws: %s", r->n_draws),
                            _(figures[figure].title), r->n_draws, description->str);
    sq_chart_set_description (self->chart, full);
  }
}

/* The figures' drop-down and the boxes' layer. */
void
_sq_robustness_page_chart_init (SqRobustnessPage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint f = 0; f < SQ_ROBUSTNESS_N_FIGURES; f++)
    gtk_string_list_append (names, _(figures[f].name));
  gtk_drop_down_set_model (self->figure_dropdown, G_LIST_MODEL (names));
  g_signal_connect_swapped (self->figure_dropdown, "notify::selected",
                            G_CALLBACK (_sq_robustness_page_show_result), self);

  self->boxes = sq_chart_boxes_new ();
  sq_chart_boxes_set_legend (SQ_CHART_BOXES (self->boxes), _("quartiles, min to max"),
                             _("mean"), _("deterministic"));
  sq_chart_add_layer (self->chart, self->boxes);
}
