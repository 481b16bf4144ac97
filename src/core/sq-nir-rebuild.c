/* sq-nir-rebuild.c: a .nir file as a Xylo specification — a file in Synquant's own layout
 * (sq-nir-write.c) gives back exactly the specification it was written from, from its
 * `metadata` groups; any other graph goes through the mapper (sq-nir-map.c)
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

static const SqNirParam *
meta (const GPtrArray *metadata,
      const char      *name)
{
  for (guint i = 0; i < metadata->len; i++)
    {
      const SqNirParam *p = g_ptr_array_index (metadata, i);

      if (g_str_equal (p->name, name))
        return p;
    }
  return NULL;
}

static gboolean
meta_number (const GPtrArray *metadata,
             const char      *name,
             double          *value)
{
  const SqNirParam *p = meta (metadata, name);

  if (p == NULL || !sq_tensor_is_present (&p->value) || p->value.n != 1)
    return FALSE;
  *value = p->value.data[0];
  return TRUE;
}

static gboolean
layout_error (const SqNirGraph *graph,
              const char       *what,
              GError          **error)
{
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
               _("%s: a Synquant NIR file, but %s"), graph->source, what);
  return FALSE;
}

/* Node @name of type @type with a numeric dataset @param of exactly @n values. */
static const SqTensor *
member (const SqNirGraph *graph,
        const char       *name,
        SqNirType         type,
        const char       *param,
        gsize             n,
        GError          **error)
{
  const SqNirNode *node = sq_nir_graph_find (graph, name);
  const SqNirParam *p = node ? sq_nir_node_get_param (node, param) : NULL;

  if (node == NULL || node->type != type || p == NULL || !sq_tensor_is_present (&p->value) ||
      (n > 0 && p->value.n != n))
    {
      g_autofree char *what = g_strdup_printf (_("its node “%s” (%s) lacks a fitting “%s”"),
                                               name, sq_nir_type_name (type), param);
      layout_error (graph, what, error);
      return NULL;
    }
  return &p->value;
}

static gboolean
copy_vector (SqTensor       *dest,
             const double   *v,
             gsize           n,
             gboolean        integer,
             GError        **error)
{
  if (!sq_tensor_init (dest, 1, &n, error))
    return FALSE;
  memcpy (dest->data, v, n * sizeof (double));
  dest->integer = integer;
  return TRUE;
}

/* The vector of metadata @key if it has @n values, else @fallback. */
static const SqTensor *
meta_vector (const SqNirNode  *node,
             const char       *key,
             gsize             n)
{
  const SqNirParam *p = meta (node->metadata, key);

  return p && sq_tensor_is_present (&p->value) && p->value.n == n ? &p->value : NULL;
}

static gboolean
rebuild_neurons (const SqNirGraph *graph,
                 SqXyloSpec       *spec,
                 const char       *name,
                 gboolean          output,
                 gsize             n,
                 GError          **error)
{
  const SqNirNode *node = sq_nir_graph_find (graph, name);
  const SqTensor *th = member (graph, name, SQ_NIR_CUBA_LIF, "v_threshold", n, error);
  const SqTensor *tm, *ts, *dm, *ds, *ds2, *bias;
  g_autofree double *d_mem = g_new (double, n);
  g_autofree double *d_syn = g_new (double, n);

  if (th == NULL || (tm = member (graph, name, SQ_NIR_CUBA_LIF, "tau_mem", n, error)) == NULL ||
      (ts = member (graph, name, SQ_NIR_CUBA_LIF, "tau_syn", n, error)) == NULL)
    return FALSE;
  dm = meta_vector (node, "dash_mem", n);
  ds = meta_vector (node, "dash_syn", n);
  ds2 = meta_vector (node, "dash_syn_2", n);
  bias = meta_vector (node, "bias", n);
  for (gsize j = 0; j < n; j++)
    {
      if (!(tm->data[j] > 0 && ts->data[j] > 0))
        return layout_error (graph, _("a time constant is not positive"), error);
      d_mem[j] = dm ? dm->data[j] : log2 (tm->data[j]);
      d_syn[j] = ds ? ds->data[j] : log2 (ts->data[j]);
    }
  if (!copy_vector (&spec->param[output ? SQ_PARAM_DASH_MEM_OUT : SQ_PARAM_DASH_MEM], d_mem, n,
                    _sq_nir_all_integral (d_mem, n), error) ||
      !copy_vector (&spec->param[output ? SQ_PARAM_DASH_SYN_OUT : SQ_PARAM_DASH_SYN], d_syn, n,
                    _sq_nir_all_integral (d_syn, n), error) ||
      !copy_vector (&spec->param[output ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD],
                    th->data, n, th->integer, error))
    return FALSE;
  if (ds2 && !output &&
      !copy_vector (&spec->param[SQ_PARAM_DASH_SYN_2], ds2->data, n,
                    _sq_nir_all_integral (ds2->data, n), error))
    return FALSE;
  if (bias && !copy_vector (&spec->param[output ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS],
                            bias->data, n, _sq_nir_all_integral (bias->data, n), error))
    return FALSE;
  return TRUE;
}

