/* sq-xylo-spec.c: the specification's parameters and their consistency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "synquant.h"
#include "sq-private.h"

G_DEFINE_QUARK (sq-spec-error-quark, sq_spec_error)

static const char * const param_names[SQ_N_PARAMS] = {
  [SQ_PARAM_WEIGHTS_IN]    = "weights_in",
  [SQ_PARAM_WEIGHTS_OUT]   = "weights_out",
  [SQ_PARAM_WEIGHTS_REC]   = "weights_rec",
  [SQ_PARAM_DASH_MEM]      = "dash_mem",
  [SQ_PARAM_DASH_MEM_OUT]  = "dash_mem_out",
  [SQ_PARAM_DASH_SYN]      = "dash_syn",
  [SQ_PARAM_DASH_SYN_2]    = "dash_syn_2",
  [SQ_PARAM_DASH_SYN_OUT]  = "dash_syn_out",
  [SQ_PARAM_THRESHOLD]     = "threshold",
  [SQ_PARAM_THRESHOLD_OUT] = "threshold_out",
  [SQ_PARAM_BIAS]          = "bias",
  [SQ_PARAM_BIAS_OUT]      = "bias_out",
};

static const char * const shift_names[SQ_N_SHIFTS] = {
  "weight_shift_in", "weight_shift_rec", "weight_shift_out",
};

const char *
sq_param_name (SqParam param)
{
  g_return_val_if_fail (param < SQ_N_PARAMS, NULL);
  return param_names[param];
}

gboolean
sq_param_from_name (const char *name,
                    SqParam    *param)
{
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    if (g_str_equal (name, param_names[i]))
      {
        *param = (SqParam) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
sq_param_is_weights (SqParam param)
{
  return param == SQ_PARAM_WEIGHTS_IN || param == SQ_PARAM_WEIGHTS_REC ||
         param == SQ_PARAM_WEIGHTS_OUT;
}

gboolean
sq_param_is_dash (SqParam param)
{
  return param >= SQ_PARAM_DASH_MEM && param <= SQ_PARAM_DASH_SYN_OUT;
}

/* Whether the parameter belongs to the output layer (weights_out drives output neurons). */
gboolean
sq_param_is_output (SqParam param)
{
  return param == SQ_PARAM_WEIGHTS_OUT || param == SQ_PARAM_DASH_MEM_OUT ||
         param == SQ_PARAM_DASH_SYN_OUT || param == SQ_PARAM_THRESHOLD_OUT ||
         param == SQ_PARAM_BIAS_OUT;
}

const char *
sq_shift_name (SqShift shift)
{
  g_return_val_if_fail (shift < SQ_N_SHIFTS, NULL);
  return shift_names[shift];
}

SqXyloSpec *
sq_xylo_spec_new (void)
{
  SqXyloSpec *spec = g_new0 (SqXyloSpec, 1);

  spec->warnings = g_ptr_array_new_with_free_func (g_free);
  return spec;
}

void
sq_xylo_spec_free (SqXyloSpec *spec)
{
  if (spec == NULL)
    return;

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    sq_tensor_clear (&spec->param[i]);
  g_free (spec->alias_offsets);
  g_free (spec->alias_targets);
  g_clear_pointer (&spec->warnings, g_ptr_array_unref);
  g_free (spec->source);
  g_free (spec);
}

typedef enum {
  COPY_VALUES,
  COPY_UNINITIALIZED,
} CopyMode;

