import { describe, expect, it } from 'vitest';
import { ArgumentError, matrix, singularValues, symmetricEigen, symmetricEigenvalues } from '../ts/index.js';

/** Q diag(λ) Qᵀ with Q a product of random Givens rotations (orthogonal to rounding). */
function withSpectrum(lambda: number[], seed: number): ReturnType<typeof matrix> {
  const n = lambda.length;
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let r = 0; r < 4 * n * n; r++) {
    const i = Math.floor(rand() * n);
    const j = (i + 1 + Math.floor(rand() * (n - 1))) % n;
    const t = 2 * Math.PI * rand();
    const [c, sn] = [Math.cos(t), Math.sin(t)];
    for (let k = 0; k < n; k++) {
      const a = q[k * n + i]!;
      const b = q[k * n + j]!;
      q[k * n + i] = c * a - sn * b;
      q[k * n + j] = sn * a + c * b;
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += q[i * n + k]! * lambda[k]! * q[j * n + k]!;
      out[i * n + j] = v;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i]!;
  return matrix(n, n, out);
}

describe('symmetric eigensolver', () => {
  it('recovers known spectra, including repeated and zero eigenvalues', () => {
    const lambda = [-3, -1e-3, 0, 0, 0.5, 0.5, 0.5, 2, 7, 1e3];
    const got = symmetricEigenvalues(withSpectrum(lambda, 3));
    lambda.forEach((l, k) => expect(Math.abs(got[k]! - l)).toBeLessThan(1e-12 * 1e3));
  });

  it('matches the tridiagonal Toeplitz closed form a + 2b cos(kπ/(n+1))', () => {
    const n = 200;
    const [a, b] = [1.5, -0.7];
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      t[i * n + i] = a;
      if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = b;
    }
    const got = symmetricEigenvalues(matrix(n, n, t));
    const exact = Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort((x, y) => x - y);
    exact.forEach((e, k) => expect(Math.abs(got[k]! - e)).toBeLessThan(1e-13 * n));
  });

  it('returns orthonormal eigenvectors with A v = λ v', () => {
    const n = 30;
    const a = withSpectrum(Array.from({ length: n }, (_, k) => k * k - 50), 8);
    const { values, vectors } = symmetricEigen(a);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a.data[i * n + j]! * vectors.data[j * n + k]!;
        expect(Math.abs(av - values[k]! * vectors.data[i * n + k]!)).toBeLessThan(1e-11);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors.data[i * n + k]! * vectors.data[i * n + l]!;
        expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('rejects non-symmetric input', () => {
    expect(() => symmetricEigenvalues(matrix(2, 2, new Float64Array([1, 2, 3, 4])))).toThrow(ArgumentError);
  });
});

describe('singular values', () => {
  it('of a rank-deficient product U diag(s) Vᵀ', () => {
    const n = 20;
    const sym = withSpectrum(Array.from({ length: n }, (_, k) => (k < 5 ? 0 : 2 ** -k)), 2);
    const s = singularValues(sym);
    const expected = Array.from({ length: n }, (_, k) => (k < 5 ? 0 : 2 ** -k)).sort((x, y) => y - x);
    expected.forEach((e, k) => expect(Math.abs(s[k]! - e)).toBeLessThan(1e-15 * n));
  });

  it('of a wide matrix keep the Frobenius norm', () => {
    const data = Float64Array.from({ length: 3 * 7 }, (_, i) => Math.sin(i * 1.3) + (i % 4));
    const s = singularValues(matrix(3, 7, data));
    expect(s.length).toBe(3);
    let fro = 0;
    for (const v of data) fro += v * v;
    expect(s.reduce((acc, v) => acc + v * v, 0)).toBeCloseTo(fro, 10);
  });
});
