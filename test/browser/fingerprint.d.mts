export function fnv1a(array: Float64Array): string;
export function fingerprints(lib: typeof import('../../ts/index.js')): Record<string, string>;
