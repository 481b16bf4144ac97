/* sq-nir-h5w-private.h: the NIR writers' HDF5 helpers (sq-nir-h5w.c), only with -Dnir
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

#if SYNQUANT_HAVE_NIR
# include <hdf5.h>

G_BEGIN_DECLS

/* NIR's package version the layouts follow. */
#define SQ_NIR_VERSION "1.0.7"

/* One file being written: @ok turns FALSE at the first failed call. */
typedef struct {
  gboolean ok;
  gboolean integer;   /* write whole-numbered arrays as int64 */
  hid_t    gcpl;      /* creation properties without timestamps: same spec, same bytes */
  hid_t    dcpl;
} Writer;

typedef void (*SqH5wBuild) (Writer   *w,
                            hid_t     file,
                            gconstpointer data);

Writer  _sq_h5w_variant     (const Writer  *w,
                             gboolean       integer);
void    _sq_h5w_close       (hid_t          id);
void    _sq_h5w_strings     (Writer        *w,
                             hid_t          loc,
                             const char    *name,
                             int            rank,
                             const hsize_t *dims,
                             const char   **strings);
void    _sq_h5w_string      (Writer        *w,
                             hid_t          loc,
                             const char    *name,
                             const char    *value);
void    _sq_h5w_array       (Writer        *w,
                             hid_t          loc,
                             const char    *name,
                             int            rank,
                             const hsize_t *dims,
                             const double  *v,
                             gsize          n);
void    _sq_h5w_vector      (Writer        *w,
                             hid_t          loc,
                             const char    *name,
                             const double  *v,
                             gsize          n);
void    _sq_h5w_pair        (Writer        *w,
                             hid_t          loc,
                             const char    *name,
                             double         y,
                             double         x);
void    _sq_h5w_scalar      (Writer        *w,
                             hid_t          loc,
                             const char    *name,
                             double         v);
hid_t   _sq_h5w_node        (Writer        *w,
                             hid_t          nodes,
                             const char    *name,
                             const char    *type);
hid_t   _sq_h5w_metadata    (Writer        *w,
                             hid_t          node);
hid_t   _sq_h5w_graph       (Writer        *w,
                             hid_t          file,
                             hid_t         *nodes);
GBytes *_sq_h5w_image       (gboolean       integer,
                             SqH5wBuild     build,
                             gconstpointer  data,
                             GError       **error);

G_END_DECLS

#endif /* SYNQUANT_HAVE_NIR */
