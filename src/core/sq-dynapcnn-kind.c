/* sq-dynapcnn-kind.c: DynapCNN / Speck networks as a network kind
 *
 * The only place above the DynapCNN modules (sq-dynapcnn-net, -discretize, -iaf, -float,
 * -placement, -config, sq-nir-dynapcnn) that knows their types: a layer file (JSON or
 * .npz) or a NIR graph becomes a network whose groups are each layer's weights, biases,
 * thresholds and initial membrane; "quantizing" is sinabs's discretization with one joint
 * scale per layer; simulating runs the IAF core in time steps beside the float model
 * (sq-dynapcnn-kind-sim.c). Its words are in sq-dynapcnn-kind-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-dynapcnn-kind-private.h"
#include "sq-export-private.h"
#include "sq-fxp-kind-private.h"
#include "sq-network-private.h"
#include "sq-npz-private.h"
#include "sq-private.h"

static void
dyn_data_free (gpointer data)
{
  DynData *d = data;

  for (guint i = 0; d->thresholds != NULL && i < d->net->n_layers; i++)
    sq_tensor_clear (&d->thresholds[i]);
  g_free (d->thresholds);
  g_clear_pointer (&d->net, sq_dynapcnn_net_free);
  g_clear_pointer (&d->strings, g_ptr_array_unref);
  g_free (d->pattern);
  g_free (d->geometry);
  g_free (d->shapes);
  g_free (d);
}

static void
dyn_result_free (gpointer data)
{
  DynResult *r = data;

  g_clear_pointer (&r->reports, g_array_unref);
  g_free (r);
}

const DynData *
_sq_dynapcnn_data (const SqNetwork *network)
{
  g_return_val_if_fail (network->kind == &_sq_dynapcnn_kind, NULL);
  return network->data;
}

/* ---------------------------------------------------------------------------------------- */
/* Groups                                                                                    */

static const char *
keep (DynData *d,
      char    *string)
{
  g_ptr_array_add (d->strings, string);
  return string;
}

/* Rockpool's families of the slots: sinabs has no time constants; an initial membrane is
 * state, no family. */
static const SqFamily slot_families[N_SLOTS] = {
  [SLOT_WEIGHT] = SQ_FAMILY_WEIGHTS,
  [SLOT_BIAS] = SQ_FAMILY_BIASES,
  [SLOT_THRESHOLDS] = SQ_FAMILY_THRESHOLDS,
  [SLOT_V_MEM] = SQ_FAMILY_NONE,
};

static void
add_group (SqNetwork      *n,
           DynData        *d,
           guint           layer,
           int             slot,
           SqRole          role,
           const SqTensor *values)
{
  static const char * const keys[N_SLOTS] = { "weight", "bias", "thresholds", "v_mem" };
  SqGroup g = {
    .id = keep (d, g_strdup_printf ("layers[%u].%s", layer, keys[slot])),
    .role = role,
    .layer = layer,
    .scale = sq_network_get_layer (n, layer)->id,
    .values = values,
    .native = (int) (layer * N_SLOTS + (guint) slot),
    .family = slot_families[slot],
  };

  switch (slot)
    {
    case SLOT_WEIGHT:
      g.label = keep (d, g_strdup_printf (_("Layer %u weights"), layer));
      break;
    case SLOT_BIAS:
      g.label = keep (d, g_strdup_printf (_("Layer %u biases"), layer));
      break;
    case SLOT_THRESHOLDS:
      g.label = keep (d, g_strdup_printf (_("Layer %u thresholds"), layer));
      break;
    default:
      g.label = keep (d, g_strdup_printf (_("Layer %u initial membrane"), layer));
      break;
    }
  sq_network_add_group (n, &g);
}

/* A network over @net (taken over). @like is the float network's data for a discretized
 * network, so both have the same groups; %NULL for a loaded one. */