static SqXyloSpec *
copy_spec (const SqXyloSpec *spec,
           CopyMode          mode,
           GError          **error)
{
  g_autoptr(SqXyloSpec) copy = sq_xylo_spec_new ();
  gsize n_targets;

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[i];
      gboolean ok = TRUE;

      if (mode == COPY_VALUES)
        ok = sq_tensor_copy (&copy->param[i], t, error);
      else if (sq_tensor_is_present (t))
        ok = _sq_tensor_init_uninitialized (&copy->param[i], t, error);
      if (!ok)
        return NULL;
    }

  memcpy (copy->weight_shift, spec->weight_shift, sizeof copy->weight_shift);
  memcpy (copy->has_weight_shift, spec->has_weight_shift, sizeof copy->has_weight_shift);
  copy->n_alias_lists = spec->n_alias_lists;
  if (spec->alias_offsets != NULL)
    {
      n_targets = spec->alias_offsets[spec->n_alias_lists];
      copy->alias_offsets = g_memdup2 (spec->alias_offsets,
                                       (spec->n_alias_lists + 1) * sizeof (gsize));
      copy->alias_targets = g_memdup2 (spec->alias_targets, n_targets * sizeof (guint32));
    }
  copy->dt = spec->dt;
  copy->has_dt = spec->has_dt;

  copy->n_in = spec->n_in;
  copy->n_hidden = spec->n_hidden;
  copy->n_syn = spec->n_syn;
  copy->n_ien = spec->n_ien;
  copy->n_oen = spec->n_oen;
  copy->n_out = spec->n_out;
  copy->weights_in_3d = spec->weights_in_3d;
  copy->weights_rec_3d = spec->weights_rec_3d;

  for (guint i = 0; i < spec->warnings->len; i++)
    g_ptr_array_add (copy->warnings, g_strdup (g_ptr_array_index (spec->warnings, i)));
  copy->source = g_strdup (spec->source);

  return g_steal_pointer (&copy);
}

/* An independent deep copy. */
SqXyloSpec *
sq_xylo_spec_copy (const SqXyloSpec *spec,
                   GError          **error)
{
  return copy_spec (spec, COPY_VALUES, error);
}

/* A specification with @spec's parameters, shapes, shifts, aliases and dt, and undefined
 * values: the frame a quantizer fills in, without copying or zeroing 16 MB it overwrites. */
SqXyloSpec *
_sq_xylo_spec_new_frame (const SqXyloSpec *spec,
                         GError          **error)
{
  return copy_spec (spec, COPY_UNINITIALIZED, error);
}

void
sq_xylo_spec_add_warning (SqXyloSpec *spec,
                          const char *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (spec->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Number of weights of the three weight matrices. */
gsize
sq_xylo_spec_n_weights (const SqXyloSpec *spec)
{
  return spec->param[SQ_PARAM_WEIGHTS_IN].n + spec->param[SQ_PARAM_WEIGHTS_REC].n +
         spec->param[SQ_PARAM_WEIGHTS_OUT].n;
}

/**
 * sq_tensor_element_path:
 *
 * Returns the index path of a flat (C-order) index: "weights_rec[3][7][1]".
 */
char *
sq_tensor_element_path (const SqTensor *tensor,
                        const char     *name,
                        gsize           flat_index)
{
  gsize idx[SQ_TENSOR_MAX_RANK];
  GString *s = g_string_new (name);

  for (guint i = tensor->rank; i-- > 0;)
    {
      idx[i] = flat_index % tensor->shape[i];
      flat_index /= tensor->shape[i];
    }
  for (guint i = 0; i < tensor->rank; i++)
    g_string_append_printf (s, "[%zu]", idx[i]);

  return g_string_free (s, FALSE);
}

/* Whether every value of every parameter is a whole number. */
gboolean
sq_xylo_spec_is_integer (const SqXyloSpec *spec)
{
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[i];

      if (!sq_tensor_is_present (t))
        continue;
      for (gsize k = 0; k < t->n; k++)
        if (!(nearbyint (t->data[k]) <= t->data[k] && nearbyint (t->data[k]) >= t->data[k]))
          return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Validation                                                                                */

static const char *
source_name (const SqXyloSpec *spec)
{
  return spec->source ? spec->source : _("specification");
}

static gboolean
check_rank (const SqXyloSpec *spec,
            SqParam           param,
            guint             rank_a,
            guint             rank_b,
            const char       *expected,
            GError          **error)
{
  const SqTensor *t = &spec->param[param];
  g_autofree char *shape = NULL;

  if (!sq_tensor_is_present (t) || t->rank == rank_a || t->rank == rank_b)
    return TRUE;

  shape = sq_tensor_shape_string (t);
  g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_RANK,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: %s has %u dimension %s, expected %s",
                            "%s: %s has %u dimensions %s, expected %s", t->rank),
               source_name (spec), param_names[param], t->rank, shape, expected);
  return FALSE;
}

/* A vector parameter must have one entry per neuron of its layer. */
static gboolean
check_length (const SqXyloSpec *spec,
              SqParam           param,
              gsize             n,
              const char       *what,
              GError          **error)
{
  const SqTensor *t = &spec->param[param];

  if (!sq_tensor_is_present (t) || t->shape[0] == n)
    return TRUE;

  g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: %s has %zu entry, expected %zu"
                            " (one per %s)",
                            "%s: %s has %zu entries, expected %zu"
                            " (one per %s)", t->shape[0]),
               source_name (spec), param_names[param], t->shape[0], n, what);
  return FALSE;
}

