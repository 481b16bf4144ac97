/* sq-nir-sandbox.c: NIR files are parsed by HDF5 in a forked child (built only with -Dnir)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "synquant.h"
#include "sq-nir-private.h"

/* ASan reserves terabytes of address space for its shadow memory: under it an address-space
 * limit would make every allocation fail, so the child then gets the CPU limit only. */
#if defined(__SANITIZE_ADDRESS__)
# define SQ_UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define SQ_UNDER_ASAN 1
# endif
#endif

/* The child's CPU seconds: a hostile file that makes HDF5 loop dies by SIGXCPU. */
#define CHILD_CPU_SECONDS 10

/* The parent's wall-clock wait, well above the CPU limit: the child reads from memory and
 * never blocks, so only a machine busy with other work (a parallel test run under a
 * sanitizer) makes it slower than its CPU time, and that must not fail a healthy file; below
 * the fuzzers' 30 s timeout. */
#define CHILD_WALL_SECONDS 25

/* The last graph read, as the child sent it, keyed by the file's SHA-256: opening a file
 * reads it once per network kind (describing, mapping), and each read forks. Only graphs
 * are kept (an error may depend on the memory budget), and only up to this size. */
#define CACHE_MAX_BYTES ((gsize) 64 << 20)

static guint   n_children;
static char   *cache_digest;
static gsize   cache_length;
static GBytes *cache_reply;

/* Memory the child may add to what it inherits: enough for HDF5's own needs and three
 * copies (HDF5's buffers, the tensors, the GVariant) of the most values the reader accepts
 * from a file of @length bytes (it refuses a dataset of more than 1100 values a byte, about
 * deflate's best ratio). Tests set it lower. */
static gsize child_fixed_budget = (gsize) 512 << 20;
static gsize child_budget_per_byte = 3 * sizeof (double) * 1100;

void
_sq_nir_set_child_budget (gsize fixed,
                          gsize per_byte)
{
  child_fixed_budget = fixed;
  child_budget_per_byte = per_byte;
  _sq_nir_lock ();
  g_clear_pointer (&cache_digest, g_free);
  g_clear_pointer (&cache_reply, g_bytes_unref);
  _sq_nir_unlock ();
}

guint
_sq_nir_children_started (void)
{
  guint n;

  _sq_nir_lock ();
  n = n_children;
  _sq_nir_unlock ();
  return n;
}

/* Unused under ASan, which gets no address-space limit. */
static G_GNUC_UNUSED gsize
child_budget (gsize length)
{
  if (child_budget_per_byte > 0 &&
      length > (G_MAXSIZE - child_fixed_budget) / child_budget_per_byte)
    return G_MAXSIZE;
  return child_fixed_budget + length * child_budget_per_byte;
}

/* In the child, before it reads: a hostile file that makes HDF5 allocate or loop without end
 * kills it early (allocations fail, or SIGXCPU), and the parent reports it as damage. */
static void
limit_child (gsize length)
{
  struct rlimit cpu = { CHILD_CPU_SECONDS, CHILD_CPU_SECONDS + 2 };

  setrlimit (RLIMIT_CPU, &cpu);
#ifndef SQ_UNDER_ASAN
  {
    /* What the child inherits (the whole window, mapped libraries) counts too. */
    unsigned long pages = 0;
    char buf[64] = { 0, };
    FILE *f = fopen ("/proc/self/statm", "r");

    if (f != NULL)
      {
        if (fgets (buf, sizeof buf, f) != NULL)
          pages = strtoul (buf, NULL, 10);
        fclose (f);
      }
    if (pages > 0)
      {
        gsize have = (gsize) pages * (gsize) sysconf (_SC_PAGESIZE);
        gsize budget = child_budget (length);
        struct rlimit as;

        as.rlim_cur = as.rlim_max = budget > RLIM_INFINITY - have ? RLIM_INFINITY
                                                                   : have + budget;
        setrlimit (RLIMIT_AS, &as);
      }
  }
#else
  (void) length;
#endif
}

/* libhdf5 1.10 trusts a file's internal addresses: some damaged files (a corrupt global heap
 * behind a vlen string, for one) make it read out of bounds and crash, and no check short of
 * reimplementing HDF5 rules that out. So the file is read in a forked child that runs only
 * this reader (HDF5, malloc, GLib's string and GVariant helpers), sends the graph back through
 * a pipe as a GVariant and _exits; this process never lets HDF5 parse a file. glibc keeps
 * malloc usable after fork; the error quark and HDF5 are initialised before forking and the
 * NIR lock is held, so no other thread is inside HDF5. A child that hangs is killed after
 * CHILD_WALL_SECONDS; it has a CPU and an address-space limit (limit_child()). When no child
 * can be started the file is not parsed: HDF5 never reads a file in this process. */
static GBytes *
start_error (const char *display_name,
             int         errsv,
             GError    **error)
{
  g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO,
               _("%s: cannot start the process that reads NIR files: %s"), display_name,
               g_strerror (errsv));
  return NULL;
}