static gboolean
meta_size (const SqNirGraph *graph,
           const char       *node_name,
           const char       *key,
           gsize             max,
           gsize            *value,
           GError          **error)
{
  const SqNirNode *node = sq_nir_graph_find (graph, node_name);
  double v;

  if (node == NULL || !meta_number (node->metadata, key, &v) || !(v >= 0 && v <= (double) max) ||
      _sq_differ (v, nearbyint (v)))
    {
      g_autofree char *what = g_strdup_printf (_("%s/metadata/%s is missing or not a size from 0 "
                                                 "to %zu"), node_name, key, max);
      return layout_error (graph, what, error);
    }
  *value = (gsize) v;
  return TRUE;
}

/* A Linear node's (out, in) matrix into [source, target(, synapse)] of @dest; source s is
 * column @col0 + s (weights_out's rows are the last hidden neurons). */
static gboolean
rebuild_weights (const SqNirGraph *graph,
                 const char       *name,
                 gsize             rows,
                 gsize             cols,
                 SqTensor         *dest,
                 gsize             syn,
                 gsize             col0,
                 GError          **error)
{
  const SqTensor *w = member (graph, name, SQ_NIR_LINEAR, "weight", rows * cols, error);
  gsize ns = dest->rank == 3 ? dest->shape[2] : 1;
  gsize n_src = dest->shape[0], n_tgt = dest->shape[1];

  if (w == NULL)
    return FALSE;
  if (w->rank != 2 || w->shape[0] != rows || n_tgt > rows || col0 + n_src > cols)
    return layout_error (graph, _("a weight matrix has the wrong shape"), error);
  for (gsize s = 0; s < n_src; s++)
    for (gsize t = 0; t < n_tgt; t++)
      dest->data[(s * n_tgt + t) * ns + syn] = w->data[t * cols + col0 + s];
  dest->integer = dest->integer && w->integer;
  return TRUE;
}

static SqXyloSpec *
rebuild_spec (const SqNirGraph *graph,
              GError          **error)
{
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_new ();
  const SqTensor *shape;
  gsize n_in, nh, no, ns, n_ien, n_oen, rank_in, rank_rec, dummy;
  double v;

  if ((shape = member (graph, "input", SQ_NIR_INPUT, "shape", 1, error)) == NULL)
    return NULL;
  n_in = (gsize) shape->data[0];
  if ((shape = member (graph, "output", SQ_NIR_OUTPUT, "shape", 1, error)) == NULL)
    return NULL;
  no = (gsize) shape->data[0];
  if ((shape = member (graph, "hidden", SQ_NIR_CUBA_LIF, "v_threshold", 0, error)) == NULL)
    return NULL;
  nh = shape->n;
  ns = sq_nir_graph_find (graph, "w_in_syn2") != NULL ? 2 : 1;
  if (!meta_size (graph, "w_in", "n_ien", nh, &n_ien, error) ||
      !meta_size (graph, "w_out", "n_oen", nh, &n_oen, error) ||
      !meta_size (graph, "w_in", "rank", 3, &rank_in, error) ||
      !meta_size (graph, "w_rec", "rank", 3, &rank_rec, error) ||
      !meta_size (graph, "w_rec", "n_hidden", nh, &dummy, error))
    return NULL;
  if (rank_in < 2 || rank_rec < 2 || (ns == 2 && (rank_in != 3 || rank_rec != 3)))
    {
      layout_error (graph, _("the weight ranks in its metadata do not fit"), error);
      return NULL;
    }

  {
    gsize s_in[3] = { n_in, n_ien, ns }, s_rec[3] = { nh, nh, ns }, s_out[2] = { n_oen, no };

    if (!sq_tensor_init (&spec->param[SQ_PARAM_WEIGHTS_IN], (guint) rank_in, s_in, error) ||
        !sq_tensor_init (&spec->param[SQ_PARAM_WEIGHTS_REC], (guint) rank_rec, s_rec, error) ||
        !sq_tensor_init (&spec->param[SQ_PARAM_WEIGHTS_OUT], 2, s_out, error))
      return NULL;
  }
  for (guint i = 0; i < 3; i++)
    spec->param[i].integer = TRUE;
  for (gsize s = 0; s < ns; s++)
    if (!rebuild_weights (graph, s ? "w_in_syn2" : "w_in", nh, n_in,
                          &spec->param[SQ_PARAM_WEIGHTS_IN], s, 0, error) ||
        !rebuild_weights (graph, s ? "w_rec_syn2" : "w_rec", nh, nh,
                          &spec->param[SQ_PARAM_WEIGHTS_REC], s, 0, error))
      return NULL;
  if (!rebuild_weights (graph, "w_out", no, nh, &spec->param[SQ_PARAM_WEIGHTS_OUT], 0,
                        nh - n_oen, error) ||
      !rebuild_neurons (graph, spec, "hidden", FALSE, nh, error) ||
      !rebuild_neurons (graph, spec, "readout", TRUE, no, error))
    return NULL;

  if (meta_number (graph->metadata, "dt", &v))
    {
      spec->dt = v;
      spec->has_dt = TRUE;
    }
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (meta_number (graph->metadata, sq_shift_name ((SqShift) i), &v))
      {
        if (!(v >= 0 && v <= SQ_WEIGHT_SHIFT_MAX))
          {
            layout_error (graph, _("a weight shift in its metadata is out of range"), error);
            return NULL;
          }
        spec->weight_shift[i] = (int) v;
        spec->has_weight_shift[i] = TRUE;
      }
  {
    const SqNirParam *off = meta (graph->metadata, "alias_offsets");
    const SqNirParam *tgt = meta (graph->metadata, "alias_targets");
    gsize n_targets = tgt && sq_tensor_is_present (&tgt->value) ? tgt->value.n : 0;

    if (off != NULL && sq_tensor_is_present (&off->value))
      {
        gsize n = off->value.n - 1;

        spec->n_alias_lists = n;
        spec->alias_offsets = g_new (gsize, n + 1);
        spec->alias_targets = g_new (guint32, MAX (n_targets, 1));
        for (gsize i = 0; i <= n; i++)
          {
            double o = off->value.data[i];

            if (!(o >= 0 && o <= (double) n_targets) ||
                (i > 0 && o < (double) spec->alias_offsets[i - 1]) || (i == 0 && o > 0) ||
                (i == n && _sq_differ (o, (double) n_targets)))
              {
                layout_error (graph, _("its alias lists are damaged"), error);
                return NULL;
              }
            spec->alias_offsets[i] = (gsize) o;
          }
        for (gsize i = 0; i < n_targets; i++)
          {
            double t = tgt->value.data[i];

            if (!(t >= 0 && t < (double) G_MAXUINT32))
              {
                layout_error (graph, _("its alias lists are damaged"), error);
                return NULL;
              }
            spec->alias_targets[i] = (guint32) t;
          }
      }
  }
  spec->source = g_strdup (graph->source);
  if (!sq_xylo_spec_validate (spec, error))
    return NULL;
  return g_steal_pointer (&spec);
}

