/* sq-nir.h: NIR graphs (.nir, HDF5): reading, checking, mapping to Xylo, writing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <glib.h>

#include "sq-quantize.h"
#include "sq-tensor.h"
#include "sq-dynapcnn-net.h"
#include "sq-xylo-spec.h"

G_BEGIN_DECLS

#define SQ_NIR_ERROR (sq_nir_error_quark ())

/**
 * SqNirError:
 * @SQ_NIR_ERROR_NO_SUPPORT: Synquant was built without HDF5
 * @SQ_NIR_ERROR_IO: the file could not be read
 * @SQ_NIR_ERROR_FORMAT: not an HDF5 file, or not laid out as NIR (missing `type`, bad dataset)
 * @SQ_NIR_ERROR_UNSUPPORTED: a node type Synquant does not know
 * @SQ_NIR_ERROR_DANGLING_EDGE: an edge names a node the graph does not have
 * @SQ_NIR_ERROR_CYCLE: a cycle that passes through no neuron (an algebraic loop)
 * @SQ_NIR_ERROR_SHAPE: sizes along an edge or inside a node do not agree
 * @SQ_NIR_ERROR_TOO_LARGE: sizes or nesting beyond what Synquant accepts
 * @SQ_NIR_ERROR_UNMAPPABLE: the graph has no Xylo equivalent (the message lists why)
 * @SQ_NIR_ERROR_NEEDS_DT: a graph from another tool was loaded without a time step: NIR stores
 *   none, so the caller must ask for one (and for the reset mode) and load again
 */
typedef enum {
  SQ_NIR_ERROR_NO_SUPPORT = 1,
  SQ_NIR_ERROR_IO,
  SQ_NIR_ERROR_FORMAT,
  SQ_NIR_ERROR_UNSUPPORTED,
  SQ_NIR_ERROR_DANGLING_EDGE,
  SQ_NIR_ERROR_CYCLE,
  SQ_NIR_ERROR_SHAPE,
  SQ_NIR_ERROR_TOO_LARGE,
  SQ_NIR_ERROR_UNMAPPABLE,
  SQ_NIR_ERROR_NEEDS_DT,
} SqNirError;

/* The serializable NIR primitives (NIR 1.0, research/ecosystem.md §1.2). */
typedef enum {
  SQ_NIR_INPUT,
  SQ_NIR_OUTPUT,
  SQ_NIR_AFFINE,
  SQ_NIR_LINEAR,
  SQ_NIR_SCALE,
  SQ_NIR_CONV1D,
  SQ_NIR_CONV2D,
  SQ_NIR_SUM_POOL2D,
  SQ_NIR_AVG_POOL2D,
  SQ_NIR_FLATTEN,
  SQ_NIR_DELAY,
  SQ_NIR_THRESHOLD,
  SQ_NIR_I,
  SQ_NIR_IF,
  SQ_NIR_LI,
  SQ_NIR_LIF,
  SQ_NIR_CUBA_LI,
  SQ_NIR_CUBA_LIF,
  SQ_NIR_GRAPH,
  SQ_NIR_N_TYPES
} SqNirType;

typedef enum {
  SQ_NIR_RESET_SUBTRACT,
  SQ_NIR_RESET_ZERO,
} SqNirReset;

/**
 * SqNirParam:
 * @name: the dataset's name
 * @value: its numbers (any stored type, read as double), or absent for a string
 * @text: the string of a string dataset (Conv padding "same"), else %NULL
 */
typedef struct {
  char     *name;
  SqTensor  value;
  char     *text;
} SqNirParam;

typedef struct _SqNirGraph SqNirGraph;

/**
 * SqNirNode:
 * @name: the node's name in its graph
 * @path: names from the top-level graph joined by ".": "lif1.lin"
 * @type: the primitive
 * @params: (element-type SqNirParam): the datasets, in file order
 * @metadata: (element-type SqNirParam): the datasets of the `metadata` group
 * @graph: the nodes and edges of a %SQ_NIR_GRAPH node, else %NULL
 * @in_rank, @in_shape, @in_from: the input shape when known (@in_rank 0: unknown) and the
 *   dataset it comes from
 * @out_rank, @out_shape, @out_from: the same for the output
 */
