/* test-c-export.c: the C header and its integer core — golden files, determinism, the
 * errors, and the generated C compiled with `cc -std=c99 -Wall -Wextra -pedantic -Werror` in
 * every shape (1 or 2 synapses, zero weights, aliases, biases, each device) and run on Poisson
 * rasters, every output spike, hidden event count and state of every step compared with
 * sq_xylo_sim on all device variants, with the caps, saturations, wraps, aliases, dash 0 and
 * 31 and non-positive thresholds exercised.
 *
 * Set SQ_UPDATE_GOLDEN=1 to rewrite tests/data/c-export/ from the current code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sq-test-utils.h"

/* The golden files hold this in place of the version, so a release does not change them. */
#define VERSION_PLACEHOLDER "@PACKAGE_VERSION@"

static SqQuantResult *
quantize_file (const char *path,
               SqMethod    method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) spec = sq_xylo_spec_load_file (path, NULL, NULL, NULL, &error);
  SqQuantParams params;
  SqQuantResult *q;

  g_assert_no_error (error);
  sq_quant_params_init (&params);
  params.method = method;
  q = sq_quantize (spec, &params, &error);
  g_assert_no_error (error);
  return q;
}

static SqQuantResult *
quantize_small (void)
{
  const char *path = g_getenv ("SQ_EXAMPLE_SMALL");

  g_assert_nonnull (path);
  return quantize_file (path, SQ_METHOD_GLOBAL);
}

static const SqDeviceProfile *
profile (const char *name)
{
  const SqDeviceProfile *d = sq_device_profile_lookup (name);

  g_assert_nonnull (d);
  return d;
}

/* ---------------------------------------------------------------------------------------- */
/* Golden files and determinism                                                              */

