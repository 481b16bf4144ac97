/* sq-nir.c: NIR graphs (.nir) in memory, read from HDF5 and checked
 *
 * The layout (research/ecosystem.md §1.1): every value is a dataset; /node is the top-level
 * node, a group with a `type` string; a NIRGraph node has a `nodes` group of named node
 * groups and an `edges` dataset (E, 2) of strings. Only calls present in both HDF5 1.10 and
 * 1.14 are used (H5Gget_info, H5Lget_name_by_idx, H5Oopen, H5Iget_type): 1.12 renamed the
 * iteration and object-info calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <inttypes.h>

#include "synquant.h"
#include "sq-private.h"
#include "sq-nir-private.h"

#if SYNQUANT_HAVE_NIR
# include <errno.h>
# include <hdf5.h>
# include <signal.h>
# include <sys/wait.h>
# include <unistd.h>
#endif

G_DEFINE_QUARK (sq-nir-error-quark, sq_nir_error)

/* Nesting deeper than this is refused: a hard link back to an ancestor group would
 * otherwise recurse forever. */
#define MAX_DEPTH 32
/* Longest fixed-length string and longest name accepted. */
#define MAX_STRING 65536

static const char * const type_names[SQ_NIR_N_TYPES] = {
  [SQ_NIR_INPUT]       = "Input",
  [SQ_NIR_OUTPUT]      = "Output",
  [SQ_NIR_AFFINE]      = "Affine",
  [SQ_NIR_LINEAR]      = "Linear",
  [SQ_NIR_SCALE]       = "Scale",
  [SQ_NIR_CONV1D]      = "Conv1d",
  [SQ_NIR_CONV2D]      = "Conv2d",
  [SQ_NIR_SUM_POOL2D]  = "SumPool2d",
  [SQ_NIR_AVG_POOL2D]  = "AvgPool2d",
  [SQ_NIR_FLATTEN]     = "Flatten",
  [SQ_NIR_DELAY]       = "Delay",
  [SQ_NIR_THRESHOLD]   = "Threshold",
  [SQ_NIR_I]           = "I",
  [SQ_NIR_IF]          = "IF",
  [SQ_NIR_LI]          = "LI",
  [SQ_NIR_LIF]         = "LIF",
  [SQ_NIR_CUBA_LI]     = "CubaLI",
  [SQ_NIR_CUBA_LIF]    = "CubaLIF",
  [SQ_NIR_GRAPH]       = "NIRGraph",
};

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

gboolean
sq_nir_is_supported (void)
{
  return SYNQUANT_HAVE_NIR;
}

const char *
sq_nir_type_name (SqNirType type)
{
  g_return_val_if_fail (type < SQ_NIR_N_TYPES, NULL);
  return type_names[type];
}

gboolean
sq_nir_reset_from_string (const char *s,
                          SqNirReset *reset)
{
  if (g_str_equal (s, "subtract"))
    *reset = SQ_NIR_RESET_SUBTRACT;
  else if (g_str_equal (s, "zero"))
    *reset = SQ_NIR_RESET_ZERO;
  else
    return FALSE;
  return TRUE;
}

const char *
sq_nir_reset_to_string (SqNirReset reset)
{
  return reset == SQ_NIR_RESET_ZERO ? "zero" : "subtract";
}

/* The spiking populations Xylo can hold. */
gboolean
_sq_nir_type_is_neuron (SqNirType type)
{
  return type == SQ_NIR_IF || type == SQ_NIR_LIF || type == SQ_NIR_CUBA_LIF ||
         type == SQ_NIR_I || type == SQ_NIR_LI || type == SQ_NIR_CUBA_LI;
}

/* Nodes whose output depends on the past only: a loop through one of them is a recurrence,
 * not an algebraic loop. */
gboolean
_sq_nir_type_has_state (SqNirType type)
{
  return _sq_nir_type_is_neuron (type) || type == SQ_NIR_DELAY;
}

/* ---------------------------------------------------------------------------------------- */
/* The model                                                                                 */

SqNirParam *
_sq_nir_param_new (const char *name)
{
  SqNirParam *p = g_new0 (SqNirParam, 1);

  p->name = g_strdup (name);
  return p;
}

void
_sq_nir_param_free (gpointer data)
{
  SqNirParam *p = data;

  g_free (p->name);
  sq_tensor_clear (&p->value);
  g_free (p->text);
  g_free (p);
}

static void
edge_free (gpointer data)
{
  SqNirEdge *e = data;

  g_free (e->source);
  g_free (e->target);
  g_free (e);
}

static void
node_free (gpointer data)
{
  SqNirNode *n = data;

  g_free (n->name);
  g_free (n->path);
  g_ptr_array_unref (n->params);
  g_ptr_array_unref (n->metadata);
  sq_nir_graph_free (n->graph);
  g_free (n);
}

static SqNirNode *
node_new (const char *name,
          const char *parent_path)
{
  SqNirNode *n = g_new0 (SqNirNode, 1);

  n->name = g_strdup (name);
  n->path = parent_path && *parent_path ? g_strconcat (parent_path, ".", name, NULL)
                                        : g_strdup (name);
  n->params = g_ptr_array_new_with_free_func (_sq_nir_param_free);
  n->metadata = g_ptr_array_new_with_free_func (_sq_nir_param_free);
  return n;
}

