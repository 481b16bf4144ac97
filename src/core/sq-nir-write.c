/* sq-nir-write.c: a Xylo specification as a NIR graph (sq-nir-rebuild.c reads it back)
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

/* Whether every value is a whole number a double holds exactly (and an int64 too): the
 * layout writes such arrays as integers. */
gboolean
_sq_nir_all_integral (const double *v,
                      gsize         n)
{
  for (gsize i = 0; i < n; i++)
    if (!(fabs (v[i]) < 9007199254740992.0) || _sq_differ (v[i], nearbyint (v[i])))
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
  gboolean as_int = w->integer && _sq_nir_all_integral (v, n);
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
  Writer exact = writer_variant (w, _sq_nir_all_integral (&v, 1));

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
  _sq_nir_no_support (error);
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
