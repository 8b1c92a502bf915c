import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { checkMatrix, type Matrix } from '../matrix.js';
import { integer, options } from '../validate.js';

/** A participation ratio with its jackknife standard error over blocks. */
export interface PrEstimate {
  pr: number;
  /** pr / N. */
  prOverN: number;
  se: number;
  /** se / N. */
  seOverN: number;
}

/**
 * Dimension and variance estimates from B block covariances C_b (deviations from the pooled
 * mean). `cross` (PR = (mean_b tr C_b)² / mean_{a≠b} tr(C_a C_b)) is unbiased for independent
 * blocks; `naive` (PR = (mean_b tr C_b)² / tr(C̄²)) is biased down by sampling noise. The
 * z-scored estimates use correlation matrices (C_b scaled by the block-averaged single-unit
 * variances): N/PR − N/PR_z = CV² of the variances when these are independent of the
 * correlations.
 */
export interface BlockEstimates {
  /** Number of units N. */
  n: number;
  /** Non-empty blocks and total samples used. */
  blocks: number;
  samples: number;
  /** Mean single-unit variance, mean_i v_i (Δ0 for x, C_φ(0) for φ). */
  meanVariance: number;
  /** CV² of the single-unit variances, cross-block (free of the sampling noise of each v_i). */
  varianceCv2: number;
  /** CV² of the block-averaged variances (inflated by their sampling noise). */
  varianceCv2Naive: number;
  naive: PrEstimate;
  cross: PrEstimate;
  zscoredNaive: PrEstimate;
  zscoredCross: PrEstimate;
}

/** Length of the flat layout written by the block-estimate exports. */
export const BLOCK_ESTIMATES_LEN = 14;

/** Fewest blocks for which every estimate, jackknife errors included, is defined. */
export const MIN_BLOCKS = 3;

/**
 * Decodes the flat layout of `BlockEstimates::to_array` (crate/src/stats/block_pr.rs). A
 * non-finite value means activity without variance in some block: `undefined` throws it.
 */
export function decodeBlockEstimates(a: Float64Array, undefinedError: () => Error): BlockEstimates {
  if (!a.every(Number.isFinite)) throw undefinedError();
  const n = a[0]!;
  const pr = (k: number): PrEstimate => ({ pr: a[k]!, prOverN: a[k]! / n, se: a[k + 1]!, seOverN: a[k + 1]! / n });
  return {
    n,
    blocks: a[1]!,
    samples: a[2]!,
    meanVariance: a[3]!,
    varianceCv2: a[4]!,
    varianceCv2Naive: a[5]!,
    naive: pr(6),
    cross: pr(8),
    zscoredNaive: pr(10),
    zscoredCross: pr(12),
  };
}

/**
 * Block estimates of the participation ratio (naive, cross-block, z-scored; jackknife errors)
 * and of the single-unit variances of recorded activity (rows are time points, columns units).
 * Either one trajectory split into `blocks` ≥ 3 consecutive blocks of ⌊T/blocks⌋ rows (left-over
 * rows are not used), or an array of at least 3 trajectories used as the blocks (e.g. independent
 * runs of the same network). Every unit must vary within every block (else ArgumentError).
 *
 * @example
 * ```ts
 * const z = iidGaussian({ n: 40, g: Math.sqrt(40), seed: 3 }); // 40 samples of 40 N(0,1) units
 * const e = blockParticipation(z, { blocks: 4 });
 * e.cross.prOverN; // ≈ 1 ± e.cross.seOverN; e.naive.prOverN ≈ 0.5
 * ```
 */
export function blockParticipation(data: Matrix | readonly Matrix[], opts: { blocks?: number } = {}): BlockEstimates {
  const o = options('options', opts, ['blocks']);
  let parts: Matrix[];
  let rows: number[];
  if (Array.isArray(data)) {
    if (o.blocks !== undefined) throw new ArgumentError('blocks', 'is given by the number of trajectories');
    if (data.length < MIN_BLOCKS) throw new ArgumentError('data', `must hold at least ${MIN_BLOCKS} trajectories, got ${data.length}`);
    parts = (data as readonly unknown[]).map((m, b) => checkMatrix(`data[${b}]`, m));
    const n = parts[0]!.cols;
    parts.forEach((m, b) => {
      if (m.cols !== n) throw new ArgumentError(`data[${b}]`, `must have ${n} columns like data[0], got ${m.cols}`);
    });
    rows = parts.map((m) => m.rows);
  } else {
    const m = checkMatrix('data', data);
    const most = Math.floor(m.rows / 2);
    if (most < MIN_BLOCKS) throw new ArgumentError('data', `needs at least ${2 * MIN_BLOCKS} rows (2 per block), got ${m.rows}`);
    const blocks = integer('blocks', o.blocks ?? Math.min(8, most), { min: MIN_BLOCKS, max: most });
    const per = Math.floor(m.rows / blocks);
    parts = [m];
    rows = Array.from({ length: blocks }, () => per);
  }
  const n = parts[0]!.cols;
  const total = rows.reduce((s, r) => s + r, 0);
  checkBudget('data', 8 * (total * n + rows.length * n * n + 4 * rows.length * n));
  const flat = new Float64Array(total * n);
  let offset = 0;
  if (parts.length === 1) {
    flat.set(parts[0]!.data.subarray(0, total * n));
  } else {
    for (const m of parts) {
      flat.set(m.data, offset);
      offset += m.data.length;
    }
  }
  return call((b) => {
    const out = b.output(BLOCK_ESTIMATES_LEN);
    b.check(b.exports.rnl_block_estimates(n, b.input(flat), rows.length, b.input(Float64Array.from(rows)), out));
    return decodeBlockEstimates(
      b.read(out, BLOCK_ESTIMATES_LEN),
      () => new ArgumentError('data', 'has a block without variance: the participation ratio is undefined'),
    );
  });
}
