/* sq-test-toy.h: a second kind of network, defined by the tests alone
 *
 * A one-layer network read from a `.toy` JSON file: {"toy": 1, "weights": [[…], …] (inputs
 * × outputs), "threshold": […]}. Its own settings ("method": max or rms, "weight-bits":
 * 2…8, default 4), one device (dynapcnn), one export format ("toy-text"), saved as `.toy`.
 * Registered and driven only through the network model (sq-network*.h), it proves the
 * generic paths carry no Xylo assumption.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <synquant.h>

G_BEGIN_DECLS

extern const SqNetworkKind sq_test_toy_kind;

/* Registers the kind (once). */
void        sq_test_toy_register (void);
/* Writes a small toy network to @path: 3 inputs, 2 outputs, weights w[i][o] as given. */
void        sq_test_toy_write    (const char   *path,
                                  const double  weights[3][2],
                                  const double  threshold[2]);
/* The scale the toy quantizer uses for @weights with @method (0 max, 1 rms) and @bits. */
double      sq_test_toy_scale    (const double *weights,
                                  gsize         n,
                                  int           method,
                                  int           bits);

G_END_DECLS
