/**
 * Loading and lifetime of the WebAssembly module.
 *
 * - `init()` loads it: in Node from the file next to this module, in browsers with
 *   `fetch` + `WebAssembly.compileStreaming`; a URL, `Response`, bytes or compiled module may be passed.
 * - In Node the first call into rnnlab loads it synchronously if `init()` was not awaited.
 * - A trap (a Rust panic) is caught by {@link guarded}: the message is read, the module is
 *   re-instantiated from the same compiled module, and an {@link InternalError} is thrown.
 *   Objects from before the trap belong to the old instance; using them throws DisposedError.
 */

import { ArgumentError, InitError, InternalError } from '../errors.js';
import { REQUIRED_EXPORTS, type WasmExports } from './exports.js';
import { setWorkerLocations, type WorkerLocations } from './locations.js';
import type { CompiledModule, FetchResponse } from './platformTypes.js';

/** Where to load the module from: a URL, a `Response`, the bytes, or a compiled module. */
export type WasmSource = URL | string | FetchResponse | ArrayBuffer | ArrayBufferView<ArrayBuffer> | CompiledModule;

interface Loaded {
  module: CompiledModule;
  exports: WasmExports;
  /** Increases each time the module is (re-)instantiated; handles remember theirs. */
  generation: number;
}

let loaded: Loaded | undefined;
let generationCounter = 0;

const WASM_URL = new URL('../wasm/rnnlab.wasm', import.meta.url);
/**
 * Where a bundle that did not copy the module (esbuild) finds it once copied beside itself. Kept
 * out of the `new URL('…', import.meta.url)` form, so that bundlers do not look for that file.
 */
const SCRIPT_URL = import.meta.url;
const WASM_FILE = 'rnnlab.wasm';

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
  if (isResponse(source)) return compileResponse(source, source.url || 'the given Response');
  if (source !== undefined) return compileResponse(await fetchModule(source), String(source));
  // The default location, then beside the running script (a bundle that did not copy the module).
  const tried: string[] = [];
  for (const url of [WASM_URL, new URL(WASM_FILE, SCRIPT_URL)]) {
    if (tried.includes(url.href)) continue;
    tried.push(url.href);
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return compileResponse(response, url.href);
  }
  throw new InitError(
    `could not fetch the WebAssembly module from ${tried.join(' or ')}; copy node_modules/rnnlab/dist/wasm/rnnlab.wasm ` +
      'beside your bundle, or pass its location: await init(new URL(\'rnnlab.wasm\', import.meta.url))',
  );
}

async function fetchModule(source: URL | string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(source);
  } catch (e) {
    throw new InitError(`could not fetch the WebAssembly module from ${String(source)}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new InitError(`could not fetch the WebAssembly module from ${String(source)}: HTTP ${response.status}`);
  return response;
}

async function compileResponse(response: Response, url: string): Promise<WebAssembly.Module> {
  const type = response.headers.get('content-type') ?? '';
  try {
    return await (type.startsWith('application/wasm')
      ? WebAssembly.compileStreaming(response)
      : WebAssembly.compile(await response.arrayBuffer()));
  } catch (e) {
    throw new InitError(`the file at ${url} is not rnnlab's WebAssembly module (${(e as Error).message})`);
  }
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
 * `workers` gives the locations of the worker scripts when a bundler did not emit them (esbuild):
 * bundle `rnnlab/sweep-worker` and `rnnlab/large-worker` as entries and pass their URLs. Workers
 * receive the module this thread loaded and never fetch it themselves.
 *
 * @example
 * ```ts
 * await init(); // browsers may pass a URL: await init(new URL('rnnlab.wasm', location.href))
 * const J = iidGaussian({ n: 100, g: 1.5, seed: 1 });
 * ```
 */
export async function init(source?: WasmSource, workers?: WorkerLocations): Promise<void> {
  if (workers !== undefined) setWorkerLocations(checkLocations(workers));
  if (source === null || (source !== undefined && !isSource(source))) {
    throw new ArgumentError('source', 'must be a URL, a string, a Response, the bytes (ArrayBuffer or typed array) or a WebAssembly.Module');
  }
  if (loaded && source === undefined) return;
  requireSimd();
  try {
    loaded = instantiate(await compile(source));
  } catch (e) {
    if (e instanceof InitError) throw e;
    throw new InitError(`could not load the WebAssembly module: ${(e as Error).message}`);
  }
}

function isResponse(s: unknown): s is Response {
  return typeof Response === 'function' && s instanceof Response;
}

function isSource(s: unknown): boolean {
  return typeof s === 'string' || s instanceof URL || s instanceof ArrayBuffer || ArrayBuffer.isView(s) ||
    s instanceof WebAssembly.Module || isResponse(s);
}

function checkLocations(w: unknown): WorkerLocations {
  if (typeof w !== 'object' || w === null || Array.isArray(w)) throw new ArgumentError('workers', 'must be an object { sweepWorker?, largeWorker? }');
  for (const [k, v] of Object.entries(w)) {
    if (k !== 'sweepWorker' && k !== 'largeWorker') throw new ArgumentError(`workers.${k}`, 'is not an option here; known: sweepWorker, largeWorker');
    if (!(typeof v === 'string' || v instanceof URL)) throw new ArgumentError(`workers.${k}`, 'must be a URL or a string');
  }
  return w as WorkerLocations;
}

/** Whether the module is loaded in this thread. */
export function isLoaded(): boolean {
  return loaded !== undefined;
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
