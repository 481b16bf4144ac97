/* sq-transform.h: Rockpool's parameter transforms after training — rounding, dropout and
 * decay transforms over parameter families or single groups, drawn with a seed and burnt
 * into a new float network
 *
 * A configuration (a small JSON file, docs/transforms.md) assigns one transform to a family
 * (SqFamily: "weights", "thresholds", …) or to one group ("weights_rec"); a group's own entry
 * wins over its family's, as a later Rockpool tree_update would. Applying a configuration
 * draws one network: every random number comes from a counter-based generator keyed by the
 * seed, the draw, the group's id and the element, so the same seed gives the same network on
 * every build and any number of threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-network.h"

G_BEGIN_DECLS

#define SQ_TRANSFORM_ERROR (sq_transform_error_quark ())

/**
 * SqTransformError:
 * @SQ_TRANSFORM_ERROR_IO: the file cannot be read
 * @SQ_TRANSFORM_ERROR_SYNTAX: not JSON
 * @SQ_TRANSFORM_ERROR_KEY: a key that is missing, unknown or of the wrong type
 * @SQ_TRANSFORM_ERROR_VALUE: a value out of its range
 * @SQ_TRANSFORM_ERROR_GROUP: a group the network does not have
 */
typedef enum {
  SQ_TRANSFORM_ERROR_IO = 1,
  SQ_TRANSFORM_ERROR_SYNTAX,
  SQ_TRANSFORM_ERROR_KEY,
  SQ_TRANSFORM_ERROR_VALUE,
  SQ_TRANSFORM_ERROR_GROUP,
} SqTransformError;

/**
 * SqTransformType:
 * @SQ_TRANSFORM_STOCHASTIC_ROUNDING: Rockpool's stochastic_rounding()
 * @SQ_TRANSFORM_DETERMINISTIC_ROUNDING: deterministic_rounding() (half to even)
 * @SQ_TRANSFORM_DROPOUT: dropout(): each value 0 with a probability, no rescaling
 * @SQ_TRANSFORM_T_DECAY: t_decay(): a decay factor α snapped to 1 − 2^−N,
 *   N = max (0, round_half_even (log2 (τ/dt))), τ = −dt / ln α
 * @SQ_TRANSFORM_ROUND: round_passthrough(): the nearest integer, half to even
 * @SQ_TRANSFORM_BITSHIFT_DECAY: a time constant τ snapped to dt·2^N as LIFBitshiftTorch's
 *   calc_bitshift_decay and inv_calc_bitshift_decay do (N as for t_decay)
 */
typedef enum {
  SQ_TRANSFORM_STOCHASTIC_ROUNDING,
  SQ_TRANSFORM_DETERMINISTIC_ROUNDING,
  SQ_TRANSFORM_DROPOUT,
  SQ_TRANSFORM_T_DECAY,
  SQ_TRANSFORM_ROUND,
  SQ_TRANSFORM_BITSHIFT_DECAY,
  SQ_N_TRANSFORM_TYPES
} SqTransformType;

/**
 * SqTransform:
 * @type: what it does
 * @has_input_range: whether @input_range was given; else [−max|v|, max|v|] with
 *   @maintain_zero, [min v, max v] without, over the group
 * @input_range: lo, hi
 * @has_output_range: whether @output_range was given; else the input range
 * @output_range: lo, hi
 * @num_levels: levels of the rounding transforms, 2 or more (Rockpool's default 256)
 * @maintain_zero: Rockpool's maintain_zero (default %TRUE): a symmetric input range. With an
 *   even @num_levels 0 is not a level (it sits half-way between two), as in Rockpool
 * @exact_zero: Synquant's option: round to an odd number of levels (@num_levels − 1 when
 *   @num_levels is even) about 0, so 0 stays exactly 0; needs @maintain_zero and a symmetric
 *   output range
 * @probability: dropout's probability that a value becomes 0 (Rockpool's dropout_prob,
 *   default 0.5)
 * @dt: the time step of t_decay and bitshift_decay in seconds (default 1e-3)
 *
 * One transform and its parameters; unused fields keep their defaults.
 */
