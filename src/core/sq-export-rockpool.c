/* sq-export-rockpool.c: the rockpool-json and rockpool-npz exports, the integer
 * specification in Rockpool's own keys (as JSON by sq-xylo-spec-json.c, as an archive by
 * sq-xylo-spec-npz.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "synquant.h"
#include "sq-export-private.h"

/* The specification as Rockpool's XyloSim.from_specification and config_from_specification
 * take it on every device: weights_in and weights_rec always 3-D (Audio 3's configuration
 * refuses 2-D, the others add the axis themselves), the three weight shifts always present,
 * no bias keys on Xylo v1 (which has none; _sq_export_check_values made sure they are zero). */
static SqXyloSpec *
rockpool_spec (const SqExportCtx *c,
               GError           **error)
{
  g_autoptr(SqXyloSpec) copy = sq_xylo_spec_copy (c->spec, error);

  if (copy == NULL)
    return NULL;
  for (guint p = 0; p < SQ_N_PARAMS; p++)
    {
      SqTensor *t = &copy->param[p];

      if ((p == SQ_PARAM_WEIGHTS_IN || p == SQ_PARAM_WEIGHTS_REC) && t->rank == 2)
        {
          t->shape[2] = 1;
          t->rank = 3;
        }
      t->integer = TRUE;
    }
  copy->weights_in_3d = copy->weights_rec_3d = TRUE;
  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    copy->has_weight_shift[i] = TRUE;
  if (!c->device->has_bias)
    {
      sq_tensor_clear (&copy->param[SQ_PARAM_BIAS]);
      sq_tensor_clear (&copy->param[SQ_PARAM_BIAS_OUT]);
    }
  return g_steal_pointer (&copy);
}

GBytes *
_sq_export_rockpool (const SqExportCtx *c,
                     gboolean           npz,
                     GError           **error)
{
  g_autoptr(SqXyloSpec) spec = NULL;

  if (!_sq_export_check_values (c, FALSE, error))
    return NULL;
  spec = rockpool_spec (c, error);
  if (spec == NULL)
    return NULL;
  if (npz)
    {
      gsize length;
      guint8 *data = sq_xylo_spec_to_npz (spec, &length, error);

      return data ? g_bytes_new_take (data, length) : NULL;
    }
  return g_string_free_to_bytes (sq_xylo_spec_to_json (spec));
}
