import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  Simulation,
  blockParticipation,
  decayRate,
  effectiveRankFromMatrix,
  iidGaussian,
  matrix,
  measureActivity,
  participationRatio,
  psi,
  randomMode,
  simulateActivity,
  type Matrix,
} from '../ts/index.js';

/** `count` iid N(0, 1) numbers drawn through iidGaussian (entries N(0, g²/n) with g = √n). */
function gaussians(count: number, seed: number): Float64Array {
  const n = Math.ceil(Math.sqrt(count));
  return iidGaussian({ n, g: Math.sqrt(n), seed }).data.slice(0, count);
}

describe('block participation-ratio estimators on synthetic data', () => {
  it('white noise: cross-block PR/N ≈ 1, naive ≈ 1/(1 + N/(Bn)) = 0.8', () => {
    const n = 100;
    const b = 8;
    const per = 50;
    const t = b * per;
    const data = gaussians(t * n, 1).map((v) => v + 2);
    const e = blockParticipation(matrix(t, n, data), { blocks: b });
    expect(e.blocks).toBe(b);
    expect(e.samples).toBe(t);
    expect(Math.abs(e.cross.prOverN - 1)).toBeLessThan(3 * e.cross.seOverN);
    expect(e.cross.seOverN).toBeGreaterThan(0);
    // 0.8 up to the O(1/T) terms of Gaussian sampling: (1 − 1/T)²/(1 + (N + 1)/T) = 0.7945.
    const want = (1 - 1 / t) ** 2 / (1 + (n + 1) / t);
    expect(Math.abs(e.naive.prOverN - want)).toBeLessThan(0.01);
    // Mean of T·N squared N(0,1) deviations: sd ≈ √(2/(T N)) = 0.007; allow 4 sd.
    expect(Math.abs(e.meanVariance - 1)).toBeLessThan(4 * Math.sqrt(2 / (t * n)));
    // Separate trajectories as blocks give the same estimates as one split trajectory.
    const parts: Matrix[] = Array.from({ length: b }, (_, k) => matrix(per, n, data.slice(k * per * n, (k + 1) * per * n)));
    const e2 = blockParticipation(parts);
    expect(e2.cross.pr).toBeCloseTo(e.cross.pr, 10);
    expect(e2.zscoredCross.pr).toBeCloseTo(e.zscoredCross.pr, 10);
  });

  it('structured covariance with heterogeneous variances: unbiased cross-block, relation (19)', () => {
    // x = V^{1/2} D^{-1/2} A w / √m: C = V^{1/2} R V^{1/2}, R a correlation matrix.
    const n = 80;
    const m = 80;
    const a = gaussians(n * m, 2);
    const v = Float64Array.from(gaussians(n, 3), (z) => Math.exp(0.7 * z));
    const k = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < m; l++) s += a[i * m + l]! * a[j * m + l]!;
        k[i * n + j] = s / m;
      }
    }
    const corr = Float64Array.from(k, (x, q) => x / Math.sqrt(k[Math.floor(q / n) * (n + 1)]! * k[(q % n) * (n + 1)]!));
    const cov = Float64Array.from(corr, (x, q) => x * Math.sqrt(v[Math.floor(q / n)]! * v[q % n]!));
    const prRaw = participationRatio(matrix(n, n, cov));
    const prZ = participationRatio(matrix(n, n, corr));
    const t = 8 * 60;
    const w = gaussians(t * m, 4);
    const data = new Float64Array(t * n);
    for (let s = 0; s < t; s++) {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let l = 0; l < m; l++) acc += a[i * m + l]! * w[s * m + l]!;
        data[s * n + i] = (acc * Math.sqrt(v[i]! / k[i * (n + 1)]!)) / Math.sqrt(m);
      }
    }
    const e = blockParticipation(matrix(t, n, data), { blocks: 8 });
    expect(Math.abs(e.cross.pr - prRaw)).toBeLessThan(3 * e.cross.se);
    expect(Math.abs(e.zscoredCross.pr - prZ)).toBeLessThan(3 * e.zscoredCross.se);
    // Gaussian sampling: E tr Ĉ² ≈ tr C² + (tr C)²/T, so 1/PR_naive ≈ 1/PR + 1/T.
    expect(Math.abs(e.naive.pr * (1 / prRaw + 1 / t) - 1)).toBeLessThan(0.03);
    let s1 = 0;
    let s2 = 0;
    for (const x of v) {
      s1 += x / n;
      s2 += (x * x) / n;
    }
    const cv2 = s2 / (s1 * s1) - 1;
    expect(Math.abs(e.varianceCv2 - cv2)).toBeLessThan(0.1 * cv2);
    // (19): N/PR_raw − N/PR_z = CV²(v), up to the finite-N fluctuation of the off-diagonal sums.
    expect(Math.abs(n / prRaw - n / prZ - cv2)).toBeLessThan(0.1 * cv2);
    expect(Math.abs(n / e.cross.pr - n / e.zscoredCross.pr - cv2)).toBeLessThan(0.25 * cv2);
  });

  it('rejects bad arguments', () => {
    const x = matrix(10, 3, new Float64Array(30));
    expect(() => blockParticipation(x, { blocks: 11 })).toThrow(ArgumentError);
    expect(() => blockParticipation([x, x, matrix(10, 2, new Float64Array(20))])).toThrow(/columns/);
    expect(() => blockParticipation([x], { blocks: 2 })).toThrow(ArgumentError);
    expect(() => psi(x, { maxLag: 2, seed: 1, blocks: 8 })).toThrow(ArgumentError);
    expect(() => psi(matrix(10, 1, new Float64Array(10)), { maxLag: 0, seed: 1 })).toThrow(/two units/);
  });
});

