/* sq-export-c-private.h: what the c-header export's header and companion source share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* The network and the names one generation writes. */
typedef struct {
  const SqXyloSpec      *spec;
  const SqQuantResult   *quant;
  const SqDeviceProfile *device;
  const char            *p;     /* the prefix, for identifiers */
  char                  *P;     /* the prefix in capitals, for macros */
  char                  *source;
  const char            *index_type;
} SqCGen;

gboolean  _sq_c_gen_init             (SqCGen                *g,
                                     const SqXyloSpec      *spec,
                                     const SqQuantResult   *quant,
                                     const SqDeviceProfile *device,
                                     const char            *prefix,
                                     GError               **error);
void      _sq_c_gen_clear            (SqCGen                *g);
gboolean  _sq_c_check_header_name    (const char            *name,
                                     GError               **error);
void      _sq_c_append_generated_by  (GString               *s,
                                     const SqCGen          *g);
void      _sq_c_append_list          (GString               *s,
                                     const char            *ctype,
                                     const char            *name,
                                     const char            *dims,
                                     const gint32          *v,
                                     gsize                  n);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SqCGen, _sq_c_gen_clear)

G_END_DECLS
