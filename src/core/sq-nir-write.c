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
#include "sq-nir-h5w-private.h"

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
      _sq_h5w_scalar (w, meta, "scale", q->layer[layer].scale);
      return;
    }
  for (guint i = 0; i < q->groups->len; i++)
    {
      const SqGroupReport *g = &g_array_index (q->groups, SqGroupReport, i);

      if (g->layer == layer)
        g_array_append_val (scales, g->scale);
    }
  if (scales->len > 0)
    _sq_h5w_vector (w, meta, "scale", (const double *) (void *) scales->data, scales->len);
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
  hid_t g = _sq_h5w_node (w, nodes, name, "Linear");
  hid_t meta = _sq_h5w_metadata (w, g);
  hsize_t dims[2] = { rows, cols };

  if (g >= 0)
    _sq_h5w_array (w, g, "weight", 2, dims, weight, rows * cols);
  if (meta >= 0)
    {
      _sq_h5w_scalar (w, meta, "synapse", synapse);
      _sq_h5w_scalar (w, meta, count_key, (double) count);
      _sq_h5w_scalar (w, meta, "rank", rank);
      write_scales (w, meta, q, layer);
      if (q != NULL)
        _sq_h5w_scalar (w, meta, "weight_bits", q->params.weight_bits);
    }
  _sq_h5w_close (meta);
  _sq_h5w_close (g);
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
  hid_t g = _sq_h5w_node (w, nodes, name, "CubaLIF");
  hid_t meta = _sq_h5w_metadata (w, g);

  for (gsize j = 0; j < n; j++)
    {
      tau_mem[j] = exp2 (dm->data[j]);
      tau_syn[j] = exp2 (ds->data[j]);
      v_leak[j] = sq_tensor_is_present (bias) ? bias->data[j] * tau_mem[j] : 0.0;
    }
  if (g >= 0)
    {
      _sq_h5w_vector (w, g, "tau_syn", tau_syn, n);
      _sq_h5w_vector (w, g, "tau_mem", tau_mem, n);
      _sq_h5w_vector (w, g, "r", tau_mem, n);
      _sq_h5w_vector (w, g, "w_in", tau_syn, n);
      _sq_h5w_vector (w, g, "v_leak", v_leak, n);
      _sq_h5w_vector (w, g, "v_threshold", th->data, n);
      _sq_h5w_vector (w, g, "v_reset", zero, n);
    }
  if (meta >= 0)
    {
      Writer exact = _sq_h5w_variant (w, FALSE);

      /* The exact values: log2 (2^d) and (b·τ)/τ need not give d and b back. */
      _sq_h5w_vector (&exact, meta, "dash_mem", dm->data, n);
      _sq_h5w_vector (&exact, meta, "dash_syn", ds->data, n);
      if (!output && sq_tensor_is_present (ds2))
        _sq_h5w_vector (&exact, meta, "dash_syn_2", ds2->data, n);
      if (sq_tensor_is_present (bias))
        _sq_h5w_vector (&exact, meta, "bias", bias->data, n);
      w->ok = w->ok && exact.ok;
      if (q != NULL)
        _sq_h5w_scalar (w, meta, "threshold_bits", q->params.threshold_bits);
    }
  _sq_h5w_close (meta);
  _sq_h5w_close (g);
}

typedef struct {
  const SqXyloSpec    *spec;
  const SqQuantResult *quant;
} XyloGraph;

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

  root = _sq_h5w_graph (w, file, &nodes);
  if (root < 0)
    return;

  g = _sq_h5w_node (w, nodes, "input", "Input");
  shape = (double) n_in;
  _sq_h5w_vector (w, g, "shape", &shape, 1);
  _sq_h5w_close (g);
  g = _sq_h5w_node (w, nodes, "output", "Output");
  shape = (double) no;
  _sq_h5w_vector (w, g, "shape", &shape, 1);
  _sq_h5w_close (g);

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
  _sq_h5w_close (nodes);

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
  _sq_h5w_strings (w, root, "edges", 2, edims, edges);

  meta = _sq_h5w_metadata (w, root);
  if (meta >= 0)
    {
      _sq_h5w_string (w, meta, SQ_NIR_LAYOUT_KEY, SQ_NIR_LAYOUT_VALUE);
      _sq_h5w_string (w, meta, "synquant_version", PACKAGE_VERSION);
      _sq_h5w_string (w, meta, "time_unit", "steps");
      if (spec->has_dt)
        _sq_h5w_scalar (w, meta, "dt", spec->dt);
      for (guint i = 0; i < SQ_N_SHIFTS; i++)
        if (spec->has_weight_shift[i])
          _sq_h5w_scalar (w, meta, sq_shift_name ((SqShift) i), spec->weight_shift[i]);
      if (spec->alias_offsets != NULL)
        {
          gsize n_targets = spec->alias_offsets[spec->n_alias_lists];
          g_autofree double *off = g_new (double, spec->n_alias_lists + 1);
          g_autofree double *tgt = g_new (double, MAX (n_targets, 1));
          Writer ints = _sq_h5w_variant (w, TRUE);

          for (gsize i = 0; i <= spec->n_alias_lists; i++)
            off[i] = (double) spec->alias_offsets[i];
          for (gsize i = 0; i < n_targets; i++)
            tgt[i] = spec->alias_targets[i];
          _sq_h5w_vector (&ints, meta, "alias_offsets", off, spec->n_alias_lists + 1);
          if (n_targets > 0)
            _sq_h5w_vector (&ints, meta, "alias_targets", tgt, n_targets);
          w->ok = w->ok && ints.ok;
        }
      if (q != NULL)
        {
          _sq_h5w_string (w, meta, "method", sq_method_to_string (q->params.method));
          _sq_h5w_string (w, meta, "mode", sq_mode_to_string (q->mode_used));
          _sq_h5w_scalar (w, meta, "fuzzy", q->params.fuzzy ? 1 : 0);
          _sq_h5w_scalar (w, meta, "weight_bits", q->params.weight_bits);
          _sq_h5w_scalar (w, meta, "threshold_bits", q->params.threshold_bits);
        }
    }
  _sq_h5w_close (meta);
  _sq_h5w_close (root);
}

static void
write_xylo (Writer        *w,
            hid_t          file,
            gconstpointer  data)
{
  const XyloGraph *g = data;

  write_graph (w, file, g->spec, g->quant);
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
  XyloGraph g = { spec, quant };

  return _sq_h5w_image (sq_xylo_spec_is_integer (spec), write_xylo, &g, error);
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
