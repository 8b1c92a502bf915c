/**
 * Entry point of a sweep worker (a Node worker thread or a browser module worker), with its own
 * WebAssembly instance: it runs each job it is sent and posts back the result or the error.
 */

import { runJob, type Job } from './jobs.js';
import { serveParent } from '../runtime/workerScope.js';

serveParent(async (port, data) => {
  const { id, job } = data as { id: number; job: Job };
  try {
    port.postMessage({ id, result: await runJob(job) });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ id, error: { name: err.name, message: err.message, parameter: (err as { parameter?: string }).parameter } });
  }
});
