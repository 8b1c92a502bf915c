/**
 * Calls into the module with call-scoped buffers.
 *
 * Ownership: inputs are copied into buffers allocated for the call and outputs are copied out
 * into fresh `Float64Array`s the caller owns; every buffer is freed when the call returns or
 * throws. Views of `memory.buffer` are re-created after each call because memory growth
 * detaches the old `ArrayBuffer`.
 */

import { ArgumentError, DivergenceError, InternalError, MemoryBudgetError, NoSolutionError, RnnlabError } from '../errors.js';
import type { WasmExports } from './exports.js';
import { guarded, lastError } from './module.js';

/** Bytes that one request may ask of the wasm32 address space (4 GiB minus headroom). */
export const MEMORY_LIMIT_BYTES = 3.5 * 2 ** 30;

/** Throws {@link MemoryBudgetError} if `bytes` would not fit. */
export function checkBudget(parameter: string, bytes: number): void {
  if (bytes > MEMORY_LIMIT_BYTES) throw new MemoryBudgetError(parameter, bytes, MEMORY_LIMIT_BYTES);
}

/** Allocation helpers valid for the duration of one {@link call}. */
export interface Buffers {
  readonly exports: WasmExports;
  /** Copies `data` into a new buffer and returns its address. */
  input(data: Float64Array): number;
  /** Copies `data` in if given, else returns the null pointer. */
  optional(data: Float64Array | undefined): number;
  /** A new zeroed buffer for `length` f64. */
  output(length: number): number;
  /** Copies `length` f64 at `ptr` out of WASM memory. */
  read(ptr: number, length: number): Float64Array;
  /** Throws the error matching a non-zero status. */
  check(status: number): void;
}

/** Runs `body` with call-scoped buffers (see the module doc for ownership). */
export function call<T>(body: (b: Buffers) => T): T {
  return guarded((exports) => {
    const owned: [number, number][] = [];
    const alloc = (length: number): number => {
      const bytes = Math.max(length, 1) * 8;
      // Addresses are unsigned: above 2 GiB the i32 result reads as negative.
      const ptr = exports.rnl_alloc(bytes) >>> 0;
      if (ptr === 0) throw new MemoryBudgetError('memory', bytes, exports.memory.buffer.byteLength);
      owned.push([ptr, bytes]);
      return ptr;
    };
    const buffers: Buffers = {
      exports,
      input(data) {
        const ptr = alloc(data.length);
        new Float64Array(exports.memory.buffer, ptr, data.length).set(data);
        return ptr;
      },
      optional(data) {
        return data === undefined ? 0 : buffers.input(data);
      },
      output(length) {
        const ptr = alloc(length);
        new Float64Array(exports.memory.buffer, ptr, length).fill(0);
        return ptr;
      },
      read(ptr, length) {
        return new Float64Array(exports.memory.buffer, ptr, length).slice();
      },
      check(status) {
        if (status !== 0) throw statusError(status, lastError(exports));
      },
    };
    try {
      return body(buffers);
    } finally {
      for (const [ptr, bytes] of owned) exports.rnl_free(ptr, bytes);
    }
  });
}

/** Status codes of `crate/src/ffi/error.rs`. */
const INVALID_ARGUMENT = 1;
const NO_SOLUTION = 4;
const DIVERGED = 5;

/** A parameter path as the crate names them: `g`, `phi.gain`, `psiFit[0]`. */
const PARAMETER = /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*|\[\d+\])*$/;

function statusError(status: number, message: string): RnnlabError {
  if (status === INVALID_ARGUMENT) {
    const colon = message.indexOf(':');
    const parameter = colon > 0 ? message.slice(0, colon) : '';
    // A message that does not start with a parameter name is not about one argument.
    return PARAMETER.test(parameter)
      ? new ArgumentError(parameter, message.slice(colon + 1).trim())
      : new RnnlabError(message);
  }
  if (status === NO_SOLUTION) return new NoSolutionError(message);
  if (status === DIVERGED) return new DivergenceError(message);
  return new InternalError(`status ${status}: ${message}`);
}
