/* sq-nir-wire.c: a NIR graph as bytes, the way it crosses from the HDF5 reader's child
 * process to this one (sq-nir-sandbox.c)
 *
 * The child is forked from a process whose other threads keep running GLib (the window's
 * D-Bus and settings threads, the jobs): a lock one of them held at the fork stays locked in
 * the child for ever. GVariant takes a process-wide lock for every value it builds, so a
 * GVariant reply hung the child now and then (a 25 s wait, then "damaged"). The writer
 * therefore only appends to a GByteArray (malloc, which glibc keeps usable after a fork).
 *
 * The parent treats the child's reply as untrusted: a child that HDF5 led astray may send
 * anything. So the decoder checks every index, rank, size, string and nesting depth it
 * reads, never allocates more than the bytes left could hold, and the fuzz harness
 * tests/fuzz/fuzz-nir-graph.c drives it, and the checks and mapper behind it, in-process
 * (built without HDF5).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"
#include "sq-nir-private.h"

/* The bytes, all integers little-endian:
 *   "SQNIRW2\n", str version, u8 has_version, u32 n_nodes, node…, u32 n_edges, edge…,
 *   params (the top-level metadata)
 *   node: i32 parent (an earlier node, −1 for the top level), str name, u32 type, params,
 *     params (its metadata, or its subgraph's)
 *   edge: i32 graph (the node holding it, −1 for the top level), str source, str target
 *   params: u32 n, then per param: str name, u8 is_text, str text, u8 integer, u32 rank,
 *     u32 shape[rank], u64 n_values, f64 values[n_values]
 *   str: u32 length, the bytes (UTF-8 without NUL) */
#define WIRE_MAGIC "SQNIRW2\n"
#define WIRE_MAGIC_LEN 8

static void
put_bytes (GByteArray    *out,
           gconstpointer  data,
           gsize          n)
{
  if (n > 0)
    g_byte_array_append (out, data, (guint) n);
}

static void
put_u8 (GByteArray *out,
        guint8      v)
{
  put_bytes (out, &v, 1);
}

static void
put_u32 (GByteArray *out,
         guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);

  put_bytes (out, &le, 4);
}

static void
put_u64 (GByteArray *out,
         guint64     v)
{
  guint64 le = GUINT64_TO_LE (v);

  put_bytes (out, &le, 8);
}

static void
put_str (GByteArray *out,
         const char *s)
{
  gsize n = s != NULL ? strlen (s) : 0;

  put_u32 (out, (guint32) n);
  put_bytes (out, s, n);
}

static void
put_params (GByteArray      *out,
            const GPtrArray *params)
{
  put_u32 (out, params->len);
  for (guint i = 0; i < params->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (params, i);
      gsize n = p->value.data != NULL ? p->value.n : 0;

      put_str (out, p->name);
      put_u8 (out, p->text != NULL);
      put_str (out, p->text);
      put_u8 (out, p->value.integer != FALSE);
      put_u32 (out, p->value.rank);
      for (guint d = 0; d < p->value.rank; d++)
        put_u32 (out, (guint32) p->value.shape[d]);
      put_u64 (out, n);
      for (gsize k = 0; k < n; k++)
        {
          guint64 bits;

          memcpy (&bits, &p->value.data[k], 8);
          put_u64 (out, bits);
        }
    }
}

/* Nodes in pre-order into @nodes, each followed by its subgraph's; each graph's edges into
 * @edges under the number its node got (*@counter counts the nodes, *@n_edges the edges). */
