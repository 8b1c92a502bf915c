"""Stationary SCS mean-field solve of an iid tanh network in NumPy, the way it is usually written
(theory note §2.2, method M1): Δ0 by bisection on the energy condition with trapezoid averages,
C_φ(c; Δ0) tabulated by a 2-D trapezoid rule on 361 × 361 nodes at 1200 covariances, then RK4 on
Δ'' = Δ − g²C_φ(Δ) with linear interpolation of the table. Prints g, Δ0, Δ(2) and milliseconds.
"""
import sys
import time

import numpy as np

Z = np.linspace(-9, 9, 361)
W = np.exp(-Z * Z / 2) / np.sqrt(2 * np.pi) * (Z[1] - Z[0])


def logcosh(x):
    return np.logaddexp(x, -x) - np.log(2)


def solve(g, dt=0.05, end=60.0):
    def energy(q):
        L = logcosh(np.sqrt(q) * Z)
        return g * g * ((W * L * L).sum() - (W * L).sum() ** 2) - q * q / 2

    lo, hi = 1e-6, 4 * g * g
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if energy(mid) > 0 else (lo, mid)
    q = 0.5 * (lo + hi)
    cs = np.linspace(0, q, 1200)
    table = np.empty_like(cs)
    for i, c in enumerate(cs):
        inner = np.tanh(np.sqrt(c) * Z[:, None] + np.sqrt(q - c) * Z[None, :]) @ W
        table[i] = (W * inner * inner).sum()

    def acc(y):
        return y - g * g * np.interp(y, cs, table)

    h, y, v, out = dt / 10, q, 0.0, [q]
    for step in range(1, int(end / h) + 1):
        k1y, k1v = v, acc(y)
        k2y, k2v = v + h / 2 * k1v, acc(y + h / 2 * k1y)
        k3y, k3v = v + h / 2 * k2v, acc(y + h / 2 * k2y)
        k4y, k4v = v + h * k3v, acc(y + h * k3y)
        y += h / 6 * (k1y + 2 * k2y + 2 * k3y + k4y)
        v += h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v)
        if step % 10 == 0:
            out.append(y)
    return q, out


for arg in sys.argv[1:]:
    g = float(arg)
    t0 = time.perf_counter()
    q, delta = solve(g)
    ms = 1000 * (time.perf_counter() - t0)
    print(g, q, delta[40], ms)
