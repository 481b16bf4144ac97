/* sq-network.c: a network of any kind — its groups and layers, loading by extension and
 * content, and the verbs that take what an export writes: check, export, save
 *
 * Every verb checks here what is the same for every kind (a format the kind offers,
 * writing files atomically) and hands the rest to the kind. The registry of kinds is in
 * sq-network-kind.c, quantization results in sq-network-result.c, settings in
 * sq-quant-settings.c, simulation in sq-network-sim.c, the text the CLI prints in
 * sq-network-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Networks                                                                                  */

/* A group's statistics, made once by the first thread that asks. */
typedef struct {
  gsize   once;
  SqStats stats;
} GroupStats;

static void
network_free (SqNetwork *n)
{
  if (n->free_data != NULL)
    n->free_data (n->data);
  g_free (n->source);
  g_free (n->path);
  g_array_unref (n->groups);
  g_array_unref (n->layers);
  g_array_unref (n->hidden_layers);
  g_ptr_array_unref (n->warnings);
  g_ptr_array_unref (n->notes);
  g_ptr_array_unref (n->diagnostics);
  g_array_unref (n->group_stats);
  g_free (n);
}

/**
 * sq_network_new:
 * @data: (transfer full): the kind's own representation
 * @free_data: (nullable): frees @data with the network
 *
 * A network without groups, for a kind's loader to fill.
 */
SqNetwork *
sq_network_new (const SqNetworkKind *kind,
                gpointer             data,
                GDestroyNotify       free_data)
{
  SqNetwork *n = g_new0 (SqNetwork, 1);

  g_atomic_ref_count_init (&n->ref_count);
  n->kind = kind;
  n->groups = g_array_new (FALSE, TRUE, sizeof (SqGroup));
  n->layers = g_array_new (FALSE, TRUE, sizeof (SqLayerInfo));
  n->hidden_layers = g_array_new (FALSE, TRUE, sizeof (SqNeuronBlock));
  n->default_group = G_MAXUINT;
  n->warnings = g_ptr_array_new_with_free_func (g_free);
  n->notes = g_ptr_array_new_with_free_func (g_free);
  n->diagnostics = _sq_diagnostics_new ();
  n->group_stats = g_array_new (FALSE, TRUE, sizeof (GroupStats));
  n->data = data;
  n->free_data = free_data;
  return n;
}

void
sq_network_add_group (SqNetwork     *network,
                      const SqGroup *group)
{
  g_return_if_fail (group->values != NULL && group->layer < network->layers->len);
  g_array_append_val (network->groups, *group);
  g_array_set_size (network->group_stats, network->groups->len);
}

void
sq_network_add_layer (SqNetwork         *network,
                      const SqLayerInfo *layer)
{
  g_array_append_val (network->layers, *layer);
}

void
sq_network_add_hidden_layer (SqNetwork  *network,
                             const char *label,
                             gsize       n)
{
  SqNeuronBlock b = { label, 0, n };
  GArray *blocks = network->hidden_layers;

  if (blocks->len > 0)
    {
      const SqNeuronBlock *last = &g_array_index (blocks, SqNeuronBlock, blocks->len - 1);

      b.first = last->first + last->n;
    }
  g_array_append_val (blocks, b);
}

/**
 * sq_network_hidden_layers:
 *
 * Returns: (transfer full) (element-type SqNeuronBlock): the kind's hidden layers, else one
 *   of every hidden neuron; empty without hidden neurons
 */
GArray *
sq_network_hidden_layers (const SqNetwork *network)
{
  GArray *blocks = g_array_new (FALSE, TRUE, sizeof (SqNeuronBlock));

  g_return_val_if_fail (network != NULL, blocks);
  if (network->hidden_layers->len > 0)
    g_array_append_vals (blocks, network->hidden_layers->data, network->hidden_layers->len);
  else if (network->n_hidden > 0)
    {
      SqNeuronBlock all = { N_("Hidden layer"), 0, network->n_hidden };

      g_array_append_val (blocks, all);
    }
  return blocks;
}

