/* sq-session.h: a tuned configuration saved as a .synquant file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <synquant.h>

G_BEGIN_DECLS

#define SQ_SESSION_ERROR (sq_session_error_quark ())

/* The version this Synquant writes; it reads it and older ones. */
#define SQ_SESSION_VERSION 1

#define SQ_SESSION_SUFFIX ".synquant"
#define SQ_SESSION_MIME_TYPE "application/x-synquant-session"

/**
 * SqSessionError:
 * @SQ_SESSION_ERROR_INVALID: not a session, or a key holds what it cannot
 * @SQ_SESSION_ERROR_VERSION: written by a newer Synquant
 * @SQ_SESSION_ERROR_SOURCE: the network it names is gone
 */
typedef enum {
  SQ_SESSION_ERROR_INVALID = 1,
  SQ_SESSION_ERROR_VERSION,
  SQ_SESSION_ERROR_SOURCE,
} SqSessionError;

/**
 * SqSession:
 * @source: the network's file, an absolute path
 * @device: the device profile's name ("xylo-audio2")
 * @settings: the quantization settings; their kind is the network's
 * @simulate: (nullable): the Simulate page's input settings, kept as they are
 */
typedef struct {
  char            *source;
  char            *device;
  SqQuantSettings  settings;
  JsonObject      *simulate;
} SqSession;

GQuark     sq_session_error_quark (void);
SqSession *sq_session_new         (void);
void       sq_session_free        (SqSession       *session);
SqSession *sq_session_load        (const char      *path,
                                   GError         **error) G_GNUC_WARN_UNUSED_RESULT;
SqSession *sq_session_load_data   (const char      *data,
                                   gsize            length,
                                   const char      *path,
                                   GError         **error) G_GNUC_WARN_UNUSED_RESULT;
char      *sq_session_to_data     (const SqSession *session,
                                   gsize           *length) G_GNUC_WARN_UNUSED_RESULT;
gboolean   sq_session_save        (const SqSession *session,
                                   const char      *path,
                                   GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqSession, sq_session_free)

G_END_DECLS
