/* sq-xylo-kind-values.c: a Xylo network with new values (a transform's draw burnt in) and a
 * network written as it is, in the kind's save formats
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "synquant.h"
#include "sq-network-private.h"

GBytes *
_sq_xylo_spec_bytes (const SqXyloSpec     *spec,
                     const SqQuantResult  *quant,
                     const char           *extension,
                     GError              **error)
{
  if (g_str_equal (extension, "npz"))
    {
      gsize length;
      guint8 *npz = sq_xylo_spec_to_npz (spec, &length, error);

      return npz ? g_bytes_new_take (npz, length) : NULL;
    }
  if (g_str_equal (extension, "nir"))
    return sq_xylo_spec_to_nir (spec, quant, error);
  return g_string_free_to_bytes (sq_xylo_spec_to_json (spec));
}

/* A float specification with new values: the loader's checks (sq_xylo_spec_validate)
 * decide what it accepts, so a burnt-in draw holds what a file could. */
SqNetwork *
_sq_xylo_with_values (const SqNetwork        *network,
                      const SqTensor * const *values,
                      GError                **error)
{
  g_autoptr(GPtrArray) diagnostics = NULL;
  SqXyloSpec *spec = sq_xylo_spec_copy (_sq_xylo_network_spec (network), error);
  SqNetwork *n;

  if (spec == NULL)
    return NULL;
  for (guint i = 0; i < network->groups->len; i++)
    {
      const SqGroup *g = sq_network_get_group (network, i);
      SqTensor *t = &spec->param[g->native];

      if (values[i] == NULL)
        continue;
      memcpy (t->data, values[i]->data, t->n * sizeof *t->data);
      t->integer = FALSE;
    }
  if (!sq_xylo_spec_validate (spec, error))
    {
      sq_xylo_spec_free (spec);
      return NULL;
    }
  n = _sq_xylo_network_new (spec);
  n->path = g_strdup (network->path);
  n->is_integer = FALSE;
  diagnostics = sq_xylo_spec_diagnose (spec);
  _sq_network_add_diagnostics (n, n->diagnostics, diagnostics);
  return n;
}

GBytes *
_sq_xylo_write (const SqNetwork  *network,
                const char       *extension,
                GError          **error)
{
  return _sq_xylo_spec_bytes (_sq_xylo_network_spec (network), NULL, extension, error);
}
