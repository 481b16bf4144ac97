/* sq-json-reader-private.h: a strict, fast JSON reader for numeric files
 *
 * json-glib builds a node per number, which for a 2 M-weight network costs seconds and
 * hundreds of megabytes, and it cannot say *which* element of an array was bad. This reader
 * walks the text once, reads nested numeric arrays straight into tensors, and reports every
 * problem with the file, line, column and index path (`weights_rec[3][7]`).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include <gio/gio.h>

#include "sq-tensor.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

/* Deeper nesting than this in a value we only skip is refused, so a hostile file cannot
 * exhaust the stack. */
#define SQ_JSON_MAX_DEPTH 256

typedef enum {
  SQ_JSON_END,
  SQ_JSON_OBJECT,
  SQ_JSON_ARRAY,
  SQ_JSON_STRING,
  SQ_JSON_NUMBER,
  SQ_JSON_TRUE,
  SQ_JSON_FALSE,
  SQ_JSON_NULL,
  SQ_JSON_NON_FINITE,  /* NaN, Infinity, -Infinity: what Python's json.dump writes */
  SQ_JSON_INVALID,
} SqJsonToken;

typedef struct {
  const char   *start;
  const char   *p;
  const char   *end;
  const char   *name;
  /* Optional: reported and checked at the next array opened after @checkpoint. */
  const char   *checkpoint;
  GCancellable *cancellable;
  SqProgressFunc progress;
  gpointer      progress_data;
} SqJsonReader;

void        _sq_json_reader_init        (SqJsonReader  *r,
                                         const char    *data,
                                         gsize          length,
                                         const char    *name);
void        _sq_json_reader_init_document (SqJsonReader *r,
                                           const char   *data,
                                           gsize         length,
                                           const char   *name);
void        _sq_json_reader_watch       (SqJsonReader  *r,
                                         GCancellable  *cancellable,
                                         SqProgressFunc progress,
                                         gpointer       progress_data);
SqJsonToken _sq_json_reader_peek        (SqJsonReader  *r);
gboolean    _sq_json_reader_accept      (SqJsonReader  *r,
                                         char           c);
gboolean    _sq_json_reader_expect      (SqJsonReader  *r,
                                         char           c,
                                         const char    *what,
                                         GError       **error);
char       *_sq_json_reader_read_string (SqJsonReader  *r,
                                         GError       **error);
gboolean    _sq_json_reader_skip_value  (SqJsonReader  *r,
                                         const char    *path,
                                         GError       **error);
gboolean    _sq_json_reader_read_tensor (SqJsonReader  *r,
                                         const char    *path,
                                         guint          max_rank,
                                         SqTensor      *tensor,
                                         GError       **error);
gboolean    _sq_json_reader_read_count  (SqJsonReader  *r,
                                         const char    *path,
                                         gsize          lo,
                                         gsize          hi,
                                         gsize         *out,
                                         GError       **error);
gboolean    _sq_json_reader_read_tensor_rank (SqJsonReader *r,
                                              const char   *path,
                                              guint         rank,
                                              const char   *expected,
                                              SqTensor     *tensor,
                                              GError      **error);
gboolean    _sq_json_reader_read_scalar (SqJsonReader  *r,
                                         const char    *path,
                                         double        *value,
                                         gboolean      *is_integer,
                                         GError       **error);
const char *_sq_json_token_describe     (SqJsonToken    token);
char       *_sq_json_escape_key         (const char    *key);
void        _sq_json_reader_error       (SqJsonReader  *r,
                                         GError       **error,
                                         int            code,
                                         const char    *at,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (5, 6);

G_END_DECLS
