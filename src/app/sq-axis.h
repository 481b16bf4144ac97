/* sq-axis.h: maps data values of one plot axis to [0, 1]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SQ_TYPE_AXIS (sq_axis_get_type ())

G_DECLARE_FINAL_TYPE (SqAxis, sq_axis, SQ, AXIS, GObject)

SqAxis   *sq_axis_new              (void);
void      sq_axis_set_range        (SqAxis   *self,
                                    double    lower,
                                    double    upper);
double    sq_axis_get_lower        (SqAxis   *self);
double    sq_axis_get_upper        (SqAxis   *self);
void      sq_axis_get_effective_range (SqAxis *self,
                                       double *lower,
                                       double *upper);
void      sq_axis_set_logarithmic  (SqAxis   *self,
                                    gboolean  logarithmic);
gboolean  sq_axis_get_logarithmic  (SqAxis   *self);
gboolean  sq_axis_is_pathological  (SqAxis   *self);
double    sq_axis_normalize        (SqAxis   *self,
                                    double    value);
double    sq_axis_denormalize      (SqAxis   *self,
                                    double    t);
guint     sq_axis_ticks            (SqAxis   *self,
                                    double   *ticks,
                                    guint     max_ticks);

G_END_DECLS
