/* sq-test-specs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

extern const char sq_test_spec_fuzzy[];
extern const char sq_test_spec_channel[];
extern const char sq_test_spec_out_overflow[];
extern const char sq_test_spec_out_zero[];
extern const char sq_test_spec_index_error[];
