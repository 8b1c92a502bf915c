/**
 * The exact stationary covariance of the RK4-discretised linear network dx/dt = −x + Jx + σξ
 * (split-step noise): x_{t+1} = A x_t + σ√dt ζ with A the RK4 propagator of M = J − I, so
 * C = A C Aᵀ + σ² dt I, iterated to convergence. Small N only (O(N³) per iteration).
 */
export function discreteLinearCovariance(J: Float64Array, n: number, dt: number, noise = 1, iterations = 3000): Float64Array {
  const eye = (k: number) => (k % (n + 1) === 0 ? 1 : 0);
  const mul = (a: Float64Array, b: Float64Array) => {
    const c = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const v = a[i * n + k]!;
      for (let j = 0; j < n; j++) c[i * n + j] = c[i * n + j]! + v * b[k * n + j]!;
    }
    return c;
  };
  const hM = J.map((v, k) => (v - eye(k)) * dt);
  let term = Float64Array.from({ length: n * n }, (_, k) => eye(k));
  const A = term.slice();
  for (const d of [1, 2, 3, 4]) {
    term = mul(term, hM).map((v) => v / d);
    A.forEach((v, k) => (A[k] = v + term[k]!));
  }
  const At = Float64Array.from({ length: n * n }, (_, k) => A[(k % n) * n + Math.floor(k / n)]!);
  const q = noise * noise * dt;
  let C = Float64Array.from({ length: n * n }, (_, k) => q * eye(k));
  for (let it = 0; it < iterations; it++) {
    const next = mul(mul(A, C), At);
    next.forEach((v, k) => (next[k] = v + q * eye(k)));
    C = next;
  }
  return C;
}

/** tr C and tr C² of a covariance matrix. */
export function traces(C: Float64Array, n: number): { tr: number; tr2: number } {
  let tr = 0;
  let tr2 = 0;
  for (let i = 0; i < n; i++) tr += C[i * (n + 1)]!;
  for (const v of C) tr2 += v * v;
  return { tr, tr2 };
}
