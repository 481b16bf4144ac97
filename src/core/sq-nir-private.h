/* sq-nir-private.h: shared by the NIR reader, mapper and writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* Debian's libhdf5 is built without thread safety and the window loads files in worker
 * threads: every HDF5 call of the library runs under this one lock. */
void        _sq_nir_lock          (void);
void        _sq_nir_unlock        (void);

gboolean    _sq_nir_type_is_neuron (SqNirType type);
gboolean    _sq_nir_type_has_state (SqNirType type);
SqNirNode  *_sq_nir_resolve       (const SqNirGraph *graph,
                                   const char       *name);
void        _sq_nir_param_free    (gpointer          p);
SqNirParam *_sq_nir_param_new     (const char       *name);

/* The flattened graph: every primitive node of every nesting level, with the edges resolved
 * through subgraph boundaries (an edge into a subgraph goes to its Input nodes, an edge out
 * of it comes from its Output nodes). */
typedef struct {
  const SqNirNode *node;
  GArray          *succ;   /* guint indices into the flat nodes */
  GArray          *pred;
  gboolean         top;    /* a node of the top-level graph */
} SqNirFlatNode;

GArray     *_sq_nir_flatten       (const SqNirGraph *graph);

/* Our own layout (sq-nir-write.c): the marker in the top-level graph's metadata. */
#define SQ_NIR_LAYOUT_KEY   "synquant_layout"
#define SQ_NIR_LAYOUT_VALUE "xylo-spec"

G_END_DECLS
