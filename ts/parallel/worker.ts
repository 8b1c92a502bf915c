/**
 * Entry point of a sweep worker (a Node worker thread or a browser module worker), with its own
 * WebAssembly instance: it runs each job it is sent and posts back the result or the error.
 */

import { settleJob, type Job } from './jobs.js';
import { serveParent } from '../runtime/workerScope.js';

serveParent(async (port, data) => {
  const { id, job } = data as { id: number; job: Job };
  port.postMessage({ id, outcome: await settleJob(job) });
});
