/**
 * Starting rnnlab's workers (Node worker threads, browser module Web Workers) and talking to them.
 *
 * Each worker entry (`parallel/worker`, `large/worker`) is started by its own module with the
 * literal `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`, which Vite and
 * webpack recognise and bundle; a `workerUrl` given by the user (e.g. an esbuild bundle of the
 * entry) overrides it. Node's modules are reached through `process.getBuiltinModule`, behind a
 * runtime check, so browser bundles never see them. Every worker is first sent the compiled
 * WebAssembly module of this thread, so it never fetches the `.wasm` itself.
 */

import { InitError, RnnlabError } from '../errors.js';
import type { WorkerUrl } from './locations.js';
import type { CompiledModule } from './platformTypes.js';
import { current } from './module.js';
import { isNode } from './platform.js';

/** A worker of either runtime, reduced to what rnnlab uses. */
export interface WorkerLike {
  post(message: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  /** Called once with an error that names the worker's URL and says what went wrong. */
  onError(listener: (error: RnnlabError) => void): void;
  terminate(): Promise<unknown> | void;
}

export { availableParallelism as defaultWorkers, isNode } from './platform.js';

/** Message sent first to every worker: the compiled module to instantiate. */
export interface WasmMessage {
  type: 'wasm';
  module: CompiledModule;
}

/**
 * Starts the Node worker `file` (without extension), relative to `base` (the caller's
 * `import.meta.url`); from the TypeScript sources (through tsx) the worker registers tsx first.
 */
export function startNodeWorker(file: string, base: string): WorkerLike {
  const fromSources = base.endsWith('.ts');
  return startNode(new URL(`${file}.${fromSources ? 'ts' : 'js'}`, base), fromSources);
}

/** Starts the worker script at `url` (given by the user) in this runtime. */
export function startWorkerAt(url: WorkerUrl): WorkerLike {
  if (isNode) return startNode(url instanceof URL ? url : nodeUrl(url), false);
  const resolved = new URL(url, globalThis.location?.href);
  return wrapBrowser(new Worker(resolved, { type: 'module' }), resolved.href);
}

/** Wraps a browser `Worker` started by its entry's own module. */
export function wrapBrowser(w: Worker, url: string): WorkerLike {
  sendModule((m) => w.postMessage(m));
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.addEventListener('message', (e) => f(e.data)),
    onError: (f) => {
      w.addEventListener('error', (e) => {
        e.preventDefault();
        f(workerError(url, e instanceof ErrorEvent && e.message ? e.message : undefined));
      });
      w.addEventListener('messageerror', () => f(workerError(url, 'a message could not be deserialised')));
    },
    terminate: () => w.terminate(),
  };
}

function startNode(url: URL, fromSources: boolean): WorkerLike {
  const { Worker } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
  const w = fromSources
    ? new Worker(fromSourcesLoader(url.href), { eval: true })
    : new Worker(url);
  sendModule((m) => w.postMessage(m));
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.on('message', f),
    onError: (f) => w.on('error', (e: Error) => f(workerError(url.href, e.message))),
    terminate: () => w.terminate(),
  };
}

/**
 * A worker (CommonJS, evaluated) that registers tsx, found from the worker's own file rather than
 * the working folder, then imports the TypeScript entry at `href`. Only text here, so that
 * bundlers leave it alone.
 */
function fromSourcesLoader(href: string): string {
  const at = JSON.stringify(href);
  return `const pkg = require('node:module').createRequire(${at}).resolve('tsx/package.json');
const e = require(pkg).exports['./esm/api'];
const api = require('node:path').join(require('node:path').dirname(pkg), typeof e === 'string' ? e : e.import.default ?? e.import);
import(require('node:url').pathToFileURL(api).href).then((m) => { m.register(); return import(${at}); });`;
}

function nodeUrl(path: string): URL {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return new URL(path);
  const { pathToFileURL } = process.getBuiltinModule('node:url') as typeof import('node:url');
  return pathToFileURL(path);
}

function sendModule(post: (m: WasmMessage) => void): void {
  post({ type: 'wasm', module: current().module });
}

function workerError(url: string, reason: string | undefined): RnnlabError {
  return new InitError(
    `the worker ${url} failed${reason ? `: ${reason}` : ' to load: check that the script is served (with a JavaScript MIME type) or pass its location as `workerUrl`'}`,
  );
}
