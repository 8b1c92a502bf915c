import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';

/** Largest relative asymmetry |A_ij − A_ji| / max|A| accepted as symmetric. */
const SYMMETRY_TOLERANCE = 1e-12;

function checkSymmetric(name: string, a: Matrix): void {
  const n = a.rows;
  let scale = 0;
  for (const v of a.data) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(a.data[i * n + j]! - a.data[j * n + i]!) > SYMMETRY_TOLERANCE * scale) {
        throw new ArgumentError(name, `must be symmetric; entries (${i},${j}) and (${j},${i}) differ`);
      }
    }
  }
}

/**
 * Eigenvalues (ascending) of a symmetric matrix: Householder tridiagonalisation and implicit QL
 * with Wilkinson shifts.
 *
 * @example
 * ```ts
 * symmetricEigenvalues({ rows: 2, cols: 2, data: new Float64Array([2, 1, 1, 2]) }); // [1, 3]
 * ```
 */
export function symmetricEigenvalues(a: Matrix): Float64Array {
  checkMatrix('matrix', a, { square: true });
  checkSymmetric('matrix', a);
  const n = a.rows;
  checkBudget('matrix', 8 * 4 * n * n);
  return call((b) => {
    const vals = b.output(n);
    b.check(b.exports.rnl_sym_eig(n, b.input(a.data), vals, 0));
    return b.read(vals, n);
  });
}

/** Eigen-decomposition of a symmetric matrix: ascending values and unit eigenvectors (column k of `vectors` belongs to `values[k]`). */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  checkMatrix('matrix', a, { square: true });
  checkSymmetric('matrix', a);
  const n = a.rows;
  checkBudget('matrix', 8 * 6 * n * n);
  return call((b) => {
    const vals = b.output(n);
    const vecs = b.output(n * n);
    b.check(b.exports.rnl_sym_eig(n, b.input(a.data), vals, vecs));
    return { values: b.read(vals, n), vectors: matrix(n, n, b.read(vecs, n * n)) };
  });
}

/**
 * Singular values (descending; min(rows, cols) of them) by Householder bidiagonalisation and
 * implicit-shift QR.
 */
export function singularValues(a: Matrix): Float64Array {
  checkMatrix('matrix', a);
  const k = Math.min(a.rows, a.cols);
  checkBudget('matrix', 8 * 4 * a.rows * a.cols);
  return call((b) => {
    const out = b.output(k);
    b.check(b.exports.rnl_singular_values(a.rows, a.cols, b.input(a.data), out));
    return b.read(out, k);
  });
}

/**
 * Eigenvalues of a general real square matrix, as real and imaginary parts sorted by descending
 * real part; a complex-conjugate pair is adjacent, positive imaginary part first. Parlett–Reinsch
 * balancing, Householder reduction to Hessenberg form and the Francis double-shift QR iteration
 * (about 10n³ flops). NaN marks eigenvalues of non-finite input.
 *
 * @example
 * ```ts
 * const { re, im } = eigenvalues({ rows: 2, cols: 2, data: new Float64Array([1, -2, 3, 1]) });
 * // re = [1, 1], im = [√6, −√6]
 * const spectrum = eigenvalues(iidGaussian({ n: 200, g: 1.5, seed: 3 }));
 * const radius = Math.max(...Array.from(spectrum.re, (x, k) => Math.hypot(x, spectrum.im[k]!)));
 * // radius ≈ 1.5: the eigenvalues fill the disc of radius g (circular law)
 * ```
 */
export function eigenvalues(a: Matrix): { re: Float64Array; im: Float64Array } {
  checkMatrix('matrix', a, { square: true });
  const n = a.rows;
  checkBudget('matrix', 8 * 4 * n * n);
  return call((b) => {
    const re = b.output(n);
    const im = b.output(n);
    b.check(b.exports.rnl_eigenvalues(n, b.input(a.data), re, im));
    return { re: b.read(re, n), im: b.read(im, n) };
  });
}