static SqNirGraph *
graph_new (void)
{
  SqNirGraph *g = g_new0 (SqNirGraph, 1);

  g->nodes = g_ptr_array_new_with_free_func (node_free);
  g->edges = g_ptr_array_new_with_free_func (edge_free);
  g->metadata = g_ptr_array_new_with_free_func (_sq_nir_param_free);
  return g;
}

void
sq_nir_graph_free (SqNirGraph *graph)
{
  if (graph == NULL)
    return;
  g_ptr_array_unref (graph->nodes);
  g_ptr_array_unref (graph->edges);
  g_ptr_array_unref (graph->metadata);
  g_free (graph->version);
  g_free (graph->source);
  g_free (graph);
}

const SqNirParam *
sq_nir_node_get_param (const SqNirNode *node,
                       const char      *name)
{
  for (guint i = 0; i < node->params->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (node->params, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  return NULL;
}

static SqNirNode *
find_here (const SqNirGraph *graph,
           const char       *name,
           gsize             len)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      SqNirNode *n = g_ptr_array_index (graph->nodes, i);

      if (strlen (n->name) == len && strncmp (n->name, name, len) == 0)
        return n;
    }
  return NULL;
}

/* An edge end: a node of this graph by its full name ("lif1.lif" may be one name, as in the
 * braille files), else "sub.rest" into the subgraph "sub". */
SqNirNode *
_sq_nir_resolve (const SqNirGraph *graph,
                 const char       *name)
{
  SqNirNode *n = find_here (graph, name, strlen (name));

  if (n != NULL)
    return n;
  for (const char *dot = strchr (name, '.'); dot != NULL; dot = strchr (dot + 1, '.'))
    {
      SqNirNode *sub = find_here (graph, name, (gsize) (dot - name));

      if (sub != NULL && sub->graph != NULL)
        {
          SqNirNode *inner = _sq_nir_resolve (sub->graph, dot + 1);

          if (inner != NULL)
            return inner;
        }
    }
  return NULL;
}

/**
 * sq_nir_graph_find:
 * @name: a node name, with "." into subgraphs ("lif1.lin")
 *
 * Returns: (nullable): the node, or %NULL
 */
const SqNirNode *
sq_nir_graph_find (const SqNirGraph *graph,
                   const char       *name)
{
  return _sq_nir_resolve (graph, name);
}

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

      if (!(v >= 1 && v <= (double) SQ_TENSOR_MAX_DIM) || sq_differ (v, nearbyint (v)))
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

  if (w == NULL || w->value.rank != k + 2 || in == NULL || !sq_tensor_is_present (&in->value) ||
      in->value.n != k)
    return;
  in_shape[0] = w->value.shape[1] * (gsize) MAX (1, axis_value (sq_nir_node_get_param (node,
                                                                                "groups"),
                                                                  0, 1));
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
                     source, node->path, type_names[node->type], required_params[node->type][i]);
        return FALSE;
      }

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
                   source, node->path, type_names[node->type]);
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
                     type_names[node->type]);
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
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_DANGLING_EDGE,
                       _("%s: %s: edge %s → %s: no node “%s” in %s"),
                       source, label, e->source, e->target, missing, label);
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

static gboolean
validate (SqNirGraph *graph,
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

/* ---------------------------------------------------------------------------------------- */
/* The description for `synquant-cli info`                                                   */

static void
describe_graph (const SqNirGraph *graph,
                GString          *s,
                guint             indent)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (graph->nodes, i);
      g_autofree char *in = n->in_rank ? sq_shape_to_string (n->in_rank, n->in_shape)
                                       : g_strdup ("?");
      g_autofree char *out = n->out_rank ? sq_shape_to_string (n->out_rank, n->out_shape)
                                         : g_strdup ("?");

      g_string_append_printf (s, "%*s%-20s %-10s %s → %s", indent, "", n->path,
                              type_names[n->type], in, out);
      if (n->params->len > 0)
        g_string_append (s, "  ");
      for (guint k = 0; k < n->params->len; k++)
        {
          const SqNirParam *p = g_ptr_array_index (n->params, k);
          g_autofree char *shape = p->text ? g_strdup_printf ("“%s”", p->text)
                                           : sq_tensor_shape_string (&p->value);

          g_string_append_printf (s, "%s%s %s", k ? ", " : "", p->name, shape);
        }
      g_string_append_c (s, '\n');
      if (n->graph != NULL)
        describe_graph (n->graph, s, indent + 2);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SqNirEdge *e = g_ptr_array_index (graph->edges, i);

      g_string_append_printf (s, "%*s  edge %s → %s\n", indent, "", e->source, e->target);
    }
}

/**
 * sq_nir_graph_describe:
 *
 * Returns: the graph as text: one line per node (path, type, input → output shape and
 *   every dataset's shape), subgraphs indented, then the edges of each level.
 */
char *
sq_nir_graph_describe (const SqNirGraph *graph)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, _("%s: NIR graph, version %s\n"), graph->source,
                          graph->version ? graph->version : _("unknown"));
  describe_graph (graph, s, 2);
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading HDF5                                                                              */

static GMutex nir_lock;

void
_sq_nir_lock (void)
{
  g_mutex_lock (&nir_lock);
}

void
_sq_nir_unlock (void)
{
  g_mutex_unlock (&nir_lock);
}

#if SYNQUANT_HAVE_NIR

typedef struct {
  const char *source;
  gsize       file_size;
} Reader;

