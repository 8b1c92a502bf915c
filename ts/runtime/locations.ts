/**
 * Where rnnlab's worker scripts live when the defaults (resolved by the bundler, or next to this
 * package's files) do not apply, e.g. after bundling with esbuild. Set through `init`.
 */

/** A worker script's location: a URL, or a string (resolved against the page in browsers; a path or file URL in Node). */
export type WorkerUrl = URL | string;

/** The locations of the two worker entries. */
export interface WorkerLocations {
  /** The sweep worker (`rnnlab/sweep-worker`), used by `runJobs`. */
  sweepWorker?: WorkerUrl;
  /** The large-N worker (`rnnlab/large-worker`), used by `simulateLarge`. */
  largeWorker?: WorkerUrl;
}

const locations: WorkerLocations = {};

/** Records the locations given to `init` (an option left out keeps its earlier value). */
export function setWorkerLocations(given: WorkerLocations): void {
  if (given.sweepWorker !== undefined) locations.sweepWorker = given.sweepWorker;
  if (given.largeWorker !== undefined) locations.largeWorker = given.largeWorker;
}

/** The location recorded for a worker entry, if any. */
export function workerLocation(kind: keyof WorkerLocations): WorkerUrl | undefined {
  return locations[kind];
}
