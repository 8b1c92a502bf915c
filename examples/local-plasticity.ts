/**
 * Local plasticity rules on the Add task (after Marschall, Cho & Savin, arXiv 1905.12100):
 * n = 32 neurons with apical, prediction and credit compartments, α = 1, lags (5, 9), SGD 0.003
 * with ‖g‖ ≤ 1, η_SG = 0.05, η_J = 0.01. The recurrent weights learn by the local rules; the
 * parents DNI(b) (identical by construction), DNI (exact Jacobian) and F-BPTT(10) run passively
 * on the same trajectory. Prints the test cross-entropy (10 000 fresh steps, frozen weights) of
 * the local rules and of training the readout alone, per seed, against the baselines 0.6616
 * (nothing learned), 0.5192 (the first lag) and 0.4544 (both lags), and the final alignments.
 *
 *   npx tsx examples/local-plasticity.ts                      # 100k steps, 2 seeds
 *   npx tsx examples/local-plasticity.ts --steps 30000 --seeds 1
 *
 * Writes local-plasticity-loss.svg, local-plasticity-alignment.svg and local-plasticity.csv to
 * --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { ADD_TASK_BASELINES, addTask, createNetwork, train, trainLocalPlasticity, type Series } from '../ts/index.js';
import { isMain, num, Output, printTable, seconds } from './lib/output.js';

export interface LocalPlasticityScriptResult {
  files: string[];
  /** Test loss per seed: local rules and readout only. */
  test: { local: number[]; readout: number[] };
  /** Last block's mean cosine of the local direction with DNI(b), DNI and F-BPTT(10), per seed. */
  alignment: { dniB: number[]; dni: number[]; fBptt: number[] };
}

export async function run(argv: string[]): Promise<LocalPlasticityScriptResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '100000' },
      seeds: { type: 'string', default: '2' },
      n: { type: 'string', default: '32' },
      'test-steps': { type: 'string', default: '10000' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const steps = num('steps', values.steps);
  const seeds = num('seeds', values.seeds);
  const n = num('n', values.n);
  const testSteps = num('test-steps', values['test-steps']);
  const out = new Output(values.out);
  const block = Math.max(100, Math.round(steps / 50));
  const task = addTask({ lags: [5, 9] });
  const result: LocalPlasticityScriptResult = {
    files: out.files,
    test: { local: [], readout: [] },
    alignment: { dniB: [], dni: [], fBptt: [] },
  };
  const lossSeries: Series[] = [];
  const alignSeries: Series[] = [];
  const csvRows: (number | string)[][] = [];
  const rows: string[][] = [['seed', 'local rules', 'readout only', 'cos DNI(b)', 'cos DNI', 'cos F-BPTT(10)', 'time']];
  for (let seed = 0; seed < seeds; seed++) {
    const t0 = performance.now();
    const network = createNetwork({ n, nIn: 2, nOut: 2, seed: 100 + seed });
    const local = trainLocalPlasticity({ network, task, seed, lr: 0.003, clip: 1, steps, block, horizon: 10, testSteps });
    const readout = await train({
      network, task, seed, algorithm: 'output-only', optimizer: { type: 'sgd', lr: 0.003 }, clip: 1, steps, block, testSteps,
    });
    const a = local.curve.alignment;
    const last = (v: number[]): number => v.at(-1) ?? NaN;
    result.test.local.push(local.testLoss);
    result.test.readout.push(readout.testLoss);
    result.alignment.dniB.push(last(a.dniB));
    result.alignment.dni.push(last(a.dni));
    result.alignment.fBptt.push(last(a.fBptt!));
    local.curve.steps.forEach((s, k) => {
      csvRows.push([seed, s, local.curve.loss[k]!, readout.curve.loss[k] ?? NaN, a.dniB[k]!, a.dni[k]!, a.fBptt![k]!]);
    });
    rows.push([
      String(seed), local.testLoss.toFixed(4), readout.testLoss.toFixed(4), last(a.dniB).toFixed(6), last(a.dni).toFixed(3),
      last(a.fBptt!).toFixed(3), seconds(t0),
    ]);
    if (seed === 0) {
      const x = Float64Array.from(local.curve.steps);
      lossSeries.push({ label: 'local rules', x, y: Float64Array.from(local.curve.loss) });
      lossSeries.push({ label: 'readout only', x: Float64Array.from(readout.curve.steps), y: Float64Array.from(readout.curve.loss) });
      alignSeries.push({ label: 'cos(local, DNI)', x, y: Float64Array.from(a.dni) });
      alignSeries.push({ label: 'cos(local, F-BPTT(10))', x, y: Float64Array.from(a.fBptt!) });
    }
  }
  console.log(`Add task (lags 5, 9), n = ${n}, α = 1, ${steps} steps: test cross-entropy on ${testSteps} fresh steps`);
  printTable(rows);
  const b = ADD_TASK_BASELINES;
  console.log(`baselines: nothing ${b.none.toFixed(4)}, first lag ${b.first.toFixed(4)}, both lags ${b.both.toFixed(4)}`);
  out.csv('local-plasticity.csv', ['seed', 'step', 'loss_local', 'loss_readout', 'cos_dni_b', 'cos_dni', 'cos_f_bptt'], csvRows);
  const guide = (label: string, y: number): Series => ({ label, x: Float64Array.of(0, steps), y: Float64Array.of(y, y), color: '#999' });
  out.svg('local-plasticity-loss.svg', {
    title: 'Add task (5, 9): training loss, block means (seed 0)',
    xLabel: 'step',
    yLabel: 'cross-entropy',
    series: [...lossSeries, guide('first lag only', b.first), guide('both lags', b.both)],
  });
  out.svg('local-plasticity-alignment.svg', {
    title: 'Alignment of the local direction with its parents (seed 0)',
    xLabel: 'step',
    yLabel: 'mean cosine',
    series: alignSeries,
  });
  return result;
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
