/**
 * Loading and lifetime of the WebAssembly module.
 *
 * - `init()` loads it: in Node from the file next to this module, in browsers with
 *   `fetch` + `WebAssembly.instantiateStreaming`; a URL, `Response` or bytes may be passed.
 * - In Node the first call into rnnlab loads it synchronously if `init()` was not awaited.
 * - A trap (a Rust panic) is caught by {@link guarded}: the message is read, the module is
 *   re-instantiated from the same compiled module, and an {@link InternalError} is thrown.
 *   Objects from before the trap belong to the old instance; using them throws DisposedError.
 */

import { InitError, InternalError } from '../errors.js';
import { REQUIRED_EXPORTS, type WasmExports } from './exports.js';

/** Where to load the module from. */
export type WasmSource = URL | string | Response | BufferSource | WebAssembly.Module;

interface Loaded {
  module: WebAssembly.Module;
  exports: WasmExports;
  /** Increases each time the module is (re-)instantiated; handles remember theirs. */
  generation: number;
}

let loaded: Loaded | undefined;
let generationCounter = 0;

const WASM_URL = new URL('../wasm/rnnlab.wasm', import.meta.url);

/** A minimal module using a v128 instruction: validates only where SIMD128 is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this runtime supports WebAssembly with SIMD128. */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

function requireSimd(): void {
  if (!simdSupported()) {
    throw new InitError('this JavaScript runtime does not support WebAssembly SIMD128, which rnnlab needs');
  }
}

function instantiate(module: WebAssembly.Module): Loaded {
  const instance = new WebAssembly.Instance(module, {});
  const exports = instance.exports as unknown as WasmExports;
  for (const name of REQUIRED_EXPORTS) {
    if (!(name in exports)) throw new InitError(`the WebAssembly module lacks the export ${name}`);
  }
  exports.rnl_init();
  return { module, exports, generation: ++generationCounter };
}

function isNode(): boolean {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

async function compile(source: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined && isNode()) return new WebAssembly.Module(readNodeFile(WASM_URL));
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  const response = source instanceof Response ? source : await fetch(source ?? WASM_URL);
  if (!response.ok) throw new InitError(`could not fetch the WebAssembly module: HTTP ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  return type.startsWith('application/wasm')
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

function readNodeFile(url: URL): Uint8Array<ArrayBuffer> {
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  try {
    return new Uint8Array(fs.readFileSync(url));
  } catch (e) {
    throw new InitError(`could not read the WebAssembly module at ${url.pathname}: ${(e as Error).message}`);
  }
}

/**
 * Loads the WebAssembly module. Call once before using rnnlab in a browser; in Node it is
 * optional. Calling it again is a no-op unless a different `source` is given.
 *
 * @example
 * ```ts
 * await init(); // browsers may pass a URL: await init(new URL('rnnlab.wasm', location.href))
 * const J = iidGaussian({ n: 100, g: 1.5, seed: 1 });
 * ```
 */
export async function init(source?: WasmSource): Promise<void> {
  if (loaded && source === undefined) return;
  requireSimd();
  try {
    loaded = instantiate(await compile(source));
  } catch (e) {
    if (e instanceof InitError) throw e;
    throw new InitError(`could not load the WebAssembly module: ${(e as Error).message}`);
  }
}

/** The loaded module, loading it synchronously in Node when needed. */
export function current(): Loaded {
  if (loaded) return loaded;
  if (!isNode()) throw new InitError('call `await init()` before using rnnlab in a browser');
  requireSimd();
  loaded = instantiate(new WebAssembly.Module(readNodeFile(WASM_URL)));
  return loaded;
}

/** Reads the module's last error message. */
export function lastError(exports: WasmExports): string {
  const ptr = exports.rnl_error_ptr() >>> 0;
  const len = exports.rnl_error_len();
  return new TextDecoder().decode(new Uint8Array(exports.memory.buffer, ptr, len));
}

/**
 * Runs `body` against the module's exports. If the module traps, re-instantiates it and throws an
 * {@link InternalError} carrying the panic message.
 */
export function guarded<T>(body: (exports: WasmExports) => T): T {
  const state = current();
  try {
    return body(state.exports);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    let message = e.message;
    try {
      message = lastError(state.exports) || message;
    } catch {
      // The failed instance's message is unreadable; keep the trap's own message.
    }
    loaded = instantiate(state.module);
    throw new InternalError(`WebAssembly module failed (${message}); it was re-initialised`);
  }
}

/** Current module generation (see {@link Loaded.generation}). */
export function generation(): number {
  return current().generation;
}
