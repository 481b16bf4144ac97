/* sq-nir-write.c: a Xylo specification as a NIR graph, and back
 *
 * The graph:  input → w_in → hidden ⟲ w_rec,  hidden → w_out → readout → output
 * (w_in_syn2, w_rec_syn2 for a second synapse), hidden and readout CubaLIF. Time is counted
 * in steps (dt = 1): τ = 2^dash, r = τ_mem and w_in = τ_syn, so the mapper's gains
 * (sq-nir-map.c) are exactly 1, and v_leak = bias·τ_mem. A quantized specification so gives
 * integer-valued parameters. Everything else — the real dt, the exact dashes and biases,
 * weight shifts, aliases, scales and bit widths — lives in `metadata` groups: Python's
 * nir.read passes every other dataset to the node's constructor.
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

static gboolean
all_integral (const double *v,
              gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (!(fabs (v[i]) < 9007199254740992.0) || sq_differ (v[i], nearbyint (v[i])))
      return FALSE;
  return TRUE;
}

#if SYNQUANT_HAVE_NIR
# include <hdf5.h>

/* NIR's package version this layout follows. */
#define NIR_VERSION "1.0.7"

typedef struct {
  gboolean ok;
  gboolean integer;   /* write whole-numbered arrays as int64 */
  hid_t    gcpl;      /* creation properties without timestamps: same spec, same bytes */
  hid_t    dcpl;
} Writer;

/* The same file's writer, for values that must be written as floats or as integers
 * whatever the spec holds; its ok flag starts afresh. */
static Writer
writer_variant (const Writer *w,
                gboolean      integer)
{
  Writer v = *w;

  v.ok = TRUE;
  v.integer = integer;
  return v;
}

static void
close_any (hid_t id)
{
  if (id < 0)
    return;
  switch (H5Iget_type (id))
    {
    case H5I_FILE: H5Fclose (id); break;
    case H5I_GROUP: H5Gclose (id); break;
    case H5I_DATASET: H5Dclose (id); break;
    case H5I_DATATYPE: H5Tclose (id); break;
    case H5I_DATASPACE: H5Sclose (id); break;
    case H5I_GENPROP_LST: H5Pclose (id); break;
    default: break;
    }
}

static hid_t
string_type (void)
{
  hid_t t = H5Tcopy (H5T_C_S1);

  if (t >= 0 && (H5Tset_size (t, H5T_VARIABLE) < 0 || H5Tset_cset (t, H5T_CSET_UTF8) < 0))
    {
      H5Tclose (t);
      return -1;
    }
  return t;
}

static void
write_strings (Writer      *w,
               hid_t        loc,
               const char  *name,
               int          rank,
               const hsize_t *dims,
               const char **strings)
{
  hid_t type = string_type ();
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  hid_t ds = -1;

  if (type < 0 || space < 0 ||
      (ds = H5Dcreate2 (loc, name, type, space, H5P_DEFAULT, w->dcpl, H5P_DEFAULT)) < 0 ||
      H5Dwrite (ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings) < 0)
    w->ok = FALSE;
  close_any (ds);
  close_any (space);
  close_any (type);
}

static void
write_string (Writer     *w,
              hid_t       loc,
              const char *name,
              const char *value)
{
  write_strings (w, loc, name, 0, NULL, &value);
}

/* Writes @n values with shape @dims (rank 0: a scalar); int64 when @w wants integers and
 * every value is one, else float64. */
