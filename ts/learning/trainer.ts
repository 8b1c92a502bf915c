/**
 * Online training runs: one network, one task stream, one algorithm training the recurrent
 * weights (the readout by its exact gradient), optionally other algorithms run passively on the
 * same trajectory to measure gradient alignment; one optimizer update per step
 * (Marschall, Cho & Savin 2020). The run lives in WebAssembly; dispose it when done.
 */

import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { WasmObject } from '../runtime/handle.js';
import { guarded } from '../runtime/module.js';
import { finite, integer, oneOf, options, seed as checkSeed } from '../validate.js';
import { algorithmBytes, encodeAlgorithm, type AlgorithmSpec } from './algorithms.js';
import { checkNetwork, networkArgs, readWeights, weightOutputs, type RnnNetwork } from './network.js';
import { encodeTask, type Task } from './tasks.js';

/** The optimizer (default SGD with learning rate 1e−3, as in the paper). */
export type OptimizerOptions =
  | { type: 'sgd'; lr: number }
  | { type: 'adam'; lr: number; beta1?: number; beta2?: number; eps?: number };

/** Options of a {@link Trainer}. */
export interface TrainerOptions {
  /** The network to train (copied; see {@link createNetwork}). Training starts from its a0. */
  network: RnnNetwork;
  task: Task;
  /** The algorithm that trains the recurrent weights W_rec, W_in, b_rec. */
  algorithm: AlgorithmSpec;
  /** Algorithms run passively on the same trajectory, for gradient alignment. */
  compare?: readonly AlgorithmSpec[];
  optimizer?: OptimizerOptions;
  /** Clip the global gradient norm to this value (default: no clipping). */
  clip?: number;
  /** Seed of the task stream (and, offset by 1, 2, …, of each algorithm's draws). */
  seed: number;
  /** Steps per point of the learning curve (default 1000). */
  block?: number;
}

/** One alignment series: the mean cosine of two algorithms' W gradients per block. */
export interface AlignmentSeries {
  readonly pair: readonly [string, string];
  readonly cosine: number[];
}

/** Block-averaged statistics of a run. */
export interface LearningCurve {
  /** Steps trained at the end of each block. */
  steps: number[];
  /** Mean training loss per block. */
  loss: number[];
  /** Mean global gradient norm (before clipping) per block. */
  gradNorm: number[];
  /** Cosines of every pair of algorithms (the trained one first), steps with a zero gradient skipped. */
  alignment: AlignmentSeries[];
}

/** A JSON-serialisable snapshot from which training resumes. */
export interface Checkpoint {
  readonly format: 'rnnlab-checkpoint';
  readonly version: 1;
  readonly options: {
    task: Task | { kind: 'sequence'; inputs: number[]; labels: number[]; steps: number };
    algorithm: AlgorithmSpec;
    compare: readonly AlgorithmSpec[];
    optimizer: OptimizerOptions;
    clip: number | null;
    seed: number;
    block: number;
  };
  readonly network: Omit<RnnNetwork, 'wRec' | 'wIn' | 'bRec' | 'wOut' | 'bOut' | 'a0'> & {
    wRec: number[]; wIn: number[]; bRec: number[]; wOut: number[]; bOut: number[]; a0: number[];
  };
  readonly steps: number;
  readonly updates: number;
  readonly moments: number[];
  readonly curve: LearningCurve;
}

/**
 * A training run. {@link Trainer.run} trains a number of steps (many per call, inside
 * WebAssembly); {@link Trainer.curve} holds the learning curve; {@link Trainer.network} the
 * trained weights; {@link Trainer.checkpoint} a JSON snapshot that {@link Trainer.resume}
 * continues from (the network, optimizer state and step count are restored exactly; the task
 * stream continues from a fresh seed and the algorithm's credit-assignment state restarts).
 *
 * @example
 * ```ts
 * const network = createNetwork({ n: 16, nIn: 2, nOut: 2, seed: 1 });
 * using run = new Trainer({ network, task: addTask({ lags: [2, 4] }), algorithm: 'rflo', compare: ['rtrl'], seed: 2, block: 500 });
 * run.run(2000);
 * run.curve.loss.length; // 4
 * run.curve.alignment[0]!.pair; // ['rflo', 'rtrl']
 * ```
 */
