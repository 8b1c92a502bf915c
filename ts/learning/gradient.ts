/**
 * One algorithm's gradient over a given sequence with the weights held fixed: how rnnlab is
 * compared number for number with other implementations.
 */

import { ArgumentError } from '../errors.js';
import { checkBudget, call } from '../runtime/call.js';
import { flag, options, seed as checkSeed, vector } from '../validate.js';
import { algorithmBytes, encodeAlgorithm, type AlgorithmSpec } from './algorithms.js';
import { checkNetwork, networkArgs, readWeights, weightOutputs, type RnnNetwork, type WeightArrays } from './network.js';

/** Options of {@link sequenceGradient}. */
export interface SequenceGradientOptions {
  network: RnnNetwork;
  /** An online algorithm, or `'bptt'` for exact offline backpropagation through time. */
  algorithm: AlgorithmSpec | 'bptt';
  /** Inputs x(1…T), row-major T × nIn. */
  inputs: Float64Array;
  /** Labels y*(1…T), row-major T × nOut. */
  labels: Float64Array;
  /** Seed of a stochastic algorithm's draws (default 0). */
  seed?: number;
  /** Also return each step's W gradient (default false). */
  perStep?: boolean;
}

/** Summed gradients of the total loss, per weight array, and the loss. */
export interface SequenceGradient extends WeightArrays {
  /** Total loss Σ_t L(t). */
  loss: number;
  /**
   * With `perStep`: the gradient of W = [W_rec | W_in | b_rec] emitted at each step, T × n × m
   * row-major (m = n + nIn + 1). For `'bptt'` these are ∂L/∂W^(t) (the paper's column sums); a
   * future-facing algorithm's remainder at the end is added to the last step.
   */
  perStep?: Float64Array;
}

/**
 * Runs `algorithm` over the sequence from the network's a(0) with its weights fixed and returns
 * Σ_t of its gradient estimates (the readout always by its exact gradient). For RTRL and
 * `'bptt'` this is the exact gradient ∂(Σ_t L(t))/∂θ.
 *
 * @example
 * ```ts
 * const network = createNetwork({ n: 8, nIn: 2, nOut: 2, seed: 1 });
 * const inputs = Float64Array.from({ length: 40 }, (_, k) => (k % 3 === 0 ? 1 : 0));
 * const labels = Float64Array.from({ length: 40 }, (_, k) => (k % 2 === 0 ? 0.3 : 0.7));
 * const exact = sequenceGradient({ network, algorithm: 'bptt', inputs, labels });
 * const rtrl = sequenceGradient({ network, algorithm: 'rtrl', inputs, labels });
 * Math.abs(rtrl.wRec[0]! - exact.wRec[0]!) < 1e-12; // true
 * ```
 */
export function sequenceGradient(opts: SequenceGradientOptions): SequenceGradient {
  const o = options('options', opts, ['network', 'algorithm', 'inputs', 'labels', 'seed', 'perStep']);
  const net = checkNetwork('network', o.network);
  const alg = o.algorithm === 'bptt' ? undefined : encodeAlgorithm('algorithm', o.algorithm);
  const labels = vector('labels', o.labels);
  if (labels.length === 0 || labels.length % net.nOut !== 0) {
    throw new ArgumentError('labels', `length must be a positive multiple of nOut = ${net.nOut}, got ${labels.length}`);
  }
  const steps = labels.length / net.nOut;
  const inputs = vector('inputs', o.inputs, steps * net.nIn);
  const seed = checkSeed('seed', o.seed ?? 0);
  const perStep = o.perStep !== undefined && flag('perStep', o.perStep);
  const m = net.n + net.nIn + 1;
  const nm = net.n * m;
  // BPTT keeps every step's state; an online algorithm its own state (see algorithmBytes).
  checkBudget('labels', 8 * steps * (2 * m + 4 * net.n + 2 * net.nOut));
  checkBudget('algorithm', alg ? algorithmBytes(alg, net.n, m) : 0);
  checkBudget('perStep', perStep ? 8 * steps * nm : 0);
  return call((b) => {
    const outs = weightOutputs(b, net);
    const ps = perStep ? b.output(steps * nm) : 0;
    const loss = b.output(1);
    const optionsPtr = alg && alg.options.length > 0 ? b.input(Float64Array.from(alg.options)) : 0;
    b.check(b.exports.rnl_learn_gradient(
      ...networkArgs(b, net), b.input(net.a0), steps, b.input(inputs), b.input(labels),
      alg ? alg.code : 0xffffffff, optionsPtr, alg ? alg.options.length : 0, seed,
      ...outs, ps, loss,
    ));
    const result: SequenceGradient = { ...readWeights(b, net, outs), loss: b.read(loss, 1)[0]! };
    if (perStep) result.perStep = b.read(ps, steps * nm);
    return result;
  });
}
