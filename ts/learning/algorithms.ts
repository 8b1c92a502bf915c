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
 * | `tbptt` | past | each L(t) back through its last k steps | deterministic | n²k |
 * | `e-bptt` | future | exact within windows of T steps | deterministic | n² amortised |
 * | `f-bptt` | future | c̄ truncated T steps ahead, gradient delayed T − 1 | deterministic | n²T |
 * | `dni` | future | c̄ ≈ A[a; y*; 1], A learned by bootstrapping | numerical | n² |
 * | `dni-b` | future | as DNI with a learned Jacobian, tanh target, random feedback | numerical | n² |
 * | `compartmental` | future | DNI(b) as local rules on dendritic compartments and phases | numerical | n² |
 */

import { finite, flag, integer, oneOf, options } from '../validate.js';

/** Every algorithm, by name (the order is the C ABI's). */
export const ALGORITHMS = [
  'output-only', 'rtrl', 'uoro', 'kf-rtrl', 'r-kf-rtrl', 'rflo', 'kernl', 'e-prop', 'e-bptt', 'f-bptt', 'tbptt', 'dni', 'dni-b',
  'compartmental',
] as const;
/** Largest truncation horizon (see {@link TruncationOptions.horizon}). */
export const MAX_HORIZON = 10000;

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
  /** Perturbation size σ (default 1e−7, at least 1e−300). */
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

/** Options of the truncated BPTT family. */
export interface TruncationOptions {
  name: 'e-bptt' | 'f-bptt' | 'tbptt';
  /**
   * Truncation horizon T (E-BPTT window, F-BPTT future) or k (rolling), default 10, at most
   * 10⁴: F-BPTT and TBPTT cost n²T per step.
   */
  horizon?: number;
}

/** Options of DNI, DNI(b) and the compartmental local rules (DNI(b) on compartments). */
export interface DniOptions {
  name: 'dni' | 'dni-b' | 'compartmental';
  /** SGD rate η_SG of the synthetic-gradient model A (default 1e−3; the paper's α = 1 Add runs used 0.05). */
  sgRate?: number;
  /** DNI(b), compartmental: rate η_J of the learned Jacobian (prediction synapses; default 1e−3; 0.01 in the α = 1 Add runs). */
  jacobianRate?: number;
}

/** An algorithm: its name (default options) or its name with options. */
export type AlgorithmSpec =
  | AlgorithmName
  | { name: 'output-only' | 'rtrl' | 'uoro' | 'kf-rtrl' | 'r-kf-rtrl' }
  | FeedbackOptions
  | KernlOptions
  | TruncationOptions
  | DniOptions;

/** An optional boolean option as 0 or 1. */
function bit(name: string, value: unknown): number {
  return value !== undefined && flag(name, value) ? 1 : 0;
}

/** The option keys of each algorithm besides `name`. */
function optionKeys(name: AlgorithmName): readonly string[] {
  switch (name) {
    case 'rflo':
    case 'e-prop':
      return ['randomFeedback'];
    case 'kernl':
      return ['sigma', 'eta', 'gamma0', 'resetEvery', 'aligned'];
    case 'e-bptt':
    case 'f-bptt':
    case 'tbptt':
      return ['horizon'];
    case 'dni':
      return ['sgRate'];
    case 'dni-b':
    case 'compartmental':
      return ['sgRate', 'jacobianRate'];
    default:
      return [];
  }
}

/** The C-ABI code and option values of an algorithm spec (validated). */
export function encodeAlgorithm(parameter: string, spec: unknown): { name: AlgorithmName; code: number; options: number[] } {
  const o = typeof spec === 'string' ? { name: spec } : options(parameter, spec);
  const name = oneOf(`${parameter}.name`, o.name, ALGORITHMS);
  options(parameter, o, ['name', ...optionKeys(name)]);
  const code = ALGORITHMS.indexOf(name);
  const p = (key: string) => `${parameter}.${key}`;
  switch (name) {
    case 'rflo':
    case 'e-prop':
      return { name, code, options: [bit(p('randomFeedback'), o.randomFeedback)] };
    case 'kernl': {
      const sigma = finite(p('sigma'), o.sigma ?? 1e-7, { min: 1e-300 });
      return {
        name, code, options: [
          sigma,
          finite(p('eta'), o.eta ?? 0.01 / sigma, { min: 0 }),
          finite(p('gamma0'), o.gamma0 ?? 0.8),
          integer(p('resetEvery'), o.resetEvery ?? 0, { min: 0 }),
          bit(p('aligned'), o.aligned),
        ],
      };
    }
    case 'e-bptt':
    case 'f-bptt':
    case 'tbptt':
      return { name, code, options: [integer(p('horizon'), o.horizon ?? 10, { min: 1, max: MAX_HORIZON })] };
    case 'dni':
      return { name, code, options: [finite(p('sgRate'), o.sgRate ?? 1e-3, { min: 0 })] };
    case 'dni-b':
    case 'compartmental':
      return {
        name, code,
        options: [finite(p('sgRate'), o.sgRate ?? 1e-3, { min: 0 }), finite(p('jacobianRate'), o.jacobianRate ?? 1e-3, { min: 0 })],
      };
    default:
      return { name, code, options: [] };
  }
}

/**
 * An upper estimate of the WebAssembly memory (bytes) of an algorithm's state on a network with
 * n units and m = n + nIn + 1 columns of W: RTRL holds the n × m × n influence tensor, the
 * truncated BPTT family a window of `horizon` steps, the others O(n² + nm).
 */
export function algorithmBytes(alg: { name: AlgorithmName; options: number[] }, n: number, m: number): number {
  switch (alg.name) {
    case 'rtrl':
      return 8 * (2 * n * n * m + n * n);
    case 'e-bptt':
    case 'f-bptt':
    case 'tbptt':
      return 8 * ((alg.options[0]! + 2) * (m + 2 * n) + 2 * n * n);
    default:
      return 8 * (6 * n * n + 4 * n * m);
  }
}
