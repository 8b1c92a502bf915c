/**
 * Local plasticity rules for recurrent networks (after Marschall, Cho & Savin, arXiv 1905.12100):
 * each neuron has a basal compartment (the network's W), an apical compartment holding a
 * synthetic gradient s = A[a; y*; 1], a prediction compartment v = P a(t−1) and a credit
 * compartment that receives the output error through fixed random synapses B_fb and the
 * squashed apical signals of the other neurons through K (the mirror of P). Within each step the
 * phases error feedback → mismatch (P, K learn) → credit (A learns) → consolidation → somatic
 * (W learns by s_i α φ'_i â_j) run in order; every rule uses only pre- and postsynaptic
 * quantities. The schedule equals DNI(b) of Marschall et al. 2020 update for update; see
 * `crate/src/plasticity` for the equations and which parts are our reconstruction.
 */

import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { finite, integer, options, seed as checkSeed } from '../validate.js';
import { algorithmBytes, MAX_HORIZON } from '../learning/algorithms.js';
import { checkNetwork, networkArgs, readWeights, weightOutputs, type RnnNetwork } from '../learning/network.js';
import { encodeTask, type AddTask, type SequenceTask } from '../learning/tasks.js';

/** Options of {@link trainLocalPlasticity}. */
export interface LocalPlasticityOptions {
  /** The network to train (copied); training starts from its a0. */
  network: RnnNetwork;
  /** The Add task or a user sequence (at least `steps` long). */
  task: AddTask | SequenceTask;
  /** Seed of the task stream; the compartments draw from seed + 1. */
  seed: number;
  /** η_SG, learning rate of the apical synapses A (default 0.05). */
  apicalRate?: number;
  /** η_J, learning rate of the prediction synapses P and their mirror K (default 0.01). */
  predictionRate?: number;
  /** SGD learning rate of the basal synapses W and the readout (default 0.003). */
  lr?: number;
  /** Clip the global norm of each update's direction to this value (default: no clipping). */
  clip?: number;
  /** Steps to train. */
  steps: number;
  /** Steps per point of the learning curve (default 1000). */
  block?: number;
  /** Also compare with F-BPTT truncated at this horizon (default 0: not compared; at most 10⁴). */
  horizon?: number;
  /** Evaluate on this many steps with frozen weights at the end (default 0: no test). */
  testSteps?: number;
  /** Seed of the fresh Add stream of the test (default 2^31). */
  testSeed?: number;
}

/** The synapses of the dendritic compartments after training (row-major). */
export interface CompartmentSynapses {
  /** A, apical synapses, n × (n + nOut + 1), on the input [a; y*; 1]. */
  apical: Float64Array;
  /** P, prediction synapses (the learned dynamics model), n × n. */
  prediction: Float64Array;
  /** K, credit synapses (row i: onto neuron i), n × n; equal to Pᵀ. */
  mirror: Float64Array;
  /** B_fb, fixed random error feedback, nOut × n. */
  feedback: Float64Array;
}

/** Block-averaged statistics of a local-plasticity run. */
export interface LocalPlasticityCurve {
  /** Steps trained at the end of each block. */
  steps: number[];
  /** Mean training loss per block. */
  loss: number[];
  /** Mean global norm of the update direction (before clipping) per block. */
  gradNorm: number[];
  /**
   * Mean cosine per block between the local rules' W direction and the gradient of each parent
   * run passively on the same trajectory: DNI(b) (1 up to rounding: the same algorithm), DNI with
   * the exact Jacobian, and F-BPTT when a horizon is given.
   */
  alignment: { dniB: number[]; dni: number[]; fBptt?: number[] };
}

/** What {@link trainLocalPlasticity} returns. */
export interface LocalPlasticityResult {
  /** The trained network (a0 = the final state). */
  network: RnnNetwork;
  curve: LocalPlasticityCurve;
  /** Mean loss on `testSteps` steps with frozen weights (NaN without a test). */
  testLoss: number;
  synapses: CompartmentSynapses;
}

/**
 * Trains the recurrent weights of `network` by the compartmental local rules (the readout by its
 * delta rule), SGD with one update per step, and runs DNI(b), DNI and optionally F-BPTT passively
 * on the same trajectory for comparison. Runs synchronously in WebAssembly.
 *
 * @example
 * ```ts
 * const network = createNetwork({ n: 8, nIn: 2, nOut: 2, seed: 1 });
 * const run = trainLocalPlasticity({
 *   network, task: addTask({ lags: [2, 4] }), seed: 2, steps: 2000, block: 1000, testSteps: 1000,
 * });
 * run.curve.loss.length; // 2
 * Math.abs(run.curve.alignment.dniB[1]! - 1) < 1e-12; // true
 * ```
 */
