/**
 * Objects that live inside the WebAssembly module behind an integer handle. Release them with
 * `dispose()` (or a `using` declaration); a `FinalizationRegistry` frees forgotten ones when they
 * are garbage-collected.
 */

import { DisposedError } from '../errors.js';
import type { WasmExports } from './exports.js';
import { current, guarded } from './module.js';

interface Held {
  handle: number;
  generation: number;
  free: (exports: WasmExports, handle: number) => void;
}

const registry = new FinalizationRegistry<Held>((held) => {
  const state = current();
  if (state.generation === held.generation) held.free(state.exports, held.handle);
});

declare global {
  interface SymbolConstructor {
    /** `Symbol.dispose` (ES2025 explicit resource management), for `lib`s that predate it. */
    readonly dispose: unique symbol;
  }
}

/** Base class of handle-backed objects. */
export abstract class WasmObject {
  readonly #held: Held;
  #disposed = false;

  protected constructor(handle: number, free: (exports: WasmExports, handle: number) => void) {
    this.#held = { handle, generation: current().generation, free };
    registry.register(this, this.#held, this.#held);
  }

  /** The live handle; throws {@link DisposedError} after `dispose()` or a module reset. */
  protected get handle(): number {
    if (this.#disposed) throw new DisposedError(`this ${this.constructor.name} was disposed`);
    if (current().generation !== this.#held.generation) {
      throw new DisposedError(`this ${this.constructor.name} belonged to a module instance that was reset after an internal error`);
    }
    return this.#held.handle;
  }

  /** Whether `dispose()` was called. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Frees the WASM memory of this object. Safe to call more than once. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    registry.unregister(this.#held);
    if (current().generation === this.#held.generation) {
      guarded((exports) => this.#held.free(exports, this.#held.handle));
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