static gboolean
check_finite (const SqXyloSpec *spec,
              GError          **error)
{
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      const SqTensor *t = &spec->param[i];

      if (!sq_tensor_is_present (t))
        continue;
      for (gsize k = 0; k < t->n; k++)
        if (!isfinite (t->data[k]))
          {
            g_autofree char *path = sq_tensor_element_path (t, param_names[i], k);
            g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_NON_FINITE,
                         _("%s: %s: found %s, expected a finite number"),
                         source_name (spec), path,
                         isnan (t->data[k]) ? "NaN" : (t->data[k] > 0 ? "Infinity"
                                                                        : "-Infinity"));
            return FALSE;
          }
    }
  return TRUE;
}

/* The required parameters are all @present: a loader that knows its keys before reading
 * their values (an archive's member names) asks before it reads any. */
gboolean
_sq_xylo_spec_check_keys (const SqXyloSpec *spec,
                          const gboolean   *present,
                          GError          **error)
{
  static const SqParam required[] = {
    SQ_PARAM_WEIGHTS_IN, SQ_PARAM_WEIGHTS_REC, SQ_PARAM_WEIGHTS_OUT,
    SQ_PARAM_THRESHOLD, SQ_PARAM_THRESHOLD_OUT,
    SQ_PARAM_DASH_MEM, SQ_PARAM_DASH_SYN, SQ_PARAM_DASH_MEM_OUT, SQ_PARAM_DASH_SYN_OUT,
  };
  g_autoptr(GString) missing = g_string_new (NULL);
  guint n_missing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!present[required[i]])
      {
        g_string_append_printf (missing, "%s%s", n_missing ? ", " : "", param_names[required[i]]);
        n_missing++;
      }
  if (n_missing == 0)
    return TRUE;
  g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
               g_dngettext (GETTEXT_PACKAGE,
                            "%s: missing key %s; a Xylo specification needs weights_in, "
                            "weights_rec, weights_out, threshold, threshold_out and the "
                            "dashes",
                            "%s: missing keys %s; a Xylo specification needs weights_in, "
                            "weights_rec, weights_out, threshold, threshold_out and the "
                            "dashes", n_missing),
               source_name (spec), missing->str);
  return FALSE;
}

/**
 * sq_xylo_spec_validate:
 *
 * Checks that the required parameters are present, that every rank and size agrees with the
 * others, and that every value is finite; then fills in the derived sizes. Every loader
 * calls it, so a loaded specification is always consistent.
 */
