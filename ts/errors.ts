/**
 * Typed errors. Every error rnnlab throws is an {@link RnnlabError}; argument problems carry the
 * offending parameter's name.
 */

/** Base class of every error thrown by rnnlab. */
export class RnnlabError extends Error {
  override name = 'RnnlabError';
}

/** An argument is missing, of the wrong type, out of range or of the wrong length. */
export class ArgumentError extends RnnlabError {
  override name = 'ArgumentError';
  /** Name of the offending parameter (e.g. `"n"`, `"J"`, `"spectrum"`). */
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(`${parameter}: ${message}`);
    this.parameter = parameter;
  }
}

/** The request would not fit in the WebAssembly memory (wasm32: at most 4 GiB). */
export class MemoryBudgetError extends ArgumentError {
  override name = 'MemoryBudgetError';
  /** Bytes the request needs. */
  readonly requiredBytes: number;
  constructor(parameter: string, requiredBytes: number, limitBytes: number) {
    super(
      parameter,
      `needs ${formatBytes(requiredBytes)} of WebAssembly memory, more than the ${formatBytes(limitBytes)} available`,
    );
    this.requiredBytes = requiredBytes;
  }
}

/** An object was used after `dispose()`, or after the module was re-initialised. */
export class DisposedError extends RnnlabError {
  override name = 'DisposedError';
}

/** The WebAssembly module could not be loaded (missing file, no SIMD support, not initialised). */
export class InitError extends RnnlabError {
  override name = 'InitError';
}

/**
 * An internal failure inside the WebAssembly module (a panic or trap). The module has been
 * re-instantiated, so the library keeps working; objects created before are disposed.
 */
export class InternalError extends RnnlabError {
  override name = 'InternalError';
}

/** Valid input without a solution: e.g. no bounded stationary mean-field state, or no critical gain. */
export class NoSolutionError extends RnnlabError {
  override name = 'NoSolutionError';
}

/**
 * A simulation's state left the finite range (an entry beyond 1e100 in magnitude, or not
 * finite): the network is unstable, or the step is too large for the integrator.
 */
export class DivergenceError extends RnnlabError {
  override name = 'DivergenceError';
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
