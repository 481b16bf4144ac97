/* sq-network.c: the network model — the registry of kinds, networks, results, and the
 * generic verbs (quantize, check, export, save)
 *
 * Every verb checks here what is the same for every kind (a format the kind offers, a
 * device it targets, writing files atomically, the error histogram over any group) and
 * hands the rest to the kind. Settings live in sq-quant-settings.c, simulation in
 * sq-network-sim.c, the text the CLI prints in sq-network-text.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "synquant.h"
#include "sq-diagnostic-private.h"
#include "sq-network-private.h"
#include "sq-private.h"

G_DEFINE_QUARK (sq-network-error-quark, sq_network_error)

/* ---------------------------------------------------------------------------------------- */
/* Labels                                                                                    */

/* The translation of an N_() marked label of the core. */
const char *
sq_label (const char *label)
{
  return label != NULL ? g_dgettext (GETTEXT_PACKAGE, label) : NULL;
}

const char *
sq_role_to_string (SqRole role)
{
  static const char * const names[SQ_N_ROLES] = {
    "weights", "threshold", "bias", "decay", "state",
  };

  g_return_val_if_fail ((guint) role < SQ_N_ROLES, NULL);
  return names[role];
}

const char *
sq_role_label (const SqNetworkKind *kind,
               SqRole               role)
{
  static const char * const labels[SQ_N_ROLES] = {
    N_("Weights"), N_("Thresholds"), N_("Biases"), N_("Decays"), N_("States"),
  };

  g_return_val_if_fail ((guint) role < SQ_N_ROLES, NULL);
  if (kind != NULL && kind->role_labels[role] != NULL)
    return sq_label (kind->role_labels[role]);
  return sq_label (labels[role]);
}

/* "a, b or c" */
char *
_sq_join_or (const char * const *items,
             guint               n)
{
  g_autoptr(GString) head = g_string_new (NULL);

  if (n == 0)
    return g_strdup ("");
  if (n == 1)
    return g_strdup (items[0]);
  for (guint i = 0; i + 1 < n; i++)
    g_string_append_printf (head, "%s%s", i ? ", " : "", items[i]);
  /* TRANSLATORS: the last two of a list of names: "global or channel" */
  return g_strdup_printf (_("%s or %s"), head->str, items[n - 1]);
}

/* Whether @path ends in "." @extension, in any case. */
gboolean
_sq_path_has_extension (const char *path,
                        const char *extension)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *suffix = g_strconcat (".", extension, NULL);
  g_autofree char *lower_suffix = g_ascii_strdown (suffix, -1);

  return g_str_has_suffix (lower, lower_suffix);
}

/* ---------------------------------------------------------------------------------------- */
/* The registry                                                                              */

static GMutex registry_lock;

/* The registered kinds, Xylo first: it is registered on first use, before any other. Call
 * with the lock held. */
static GPtrArray *
registry (void)
{
  static GPtrArray *kinds;

  if (kinds == NULL)
    {
      kinds = g_ptr_array_new ();
      g_ptr_array_add (kinds, (gpointer) &_sq_xylo_kind);
    }
  return kinds;
}

/**
 * sq_network_kind_register:
 * @kind: (transfer none): a static kind; registering it again does nothing
 *
 * Adds a kind to those sq_network_load() reads and the window offers.
 */
void
sq_network_kind_register (const SqNetworkKind *kind)
{
  g_return_if_fail (kind != NULL && kind->name != NULL && kind->load != NULL);
  g_return_if_fail (kind->n_options <= SQ_MAX_OPTIONS);

  g_mutex_lock (&registry_lock);
  if (!g_ptr_array_find (registry (), kind, NULL))
    g_ptr_array_add (registry (), (gpointer) kind);
  g_mutex_unlock (&registry_lock);
}

GPtrArray *
sq_network_kinds (void)
{
  GPtrArray *copy;

  g_mutex_lock (&registry_lock);
  copy = g_ptr_array_copy (registry (), NULL, NULL);
  g_mutex_unlock (&registry_lock);
  return copy;
}

const SqNetworkKind *
sq_network_kind_lookup (const char *name)
{
  g_autoptr(GPtrArray) kinds = sq_network_kinds ();

  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; i < kinds->len; i++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (kinds, i);

      if (g_str_equal (kind->name, name))
        return kind;
    }
  return NULL;
}

/* The first bytes of @path, for the kinds' probes; 0 when it cannot be read (the loader
 * then says why). */
