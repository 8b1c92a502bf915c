import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../../ts/index.js';
import { fingerprints, fnv1a } from './fingerprint.mjs';
import { browserRunnable, executablePath, launchChromium } from './launch.js';
import { serve } from './server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Without a Chromium the suite is skipped, unless RNNLAB_REQUIRE_BROWSER=1 (as in CI) makes it fail.
const runnable = browserRunnable;
if (!runnable) console.warn(`browser tests skipped: no Chromium at ${executablePath} (apt-get install chromium)`);

describe.runIf(runnable)('headless Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    server = await serve(root);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the package, reports typed errors, runs sweeps in Web Workers, and gives bit-identical results to Node', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/test/browser/page.html`);
    await page.waitForFunction(() => 'result' in window, undefined, { timeout: 120_000 });
    const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as {
      error?: string;
      simd: boolean;
      threads: number;
      fingerprints: Record<string, string>;
      argumentError: { name: string; parameter: string; isArgumentError: boolean };
      delta0: number;
      sweep: { workers: unknown[]; serial: unknown[] };
      large: { isolated: boolean; workers: number; state: string; delta0: number };
    };
    expect(result.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(result.simd).toBe(true);
    // The page is cross-origin isolated: the threaded module with blob: helper workers, whose
    // numbers equal Node's bit for bit (fingerprints, including the quenched predictor).
    expect(result.threads).toBeGreaterThan(1);
    expect(result.argumentError).toEqual({ name: 'ArgumentError', parameter: 'n', isArgumentError: true });
    expect(result.fingerprints).toEqual(fingerprints(lib));
    // Web Workers, each with its own instance, give the serial numbers, which equal Node's.
    expect(result.sweep.workers).toEqual(result.sweep.serial);
    expect(result.sweep.serial[0]).toEqual(await lib.runJob({ kind: 'dimension', g: 2, gamma: 1 }));
    // Large-N engine: two Web Workers on shared memory (cross-origin isolated page), the same
    // trajectories as Node's.
    const large = await lib.simulateLarge({
      n: 100, connectivity: { kind: 'iid', g: 2 }, trajectories: 3, burnIn: 5, duration: 10, maxLag: 2, noise: 0.1, seed: 7, workers: 2,
    });
    expect(result.large).toEqual({ isolated: true, workers: 2, state: fnv1a(large.state), delta0: large.delta0 });
    expect(result.delta0).toBe(
      lib.simulateActivity({ J: lib.iidGaussian({ n: 100, g: 2, seed: 1 }), seed: 2, duration: 50, burnIn: 20 }).delta0,
    );
  });
});