export class Trainer extends WasmObject {
  /** The learning curve so far. */
  readonly curve: LearningCurve;
  readonly #shape: RnnNetwork;
  #opts: Checkpoint['options'];
  readonly #width: number;

  constructor(opts: TrainerOptions) {
    const o = options('options', opts, ['network', 'task', 'algorithm', 'compare', 'optimizer', 'clip', 'seed', 'block']);
    const setup = checkSetup((key) => key, o);
    const { net, task, code, params, all, optimizer, clip, seed, block } = setup;
    const seq = task.kind === 'sequence' ? task : undefined;
    const handle = call((b) => {
      const opt = optimizer.type === 'adam'
        ? [1, optimizer.lr, optimizer.beta1 ?? 0.9, optimizer.beta2 ?? 0.999, optimizer.eps ?? 1e-8]
        : [0, optimizer.lr, 0, 0, 0];
      const flatOptions = all.flatMap((a) => a.options);
      const h = b.exports.rnl_trainer_new(
        ...networkArgs(b, net), b.input(net.a0), code, b.input(Float64Array.from(params)), params.length,
        seq ? seq.steps : 0, seq ? b.input(seq.inputs) : 0, seq ? b.input(seq.labels) : 0,
        all.length, b.input(Float64Array.from(all.map((a) => a.code))), b.input(Float64Array.from(flatOptions)), flatOptions.length,
        opt[0]!, opt[1]!, opt[2]!, opt[3]!, opt[4]!, clip ?? NaN, seed, block,
      );
      if (h === 0) b.check(1);
      return h;
    });
    super(handle, (exports, h) => exports.rnl_trainer_free(h));
    this.#shape = net;
    this.#width = guarded((e) => e.rnl_trainer_record_width(handle));
    this.#opts = {
      task: serialTask(task),
      algorithm: setup.algorithm, compare: setup.compare, optimizer, clip, seed, block,
    };
    this.curve = { steps: [], loss: [], gradNorm: [], alignment: pairs(all.map((a) => a.name)).map((pair) => ({ pair, cosine: [] })) };
  }

  /**
   * Continues a run from a {@link Checkpoint} (see the class doc for what is restored). Every
   * field is checked first (shapes, types, finiteness, format and version, the optimizer's
   * moments against its type and the network); a bad one throws an {@link ArgumentError} naming
   * it, e.g. `checkpoint.moments`.
   */
  static resume(checkpoint: Checkpoint): Trainer {
    const keys = ['format', 'version', 'options', 'network', 'steps', 'updates', 'moments', 'curve'];
    const c = options('checkpoint', checkpoint, keys);
    for (const key of keys) if (c[key] === undefined) throw new ArgumentError(`checkpoint.${key}`, 'is missing');
    if (c.format !== 'rnnlab-checkpoint') throw new ArgumentError('checkpoint.format', "must be 'rnnlab-checkpoint': this is not an rnnlab checkpoint");
    if (c.version !== 1) throw new ArgumentError('checkpoint.version', `must be 1 (the version this rnnlab reads), got ${String(c.version)}`);
    const co = options('checkpoint.options', c.options);
    options('checkpoint.options', { ...co, clip: co.clip ?? undefined }, OPTION_KEYS);
    for (const key of OPTION_KEYS) if (co[key] === undefined) throw new ArgumentError(`checkpoint.options.${key}`, 'is missing');
    const cn = options('checkpoint.network', c.network);
    const network = { ...cn };
    for (const key of ['wRec', 'wIn', 'bRec', 'wOut', 'bOut', 'a0'] as const) network[key] = numbers(`checkpoint.network.${key}`, cn[key]);
    const steps = integer('checkpoint.steps', c.steps, { min: 0 });
    const updates = integer('checkpoint.updates', c.updates, { min: 0 });
    let task = co.task;
    const t = options('checkpoint.options.task', task);
    if (t.kind === 'sequence') {
      task = { ...t, inputs: numbers('checkpoint.options.task.inputs', t.inputs), labels: numbers('checkpoint.options.task.labels', t.labels) };
    }
    const setup = checkSetup((key) => (key === 'network' ? 'checkpoint.network' : `checkpoint.options.${key}`), {
      ...co, network, task, ...(co.clip === null ? { clip: undefined } : {}),
    });
    const { net } = setup;
    const moments = checkMoments(numbers('checkpoint.moments', c.moments), setup.optimizer, net);
    const curve = checkCurve(c.curve, steps, pairs(setup.all.map((a) => a.name)));
    let resumed = setup.task;
    if (resumed.kind === 'sequence') {
      // A user sequence continues where the run stopped.
      const offset = Math.min(steps, resumed.steps);
      resumed = {
        kind: 'sequence', steps: resumed.steps - offset,
        inputs: resumed.inputs.slice(offset * net.nIn), labels: resumed.labels.slice(offset * net.nOut),
      };
    }
    const trainer = new Trainer({
      network: net, task: resumed, algorithm: setup.algorithm, compare: setup.compare, optimizer: setup.optimizer,
      ...(setup.clip === null ? {} : { clip: setup.clip }),
      seed: (setup.seed + steps) % Number.MAX_SAFE_INTEGER, block: setup.block,
    });
    try {
      const h = trainer.handle;
      call((b) => b.check(b.exports.rnl_trainer_restore(h, steps, updates, moments.length > 0 ? b.input(moments) : 0)));
    } catch (e) {
      trainer.dispose();
      throw e;
    }
    trainer.#opts = { ...trainer.#opts, task: serialTask(setup.task), seed: setup.seed };
    // Element by element: a long curve would overflow the argument list of push(...values).
    const append = (to: number[], from: readonly number[]) => { for (const v of from) to.push(v); };
    append(trainer.curve.steps, curve.steps);
    append(trainer.curve.loss, curve.loss);
    append(trainer.curve.gradNorm, curve.gradNorm);
    curve.alignment.forEach((s, i) => append(trainer.curve.alignment[i]!.cosine, s.cosine));
    return trainer;
  }

  /** Steps per point of the learning curve. */
  get block(): number {
    return this.#opts.block;
  }

  /** Steps trained so far. */
  get steps(): number {
    return this.#counts()[0]!;
  }

  /** Trains up to `steps` steps and returns the number taken (fewer when a sequence ends). */
  run(steps: number): number {
    const k = integer('steps', steps, { min: 0, max: 2 ** 31 - 1 });
    const h = this.handle;
    const done = guarded((e) => e.rnl_trainer_run(h, k));
    this.#collect();
    return done;
  }

  /** Moves the finished blocks into {@link Trainer.curve}. */
  #collect(): void {
    const h = this.handle;
    const width = this.#width;
    const rows = guarded((e) => e.rnl_trainer_pending(h));
    if (rows <= 0) return;
    const data = call((b) => {
      const out = b.output(rows * width);
      b.check(b.exports.rnl_trainer_take_records(h, out));
      return b.read(out, rows * width);
    });
    for (let r = 0; r < rows; r++) {
      const row = data.subarray(r * width, (r + 1) * width);
      this.curve.steps.push(row[0]!);
      this.curve.loss.push(row[1]!);
      this.curve.gradNorm.push(row[2]!);
      this.curve.alignment.forEach((s, i) => s.cosine.push(row[3 + i]!));
    }
  }

  #counts(): Float64Array {
    return this.#snapshot().counts;
  }

  #snapshot() {
    const h = this.handle;
    const net = this.#shape;
    return call((b) => {
      const outs = weightOutputs(b, net);
      const a = b.output(net.n);
      const counts = b.output(2);
      b.check(b.exports.rnl_trainer_weights(h, ...outs, a, counts));
      return { weights: readWeights(b, net, outs), a: b.read(a, net.n), counts: b.read(counts, 2) };
    });
  }

  /** The network as trained so far, with a0 = the current state a(t). */
  network(): RnnNetwork {
    const { weights, a } = this.#snapshot();
    return { ...this.#shape, ...weights, a0: a };
  }

  /**
   * Mean loss over `steps` fresh steps of the task (drawn from `seed`; default 10 000 steps,
   * seed 2^31) with frozen weights, continuing from the current state (the paper's test mode).
   * For a user sequence, the sequence from its start.
   */
  evaluate(opts: { steps?: number; seed?: number } = {}): number {
    const o = options('options', opts, ['steps', 'seed']);
    const steps = integer('steps', o.steps ?? 10000, { min: 1, max: 2 ** 31 - 1 });
    const seed = checkSeed('seed', o.seed ?? 2 ** 31);
    const h = this.handle;
    return call((b) => {
      const out = b.output(1);
      b.check(b.exports.rnl_trainer_evaluate(h, steps, seed, out));
      return b.read(out, 1)[0]!;
    });
  }

  /** A JSON-serialisable snapshot (see {@link Trainer.resume}). */
  checkpoint(): Checkpoint {
    const { weights, a, counts } = this.#snapshot();
    const h = this.handle;
    const moments = call((b) => {
      const len = b.exports.rnl_trainer_moments_len(h);
      const out = b.output(len);
      b.check(b.exports.rnl_trainer_moments(h, out));
      return Array.from(b.read(out, len));
    });
    const net = this.#shape;
    return {
      format: 'rnnlab-checkpoint',
      version: 1,
      options: this.#opts,
      network: {
        n: net.n, nIn: net.nIn, nOut: net.nOut, alpha: net.alpha, activation: net.activation, loss: net.loss,
        ...(net.legacy ? { legacy: net.legacy } : {}),
        wRec: Array.from(weights.wRec), wIn: Array.from(weights.wIn), bRec: Array.from(weights.bRec),
        wOut: Array.from(weights.wOut), bOut: Array.from(weights.bOut), a0: Array.from(a),
      },
      steps: counts[0]!,
      updates: counts[1]!,
      moments,
      curve: structuredClone(this.curve),
    };
  }
}