SqNetwork *
sq_network_ref (SqNetwork *network)
{
  g_return_val_if_fail (network != NULL, NULL);
  g_atomic_ref_count_inc (&network->ref_count);
  return network;
}

void
sq_network_unref (SqNetwork *network)
{
  if (network != NULL && g_atomic_ref_count_dec (&network->ref_count))
    network_free (network);
}

/**
 * sq_network_load:
 * @options: (nullable): the defaults for %NULL
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call): called from this thread while a long load runs
 *
 * Reads a network of any kind: the kind @options names, else the one whose extension
 * @path has (the one whose probe recognises the content first, when several have it, and
 * the next when a NIR graph does not map to one), else the one whose probe recognises the
 * content, else the first.
 *
 * Returns: (transfer full): the network, or %NULL with @error set
 */
SqNetwork *
sq_network_load (const char           *path,
                 const SqLoadOptions  *options,
                 GCancellable         *cancellable,
                 SqProgressFunc        progress,
                 gpointer              progress_data,
                 GError              **error)
{
  const SqLoadOptions defaults = { { 0, }, FALSE, NULL };
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) first = NULL;
  SqNetwork *network = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  if (options == NULL)
    options = &defaults;
  candidates = _sq_network_kind_candidates (path, options);
  if (candidates->len == 0)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNKNOWN_FORMAT,
                   _("%s: no kind of network is known"), path);
      return NULL;
    }
  /* A NIR graph that one kind cannot map may be another's (a CNN is no Xylo network): the
   * next kind tries, and when none can, the message says why for each. */
  for (guint i = 0; i < candidates->len && network == NULL; i++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (candidates, i);
      g_autoptr(GError) local = NULL;
      gboolean unmappable;

      network = kind->load (path, options, cancellable, progress, progress_data, &local);
      if (network != NULL)
        break;
      unmappable = g_error_matches (local, SQ_NIR_ERROR, SQ_NIR_ERROR_UNMAPPABLE);
      if (first == NULL)
        first = g_steal_pointer (&local);
      else
        {
          char *both = g_strconcat (first->message, "\n", local->message, NULL);

          g_free (first->message);
          first->message = both;
          /* A kind that could map the graph with more (a time step) says what it needs:
           * the window asks for it by the error's code. */
          first->domain = local->domain;
          first->code = local->code;
        }
      if (!unmappable)
        break;
    }
  if (network == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return NULL;
    }
  if (network->path == NULL)
    network->path = g_strdup (path);
  if (network->source == NULL)
    network->source = g_filename_display_basename (path);
  return network;
}

guint
sq_network_n_groups (const SqNetwork *network)
{
  return network->groups->len;
}

const SqGroup *
sq_network_get_group (const SqNetwork *network,
                      guint            i)
{
  g_return_val_if_fail (i < network->groups->len, NULL);
  return &g_array_index (network->groups, SqGroup, i);
}

/**
 * sq_network_group_stats:
 *
 * The statistics of group @i's values (its range, non-zero values), computed when first
 * asked for: loading and quantizing leave the pass over every value to the views that show
 * it. Safe from any thread; the pointer lives as long as @network.
 */
const SqStats *
sq_network_group_stats (const SqNetwork *network,
                        guint            i)
{
  GroupStats *s;

  g_return_val_if_fail (i < network->groups->len, NULL);
  s = &g_array_index (network->group_stats, GroupStats, i);
  if (g_once_init_enter (&s->once))
    {
      sq_tensor_stats (sq_network_get_group (network, i)->values, &s->stats);
      g_once_init_leave (&s->once, 1);
    }
  return &s->stats;
}

void
_sq_network_forget_stats (SqNetwork *network)
{
  memset (network->group_stats->data, 0, network->group_stats->len * sizeof (GroupStats));
}

gboolean
sq_network_find_group (const SqNetwork *network,
                       const char      *id,
                       guint           *i)
{
  for (guint g = 0; g < network->groups->len; g++)
    if (g_str_equal (sq_network_get_group (network, g)->id, id))
      {
        if (i != NULL)
          *i = g;
        return TRUE;
      }
  return FALSE;
}

