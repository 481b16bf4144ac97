/* sq-parallel.c: the parts of one pass spread over the processors
 *
 * A pass over a 2 M-weight network is split into parts whose results are combined in part
 * order by the caller, so its numbers never depend on how many threads ran it or which took
 * which part: one thread and many give the same bits. The caller runs parts itself too, and
 * helpers come from one shared GThreadPool (one thread fewer than the processors), so a pass
 * costs a wake-up, not a thread start. On one processor everything runs in the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-parallel-private.h"

static GThreadPool *pool;
static guint n_threads_default;
static guint n_threads_forced;   /* 0: the default */

/* A pass, shared with the helpers pushed for it. A helper the pool starts late, after the
 * caller ran every part itself, must not hold the caller up (on a busy machine that wait
 * can be a whole time slice): the caller closes the job and waits only for the helpers
 * already inside; the job is reference-counted so a late one can still look at it. */
typedef struct {
  gatomicrefcount ref_count;
  SqParallelFunc  func;
  gpointer        data;
  guint           n_parts;
  gint            next;       /* the next part to claim (atomic) */
  GMutex          lock;
  GCond           cond;
  gboolean        closed;     /* the caller is done: helpers that come now leave */
  guint           inside;     /* helpers running parts */
} Job;

static void
job_unref (Job *job)
{
  if (g_atomic_ref_count_dec (&job->ref_count))
    {
      g_mutex_clear (&job->lock);
      g_cond_clear (&job->cond);
      g_free (job);
    }
}

/* Claims and runs parts until none is left. */
static void
run_parts (Job *job)
{
  for (;;)
    {
      guint part = (guint) g_atomic_int_add (&job->next, 1);

      if (part >= job->n_parts)
        return;
      job->func (part, job->n_parts, job->data);
    }
}

static void
helper (gpointer data,
        gpointer user_data)
{
  Job *job = data;
  gboolean enter;

  g_mutex_lock (&job->lock);
  enter = !job->closed;
  job->inside += enter;
  g_mutex_unlock (&job->lock);
  if (enter)
    {
      run_parts (job);
      g_mutex_lock (&job->lock);
      job->inside--;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->lock);
    }
  job_unref (job);
}

static gpointer
init_pool (gpointer unused)
{
  guint n = g_get_num_processors ();

  n_threads_default = MAX (n, 1);
  if (n_threads_default > 1)
    pool = g_thread_pool_new (helper, NULL, (int) n_threads_default - 1, FALSE, NULL);
  return NULL;
}

static void
ensure_pool (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_pool, NULL);
}

guint
_sq_parallel_n_threads (void)
{
  guint forced = g_atomic_int_get (&n_threads_forced);

  ensure_pool ();
  if (pool == NULL)
    return 1;
  return forced > 0 ? MIN (forced, n_threads_default) : n_threads_default;
}

void
_sq_parallel_set_threads (guint n)
{
  g_atomic_int_set (&n_threads_forced, n);
}

void
_sq_parallel_run (guint          n_parts,
                  SqParallelFunc func,
                  gpointer       data)
{
  guint threads = _sq_parallel_n_threads ();
  Job *job;

  if (threads <= 1 || n_parts <= 1)
    {
      for (guint p = 0; p < n_parts; p++)
        func (p, n_parts, data);
      return;
    }

  job = g_new0 (Job, 1);
  g_atomic_ref_count_init (&job->ref_count);
  job->func = func;
  job->data = data;
  job->n_parts = n_parts;
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  for (guint h = 0; h + 1 < MIN (threads, n_parts); h++)
    {
      g_atomic_ref_count_inc (&job->ref_count);
      if (!g_thread_pool_push (pool, job, NULL))
        g_atomic_ref_count_dec (&job->ref_count);
    }
  run_parts (job);
  g_mutex_lock (&job->lock);
  job->closed = TRUE;
  while (job->inside > 0)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
  job_unref (job);
}
