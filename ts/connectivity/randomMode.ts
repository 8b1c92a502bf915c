import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { checkMatrix, matrix, type Matrix } from '../matrix.js';
import { finite, flag, integer, nested, oneOf, options, seed as checkSeed, vector } from '../validate.js';
import { effectiveRank, spectrum as makeSpectrum, type SpectrumShape } from './spectrum.js';

/** Options of {@link randomMode}. */
export interface RandomModeOptions {
  /** Number of units N. */
  n: number;
  /**
   * The spectrum: explicit mode strengths D_a (length P, used as given), or a shape normalised
   * to gain `g` with P = `modes` (default N).
   */
  spectrum: Float64Array | { shape: SpectrumShape; g: number; modes?: number };
  /** `'gaussian'` (default): ℓ_ia, r_ia ~ N(0, 1/N); `'orthogonal'`: orthonormal modes, so the singular values of J are exactly D (P ≤ N). */
  modes?: 'gaussian' | 'orthogonal';
  /**
   * Overlaps between output and input modes (Gaussian modes only): ρ_a = E[ℓ_a·r_a] ∈ [−1, 1] as
   * one value for all modes or one per mode; or a P×P matrix Q with E[ℓ_a·r_b] = Q_ab (e.g. 2×2
   * rotation blocks that pair modes), whose columns have norm ≤ 1.
   */
  overlaps?: number | Float64Array | Matrix;
  /** Single-neuron heterogeneity, J → diag(h) J: explicit gains h (length N) or lognormal gains exp(σz − σ²) (E h² = 1). */
  gains?: Float64Array | { lognormalSigma: number };
  /**
   * Output gains G (length N), J → J diag(G): unit j sends Φ_j = G_jφ_j, the single-neuron
   * heterogeneity of Clark et al., PRX 15, 041019 (2025), Sec. VI (see `outputGainDimension`;
   * g_eff = g·√⟨G²⟩, e.g. `exponentialGains`, normalised to ⟨G²⟩ = 1). Distinct from the row
   * gains `gains`, which scale the inputs.
   */
  outputGains?: Float64Array;
  /** Seed of the draw. */
  seed: number;
  /** Also return the modes L, R (N×P; column a is ℓ_a, resp. r_a). Default false. */
  returnModes?: boolean;
}

/** A sampled random-mode network. */
export interface RandomModeNetwork {
  /** Couplings J = diag(h) L diag(D) Rᵀ diag(G) (N×N; h, G = 1 unless given). */
  J: Matrix;
  /** Mode strengths D_a. */
  spectrum: Float64Array;
  /** Gain g = sqrt((1/N) Σ D_a²) (before row gains). */
  g: number;
  /** Effective rank PR^D = (Σ D²)²/Σ D⁴. */
  effectiveRank: number;
  /** γ = N / PR^D (0 in the iid limit); PR of JJᵀ's spectrum → N/(2 + γ) for Gaussian modes. */
  gamma: number;
  /** Row gains h, when heterogeneity was requested. */
  gains?: Float64Array;
  /** Output (column) gains G, when requested. */
  outputGains?: Float64Array;
  /** Output modes L (N×P), when `returnModes`. */
  left?: Matrix;
  /** Input modes R (N×P), when `returnModes`. */
  right?: Matrix;
}

/**
 * The random-mode model (Clark, Marschall, van Meegen & Litwin-Kumar, arXiv:2409.01969):
 * J = Σ_a D_a ℓ_a r_aᵀ with random modes, a prescribed spectrum D, optional mode overlaps ρ_a
 * and optional single-neuron gains.
 *
 * @example
 * ```ts
 * const net = randomMode({ n: 300, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: 2 }, seed: 1 });
 * net.g; // 2
 * net.gamma; // ≈ 3.9
 * ```
 */
