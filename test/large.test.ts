import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  exponentialGains,
  iidGaussian,
  MemoryBudgetError,
  randomMode,
  simulateLarge,
  SimulationCancelledError,
  type LargeOptions,
} from '../ts/index.js';
import { Buffer, EngineBlock } from '../ts/large/block.js';
import { planLarge } from '../ts/large/plan.js';
import { current } from '../ts/runtime/module.js';
import { discreteLinearCovariance, traces } from './support/linearOracle.js';
import { rk4StepF32 } from './support/rk4Reference.js';

const f = Math.fround;

describe('large-N engine: exactness', () => {
  it('generates rows of J bit-identical to iidGaussian and randomMode (rounded to f32)', () => {
    const n = 37;
    const iid = iidGaussian({ n, g: 1.7, seed: 4 }).data;
    const plan = planLarge({ n, connectivity: { kind: 'iid', g: 1.7 }, seed: 4, precision: 'f32', workers: 0 }, 1);
    using block = new EngineBlock(plan, 8, 21);
    expect(block.couplings()).toEqual(Float64Array.from(iid.subarray(8 * n, 21 * n), f));

    const rho = Float64Array.from({ length: n }, (_, a) => (a - 18) / 20);
    const spectrum = { shape: { kind: 'exponential' as const, beta: 2 }, g: 2 };
    const gains = Float64Array.from({ length: n }, (_, i) => 0.5 + i / 40);
    const rmm = randomMode({ n, spectrum, overlaps: rho, gains, seed: 9 }).J.data;
    const p64 = planLarge({ n, connectivity: { kind: 'randomMode', spectrum, overlaps: rho, gains }, seed: 9, precision: 'f64', workers: 0 }, 1);
    using b64 = new EngineBlock(p64, 32, 37);
    expect(b64.couplings()).toEqual(rmm.subarray(32 * n, 37 * n));

    // Output gains: J diag(G), as randomMode builds it.
    const outputGains = exponentialGains({ n, beta: 2 });
    const withG = randomMode({ n, spectrum, overlaps: rho, gains, outputGains, seed: 9 }).J.data;
    const pG = planLarge({ n, connectivity: { kind: 'randomMode', spectrum, overlaps: rho, gains, outputGains: { exponentialBeta: 2 } }, seed: 9, precision: 'f64', workers: 0 }, 1);
    using bG = new EngineBlock(pG, 4, 20);
    expect(bG.couplings()).toEqual(withG.subarray(4 * n, 20 * n));
  });

  it('streams R for many modes: rows bit-identical to randomMode with P = 3N over several blocks of R', () => {
    // N = 150 spans three blocks of 64 rows of R; with overlaps R's draws are made twice.
    const n = 150;
    const spectrum = { shape: { kind: 'exponential' as const, beta: 1 }, g: 2, modes: 3 * n };
    const rho = Float64Array.from({ length: 3 * n }, (_, a) => ((a % 7) - 3) / 4);
    for (const overlaps of [undefined, rho]) {
      const full = randomMode({ n, spectrum, ...(overlaps ? { overlaps } : {}), seed: 21 }).J.data;
      const plan = planLarge({ n, connectivity: { kind: 'randomMode', spectrum, ...(overlaps ? { overlaps } : {}) }, seed: 21, precision: 'f64', workers: 0 }, 1);
      for (const [r0, r1] of [[0, n], [8, 100], [148, 150]] as const) {
        using block = new EngineBlock(plan, r0, r1);
        expect(block.couplings()).toEqual(full.subarray(r0 * n, r1 * n));
      }
    }
  });

  it('an f32 RK4 step equals a reference computed term by term in f32 (SIMD kernel, padded rows, odd B)', () => {
    // Linear φ (exact), no noise: every rounding is that of f32 multiply, add and subtract.
    const n = 13;
    const nb = 5;
    const dt = 0.1;
    const bias = 0.3;
    const plan = planLarge({ n, connectivity: { kind: 'iid', g: 1.5 }, phi: 'linear', bias, dt, trajectories: nb, seed: 3, precision: 'f32', workers: 0 }, 1);
    using block = new EngineBlock(plan, 0, n);
    const J = Float32Array.from(block.couplings());
    const x = Float32Array.from(block.state());
    const want = rk4StepF32(n, nb, J, x, dt, bias);
    block.view(Buffer.PhiFull).set(block.view(Buffer.PhiOut));
    for (let s = 0; s < 4; s++) {
      block.stage();
      block.view(Buffer.PhiFull).set(block.view(Buffer.PhiOut));
    }
    expect(Float32Array.from(block.state())).toEqual(want);
  });

  const small: LargeOptions = {
    n: 100, connectivity: { kind: 'iid', g: 2 }, trajectories: 3, burnIn: 5, duration: 10, sampleEvery: 0.5, maxLag: 2,
    noise: 0.1, seed: 7, workers: 0,
  };

  it('batched trajectories equal one-at-a-time runs bit for bit', async () => {
    const all = await simulateLarge(small);
    for (let b = 0; b < 3; b++) {
      const one = await simulateLarge({ ...small, trajectories: 1, blocks: 1, firstTrajectory: b });
      expect(one.state).toEqual(all.state.subarray(b * 100, (b + 1) * 100));
    }
  });

  it('k workers give the trajectories of one worker bit for bit (f32 and f64)', async () => {
    for (const precision of ['f32', 'f64'] as const) {
      const ref = await simulateLarge({ ...small, precision });
      for (const workers of [1, 2, 3]) {
        const r = await simulateLarge({ ...small, precision, workers });
        expect(r.workers).toBe(workers);
        expect(r.state).toEqual(ref.state);
        // Statistics are sums over row blocks: equal up to the order of f64 additions.
        for (const key of ['delta0', 'prX', 'prPhi', 'cphi0'] as const) expect(r[key]).toBeCloseTo(ref[key], 12);
        r.delta.forEach((v, i) => expect(v).toBeCloseTo(ref.delta[i]!, 12));
      }
    }
  });

  it('uses at most N/4 workers (one panel of rows each)', async () => {
    const r = await simulateLarge({ ...small, n: 8, workers: 3 });
    expect(r.workers).toBe(2);
    expect(r.state).toEqual((await simulateLarge({ ...small, n: 8 })).state);
  });

  it('frees every block', () => {
    expect(current().exports.rnl_large_live()).toBe(0);
  });
});

