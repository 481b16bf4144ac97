/* sq-enum-types.c: GTypes for the core's enums, so properties and GSettings can carry them
 *
 * The nicks are the core's own names (sq_method_to_string …) and the GSettings schema's enum
 * nicks, so a setting binds to a property without a mapping function.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <synquant.h>

#include "sq-enum-types.h"

GType
sq_method_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { SQ_METHOD_GLOBAL, "SQ_METHOD_GLOBAL", "global" },
    { SQ_METHOD_CHANNEL, "SQ_METHOD_CHANNEL", "channel" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("SqMethod", values));
  return type;
}

GType
sq_mode_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { SQ_MODE_SYNQUANT, "SQ_MODE_SYNQUANT", "synquant" },
    { SQ_MODE_ROCKPOOL, "SQ_MODE_ROCKPOOL", "rockpool" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("SqMode", values));
  return type;
}

GType
sq_param_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      /* Built from the core's names, so the two can never disagree. */
      GEnumValue *values = g_new0 (GEnumValue, SQ_N_PARAMS + 1);

      for (int p = 0; p < SQ_N_PARAMS; p++)
        {
          values[p].value = p;
          values[p].value_name = g_strdup_printf ("SQ_PARAM_%d", p);
          values[p].value_nick = sq_param_name ((SqParam) p);
        }
      g_once_init_leave (&type, g_enum_register_static ("SqParam", values));
    }
  return type;
}

/* Binding transforms between an enum property whose values count from 0 (SqMethod, SqMode)
 * and the "selected" position of a GtkDropDown listing them in that order. */
gboolean
sq_enum_to_position (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_enum (from));
  return TRUE;
}

gboolean
sq_position_to_enum (GBinding     *binding,
                     const GValue *from,
                     GValue       *to,
                     gpointer      user_data)
{
  guint pos = g_value_get_uint (from);

  if (pos == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_enum (to, (int) pos);
  return TRUE;
}
