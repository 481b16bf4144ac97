/* sq-check-list.h: a device check's problems as a list, and the check itself in a thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sq-analysis.h"

G_BEGIN_DECLS

#define SQ_TYPE_CHECK_LIST (sq_check_list_get_type ())

G_DECLARE_FINAL_TYPE (SqCheckList, sq_check_list, SQ, CHECK_LIST, GtkWidget)

/* At most this many rows; the rest are counted in a last row. */
#define SQ_CHECK_LIST_MAX_ROWS 100

void                 sq_check_list_set_report    (SqCheckList           *self,
                                                  const SqCheckReport   *report,
                                                  const SqNetwork       *network);
GtkListBox          *sq_check_list_get_list_box  (SqCheckList           *self);
char                *sq_check_report_summary     (const SqCheckReport   *report)
                                                  G_GNUC_WARN_UNUSED_RESULT;

const SqDeviceProfile *sq_kind_device_nth        (const SqNetworkKind   *kind,
                                                  guint                  i);
const SqDeviceProfile *sq_kind_device_or_default (const SqNetworkKind   *kind,
                                                  const SqDeviceProfile *device);
guint                sq_kind_device_position     (const SqNetworkKind   *kind,
                                                  const SqDeviceProfile *device);
GListModel          *sq_kind_device_titles       (const SqNetworkKind   *kind)
                                                  G_GNUC_WARN_UNUSED_RESULT;

void                 sq_check_run_async          (SqAnalysisResult      *result,
                                                  const SqDeviceProfile *device,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
SqCheckReport       *sq_check_run_finish         (GAsyncResult          *result,
                                                  GError               **error);

G_END_DECLS
