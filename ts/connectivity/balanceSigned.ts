import { ArgumentError } from '../errors.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { finite, integer, options } from '../validate.js';

/** Options of {@link balanceSigned}. */
export interface BalanceSignedOptions {
  /** Stop when every non-empty row part has L2 norm within this relative distance of 1/√2 (default 1e-6). */
  tolerance?: number;
  /** Most row-and-column sweeps (default 1000). */
  maxIterations?: number;
}

/** The balanced matrix and how the iteration ended. */
export interface BalancedCouplings {
  /** The rescaled couplings: same sparsity pattern and signs as the input. */
  J: Matrix;
  /** Sweeps done. */
  iterations: number;
  /**
   * After the last sweep (which ends on the columns, so every non-empty column part has norm
   * 1/√2 exactly): the largest relative deviation |√2‖part‖ − 1| over the non-empty row parts.
   */
  residual: number;
  /** Whether `residual` fell below the tolerance. */
  converged: boolean;
}

/**
 * The signed Sinkhorn–Knopp normalisation of Clark, Marschall, van Meegen & Litwin-Kumar,
 * PRX 15, 041019 (2025), App. B: in each row rescale the positive entries to L2 norm 1/√2 and the
 * negative entries to 1/√2 (rows of norm 1, excitation and inhibition balanced), then the same in
 * each column, and alternate. The positive and the negative entries are scaled independently
 * (J⁺ → diag(r⁺) J⁺ diag(c⁺), J⁻ likewise), so each part is a Sinkhorn problem on the squared
 * entries. Zero rows and columns stay zero.
 *
 * The iteration converges when each part's squared pattern has total support; a part whose
 * non-empty rows cannot carry the same total as its non-empty columns (e.g. few inhibitory
 * neurons projecting to many targets) cannot be balanced exactly: the iteration then stops at
 * `maxIterations` with `converged: false` and the columns normalised.
 *
 * @example
 * ```ts
 * const b = balanceSigned(matrix(2, 2, new Float64Array([2, -1, -3, 4])));
 * b.converged; // true
 * b.J.data;    // [1/√2, −1/√2, −1/√2, 1/√2]: each row and column part has norm 1/√2
 * ```
 */
export function balanceSigned(J: Matrix, opts: BalanceSignedOptions = {}): BalancedCouplings {
  const o = options('options', opts, ['tolerance', 'maxIterations']);
  checkMatrix('J', J, { square: true });
  const tolerance = finite('tolerance', o.tolerance ?? 1e-6, { min: 0, exclusiveMin: true });
  const maxIterations = integer('maxIterations', o.maxIterations ?? 1000, { min: 1 });
  const n = J.rows;
  if (J.data.every((v) => v === 0)) throw new ArgumentError('J', 'is zero: there is nothing to balance');
  // The non-zero entries: position, part (0 positive, 1 negative) and squared magnitude, rescaled
  // in place (bounded by 1/2 after every half-sweep, so nothing overflows when a part diverges).
  const idx: number[] = [];
  for (let k = 0; k < n * n; k++) if (J.data[k] !== 0) idx.push(k);
  const m = idx.length;
  const rowPart = Int32Array.from(idx, (k) => 2 * Math.floor(k / n) + (J.data[k]! < 0 ? 1 : 0));
  const colPart = Int32Array.from(idx, (k) => 2 * (k % n) + (J.data[k]! < 0 ? 1 : 0));
  const sq = Float64Array.from(idx, (k) => J.data[k]! ** 2);
  const sums = new Float64Array(2 * n);
  const normalise = (parts: Int32Array): void => {
    sums.fill(0);
    for (let e = 0; e < m; e++) sums[parts[e]!] = sums[parts[e]!]! + sq[e]!;
    for (let e = 0; e < m; e++) sq[e] = (0.5 * sq[e]!) / sums[parts[e]!]!;
  };
  let iterations = 0;
  let residual = Infinity;
  while (iterations < maxIterations) {
    normalise(rowPart);
    normalise(colPart);
    iterations++;
    sums.fill(0);
    for (let e = 0; e < m; e++) sums[rowPart[e]!] = sums[rowPart[e]!]! + sq[e]!;
    residual = 0;
    for (const v of sums) if (v > 0) residual = Math.max(residual, Math.abs(Math.sqrt(2 * v) - 1));
    if (residual <= tolerance) break;
  }
  const out = new Float64Array(n * n);
  for (let e = 0; e < m; e++) out[idx[e]!] = Math.sign(J.data[idx[e]!]!) * Math.sqrt(sq[e]!);
  return { J: matrix(n, n, out), iterations, residual, converged: residual <= tolerance };
}