static SqNetwork *
network_new (SqDynapcnnNet *net,
             const DynData *like)
{
  DynData *d = g_new0 (DynData, 1);
  gboolean integer = sq_dynapcnn_net_is_integer (net);
  SqNetwork *n;

  d->net = net;
  d->strings = g_ptr_array_new_with_free_func (g_free);
  d->thresholds = g_new0 (SqTensor, net->n_layers);
  d->pattern = g_new0 (guint8, net->n_layers);
  d->geometry = g_new0 (SqDynapcnnLayerGeometry, net->n_layers);
  d->shapes = g_new0 (SqCnnLayerShape, net->n_layers);
  if (!sq_dynapcnn_net_geometry (net, d->geometry, d->shapes))
    {
      g_clear_pointer (&d->geometry, g_free);
      g_clear_pointer (&d->shapes, g_free);
    }

  n = sq_network_new (&_sq_dynapcnn_kind, d, dyn_data_free);
  n->source = g_strdup (net->source);
  /* Whole numbers alone are no proof: sinabs users train with weights 1 and threshold 2
   * (sinabs#128). A discretized file says so with each layer's scale. */
  n->is_integer = integer;
  for (guint i = 0; i < net->n_layers; i++)
    n->is_integer = n->is_integer && net->layers[i].has_scale;

  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnLayerParams *p = &net->layers[i].params;
      SqLayerInfo info = {
        keep (d, g_strdup_printf ("layer%u", i)),
        keep (d, g_strdup_printf (_("Layer %u"), i)),
      };
      gsize n_th;

      d->pattern[i] = like ? like->pattern[i]
                           : (sq_tensor_is_present (&p->bias) ? HAS_BIAS : 0) |
                             (p->has_min_v_mem ? HAS_LOW : 0) |
                             (sq_tensor_is_present (&p->v_mem) ? HAS_V_MEM : 0);
      n_th = d->pattern[i] & HAS_LOW ? 2 : 1;
      if (!sq_tensor_init (&d->thresholds[i], 1, &n_th, NULL))
        g_return_val_if_reached (n);
      d->thresholds[i].data[0] = p->spike_threshold;
      if (n_th == 2)
        d->thresholds[i].data[1] = p->min_v_mem;
      d->thresholds[i].integer = integer;

      sq_network_add_layer (n, &info);
      add_group (n, d, i, SLOT_WEIGHT, SQ_ROLE_WEIGHTS, &p->weight);
      if (d->pattern[i] & HAS_BIAS)
        add_group (n, d, i, SLOT_BIAS, SQ_ROLE_BIAS, &p->bias);
      add_group (n, d, i, SLOT_THRESHOLDS, SQ_ROLE_THRESHOLD, &d->thresholds[i]);
      if (d->pattern[i] & HAS_V_MEM)
        add_group (n, d, i, SLOT_V_MEM, SQ_ROLE_STATE, &p->v_mem);
    }

  if (d->geometry != NULL)
    {
      const gsize *in = net->input_shape, *out = d->geometry[net->n_layers - 1].pooled;

      n->n_inputs = in[0] * in[1] * in[2];
      memcpy (n->input_shape, in, sizeof n->input_shape);
      n->n_outputs = out[0] * out[1] * out[2];
      for (guint i = 0; i + 1 < net->n_layers; i++)
        {
          gsize size = d->geometry[i].conv[0] * d->geometry[i].conv[1] *
                       d->geometry[i].conv[2];

          n->n_hidden += size;
          /* The hidden neurons are every layer's but the last, in layer order. */
          sq_network_add_hidden_layer (n, sq_network_get_layer (n, i)->label, size);
        }
    }
  for (guint i = 0; net->warnings && i < net->warnings->len; i++)
    g_ptr_array_add (n->warnings, g_strdup (g_ptr_array_index (net->warnings, i)));
  return n;
}

/* A float copy of @network's layers with new values: a burnt-in draw has no scale of its
 * own, so it quantizes like a trained network. */
