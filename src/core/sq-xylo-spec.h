/* sq-xylo-spec.h: a Xylo network specification, as Rockpool's mapper emits it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined(SYNQUANT_INSIDE) && !defined(SYNQUANT_COMPILATION)
# error "Only <synquant.h> can be included directly."
#endif

#include <gio/gio.h>

#include "sq-tensor.h"

G_BEGIN_DECLS

#define SQ_SPEC_ERROR (sq_spec_error_quark ())

/**
 * SqSpecError:
 * @SQ_SPEC_ERROR_IO: the file could not be read
 * @SQ_SPEC_ERROR_SYNTAX: the file is not valid JSON (the message has line and column)
 * @SQ_SPEC_ERROR_NOT_OBJECT: the top level is not an object of named parameters
 * @SQ_SPEC_ERROR_NON_FINITE: NaN, Infinity, or a number beyond the range of a double
 * @SQ_SPEC_ERROR_NOT_A_NUMBER: a string, boolean, null or object where a number belongs
 * @SQ_SPEC_ERROR_RAGGED: rows of one array differ in length or nesting
 * @SQ_SPEC_ERROR_RANK: a parameter has the wrong number of dimensions
 * @SQ_SPEC_ERROR_EMPTY: an empty array
 * @SQ_SPEC_ERROR_SHAPE: sizes of two parameters do not agree
 * @SQ_SPEC_ERROR_MISSING_KEY: a required parameter is missing
 * @SQ_SPEC_ERROR_DUPLICATE_KEY: a parameter appears twice
 * @SQ_SPEC_ERROR_TOO_LARGE: sizes or nesting beyond what Synquant accepts
 * @SQ_SPEC_ERROR_VALUE: a value outside its valid range (alias target, shift, dt)
 */
typedef enum {
  SQ_SPEC_ERROR_IO = 1,
  SQ_SPEC_ERROR_SYNTAX,
  SQ_SPEC_ERROR_NOT_OBJECT,
  SQ_SPEC_ERROR_NON_FINITE,
  SQ_SPEC_ERROR_NOT_A_NUMBER,
  SQ_SPEC_ERROR_RAGGED,
  SQ_SPEC_ERROR_RANK,
  SQ_SPEC_ERROR_EMPTY,
  SQ_SPEC_ERROR_SHAPE,
  SQ_SPEC_ERROR_MISSING_KEY,
  SQ_SPEC_ERROR_DUPLICATE_KEY,
  SQ_SPEC_ERROR_TOO_LARGE,
  SQ_SPEC_ERROR_VALUE,
} SqSpecError;

/**
 * SqParam:
 *
 * The array parameters of a specification, in the order Rockpool's mapper emits them.
 */
typedef enum {
  SQ_PARAM_WEIGHTS_IN,
  SQ_PARAM_WEIGHTS_OUT,
  SQ_PARAM_WEIGHTS_REC,
  SQ_PARAM_DASH_MEM,
  SQ_PARAM_DASH_MEM_OUT,
  SQ_PARAM_DASH_SYN,
  SQ_PARAM_DASH_SYN_2,
  SQ_PARAM_DASH_SYN_OUT,
  SQ_PARAM_THRESHOLD,
  SQ_PARAM_THRESHOLD_OUT,
  SQ_PARAM_BIAS,
  SQ_PARAM_BIAS_OUT,
  SQ_N_PARAMS
} SqParam;

typedef enum {
  SQ_SHIFT_IN,
  SQ_SHIFT_REC,
  SQ_SHIFT_OUT,
  SQ_N_SHIFTS
} SqShift;

/* Largest weight_shift_* the loader accepts: the simulator shifts int8 weights into int16. */
#define SQ_WEIGHT_SHIFT_MAX 127

/**
 * SqXyloSpec:
 * @param: the arrays; an absent optional one has %NULL data
 * @weight_shift: the three weight bit shifts (0 when absent)
 * @has_weight_shift: which shifts the source gave
 * @n_alias_lists: number of alias lists (one per hidden neuron once validated), 0 without
 * @alias_offsets: (array length=n_alias_lists+1): alias list of hidden neuron j is
 *   `alias_targets[alias_offsets[j] .. alias_offsets[j+1])`; %NULL without aliases
 * @alias_targets: target hidden neuron indices
 * @dt: the time step in seconds, when @has_dt
 * @n_in: input channels
 * @n_hidden: hidden neurons (from weights_rec)
 * @n_syn: synapses per hidden neuron (1 or 2)
 * @n_ien: hidden neurons that receive input (columns of weights_in), ≤ @n_hidden
 * @n_oen: hidden neurons that drive outputs (rows of weights_out); they are the last
 *   @n_oen hidden neurons
 * @n_out: output neurons
 * @weights_in_3d: whether weights_in has a synapse axis (rank 3)
 * @weights_rec_3d: whether weights_rec has a synapse axis
 * @warnings: (element-type utf8): what the loader ignored (unknown keys)
 * @source: display name of the file it came from, or %NULL
 *
 * Sizes are valid only after sq_xylo_spec_validate() succeeded, which every loader calls.
 */