describe('simulation block statistics', () => {
  it('equal the offline estimates of the recorded trajectory', () => {
    const n = 30;
    using sim = new Simulation({ J: iidGaussian({ n, g: 1.8, seed: 5 }), method: 'rk4', dt: 0.1, noise: 0.05, seed: 6 });
    sim.run({ steps: 200, record: 'none' });
    sim.enableStatistics({ x: true, phi: true, stride: 3, blocks: 5, samplesPerBlock: 40 });
    const rec = sim.run({ steps: 3 * 5 * 40 + 30, stride: 3, record: 'both' });
    const sx = sim.statistics('x');
    const sphi = sim.statistics('phi');
    expect(sx.count).toBe(200);
    const rows = 200;
    const offX = blockParticipation(matrix(rows, n, rec.x!.data.slice(0, rows * n)), { blocks: 5 });
    const offPhi = blockParticipation(matrix(rows, n, rec.phi!.data.slice(0, rows * n)), { blocks: 5 });
    for (const [s, off] of [
      [sx.estimates!, offX],
      [sphi.estimates!, offPhi],
    ] as const) {
      for (const key of ['naive', 'cross', 'zscoredNaive', 'zscoredCross'] as const) {
        expect(s[key].pr).toBeCloseTo(off[key].pr, 10);
        expect(s[key].se).toBeCloseTo(off[key].se, 10);
      }
      expect(s.meanVariance).toBeCloseTo(off.meanVariance, 12);
      expect(s.varianceCv2).toBeCloseTo(off.varianceCv2, 12);
    }
    // Plain statistics keep their shape and carry no estimates.
    sim.enableStatistics({ x: true });
    sim.run({ steps: 10, record: 'none' });
    expect(sim.statistics('x').estimates).toBeUndefined();
    expect(() => sim.enableStatistics({ blocks: 4 })).toThrow(/samplesPerBlock/);
  });
});

