import { ArgumentError } from '../errors.js';
import { finite, integer, options, seed as checkSeed, vector } from '../validate.js';

/**
 * Exponential single-neuron gains G_i ∝ exp(−β_G (i + ½)/N) (i = 0..N−1), normalised to
 * q₂ = ⟨G²⟩ = 1, the profile of Clark et al., PRX 15, 041019 (2025), Fig. 5. In the continuum
 * PR^G = q₂²/q₄ = tanh(β_G)/β_G (Eq. 45).
 *
 * @example
 * ```ts
 * const G = exponentialGains({ n: 1000, beta: 2.5 });
 * gainParticipation(G); // ≈ tanh(2.5)/2.5 ≈ 0.395
 * ```
 */
export function exponentialGains(opts: { n: number; beta: number }): Float64Array {
  const o = options('options', opts, ['n', 'beta']);
  const n = integer('n', o.n, { min: 1 });
  const beta = finite('beta', o.beta, { min: 0 });
  const g = Float64Array.from({ length: n }, (_, i) => Math.exp((-beta * (i + 0.5)) / n));
  let q2 = 0;
  for (const v of g) q2 += v * v;
  const scale = Math.sqrt(n / q2);
  return g.map((v) => v * scale);
}

/**
 * The gains in a seeded random order (Fisher–Yates, mulberry32 stream of `seed`): independent
 * readout gains with the same distribution, the third case of Clark et al., PRX 15, 041019
 * (2025), Eq. (J18). The same seed gives the same order everywhere.
 *
 * @example
 * ```ts
 * const G = exponentialGains({ n: 1000, beta: 2 });
 * const readout = permutedGains(G, 7); // the same values, another order
 * gainParticipation(readout) === gainParticipation(G); // true up to rounding of the sums
 * ```
 */
export function permutedGains(gains: Float64Array, seed: number): Float64Array {
  vector('gains', gains);
  const s = checkSeed('seed', seed);
  let state = ((s % 2 ** 32) ^ Math.imul(Math.floor(s / 2 ** 32), 0x9e3779b9)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out = gains.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** PR^G = q₂²/q₄ of gains, q_n = ⟨Gⁿ⟩ (PRX 2025, Eqs. 44–45): 1 for equal gains, → 0 for a few dominant ones. */
export function gainParticipation(gains: Float64Array): number {
  vector('gains', gains);
  let q2 = 0;
  let q4 = 0;
  for (const v of gains) {
    q2 += v * v;
    q4 += v ** 4;
  }
  if (!(q4 > 0)) throw new ArgumentError('gains', 'must have a non-zero entry');
  return (q2 * q2) / (gains.length * q4);
}

/** Options of {@link sigmoidOverlaps}. */
export interface SigmoidOverlapOptions {
  /** Mode strengths D_a (length P), strongest first for the paper's profile. */
  spectrum: Float64Array;
  /** Amplitude and sign γ_ρ of the overlaps, |γ_ρ| ≤ 1. */
  gammaRho: number;
  /** Steepness β_ρ (default 16, the paper's value). */
  betaRho?: number;
  /** α = P/N (default 1): mode a sits at a/N = α(a + ½)/P. */
  alpha?: number;
}

/**
 * The sigmoidal overlap profile of PRX 2025, Eq. (K35):
 * ρ_a = γ_ρ[1 − 2/(1 + exp(−β_ρ(a/N − u_flip)))], with u_flip solved (bisection) so that
 * ⟨Dρ⟩ = 0, i.e. no O(1) self-couplings E J_ii = α⟨Dρ⟩. Returns ρ (length P) and u_flip.
 *
 * @example
 * ```ts
 * const D = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 500, g: 3 });
 * const { overlaps } = sigmoidOverlaps({ spectrum: D, gammaRho: 0.5 });
 * overlaps[0]; // ≈ 0.5 (strong modes overlap positively, weak ones negatively)
 * ```
 */
export function sigmoidOverlaps(opts: SigmoidOverlapOptions): { overlaps: Float64Array; uFlip: number } {
  const o = options('options', opts, ['spectrum', 'gammaRho', 'betaRho', 'alpha']);
  const d = vector('spectrum', o.spectrum);
  if (d.length === 0) throw new ArgumentError('spectrum', 'must have at least one mode');
  const gamma = finite('gammaRho', o.gammaRho, { min: -1, max: 1 });
  const beta = finite('betaRho', o.betaRho ?? 16, { min: 0, exclusiveMin: true });
  const alpha = finite('alpha', o.alpha ?? 1, { min: 0, exclusiveMin: true });
  const p = d.length;
  const shape = (uFlip: number) => Float64Array.from({ length: p }, (_, a) => 1 - 2 / (1 + Math.exp(-beta * ((alpha * (a + 0.5)) / p - uFlip))));
  // Σ D_a s_a(u_flip), s = ρ/γ, increases with u_flip for D ≥ 0: bisection on [−1, α + 1].
  const moment = (uFlip: number) => shape(uFlip).reduce((s, v, a) => s + d[a]! * v, 0);
  let lo = -1;
  let hi = alpha + 1;
  if (!(moment(lo) < 0 && moment(hi) > 0)) throw new ArgumentError('spectrum', 'no u_flip gives ⟨Dρ⟩ = 0 (needs D ≥ 0, not all zero)');
  for (let k = 0; k < 100; k++) {
    const mid = 0.5 * (lo + hi);
    if (moment(mid) < 0) lo = mid;
    else hi = mid;
  }
  const uFlip = 0.5 * (lo + hi);
  return { overlaps: shape(uFlip).map((v) => gamma * v), uFlip };
}