typedef struct {
  SqTensor   param[SQ_N_PARAMS];
  int        weight_shift[SQ_N_SHIFTS];
  gboolean   has_weight_shift[SQ_N_SHIFTS];
  gsize      n_alias_lists;
  gsize     *alias_offsets;
  guint32   *alias_targets;
  double     dt;
  gboolean   has_dt;

  gsize      n_in;
  gsize      n_hidden;
  gsize      n_syn;
  gsize      n_ien;
  gsize      n_oen;
  gsize      n_out;
  gboolean   weights_in_3d;
  gboolean   weights_rec_3d;

  GPtrArray *warnings;
  char      *source;
} SqXyloSpec;

GQuark       sq_spec_error_quark       (void);

const char  *sq_param_name             (SqParam       param);
gboolean     sq_param_from_name        (const char   *name,
                                        SqParam      *param);
gboolean     sq_param_is_weights       (SqParam       param);
gboolean     sq_param_is_dash          (SqParam       param);
gboolean     sq_param_is_output        (SqParam       param);
const char  *sq_shift_name             (SqShift       shift);

SqXyloSpec  *sq_xylo_spec_new          (void);
void         sq_xylo_spec_free         (SqXyloSpec   *spec);
SqXyloSpec  *sq_xylo_spec_copy         (const SqXyloSpec *spec,
                                        GError      **error);
gboolean     sq_xylo_spec_validate     (SqXyloSpec   *spec,
                                        GError      **error);
gboolean     sq_xylo_spec_is_integer   (const SqXyloSpec *spec);
gsize        sq_xylo_spec_n_weights    (const SqXyloSpec *spec);
char        *sq_tensor_element_path    (const SqTensor *tensor,
                                        const char   *name,
                                        gsize         flat_index) G_GNUC_WARN_UNUSED_RESULT;
void         sq_xylo_spec_add_warning  (SqXyloSpec   *spec,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (2, 3);

/**
 * SqProgressFunc:
 * @fraction: the part done, 0…1
 *
 * Called from the loading thread while a long load runs.
 */
typedef void (*SqProgressFunc) (double   fraction,
                                gpointer user_data);

/* JSON, exactly as a Rockpool user writes it with json.dump (sq-xylo-spec-json.c). */
SqXyloSpec  *sq_xylo_spec_load_json      (const char  *path,
                                          GError     **error) G_GNUC_WARN_UNUSED_RESULT;
SqXyloSpec  *sq_xylo_spec_load_json_full (const char   *path,
                                          GCancellable *cancellable,
                                          SqProgressFunc progress,
                                          gpointer      progress_data,
                                          GError      **error) G_GNUC_WARN_UNUSED_RESULT;
SqXyloSpec  *sq_xylo_spec_load_json_data (const char  *data,
                                          gsize        length,
                                          const char  *display_name,
                                          GError     **error) G_GNUC_WARN_UNUSED_RESULT;
GString     *sq_xylo_spec_to_json        (const SqXyloSpec *spec) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sq_xylo_spec_save_json      (const SqXyloSpec *spec,
                                          const char  *path,
                                          GError     **error);

/* NumPy .npz, as a Rockpool user writes it with np.savez (f, **spec) (sq-xylo-spec-npz.c). */
SqXyloSpec  *sq_xylo_spec_load_npz       (const char  *path,
                                          GError     **error) G_GNUC_WARN_UNUSED_RESULT;
SqXyloSpec  *sq_xylo_spec_load_npz_full  (const char   *path,
                                          GCancellable *cancellable,
                                          SqProgressFunc progress,
                                          gpointer      progress_data,
                                          GError      **error) G_GNUC_WARN_UNUSED_RESULT;
SqXyloSpec  *sq_xylo_spec_load_npz_data  (const guint8 *data,
                                          gsize        length,
                                          const char  *display_name,
                                          GError     **error) G_GNUC_WARN_UNUSED_RESULT;
guint8      *sq_xylo_spec_to_npz         (const SqXyloSpec *spec,
                                          gsize       *length,
                                          GError     **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sq_xylo_spec_save_npz       (const SqXyloSpec *spec,
                                          const char  *path,
                                          GError     **error);

/* Any of the formats above, chosen by the file's extension or, without one, its content. */
SqXyloSpec  *sq_xylo_spec_load_file      (const char   *path,
                                          GCancellable *cancellable,
                                          SqProgressFunc progress,
                                          gpointer      progress_data,
                                          GError      **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SqXyloSpec, sq_xylo_spec_free)

G_END_DECLS
