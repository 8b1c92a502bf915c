import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateLarge, type LargeOptions } from '../../ts/index.js';
import { rk4StepF32 } from '../support/rk4Reference.js';
import { executablePath, launchChromium } from './launch.js';
import { serve } from './server.js';

/**
 * The WebGPU integrator in headless Chromium with --enable-unsafe-webgpu (SwiftShader where there
 * is no GPU): one RK4 step equals a reference summed term by term in f32. Skipped without a
 * Chromium or without an adapter, unless RNNLAB_REQUIRE_WEBGPU=1 (as in CI) makes it required.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const required = process.env.RNNLAB_REQUIRE_WEBGPU === '1';
const runnable = existsSync(executablePath) || required;
if (!runnable) console.warn(`browser WebGPU tests skipped: no Chromium at ${executablePath}`);

const f = Math.fround;

describe.runIf(runnable)('WebGPU in headless Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    server = await serve(root);
    browser = await launchChromium({ gpu: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('gets an adapter from navigator.gpu, steps like the f32 reference, and runs simulateLarge on it', async () => {
    const n = 70;
    const b = 3;
    // Noise-driven, not chaotic: the browser's GPU run and Node's WebAssembly run stay together.
    const large: LargeOptions = {
      n: 96, connectivity: { kind: 'iid', g: 0.8 }, phi: 'erf', trajectories: 4, noise: 0.5, dt: 0.2, burnIn: 10, duration: 60,
      sampleEvery: 0.6, maxLag: 3, seed: 3, precision: 'f32', workers: 0,
    };
    const J = Float32Array.from({ length: n * n }, (_, i) => f(Math.sin(1.7 * i) / Math.sqrt(n)));
    const x = Float32Array.from({ length: n * b }, (_, i) => f(Math.cos(0.3 * i)));
    const page = await browser.newPage();
    await page.addInitScript((input) => {
      (window as unknown as { input: unknown }).input = input;
    }, { n, b, J: Array.from(J), x: Array.from(x), large });
    await page.goto(`${server.url}/test/browser/webgpu.html`);
    await page.waitForFunction(() => 'result' in window, undefined, { timeout: 120_000 });
    const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as {
      error?: string; adapter?: string; state?: number[]; large?: { backend: string; delta0: number; cphi: number[]; prPhi: number };
    };
    if (result.error?.startsWith('GpuUnavailableError') && !required) {
      console.warn(`browser WebGPU test skipped: ${result.error}`);
      return;
    }
    expect(result.error).toBeUndefined();
    expect(result.adapter).toMatch(/\S/);
    const want = rk4StepF32(n, b, J, x, 0.1, 0.3);
    const ulps = (a: number, c: number) => {
      const i = new Int32Array(new Float32Array([a, c]).buffer);
      return Math.abs(i[0]! - i[1]!);
    };
    const worst = Math.max(...result.state!.map((v, i) => ulps(v, want[i]!)));
    // The stated bound, as in Node: 4 ulp (a GPU may fuse a multiply and an add).
    expect(worst).toBeLessThanOrEqual(4);
    const wasm = await simulateLarge(large);
    expect(result.large!.backend).toBe('webgpu');
    expect(Math.abs(result.large!.delta0 / wasm.delta0 - 1)).toBeLessThan(1e-3);
    expect(Math.abs(result.large!.prPhi - wasm.prPhi)).toBeLessThan(0.1 * wasm.prPhiSe);
    result.large!.cphi.forEach((c, l) => expect(Math.abs(c / wasm.cphi[l]! - 1)).toBeLessThan(0.02));
  });
});
