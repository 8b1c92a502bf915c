/**
 * Loading and lifetime of the WebAssembly module.
 *
 * - `init()` loads it: in Node from the file next to this module, in browsers with
 *   `fetch` + `WebAssembly.compileStreaming`; a URL, `Response`, bytes or compiled module may be passed.
 * - In Node the first call into rnnlab loads it synchronously if `init()` was not awaited.
 * - Where memory can be shared between threads (Node; cross-origin-isolated pages) the threaded
 *   module is loaded with helper threads ({@link ./threads.ts}), else the one-thread module.
 * - A trap (a Rust panic) is caught by {@link guarded}: the message is read, the module is
 *   re-instantiated from the same compiled module (with new helpers), and an
 *   {@link InternalError} is thrown.
 *   Objects from before the trap belong to the old instance; using them throws DisposedError.
 */

import { ArgumentError, InitError, InternalError } from '../errors.js';
import { REQUIRED_EXPORTS, type WasmExports } from './exports.js';
import { setWorkerLocations, type WorkerLocations } from './locations.js';
import { isNode } from './platform.js';
import type { CompiledModule, FetchResponse } from './platformTypes.js';
import { defaultThreads, isThreaded, sharedMemory, startHelpers, threadsSupported, type Helpers, type ThreadExports } from './threads.js';

/** Where to load the module from: a URL, a `Response`, the bytes, or a compiled module. */
export type WasmSource = URL | string | FetchResponse | ArrayBuffer | ArrayBufferView<ArrayBuffer> | CompiledModule;

interface Loaded {
  module: CompiledModule;
  exports: WasmExports;
  /** Increases each time the module is (re-)instantiated; handles remember theirs. */
  generation: number;
  /** Threads asked for (the threaded module) or 1. */
  threads: number;
  helpers?: Helpers;
}

/** Options of {@link init} besides the module's source. */
export interface InitOptions extends WorkerLocations {
  /**
   * Threads for one call into rnnlab (this thread and `threads − 1` helpers on shared memory).
   * Default: the available parallelism (at most 16) where memory can be shared (Node, and
   * cross-origin-isolated pages), else 1; 1 loads the one-thread module. Results are the same
   * for any number of threads.
   */
  threads?: number;
}

let loaded: Loaded | undefined;
let generationCounter = 0;

const WASM_URL = new URL('../wasm/rnnlab.wasm', import.meta.url);
const THREADS_URL = new URL('../wasm/rnnlab-threads.wasm', import.meta.url);
/**
 * Where a bundle that did not copy the module (esbuild) finds it once copied beside itself. Kept
 * out of the `new URL('…', import.meta.url)` form, so that bundlers do not look for that file.
 */
const SCRIPT_URL = import.meta.url;
const WASM_FILE = 'rnnlab.wasm';
const THREADS_FILE = 'rnnlab-threads.wasm';

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

/** Instantiates `module`; the threaded one on a fresh shared memory with `threads − 1` helpers. */
function instantiate(module: WebAssembly.Module, threads: number): Loaded {
  const memory = isThreaded(module) ? sharedMemory() : undefined;
  const instance = new WebAssembly.Instance(module, memory ? { env: { memory: memory as WebAssembly.Memory } } : {});
  const exports = instance.exports as unknown as WasmExports;
  for (const name of REQUIRED_EXPORTS) {
    if (!(name in exports)) throw new InitError(`the WebAssembly module lacks the export ${name}`);
  }
  exports.rnl_init();
  if (!memory) return { module, exports, generation: ++generationCounter, threads: 1 };
  const helpers = threads > 1 ? startHelpers(module, memory, exports as ThreadExports, threads - 1) : undefined;
  return { module, exports, generation: ++generationCounter, threads, helpers };
}

/** Replaces the loaded instance, stopping the old one's helpers. */
function replace(next: Loaded): Loaded {
  loaded?.helpers?.terminate();
  loaded = next;
  return next;
}

/** The default modules compiled so far, by URL: switching threads back and forth compiles once. */
const compiledDefaults = new Map<string, WebAssembly.Module>();

/** The default module for `threads`, read synchronously (Node). */
function defaultNodeModule(threads: number): WebAssembly.Module {
  const url = threads > 1 ? THREADS_URL : WASM_URL;
  let module = compiledDefaults.get(url.href);
  if (!module) {
    module = new WebAssembly.Module(readNodeFile(url));
    compiledDefaults.set(url.href, module);
  }
  return module;
}

