/**
 * Platform types in rnnlab's public declarations, taken from the consumer's own `lib` (DOM or
 * @types/node) so the declarations type-check with any of them; each is `never` where that lib
 * has no such type.
 */

/** A compiled `WebAssembly.Module`. */
export type CompiledModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;

/** A fetch `Response`. */
export type FetchResponse = typeof globalThis extends { Response: { prototype: infer R } } ? R : never;

/** An `AbortSignal`. */
export type Signal = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : never;

/** The part of a `WebAssembly.Memory` rnnlab reads. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
