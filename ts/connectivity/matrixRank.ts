import { ArgumentError } from '../errors.js';
import { singularValues } from '../linalg/eigen.js';
import { checkMatrix, type Matrix } from '../matrix.js';

/**
 * Effective rank of a coupling matrix from its singular values s_k (theory note §1.3):
 * PR_J = (tr JJᵀ)² / tr (JJᵀ)² = (Σ s²)² / Σ s⁴, and γ = N/PR_J − 2, the random-mode model's
 * N/PR^D (E PR_J → N/(2 + γ) for Gaussian modes; γ = 0 for iid couplings). Use it to place a
 * measured matrix (e.g. a connectome) on the γ axis of the dimension theory.
 *
 * @example
 * ```ts
 * const { prJ, gamma } = effectiveRankFromMatrix(iidGaussian({ n: 200, g: 1, seed: 1 }));
 * prJ / 200; // ≈ 0.5
 * gamma; // ≈ 0
 * ```
 */
export function effectiveRankFromMatrix(J: Matrix): { prJ: number; prJOverN: number; gamma: number } {
  checkMatrix('J', J, { square: true });
  const n = J.rows;
  if (J.data.every((v) => v === 0)) throw new ArgumentError('J', 'is zero: its effective rank is undefined');
  let s2 = 0;
  let s4 = 0;
  const sv = singularValues(J);
  // Scaled by the largest singular value so that s⁴ neither overflows nor underflows.
  for (const s of sv) {
    const r = s / sv[0]!;
    s2 += r * r;
    s4 += r ** 4;
  }
  const prJ = (s2 * s2) / s4;
  return { prJ, prJOverN: prJ / n, gamma: n / prJ - 2 };
}