gboolean
sq_network_group_for_native (const SqNetwork *network,
                             int              native,
                             guint           *i)
{
  for (guint g = 0; native >= 0 && g < network->groups->len; g++)
    if (sq_network_get_group (network, g)->native == native)
      {
        if (i != NULL)
          *i = g;
        return TRUE;
      }
  return FALSE;
}

/* The group a new view shows first: the kind's choice, else the largest weight group. */
guint
sq_network_default_group (const SqNetwork *network)
{
  guint best = 0;
  gsize most = 0;

  if (network->default_group < network->groups->len)
    return network->default_group;
  for (guint g = 0; g < network->groups->len; g++)
    {
      const SqGroup *group = sq_network_get_group (network, g);

      if (group->role == SQ_ROLE_WEIGHTS && group->values->n > most)
        {
          most = group->values->n;
          best = g;
        }
    }
  return best;
}

guint
sq_network_n_layers (const SqNetwork *network)
{
  return network->layers->len;
}

const SqLayerInfo *
sq_network_get_layer (const SqNetwork *network,
                      guint            layer)
{
  g_return_val_if_fail (layer < network->layers->len, NULL);
  return &g_array_index (network->layers, SqLayerInfo, layer);
}

double
sq_network_neuron_threshold (const SqNetwork *network,
                             gboolean         output,
                             gsize            index)
{
  if (network->kind->neuron_threshold == NULL)
    return NAN;
  return network->kind->neuron_threshold (network, output, index);
}

/* Copies of @diagnostics with their `param` (the kind's own index) turned into a group
 * index of @network, for a kind's loader and quantizer. */
void
_sq_network_add_diagnostics (const SqNetwork *network,
                             GPtrArray       *to,
                             GPtrArray       *diagnostics)
{
  for (guint i = 0; i < diagnostics->len; i++)
    {
      const SqDiagnostic *d = g_ptr_array_index (diagnostics, i);
      guint g;
      int param = sq_network_group_for_native (network, d->param, &g) ? (int) g : -1;

      _sq_diagnostics_add (to, d->kind, param, d->count, "%s", d->message);
    }
}

/**
 * sq_network_with_values:
 * @network: a network
 * @values: (array): one entry per group of @network: the new values, or %NULL to keep the
 *   group's
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the new float network, or %NULL with @error set
 */
SqNetwork *
sq_network_with_values (const SqNetwork        *network,
                        const SqTensor * const *values,
                        GError                **error)
{
  g_return_val_if_fail (network != NULL && values != NULL, NULL);
  for (guint i = 0; i < network->groups->len; i++)
    {
      const SqGroup *g = sq_network_get_group (network, i);

      g_return_val_if_fail (values[i] == NULL || values[i]->n == g->values->n, NULL);
    }
  if (network->kind->with_values == NULL)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED,
                   _("%s: a %s cannot take new parameter values"),
                   network->source ? network->source : "", sq_label (network->kind->label));
      return NULL;
    }
  return network->kind->with_values (network, values, error);
}

gboolean
sq_network_write (const SqNetwork  *network,
                  const char       *path,
                  GError          **error)
{
  const SqNetworkKind *kind;
  const char *extension;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize length;

  g_return_val_if_fail (network != NULL && path != NULL, FALSE);
  kind = network->kind;
  if (kind->write == NULL || kind->save_extensions == NULL || kind->save_extensions[0] == NULL)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED,
                   _("a %s cannot be saved"), sq_label (kind->label));
      return FALSE;
    }
  extension = kind->save_extensions[0];
  for (guint i = 0; kind->save_extensions[i]; i++)
    if (_sq_path_has_extension (path, kind->save_extensions[i]))
      extension = kind->save_extensions[i];
  bytes = kind->write (network, extension, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return sq_file_write_atomic (path, data, length, error);
}

/* ---------------------------------------------------------------------------------------- */
/* Check, export, save                                                                       */

const SqNetwork *
sq_network_exported (const SqNetwork       *network,
                     const SqNetworkResult *result)
{
  g_return_val_if_fail (result == NULL || result->network == network, network);
  if (network->is_integer || result == NULL)
    return network;
  return result->quantized;
}

