/* sq-file.h: reading and atomically writing files, with messages that name the user's path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * SqFileContent:
 * @path: where the file goes
 * @data: (array length=length): what it holds
 * @length: bytes in @data
 */
typedef struct {
  const char *path;
  const char *data;
  gsize       length;
} SqFileContent;

GMappedFile *sq_file_map               (const char          *path,
                                        GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sq_file_write_atomic      (const char          *path,
                                        const char          *data,
                                        gsize                length,
                                        GError             **error);
gboolean     sq_file_write_all_atomic  (const SqFileContent *files,
                                        guint                n_files,
                                        GError             **error);

G_END_DECLS
