/* sq-events.h: event streams (t, x, y, p) from files, and their counts in time steps
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

/* The largest time Synquant takes, in µs (about 50 days): it keeps every product of a time
 * with a clock frequency or a step count inside 64 bits. */
#define SQ_EVENTS_MAX_TIME ((gint64) 1 << 42)

/**
 * SqEvent:
 * @t: the time in µs, 0 ≤ t < %SQ_EVENTS_MAX_TIME
 * @c: the channel: the polarity p (0 or 1) of a sensor event, or the feature of a layer's
 *   spike
 * @y, @x: the pixel
 * @record: the event's index in its file, which messages name ("events[17]")
 */
typedef struct {
  gint64  t;
  guint32 c;
  guint32 y;
  guint32 x;
  guint32 record;
} SqEvent;

/**
 * SqEventList:
 * @events: (array length=n): in time order; events of one time keep the file's order
 * @n: how many
 */
typedef struct {
  SqEvent *events;
  gsize    n;
} SqEventList;

gboolean sq_events_read               (const guint8      *data,
                                       gsize              length,
                                       const char        *name,
                                       SqEventList       *list,
                                       GError           **error);
gboolean sq_events_load               (const char        *path,
                                       SqEventList       *list,
                                       GError           **error);
gboolean sq_events_is_npy             (const guint8      *data,
                                       gsize              length);
void     sq_event_list_merge_polarities (SqEventList     *list);
gboolean sq_event_list_check          (const SqEventList *list,
                                       const gsize        shape[3],
                                       GError           **error);
gsize    sq_event_list_n_steps        (const SqEventList *list,
                                       guint64            step_us);
gboolean sq_events_bin                (const SqEventList *list,
                                       guint64            step_us,
                                       gsize              n_steps,
                                       const gsize        shape[3],
                                       SqTensor          *counts,
                                       GError           **error);
gboolean sq_events_from_counts        (const SqTensor    *counts,
                                       guint64            step_us,
                                       SqEventList       *list,
                                       GError           **error);
void     sq_event_list_clear          (SqEventList       *list);

G_END_DECLS