static void
close_id (hid_t *id)
{
  if (*id < 0)
    return;
  switch (H5Iget_type (*id))
    {
    case H5I_FILE: H5Fclose (*id); break;
    case H5I_GROUP: H5Gclose (*id); break;
    case H5I_DATASET: H5Dclose (*id); break;
    case H5I_DATATYPE: H5Tclose (*id); break;
    case H5I_DATASPACE: H5Sclose (*id); break;
    case H5I_GENPROP_LST: H5Pclose (*id); break;
    default: H5Oclose (*id); break;
    }
  *id = -1;
}

#define AUTO_ID __attribute__ ((cleanup (close_id))) hid_t

static gboolean
bad_dataset (const Reader *r,
             const char   *path,
             const char   *what,
             GError      **error)
{
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT, _("%s: %s: %s"), r->source, path, what);
  return FALSE;
}

/* Reads a string dataset (vlen or fixed length, any rank) into @n_out strings. */
static char **
read_strings (const Reader *r,
              hid_t         ds,
              hid_t         ftype,
              gsize         n,
              const char   *path,
              GError      **error)
{
  g_auto(GStrv) out = g_new0 (char *, n + 1);
  AUTO_ID mtype = H5Tcopy (H5T_C_S1);
  htri_t vlen = H5Tis_variable_str (ftype);

  if (mtype < 0 || vlen < 0)
    {
      bad_dataset (r, path, _("cannot read the string type"), error);
      return NULL;
    }
  if (vlen)
    {
      g_autofree char **buf = g_new0 (char *, n);
      gboolean ok;

      if (H5Tset_size (mtype, H5T_VARIABLE) < 0 ||
          H5Tset_cset (mtype, H5Tget_cset (ftype)) < 0 ||
          H5Dread (ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        {
          bad_dataset (r, path, _("cannot read the strings (damaged file?)"), error);
          return NULL;
        }
      ok = TRUE;
      for (gsize i = 0; i < n; i++)
        {
          if (buf[i] == NULL || strlen (buf[i]) > MAX_STRING)
            ok = FALSE;
          else
            out[i] = g_strdup (buf[i]);
          H5free_memory (buf[i]);
        }
      if (!ok)
        {
          bad_dataset (r, path, _("a string is missing or too long"), error);
          return NULL;
        }
    }
  else
    {
      size_t size = H5Tget_size (ftype);
      g_autofree char *buf = NULL;

      if (size == 0 || size > MAX_STRING || n > MAX_STRING)
        {
          bad_dataset (r, path, _("strings of an unusable length"), error);
          return NULL;
        }
      buf = g_malloc0 (n * size);
      if (H5Tset_size (mtype, size) < 0 ||
          H5Tset_strpad (mtype, H5T_STR_NULLPAD) < 0 ||
          H5Dread (ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0)
        {
          bad_dataset (r, path, _("cannot read the strings (damaged file?)"), error);
          return NULL;
        }
      for (gsize i = 0; i < n; i++)
        {
          const char *s = buf + i * size;
          gsize len = strnlen (s, size);

          /* Space-padded strings (Fortran style) end in blanks. */
          while (len > 0 && s[len - 1] == ' ')
            len--;
          out[i] = g_strndup (s, len);
        }
    }
  for (gsize i = 0; i < n; i++)
    if (!g_utf8_validate (out[i], -1, NULL))
      {
        bad_dataset (r, path, _("a string is not valid UTF-8"), error);
        return NULL;
      }
  return g_steal_pointer (&out);
}

/* Reads dataset @name of @loc into @param (numbers as doubles) or, for strings, @strings. */
static gboolean
read_dataset (const Reader *r,
              hid_t         loc,
              const char   *name,
              const char   *path,
              SqTensor     *tensor,
              char       ***strings,
              GError      **error)
{
  AUTO_ID ds = H5Dopen2 (loc, name, H5P_DEFAULT);
  AUTO_ID space = -1;
  AUTO_ID ftype = -1;
  hsize_t dims[H5S_MAX_RANK];
  gsize shape[SQ_TENSOR_MAX_RANK] = { 0, };
  H5S_class_t sclass;
  H5T_class_t tclass;
  int rank;
  gsize n;

  if (ds < 0 || (space = H5Dget_space (ds)) < 0 || (ftype = H5Dget_type (ds)) < 0)
    return bad_dataset (r, path, _("cannot open the dataset (damaged file?)"), error);
  sclass = H5Sget_simple_extent_type (space);
  rank = H5Sget_simple_extent_ndims (space);
  if (sclass == H5S_NULL)
    return bad_dataset (r, path, _("the dataset is empty (null dataspace)"), error);
  if (rank < 0 || (sclass != H5S_SCALAR && sclass != H5S_SIMPLE))
    return bad_dataset (r, path, _("cannot read the dataset's shape"), error);
  if (rank > SQ_TENSOR_MAX_RANK)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE,
                   _("%s: %s: %d dimensions, Synquant reads up to %d"), r->source, path, rank,
                   SQ_TENSOR_MAX_RANK);
      return FALSE;
    }
  if (H5Sget_simple_extent_dims (space, dims, NULL) < 0)
    return bad_dataset (r, path, _("cannot read the dataset's shape"), error);
  for (int i = 0; i < rank; i++)
    {
      if (dims[i] > SQ_TENSOR_MAX_DIM)
        {
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE,
                       _("%s: %s: dimension %d has %llu entries, Synquant accepts up to %zu"),
                       r->source, path, i, (unsigned long long) dims[i],
                       SQ_TENSOR_MAX_DIM);
          return FALSE;
        }
      shape[i] = (gsize) dims[i];
    }
  if (!sq_shape_count ((guint) rank, shape, &n, error))
    {
      g_prefix_error (error, "%s: %s: ", r->source, path);
      return FALSE;
    }

  tclass = H5Tget_class (ftype);
  if (tclass == H5T_STRING)
    {
      if (strings == NULL)
        return bad_dataset (r, path, _("found a string, expected numbers"), error);
      *strings = read_strings (r, ds, ftype, n, path, error);
      return *strings != NULL;
    }
  if (tclass != H5T_INTEGER && tclass != H5T_FLOAT)
    return bad_dataset (r, path, _("found a dataset that holds neither numbers nor strings"),
                        error);
  if (n == 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT, _("%s: %s: an empty array"),
                   r->source, path);
      return FALSE;
    }
  /* A damaged header may claim far more values than the file could hold even compressed
   * (deflate reaches about 1:1032): refuse before allocating. */
  if (n / 1100 > r->file_size + 4096)
    return bad_dataset (r, path, _("the dataset claims more values than the file holds"),
                        error);

  tensor->rank = (guint) rank;
  memcpy (tensor->shape, shape, sizeof shape);
  tensor->n = n;
  tensor->data = g_try_new (double, n);
  if (tensor->data == NULL)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE, _("%s: %s: out of memory"),
                   r->source, path);
      return FALSE;
    }
  tensor->integer = tclass == H5T_INTEGER;
  if (H5Dread (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, tensor->data) < 0)
    {
      sq_tensor_clear (tensor);
      return bad_dataset (r, path, _("cannot read the values (damaged or compressed with a "
                                     "filter this HDF5 lacks?)"), error);
    }
  for (gsize i = 0; i < n; i++)
    if (!isfinite (tensor->data[i]))
      {
        g_autofree char *at = sq_tensor_element_path (tensor, name, i);
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: %s: %s is %s, expected a finite number"), r->source, path, at,
                     isnan (tensor->data[i]) ? "NaN" : "Infinity");
        sq_tensor_clear (tensor);
        return FALSE;
      }
  return TRUE;
}

