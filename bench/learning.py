"""Per-training-step wall time of the online learning algorithms of Marschall, Cho & Savin (JMLR 2020), in NumPy.

This is the NumPy baseline for rnnlab's learning benchmark. Each algorithm is written the way the authors'
reference code (vanilla-rtrl) writes it, so that its cost is the reference's cost:

* the Jacobian is built densely, J = α diag(φ'(h)) W_rec + (1 − α) I, wherever an algorithm needs it;
* RTRL builds the immediate influence as np.kron(â, α diag(φ'(h))), of shape n × nm, and updates
  M ← J @ M + M̄, with g = c M reshaped column-major;
* UORO and R-KF-RTRL draw ν ∈ {±1}^n (so ρ₁ uses ‖ν‖ = √n) and KF-RTRL draws ν ∈ {±1}^2;
* KeRNL runs its own perturbed copy of the network forward each step and learns A and the timescales by SGD;
* E-BPTT and F-BPTT (T = 10) keep Python lists of the stored â, h and credits, and rebuild J from the stored h
  and the current W_rec; F-BPTT adds the newest credit, propagated back, to every stored one;
* DNI learns a linear synthetic gradient A [a; y*; 1] against a bootstrapped target with a target copy of A.

Task and training step: the Add task (lags 5 and 9; n_in = n_out = 2; softmax cross-entropy), α = 1, tanh units,
online SGD with lr 1e-3. One step is what a training step of the reference Simulation does, less its
monitoring: the forward pass with loss and error, the algorithm's trace update and recurrent gradient, the
readout gradients, and the SGD update of all five parameter arrays.

Usage: python3 bench/learning.py <steps> <n1> [<n2> ...]   (run with OPENBLAS_NUM_THREADS=1)
Prints one line of JSON: {"<n>": {"<algorithm>": ms_per_step, ...}, ...}, the best of 3 repetitions of
<steps> steps after a short warm-up (RTRL runs min(steps, 200) steps when n >= 64).
"""
import json
import sys
import time

import numpy as np

ALPHA = 1.0
LR = 1e-3
LAGS = (5, 9)
N_IN = N_OUT = 2
T_TRUNCATION = 10
KERNL_SIGMA = 1e-7           # perturbation size of KeRNL's noisy network
KERNL_LR = 0.1 / KERNL_SIGMA  # KeRNL's own SGD rate, base_lr / σ
DNI_LR = 0.05                # synthetic-gradient SGD rate (α = 1 Add)
DNI_FIX_INTERVAL = 5         # steps between copies of A into the target network
WARMUP = 20


def add_task(steps, rng):
    """Inputs [x, 1 − x] and target distributions [y, 1 − y], y(t) = 0.5 + 0.5 x(t − 5) − 0.25 x(t − 9)."""
    x = rng.integers(0, 2, steps).astype(float)
    y = 0.5 + 0.5 * np.roll(x, LAGS[0]) - 0.25 * np.roll(x, LAGS[1])
    return np.stack([x, 1 - x], axis=1), np.stack([y, 1 - y], axis=1)


def phi_prime(h):
    return 1 - np.tanh(h) ** 2


class RNN:
    """a(t) = (1 − α) a(t−1) + α tanh(W_rec a(t−1) + W_in x(t) + b_rec), softmax readout W_out a + b_out."""

    def __init__(self, n, rng):
        self.n, self.m = n, n + N_IN + 1
        self.W_rec = np.linalg.qr(rng.standard_normal((n, n)))[0]
        self.W_in = rng.normal(0, 1 / np.sqrt(N_IN), (n, N_IN))
        self.b_rec = np.zeros(n)
        self.W_out = rng.normal(0, 1 / np.sqrt(n), (N_OUT, n))
        self.b_out = np.zeros(N_OUT)
        self.h = rng.standard_normal(n)
        self.a = np.tanh(self.h)

    def forward(self, x, y):
        self.x, self.y, self.a_prev = x, y, self.a
        self.h = self.W_rec @ self.a + self.W_in @ x + self.b_rec
        self.a = (1 - ALPHA) * self.a + ALPHA * np.tanh(self.h)
        z = self.W_out @ self.a + self.b_out
        p = np.exp(z - z.max())
        p /= p.sum()
        self.loss = -y @ np.log(np.maximum(p, 1e-4))
        self.e = p - y

    def jacobian(self, h):
        return ALPHA * np.diag(phi_prime(h)) @ self.W_rec + (1 - ALPHA) * np.eye(self.n)

    def a_hat(self):
        return np.concatenate([self.a_prev, self.x, np.array([1.0])])

    def immediate_influence(self):
        """Compact M̄: P_ij = α φ'(h_i) â_j, so that M̄_kij = δ_ki P_ij."""
        return np.multiply.outer(ALPHA * phi_prime(self.h), self.a_hat())


def sign_noise(rng, size):
    return rng.choice([-1.0, 1.0], size)


