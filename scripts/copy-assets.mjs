// Copies the committed WebAssembly module and the CommonJS entry next to the compiled JavaScript.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync(new URL('../dist/wasm/', import.meta.url), { recursive: true });
copyFileSync(new URL('../ts/wasm/rnnlab.wasm', import.meta.url), new URL('../dist/wasm/rnnlab.wasm', import.meta.url));
copyFileSync(new URL('../ts/index.cjs', import.meta.url), new URL('../dist/index.cjs', import.meta.url));
