// Copies the committed WebAssembly module and the CommonJS entry next to the compiled JavaScript.
import { copyFileSync, mkdirSync } from 'node:fs';

mkdirSync(new URL('../dist/wasm/', import.meta.url), { recursive: true });
for (const file of ['rnnlab.wasm', 'rnnlab-threads.wasm']) {
  copyFileSync(new URL(`../ts/wasm/${file}`, import.meta.url), new URL(`../dist/wasm/${file}`, import.meta.url));
}
copyFileSync(new URL('../ts/index.cjs', import.meta.url), new URL('../dist/index.cjs', import.meta.url));
