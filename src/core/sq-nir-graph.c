/* sq-nir-graph.c: NIR graphs (.nir) in memory: the model, lookups by name, the `info`
 * description, and the loading entry points (the reader itself needs HDF5: sq-nir-hdf5.c,
 * run in the sandbox of sq-nir-sandbox.c; the checks are sq-nir-check.c)
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

G_DEFINE_QUARK (sq-nir-error-quark, sq_nir_error)

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

void
_sq_nir_edge_free (gpointer data)
{
  SqNirEdge *e = data;

  g_free (e->source);
  g_free (e->target);
  g_free (e);
}

void
_sq_nir_node_free (gpointer data)
{
  SqNirNode *n = data;

  g_free (n->name);
  g_free (n->path);
  g_ptr_array_unref (n->params);
  g_ptr_array_unref (n->metadata);
  sq_nir_graph_free (n->graph);
  g_free (n);
}

SqNirNode *
_sq_nir_node_new (const char *name,
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

SqNirGraph *
_sq_nir_graph_new (void)
{
  SqNirGraph *g = g_new0 (SqNirGraph, 1);

  g->nodes = g_ptr_array_new_with_free_func (_sq_nir_node_free);
  g->edges = g_ptr_array_new_with_free_func (_sq_nir_edge_free);
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
/* Loading                                                                                   */

gboolean
_sq_nir_no_support (GError **error)
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
  g_autoptr(SqNirGraph) graph = _sq_nir_read (data, length, display_name, error);

  if (graph == NULL || !_sq_nir_validate (graph, error))
    return NULL;
  return g_steal_pointer (&graph);
#else
  _sq_nir_no_support (error);
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
      _sq_nir_no_support (error);
      return NULL;
    }
  file = sq_file_map (path, error);
  if (file == NULL)
    return NULL;
  return sq_nir_graph_load_data (g_mapped_file_get_contents (file),
                                 g_mapped_file_get_length (file), name, error);
}

/* A numeric parameter of @node, or %NULL when it is absent or a string. */
const SqTensor *
_sq_nir_node_tensor (const SqNirNode *node,
                     const char      *name)
{
  const SqNirParam *p = sq_nir_node_get_param (node, name);

  return p != NULL && p->text == NULL && sq_tensor_is_present (&p->value) ? &p->value : NULL;
}

/* A 2-vector parameter (stride, padding, kernel_size, dilation), or a scalar for both; absent
 * gives @fallback. FALSE for anything else, or a value outside [@lo, 4096]. */
gboolean
_sq_nir_node_pair (const SqNirNode *node,
                   const char      *name,
                   gsize            fallback,
                   gsize            lo,
                   gsize            out[2])
{
  const SqNirParam *p = sq_nir_node_get_param (node, name);

  out[0] = out[1] = fallback;
  if (p == NULL)
    return TRUE;
  if (p->text != NULL || p->value.n < 1 || p->value.n > 2 || p->value.rank > 1)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      double v = p->value.data[p->value.n == 2 ? i : 0];

      if (!(v >= (double) lo && v <= 4096) || nearbyint (v) < v || nearbyint (v) > v)
        return FALSE;
      out[i] = (gsize) v;
    }
  return TRUE;
}
