import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  dimensionFromCorrelations,
  dimensionVsRank,
  effectiveRank,
  frequencyDimension,
  iidGaussian,
  linearCovariance,
  matrix,
  participationRatio,
  populationCorrelation,
  randomMode,
} from '../ts/index.js';

/** Lag samples of the linear network with noise σ = 1: C(τ) = e^{−λ|τ|}/(2λ), λ = √(1 − g²). */
function linearLags(g: number, dt: number): Float64Array {
  const lam = Math.sqrt(1 - g * g);
  const n = Math.ceil(26 / (lam * dt));
  return Float64Array.from({ length: n }, (_, j) => Math.exp(-lam * j * dt) / (2 * lam));
}

/**
 * A consistent pair C^x = g² C^φ/(1 + ω²) with closed-form lags:
 * C^x = a(e^{−λ₁|τ|} − (λ₁/λ₂)e^{−λ₂|τ|}), C^φ = (1 − ∂²)C^x/g².
 */
function consistentPair(g: number, l1: number, l2: number, dt: number, n: number): [Float64Array, Float64Array] {
  const a = 2;
  const cx = Float64Array.from({ length: n }, (_, j) => a * (Math.exp(-l1 * j * dt) - (l1 / l2) * Math.exp(-l2 * j * dt)));
  const cphi = Float64Array.from(
    { length: n },
    (_, j) => (a / (g * g)) * ((1 - l1 * l1) * Math.exp(-l1 * j * dt) - (l1 / l2) * (1 - l2 * l2) * Math.exp(-l2 * j * dt)),
  );
  return [cx, cphi];
}

describe('dimension from correlations', () => {
  it('X/ν form equals the U/M form on a consistent pair', () => {
    const [cx, cphi] = consistentPair(2, 0.3, 1.7, 0.025, 4000);
    const d = dimensionFromCorrelations({ dt: 0.025, cx, cphi, g: 2, meanGain: 0.45, crossCheck: true });
    expect(d.nu).toBeCloseTo(0.81, 14);
    expect(d.diagnostics.crossCheckDifference!).toBeLessThan(1e-10);
    expect(d.diagnostics.errorEstimate).toBeLessThan(1e-10);
  });

  it('matches the exact Lyapunov covariance of linear networks (N = 800, 1 %)', () => {
    // The N = 1500 comparison (0.25 %) runs as a native test; at N = 800 finite-size effects are
    // O(1/√N) on the spectral edge, still well within 1 % here.
    const g = 0.6;
    const n = 800;
    const d = dimensionFromCorrelations({ dt: 0.05, cx: linearLags(g, 0.05), cphi: linearLags(g, 0.05), nu: g * g });
    const nets = [
      { J: iidGaussian({ n, g, seed: 11 }), gamma: 0 },
      ...(['flat', 'exponential'] as const).map((kind, k) => {
        const net = randomMode({
          n,
          spectrum: { shape: kind === 'flat' ? { kind } : { kind, beta: 3.9 }, g },
          seed: 20 + k,
        });
        return { J: net.J, gamma: n / effectiveRank(net.spectrum) };
      }),
    ];
    for (const { J, gamma } of nets) {
      const { covariance, diagnostics } = linearCovariance(J, { noise: 1 });
      expect(diagnostics.residual).toBeLessThan(1e-13);
      const exact = participationRatio(covariance) / n;
      const theory = dimensionVsRank(d, new Float64Array([gamma])).prPhi[0]!;
      expect(Math.abs(exact - theory) / theory).toBeLessThan(0.01);
    }
  });

  it('applies γ through κ and validates its inputs', () => {
    const c = linearLags(0.6, 0.05);
    const iid = dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 0.36 });
    const rmm = dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 0.36, gamma: 3.9 });
    expect(1 / rmm.prPhi - 1 / iid.prPhi).toBeCloseTo(3.9 * iid.kappaPhi, 10);
    expect(() => dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 1 })).toThrow(ArgumentError);
    expect(() => dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c.subarray(1), nu: 0.3 })).toThrow(ArgumentError);
    expect(() => dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 0.3, crossCheck: true })).toThrow(ArgumentError);
    expect(() => dimensionFromCorrelations({ dt: 0.05, cx: c, cphi: c, nu: 0.3, g: 1, meanGain: 0.5 })).toThrow(ArgumentError);
    const short = c.subarray(0, 100);
    const err = (() => {
      try {
        dimensionFromCorrelations({ dt: 0.05, cx: short, cphi: short, nu: 0.3 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as ArgumentError).parameter).toBe('cx');
  });

  it('one iid evaluation on realistic lag arrays is fast', () => {
    // g = 2 scale: ν ≈ 0.948, single-unit rate √(1−ν) ≈ 0.228, dt = 0.02, lags to τ ≈ 105.
    const dt = 0.02;
    const [cx, cphi] = consistentPair(2, 0.228, 1.2, dt, 5250);
    const opts = { dt, cx, cphi, g: 2, meanGain: 0.486822 };
    dimensionFromCorrelations(opts);
    const reps = 5;
    const t0 = performance.now();
    let d = dimensionFromCorrelations(opts);
    for (let r = 1; r < reps; r++) d = dimensionFromCorrelations(opts);
    const ms = (performance.now() - t0) / reps;
    console.log(`iid PR evaluation: ${ms.toFixed(1)} ms, ${d.diagnostics.nodes} nodes, error estimate ${d.diagnostics.errorEstimate.toExponential(1)}`);
    expect(d.diagnostics.errorEstimate).toBeLessThan(1e-10);
    expect(ms).toBeLessThan(100);
  });
});

