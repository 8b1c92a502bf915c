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

async function handle(port: Port, data: unknown): Promise<void> {
  const { id, job } = data as { id: number; job: Job };
  try {
    port.postMessage({ id, result: await runJob(job) });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id, error: { name: err.name, message: err.message, parameter: (err as { parameter?: string }).parameter } });
  }
}

if (typeof process === 'object' && typeof process.versions?.node === 'string') {
  const { parentPort } = await import('node:worker_threads');
  if (parentPort) {
    const port = parentPort;
    await init();
    port.on('message', (data: unknown) => void handle(port, data));
  }
} else {
  const scope = globalThis as unknown as { postMessage(m: unknown): void; onmessage: ((e: { data: unknown }) => void) | null };
  await init();
  scope.onmessage = (e) => void handle(scope, e.data);
}
