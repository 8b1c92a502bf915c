/**
 * Helper threads of the threaded module (`rnnlab-threads.wasm`, built with WebAssembly atomics):
 * the module runs on one shared `WebAssembly.Memory`; each helper is a worker (a Node worker
 * thread, a browser Web Worker) holding another instance of the same module on that memory, with
 * its own stack and thread-local block, parked in `rnl_helper_loop` until the calling thread
 * shares out a parallel loop (`crate::parallel`). Results do not depend on the number of threads.
 *
 * Shared memory needs `SharedArrayBuffer`: always there in Node, in browsers only on
 * cross-origin-isolated pages (COOP/COEP headers). Elsewhere rnnlab loads the one-thread module.
 */

import type { WasmExports } from './exports.js';
import { availableParallelism, isNode } from './platform.js';
import type { CompiledModule } from './platformTypes.js';

/** Initial pages of the shared memory: the size the threaded module declares (build-wasm.sh). */
const INITIAL_PAGES = 32;
/** Pages of the largest shared memory (4 GiB, wasm32). */
const MAXIMUM_PAGES = 65536;
/** Stack of each helper (bytes), like the calling thread's. */
const STACK_BYTES = 1 << 20;
/** Most threads started by default. */
const DEFAULT_CAP = 16;

/** The exports of the threaded module beyond {@link WasmExports}. */
export interface ThreadExports extends WasmExports {
  rnl_helper_loop(): void;
  rnl_helper_failed(): void;
  rnl_selftest_helper_panic(): void;
  rnl_helpers(): number;
  __wasm_init_tls(ptr: number): void;
  readonly __tls_size: { readonly value: number };
  readonly __tls_align: { readonly value: number };
}

/** A shared `WebAssembly.Memory` (typed loosely: declarations must not need the WebAssembly lib). */
export type SharedMemory = object;

/** Whether this runtime can share WebAssembly memory between threads. */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  return isNode || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/** Threads used when `init` is not told: the available parallelism (at most 16), 1 without shared memory. */
export function defaultThreads(): number {
  return threadsSupported() ? Math.min(DEFAULT_CAP, availableParallelism()) : 1;
}

/** Whether `module` is the threaded build (it imports its memory). */
export function isThreaded(module: CompiledModule): boolean {
  return WebAssembly.Module.imports(module as WebAssembly.Module).some((i) => i.module === 'env' && i.name === 'memory' && i.kind === 'memory');
}

/** A fresh shared memory for one instance of the threaded module and its helpers. */
export function sharedMemory(): SharedMemory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
}

/** The running helpers of one instance. */
export interface Helpers {
  /** Helpers started. */
  readonly count: number;
  /** Resolves once every started helper is parked in the module or has failed to start. */
  ready(): Promise<void>;
  terminate(): void;
}

/**
 * Evaluated in each helper: instantiates the module on the shared memory, installs its stack
 * and thread-local block, parks in the helper loop; if that traps, tells the calling thread.
 */
const HELPER_BODY = `const start = ({ module, memory, stack, tls }) => {
  const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
  x.__stack_pointer.value = stack;
  x.__wasm_init_tls(tls);
  try { x.rnl_helper_loop(); } catch (e) { x.rnl_helper_failed(); throw e; }
};`;

/** How long {@link Helpers.ready} waits for helpers to park before giving up on them (ms). */
const START_TIMEOUT = 30_000;

/**
 * Starts `count` helpers for the instance with `exports` on `memory`. Their stacks and
 * thread-local blocks are allocated in the module and live as long as the instance.
 */
export function startHelpers(module: CompiledModule, memory: SharedMemory, exports: ThreadExports, count: number): Helpers {
  const stops: (() => void)[] = [];
  let failed = 0;
  const onError = () => void failed++;
  const tlsSize = exports.__tls_size.value;
  const tlsAlign = exports.__tls_align.value;
  for (let h = 0; h < count; h++) {
    const stackBase = exports.rnl_alloc(STACK_BYTES) >>> 0;
    const tlsBase = exports.rnl_alloc(tlsSize + tlsAlign) >>> 0;
    if (stackBase === 0 || tlsBase === 0) break;
    const data = { module, memory, stack: (stackBase + STACK_BYTES) & ~15, tls: Math.ceil(tlsBase / tlsAlign) * tlsAlign };
    const stop = isNode ? startNodeHelper(data, onError) : startBrowserHelper(data, onError);
    if (!stop) break;
    stops.push(stop);
  }
  const started = stops.length;
  return {
    count: started,
    ready: async () => {
      const until = Date.now() + START_TIMEOUT;
      while (exports.rnl_helpers() + failed < started && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
    },
    terminate: () => stops.forEach((s) => s()),
  };
}

function startNodeHelper(data: object, onError: () => void): (() => void) | undefined {
  const { Worker } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
  const w = new Worker(`${HELPER_BODY}\nstart(require('node:worker_threads').workerData);`, { eval: true, workerData: data });
  w.on('error', onError); // a trap inside a loop also reaches the caller through rnl_helper_failed
  w.unref();
  return () => void w.terminate();
}

function startBrowserHelper(data: object, onError: () => void): (() => void) | undefined {
  try {
    const url = URL.createObjectURL(new Blob([`${HELPER_BODY}\nonmessage = (e) => start(e.data);`], { type: 'text/javascript' }));
    const w = new Worker(url);
    URL.revokeObjectURL(url);
    w.addEventListener('error', (e) => {
      e.preventDefault();
      onError();
    });
    w.postMessage(data);
    return () => w.terminate();
  } catch {
    return undefined; // blob: workers refused: fewer threads
  }
}
