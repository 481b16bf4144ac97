/* sq-dynapcnn-kind-text.c: the DynapCNN kind's words — what `info` says about a network
 * and a NIR graph, the summary and the report of a discretization
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-dynapcnn-kind-private.h"
#include "sq-network-private.h"
#include "sq-private.h"


char *
_sq_dynapcnn_describe (const SqNetwork *network)
{
  const DynData *d = _sq_dynapcnn_data (network);
  const SqDynapcnnNet *net = d->net;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%s: DynapCNN network, %u layer",
                                          "%s: DynapCNN network, %u layers", net->n_layers),
                          net->source, net->n_layers);
  if (net->has_input_shape)
    g_string_append_printf (s, _(", input %zu × %zu × %zu"), net->input_shape[0],
                            net->input_shape[1], net->input_shape[2]);
  g_string_append_printf (s, "%s\n", network->is_integer ? _(", discretized") : "");
  for (guint i = 0; i < net->n_layers; i++)
    {
      const SqDynapcnnNetLayer *l = &net->layers[i];
      const SqTensor *w = &l->params.weight;

      g_string_append_printf (s, _("  layer %u: %zu → %zu channels, %zu × %zu kernel, stride "
                                   "%u × %u, padding %u × %u, pooling %u"), i, w->shape[1],
                              w->shape[0], w->shape[2], w->shape[3], l->stride_y, l->stride_x,
                              l->pad_y, l->pad_x, l->pool);
      if (d->geometry != NULL)
        g_string_append_printf (s, _(", output %zu × %zu × %zu"), d->geometry[i].pooled[0],
                                d->geometry[i].pooled[1], d->geometry[i].pooled[2]);
      g_string_append_c (s, '\n');
    }
  for (guint i = 0; i < network->notes->len; i++)
    g_string_append_printf (s, _("  note: %s\n"), (const char *) network->notes->pdata[i]);
  return g_string_free (s, FALSE);
}

/* What `info` adds about a NIR graph: how it maps to DynapCNN layers, or why not. The Xylo
 * kind describes the graph itself. */
char *
_sq_dynapcnn_describe_file (const char           *path,
                            const SqLoadOptions  *options,
                            GError              **error)
{
  g_autoptr(SqNirGraph) graph = NULL;
  g_autoptr(SqDynapcnnNet) net = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  GString *s;

  if (!_sq_path_has_extension (path, "nir"))
    return NULL;
  graph = sq_nir_graph_load (path, error);
  if (graph == NULL)
    return NULL;
  net = sq_nir_map_to_dynapcnn (graph, &notes, &local);
  if (net == NULL)
    return g_strdup_printf (_("DynapCNN mapping: %s\n"), local->message);
  s = g_string_new (NULL);
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "DynapCNN mapping: %u layer",
                                          "DynapCNN mapping: %u layers", net->n_layers),
                          net->n_layers);
  if (net->has_input_shape)
    g_string_append_printf (s, _(", input %zu × %zu × %zu"), net->input_shape[0],
                            net->input_shape[1], net->input_shape[2]);
  g_string_append_c (s, '\n');
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    g_string_append_printf (s, _("  note: %s\n"), (const char *) notes->pdata[i]);
  return g_string_free (s, FALSE);
}

static const char *
bound_name (SqScaleBound bound)
{
  static const char * const names[] = { "weights", "bias", "thresholds", "state" };

  return names[bound];
}

char *
_sq_dynapcnn_summary (const SqNetworkResult *result)
{
  const DynResult *dr = result->data;
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, _("mode %s\n"), result->mode_used);
  for (guint i = 0; i < dr->reports->len; i++)
    {
      const SqDynapcnnLayerReport *r = &g_array_index (dr->reports, SqDynapcnnLayerReport, i);
      g_autofree char *zeroed = sq_zeroed_text (r->n_weights_zeroed, r->n_weights_nonzero);

      g_string_append_printf (s, _("  layer %u: scale %.7g (%s), SQNR %.1f dB, zeroed %s, "
                                   "threshold %g → %d"), i, (double) r->scale,
                              sq_label (_sq_dynapcnn_bound_labels[r->bound]), r->weight_sqnr_db, zeroed,
                              r->threshold_before, r->threshold_after);
      if (r->has_min_v_mem_before)
        g_string_append_printf (s, _(", min_v_mem %g → %d\n"), r->min_v_mem_before,
                                r->min_v_mem_after);
      else
        g_string_append_printf (s, _(", min_v_mem none → %d\n"), r->min_v_mem_after);
    }
  for (guint i = 0; i < result->diagnostics->len; i++)
    g_string_append_printf (s, _("warning: %s\n"),
                            ((SqDiagnostic *) g_ptr_array_index (result->diagnostics,
                                                                 i))->message);
  return g_string_free (s, FALSE);
}

/* The generic report, each layer's figures with what discretizing did to it. */
JsonNode *
_sq_dynapcnn_report (const SqNetworkResult *result,
            const char            *source)
{
  const DynResult *dr = result->data;
  JsonNode *root = _sq_network_report_generic (result, source);
  JsonObject *layers = json_object_get_object_member (json_node_get_object (root), "layers");

  for (guint i = 0; i < dr->reports->len; i++)
    {
      const SqDynapcnnLayerReport *r = &g_array_index (dr->reports, SqDynapcnnLayerReport, i);
      JsonObject *o = json_object_get_object_member (
        layers, sq_network_get_layer (result->network, i)->id);

      json_object_set_double_member (o, "scale", (double) r->scale);
      json_object_set_string_member (o, "scale_set_by", bound_name (r->bound));
      if (isfinite (r->weight_sqnr_db))
        json_object_set_double_member (o, "weight_sqnr_db", r->weight_sqnr_db);
      else
        json_object_set_null_member (o, "weight_sqnr_db");
      json_object_set_double_member (o, "threshold_before", r->threshold_before);
      json_object_set_int_member (o, "threshold_after", r->threshold_after);
      if (r->has_min_v_mem_before)
        json_object_set_double_member (o, "min_v_mem_before", r->min_v_mem_before);
      else
        json_object_set_null_member (o, "min_v_mem_before");
      json_object_set_int_member (o, "min_v_mem_after", r->min_v_mem_after);
    }
  return root;
}

