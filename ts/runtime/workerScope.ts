/**
 * The inside of an rnnlab worker (a Node worker thread or a browser module worker): it
 * instantiates the module its parent sends first ({@link WasmMessage}) and hands every later
 * message to the entry's handler once the module is ready. No top-level await, so bundlers can
 * emit the worker as a classic or module chunk.
 */

import { init } from './module.js';
import { isNode, type WasmMessage } from './workerHost.js';

/** Where a worker posts its replies; a module that fails to load is reported as `{ type: 'init-error', message }`. */
export interface Port {
  postMessage(message: unknown): void;
}

/** Serves the parent's messages with `handle`, after the module it sends is instantiated. */
export function serveParent(handle: (port: Port, data: unknown) => void | Promise<void>): void {
  let ready: Promise<void> | undefined;
  const receive = (port: Port, data: unknown) => {
    const m = data as Partial<WasmMessage>;
    if (m?.type === 'wasm' && m.module instanceof WebAssembly.Module) {
      ready = init(m.module, { threads: 1 });
      ready.catch(() => {}); // reported to each message below
      return;
    }
    const loaded = ready ?? init();
    void loaded.then(
      () => handle(port, data),
      (e: Error) => port.postMessage({ type: 'init-error', message: e.message }),
    );
  };
  if (isNode) {
    const { parentPort } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
    if (parentPort) parentPort.on('message', (data: unknown) => receive(parentPort, data));
  } else {
    // The listener is attached at once: a browser drops messages that arrive before it.
    const scope = globalThis as unknown as Port & { onmessage: ((e: { data: unknown }) => void) | null };
    scope.onmessage = (e) => receive(scope, e.data);
  }
}
