/** Facts about the JavaScript runtime that rnnlab runs in, without importing anything. */

/** Whether this is Node (as opposed to a browser or a browser-like worker). */
export const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/** The available parallelism of this runtime. */
export function availableParallelism(): number {
  if (isNode) return (process.getBuiltinModule('node:os') as typeof import('node:os')).availableParallelism();
  return Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2);
}
