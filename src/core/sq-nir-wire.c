/* sq-nir-wire.c: a NIR graph as bytes, the way it crosses from the HDF5 reader's child
 * process to this one (sq-nir-sandbox.c)
 *
 * The parent treats the child's reply as untrusted: a child that HDF5 led astray may send
 * anything. So the decoder checks every index, rank, size and nesting depth it reads, and the
 * fuzz harness tests/fuzz/fuzz-nir-graph.c drives it, and the checks and mapper behind it,
 * in-process (built without HDF5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-nir-private.h"

/* A GVariant: (version, has_version, nodes a(parent, name, type, params, metadata), edges
 * a(graph, src, dst), top-level metadata); a param is (name, shape, values, text, integer,
 * is_text). A node's parent is the index of an earlier node, or -1 for the top level. */
#define PARAMS_T "a(sauadsbb)"
#define NODE_T "(isu" PARAMS_T PARAMS_T ")"
#define GRAPH_T "(sba" NODE_T "a(iss)" PARAMS_T ")"

static void
add_params (GVariantBuilder *b,
            const GPtrArray *params)
{
  g_variant_builder_open (b, G_VARIANT_TYPE (PARAMS_T));
  for (guint i = 0; i < params->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (params, i);
      guint32 shape[SQ_TENSOR_MAX_RANK];

      for (guint d = 0; d < p->value.rank; d++)
        shape[d] = (guint32) p->value.shape[d];
      g_variant_builder_add_value (b, g_variant_new ("(s@au@adsbb)", p->name,
        g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, shape, p->value.rank, 4),
        g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE,
                                   p->value.data ? (gconstpointer) p->value.data
                                                 : (gconstpointer) shape,
                                   p->value.data ? p->value.n : 0, sizeof (double)),
        p->text ? p->text : "", p->value.integer, p->text != NULL));
    }
  g_variant_builder_close (b);
}

static void
add_nodes (GVariantBuilder  *nodes,
           GVariantBuilder  *edges,
           const SqNirGraph *graph,
           int               parent,
           int              *counter)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (graph->nodes, i);
      int me = (*counter)++;

      g_variant_builder_open (nodes, G_VARIANT_TYPE (NODE_T));
      g_variant_builder_add (nodes, "i", parent);
      g_variant_builder_add (nodes, "s", n->name);
      g_variant_builder_add (nodes, "u", (guint32) n->type);
      add_params (nodes, n->params);
      add_params (nodes, n->graph ? n->graph->metadata : n->metadata);
      g_variant_builder_close (nodes);
      if (n->graph)
        add_nodes (nodes, edges, n->graph, me, counter);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SqNirEdge *e = g_ptr_array_index (graph->edges, i);

      g_variant_builder_add (edges, "(iss)", parent, e->source, e->target);
    }
}

/* The graph in its serialised form (the child's reply). */
GBytes *
_sq_nir_graph_to_wire (const SqNirGraph *graph)
{
  GVariantBuilder b, nodes, edges;
  g_autoptr(GVariant) v = NULL;
  int counter = 0;

  g_variant_builder_init (&nodes, G_VARIANT_TYPE ("a" NODE_T));
  g_variant_builder_init (&edges, G_VARIANT_TYPE ("a(iss)"));
  add_nodes (&nodes, &edges, graph, -1, &counter);
  g_variant_builder_init (&b, G_VARIANT_TYPE (GRAPH_T));
  g_variant_builder_add (&b, "s", graph->version ? graph->version : "");
  g_variant_builder_add (&b, "b", graph->version != NULL);
  g_variant_builder_add_value (&b, g_variant_builder_end (&nodes));
  g_variant_builder_add_value (&b, g_variant_builder_end (&edges));
  add_params (&b, graph->metadata);
  v = g_variant_ref_sink (g_variant_builder_end (&b));
  return g_variant_get_data_as_bytes (v);
}

static gboolean
damaged (GError    **error,
         const char *display_name,
         const char *what)
{
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
               _("%s: the reader process sent back a damaged graph (%s)"), display_name, what);
  return FALSE;
}

