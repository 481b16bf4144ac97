/* sq-nir-check.c: what a NIR graph must satisfy before anything uses it, checked without
 * HDF5: every required dataset present (optional ones filled in), sizes worked out per node
 * and agreeing along every edge, every edge naming a node, and no loop without state; and
 * the flattened graph (every primitive node of every nesting level) the checks and the
 * mapper walk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-nir-private.h"

/* Datasets each type must have; NULL-terminated. v_reset and w_in are optional (§1.4). */
static const char * const required_params[SQ_NIR_N_TYPES][8] = {
  [SQ_NIR_INPUT]       = { "shape" },
  [SQ_NIR_OUTPUT]      = { "shape" },
  [SQ_NIR_AFFINE]      = { "weight", "bias" },
  [SQ_NIR_LINEAR]      = { "weight" },
  [SQ_NIR_SCALE]       = { "scale" },
  [SQ_NIR_CONV1D]      = { "weight", "bias", "stride", "padding", "dilation", "groups" },
  [SQ_NIR_CONV2D]      = { "weight", "bias", "stride", "padding", "dilation", "groups" },
  [SQ_NIR_SUM_POOL2D]  = { "kernel_size", "stride", "padding" },
  [SQ_NIR_AVG_POOL2D]  = { "kernel_size", "stride", "padding" },
  [SQ_NIR_FLATTEN]     = { NULL },
  [SQ_NIR_DELAY]       = { "delay" },
  [SQ_NIR_THRESHOLD]   = { "threshold" },
  [SQ_NIR_I]           = { "r" },
  [SQ_NIR_IF]          = { "r", "v_threshold" },
  [SQ_NIR_LI]          = { "tau", "r", "v_leak" },
  [SQ_NIR_LIF]         = { "tau", "r", "v_leak", "v_threshold" },
  [SQ_NIR_CUBA_LI]     = { "tau_syn", "tau_mem", "r", "v_leak" },
  [SQ_NIR_CUBA_LIF]    = { "tau_syn", "tau_mem", "r", "v_leak", "v_threshold" },
  [SQ_NIR_GRAPH]       = { NULL },
};

/* Optional datasets read as numbers when present: with the required ones (all numbers but
 * a convolution's or a pooling's padding, which may be "same" or "valid"), every dataset the
 * checks and the mapper read. A string there would leave them an absent array. */
static const char * const optional_numeric[] = {
  "v_reset", "w_in", "bias", "input_shape", "input_type", NULL
};

/* ---------------------------------------------------------------------------------------- */
/* Checks that need no HDF5: required datasets, shapes, edges, cycles                        */

static gboolean
param_to_shape (const SqNirNode  *node,
                const SqNirParam *p,
                const char       *source,
                guint            *rank,
                gsize            *shape,
                GError          **error)
{
  const SqTensor *t = &p->value;
  gsize n;

  if (!sq_tensor_is_present (t) || t->rank > 1 || t->n > SQ_TENSOR_MAX_RANK || t->n == 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: %s: %s must be a list of 1 to %d sizes"),
                   source, node->path, p->name, SQ_TENSOR_MAX_RANK);
      return FALSE;
    }
  for (gsize i = 0; i < t->n; i++)
    {
      double v = t->data[i];

      if (!(v >= 1 && v <= (double) SQ_TENSOR_MAX_DIM) || _sq_differ (v, nearbyint (v)))
        {
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                       _("%s: %s: %s[%zu] is %g, expected a size from 1 to %zu"), source,
                       node->path, p->name, i, v,
                       SQ_TENSOR_MAX_DIM);
          return FALSE;
        }
      shape[i] = (gsize) v;
    }
  *rank = (guint) t->n;
  return sq_shape_count (*rank, shape, &n, error);
}

static const SqNirParam *
first_numeric (const SqNirNode *node)
{
  for (guint i = 0; i < node->params->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (node->params, i);

      if (sq_tensor_is_present (&p->value))
        return p;
    }
  return NULL;
}

