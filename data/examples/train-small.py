#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Train the small example (small.json) on synthetic temporal patterns.

Run by hand, never at build time: it needs numpy (a development-time requirement of this
script alone; Synquant does not use numpy) and takes a minute or two.

    python3 train-small.py --seed 42 -o small.json --samples small-samples.npz

The task: four classes of 100-step rasters on 8 input channels, each with Poisson background
noise and random timing, so that no single step or channel tells them apart:

    0  steady   every channel fires at a steady rate
    1  bursts   a few short bursts on all channels at once (the same mean rate as 0)
    2  rising   the channels take turns from 0 up to 7
    3  falling  the channels take turns from 7 down to 0

The network is the one generate.py writes for ``--preset small`` with the same seed: its
time constants (dashes), thresholds, aliases, dead neurons and pruned entries (zero weights
stay zero) are kept, and its weights and biases are trained from their random values by
back-propagation through time with a surrogate gradient.  The forward pass is Synquant's
float model (src/core/sq-float-sim.c) step for step:

    isyn += x_t W_in + e_{t-1} W_rec;  isyn *= beta;  v = alpha v + sum(isyn) + bias
    n = min(floor(v / theta), 31) if v >= theta;  v -= n theta;  e = n plus the aliased events
    isyn_out += e_{t-1} W_out;  isyn_out *= beta_out;  v_out = alpha_out v_out + isyn_out + b
    one output event when v_out >= theta_out, v_out -= theta_out

