/* sq-transform.c: the transforms themselves, the counter-based generator and burning a draw
 * into a network
 *
 * Each transform follows the statement of rockpool/transform/torch_transform.py it names
 * (docs/transforms.md), in double precision. Rounding to nearest is half to even everywhere,
 * as torch.round is (nearbyint in the default rounding mode). The random numbers are not a
 * stream: each is a hash of (seed, draw, group, element), so a value's draw does not depend
 * on which thread computes it or on what was drawn before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

G_DEFINE_QUARK (sq-transform-error-quark, sq_transform_error)

/* ---------------------------------------------------------------------------------------- */
/* The generator                                                                             */

/* SplitMix64's finaliser: a bijection of 64-bit words whose outputs pass BigCrush for
 * consecutive inputs. Chaining it over the four keys gives every (seed, draw, group,
 * element) its own independent-looking word. */
static inline guint64
mix64 (guint64 z)
{
  z += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* The chain's first three links, the same for every element of a group: computed once per
 * group, not per element. */
static inline guint64
uniform_prefix (guint64 seed,
                guint64 draw,
                guint64 key)
{
  return mix64 (mix64 (mix64 (seed) ^ draw) ^ key);
}

static inline double
uniform_at (guint64 prefix,
            guint64 element)
{
  return (double) (mix64 (prefix ^ element) >> 11) * 0x1p-53;
}

double
sq_transform_uniform (guint64 seed,
                      guint64 draw,
                      guint64 key,
                      guint64 element)
{
  return uniform_at (uniform_prefix (seed, draw, key), element);
}

/* FNV-1a: a group's key from its id, the same on every build. */
guint64
sq_transform_key (const char *id)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) id; *p != '\0'; p++)
    h = (h ^ *p) * G_GUINT64_CONSTANT (0x100000001b3);
  return h;
}

/* ---------------------------------------------------------------------------------------- */
/* The transforms                                                                            */

const char *
sq_transform_type_to_string (SqTransformType type)
{
  static const char * const names[SQ_N_TRANSFORM_TYPES] = {
    "stochastic_rounding", "deterministic_rounding", "dropout", "t_decay", "round",
    "bitshift_decay",
  };

  g_return_val_if_fail ((guint) type < SQ_N_TRANSFORM_TYPES, NULL);
  return names[type];
}

void
sq_transform_init (SqTransform     *transform,
                   SqTransformType  type)
{
  memset (transform, 0, sizeof *transform);
  transform->type = type;
  transform->num_levels = 256;
  transform->maintain_zero = TRUE;
  transform->probability = 0.5;
  transform->dt = 1e-3;
}

/* Rockpool's input and output ranges: given, else the data's (symmetric with
 * maintain_zero); the output range defaults to the input range. */
static void
ranges (const SqTransform *t,
        const double      *in,
        gsize              n,
        double            *range_in,
        double            *range_out)
{
  if (t->has_input_range)
    memcpy (range_in, t->input_range, 2 * sizeof *range_in);
  else if (t->maintain_zero)
    {
      double m = 0.0;

      for (gsize i = 0; i < n; i++)
        m = MAX (m, fabs (in[i]));
      range_in[0] = -m;
      range_in[1] = m;
    }
  else
    {
      range_in[0] = in[0];
      range_in[1] = in[0];
      for (gsize i = 1; i < n; i++)
        {
          range_in[0] = MIN (range_in[0], in[i]);
          range_in[1] = MAX (range_in[1], in[i]);
        }
    }
  if (t->has_output_range)
    memcpy (range_out, t->output_range, 2 * sizeof *range_out);
  else
    memcpy (range_out, range_in, 2 * sizeof *range_out);
}

/* The levels of every value: 2 M weights per draw of a Xylo-size network. */
static SQ_CLONES void
round_levels (const double *in,
              double       *out,
              gsize         n,
              gboolean      stochastic,
              guint64       prefix,
              double        q_in,
              double        q_out,
              double        lo_in,
              double        lo_out)
{
  for (gsize i = 0; i < n; i++)
    {
      double level = (in[i] - lo_in) / q_in, k;

      if (stochastic)
        {
          double f = floor (level);

          k = f + (level - f > uniform_at (prefix, i) ? 1.0 : 0.0);
        }
      else
        k = nearbyint (level);
      out[i] = k * q_out + lo_out;
    }
}