/* Adds a missing optional dataset filled with @value, shaped like @like. */
static gboolean
add_default (SqNirNode        *node,
             const char       *name,
             const SqNirParam *like,
             double            value,
             GError          **error)
{
  SqNirParam *p;

  if (sq_nir_node_get_param (node, name) != NULL || like == NULL)
    return TRUE;
  p = _sq_nir_param_new (name);
  if (!sq_tensor_init_like (&p->value, &like->value, error))
    {
      _sq_nir_param_free (p);
      return FALSE;
    }
  for (gsize i = 0; i < p->value.n; i++)
    p->value.data[i] = value;
  g_ptr_array_add (node->params, p);
  return TRUE;
}

static void
set_shape (guint       *rank_out,
           gsize       *shape_out,
           const char **from_out,
           guint        rank,
           const gsize *shape,
           const char  *from)
{
  *rank_out = rank;
  memcpy (shape_out, shape, rank * sizeof (gsize));
  *from_out = from;
}

static gsize
count (guint        rank,
       const gsize *shape)
{
  gsize n = 1;

  for (guint i = 0; i < rank; i++)
    n *= shape[i];
  return n;
}

/* Output size of a convolution along one axis, or 0 when it is empty or unknown. */
static gsize
conv_out (gsize in,
          double kernel,
          double stride,
          double pad,
          double dilation)
{
  double o = floor (((double) in + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;

  return o >= 1 && o <= (double) SQ_TENSOR_MAX_DIM ? (gsize) o : 0;
}

static double
axis_value (const SqNirParam *p,
            guint             axis,
            double            fallback)
{
  if (p == NULL || !sq_tensor_is_present (&p->value) || p->value.n == 0)
    return fallback;
  return p->value.data[p->value.n == 1 ? 0 : MIN (axis, p->value.n - 1)];
}

static void
conv_shapes (SqNirNode *node)
{
  const SqNirParam *w = sq_nir_node_get_param (node, "weight");
  const SqNirParam *in = sq_nir_node_get_param (node, "input_shape");
  const SqNirParam *pad = sq_nir_node_get_param (node, "padding");
  guint k = node->type == SQ_NIR_CONV1D ? 1 : 2;
  gsize in_shape[3], out_shape[3];
  double groups;

  if (w == NULL || w->value.rank != k + 2 || in == NULL || !sq_tensor_is_present (&in->value) ||
      in->value.n != k)
    return;
  /* A group count beyond any size (or NaN, or ∞) gives no shape to check: it would not fit
   * a gsize (fuzz-nir-graph found an infinite one). */
  groups = MAX (1, axis_value (sq_nir_node_get_param (node, "groups"), 0, 1));
  if (!(groups <= (double) SQ_TENSOR_MAX_DIM))
    return;
  in_shape[0] = w->value.shape[1] * (gsize) groups;
  out_shape[0] = w->value.shape[0];
  for (guint a = 0; a < k; a++)
    {
      double v = in->value.data[a];
      double p = axis_value (pad, a, 0);

      if (!(v >= 1 && v <= (double) SQ_TENSOR_MAX_DIM))
        return;
      in_shape[a + 1] = (gsize) v;
      if (pad != NULL && pad->text != NULL)
        {
          /* "same" keeps the size at stride 1 (PyTorch allows no other); "valid" pads 0. */
          if (g_str_equal (pad->text, "same"))
            {
              out_shape[a + 1] = in_shape[a + 1];
              continue;
            }
          p = 0;
        }
      out_shape[a + 1] = conv_out (in_shape[a + 1], (double) w->value.shape[a + 2],
                                   axis_value (sq_nir_node_get_param (node, "stride"), a, 1), p,
                                   axis_value (sq_nir_node_get_param (node, "dilation"), a, 1));
      if (out_shape[a + 1] == 0)
        return;
    }
  set_shape (&node->in_rank, node->in_shape, &node->in_from, k + 1, in_shape, "input_shape");
  set_shape (&node->out_rank, node->out_shape, &node->out_from, k + 1, out_shape, "weight");
}

static gboolean
may_be_text (SqNirType   type,
             const char *name)
{
  return g_str_equal (name, "padding") &&
         (type == SQ_NIR_CONV1D || type == SQ_NIR_CONV2D || type == SQ_NIR_SUM_POOL2D ||
          type == SQ_NIR_AVG_POOL2D);
}

static gboolean
is_numeric_param (SqNirType   type,
                  const char *name)
{
  if (may_be_text (type, name))
    return FALSE;
  for (guint i = 0; required_params[type][i] != NULL; i++)
    if (g_str_equal (required_params[type][i], name))
      return TRUE;
  return g_strv_contains (optional_numeric, name);
}

/* Every dataset a later step reads as numbers holds numbers: the type is checked here once,
 * so no reader of the graph meets an absent array where it expects values. */
static gboolean
check_param_types (const SqNirNode *node,
                   const char      *source,
                   GError         **error)
{
  for (guint i = 0; i < node->params->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (node->params, i);

      if (!is_numeric_param (node->type, p->name) || sq_tensor_is_present (&p->value))
        continue;
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   p->text != NULL ? _("%s: %s: dataset “%s” of the %s node is a string, "
                                       "expected an array of numbers")
                                   : _("%s: %s: dataset “%s” of the %s node holds no "
                                       "numbers, expected an array of numbers"),
                   source, node->path, p->name, sq_nir_type_name (node->type));
      return FALSE;
    }
  return TRUE;
}

/* Checks one node's datasets and works out the shapes it takes and gives. */
static gboolean
check_node (SqNirNode  *node,
            const char *source,
            GError    **error)
{
  const SqNirParam *first;
  guint rank;
  gsize shape[SQ_TENSOR_MAX_RANK];

  for (guint i = 0; required_params[node->type][i] != NULL; i++)
    if (sq_nir_node_get_param (node, required_params[node->type][i]) == NULL)
      {
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: %s: the %s node has no dataset “%s”"),
                     source, node->path, sq_nir_type_name (node->type),
                     required_params[node->type][i]);
        return FALSE;
      }
  if (!check_param_types (node, source, error))
    return FALSE;

  switch (node->type)
    {
    case SQ_NIR_INPUT:
    case SQ_NIR_OUTPUT:
      if (!param_to_shape (node, sq_nir_node_get_param (node, "shape"), source, &rank, shape,
                           error))
        return FALSE;
      set_shape (&node->in_rank, node->in_shape, &node->in_from, rank, shape, "shape");
      set_shape (&node->out_rank, node->out_shape, &node->out_from, rank, shape, "shape");
      return TRUE;

    case SQ_NIR_AFFINE:
    case SQ_NIR_LINEAR:
      {
        const SqNirParam *w = sq_nir_node_get_param (node, "weight");
        const SqNirParam *b = sq_nir_node_get_param (node, "bias");
        const SqTensor *wt = &w->value;
        gsize rows, cols;

        if (!sq_tensor_is_present (wt) || wt->rank < 2)
          {
            g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_SHAPE,
                         _("%s: %s: weight must be a matrix (out, in), found %u dimensions"),
                         source, node->path, wt->rank);
            return FALSE;
          }
        rows = wt->shape[wt->rank - 2];
        cols = wt->shape[wt->rank - 1];
        if (b != NULL && (!sq_tensor_is_present (&b->value) || b->value.n != rows))
          {
            g_autofree char *ws = sq_tensor_shape_string (wt);
            g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_SHAPE,
                         _("%s: %s: bias has %zu values, but weight %s has %zu rows"), source,
                         node->path, b->value.n, ws, rows);
            return FALSE;
          }
        set_shape (&node->in_rank, node->in_shape, &node->in_from, 1, &cols, "weight");
        set_shape (&node->out_rank, node->out_shape, &node->out_from, 1, &rows, "weight");
        return TRUE;
      }

    case SQ_NIR_CONV1D:
    case SQ_NIR_CONV2D:
      conv_shapes (node);
      return TRUE;

    case SQ_NIR_FLATTEN:
      {
        const SqNirParam *it = sq_nir_node_get_param (node, "input_type");
        gsize n;

        if (it == NULL || !sq_tensor_is_present (&it->value))
          return TRUE;
        if (!param_to_shape (node, it, source, &rank, shape, error))
          return FALSE;
        n = count (rank, shape);
        set_shape (&node->in_rank, node->in_shape, &node->in_from, rank, shape, "input_type");
        set_shape (&node->out_rank, node->out_shape, &node->out_from, 1, &n, "input_type");
        return TRUE;
      }

    case SQ_NIR_SUM_POOL2D:
    case SQ_NIR_AVG_POOL2D:
    case SQ_NIR_GRAPH:
      return TRUE;

    case SQ_NIR_SCALE:
    case SQ_NIR_DELAY:
    case SQ_NIR_THRESHOLD:
    case SQ_NIR_I:
    case SQ_NIR_IF:
    case SQ_NIR_LI:
    case SQ_NIR_LIF:
    case SQ_NIR_CUBA_LI:
    case SQ_NIR_CUBA_LIF:
    case SQ_NIR_N_TYPES:
    default:
      break;
    }

  /* Elementwise nodes: every parameter has the population's shape. */
  first = first_numeric (node);
  if (first == NULL)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: %s: the %s node has no numeric dataset"),
                   source, node->path, sq_nir_type_name (node->type));
      return FALSE;
    }
  if (node->type == SQ_NIR_IF || node->type == SQ_NIR_LIF || node->type == SQ_NIR_CUBA_LIF)
    if (!add_default (node, "v_reset", first, 0.0, error))
      return FALSE;
  if (node->type == SQ_NIR_CUBA_LI || node->type == SQ_NIR_CUBA_LIF)
    if (!add_default (node, "w_in", first, 1.0, error))
      return FALSE;
  for (guint i = 0; i < node->params->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (node->params, i);

      if (p->text != NULL || p->value.n == first->value.n)
        continue;
      {
        g_autofree char *a = sq_tensor_shape_string (&first->value);
        g_autofree char *b = sq_tensor_shape_string (&p->value);
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_SHAPE,
                     _("%s: %s: %s is %s but %s is %s; every parameter of a %s node has the "
                       "population's shape"), source, node->path, p->name, b, first->name, a,
                     sq_nir_type_name (node->type));
        return FALSE;
      }
    }
  if (first->value.rank == 0)
    {
      gsize one = 1;
      set_shape (&node->in_rank, node->in_shape, &node->in_from, 1, &one, first->name);
    }
  else
    set_shape (&node->in_rank, node->in_shape, &node->in_from, first->value.rank,
               first->value.shape, first->name);
  set_shape (&node->out_rank, node->out_shape, &node->out_from, node->in_rank, node->in_shape,
             first->name);
  return TRUE;
}

