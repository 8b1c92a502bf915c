import { describe, expect, it } from 'vitest';
import {
  autocorrelation,
  covariance,
  matrix,
  participationRatio,
  participationRatioFromEigenvalues,
  symmetricEigenvalues,
} from '../ts/index.js';

describe('participation ratio', () => {
  it('is N for the identity, 1 for rank one, and (Σλ)²/Σλ² for any spectrum', () => {
    const n = 6;
    const eye = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    expect(participationRatio(matrix(n, n, eye))).toBe(n);
    const u = [1, -2, 0.5, 3, 0, 1];
    const rank1 = Float64Array.from({ length: n * n }, (_, k) => u[Math.floor(k / n)]! * u[k % n]!);
    expect(participationRatio(matrix(n, n, rank1))).toBeCloseTo(1, 14);
    // A covariance with a known spectrum: the matrix of a Gaussian-kernel Toeplitz covariance.
    const c = Float64Array.from({ length: 40 * 40 }, (_, k) => Math.exp(-(((Math.floor(k / 40) - (k % 40)) / 3) ** 2)));
    const eig = symmetricEigenvalues(matrix(40, 40, c));
    expect(participationRatio(matrix(40, 40, c))).toBeCloseTo(participationRatioFromEigenvalues(eig), 10);
  });
});

describe('covariance and autocorrelation of trajectories', () => {
  const t = 300;
  const n = 5;
  const data = Float64Array.from({ length: t * n }, (_, k) => Math.sin(0.1 * k + (k % n)) + 0.01 * (k % 7) + 3);

  it('covariance matches the two-pass definition', () => {
    const { mean, covariance: cov } = covariance(matrix(t, n, data));
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let s = 0; s < t; s++) m += data[s * n + i]!;
      m /= t;
      expect(mean[i]).toBeCloseTo(m, 12);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let s = 0; s < t; s++) v += (data[s * n + i]! - mean[i]!) * (data[s * n + j]! - mean[j]!);
        expect(cov.data[i * n + j]).toBeCloseTo(v / t, 12);
      }
    }
  });

  it('autocorrelation matches direct lagged sums', () => {
    const maxLag = 40;
    const c = autocorrelation(matrix(t, n, data), maxLag);
    for (const k of [0, 1, 17, 40]) {
      let total = 0;
      for (let i = 0; i < n; i++) {
        let m = 0;
        for (let s = 0; s < t; s++) m += data[s * n + i]!;
        m /= t;
        let acc = 0;
        for (let s = 0; s + k < t; s++) acc += (data[s * n + i]! - m) * (data[(s + k) * n + i]! - m);
        total += acc / (t - k);
      }
      expect(c[k]).toBeCloseTo(total / n, 12);
    }
  });
});