static SqNetwork *
dyn_with_values (const SqNetwork        *network,
                 const SqTensor * const *values,
                 GError                **error)
{
  g_autoptr(SqDynapcnnNet) net =
    sq_dynapcnn_net_copy_float (((const DynData *) network->data)->net, error);
  SqNetwork *n;

  if (net == NULL)
    return NULL;
  for (guint i = 0; i < network->groups->len; i++)
    {
      const SqGroup *g = sq_network_get_group (network, i);
      SqDynapcnnLayerParams *p = &net->layers[g->native / N_SLOTS].params;
      SqTensor *t = NULL;

      if (values[i] == NULL)
        continue;
      switch (g->native % N_SLOTS)
        {
        case SLOT_WEIGHT:
          t = &p->weight;
          break;
        case SLOT_BIAS:
          t = &p->bias;
          break;
        case SLOT_V_MEM:
          t = &p->v_mem;
          break;
        default:
          p->spike_threshold = values[i]->data[0];
          if (values[i]->n > 1)
            p->min_v_mem = values[i]->data[1];
          continue;
        }
      memcpy (t->data, values[i]->data, t->n * sizeof *t->data);
      t->integer = FALSE;
    }
  n = network_new (g_steal_pointer (&net), NULL);
  n->path = g_strdup (network->path);
  n->is_integer = FALSE;
  return n;
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

static SqNetwork *
dyn_load (const char           *path,
          const SqLoadOptions  *options,
          GCancellable         *cancellable,
          SqProgressFunc        progress,
          gpointer              progress_data,
          GError              **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  SqDynapcnnNet *net;
  SqNetwork *n;

  if (_sq_path_has_extension (path, "nir"))
    {
      g_autoptr(SqNirGraph) graph = sq_nir_graph_load (path, error);

      if (graph == NULL)
        return NULL;
      net = sq_nir_map_to_dynapcnn (graph, &notes, error);
    }
  else
    net = sq_dynapcnn_net_load_file (path, error);
  if (net == NULL)
    return NULL;
  n = network_new (net, NULL);
  n->path = g_strdup (path);
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    g_ptr_array_add (n->notes, g_strdup (g_ptr_array_index (notes, i)));
  return n;
}

/* A layer file of another name: JSON whose first key is one of the layer file's, or an
 * archive whose first member is. The Xylo specification has neither. */
static gboolean
dyn_probe (const char   *path,
           const guint8 *head,
           gsize         head_len)
{
  g_autofree char *first = _sq_zip_first_member (head, head_len);
  gsize i = 0;

  if (first != NULL)
    return g_str_equal (first, "input_shape") || g_str_has_prefix (first, "layers.");
  /* A fixed-point layer file has the same first keys, and layers with a "type". */
  if (_sq_fxp_probe_json (head, head_len))
    return FALSE;
  if (head_len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  while (i < head_len && g_ascii_isspace (head[i]))
    i++;
  if (i >= head_len || head[i++] != '{')
    return FALSE;
  while (i < head_len && g_ascii_isspace (head[i]))
    i++;
  return (head_len - i >= 8 && memcmp (head + i, "\"layers\"", 8) == 0) ||
         (head_len - i >= 13 && memcmp (head + i, "\"input_shape\"", 13) == 0);
}

static GBytes *
dyn_write (const SqNetwork  *network,
           const char       *extension,
           GError          **error)
{
  const SqDynapcnnNet *net = _sq_dynapcnn_data (network)->net;

  if (g_str_equal (extension, "npz"))
    {
      gsize length;
      guint8 *npz = sq_dynapcnn_net_to_npz (net, &length, error);

      return npz ? g_bytes_new_take (npz, length) : NULL;
    }
  if (g_str_equal (extension, "nir"))
    return sq_dynapcnn_net_to_nir (net, error);
  return g_string_free_to_bytes (sq_dynapcnn_net_to_json (net));
}

static GBytes *
dyn_save (const SqNetworkResult  *result,
          const char             *extension,
          GError                **error)
{
  return dyn_write (result->quantized, extension, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Discretization                                                                            */

enum { OPT_MODE, N_OPTS };

static const SqChoice mode_choices[] = {
  { "synquant", N_("Synquant"), NULL, NULL },
  { "sinabs", N_("sinabs-compatible"), NULL, NULL },
};

static const SqOption dyn_options[N_OPTS] = {
  [OPT_MODE] = {
    "mode", N_("M_ode"),
    N_("Synquant keeps an unbounded membrane out of the joint scale; sinabs puts −32768 "
       "into it, bit for bit as discretize_conv_spike does"),
    N_("mode"), SQ_OPTION_CHOICE, mode_choices, G_N_ELEMENTS (mode_choices),
    0, 1, SQ_DISCRETIZE_SYNQUANT, -1, NULL, TRUE },
};

const char * const _sq_dynapcnn_bound_labels[4] = {
  [SQ_SCALE_BOUND_WEIGHT] = N_("set by the weights"),
  [SQ_SCALE_BOUND_BIAS] = N_("set by the biases"),
  [SQ_SCALE_BOUND_THRESHOLDS] = N_("set by the thresholds"),
  [SQ_SCALE_BOUND_STATE] = N_("set by the initial membrane"),
};

static const char * const other_mode_labels[] = {
  [SQ_DISCRETIZE_SYNQUANT] = N_("synquant mode"),
  [SQ_DISCRETIZE_SINABS] = N_("sinabs mode"),
};

/* The integers a slot's values may take: weights and biases 8 bits, the rest 16. */
static void
slot_range (int     slot,
            double *lo,
            double *hi,
            guint  *bits)
{
  gboolean narrow = slot == SLOT_WEIGHT || slot == SLOT_BIAS;

  *bits = narrow ? 8 : 16;
  *lo = narrow ? -128 : -32768;
  *hi = narrow ? 127 : 32767;
}

/* The scale the other mode gives layer @i: only an unbounded membrane makes them differ. */
static float
other_mode_scale (const SqDynapcnnNet *net,
                  guint                i,
                  SqDiscretizeMode     other)
{
  SqDynapcnnDiscrete d;
  float scale;

  if (!sq_dynapcnn_discretize_layer (&net->layers[i].params, other, "", &d, NULL))
    return NAN;
  scale = d.scale;
  sq_dynapcnn_discrete_clear (&d);
  return scale;
}

static SqNetworkResult *
dyn_quantize (SqNetwork              *network,
              const SqQuantSettings  *settings,
              SqQuantizeFlags         flags,
              GCancellable           *cancellable,
              GError                **error)
{
  const DynData *d = _sq_dynapcnn_data (network);
  SqDiscretizeMode mode = (SqDiscretizeMode) settings->value[OPT_MODE];
  g_autoptr(GArray) reports = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  SqDynapcnnNet *out;
  DynResult *dr;
  SqNetworkResult *r;
  float *other = NULL;

  out = sq_dynapcnn_net_discretize (d->net, mode, &reports, &warnings, error);
  if (out == NULL)
    return NULL;
  dr = g_new0 (DynResult, 1);
  dr->mode = mode;
  dr->reports = g_steal_pointer (&reports);
  r = sq_network_result_new (network, settings, dr, dyn_result_free);
  r->flags = flags & SQ_QUANTIZE_MARKERS;
  r->mode_used = mode_choices[mode].name;
  r->quantized = network_new (out, d);

  if (flags & SQ_QUANTIZE_MARKERS)
    {
      other = g_new (float, d->net->n_layers);
      for (guint i = 0; i < d->net->n_layers; i++)
        other[i] = d->net->layers[i].params.has_min_v_mem
                   ? NAN : other_mode_scale (d->net, i, mode == SQ_DISCRETIZE_SINABS
                                                       ? SQ_DISCRETIZE_SYNQUANT
                                                       : SQ_DISCRETIZE_SINABS);
    }

  for (guint g = 0; g < sq_network_n_groups (network); g++)
    {
      const SqGroup *group = sq_network_get_group (network, g);
      guint layer = group->layer;
      int slot = group->native % N_SLOTS;
      const SqDynapcnnLayerReport *rep = &g_array_index (dr->reports, SqDynapcnnLayerReport,
                                                          layer);
      double s = rep->scale, lo, hi;
      SqGroupResult gr = { 0, };

      slot_range (slot, &lo, &hi, &gr.level_bits);
      gr.group = g;
      gr.values = sq_network_get_group (r->quantized, g)->values;
      gr.scale = gr.scale_min = gr.scale_max = gr.level_scale = s;
      gr.clip_lo = lo / s;
      gr.clip_hi = hi / s;
      gr.error_bound = NAN;
      gr.markers = g_array_new (FALSE, FALSE, sizeof (SqMarker));
      if (flags & SQ_QUANTIZE_MARKERS)
        {
          if (isfinite (other[layer]) && _sq_differ (other[layer], s))
            _sq_marker_add (gr.markers, other_mode_labels[mode == SQ_DISCRETIZE_SINABS
                                                          ? SQ_DISCRETIZE_SYNQUANT
                                                          : SQ_DISCRETIZE_SINABS],
                            lo / other[layer], hi / other[layer], SQ_MARKER_SECONDARY, TRUE);
          _sq_marker_add (gr.markers, _sq_dynapcnn_bound_labels[rep->bound], gr.clip_lo, gr.clip_hi,
                          SQ_MARKER_PRIMARY, FALSE);
        }
      g_array_append_val (r->groups, gr);
    }
  g_free (other);

  /* Figures over each layer's weights: nothing is clipped, the scale fits every tensor. */
  for (guint g = 0; g < sq_network_n_groups (network); g++)
    {
      const SqGroup *group = sq_network_get_group (network, g);
      const SqTensor *q = sq_network_get_group (r->quantized, g)->values;
      SqLayerResult *lr = &r->layers[group->layer];
      double s = sq_network_result_get_group (r, g)->scale;
      SqQuantFigures *f = &lr->figures;

      lr->scale = lr->scale_min = lr->scale_max = s;
      lr->clip = lr->clip_max = 127.0 / s;
      lr->clip_min = lr->clip;
      if (group->role != SQ_ROLE_WEIGHTS)
        continue;
      for (gsize k = 0; k < group->values->n; k++)
        {
          double w = group->values->data[k], e = q->data[k] / s - w;

          f->n_values++;
          f->n_nonzero += !_sq_is_zero (w);
          f->zeroed += !_sq_is_zero (w) && _sq_is_zero (q->data[k]);
          f->signal += w * w;
          f->noise += e * e;
          f->max_abs_error = MAX (f->max_abs_error, fabs (e));
        }
      _sq_quant_figures_add (&r->total, f);
    }

  for (guint i = 0; i < d->net->n_layers; i++)
    {
      const SqDynapcnnLayerReport *rep = &g_array_index (dr->reports, SqDynapcnnLayerReport, i);
      guint g = G_MAXUINT;

      sq_network_group_for_native (network, (int) (i * N_SLOTS + SLOT_WEIGHT), &g);
      for (guint k = 0; k < rep->n_warnings; k++)
        _sq_diagnostics_add (r->diagnostics, SQ_DIAG_DISCRETIZE, (int) g,
                             rep->n_weights_zeroed, "%s",
                             (const char *) g_ptr_array_index (warnings,
                                                               rep->first_warning + k));
    }
  return r;
}

/* ---------------------------------------------------------------------------------------- */
/* Check and export                                                                          */

/* Whether @t holds a value above zero. */
static gboolean
any_positive (const SqTensor *t)
{
  for (gsize i = 0; sq_tensor_is_present (t) && i < t->n; i++)
    if (t->data[i] > 0.0)
      return TRUE;
  return FALSE;
}

/* A discretized layer that can never fire makes the network useless, however well it fits:
 * with no positive weight (or no spikes coming in) and no positive bias, the membrane only
 * falls and never reaches a positive threshold. The layers after it get no events either. */
static void
check_alive (SqCheckReport   *report,
             const SqNetwork *network,
             const DynData   *d)
{
  gboolean input_fires = TRUE;

  for (guint i = 0; i < d->net->n_layers; i++)
    {
      const SqDynapcnnLayerParams *p = &d->net->layers[i].params;
      gboolean fires = (input_fires && any_positive (&p->weight)) || any_positive (&p->bias) ||
                       p->spike_threshold <= 0.0;
      SqCheckIssue *issue;
      guint g = G_MAXUINT;

      if (!fires)
        {
          sq_network_group_for_native (network, (int) (i * N_SLOTS + SLOT_WEIGHT), &g);
          _sq_check_report_add_issue (report, SQ_CHECK_DEAD, "dead-layer", (int) g,
                                      input_fires
                                      ? g_strdup_printf (_("layer %u can never fire: none of "
                                                           "its weights is positive after "
                                                           "discretization and no bias is"), i)
                                      : g_strdup_printf (_("layer %u can never fire: the layer "
                                                           "before it never does and none of "
                                                           "its biases is positive"), i));
          issue = g_ptr_array_index (report->issues, report->issues->len - 1);
          issue->headline = N_("A layer never fires");
        }
      input_fires = fires;
    }
}

static SqCheckReport *
dyn_check (const SqNetwork        *network,
           const SqNetworkResult  *result,
           const SqDeviceProfile  *device,
           GError                **error)
{
  const DynData *d = _sq_dynapcnn_data (network);
  SqCheckReport *report = _sq_check_report_new (device);
  g_autoptr(SqCnnPlacement) placement = NULL;

  if (device->n_cores == 0)
    {
      _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "device", -1,
                                  g_strdup_printf (_("a DynapCNN network runs on DynapCNN or "
                                                     "Speck chips, not on %s"), device->title));
      return report;
    }
  if (d->geometry == NULL)
    {
      _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "input-shape", -1,
                                  g_strdup (_("the network has no input_shape: the maps, and so "
                                              "the neuron memory each layer needs, are "
                                              "unknown")));
      return report;
    }
  placement = sq_cnn_place (device, d->shapes, d->net->n_layers);
  for (guint i = 0; i < placement->problems->len; i++)
    _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "placement", -1,
                                g_strdup (g_ptr_array_index (placement->problems, i)));
  if (!network->is_integer)
    _sq_check_report_add_issue (report, SQ_CHECK_NOTE, "float", -1,
                                g_strdup (_("the network is not discretized yet: its values "
                                            "are checked once it is")));
  else
    for (guint i = 0; i < d->net->n_layers; i++)
      {
        const SqDynapcnnLayerParams *p = &d->net->layers[i].params;
        guint g = G_MAXUINT;

        sq_network_group_for_native (network, (int) (i * N_SLOTS + SLOT_THRESHOLDS), &g);
        if (p->has_min_v_mem && (p->min_v_mem < -32768 || p->min_v_mem > 32767))
          _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "threshold-range", (int) g,
                                      g_strdup_printf (_("layer %u: min_v_mem %g is outside the "
                                                         "16-bit state (−32768 to 32767)"), i,
                                                       p->min_v_mem));
        if (p->spike_threshold > 32767)
          _sq_check_report_add_issue (report, SQ_CHECK_VIOLATION, "threshold-range", (int) g,
                                      g_strdup_printf (_("layer %u: spike_threshold %g is outside "
                                                         "the 16-bit state"), i,
                                                       p->spike_threshold));
      }
  if (network->is_integer)
    check_alive (report, network, d);
  for (guint i = 0; i < placement->n_layers && sq_cnn_placement_fits (placement); i++)
    {
      int core = placement->core[i];
      /* Translators: a core of the chip and the layer placed on it, "Core 3 · Layer 0" */
      g_autofree char *unit = g_strdup_printf (_("Core %d · Layer %u"), core, i);

      sq_check_report_add_resource (report, unit, N_("Kernel memory"),
                                    placement->memory[i].kernel, device->kernel_memory[core]);
      sq_check_report_add_resource (report, unit, N_("Neuron memory"),
                                    placement->memory[i].neuron, device->neuron_memory[core]);
      sq_check_report_add_resource (report, unit, N_("Bias memory"),
                                    placement->memory[i].bias, device->bias_memory[core]);
    }
  for (guint i = 0; i < placement->n_layers && sq_cnn_placement_fits (placement); i++)
    _sq_check_report_add_issue (report, SQ_CHECK_NOTE, "core", -1,
                                g_strdup_printf (_("layer %u on core %d: kernel memory %"
                                                   PRIu64 " of %u, neuron memory %" PRIu64
                                                   " of %u, biases %" PRIu64 " of %u"), i,
                                                 placement->core[i],
                                                 placement->memory[i].kernel,
                                                 device->kernel_memory[placement->core[i]],
                                                 placement->memory[i].neuron,
                                                 device->neuron_memory[placement->core[i]],
                                                 placement->memory[i].bias,
                                                 device->bias_memory[placement->core[i]]));
  return report;
}

