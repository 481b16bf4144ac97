/* sq-figures.c: the figures of a quantization, for the selected group and the whole network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sq-figures.h"
#include "sq-format.h"

/* The figures, in the order of the template; a figure is a title and a value label, both
 * with the title's tooltip. Decays show theirs (dash 0, dash 15, τ error) in the places of
 * figures that mean nothing for them (zeroed, SQNR, max error). */
typedef enum {
  FIG_SCALE,
  FIG_CLIP,
  FIG_CLIPPED,
  FIG_ZEROED,
  FIG_DASH_LO,
  FIG_SQNR,
  FIG_DASH_HI,
  FIG_MAX_ERROR,
  FIG_TAU_ERROR,
  FIG_TOTAL_SQNR,
  FIG_MODE,
  N_FIGS
} Figure;

/* Names for sq_figures_get_text() and the template's ids (name_title, name_value). */
static const char * const figure_names[N_FIGS] = {
  "scale", "clip", "clipped", "zeroed", "dash-lo", "sqnr", "dash-hi", "max-error",
  "tau-error", "total-sqnr", "mode",
};

struct _SqFigures
{
  GtkWidget  parent_instance;

  GtkWidget *grid;
  GtkLabel  *layer_label;
  GtkLabel  *title[N_FIGS];
  GtkLabel  *value[N_FIGS];
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
  /* Declared without a field, so that sq_figures_init() and tests can look them up. */
  for (guint i = 0; i < N_FIGS; i++)
    for (guint t = 0; t < 2; t++)
      {
        g_autofree char *id = g_strdelimit (g_strdup (figure_names[i]), "-", '_');
        g_autofree char *name = g_strconcat (id, t ? "_value" : "_title", NULL);

        gtk_widget_class_bind_template_child_full (widget_class, name, FALSE, 0);
      }
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sq_figures_init (SqFigures *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < N_FIGS; i++)
    {
      g_autofree char *id = g_strdelimit (g_strdup (figure_names[i]), "-", '_');
      g_autofree char *title = g_strconcat (id, "_title", NULL);
      g_autofree char *value = g_strconcat (id, "_value", NULL);

      self->title[i] = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                 SQ_TYPE_FIGURES, title));
      self->value[i] = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                 SQ_TYPE_FIGURES, value));
      /* The value explains itself as its title does: the tooltip is written once. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->value[i]),
                                   gtk_widget_get_tooltip_text (GTK_WIDGET (self->title[i])));
    }
  sq_figures_set_result (self, NULL);
}

static void
set_text (SqFigures *self,
          Figure     figure,
          char      *text)
{
  gtk_label_set_text (self->value[figure], text);
  g_free (text);
}

static void
show_figure (SqFigures *self,
             Figure     figure,
             gboolean   visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->title[figure]), visible);
  gtk_widget_set_visible (GTK_WIDGET (self->value[figure]), visible);
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
 *
 * Shows the figures of @result's group itself (#SqAnalysisResult.figures): a threshold's
 * clipped count is the thresholds', a decay shows how many dashes reached either end of
 * their range and the error of its time constants.
 */
void
sq_figures_set_result (SqFigures              *self,
                       const SqAnalysisResult *r)
{
  const SqNetwork *network;
  const SqGroup *g;
  const SqGroupResult *gr;
  const SqGroupFigures *gf;
  const SqQuantFigures *f;
  g_autofree char *mode = NULL;
  gboolean decay;

  g_return_if_fail (SQ_IS_FIGURES (self));

  if (r == NULL)
    {
      gtk_label_set_text (self->layer_label, "");
      for (guint i = 0; i < N_FIGS; i++)
        gtk_label_set_text (self->value[i], "—");
      return;
    }

  network = r->quant->network;
  g = sq_network_get_group (network, r->group);
  gr = sq_network_result_get_group (r->quant, r->group);
  gf = &r->figures;
  f = &gf->figures;
  decay = gf->decay;
  gtk_label_set_text (self->layer_label, sq_label (sq_network_get_layer (network,
                                                                         g->layer)->label));
  /* Each group its own scale (decays have none). */
  set_text (self, FIG_SCALE, format_scale (gr->scale, gr->scale_min, gr->scale_max));
  set_text (self, FIG_CLIP, sq_format_number (gr->clip_hi));
  set_text (self, FIG_CLIPPED, sq_format_count (f->clipped, f->n_values));

  show_figure (self, FIG_ZEROED, !decay);
  show_figure (self, FIG_SQNR, !decay);
  show_figure (self, FIG_MAX_ERROR, !decay);
  show_figure (self, FIG_DASH_LO, decay);
  show_figure (self, FIG_DASH_HI, decay);
  show_figure (self, FIG_TAU_ERROR, decay);
  set_text (self, FIG_ZEROED, sq_zeroed_text (f->zeroed, f->n_nonzero));
  set_text (self, FIG_SQNR, sq_format_db (sq_quant_figures_sqnr_db (f)));
  set_text (self, FIG_MAX_ERROR, sq_format_number (f->max_abs_error));
  set_text (self, FIG_DASH_LO, sq_format_count (gf->at_lo, f->n_values));
  set_text (self, FIG_DASH_HI, sq_format_count (gf->at_hi, f->n_values));
  set_text (self, FIG_TAU_ERROR, sq_format_percent (gf->tau_error));
  set_text (self, FIG_TOTAL_SQNR, sq_format_db (sq_quant_figures_sqnr_db (&r->quant->total)));

  mode = mode_text (r->quant);
  show_figure (self, FIG_MODE, mode != NULL);
  gtk_label_set_text (self->value[FIG_MODE], mode ? mode : "—");
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
 * @name: "scale", "clip", "clipped", "zeroed", "sqnr", "max-error", "total-sqnr", "mode",
 *   or a decay's "dash-lo", "dash-hi" and "tau-error"
 *
 * The text shown for a figure, for tests.
 */
const char *
sq_figures_get_text (SqFigures  *self,
                     const char *name)
{
  for (guint i = 0; i < N_FIGS; i++)
    if (g_str_equal (figure_names[i], name))
      return gtk_label_get_text (self->value[i]);
  g_return_val_if_reached (NULL);
}

/**
 * sq_figures_get_label:
 * @name: as for sq_figures_get_text()
 * @title: the title rather than the value
 *
 * The label of a figure, for tests (its tooltip, whether it is shown).
 */
GtkWidget *
sq_figures_get_label (SqFigures  *self,
                      const char *name,
                      gboolean    title)
{
  for (guint i = 0; i < N_FIGS; i++)
    if (g_str_equal (figure_names[i], name))
      return GTK_WIDGET (title ? self->title[i] : self->value[i]);
  g_return_val_if_reached (NULL);
}
