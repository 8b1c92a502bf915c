/**
 * Entry point of a large-N worker (a Node worker thread or a browser module worker): it runs the
 * share of a plan it is sent ({@link runBlock}) in its own WebAssembly instance and posts back
 * progress, the block's sums, or the error.
 */

import { serveParent } from '../runtime/workerScope.js';
import { runBlock, type StartMessage } from './run.js';

serveParent((port, data) => {
  try {
    const msg = data as StartMessage;
    const report = msg.index === 0 ? (phase: string, step: number) => port.postMessage({ type: 'progress', phase, step }) : () => {};
    port.postMessage({ type: 'done', ...runBlock(msg, report) });
  } catch (e) {
    const err = e as Error;
    port.postMessage({ type: 'error', name: err.name, message: err.message, parameter: (err as { parameter?: string }).parameter });
  }
});