static GPtrArray *
dyn_export (const SqNetwork        *network,
            const SqNetworkResult  *result,
            const SqDeviceProfile  *device,
            const SqFormatInfo     *format,
            const char             *path,
            const SqExportOptions  *options,
            GError                **error)
{
  const SqDynapcnnNet *net = _sq_dynapcnn_data (network)->net;
  GPtrArray *files;
  GString *text;

  if (!network->is_integer)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED,
                   _("%s is not discretized: discretize it first (synquant-cli discretize)"),
                   net->source);
      return NULL;
    }
  if (g_str_equal (format->name, "nir"))
    {
      GBytes *bytes = sq_dynapcnn_net_to_nir (net, error);

      if (bytes == NULL)
        return NULL;
      files = _sq_export_files_new ();
      _sq_export_add_file (files, path, bytes);
      return files;
    }
  if (g_str_equal (format->name, "dynapcnn-json"))
    text = sq_dynapcnn_config_to_json (net, device, error);
  else
    text = sq_dynapcnn_net_to_json (net);
  if (text == NULL)
    return NULL;
  files = _sq_export_files_new ();
  _sq_export_add_file (files, path, g_string_free_to_bytes (text));
  return files;
}

/* ---------------------------------------------------------------------------------------- */
/* The kind                                                                                  */

