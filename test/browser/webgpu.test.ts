import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from './server.js';

/**
 * The WebGPU integrator in headless Chromium with --enable-unsafe-webgpu (SwiftShader where there
 * is no GPU): one RK4 step equals a reference summed term by term in f32. Skipped without a
 * Chromium or without an adapter, unless RNNLAB_REQUIRE_WEBGPU=1 (as in CI) makes it required.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.RNNLAB_REQUIRE_WEBGPU === '1';
const runnable = existsSync(executablePath) || required;
if (!runnable) console.warn(`browser WebGPU tests skipped: no Chromium at ${executablePath}`);

const f = Math.fround;

/** One RK4 step of dx/dt = −x + Jx + b in f32, in the engine's order of operations. */
function reference(n: number, b: number, J: Float32Array, x: Float32Array, dt: number, bias: number): Float32Array {
  const field = (y: Float32Array) => {
    const k = new Float32Array(b * n);
    for (let t = 0; t < b; t++) {
      for (let r = 0; r < n; r++) {
        let acc = 0;
        for (let c = 0; c < n; c++) acc = f(acc + f(J[r * n + c]! * y[t * n + c]!));
        k[t * n + r] = f(f(acc - y[t * n + r]!) + f(bias));
      }
    }
    return k;
  };
  const sum = new Float32Array(b * n);
  let y = x;
  for (let s = 0; s < 4; s++) {
    const k = field(y);
    for (let i = 0; i < sum.length; i++) sum[i] = s === 0 ? k[i]! : f(sum[i]! + (s === 3 ? k[i]! : f(2 * k[i]!)));
    if (s < 3) {
      const h = f([0.5, 0.5, 1][s]! * dt);
      y = x.map((v, i) => f(v + f(h * k[i]!)));
    }
  }
  return x.map((v, i) => f(v + f(f(dt / 6) * sum[i]!)));
}

describe.runIf(runnable)('WebGPU in headless Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    server = await serve(root);
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('gets an adapter from navigator.gpu and steps like the f32 reference', async () => {
    const n = 70;
    const b = 3;
    const J = Float32Array.from({ length: n * n }, (_, i) => f(Math.sin(1.7 * i) / Math.sqrt(n)));
    const x = Float32Array.from({ length: n * b }, (_, i) => f(Math.cos(0.3 * i)));
    const page = await browser.newPage();
    await page.addInitScript((input) => {
      (window as unknown as { input: unknown }).input = input;
    }, { n, b, J: Array.from(J), x: Array.from(x) });
    await page.goto(`${server.url}/test/browser/webgpu.html`);
    await page.waitForFunction(() => 'result' in window, undefined, { timeout: 120_000 });
    const result = (await page.evaluate(() => (window as unknown as { result: unknown }).result)) as { error?: string; adapter?: string; state?: number[] };
    if (result.error?.startsWith('GpuUnavailableError') && !required) {
      console.warn(`browser WebGPU test skipped: ${result.error}`);
      return;
    }
    expect(result.error).toBeUndefined();
    expect(result.adapter).toMatch(/\S/);
    const want = reference(n, b, J, x, 0.1, 0.3);
    const ulps = (a: number, c: number) => {
      const i = new Int32Array(new Float32Array([a, c]).buffer);
      return Math.abs(i[0]! - i[1]!);
    };
    const worst = Math.max(...result.state!.map((v, i) => ulps(v, want[i]!)));
    // The stated bound, as in Node: 4 ulp (a GPU may fuse a multiply and an add).
    expect(worst).toBeLessThanOrEqual(4);
  });
});