const OPTION_KEYS = ['task', 'algorithm', 'compare', 'optimizer', 'clip', 'seed', 'block'] as const;

type Encoded = ReturnType<typeof encodeAlgorithm>;

/** Validated settings of a run. */
interface Setup {
  net: RnnNetwork;
  task: Task;
  code: number;
  params: number[];
  /** The trained algorithm, then the compared ones. */
  all: Encoded[];
  algorithm: AlgorithmSpec;
  compare: AlgorithmSpec[];
  optimizer: OptimizerOptions;
  clip: number | null;
  seed: number;
  block: number;
}

/** Checks a run's settings; `at` names each field in errors. */
function checkSetup(at: (key: string) => string, o: Record<string, unknown>): Setup {
  const net = checkNetwork(at('network'), o.network);
  const { task, code, params } = encodeTask(at('task'), o.task, net.nIn, net.nOut);
  const algorithm = encodeAlgorithm(at('algorithm'), o.algorithm);
  if (o.compare !== undefined && !Array.isArray(o.compare)) throw new ArgumentError(at('compare'), 'must be an array of algorithms');
  const compareSpecs = (o.compare ?? []) as unknown[];
  const compare = compareSpecs.map((c, i) => encodeAlgorithm(`${at('compare')}[${i}]`, c));
  const optimizer = checkOptimizer(at('optimizer'), o.optimizer ?? { type: 'sgd', lr: 1e-3 });
  const clip = o.clip === undefined ? null : finite(at('clip'), o.clip, { min: 0, exclusiveMin: true });
  const seed = checkSeed(at('seed'), o.seed);
  const block = integer(at('block'), o.block ?? 1000, { min: 1, max: 2 ** 31 - 1 });
  const all = [algorithm, ...compare];
  const m = net.n + net.nIn + 1;
  checkBudget(at('network'), 8 * 4 * (net.n * m + net.nOut * (net.n + 1)) + all.reduce((sum, a) => sum + algorithmBytes(a, net.n, m), 0));
  return {
    net, task, code, params, all, optimizer, clip, seed, block,
    algorithm: structuredClone(o.algorithm) as AlgorithmSpec, compare: structuredClone(compareSpecs) as AlgorithmSpec[],
  };
}