export function trainLocalPlasticity(opts: LocalPlasticityOptions): LocalPlasticityResult {
  const o = options('options', opts, [
    'network', 'task', 'seed', 'apicalRate', 'predictionRate', 'lr', 'clip', 'steps', 'block', 'horizon', 'testSteps', 'testSeed',
  ]);
  const net = checkNetwork('network', o.network);
  const task = encodeTask('task', o.task, net.nIn, net.nOut);
  if (task.task.kind === 'mimic') throw new ArgumentError('task', 'must be the Add task or a sequence');
  const seed = checkSeed('seed', o.seed);
  const apicalRate = finite('apicalRate', o.apicalRate ?? 0.05, { min: 0 });
  const predictionRate = finite('predictionRate', o.predictionRate ?? 0.01, { min: 0 });
  const lr = finite('lr', o.lr ?? 0.003, { min: 0 });
  const clip = o.clip === undefined ? NaN : finite('clip', o.clip, { min: 0, exclusiveMin: true });
  const steps = integer('steps', o.steps, { min: 0, max: 2 ** 31 - 1 });
  const block = integer('block', o.block ?? 1000, { min: 1, max: 2 ** 31 - 1 });
  const horizon = integer('horizon', o.horizon ?? 0, { min: 0, max: MAX_HORIZON });
  const testSteps = integer('testSteps', o.testSteps ?? 0, { min: 0, max: 2 ** 31 - 1 });
  const testSeed = checkSeed('testSeed', o.testSeed ?? 2 ** 31);
  const sequence = task.task.kind === 'sequence' ? task.task : undefined;
  if (sequence && steps > sequence.steps) {
    throw new ArgumentError('steps', `must be ≤ the sequence's ${sequence.steps} steps, got ${steps}`);
  }
  const m = net.n + net.nIn + 1;
  // The compartments and the passive DNI(b) and DNI; F-BPTT keeps a window of `horizon` steps.
  checkBudget('network', 3 * algorithmBytes({ name: 'dni-b', options: [] }, net.n, m)
    + (horizon > 0 ? algorithmBytes({ name: 'f-bptt', options: [horizon] }, net.n, m) : 0));
  const k = horizon > 0 ? 4 : 3;
  const width = 3 + (k * (k - 1)) / 2;
  const blocks = Math.floor(steps / block);
  checkBudget('steps', 8 * blocks * width);
  const p = net.n + net.nOut + 1;
  return call((b) => {
    const outs = weightOutputs(b, net);
    const a = b.output(net.n);
    const records = b.output(blocks * width);
    const test = b.output(1);
    const apical = b.output(net.n * p);
    const prediction = b.output(net.n * net.n);
    const mirror = b.output(net.n * net.n);
    const feedback = b.output(net.nOut * net.n);
    b.check(b.exports.rnl_plasticity_train(
      ...networkArgs(b, net), b.input(net.a0), task.code,
      task.params.length > 0 ? b.input(Float64Array.from(task.params)) : 0, task.params.length,
      sequence ? sequence.steps : 0, sequence && net.nIn > 0 ? b.input(sequence.inputs) : 0,
      sequence ? b.input(sequence.labels) : 0, apicalRate, predictionRate, horizon, lr, clip, seed, steps, block,
      testSteps, testSeed, ...outs, a, records, test, apical, prediction, mirror, feedback,
    ));
    const r = b.read(records, blocks * width);
    const column = (c: number): number[] => Array.from({ length: blocks }, (_, i) => r[i * width + c]!);
    const alignment: LocalPlasticityCurve['alignment'] = { dniB: column(3), dni: column(4) };
    if (horizon > 0) alignment.fBptt = column(5);
    return {
      network: { ...net, ...readWeights(b, net, outs), a0: b.read(a, net.n) },
      curve: { steps: column(0), loss: column(1), gradNorm: column(2), alignment },
      testLoss: b.read(test, 1)[0]!,
      synapses: {
        apical: b.read(apical, net.n * p),
        prediction: b.read(prediction, net.n * net.n),
        mirror: b.read(mirror, net.n * net.n),
        feedback: b.read(feedback, net.nOut * net.n),
      },
    };
  });
}
