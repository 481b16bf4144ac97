/* test-dynapcnn-placement.c: DynapCNN memory by sinabs's power-of-two formulas, the per-layer
 * limits, and the placement of layers on cores — a placement that exists, and the reasons
 * when none does, with their numbers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

static SqCnnLayerShape
conv (gsize c,
      gsize f,
      gsize k,
      gsize out)
{
  return (SqCnnLayerShape) {
    .in_channels = c, .out_channels = f, .kernel_y = k, .kernel_x = k, .out_y = out,
    .out_x = out, .has_bias = FALSE, .stride_y = 1, .stride_x = 1, .pool = 1,
    .n_destinations = 1,
  };
}

static const SqDeviceProfile *
dynapcnn (void)
{
  const SqDeviceProfile *d = sq_device_profile_lookup ("dynapcnn");

  g_assert_nonnull (d);
  g_assert_cmpuint (d->n_cores, ==, 9);
  return d;
}

static void
assert_problems (const SqCnnPlacement *p,
                 const char * const   *lines)
{
  guint n = 0;

  for (; lines[n] != NULL; n++)
    {
      g_assert_cmpuint (n, <, p->problems->len);
      g_assert_cmpstr (g_ptr_array_index (p->problems, n), ==, lines[n]);
    }
  g_assert_cmpuint (p->problems->len, ==, n);
}

/* sinabs_qualia.md A.2: Conv 16→32, 3 × 3, 64 × 64 output: kernel 16 · 2^(4+5) = 8192,
 * neurons 32 · 2^(6+6) = 131 072 — fits no core (the most is 65 536, cores 0–2). A 10 × 10
 * output rounds to 16 × 16: 32 · 2^(4+4) = 8192. */
static void
test_memory (void)
{
  SqCnnLayerShape l = conv (16, 32, 3, 64);
  SqCnnMemory m;
  g_autoptr(SqCnnPlacement) p = NULL;

  l.has_bias = TRUE;
  sq_cnn_layer_memory (&l, &m);
  g_assert_cmpuint (m.kernel, ==, 8192);
  g_assert_cmpuint (m.neuron, ==, 131072);
  g_assert_cmpuint (m.bias, ==, 32);
  l.out_y = l.out_x = 10;
  sq_cnn_layer_memory (&l, &m);
  g_assert_cmpuint (m.neuron, ==, 8192);
  /* 1 × 1 kernels and one feature: no address bits at all. */
  l = conv (5, 1, 1, 1);
  sq_cnn_layer_memory (&l, &m);
  g_assert_cmpuint (m.kernel, ==, 5);
  g_assert_cmpuint (m.neuron, ==, 1);
  g_assert_cmpuint (m.bias, ==, 0);

  l = conv (16, 32, 3, 64);
  p = sq_cnn_place (dynapcnn (), &l, 1);
  assert_problems (p, (const char *[]) {
    "layer 0 fits no core: it needs 131072 neuron memory entries, the most a core has is "
    "65536 (65536 too many)", NULL });
  g_assert_false (sq_cnn_placement_fits (p));
  g_assert_cmpint (p->core[0], ==, -1);
}

/* Three layers with 64 Ki neuron entries (cores 0–2 only), one with 64 Ki kernel entries
 * (cores 5–6), four small ones: every layer on a core that holds it, no core twice. */
static void
test_placement (void)
{
  SqCnnLayerShape l[8] = {
    conv (2, 16, 3, 64), conv (16, 16, 3, 64), conv (16, 16, 3, 64),   /* 16·2^12 = 64 Ki */
    conv (16, 256, 3, 8),                                              /* 16·2^(4+8) */
    conv (8, 8, 3, 8), conv (8, 8, 3, 8), conv (8, 8, 3, 8), conv (8, 10, 1, 1),
  };
  g_autoptr(SqCnnPlacement) p = sq_cnn_place (dynapcnn (), l, 8);
  gboolean used[9] = { FALSE, };

  g_assert_true (sq_cnn_placement_fits (p));
  g_assert_cmpuint (p->memory[0].neuron, ==, 65536);
  g_assert_cmpuint (p->memory[3].kernel, ==, 65536);
  for (guint i = 0; i < 8; i++)
    {
      int c = p->core[i];

      g_assert_cmpint (c, >=, 0);
      g_assert_cmpint (c, <, 9);
      g_assert_false (used[c]);
      used[c] = TRUE;
      g_assert_cmpuint (p->memory[i].kernel, <=, dynapcnn ()->kernel_memory[c]);
      g_assert_cmpuint (p->memory[i].neuron, <=, dynapcnn ()->neuron_memory[c]);
    }
  g_assert_cmpint (p->core[0], <=, 2);
  g_assert_cmpint (p->core[1], <=, 2);
  g_assert_cmpint (p->core[2], <=, 2);
  g_assert_true (p->core[3] == 5 || p->core[3] == 6);
}