static gboolean
is_our_layout (const SqNirGraph *graph)
{
  const SqNirParam *p = meta (graph->metadata, SQ_NIR_LAYOUT_KEY);

  return p != NULL && p->text != NULL && g_str_equal (p->text, SQ_NIR_LAYOUT_VALUE);
}

/**
 * sq_xylo_spec_load_nir:
 * @options: (nullable): dt and reset mode for a graph from another tool; not needed for a
 *   file Synquant wrote
 * @notes: (out) (optional) (element-type utf8): what the mapping approximated or left out
 *
 * Reads a .nir file as a Xylo specification: a file written by sq_xylo_spec_save_nir()
 * gives back the specification it was written from; any other graph goes through
 * sq_nir_map_to_xylo() with @options.
 */
SqXyloSpec *
sq_xylo_spec_load_nir (const char            *path,
                       const SqNirMapOptions *options,
                       GPtrArray            **notes,
                       GError               **error)
{
  g_autoptr(SqNirGraph) graph = sq_nir_graph_load (path, error);

  if (graph == NULL)
    return NULL;
  return _sq_nir_spec_from_graph (graph, options, notes, error);
}

SqXyloSpec *
_sq_nir_spec_from_graph (const SqNirGraph      *graph,
                         const SqNirMapOptions *options,
                         GPtrArray            **notes,
                         GError               **error)
{
  if (is_our_layout (graph))
    {
      if (notes != NULL)
        *notes = g_ptr_array_new_with_free_func (g_free);
      return rebuild_spec (graph, error);
    }
  if (options == NULL)
    {
      SqNirDtProposal proposal;
      g_autofree char *why = NULL;
      g_autoptr(GString) dt = g_string_new (NULL);

      /* A graph that can never map says so now, not after someone chose a time step. */
      if (!sq_nir_graph_check_mappable (graph, error))
        return NULL;
      if (!sq_nir_propose_dt (graph, &proposal))
        {
          g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT,
                       _("%s: NIR stores no time step: give dt (--dt) to map it to Xylo"),
                       graph->source);
          return NULL;
        }
      why = sq_nir_dt_proposal_describe (&proposal);
      _sq_append_float (dt, proposal.dt);
      /* Translators: the last %s is why that dt: "dt 0.125 ms puts every τ between dash 1
       * and 3" */
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT,
                   _("%s: NIR stores no time step: give dt (--dt) to map it to Xylo; "
                     "--dt %s suggested: %s"), graph->source, dt->str, why);
      return NULL;
    }
  return sq_nir_map_to_xylo (graph, options, notes, error);
}
