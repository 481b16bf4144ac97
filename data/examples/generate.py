#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate example Xylo network specifications for Synquant.

The output is what a Rockpool user saves from a mapped Xylo spec with
``json.dump({k: np.asarray(v).tolist() for k, v in spec.items()
if k != "mapped_graph"}, f)``: float weights, dashes = log2(tau/dt) and
thresholds before quantization.  The numbers imitate a *trained* network
rather than uniform noise, so the quantizer meets what real files contain:
heavy-tailed float32 weights with rare outliers, pruned entries, sparse
recurrence, dead neurons, time constants close to dt, aliases.

Only ``random.Random(seed).random()`` is used as entropy and every other
distribution is built here, so a given seed yields byte-identical output
with any Python >= 3.9 (whose own gauss/choice/shuffle have changed).
"""

import argparse
import json
import math
import os
import random
import struct
import sys

PRESETS = {  # n_in, n_hid, n_out, recurrent density
    "small": (8, 32, 4, 0.30),
    "xylo": (16, 1000, 8, 0.028),  # XyloAudio 2: fan-out ≤ 64, ≤ 32 000 pairs
}
# Gains of the input, recurrent and output weight scales.  At 1 the Xylo-size network runs
# wild on spike input (a third of its neurons at the 31-event cap, membranes in the
# thousands, outputs firing on nearly every step); these put it where a trained network is
# on train-xylo.py's patterns: ~0.09 events per neuron and step, no caps, outputs firing on
# a quarter of the steps.  (The small network is trained from its own scales by
# train-small.py, which reads them from here: changing them changes it.)
GAINS = {"small": (1.0, 1.0, 1.0), "xylo": (0.2, 0.05, 0.1)}
DT = 1e-3
NU = 4  # Student-t degrees of freedom: heavy tails, finite variance


def f32(x):
    """Round to float32 like a trained torch parameter; never -0.0."""
    return struct.unpack("<f", struct.pack("<f", x))[0] + 0.0


class Rng:
    """Distributions built on random() only (stable across Python versions)."""

    def __init__(self, seed):
        self.r = random.Random(seed).random

    def uniform(self, lo, hi):
        return lo + (hi - lo) * self.r()

    def index(self, n):
        return min(int(self.r() * n), n - 1)

    def sign(self):
        return 1.0 if self.r() < 0.5 else -1.0

    def normal(self):
        # Marsaglia polar method: needs only log and sqrt, no trigonometry.
        while True:
            u, v = 2.0 * self.r() - 1.0, 2.0 * self.r() - 1.0
            s = u * u + v * v
            if 0.0 < s < 1.0:
                return u * math.sqrt(-2.0 * math.log(s) / s)

    def student_t(self, limit=4.0):
        # t_4 = z / sqrt(chi2_4 / 4), chi2_4 = -2 ln(u1 u2).  Truncated at
        # +-limit so that the injected 5-10x outliers stay distinguishable.
        while True:
            chi2 = -2.0 * math.log((1.0 - self.r()) * (1.0 - self.r()))
            if chi2 > 0.0:
                t = self.normal() / math.sqrt(chi2 / NU)
                if abs(t) <= limit:
                    return t

    def lognormal(self, median, factor, lo=0.0, hi=math.inf):
        while True:  # redraw outside (lo, hi] instead of clipping
            x = median * math.exp(math.log(factor) * self.normal())
            if lo < x <= hi:
                return x

    def pick(self, items, k):
        """k distinct items, partial Fisher-Yates (random.sample changed)."""
        items = list(items)
        for i in range(k):
            j = i + self.index(len(items) - i)
            items[i], items[j] = items[j], items[i]
        return items[:k]


def generate(preset, seed, gains=None):
    n_in, n_hid, n_out, density = PRESETS[preset]
    rng = Rng(seed)
    hid = range(n_hid)

    # Dead neurons (disjoint sets): no input at all, or no outgoing weights.
    n_dead_in = max(1, round(0.02 * n_hid))
    n_dead_out = max(1, round(0.01 * n_hid))
    dead = rng.pick(hid, n_dead_in + n_dead_out)
    dead_in, dead_out = set(dead[:n_dead_in]), set(dead[n_dead_in:])

    # Scale ~ 1/sqrt(fan_in); synapse 2 weaker than synapse 1.
    g_in, g_rec, g_out = gains or GAINS[preset]
    s_in = g_in * 1.5 / math.sqrt(n_in)
    s_rec = g_rec * 1.0 / math.sqrt(density * n_hid)
    s_out = g_out * 2.0 / math.sqrt(n_hid)
    syn_gain = (1.0, 0.6)

    w_in = [[[0.0, 0.0] for _ in hid] for _ in range(n_in)]
    for row in w_in:
        for j in hid:
            for k in (0, 1):
                if rng.r() >= 0.05 and j not in dead_in:  # ~5 % pruned
                    row[j][k] = f32(s_in * syn_gain[k] * rng.student_t())

    # Sparse recurrence: a connection carries weights on both synapses.  The
    # probability is raised so the dead rows/columns keep the overall density.
    n_live = (n_hid - n_dead_in) * (n_hid - n_dead_out)
    p_rec = density * n_hid ** 2 / n_live
    w_rec = [[[0.0, 0.0] for _ in hid] for _ in hid]
    for i in hid:
        for j in hid:
            if rng.r() < p_rec and i not in dead_out and j not in dead_in:
                w_rec[i][j] = [f32(s_rec * g * rng.student_t())
                               for g in syn_gain]

    w_out = [[0.0 if i in dead_out else f32(s_out * rng.student_t())
              for _ in range(n_out)] for i in hid]

    # Outliers (0.1 % of non-zero weights) at 5-10x the typical magnitude,
    # alternating signs.
    sign = rng.sign()
    for w, scale in ((w_in, s_in), (w_rec, s_rec)):
        nz = [(a, b, k) for a, row in enumerate(w)
              for b, pair in enumerate(row) for k in (0, 1) if pair[k] != 0.0]
        for a, b, k in rng.pick(nz, max(1, round(0.001 * len(nz)))):
            mag = scale * syn_gain[k] * rng.uniform(5.0, 10.0)
            w[a][b][k] = f32(sign * mag)
            sign = -sign
    live = [i for i in hid if i not in dead_out]
    for i, o in rng.pick([(i, o) for i in live for o in range(n_out)],
                         1 + rng.index(2)):
        w_out[i][o] = f32(sign * s_out * rng.uniform(5.0, 10.0))
        sign = -sign

    # Time constants: log-normal, strictly in (1.5 dt, 2^15 dt] except for a
    # few deliberately injected synapses with tau in (1.05, 1.38) dt.
    def taus(n, median, factor, n_near=0):
        tau = [f32(rng.lognormal(median, factor, 1.5 * DT, 2 ** 15 * DT))
               for _ in range(n)]
        for i in rng.pick(range(n), n_near):
            tau[i] = f32(rng.uniform(1.05, 1.38) * DT)
        return tau

    def dash(tau):
        return [math.log2(t / DT) for t in tau]

    tau_mem = taus(n_hid, 20e-3, 1.8)
    tau_syn = taus(n_hid, 5e-3, 1.8, max(1, round(0.015 * n_hid)))
    tau_syn2 = taus(n_hid, 10e-3, 1.8, round(0.015 * n_hid))
    tau_mem_out = taus(n_out, 20e-3, 1.5)
    tau_syn_out = taus(n_out, 5e-3, 1.5)

    threshold = [f32(rng.lognormal(1.0, 1.3)) for _ in hid]
    for i in rng.pick(hid, max(2, round(0.003 * n_hid))):
        threshold[i] = f32(rng.uniform(3.0, 5.0))
    threshold_out = [f32(rng.lognormal(1.5, 1.2)) for _ in range(n_out)]
    # |bias| log-uniform in [0.01, 0.05], random sign.
    bias = [f32(rng.sign() * 0.01 * 5.0 ** rng.r()) for _ in hid]
    bias_out = [f32(rng.sign() * 0.01 * 3.0 ** rng.r()) for _ in range(n_out)]

    # ~1 % of neurons alias exactly one other neuron.
    aliases = [[] for _ in hid]
    for i in rng.pick(hid, max(1, round(0.01 * n_hid))):
        t = rng.index(n_hid - 1)
        aliases[i] = [t + (t >= i)]

    return {
        "weights_in": w_in, "weights_out": w_out, "weights_rec": w_rec,
        "dash_mem": dash(tau_mem), "dash_mem_out": dash(tau_mem_out),
        "dash_syn": dash(tau_syn), "dash_syn_2": dash(tau_syn2),
        "dash_syn_out": dash(tau_syn_out),
        "threshold": threshold, "threshold_out": threshold_out,
        "bias": bias, "bias_out": bias_out,
        "weight_shift_in": 0, "weight_shift_rec": 0, "weight_shift_out": 0,
        "aliases": aliases, "dt": DT,
    }


# A DynapCNN / Speck network for event-camera input: (C_in, C_out, kernel, stride, padding,
# pooling, weight gain, min_v_mem). The readout has no lower bound (min_v_mem null): sinabs
# mode then caps its scale, which the example is there to show.
CNN_INPUT = (2, 32, 32)
CNN_LAYERS = [
    (2, 8, 3, 2, 1, 2, 0.6, -1.0),
    (8, 16, 3, 1, 1, 2, 0.45, -1.0),
    (16, 10, 4, 1, 0, 1, 0.6, None),
]


def generate_cnn(seed):
    """A float DynapCNN layer file (docs/dynapcnn.md) as sinabs users export one: heavy-tailed
    float32 kernels, a few pruned, thresholds 1 and sinabs's default lower bound -1."""
    rng = Rng(seed)
    layers = []
    for c_in, c_out, k, stride, pad, pool, gain, low in CNN_LAYERS:
        fan_in = c_in * k * k
        scale = gain * 3.0 / math.sqrt(fan_in)
        weight = [[[[0.0 if rng.r() < 0.05 else f32(scale * rng.student_t())
                     for _ in range(k)] for _ in range(k)] for _ in range(c_in)]
                  for _ in range(c_out)]
        layer = {"weight": weight, "spike_threshold": 1.0, "min_v_mem": low,
                 "stride": stride, "padding": pad, "pooling": pool}
        if c_in == CNN_LAYERS[0][0]:
            layer["bias"] = [f32(0.02 * rng.student_t()) for _ in range(c_out)]
        layers.append(layer)
    return {"input_shape": list(CNN_INPUT), "layers": layers}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", required=True, choices=sorted(PRESETS) + ["cnn"])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--gains", metavar="IN,REC,OUT",
                    help="weight scale gains instead of the preset's (1,1,1: uncalibrated)")
    ap.add_argument("--readout", metavar="READOUT.json",
                    help="trained weights_out, bias_out and threshold_out (train-xylo.py)")
    ap.add_argument("-o", dest="out", required=True, metavar="OUT.json",
                    help="output file, '-' for stdout")
    args = ap.parse_args()

    if args.preset == "cnn":
        spec = generate_cnn(args.seed)
    else:
        spec = generate(args.preset, args.seed, args.gains and
                        tuple(float(g) for g in args.gains.split(",")))
    if args.readout:
        # A trained readout (train-xylo.py): its weights, biases and thresholds replace the
        # random ones.
        with open(args.readout, encoding="ascii") as f:
            readout = json.load(f)
        for key in ("weights_out", "bias_out", "threshold_out"):
            if len(readout[key]) != len(spec[key]):
                sys.exit(f"{args.readout}: {key} has {len(readout[key])} rows, "
                         f"expected {len(spec[key])}")
            spec[key] = [[f32(v) for v in row] if isinstance(row, list) else f32(row)
                         for row in readout[key]]
    if args.out == "-":
        json.dump(spec, sys.stdout)
        return
    tmp = args.out + ".tmp"  # same directory, so os.replace is atomic
    try:
        with open(tmp, "w", encoding="ascii") as f:
            json.dump(spec, f)
        os.replace(tmp, args.out)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


if __name__ == "__main__":
    main()