static void
write_array (Writer       *w,
             hid_t         loc,
             const char   *name,
             int           rank,
             const hsize_t *dims,
             const double *v,
             gsize         n)
{
  hid_t space = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  gboolean as_int = w->integer && all_integral (v, n);
  hid_t ds = -1;
  herr_t st = -1;

  if (space >= 0)
    ds = H5Dcreate2 (loc, name, as_int ? H5T_STD_I64LE : H5T_IEEE_F64LE, space, H5P_DEFAULT,
                     w->dcpl, H5P_DEFAULT);
  if (ds >= 0 && as_int)
    {
      g_autofree gint64 *iv = g_new (gint64, MAX (n, 1));

      for (gsize i = 0; i < n; i++)
        iv[i] = (gint64) v[i];
      st = H5Dwrite (ds, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, iv);
    }
  else if (ds >= 0)
    st = H5Dwrite (ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  if (st < 0)
    w->ok = FALSE;
  close_any (ds);
  close_any (space);
}

static void
write_vector (Writer       *w,
              hid_t         loc,
              const char   *name,
              const double *v,
              gsize         n)
{
  hsize_t dims[1] = { n };

  write_array (w, loc, name, 1, dims, v, n);
}

static void
write_scalar (Writer     *w,
              hid_t       loc,
              const char *name,
              double      v)
{
  Writer exact = writer_variant (w, all_integral (&v, 1));

  write_array (&exact, loc, name, 0, NULL, &v, 1);
  w->ok = w->ok && exact.ok;
}

static hid_t
node_group (Writer     *w,
            hid_t       nodes,
            const char *name,
            const char *type)
{
  hid_t g = H5Gcreate2 (nodes, name, H5P_DEFAULT, w->gcpl, H5P_DEFAULT);

  if (g < 0)
    {
      w->ok = FALSE;
      return -1;
    }
  write_string (w, g, "type", type);
  return g;
}

static hid_t
metadata_group (Writer *w,
                hid_t   node)
{
  hid_t g = node >= 0 ? H5Gcreate2 (node, "metadata", H5P_DEFAULT, w->gcpl, H5P_DEFAULT)
                      : -1;

  if (g < 0)
    w->ok = FALSE;
  return g;
}

/* The scale of the weights of @layer: one number under global scaling, one per target
 * neuron under channel scaling. */
static void
write_scales (Writer              *w,
              hid_t                meta,
              const SqQuantResult *q,
              SqLayer              layer)
{
  g_autoptr(GArray) scales = g_array_new (FALSE, FALSE, sizeof (double));

  if (q == NULL)
    return;
  if (q->params.method == SQ_METHOD_GLOBAL)
    {
      write_scalar (w, meta, "scale", q->layer[layer].scale);
      return;
    }
  for (guint i = 0; i < q->groups->len; i++)
    {
      const SqGroupReport *g = &g_array_index (q->groups, SqGroupReport, i);

      if (g->layer == layer)
        g_array_append_val (scales, g->scale);
    }
  if (scales->len > 0)
    write_vector (w, meta, "scale", (const double *) (void *) scales->data, scales->len);
}

static void
write_linear (Writer              *w,
              hid_t                nodes,
              const char          *name,
              const double        *weight,
              gsize                rows,
              gsize                cols,
              guint                synapse,
              const char          *count_key,
              gsize                count,
              guint                rank,
              const SqQuantResult *q,
              SqLayer              layer)
{
  hid_t g = node_group (w, nodes, name, "Linear");
  hid_t meta = metadata_group (w, g);
  hsize_t dims[2] = { rows, cols };

  if (g >= 0)
    write_array (w, g, "weight", 2, dims, weight, rows * cols);
  if (meta >= 0)
    {
      write_scalar (w, meta, "synapse", synapse);
      write_scalar (w, meta, count_key, (double) count);
      write_scalar (w, meta, "rank", rank);
      write_scales (w, meta, q, layer);
      if (q != NULL)
        write_scalar (w, meta, "weight_bits", q->params.weight_bits);
    }
  close_any (meta);
  close_any (g);
}

static void
write_neurons (Writer              *w,
               hid_t                nodes,
               const char          *name,
               const SqXyloSpec    *spec,
               gboolean             output,
               const SqQuantResult *q)
{
  const SqTensor *dm = &spec->param[output ? SQ_PARAM_DASH_MEM_OUT : SQ_PARAM_DASH_MEM];
  const SqTensor *ds = &spec->param[output ? SQ_PARAM_DASH_SYN_OUT : SQ_PARAM_DASH_SYN];
  const SqTensor *ds2 = &spec->param[SQ_PARAM_DASH_SYN_2];
  const SqTensor *th = &spec->param[output ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD];
  const SqTensor *bias = &spec->param[output ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS];
  gsize n = th->n;
  g_autofree double *tau_mem = g_new (double, n);
  g_autofree double *tau_syn = g_new (double, n);
  g_autofree double *v_leak = g_new (double, n);
  g_autofree double *zero = g_new0 (double, n);
  hid_t g = node_group (w, nodes, name, "CubaLIF");
  hid_t meta = metadata_group (w, g);

  for (gsize j = 0; j < n; j++)
    {
      tau_mem[j] = exp2 (dm->data[j]);
      tau_syn[j] = exp2 (ds->data[j]);
      v_leak[j] = sq_tensor_is_present (bias) ? bias->data[j] * tau_mem[j] : 0.0;
    }
  if (g >= 0)
    {
      write_vector (w, g, "tau_syn", tau_syn, n);
      write_vector (w, g, "tau_mem", tau_mem, n);
      write_vector (w, g, "r", tau_mem, n);
      write_vector (w, g, "w_in", tau_syn, n);
      write_vector (w, g, "v_leak", v_leak, n);
      write_vector (w, g, "v_threshold", th->data, n);
      write_vector (w, g, "v_reset", zero, n);
    }
  if (meta >= 0)
    {
      Writer exact = writer_variant (w, FALSE);

      /* The exact values: log2 (2^d) and (b·τ)/τ need not give d and b back. */
      write_vector (&exact, meta, "dash_mem", dm->data, n);
      write_vector (&exact, meta, "dash_syn", ds->data, n);
      if (!output && sq_tensor_is_present (ds2))
        write_vector (&exact, meta, "dash_syn_2", ds2->data, n);
      if (sq_tensor_is_present (bias))
        write_vector (&exact, meta, "bias", bias->data, n);
      w->ok = w->ok && exact.ok;
      if (q != NULL)
        write_scalar (w, meta, "threshold_bits", q->params.threshold_bits);
    }
  close_any (meta);
  close_any (g);
}

static void
write_graph (Writer              *w,
             hid_t                file,
             const SqXyloSpec    *spec,
             const SqQuantResult *q)
{
  gsize n_in = spec->n_in, nh = spec->n_hidden, no = spec->n_out, ns = spec->n_syn;
  gsize n_ien = spec->n_ien, n_oen = spec->n_oen;
  const SqTensor *win = &spec->param[SQ_PARAM_WEIGHTS_IN];
  const SqTensor *wrec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  const SqTensor *wout = &spec->param[SQ_PARAM_WEIGHTS_OUT];
  g_autofree double *m_in = g_new0 (double, nh * n_in);
  g_autofree double *m_rec = g_new (double, nh * nh);
  g_autofree double *m_out = g_new0 (double, no * nh);
  const char *edges[2 * 11];
  hsize_t edims[2] = { 0, 2 };
  hid_t root, nodes, meta, g;
  double shape;

  write_string (w, file, "version", NIR_VERSION);
  root = H5Gcreate2 (file, "node", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);
  if (root < 0)
    {
      w->ok = FALSE;
      return;
    }
  write_string (w, root, "type", "NIRGraph");
  nodes = H5Gcreate2 (root, "nodes", H5P_DEFAULT, w->gcpl, H5P_DEFAULT);

  g = node_group (w, nodes, "input", "Input");
  shape = (double) n_in;
  write_vector (w, g, "shape", &shape, 1);
  close_any (g);
  g = node_group (w, nodes, "output", "Output");
  shape = (double) no;
  write_vector (w, g, "shape", &shape, 1);
  close_any (g);

  for (gsize s = 0; s < ns; s++)
    {
      /* NIR weights are (out, in); Xylo's are [source, target, synapse]. */
      for (gsize i = 0; i < n_in; i++)
        for (gsize j = 0; j < n_ien; j++)
          m_in[j * n_in + i] = win->data[(i * n_ien + j) * ns + s];
      for (gsize i = 0; i < nh; i++)
        for (gsize j = 0; j < nh; j++)
          m_rec[j * nh + i] = wrec->data[(i * nh + j) * ns + s];
      write_linear (w, nodes, s ? "w_in_syn2" : "w_in", m_in, nh, n_in, (guint) s + 1, "n_ien",
                    n_ien, win->rank, q, SQ_LAYER_HIDDEN);
      write_linear (w, nodes, s ? "w_rec_syn2" : "w_rec", m_rec, nh, nh, (guint) s + 1,
                    "n_hidden", nh, wrec->rank, q, SQ_LAYER_HIDDEN);
    }
  for (gsize h = 0; h < n_oen; h++)
    for (gsize o = 0; o < no; o++)
      m_out[o * nh + (nh - n_oen + h)] = wout->data[h * no + o];
  write_linear (w, nodes, "w_out", m_out, no, nh, 1, "n_oen", n_oen, 2, q, SQ_LAYER_OUTPUT);
  write_neurons (w, nodes, "hidden", spec, FALSE, q);
  write_neurons (w, nodes, "readout", spec, TRUE, q);
  close_any (nodes);

#define EDGE(a, b) G_STMT_START { edges[2 * edims[0]] = a; edges[2 * edims[0] + 1] = b; \
                                  edims[0]++; } G_STMT_END
  EDGE ("input", "w_in");
  EDGE ("w_in", "hidden");
  EDGE ("hidden", "w_rec");
  EDGE ("w_rec", "hidden");
  if (ns > 1)
    {
      EDGE ("input", "w_in_syn2");
      EDGE ("w_in_syn2", "hidden");
      EDGE ("hidden", "w_rec_syn2");
      EDGE ("w_rec_syn2", "hidden");
    }
  EDGE ("hidden", "w_out");
  EDGE ("w_out", "readout");
  EDGE ("readout", "output");
#undef EDGE
  write_strings (w, root, "edges", 2, edims, edges);

  meta = metadata_group (w, root);
  if (meta >= 0)
    {
      write_string (w, meta, SQ_NIR_LAYOUT_KEY, SQ_NIR_LAYOUT_VALUE);
      write_string (w, meta, "synquant_version", PACKAGE_VERSION);
      write_string (w, meta, "time_unit", "steps");
      if (spec->has_dt)
        write_scalar (w, meta, "dt", spec->dt);
      for (guint i = 0; i < SQ_N_SHIFTS; i++)
        if (spec->has_weight_shift[i])
          write_scalar (w, meta, sq_shift_name ((SqShift) i), spec->weight_shift[i]);
      if (spec->alias_offsets != NULL)
        {
          gsize n_targets = spec->alias_offsets[spec->n_alias_lists];
          g_autofree double *off = g_new (double, spec->n_alias_lists + 1);
          g_autofree double *tgt = g_new (double, MAX (n_targets, 1));
          Writer ints = writer_variant (w, TRUE);

          for (gsize i = 0; i <= spec->n_alias_lists; i++)
            off[i] = (double) spec->alias_offsets[i];
          for (gsize i = 0; i < n_targets; i++)
            tgt[i] = spec->alias_targets[i];
          write_vector (&ints, meta, "alias_offsets", off, spec->n_alias_lists + 1);
          if (n_targets > 0)
            write_vector (&ints, meta, "alias_targets", tgt, n_targets);
          w->ok = w->ok && ints.ok;
        }
      if (q != NULL)
        {
          write_string (w, meta, "method", sq_method_to_string (q->params.method));
          write_string (w, meta, "mode", sq_mode_to_string (q->mode_used));
          write_scalar (w, meta, "fuzzy", q->params.fuzzy ? 1 : 0);
          write_scalar (w, meta, "weight_bits", q->params.weight_bits);
          write_scalar (w, meta, "threshold_bits", q->params.threshold_bits);
        }
    }
  close_any (meta);
  close_any (root);
}