/* The names of a group's links; only hard links are followed (a soft or external link could
 * point anywhere, including another file). */
static GPtrArray *
list_links (const Reader *r,
            hid_t         group,
            const char   *path,
            GError      **error)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  H5G_info_t info;

  if (H5Gget_info (group, &info) < 0)
    {
      bad_dataset (r, path, _("cannot list the group (damaged file?)"), error);
      g_ptr_array_unref (names);
      return NULL;
    }
  for (hsize_t i = 0; i < info.nlinks; i++)
    {
      char buf[1024];
      ssize_t len = H5Lget_name_by_idx (group, ".", H5_INDEX_NAME, H5_ITER_INC, i, buf,
                                        sizeof buf, H5P_DEFAULT);
      H5L_info_t linfo;

      if (len < 0 || (size_t) len >= sizeof buf || !g_utf8_validate (buf, -1, NULL) ||
          H5Lget_info (group, buf, &linfo, H5P_DEFAULT) < 0)
        {
          bad_dataset (r, path, _("a member name is unreadable or too long (damaged file?)"),
                       error);
          g_ptr_array_unref (names);
          return NULL;
        }
      if (linfo.type == H5L_TYPE_HARD)
        g_ptr_array_add (names, g_strdup (buf));
    }
  return names;
}

static gboolean read_node (const Reader *r, hid_t group, SqNirNode *node, const char *path,
                           guint depth, GError **error);

static gboolean
read_params (const Reader *r,
             hid_t         group,
             const char   *path,
             GPtrArray    *params,
             GError      **error)
{
  g_autoptr(GPtrArray) names = list_links (r, group, path, error);

  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *at = g_strconcat (path, "/", name, NULL);
      AUTO_ID obj = H5Oopen (group, name, H5P_DEFAULT);
      g_auto(GStrv) strings = NULL;
      SqNirParam *p;

      if (obj < 0)
        return bad_dataset (r, at, _("cannot open (damaged file?)"), error);
      if (H5Iget_type (obj) != H5I_DATASET)
        continue;   /* nested metadata dictionaries: nothing Synquant uses */
      p = _sq_nir_param_new (name);
      g_ptr_array_add (params, p);
      if (!read_dataset (r, group, name, at, &p->value, &strings, error))
        return FALSE;
      if (strings != NULL)
        p->text = g_strjoinv (", ", strings);
    }
  return TRUE;
}

