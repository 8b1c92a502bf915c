import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  dimension,
  MemoryBudgetError,
  NoSolutionError,
  frequencyDimension,
  overlapDimension,
  iidGaussian,
  linearCovariance,
  matrix,
  type Matrix,
  predictActivity,
  randomMode,
  sigmoidOverlaps,
  simulateLarge,
  solveDMFT,
  solveOverlapDMFT,
  spectrum,
} from '../ts/index.js';
import { overlapResidual } from '../ts/theory/overlapResidual.js';
import { maxRelative } from './support/compare.js';

/** The quenched (given-J) predictor of the linear-equivalent network. */
describe('predictActivity', () => {
  it('equals the Lyapunov-equation covariance for linear networks (iid, random-mode, non-normal, overlaps) to 1e−8', () => {
    const n = 80;
    const iid = iidGaussian({ n, g: 0.6, seed: 1 });
    const rm = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: 3 }, g: 0.6 }, seed: 2 }).J;
    const chain = iidGaussian({ n, g: 0.2, seed: 3 });
    for (let i = 0; i < n - 1; i++) chain.data[i * n + i + 1]! += 0.6;
    const overlap = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: 2 }, g: 0.6 }, overlaps: -0.5, seed: 4 }).J;
    for (const J of [iid, rm, chain, overlap]) {
      const p = predictActivity({ J, phi: 'linear', noise: 0.8 });
      const oracle = linearCovariance(J, { noise: 0.8 }).covariance;
      expect(maxRelative(p.covarianceX.data, oracle.data)).toBeLessThan(1e-8);
      expect(maxRelative(p.covariancePhi.data, oracle.data)).toBeLessThan(1e-8);
      expect(p.slope).toBe(1);
    }
  });

  it('matches a simulation of the same sampled network away from the stability edge (noisy tanh, N = 300)', async () => {
    const n = 300;
    const J = iidGaussian({ n, g: 0.9, seed: 3 });
    const p = predictActivity({ J, noise: 1 });
    expect(p.stability).toBeLessThan(0.7);
    // RK4 with dt = 0.02 and an additive noise step overestimates the variance by about dt (2 %).
    const s = await simulateLarge({
      n, connectivity: { kind: 'matrix', J: J.data }, noise: 1, dt: 0.02, trajectories: 8, workers: 2,
      burnIn: 20, duration: 200, precision: 'f64', seed: 11,
    });
    expect(Math.abs(s.delta0 / p.varianceX - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.prX - p.prX)).toBeLessThan(0.03 * p.prX + 3 * s.prXSe);
    expect(Math.abs(s.prPhi - p.prPhi)).toBeLessThan(0.03 * p.prPhi + 3 * s.prPhiSe);
    // The DMFT variance of an infinite network with the same gain is close too, but not the same.
    expect(Math.abs(p.varianceX / p.dmft!.delta0 - 1)).toBeLessThan(0.05);
    for (const e of [p.spectrumX, p.spectrumPhi]) expect(e[e.length - 1]!).toBeGreaterThan(-1e-9 * e[0]!);
  });

  it('switches to the eigenvector-free fallback for strongly non-normal J, which stays exact where the eigen basis does not', () => {
    // A feed-forward chain with a tiny random perturbation: nearly parallel eigenvectors.
    const n = 120;
    const J = iidGaussian({ n, g: 1e-5, seed: 5 });
    for (let i = 0; i < n - 1; i++) J.data[i * n + i + 1]! += 0.8;
    const oracle = linearCovariance(J, { noise: 1 }).covariance;
    const auto = predictActivity({ J, phi: 'linear', noise: 1, g: 0.5 });
    const eigen = predictActivity({ J, phi: 'linear', noise: 1, g: 0.5, method: 'eigen' });
    expect(auto.method).toBe('lyapunov');
    expect(auto.condition).toBeGreaterThan(1e6);
    expect(maxRelative(auto.covarianceX.data, oracle.data)).toBeLessThan(1e-12);
    // Measured 3e−5: the eigen-basis error grows like ε κ².
    expect(maxRelative(eigen.covarianceX.data, oracle.data)).toBeGreaterThan(1e-7);
    // On a well-conditioned nonlinear network both methods agree to the exponential fit of C_r.
    const K = iidGaussian({ n, g: 1.5, seed: 6 });
    const a = predictActivity({ J: K, noise: 0.5 });
    const b = predictActivity({ J: K, noise: 0.5, method: 'lyapunov' });
    expect([a.method, b.method]).toEqual(['eigen', 'lyapunov']);
    expect(b.fitError).toBeLessThan(1e-6);
    expect(maxRelative(b.covarianceX.data, a.covarianceX.data)).toBeLessThan(1e-5);
    expect(maxRelative(b.covariancePhi.data, a.covariancePhi.data)).toBeLessThan(1e-5);
  });

  it('resolves the dimension by frequency: the linear network approaches the large-N formula (X−ν)²/X²', () => {
    const omega = new Float64Array([0, 0.5, 1, 2, 5]);
    const J = iidGaussian({ n: 600, g: 0.6, seed: 4 });
    const p = predictActivity({ J, phi: 'linear', noise: 1, frequencies: omega });
    const large = frequencyDimension({ nu: 0.36, gamma: 0, omega }).prPhi;
    const f = p.frequencyResolved!;
    // Measured at N = 600: within 0.3 % (0.4085 against 0.4096 at ω = 0).
    expect(maxRelative(f.prX, large)).toBeLessThan(0.01);
    expect(maxRelative(f.prPhi, f.prX)).toBeLessThan(1e-12); // x = φ for linear units
    const q = predictActivity({ J: iidGaussian({ n: 100, g: 0.6, seed: 4 }), phi: 'linear', noise: 1, frequencies: omega, method: 'lyapunov' });
    const r = predictActivity({ J: iidGaussian({ n: 100, g: 0.6, seed: 4 }), phi: 'linear', noise: 1, frequencies: omega });
    expect(maxRelative(q.frequencyResolved!.prX, r.frequencyResolved!.prX)).toBeLessThan(1e-9);
  });

  it('predicts the simulated dimension of a sampled random-mode network that the large-N formula misses by 42 % (docs/quenched-table.csv)', async () => {
    // g = 2 tanh, exponential spectrum β = 3.9 (γ ≈ 3.9), N = 1000, seed 1: the large-N formula
    // is 42 % below the simulation; the prediction for the same J is within its error.
    const n = 1000;
    const net = randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: 2 }, seed: 1 });
    const p = predictActivity({ J: net.J });
    const s = await simulateLarge({
      n, connectivity: { kind: 'matrix', J: net.J.data }, seed: 1, trajectories: 8, burnIn: 50, duration: 200, dt: 0.05,
      precision: 'f64', workers: 2,
    });
    const large = dimension({ g: 2, gamma: net.gamma });
    expect(Math.abs(p.prX - s.prX)).toBeLessThan(0.05 * s.prX + 3 * s.prXSe);
    expect(Math.abs(p.prPhi - s.prPhi)).toBeLessThan(0.1 * s.prPhi + 3 * s.prPhiSe);
    expect(Math.abs(p.varianceX / s.delta0 - 1)).toBeLessThan(0.05);
    expect(s.prX / large.prX).toBeGreaterThan(1.4);
  }, 240_000);

  it('with selfConsistent, predicts a network near the edge that the matrix gain misses (iid, g = 2, N = 1000; docs/quenched-table.csv)', async () => {
    // Seed 1 puts an eigenvalue at a·λ = 0.990: at the matrix's gain the linear equivalent's
    // variance is 4.6 against Δ0 = 1.9, its PR^x/N 0.0041; at g* = 2.031 the variance is Δ0(g*).
    const n = 1000;
    const J = iidGaussian({ n, g: 2, seed: 1 });
    const plain = predictActivity({ J });
    const p = predictActivity({ J, selfConsistent: true });
    expect(p.gainSearch!.start).toBe(plain.g);
    expect(Math.abs(p.varianceX / p.dmft!.delta0 - 1)).toBeLessThan(1e-6);
    expect(p.stability).toBeLessThan(plain.stability);
    const s = await simulateLarge({
      n, connectivity: { kind: 'matrix', J: J.data }, seed: 1, trajectories: 8, burnIn: 50, duration: 200, dt: 0.05, precision: 'f64', workers: 2,
    });
    expect(Math.abs(p.varianceX / s.delta0 - 1)).toBeLessThan(0.05);
    expect(Math.abs(plain.varianceX / s.delta0 - 1)).toBeGreaterThan(1);
    for (const key of ['prX', 'prPhi'] as const) {
      expect(Math.abs(p[key] - s[key])).toBeLessThan(0.1 * s[key] + 2 * s[`${key}Se`]);
      expect(plain[key] / s[key]).toBeLessThan(0.4);
    }
  }, 240_000);

  it('converges to the large-N formula as N grows (noisy tanh, g = 1, σ = 1)', () => {
    // Measured |PR^φ_quenched/PR^φ_large-N − 1| over seeds 1–3: iid 0.9 % (N = 250) → 0.3 %
    // (N = 1000), about 1/N; random-mode γ = 3.9 about 7 % → 4 % (network-to-network spread).
    const dev = (n: number, seed: number, rm: boolean) => {
      const net = rm ? randomMode({ n, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: 1 }, seed }) : { J: iidGaussian({ n, g: 1, seed }), gamma: 0 };
      const th = dimension({ g: 1, gamma: net.gamma, noise: 1 }).prPhi;
      return Math.abs(predictActivity({ J: net.J, noise: 1, g: 1 }).prPhi / th - 1);
    };
    const mean = (n: number, rm: boolean) => [1, 2, 3].reduce((t, seed) => t + dev(n, seed, rm), 0) / 3;
    const [small, large] = [mean(200, false), mean(800, false)];
    expect(large).toBeLessThan(0.006);
    expect(large).toBeLessThan(small);
    expect(mean(400, true)).toBeLessThan(0.1);
  }, 120_000);

  it('overlapResidual inverts the single site with self-coupling, (1 + iω − aR)x = η + Rr, (1 + iω − aR)φ = aη + (1 + iω)r', () => {
    // Forward model on the periodic grid: Lorentzian C_η, C_r and a causal kernel R = R₀/(1 + 2iω).
    const [len, dt, a] = [257, 0.1, 0.6];
    const nt = 2 * (len - 1);
    const w = (k: number) => (2 * Math.PI * k) / (nt * dt);
    const inverse = (f: (k: number) => number) =>
      Float64Array.from({ length: len }, (_, m) => {
        let s = f(0) + (m % 2 === 0 ? f(len - 1) : -f(len - 1));
        for (let k = 1; k < len - 1; k++) s += 2 * f(k) * Math.cos((2 * Math.PI * k * m) / nt);
        return s / (nt * dt);
      });
    const eta = (k: number) => 2 / (1 + w(k) ** 2);
    const res = (k: number) => 0.6 / (1 + (w(k) / 3) ** 2);
    for (const r0 of [0, 0.7, -1.2]) {
      const R = (k: number) => ({ re: r0 / (1 + 4 * w(k) ** 2), im: (-2 * w(k) * r0) / (1 + 4 * w(k) ** 2) });
      const d2 = (k: number) => (1 - a * R(k).re) ** 2 + (w(k) - a * R(k).im) ** 2;
      const r2 = (k: number) => R(k).re ** 2 + R(k).im ** 2;
      const cx = inverse((k) => (eta(k) + r2(k) * res(k)) / d2(k));
      const cphi = inverse((k) => (a * a * eta(k) + (1 + w(k) ** 2) * res(k)) / d2(k));
      const kernel = { re: Float64Array.from({ length: len }, (_, k) => R(k).re), im: Float64Array.from({ length: len }, (_, k) => R(k).im) };
      const got = overlapResidual({ dt, delta: cx, cphi }, kernel, a);
      expect(maxRelative(got, inverse(res))).toBeLessThan(1e-12);
      if (r0 === 0) expect(maxRelative(got, cphi.map((c, m) => c - a * a * cx[m]!))).toBeLessThan(1e-12);
    }
  });

  it('with singleSite, takes the overlap DMFT: at ρ = 0 the iid single site, with overlaps a simulation of the same J that the iid single site misses', async () => {
    // Noisy tanh, g = 1.5, σ = 1, exponential spectrum β = 2 with the sigmoidal overlap profile.
    // Measured at N = 600 (seeds 7, 8): simulated PR^x/N 0.214 ± 0.007, 0.243 ± 0.005; with the
    // overlap single site 0.200, 0.230 (variance within 0.5 %), with the iid one 0.242, 0.267: errors
    // of 5–7 % below against 10–13 % above.
    const site = (gammaRho: number) => {
      const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 128, g: 1.5 });
      const { overlaps } = sigmoidOverlaps({ spectrum: d, gammaRho });
      return solveOverlapDMFT({ spectrum: d, overlaps, phi: 'tanh', noise: 1, dt: 0.05, steps: 1024, samples: 512, iterations: 30, seed: 1 });
    };
    const network = (n: number, gammaRho: number, seed: number) => {
      const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n, g: 1.5 });
      return randomMode({ n, spectrum: d, overlaps: sigmoidOverlaps({ spectrum: d, gammaRho }).overlaps, seed }).J;
    };
    const J0 = network(600, 0, 8);
    const [p0, q0] = [predictActivity({ J: J0, noise: 1, singleSite: site(0) }), predictActivity({ J: J0, noise: 1 })];
    expect(p0.dmft).toBeUndefined();
    expect(Math.abs(p0.varianceX / q0.varianceX - 1)).toBeLessThan(0.02);
    expect(Math.abs(p0.prX / q0.prX - 1)).toBeLessThan(0.03);

    // The paper's large-N dimension (Eq. 51) on the same single site: sampled networks at N = 800
    // scatter around it (measured 0.97–1.06, variance within 1 %).
    const overlapSite = site(-0.4);
    const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 128, g: 1.5 });
    const eq51 = overlapDimension({ spectrum: d, overlaps: sigmoidOverlaps({ spectrum: d, gammaRho: -0.4 }).overlaps, solution: overlapSite });
    const large = [1, 2, 3].map((seed) => predictActivity({ J: network(800, -0.4, seed), noise: 1, singleSite: overlapSite }));
    expect(Math.abs(large.reduce((t, p) => t + p.prPhi, 0) / 3 / eq51.prPhi - 1)).toBeLessThan(0.05);
    for (const p of large) expect(Math.abs(p.varianceX / overlapSite.delta0 - 1)).toBeLessThan(0.015);

    const n = 600;
    const J = network(n, -0.4, 8);
    const [p, q] = [predictActivity({ J, noise: 1, singleSite: overlapSite }), predictActivity({ J, noise: 1 })];
    const s = await simulateLarge({
      n, connectivity: { kind: 'matrix', J: J.data }, noise: 1, dt: 0.02, trajectories: 8, workers: 2, burnIn: 20, duration: 200, precision: 'f64', seed: 11,
    });
    expect(Math.abs(s.delta0 / p.varianceX - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.delta0 / q.varianceX - 1)).toBeGreaterThan(0.04);
    for (const key of ['prX', 'prPhi'] as const) {
      expect(Math.abs(p[key] / s[key] - 1)).toBeLessThan(0.08);
      expect(Math.abs(q[key] / s[key] - 1)).toBeGreaterThan(1.5 * Math.abs(p[key] / s[key] - 1));
    }
  }, 240_000);

  it("with gains: 'rows' reduces to one gain when every row has the same norm", () => {
    const rowsOf = (J: Matrix, g: number) => {
      const n = J.rows;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += J.data[i * n + j]! ** 2;
        for (let j = 0; j < n; j++) J.data[i * n + j]! *= g / Math.sqrt(s);
      }
      return J;
    };
    // Noiseless: the row-gain DMFT with equal gains and eight classes of equal slope (measured 1e−13).
    const K = rowsOf(randomMode({ n: 300, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: 2 }, seed: 1 }).J, 2);
    const [a, b] = [predictActivity({ J: K }), predictActivity({ J: K, gains: 'rows' })];
    expect(b.gainClasses!.gain2.every((v) => Math.abs(v - 4) < 1e-12)).toBe(true);
    expect(maxRelative(b.covarianceX.data, a.covarianceX.data)).toBeLessThan(1e-10);
    expect(maxRelative(b.covariancePhi.data, a.covariancePhi.data)).toBeLessThan(1e-10);
    // Noisy: the classes' DMFT by iteration against the uniform one by shooting, to the O(dt²)
    // error of its convolution (measured 9e−6).
    const J = rowsOf(iidGaussian({ n: 200, g: 1.2, seed: 5 }), 1.2);
    const [c, d] = [predictActivity({ J, noise: 1 }), predictActivity({ J, noise: 1, gains: 'rows' })];
    expect(maxRelative(d.covariancePhi.data, c.covariancePhi.data)).toBeLessThan(1e-4);
    expect(maxRelative(d.covarianceX.data, c.covarianceX.data)).toBeLessThan(1e-4);
  });

  it("with gains: 'rows' predicts a network with heterogeneous row gains that one gain misses (noisy tanh, N = 300)", async () => {
    // J = diag(h)J₀, h = 0.6 and 1.3 on alternate units. Measured: C_φ(0) of the two halves
    // 0.303 / 0.389 (rows), 0.270 / 0.436 (one gain), 0.306 / 0.392 simulated; PR^φ/N 0.560,
    // 0.489 and 0.580 ± 0.005 (rows 3.5 % low, one gain 16 % low).
    const n = 300;
    const J = iidGaussian({ n, g: 1.2, seed: 1 });
    const h = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.6 : 1.3));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) J.data[i * n + j]! *= h[i]!;
    const rows = predictActivity({ J, noise: 1, gains: 'rows' });
    const one = predictActivity({ J, noise: 1 });
    const low = Float64Array.from(h, (v) => (v < 1 ? 1 : 0));
    const high = Float64Array.from(h, (v) => (v > 1 ? 1 : 0));
    const s = await simulateLarge({
      n, connectivity: { kind: 'matrix', J: J.data }, noise: 1, dt: 0.02, trajectories: 8, workers: 2,
      burnIn: 20, duration: 200, precision: 'f64', seed: 2, weighted: { low: { weights: low }, high: { weights: high } },
    });
    // 0/1 weights: tr(WĈW)/N of the halves add up to the mean variance.
    expect(s.weighted.low!.varianceX + s.weighted.high!.varianceX).toBeCloseTo(s.x.variance, 12);
    const half = (c: Matrix, parity: number) => {
      let t = 0;
      for (let i = parity; i < n; i += 2) t += c.data[i * n + i]!;
      return t / (n / 2);
    };
    for (const [parity, w] of [[0, s.weighted.low!], [1, s.weighted.high!]] as const) {
      expect(Math.abs(half(rows.covariancePhi, parity) / (2 * w.variancePhi) - 1)).toBeLessThan(0.03);
      expect(Math.abs(half(rows.covarianceX, parity) / (2 * w.varianceX) - 1)).toBeLessThan(0.03);
    }
    expect(Math.abs(half(one.covariancePhi, 1) / (2 * s.weighted.high!.variancePhi) - 1)).toBeGreaterThan(0.08);
    expect(Math.abs(s.prPhi - rows.prPhi)).toBeLessThan(0.04 * rows.prPhi + 3 * s.prPhiSe);
    expect(Math.abs(s.prX - rows.prX)).toBeLessThan(0.04 * rows.prX + 3 * s.prXSe);
    expect(s.prPhi - one.prPhi).toBeGreaterThan(0.1 * s.prPhi);
    expect(rows.gainClasses!.slope[0]!).toBeGreaterThan(rows.gainClasses!.slope[7]!); // weaker rows, larger slope
  }, 240_000);

  it('rejects bad input by name and states when there is nothing to predict', () => {
    expect(() => predictActivity({ J: matrix(2, 3, new Float64Array(6)) })).toThrow(ArgumentError);
    expect(() => predictActivity({ J: iidGaussian({ n: 10, g: 2, seed: 1 }), noise: -1 })).toThrow(expect.objectContaining({ parameter: 'noise' }));
    expect(() => predictActivity({ J: iidGaussian({ n: 10, g: 2, seed: 1 }), gian: 2 } as never)).toThrow(expect.objectContaining({ parameter: 'gian' }));
    expect(() => predictActivity({ J: iidGaussian({ n: 20, g: 0.5, seed: 1 }) })).toThrow(NoSolutionError); // quiescent
    // An unstable linear equivalent (a sampled J whose edge eigenvalue has ⟨φ'⟩λ > 1).
    const J = iidGaussian({ n: 20, g: 0.5, seed: 1 });
    J.data[0] = 30;
    expect(() => predictActivity({ J, phi: 'linear', noise: 1, g: 0.5 })).toThrow(NoSolutionError);
    expect(solveDMFT({ g: 2 }).delta0).toBeCloseTo(1.9248054, 6);
    expect(() => predictActivity({ J: matrix(4097, 4097, new Float64Array(4097 * 4097)) })).toThrow(MemoryBudgetError);
    expect(() => predictActivity({ J, method: 'schur' } as never)).toThrow(expect.objectContaining({ parameter: 'method' }));
    expect(() => predictActivity({ J, frequencies: [1] } as never)).toThrow(expect.objectContaining({ parameter: 'frequencies' }));
    const K = iidGaussian({ n: 20, g: 2, seed: 1 });
    expect(() => predictActivity({ J: K, gains: 'rows', g: 2 })).toThrow(expect.objectContaining({ parameter: 'g' }));
    expect(() => predictActivity({ J: K, gainClasses: 4 })).toThrow(expect.objectContaining({ parameter: 'gainClasses' }));
    expect(() => predictActivity({ J: K, gains: 'rows', gainClasses: 0 })).toThrow(expect.objectContaining({ parameter: 'gainClasses' }));
    expect(() => predictActivity({ J: K, gains: 'rows', phi: 'relu' })).toThrow(expect.objectContaining({ parameter: 'gains' }));
    expect(() => predictActivity({ J: K, gains: 'rows', method: 'lyapunov' })).toThrow(expect.objectContaining({ parameter: 'method' }));
    expect(() => predictActivity({ J: K, gains: 'columns' } as never)).toThrow(expect.objectContaining({ parameter: 'gains' }));
    const Z = iidGaussian({ n: 20, g: 2, seed: 1 });
    Z.data.fill(0, 0, 20);
    expect(() => predictActivity({ J: Z, gains: 'rows' })).toThrow(expect.objectContaining({ parameter: 'J' }));
    const lags = Float64Array.of(0, 0.1, 0.2);
    const site = { lags, delta: Float64Array.of(1, 0.5, 0.2), cphi: Float64Array.of(0.5, 0.2, 0.1), kernel: { re: new Float64Array(3), im: new Float64Array(3) } };
    expect(() => predictActivity({ J: K, singleSite: site, g: 2 } as never)).toThrow(expect.objectContaining({ parameter: 'g' }));
    expect(() => predictActivity({ J: K, singleSite: site, gains: 'rows' } as never)).toThrow(expect.objectContaining({ parameter: 'singleSite' }));
    expect(() => predictActivity({ J: K, singleSite: { ...site, cphi: new Float64Array(2) } } as never)).toThrow(expect.objectContaining({ parameter: 'singleSite.cphi' }));
    expect(() => predictActivity({ J: K, singleSite: { ...site, lags: Float64Array.of(1, 2, 3) } } as never)).toThrow(expect.objectContaining({ parameter: 'singleSite.lags' }));
    expect(() => predictActivity({ J: K, selfConsistent: 1 } as never)).toThrow(expect.objectContaining({ parameter: 'selfConsistent' }));
    expect(() => predictActivity({ J: K, selfConsistent: true, gains: 'rows' })).toThrow(expect.objectContaining({ parameter: 'selfConsistent' }));
    expect(() => predictActivity({ J: K, selfConsistent: true, singleSite: site } as never)).toThrow(expect.objectContaining({ parameter: 'selfConsistent' }));
    expect(() => predictActivity({ J: K, selfConsistent: true, method: 'lyapunov' })).toThrow(expect.objectContaining({ parameter: 'selfConsistent' }));
    // Quiescent at every gain near 0.5: no self-consistent gain.
    expect(() => predictActivity({ J: iidGaussian({ n: 20, g: 0.5, seed: 1 }), selfConsistent: true })).toThrow(NoSolutionError);
  });
});
