/**
 * The leaky discrete-time RNN of the online-learning framework (Marschall, Cho & Savin 2020):
 *
 *     h(t) = W_rec a(t−1) + W_in x(t) + b_rec,   a(t) = (1−α) a(t−1) + α φ(h(t)),
 *     z(t) = W_out a(t) + b_out,
 *
 * with a softmax cross-entropy or mean-squared-error readout. A network is a plain object of
 * row-major `Float64Array`s (nothing lives in WebAssembly), so it can be built from weights
 * trained elsewhere, saved as JSON and compared number for number.
 */

import { call } from '../runtime/call.js';
import type { Buffers } from '../runtime/call.js';
import { finite, flag, integer, oneOf, options, seed as checkSeed, vector } from '../validate.js';
import { orthogonalSize } from './tasks.js';

/** φ of the hidden units. */
export type Activation = 'tanh' | 'identity';
/** Readout and loss: softmax cross-entropy, or ½·mean squared error. */
export type LossKind = 'cross-entropy' | 'mse';

/**
 * Quirks of the paper-era reference code (vanilla-rtrl up to 2020), all off by default; each
 * reproduces that code's numbers and none is mathematically consistent.
 */
export interface Legacy {
  /** Cross-entropy value with p clipped to [1e−4, 1]. */
  clipProbability?: boolean;
  /** MSE derivative z − y* (n_out times the derivative of the reported ½·mean loss). */
  mseSumDerivative?: boolean;
  /** RTRL-family immediate influence without α (gradients 1/α times too large). */
  rtrlWithoutAlpha?: boolean;
  /** Gradient clipping computed but never applied. */
  discardClipping?: boolean;
}

/** A network: shapes, settings and its five weight arrays (row-major). */
export interface RnnNetwork {
  /** Hidden units n. */
  readonly n: number;
  /** Inputs n_in. */
  readonly nIn: number;
  /** Outputs n_out. */
  readonly nOut: number;
  /** Inverse time constant α ∈ (0, 1]. */
  readonly alpha: number;
  readonly activation: Activation;
  readonly loss: LossKind;
  readonly legacy?: Legacy;
  /** W_rec, n × n. */
  readonly wRec: Float64Array;
  /** W_in, n × n_in. */
  readonly wIn: Float64Array;
  /** b_rec, n. */
  readonly bRec: Float64Array;
  /** W_out, n_out × n. */
  readonly wOut: Float64Array;
  /** b_out, n_out. */
  readonly bOut: Float64Array;
  /** Initial state a(0), n. */
  readonly a0: Float64Array;
}

/** Options of {@link createNetwork}. */
export interface NetworkOptions {
  n: number;
  nIn: number;
  nOut: number;
  /** α (default 1). */
  alpha?: number;
  /** Default `'tanh'`. */
  activation?: Activation;
  /** Default `'cross-entropy'`. */
  loss?: LossKind;
  legacy?: Legacy;
  /** Seed of the weights and of a(0). */
  seed: number;
}

const ACTIVATIONS = ['tanh', 'identity'] as const;
const LOSSES = ['cross-entropy', 'mse'] as const;

const LEGACY_KEYS = ['clipProbability', 'mseSumDerivative', 'rtrlWithoutAlpha', 'discardClipping'] as const;
const NETWORK_KEYS = ['n', 'nIn', 'nOut', 'alpha', 'activation', 'loss', 'legacy', 'wRec', 'wIn', 'bRec', 'wOut', 'bOut', 'a0'];
/** Largest n, n_in, n_out of a network given by its weights. */
const MAX_UNITS = 4096;

/**
 * A network with the reference initialisation: W_rec orthogonal (Q of a Gaussian matrix's QR),
 * W_in ~ N(0, 1/n_in), W_out ~ N(0, 1/n), zero biases, and a(0) = tanh(N(0, 1)).
 * `n` is at most 1024 (the QR costs O(n³): about 1.5 s at n = 1024, 8× that per doubling);
 * `nIn` and `nOut` at most 4096. Larger networks can be given by their weights.
 *
 * @example
 * ```ts
 * const net = createNetwork({ n: 32, nIn: 2, nOut: 2, seed: 1 });
 * net.wRec.length; // 1024
 * ```
 */