gboolean
sq_xylo_spec_validate (SqXyloSpec *spec,
                       GError    **error)
{
  const SqTensor *w_in = &spec->param[SQ_PARAM_WEIGHTS_IN];
  const SqTensor *w_rec = &spec->param[SQ_PARAM_WEIGHTS_REC];
  const SqTensor *w_out = &spec->param[SQ_PARAM_WEIGHTS_OUT];
  gboolean present[SQ_N_PARAMS];
  gsize syn_in;

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    present[i] = sq_tensor_is_present (&spec->param[i]);
  if (!_sq_xylo_spec_check_keys (spec, present, error))
    return FALSE;

  if (!check_rank (spec, SQ_PARAM_WEIGHTS_IN, 2, 3, _("(Nin, Nhid) or (Nin, Nien, Nsyn)"),
                   error) ||
      !check_rank (spec, SQ_PARAM_WEIGHTS_REC, 2, 3, _("(Nhid, Nhid) or (Nhid, Nhid, Nsyn)"),
                   error) ||
      !check_rank (spec, SQ_PARAM_WEIGHTS_OUT, 2, 2, "(Noen, Nout)", error))
    return FALSE;
  for (guint i = 0; i < SQ_N_PARAMS; i++)
    if (!sq_param_is_weights ((SqParam) i) &&
        !check_rank (spec, (SqParam) i, 1, 1,
                     sq_param_is_output ((SqParam) i) ? "(Nout,)" : "(Nhid,)", error))
      return FALSE;

  if (w_rec->shape[0] != w_rec->shape[1])
    {
      g_autofree char *shape = sq_tensor_shape_string (w_rec);
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
                   _("%s: weights_rec is %s, expected a square (Nhid, Nhid[, Nsyn]) matrix"),
                   source_name (spec), shape);
      return FALSE;
    }
  spec->n_hidden = w_rec->shape[0];
  spec->weights_rec_3d = w_rec->rank == 3;
  spec->n_syn = spec->weights_rec_3d ? w_rec->shape[2] : 1;
  if (spec->n_syn > 2)
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
                   _("%s: weights_rec has %zu synapses per neuron; Xylo "
                     "neurons have 1 or 2"), source_name (spec), spec->n_syn);
      return FALSE;
    }

  spec->weights_in_3d = w_in->rank == 3;
  spec->n_in = w_in->shape[0];
  spec->n_ien = w_in->shape[1];
  syn_in = spec->weights_in_3d ? w_in->shape[2] : 1;
  if (syn_in != spec->n_syn)
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
                   _("%s: weights_in has %zu synapses per neuron but "
                     "weights_rec has %zu"), source_name (spec), syn_in, spec->n_syn);
      return FALSE;
    }
  if (spec->n_ien > spec->n_hidden)
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
                   _("%s: weights_in feeds %zu hidden neurons, but weights_rec "
                     "has only %zu"), source_name (spec), spec->n_ien, spec->n_hidden);
      return FALSE;
    }

  spec->n_oen = w_out->shape[0];
  spec->n_out = w_out->shape[1];
  if (spec->n_oen > spec->n_hidden)
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
                   _("%s: weights_out has %zu rows, but weights_rec has only %zu hidden neurons"),
                   source_name (spec), spec->n_oen, spec->n_hidden);
      return FALSE;
    }

  if (spec->n_syn == 2 && !sq_tensor_is_present (&spec->param[SQ_PARAM_DASH_SYN_2]))
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_MISSING_KEY,
                   _("%s: missing key dash_syn_2; the network has 2 synapses per neuron"),
                   source_name (spec));
      return FALSE;
    }

  for (guint i = 0; i < SQ_N_PARAMS; i++)
    {
      SqParam p = (SqParam) i;

      if (sq_param_is_weights (p))
        continue;
      if (sq_param_is_output (p))
        {
          if (!check_length (spec, p, spec->n_out, _("output neuron, the columns of weights_out"),
                             error))
            return FALSE;
        }
      else if (!check_length (spec, p, spec->n_hidden, _("hidden neuron, the rows of weights_rec"),
                              error))
        return FALSE;
    }

  if (spec->alias_offsets != NULL)
    {
      if (spec->n_alias_lists != spec->n_hidden)
        {
          g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_SHAPE,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "%s: aliases has %zu list, expected %zu (one per hidden "
                                    "neuron)",
                                    "%s: aliases has %zu lists, expected %zu (one per hidden "
                                    "neuron)",
                                    spec->n_alias_lists),
                       source_name (spec), spec->n_alias_lists, spec->n_hidden);
          return FALSE;
        }
      for (gsize j = 0; j < spec->n_alias_lists; j++)
        for (gsize k = spec->alias_offsets[j]; k < spec->alias_offsets[j + 1]; k++)
          if (spec->alias_targets[k] >= spec->n_hidden)
            {
              g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                           _("%s: aliases[%zu][%zu] is %u, "
                             "expected a hidden neuron index below %zu"),
                           source_name (spec), j, k - spec->alias_offsets[j],
                           spec->alias_targets[k], spec->n_hidden);
              return FALSE;
            }
    }

  for (guint i = 0; i < SQ_N_SHIFTS; i++)
    if (spec->weight_shift[i] < 0 || spec->weight_shift[i] > SQ_WEIGHT_SHIFT_MAX)
      {
        g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                     _("%s: %s is %d, expected a whole number from 0 to %d"),
                     source_name (spec), shift_names[i], spec->weight_shift[i],
                     SQ_WEIGHT_SHIFT_MAX);
        return FALSE;
      }

  if (spec->has_dt && !(isfinite (spec->dt) && spec->dt > 0.0))
    {
      g_set_error (error, SQ_SPEC_ERROR, SQ_SPEC_ERROR_VALUE,
                   _("%s: dt is %g, expected a positive time step in seconds"),
                   source_name (spec), spec->dt);
      return FALSE;
    }

  return check_finite (spec, error);
}