static gsize
read_head (const char *path,
           guint8     *head,
           gsize       size)
{
  FILE *f = g_fopen (path, "rb");
  gsize n;

  if (f == NULL)
    return 0;
  n = fread (head, 1, size, f);
  fclose (f);
  return n;
}

const SqNetworkKind *
sq_network_kind_for_path (const char           *path,
                          const SqLoadOptions  *options,
                          GError              **error)
{
  g_autoptr(GPtrArray) kinds = sq_network_kinds ();
  guint8 head[512];
  gsize head_len;

  g_return_val_if_fail (path != NULL, NULL);
  if (options != NULL && options->kind != NULL)
    return options->kind;

  for (guint i = 0; i < kinds->len; i++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (kinds, i);

      for (guint e = 0; kind->load_extensions && kind->load_extensions[e]; e++)
        if (_sq_path_has_extension (path, kind->load_extensions[e]))
          return kind;
    }

  head_len = read_head (path, head, sizeof head);
  for (guint i = 0; head_len > 0 && i < kinds->len; i++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (kinds, i);

      if (kind->probe != NULL && kind->probe (path, head, head_len))
        return kind;
    }

  /* JSON of any name is what Synquant has always read: the first kind's loader says what
   * is wrong with a file nobody recognises. */
  if (kinds->len > 0)
    return g_ptr_array_index (kinds, 0);
  g_set_error (error, SQ_NETWORK_ERROR, SQ_NETWORK_ERROR_UNKNOWN_FORMAT,
               _("%s: no kind of network is known"), path);
  return NULL;
}

const SqOption *
sq_network_kind_option (const SqNetworkKind *kind,
                        const char          *id)
{
  g_return_val_if_fail (kind != NULL && id != NULL, NULL);
  for (guint i = 0; i < kind->n_options; i++)
    if (g_str_equal (kind->options[i].id, id))
      return &kind->options[i];
  return NULL;
}

const SqFormatInfo *
sq_network_kind_format (const SqNetworkKind *kind,
                        const char          *name)
{
  g_return_val_if_fail (kind != NULL && name != NULL, NULL);
  for (guint i = 0; i < kind->n_formats; i++)
    if (g_str_equal (kind->formats[i].name, name))
      return &kind->formats[i];
  return NULL;
}

char *
sq_network_kind_format_names (const SqNetworkKind *kind)
{
  g_autoptr(GPtrArray) kinds = kind ? g_ptr_array_new () : sq_network_kinds ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *s = g_string_new (NULL);

  if (kind != NULL)
    g_ptr_array_add (kinds, (gpointer) kind);
  for (guint k = 0; k < kinds->len; k++)
    {
      const SqNetworkKind *kd = g_ptr_array_index (kinds, k);

      for (guint i = 0; i < kd->n_formats; i++)
        if (!g_ptr_array_find_with_equal_func (names, kd->formats[i].name, g_str_equal, NULL))
          g_ptr_array_add (names, (gpointer) kd->formats[i].name);
    }
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", (const char *) names->pdata[i]);
  return g_string_free (s, FALSE);
}

GPtrArray *
sq_network_kind_devices (const SqNetworkKind *kind)
{
  GPtrArray *devices = g_ptr_array_new ();

  g_return_val_if_fail (kind != NULL, devices);
  for (guint i = 0; kind->devices && kind->devices[i]; i++)
    {
      const SqDeviceProfile *p = sq_device_profile_lookup (kind->devices[i]);

      if (p != NULL)
        g_ptr_array_add (devices, (gpointer) p);
    }
  return devices;
}

char *
sq_network_kind_device_names (const SqNetworkKind *kind)
{
  guint n = 0;

  g_return_val_if_fail (kind != NULL, NULL);
  while (kind->devices && kind->devices[n])
    n++;
  return _sq_join_or (kind->devices, n);
}

const SqDeviceProfile *
sq_network_kind_device (const SqNetworkKind *kind,
                        const char          *name)
{
  const SqDeviceProfile *p;

  g_return_val_if_fail (kind != NULL && name != NULL, NULL);
  p = sq_device_profile_lookup (name);
  for (guint i = 0; p != NULL && kind->devices && kind->devices[i]; i++)
    if (g_str_equal (kind->devices[i], p->name))
      return p;
  return NULL;
}

gboolean
sq_network_kind_can_save (const SqNetworkKind *kind,
                          const char          *path)
{
  g_return_val_if_fail (kind != NULL && path != NULL, FALSE);
  for (guint i = 0; kind->save_extensions && kind->save_extensions[i]; i++)
    if (_sq_path_has_extension (path, kind->save_extensions[i]))
      return TRUE;
  return FALSE;
}