typedef struct {
  SqTransformType type;
  gboolean        has_input_range;
  double          input_range[2];
  gboolean        has_output_range;
  double          output_range[2];
  guint           num_levels;
  gboolean        maintain_zero;
  gboolean        exact_zero;
  double          probability;
  double          dt;
} SqTransform;

/**
 * SqTransformEntry:
 * @family: the family it applies to, or %SQ_FAMILY_NONE when @group names one group
 * @group: (nullable): the id of the one group it applies to
 * @transform: the transform
 */
typedef struct {
  SqFamily    family;
  char       *group;
  SqTransform transform;
} SqTransformEntry;

/**
 * SqTransformConfig:
 * @source: the file's display name, for messages
 * @entries: (array length=n_entries): in the file's order
 * @n_entries: how many
 *
 * Read-only once read; shared by the threads of a robustness run.
 */
typedef struct {
  char             *source;
  SqTransformEntry *entries;
  guint             n_entries;
} SqTransformConfig;

GQuark             sq_transform_error_quark       (void);

const char        *sq_transform_type_to_string    (SqTransformType          type);
/* The defaults of @type (Rockpool's). */
void               sq_transform_init              (SqTransform             *transform,
                                                   SqTransformType          type);

SqTransformConfig *sq_transform_config_load       (const char              *path,
                                                   GError                 **error)
                                                   G_GNUC_WARN_UNUSED_RESULT;
/* @name is the display name errors start with. */
SqTransformConfig *sq_transform_config_load_data  (const char              *data,
                                                   gsize                    length,
                                                   const char              *name,
                                                   GError                 **error)
                                                   G_GNUC_WARN_UNUSED_RESULT;
void               sq_transform_config_free       (SqTransformConfig       *config);
/* The file's JSON again (every key, defaults included), for reports. */
JsonNode          *sq_transform_config_to_json    (const SqTransformConfig *config)
                                                   G_GNUC_WARN_UNUSED_RESULT;
/* Whether applying @config draws anything at random (a stochastic rounding or a dropout). */
gboolean           sq_transform_config_is_random  (const SqTransformConfig *config);

/* The transform @config assigns to group @i of @network (its own entry, else its family's),
 * or %NULL. */
const SqTransform *sq_transform_config_for_group  (const SqTransformConfig *config,
                                                   const SqNetwork         *network,
                                                   guint                    i);

/* Applies @transform to @n values of @in into @out (they may be the same), with the random
 * numbers of (@seed, @draw, @key): @key names the group (its id). */
gboolean           sq_transform_apply_values      (const SqTransform       *transform,
                                                   const double            *in,
                                                   double                  *out,
                                                   gsize                    n,
                                                   guint64                  seed,
                                                   guint64                  draw,
                                                   const char              *key,
                                                   GError                 **error);

/* Draw @draw of @config on @network with @seed, burnt in: a new float network of
 * @network's kind (sq_network_with_values()). Fails for an entry naming a group @network
 * does not have. */
SqNetwork         *sq_transform_config_apply      (const SqTransformConfig *config,
                                                   const SqNetwork         *network,
                                                   guint64                  seed,
                                                   guint64                  draw,
                                                   GError                 **error)
                                                   G_GNUC_WARN_UNUSED_RESULT;

/* The counter-based generator: a uniform double in [0, 1) from its four keys (53 bits). */
double             sq_transform_uniform           (guint64                  seed,
                                                   guint64                  draw,
                                                   guint64                  key,
                                                   guint64                  element);
/* The 64-bit key of a group id. */
guint64            sq_transform_key               (const char              *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqTransformConfig, sq_transform_config_free)

G_END_DECLS
