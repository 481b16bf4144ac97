/* sq-xylo-kind-private.h: the Xylo specification as a network kind, and what lies behind
 * its networks and results for the code of the core that needs Xylo's own types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "synquant.h"

G_BEGIN_DECLS

extern const SqNetworkKind _sq_xylo_kind;

/* The specification behind a Xylo network (float, or the integer one of a quantization). */
const SqXyloSpec    *_sq_xylo_network_spec  (const SqNetwork       *network);
/* The quantization behind a Xylo result. */
const SqQuantResult *_sq_xylo_result_quant  (const SqNetworkResult *result);
/* Whether @key names a member of a specification's archive (sq-xylo-spec-npz.c). */
gboolean             _sq_xylo_spec_key_known (const char           *key);

/* A network over @spec (taken over), as the loader makes one (sq-xylo-kind.c). */
SqNetwork           *_sq_xylo_network_new   (SqXyloSpec            *spec);
/* @spec as JSON, .npz or NIR (@quant, nullable, gives NIR its scales); sq-xylo-kind-values.c
 * with the kind's with_values and write verbs. */
GBytes              *_sq_xylo_spec_bytes    (const SqXyloSpec      *spec,
                                             const SqQuantResult   *quant,
                                             const char            *extension,
                                             GError               **error);
SqNetwork           *_sq_xylo_with_values   (const SqNetwork       *network,
                                             const SqTensor * const *values,
                                             GError               **error);
GBytes              *_sq_xylo_write         (const SqNetwork       *network,
                                             const char            *extension,
                                             GError               **error);

G_END_DECLS