/* A subgraph takes what its Input node takes and gives what its Output node gives. */
static void
graph_node_shapes (SqNirNode *node)
{
  SqNirNode *in = NULL, *out = NULL;
  guint n_in = 0, n_out = 0;

  for (guint i = 0; i < node->graph->nodes->len; i++)
    {
      SqNirNode *n = g_ptr_array_index (node->graph->nodes, i);

      if (n->type == SQ_NIR_INPUT)
        in = n, n_in++;
      else if (n->type == SQ_NIR_OUTPUT)
        out = n, n_out++;
    }
  if (n_in == 1 && in->out_rank > 0)
    set_shape (&node->in_rank, node->in_shape, &node->in_from, in->out_rank, in->out_shape,
               in->name);
  if (n_out == 1 && out->in_rank > 0)
    set_shape (&node->out_rank, node->out_shape, &node->out_from, out->in_rank, out->in_shape,
               out->name);
}

static const char *
graph_label (const char *path,
             const char *source)
{
  return path && *path ? path : source;
}

static gboolean
check_graph (SqNirGraph *graph,
             const char *path,
             const char *source,
             GError    **error)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SqNirNode *n = g_ptr_array_index (graph->nodes, i);

      if (n->graph != NULL)
        {
          if (!check_graph (n->graph, n->path, source, error))
            return FALSE;
          graph_node_shapes (n);
        }
      else if (!check_node (n, source, error))
        return FALSE;
    }

  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SqNirEdge *e = g_ptr_array_index (graph->edges, i);
      const SqNirNode *src = _sq_nir_resolve (graph, e->source);
      const SqNirNode *dst = _sq_nir_resolve (graph, e->target);
      const char *missing = src == NULL ? e->source : dst == NULL ? e->target : NULL;

      if (missing != NULL)
        {
          const char *label = graph_label (path, _("the top-level graph"));
          g_autoptr(GString) names = g_string_new (NULL);

          /* The file is inconsistent (the reader follows "sub.node" into subgraphs): the
           * names there are what its writer should have used. */
          for (guint k = 0; k < graph->nodes->len; k++)
            g_string_append_printf (names, "%s%s", k ? ", " : "",
                                    ((SqNirNode *) g_ptr_array_index (graph->nodes, k))->name);
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_DANGLING_EDGE,
                       _("%s: %s: edge %s → %s: no node “%s” in %s, whose nodes are %s: the "
                         "file names a node its graph does not have"),
                       source, label, e->source, e->target, missing, label, names->str);
          return FALSE;
        }
      if (src->out_rank > 0 && dst->in_rank > 0 &&
          count (src->out_rank, src->out_shape) != count (dst->in_rank, dst->in_shape))
        {
          g_autofree char *a = sq_shape_to_string (src->out_rank, src->out_shape);
          g_autofree char *b = sq_shape_to_string (dst->in_rank, dst->in_shape);
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_SHAPE,
                       _("%s: edge %s → %s: %s gives %s (from its %s) but %s takes %s "
                         "(from its %s)"), source, src->path, dst->path, src->path, a,
                       src->out_from, dst->path, b, dst->in_from);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* The flattened graph, and loops without state                                              */