/* ---------------------------------------------------------------------------------------- */
/* Networks                                                                                  */

static void
network_clear (gpointer data)
{
  SqNetwork *n = data;

  if (n->free_data != NULL)
    n->free_data (n->data);
  g_free (n->source);
  g_free (n->path);
  g_array_unref (n->groups);
  g_array_unref (n->layers);
  g_ptr_array_unref (n->warnings);
  g_ptr_array_unref (n->notes);
  g_ptr_array_unref (n->diagnostics);
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
  SqNetwork *n = g_atomic_rc_box_new0 (SqNetwork);

  n->kind = kind;
  n->groups = g_array_new (FALSE, TRUE, sizeof (SqGroup));
  n->layers = g_array_new (FALSE, TRUE, sizeof (SqLayerInfo));
  n->default_group = G_MAXUINT;
  n->warnings = g_ptr_array_new_with_free_func (g_free);
  n->notes = g_ptr_array_new_with_free_func (g_free);
  n->diagnostics = sq_diagnostics_new ();
  n->data = data;
  n->free_data = free_data;
  return n;
}

void
sq_network_add_group (SqNetwork     *network,
                      const SqGroup *group)
{
  SqGroup g = *group;

  g_return_if_fail (group->values != NULL && group->layer < network->layers->len);
  sq_tensor_stats (g.values, &g.stats);
  g_array_append_val (network->groups, g);
}

void
sq_network_add_layer (SqNetwork         *network,
                      const SqLayerInfo *layer)
{
  g_array_append_val (network->layers, *layer);
}

SqNetwork *
sq_network_ref (SqNetwork *network)
{
  g_return_val_if_fail (network != NULL, NULL);
  return g_atomic_rc_box_acquire (network);
}

void
sq_network_unref (SqNetwork *network)
{
  if (network != NULL)
    g_atomic_rc_box_release_full (network, network_clear);
}

/**
 * sq_network_load:
 * @options: (nullable): the defaults for %NULL
 * @cancellable: (nullable)
 * @progress: (nullable) (scope call): called from this thread while a long load runs
 *
 * Reads a network of any kind: the kind @options names, else the one whose extension
 * @path has, else the one whose probe recognises the content, else the first.
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
  const SqNetworkKind *kind;
  SqNetwork *network;

  g_return_val_if_fail (path != NULL, NULL);
  if (options == NULL)
    options = &defaults;
  kind = sq_network_kind_for_path (path, options, error);
  if (kind == NULL)
    return NULL;
  network = kind->load (path, options, cancellable, progress, progress_data, error);
  if (network == NULL)
    return NULL;
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

      sq_diagnostics_add (to, d->kind, param, d->count, "%s", d->message);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                   */

static void
group_result_clear (gpointer data)
{
  SqGroupResult *g = data;

  g_clear_pointer (&g->markers, g_array_unref);
  g_clear_pointer (&g->channel_clip, g_free);
}

static void
result_clear (gpointer data)
{
  SqNetworkResult *r = data;

  if (r->free_data != NULL)
    r->free_data (r->data);
  sq_network_unref (r->network);
  sq_network_unref (r->quantized);
  g_array_unref (r->groups);
  g_free (r->layers);
  g_ptr_array_unref (r->diagnostics);
}

/**
 * sq_network_result_new:
 * @data: (transfer full): the kind's own result
 *
 * An empty result of quantizing @network, for a kind's quantizer to fill: one
 * #SqLayerResult per layer (zeroed), no groups yet, @in_range set.
 */
SqNetworkResult *
sq_network_result_new (SqNetwork             *network,
                       const SqQuantSettings *settings,
                       gpointer               data,
                       GDestroyNotify         free_data)
{
  SqNetworkResult *r = g_atomic_rc_box_new0 (SqNetworkResult);

  r->network = sq_network_ref (network);
  r->settings = *settings;
  r->groups = g_array_new (FALSE, TRUE, sizeof (SqGroupResult));
  g_array_set_clear_func (r->groups, group_result_clear);
  r->layers = g_new0 (SqLayerResult, MAX (network->layers->len, 1));
  r->in_range = TRUE;
  r->diagnostics = sq_diagnostics_new ();
  r->data = data;
  r->free_data = free_data;
  return r;
}

SqNetworkResult *
sq_network_result_ref (SqNetworkResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return g_atomic_rc_box_acquire (result);
}

void
sq_network_result_unref (SqNetworkResult *result)
{
  if (result != NULL)
    g_atomic_rc_box_release_full (result, result_clear);
}

