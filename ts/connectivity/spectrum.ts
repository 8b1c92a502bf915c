import { call } from '../runtime/call.js';
import { ArgumentError } from '../errors.js';
import { finite, integer, oneOf, options, vector } from '../validate.js';

/**
 * Shape of a random-mode spectrum before normalisation (x_a = (a + ½)/P):
 * - `flat`: D̃_a = 1;
 * - `exponential`: D̃_a = exp(−β a/P), continuum PR^D/P = tanh(β)/β;
 * - `powerLaw`: D̃_a² = x_a^β (β > −½), continuum PR^D/P = (1+2β)/(1+β)²;
 * - `lowRankPlusBulk`: `rank` modes of size `ratio`, the others of size 1.
 */
export type SpectrumShape =
  | { kind: 'flat' }
  | { kind: 'exponential'; beta: number }
  | { kind: 'powerLaw'; beta: number }
  | { kind: 'lowRankPlusBulk'; rank: number; ratio: number };

/** Options of {@link spectrum}. */
export interface SpectrumOptions {
  shape: SpectrumShape;
  /** Number of modes P (default N). */
  modes?: number;
  /** Number of units N. */
  n: number;
  /** Gain: the result satisfies (1/N) Σ_a D_a² = g². */
  g: number;
}

const KINDS = { flat: 0, exponential: 1, powerLaw: 2, lowRankPlusBulk: 3 } as const;

const SHAPE_KEYS = { flat: ['kind'], exponential: ['kind', 'beta'], powerLaw: ['kind', 'beta'], lowRankPlusBulk: ['kind', 'rank', 'ratio'] };

function shapeParameters(shape: unknown, modes: number): [number, number, number] {
  const kind = oneOf('shape.kind', options('shape', shape).kind, Object.keys(KINDS) as (keyof typeof KINDS)[]);
  const s = options('shape', shape, SHAPE_KEYS[kind]);
  switch (kind) {
    case 'flat':
      return [KINDS.flat, 0, 0];
    case 'exponential':
      return [KINDS.exponential, finite('shape.beta', s.beta), 0];
    case 'powerLaw':
      return [KINDS.powerLaw, finite('shape.beta', s.beta, { min: -0.5, exclusiveMin: true }), 0];
    case 'lowRankPlusBulk':
      return [
        KINDS.lowRankPlusBulk,
        integer('shape.rank', s.rank, { min: 0, max: modes }),
        finite('shape.ratio', s.ratio, { min: 0 }),
      ];
  }
}

/**
 * The mode strengths D_a (a = 0..P−1) of a random-mode spectrum, normalised so that
 * g² = (1/N) Σ_a D_a² (the variance of the couplings is g²/N).
 *
 * @example
 * ```ts
 * const D = spectrum({ shape: { kind: 'exponential', beta: 3.9 }, n: 500, g: 2 });
 * effectiveRank(D) / 500; // ≈ tanh(3.9)/3.9 ≈ 0.256
 * ```
 */
export function spectrum(opts: SpectrumOptions): Float64Array {
  const o = options('options', opts, ['shape', 'modes', 'n', 'g']);
  const n = integer('n', o.n, { min: 1 });
  const p = integer('modes', o.modes ?? n, { min: 1, max: 2 ** 26 });
  const g = finite('g', o.g, { min: 0 });
  const [kind, a, bb] = shapeParameters(o.shape, p);
  return call((b) => {
    const out = b.output(p);
    b.check(b.exports.rnl_spectrum(kind, p, a, bb, n, g, out));
    return b.read(out, p);
  });
}

/** Effective rank PR^D = (Σ D_a²)² / Σ D_a⁴ of a spectrum (0 if all D_a = 0). */
export function effectiveRank(d: Float64Array): number {
  vector('spectrum', d);
  if (d.length === 0) throw new ArgumentError('spectrum', 'must not be empty');
  return call((b) => b.exports.rnl_effective_rank(b.input(d), d.length));
}