describe('large-N engine: statistics', () => {
  it('matches the exact stationary covariance of the discretised linear network', async () => {
    const n = 48;
    const dt = 0.1;
    const J = iidGaussian({ n, g: 0.6, seed: 11 }).data;
    const C = discreteLinearCovariance(J, n, dt);
    const { tr, tr2 } = traces(C, n);
    // Weighted and z-scored dimensions: PR of W C W, W = diag(w) or diag(w/√C_ii).
    const w = Float64Array.from({ length: n }, (_, i) => 0.3 + ((i * 7) % 11) / 5);
    const weightedPr = (u: (i: number) => number) => {
      let t = 0;
      let t2 = 0;
      for (let i = 0; i < n; i++) {
        t += u(i) * C[i * (n + 1)]!;
        for (let j = 0; j < n; j++) t2 += u(i) * u(j) * C[i * n + j]! ** 2;
      }
      return (t * t) / t2 / n;
    };
    const prW = weightedPr((i) => w[i]! ** 2);
    const prZ = weightedPr((i) => w[i]! ** 2 / C[i * (n + 1)]!);
    const r = await simulateLarge({
      n, connectivity: { kind: 'matrix', J }, phi: 'linear', noise: 1, dt, trajectories: 16, burnIn: 20, duration: 1500,
      precision: 'f64', seed: 2, workers: 2,
      weighted: { ones: {}, w: { weights: w }, z: { weights: w, zscore: true } },
    });
    // Δ0 to 1.5 % (its standard error here is ≈ 0.4 %), PR within three standard errors.
    expect(Math.abs(r.delta0 / (tr / n) - 1)).toBeLessThan(0.015);
    expect(Math.abs(r.delta0 - tr / n)).toBeLessThan(4 * r.delta0Se);
    const pr = (tr * tr) / tr2 / n;
    expect(Math.abs(r.prX - pr)).toBeLessThan(3 * r.prXSe);
    expect(r.prXSe / pr).toBeLessThan(0.05);
    // Linear φ: the rates are the currents.
    expect(r.prPhi).toBeCloseTo(r.prX, 12);
    // Unit weights are the plain estimate. The weights lower PR by a third here and z-scoring
    // moves it by 1.6 % (≈ 12 standard errors); each estimate lies within three of its standard
    // errors of W C W.
    expect(r.weighted.ones!.prX).toBeCloseTo(r.prX, 12);
    expect(Math.abs(prW / pr - 1)).toBeGreaterThan(0.2);
    expect(Math.abs(prZ - prW)).toBeGreaterThan(6 * r.weighted.z!.prXSe);
    for (const [name, want] of [['w', prW], ['z', prZ]] as const) {
      const e = r.weighted[name]!;
      expect(Math.abs(e.prX - want), name).toBeLessThan(3 * e.prXSe);
      expect(e.prXSe / want).toBeLessThan(0.05);
      expect(e.prPhi).toBeCloseTo(e.prX, 12);
    }
  });

  it('f32 and f64 agree statistically on the same network (Δ0 within 1 %, PR within error bars)', async () => {
    const opts: LargeOptions = { n: 256, connectivity: { kind: 'iid', g: 2 }, trajectories: 8, burnIn: 50, duration: 800, seed: 5, workers: 2 };
    const a = await simulateLarge({ ...opts, precision: 'f32' });
    const b = await simulateLarge({ ...opts, precision: 'f64' });
    expect(Math.abs(a.delta0 / b.delta0 - 1)).toBeLessThan(0.01);
    expect(Math.abs(a.prX - b.prX)).toBeLessThan(2 * Math.hypot(a.prXSe, b.prXSe));
    expect(Math.abs(a.prPhi - b.prPhi)).toBeLessThan(2 * Math.hypot(a.prPhiSe, b.prPhiSe));
    // Δ(0) of the traces is the variance of the recorded units, which sits near Δ0.
    expect(Math.abs(a.delta[0]! / a.delta0 - 1)).toBeLessThan(0.1);
  });
});

