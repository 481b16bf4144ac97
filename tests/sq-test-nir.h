/* sq-test-nir.h: what the NIR tests compare graphs by (test-nir.c, test-nir-reader.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

G_BEGIN_DECLS

/* "path Type in→out; " for every node, in file order, subgraph nodes by path. */
char           *sq_test_nir_node_list (const SqNirGraph *graph) G_GNUC_WARN_UNUSED_RESULT;
/* The dataset @name of node @node (a path); asserts both exist. */
const SqTensor *sq_test_nir_param     (const SqNirGraph *graph,
                                       const char       *node,
                                       const char       *name);

G_END_DECLS