describe('frequency-resolved dimension', () => {
  it('has the closed-form limits', () => {
    const nu = 0.947982;
    const f = frequencyDimension({ nu, omega: new Float64Array([0, 1e8]) });
    expect(f.prPhi[0]).toBeCloseTo((1 - nu) ** 2, 15);
    expect(f.prX[0]).toBeCloseTo((1 - nu) ** 2 / (2 - nu * nu), 15);
    expect(f.prPhi[1]).toBeCloseTo(1, 12);
    expect(f.prX[1]).toBeCloseTo(0.5, 12);
    const r = frequencyDimension({ nu, gamma: 4, omega: new Float64Array([1e8]) });
    expect(r.prX[0]).toBeCloseTo(1 / 6, 12);
    expect(() => frequencyDimension({ nu: -0.1, omega: new Float64Array(1) })).toThrow(ArgumentError);
  });
});

describe('population correlation', () => {
  it('is normalised, decays near the pole rate, and matches the edge at τ = 0', () => {
    const c = linearLags(0.9, 0.05);
    const p = populationCorrelation({ dt: 0.05, c, nu: 0.81, gamma: 2, count: 401, fitWindow: [10, 20] });
    expect(p.diagonal[0]).toBeCloseTo(1, 4);
    expect(p.edge[0]).toBeCloseTo(1, 4);
    expect(p.poleRate).toBeCloseTo(0.2, 12);
    expect(p.rate).toBeGreaterThan(p.poleRate);
    expect(p.rate).toBeLessThan(p.poleRate + 0.05);
    expect(p.diagnostics.gridError).toBeLessThan(1e-4);
    expect(() => populationCorrelation({ dt: 0.05, c, nu: 0.81, count: c.length + 1 })).toThrow(ArgumentError);
  });
});

describe('linear covariance', () => {
  it('solves the scalar and diagonal cases exactly and rejects unstable J', () => {
    const { covariance } = linearCovariance(matrix(2, 2, new Float64Array([0.5, 0, 0, -1])), { noise: 2 });
    // dx = (−0.5x)dt + 2dW: 4/(2·0.5) = 4; dx = −2x dt + 2dW: 4/4 = 1.
    expect(covariance.data[0]).toBeCloseTo(4, 12);
    expect(covariance.data[3]).toBeCloseTo(1, 12);
    expect(covariance.data[1]).toBeCloseTo(0, 14);
    expect(() => linearCovariance(matrix(1, 1, new Float64Array([1.5])))).toThrow(ArgumentError);
  });
});
