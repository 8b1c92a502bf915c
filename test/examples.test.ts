import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as lib from '../ts/index.js';
import * as sweep from '../ts/sweep/index.js';

/** Runs every ```ts block of the README and every @example of the API's doc comments. */
const root = new URL('..', import.meta.url);
const index = fileURLToPath(new URL('ts/index.ts', root));
const sweepIndex = fileURLToPath(new URL('ts/sweep/index.ts', root));
const outDir = new URL('test/out/examples/', root);
mkdirSync(outDir, { recursive: true });

function blocks(text: string, fence: RegExp): string[] {
  return [...text.matchAll(fence)].map((m) => m[1]!);
}

function sources(dir: URL): URL[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(new URL(`${e.name}/`, dir)) : e.name.endsWith('.ts') ? [new URL(e.name, dir)] : [],
  );
}

const readme = blocks(readFileSync(new URL('README.md', root), 'utf8'), /```ts\n([\s\S]*?)```/g).map((code, i) => ({
  name: `README block ${i + 1}`,
  code: code.replace(/from 'rnnlab'/g, `from ${JSON.stringify(index)}`).replace(/from 'rnnlab\/sweep'/g, `from ${JSON.stringify(sweepIndex)}`),
}));
const allNames = Object.keys(lib).join(', ');
const sweepNames = Object.keys(sweep).join(', ');
const docs = sources(new URL('ts/', root)).flatMap((file) =>
  blocks(readFileSync(file, 'utf8'), /@example\n\s*\* ```ts\n([\s\S]*?)\s*\* ```/g).map((code, i) => ({
    name: `${file.pathname.split('/ts/')[1]} example ${i + 1}`,
    code: `import { ${allNames} } from ${JSON.stringify(index)};\nimport { ${sweepNames} } from ${JSON.stringify(sweepIndex)};\n${code.replace(/^\s*\* ?/gm, '')}`,
  })),
);

describe('documentation examples run', () => {
  it('found the README blocks and doc examples', () => {
    expect(readme.length).toBeGreaterThanOrEqual(2);
    expect(docs.length).toBeGreaterThanOrEqual(8);
  });
  for (const [k, ex] of [...readme, ...docs].entries()) {
    it(ex.name, async () => {
      const file = new URL(`example-${k}.ts`, outDir);
      writeFileSync(file, `${ex.code}\nexport {};\n`);
      const log = console.log;
      console.log = () => {};
      try {
        await import(pathToFileURL(fileURLToPath(file)).href);
      } finally {
        console.log = log;
      }
    });
  }
});