with alpha = exp(-2^-dash).  The class is the output with most events (ties to the first to
fire).  It writes the trained specification and a held-out labelled set (x: (N, T, C) uint8
counts, y: (N,) labels) that `synquant-cli evaluate` reads.  numpy's PCG64 generator with the
seed makes the result repeatable with a given numpy version.
"""

import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402  (the untrained network and its float32 rounding)

T = 100
CAP = 31  # hidden events per neuron and step, as on the chip
N_CLASSES = 4
CLASS_NAMES = ("steady", "bursts", "rising", "falling")


def pattern(rng, label, n_in):
    """One (T, n_in) raster of 0/1 events of class @label."""
    p = np.full((T, n_in), rng.uniform(0.01, 0.03))  # background
    if label == 0:
        p += rng.uniform(0.06, 0.10)
    elif label == 1:
        for start in rng.choice(T - 4, size=rng.integers(3, 6), replace=False):
            p[start:start + 3] += rng.uniform(0.5, 0.8)
    elif label in (2, 3):
        width = int(rng.integers(64 // n_in, 96 // n_in))  # 8 to 11 steps on 8 channels
        start = int(rng.integers(0, T - n_in * width + 1))
        order = range(n_in) if label == 2 else range(n_in - 1, -1, -1)
        for k, c in enumerate(order):
            p[start + k * width:start + (k + 1) * width, c] += rng.uniform(0.3, 0.5)
    elif label in (4, 5):  # one half of the channels, then the other (train-xylo.py)
        half = n_in // 2
        start = int(rng.integers(0, T - 80 + 1))
        first, second = (slice(0, half), slice(half, n_in))[::1 if label == 4 else -1]
        p[start:start + 40, first] += rng.uniform(0.2, 0.4)
        p[start + 40:start + 80, second] += rng.uniform(0.2, 0.4)
    else:  # the even or the odd channels at a steady rate
        p[:, label - 6::2] += rng.uniform(0.08, 0.15)
    return (rng.random((T, n_in)) < np.minimum(p, 1.0)).astype(np.uint8)


def dataset(rng, n, n_in, n_classes=N_CLASSES):
    y = np.arange(n) % n_classes
    rng.shuffle(y)
    x = np.stack([pattern(rng, int(label), n_in) for label in y])
    return x, y


class Net:
    """The specification's arrays as numpy, the trainable ones float64 with their masks."""

    def __init__(self, spec):
        self.spec = spec
        self.w_in = np.array(spec["weights_in"])     # (C, H, 2)
        self.w_rec = np.array(spec["weights_rec"])   # (H, H, 2)
        self.w_out = np.array(spec["weights_out"])   # (H, O)
        self.bias = np.array(spec["bias"])
        self.bias_out = np.array(spec["bias_out"])
        self.masks = [w != 0.0 for w in (self.w_in, self.w_rec, self.w_out)]
        self.th = np.array(spec["threshold"])
        self.th_out = np.array(spec["threshold_out"])
        self.alpha = np.exp(-np.exp2(-np.array(spec["dash_mem"])))
        self.beta = np.exp(-np.exp2(-np.stack([spec["dash_syn"], spec["dash_syn_2"]], 1)))
        self.alpha_out = np.exp(-np.exp2(-np.array(spec["dash_mem_out"])))
        self.beta_out = np.exp(-np.exp2(-np.array(spec["dash_syn_out"])))
        h = len(self.th)
        self.alias = np.eye(h)  # events e = n @ alias: neuron i's events count as its targets' too
        for i, targets in enumerate(spec["aliases"]):
            for a in targets:
                self.alias[i, a] += 1.0

    def params(self):
        return [self.w_in, self.w_rec, self.w_out, self.bias, self.bias_out]

    def forward(self, x):
        """x: (B, T, C).  Returns the output events (B, T, O) and what backward needs."""
        b = x.shape[0]
        h, o = len(self.th), len(self.th_out)
        isyn = np.zeros((b, h, 2))
        v = np.zeros((b, h))
        e = np.zeros((b, h))
        iout = np.zeros((b, o))
        vout = np.zeros((b, o))
        u_all, e_all, uo_all, so_all = [], [], [], []
        for t in range(T):
            isyn = isyn + np.einsum("bc,chk->bhk", x[:, t], self.w_in) + \
                np.einsum("bi,ihk->bhk", e, self.w_rec)
            iout = iout + e @ self.w_out
            isyn = isyn * self.beta
            u = self.alpha * v + isyn.sum(2) + self.bias
            n = np.where(u >= self.th, np.minimum(np.floor(u / self.th), CAP), 0.0)
            v = u - n * self.th
            iout = iout * self.beta_out
            uo = self.alpha_out * vout + iout + self.bias_out
            so = (uo >= self.th_out).astype(np.float64)
            vout = uo - so * self.th_out
            e = np.minimum(n @ self.alias, CAP)
            u_all.append(u)
            e_all.append(e)
            uo_all.append(uo)
            so_all.append(so)
        return np.stack(so_all, 1), (np.stack(u_all, 1), np.stack(e_all, 1),
                                     np.stack(uo_all, 1))

    def backward(self, x, cache, g_so, g_e_extra):
        """Gradients of the loss given dL/d(output events) (B, T, O) and an extra dL/d(hidden
        events) (B, T, H); resets are detached, spikes take a fast-sigmoid surrogate."""
        u_all, e_all, uo_all = cache
        b = x.shape[0]
        h, o = len(self.th), len(self.th_out)
        grads = [np.zeros_like(p) for p in self.params()]
        g_w_in, g_w_rec, g_w_out, g_bias, g_bias_out = grads
        g_v = np.zeros((b, h))
        g_isyn_pre = np.zeros((b, h, 2))
        g_vo = np.zeros((b, o))
        g_io_pre = np.zeros((b, o))
        g_e = np.zeros((b, h))  # dL/d e[t], collected from step t + 1
        for t in range(T - 1, -1, -1):
            e_prev = e_all[:, t - 1] if t > 0 else np.zeros((b, h))
            # Output layer.
            sg_o = 1.0 / (self.th_out * (1.0 + 10.0 * np.abs(uo_all[:, t] / self.th_out - 1.0)) ** 2)
            g_uo = g_vo + g_so[:, t] * sg_o
            g_bias_out += g_uo.sum(0)
            g_io = g_uo + g_io_pre
            g_io_pre = self.beta_out * g_io
            g_w_out += e_prev.T @ g_io_pre
            g_e_prev = g_io_pre @ self.w_out.T
            g_vo = self.alpha_out * g_uo
            # Hidden layer.
            g_n = (g_e + g_e_extra[:, t]) @ self.alias.T
            sg = 1.0 / (self.th * (1.0 + 10.0 * np.abs(u_all[:, t] / self.th - 1.0)) ** 2)
            g_u = g_v + g_n * sg
            g_bias += g_u.sum(0)
            g_isyn = g_u[:, :, None] + g_isyn_pre
            g_isyn_pre = self.beta * g_isyn
            g_w_in += np.einsum("bc,bhk->chk", x[:, t], g_isyn_pre)
            g_w_rec += np.einsum("bi,bhk->ihk", e_prev, g_isyn_pre)
            g_e = g_e_prev + np.einsum("bhk,ihk->bi", g_isyn_pre, self.w_rec)
            g_v = self.alpha * g_u
        for g, m in zip(grads, self.masks):
            g *= m
        return grads


