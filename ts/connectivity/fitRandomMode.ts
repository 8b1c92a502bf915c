import { ArgumentError } from '../errors.js';
import { singularValues, symmetricEigen } from '../linalg/eigen.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { flag, options } from '../validate.js';

/** Options of {@link fitRandomMode}. */
export interface FitRandomModeOptions {
  /** Compute the overlaps ρ_a = u_a·v_a (default true; costs an eigen-decomposition of a 2N × 2N matrix). */
  overlaps?: boolean;
}

/** A coupling matrix described in the random-mode language (PRX 15, 041019). */
export interface RandomModeFit {
  /** Number of units N. */
  n: number;
  /** Fraction of non-zero entries. */
  density: number;
  /** Singular values S_a of J, descending (N of them). */
  singularValues: Float64Array;
  /** Effective gain g_eff = √(Σ_ij J_ij² / N) = √(Σ S² / N) (paper Eq. 37: g_eff² = α r₂). */
  gEff: number;
  /** PR_S = (Σ S²)² / (N Σ S⁴), the participation ratio of the squared singular values (Eq. 13; iid → 1/2). */
  prS: number;
  /**
   * Effective rank αPR_D of the random-mode model with Gaussian modes whose J has the same two
   * singular-value moments: Eq. 13, PR_S = αPR_D / (1 + 2αPR_D), inverted. Infinity when
   * PR_S ≥ 1/2 (spread at least as much as an iid matrix).
   */
  effectiveRank: number;
  /** γ = 1/(αPR_D) = 1/PR_S − 2 (at least 0): the inverse effective rank of `dimension`. */
  gamma: number;
  /**
   * The singular value decomposition read as a random-mode matrix with orthonormal modes,
   * J = Σ_a D_a u_a v_aᵀ with D_a = S_a (as for the connectome in the paper's Fig. 6c): the
   * M non-zero singular values (above N·ε·S_max).
   */
  spectrum: Float64Array;
  /** α = M/N. */
  alpha: number;
  /** r₂ = ⟨D²⟩ over the M modes (Eq. 10), so α r₂ = g_eff². */
  r2: number;
  /** PR_D = r₂²/r₄ (Eq. 11); α PR_D of this reading equals PR_S. */
  prD: number;
  /**
   * Overlaps ρ_a = u_a·v_a of the left (output) and right (input) singular vectors of mode a,
   * J v_a = S_a u_a (the diagonal of the paper's overlap matrix, Fig. 6b), for the M modes; a
   * repeated singular value makes its modes' overlaps basis-dependent. Absent with `overlaps: false`.
   */
  overlaps?: Float64Array;
  /** Standard deviation 1/√N of ρ_a for random (iid) couplings: the reference band. */
  overlapSd: number;
}

/**
 * Describes a given coupling matrix (a connectome, a trained network) in the language of the
 * random-mode model (Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025),
 * Secs. II, VII and App. B): its singular-value spectrum and the two statistics the dimension
 * theory needs, g_eff and αPR_D (as γ = 1/(αPR_D)), together with the left/right overlaps of its
 * singular vectors.
 *
 * Singular values come from the bidiagonal QR of J; the singular vectors from the symmetric
 * eigen-decomposition of [[0, J], [Jᵀ, 0]], whose eigenvalue S_a has eigenvector (u_a, v_a)/√2
 * (no squaring of J, so small singular values keep their accuracy).
 *
 * @example
 * ```ts
 * const net = randomMode({ n: 300, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: 2 }, seed: 1 });
 * const fit = fitRandomMode(net.J);
 * fit.gEff;  // ≈ 2
 * fit.gamma; // ≈ 3.9 (net.gamma), within finite-N fluctuations
 * fitRandomMode(iidGaussian({ n: 300, g: 1, seed: 2 })).prS; // ≈ 0.5
 * ```
 */
export function fitRandomMode(J: Matrix, opts: FitRandomModeOptions = {}): RandomModeFit {
  const o = options('options', opts, ['overlaps']);
  checkMatrix('J', J, { square: true });
  const withOverlaps = o.overlaps === undefined ? true : flag('overlaps', o.overlaps);
  const n = J.rows;
  if (J.data.every((v) => v === 0)) throw new ArgumentError('J', 'is zero: it has no modes to describe');
  let nonZero = 0;
  for (const v of J.data) if (v !== 0) nonZero++;
  const s = singularValues(J);
  const top = s[0]!;
  // Moments scaled by the largest singular value, so that S⁴ neither overflows nor underflows.
  let s2 = 0;
  let s4 = 0;
  for (const v of s) {
    const r = v / top;
    s2 += r * r;
    s4 += r ** 4;
  }
  const prS = (s2 * s2) / (n * s4);
  const effectiveRank = prS < 0.5 ? prS / (1 - 2 * prS) : Infinity;
  const m = s.filter((v) => v > n * Number.EPSILON * top).length;
  const spectrum = s.slice(0, m);
  const fit: RandomModeFit = {
    n,
    density: nonZero / (n * n),
    singularValues: s,
    gEff: top * Math.sqrt(s2 / n),
    prS,
    effectiveRank,
    gamma: Math.max(0, 1 / prS - 2),
    spectrum,
    alpha: m / n,
    r2: (top * top * s2) / m,
    prD: (s2 * s2) / (m * s4),
    overlapSd: 1 / Math.sqrt(n),
  };
  if (withOverlaps) fit.overlaps = modeOverlaps(J, m);
  return fit;
}

/** u_a·v_a for the m largest singular values, from the eigenvectors of [[0, J], [Jᵀ, 0]]. */
function modeOverlaps(J: Matrix, m: number): Float64Array {
  const n = J.rows;
  const h = new Float64Array(4 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = J.data[i * n + j]!;
      h[i * 2 * n + n + j] = v;
      h[(n + j) * 2 * n + i] = v;
    }
  }
  const { vectors } = symmetricEigen(matrix(2 * n, 2 * n, h));
  const w = vectors.data;
  // Eigenvalues ascend: S_a (a = 0, 1, …) is eigenvalue 2n − 1 − a; its eigenvector is (u_a, v_a)/√2.
  return Float64Array.from({ length: m }, (_, a) => {
    const col = 2 * n - 1 - a;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += w[i * 2 * n + col]! * w[(n + i) * 2 * n + col]!;
    return 2 * dot;
  });
}
