/* sq-export-dialog.h: export the current quantization as a device configuration
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sq-analysis.h"
#include "sq-check-list.h"

G_BEGIN_DECLS

#define SQ_TYPE_EXPORT_DIALOG (sq_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SqExportDialog, sq_export_dialog, SQ, EXPORT_DIALOG, AdwWindow)

SqExportDialog        *sq_export_dialog_new          (GtkWindow             *parent,
                                                      SqAnalysisResult      *result,
                                                      const SqDeviceProfile *device);
const SqDeviceProfile *sq_export_dialog_get_device   (SqExportDialog        *self);
void                   sq_export_dialog_set_device   (SqExportDialog        *self,
                                                      const SqDeviceProfile *device);
void                   sq_export_dialog_set_format   (SqExportDialog        *self,
                                                      const char            *format);
void                   sq_export_dialog_set_file     (SqExportDialog        *self,
                                                      GFile                 *file);
const SqCheckReport   *sq_export_dialog_get_report   (SqExportDialog        *self);
gboolean               sq_export_dialog_is_busy      (SqExportDialog        *self);
char                  *sq_export_dialog_dup_suggested_name (SqExportDialog  *self);

G_END_DECLS
