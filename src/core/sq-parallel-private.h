/* sq-parallel-private.h: running the parts of one pass on every core (sq-parallel.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Computes part @part of @n_parts; parts write only what is theirs. */
typedef void (*SqParallelFunc) (guint    part,
                                 guint    n_parts,
                                 gpointer data);

guint _sq_parallel_n_threads     (void);
/* For tests and benchmarks: at most @n threads from now on (0 restores the default, one
 * per processor). */
void  _sq_parallel_set_threads   (guint          n);
/* Runs @func on parts 0 … @n_parts − 1, spread over up to _sq_parallel_n_threads() threads
 * (the caller's among them), and returns when all are done. */
void  _sq_parallel_run           (guint          n_parts,
                                  SqParallelFunc func,
                                  gpointer       data);

G_END_DECLS