export function randomMode(opts: RandomModeOptions): RandomModeNetwork {
  const o = options('options', opts, ['n', 'spectrum', 'modes', 'overlaps', 'gains', 'outputGains', 'seed', 'returnModes']);
  const n = integer('n', o.n, { min: 1 });
  const seed = checkSeed('seed', o.seed);
  const d = resolveSpectrum(o.spectrum, n);
  const p = d.length;
  const modes = oneOf('modes', o.modes ?? 'gaussian', ['gaussian', 'orthogonal'] as const);
  if (modes === 'orthogonal' && p > n) throw new ArgumentError('spectrum', `orthogonal modes need P ≤ N, got P = ${p} > N = ${n}`);
  const overlaps = resolveOverlaps(o.overlaps, p);
  const rho = overlaps?.values;
  if (rho && modes === 'orthogonal') throw new ArgumentError('overlaps', 'are only available with Gaussian modes');
  const gains = resolveGains(o.gains, n, seed);
  const outputGains = o.outputGains === undefined ? undefined : vector('outputGains', o.outputGains, n).slice();
  const returnModes = o.returnModes === undefined ? false : flag('returnModes', o.returnModes);
  checkBudget('n', 8 * (3 * n * n + (returnModes ? 6 : 4) * n * p));
  return call((b) => {
    const outJ = b.output(n * n);
    const outL = returnModes ? b.output(n * p) : 0;
    const outR = returnModes ? b.output(n * p) : 0;
    const status = b.exports.rnl_random_mode(
      n, p, b.input(d), modes === 'gaussian' ? 0 : 1, overlaps?.kind ?? 0, b.optional(rho), b.optional(gains), seed,
      outJ, outL, outR,
    );
    b.check(status);
    let s2 = 0;
    for (const v of d) s2 += v * v;
    const rank = effectiveRank(d);
    const j = b.read(outJ, n * n);
    if (outputGains) for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) j[r * n + c] = j[r * n + c]! * outputGains[c]!;
    const net: RandomModeNetwork = {
      J: matrix(n, n, j),
      spectrum: d,
      g: Math.sqrt(s2 / n),
      effectiveRank: rank,
      gamma: n / rank,
    };
    if (gains) net.gains = gains;
    if (outputGains) net.outputGains = outputGains;
    if (returnModes) {
      net.left = matrix(n, p, b.read(outL, n * p));
      net.right = matrix(n, p, b.read(outR, n * p));
    }
    return net;
  });
}

/**
 * The spectrum option of {@link randomMode}, validated: explicit strengths or a normalised shape,
 * with at least one non-zero mode (else γ = N/PR^D is undefined).
 */
export function resolveSpectrum(value: unknown, n: number): Float64Array {
  let d: Float64Array;
  if (value instanceof Float64Array) {
    vector('spectrum', value);
    if (value.length === 0) throw new ArgumentError('spectrum', 'must have at least one mode');
    d = value.slice();
  } else {
    const s = options('spectrum', value, ['shape', 'g', 'modes']);
    d = nested('spectrum', () => makeSpectrum({ shape: s.shape as SpectrumShape, g: s.g as number, n, modes: (s.modes as number | undefined) ?? n }));
  }
  if (d.every((v) => v === 0)) throw new ArgumentError('spectrum', 'must have a non-zero mode strength');
  return d;
}

/** Overlaps at the boundary: kind 1 = per-mode ρ (P values), kind 2 = matrix Q (P×P). */
function resolveOverlaps(value: unknown, p: number): { kind: 1 | 2; values: Float64Array } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null && !(value instanceof Float64Array)) {
    const q = checkMatrix('overlaps', value, { rows: p, cols: p });
    for (let b = 0; b < p; b++) {
      let norm = 0;
      for (let a = 0; a < p; a++) norm += q.data[a * p + b]! ** 2;
      if (norm > 1 + 1e-12) throw new ArgumentError('overlaps', `column ${b} has norm ${Math.sqrt(norm)} > 1`);
    }
    return { kind: 2, values: q.data };
  }
  const rho = typeof value === 'number' ? new Float64Array(p).fill(finite('overlaps', value)) : vector('overlaps', value, p);
  for (const r of rho) if (Math.abs(r) > 1) throw new ArgumentError('overlaps', `must lie in [−1, 1], got ${r}`);
  return { kind: 1, values: rho };
}

/** The gains option of {@link randomMode}, validated (lognormal gains are drawn from the network seed). */
export function resolveGains(value: unknown, n: number, seed: number): Float64Array | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Float64Array) return vector('gains', value, n);
  const sigma = finite('gains.lognormalSigma', options('gains', value, ['lognormalSigma']).lognormalSigma, { min: 0 });
  return call((b) => {
    const out = b.output(n);
    // The gains use their own stream, derived from the network seed.
    b.check(b.exports.rnl_lognormal_gains(n, sigma, (seed + 0x5bd1e995) % Number.MAX_SAFE_INTEGER, out));
    return b.read(out, n);
  });
}
