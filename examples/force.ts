/**
 * FORCE learning of a periodic pattern (Sussillo & Abbott 2009, Fig. 2): a chaotic network
 * (N = 1000, g = 1.5, p = 0.1, τ = 10 ms, dt = 1 ms) learns the four-sine target of the authors'
 * reference code (A = 1.3, period 1200 ms) through its fed-back readout, trained by RLS every
 * 2 ms (α = 1). The network first runs spontaneously (learning off, w = 0), then learns, then
 * runs with learning off again. Prints the normalised errors RMS(z − f)/RMS(f) over the last
 * two training periods and over the test, and the wall time per learning step.
 *
 *   npx tsx examples/force.ts                          # N = 1000, 10 periods of training
 *   npx tsx examples/force.ts --n 300 --period 600     # smaller and faster
 *
 * Writes force-output.svg (target and output before, during and after learning), force-dw.svg
 * (|Δw| per update) and force.csv to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { ForceNetwork, normalizedError, sumOfSines, type Series } from '../ts/index.js';
import { isMain, num, Output, printTable } from './lib/output.js';

export interface ForceExampleResult {
  files: string[];
  /** Normalised error over the last two periods of training (or all of it, if shorter). */
  trainError: number;
  /** Normalised error with learning off after training. */
  testError: number;
  /** Wall time per learning step (including the steps between updates), ms. */
  msPerUpdate: number;
}

export async function run(argv: string[]): Promise<ForceExampleResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '1000' },
      g: { type: 'string', default: '1.5' },
      p: { type: 'string', default: '0.1' },
      alpha: { type: 'string', default: '1' },
      period: { type: 'string', default: '1200' },
      'before-periods': { type: 'string', default: '1' },
      'train-periods': { type: 'string', default: '10' },
      'test-periods': { type: 'string', default: '4' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const n = num('n', values.n);
  const period = num('period', values.period);
  const [before, trainSteps, testSteps] = (['before-periods', 'train-periods', 'test-periods'] as const)
    .map((k) => Math.round(num(k, values[k]) * period));
  const f = sumOfSines({ period });
  using net = new ForceNetwork({
    n, g: num('g', values.g), p: num('p', values.p), alpha: num('alpha', values.alpha), seed: num('seed', values.seed),
  });
  const spontaneous = net.run({ steps: before! });
  const t0 = performance.now();
  const trained = net.train({ target: f, steps: trainSteps! });
  const msPerUpdate = (performance.now() - t0) / (trainSteps! / 2);
  const test = net.run({ steps: testSteps! });
  const testTarget = test.time.map(f);
  const tail = Math.min(trainSteps!, 2 * period);
  const trainError = normalizedError(trained.output.slice(-tail), trained.target.slice(-tail));
  const testError = normalizedError(test.output, testTarget);

  console.log(`FORCE learning: N = ${n}, g = ${values.g}, p = ${values.p}, α = ${values.alpha}, period ${period} ms`);
  printTable([
    ['phase', 'steps', 'normalised error'],
    ['before (learning off)', String(before), normalizedError(spontaneous.output, spontaneous.time.map(f)).toFixed(4)],
    ['training (last 2 periods)', String(trainSteps), trainError.toFixed(4)],
    ['test (learning off)', String(testSteps), testError.toFixed(4)],
  ]);
  console.log(`${msPerUpdate.toFixed(3)} ms per learning step (two Euler steps and one RLS update)`);

  const out = new Output(values.out);
  const time = Float64Array.of(...spontaneous.time, ...trained.time, ...test.time);
  const output = Float64Array.of(...spontaneous.output, ...trained.output, ...test.output);
  const target = time.map(f);
  const dw = Float64Array.of(...new Float64Array(before!), ...trained.dw, ...new Float64Array(testSteps!));
  const phase = (k: number) => (k < before! ? 'before' : k < before! + trainSteps! ? 'training' : 'test');
  out.csv('force.csv', ['time_ms', 'phase', 'target', 'output', 'dw'],
    Array.from(time, (t, k) => [t, phase(k), target[k]!, output[k]!, dw[k]!]));
  const stride = Math.max(1, Math.round(time.length / 4000));
  const pick = (a: Float64Array, from: number, to: number) => a.slice(from, to).filter((_, k) => k % stride === 0);
  const seg = (label: string, from: number, to: number, color: string): Series =>
    ({ label, x: pick(time, from, to), y: pick(output, from, to), color });
  const end = time.length;
  out.svg('force-output.svg', {
    title: `FORCE: target and output (N = ${n}, period ${period} ms)`,
    xLabel: 'time (ms)',
    yLabel: 'f, z',
    width: 960,
    series: [
      { label: 'target f', x: pick(time, 0, end), y: pick(target, 0, end), color: '#2ca02c' },
      seg('z before learning', 0, before!, '#7f7f7f'),
      seg('z during learning', before!, before! + trainSteps!, '#d62728'),
      seg('z after (learning off)', before! + trainSteps!, end, '#1f77b4'),
    ],
  });
  const updates = trained.dw.map((_, k) => k).filter((k) => trained.dw[k]! > 0);
  out.svg('force-dw.svg', {
    title: '|Δw| per RLS update',
    xLabel: 'time (ms)',
    yLabel: '|Δw|',
    logY: true,
    series: [{ label: '|Δw|', x: Array.from(updates, (k) => trained.time[k]!), y: Array.from(updates, (k) => trained.dw[k]!) }],
  });
  return { files: out.files, trainError, testError, msPerUpdate };
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