class RTRL:
    def __init__(self, net, rng):
        self.M = np.zeros((net.n, net.n * net.m))

    def step(self, net, c):
        papw = np.kron(net.a_hat(), np.diag(ALPHA * phi_prime(net.h)))
        self.M = net.jacobian(net.h) @ self.M + papw
        return (c @ self.M).reshape((net.n, net.m), order='F')


class UORO:
    """M_kij ≈ A_k B_ij."""

    def __init__(self, net, rng):
        self.rng = rng
        self.A = rng.standard_normal(net.n)
        self.B = rng.standard_normal((net.n, net.m))

    def step(self, net, c):
        nu = sign_noise(self.rng, net.n)
        P_nu = (net.immediate_influence().T * nu).T
        JA = net.jacobian(net.h) @ self.A
        p0 = np.sqrt(np.linalg.norm(self.B) / np.linalg.norm(JA))
        p1 = np.sqrt(np.linalg.norm(P_nu) / np.sqrt(net.n))
        self.A = p0 * JA + p1 * nu
        self.B = self.B / p0 + P_nu / p1
        return (c @ self.A) * self.B


class KF_RTRL:
    """M_kij ≈ A_j B_ki."""

    def __init__(self, net, rng):
        self.rng = rng
        self.A = rng.standard_normal(net.m)
        self.B = rng.standard_normal((net.n, net.n))

    def step(self, net, c):
        a_hat = net.a_hat()
        D = np.diag(ALPHA * phi_prime(net.h))
        JB = net.jacobian(net.h) @ self.B
        nu = sign_noise(self.rng, 2)
        p0 = np.sqrt(np.linalg.norm(JB) / np.linalg.norm(self.A))
        p1 = np.sqrt(np.linalg.norm(D) / np.linalg.norm(a_hat))
        self.A = nu[0] * p0 * self.A + nu[1] * p1 * a_hat
        self.B = nu[0] / p0 * JB + nu[1] / p1 * D
        return np.kron(self.A, c @ self.B).reshape((net.n, net.m), order='F')


class R_KF_RTRL:
    """M_kij ≈ A_i B_kj."""

    def __init__(self, net, rng):
        self.rng = rng
        self.A = rng.standard_normal(net.n)
        self.B = rng.standard_normal((net.n, net.m))

    def step(self, net, c):
        nu = sign_noise(self.rng, net.n)
        P_nu = (net.immediate_influence().T * nu).T
        JB = net.jacobian(net.h) @ self.B
        p0 = np.sqrt(np.linalg.norm(JB) / np.linalg.norm(self.A))
        p1 = np.sqrt(np.linalg.norm(P_nu) / np.sqrt(net.n))
        self.A = p0 * self.A + p1 * nu
        self.B = JB / p0 + P_nu / p1
        return np.multiply.outer(self.A, c @ self.B)


class RFLO:
    """M_kij ≈ δ_ki B_ij, B a leaky trace of φ'(h) ⊗ â."""

    def __init__(self, net, rng):
        self.B = np.zeros((net.n, net.m))

    def step(self, net, c):
        self.B = (1 - ALPHA) * self.B + ALPHA * np.multiply.outer(phi_prime(net.h), net.a_hat())
        return (c * self.B.T).T


class KeRNL:
    """M_kij ≈ A_ki B_ij, with A and the timescales γ learned from the effect of perturbations."""

    def __init__(self, net, rng):
        self.rng = rng
        self.A = np.eye(net.n)
        self.B = np.zeros((net.n, net.m))
        self.gamma = 0.8 * np.ones(net.n)
        self.Omega = np.zeros(net.n)
        self.Gamma = np.zeros(net.n)
        self.a_noisy = net.a.copy()
        self.zeta = rng.normal(0, KERNL_SIGMA, net.n)

    def step(self, net, c):
        a = self.a_noisy + self.zeta
        h = net.W_rec @ a + net.W_in @ net.x + net.b_rec
        self.a_noisy = (1 - ALPHA) * a + ALPHA * np.tanh(h)

        kernel = np.maximum(0, 1 - self.gamma)
        self.zeta = self.rng.normal(0, KERNL_SIGMA, net.n)
        self.Gamma = kernel * self.Gamma - self.Omega
        self.Omega = kernel * self.Omega + self.zeta
        self.B = (self.B.T * kernel).T + net.immediate_influence()

        error = self.A @ self.Omega - (self.a_noisy - net.a)
        A_grad = np.multiply.outer(error, self.Omega)
        gamma_grad = (error @ self.A) * self.Gamma
        self.A = self.A - KERNL_LR * A_grad
        self.gamma = self.gamma - KERNL_LR * gamma_grad
        return (self.B.T * (c @ self.A)).T


