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
import { encodeAlgorithm, type AlgorithmName, type AlgorithmSpec } from './algorithms.js';
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
    const o = options('options', opts);
    const net = checkNetwork('network', o.network);
    const task = o.task as Task;
    const { code: taskCode, params } = encodeTask(task, net.nIn, net.nOut);
    const algorithm = encodeAlgorithm('algorithm', o.algorithm);
    if (o.compare !== undefined && !Array.isArray(o.compare)) throw new ArgumentError('compare', 'must be an array of algorithms');
    const compare = ((o.compare ?? []) as unknown[]).map((c, i) => encodeAlgorithm(`compare[${i}]`, c));
    const optimizer = checkOptimizer(o.optimizer ?? { type: 'sgd', lr: 1e-3 });
    const clip = o.clip === undefined ? null : finite('clip', o.clip, { min: 0, exclusiveMin: true });
    const seed = checkSeed('seed', o.seed);
    const block = integer('block', o.block ?? 1000, { min: 1, max: 2 ** 31 - 1 });
    const nm = net.n * (net.n + net.nIn + 1);
    const all = [algorithm, ...compare];
    checkBudget('network', 8 * nm * (net.n + 8) * all.length);
    const seq = task.kind === 'sequence' ? task : undefined;
    const handle = call((b) => {
      const opt = optimizer.type === 'adam'
        ? [1, optimizer.lr, optimizer.beta1 ?? 0.9, optimizer.beta2 ?? 0.999, optimizer.eps ?? 1e-8]
        : [0, optimizer.lr, 0, 0, 0];
      const flatOptions = all.flatMap((a) => a.options);
      const h = b.exports.rnl_trainer_new(
        ...networkArgs(b, net), b.input(net.a0), taskCode, b.input(Float64Array.from(params)), params.length,
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
      task: seq ? { kind: 'sequence', inputs: Array.from(seq.inputs), labels: Array.from(seq.labels), steps: seq.steps } : task,
      algorithm: o.algorithm as AlgorithmSpec,
      compare: (o.compare ?? []) as AlgorithmSpec[],
      optimizer,
      clip,
      seed,
      block,
    };
    const names: AlgorithmName[] = all.map((a) => a.name);
    const pairs: [string, string][] = [];
    for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) pairs.push([names[i]!, names[j]!]);
    this.curve = { steps: [], loss: [], gradNorm: [], alignment: pairs.map((pair) => ({ pair, cosine: [] })) };
  }

  /** Continues a run from a {@link Checkpoint} (see the class doc for what is restored). */
  static resume(checkpoint: Checkpoint): Trainer {
    const c = options('checkpoint', checkpoint) as unknown as Checkpoint;
    if (c.format !== 'rnnlab-checkpoint' || c.version !== 1) throw new ArgumentError('checkpoint', 'is not an rnnlab checkpoint (format/version)');
    const n = c.network;
    const network: RnnNetwork = {
      ...n,
      wRec: Float64Array.from(n.wRec), wIn: Float64Array.from(n.wIn), bRec: Float64Array.from(n.bRec),
      wOut: Float64Array.from(n.wOut), bOut: Float64Array.from(n.bOut), a0: Float64Array.from(n.a0),
    };
    const steps = integer('checkpoint.steps', c.steps, { min: 0 });
    let task: Task = c.options.task as Task;
    if (c.options.task.kind === 'sequence') {
      // A user sequence continues where the run stopped.
      const s = c.options.task;
      const nIn = network.nIn;
      const nOut = network.nOut;
      const offset = Math.min(steps, s.steps);
      task = {
        kind: 'sequence', steps: s.steps - offset,
        inputs: Float64Array.from(s.inputs.slice(offset * nIn)), labels: Float64Array.from(s.labels.slice(offset * nOut)),
      };
    }
    const t = new Trainer({
      network, task, algorithm: c.options.algorithm, compare: c.options.compare, optimizer: c.options.optimizer,
      ...(c.options.clip === null ? {} : { clip: c.options.clip }),
      seed: (checkSeed('checkpoint.options.seed', c.options.seed) + steps) % Number.MAX_SAFE_INTEGER, block: c.options.block,
    });
    t.#opts = c.options;
    const h = t.handle;
    call((b) => b.check(b.exports.rnl_trainer_restore(h, steps, integer('checkpoint.updates', c.updates, { min: 0 }),
      c.moments.length > 0 ? b.input(Float64Array.from(c.moments)) : 0)));
    t.curve.steps.push(...c.curve.steps);
    t.curve.loss.push(...c.curve.loss);
    t.curve.gradNorm.push(...c.curve.gradNorm);
    c.curve.alignment.forEach((s, i) => t.curve.alignment[i]?.cosine.push(...s.cosine));
    return t;
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
    const o = options('options', opts);
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

function checkOptimizer(value: unknown): OptimizerOptions {
  const o = options('optimizer', value);
  const type = oneOf('optimizer.type', o.type, ['sgd', 'adam'] as const);
  const lr = finite('optimizer.lr', o.lr, { min: 0 });
  if (type === 'sgd') return { type, lr };
  return {
    type, lr,
    beta1: finite('optimizer.beta1', o.beta1 ?? 0.9, { min: 0, max: 1 }),
    beta2: finite('optimizer.beta2', o.beta2 ?? 0.999, { min: 0, max: 1 }),
    eps: finite('optimizer.eps', o.eps ?? 1e-8, { min: 0, exclusiveMin: true }),
  };
}