static gboolean
read_edges (const Reader *r,
            hid_t         group,
            const char   *path,
            SqNirGraph   *graph,
            GError      **error)
{
  g_autofree char *at = g_strconcat (path, "/edges", NULL);
  g_auto(GStrv) strings = NULL;
  SqTensor numbers = { 0, };
  AUTO_ID ds = -1;
  AUTO_ID space = -1;
  hsize_t dims[2] = { 0, 0 };
  int rank;
  gsize n;

  if (H5Lexists (group, "edges", H5P_DEFAULT) <= 0)
    return TRUE;
  ds = H5Dopen2 (group, "edges", H5P_DEFAULT);
  if (ds < 0 || (space = H5Dget_space (ds)) < 0)
    return bad_dataset (r, at, _("cannot open the edges (damaged file?)"), error);
  rank = H5Sget_simple_extent_ndims (space);
  if (rank == 1 && H5Sget_simple_extent_dims (space, dims, NULL) == 1 && dims[0] == 0)
    return TRUE;   /* no edges: h5py stores an empty list as (0,) */
  if (rank != 2 || H5Sget_simple_extent_dims (space, dims, NULL) != 2 || dims[1] != 2)
    return bad_dataset (r, at, _("expected an (E, 2) array of node names"), error);
  if (!read_dataset (r, group, "edges", at, &numbers, &strings, error))
    return FALSE;
  if (strings == NULL)
    {
      sq_tensor_clear (&numbers);
      return bad_dataset (r, at, _("found numbers, expected node names"), error);
    }
  n = g_strv_length (strings);
  for (gsize i = 0; i + 1 < n; i += 2)
    {
      SqNirEdge *e = g_new0 (SqNirEdge, 1);

      e->source = g_strdup (strings[i]);
      e->target = g_strdup (strings[i + 1]);
      g_ptr_array_add (graph->edges, e);
    }
  return TRUE;
}

static gboolean
read_graph (const Reader *r,
            hid_t         group,
            SqNirNode    *node,
            const char   *path,
            guint         depth,
            GError      **error)
{
  g_autofree char *nodes_at = g_strconcat (path, "/nodes", NULL);
  g_autoptr(GPtrArray) names = NULL;
  AUTO_ID nodes = -1;

  node->graph = graph_new ();
  if (H5Lexists (group, "nodes", H5P_DEFAULT) > 0)
    {
      nodes = H5Gopen2 (group, "nodes", H5P_DEFAULT);
      if (nodes < 0)
        return bad_dataset (r, nodes_at, _("cannot open the group (damaged file?)"), error);
      names = list_links (r, nodes, nodes_at, error);
      if (names == NULL)
        return FALSE;
      for (guint i = 0; i < names->len; i++)
        {
          const char *name = g_ptr_array_index (names, i);
          SqNirNode *child = node_new (name, node->path);
          g_autofree char *at = g_strconcat (nodes_at, "/", name, NULL);
          AUTO_ID g = -1;

          g_ptr_array_add (node->graph->nodes, child);
          if (H5Lexists (nodes, name, H5P_DEFAULT) <= 0 ||
              (g = H5Oopen (nodes, name, H5P_DEFAULT)) < 0 || H5Iget_type (g) != H5I_GROUP)
            return bad_dataset (r, at, _("expected a node group"), error);
          if (!read_node (r, g, child, at, depth + 1, error))
            return FALSE;
        }
    }
  return read_edges (r, group, path, node->graph, error);
}

static gboolean
read_node (const Reader *r,
           hid_t         group,
           SqNirNode    *node,
           const char   *path,
           guint         depth,
           GError      **error)
{
  g_autoptr(GPtrArray) names = NULL;
  g_auto(GStrv) type = NULL;
  g_autofree char *type_at = g_strconcat (path, "/type", NULL);
  SqTensor numbers = { 0, };
  guint t;

  if (depth > MAX_DEPTH)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_TOO_LARGE,
                   _("%s: %s: subgraphs nested deeper than %d"), r->source, path, MAX_DEPTH);
      return FALSE;
    }

  if (H5Lexists (group, "type", H5P_DEFAULT) <= 0)
    return bad_dataset (r, path, _("the node has no “type” dataset"), error);
  if (!read_dataset (r, group, "type", type_at, &numbers, &type, error))
    return FALSE;
  if (type == NULL || g_strv_length (type) != 1)
    {
      sq_tensor_clear (&numbers);
      return bad_dataset (r, type_at, _("expected one string"), error);
    }
  for (t = 0; t < SQ_NIR_N_TYPES; t++)
    if (g_str_equal (type[0], type_names[t]))
      break;
  if (t == SQ_NIR_N_TYPES)
    {
      g_autoptr(GString) known = g_string_new (NULL);

      for (guint k = 0; k < SQ_NIR_N_TYPES; k++)
        g_string_append_printf (known, "%s%s", k ? ", " : "", type_names[k]);
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_UNSUPPORTED,
                   _("%s: %s: unsupported node type “%s”; Synquant reads %s"),
                   r->source, *node->path ? node->path : "node", type[0], known->str);
      return FALSE;
    }
  node->type = (SqNirType) t;

  if (node->type == SQ_NIR_GRAPH && !read_graph (r, group, node, path, depth, error))
    return FALSE;

  names = list_links (r, group, path, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *at = g_strconcat (path, "/", name, NULL);
      g_auto(GStrv) strings = NULL;
      AUTO_ID obj = -1;
      SqNirParam *p;

      if (g_str_equal (name, "type") ||
          (node->type == SQ_NIR_GRAPH && (g_str_equal (name, "nodes") ||
                                          g_str_equal (name, "edges"))))
        continue;
      obj = H5Oopen (group, name, H5P_DEFAULT);
      if (obj < 0)
        return bad_dataset (r, at, _("cannot open (damaged file?)"), error);
      if (H5Iget_type (obj) == H5I_GROUP)
        {
          if (g_str_equal (name, "metadata") &&
              !read_params (r, obj, at, node->graph ? node->graph->metadata : node->metadata,
                            error))
            return FALSE;
          continue;
        }
      if (H5Iget_type (obj) != H5I_DATASET)
        continue;
      p = _sq_nir_param_new (name);
      g_ptr_array_add (node->params, p);
      if (!read_dataset (r, group, name, at, &p->value, &strings, error))
        return FALSE;
      if (strings != NULL)
        p->text = g_strjoinv (", ", strings);
    }
  return TRUE;
}

