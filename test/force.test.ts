import { describe, expect, it } from 'vitest';
import { ArgumentError, DisposedError, ForceNetwork, normalizedError, sumOfSines } from '../ts/index.js';
import { guarded } from '../ts/runtime/module.js';
import { maxRelative } from './support/compare.js';

/** Inverse of a small dense matrix by Gauss–Jordan elimination with partial pivoting. */
function inverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i * n + k]!) > Math.abs(m[piv * n + k]!)) piv = i;
    for (let j = 0; j < n; j++) {
      [m[k * n + j], m[piv * n + j]] = [m[piv * n + j]!, m[k * n + j]!];
      [inv[k * n + j], inv[piv * n + j]] = [inv[piv * n + j]!, inv[k * n + j]!];
    }
    const d = m[k * n + k]!;
    for (let j = 0; j < n; j++) { m[k * n + j]! /= d; inv[k * n + j]! /= d; }
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const f = m[i * n + k]!;
      for (let j = 0; j < n; j++) { m[i * n + j]! -= f * m[k * n + j]!; inv[i * n + j]! -= f * inv[k * n + j]!; }
    }
  }
  return inv;
}

describe('ForceNetwork', () => {
  it('validates its arguments with typed errors', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ n: 0 }, 'n'], [{ n: 2.5 }, 'n'], [{ g: -1 }, 'g'], [{ p: 0 }, 'p'], [{ p: 1.5 }, 'p'], [{ alpha: 0 }, 'alpha'],
      [{ tau: 0 }, 'tau'], [{ dt: 11 }, 'dt'], [{ learnEvery: 0 }, 'learnEvery'], [{ feedback: -1 }, 'feedback'],
      [{ seed: -1 }, 'seed'], [{ seed: undefined }, 'seed'],
    ];
    for (const [o, parameter] of bad) {
      expect(() => new ForceNetwork({ n: 10, seed: 1, ...o } as never)).toThrow(ArgumentError);
      try {
        new ForceNetwork({ n: 10, seed: 1, ...o } as never);
      } catch (e) {
        expect((e as ArgumentError).parameter).toBe(parameter);
      }
    }
    using net = new ForceNetwork({ n: 10, seed: 1 });
    const check = (f: () => unknown, parameter: string) => {
      expect(f).toThrow(ArgumentError);
      try { f(); } catch (e) { expect((e as ArgumentError).parameter).toBe(parameter); }
    };
    check(() => net.train({ target: new Float64Array(3), steps: 4 }), 'target');
    check(() => net.train({ target: () => NaN, steps: 4 }), 'target');
    check(() => net.train({ target: [1, 2] as never, steps: 2 }), 'target');
    check(() => net.train({ target: () => 0, steps: 1.5 }), 'steps');
    check(() => net.train({ target: () => 0, steps: 2, onProgress: 3 as never }), 'onProgress');
    check(() => net.run({ steps: -1 }), 'steps');
    check(() => sumOfSines({ period: 0 }), 'period');
    check(() => normalizedError(new Float64Array(2), new Float64Array(2)), 'target');
    expect(net.steps).toBe(0);
  });

  it('frees its memory on dispose and refuses use afterwards', () => {
    const live = () => guarded((e) => e.rnl_force_live());
    const before = live();
    const net = new ForceNetwork({ n: 20, seed: 2 });
    expect(live()).toBe(before + 1);
    net.dispose();
    net.dispose();
    expect(live()).toBe(before);
    expect(() => net.run({ steps: 1 })).toThrow(DisposedError);
  });

  it('is deterministic in the seed', () => {
    const trace = (seed: number) => {
      using net = new ForceNetwork({ n: 60, seed });
      const r = net.train({ target: sumOfSines({ period: 200 }), steps: 300 });
      return [...r.output, ...net.state().w];
    };
    expect(trace(5)).toEqual(trace(5));
    expect(trace(5)).not.toEqual(trace(6));
  });

  it('matches a hand-written Euler + RLS reference with feedback', () => {
    const n = 6;
    const [alpha, tau, dt, learnEvery] = [0.7, 10, 1, 2];
    using net = new ForceNetwork({ n, p: 0.5, g: 1.5, alpha, tau, dt, learnEvery, seed: 4 });
    const { J, wF } = net.connectivity();
    const x = Float64Array.from(net.state().x);
    let r = x.map(Math.tanh);
    const w = new Float64Array(n);
    const P = new Float64Array(n * n);
    for (let i = 0; i < n; i++) P[i * n + i] = 1 / alpha;
    let z = 0;
    const f = sumOfSines({ period: 40 });
    const steps = 50;
    const expected = new Float64Array(steps);
    const dws = new Float64Array(steps);
    for (let t = 1; t <= steps; t++) {
      for (let i = 0; i < n; i++) {
        let jr = 0;
        for (let k = 0; k < n; k++) jr += J.data[i * n + k]! * r[k]!;
        x[i] = x[i]! + (dt / tau) * (-x[i]! + jr + wF[i]! * z);
      }
      r = x.map(Math.tanh);
      z = w.reduce((s, wi, i) => s + wi * r[i]!, 0);
      expected[t - 1] = z;
      if (t % learnEvery === 0) {
        const e = z - f(t * dt);
        const k = Float64Array.from({ length: n }, (_, i) => r.reduce((s, rj, j) => s + P[i * n + j]! * rj, 0));
        const c = 1 / (1 + r.reduce((s, ri, i) => s + ri * k[i]!, 0));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) P[i * n + j]! -= c * k[i]! * k[j]!;
        for (let i = 0; i < n; i++) w[i]! -= c * e * k[i]!;
        dws[t - 1] = Math.abs(c * e) * Math.hypot(...k);
      }
    }
    const got = net.train({ target: f, steps });
    expect(got.time[0]).toBe(dt);
    expect(maxRelative(got.output, expected)).toBeLessThan(1e-10);
    expect(maxRelative(got.dw, dws)).toBeLessThan(1e-10);
    expect(maxRelative(net.state().w, w)).toBeLessThan(1e-10);
    expect(maxRelative(net.inverseCorrelation().data, P)).toBeLessThan(1e-10);
    expect(got.error.every((e, i) => e === got.output[i]! - got.target[i]!)).toBe(true);
  });

  it('RLS equals ridge regression over the rates at the learning steps (open loop)', () => {
    const n = 15;
    const alpha = 0.5;
    using net = new ForceNetwork({ n, p: 0.3, alpha, feedback: 0, seed: 8 });
    const f = sumOfSines({ period: 90 });
    const A = new Float64Array(n * n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) A[i * n + i] = alpha;
    for (let t = 1; t <= 120; t++) {
      const target = f(t);
      net.train({ target: Float64Array.of(target), steps: 1 });
      if (t % 2 !== 0) continue;
      const r = net.state().x.map(Math.tanh);
      for (let i = 0; i < n; i++) {
        b[i]! += r[i]! * target;
        for (let j = 0; j < n; j++) A[i * n + j]! += r[i]! * r[j]!;
      }
    }
    const inv = inverse(A, n);
    const wStar = Float64Array.from({ length: n }, (_, i) => b.reduce((s, bj, j) => s + inv[i * n + j]! * bj, 0));
    const P = net.inverseCorrelation();
    expect(maxRelative(P.data, inv)).toBeLessThan(1e-8);
    expect(maxRelative(net.state().w, wStar)).toBeLessThan(1e-8);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(P.data[i * n + j]).toBe(P.data[j * n + i]);
  });

  it('reports progress, records |Δw| on learning steps only, and stops when asked', () => {
    using net = new ForceNetwork({ n: 30, learnEvery: 3, seed: 3 });
    const reports: number[] = [];
    const r = net.train({
      target: sumOfSines(), steps: 5000,
      onProgress: (p) => { reports.push(p.step); expect(p.rmsError).toBeGreaterThan(0); return p.step < 4000; },
    });
    expect(reports).toEqual([2000, 4000]);
    expect(r.output.length).toBe(4000);
    expect(net.steps).toBe(4000);
    r.dw.forEach((d, i) => expect(d > 0).toBe((i + 1) % 3 === 0));
    const w = net.state().w;
    const test = net.run({ steps: 10 });
    expect(test.time[0]).toBe(4001);
    expect(net.state().w).toEqual(w);
    expect(net.steps).toBe(4010);
  });

  it('learns the periodic target and keeps generating it with learning off (N = 300)', () => {
    // Period 600 ms (60 τ); 20 periods of training, 3 periods of testing (10 of 10 seeds below
    // 0.08). At N = 300 the reference period of 1200 ms is learnt unreliably; at N = 1000 it
    // works (examples/force.ts).
    const period = 600;
    const f = sumOfSines({ period });
    const opts = { n: 300, g: 1.5, p: 0.1, seed: 1 };
    const testError = (net: ForceNetwork) => {
      const test = net.run({ steps: 3 * period });
      return normalizedError(test.output, test.time.map(f));
    };
    using net = new ForceNetwork(opts);
    const t0 = performance.now();
    const trained = net.train({ target: f, steps: 20 * period });
    const perUpdate = (performance.now() - t0) / (10 * period);
    const after = testError(net);
    // Before training w = 0, so z = 0 and the error is 1 by construction. The informative control
    // is the open loop: without feedback the readout is fitted to chaotic rates that do not
    // repeat, and with learning off it does not track the target (10 of 10 seeds: error ≥ 1).
    using open = new ForceNetwork({ ...opts, feedback: 0 });
    open.train({ target: f, steps: 20 * period });
    const openLoop = testError(open);
    console.log(`FORCE N = 300: test error ${after.toFixed(4)} (open loop ${openLoop.toFixed(3)}), ${perUpdate.toFixed(3)} ms per learning step`);
    expect(normalizedError(trained.output.slice(-3 * period), trained.target.slice(-3 * period))).toBeLessThan(0.1);
    expect(after).toBeLessThan(0.1);
    expect(openLoop).toBeGreaterThan(0.9);
  }, 30000);
});

describe('sumOfSines and normalizedError', () => {
  it('is the four-sine target with period T', () => {
    const f = sumOfSines({ amplitude: 2, period: 400 });
    for (const t of [0, 13, 77.5, 311]) expect(f(t + 400)).toBeCloseTo(f(t), 12);
    // ωt = π/2: sin = 1, sin π = 0, sin 3π/2 = −1, sin 2π = 0.
    expect(f(100)).toBeCloseTo((2 / 1.5) * (1 - 1 / 6), 14);
    // ωt = π/4: sin(π/4), sin(π/2), sin(3π/4), sin π.
    const s = Math.SQRT1_2;
    expect(f(50)).toBeCloseTo((2 / 1.5) * (s + 1 / 2 + s / 6), 14);
    expect(normalizedError(Float64Array.of(1, -1, 0), Float64Array.of(2, -2, 0))).toBeCloseTo(0.5, 15);
  });
});
