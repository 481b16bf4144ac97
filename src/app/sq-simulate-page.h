/* sq-simulate-page.h: the float model and the integer core side by side on one input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sq-analysis.h"
#include "sq-simulation.h"

G_BEGIN_DECLS

#define SQ_TYPE_SIMULATE_PAGE (sq_simulate_page_get_type ())

G_DECLARE_FINAL_TYPE (SqSimulatePage, sq_simulate_page, SQ, SIMULATE_PAGE, GtkWidget)

void          sq_simulate_page_set_analysis   (SqSimulatePage *self,
                                               SqAnalysis     *analysis);
void          sq_simulate_page_set_device     (SqSimulatePage        *self,
                                               const SqDeviceProfile *device);
const SqDeviceProfile *
              sq_simulate_page_get_device     (SqSimulatePage *self);
void          sq_simulate_page_set_input_file (SqSimulatePage *self,
                                               GFile          *file);
gboolean      sq_simulate_page_run            (SqSimulatePage *self);
void          sq_simulate_page_cancel         (SqSimulatePage *self);
SqSimulation *sq_simulate_page_get_simulation (SqSimulatePage *self);
GPtrArray    *sq_simulate_page_get_hidden_charts (SqSimulatePage *self);
gboolean          sq_simulate_page_get_figure_visible (SqSimulatePage *self,
                                                       const char     *name);
const char   *sq_simulate_page_get_figure     (SqSimulatePage *self,
                                               const char     *name);
JsonObject   *sq_simulate_page_get_settings   (SqSimulatePage *self);
void          sq_simulate_page_set_settings   (SqSimulatePage *self,
                                               JsonObject     *settings);

G_END_DECLS
