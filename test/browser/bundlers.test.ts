/**
 * A tiny web app that imports rnnlab from the packed tarball, built as a web developer would:
 * Vite and webpack with no configuration, esbuild with the documented steps (the `.wasm` copied
 * beside the bundle; the worker entries bundled and named to `init`), and a plain ES module page
 * with an import map. Each is served with cross-origin isolation and checked in headless
 * Chromium: Δ0 of the DMFT, a simulation, a training run, a sweep over two Web Workers and a
 * large-N run over two Web Workers sharing memory (bit-identical to Node's).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateLarge } from '../../ts/index.js';
import { appWith, pack } from '../support/packed.js';
import { serve } from './server.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runnable = existsSync(executablePath) || process.env.RNNLAB_REQUIRE_BROWSER === '1';

/** The app: every number it computes is written to `document.body.dataset.result`. */
const MAIN = (prelude: string) => `
import { init, solveDMFT, simulateActivity, iidGaussian, train, createNetwork, addTask, runJobs, simulateLarge, threadCount } from 'rnnlab';

async function main() {
  ${prelude}
  const delta0 = solveDMFT({ g: 2 }).delta0;
  const activity = simulateActivity({ J: iidGaussian({ n: 60, g: 2, seed: 1 }), seed: 2, duration: 40, burnIn: 10 });
  const trained = await train({
    network: createNetwork({ n: 8, nIn: 2, nOut: 2, seed: 1 }), task: addTask({ lags: [1, 2] }), algorithm: 'rflo',
    steps: 1000, block: 500, testSteps: 200, seed: 2,
  });
  const sweep = await runJobs([{ kind: 'dmft', g: 2 }, { kind: 'dimension', g: 2 }, { kind: 'dmft', g: 3 }], { workers: 2 });
  const large = await simulateLarge({
    n: 64, connectivity: { kind: 'iid', g: 2 }, trajectories: 2, workers: 2, burnIn: 5, duration: 40, maxLag: 5, seed: 1,
  });
  return { delta0, simDelta0: activity.delta0, testLoss: trained.testLoss, sweep, large: large.delta0, largeTime: large.timings, threads: threadCount() };
}

main().then(
  (r) => { document.body.dataset.result = JSON.stringify(r); },
  (e) => { document.body.dataset.error = e.name + ': ' + e.message; },
);
`;