/* The graph as the child sends it (sq-nir-wire.c), or %NULL with @error set. */
static GBytes *
load_in_child (const char *data,
               gsize       length,
               const char *display_name,
               GError    **error)
{
  g_autoptr(GByteArray) reply = g_byte_array_new ();
  gint64 deadline;
  int status = 0, fds[2];
  pid_t pid;

  (void) sq_nir_error_quark ();
  _sq_nir_h5_init ();
  if (pipe (fds) != 0)
    return start_error (display_name, errno, error);
  pid = fork ();
  if (pid < 0)
    {
      int saved = errno;

      close (fds[0]);
      close (fds[1]);
      return start_error (display_name, saved, error);
    }
  if (pid == 0)
    {
      /* Reply: 'G' + the graph, or 'E' + the message. */
      GError *e = NULL;
      SqNirGraph *graph;
      GBytes *v;

      limit_child (length);
      graph = _sq_nir_hdf5_read (data, length, display_name, &e);
      v = graph ? _sq_nir_graph_to_wire (graph) : NULL;
      const char *msg = e ? e->message : display_name;
      const char *out = v ? g_bytes_get_data (v, NULL) : msg;
      gsize len = v ? g_bytes_get_size (v) : strlen (msg);
      char tag = v ? 'G' : 'E';

      char code = e && e->domain == SQ_NIR_ERROR ? (char) e->code : SQ_NIR_ERROR_FORMAT;

      close (fds[0]);
      if (write (fds[1], &tag, 1) != 1 || (!v && write (fds[1], &code, 1) != 1))
        _exit (2);
      while (len > 0)
        {
          ssize_t w = write (fds[1], out, len);

          if (w <= 0)
            _exit (2);
          out += w;
          len -= (gsize) w;
        }
      _exit (0);
    }
  n_children++;
  close (fds[1]);
  deadline = g_get_monotonic_time () + CHILD_WALL_SECONDS * G_USEC_PER_SEC;
  for (;;)
    {
      GPollFD pfd = { fds[0], G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      guint8 buf[65536];
      ssize_t r;

      if (left <= 0 || g_poll (&pfd, 1, (int) MIN (left, 1000)) < 0)
        {
          if (left > 0 && errno == EINTR)
            continue;
          kill (pid, SIGKILL);
          break;
        }
      if (pfd.revents == 0)
        continue;
      r = read (fds[0], buf, sizeof buf);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      g_byte_array_append (reply, buf, (guint) r);
    }
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0 || reply->len == 0)
    {
      if (WIFSIGNALED (status) && WTERMSIG (status) == SIGXCPU)
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: HDF5 did not finish reading the file in %d s of processor time: "
                       "it is damaged"), display_name, CHILD_CPU_SECONDS);
      else if (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL)
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: HDF5 did not finish reading the file in %d s: it is damaged"),
                     display_name, CHILD_WALL_SECONDS);
      else
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: damaged HDF5 structures: the HDF5 library crashed reading them "
                       "(signal %d)"), display_name,
                     WIFSIGNALED (status) ? WTERMSIG (status) : 0);
      return NULL;
    }
  if (reply->data[0] == 'E' && reply->len >= 2)
    {
      int code = reply->data[1];

      g_set_error (error, SQ_NIR_ERROR,
                   code >= SQ_NIR_ERROR_NO_SUPPORT && code <= SQ_NIR_ERROR_UNMAPPABLE
                   ? code : SQ_NIR_ERROR_FORMAT,
                   "%.*s", (int) reply->len - 2, (const char *) reply->data + 2);
      return NULL;
    }
  if (reply->data[0] != 'G')
    {
      g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                   _("%s: the reader process sent back a damaged graph"), display_name);
      return NULL;
    }
  return g_bytes_new (reply->data + 1, reply->len - 1);
}

/* A NIR file read, unchecked: its superblock here, everything else in a forked child. */
SqNirGraph *
_sq_nir_read (const char *data,
              gsize       length,
              const char *display_name,
              GError    **error)
{
  g_autofree char *digest = NULL;
  g_autoptr(GBytes) wire = NULL;

  _sq_nir_lock ();
  if (_sq_nir_check_superblock (data, length, display_name, error))
    {
      digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
      if (cache_reply != NULL && cache_length == length && g_str_equal (cache_digest, digest))
        wire = g_bytes_ref (cache_reply);
      else if ((wire = load_in_child (data, length, display_name, error)) != NULL &&
               g_bytes_get_size (wire) <= CACHE_MAX_BYTES)
        {
          g_free (cache_digest);
          cache_digest = g_steal_pointer (&digest);
          cache_length = length;
          g_clear_pointer (&cache_reply, g_bytes_unref);
          cache_reply = g_bytes_ref (wire);
        }
    }
  _sq_nir_unlock ();
  /* The wire names the file as the caller does, whatever name the cached read had. */
  return wire != NULL ? _sq_nir_graph_from_wire (wire, display_name, error) : NULL;
}