/** A task as a checkpoint stores it (a sequence's arrays as plain arrays). */
function serialTask(task: Task): Checkpoint['options']['task'] {
  return task.kind === 'sequence'
    ? { kind: 'sequence', inputs: Array.from(task.inputs), labels: Array.from(task.labels), steps: task.steps }
    : task;
}

/** Every pair of algorithm names, the trained one first. */
function pairs(names: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) out.push([names[i]!, names[j]!]);
  return out;
}

/** An array of finite numbers (with `nullable`, also null and NaN: JSON writes NaN as null). */
function numbers(name: string, value: unknown, nullable = false): Float64Array {
  if (!Array.isArray(value)) throw new ArgumentError(name, `must be an array of numbers, got ${value === null ? 'null' : typeof value}`);
  const out = new Float64Array(value.length);
  value.forEach((v: unknown, i) => {
    if (typeof v === 'number' && (Number.isFinite(v) || (nullable && Number.isNaN(v)))) out[i] = v;
    else if (nullable && v === null) out[i] = NaN;
    else throw new ArgumentError(`${name}[${i}]`, `must be a finite number, got ${typeof v === 'string' ? `the string '${v}'` : String(v)}`);
  });
  return out;
}

/** Adam's moments (m, then v ≥ 0) of a network, or none for SGD. */
function checkMoments(moments: Float64Array, optimizer: OptimizerOptions, net: RnnNetwork): Float64Array {
  const params = net.n * (net.n + net.nIn + 1) + net.nOut * (net.n + 1);
  const want = optimizer.type === 'adam' ? 2 * params : 0;
  if (moments.length !== want) {
    throw new ArgumentError('checkpoint.moments', optimizer.type === 'adam'
      ? `must hold Adam's ${want} moments (m and v of ${params} parameters), got ${moments.length}`
      : `must be empty for SGD, got ${moments.length} entries`);
  }
  const negative = moments.subarray(params).findIndex((v) => v < 0);
  if (negative >= 0) throw new ArgumentError(`checkpoint.moments[${params + negative}]`, 'is a second moment and must be ≥ 0');
  return moments;
}

