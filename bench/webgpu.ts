/**
 * WebGPU integrator throughput: trajectory-steps per second of RK4 for dx/dt = −x + J tanh(x),
 * iid g = 2, B = 8 trajectories, at N = 2048, 4096, 8192, next to the large-N WebAssembly engine
 * in f32 with 2 workers, in one run. In Node the GPU comes from the `webgpu` package; without a
 * hardware Vulkan driver it is SwiftShader (CPU), which is what this machine measures. Without an
 * adapter the script says so and measures nothing.
 *
 *   npx tsx bench/webgpu.ts [--sizes 2048] [--seconds 4]
 *
 * (VK_ICD_FILENAMES defaults to the SwiftShader ICD of Debian's chromium when that exists.)
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { simulateLarge } from '../ts/index.js';
import { requestGpu, type GpuContext } from '../ts/gpu/device.js';
import { gpuFromPlan } from '../ts/gpu/fromPlan.js';
import { planLarge } from '../ts/large/plan.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '2048,4096,8192' }, seconds: { type: 'string', default: '4' } } });
const SIZES = values.sizes.split(',').map(Number);
const SECONDS = Number(values.seconds);
const B = 8;
const dt = 0.1;

const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (process.env.VK_ICD_FILENAMES === undefined && existsSync(swiftshader)) process.env.VK_ICD_FILENAMES = swiftshader;

let ctx: GpuContext;
try {
  const { create } = await import('webgpu');
  ctx = await requestGpu(create([]));
} catch (e) {
  console.log(`bench/webgpu: no WebGPU adapter here (${(e as Error).message}); nothing measured`);
  process.exit(0);
}

/** WebAssembly f32 engine, 2 workers: steps per second of its burn-in. */
async function wasmRate(n: number): Promise<number> {
  const steps = Math.max(4, Math.round((20e9 * SECONDS) / (8 * n * n * B)));
  const r = await simulateLarge({
    n, connectivity: { kind: 'iid', g: 2 }, trajectories: B, blocks: 1, workers: 2, precision: 'f32', seed: 1, dt,
    burnIn: steps * dt, duration: 2 * dt, sampleEvery: dt, maxLag: 0, units: 1,
  });
  return (steps * B) / (r.timings.burnIn / 1000);
}

/** The GPU integrator on the same network: steps per second, the first (compiling) step excluded. */
async function gpuRate(n: number): Promise<number> {
  const plan = planLarge({ n, connectivity: { kind: 'iid', g: 2 }, trajectories: B, precision: 'f32', seed: 1, dt, workers: 0 }, 1);
  const gpu = gpuFromPlan(ctx, plan);
  try {
    gpu.run(1);
    await gpu.state();
    let steps = 1;
    let seconds = 0;
    // Double the steps until a run takes a quarter of the budget.
    for (;;) {
      const t0 = performance.now();
      gpu.run(steps);
      await gpu.state();
      seconds = (performance.now() - t0) / 1000;
      if (seconds > SECONDS / 4 || steps >= 4096) break;
      steps *= 2;
    }
    return (steps * B) / seconds;
  } finally {
    gpu.dispose();
  }
}

console.log(`WebGPU adapter: ${ctx.adapter}; B = ${B}, tanh, RK4, f32; trajectory-steps per second`);
console.log('N      WebGPU     WASM f32 (2 workers)   WebGPU / WASM');
for (const n of SIZES) {
  const wasm = await wasmRate(n);
  const gpu = await gpuRate(n);
  console.log(`${String(n).padEnd(6)} ${gpu.toFixed(1).padStart(9)}  ${wasm.toFixed(1).padStart(12)}           ${(gpu / wasm).toFixed(3)}`);
}
ctx.device.destroy();
