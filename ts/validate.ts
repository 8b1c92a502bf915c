/** Argument checks run before any call into WebAssembly. Each throws an {@link ArgumentError}. */

import { ArgumentError } from './errors.js';

/** Largest seed: seeds are integers in [0, 2^53). */
const MAX_SEED = Number.MAX_SAFE_INTEGER;

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value as object).constructor?.name ?? 'an object' : typeof value;
}

/** A finite number in [min, max] (or (min, max] with `exclusiveMin`). */
export function finite(
  name: string,
  value: unknown,
  range: { min?: number; max?: number; exclusiveMin?: boolean } = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(name, `must be a finite number, got ${describe(value)}`);
  }
  const { min, max, exclusiveMin } = range;
  if (min !== undefined && (exclusiveMin ? value <= min : value < min)) {
    throw new ArgumentError(name, `must be ${exclusiveMin ? '>' : '≥'} ${min}, got ${value}`);
  }
  if (max !== undefined && value > max) throw new ArgumentError(name, `must be ≤ ${max}, got ${value}`);
  return value;
}

/** An integer in [min, max]. */
export function integer(name: string, value: unknown, range: { min?: number; max?: number } = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ArgumentError(name, `must be an integer, got ${describe(value)}`);
  }
  const { min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (value < min || value > max) throw new ArgumentError(name, `must be in [${min}, ${max}], got ${value}`);
  return value;
}

/** A seed: an integer in [0, 2^53). */
export function seed(name: string, value: unknown): number {
  return integer(name, value, { min: 0, max: MAX_SEED });
}

/** A Float64Array of the given length whose entries are all finite. */
export function vector(name: string, value: unknown, length?: number): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new ArgumentError(name, `must be a Float64Array, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new ArgumentError(name, `must have length ${length}, got ${value.length}`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) throw new ArgumentError(name, `entry ${i} is ${value[i]}, not finite`);
  }
  return value;
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(name: string, value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw new ArgumentError(name, `must be one of ${options.map((o) => `'${o}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** A plain options object. */
export function options(name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArgumentError(name, `must be an options object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}
