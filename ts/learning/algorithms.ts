/**
 * The online learning algorithms by name, with their options (Marschall, Cho & Savin 2020).
 * Each is documented in `crate/src/learning/<name>.rs` with its equations, its place on the
 * four axes (past/future facing, tensor structure, stochastic/deterministic, closed-form/
 * numerical) and its memory and compute per step:
 *
 * | name | facing | structure of M (or c̄) | kind | cost per step |
 * |---|---|---|---|---|
 * | `output-only` | — | readout only (control) | — | n_out·n |
 * | `rtrl` | past | exact M_kij | deterministic, closed form | n³m |
 * | `uoro` | past | Ã_k B̃_ij | stochastic | n·m |
 * | `kf-rtrl` | past | Ã_j B̃_ki | stochastic | n³ |
 * | `r-kf-rtrl` | past | Ã_i B̃_kj | stochastic | n²m |
 * | `rflo` | past | δ_ki B_ij, J ≈ (1−α)I | deterministic | n·m |
 * | `kernl` | past | A_ki B_ij, A and timescales learned | numerical | n² + n·m |
 * | `e-prop` | past | δ_ki B_ij with the exact diagonal of J | deterministic | n·m |
 */

import { ArgumentError } from '../errors.js';
import { finite, integer, oneOf, options } from '../validate.js';

/** Every algorithm, by name (the order is the C ABI's). */
export const ALGORITHMS = ['output-only', 'rtrl', 'uoro', 'kf-rtrl', 'r-kf-rtrl', 'rflo', 'kernl', 'e-prop'] as const;
/** An algorithm's name. */
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Options of RFLO and e-prop. */
export interface FeedbackOptions {
  name: 'rflo' | 'e-prop';
  /** Credit from a fixed random feedback matrix N(0, 1/n) instead of W_out (default false). */
  randomFeedback?: boolean;
}

/** Options of KeRNL (defaults: the reference revision's settings). */
export interface KernlOptions {
  name: 'kernl';
  /** Perturbation size σ (default 1e−7). */
  sigma?: number;
  /** SGD rate η_K of the sensitivity A and the timescales (default 0.01/σ). */
  eta?: number;
  /** Initial timescale γ₀ of every unit, kernel max(0, 1 − γ₀) (default 0.8). */
  gamma0?: number;
  /** Restart the perturbed copy and the traces every this many steps (default never). */
  resetEvery?: number;
  /**
   * Compare AΩ with the perturbation as the next step sees it (learns the true response on
   * linear networks; default false, the reference code's timing).
   */
  aligned?: boolean;
}

/** An algorithm: its name (default options) or its name with options. */
export type AlgorithmSpec =
  | AlgorithmName
  | { name: Exclude<AlgorithmName, 'rflo' | 'e-prop' | 'kernl'> }
  | FeedbackOptions
  | KernlOptions;

function flag(name: string, value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value !== 'boolean') throw new ArgumentError(name, `must be a boolean, got ${typeof value}`);
  return value ? 1 : 0;
}

/** The C-ABI code and option values of an algorithm spec (validated). */
export function encodeAlgorithm(parameter: string, spec: unknown): { name: AlgorithmName; code: number; options: number[] } {
  const o = typeof spec === 'string' ? { name: spec } : options(parameter, spec);
  const name = oneOf(`${parameter}.name`, o.name, ALGORITHMS);
  const code = ALGORITHMS.indexOf(name);
  const p = (key: string) => `${parameter}.${key}`;
  switch (name) {
    case 'rflo':
    case 'e-prop':
      return { name, code, options: [flag(p('randomFeedback'), o.randomFeedback)] };
    case 'kernl': {
      const sigma = finite(p('sigma'), o.sigma ?? 1e-7, { min: 0, exclusiveMin: true });
      return {
        name, code, options: [
          sigma,
          finite(p('eta'), o.eta ?? 0.01 / sigma, { min: 0 }),
          finite(p('gamma0'), o.gamma0 ?? 0.8),
          integer(p('resetEvery'), o.resetEvery ?? 0, { min: 0 }),
          flag(p('aligned'), o.aligned),
        ],
      };
    }
    default:
      return { name, code, options: [] };
  }
}