static void
put_graph (GByteArray       *nodes,
           GByteArray       *edges,
           const SqNirGraph *graph,
           gint32            parent,
           guint32          *counter,
           guint32          *n_edges)
{
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      const SqNirNode *n = g_ptr_array_index (graph->nodes, i);
      gint32 me = (gint32) (*counter)++;

      put_u32 (nodes, (guint32) parent);
      put_str (nodes, n->name);
      put_u32 (nodes, (guint32) n->type);
      put_params (nodes, n->params);
      put_params (nodes, n->graph ? n->graph->metadata : n->metadata);
      if (n->graph)
        put_graph (nodes, edges, n->graph, me, counter, n_edges);
    }
  for (guint i = 0; i < graph->edges->len; i++)
    {
      const SqNirEdge *e = g_ptr_array_index (graph->edges, i);

      put_u32 (edges, (guint32) parent);
      put_str (edges, e->source);
      put_str (edges, e->target);
      (*n_edges)++;
    }
}

/* The graph in its serialised form (the child's reply); safe in a forked child. */
GBytes *
_sq_nir_graph_to_wire (const SqNirGraph *graph)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GByteArray) nodes = g_byte_array_new ();
  g_autoptr(GByteArray) edges = g_byte_array_new ();
  guint32 n_nodes = 0, n_edges = 0;

  put_graph (nodes, edges, graph, -1, &n_nodes, &n_edges);
  put_bytes (out, WIRE_MAGIC, WIRE_MAGIC_LEN);
  put_str (out, graph->version);
  put_u8 (out, graph->version != NULL);
  put_u32 (out, n_nodes);
  put_bytes (out, nodes->data, nodes->len);
  put_u32 (out, n_edges);
  put_bytes (out, edges->data, edges->len);
  put_params (out, graph->metadata);
  return g_byte_array_free_to_bytes (out);
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

/* A cursor over untrusted bytes: every read checks what is left. */
typedef struct {
  const guint8 *at;
  const guint8 *end;
} Reader;

static gboolean
get_bytes (Reader   *r,
           gpointer  to,
           gsize     n)
{
  if ((gsize) (r->end - r->at) < n)
    return FALSE;
  memcpy (to, r->at, n);
  r->at += n;
  return TRUE;
}

static gboolean
get_u8 (Reader *r,
        guint8 *v)
{
  return get_bytes (r, v, 1);
}

static gboolean
get_u32 (Reader  *r,
         guint32 *v)
{
  guint32 le;

  if (!get_bytes (r, &le, 4))
    return FALSE;
  *v = GUINT32_FROM_LE (le);
  return TRUE;
}

static gboolean
get_u64 (Reader  *r,
         guint64 *v)
{
  guint64 le;

  if (!get_bytes (r, &le, 8))
    return FALSE;
  *v = GUINT64_FROM_LE (le);
  return TRUE;
}

/* A string: no longer than what is left, UTF-8 without NUL (names end up in paths, text
 * and JSON). */
static gboolean
get_str (Reader  *r,
         char   **out)
{
  guint32 n;

  if (!get_u32 (r, &n) || (gsize) (r->end - r->at) < n ||
      !g_utf8_validate ((const char *) r->at, n, NULL))
    return FALSE;
  *out = g_strndup ((const char *) r->at, n);
  r->at += n;
  return TRUE;
}

static gboolean
get_params (Reader     *r,
            GPtrArray  *out,
            const char *display_name,
            GError    **error)
{
  guint32 count;

  if (!get_u32 (r, &count))
    return damaged (error, display_name, "parameters");
  /* Every parameter takes bytes: the loop ends with them, whatever count says. */
  for (guint32 i = 0; i < count; i++)
    {
      g_autofree char *name = NULL, *text = NULL;
      guint8 is_text, integer;
      guint32 rank;
      guint64 n;
      gsize sh[SQ_TENSOR_MAX_RANK], values;
      SqNirParam *p;

      if (!get_str (r, &name) || !get_u8 (r, &is_text) || !get_str (r, &text) ||
          !get_u8 (r, &integer) || !get_u32 (r, &rank))
        return damaged (error, display_name, "parameter");
      p = _sq_nir_param_new (name);
      g_ptr_array_add (out, p);
      if (rank > SQ_TENSOR_MAX_RANK)
        return damaged (error, display_name, "rank");
      for (guint d = 0; d < rank; d++)
        {
          guint32 extent;

          if (!get_u32 (r, &extent))
            return damaged (error, display_name, "shape");
          sh[d] = extent;
        }
      /* No more values than the bytes left hold, before anything is allocated. */
      if (!get_u64 (r, &n) || n > (guint64) (r->end - r->at) / sizeof (double))
        return damaged (error, display_name, "values");
      if (is_text)
        {
          /* A text's values, if any, mean nothing. */
          r->at += n * sizeof (double);
          p->text = g_steal_pointer (&text);
          continue;
        }
      if (!sq_shape_count (rank, sh, &values, NULL) || values != n)
        return damaged (error, display_name, "shape");
      if (!sq_tensor_init (&p->value, rank, sh, error))
        return FALSE;
      for (gsize k = 0; k < values; k++)
        {
          guint64 bits = 0;

          get_u64 (r, &bits);
          memcpy (&p->value.data[k], &bits, sizeof (double));
        }
      p->value.integer = integer != 0;
    }
  return TRUE;
}

