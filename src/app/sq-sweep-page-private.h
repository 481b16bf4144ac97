/* sq-sweep-page-private.h: the Sweep page's instance, shared by its two files:
 * sq-sweep-page.c (the object, its controls and the runs) and sq-sweep-page-chart.c (the
 * figures of each row, the chart, its points and a click on one)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sq-chart.h"
#include "sq-chart-curves.h"
#include "sq-samples-button.h"
#include "sq-sweep-page.h"

G_BEGIN_DECLS

/* One point drawn: the row it shows, and where. */
typedef struct {
  guint  curve;
  gsize  index;
  gsize  row;
  double x;
  double y;
} Point;

struct _SqSweepPage
{
  GtkWidget             parent_instance;

  SqAnalysis           *analysis;
  SqDocument           *document;     /* whose network the controls were made for */
  const SqDeviceProfile *device;
  SqSweepTask          *task;
  SqChartLayer         *curves;
  const SqOption       *x_option;     /* nullable: the kind has no width to sweep */
  const SqOption       *series_option; /* nullable: one curve */
  GPtrArray            *series_checks; /* GtkCheckButton per choice of series_option */
  GArray               *points;       /* of Point, curve by curve */
  guint                 n_curves;
  int                   key_curve;    /* the point chosen with the keyboard, or -1 */
  gssize                key_point;

  SqSamplesButton      *samples_button;
  GtkDropDown          *figure_dropdown;
  GtkLabel             *x_label;
  GtkSpinButton        *from_spin;
  GtkSpinButton        *to_spin;
  GtkBox               *series_box;
  GtkStack             *status_stack;
  GtkLabel             *status_label;
  GtkProgressBar       *progress_bar;
  GtkWidget            *cancel_button;
  GtkWidget            *run_button;
  SqChart              *chart;
};

/* sq-sweep-page.c */
double _sq_sweep_page_x_of          (SqSweepPage *self,
                                     int          value);

/* sq-sweep-page-chart.c */
void _sq_sweep_page_chart_init      (SqSweepPage *self);
void _sq_sweep_page_show_sweep      (SqSweepPage *self);
void _sq_sweep_page_update_overlays (SqSweepPage *self);
void _sq_sweep_page_unselect        (SqSweepPage *self);

G_END_DECLS
