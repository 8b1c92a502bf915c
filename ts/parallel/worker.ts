/**
 * Entry point of a sweep worker (a Node worker thread or a browser module worker), with its own
 * WebAssembly instance: it runs each job it is sent and posts back the result or the error.
 */

import { runJob, type Job } from './jobs.js';
import { init } from '../runtime/module.js';

interface Port {
  postMessage(message: unknown): void;
  on?(event: 'message', listener: (data: unknown) => void): void;
}

async function handle(port: Port, ready: Promise<void>, data: unknown): Promise<void> {
  const { id, job } = data as { id: number; job: Job };
  try {
    await ready;
    port.postMessage({ id, result: await runJob(job) });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id, error: { name: err.name, message: err.message, parameter: (err as { parameter?: string }).parameter } });
  }
}

// The listener is attached at once (a browser drops messages that arrive before it); jobs wait
// for the module to be loaded.
const ready = init();
ready.catch(() => {}); // reported to each job through `handle`
if (typeof process === 'object' && typeof process.versions?.node === 'string') {
  const { parentPort } = await import('node:worker_threads');
  const port = parentPort;
  if (port) port.on('message', (data: unknown) => void handle(port, ready, data));
} else {
  const scope = globalThis as unknown as { postMessage(m: unknown): void; onmessage: ((e: { data: unknown }) => void) | null };
  scope.onmessage = (e) => void handle(scope, ready, e.data);
}
