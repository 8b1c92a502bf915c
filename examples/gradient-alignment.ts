/**
 * Gradient alignment on one trajectory (Marschall, Cho & Savin, JMLR 2020; learning note §5.5):
 * RTRL trains a network on the Add task while every other algorithm runs passively on the same
 * trajectory; at each step the cosine between each algorithm's recurrent gradient and RTRL's
 * (and between every pair) is recorded. Defaults: n = 32, α = 1, lags (5, 9), SGD 0.01,
 * 10 000 steps, means over steps 1000…10 000. With `--alpha 0.5 --lags 2,4 --tau 2` it is the
 * note's α = 0.5 configuration. The reference code's values (note §5.5, α = 1): KF-RTRL 0.27,
 * RFLO 0.40, KeRNL 0.39, UORO and R-KF-RTRL 0.04, DNI 0.08, F-BPTT(10) 0.13 (lagged by T).
 *
 *   npx tsx examples/gradient-alignment.ts                 # about a minute
 *   npx tsx examples/gradient-alignment.ts --steps 3000    # quick look
 *
 * Writes gradient-alignment.svg and gradient-alignment.csv to --out (default examples/out).
 */
import { parseArgs } from 'node:util';
import { ALGORITHMS, addTask, createNetwork, train, type AlgorithmName, type Series } from '../ts/index.js';
import { isMain, num, numbers, Output, printTable } from './lib/output.js';

export interface AlignmentResult {
  files: string[];
  /** Mean cosine with RTRL over the measured window, per algorithm. */
  withRtrl: Record<string, number>;
  /** Mean cosine of every pair. */
  pairs: { pair: readonly [string, string]; mean: number }[];
}

export async function run(argv: string[]): Promise<AlignmentResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '10000' },
      from: { type: 'string', default: '1000' },
      n: { type: 'string', default: '32' },
      alpha: { type: 'string', default: '1' },
      lags: { type: 'string', default: '5,9' },
      tau: { type: 'string', default: '1' },
      lr: { type: 'string', default: '0.01' },
      block: { type: 'string', default: '500' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string', default: 'examples/out' },
    },
  });
  const steps = num('steps', values.steps);
  const from = num('from', values.from);
  const block = num('block', values.block);
  const [t1, t2] = numbers('lags', values.lags) as [number, number];
  const compare = ALGORITHMS.filter((a): a is Exclude<AlgorithmName, 'rtrl' | 'output-only'> => a !== 'rtrl' && a !== 'output-only');
  const network = createNetwork({ n: num('n', values.n), nIn: 2, nOut: 2, alpha: num('alpha', values.alpha), seed: 1 });
  const r = await train({
    network, task: addTask({ lags: [t1, t2], tau: num('tau', values.tau) }), algorithm: 'rtrl', compare,
    seed: num('seed', values.seed), steps, block, optimizer: { type: 'sgd', lr: num('lr', values.lr) },
  });
  const window = r.curve.steps.map((s) => s > from);
  const mean = (v: number[]) => {
    const w = v.filter((x, k) => window[k] && Number.isFinite(x));
    return w.reduce((a, b) => a + b, 0) / w.length;
  };
  const pairs = r.curve.alignment.map((s) => ({ pair: s.pair, mean: mean(s.cosine) }));
  const withRtrl: Record<string, number> = {};
  for (const p of pairs) if (p.pair[0] === 'rtrl') withRtrl[p.pair[1]] = p.mean;
  console.log(`Cosine of each algorithm's recurrent gradient with RTRL's, trained by RTRL, steps ${from}…${steps}`);
  printTable([['algorithm', 'cos with RTRL'], ...compare.map((a) => [a, withRtrl[a]!.toFixed(3)])]);
  console.log('\nPairwise mean cosines');
  printTable([['pair', 'cos'], ...pairs.map((p) => [`${p.pair[0]} · ${p.pair[1]}`, p.mean.toFixed(3)])]);
  const out = new Output(values.out);
  out.csv('gradient-alignment.csv', ['step', ...pairs.map((p) => `${p.pair[0]}|${p.pair[1]}`)],
    r.curve.steps.map((s, k) => [s, ...r.curve.alignment.map((a) => a.cosine[k]!)]));
  const series: Series[] = r.curve.alignment.filter((s) => s.pair[0] === 'rtrl')
    .map((s) => ({ label: s.pair[1], x: Float64Array.from(r.curve.steps), y: Float64Array.from(s.cosine) }));
  out.svg('gradient-alignment.svg', { title: 'Alignment with RTRL (block means)', xLabel: 'step', yLabel: 'cosine', series });
  return { files: out.files, withRtrl, pairs };
}

if (isMain(import.meta.url)) await run(process.argv.slice(2));