static const SqFormatInfo dyn_formats[] = {
  { "dynapcnn-json", N_("DynapCNN configuration"), "json", FALSE, FALSE },
  { "dynapcnn-layers", N_("DynapCNN layer file"), "json", FALSE, FALSE },
  { "nir", N_("NIR graph"), "nir", FALSE, FALSE },
};

static const char * const save_extensions[] = { "json", "npz", "nir", NULL };
static const char * const load_extensions[] = { "json", "npz", "nir", NULL };
static const char * const dyn_devices[] = { "dynapcnn", "speck2e", "speck2f", NULL };

static const char * const compare_presets[] = { "mode=synquant", "mode=sinabs", NULL };

static const SqKindView dyn_view = {
  .compare_presets = compare_presets,
  .save_name = "{mode}",
  .sections_by_layer = TRUE,
};

const SqNetworkKind _sq_dynapcnn_kind = {
  .name = "dynapcnn",
  .label = N_("DynapCNN network"),
  .options = dyn_options,
  .n_options = N_OPTS,
  .formats = dyn_formats,
  .n_formats = G_N_ELEMENTS (dyn_formats),
  .save_extensions = save_extensions,
  .load_extensions = load_extensions,
  .devices = dyn_devices,
  .role_labels = { [SQ_ROLE_STATE] = N_("Initial membranes") },
  .view = &dyn_view,

  .probe = dyn_probe,
  .load = dyn_load,
  .quantize = dyn_quantize,
  .group_errors = _sq_scaled_group_errors,
  .run = _sq_dynapcnn_run,
  .hints = _sq_dynapcnn_hints,
  .state_scale = _sq_dynapcnn_state_scale,
  .neuron_threshold = _sq_dynapcnn_neuron_threshold,
  .check = dyn_check,
  .export = dyn_export,
  .save = dyn_save,
  .write = dyn_write,
  .with_values = dyn_with_values,

  .describe = _sq_dynapcnn_describe,
  .describe_file = _sq_dynapcnn_describe_file,
  .summary = _sq_dynapcnn_summary,
  .report = _sq_dynapcnn_report,
};