/* Reads what _sq_nir_graph_to_wire() wrote, from bytes it does not trust. */
SqNirGraph *
_sq_nir_graph_from_wire (GBytes     *bytes,
                         const char *display_name,
                         GError    **error)
{
  static const guint8 nothing[1];
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  /* Empty bytes have no data pointer, and NULL + 0 is undefined. */
  Reader r = { data != NULL ? data : nothing, (data != NULL ? data : nothing) + size };
  g_autoptr(SqNirGraph) graph = _sq_nir_graph_new ();
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *version = NULL;
  char magic[WIRE_MAGIC_LEN];
  guint32 n_nodes, n_edges;
  guint8 has_version;

  graph->source = g_strdup (display_name);
  if (!get_bytes (&r, magic, WIRE_MAGIC_LEN) ||
      memcmp (magic, WIRE_MAGIC, WIRE_MAGIC_LEN) != 0 ||
      !get_str (&r, &version) || !get_u8 (&r, &has_version) || !get_u32 (&r, &n_nodes))
    return damaged (error, display_name, "header"), NULL;
  graph->version = has_version ? g_steal_pointer (&version) : NULL;
  /* Every node takes bytes: the loop ends with them, whatever n_nodes says. */
  for (guint32 i = 0; i < n_nodes; i++)
    {
      g_autofree char *name = NULL;
      guint32 parent_bits, type;
      gint32 parent;
      guint depth = 0;
      SqNirNode *n, *up = NULL;

      if (!get_u32 (&r, &parent_bits) || !get_str (&r, &name) || !get_u32 (&r, &type))
        return damaged (error, display_name, "node"), NULL;
      parent = (gint32) parent_bits;
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
      if (!get_params (&r, n->params, display_name, error) ||
          !get_params (&r, n->graph ? n->graph->metadata : n->metadata, display_name, error))
        return NULL;
    }
  if (!get_u32 (&r, &n_edges))
    return damaged (error, display_name, "edges"), NULL;
  for (guint32 i = 0; i < n_edges; i++)
    {
      SqNirEdge *e = g_new0 (SqNirEdge, 1);
      SqNirNode *up;
      guint32 at_bits;
      gint32 at;

      if (!get_u32 (&r, &at_bits) || !get_str (&r, &e->source) || !get_str (&r, &e->target))
        {
          _sq_nir_edge_free (e);
          return damaged (error, display_name, "edge"), NULL;
        }
      at = (gint32) at_bits;
      up = at >= 0 && at < (gint32) all->len ? g_ptr_array_index (all, at) : NULL;
      if ((at >= 0 && (up == NULL || up->graph == NULL)) || at < -1)
        {
          _sq_nir_edge_free (e);
          return damaged (error, display_name, "edge"), NULL;
        }
      g_ptr_array_add (up ? up->graph->edges : graph->edges, e);
    }
  if (!get_params (&r, graph->metadata, display_name, error))
    return NULL;
  if (r.at != r.end)
    return damaged (error, display_name, "trailing bytes"), NULL;
  return g_steal_pointer (&graph);
}
