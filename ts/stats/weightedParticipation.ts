import { ArgumentError } from '../errors.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { vector } from '../validate.js';
import { blockParticipation, type BlockEstimates } from './blocks.js';

/**
 * {@link blockParticipation} of recorded activity read out with per-unit weights, y_i(t) = w_i a_i(t)
 * (rows are time points, columns units): e.g. the gains G_i of the recurrent dynamics
 * (Φ_i = G_iφ_i) or independent readout gains (PRX 2025, Sec. VI). Weights must be non-zero.
 *
 * @example
 * ```ts
 * const z = iidGaussian({ n: 40, g: Math.sqrt(40), seed: 3 }); // 40 samples of 40 N(0,1) units
 * const w = Float64Array.from({ length: 40 }, (_, i) => (i < 20 ? 1 : 2));
 * weightedParticipation(z, w, { blocks: 4 }).cross.prOverN; // ≈ 25/34 ≈ 0.74: PR of the variances w²
 * ```
 */
export function weightedParticipation(data: Matrix | readonly Matrix[], weights: Float64Array, opts: { blocks?: number } = {}): BlockEstimates {
  const parts = Array.isArray(data) ? (data as readonly unknown[]) : [data];
  const first = checkMatrix(Array.isArray(data) ? 'data[0]' : 'data', parts[0]);
  const w = vector('weights', weights, first.cols);
  if (w.some((v) => v === 0)) throw new ArgumentError('weights', 'must be non-zero (a zero weight removes the unit)');
  const scaled = parts.map((m, b) => {
    const c = checkMatrix(Array.isArray(data) ? `data[${b}]` : 'data', m);
    if (c.cols !== w.length) throw new ArgumentError('weights', `must have one entry per column (${c.cols}), got ${w.length}`);
    const out = new Float64Array(c.data.length);
    for (let t = 0; t < c.rows; t++) for (let i = 0; i < c.cols; i++) out[t * c.cols + i] = w[i]! * c.data[t * c.cols + i]!;
    return matrix(c.rows, c.cols, out);
  });
  return Array.isArray(data) ? blockParticipation(scaled, opts) : blockParticipation(scaled[0]!, opts);
}
