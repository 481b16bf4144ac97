/* sq-types.c: GTypes for the core's values the window carries in properties, and the kind
 * it starts with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-types.h"

static gpointer
settings_copy (gpointer settings)
{
  return g_memdup2 (settings, sizeof (SqQuantSettings));
}

/* SqQuantSettings is a plain value: a boxed copy is a memory copy. */
GType
sq_quant_settings_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_boxed_type_register_static ("SqQuantSettings", settings_copy,
                                                            g_free));
  return type;
}

/* The first registered kind (the Xylo specification): what the window's settings, devices
 * and sessions mean before a network of another kind is open. */
const SqNetworkKind *
sq_default_kind (void)
{
  g_autoptr(GPtrArray) kinds = sq_network_kinds ();

  return g_ptr_array_index (kinds, 0);
}
