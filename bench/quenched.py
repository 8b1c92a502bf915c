"""The quenched covariance predictor written the usual NumPy way (eig, inverse, eigen-basis
formulas, then the spectra of C^x and C^phi as predictActivity returns them), as the baseline
of bench/quenched.ts.

    python3 bench/quenched.py N FILE

FILE holds float64: a, sigma^2, dt, L, the residual C_r (L values), then J (N*N, row-major).
Prints: seconds PR^x/N PR^phi/N varX.
"""
import sys
import time

import numpy as np
from numpy.polynomial import polynomial


def laplace(cr, dt, mu):
    """Laplace transform at mu of the piecewise-linear interpolant of cr (spacing dt)."""
    z = mu * dt
    small = np.abs(z) < 1e-2
    zs = np.where(small, 1.0, z)
    e = np.exp(-zs)
    e1 = np.where(small, 1 - z / 2 + z**2 / 6 - z**3 / 24, (1 - e) / zs)
    e2 = np.where(small, 0.5 - z / 3 + z**2 / 8 - z**3 / 30, (1 - e * (1 + zs)) / zs**2)
    step = np.exp(-z)
    return dt * (e1 * polynomial.polyval(step, cr[:-1]) + e2 * polynomial.polyval(step, np.diff(cr)))


def main():
    n = int(sys.argv[1])
    data = np.fromfile(sys.argv[2], dtype=np.float64)
    a, s2, dt, length = data[0], data[1], data[2], int(data[3])
    cr = data[4 : 4 + length]
    J = data[4 + length :].reshape(n, n)
    t0 = time.perf_counter()
    lam, V = np.linalg.eig(J)
    mu = 1 - a * lam
    Vi = np.linalg.inv(V)
    W = Vi @ Vi.conj().T
    lk = laplace(cr, dt, mu)
    den = mu[:, None] + mu.conj()[None, :]
    M = (lk[:, None] + lk.conj()[None, :]) / den
    ll = lam[:, None] * lam.conj()[None, :]
    white = s2 / den
    kx = (M * ll + white) * W
    kp = (cr[0] + a * (lam * lk)[:, None] + a * (lam * lk).conj()[None, :] + a * a * ll * M + a * a * white) * W
    Vh = V.conj().T
    cx = (V @ kx @ Vh).real
    cp = (V @ kp @ Vh).real
    sx = np.linalg.eigvalsh(cx)
    sp = np.linalg.eigvalsh(cp)
    seconds = time.perf_counter() - t0
    pr = lambda s: np.sum(s) ** 2 / (n * np.sum(s * s))
    print(seconds, pr(sx), pr(sp), np.sum(sx) / n)


main()
