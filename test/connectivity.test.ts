import { describe, expect, it } from 'vitest';
import { effectiveRank, iidGaussian, matrix, randomMode, singularValues, spectrum } from '../ts/index.js';

describe('iid Gaussian couplings', () => {
  it('have empirical variance g²/N and mean 0', () => {
    const n = 600;
    const g = 1.7;
    const J = iidGaussian({ n, g, seed: 1 });
    const m = n * n;
    let mean = 0;
    for (const v of J.data) mean += v;
    mean /= m;
    let variance = 0;
    for (const v of J.data) variance += (v - mean) ** 2;
    variance /= m;
    // Relative standard error of a sample variance of m Gaussians: sqrt(2/m) ≈ 0.24 %.
    expect(Math.abs(variance / ((g * g) / n) - 1)).toBeLessThan(4 * Math.sqrt(2 / m));
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt((g * g) / n / m));
  });

  it('are reproducible from the seed and honour zeroDiagonal', () => {
    const a = iidGaussian({ n: 50, g: 1, seed: 9, zeroDiagonal: true });
    const b = iidGaussian({ n: 50, g: 1, seed: 9, zeroDiagonal: true });
    expect(a.data).toEqual(b.data);
    for (let i = 0; i < 50; i++) expect(a.data[i * 51]).toBe(0);
    expect(iidGaussian({ n: 50, g: 1, seed: 10 }).data).not.toEqual(a.data);
  });
});

describe('random-mode spectra', () => {
  it('are normalised to the gain and have the closed-form effective ranks', () => {
    const n = 4000;
    const cases = [
      { shape: { kind: 'flat' } as const, ratio: 1 },
      { shape: { kind: 'exponential', beta: 3.9 } as const, ratio: Math.tanh(3.9) / 3.9 },
      { shape: { kind: 'powerLaw', beta: 2 } as const, ratio: 5 / 9 },
    ];
    for (const { shape, ratio } of cases) {
      const d = spectrum({ shape, n, g: 2.5 });
      let s2 = 0;
      for (const v of d) s2 += v * v;
      expect(Math.sqrt(s2 / n)).toBeCloseTo(2.5, 12);
      // Midpoint sums approach the continuum integrals as O(1/P).
      expect(effectiveRank(d) / n).toBeCloseTo(ratio, 3);
    }
    const k = 5;
    const d = spectrum({ shape: { kind: 'lowRankPlusBulk', rank: k, ratio: 10 }, n: 200, modes: 100, g: 1 });
    const exact = (k * 100 + 95) ** 2 / (k * 1e4 + 95);
    expect(effectiveRank(d)).toBeCloseTo(exact, 10);
  });
});

describe('random-mode model', () => {
  it('with orthogonal modes has exactly the requested singular values', () => {
    const n = 120;
    const d = spectrum({ shape: { kind: 'exponential', beta: 2 }, n, modes: 80, g: 1.5 });
    const net = randomMode({ n, spectrum: d, modes: 'orthogonal', seed: 4 });
    const s = singularValues(net.J);
    for (let a = 0; a < 80; a++) expect(Math.abs(s[a]! - d[a]!)).toBeLessThan(1e-12 * d[0]!);
    for (let a = 80; a < n; a++) expect(Math.abs(s[a]!)).toBeLessThan(1e-12 * d[0]!);
  });

  it('with Gaussian modes has coupling variance g²/N and PR(JJᵀ) → N/(2 + γ)', () => {
    const n = 500;
    for (const shape of [{ kind: 'flat' } as const, { kind: 'exponential', beta: 3.9 } as const]) {
      const net = randomMode({ n, spectrum: { shape, g: 2 }, seed: 11 });
      const s = singularValues(net.J);
      let t2 = 0;
      let t4 = 0;
      for (const v of s) {
        t2 += v * v;
        t4 += v ** 4;
      }
      expect(t2 / n / 4).toBeCloseTo(1, 1);
      const theory = n / (2 + net.gamma);
      // Finite-N fluctuations of tr(JJᵀ)² at N = 500 are a few per cent.
      expect(Math.abs((t2 * t2) / t4 / theory - 1)).toBeLessThan(0.06);
    }
  });

  it('sets mode overlaps ρ_a = ℓ_a·r_a and row gains', () => {
    const n = 3000;
    const rho = new Float64Array([0.9, -0.6, 0.3, 0]);
    const net = randomMode({ n, spectrum: new Float64Array(4).fill(1), overlaps: rho, seed: 2, returnModes: true });
    for (let a = 0; a < 4; a++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += net.left!.data[i * 4 + a]! * net.right!.data[i * 4 + a]!;
      // Standard deviation of the dot product ≈ sqrt((1 + ρ²)/N) ≈ 0.025.
      expect(Math.abs(dot - rho[a]!)).toBeLessThan(0.11);
    }
    // A P×P overlap matrix of 2×2 rotation blocks: E[ℓ_a·r_b] = Q_ab.
    const [c, sn] = [0.8 * Math.cos(0.7), 0.8 * Math.sin(0.7)];
    const q = new Float64Array([c, -sn, 0, 0, sn, c, 0, 0, 0, 0, c, -sn, 0, 0, sn, c]);
    const rot = randomMode({ n, spectrum: new Float64Array(4).fill(1), overlaps: matrix(4, 4, q), seed: 3, returnModes: true });
    for (let a = 0; a < 4; a++) {
      for (let b2 = 0; b2 < 4; b2++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += rot.left!.data[i * 4 + a]! * rot.right!.data[i * 4 + b2]!;
        expect(Math.abs(dot - q[a * 4 + b2]!)).toBeLessThan(0.11);
      }
    }
    const plain = randomMode({ n: 40, spectrum: { shape: { kind: 'flat' }, g: 1 }, seed: 5 });
    const gains = Float64Array.from({ length: 40 }, (_, i) => 1 + i / 40);
    const scaled = randomMode({ n: 40, spectrum: { shape: { kind: 'flat' }, g: 1 }, gains, seed: 5 });
    for (let i = 0; i < 40; i++) expect(scaled.J.data[i * 40 + 3]).toBe(gains[i]! * plain.J.data[i * 40 + 3]!);
    const lognormal = randomMode({ n: 40, spectrum: { shape: { kind: 'flat' }, g: 1 }, gains: { lognormalSigma: 0.5 }, seed: 5 });
    expect(lognormal.gains!.length).toBe(40);
    expect(lognormal.gains!.every((h) => h > 0)).toBe(true);
  });
});