def classify(so):
    """Synquant's class: most output events, ties to the earliest first event, then the
    lowest index; -1 when no output fired."""
    counts = so.sum(1)
    t = so.shape[1]
    first = np.where(so.any(1), so.argmax(1), t)
    key = counts * (t + 1) - first  # more events first, then the earlier first event
    best = key.argmax(1)
    return np.where(counts.max(1) > 0, best, -1)


def loss_grads(net, x, y):
    so, cache = net.forward(x)
    b = x.shape[0]
    counts = so.sum(1)
    logits = 0.25 * counts
    z = logits - logits.max(1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    ce = -np.log(p[np.arange(b), y] + 1e-12).mean()
    g_counts = 0.25 * (p - np.eye(N_CLASSES)[y]) / b
    # Keep the outputs from firing on most steps: events above 30 of 100 steps cost.
    over = np.maximum(counts - 30.0, 0.0)
    g_counts += 0.01 * over / b
    # Hidden activity near 0.05 events per step and neuron, not saturated.
    e_all = cache[1]
    rate = e_all.mean(1)  # (B, H)
    g_rate = 2.0 * 0.5 * (rate - 0.05) * (rate > 0.05) / (b * rate.shape[1])
    g_e_extra = np.broadcast_to(g_rate[:, None, :] / T, e_all.shape)
    g_so = np.broadcast_to(g_counts[:, None, :], so.shape)
    grads = net.backward(x, cache, g_so, g_e_extra)
    acc = (classify(so) == y).mean()
    return ce, acc, grads


def evaluate(net, x, y, batch=100):
    pred = np.concatenate([classify(net.forward(x[i:i + batch].astype(np.float64))[0])
                           for i in range(0, len(x), batch)])
    return (pred == y).mean()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--steps", type=int, default=2000, help="training batches")
    ap.add_argument("-o", dest="out", required=True, metavar="OUT.json")
    ap.add_argument("--samples", required=True, metavar="SET.npz",
                    help="the held-out labelled set to write")
    args = ap.parse_args()

    spec = generate.generate("small", args.seed)
    net = Net(spec)
    # The random network is far too active (membranes in the thousands, most neurons at 31
    # events a step): training starts from its weights scaled down to a quiet regime.
    net.w_in *= 0.5
    net.w_rec *= 0.1
    net.w_out *= 0.5
    n_in = net.w_in.shape[0]
    rng = np.random.default_rng(args.seed)
    x_test, y_test = dataset(rng, 200, n_in)
    print(f"untrained: held-out accuracy {evaluate(net, x_test, y_test):.3f}", file=sys.stderr)

    params = net.params()
    m = [np.zeros_like(p) for p in params]
    s = [np.zeros_like(p) for p in params]
    lr, b1, b2 = 1e-2, 0.9, 0.999
    for step in range(1, args.steps + 1):
        x, y = dataset(rng, 64, n_in)
        ce, acc, grads = loss_grads(net, x.astype(np.float64), y)
        rate = lr * (0.1 if step > 0.8 * args.steps else 1.0)
        for p, g, mi, si, mask in zip(params, grads, m, s, net.masks + [True, True]):
            mi *= b1
            mi += (1 - b1) * g
            si *= b2
            si += (1 - b2) * g * g
            p -= rate * (mi / (1 - b1 ** step)) / (np.sqrt(si / (1 - b2 ** step)) + 1e-8)
            p *= mask
        if step % 100 == 0:
            print(f"step {step}: loss {ce:.3f}, batch accuracy {acc:.3f}", file=sys.stderr)

    # float32 as a trained torch parameter is; a pruned (masked) weight stays exactly 0.
    f32 = np.vectorize(generate.f32, otypes=[float])
    for p in params:
        p[...] = f32(p)
    print(f"trained: held-out accuracy {evaluate(net, x_test, y_test):.3f}", file=sys.stderr)

    spec.update(weights_in=net.w_in.tolist(), weights_rec=net.w_rec.tolist(),
                weights_out=net.w_out.tolist(), bias=net.bias.tolist(),
                bias_out=net.bias_out.tolist())
    with open(args.out + ".tmp", "w", encoding="ascii") as f:
        json.dump(spec, f)
    os.replace(args.out + ".tmp", args.out)
    np.savez_compressed(args.samples, x=x_test, y=y_test.astype(np.int64))


if __name__ == "__main__":
    main()
