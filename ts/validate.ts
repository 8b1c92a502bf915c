/** Argument checks run before any call into WebAssembly. Each throws an {@link ArgumentError}. */

import { ArgumentError, MemoryBudgetError } from './errors.js';

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

/**
 * A plain options object. With `known`, a key outside it is rejected (naming the closest known
 * key), and a `null` value is rejected: an option is given a value or left out for its default.
 */
export function options(name: string, value: unknown, known?: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArgumentError(name, `must be an options object, got ${describe(value)}`);
  }
  const o = value as Record<string, unknown>;
  if (known) {
    for (const key of Object.keys(o)) {
      const path = name === 'options' ? key : `${name}.${key}`;
      if (!known.includes(key)) {
        const near = closest(key, known);
        throw new ArgumentError(path, `is not an option here${near ? ` (did you mean '${near}'?)` : ''}; known: ${known.join(', ')}`);
      }
      if (o[key] === null) throw new ArgumentError(path, 'is null; leave the option out for its default');
    }
  }
  return o;
}

/** A boolean (not a truthy string or number). */
export function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(name, `must be true or false, got ${describe(value)}`);
  return value;
}

/** A function (a callback). */
export function callback<F extends (...args: never[]) => unknown>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw new ArgumentError(name, `must be a function, got ${describe(value)}`);
  return value as F;
}

/** The known key nearest to `key` by edit distance, if it is close enough to be a misspelling. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let row = Float64Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = new Float64Array(b.length + 1);
    next[0] = i;
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** An AbortSignal. */
export function abortSignal(name: string, value: unknown): AbortSignal {
  if (typeof AbortSignal === 'function' && value instanceof AbortSignal) return value;
  throw new ArgumentError(name, `must be an AbortSignal, got ${describe(value)}`);
}

/** A location: a URL or a string. */
export function location(name: string, value: unknown): URL | string {
  if (typeof value === 'string' || value instanceof URL) return value;
  throw new ArgumentError(name, `must be a URL or a string, got ${describe(value)}`);
}

/** Runs `check` of the option at `path` (e.g. `connectivity.spectrum`), naming its argument errors by their full path. */
export function nested<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof ArgumentError && !(e instanceof MemoryBudgetError)) {
      const own = path.slice(path.lastIndexOf('.') + 1);
      const name = e.parameter === own || e.parameter.startsWith(`${own}.`) ? `${path.slice(0, -own.length)}${e.parameter}` : `${path}.${e.parameter}`;
      throw new ArgumentError(name, e.message.slice(e.parameter.length + 2));
    }
    throw e;
  }
}
