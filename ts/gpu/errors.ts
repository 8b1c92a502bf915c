/**
 * Errors of the WebGPU backend (kept apart from the modules that use WebGPU's types, so that the
 * package's declarations need no WebGPU typings).
 */

import { RnnlabError } from '../errors.js';

/** No WebGPU adapter here (no `navigator.gpu`, none passed, or the adapter request failed). */
export class GpuUnavailableError extends RnnlabError {
  override name = 'GpuUnavailableError';
}

/** The GPU device was lost (driver reset, out of memory, destroyed); its work is gone. */
export class GpuDeviceLostError extends RnnlabError {
  override name = 'GpuDeviceLostError';
}

/** The device could not allocate the run's buffers. */
export class GpuOutOfMemoryError extends RnnlabError {
  override name = 'GpuOutOfMemoryError';
}
