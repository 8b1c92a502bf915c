import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { checkMatrix, type Matrix } from '../matrix.js';
import { finite, integer, options, seed as checkSeed, vector } from '../validate.js';

/** Options of {@link psi}. */
export interface PsiOptions {
  /** Largest lag, in samples (rows). */
  maxLag: number;
  /** Time blocks for the cross-block estimate (default 8, at least 2). */
  blocks?: number;
  /** Seed of the random derangement that pairs the units. */
  seed: number;
  /** Network size N that scales ψ = N⟨C_ij²⟩ (default the number of columns; set it when the trajectory holds a subset of the units). */
  networkSize?: number;
  /** Time between rows, used for `lags` (default 1). */
  sampleInterval?: number;
}

/** ψ(τ,τ) and ψ(τ,0) at `lags`. */
export interface PsiEstimate {
  lags: Float64Array;
  /** Cross-block estimates, unbiased for independent blocks. */
  tauTau: Float64Array;
  tau0: Float64Array;
  /** Naive estimates N mean_i Ĉ_{iπ(i)}(τ)…, biased up by the sampling noise of Ĉ. */
  naiveTauTau: Float64Array;
  naiveTau0: Float64Array;
}

/**
 * Statistics of the cross-covariances C_ij(τ) = ⟨y_i(t+τ) y_j(t)⟩ of a recorded trajectory (rows
 * are time points): ψ(τ,τ) = N⟨C_ij(τ)²⟩_{i≠j} and ψ(τ,0) = N⟨C_ij(τ)C_ij(0)⟩_{i≠j}, estimated on
 * the pairs (i, π(i)) of a seeded random derangement π (O(N) per lag and time step), from
 * products of estimates in different time blocks (theory note §3.1, §3.7).
 *
 * @example
 * ```ts
 * const J = iidGaussian({ n: 60, g: 2, seed: 1 });
 * using sim = new Simulation({ J, method: 'rk4', dt: 0.1, seed: 2 });
 * sim.run({ steps: 1000, record: 'none' });
 * const { x } = sim.run({ steps: 8000, stride: 5 });
 * const p = psi(x!, { maxLag: 20, seed: 3, sampleInterval: 0.5 });
 * p.tauTau[0]; // ψ(0,0)
 * ```
 */
export function psi(trajectory: Matrix, opts: PsiOptions): PsiEstimate {
  const o = options('options', opts, ['maxLag', 'blocks', 'seed', 'networkSize', 'sampleInterval']);
  const m = checkMatrix('trajectory', trajectory);
  const { rows: t, cols: n } = m;
  if (n < 2) throw new ArgumentError('trajectory', 'needs at least two units (columns)');
  const blocks = integer('blocks', o.blocks ?? 8, { min: 2, max: t });
  const maxLag = integer('maxLag', o.maxLag, { min: 0, max: Math.floor(t / blocks) - 1 });
  const seed = checkSeed('seed', o.seed);
  const scale = finite('networkSize', o.networkSize ?? n, { min: 0, exclusiveMin: true });
  const dtSample = finite('sampleInterval', o.sampleInterval ?? 1, { min: 0, exclusiveMin: true });
  const k = maxLag + 1;
  checkBudget('trajectory', 8 * (2 * t * n + blocks * k * n + 4 * k));
  return call((b) => {
    const outs = [b.output(k), b.output(k), b.output(k), b.output(k)] as const;
    b.check(b.exports.rnl_psi(t, n, b.input(m.data), seed, blocks, maxLag, scale, ...outs));
    const [tt, t0, ntt, nt0] = outs.map((p) => b.read(p, k));
    return {
      lags: Float64Array.from({ length: k }, (_, i) => i * dtSample),
      tauTau: tt!,
      tau0: t0!,
      naiveTauTau: ntt!,
      naiveTau0: nt0!,
    };
  });
}

/**
 * Decay rate r of values ∝ e^{−r·lag}: least-squares slope of ln(value) over the lags in
 * [from, to] whose values are positive (ArgumentError naming `range` with fewer than two such
 * points).
 *
 * @example
 * ```ts
 * const lags = Float64Array.from({ length: 40 }, (_, k) => k);
 * decayRate(lags, lags.map((l) => Math.exp(-0.05 * l)), { from: 10, to: 30 }); // 0.05
 * ```
 */
export function decayRate(lags: Float64Array, values: Float64Array, range: { from: number; to: number }): number {
  vector('lags', lags);
  if (!(values instanceof Float64Array) || values.length !== lags.length) {
    throw new ArgumentError('values', `must be a Float64Array of length ${lags.length}`);
  }
  vector('values', values);
  const r = options('range', range, ['from', 'to']);
  const from = finite('range.from', r.from);
  const to = finite('range.to', r.to, { min: from });
  const rate = call((b) => b.exports.rnl_decay_rate(lags.length, b.input(lags), b.input(values), from, to));
  if (!Number.isFinite(rate)) throw new ArgumentError('range', `holds fewer than two lags in [${from}, ${to}] with positive values`);
  return rate;
}
