import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../../ts/index.js';
import { browserRunnable as runnable, launchChromium } from './launch.js';
import { serve } from './server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Without a Chromium the suite is skipped, unless RNNLAB_REQUIRE_BROWSER=1 (as in CI) makes it fail.

/** The full-precision value behind a readout. */
async function value(page: Page, id: string): Promise<number> {
  return Number(await page.getAttribute(`#${id}`, 'data-value'));
}

describe.runIf(runnable)('explorable (examples/web) in headless Chromium', () => {
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

  it('shows the theory of the chosen g, runs the simulation and a training run, without errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}/examples/web/index.html`);
    await page.waitForSelector('#status[data-state=ready]', { timeout: 60_000 });

    // Theory at the default g = 2 (tanh, no noise, iid): the worker's numbers are Node's.
    await page.waitForFunction(() => document.querySelector('#theory-delta0')?.getAttribute('data-value') !== null);
    const at2 = lib.dimension({ g: 2 });
    expect(await value(page, 'theory-delta0')).toBe(at2.dmft.delta0);
    expect(await value(page, 'theory-prx')).toBe(at2.prX);

    // Random-mode couplings with an exponential spectrum: γ = N/PR^D enters the dimension theory,
    // and the page keeps drawing (its covariance spectrum spans many decades).
    // (At g = 2 and this seed the N = 300 network settles on a fixed point: eigenvalues down to round-off.)
    await page.selectOption('#spectrum', 'exponential');
    const gamma = 300 / lib.effectiveRank(lib.spectrum({ shape: { kind: 'exponential', beta: 3.9 }, n: 300, g: 2 }));
    await page.waitForFunction((gm) => Number(document.querySelector('#theory-gamma')?.getAttribute('data-value')) === gm, gamma);
    expect(gamma).toBeGreaterThan(3);
    expect(await value(page, 'theory-prx')).toBe(lib.dimension({ g: 2, gamma }).prX);
    await page.waitForFunction(() => JSON.parse(document.querySelector('#sim-network')?.getAttribute('data-value') ?? '{}').spectrum === 'exponential');
    await page.waitForFunction(() => Number(document.querySelector('#sim-samples')?.getAttribute('data-value')) > 0, undefined, { timeout: 60_000 });
    await page.waitForTimeout(1500); // a few spectrum updates
    const rmSteps = await value(page, 'sim-steps');
    await page.waitForFunction((s) => Number(document.querySelector('#sim-steps')?.getAttribute('data-value')) > s, rmSteps, { timeout: 60_000 });
    expect(Number.isFinite(await value(page, 'sim-prx'))).toBe(true);

    await page.selectOption('#spectrum', 'iid');
    await page.waitForFunction(() => document.querySelector('#theory-gamma')?.getAttribute('data-value') === '0');

    // Moving the g slider re-solves the theory in the worker (iid couplings again).
    await page.fill('#g', '3');
    await page.waitForFunction((old) => Number(document.querySelector('#theory-delta0')?.getAttribute('data-value')) !== old, at2.dmft.delta0);
    const at3 = lib.dimension({ g: 3 });
    expect(at3.dmft.delta0).not.toBeCloseTo(at2.dmft.delta0, 1);
    expect(await value(page, 'theory-delta0')).toBe(at3.dmft.delta0);
    expect(await value(page, 'theory-prx')).toBe(at3.prX);
    expect(await value(page, 'theory-prphi')).toBe(at3.prPhi);
    expect(await page.textContent('#theory-regime')).toBe('chaotic');

    // The simulation (restarted at g = 3, after the page's debounce) advances and reports a finite PR/N in (0, 1].
    await page.waitForFunction(() => JSON.parse(document.querySelector('#sim-network')?.getAttribute('data-value') ?? '{}').g === 3);
    await page.waitForFunction(() => Number(document.querySelector('#sim-samples')?.getAttribute('data-value')) > 0, undefined, { timeout: 60_000 });
    const steps = await value(page, 'sim-steps');
    await page.waitForFunction((s) => Number(document.querySelector('#sim-steps')?.getAttribute('data-value')) > s, steps, { timeout: 60_000 });
    const pr = await value(page, 'sim-prx');
    expect(pr).toBeGreaterThan(0);
    expect(pr).toBeLessThanOrEqual(1);
    // Simulated Δ0 once a full autocorrelation window is in: positive and finite (N = 300 is far from the large-N limit).
    // Wait for both values that are read: they are updated by separate messages.
    await page.waitForFunction(
      () => ['#sim-delta0', '#sim-temporal'].every((id) => Number.isFinite(Number(document.querySelector(id)?.getAttribute('data-value')))),
      undefined,
      { timeout: 60_000 },
    );
    expect(await value(page, 'sim-delta0')).toBeGreaterThan(0);
    expect(await value(page, 'sim-temporal')).toBeGreaterThan(0);

    // A short training run: 20 000 steps of KF-RTRL (the default algorithm) in blocks of 500 give 40 finite points.
    await page.selectOption('#algorithm', 'kf-rtrl');
    await page.fill('#steps', '20000');
    await page.fill('#block', '500');
    await page.click('#start');
    await page.waitForSelector('#train-state[data-value=finished]', { timeout: 60_000 });
    expect(await value(page, 'train-steps')).toBe(20000);
    const loss = JSON.parse((await page.getAttribute('#plot-training', 'data-loss')) ?? '[]') as unknown[];
    expect(loss).toHaveLength(40);
    for (const l of loss) {
      expect(typeof l).toBe('number');
      expect(Number.isFinite(l)).toBe(true);
      // Cross-entropy of two classes: between 0 and a few nats.
      expect(l as number).toBeGreaterThan(0);
      expect(l as number).toBeLessThan(2);
    }

    expect(errors).toEqual([]);
    mkdirSync(`${root}/docs`, { recursive: true });
    // Written under test/out (the README's docs/explorable.png is a copy of one such run).
    mkdirSync(`${root}/test/out`, { recursive: true });
    await page.screenshot({ path: `${root}/test/out/explorable.png`, fullPage: true });
    await page.close();
  });

  it('runs the large-N panel on WebGPU (SwiftShader here) and on WebAssembly, and names the backend that ran', async () => {
    const gpuBrowser = await launchChromium({ gpu: true });
    try {
      const page = await gpuBrowser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}/examples/web/index.html`);
      await page.waitForSelector('#status[data-state=ready]', { timeout: 60_000 });
      const run = async (backend: string) => {
        await page.selectOption('#large-n', '256');
        await page.selectOption('#large-backend', backend);
        await page.fill('#large-duration', '4');
        await page.click('#large-run');
        await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('#large-progress')?.getAttribute('data-value') ?? ''), undefined, { timeout: 120_000 });
        return { state: await page.getAttribute('#large-progress', 'data-value'), note: await page.textContent('#large-note'), ran: await page.getAttribute('#large-ran-on', 'data-value') };
      };
      const gpu = await run('webgpu');
      if (gpu.state === 'failed' && /GpuUnavailable|no WebGPU|adapter/i.test(gpu.note ?? '') && process.env.RNNLAB_REQUIRE_WEBGPU !== '1') {
        console.warn(`explorable WebGPU run skipped: ${gpu.note}`);
      } else {
        expect(gpu.state, gpu.note ?? '').toBe('done');
        expect(gpu.ran).toBe('webgpu');
        expect(await page.textContent('#large-ran-on')).toMatch(/WebGPU \(.+\), N = 256/);
        expect(await value(page, 'large-delta0')).toBeGreaterThan(0);
        const pr = await value(page, 'large-prx');
        expect(pr).toBeGreaterThan(0);
        expect(pr).toBeLessThanOrEqual(1);
      }
      // 'auto' at N = 256 (or on a software adapter) runs in WebAssembly, and says so.
      const auto = await run('auto');
      expect(auto.state, auto.note ?? '').toBe('done');
      expect(auto.ran).toBe('wasm');
      expect(await page.textContent('#large-ran-on')).toBe('WebAssembly, N = 256');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await gpuBrowser.close();
    }
  });
});