/** A checkpoint's learning curve: equal lengths, the run's alignment pairs. */
function checkCurve(value: unknown, steps: number, expected: [string, string][]): LearningCurve {
  const c = options('checkpoint.curve', value, ['steps', 'loss', 'gradNorm', 'alignment']);
  const at = numbers('checkpoint.curve.steps', c.steps);
  const length = at.length;
  at.forEach((s, i) => integer(`checkpoint.curve.steps[${i}]`, s, { min: 0, max: steps }));
  const series = (name: string, v: unknown): number[] => {
    const a = numbers(name, v, true);
    if (a.length !== length) throw new ArgumentError(name, `must have ${length} entries like checkpoint.curve.steps, got ${a.length}`);
    return Array.from(a);
  };
  const given = c.alignment;
  if (!Array.isArray(given) || given.length !== expected.length) {
    throw new ArgumentError('checkpoint.curve.alignment', `must be an array of ${expected.length} series (one per pair of algorithms)`);
  }
  const alignment = expected.map((pair, i) => {
    const name = `checkpoint.curve.alignment[${i}]`;
    const s = options(name, given[i], ['pair', 'cosine']);
    if (!Array.isArray(s.pair) || s.pair[0] !== pair[0] || s.pair[1] !== pair[1] || s.pair.length !== 2) {
      throw new ArgumentError(`${name}.pair`, `must be ['${pair[0]}', '${pair[1]}']`);
    }
    return { pair, cosine: series(`${name}.cosine`, s.cosine) };
  });
  return {
    steps: Array.from(at), loss: series('checkpoint.curve.loss', c.loss), gradNorm: series('checkpoint.curve.gradNorm', c.gradNorm), alignment,
  };
}

function checkOptimizer(name: string, value: unknown): OptimizerOptions {
  const o = options(name, value);
  const type = oneOf(`${name}.type`, o.type, ['sgd', 'adam'] as const);
  options(name, value, type === 'sgd' ? ['type', 'lr'] : ['type', 'lr', 'beta1', 'beta2', 'eps']);
  const lr = finite(`${name}.lr`, o.lr, { min: 0 });
  if (type === 'sgd') return { type, lr };
  return {
    type, lr,
    beta1: finite(`${name}.beta1`, o.beta1 ?? 0.9, { min: 0, max: 1 }),
    beta2: finite(`${name}.beta2`, o.beta2 ?? 0.999, { min: 0, max: 1 }),
    eps: finite(`${name}.eps`, o.eps ?? 1e-8, { min: 0, exclusiveMin: true }),
  };
}