static char *
without_version (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  g_assert_cmpuint (g_string_replace (s, "Synquant " PACKAGE_VERSION " ",
                                      "Synquant " VERSION_PLACEHOLDER " ", 0), ==, 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
check_golden (const char *name,
              const char *text)
{
  g_autofree char *path = sq_test_data_path ("data", "c-export", name, NULL);
  g_autofree char *actual = without_version (text);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("SQ_UPDATE_GOLDEN") != NULL)
    {
      g_file_set_contents (path, actual, -1, &error);
      g_assert_no_error (error);
      g_test_message ("rewrote %s", path);
    }
  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_golden_small (void)
{
  g_autoptr(SqQuantResult) q = quantize_small ();
  const SqDeviceProfile *d = profile ("xylo-audio2");
  g_autoptr(GError) error = NULL;
  g_autofree char *h = sq_xylo_spec_to_c_header (q->spec, q, d, "small", &error);
  g_autofree char *c = NULL;

  g_assert_no_error (error);
  c = sq_xylo_spec_to_c_source (q->spec, q, d, "small", "small.h", &error);
  g_assert_no_error (error);
  check_golden ("small.h", h);
  check_golden ("small.c", c);

  /* Spot checks of what the golden file holds, from small.json: 8 inputs, 32 hidden neurons
   * with 2 synapses, 4 outputs, aliases; no date anywhere. */
  g_assert_nonnull (strstr (h, "#define SMALL_N_IN 8\n"));
  g_assert_nonnull (strstr (h, "#define SMALL_N_HIDDEN 32\n"));
  g_assert_nonnull (strstr (h, "#define SMALL_N_SYN 2\n"));
  g_assert_nonnull (strstr (h, "#define SMALL_N_OUT 4\n"));
  g_assert_nonnull (strstr (h, "#define SMALL_WEIGHT_BITS 8\n"));
  g_assert_nonnull (strstr (h, "static const int8_t small_w_rec[SMALL_N_HIDDEN][SMALL_N_HIDDEN]"
                               "[SMALL_W_REC_SYN] = {"));
  g_assert_nonnull (strstr (h, " from small.json\n * for XyloAudio 2 (SYNS61201, xylo-audio2).\n"));
  g_assert_nonnull (strstr (c, "#include \"small.h\"\n"));
  g_assert_null (strstr (h, "20" "2"));
}

static void
test_deterministic (void)
{
  const char *xylo = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(SqQuantResult) q = NULL;
  const SqDeviceProfile *d = profile ("xylo-audio2");

  g_assert_nonnull (xylo);
  for (guint m = 0; m < 2; m++)
    {
      char *h[2] = { NULL, NULL }, *c[2] = { NULL, NULL };

      /* Two quantizations and two exports: the same bytes. */
      for (guint run = 0; run < 2; run++)
        {
          g_autoptr(SqQuantResult) r = m == 0 ? quantize_small ()
                                       : quantize_file (g_getenv ("SQ_EXAMPLE_SMALL"),
                                                        SQ_METHOD_CHANNEL);

          h[run] = sq_xylo_spec_to_c_header (r->spec, r, d, "net", NULL);
          c[run] = sq_xylo_spec_to_c_source (r->spec, r, d, "net", "net.h", NULL);
          g_assert_nonnull (h[run]);
          g_assert_nonnull (c[run]);
        }
      g_assert_cmpstr (h[0], ==, h[1]);
      g_assert_cmpstr (c[0], ==, c[1]);
      if (m == 1)
        {
          /* Channel scaling: one scale per hidden and per output neuron. */
          g_assert_nonnull (strstr (h[0], "static const float net_scale_hidden[32] = {"));
          g_assert_nonnull (strstr (h[0], "static const float net_scale_out[4] = {"));
        }
      for (guint i = 0; i < 2; i++)
        {
          g_free (h[i]);
          g_free (c[i]);
        }
    }

  q = quantize_file (xylo, SQ_METHOD_GLOBAL);
  {
    g_autofree char *a = sq_xylo_spec_to_c_header (q->spec, q, d, "xylo", NULL);
    g_autofree char *b = sq_xylo_spec_to_c_header (q->spec, q, d, "xylo", NULL);

    g_assert_nonnull (a);
    g_assert_cmpstr (a, ==, b);
  }
}

/* ---------------------------------------------------------------------------------------- */
/* Errors                                                                                    */

static void
assert_spec_error (const SqXyloSpec      *spec,
                   const SqDeviceProfile *device,
                   const char            *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *h = sq_xylo_spec_to_c_header (spec, NULL, device, "net", &error);
  g_autoptr(GError) error2 = NULL;
  g_autofree char *c = NULL;

  g_assert_null (h);
  g_assert_error (error, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not name “%s”", error->message, needle);
  c = sq_xylo_spec_to_c_source (spec, NULL, device, "net", "net.h", &error2);
  g_assert_null (c);
  g_assert_error (error2, SQ_SIM_ERROR, SQ_SIM_ERROR_SPEC);
  g_assert_cmpstr (error2->message, ==, error->message);
}

static void
test_errors_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SqXyloSpec) floats = sq_xylo_spec_load_file (g_getenv ("SQ_EXAMPLE_SMALL"), NULL,
                                                         NULL, NULL, &error);
  g_autoptr(SqQuantResult) q = quantize_small ();
  const SqDeviceProfile *a2 = profile ("xylo-audio2");
  g_autoptr(SqXyloSpec) s = NULL;

  g_assert_no_error (error);
  /* small.json's first weight is 0.18978813290596008: not an integer. */
  assert_spec_error (floats, a2, "weights_in[0][0][0] is 0.18978813290596008, expected an "
                     "integer");

  /* int8 weights, never truncated: 300 at weights_rec[3][7][1] (flat (3·32 + 7)·2 + 1). */
  s = sq_xylo_spec_copy (q->spec, NULL);
  s->param[SQ_PARAM_WEIGHTS_REC].data[(3 * 32 + 7) * 2 + 1] = 300;
  assert_spec_error (s, a2, "weights_rec[3][7][1] is 300.0, expected an int8 weight from -128 "
                     "to 127");
  g_clear_pointer (&s, sq_xylo_spec_free);

  s = sq_xylo_spec_copy (q->spec, NULL);
  s->param[SQ_PARAM_WEIGHTS_OUT].data[5] = -129;
  assert_spec_error (s, a2, "weights_out[1][1] is -129.0");
  g_clear_pointer (&s, sq_xylo_spec_free);

  s = sq_xylo_spec_copy (q->spec, NULL);
  s->param[SQ_PARAM_THRESHOLD_OUT].data[2] = 32768;
  assert_spec_error (s, a2, "threshold_out[2] is 32768.0, expected an int16 value");
  g_clear_pointer (&s, sq_xylo_spec_free);

  s = sq_xylo_spec_copy (q->spec, NULL);
  s->param[SQ_PARAM_DASH_MEM].data[4] = 32;
  assert_spec_error (s, a2, "dash_mem[4] is 32.0, expected a dash from 0 to 31");
  g_clear_pointer (&s, sq_xylo_spec_free);

  /* Xylo v1 has no bias; the quantized small network has some. */
  assert_spec_error (q->spec, profile ("xylo-v1"), "Xylo v1 has no bias");

  /* Not a Xylo at all. */
  for (const SqDeviceProfile *d = sq_device_profiles (); d < sq_device_profiles () +
       SQ_N_DEVICE_PROFILES; d++)
    if (!d->is_xylo)
      assert_spec_error (q->spec, d, "is not a Xylo device");
}

static void
test_errors_names (void)
{
  static const char * const bad[] = {
    "", "1net", "net-x", "net x", "ne\"t", "int", "static", "_net", "_Net", "__net", "nét",
    "abcdefghijklmnopqrstuvwxy",
  };
  static const char * const good[] = { "net", "Net_2", "n", "abcdefghijklmnopqrstuvwx" };
  static const char * const bad_headers[] = { "", "a\"b.h", "a\\b.h", "a\nb.h" };
  g_autoptr(SqQuantResult) q = quantize_small ();
  const SqDeviceProfile *d = profile ("xylo-audio2");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) error2 = NULL;
      g_autofree char *h = sq_xylo_spec_to_c_header (q->spec, q, d, bad[i], &error);
      g_autofree char *c = sq_xylo_spec_to_c_source (q->spec, q, d, bad[i], "n.h", &error2);

      g_assert_null (h);
      g_assert_null (c);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_error (error2, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, "is not a usable C identifier prefix"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *h = sq_xylo_spec_to_c_header (q->spec, q, d, good[i], &error);
      g_autofree char *upper = g_ascii_strup (good[i], -1);
      g_autofree char *guard = g_strdup_printf ("#ifndef %s_SYNQUANT_H\n", upper);

      g_assert_no_error (error);
      g_assert_nonnull (strstr (h, guard));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *c = sq_xylo_spec_to_c_source (q->spec, q, d, "net", bad_headers[i],
                                                     &error);

      g_assert_null (c);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Compiled and run                                                                          */

/* A driver that runs the raster twice — from the zeroed static state, then after reset() —
 * printing, per step, the output spikes, the hidden events and every state. */
static const char driver_source[] =
  "#include <stdio.h>\n"
  "#include <stdlib.h>\n"
  "#include \"net.h\"\n"
  "\n"
  "static net_state_t state;\n"
  "\n"
  "int\n"
  "main (int argc, char **argv)\n"
  "{\n"
  "  unsigned long T, N, t, i;\n"
  "  unsigned char *raster;\n"
  "  uint8_t out[NET_N_OUT];\n"
  "  int run, j, k;\n"
  "  FILE *f;\n"
  "\n"
  "  if (argc != 2 || (f = fopen (argv[1], \"r\")) == NULL)\n"
  "    return 2;\n"
  "  if (fscanf (f, \"%lu %lu\", &T, &N) != 2 || N != NET_N_IN)\n"
  "    return 3;\n"
  "  raster = malloc (T * N + 1);\n"
  "  for (i = 0; i < T * N; i++)\n"
  "    {\n"
  "      unsigned v;\n"
  "\n"
  "      if (fscanf (f, \"%u\", &v) != 1 || v > 255)\n"
  "        return 4;\n"
  "      raster[i] = (unsigned char) v;\n"
  "    }\n"
  "  fclose (f);\n"
  "  for (run = 0; run < 2; run++)\n"
  "    {\n"
  "      if (run == 1)\n"
  "        net_reset (&state);\n"
  "      for (t = 0; t < T; t++)\n"
  "        {\n"
  "          net_step (&state, raster + t * N, out);\n"
  "          for (j = 0; j < NET_N_OUT; j++)\n"
  "            printf (\"%d \", out[j]);\n"
  "          for (j = 0; j < NET_N_HIDDEN; j++)\n"
  "            printf (\"%d \", state.events[j]);\n"
  "          for (j = 0; j < NET_N_HIDDEN; j++)\n"
  "            printf (\"%d \", state.vmem[j]);\n"
  "          for (j = 0; j < NET_N_HIDDEN; j++)\n"
  "            for (k = 0; k < NET_N_SYN; k++)\n"
  "              printf (\"%d \", state.isyn[j][k]);\n"
  "          for (j = 0; j < NET_N_OUT; j++)\n"
  "            printf (\"%d %d \", state.vmem_out[j], state.isyn_out[j]);\n"
  "          printf (\"\\n\");\n"
  "        }\n"
  "    }\n"
  "  free (raster);\n"
  "  return 0;\n"
  "}\n";

/* A program that uses only the arrays, with the core's API hidden: the header alone. */
static const char arrays_source[] =
  "#define NET_NO_CORE\n"
  "#include <stdio.h>\n"
  "#include \"net.h\"\n"
  "\n"
  "int\n"
  "main (void)\n"
  "{\n"
  "  long sum = 0;\n"
  "  int i, j, k;\n"
  "\n"
  "  for (i = 0; i < NET_N_HIDDEN; i++)\n"
  "    for (j = 0; j < NET_N_HIDDEN; j++)\n"
  "      for (k = 0; k < NET_W_REC_SYN; k++)\n"
  "        sum += net_w_rec[i][j][k];\n"
  "  for (i = 0; i < NET_N_HIDDEN; i++)\n"
  "    sum += net_threshold[i];\n"
  "  printf (\"%ld\\n\", sum);\n"
  "  return 0;\n"
  "}\n";

typedef struct {
  char  *dir;
  char **cc;       /* the compiler command, from $CC or cc */
  double compile_seconds;
  gsize  values_compared;
  gsize  spikes_compared;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *cc = g_getenv ("CC");

  f->dir = sq_test_tmpdir ();
  if (cc != NULL && *cc != '\0')
    {
      g_autoptr(GError) error = NULL;

      g_shell_parse_argv (cc, NULL, &f->cc, &error);
      g_assert_no_error (error);
    }
  else
    {
      f->cc = g_new0 (char *, 2);
      f->cc[0] = g_strdup ("cc");
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  sq_test_remove_tree (f->dir);
  g_free (f->dir);
  g_strfreev (f->cc);
}

static gboolean
have_compiler (Fixture *f)
{
  char *path = g_find_program_in_path (f->cc[0]);

  if (path != NULL)
    {
      /* g_spawn_sync does not search PATH here. */
      g_free (f->cc[0]);
      f->cc[0] = path;
      return TRUE;
    }
  g_test_skip ("no C compiler (set CC, or install gcc)");
  return FALSE;
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Compiles @sources into @exe with the flags every export must pass. */
static void
compile (Fixture            *f,
         const char         *exe,
         const char * const *sources)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe_path = g_build_filename (f->dir, exe, NULL);
  g_autofree char *out = NULL, *err = NULL;
  gint64 start;
  int status;

  for (guint i = 0; f->cc[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (f->cc[i]));
  for (const char *flag = "-std=c99\0-Wall\0-Wextra\0-pedantic\0-Werror\0-O1\0-o\0"; *flag;
       flag += strlen (flag) + 1)
    g_ptr_array_add (argv, g_strdup (flag));
  g_ptr_array_add (argv, g_strdup (exe_path));
  for (guint i = 0; sources[i] != NULL; i++)
    g_ptr_array_add (argv, g_build_filename (f->dir, sources[i], NULL));
  g_ptr_array_add (argv, NULL);

  start = g_get_monotonic_time ();
  if (!sq_test_run ((const char * const *) argv->pdata, &status, &out, &err))
    g_error ("the generated C does not compile (exit %d):\n%s", status, err);
  f->compile_seconds = (double) (g_get_monotonic_time () - start) / 1e6;
}

/* The next integer of the driver's output. Parsed by hand: strtol on a multi-megabyte buffer
 * is quadratic under ASan's strict_string_checks, which scans the rest of the string on
 * every call. */
static long
next_value (const char **p)
{
  const char *q = *p;
  gboolean negative = FALSE;
  long v = 0;

  while (g_ascii_isspace (*q))
    q++;
  if (*q == '-')
    {
      negative = TRUE;
      q++;
    }
  g_assert_true (g_ascii_isdigit (*q));
  while (g_ascii_isdigit (*q))
    v = v * 10 + (*q++ - '0');
  *p = q;
  return negative ? -v : v;
}

/* Writes @spec as C for @device, compiles it with the driver, runs it on @raster and compares
 * every step of both runs with sq_xylo_sim; returns the simulator's result. */
static SqSimResult *
compile_and_compare (Fixture               *f,
                     const SqXyloSpec      *spec,
                     const SqQuantResult   *quant,
                     const SqDeviceProfile *device,
                     const SqRaster        *raster)
{
  static const char * const program[] = { "main.c", "net.c", NULL };
  static const char * const arrays[] = { "arrays.c", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *h = sq_xylo_spec_to_c_header (spec, quant, device, "net", &error);
  g_autofree char *c = NULL, *raster_path = NULL, *exe = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(SqXyloSim) sim = NULL;
  g_autoptr(SqSimResult) r = NULL;
  const gsize T = raster->n_steps, nh = spec->n_hidden, ns = spec->n_syn, no = spec->n_out;
  const char *p;
  int status;
  long sum = 0;

  g_assert_no_error (error);
  c = sq_xylo_spec_to_c_source (spec, quant, device, "net", "net.h", &error);
  g_assert_no_error (error);
  g_free (write_file (f, "net.h", h));
  g_free (write_file (f, "net.c", c));
  g_free (write_file (f, "main.c", driver_source));
  g_free (write_file (f, "arrays.c", arrays_source));

  g_string_append_printf (text, "%zu %zu\n", T, raster->n_channels);
  for (gsize i = 0; i < T * raster->n_channels; i++)
    g_string_append_printf (text, "%u%c", raster->counts[i],
                            (i + 1) % raster->n_channels ? ' ' : '\n');
  raster_path = write_file (f, "raster.txt", text->str);

  compile (f, "net", program);
  g_test_message ("%s, %zu hidden: compiled in %.2f s", device->name, nh, f->compile_seconds);
  exe = g_build_filename (f->dir, "net", NULL);
  {
    const char *argv[] = { exe, raster_path, NULL };

    if (!sq_test_run (argv, &status, &out, &err))
      g_error ("the driver failed (exit %d): %s", status, err);
  }

  sim = sq_xylo_sim_new (spec, device->device, &error);
  g_assert_no_error (error);
  r = sq_xylo_sim_run (sim, raster, TRUE, &error);
  g_assert_no_error (error);

  p = out;
  for (guint run = 0; run < 2; run++)
    for (gsize t = 0; t < T; t++)
      {
        for (gsize o = 0; o < no; o++)
          g_assert_cmpint (next_value (&p), ==, r->spikes_out[t * no + o]);
        for (gsize j = 0; j < nh; j++)
          g_assert_cmpint (next_value (&p), ==, r->spikes_hidden[t * nh + j]);
        for (gsize j = 0; j < nh; j++)
          g_assert_cmpint (next_value (&p), ==, r->itrace[SQ_TRACE_VMEM_HIDDEN][t * nh + j]);
        for (gsize j = 0; j < nh * ns; j++)
          g_assert_cmpint (next_value (&p), ==,
                           r->itrace[SQ_TRACE_ISYN_HIDDEN][t * nh * ns + j]);
        for (gsize o = 0; o < no; o++)
          {
            g_assert_cmpint (next_value (&p), ==, r->itrace[SQ_TRACE_VMEM_OUT][t * no + o]);
            g_assert_cmpint (next_value (&p), ==, r->itrace[SQ_TRACE_ISYN_OUT][t * no + o]);
          }
        f->values_compared += no + 3 * nh + nh * ns + 2 * no;
        f->spikes_compared += no + nh;
      }
  while (g_ascii_isspace (*p))
    p++;
  g_assert_cmpint (*p, ==, '\0');

  /* The header alone, in a program that only reads the arrays. */
  compile (f, "arrays", arrays);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *arrays_exe = g_build_filename (f->dir, "arrays", NULL);
    const char *argv[] = { arrays_exe, NULL };

    g_assert_true (sq_test_run (argv, &status, &out, &err));
  }
  for (gsize i = 0; i < spec->param[SQ_PARAM_WEIGHTS_REC].n; i++)
    sum += (long) spec->param[SQ_PARAM_WEIGHTS_REC].data[i];
  for (gsize j = 0; j < nh; j++)
    sum += (long) spec->param[SQ_PARAM_THRESHOLD].data[j];
  g_assert_cmpint (strtol (out, NULL, 10), ==, sum);

  return g_steal_pointer (&r);
}

static guint64
sum_events (const guint64 *events,
            gsize          n)
{
  guint64 sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += events[i];
  return sum;
}

#define total_hidden_events(r) sum_events ((r)->hidden_events, (r)->n_hidden)
#define total_out_events(r) sum_events ((r)->out_events, (r)->n_out)

/* A seeded Poisson raster with @rate events per step on every channel, and every 37th count
 * raised to 200, beyond the core's input cap. */
static void
make_raster (SqRaster *raster,
             gsize     n_steps,
             gsize     n_channels,
             double    rate,
             guint64   seed)
{
  g_autofree double *rates = g_new (double, n_channels);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < n_channels; i++)
    rates[i] = rate;
  sq_raster_poisson (raster, n_steps, n_channels, rates, seed, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < n_steps * n_channels; i += 37)
    raster->counts[i] = 200;
}

static void
zero_biases (SqXyloSpec *spec)
{
  for (guint p = SQ_PARAM_BIAS; p <= SQ_PARAM_BIAS_OUT; p++)
    for (gsize i = 0; sq_tensor_is_present (&spec->param[p]) && i < spec->param[p].n; i++)
      spec->param[p].data[i] = 0;
}

/* small.json quantized, on every Xylo the simulator knows (v1 without the biases). */
static void
test_compile_small (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SqQuantResult) q = NULL;
  SqRaster raster;

  if (!have_compiler (f))
    return;
  q = quantize_small ();
  make_raster (&raster, 300, q->spec->n_in, 1.0, 7);
  for (const SqDeviceProfile *d = sq_device_profiles (); d < sq_device_profiles () +
       SQ_N_DEVICE_PROFILES; d++)
    {
      g_autoptr(SqXyloSpec) spec = sq_xylo_spec_copy (q->spec, NULL);
      g_autoptr(SqSimResult) r = NULL;

      if (!d->is_xylo)
        continue;
      if (!d->has_bias)
        zero_biases (spec);
      r = compile_and_compare (f, spec, q, d, &raster);
      g_test_message ("%s: %" G_GUINT64_FORMAT " hidden and %" G_GUINT64_FORMAT " output "
                      "events, %" G_GUINT64_FORMAT " input events dropped, %" G_GUINT64_FORMAT
                      " caps hit, %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " saturations",
                      d->name, total_hidden_events (r), total_out_events (r),
                      r->input_dropped, r->cap_hit, r->isyn_saturated, r->vmem_saturated);
      g_assert_cmpuint (total_hidden_events (r), >, 1000);
      g_assert_cmpuint (total_out_events (r), >, 10);
      g_assert_cmpuint (r->input_dropped, >, 0);
    }
  g_test_message ("%zu values compared, %zu of them spike counts", f->values_compared,
                  f->spikes_compared);
  sq_raster_clear (&raster);
}

/* The corners of the arithmetic on small.json: weight shifts that wrap (in: 12), scale (rec:
 * 3) and leave only the sign bit (out: 15, the simulator's largest; it refuses 16, which would
 * leave nothing); thresholds 0, −5, −20000 and −32768; dashes 0 and 31;
 * aliases with several entries, a self-alias and lower-numbered targets. */
static void
test_compile_corners (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SqQuantResult) q = NULL;
  SqRaster raster;

  if (!have_compiler (f))
    return;
  q = quantize_small ();
  make_raster (&raster, 400, q->spec->n_in, 3.0, 11);
  for (guint variant = 0; variant < 3; variant++)
    {
      g_autoptr(SqXyloSpec) spec = sq_xylo_spec_copy (q->spec, NULL);
      g_autoptr(SqSimResult) r = NULL;
      const SqDeviceProfile *d = profile (variant == 2 ? "xylo-v1" : "xylo-audio2");
      double *th = spec->param[SQ_PARAM_THRESHOLD].data;
      double *dash_mem = spec->param[SQ_PARAM_DASH_MEM].data;
      double *dash_syn = spec->param[SQ_PARAM_DASH_SYN].data;
      static const guint32 targets[] = { 5, 3, 3, 0, 31, 12, 12, 30 };

      spec->weight_shift[SQ_SHIFT_IN] = variant == 0 ? 12 : 2;
      spec->weight_shift[SQ_SHIFT_REC] = 3;
      spec->weight_shift[SQ_SHIFT_OUT] = variant == 0 ? 15 : 0;
      th[1] = 0;
      th[2] = -5;
      th[3] = -20000;
      th[4] = -32768;
      dash_mem[5] = 0;
      dash_mem[6] = 31;
      dash_syn[7] = 0;
      dash_syn[8] = 31;
      spec->param[SQ_PARAM_DASH_SYN_OUT].data[0] = 0;
      spec->param[SQ_PARAM_DASH_MEM_OUT].data[1] = 0;
      spec->param[SQ_PARAM_THRESHOLD_OUT].data[2] = -3;
      /* Lists: 3 → {5, 3 (itself), 3}; 9 → {0}; 20 → {31, 12}; 31 → {12, 30}. */
      g_free (spec->alias_offsets);
      g_free (spec->alias_targets);
      spec->n_alias_lists = spec->n_hidden;
      spec->alias_offsets = g_new0 (gsize, spec->n_hidden + 1);
      spec->alias_targets = g_memdup2 (targets, sizeof targets);
      for (gsize j = 0; j <= spec->n_hidden; j++)
        spec->alias_offsets[j] = j <= 3 ? 0 : j <= 9 ? 3 : j <= 20 ? 4 : j <= 31 ? 6 : 8;
      if (variant == 2)
        zero_biases (spec);

      r = compile_and_compare (f, spec, NULL, d, &raster);
      g_test_message ("corners %u (%s): %" G_GUINT64_FORMAT " hidden events, %"
                      G_GUINT64_FORMAT " output, %" G_GUINT64_FORMAT " caps hit, %"
                      G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT " saturations, compiled in %.2f s",
                      variant, d->name, total_hidden_events (r), total_out_events (r),
                      r->cap_hit, r->isyn_saturated, r->vmem_saturated, f->compile_seconds);
      g_assert_cmpuint (total_hidden_events (r), >, 1000);
      g_assert_cmpuint (r->cap_hit, >, 0);
      g_assert_cmpuint (r->isyn_saturated, >, 0);
      g_assert_cmpuint (r->vmem_saturated, >, 0);
      g_assert_cmpuint (r->input_dropped, >, 0);
      /* Neurons with θ ≤ 0 fire (θ = −32768: 31 events every step); with the inputs not
       * wrapped, the alias sources 3 (self-alias, θ = −20000), 9 and 31 fire too. */
      g_assert_cmpuint (r->hidden_events[1], >, 0);
      g_assert_cmpuint (r->hidden_events[2], >, 0);
      g_assert_cmpuint (r->hidden_events[4], ==, 31 * raster.n_steps);
      if (variant > 0)
        {
          g_assert_cmpuint (r->hidden_events[3], >, 0);
          g_assert_cmpuint (r->hidden_events[9], >, 0);
          g_assert_cmpuint (r->hidden_events[31], >, 0);
        }
    }
  g_test_message ("%zu values compared, %zu of them spike counts", f->values_compared,
                  f->spikes_compared);
  sq_raster_clear (&raster);
}

/* Keeps synapse 0 of a (rows, cols, 2) weight matrix: (rows, cols) when @flat, else
 * (rows, cols, 1). */
static void
keep_first_synapse (SqTensor *t,
                    gboolean  flat)
{
  SqTensor one = { 0, };
  const gsize shape[3] = { t->shape[0], t->shape[1], 1 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (t->rank, ==, 3);
  g_assert_cmpuint (t->shape[2], ==, 2);
  sq_tensor_init (&one, flat ? 2 : 3, shape, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < one.n; i++)
    one.data[i] = t->data[2 * i];
  one.integer = t->integer;
  sq_tensor_clear (t);
  *t = one;
}

/* Every shape the C export can take, compiled with -std=c99 -Wall -Wextra -pedantic -Werror
 * and compared with the simulator: 2 synapses, 1 synapse as 2-D and as (…, 1) matrices;
 * weights_rec as it is or all zero; aliases or none; biases or none; each Xylo device. A
 * 1-synapse network once lacked the inner braces, an all-zero weights_rec left an unused
 * function. */
static void
test_compile_shapes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SqQuantResult) q = NULL;
  static const guint32 targets[] = { 5, 31, 12 };
  guint n_compiled = 0;
  SqRaster raster;

  if (!have_compiler (f))
    return;
  q = quantize_small ();
  make_raster (&raster, 60, q->spec->n_in, 2.0, 5);
  for (guint shape = 0; shape < 3 * 2 * 2 * 2; shape++)
    for (const SqDeviceProfile *d = sq_device_profiles (); d < sq_device_profiles () +
         SQ_N_DEVICE_PROFILES; d++)
      {
        const guint syn = shape % 3;      /* 0: 2 synapses, 1: 1 as 2-D, 2: 1 as (…, 1) */
        const gboolean zero_rec = shape / 3 % 2, aliases = shape / 6 % 2;
        const gboolean biases = shape / 12 % 2;
        g_autoptr(SqXyloSpec) spec = NULL;
        g_autoptr(SqSimResult) r = NULL;
        g_autoptr(GError) error = NULL;

        if (!d->is_xylo || (biases && !d->has_bias))
          continue;
        spec = sq_xylo_spec_copy (q->spec, NULL);
        if (syn > 0)
          {
            keep_first_synapse (&spec->param[SQ_PARAM_WEIGHTS_IN], syn == 1);
            keep_first_synapse (&spec->param[SQ_PARAM_WEIGHTS_REC], syn == 1);
            sq_tensor_clear (&spec->param[SQ_PARAM_DASH_SYN_2]);
          }
        if (zero_rec)
          memset (spec->param[SQ_PARAM_WEIGHTS_REC].data, 0,
                  spec->param[SQ_PARAM_WEIGHTS_REC].n * sizeof (double));
        g_clear_pointer (&spec->alias_offsets, g_free);
        g_clear_pointer (&spec->alias_targets, g_free);
        spec->n_alias_lists = 0;
        if (aliases)
          {
            /* 3 → {5}; 20 → {31, 12}. */
            spec->n_alias_lists = spec->n_hidden;
            spec->alias_offsets = g_new0 (gsize, spec->n_hidden + 1);
            spec->alias_targets = g_memdup2 (targets, sizeof targets);
            for (gsize j = 0; j <= spec->n_hidden; j++)
              spec->alias_offsets[j] = j <= 3 ? 0 : j <= 20 ? 1 : 3;
          }
        if (!biases)
          {
            sq_tensor_clear (&spec->param[SQ_PARAM_BIAS]);
            sq_tensor_clear (&spec->param[SQ_PARAM_BIAS_OUT]);
          }
        g_assert_true (sq_xylo_spec_validate (spec, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (spec->n_syn, ==, syn == 0 ? 2 : 1);

        r = compile_and_compare (f, spec, q, d, &raster);
        n_compiled++;
      }
  g_test_message ("%u shapes compiled and compared, %zu values", n_compiled,
                  f->values_compared);
  g_assert_cmpuint (n_compiled, ==, 3 * 2 * 2 * (3 + 4));
  sq_raster_clear (&raster);
}

/* The Xylo-size example: 16 inputs, 1000 hidden neurons with 2 synapses, aliases. */
static void
test_compile_xylo (Fixture       *f,
                   gconstpointer  data)
{
  const char *path = g_getenv ("SQ_EXAMPLE_XYLO");
  g_autoptr(SqQuantResult) q = NULL;
  g_autoptr(SqSimResult) r = NULL;
  SqRaster raster;

  if (!have_compiler (f))
    return;
  g_assert_nonnull (path);
  q = quantize_file (path, SQ_METHOD_GLOBAL);
  g_assert_cmpuint (q->spec->n_hidden, ==, 1000);
  g_assert_cmpuint (q->spec->n_syn, ==, 2);
  g_assert_nonnull (q->spec->alias_offsets);
  make_raster (&raster, 200, q->spec->n_in, 1.0, 3);
  r = compile_and_compare (f, q->spec, q, profile ("xylo-audio2"), &raster);
  g_test_message ("xylo: %zu steps, %" G_GUINT64_FORMAT " hidden and %" G_GUINT64_FORMAT
                  " output events, %" G_GUINT64_FORMAT " caps hit, %" G_GUINT64_FORMAT "/%"
                  G_GUINT64_FORMAT " saturations; %zu values compared (%zu spike counts); "
                  "compiled in %.2f s", raster.n_steps, total_hidden_events (r),
                  total_out_events (r), r->cap_hit, r->isyn_saturated, r->vmem_saturated,
                  f->values_compared, f->spikes_compared, f->compile_seconds);
  g_assert_cmpuint (total_hidden_events (r), >, 1000);
  g_assert_cmpuint (r->input_dropped, >, 0);
  sq_raster_clear (&raster);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/c-export/golden/small", test_golden_small);
  g_test_add_func ("/c-export/deterministic", test_deterministic);
  g_test_add_func ("/c-export/errors/spec", test_errors_spec);
  g_test_add_func ("/c-export/errors/names", test_errors_names);
  g_test_add ("/c-export/compile/small", Fixture, NULL, fixture_setup, test_compile_small,
              fixture_teardown);
  g_test_add ("/c-export/compile/corners", Fixture, NULL, fixture_setup, test_compile_corners,
              fixture_teardown);
  g_test_add ("/c-export/compile/shapes", Fixture, NULL, fixture_setup, test_compile_shapes,
              fixture_teardown);
  g_test_add ("/c-export/compile/xylo", Fixture, NULL, fixture_setup, test_compile_xylo,
              fixture_teardown);
  return g_test_run ();
}