async function compile(source: WasmSource | undefined, threads: number): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source === undefined && isNode) return defaultNodeModule(threads);
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (isResponse(source)) return compileResponse(source, source.url || 'the given Response');
  if (source !== undefined) return compileResponse(await fetchModule(source), String(source));
  // The default location, then beside the running script (a bundle that did not copy the module).
  const tried: string[] = [];
  const [home, file] = threads > 1 ? [THREADS_URL, THREADS_FILE] : [WASM_URL, WASM_FILE];
  for (const url of [home, new URL(file, SCRIPT_URL)]) {
    if (tried.includes(url.href)) continue;
    tried.push(url.href);
    const cached = compiledDefaults.get(url.href);
    if (cached) return cached;
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) {
      const module = await compileResponse(response, url.href);
      compiledDefaults.set(url.href, module);
      return module;
    }
  }
  throw new InitError(
    `could not fetch the WebAssembly module from ${tried.join(' or ')}; copy node_modules/rnnlab/dist/wasm/${file} ` +
      `beside your bundle, or pass its location: await init(new URL('${file}', import.meta.url))`,
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
 * optional. Calling it again is a no-op unless a different `source` or `threads` is given (which
 * re-instantiates the module: objects made before belong to the old instance).
 *
 * `options.threads` sets the threads of one call (see {@link InitOptions}); where memory can be
 * shared the default source is `rnnlab-threads.wasm`, else `rnnlab.wasm`. `options.sweepWorker`
 * and `options.largeWorker` give the locations of the worker scripts when a bundler did not emit
 * them (esbuild): bundle `rnnlab/sweep-worker` and `rnnlab/large-worker` as entries and pass
 * their URLs. Workers receive the module this thread loaded and never fetch it themselves.
 *
 * @example
 * ```ts
 * await init(); // browsers may pass a URL: await init(new URL('rnnlab.wasm', location.href))
 * const J = iidGaussian({ n: 100, g: 1.5, seed: 1 });
 * ```
 */
export async function init(source?: WasmSource, options?: InitOptions): Promise<void> {
  const opts = options === undefined ? {} : checkOptions(options);
  setWorkerLocations(opts);
  if (source === null || (source !== undefined && !isSource(source))) {
    throw new ArgumentError('source', 'must be a URL, a string, a Response, the bytes (ArrayBuffer or typed array) or a WebAssembly.Module');
  }
  if (loaded && source === undefined && (opts.threads === undefined || opts.threads === loaded.threads)) return;
  requireSimd();
  const threads = opts.threads ?? defaultThreads();
  let module: WebAssembly.Module;
  try {
    module = await compile(source, threads);
  } catch (e) {
    if (e instanceof InitError) throw e;
    throw new InitError(`could not load the WebAssembly module: ${(e as Error).message}`);
  }
  if (opts.threads !== undefined && opts.threads > 1 && !isThreaded(module)) {
    throw new ArgumentError('threads', `is ${threads}, but the given module is the one-thread build (pass rnnlab-threads.wasm)`);
  }
  try {
    replace(instantiate(module, threads));
  } catch (e) {
    throw new InitError(`could not load the WebAssembly module: ${(e as Error).message}`);
  }
  await loaded?.helpers?.ready();
}

function isResponse(s: unknown): s is Response {
  return typeof Response === 'function' && s instanceof Response;
}

function isSource(s: unknown): boolean {
  return typeof s === 'string' || s instanceof URL || s instanceof ArrayBuffer || ArrayBuffer.isView(s) ||
    s instanceof WebAssembly.Module || isResponse(s);
}

function checkOptions(w: unknown): InitOptions {
  if (typeof w !== 'object' || w === null || Array.isArray(w)) {
    throw new ArgumentError('options', 'must be an object { threads?, sweepWorker?, largeWorker? }');
  }
  for (const [k, v] of Object.entries(w)) {
    if (k === 'threads') {
      if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 256)) throw new ArgumentError('threads', 'must be an integer from 1 to 256');
      if ((v as number) > 1 && !threadsSupported()) {
        throw new ArgumentError('threads', 'more than 1 needs shared memory (SharedArrayBuffer): serve the page cross-origin isolated (COOP/COEP headers)');
      }
    } else if (k === 'sweepWorker' || k === 'largeWorker') {
      if (!(typeof v === 'string' || v instanceof URL)) throw new ArgumentError(k, 'must be a URL or a string');
    } else {
      throw new ArgumentError(k, 'is not an option of init; known: threads, sweepWorker, largeWorker');
    }
  }
  return w as InitOptions;
}

/** Whether the module is loaded in this thread. */
export function isLoaded(): boolean {
  return loaded !== undefined;
}

/** The loaded module, loading it synchronously in Node when needed. */
export function current(): Loaded {
  if (loaded) return loaded;
  if (!isNode) throw new InitError('call `await init()` before using rnnlab in a browser');
  requireSimd();
  const threads = defaultThreads();
  return replace(instantiate(defaultNodeModule(threads), threads));
}

/** Reads the module's last error message. */
export function lastError(exports: WasmExports): string {
  const ptr = exports.rnl_error_ptr() >>> 0;
  const len = exports.rnl_error_len();
  // A copy: TextDecoder refuses views of shared memory.
  return new TextDecoder().decode(new Uint8Array(exports.memory.buffer, ptr, len).slice());
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
    replace(instantiate(state.module, state.threads));
    throw new InternalError(`WebAssembly module failed (${message}); it was re-initialised`);
  }
}

/** Current module generation (see {@link Loaded.generation}). */
export function generation(): number {
  return current().generation;
}

/**
 * Threads that share the work of one call into rnnlab: this thread and the helpers that are
 * running (after `await init()` all of them; helpers of a module loaded on first use in Node
 * start in the background).
 *
 * @example
 * ```ts
 * await init(undefined, { threads: 2 });
 * threadCount(); // 2
 * ```
 */
export function threadCount(): number {
  const state = current();
  return state.helpers ? 1 + (state.exports as ThreadExports).rnl_helpers() : 1;
}