#endif /* SYNQUANT_HAVE_NIR */

/**
 * sq_xylo_spec_to_nir:
 * @quant: (nullable): the quantization that made @spec, for the scales and bit widths
 *
 * Returns: the bytes of a .nir file holding @spec (see the top of this file for the layout)
 */
GBytes *
sq_xylo_spec_to_nir (const SqXyloSpec    *spec,
                     const SqQuantResult *quant,
                     GError             **error)
{
#if SYNQUANT_HAVE_NIR
  Writer w = { TRUE, sq_xylo_spec_is_integer (spec), -1, -1 };
  hid_t fapl, fcpl, file = -1;
  GBytes *bytes = NULL;

  _sq_nir_lock ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  fapl = H5Pcreate (H5P_FILE_ACCESS);
  fcpl = H5Pcreate (H5P_FILE_CREATE);
  w.gcpl = H5Pcreate (H5P_GROUP_CREATE);
  w.dcpl = H5Pcreate (H5P_DATASET_CREATE);
  /* HDF5 stamps every object with its creation time unless told not to; exports must be the
   * same bytes for the same spec. In memory: the image is then written atomically like every
   * other output. */
  if (fapl >= 0 && fcpl >= 0 && w.gcpl >= 0 && w.dcpl >= 0 &&
      H5Pset_obj_track_times (fcpl, 0) >= 0 && H5Pset_obj_track_times (w.gcpl, 0) >= 0 &&
      H5Pset_obj_track_times (w.dcpl, 0) >= 0 && H5Pset_fapl_core (fapl, 1 << 20, 0) >= 0)
    file = H5Fcreate ("/dev/null/synquant-image.nir", H5F_ACC_TRUNC, fcpl, fapl);
  if (file >= 0)
    {
      ssize_t size;

      write_graph (&w, file, spec, quant);
      if (w.ok && H5Fflush (file, H5F_SCOPE_GLOBAL) >= 0 &&
          (size = H5Fget_file_image (file, NULL, 0)) > 0)
        {
          char *buf = g_malloc (size);

          if (H5Fget_file_image (file, buf, size) == size)
            bytes = g_bytes_new_take (buf, size);
          else
            g_free (buf);
        }
    }
  close_any (file);
  close_any (w.dcpl);
  close_any (w.gcpl);
  close_any (fcpl);
  close_any (fapl);
  _sq_nir_unlock ();

  if (bytes == NULL)
    g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO, _("HDF5 could not build the NIR file"));
  return bytes;
