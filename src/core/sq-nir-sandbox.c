/* sq-nir-sandbox.c: NIR files are parsed by HDF5 in another process (built only with -Dnir)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* memfd_create, pipe2, environ */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* The last graph read, as the reader sent it, keyed by the file's SHA-256: opening a file
 * reads it once per network kind (describing, mapping), and each read starts a process.
 * Only graphs are kept (an error may depend on the memory budget), and only up to this
 * size. */
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

/**
 * _sq_nir_child_main:
 * @fd: where the reply goes: 'G' + the graph (sq-nir-wire.c), or 'E', the error code and
 *   the message
 *
 * The reader's process, forked or the synquant-nir-reader helper: limits itself, reads the
 * file with HDF5 and replies. Takes no lock another thread could hold in a forked child
 * (see sq-nir-wire.c).
 *
 * Returns: the process's exit status
 */
int
_sq_nir_child_main (const char *data,
                    gsize       length,
                    const char *display_name,
                    int         fd)
{
  GError *e = NULL;
  SqNirGraph *graph;
  GBytes *v;
  const char *msg, *out;
  gsize len;
  char tag, code;

  limit_child (length);
  graph = _sq_nir_hdf5_read (data, length, display_name, &e);
  v = graph ? _sq_nir_graph_to_wire (graph) : NULL;
  msg = e ? e->message : display_name;
  out = v ? g_bytes_get_data (v, NULL) : msg;
  len = v ? g_bytes_get_size (v) : strlen (msg);
  tag = v ? 'G' : 'E';
  code = e && e->domain == SQ_NIR_ERROR ? (char) e->code : SQ_NIR_ERROR_FORMAT;
  if (write (fd, &tag, 1) != 1 || (!v && write (fd, &code, 1) != 1))
    return 2;
  while (len > 0)
    {
      ssize_t w = write (fd, out, len);

      if (w <= 0)
        return 2;
      out += w;
      len -= (gsize) w;
    }
  return 0;
}

/* The helper that reads NIR files in a process of its own: $SQ_NIR_READER (the build
 * tree's, set for the tests and ./dev run), else the installed one; %NULL when neither is
 * there (an uninstalled build run by hand), and then the reader forks instead. */
static const char *
reader_path (void)
{
  static const char installed[] = SQ_LIBEXECDIR G_DIR_SEPARATOR_S "synquant-nir-reader";
  const char *env = g_getenv ("SQ_NIR_READER");

  if (env != NULL && env[0] != '\0')
    return g_file_test (env, G_FILE_TEST_IS_EXECUTABLE) ? env : NULL;
  return g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE) ? installed : NULL;
}

/* Starts @path on the file's bytes (its standard input, a memory file) with its
 * standard output on @reply. The new program inherits no lock of this process, whatever its
 * other threads were doing. Returns the pid, or -1 with errno set. */
static pid_t
spawn_reader (const char *path,
              const char *data,
              gsize       length,
              const char *display_name,
              int         reply)
{
  posix_spawn_file_actions_t actions;
  char fixed[32], per_byte[32];
  char *argv[] = { (char *) path, (char *) display_name, fixed, per_byte, NULL };
  pid_t pid = -1;
  int memfd, err;

  memfd = memfd_create ("synquant-nir", MFD_CLOEXEC);
  if (memfd < 0)
    return -1;
  for (gsize done = 0; done < length;)
    {
      ssize_t w = write (memfd, data + done, length - done);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          err = errno ? errno : EIO;
          close (memfd);
          errno = err;
          return -1;
        }
      done += (gsize) w;
    }
  if (lseek (memfd, 0, SEEK_SET) != 0)
    {
      err = errno;
      close (memfd);
      errno = err;
      return -1;
    }
  g_snprintf (fixed, sizeof fixed, "%" G_GSIZE_FORMAT, child_fixed_budget);
  g_snprintf (per_byte, sizeof per_byte, "%" G_GSIZE_FORMAT, child_budget_per_byte);
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, memfd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2 (&actions, reply, STDOUT_FILENO);
  err = posix_spawn (&pid, path, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  close (memfd);
  if (err != 0)
    {
      errno = err;
      return -1;
    }
  return pid;
}

/* libhdf5 1.10 trusts a file's internal addresses: some damaged files (a corrupt global heap
 * behind a vlen string, for one) make it read out of bounds and crash, and no check short of
 * reimplementing HDF5 rules that out. So the file is read in another process that runs only
 * this reader (_sq_nir_child_main()), sends the graph back through a pipe (sq-nir-wire.c) and
 * exits; this process never lets HDF5 parse a file. That process is the synquant-nir-reader
 * program: a forked child would inherit every lock another thread held at the fork, and one
 * that touched such a lock hung (GVariant's type table did, one child in fifty while the
 * window's D-Bus thread was busy; under ASan its own tables can). Only when the program is
 * not found does the reader fork, and that child takes no lock of its making: glibc keeps
 * malloc usable after fork, the reply is written without GVariant, the error quarks and HDF5
 * are initialised before forking and the NIR lock is held, so no other thread is inside HDF5.
 * A reader that hangs is killed after CHILD_WALL_SECONDS; it has a CPU and an address-space
 * limit (limit_child()). When none can be started the file is not parsed: HDF5 never reads a
 * file in this process. */
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
  const char *helper;
  pid_t pid;

  /* What the child needs that takes a lock on first use happens here, before the fork. */
  (void) sq_nir_error_quark ();
  (void) sq_tensor_error_quark ();
  _sq_nir_h5_init ();
  if (pipe2 (fds, O_CLOEXEC) != 0)
    return start_error (display_name, errno, error);
  helper = reader_path ();
  pid = helper != NULL ? spawn_reader (helper, data, length, display_name, fds[1]) : -1;
  /* No helper, or it could not be started (no memory files in this kernel or sandbox). */
  if (pid < 0)
    pid = fork ();
  if (pid < 0)
    {
      int saved = errno;

      close (fds[0]);
      close (fds[1]);
      return start_error (display_name, saved, error);
    }
  if (pid == 0)
    _exit (_sq_nir_child_main (data, length, display_name, fds[1]));
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
      else if (WIFSIGNALED (status))
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_FORMAT,
                     _("%s: damaged HDF5 structures: the HDF5 library crashed reading them "
                       "(signal %d)"), display_name, WTERMSIG (status));
      else
        /* Not HDF5's doing: a reader program that is not this library's, say. */
        g_set_error (error, SQ_NIR_ERROR, SQ_NIR_ERROR_IO,
                     _("%s: the process that reads NIR files failed (exit status %d)"),
                     display_name, WIFEXITED (status) ? WEXITSTATUS (status) : -1);
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

/* A NIR file read, unchecked: its superblock here, everything else in the reader process. */
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