typedef struct {
  char       *name;
  char       *path;
  SqNirType   type;
  GPtrArray  *params;
  GPtrArray  *metadata;
  SqNirGraph *graph;

  guint       in_rank;
  gsize       in_shape[SQ_TENSOR_MAX_RANK];
  const char *in_from;
  guint       out_rank;
  gsize       out_shape[SQ_TENSOR_MAX_RANK];
  const char *out_from;
} SqNirNode;

typedef struct {
  char *source;
  char *target;
} SqNirEdge;

/**
 * SqNirGraph:
 * @nodes: (element-type SqNirNode): in file order
 * @edges: (element-type SqNirEdge): in file order
 * @metadata: (element-type SqNirParam): the graph's own `metadata` group
 * @version: the file's `version` string (top level only), or %NULL
 * @source: display name of the file (top level only)
 */
struct _SqNirGraph {
  GPtrArray *nodes;
  GPtrArray *edges;
  GPtrArray *metadata;
  char      *version;
  char      *source;
};

/**
 * SqNirMapOptions:
 * @dt: the time step in seconds (NIR stores none)
 * @reset: how the network was trained to reset (NIR stores none); Xylo subtracts
 */
typedef struct {
  double     dt;
  SqNirReset reset;
} SqNirMapOptions;

/**
 * SqNirDtProposal:
 * @dt: the proposed time step in seconds, 2^k ms (sq_nir_propose_dt() says why)
 * @n_tau: time constants in the graph (every τ, τ_mem and τ_syn of every neuron)
 * @n_in_range: of them, those whose dash at @dt is between 1 and 15
 * @tau_min: the shortest τ, in seconds
 * @tau_max: the longest τ, in seconds
 * @dash_min: the dash of @tau_min at @dt
 * @dash_max: the dash of @tau_max at @dt
 */
typedef struct {
  double dt;
  gsize  n_tau;
  gsize  n_in_range;
  double tau_min;
  double tau_max;
  int    dash_min;
  int    dash_max;
} SqNirDtProposal;

GQuark             sq_nir_error_quark       (void);
gboolean           sq_nir_is_supported      (void);
const char        *sq_nir_type_name         (SqNirType         type);
gboolean           sq_nir_reset_from_string (const char       *s,
                                             SqNirReset       *reset);

SqNirGraph        *sq_nir_graph_load        (const char       *path,
                                             GError          **error) G_GNUC_WARN_UNUSED_RESULT;
SqNirGraph        *sq_nir_graph_load_data   (const char       *data,
                                             gsize             length,
                                             const char       *display_name,
                                             GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void               sq_nir_graph_free        (SqNirGraph       *graph);
const SqNirNode   *sq_nir_graph_find        (const SqNirGraph *graph,
                                             const char       *name);
const SqNirParam  *sq_nir_node_get_param    (const SqNirNode  *node,
                                             const char       *name);
char              *sq_nir_graph_describe    (const SqNirGraph *graph) G_GNUC_WARN_UNUSED_RESULT;
gboolean           sq_nir_propose_dt        (const SqNirGraph      *graph,
                                             SqNirDtProposal       *proposal);
char              *sq_nir_dt_proposal_describe (const SqNirDtProposal *proposal)
                                                G_GNUC_WARN_UNUSED_RESULT;
gboolean           sq_nir_graph_check_mappable (const SqNirGraph *graph,
                                                GError          **error);

SqDynapcnnNet     *sq_nir_map_to_dynapcnn   (const SqNirGraph      *graph,
                                             GPtrArray            **notes,
                                             GError               **error)
                                             G_GNUC_WARN_UNUSED_RESULT;
SqXyloSpec        *sq_nir_map_to_xylo       (const SqNirGraph      *graph,
                                             const SqNirMapOptions *options,
                                             GPtrArray            **notes,
                                             GError               **error)
                                             G_GNUC_WARN_UNUSED_RESULT;

GBytes            *sq_xylo_spec_to_nir      (const SqXyloSpec    *spec,
                                             const SqQuantResult *quant,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean           sq_xylo_spec_save_nir    (const SqXyloSpec    *spec,
                                             const SqQuantResult *quant,
                                             const char          *path,
                                             GError             **error);
SqXyloSpec        *sq_xylo_spec_load_nir    (const char            *path,
                                             const SqNirMapOptions *options,
                                             GPtrArray            **notes,
                                             GError               **error)
                                             G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqNirGraph, sq_nir_graph_free)

G_END_DECLS