/* Four layers that each need cores 0–2: the search for the fourth reaches layers 0–3 and
 * cores 0–2, the reason given. */
static void
test_no_placement (void)
{
  SqCnnLayerShape l[4] = {
    conv (2, 16, 3, 64), conv (16, 16, 3, 64), conv (16, 16, 3, 64), conv (16, 16, 3, 64),
  };
  g_autoptr(SqCnnPlacement) p = sq_cnn_place (dynapcnn (), l, 4);

  assert_problems (p, (const char *[]) {
    "no placement: layers 0, 1, 2, 3 can only use cores 0, 1, 2, one core too few for them "
    "(their kernel, neuron or bias memory is too large for the other cores)", NULL });
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (p->core[i], ==, -1);
}

/* 16 → 256, 3 × 3, 16 × 16 output: 65 536 kernel entries (cores 5, 6) and 65 536 neuron
 * entries (cores 0–2): each memory alone fits a core, no core has both. */
static void
test_no_single_core (void)
{
  SqCnnLayerShape l = conv (16, 256, 3, 16);
  g_autoptr(SqCnnPlacement) p = sq_cnn_place (dynapcnn (), &l, 1);

  assert_problems (p, (const char *[]) {
    "layer 0 fits no core: no core has all of 65536 kernel entries (cores 5, 6); 65536 "
    "neuron entries (cores 0, 1, 2)", NULL });
}

static void
test_limits (void)
{
  SqCnnLayerShape l[2] = { conv (1, 2048, 1, 1), conv (2048, 1024, 1, 64) };
  g_autoptr(SqCnnPlacement) p = NULL;
  SqCnnLayerShape many[10];

  l[0].kernel_x = 5;
  l[0].kernel_y = 3;
  l[0].stride_y = 3;
  l[0].pad_x = 8;
  l[0].pool = 3;
  l[0].n_destinations = 3;
  l[1].kernel_y = l[1].kernel_x = 17;
  p = sq_cnn_place (dynapcnn (), l, 2);
  /* Layer 1's kernel memory: 2048 · 2^(⌈log2 289⌉ + ⌈log2 1024⌉) = 2048 · 2^19 = 2^30. */
  assert_problems (p, (const char *[]) {
    "layer 0: the 3 × 5 kernel is not square: the chip takes square kernels only",
    "layer 0: stride 3 × 1: the chip strides by 1, 2, 4 or 8",
    "layer 0: padding 0 × 8: the chip pads by at most 7",
    "layer 0: 3 × 3 pooling: the chip sum-pools 1 × 1, 2 × 2 or 4 × 4",
    "layer 0: 2048 output features, more than 1024 by 1024",
    "layer 0: sends to 3 destinations, more than 2",
    "layer 1: the 17 × 17 kernel is larger than 16 × 16 by 1",
    "layer 1: a neuron address of 1024 × 64 × 64 needs 22 bits, more than 18",
    "layer 1 fits no core: it needs 1073741824 kernel memory entries, the most a core has is "
    "65536 (1073676288 too many)",
    NULL });
  g_clear_pointer (&p, sq_cnn_placement_free);

  for (guint i = 0; i < 10; i++)
    many[i] = conv (4, 4, 3, 8);
  p = sq_cnn_place (dynapcnn (), many, 10);
  assert_problems (p, (const char *[]) {
    "10 layers, but the chip has 9 cores: one layer per core", NULL });
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn/placement/memory", test_memory);
  g_test_add_func ("/dynapcnn/placement/placement", test_placement);
  g_test_add_func ("/dynapcnn/placement/no-placement", test_no_placement);
  g_test_add_func ("/dynapcnn/placement/no-single-core", test_no_single_core);
  g_test_add_func ("/dynapcnn/placement/limits", test_limits);
  return g_test_run ();
}