#else
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NO_SUPPORT,
               _("this Synquant was built without NIR support (HDF5); rebuild with -Dnir=enabled"));
  return NULL;
#endif
}

/**
 * sq_xylo_spec_save_nir:
 *
 * Writes @spec as a NIR graph to @path atomically.
 */
gboolean
sq_xylo_spec_save_nir (const SqXyloSpec    *spec,
                       const SqQuantResult *quant,
                       const char          *path,
                       GError             **error)
{
  g_autoptr(GBytes) bytes = sq_xylo_spec_to_nir (spec, quant, error);
  gsize size;
  const char *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  return sq_file_write_atomic (path, data, size, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Reading our own layout back                                                               */

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
                    all_integral (d_mem, n), error) ||
      !copy_vector (&spec->param[output ? SQ_PARAM_DASH_SYN_OUT : SQ_PARAM_DASH_SYN], d_syn, n,
                    all_integral (d_syn, n), error) ||
      !copy_vector (&spec->param[output ? SQ_PARAM_THRESHOLD_OUT : SQ_PARAM_THRESHOLD],
                    th->data, n, th->integer, error))
    return FALSE;
  if (ds2 && !output &&
      !copy_vector (&spec->param[SQ_PARAM_DASH_SYN_2], ds2->data, n,
                    all_integral (ds2->data, n), error))
    return FALSE;
  if (bias && !copy_vector (&spec->param[output ? SQ_PARAM_BIAS_OUT : SQ_PARAM_BIAS],
                            bias->data, n, all_integral (bias->data, n), error))
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
      sq_differ (v, nearbyint (v)))
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
                (i == n && sq_differ (o, (double) n_targets)))
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
  if (is_our_layout (graph))
    {
      if (notes != NULL)
        *notes = g_ptr_array_new_with_free_func (g_free);
      return rebuild_spec (graph, error);
    }
  if (options == NULL)
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_NEEDS_DT,
                   _("%s: NIR stores no time step: give dt (--dt) to map it to Xylo"),
                   graph->source);
      return NULL;
    }
  return sq_nir_map_to_xylo (graph, options, notes, error);
}
