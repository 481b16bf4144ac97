/* sq-document.h: a loaded network, of any kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <synquant.h>

G_BEGIN_DECLS

#define SQ_TYPE_DOCUMENT (sq_document_get_type ())

G_DECLARE_FINAL_TYPE (SqDocument, sq_document, SQ, DOCUMENT, GObject)

void              sq_document_load_async   (GFile                 *file,
                                            const SqNirMapOptions *nir,
                                            GCancellable          *cancellable,
                                            gint                  *progress_permille,
                                            GAsyncReadyCallback    callback,
                                            gpointer               user_data);
SqDocument       *sq_document_load_finish  (GAsyncResult        *result,
                                            GError             **error);
gboolean          sq_document_load_dt_proposal (GAsyncResult    *result,
                                                SqNirDtProposal *proposal);
SqDocument       *sq_document_load         (GFile               *file,
                                            GError             **error);

GFile            *sq_document_get_file     (SqDocument          *self);
const char       *sq_document_get_title    (SqDocument          *self);
SqNetwork        *sq_document_get_network  (SqDocument          *self);

G_END_DECLS