describe('psi estimator', () => {
  it('recovers the known cross-covariances of a shared AR(1) mode', () => {
    // x_i(t) = z_i(t) + a s(t), z white, s AR(1) with coefficient ρ: C_ij(τ) = a² ρ^τ (i ≠ j),
    // so ψ(τ,τ) = N a⁴ ρ^{2τ} and ψ(τ,0) = N a⁴ ρ^τ.
    const n = 50;
    const t = 16000;
    const rho = 0.8;
    const a = 0.5;
    const z = gaussians(t * n, 7);
    const xi = gaussians(t, 8);
    const data = new Float64Array(t * n);
    let s = 0;
    for (let r = 0; r < t; r++) {
      s = rho * s + Math.sqrt(1 - rho * rho) * xi[r]!;
      for (let i = 0; i < n; i++) data[r * n + i] = z[r * n + i]! + a * s;
    }
    const p = psi(matrix(t, n, data), { maxLag: 8, seed: 9, blocks: 8 });
    const psi00 = n * a ** 4;
    for (const k of [0, 2, 5]) {
      expect(Math.abs(p.tauTau[k]! / (psi00 * rho ** (2 * k)) - 1)).toBeLessThan(0.15);
      expect(Math.abs(p.tau0[k]! / (psi00 * rho ** k) - 1)).toBeLessThan(0.15);
    }
    // The naive estimate carries the sampling-noise bias N·Var(Ĉ) ≈ N (1 + a²)²/T at lag 0.
    expect(p.naiveTauTau[0]! - p.tauTau[0]!).toBeGreaterThan(0);
    const rate = decayRate(p.lags, p.tauTau, { from: 0, to: 6 });
    expect(Math.abs(rate / (-2 * Math.log(rho)) - 1)).toBeLessThan(0.15);
  });
});

describe('measureActivity', () => {
  it('measures Δ0, C_φ(0), dimension and ψ of a chaotic network', () => {
    const n = 200;
    const J = iidGaussian({ n, g: 2, seed: 13 });
    const opts = { J, seed: 12, burnIn: 100, duration: 1000 };
    const m = measureActivity({ ...opts, blocks: 8, maxLag: 10, units: 60 });
    expect(m.samples).toBe(2000);
    // The same run through simulateActivity (pooled covariance): Δ0 agrees, and the pooled PR
    // is the naive block estimate (C̄ = mean of equal-size block covariances is the pooled one).
    const ref = simulateActivity({ ...opts, method: 'rk4', dt: 0.1, spectrum: false });
    expect(m.delta0).toBeCloseTo(ref.delta0, 10);
    expect(m.prXNaive.pr).toBeCloseTo(ref.pr, 10);
    expect(m.prPhiNaive.pr).toBeCloseTo(ref.prPhi, 10);
    expect(m.autocorrX[0]).toBeGreaterThan(0);
    expect(m.lags.length).toBe(21);
    expect(m.lags[20]).toBeCloseTo(10, 12);
    expect(m.autocorrX[0]).toBeGreaterThan(m.autocorrX[20]!);
    expect(m.prX.prOverN).toBeGreaterThan(0);
    expect(m.prX.prOverN).toBeLessThan(0.2);
    expect(m.psi!.x.tauTau[0]).toBeGreaterThan(0);
    expect(Number.isFinite(m.psi!.rateX)).toBe(true);
    expect(() => measureActivity({ seed: 1 })).toThrow(/exactly one/);
  });
});

describe('effectiveRankFromMatrix', () => {
  it('PR_J/N → 1/2 for iid and 1/(2 + γ) = 1/3 for the flat random-mode model with α = 1', () => {
    const n = 1000;
    const iid = effectiveRankFromMatrix(iidGaussian({ n, g: 1, seed: 21 }));
    expect(Math.abs(iid.prJOverN / 0.5 - 1)).toBeLessThan(0.03);
    expect(Math.abs(iid.gamma)).toBeLessThan(0.1);
    const rmm = randomMode({ n, spectrum: { shape: { kind: 'flat' }, g: 1 }, seed: 22 });
    expect(rmm.gamma).toBeCloseTo(1, 12);
    const e = effectiveRankFromMatrix(rmm.J);
    expect(Math.abs(e.prJOverN / (1 / 3) - 1)).toBeLessThan(0.03);
    expect(Math.abs(e.gamma - 1)).toBeLessThan(0.15);
  });
});
