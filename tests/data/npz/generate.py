#!/usr/bin/python3
# Writes the .npz files test-npz.c reads, with numpy itself (Debian's python3-numpy):
#
#   tests/data/npz/generate.py        (from anywhere; run once, the output is committed)
#
# numpy stamps members with the current time, so the bytes differ from run to run; the
# arrays do not, and the tests check the arrays.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, '..', '..', '..'))


def dtypes():
    """Every dtype Synquant reads, in both byte orders, both memory orders, 0-d."""
    arrays = {}
    signed = np.arange(6).reshape(2, 3) - 2          # [[-2 -1 0] [1 2 3]]
    unsigned = np.arange(6).reshape(2, 3) + 250      # 250 … 255 (fits u1)
    for code in ('i1', 'i2', 'i4', 'i8'):
        for order in '<>':
            arrays[f'{code}_{"le" if order == "<" else "be"}'] = signed.astype(order + code)
    for code in ('u1', 'u2', 'u4', 'u8'):
        for order in '<>':
            arrays[f'{code}_{"le" if order == "<" else "be"}'] = unsigned.astype(order + code)
    for code in ('f4', 'f8'):
        for order in '<>':
            arrays[f'{code}_{"le" if order == "<" else "be"}'] = (signed / 4).astype(order + code)
    arrays['b1'] = signed > 0
    # Fortran order: memory holds columns first; the values are those of C order.
    arrays['fortran'] = np.asfortranarray((np.arange(24).reshape(2, 3, 4) - 7).astype('>i2'))
    arrays['scalar_f8'] = np.float64(0.001)
    arrays['scalar_i8'] = np.int64(3)
    return arrays


def spec_from_json():
    with open(os.path.join(root, 'data', 'examples', 'small.json')) as f:
        spec = json.load(f)
    out = {}
    for k, v in spec.items():
        if k == 'aliases':
            continue
        out[k] = np.asarray(v) if isinstance(v, list) else v
    return out, spec['aliases']


def main():
    arrays = dtypes()
    np.savez(os.path.join(here, 'dtypes.npz'), **arrays)
    np.savez_compressed(os.path.join(here, 'dtypes-compressed.npz'), **arrays)

    spec, aliases = spec_from_json()
    width = max(len(a) for a in aliases)
    padded = np.array([a + [-1] * (width - len(a)) for a in aliases])
    # What a Rockpool user gets from np.savez (f, **spec): Python ints and floats become
    # 0-d arrays.
    np.savez(os.path.join(here, 'small.npz'), aliases=padded, **spec)
    np.savez_compressed(os.path.join(here, 'small-compressed.npz'), aliases=padded, **spec)
    # A ragged list of lists can only be an object array, which numpy pickles.
    ragged = np.empty(len(aliases), dtype=object)
    ragged[:] = aliases
    np.savez(os.path.join(here, 'small-pickled.npz'), aliases=ragged, **spec)


if __name__ == '__main__':
    main()