static void
collect_nodes (const SqNirGraph *graph,
               GArray           *flat,
               GHashTable       *index,
               gboolean          top)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (graph->nodes, i);

      if (n->graph != NULL)
        collect_nodes (n->graph, flat, index, FALSE);
      else
        {
          SqNirFlatNode f = { n, g_array_new (FALSE, FALSE, sizeof (guint)),
                              g_array_new (FALSE, FALSE, sizeof (guint)), top };

          g_hash_table_insert (index, (gpointer) n, GUINT_TO_POINTER (flat->len));
          g_array_append_val (flat, f);
        }
    }
}

/* The primitive nodes an edge end stands for: a subgraph is its Input nodes as a target and
 * its Output nodes as a source. */
static void
ends (const SqNirNode *node,
      SqNirType        boundary,
      GPtrArray       *out)
{
  if (node->graph == NULL)
    {
      g_ptr_array_add (out, (gpointer) node);
      return;
    }
  for (guint i = 0; i < node->graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (node->graph->nodes, i);

      if (n->type == boundary)
        ends (n, boundary, out);
    }
}

static void
connect_edges (const SqNirGraph *graph,
               GArray           *flat,
               GHashTable       *index)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (graph->nodes, i);

      if (n->graph != NULL)
        connect_edges (n->graph, flat, index);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SqNirEdge *e = g_ptr_array_index (graph->edges, i);
      const SqNirNode *src = _sq_nir_resolve (graph, e->source);
      const SqNirNode *dst = _sq_nir_resolve (graph, e->target);
      g_autoptr(GPtrArray) from = g_ptr_array_new ();
      g_autoptr(GPtrArray) to = g_ptr_array_new ();

      if (src == NULL || dst == NULL)
        continue;
      ends (src, SQ_NIR_OUTPUT, from);
      ends (dst, SQ_NIR_INPUT, to);
      for (guint a = 0; a < from->len; a++)
        for (guint b = 0; b < to->len; b++)
          {
            guint ia = GPOINTER_TO_UINT (g_hash_table_lookup (index, from->pdata[a]));
            guint ib = GPOINTER_TO_UINT (g_hash_table_lookup (index, to->pdata[b]));

            g_array_append_val (g_array_index (flat, SqNirFlatNode, ia).succ, ib);
            g_array_append_val (g_array_index (flat, SqNirFlatNode, ib).pred, ia);
          }
    }
}