/* stochastic_rounding / deterministic_rounding. A group whose data range has no width is left
 * as it is (Rockpool divides by a zero quantum there and returns NaN). */
static void
rounding (const SqTransform *t,
          const double      *in,
          double            *out,
          gsize              n,
          guint64            seed,
          guint64            draw,
          guint64            key)
{
  gboolean stochastic = t->type == SQ_TRANSFORM_STOCHASTIC_ROUNDING;
  double r_in[2], r_out[2], q_in, q_out, lo_in, lo_out;

  ranges (t, in, n, r_in, r_out);
  if (!(r_in[1] > r_in[0]))
    {
      if (in != out)
        memcpy (out, in, n * sizeof *out);
      return;
    }
  if (t->exact_zero)
    {
      /* Odd levels about 0: the level index counts from 0, so 0 is level 0 exactly. */
      guint odd = t->num_levels % 2 ? t->num_levels : t->num_levels - 1;
      double half = (double) (odd - 1) / 2.0;

      q_in = r_in[1] / half;
      q_out = r_out[1] / half;
      lo_in = 0.0;
      lo_out = 0.0;
    }
  else
    {
      q_in = (r_in[1] - r_in[0]) / (double) (t->num_levels - 1);
      q_out = (r_out[1] - r_out[0]) / (double) (t->num_levels - 1);
      lo_in = r_in[0];
      lo_out = r_out[0];
    }
  round_levels (in, out, n, stochastic, uniform_prefix (seed, draw, key), q_in, q_out, lo_in,
                lo_out);
}

/* N = max (0, round_half_even (log2 (ratio))), as calc_bitshift_decay. */
static double
bitshift (double ratio)
{
  double b = nearbyint (log2 (ratio));

  return b < 0.0 ? 0.0 : b;
}

static gboolean
check_open_range (const double  *in,
                  gsize          n,
                  double         hi,
                  const char    *key,
                  const char    *what,
                  GError       **error)
{
  for (gsize i = 0; i < n; i++)
    if (!(in[i] > 0.0 && in[i] < hi))
      {
        g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_VALUE,
                     _("%s[%zu]: %s needs %s, not %g"), key, i,
                     what, isinf (hi) ? _("a positive time constant")
                                      : _("a decay factor between 0 and 1"), in[i]);
        return FALSE;
      }
  return TRUE;
}

