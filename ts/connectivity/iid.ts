import { checkBudget, call } from '../runtime/call.js';
import { matrix, type Matrix } from '../matrix.js';
import { finite, flag, integer, options, seed as checkSeed } from '../validate.js';

/** Options of {@link iidGaussian}. */
export interface IidOptions {
  /** Number of units N. */
  n: number;
  /** Gain g: J_ij ~ N(0, g²/N). */
  g: number;
  /** Seed of the draw (integer in [0, 2^53)). */
  seed: number;
  /** Set J_ii = 0 (default false). */
  zeroDiagonal?: boolean;
}

/**
 * iid Gaussian couplings J_ij ~ N(0, g²/N) (Sompolinsky, Crisanti & Sommers 1988).
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 200, g: 2, seed: 7 });
 * // J.rows === 200, J.data.length === 40000
 * ```
 */
export function iidGaussian(opts: IidOptions): Matrix {
  const o = options('options', opts, ['n', 'g', 'seed', 'zeroDiagonal']);
  const zeroDiagonal = o.zeroDiagonal === undefined ? false : flag('zeroDiagonal', o.zeroDiagonal);
  const n = integer('n', o.n, { min: 1 });
  const g = finite('g', o.g, { min: 0 });
  const seed = checkSeed('seed', o.seed);
  checkBudget('n', 2 * 8 * n * n);
  return call((b) => {
    const out = b.output(n * n);
    b.check(b.exports.rnl_iid(n, g, zeroDiagonal ? 1 : 0, seed, out));
    return matrix(n, n, b.read(out, n * n));
  });
}
