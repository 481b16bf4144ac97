/* sq-test-specs.c: small specifications shared by the report and histogram tests, each
 * small enough that every figure of its quantization is computed by hand in the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sq-test-specs.h"

/* Nin 1, Nhid 3, Nout 1. The eight non-zero hidden weights are
 * {−0.5, −0.5, −0.25, 0.25, 0.25, 0.25, 0.5, 2.0}: an outlier for the fuzzy range. */
const char sq_test_spec_fuzzy[] =
  "{\"weights_in\": [[0.5, -0.5, 0.25]],"
  " \"weights_rec\": [[0.0, 2.0, -0.25], [0.25, 0.0, 0.0], [-0.5, 0.25, 0.0]],"
  " \"weights_out\": [[0.5], [-0.25], [0.0]],"
  " \"bias\": [3.0, 0.0, -0.001],"
  " \"threshold\": [1.0, 1.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4, 4], \"dash_syn\": [2, 2, 2], \"dash_mem_out\": [4],"
  " \"dash_syn_out\": [2]}";

/* Nin 1, Nien 2 < Nhid 3 (IMU style), 1 synapse, Noen 2 (hidden 1 and 2), Nout 2. Hidden
 * neuron 2 has no weight and no bias. */
const char sq_test_spec_channel[] =
  "{\"weights_in\": [[0.5, -0.3]],"
  " \"weights_rec\": [[0.0, 0.1, 0.0], [0.25, 0.0, 0.0], [0.0, 0.0, 0.0]],"
  " \"weights_out\": [[0.5, 0.75], [-0.125, 0.001]],"
  " \"bias\": [0.25, 0.4, 0.0], \"bias_out\": [0.01, 0.002],"
  " \"threshold\": [1.0, 0.5, 2.0], \"threshold_out\": [1.0, 2.0],"
  " \"dash_mem\": [4, 4, 4], \"dash_syn\": [2, 2, 2], \"dash_mem_out\": [4, 4],"
  " \"dash_syn_out\": [2, 2]}";

/* Output threshold 200 does not fit 16 bits at s_out = 254 (Rockpool's defect b). */
const char sq_test_spec_out_overflow[] =
  "{\"weights_in\": [[0.5, 0.25]],"
  " \"weights_rec\": [[0.0, 0.5], [0.25, 0.0]],"
  " \"weights_out\": [[0.5], [0.5]],"
  " \"threshold\": [1.0, 1.0], \"threshold_out\": [200.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* weights_out all zero: Rockpool's fuzzy range of the output layer is NaN. */
const char sq_test_spec_out_zero[] =
  "{\"weights_in\": [[0.5, -0.25]],"
  " \"weights_rec\": [[0.0, 0.125], [0.0, 0.0]],"
  " \"weights_out\": [[0.0], [0.0]],"
  " \"bias\": [0.1, 0.0], \"bias_out\": [0.0],"
  " \"threshold\": [1.0, 1.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";

/* Nien 1 < Nhid 2 and hidden neuron 1 == Nien has a threshold that overflows: Rockpool's
 * channel_quantize raises IndexError (its defect g). */
const char sq_test_spec_index_error[] =
  "{\"weights_in\": [[0.5]],"
  " \"weights_rec\": [[0.0, 0.5], [0.0, 0.0]],"
  " \"weights_out\": [[0.5], [0.25]],"
  " \"bias\": [0.25, 0.0], \"bias_out\": [1.0],"
  " \"threshold\": [1.0, 200.0], \"threshold_out\": [1.0],"
  " \"dash_mem\": [4, 4], \"dash_syn\": [2, 2], \"dash_mem_out\": [4], \"dash_syn_out\": [2]}";
