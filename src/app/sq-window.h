/* sq-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "sq-analysis.h"
#include "sq-application.h"
#include "sq-compare-page.h"
#include "sq-simulate-page.h"
#include "sq-robustness-page.h"
#include "sq-sweep-page.h"
#include "sq-tune-page.h"

G_BEGIN_DECLS

#define SQ_TYPE_WINDOW (sq_window_get_type ())

G_DECLARE_FINAL_TYPE (SqWindow, sq_window, SQ, WINDOW, AdwApplicationWindow)

SqWindow      *sq_window_new              (SqApplication *application);
void           sq_window_open             (SqWindow      *self,
                                           GFile         *file);
gboolean       sq_window_is_loading       (SqWindow      *self);
SqDocument    *sq_window_get_document     (SqWindow      *self);
SqAnalysis    *sq_window_get_analysis     (SqWindow      *self);
SqTunePage    *sq_window_get_tune_page    (SqWindow      *self);
SqComparePage *sq_window_get_compare_page (SqWindow      *self);
void           sq_window_save_quantized   (SqWindow      *self,
                                           GFile         *file);
SqSimulatePage *sq_window_get_simulate_page (SqWindow    *self);
SqSweepPage    *sq_window_get_sweep_page    (SqWindow    *self);
SqRobustnessPage *sq_window_get_robustness_page (SqWindow  *self);
const char    *sq_window_get_page         (SqWindow      *self);

const char            *sq_window_get_device            (SqWindow   *self);
void                   sq_window_set_device            (SqWindow   *self,
                                                        const char *name);
const SqCheckReport   *sq_window_get_check_report      (SqWindow   *self);
gboolean               sq_window_is_checking           (SqWindow   *self);
gboolean               sq_window_save_session          (SqWindow   *self,
                                                        GFile      *file,
                                                        GError    **error);
JsonObject            *sq_window_get_simulate_settings (SqWindow   *self);
void                   sq_window_set_simulate_settings (SqWindow   *self,
                                                        JsonObject *settings);
void                   sq_window_set_recent_manager    (SqWindow   *self,
                                                        GtkRecentManager *manager);

G_END_DECLS
