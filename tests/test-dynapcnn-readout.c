/* test-dynapcnn-readout.c: the Speck 2e / 2f readout erratum — which devices warn, the
 * channels a layer needs, and the spread layer as sinabs's extend_readout_layer builds it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sq-test-utils.h"

static void
test_check (void)
{
  g_autofree char *e = sq_cnn_readout_check (sq_device_profile_lookup ("speck2e"), 2, 10);
  g_autofree char *f = sq_cnn_readout_check (sq_device_profile_lookup ("speck"), 0, 300);

  g_assert_cmpuint (sq_cnn_readout_channels (1), ==, 1);
  g_assert_cmpuint (sq_cnn_readout_channels (10), ==, 37);
  g_assert_null (sq_cnn_readout_check (sq_device_profile_lookup ("dynapcnn"), 2, 10));
  /* One feature is channel 0 either way. */
  g_assert_null (sq_cnn_readout_check (sq_device_profile_lookup ("speck2f"), 2, 1));
  g_assert_cmpstr (e, ==, "layers[2]: Speck 2e's readout takes its channel i from channel 4·i "
                   "(chip erratum): the layer's 10 features must be spread to 37 channels, "
                   "feature i at channel 4·i");
  g_assert_cmpstr (f, ==, "layers[0]: Speck 2f's readout takes its channel i from channel 4·i "
                   "(chip erratum): the layer's 300 features must be spread to 1197 channels, "
                   "feature i at channel 4·i; 1197 channels are more than the 1024 a core "
                   "holds");
}

/* F 3, C 2, 1 × 2 kernel, bias and v_mem (3, 1, 1): spread to 9 channels, feature i at 4·i. */
static void
test_extend (void)
{
  const gsize ws[4] = { 3, 2, 1, 2 }, bs[1] = { 3 }, vs[3] = { 3, 1, 1 };
  const double w[12] = { 1, 2, 3, 4,  5, 6, 7, 8,  9, 10, 11, 12 };
  SqIafLayer l = { { 0, }, }, x;
  g_autoptr(GError) error = NULL;

  sq_test_tensor_set (&l.weight, 4, ws, w);
  sq_test_tensor_set (&l.bias, 1, bs, (const double[]) { -1, -2, -3 });
  sq_test_tensor_set (&l.v_mem, 3, vs, (const double[]) { 7, 8, 9 });
  l.threshold_high = 50;
  l.threshold_low = -50;
  l.stride_y = l.stride_x = l.pool = 1;
  l.reset_zero = TRUE;
  g_assert_true (sq_iaf_layer_extend_readout (&l, &x, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (x.weight.shape[0], ==, 9);
  g_assert_cmpuint (x.weight.shape[1], ==, 2);
  g_assert_cmpuint (x.weight.shape[3], ==, 2);
  g_assert_true (x.weight.integer);
  for (gsize f = 0; f < 9; f++)
    {
      gboolean kept = f % 4 == 0;

      for (gsize k = 0; k < 4; k++)
        g_assert_cmpfloat (x.weight.data[f * 4 + k], ==, kept ? w[f / 4 * 4 + k] : 0);
      g_assert_cmpfloat (x.bias.data[f], ==, kept ? -(double) (f / 4 + 1) : 0);
      g_assert_cmpfloat (x.v_mem.data[f], ==, kept ? 7 + (double) (f / 4) : 0);
    }
  g_assert_cmpint (x.threshold_high, ==, 50);
  g_assert_cmpint (x.threshold_low, ==, -50);
  g_assert_true (x.reset_zero);
  sq_test_iaf_layer_clear (&x);

  /* Without bias or v_mem none is made. */
  sq_tensor_clear (&l.bias);
  sq_tensor_clear (&l.v_mem);
  g_assert_true (sq_iaf_layer_extend_readout (&l, &x, &error));
  g_assert_false (sq_tensor_is_present (&x.bias));
  g_assert_false (sq_tensor_is_present (&x.v_mem));
  sq_test_iaf_layer_clear (&x);
  sq_test_iaf_layer_clear (&l);
}

/* The DynapCNN kind offers the three profiles (the default first), the Xylo kind none of them:
 * every device it offers is a Xylo. */
static void
test_kind_devices (void)
{
  const SqNetworkKind *dyn = sq_network_kind_lookup ("dynapcnn");
  const SqNetworkKind *xylo = sq_network_kind_lookup ("xylo");
  g_autofree char *names = sq_network_kind_device_names (dyn);

  g_assert_cmpstr (names, ==, "dynapcnn, speck2e or speck2f");
  g_assert_true (sq_network_kind_device (dyn, "speck") == sq_device_profile_lookup ("speck2f"));
  g_assert_true (sq_network_kind_device (dyn, "speck2e")->readout_erratum);
  for (guint i = 0; i < SQ_N_DEVICE_PROFILES; i++)
    {
      const SqDeviceProfile *p = &sq_device_profiles ()[i];

      /* The microcontroller profile is the fixed-point kind's alone. */
      gboolean is_mcu = g_str_equal (p->name, "mcu");

      g_assert_true ((sq_network_kind_device (xylo, p->name) != NULL) == p->is_xylo);
      g_assert_true ((sq_network_kind_device (dyn, p->name) != NULL) ==
                     (!p->is_xylo && !is_mcu));
      g_assert_true ((sq_network_kind_device (sq_network_kind_lookup ("fxp"), p->name) !=
                      NULL) == is_mcu);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dynapcnn-readout/check", test_check);
  g_test_add_func ("/dynapcnn-readout/extend", test_extend);
  g_test_add_func ("/dynapcnn-readout/kind-devices", test_kind_devices);
  return g_test_run ();
}
