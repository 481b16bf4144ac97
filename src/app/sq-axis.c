/* sq-axis.c: maps data values of one plot axis to [0, 1]
 *
 * A chart maps data to pixels through two of these (after sysprof's SysprofAxis): the axis owns
 * the range and the scale, the widget only multiplies by its plot size. Degenerate ranges (all
 * weights equal, no data, NaN) are reported by sq_axis_is_pathological() but still map to a
 * sensible widened range, so a plot of them shows something instead of dividing by zero.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "sq-axis.h"

struct _SqAxis
{
  GObject parent_instance;

  double   lower;
  double   upper;
  gboolean logarithmic;

  /* Derived from the above whenever they change, so normalize() stays a multiply-add. */
  double   eff_lower;
  double   eff_upper;
  double   f_lower;   /* scale (eff_lower) */
  double   f_span;    /* scale (eff_upper) − scale (eff_lower), > 0 */
  gboolean use_log;   /* logarithmic, and the range is wide enough in log space */
};

G_DEFINE_FINAL_TYPE (SqAxis, sq_axis, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOWER,
  PROP_UPPER,
  PROP_LOGARITHMIC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static inline gboolean
differ (double a,
        double b)
{
  return a < b || a > b || (isnan (a) != isnan (b));
}

/* log1p-style and odd, so 0 maps to 0, counts of 1 are visible, and negative values work. */
static inline double
log_scale (double v)
{
  return copysign (log1p (fabs (v)), v);
}

static inline double
log_unscale (double s)
{
  return copysign (expm1 (fabs (s)), s);
}

static void
update_mapping (SqAxis *self)
{
  double lo = self->lower, hi = self->upper;

  if (!isfinite (lo) || !isfinite (hi))
    {
      lo = 0.0;
      hi = 1.0;
    }
  else if (hi < lo)
    {
      double t = lo;

      lo = hi;
      hi = t;
    }

  if (!(lo < hi))
    {
      /* All values equal: centre them, a tenth of their size (or one unit) either side. */
      double w = fabs (lo) * 0.1;

      if (!(w > 1e-300))
        w = 1.0;
      lo -= w;
      hi += w;
    }
  if (!isfinite (hi - lo))
    {
      lo = 0.0;
      hi = 1.0;
    }

  self->eff_lower = lo;
  self->eff_upper = hi;
  self->use_log = FALSE;
  self->f_lower = lo;
  self->f_span = hi - lo;

  if (self->logarithmic)
    {
      double flo = log_scale (lo), fhi = log_scale (hi);

      /* A range far from zero can be too narrow to resolve in log space; stay linear then. */
      if (fhi - flo > 0.0)
        {
          self->use_log = TRUE;
          self->f_lower = flo;
          self->f_span = fhi - flo;
        }
    }
}

static void
sq_axis_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SqAxis *self = SQ_AXIS (object);

  switch (prop_id)
    {
    case PROP_LOWER:
      g_value_set_double (value, sq_axis_get_lower (self));
      break;
    case PROP_UPPER:
      g_value_set_double (value, sq_axis_get_upper (self));
      break;
    case PROP_LOGARITHMIC:
      g_value_set_boolean (value, sq_axis_get_logarithmic (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_axis_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SqAxis *self = SQ_AXIS (object);

  switch (prop_id)
    {
    case PROP_LOWER:
      sq_axis_set_range (self, g_value_get_double (value), self->upper);
      break;
    case PROP_UPPER:
      sq_axis_set_range (self, self->lower, g_value_get_double (value));
      break;
    case PROP_LOGARITHMIC:
      sq_axis_set_logarithmic (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sq_axis_class_init (SqAxisClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = sq_axis_get_property;
  object_class->set_property = sq_axis_set_property;

  /**
   * SqAxis:lower:
   *
   * The value mapped to 0.
   */
  properties[PROP_LOWER] =
    g_param_spec_double ("lower", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqAxis:upper:
   *
   * The value mapped to 1.
   */
  properties[PROP_UPPER] =
    g_param_spec_double ("upper", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * SqAxis:logarithmic:
   *
   * Whether values are mapped through sign(v)·log(1 + |v|), so a count of 0 still maps to 0.
   */
  properties[PROP_LOGARITHMIC] =
    g_param_spec_boolean ("logarithmic", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sq_axis_init (SqAxis *self)
{
  self->lower = 0.0;
  self->upper = 1.0;
  update_mapping (self);
}

SqAxis *
sq_axis_new (void)
{
  return g_object_new (SQ_TYPE_AXIS, NULL);
}

/**
 * sq_axis_set_range:
 *
 * Sets the values mapped to 0 and 1. Any values are accepted; see sq_axis_is_pathological().
 * Notifies "lower" and "upper" only when they change.
 */
void
sq_axis_set_range (SqAxis *self,
                   double  lower,
                   double  upper)
{
  gboolean lower_changed, upper_changed;

  g_return_if_fail (SQ_IS_AXIS (self));

  lower_changed = differ (self->lower, lower);
  upper_changed = differ (self->upper, upper);
  if (!lower_changed && !upper_changed)
    return;

  self->lower = lower;
  self->upper = upper;
  update_mapping (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (lower_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOWER]);
  if (upper_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPPER]);
  g_object_thaw_notify (G_OBJECT (self));
}

double
sq_axis_get_lower (SqAxis *self)
{
  g_return_val_if_fail (SQ_IS_AXIS (self), 0.0);
  return self->lower;
}

double
sq_axis_get_upper (SqAxis *self)
{
  g_return_val_if_fail (SQ_IS_AXIS (self), 1.0);
  return self->upper;
}

/**
 * sq_axis_get_effective_range:
 *
 * The range actually mapped to [0, 1]: the range that was set, or for a pathological one the
 * range drawn instead (a single value widened by a tenth of itself or by 1 either side; a
 * reversed range swapped; a non-finite one [0, 1]).
 */
void
sq_axis_get_effective_range (SqAxis *self,
                             double *lower,
                             double *upper)
{
  g_return_if_fail (SQ_IS_AXIS (self));
  if (lower != NULL)
    *lower = self->eff_lower;
  if (upper != NULL)
    *upper = self->eff_upper;
}

void
sq_axis_set_logarithmic (SqAxis   *self,
                         gboolean  logarithmic)
{
  g_return_if_fail (SQ_IS_AXIS (self));

  logarithmic = !!logarithmic;
  if (self->logarithmic == logarithmic)
    return;
  self->logarithmic = logarithmic;
  update_mapping (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGARITHMIC]);
}

gboolean
sq_axis_get_logarithmic (SqAxis *self)
{
  g_return_val_if_fail (SQ_IS_AXIS (self), FALSE);
  return self->logarithmic;
}

/* Whether the range set is empty, reversed, a single value or not finite. */
gboolean
sq_axis_is_pathological (SqAxis *self)
{
  g_return_val_if_fail (SQ_IS_AXIS (self), TRUE);
  return !isfinite (self->lower) || !isfinite (self->upper) || !(self->lower < self->upper)
         || !isfinite (self->upper - self->lower);
}

/* Maps the effective range to [0, 1]; values outside map outside, NaN to NaN. */
double
sq_axis_normalize (SqAxis *self,
                   double  value)
{
  double f;

  g_return_val_if_fail (SQ_IS_AXIS (self), NAN);

  f = self->use_log ? log_scale (value) : value;
  return (f - self->f_lower) / self->f_span;
}

double
sq_axis_denormalize (SqAxis *self,
                     double  t)
{
  double f;

  g_return_val_if_fail (SQ_IS_AXIS (self), NAN);

  f = self->f_lower + t * self->f_span;
  return self->use_log ? log_unscale (f) : f;
}

/* k·m·10^e, computed as an integer divided by a power of ten when e < 0, so 3·10⁻¹ comes out as
 * the double nearest 0.3 (what the user reads), not 0.30000000000000004. */
static double
nice_value (double k,
            int    m,
            int    e)
{
  double v = e < 0 ? (k * m) / pow (10.0, -e) : k * m * pow (10.0, e);

  return v + 0.0;   /* −0 → +0, so no tick reads "−0" */
}

static guint
linear_ticks (double  lo,
              double  hi,
              double *ticks,
              guint   max_ticks)
{
  static const int mult[] = { 1, 2, 5 };
  int e;

  if (max_ticks == 0)
    return 0;

  e = (int) floor (log10 ((hi - lo) / max_ticks));
  for (int guard = 0; guard < 700; guard++, e++)
    for (guint i = 0; i < G_N_ELEMENTS (mult); i++)
      {
        double step = mult[i] * pow (10.0, e);
        /* A tick a hair outside the range (a billionth of a step) still counts as inside. */
        double kmin = ceil (lo / step - 1e-9), kmax = floor (hi / step + 1e-9);
        guint n = 0;

        if (!(kmax - kmin + 1 <= max_ticks))
          continue;
        for (double k = kmin; k <= kmax; k++)
          ticks[n++] = nice_value (k, mult[i], e);
        return n;
      }
  return 0;
}

/* Ticks at 0 and ±powers of ten from 1 up (below 1 the log1p scale is nearly linear), every
 * stride-th decade when there are too many. */
static guint
log_ticks (double  lo,
           double  hi,
           double *ticks,
           guint   max_ticks)
{
  int top = (int) floor (log10 (MAX (fabs (lo), fabs (hi))));

  for (int stride = 1; stride <= top + 1; stride++)
    {
      guint n = 0;

      for (int e = top; e >= 0; e--)
        if (e % stride == 0 && -pow (10.0, e) >= lo)
          n++;
      if (lo <= 0.0 && hi >= 0.0)
        n++;
      for (int e = 0; e <= top; e++)
        if (e % stride == 0 && pow (10.0, e) <= hi)
          n++;

      if (n > max_ticks)
        continue;
      n = 0;
      for (int e = top; e >= 0; e--)
        if (e % stride == 0 && -pow (10.0, e) >= lo)
          ticks[n++] = -pow (10.0, e);
      if (lo <= 0.0 && hi >= 0.0)
        ticks[n++] = 0.0;
      for (int e = 0; e <= top; e++)
        if (e % stride == 0 && pow (10.0, e) <= hi)
          ticks[n++] = pow (10.0, e);
      return n;
    }
  return 0;
}

/**
 * sq_axis_ticks:
 * @ticks: (out caller-allocates) (array length=max_ticks): where the tick values go, ascending
 *
 * Picks at most @max_ticks round values inside the effective range: multiples of 1, 2 or 5 times
 * a power of ten, the smallest such step that fits; on a logarithmic axis spanning at least two
 * decades, 0 and powers of ten.
 *
 * Returns: the number of ticks written
 */
guint
sq_axis_ticks (SqAxis *self,
               double *ticks,
               guint   max_ticks)
{
  double lo, hi;

  g_return_val_if_fail (SQ_IS_AXIS (self), 0);
  g_return_val_if_fail (ticks != NULL || max_ticks == 0, 0);

  lo = self->eff_lower;
  hi = self->eff_upper;
  if (self->use_log && MAX (fabs (lo), fabs (hi)) >= 100.0)
    {
      guint n = log_ticks (lo, hi, ticks, max_ticks);

      if (n >= 2)
        return n;
    }
  return linear_ticks (lo, hi, ticks, max_ticks);
}
