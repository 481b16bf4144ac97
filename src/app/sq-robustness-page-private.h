/* sq-robustness-page-private.h: the Robustness page's instance, shared by its two files:
 * sq-robustness-page.c (the object, its controls, configurations and runs) and
 * sq-robustness-page-chart.c (the configuration and the figures in words, the boxes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sq-chart.h"
#include "sq-chart-boxes.h"
#include "sq-robustness-page.h"

G_BEGIN_DECLS

struct _SqRobustnessPage
{
  GtkWidget              parent_instance;

  SqAnalysis            *analysis;
  SqDocument            *document;     /* whose network the last result is of */
  const SqDeviceProfile *device;
  SqRobustnessTask      *task;
  GPtrArray             *configs;      /* of Config, the drop-down's order */
  GtkStringList         *config_names;
  GtkFileChooserNative  *chooser;
  SqChartLayer          *boxes;

  SqSamplesButton       *samples_button;
  GtkDropDown           *config_dropdown;
  GtkWidget             *config_button;
  GtkDropDown           *figure_dropdown;
  GtkSpinButton         *draws_spin;
  GtkSpinButton         *seed_spin;
  GtkCheckButton        *float_check;
  GtkCheckButton        *integer_check;
  GtkWidget             *run_button;
  GtkLabel              *config_label;
  GtkStack              *status_stack;
  GtkLabel              *status_label;
  GtkProgressBar        *progress_bar;
  GtkWidget             *cancel_button;
  SqChart               *chart;
  GtkLabel              *figures_label;
};

/* sq-robustness-page-chart.c */
char *_sq_robustness_config_text       (const SqTransformConfig *config)
                                        G_GNUC_WARN_UNUSED_RESULT;
void  _sq_robustness_page_chart_init   (SqRobustnessPage        *self);
void  _sq_robustness_page_show_result  (SqRobustnessPage        *self);

G_END_DECLS
