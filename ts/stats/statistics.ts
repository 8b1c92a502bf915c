import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { flag, integer, options, vector } from '../validate.js';

/**
 * Participation ratio PR = (tr C)² / tr(C²) = (Σ_i C_ii)² / Σ_ij C_ij² of a covariance matrix
 * (between 1 and N for a non-zero covariance; divide by N for the normalised dimension).
 *
 * @example
 * ```ts
 * participationRatio({ rows: 3, cols: 3, data: new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]) }); // 3
 * ```
 */
export function participationRatio(covariance: Matrix): number {
  checkMatrix('covariance', covariance, { square: true });
  if (covariance.data.every((v) => v === 0)) throw new ArgumentError('covariance', 'is zero: the ratio is undefined');
  const pr = call((b) => b.exports.rnl_participation_ratio(covariance.rows, b.input(covariance.data)));
  if (!Number.isFinite(pr)) throw new ArgumentError('covariance', 'has squares that overflow');
  return pr;
}

/** Participation ratio (Σ λ)² / Σ λ² from covariance eigenvalues (not all zero). */
export function participationRatioFromEigenvalues(eigenvalues: Float64Array): number {
  vector('eigenvalues', eigenvalues);
  let top = 0;
  for (const l of eigenvalues) top = Math.max(top, Math.abs(l));
  if (top === 0) throw new ArgumentError('eigenvalues', 'must not be empty or all zero');
  let s1 = 0;
  let s2 = 0;
  // Scaled by the largest |λ| so that the squares cannot overflow.
  for (const l of eigenvalues) {
    s1 += l / top;
    s2 += (l / top) ** 2;
  }
  return (s1 * s1) / s2;
}

/** Mean and covariance (normalised by the number of samples T) of a T×N trajectory (rows are time points). */
export function covariance(trajectory: Matrix): { mean: Float64Array; covariance: Matrix } {
  checkMatrix('trajectory', trajectory);
  const { rows: t, cols: n } = trajectory;
  checkBudget('trajectory', 8 * (t * n + 2 * n * n));
  return call((b) => {
    const mean = b.output(n);
    const cov = b.output(n * n);
    b.check(b.exports.rnl_covariance(t, n, b.input(trajectory.data), mean, cov));
    return { mean: b.read(mean, n), covariance: matrix(n, n, b.read(cov, n * n)) };
  });
}

/**
 * Population-averaged autocorrelation of a T×N trajectory,
 * c(k) = (1/N) Σ_i (1/(T−k)) Σ_t y_i(t) y_i(t+k) for k = 0..maxLag, with y the trajectory minus
 * each unit's time mean (unless `subtractMean` is false). Computed with zero-padded FFTs.
 */
export function autocorrelation(trajectory: Matrix, maxLag: number, opts: { subtractMean?: boolean } = {}): Float64Array {
  checkMatrix('trajectory', trajectory);
  const { rows: t, cols: n } = trajectory;
  integer('maxLag', maxLag, { min: 0, max: t - 1 });
  const o = options('options', opts, ['subtractMean']);
  const subtractMean = o.subtractMean === undefined ? true : flag('subtractMean', o.subtractMean);
  checkBudget('trajectory', 8 * (2 * t * n + 8 * t));
  return call((b) => {
    const out = b.output(maxLag + 1);
    b.check(b.exports.rnl_autocorrelation(t, n, b.input(trajectory.data), maxLag, subtractMean ? 1 : 0, out));
    return b.read(out, maxLag + 1);
  });
}