gboolean
sq_transform_apply_values (const SqTransform *t,
                           const double      *in,
                           double            *out,
                           gsize              n,
                           guint64            seed,
                           guint64            draw,
                           const char        *key,
                           GError           **error)
{
  guint64 k = sq_transform_key (key);

  g_return_val_if_fail (t != NULL && (in != NULL || n == 0) && (out != NULL || n == 0),
                        FALSE);
  if (n == 0)
    return TRUE;
  switch (t->type)
    {
    case SQ_TRANSFORM_STOCHASTIC_ROUNDING:
    case SQ_TRANSFORM_DETERMINISTIC_ROUNDING:
      rounding (t, in, out, n, seed, draw, k);
      return TRUE;
    case SQ_TRANSFORM_DROPOUT:
      /* mask = rand > dropout_prob; param · mask, without 1/(1 − p). */
      {
        guint64 prefix = uniform_prefix (seed, draw, k);

        for (gsize i = 0; i < n; i++)
          out[i] = uniform_at (prefix, i) > t->probability ? in[i] : 0.0;
      }
      return TRUE;
    case SQ_TRANSFORM_T_DECAY:
      if (!check_open_range (in, n, 1.0, key, "t_decay", error))
        return FALSE;
      /* τ/dt = −1/ln α: dt cancels, as in Rockpool. */
      for (gsize i = 0; i < n; i++)
        out[i] = 1.0 - ldexp (1.0, -(int) bitshift (-1.0 / log (in[i])));
      return TRUE;
    case SQ_TRANSFORM_BITSHIFT_DECAY:
      if (!check_open_range (in, n, INFINITY, key, "bitshift_decay", error))
        return FALSE;
      for (gsize i = 0; i < n; i++)
        out[i] = t->dt * ldexp (1.0, (int) bitshift (in[i] / t->dt));
      return TRUE;
    case SQ_TRANSFORM_ROUND:
      for (gsize i = 0; i < n; i++)
        out[i] = nearbyint (in[i]);
      return TRUE;
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Configurations on networks                                                                */

const SqTransform *
sq_transform_config_for_group (const SqTransformConfig *config,
                               const SqNetwork         *network,
                               guint                    i)
{
  const SqGroup *g = sq_network_get_group (network, i);
  const SqTransform *by_family = NULL;

  for (guint e = 0; e < config->n_entries; e++)
    {
      const SqTransformEntry *entry = &config->entries[e];

      if (entry->group != NULL && strcmp (entry->group, g->id) == 0)
        return &entry->transform;
      if (entry->group == NULL && g->family != SQ_FAMILY_NONE && entry->family == g->family)
        by_family = &entry->transform;
    }
  return by_family;
}

gboolean
sq_transform_config_is_random (const SqTransformConfig *config)
{
  for (guint e = 0; e < config->n_entries; e++)
    if (config->entries[e].transform.type == SQ_TRANSFORM_STOCHASTIC_ROUNDING ||
        config->entries[e].transform.type == SQ_TRANSFORM_DROPOUT)
      return TRUE;
  return FALSE;
}

static gboolean
check_groups (const SqTransformConfig *config,
              const SqNetwork         *network,
              GError                 **error)
{
  for (guint e = 0; e < config->n_entries; e++)
    {
      const char *id = config->entries[e].group;
      g_autoptr(GString) list = NULL;
      guint i;

      if (id == NULL || sq_network_find_group (network, id, &i))
        continue;
      list = g_string_new (NULL);
      for (i = 0; i < sq_network_n_groups (network); i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "",
                                sq_network_get_group (network, i)->id);
      g_set_error (error, SQ_TRANSFORM_ERROR, SQ_TRANSFORM_ERROR_GROUP,
                   _("%s: transforms[%u].group: the network has no group “%s”; its groups "
                     "are %s"), config->source, e, id, list->str);
      return FALSE;
    }
  return TRUE;
}

/**
 * sq_transform_config_apply:
 * @config: a configuration
 * @network: the network to transform (float or integer)
 * @seed: the seed
 * @draw: which draw of the seed
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the drawn float network, or %NULL with @error set
 */
SqNetwork *
sq_transform_config_apply (const SqTransformConfig *config,
                           const SqNetwork         *network,
                           guint64                  seed,
                           guint64                  draw,
                           GError                 **error)
{
  guint n = sq_network_n_groups (network);
  g_autofree SqTensor *tensors = g_new0 (SqTensor, n);
  g_autofree const SqTensor **values = g_new0 (const SqTensor *, n);
  SqNetwork *out = NULL;
  gboolean ok = check_groups (config, network, error);

  for (guint i = 0; ok && i < n; i++)
    {
      const SqGroup *g = sq_network_get_group (network, i);
      const SqTransform *t = sq_transform_config_for_group (config, network, i);

      if (t == NULL)
        continue;
      /* The transform writes every value: a copy would only be overwritten (16 MB of a
       * Xylo-size network's weights per draw). */
      ok = (sq_tensor_is_present (g->values) ?
            _sq_tensor_init_uninitialized (&tensors[i], g->values, error) :
            sq_tensor_copy (&tensors[i], g->values, error)) &&
           sq_transform_apply_values (t, g->values->data, tensors[i].data, g->values->n,
                                      seed, draw, g->id, error);
      if (!ok)
        g_prefix_error (error, "%s: ", config->source);
      tensors[i].integer = FALSE;
      values[i] = &tensors[i];
    }
  if (ok)
    out = sq_network_with_values (network, values, error);
  for (guint i = 0; i < n; i++)
    sq_tensor_clear (&tensors[i]);
  return out;
}