const HTML = (script: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>${script}</body></html>`;

interface Result {
  delta0: number;
  simDelta0: number;
  testLoss: number;
  sweep: { kind: string; delta0?: number; prX?: number }[];
  large: number;
  threads: number;
}

describe.runIf(runnable)('rnnlab in a web app, as bundlers build it', () => {
  let browser: Browser;
  let tarball: string;
  const servers: Awaited<ReturnType<typeof serve>>[] = [];

  let largeDelta0: number;
  beforeAll(async () => {
    largeDelta0 = (await simulateLarge({
      n: 64, connectivity: { kind: 'iid', g: 2 }, trajectories: 2, workers: 2, burnIn: 5, duration: 40, maxLag: 5, seed: 1,
    })).delta0;
    tarball = pack();
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  /** Serves `dir` (with cross-origin isolation) and opens `page` in it. */
  async function open(dir: string, page: string, expectedMisses = 0): Promise<Result> {
    const server = await serve(dir);
    servers.push(server);
    return openUrl(`${server.url}/${page}`, expectedMisses);
  }

  /** Opens `url` and returns the app's result (or fails with its error). */
  async function openUrl(url: string, expectedMisses = 0): Promise<Result> {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await tab.goto(url);
    await tab.waitForFunction(() => document.body?.dataset.result ?? document.body?.dataset.error, undefined, { timeout: 120_000 });
    const error = await tab.evaluate(() => document.body.dataset.error);
    expect(error).toBeUndefined();
    expect(errors).toEqual(Array(expectedMisses).fill('Failed to load resource: the server responded with a status of 404 (Not Found)'));
    const result = JSON.parse((await tab.evaluate(() => document.body.dataset.result))!) as Result;
    await tab.close();
    return result;
  }

  function check(r: Result): void {
    expect(r.delta0).toBe(1.924805413737069);
    expect(r.simDelta0).toBeGreaterThan(0.5);
    expect(r.testLoss).toBeGreaterThan(0);
    expect(Number.isFinite(r.testLoss)).toBe(true);
    expect(r.sweep.map((s) => s.kind)).toEqual(['dmft', 'dimension', 'dmft']);
    expect(r.sweep[0]!.delta0).toBe(r.delta0);
    expect(r.sweep[2]!.delta0).toBeGreaterThan(r.delta0);
    expect(r.large).toBe(largeDelta0); // two Web Workers sharing memory give Node's numbers with two worker threads
    // The pages are cross-origin isolated: each bundle found rnnlab-threads.wasm and started helpers.
    expect(r.threads).toBeGreaterThan(1);
  }

  it('Vite (production build, no configuration)', async () => {
    const app = appWith(tarball);
    writeFileSync(join(app, 'main.js'), MAIN('await init();'));
    writeFileSync(join(app, 'index.html'), HTML('<script type="module" src="./main.js"></script>'));
    const { build } = await import('vite');
    await build({ root: app, logLevel: 'error', configFile: false });
    check(await open(join(app, 'dist'), 'index.html'));
  });

  it('Vite (dev server, no configuration but the isolation headers)', async () => {
    const app = appWith(tarball);
    writeFileSync(join(app, 'main.js'), MAIN('await init();'));
    writeFileSync(join(app, 'index.html'), HTML('<script type="module" src="./main.js"></script>'));
    const { createServer } = await import('vite');
    const server = await createServer({
      root: app, configFile: false, logLevel: 'error',
      server: { port: 0, headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
    });
    await server.listen();
    try {
      check(await openUrl(server.resolvedUrls!.local[0]!));
    } finally {
      await server.close();
    }
  });

  it('webpack 5 (no configuration: src/index.js → dist/main.js)', async () => {
    const app = appWith(tarball);
    mkdirSync(join(app, 'src'));
    writeFileSync(join(app, 'src/index.js'), MAIN('await init();'));
    // As `npx webpack` in the app folder: webpack's defaults, from that folder.
    const webpack = createRequire(import.meta.url).resolve('webpack');
    const built = spawnSync(process.execPath, ['-e', `
      require(${JSON.stringify(webpack)})({ mode: 'production' }, (err, stats) => {
        if (err || stats.hasErrors()) { console.error(err ?? stats.toString('errors-only')); process.exit(1); }
      });`], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    writeFileSync(join(app, 'dist/index.html'), HTML('<script src="main.js"></script>'));
    check(await open(join(app, 'dist'), 'index.html'));
  });

  it('esbuild (the two .wasm copied beside the bundle; the worker entries bundled and passed to init)', async () => {
    const app = appWith(tarball);
    writeFileSync(
      join(app, 'main.js'),
      MAIN("await init(undefined, { sweepWorker: new URL('./sweep-worker.js', import.meta.url), largeWorker: new URL('./large-worker.js', import.meta.url) });"),
    );
    const esbuild = await import('esbuild');
    const common = { bundle: true, format: 'esm', platform: 'browser', absWorkingDir: app, logLevel: 'error' } as const;
    await esbuild.build({ ...common, entryPoints: ['main.js'], outfile: 'out/app.js' });
    await esbuild.build({ ...common, entryPoints: ['rnnlab/sweep-worker'], outfile: 'out/sweep-worker.js' });
    await esbuild.build({ ...common, entryPoints: ['rnnlab/large-worker'], outfile: 'out/large-worker.js' });
    for (const file of ['rnnlab.wasm', 'rnnlab-threads.wasm']) cpSync(join(app, 'node_modules/rnnlab/dist/wasm', file), join(app, 'out', file));
    writeFileSync(join(app, 'out/index.html'), HTML('<script type="module" src="./app.js"></script>'));
    // The module is looked for at the package's own place first (one 404), then beside the bundle.
    check(await open(join(app, 'out'), 'index.html', 1));
  });

  it('a plain ES module page with an import map', async () => {
    const app = appWith(tarball);
    writeFileSync(join(app, 'main.js'), MAIN('await init();'));
    writeFileSync(
      join(app, 'index.html'),
      HTML('<script type="importmap">{ "imports": { "rnnlab": "./node_modules/rnnlab/dist/index.js" } }</script><script type="module" src="./main.js"></script>'),
    );
    check(await open(app, 'index.html'));
  });

  it('names the URL of a module or worker that fails to load, and says how to pass one', async () => {
    const app = appWith(tarball);
    writeFileSync(join(app, 'main.js'), `
      import { init, runJobs } from 'rnnlab';
      const message = (p) => p.then(() => 'no error', (e) => e.name + ': ' + e.message);
      const errors = {
        wasm: await message(init('/missing/rnnlab.wasm')),
        worker: await message(runJobs([{ kind: 'dmft', g: 2 }], { workers: 1, workerUrl: '/missing/worker.js' })),
      };
      document.body.dataset.result = JSON.stringify(errors);
    `);
    writeFileSync(
      join(app, 'index.html'),
      HTML('<script type="importmap">{ "imports": { "rnnlab": "./node_modules/rnnlab/dist/index.js" } }</script><script type="module" src="./main.js"></script>'),
    );
    const server = await serve(app);
    servers.push(server);
    const tab = await browser.newPage();
    await tab.goto(`${server.url}/index.html`);
    await tab.waitForFunction(() => document.body?.dataset.result, undefined, { timeout: 60_000 });
    const errors = JSON.parse((await tab.evaluate(() => document.body.dataset.result))!) as { wasm: string; worker: string };
    expect(errors.wasm).toBe(`InitError: could not fetch the WebAssembly module from /missing/rnnlab.wasm: HTTP 404`);
    expect(errors.worker).toContain(`InitError: the worker ${server.url}/missing/worker.js failed to load`);
    expect(errors.worker).toContain('workerUrl');
    await tab.close();
  });
});
