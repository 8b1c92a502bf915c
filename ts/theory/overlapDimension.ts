import { ArgumentError } from '../errors.js';
import { call } from '../runtime/call.js';
import { options, vector } from '../validate.js';
import { correlationTail, overlapModel, solveOverlapDMFT, type OverlapDMFTOptions, type OverlapDMFTSolution } from './overlapDmft.js';

/** The single-site quantities Eq. (51) needs: C^φ(τ) on a uniform lag grid, S^φ(ω) on a uniform frequency grid from 0. */
export type OverlapSingleSite = Pick<OverlapDMFTSolution, 'lags' | 'cphi' | 'frequencies' | 'response'>;

/** Options of {@link overlapDimension}. */
export interface OverlapDimensionOptions {
  /** Mode strengths D_a (length P); with `overlaps`, the joint (D, ρ) distribution. */
  spectrum: Float64Array;
  /** Overlaps ρ_a (one value or one per mode; default 0). */
  overlaps?: number | Float64Array;
  /** α = P/N (default 1). */
  alpha?: number;
  /** A single-site solution to use (e.g. from `solveOverlapDMFT` with the same spectrum and overlaps). */
  solution?: OverlapSingleSite;
  /** Otherwise the options of the `solveOverlapDMFT` run (seed required). */
  dmft?: Omit<OverlapDMFTOptions, 'spectrum' | 'overlaps' | 'alpha'>;
}

/** Result of {@link overlapDimension}. */
export interface OverlapDimension {
  /** PR^φ/N = C^φ(0)²/Ψ^φ(0,0). */
  prPhi: number;
  /** C^φ(0) and Ψ^φ(0,0). */
  cphi0: number;
  psiPhi: number;
  /** U(0,0) = α⟨D²Σ(0)²⟩ (< 1 for stable linearised dynamics). */
  u0: number;
  /** The single-site solution used. */
  solution: OverlapSingleSite;
  /**
   * Half-axis grid nodes and the relative change from the nested coarse grid; `tail` as in
   * {@link OverlapDMFTSolution} (of the C^φ used): above ≈ 0.01 the single-site grid is too short.
   */
  diagnostics: { nodes: number; errorEstimate: number; tail: number };
}

function uniformStep(name: string, v: Float64Array): number {
  if (v.length < 2 || v[0] !== 0) throw new ArgumentError(name, 'must be a uniform grid starting at 0 with at least 2 points');
  const h = v[1]!;
  if (!(h > 0) || Math.abs(v[v.length - 1]! - h * (v.length - 1)) > 1e-9 * h * v.length) throw new ArgumentError(name, 'must be a uniform grid');
  return h;
}

/**
 * Dimension of activity PR^φ/N of random-mode networks with input/output-mode overlaps ρ_a:
 * Clark, Marschall, van Meegen & Litwin-Kumar, PRX 15, 041019 (2025), Eq. (51), with
 * Σ_k = S^φ_k/(1 − DρS^φ_k), U = α⟨D²Σ₁Σ₂⟩, V = α⟨D⁴|Σ₁Σ₂|²⟩, W = α⟨D²ρ²Σ₁*Σ₂⟩,
 * X₁₂ = α⟨D³ρΣ₁|Σ₂|²⟩ and
 * Ψ^φ = [V − 1 + 2Re{(1 + X₁₂)(1 + X₂₁*)/(1 − W*)}]/|1 − U|² C^φ₁₂, on the single-site C^φ and
 * S^φ of Eqs. (47)–(49) from the sampling DMFT (its Monte-Carlo noise carries over). With ρ ≡ 0
 * it is the random-mode dimension (`dimension`). Cost ∝ P: a smooth profile is represented well
 * by ~100 modes (with `alpha` set accordingly).
 *
 * @example
 * ```ts
 * const D = spectrum({ shape: { kind: 'exponential', beta: 2 }, n: 64, g: 2 });
 * const { overlaps } = sigmoidOverlaps({ spectrum: D, gammaRho: 0.5 });
 * const d = overlapDimension({ spectrum: D, overlaps, dmft: { seed: 1, steps: 512, samples: 128, iterations: 12 } });
 * d.prPhi; // ≈ 0.01 (noisy at these small settings)
 * ```
 */
export function overlapDimension(opts: OverlapDimensionOptions): OverlapDimension {
  const o = options('options', opts, ['spectrum', 'overlaps', 'alpha', 'solution', 'dmft']);
  const { d, rho, alpha } = overlapModel(o);
  const p = d.length;
  if ((o.solution === undefined) === (o.dmft === undefined)) throw new ArgumentError('solution', 'give either solution or dmft');
  let solution: OverlapSingleSite;
  if (o.solution !== undefined) {
    const s = options('solution', o.solution);
    solution = {
      lags: vector('solution.lags', s.lags),
      cphi: vector('solution.cphi', s.cphi),
      frequencies: vector('solution.frequencies', s.frequencies),
      response: options('solution.response', s.response, ['re', 'im']) as OverlapSingleSite['response'],
    };
  } else {
    const m = options('dmft', o.dmft);
    if ('spectrum' in m || 'overlaps' in m || 'alpha' in m) throw new ArgumentError('dmft', 'spectrum, overlaps and alpha are set at the top level');
    solution = solveOverlapDMFT({ ...(o.dmft as OverlapDMFTOptions), spectrum: d, overlaps: rho, alpha });
  }
  const dt = uniformStep('solution.lags', solution.lags);
  if (solution.cphi.length !== solution.lags.length) throw new ArgumentError('solution.cphi', 'must have one value per lag');
  const dw = uniformStep('solution.frequencies', solution.frequencies);
  const k = solution.frequencies.length;
  const re = vector('solution.response.re', solution.response.re, k);
  const im = vector('solution.response.im', solution.response.im, k);
  return call((b) => {
    const out = b.output(6);
    b.check(
      b.exports.rnl_overlap_dimension(p, b.input(d), b.input(rho), alpha, dt, solution.cphi.length, b.input(solution.cphi), dw, k, b.input(re), b.input(im), out),
    );
    const v = b.read(out, 6);
    return { prPhi: v[2]!, cphi0: v[0]!, psiPhi: v[1]!, u0: v[3]!, solution, diagnostics: { nodes: v[4]!, errorEstimate: v[5]!, tail: correlationTail(solution.cphi) } };
  });
}
