import { describe, expect, it } from 'vitest';
import { matrix, Simulation } from '../ts/index.js';

describe('integrators on a linear system with a known solution', () => {
  // dx/dt = −x + J x with J = [[0, −w], [w, 0]]: x(t) = e^{−t} R(wt) x(0).
  const w = 1.3;
  const J = matrix(2, 2, new Float64Array([0, -w, w, 0]));
  const exact = (t: number) => [Math.exp(-t) * Math.cos(w * t), Math.exp(-t) * Math.sin(w * t)];
  const error = (method: 'euler' | 'rk4', dt: number) => {
    using sim = new Simulation({ J, phi: 'linear', method, dt, x0: new Float64Array([1, 0]), seed: 0 });
    sim.run({ steps: Math.round(2 / dt), record: 'none' });
    const x = sim.state();
    const e = exact(2);
    return Math.hypot(x[0]! - e[0]!, x[1]! - e[1]!);
  };

  it('Euler converges at order 1', () => {
    const order = Math.log2(error('euler', 0.01) / error('euler', 0.005));
    expect(order).toBeGreaterThan(0.95);
    expect(order).toBeLessThan(1.05);
  });

  it('RK4 converges at order 4', () => {
    const order = Math.log2(error('rk4', 0.05) / error('rk4', 0.025));
    expect(order).toBeGreaterThan(3.9);
    expect(order).toBeLessThan(4.1);
  });
});

describe('linear stochastic network', () => {
  it('has the stationary covariance of the discrete Lyapunov equation', () => {
    // Euler–Maruyama map x ← M x + σ√dt ζ with M = I + dt(J − I): C = M C Mᵀ + σ² dt I exactly.
    const n = 6;
    const dt = 0.1;
    const sigma = 0.8;
    let s = 17;
    const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const j = Float64Array.from({ length: n * n }, () => 0.35 * rand());
    const m = Float64Array.from(j, (v, k) => dt * v + (Math.floor(k / n) === k % n ? 1 - dt : 0));
    let c = new Float64Array(n * n);
    for (let it = 0; it < 5000; it++) {
      const next = new Float64Array(n * n);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let v = a === b ? sigma * sigma * dt : 0;
          for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) v += m[a * n + k]! * c[k * n + l]! * m[b * n + l]!;
          next[a * n + b] = v;
        }
      }
      c = next;
    }
    using sim = new Simulation({ J: matrix(n, n, j), phi: 'linear', dt, noise: sigma, seed: 5 });
    sim.run({ steps: 1000, record: 'none' });
    sim.enableStatistics({ x: true, stride: 1 });
    const steps = 400_000;
    sim.run({ steps, record: 'none' });
    const est = sim.statistics('x').covariance.data;
    // Correlation time ≲ 1/(dt·0.5) = 20 steps: ~10⁴ effective samples, relative error ~1–2 %.
    for (let k = 0; k < n * n; k++) {
      const scale = Math.sqrt(c[Math.floor(k / n) * (n + 1)]! * c[(k % n) * (n + 1)]!);
      expect(Math.abs(est[k]! - c[k]!) / scale).toBeLessThan(0.05);
    }
  });
});

describe('recording and streaming', () => {
  it('records strided subsets and continues time across runs', () => {
    const n = 4;
    using sim = new Simulation({ J: matrix(n, n, new Float64Array(n * n)), phi: 'tanh', bias: new Float64Array(n).fill(1), x0: new Float64Array(n), seed: 1, dt: 0.1 });
    const first = sim.run({ steps: 10, stride: 5, units: 2, record: 'both' });
    expect(first.x!.rows).toBe(2);
    expect(first.x!.cols).toBe(2);
    // Euler map of dx/dt = 1 − x from 0: x_t = 1 − 0.9^t.
    expect(first.x!.data[2]).toBeCloseTo(1 - 0.9 ** 10, 14);
    expect(first.phi!.data[2]).toBeCloseTo(Math.tanh(1 - 0.9 ** 10), 14);
    const second = sim.run({ steps: 10, stride: 10 });
    expect(second.times[0]).toBeCloseTo(2, 12);
    expect(sim.steps).toBe(20);
  });

  it('applies a time-dependent drive', () => {
    using sim = new Simulation({ J: matrix(1, 1, new Float64Array([0])), phi: 'linear', x0: new Float64Array([0]), dt: 0.5, seed: 0 });
    const drive = new Float64Array([2, 0, -2]);
    const rec = sim.run({ steps: 3, drive });
    expect(Array.from(rec.x!.data)).toEqual([1, 0.5, -0.75]);
  });
});
