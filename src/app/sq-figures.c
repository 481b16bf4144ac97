/* sq-figures.c: the figures of a quantization, for one layer and the whole network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-figures.h"
#include "sq-format.h"

struct _SqFigures
{
  GtkWidget  parent_instance;

  GtkWidget *grid;
  GtkLabel  *layer_label;
  GtkLabel  *scale_value;
  GtkLabel  *clip_value;
  GtkLabel  *clipped_value;
  GtkLabel  *zeroed_value;
  GtkLabel  *sqnr_value;
  GtkLabel  *max_error_value;
  GtkLabel  *total_sqnr_value;
  GtkWidget *mode_title;
  GtkLabel  *mode_value;
};

G_DEFINE_FINAL_TYPE (SqFigures, sq_figures, GTK_TYPE_WIDGET)

static void
sq_figures_dispose (GObject *object)
{
  SqFigures *self = SQ_FIGURES (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SQ_TYPE_FIGURES);
  self->grid = NULL;

  G_OBJECT_CLASS (sq_figures_parent_class)->dispose (object);
}

static void
sq_figures_class_init (SqFiguresClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sq_figures_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/synquant/Synquant/sq-figures.ui");
  gtk_widget_class_bind_template_child (widget_class, SqFigures, grid);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, layer_label);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, scale_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, clip_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, clipped_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, zeroed_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, sqnr_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, max_error_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, total_sqnr_value);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, mode_title);
  gtk_widget_class_bind_template_child (widget_class, SqFigures, mode_value);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_figures_init (SqFigures *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sq_figures_set_result (self, NULL);
}

static void
set_text (GtkLabel *label,
          char     *text)
{
  gtk_label_set_text (label, text);
  g_free (text);
}

/* One number under one scale, the spread of the channels' under channel scaling. */
static char *
format_scale (double scale,
              double lo,
              double hi)
{
  if (!isnan (scale))
    return sq_format_number (scale);
  return lo <= hi ? sq_format_range (lo, hi) : g_strdup ("—");
}

/* The mode the result came from, and the one asked for when it fell back; %NULL for a kind
 * without modes. */
static char *
mode_text (const SqNetworkResult *quant)
{
  const SqOption *o = sq_network_kind_option (quant->network->kind, "mode");
  const SqChoice *asked, *used = NULL;

  if (o == NULL || o->type != SQ_OPTION_CHOICE || quant->mode_used == NULL)
    return NULL;
  asked = &o->choices[sq_quant_settings_get (&quant->settings, "mode")];
  for (guint i = 0; i < o->n_choices; i++)
    if (g_str_equal (o->choices[i].name, quant->mode_used))
      used = &o->choices[i];
  if (used == NULL)
    return g_strdup (quant->mode_used);
  if (used == asked)
    return g_strdup (sq_label (used->label));
  /* Translators: the mode used, and the one asked for: "Synquant (Rockpool-compatible would
   * fail)" */
  return g_strdup_printf (_("%s (%s would fail)"), sq_label (used->label),
                          sq_label (asked->label));
}

/**
 * sq_figures_set_result:
 * @result: (nullable): the figures to show; %NULL shows dashes
 */
void
sq_figures_set_result (SqFigures              *self,
                       const SqAnalysisResult *r)
{
  const SqNetwork *network;
  const SqGroup *g;
  const SqGroupResult *gr;
  const SqLayerResult *lr;
  const SqQuantFigures *layer;
  g_autofree char *mode = NULL;

  g_return_if_fail (SQ_IS_FIGURES (self));

  if (r == NULL)
    {
      GtkLabel *labels[] = { self->scale_value, self->clip_value, self->clipped_value,
                             self->zeroed_value, self->sqnr_value, self->max_error_value,
                             self->total_sqnr_value, self->mode_value };

      gtk_label_set_text (self->layer_label, "");
      for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
        gtk_label_set_text (labels[i], "—");
      return;
    }

  network = r->quant->network;
  g = sq_network_get_group (network, r->group);
  gr = sq_network_result_get_group (r->quant, r->group);
  lr = &r->quant->layers[g->layer];
  layer = &lr->figures;
  gtk_label_set_text (self->layer_label, sq_label (sq_network_get_layer (network,
                                                                         g->layer)->label));
  /* Weights show their own scale (a group may have one of its own); thresholds, biases and
   * decays their layer's weights'. */
  if (g->role == SQ_ROLE_WEIGHTS)
    set_text (self->scale_value, format_scale (gr->scale, gr->scale_min, gr->scale_max));
  else
    set_text (self->scale_value, format_scale (lr->scale, lr->scale_min, lr->scale_max));
  set_text (self->clip_value, sq_format_number (gr->clip_hi));
  set_text (self->clipped_value, sq_format_count (layer->clipped, layer->n_values));
  set_text (self->zeroed_value, sq_format_count (layer->zeroed, layer->n_values));
  set_text (self->sqnr_value, sq_format_db (sq_quant_figures_sqnr_db (layer)));
  set_text (self->max_error_value, sq_format_number (layer->max_abs_error));
  set_text (self->total_sqnr_value, sq_format_db (sq_quant_figures_sqnr_db (&r->quant->total)));

  mode = mode_text (r->quant);
  gtk_widget_set_visible (self->mode_title, mode != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->mode_value), mode != NULL);
  gtk_label_set_text (self->mode_value, mode ? mode : "—");
}

/**
 * sq_figures_set_compact:
 *
 * Two columns instead of four, for the narrow columns of the compare page: the figures of the
 * right half move below the left half.
 */
void
sq_figures_set_compact (SqFigures *self,
                        gboolean   compact)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (self->grid);

  g_return_if_fail (SQ_IS_FIGURES (self));

  for (GtkWidget *c = gtk_widget_get_first_child (self->grid); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkGridLayoutChild *lc =
        GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, c));
      int row = gtk_grid_layout_child_get_row (lc);
      int col = gtk_grid_layout_child_get_column (lc);

      if (row == 0)
        gtk_grid_layout_child_set_column_span (lc, compact ? 2 : 4);
      else if (compact && col >= 2)
        {
          gtk_grid_layout_child_set_column (lc, col - 2);
          gtk_grid_layout_child_set_row (lc, row + 4);
        }
      else if (!compact && row > 4)
        {
          gtk_grid_layout_child_set_column (lc, col + 2);
          gtk_grid_layout_child_set_row (lc, row - 4);
        }
    }
}

/**
 * sq_figures_get_text:
 * @name: "scale", "clip", "clipped", "zeroed", "sqnr", "max-error", "total-sqnr" or "mode"
 *
 * The text shown for a figure, for tests.
 */
const char *
sq_figures_get_text (SqFigures  *self,
                     const char *name)
{
  struct { const char *name; GtkLabel *label; } map[] = {
    { "scale", self->scale_value }, { "clip", self->clip_value },
    { "clipped", self->clipped_value }, { "zeroed", self->zeroed_value },
    { "sqnr", self->sqnr_value }, { "max-error", self->max_error_value },
    { "total-sqnr", self->total_sqnr_value }, { "mode", self->mode_value },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (map[i].name, name))
      return gtk_label_get_text (map[i].label);
  g_return_val_if_reached (NULL);
}