static guint64
read_le (const guint8 *p,
         guint         size)
{
  guint64 v = 0;

  for (guint i = size; i-- > 0;)
    v = (v << 8) | p[i];
  return v;
}

/* HDF5 trusts its superblock: check the signature and that the end-of-file address it
 * records is inside the data we have, so a truncated file gets a plain message (and HDF5
 * never reads past the end of the image). Returns the size HDF5 should see. */
static gboolean
check_superblock (const Reader *r,
                  const guint8 *data,
                  gsize         length,
                  GError      **error)
{
  static const guint8 signature[8] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };
  gsize base;
  guint version, size_o;
  gsize at;
  guint64 base_addr, eof;

  /* The superblock may follow a user block of 512, 1024, 2048… bytes. */
  for (base = 0; base + 8 <= length; base = base ? base * 2 : 512)
    if (memcmp (data + base, signature, 8) == 0)
      break;
  if (base + 8 > length)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: not a NIR file: no HDF5 signature (a .nir file is HDF5)"), r->source);
      return FALSE;
    }
  if (base + 9 > length)
    goto truncated;
  version = data[base + 8];
  if (version <= 1)
    {
      /* v0/v1: sizes at +13 and +14; the addresses start at +24 (v0) or +28 (v1). */
      if (base + 16 > length)
        goto truncated;
      size_o = data[base + 13];
      at = base + (version == 0 ? 24 : 28);
    }
  else if (version <= 3)
    {
      if (base + 12 > length)
        goto truncated;
      size_o = data[base + 9];
      at = base + 12;
    }
  else
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: HDF5 superblock version %u, Synquant reads 0 to 3"), r->source,
                   version);
      return FALSE;
    }
  if (size_o != 2 && size_o != 4 && size_o != 8)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: damaged HDF5 superblock (offset size %u)"), r->source, size_o);
      return FALSE;
    }
  /* base address, then (v0/v1: free-space address, EOF) or (v2/v3: extension address, EOF) */
  if (at + 3 * size_o > length)
    goto truncated;
  base_addr = read_le (data + at, size_o);
  eof = read_le (data + at + 2 * size_o, size_o);
  if (base_addr > length || eof > length - base_addr)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: truncated or damaged: the file has %zu bytes, its "
                     "HDF5 header says %" PRIu64), r->source, length,
                   eof + base_addr);
      return FALSE;
    }
  return TRUE;

truncated:
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
               _("%s: truncated: the HDF5 header ends after %zu bytes"),
               r->source, length);
  return FALSE;
}

static void
h5_init (void)
{
  static gsize done = 0;

  /* Errors become GErrors; HDF5's own stack printing would only add noise on stderr. */
  if (g_once_init_enter (&done))
    {
      H5open ();
      H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

static SqNirGraph *
load_locked (const char *data,
             gsize       length,
             const char *display_name,
             GError    **error)
{
  Reader r = { display_name, length };
  g_autoptr(SqNirGraph) graph = NULL;
  SqNirNode *root = NULL;
  AUTO_ID fapl = -1;
  AUTO_ID file = -1;
  AUTO_ID group = -1;
  gboolean ok;

  h5_init ();
  if (!check_superblock (&r, (const guint8 *) data, length, error))
    return NULL;

  /* The file is read from memory through the core driver: nothing touches the disk again,
   * and the bytes HDF5 sees are the ones checked above. */
  fapl = H5Pcreate (H5P_FILE_ACCESS);
  if (fapl < 0 || H5Pset_fapl_core (fapl, 65536, 0) < 0 ||
      H5Pset_file_image (fapl, (void *) data, length) < 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO, _("%s: HDF5 could not be set up"),
                   display_name);
      return NULL;
    }
  /* The core driver refuses an image whose name exists as a file: use one that cannot. */
  file = H5Fopen ("/dev/null/synquant-image.nir", H5F_ACC_RDONLY, fapl);
  if (file < 0)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: not a readable HDF5 file (damaged or truncated?)"), display_name);
      return NULL;
    }
  if (H5Lexists (file, "node", H5P_DEFAULT) <= 0 ||
      (group = H5Oopen (file, "node", H5P_DEFAULT)) < 0 || H5Iget_type (group) != H5I_GROUP)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: not a NIR file: no group /node"), display_name);
      return NULL;
    }

  graph = graph_new ();
  graph->source = g_strdup (display_name);
  if (H5Lexists (file, "version", H5P_DEFAULT) > 0)
    {
      g_auto(GStrv) version = NULL;
      SqTensor numbers = { 0, };

      if (read_dataset (&r, file, "version", "/version", &numbers, &version, NULL) &&
          version != NULL && version[0] != NULL)
        graph->version = g_strdup (version[0]);
      sq_tensor_clear (&numbers);
    }

  root = node_new ("", NULL);
  ok = read_node (&r, group, root, "/node", 0, error);
  if (ok && root->type != SQ_NIR_GRAPH)
    {
      /* A file may hold a single node; it is then a graph of one. */
      g_ptr_array_add (graph->nodes, root);
      g_free (root->name);
      g_free (root->path);
      root->name = g_strdup ("node");
      root->path = g_strdup ("node");
      root = NULL;
    }
  else if (ok)
    {
      /* The top-level graph's nodes become the graph's own. */
      g_ptr_array_extend_and_steal (graph->nodes, g_ptr_array_ref (root->graph->nodes));
      g_ptr_array_extend_and_steal (graph->edges, g_ptr_array_ref (root->graph->edges));
      g_ptr_array_extend_and_steal (graph->metadata, g_ptr_array_ref (root->graph->metadata));
    }
  if (root != NULL)
    node_free (root);
  if (!ok)
    return NULL;
  return g_steal_pointer (&graph);
}