describe('large-N engine: arguments, memory, cancellation', () => {
  const base: LargeOptions = { n: 64, connectivity: { kind: 'iid', g: 2 }, seed: 1, workers: 0, duration: 10, burnIn: 1, maxLag: 1 };

  it('rejects bad input with the parameter named', async () => {
    const cases: [Partial<LargeOptions> | Record<string, unknown>, string][] = [
      [{ n: 2 }, 'n'],
      [{ trajectories: 1 }, 'trajectories'],
      [{ connectivity: { kind: 'ring' } }, 'connectivity.kind'],
      [{ connectivity: { kind: 'matrix', J: new Float64Array(10) } }, 'connectivity.J'],
      [{ precision: 'f16' }, 'precision'],
      [{ duration: 0.5, maxLag: 5 }, 'duration'],
      [{ dt: -1 }, 'dt'],
      [{ seed: 1.5 }, 'seed'],
      [{ blocks: 9 }, 'blocks'],
      [{ weighted: { g: { weights: 'outputGains' } } }, 'weighted.g.weights'],
      [{ weighted: { z: { zscore: 1 } } }, 'weighted.z.zscore'],
      [{ weighted: { w: { weights: new Float64Array(3) } } }, 'weighted.w.weights'],
      [{ connectivity: { kind: 'randomMode', spectrum: new Float64Array([1]), outputGains: { exponentialBeta: -1 } } }, 'connectivity.outputGains.exponentialBeta'],
    ];
    for (const [patch, parameter] of cases) {
      const e = await simulateLarge({ ...base, ...patch } as LargeOptions).catch((x: unknown) => x);
      expect(e, parameter).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).parameter).toBe(parameter);
    }
  });

  it('refuses a run that cannot fit before allocating anything', async () => {
    const e = await simulateLarge({ ...base, n: 60000, workers: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MemoryBudgetError);
    expect((e as MemoryBudgetError).requiredBytes).toBeGreaterThan(60000 * 60000 * 4 - 1);
    expect(current().exports.rnl_large_live()).toBe(0);
  });

  it('reports progress and stops on abort', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const run = simulateLarge({
      ...base, n: 512, workers: 2, duration: 100000, signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.phase);
        if (p.step > 0) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(SimulationCancelledError);
    expect(seen[0]).toBe('couplings');
  });
});