static gboolean
params_from_variant (GVariant   *v,
                     GPtrArray  *out,
                     const char *display_name,
                     GError    **error)
{
  for (gsize i = 0; i < g_variant_n_children (v); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (v, i);
      g_autoptr(GVariant) shape_v = g_variant_get_child_value (child, 1);
      g_autoptr(GVariant) data_v = g_variant_get_child_value (child, 2);
      const char *name = NULL, *text = NULL;
      gboolean integer, is_text;
      gsize rank, n, count;
      gsize sh[SQ_TENSOR_MAX_RANK];
      const guint32 *shape = g_variant_get_fixed_array (shape_v, &rank, 4);
      const double *data = g_variant_get_fixed_array (data_v, &n, sizeof (double));
      SqNirParam *p;

      g_variant_get_child (child, 0, "&s", &name);
      g_variant_get_child (child, 3, "&s", &text);
      g_variant_get_child (child, 4, "b", &integer);
      g_variant_get_child (child, 5, "b", &is_text);
      p = _sq_nir_param_new (name);
      g_ptr_array_add (out, p);
      if (is_text)
        {
          p->text = g_strdup (text);
          continue;
        }
      if (rank > SQ_TENSOR_MAX_RANK)
        return damaged (error, display_name, "rank");
      for (gsize d = 0; d < rank; d++)
        sh[d] = shape[d];
      if (!sq_shape_count ((guint) rank, sh, &count, NULL) || count != n)
        return damaged (error, display_name, "shape");
      if (!sq_tensor_init (&p->value, (guint) rank, sh, error))
        return FALSE;
      if (n > 0)
        memcpy (p->value.data, data, n * sizeof (double));
      p->value.integer = integer;
    }
  return TRUE;
}

/* Reads what _sq_nir_graph_to_wire() wrote, from bytes it does not trust. */
SqNirGraph *
_sq_nir_graph_from_wire (GBytes     *bytes,
                         const char *display_name,
                         GError    **error)
{
  g_autoptr(GVariant) v = g_variant_ref_sink (
    g_variant_new_from_bytes (G_VARIANT_TYPE (GRAPH_T), bytes, FALSE));
  g_autoptr(SqNirGraph) graph = _sq_nir_graph_new ();
  g_autoptr(GVariant) nodes = g_variant_get_child_value (v, 2);
  g_autoptr(GVariant) edges = g_variant_get_child_value (v, 3);
  g_autoptr(GVariant) meta = g_variant_get_child_value (v, 4);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *version;
  gboolean has_version;

  g_variant_get_child (v, 0, "&s", &version);
  g_variant_get_child (v, 1, "b", &has_version);
  graph->source = g_strdup (display_name);
  graph->version = has_version ? g_strdup (version) : NULL;
  for (gsize i = 0; i < g_variant_n_children (nodes); i++)
    {
      g_autoptr(GVariant) c = g_variant_get_child_value (nodes, i);
      g_autoptr(GVariant) params = g_variant_get_child_value (c, 3);
      g_autoptr(GVariant) md = g_variant_get_child_value (c, 4);
      const char *name;
      gint32 parent;
      guint32 type;
      guint depth = 0;
      SqNirNode *n, *up = NULL;

      g_variant_get_child (c, 0, "i", &parent);
      g_variant_get_child (c, 1, "&s", &name);
      g_variant_get_child (c, 2, "u", &type);
      if (parent >= (gint64) i || parent < -1)
        return damaged (error, display_name, "parent"), NULL;
      if (type >= SQ_NIR_N_TYPES)
        return damaged (error, display_name, "node type"), NULL;
      if (parent >= 0)
        {
          up = g_ptr_array_index (all, parent);
          depth = g_array_index (depths, guint, parent) + 1;
          if (up->graph == NULL)
            return damaged (error, display_name, "parent"), NULL;
          /* The reader's own limit: the checks and the mapper walk subgraphs recursively. */
          if (depth > SQ_NIR_MAX_DEPTH)
            return damaged (error, display_name, "nesting"), NULL;
        }
      n = _sq_nir_node_new (name, up ? up->path : NULL);
      n->type = (SqNirType) type;
      g_ptr_array_add (up ? up->graph->nodes : graph->nodes, n);
      g_ptr_array_add (all, n);
      g_array_append_val (depths, depth);
      if (n->type == SQ_NIR_GRAPH)
        n->graph = _sq_nir_graph_new ();
      if (!params_from_variant (params, n->params, display_name, error) ||
          !params_from_variant (md, n->graph ? n->graph->metadata : n->metadata,
                                display_name, error))
        return NULL;
    }
  for (gsize i = 0; i < g_variant_n_children (edges); i++)
    {
      SqNirEdge *e = g_new0 (SqNirEdge, 1);
      SqNirNode *up;
      gint32 at;

      g_variant_get_child (edges, i, "(iss)", &at, &e->source, &e->target);
      up = at >= 0 && at < (gint32) all->len ? g_ptr_array_index (all, at) : NULL;
      if ((at >= 0 && (up == NULL || up->graph == NULL)) || at < -1)
        {
          _sq_nir_edge_free (e);
          return damaged (error, display_name, "edge"), NULL;
        }
      g_ptr_array_add (up ? up->graph->edges : graph->edges, e);
    }
  if (!params_from_variant (meta, graph->metadata, display_name, error))
    return NULL;
  return g_steal_pointer (&graph);
}
