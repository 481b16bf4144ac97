/* sq-nir-private.h: shared by the NIR graph, its checks, the HDF5 reader and its sandbox,
 * the mapper and the writer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

/* The model (sq-nir-graph.c). */
gboolean    _sq_nir_type_is_neuron (SqNirType         type);
gboolean    _sq_nir_type_has_state (SqNirType         type);
SqNirNode  *_sq_nir_resolve       (const SqNirGraph *graph,
                                   const char       *name);
SqNirParam *_sq_nir_param_new     (const char       *name);
void        _sq_nir_param_free    (gpointer          p);
SqNirNode  *_sq_nir_node_new      (const char       *name,
                                   const char       *parent_path);
void        _sq_nir_node_free     (gpointer          p);
void        _sq_nir_edge_free     (gpointer          p);
SqNirGraph *_sq_nir_graph_new     (void);
gboolean    _sq_nir_no_support    (GError          **error);
const SqTensor *_sq_nir_node_tensor (const SqNirNode *node,
                                     const char      *name);
gboolean    _sq_nir_node_pair     (const SqNirNode  *node,
                                   const char       *name,
                                   gsize             fallback,
                                   gsize             lo,
                                   gsize             out[2]);

/* The checks (sq-nir-check.c): FALSE with @error set unless the graph is usable. */
gboolean    _sq_nir_validate      (SqNirGraph       *graph,
                                   GError          **error);

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

/* How deep subgraphs may nest: the HDF5 reader refuses deeper files, and the graph's bytes
 * from its child are held to the same limit (the checks and the mapper recurse). */
#define SQ_NIR_MAX_DEPTH 32

/* The graph as bytes, as the HDF5 reader's child sends it (sq-nir-wire.c); the decoder
 * trusts nothing in them. */
GBytes     *_sq_nir_graph_to_wire   (const SqNirGraph *graph);
SqNirGraph *_sq_nir_graph_from_wire (GBytes           *bytes,
                                     const char       *display_name,
                                     GError          **error);

/* A checked graph as a Xylo specification: one Synquant wrote is rebuilt, any other is
 * mapped with @options (sq-nir-rebuild.c). */
SqXyloSpec *_sq_nir_spec_from_graph (const SqNirGraph      *graph,
                                     const SqNirMapOptions *options,
                                     GPtrArray            **notes,
                                     GError               **error);

/* HDF5, only with -Dnir (sq-nir-hdf5.c, sq-nir-sandbox.c). Debian's libhdf5 is built
 * without thread safety and the window loads files in worker threads: every HDF5 call of
 * the library runs under this one lock. */
void        _sq_nir_lock          (void);
void        _sq_nir_unlock        (void);
void        _sq_nir_h5_init       (void);
gboolean    _sq_nir_check_superblock (const char *data,
                                      gsize       length,
                                      const char *display_name,
                                      GError    **error);
/* Parses the file in this process, the lock held: only the sandbox's child calls it. */
SqNirGraph *_sq_nir_hdf5_read     (const char       *data,
                                   gsize             length,
                                   const char       *display_name,
                                   GError          **error);
/* Reader processes started so far (tests: a graph read again comes from the cache). */
guint       _sq_nir_children_started (void);
/* The memory the child may take beyond what it inherits: @fixed + @per_byte × the file's
 * length (sq-nir-sandbox.c; tests lower it); empties the cache of the last graph read. */
void        _sq_nir_set_child_budget (gsize fixed,
                                      gsize per_byte);
/* The reader process's work (the synquant-nir-reader helper, or a forked child): reads
 * the file and writes the reply to @fd; returns the exit status. */
int         _sq_nir_child_main    (const char       *data,
                                   gsize             length,
                                   const char       *display_name,
                                   int               fd);
/* Reads the file in a reader process, unchecked (sq_nir_graph_load_data() checks). */
SqNirGraph *_sq_nir_read          (const char       *data,
                                   gsize             length,
                                   const char       *display_name,
                                   GError          **error);

/* Our own layout (sq-nir-write.c, read back by sq-nir-rebuild.c): the marker in the
 * top-level graph's metadata, and which arrays it writes as integers. */
#define SQ_NIR_LAYOUT_KEY   "synquant_layout"
#define SQ_NIR_LAYOUT_VALUE "xylo-spec"
gboolean    _sq_nir_all_integral  (const double     *v,
                                   gsize             n);

G_END_DECLS