double
sq_quant_figures_mse (const SqQuantFigures *figures)
{
  return figures->n_values ? figures->noise / (double) figures->n_values : 0.0;
}

double
sq_quant_figures_sqnr_db (const SqQuantFigures *figures)
{
  if (!(figures->noise > 0.0))
    return INFINITY;
  return 10.0 * log10 (figures->signal / figures->noise);
}

/**
 * sq_network_quantize:
 * @settings: settings of @network's kind
 * @cancellable: (nullable)
 *
 * Quantizes @network with the kind's method: a result with every group's integers, scales,
 * clip points and figures. May run in any thread.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
SqNetworkResult *
sq_network_quantize (SqNetwork             *network,
                     const SqQuantSettings *settings,
                     GCancellable          *cancellable,
                     GError               **error)
{
  gint64 t0 = g_get_monotonic_time ();
  SqNetworkResult *r;

  g_return_val_if_fail (network != NULL && settings != NULL, NULL);
  g_return_val_if_fail (settings->kind == network->kind, NULL);

  if (!sq_quant_settings_check (settings, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  r = network->kind->quantize (network, settings, cancellable, error);
  if (r != NULL)
    r->compute_usec = g_get_monotonic_time () - t0;
  return r;
}

const SqGroupResult *
sq_network_result_get_group (const SqNetworkResult *result,
                             guint                  group)
{
  g_return_val_if_fail (group < result->groups->len, NULL);
  return &g_array_index (result->groups, SqGroupResult, group);
}

gboolean
sq_network_result_group_errors (const SqNetworkResult *result,
                                guint                  group,
                                gsize                  first,
                                gsize                  n,
                                double                *errors,
                                GError               **error)
{
  const SqGroup *g;

  g_return_val_if_fail (group < result->network->groups->len, FALSE);
  g = sq_network_get_group (result->network, group);
  g_return_val_if_fail (first <= g->values->n && n <= g->values->n - first, FALSE);
  return result->network->kind->group_errors (result, group, first, n, errors, error);
}

/* Errors are made in blocks this size on the stack: the histogram of 2 M errors needs no
 * 16 MB buffer, and no page faults. */
#define ERROR_BLOCK 2048

/**
 * sq_network_result_error_histogram:
 * @n_bins: bins of @hist, at least 1
 * @hist: (out caller-allocates): clear it with sq_histogram_clear()
 * @stats: (out caller-allocates) (optional): the statistics of the errors
 *
 * The histogram of dequantized − float over @group, made without storing the errors: over
 * [−E, E], E the group's error bound when the kind knows one (one pass), else the largest
 * error (two passes).
 */
gboolean
sq_network_result_error_histogram (const SqNetworkResult *result,
                                   guint                  group,
                                   guint                  n_bins,
                                   SqHistogram           *hist,
                                   SqStats               *stats,
                                   GError               **error)
{
  const SqGroupResult *gr = sq_network_result_get_group (result, group);
  gsize n_values = sq_network_get_group (result->network, group)->values->n;
  double block[ERROR_BLOCK], e = gr->error_bound;
  SqStats st;

  memset (hist, 0, sizeof *hist);
  sq_stats_init (&st);
  if (isnan (e))
    {
      for (gsize i = 0; i < n_values; i += ERROR_BLOCK)
        {
          gsize n = MIN (ERROR_BLOCK, n_values - i);

          if (!sq_network_result_group_errors (result, group, i, n, block, error))
            return FALSE;
          sq_stats_add (&st, block, n);
        }
      e = st.max_abs;
    }

  if (!(e > 0.0) || !isfinite (e))
    e = 1e-12;
  if (!sq_histogram_init (hist, -e, e, n_bins, error))
    return FALSE;
  sq_stats_init (&st);
  for (gsize i = 0; i < n_values; i += ERROR_BLOCK)
    {
      gsize n = MIN (ERROR_BLOCK, n_values - i);

      if (!sq_network_result_group_errors (result, group, i, n, block, error))
        {
          sq_histogram_clear (hist);
          return FALSE;
        }
      sq_stats_add (&st, block, n);
      sq_histogram_add (hist, block, n);
    }
  if (stats)
    *stats = st;
  return TRUE;
}

double
sq_network_result_state_scale (const SqNetworkResult *result,
                               gboolean               output,
                               gsize                  index)
{
  const SqNetworkKind *kind = result->network->kind;

  return kind->state_scale ? kind->state_scale (result, output, index) : NAN;
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