/* The graph crosses from the child to this process as a GVariant:
 * (version, has_version, nodes a(parent, name, type, params, metadata), edges a(graph, src,
 * dst), top-level metadata); a param is (name, shape, values, text, integer, is_text). */
#define PARAMS_T "a(sauadsbb)"
#define GRAPH_T "(sba(isu" PARAMS_T PARAMS_T ")a(iss)" PARAMS_T ")"

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

      g_variant_builder_open (nodes, G_VARIANT_TYPE ("(isu" PARAMS_T PARAMS_T ")"));
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

static GVariant *
graph_to_variant (const SqNirGraph *graph)
{
  GVariantBuilder b, nodes, edges;
  int counter = 0;

  g_variant_builder_init (&nodes, G_VARIANT_TYPE ("a(isu" PARAMS_T PARAMS_T ")"));
  g_variant_builder_init (&edges, G_VARIANT_TYPE ("a(iss)"));
  add_nodes (&nodes, &edges, graph, -1, &counter);
  g_variant_builder_init (&b, G_VARIANT_TYPE (GRAPH_T));
  g_variant_builder_add (&b, "s", graph->version ? graph->version : "");
  g_variant_builder_add (&b, "b", graph->version != NULL);
  g_variant_builder_add_value (&b, g_variant_builder_end (&nodes));
  g_variant_builder_add_value (&b, g_variant_builder_end (&edges));
  add_params (&b, graph->metadata);
  return g_variant_ref_sink (g_variant_builder_end (&b));
}

static gboolean
params_from_variant (GVariant  *v,
                     GPtrArray *out,
                     GError   **error)
{
  for (gsize i = 0; i < g_variant_n_children (v); i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (v, i);
      g_autoptr(GVariant) shape_v = g_variant_get_child_value (child, 1);
      g_autoptr(GVariant) data_v = g_variant_get_child_value (child, 2);
      const char *name = NULL, *text = NULL;
      gboolean integer, is_text;
      gsize rank, n;
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
        return FALSE;
      {
        gsize sh[SQ_TENSOR_MAX_RANK];
        gsize count;

        for (gsize d = 0; d < rank; d++)
          sh[d] = shape[d];
        if (!sq_shape_count ((guint) rank, sh, &count, error) || count != n ||
            !sq_tensor_init (&p->value, (guint) rank, sh, error))
          return FALSE;
        memcpy (p->value.data, data, n * sizeof (double));
        p->value.integer = integer;
      }
    }
  return TRUE;
}

static SqNirGraph *
graph_from_variant (GVariant   *v,
                    const char *display_name)
{
  g_autoptr(SqNirGraph) graph = graph_new ();
  g_autoptr(GVariant) nodes = g_variant_get_child_value (v, 2);
  g_autoptr(GVariant) edges = g_variant_get_child_value (v, 3);
  g_autoptr(GVariant) meta = g_variant_get_child_value (v, 4);
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
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
      SqNirNode *n, *up = NULL;

      g_variant_get_child (c, 0, "i", &parent);
      g_variant_get_child (c, 1, "&s", &name);
      g_variant_get_child (c, 2, "u", &type);
      if (parent >= (gint32) i || type >= SQ_NIR_N_TYPES)
        return NULL;
      if (parent >= 0)
        {
          up = g_ptr_array_index (all, parent);
          if (up->graph == NULL)
            return NULL;
        }
      n = node_new (name, up ? up->path : NULL);
      n->type = (SqNirType) type;
      g_ptr_array_add (up ? up->graph->nodes : graph->nodes, n);
      g_ptr_array_add (all, n);
      if (n->type == SQ_NIR_GRAPH)
        n->graph = graph_new ();
      if (!params_from_variant (params, n->params, NULL) ||
          !params_from_variant (md, n->graph ? n->graph->metadata : n->metadata, NULL))
        return NULL;
    }
  for (gsize i = 0; i < g_variant_n_children (edges); i++)
    {
      SqNirEdge *e = g_new0 (SqNirEdge, 1);
      SqNirNode *up;
      gint32 at;

      g_variant_get_child (edges, i, "(iss)", &at, &e->source, &e->target);
      up = at >= 0 && at < (gint32) all->len ? g_ptr_array_index (all, at) : NULL;
      if (at >= 0 && (up == NULL || up->graph == NULL))
        {
          edge_free (e);
          return NULL;
        }
      g_ptr_array_add (up ? up->graph->edges : graph->edges, e);
    }
  if (!params_from_variant (meta, graph->metadata, NULL))
    return NULL;
  return g_steal_pointer (&graph);
}

/* libhdf5 1.10 trusts a file's internal addresses: some damaged files (a corrupt global heap
 * behind a vlen string, for one) make it read out of bounds and crash, and no check short of
 * reimplementing HDF5 rules that out. So the file is read in a forked child that runs only
 * this reader (HDF5, malloc, GLib's string and GVariant helpers), sends the graph back through
 * a pipe as a GVariant and _exits; this process never lets HDF5 parse a file. glibc keeps
 * malloc usable after fork; the error quark and HDF5 are initialised before forking and the
 * NIR lock is held, so no other thread is inside HDF5. A child that hangs is killed after
 * 10 s. */
