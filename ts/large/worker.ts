/**
 * Entry point of a large-N worker (a Node worker thread or a browser module worker): it runs the
 * share of a plan it is sent ({@link runBlock}) in its own WebAssembly instance and posts back
 * progress, the block's sums, or the error.
 */

import { init } from '../runtime/module.js';
import { runBlock, type StartMessage } from './run.js';

interface Port {
  postMessage(message: unknown): void;
}

async function serve(port: Port, ready: Promise<void>, data: unknown): Promise<void> {
  try {
    await ready;
    const msg = data as StartMessage;
    const report = msg.index === 0 ? (phase: string, step: number) => port.postMessage({ type: 'progress', phase, step }) : () => {};
    port.postMessage({ type: 'done', ...runBlock(msg, report) });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ type: 'error', name: err.name, message: err.message, parameter: (err as { parameter?: string }).parameter });
  }
}

// The listener is attached at once (a browser drops messages that arrive before it).
const ready = init();
ready.catch(() => {});
if (typeof process === 'object' && typeof process.versions?.node === 'string') {
  const { parentPort } = await import('node:worker_threads');
  const port = parentPort;
  if (port) port.on('message', (data: unknown) => void serve(port, ready, data));
} else {
  const scope = globalThis as unknown as { postMessage(m: unknown): void; onmessage: ((e: { data: unknown }) => void) | null };
  scope.onmessage = (e) => void serve(scope, ready, e.data);
}
