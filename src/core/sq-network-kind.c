/* sq-network-kind.c: the kinds of network — their registry, options, formats and devices,
 * and the labels every kind shares
 *
 * Xylo, then DynapCNN, then fixed-point networks are registered on first use of the registry,
 * before any other kind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "synquant.h"
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

char *
sq_label_plain (const char *label)
{
  GString *s = g_string_new (NULL);

  for (const char *p = sq_label (label); p != NULL && *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        p++;
      else if (*p == '_')
        continue;
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
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

static const char * const family_names[SQ_N_FAMILIES] = {
  NULL, "weights", "biases", "taus", "decays", "bitshifts", "thresholds",
};

const char *
sq_family_to_string (SqFamily family)
{
  g_return_val_if_fail ((guint) family < SQ_N_FAMILIES, NULL);
  return family_names[family];
}

gboolean
sq_family_from_string (const char *name,
                       SqFamily   *family)
{
  for (guint f = SQ_FAMILY_NONE + 1; f < SQ_N_FAMILIES; f++)
    if (g_strcmp0 (name, family_names[f]) == 0)
      {
        *family = (SqFamily) f;
        return TRUE;
      }
  return FALSE;
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
      g_ptr_array_add (kinds, (gpointer) &_sq_dynapcnn_kind);
      g_ptr_array_add (kinds, (gpointer) &_sq_fxp_kind);
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
  g_return_if_fail (kind->n_options <= SQ_MAX_OPTIONS &&
                    kind->n_layer_options <= SQ_MAX_LAYER_OPTIONS);

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

/* Whether some kind lists @path's extension among those it loads. */
static gboolean
claims (const SqNetworkKind *kind,
        const char          *path)
{
  for (guint e = 0; kind->load_extensions && kind->load_extensions[e]; e++)
    if (_sq_path_has_extension (path, kind->load_extensions[e]))
      return TRUE;
  return FALSE;
}

/**
 * _sq_network_kind_candidates:
 *
 * The kinds that may read @path, the likeliest first: the kind @options names; else those
 * whose extension it has, those whose probe recognises the content first (a .json file is
 * a Xylo specification or a DynapCNN layer file); else those whose probe recognises it;
 * else the first kind, whose loader says what is wrong.
 *
 * Returns: (transfer container) (element-type SqNetworkKind): never empty unless no kind is
 *   registered
 */
GPtrArray *
_sq_network_kind_candidates (const char          *path,
                             const SqLoadOptions *options)
{
  g_autoptr(GPtrArray) kinds = sq_network_kinds ();
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  guint8 head[512];
  gsize head_len;
  gboolean any = FALSE;

  if (options != NULL && options->kind != NULL)
    {
      g_ptr_array_add (out, (gpointer) options->kind);
      return out;
    }
  for (guint i = 0; i < kinds->len; i++)
    any = any || claims (g_ptr_array_index (kinds, i), path);
  /* The first bytes, for the kinds' probes; none when it cannot be read (the loader then
   * says why). */
  head_len = _sq_file_read_head (path, head, sizeof head);
  for (guint i = 0; i < kinds->len; i++)
    {
      const SqNetworkKind *kind = g_ptr_array_index (kinds, i);

      if (any && !claims (kind, path))
        continue;
      if (head_len > 0 && kind->probe != NULL && kind->probe (path, head, head_len))
        g_ptr_array_add (out, (gpointer) kind);
      else if (any)
        g_ptr_array_add (rest, (gpointer) kind);
    }
  g_ptr_array_extend (out, rest, NULL, NULL);
  /* JSON of any name is what Synquant has always read: the first kind's loader says what
   * is wrong with a file nobody recognises. */
  if (out->len == 0 && kinds->len > 0)
    g_ptr_array_add (out, g_ptr_array_index (kinds, 0));
  return out;
}

const SqNetworkKind *
sq_network_kind_for_path (const char           *path,
                          const SqLoadOptions  *options,
                          GError              **error)
{
  g_autoptr(GPtrArray) candidates = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  candidates = _sq_network_kind_candidates (path, options);
  if (candidates->len > 0)
    return g_ptr_array_index (candidates, 0);
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