class E_BPTT:
    """Truncated BPTT in non-overlapping windows of T steps: a gradient every T steps, zero otherwise."""

    def __init__(self, net, rng):
        self.a_hat_history, self.h_history, self.c_history = [], [], []

    def step(self, net, c):
        self.a_hat_history.insert(0, net.a_hat())
        self.h_history.insert(0, net.h)
        self.c_history.insert(0, c)
        if len(self.a_hat_history) < T_TRUNCATION:
            return np.zeros((net.n, net.m))
        g = np.zeros((net.n, net.m))
        c_bar = self.c_history.pop(0)
        for i in range(T_TRUNCATION):
            h = self.h_history.pop(0)
            g += np.multiply.outer(c_bar * ALPHA * phi_prime(h), self.a_hat_history.pop(0))
            if i < T_TRUNCATION - 1:
                c_bar = self.c_history.pop(0) + c_bar @ net.jacobian(h)
        return g


class F_BPTT:
    """Each step adds the newest credit, propagated back, to the stored credits; emits the one T − 1 steps old."""

    def __init__(self, net, rng):
        self.a_hat_history, self.h_history, self.c_history = [], [], []

    def step(self, net, c):
        self.a_hat_history.insert(0, net.a_hat())
        self.h_history.insert(0, net.h)
        self.c_history.insert(0, c.copy())
        q = c
        for i in range(1, len(self.c_history)):
            q = q @ net.jacobian(self.h_history[i - 1])
            self.c_history[i] += q
        if len(self.c_history) < T_TRUNCATION:
            return np.zeros((net.n, net.m))
        c_bar, h, a_hat = self.c_history.pop(), self.h_history.pop(), self.a_hat_history.pop()
        return np.multiply.outer(c_bar * ALPHA * phi_prime(h), a_hat)


class DNI:
    """Synthetic gradient c̄(t) ≈ A [a(t); y*(t); 1], regressed on c(t−1) + (A_ [a(t); y*(t); 1]) J(t)."""

    def __init__(self, net, rng):
        k = net.n + N_OUT + 1
        self.A = rng.normal(0, 1 / np.sqrt(k), (net.n, k))
        self.A_target = self.A.copy()
        self.i_fix = 0
        self.a_tilde_prev = np.concatenate([net.a, np.zeros(N_OUT), np.array([1.0])])
        self.c_prev = np.zeros(net.n)

    def step(self, net, c):
        a_tilde = np.concatenate([net.a, net.y, np.array([1.0])])
        sg_prev = self.A @ self.a_tilde_prev
        sg_target = self.c_prev + (self.A_target @ a_tilde) @ net.jacobian(net.h)
        self.A = self.A - DNI_LR * np.multiply.outer(sg_prev - sg_target, self.a_tilde_prev)
        self.i_fix += 1
        if self.i_fix == DNI_FIX_INTERVAL:
            self.i_fix = 0
            self.A_target = self.A.copy()
        self.a_tilde_prev, self.c_prev = a_tilde, c
        sg = self.A @ a_tilde
        return np.multiply.outer(sg * ALPHA * phi_prime(net.h), net.a_hat())


class OutputOnly:
    """Only W_out and b_out learn; the recurrent gradient is zero."""

    def __init__(self, net, rng):
        pass

    def step(self, net, c):
        return np.zeros((net.n, net.m))


ALGORITHMS = {
    'rtrl': RTRL, 'uoro': UORO, 'kf-rtrl': KF_RTRL, 'r-kf-rtrl': R_KF_RTRL, 'rflo': RFLO, 'kernl': KeRNL,
    'e-bptt': E_BPTT, 'f-bptt': F_BPTT, 'dni': DNI, 'output-only': OutputOnly,
}


def train(net, alg, X, Y):
    """Online training, one SGD update per step."""
    n = net.n
    for x, y in zip(X, Y):
        net.forward(x, y)
        c = net.e @ net.W_out
        g = alg.step(net, c)
        params = [net.W_rec, net.W_in, net.b_rec, net.W_out, net.b_out]
        grads = [g[:, :n], g[:, n:-1], g[:, -1], np.multiply.outer(net.e, net.a), net.e]
        net.W_rec, net.W_in, net.b_rec, net.W_out, net.b_out = [p - LR * dp for p, dp in zip(params, grads)]


def ms_per_step(name, n, steps):
    rng = np.random.default_rng(0)
    X, Y = add_task(WARMUP + 3 * steps, rng)
    net = RNN(n, rng)
    alg = ALGORITHMS[name](net, rng)
    train(net, alg, X[:WARMUP], Y[:WARMUP])
    best = np.inf
    for r in range(3):
        window = slice(WARMUP + r * steps, WARMUP + (r + 1) * steps)
        t0 = time.perf_counter()
        train(net, alg, X[window], Y[window])
        best = min(best, time.perf_counter() - t0)
    return 1e3 * best / steps


def main(argv):
    steps, sizes = int(argv[0]), [int(v) for v in argv[1:]]
    result = {}
    for n in sizes:
        result[str(n)] = {}
        for name in ALGORITHMS:
            run_steps = min(steps, 200) if name == 'rtrl' and n >= 64 else steps
            result[str(n)][name] = float(f'{ms_per_step(name, n, run_steps):.4g}')
    print(json.dumps(result))


if __name__ == '__main__':
    main(sys.argv[1:])