static void
flat_clear (gpointer p)
{
  SqNirFlatNode *f = p;

  g_array_unref (f->succ);
  g_array_unref (f->pred);
}

GArray *
_sq_nir_flatten (const SqNirGraph *graph)
{
  GArray *flat = g_array_new (FALSE, FALSE, sizeof (SqNirFlatNode));
  g_autoptr(GHashTable) index = g_hash_table_new (NULL, NULL);

  g_array_set_clear_func (flat, flat_clear);
  collect_nodes (graph, flat, index, TRUE);
  connect_edges (graph, flat, index);
  return flat;
}

/* Depth-first search over the stateless nodes; colour 1 = on the stack, 2 = done. Iterative,
 * so a long chain cannot overflow the stack. */
static gboolean
find_stateless_cycle (GArray  *flat,
                      GString *cycle)
{
  g_autofree guint8 *colour = g_new0 (guint8, flat->len);
  g_autofree guint *stack = g_new (guint, flat->len);
  g_autofree guint *next = g_new0 (guint, flat->len);

  for (guint start = 0; start < flat->len; start++)
    {
      guint depth = 0;

      if (colour[start] != 0 ||
          _sq_nir_type_has_state (g_array_index (flat, SqNirFlatNode, start).node->type))
        continue;
      stack[depth++] = start;
      colour[start] = 1;
      next[start] = 0;
      while (depth > 0)
        {
          guint v = stack[depth - 1];
          GArray *succ = g_array_index (flat, SqNirFlatNode, v).succ;

          if (next[v] < succ->len)
            {
              guint w = g_array_index (succ, guint, next[v]++);

              if (_sq_nir_type_has_state (g_array_index (flat, SqNirFlatNode, w).node->type))
                continue;
              if (colour[w] == 1)
                {
                  guint k = depth;

                  while (k > 0 && stack[k - 1] != w)
                    k--;
                  for (guint j = k - 1; j < depth; j++)
                    g_string_append_printf (cycle, "%s → ",
                                            g_array_index (flat, SqNirFlatNode,
                                                           stack[j]).node->path);
                  g_string_append (cycle, g_array_index (flat, SqNirFlatNode, w).node->path);
                  return TRUE;
                }
              if (colour[w] == 0)
                {
                  colour[w] = 1;
                  next[w] = 0;
                  stack[depth++] = w;
                }
            }
          else
            {
              colour[v] = 2;
              depth--;
            }
        }
    }
  return FALSE;
}

gboolean
_sq_nir_validate (SqNirGraph *graph,
                  GError    **error)
{
  g_autoptr(GArray) flat = NULL;
  g_autoptr(GString) cycle = g_string_new (NULL);

  if (!check_graph (graph, NULL, graph->source, error))
    return FALSE;
  flat = _sq_nir_flatten (graph);
  if (find_stateless_cycle (flat, cycle))
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_CYCLE,
                   _("%s: the cycle %s passes through no neuron or delay: its value would "
                     "depend on itself within one time step"), graph->source, cycle->str);
      return FALSE;
    }
  return TRUE;
}
