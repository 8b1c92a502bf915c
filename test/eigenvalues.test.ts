import { describe, expect, it } from 'vitest';
import { ArgumentError, eigenvalues, iidGaussian, matrix } from '../ts/index.js';

describe('eigenvalues of a general matrix', () => {
  it('of S B S⁻¹ with B = [1 −2 0; 2 1 0; 0 0 3] are 3 and 1 ± 2i', () => {
    // S = [1 1 0; 0 1 1; 0 0 1], S⁻¹ = [1 −1 1; 0 1 −1; 0 0 1].
    const s = [[1, 1, 0], [0, 1, 1], [0, 0, 1]];
    const b = [[1, -2, 0], [2, 1, 0], [0, 0, 3]];
    const sInv = [[1, -1, 1], [0, 1, -1], [0, 0, 1]];
    const mul = (x: number[][], y: number[][]) =>
      x.map((row) => y[0]!.map((_, j) => row.reduce((acc, v, k) => acc + v * y[k]![j]!, 0)));
    const a = mul(mul(s, b), sInv);
    const { re, im } = eigenvalues(matrix(3, 3, Float64Array.from(a.flat())));
    const want = [[3, 0], [1, 2], [1, -2]];
    want.forEach(([r, i], k) => {
      expect(Math.abs(re[k]! - r!)).toBeLessThan(1e-14 * 3);
      expect(Math.abs(im[k]! - i!)).toBeLessThan(1e-14 * 3);
    });
    // The conjugate pair is exact.
    expect(re[2]).toBe(re[1]);
    expect(im[2]).toBe(-im[1]!);
  });

  it('follow the circular law for iid couplings N(0, g²/N)', () => {
    const [n, g] = [500, 2];
    for (const seed of [1, 2]) {
      const J = iidGaussian({ n, g, seed });
      const { re, im } = eigenvalues(J);
      expect(re.length).toBe(n);
      let radius = 0;
      let sumAbs2 = 0;
      let sumRe = 0;
      for (let k = 0; k < n; k++) {
        const abs2 = re[k]! ** 2 + im[k]! ** 2;
        radius = Math.max(radius, Math.sqrt(abs2));
        sumAbs2 += abs2;
        sumRe += re[k]!;
        if (k > 0) expect(re[k]!).toBeLessThanOrEqual(re[k - 1]!);
      }
      // Uniform on the disc of radius g: spectral radius → g, mean |λ|² → g²/2.
      expect(Math.abs(radius / g - 1)).toBeLessThan(0.1);
      expect(Math.abs(sumAbs2 / n / (g * g / 2) - 1)).toBeLessThan(0.05);
      // Σλ = tr J.
      let trace = 0;
      for (let i = 0; i < n; i++) trace += J.data[i * n + i]!;
      expect(Math.abs(sumRe - trace)).toBeLessThan(1e-10 * n);
    }
  });

  it('handles the 1 × 1 case and rejects non-square input', () => {
    expect(eigenvalues(matrix(1, 1, new Float64Array([-4]))).re).toEqual(new Float64Array([-4]));
    expect(() => eigenvalues(matrix(2, 3, new Float64Array(6)))).toThrow(ArgumentError);
  });
});