/**
 * sq_network_check:
 * @result: (nullable): @network's quantization
 *
 * Checks what an export would write (sq_network_exported()) against @device, as
 * `synquant-cli check` and the window do. The issues' `param` is a group index.
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
SqCheckReport *
sq_network_check (const SqNetwork       *network,
                  const SqNetworkResult *result,
                  const SqDeviceProfile *device,
                  GError               **error)
{
  const SqNetwork *target;

  g_return_val_if_fail (network != NULL && device != NULL, NULL);
  target = sq_network_exported (network, result);
  return network->kind->check (target, target == network ? NULL : result, device, error);
}

/* The export's files of the network that sq_network_exported() names, and its format. */
static GPtrArray *
export_build (const SqNetwork        *network,
              const SqNetworkResult  *result,
              const SqDeviceProfile  *device,
              const char             *format_name,
              const char             *path,
              const SqExportOptions  *options,
              const SqFormatInfo    **format,
              GError                **error)
{
  const SqNetwork *target;

  g_return_val_if_fail (network != NULL && device != NULL && path != NULL, NULL);
  *format = sq_network_kind_format (network->kind, format_name);
  if (*format == NULL)
    {
      g_autofree char *names = sq_network_kind_format_names (network->kind);

      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_FORMAT,
                   _("unknown format “%s”; use one of %s"), format_name, names);
      return NULL;
    }
  target = sq_network_exported (network, result);
  return network->kind->export (target, target == network ? NULL : result, device, *format,
                                path, options, error);
}

/**
 * sq_network_export_build:
 * @result: (nullable): @network's quantization; needed for a float @network
 * @options: (nullable)
 *
 * Returns: (transfer full) (element-type SqExportFile): the files, or %NULL with @error set
 */
GPtrArray *
sq_network_export_build (const SqNetwork       *network,
                         const SqNetworkResult *result,
                         const SqDeviceProfile *device,
                         const char            *format,
                         const char            *path,
                         const SqExportOptions *options,
                         GError               **error)
{
  const SqFormatInfo *info;

  return export_build (network, result, device, format, path, options, &info, error);
}

/**
 * sq_network_export:
 * @result: (nullable): @network's quantization; needed for a float @network
 * @format: the name of one of the kind's formats
 * @options: (nullable)
 *
 * Writes what sq_network_exported() names in @format, every file or none.
 */
gboolean
sq_network_export (const SqNetwork       *network,
                   const SqNetworkResult *result,
                   const SqDeviceProfile *device,
                   const char            *format,
                   const char            *path,
                   const SqExportOptions *options,
                   GError               **error)
{
  const SqFormatInfo *info;
  g_autoptr(GPtrArray) files = export_build (network, result, device, format, path, options,
                                             &info, error);

  return files != NULL && _sq_export_write_files (files, info->is_directory, path, error);
}

GBytes *
sq_network_save_bytes (const SqNetworkResult *result,
                       const char            *path,
                       GError               **error)
{
  const SqNetworkKind *kind;
  const char *extension;

  g_return_val_if_fail (result != NULL && path != NULL, NULL);
  kind = result->network->kind;
  if (kind->save == NULL || kind->save_extensions == NULL || kind->save_extensions[0] == NULL)
    {
      g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNSUPPORTED,
                   _("a %s cannot be saved"), sq_label (kind->label));
      return NULL;
    }
  /* A name without one of the kind's extensions gets its first format (Xylo: JSON). */
  extension = kind->save_extensions[0];
  for (guint i = 0; kind->save_extensions[i]; i++)
    if (_sq_path_has_extension (path, kind->save_extensions[i]))
      extension = kind->save_extensions[i];
  return kind->save (result, extension, error);
}

gboolean
sq_network_save (const SqNetworkResult *result,
                 const char            *path,
                 GError               **error)
{
  g_autoptr(GBytes) bytes = sq_network_save_bytes (result, path, error);
  gsize length;
  const char *data;

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return sq_file_write_atomic (path, data, length, error);
}
