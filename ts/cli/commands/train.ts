/** `rnnlab train`: train an RNN online on the Add or Mimic task with any algorithm. */

import { readFileSync } from 'node:fs';
import { choice, int, list, num, UsageError } from '../args.js';
import { progress, table, writeCsv, writeOutput, writeSvg } from '../output.js';
import { ALGORITHMS, type AlgorithmName } from '../../learning/algorithms.js';
import { createNetwork } from '../../learning/network.js';
import { ADD_TASK_BASELINES, addTask, mimicTask } from '../../learning/tasks.js';
import { train as trainRun } from '../../learning/train.js';
import type { Checkpoint } from '../../learning/trainer.js';
import type { Command } from './command.js';

/** Most steps per command: 10^9 steps take hours to days depending on the algorithm. */
const MAX_STEPS = 1e9;

export const train: Command = {
  name: 'train',
  summary: 'train an RNN online (Add or Mimic task) with one of the online learning algorithms',
  example: 'rnnlab train --algorithm kf-rtrl --lr 0.003 --steps 50000 --svg curve.svg --checkpoint run.json',
  outputs: ['checkpoint'],
  specs: {
    task: { type: 'string', default: 'add', help: 'add or mimic' },
    lags: { type: 'string', default: '5,9', help: 'Add task lags t1,t2' },
    algorithm: { type: 'string', default: 'rflo', help: `one of ${ALGORITHMS.join(', ')}` },
    compare: { type: 'string', help: 'algorithms run passively for gradient alignment, comma-separated' },
    steps: { type: 'string', default: '20000', help: `training steps (at most ${MAX_STEPS}; continue longer runs with --resume)` },
    n: { type: 'string', default: '32', help: 'hidden units' },
    alpha: { type: 'string', default: '1', help: 'inverse time constant α' },
    lr: { type: 'string', default: '0.003', help: 'learning rate' },
    optimizer: { type: 'string', default: 'sgd', help: 'sgd or adam' },
    clip: { type: 'string', help: 'clip the gradient norm to this value' },
    seed: { type: 'string', default: '0', help: 'seed of the network, the task stream and the algorithm' },
    'test-steps': { type: 'string', default: '10000', help: 'fresh steps for the test loss' },
    checkpoint: { type: 'string', help: 'write a JSON checkpoint to this file at the end' },
    resume: { type: 'string', help: 'continue from a JSON checkpoint (its options apply)' },
  },
  async run(v) {
    const steps = int('train', 'steps', v.steps, MAX_STEPS);
    const testSteps = int('train', 'test-steps', v['test-steps']);
    const quiet = v.quiet === true || v.json === true;
    let source;
    if (typeof v.resume === 'string') {
      let checkpoint: Checkpoint;
      try {
        checkpoint = JSON.parse(readFileSync(v.resume, 'utf8')) as Checkpoint;
      } catch (e) {
        throw new UsageError(`rnnlab train: --resume: cannot read '${v.resume}': ${(e as Error).message}`);
      }
      source = { resume: checkpoint };
    } else {
      const kind = choice('train', 'task', v.task, ['add', 'mimic'] as const);
      const algorithm = choice('train', 'algorithm', v.algorithm, ALGORITHMS);
      const compare = typeof v.compare === 'string' ? v.compare.split(',').map((a) => choice('train', 'compare', a, ALGORITHMS)) : [];
      const n = int('train', 'n', v.n);
      const seed = int('train', 'seed', v.seed);
      const alpha = num('train', 'alpha', v.alpha);
      const [t1, t2] = list('train', 'lags', v.lags, 2) as [number, number];
      const network = kind === 'add'
        ? createNetwork({ n, nIn: 2, nOut: 2, alpha, seed })
        : createNetwork({ n, nIn: 32, nOut: 32, alpha, loss: 'mse', legacy: { mseSumDerivative: true }, seed });
      const task = kind === 'add' ? addTask({ lags: [t1, t2] }) : mimicTask({ n: 32, seed: seed + 7 });
      const type = choice('train', 'optimizer', v.optimizer, ['sgd', 'adam'] as const);
      source = {
        network, task, algorithm: algorithm as AlgorithmName, compare, seed,
        optimizer: { type, lr: num('train', 'lr', v.lr) },
        ...(v.clip === undefined ? {} : { clip: num('train', 'clip', v.clip) }),
        block: Math.max(1, Math.round(steps / 100)),
      };
    }
    const bar = progress(quiet, 'train', steps);
    let r;
    try {
      r = await trainRun({
        ...source, steps, testSteps, progressIntervalMs: 100,
        onProgress: (p) => {
          bar.update(Math.min(steps, p.step - (p.total - steps)), Number.isNaN(p.loss) ? '' : `loss ${p.loss.toFixed(4)}`);
        },
      });
    } finally {
      bar.stop();
    }
    const result = {
      steps: r.steps, stopped: r.stopped, testLoss: r.testLoss, finalTrainingLoss: r.curve.loss.at(-1) ?? NaN,
      alignment: r.curve.alignment.map((s) => ({ pair: s.pair, last: s.cosine.at(-1) ?? NaN })),
      curve: { steps: r.curve.steps, loss: r.curve.loss },
    };
    if (!v.json) {
      table([
        ['steps', 'stopped', 'final training loss', 'test loss'],
        [r.steps, r.stopped, result.finalTrainingLoss, r.testLoss],
      ]);
      for (const a of result.alignment) console.log(`alignment ${a.pair.join(' · ')}: ${a.last.toFixed(4)}`);
      if (!('resume' in source) && v.task === 'add') {
        const b = ADD_TASK_BASELINES;
        console.log(`Add-task baselines: nothing ${b.none.toFixed(4)}, first lag ${b.first.toFixed(4)}, both lags ${b.both.toFixed(4)}`);
      }
    }
    if (typeof v.csv === 'string') writeCsv(v.csv, ['step', 'loss', 'gradNorm'], r.curve.steps.map((s, k) => [s, r.curve.loss[k]!, r.curve.gradNorm[k]!]));
    if (typeof v.svg === 'string') {
      writeSvg(v.svg, { title: 'Training loss (block means)', xLabel: 'step', yLabel: 'loss', series: [{ label: 'loss', x: r.curve.steps, y: r.curve.loss }] });
    }
    if (typeof v.checkpoint === 'string') writeOutput(v.checkpoint, JSON.stringify(r.checkpoint));
    return result;
  },
};
