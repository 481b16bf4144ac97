/* sq-test-nir.c: what the NIR tests compare graphs by (test-nir.c, test-nir-reader.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sq-test-nir.h"

/* "name Type in → out" for every node, in file order, subgraph nodes by path. */
static void
append_nodes (const SqNirGraph *graph,
              GString          *s)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (graph->nodes, i);
      g_autofree char *in = sq_shape_to_string (n->in_rank, n->in_shape);
      g_autofree char *out = sq_shape_to_string (n->out_rank, n->out_shape);

      g_string_append_printf (s, "%s %s %s→%s; ", n->path, sq_nir_type_name (n->type),
                              n->in_rank ? in : "?", n->out_rank ? out : "?");
      if (n->graph)
        append_nodes (n->graph, s);
    }
}

char *
sq_test_nir_node_list (const SqNirGraph *graph)
{
  GString *s = g_string_new (NULL);

  append_nodes (graph, s);
  return g_string_free (s, FALSE);
}

const SqTensor *
sq_test_nir_param (const SqNirGraph *graph,
                   const char       *node,
                   const char       *name)
{
  const SqNirNode *n = sq_nir_graph_find (graph, node);
  const SqNirParam *p;

  g_assert_nonnull (n);
  p = sq_nir_node_get_param (n, name);
  g_assert_nonnull (p);
  return &p->value;
}