static SqNirGraph *
load_in_child (const char *data,
               gsize       length,
               const char *display_name,
               GError    **error)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  g_autoptr(GError) child_error = NULL;
  gint64 deadline;
  int status = 0, fds[2];
  pid_t pid;

  (void) sq_nir_error_quark ();
  (void) G_VARIANT_TYPE (GRAPH_T);
  h5_init ();
  if (pipe (fds) != 0)
    return load_locked (data, length, display_name, error);
  pid = fork ();
  if (pid < 0)
    {
      close (fds[0]);
      close (fds[1]);
      return load_locked (data, length, display_name, error);
    }
  if (pid == 0)
    {
      /* Reply: 'G' + the graph, or 'E' + the message. */
      GError *e = NULL;
      SqNirGraph *graph = load_locked (data, length, display_name, &e);
      GVariant *v = graph ? graph_to_variant (graph) : NULL;
      const char *msg = e ? e->message : display_name;
      const char *out = v ? g_variant_get_data (v) : msg;
      gsize len = v ? g_variant_get_size (v) : strlen (msg);
      char tag = v ? 'G' : 'E';

      char code = e && e->domain == SQ_NIR_ERROR ? (char) e->code : SQ_NIR_ERROR_FORMAT;

      close (fds[0]);
      if (write (fds[1], &tag, 1) != 1 || (!v && write (fds[1], &code, 1) != 1))
        _exit (2);
      while (len > 0)
        {
          ssize_t w = write (fds[1], out, len);

          if (w <= 0)
            _exit (2);
          out += w;
          len -= (gsize) w;
        }
      _exit (0);
    }
  close (fds[1]);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      GPollFD pfd = { fds[0], G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      guint8 buf[65536];
      ssize_t r;

      if (left <= 0 || g_poll (&pfd, 1, (int) MIN (left, 1000)) < 0)
        {
          if (left > 0 && errno == EINTR)
            continue;
          kill (pid, SIGKILL);
          break;
        }
      if (pfd.revents == 0)
        continue;
      r = read (fds[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      g_byte_array_append (reply, buf, (guint) r);
    }
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || reply->len == 0)
    {
      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL)
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: HDF5 did not finish reading the file in 10 s: it is damaged"),
                     display_name);
      else
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: damaged HDF5 structures: the HDF5 library crashed reading them "
                       "(signal %d)"), display_name,
                     WIFSIGNALED (status) ? WTERMSIG (status) : 0);
      return NULL;
    }
  if (reply->data[0] == 'E' && reply->len >= 2)
    {
      int code = reply->data[1];

      g_set_error (error, SQ_NIR_ERROR,
                   code >= SQ_NIR_ERROR_NO_SUPPORT && code <= SQ_NIR_ERROR_UNMAPPABLE
                   ? code : SQ_NIR_ERROR_FORMAT,
                   "%.*s", (int) reply->len - 2, (const char *) reply->data + 2);
      return NULL;
    }
  if (reply->data[0] != 'G')
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: the reader process sent back a damaged graph"), display_name);
      return NULL;
    }
  {
    g_autoptr(GBytes) bytes = g_bytes_new (reply->data + 1, reply->len - 1);
    g_autoptr(GVariant) v = g_variant_ref_sink (
      g_variant_new_from_bytes (G_VARIANT_TYPE (GRAPH_T), bytes, FALSE));
    SqNirGraph *graph = graph_from_variant (v, display_name);

    if (graph == NULL)
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: the reader process sent back a damaged graph"), display_name);
    return graph;
  }
}

#endif /* SYNQUANT_HAVE_NIR */

static gboolean
no_support (GError **error)
{
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NO_SUPPORT,
               _("this Synquant was built without NIR support (HDF5); rebuild with -Dnir=enabled"));
  return FALSE;
}

/**
 * sq_nir_graph_load_data:
 * @display_name: how messages name the file
 *
 * Reads a NIR graph from the bytes of a .nir file and checks it: every node type known,
 * every required dataset present (a missing `v_reset` becomes 0, a missing `w_in` 1), every
 * edge naming a node, sizes agreeing along each edge, and no loop without a neuron.
 */
SqNirGraph *
sq_nir_graph_load_data (const char *data,
                        gsize       length,
                        const char *display_name,
                        GError    **error)
{
#if SYNQUANT_HAVE_NIR
  g_autoptr(SqNirGraph) graph = NULL;

  Reader r = { display_name, length };

  _sq_nir_lock ();
  if (check_superblock (&r, (const guint8 *) data, length, error))
    graph = load_in_child (data, length, display_name, error);
  _sq_nir_unlock ();
  if (graph == NULL || !validate (graph, error))
    return NULL;
  return g_steal_pointer (&graph);
#else
  no_support (error);
  return NULL;
#endif
}

SqNirGraph *
sq_nir_graph_load (const char *path,
                   GError    **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autofree char *name = g_filename_display_name (path);

  if (!SYNQUANT_HAVE_NIR)
    {
      no_support (error);
      return NULL;
    }
  file = sq_file_map (path, error);
  if (file == NULL)
    return NULL;
  return sq_nir_graph_load_data (g_mapped_file_get_contents (file),
                                 g_mapped_file_get_length (file), name, error);
}
