/**
 * The online learning algorithms by name, with their options (Marschall, Cho & Savin 2020).
 * Each is documented in `crate/src/learning/<name>.rs` with its equations, its place on the
 * four axes (past/future facing, tensor structure, stochastic/deterministic, closed-form/
 * numerical) and its cost per step.
 */

import { ArgumentError } from '../errors.js';
import { oneOf, options } from '../validate.js';

/** Every algorithm, by name. */
export const ALGORITHMS = ['rtrl', 'uoro', 'kf-rtrl', 'rflo'] as const;
/** An algorithm's name. */
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Options of RFLO. */
export interface RfloOptions {
  name: 'rflo';
  /** Credit from a fixed random feedback matrix N(0, 1/n) instead of W_out (default false). */
  randomFeedback?: boolean;
}

/** An algorithm: its name (default options) or its name with options. */
export type AlgorithmSpec = AlgorithmName | { name: Exclude<AlgorithmName, 'rflo'> } | RfloOptions;

function flag(name: string, value: unknown, fallback: boolean): number {
  if (value === undefined) return fallback ? 1 : 0;
  if (typeof value !== 'boolean') throw new ArgumentError(name, `must be a boolean, got ${typeof value}`);
  return value ? 1 : 0;
}

/** The C-ABI code and option values of an algorithm spec (validated). */
export function encodeAlgorithm(parameter: string, spec: unknown): { name: AlgorithmName; code: number; options: number[] } {
  const o = typeof spec === 'string' ? { name: spec } : options(parameter, spec);
  const name = oneOf(`${parameter}.name`, o.name, ALGORITHMS);
  const code = ALGORITHMS.indexOf(name);
  switch (name) {
    case 'rflo':
      return { name, code, options: [flag(`${parameter}.randomFeedback`, o.randomFeedback, false)] };
    default:
      return { name, code, options: [] };
  }
}