export function createNetwork(opts: NetworkOptions): RnnNetwork {
  const o = options('options', opts, ['n', 'nIn', 'nOut', 'alpha', 'activation', 'loss', 'legacy', 'seed']);
  const n = orthogonalSize('n', o.n);
  const nIn = integer('nIn', o.nIn, { min: 0, max: MAX_UNITS });
  const nOut = integer('nOut', o.nOut, { min: 1, max: MAX_UNITS });
  const alpha = finite('alpha', o.alpha ?? 1, { min: 0, exclusiveMin: true, max: 1 });
  const activation = oneOf('activation', o.activation ?? 'tanh', ACTIVATIONS);
  const loss = oneOf('loss', o.loss ?? 'cross-entropy', LOSSES);
  const legacy = checkLegacy('legacy', o.legacy);
  const seed = checkSeed('seed', o.seed);
  const arrays = call((b) => {
    const wRec = b.output(n * n);
    const wIn = b.output(n * nIn);
    const wOut = b.output(nOut * n);
    const a0 = b.output(n);
    b.check(b.exports.rnl_rnn_init(n, nIn, nOut, seed, wRec, wIn, wOut, a0));
    return { wRec: b.read(wRec, n * n), wIn: b.read(wIn, n * nIn), wOut: b.read(wOut, nOut * n), a0: b.read(a0, n) };
  });
  return {
    n, nIn, nOut, alpha, activation, loss, ...(legacy ? { legacy } : {}),
    ...arrays, bRec: new Float64Array(n), bOut: new Float64Array(nOut),
  };
}

function checkLegacy(name: string, value: unknown): Legacy | undefined {
  if (value === undefined) return undefined;
  const o = options(name, value, LEGACY_KEYS);
  const out: Legacy = {};
  for (const key of LEGACY_KEYS) if (o[key] !== undefined) out[key] = flag(`${name}.${key}`, o[key]);
  return out;
}

/** Checks every field of a network (shapes, finiteness, settings) and returns it. */
export function checkNetwork(name: string, value: unknown): RnnNetwork {
  const o = options(name, value, NETWORK_KEYS);
  const n = integer(`${name}.n`, o.n, { min: 1, max: MAX_UNITS });
  const nIn = integer(`${name}.nIn`, o.nIn, { min: 0, max: MAX_UNITS });
  const nOut = integer(`${name}.nOut`, o.nOut, { min: 1, max: MAX_UNITS });
  finite(`${name}.alpha`, o.alpha, { min: 0, exclusiveMin: true, max: 1 });
  oneOf(`${name}.activation`, o.activation, ACTIVATIONS);
  oneOf(`${name}.loss`, o.loss, LOSSES);
  checkLegacy(`${name}.legacy`, o.legacy);
  vector(`${name}.wRec`, o.wRec, n * n);
  vector(`${name}.wIn`, o.wIn, n * nIn);
  vector(`${name}.bRec`, o.bRec, n);
  vector(`${name}.wOut`, o.wOut, nOut * n);
  vector(`${name}.bOut`, o.bOut, nOut);
  vector(`${name}.a0`, o.a0, n);
  return value as RnnNetwork;
}

/** Legacy flags as the bit set of the C ABI. */
export function legacyBits(legacy: Legacy | undefined): number {
  if (!legacy) return 0;
  return (legacy.clipProbability ? 1 : 0) | (legacy.mseSumDerivative ? 2 : 0) | (legacy.rtrlWithoutAlpha ? 4 : 0)
    | (legacy.discardClipping ? 8 : 0);
}

/** The twelve leading network arguments of the C ABI. */
export type Twelve = [number, number, number, number, number, number, number, number, number, number, number, number];
/** Five pointers, one per weight array. */
export type Five = [number, number, number, number, number];

/** The network's leading C-ABI arguments (see `crate/src/ffi/learning.rs`), copied into `b`. */
export function networkArgs(b: Buffers, net: RnnNetwork): Twelve {
  return [
    net.n, net.nIn, net.nOut, net.alpha, ACTIVATIONS.indexOf(net.activation), LOSSES.indexOf(net.loss),
    legacyBits(net.legacy), b.input(net.wRec), b.input(net.wIn), b.input(net.bRec), b.input(net.wOut), b.input(net.bOut),
  ];
}

/** Output buffers for the five weight-shaped arrays of `net`. */
export function weightOutputs(b: Buffers, net: RnnNetwork): Five {
  return [b.output(net.n * net.n), b.output(net.n * net.nIn), b.output(net.n), b.output(net.nOut * net.n), b.output(net.nOut)];
}

/** Reads the five arrays written to {@link weightOutputs}. */
export function readWeights(b: Buffers, net: RnnNetwork, ptrs: Five): WeightArrays {
  const [wRec, wIn, bRec, wOut, bOut] = ptrs;
  return {
    wRec: b.read(wRec, net.n * net.n),
    wIn: b.read(wIn, net.n * net.nIn),
    bRec: b.read(bRec, net.n),
    wOut: b.read(wOut, net.nOut * net.n),
    bOut: b.read(bOut, net.nOut),
  };
}

/** One array per parameter group, shaped like the network's weights. */
export interface WeightArrays {
  wRec: Float64Array;
  wIn: Float64Array;
  bRec: Float64Array;
  wOut: Float64Array;
  bOut: Float64Array;
}
