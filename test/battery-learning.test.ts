/**
 * Bad-input battery of the learning and plasticity modules: every invalid input is rejected with
 * an ArgumentError naming the parameter, before any call into WebAssembly, so the module is never
 * reset and objects created before stay usable.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArgumentError,
  ForceNetwork,
  MemoryBudgetError,
  RnnlabError,
  Trainer,
  addTask,
  createNetwork,
  mimicTask,
  normalizedError,
  sequenceGradient,
  sequenceTask,
  sumOfSines,
  train,
  trainLocalPlasticity,
  type Checkpoint,
  type RnnNetwork,
} from '../ts/index.js';
import { generation, guarded } from '../ts/runtime/module.js';

/** Values no numeric, boolean or object parameter accepts. */
const JUNK: unknown[] = [NaN, Infinity, -Infinity, null, '3', 'false', true, {}, [], () => 1];

const network = createNetwork({ n: 6, nIn: 2, nOut: 2, seed: 1 });
const add = addTask({ lags: [1, 2] });
const steps = 12;
const inputs = Float64Array.from({ length: steps * 2 }, (_, k) => (k % 3 === 0 ? 1 : 0));
const labels = Float64Array.from({ length: steps * 2 }, (_, k) => (k % 2 === 0 ? 0.25 : 0.75));
/** A network of n units given by (zero) weights. */
const big = (n: number): RnnNetwork => ({
  ...network, n, wRec: new Float64Array(n * n), wIn: new Float64Array(n * 2), bRec: new Float64Array(n), wOut: new Float64Array(2 * n),
  a0: new Float64Array(n),
});
const trainerOptions = { network, task: add, algorithm: 'rflo' as const, seed: 1, block: 5 };

let sentinel: Trainer;
let force: ForceNetwork;
let startGeneration: number;

beforeAll(() => {
  sentinel = new Trainer(trainerOptions);
  force = new ForceNetwork({ n: 20, seed: 1 });
  startGeneration = generation();
});

afterAll(() => {
  sentinel.dispose();
  force.dispose();
});

/** The module was never reset and the objects created before still work. */
function stillUsable(): void {
  expect(generation()).toBe(startGeneration);
  expect(sentinel.disposed).toBe(false);
  expect(force.disposed).toBe(false);
  const before = sentinel.steps;
  expect(sentinel.run(1)).toBe(1);
  expect(sentinel.steps).toBe(before + 1);
  expect(force.run({ steps: 1 }).output.length).toBe(1);
}

/** `f` throws (or rejects with) an ArgumentError naming `parameter`. */
async function rejects(f: () => unknown, parameter: string, label = parameter): Promise<void> {
  let error: unknown;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  expect(error, `${label}: no error`).toBeInstanceOf(ArgumentError);
  expect((error as ArgumentError).parameter, `${label}: ${(error as Error).message}`).toBe(parameter);
  stillUsable();
}

/** For each option key: values to reject, and the parameter name expected (default the key). */
type Table = [key: string, bad: unknown[], parameter?: string][];

/** Rejects `make({ ...base, [key]: value })` for every bad value of the table. */
async function battery(make: (o: Record<string, unknown>) => unknown, base: Record<string, unknown>, table: Table, prefix = ''): Promise<void> {
  for (const [key, bad, parameter] of table) {
    for (const value of bad) {
      await rejects(() => make({ ...base, [key]: value }), parameter ?? `${prefix}${key}`, `${prefix}${key} = ${String(value)}`);
    }
  }
}

const SIZE = [...JUNK, -1, 2.5];
/** Values no object parameter accepts. */
const NOT_OBJECT = JUNK.filter((v) => typeof v !== 'object' || v === null);
const SEED = [...JUNK, -1, 0.5, 2 ** 53];
const RATE = [...JUNK.filter((v) => v !== null), -1];

describe('learning: bad input is rejected with the parameter named', () => {
  it('createNetwork', async () => {
    const base = { n: 4, nIn: 2, nOut: 2, seed: 1 };
    await battery((o) => createNetwork(o as never), base, [
      ['n', [...SIZE, 0, 1025, 4096, 1e9]], ['nIn', [...SIZE, 4097]], ['nOut', [...SIZE, 0, 4097]], ['alpha', [...JUNK, 0, -0.5, 1.5]],
      ['activation', [...JUNK, 'relu']], ['loss', [...JUNK, 'mae']], ['seed', SEED],
      ['legacy', [...JUNK.filter((v) => typeof v !== 'object' || v === null), 'yes']],
      ['seeds', [1]], ['nout', [2]],
    ]);
    for (const key of ['clipProbability', 'mseSumDerivative', 'rtrlWithoutAlpha', 'discardClipping']) {
      for (const value of ['false', 0, 1, null]) {
        await rejects(() => createNetwork({ ...base, legacy: { [key]: value } } as never), `legacy.${key}`);
      }
    }
    await rejects(() => createNetwork({ ...base, legacy: { clipProb: true } } as never), 'legacy.clipProb');
    for (const o of [null, undefined, 5, 'n', []]) await rejects(() => createNetwork(o as never), 'options');
  });

  it('addTask, mimicTask and sequenceTask', async () => {
    await battery((o) => addTask(o as never), {}, [
      ['lags', [...JUNK.filter((v) => v !== null), [5], [5, 9, 12]], 'task.lags'], ['tau', [...SIZE, 0, 1001]], ['lag', [[1, 2]]],
    ], 'task.');
    for (const [lags, parameter] of [[[5, 5e8], 'task.lags[1]'], [[-1, 2], 'task.lags[0]'], [['5', 9], 'task.lags[0]'], [[5, NaN], 'task.lags[1]']] as const) {
      await rejects(() => addTask({ lags: lags as never }), parameter);
    }
    await battery((o) => mimicTask(o as never), { seed: 1 }, [
      ['n', [...SIZE, 0, 5e8, 1025]], ['radius', [...JUNK, -1, 1e300]], ['pInput', [...JUNK, -0.1, 1.1]], ['tau', [...SIZE, 0]],
      ['seed', [...SEED, undefined]], ['kind', ['mimic']],
    ], 'task.');
    const seq = { inputs, labels, nIn: 2, nOut: 2 };
    await battery((o) => sequenceTask(o as never), seq, [
      ['inputs', [...JUNK, new Float64Array(3), Float64Array.of(...inputs.slice(1), NaN), Array.from(inputs)]],
      ['labels', [...JUNK, Float64Array.of(1, 2, 3), Float64Array.of(...labels.slice(1), Infinity)]],
      ['nIn', [...SIZE, 4097]], ['nOut', [...SIZE, 0]], ['steps', [12]],
    ], 'task.');
  });

  it('hand-built tasks are checked wherever they are used, before any call into WebAssembly', async () => {
    const tasks: [unknown, string][] = [
      [{ kind: 'add', lags: [5, 5e8], tau: 1 }, 'task.lags[1]'],
      [{ kind: 'add', lags: [5, 9], tau: 0 }, 'task.tau'],
      [{ kind: 'add', lags: [5], tau: 1 }, 'task.lags'],
      [{ kind: 'add', lags: [5, 9], tau: 1, extra: 1 }, 'task.extra'],
      [{ kind: 'mimic', n: 5e8, radius: 1, pInput: 0.5, tau: 1, seed: 1 }, 'task.n'],
      [{ kind: 'mimic', n: 4, radius: NaN, pInput: 0.5, tau: 1, seed: 1 }, 'task.radius'],
      [{ kind: 'mimic', n: 4, radius: 1, pInput: 0.5, tau: 1 }, 'task.seed'],
      [{ kind: 'sequence', inputs, labels, steps: 1e6 }, 'task'],
      [{ kind: 'sequence', inputs: Array.from(inputs), labels, steps }, 'task.inputs'],
      [{ kind: 'sequence', inputs, labels, steps: -1 }, 'task.steps'],
      [{ kind: 'copy' }, 'task.kind'],
      [null, 'task'],
      ['add', 'task'],
    ];
    for (const [task, parameter] of tasks) {
      await rejects(() => new Trainer({ ...trainerOptions, task: task as never }), parameter);
      await rejects(() => train({ ...trainerOptions, task: task as never, steps: 10 }), parameter);
      if ((task as { kind?: string } | null)?.kind !== 'mimic') {
        await rejects(() => trainLocalPlasticity({ network, task: task as never, seed: 1, steps: 10 }), parameter);
      }
    }
    const mimic = { kind: 'mimic', n: 4, radius: 1, pInput: 0.5, tau: 1, seed: 1 };
    await rejects(() => trainLocalPlasticity({ network, task: mimic as never, seed: 1, steps: 10 }), 'task');
  });

  it('sequenceGradient', async () => {
    const base = { network, algorithm: 'rtrl', inputs, labels };
    await battery((o) => sequenceGradient(o as never), base, [
      ['network', NOT_OBJECT], ['algorithm', [...NOT_OBJECT.filter((v) => typeof v !== 'string'), []], 'algorithm'],
      ['inputs', [...JUNK, new Float64Array(3)]], ['labels', [...JUNK, new Float64Array(0), new Float64Array(3)]],
      ['seed', SEED], ['perStep', ['false', 'true', 1, 0]], ['per_step', [true]],
    ]);
    await rejects(() => sequenceGradient({ ...base, algorithm: 'rtlr' as never }), 'algorithm.name');
    await rejects(() => sequenceGradient({ ...base, algorithm: {} as never }), 'algorithm.name');
    await rejects(() => sequenceGradient({ ...base, network: { ...network, n: 7 } } as never), 'network.wRec');
    await battery((o) => sequenceGradient({ ...base, network: o } as never), network as unknown as Record<string, unknown>, [
      ['n', [...SIZE, 1e9]], ['nIn', [...SIZE, 1e9]], ['nOut', [...SIZE, 1e9]], ['alpha', [...JUNK, 0, 2]], ['activation', ['relu']], ['loss', ['l1']],
      ['wRec', [...JUNK, new Float64Array(3), Float64Array.from(network.wRec, (w, i) => (i === 3 ? NaN : w))]],
      ['a0', [new Float64Array(5)]], ['bias', [1]],
    ], 'network.');
    const algorithms: [unknown, string][] = [
      [{ name: 'rflo', randomFeedback: 'false' }, 'algorithm.randomFeedback'],
      [{ name: 'e-prop', randomFeedback: 1 }, 'algorithm.randomFeedback'],
      [{ name: 'kernl', aligned: 'true' }, 'algorithm.aligned'],
      [{ name: 'kernl', sigma: 0 }, 'algorithm.sigma'],
      [{ name: 'kernl', sigma: 1e-310 }, 'algorithm.sigma'],
      [{ name: 'kernl', resetEvery: -1 }, 'algorithm.resetEvery'],
      [{ name: 'tbptt', horizon: 0 }, 'algorithm.horizon'],
      [{ name: 'f-bptt', horizon: 10001 }, 'algorithm.horizon'],
      [{ name: 'dni', sgRate: NaN }, 'algorithm.sgRate'],
      [{ name: 'dni-b', jacobianRate: -1 }, 'algorithm.jacobianRate'],
      [{ name: 'rtrl', horizon: 5 }, 'algorithm.horizon'],
      [{ name: 'dni', sgrate: 0.1 }, 'algorithm.sgrate'],
      [{ name: 'rflo', randomFeedback: null }, 'algorithm.randomFeedback'],
    ];
    for (const [algorithm, parameter] of algorithms) await rejects(() => sequenceGradient({ ...base, algorithm } as never), parameter);
  });

  it('requests beyond the WebAssembly memory are refused before they start', async () => {
    const huge = big(2000);
    await rejects(() => sequenceGradient({ network: huge, algorithm: 'rtrl', inputs, labels }), 'algorithm');
    expect(() => sequenceGradient({ network: huge, algorithm: 'rtrl', inputs, labels })).toThrow(MemoryBudgetError);
    await rejects(() => new Trainer({ ...trainerOptions, network: big(800), algorithm: 'rtrl' }), 'network');
    await rejects(() => trainLocalPlasticity({ network: big(4000), task: add, seed: 1, steps: 10, horizon: 10000 }), 'network');
  });

  it('Trainer and its methods', async () => {
    await battery((o) => new Trainer(o as never), trainerOptions, [
      ['network', NOT_OBJECT, 'network'], ['algorithm', [...NOT_OBJECT.filter((v) => typeof v !== 'string'), []], 'algorithm'],
      ['algorithm', ['sgd', {}], 'algorithm.name'],
      ['compare', [...JUNK.filter((v) => !Array.isArray(v)), 'rtrl']], ['compare', [['sgd']], 'compare[0].name'],
      ['optimizer', [...NOT_OBJECT, 'adam']], ['clip', [...JUNK, 0, -1]], ['seed', [...SEED, undefined]], ['block', [...SIZE, 0, 2 ** 31]],
      ['seeds', [1]],
    ]);
    const optimizers: [unknown, string][] = [
      [{ type: 'rmsprop', lr: 0.1 }, 'optimizer.type'], [{ type: 'sgd' }, 'optimizer.lr'], [{ type: 'sgd', lr: NaN }, 'optimizer.lr'],
      [{ type: 'sgd', lr: 0.1, beta1: 0.9 }, 'optimizer.beta1'], [{ type: 'adam', lr: 0.1, beta1: 2 }, 'optimizer.beta1'],
      [{ type: 'adam', lr: 0.1, eps: 0 }, 'optimizer.eps'], [{ type: 'adam', lr: '0.1' }, 'optimizer.lr'],
      [{ type: 'adam', lr: 0.1, beta2: null }, 'optimizer.beta2'],
    ];
    for (const [optimizer, parameter] of optimizers) await rejects(() => new Trainer({ ...trainerOptions, optimizer } as never), parameter);
    using t = new Trainer(trainerOptions);
    for (const value of [...SIZE, 2 ** 31]) await rejects(() => t.run(value as never), 'steps');
    await battery((o) => t.evaluate(o as never), {}, [['steps', [...SIZE, 0]], ['seed', SEED], ['step', [10]]]);
    for (const o of [null, 5, 'x']) await rejects(() => t.evaluate(o as never), 'options');
    expect(t.steps).toBe(0);
    expect(t.block).toBe(5);
  });

  it('train', async () => {
    const base = { ...trainerOptions, steps: 20 };
    await battery((o) => train(o as never), base, [
      ['steps', [...SIZE, 2 ** 53]], ['onProgress', [...JUNK.filter((v) => typeof v !== 'function' && v !== null), 'f']],
      ['progressIntervalMs', [...JUNK, -1]], ['targetLoss', JUNK.filter((v) => typeof v !== 'function')],
      ['patience', [...SIZE, 0]], ['testSteps', [...SIZE]], ['signal', [...JUNK.filter((v) => v !== null), new AbortController()]],
      ['onprogress', [() => true]], ['clip', [0]], ['seed', [-1]],
    ]);
    await rejects(() => train({ resume: sentinel.checkpoint(), network, steps: 1 } as never), 'network');
    await rejects(() => train({ resume: null, steps: 1 } as never), 'resume');
    await rejects(() => train({ resume: 5, steps: 1 } as never), 'checkpoint');
  });

  it('a diverging run still reports divergence', async () => {
    const mse = { ...network, loss: 'mse' as const };
    const r = await train({ ...trainerOptions, network: mse, algorithm: 'rtrl', optimizer: { type: 'sgd', lr: 1e10 }, steps: 200, block: 10 });
    expect(r.stopped).toBe('diverged');
  });
});

describe('checkpoints are validated before use', () => {
  let saved: Checkpoint;
  beforeAll(() => {
    using t = new Trainer({ ...trainerOptions, compare: ['output-only'], optimizer: { type: 'adam', lr: 0.01 }, clip: 3 });
    t.run(40);
    saved = JSON.parse(JSON.stringify(t.checkpoint())) as Checkpoint;
  });
  const live = () => guarded((e) => e.rnl_trainer_live());

  it('resumes from a JSON round trip (NaN alignment cosines are written as null)', () => {
    expect(saved.curve.alignment[0]!.cosine[0]).toBeNull();
    using r = Trainer.resume(saved);
    expect(r.steps).toBe(40);
    r.run(10);
    expect(r.checkpoint().options.seed).toBe(1);
  });

  it('rejects every damaged field with its name, and leaks no trainer', async () => {
    type Mutable = Record<string, unknown> & {
      network: Record<string, unknown[]>; options: Record<string, unknown> & { optimizer: Record<string, unknown>; task: Record<string, unknown> };
      moments: unknown[]; curve: Record<string, unknown[]> & { alignment: Record<string, unknown>[] };
    };
    const cases: [string, (c: Mutable) => void][] = [
      ['checkpoint.moments', (c) => { c.moments = c.moments.slice(0, 1); }],
      ['checkpoint.moments', (c) => { c.moments = []; }],
      ['checkpoint.moments', (c) => { c.options.optimizer = { type: 'sgd', lr: 0.1 }; }],
      ['checkpoint.moments[3]', (c) => { c.moments[3] = null; }],
      [`checkpoint.moments[${saved.moments.length - 1}]`, (c) => { c.moments[c.moments.length - 1] = -1; }],
      ['checkpoint.moments', (c) => { (c as Record<string, unknown>).moments = 'm'; }],
      ['checkpoint.network.wRec[3]', (c) => { c.network.wRec![3] = null; }],
      ['checkpoint.network.wRec[3]', (c) => { c.network.wRec![3] = '0.5'; }],
      ['checkpoint.network.bOut[0]', (c) => { c.network.bOut![0] = true; }],
      ['checkpoint.network.wRec', (c) => { c.network.wRec = c.network.wRec!.slice(1); }],
      ['checkpoint.network.a0', (c) => { c.network.a0 = {} as never; }],
      ['checkpoint.network.n', (c) => { c.network.n = '6' as never; }],
      ['checkpoint.options.optimizer.type', (c) => { c.options.optimizer.type = 'rmsprop'; }],
      ['checkpoint.options.optimizer.lr', (c) => { c.options.optimizer.lr = null; }],
      ['checkpoint.options.task.lags[1]', (c) => { c.options.task.lags = [5, 5e8]; }],
      ['checkpoint.options.task.kind', (c) => { c.options.task.kind = 'copy'; }],
      ['checkpoint.options.algorithm.name', (c) => { c.options.algorithm = 'sgd'; }],
      ['checkpoint.options.clip', (c) => { c.options.clip = 0; }],
      ['checkpoint.options.seed', (c) => { c.options.seed = -1; }],
      ['checkpoint.options.block', (c) => { delete c.options.block; }],
      ['checkpoint.options.colour', (c) => { c.options.colour = 1; }],
      ['checkpoint.network', (c) => { delete (c as Record<string, unknown>).network; }],
      ['checkpoint.options', (c) => { delete (c as Record<string, unknown>).options; }],
      ['checkpoint.curve', (c) => { delete (c as Record<string, unknown>).curve; }],
      ['checkpoint.format', (c) => { c.format = 'other'; }],
      ['checkpoint.version', (c) => { c.version = 2; }],
      ['checkpoint.steps', (c) => { c.steps = '40'; }],
      ['checkpoint.updates', (c) => { c.updates = -1; }],
      ['checkpoint.curve.loss', (c) => { c.curve.loss!.pop(); }],
      ['checkpoint.curve.steps[0]', (c) => { c.curve.steps![0] = 1e9; }],
      ['checkpoint.curve.alignment', (c) => { c.curve.alignment = []; }],
      ['checkpoint.curve.alignment[0].pair', (c) => { c.curve.alignment[0]!.pair = ['rtrl', 'rflo']; }],
      ['checkpoint.curve.gradNorm[1]', (c) => { c.curve.gradNorm![1] = 'x'; }],
      ['checkpoint.extra', (c) => { c.extra = 1; }],
    ];
    const before = live();
    for (const [parameter, damage] of cases) {
      const c = structuredClone(saved) as unknown as Mutable;
      damage(c);
      await rejects(() => Trainer.resume(c as unknown as Checkpoint), parameter);
      await rejects(() => train({ resume: c as unknown as Checkpoint, steps: 10 }), parameter);
    }
    for (const c of [null, 5, 'checkpoint', []]) await rejects(() => Trainer.resume(c as never), 'checkpoint');
    for (let i = 0; i < 200; i++) {
      expect(() => Trainer.resume({ ...saved, moments: [1] })).toThrow(ArgumentError);
    }
    expect(live()).toBe(before);
  });

  it('a resumed run does not depend on what ran before in the process', () => {
    const weights = () => {
      using r = Trainer.resume(saved);
      r.run(20);
      return r.network().wRec;
    };
    const first = weights();
    using other = new Trainer({ ...trainerOptions, optimizer: { type: 'adam', lr: 0.5 } });
    other.run(100);
    expect(weights()).toEqual(first);
  });
});

describe('plasticity: bad input is rejected with the parameter named', () => {
  it('trainLocalPlasticity', async () => {
    const base = { network, task: add, seed: 1, steps: 10 };
    await battery((o) => trainLocalPlasticity(o as never), base, [
      ['network', NOT_OBJECT], ['task', [...NOT_OBJECT, mimicTask({ seed: 1 })], 'task'], ['seed', [...SEED, undefined]],
      ['apicalRate', RATE], ['predictionRate', RATE], ['lr', RATE], ['clip', [...JUNK, 0]], ['steps', [...SIZE, 2 ** 31]],
      ['block', [...SIZE, 0]], ['horizon', [...SIZE, 10001]], ['testSteps', SIZE], ['testSeed', SEED], ['rate', [0.1]],
    ]);
    const seq = sequenceTask({ inputs, labels, nIn: 2, nOut: 2 });
    await rejects(() => trainLocalPlasticity({ ...base, task: seq, steps: steps + 1 }), 'steps');
  });

  it('ForceNetwork and its methods', async () => {
    await battery((o) => new ForceNetwork(o as never), { n: 10, seed: 1 }, [
      ['n', [...SIZE, 0, 4097, 12500, 1e9]], ['g', [...JUNK, -1, 1e4]], ['p', [...JUNK, 0, 1.5]], ['alpha', [...JUNK, 0, 1e-300, 1e13]],
      ['tau', [...JUNK, 0]], ['dt', [...JUNK, 0, 11]], ['learnEvery', [...SIZE, 0]], ['feedback', [...JUNK, -1]],
      ['seed', [...SEED, undefined]], ['N', [10]],
    ]);
    await battery((o) => force.train(o as never), { target: sumOfSines(), steps: 4 }, [
      ['target', [...JUNK.filter((v) => typeof v !== 'function'), new Float64Array(3), () => NaN, () => Infinity, () => 'x']],
      ['steps', [...SIZE, 1e7 + 1]], ['onProgress', [...JUNK.filter((v) => typeof v !== 'function' && v !== null)]],
      ['on_progress', [() => true]],
    ]);
    await battery((o) => force.run(o as never), { steps: 4 }, [['steps', [...SIZE, 1e7 + 1]], ['step', [1]]]);
    for (const o of [null, 5, 'x']) {
      await rejects(() => force.run(o as never), 'options');
      await rejects(() => force.train(o as never), 'options');
    }
  });

  it('sumOfSines and normalizedError', async () => {
    await battery((o) => sumOfSines(o as never), {}, [
      ['amplitude', [...JUNK, 1e200]], ['period', [...JUNK, 0, -1, 1e-300, 1e300]], ['periode', [1]],
    ]);
    const x = Float64Array.of(1, -1);
    for (const output of [...JUNK, [1, -1], Float64Array.of(NaN, 1)]) await rejects(() => normalizedError(output as never, x), 'output');
    for (const target of [...JUNK, new Float64Array(3), Float64Array.of(0, 0), Float64Array.of(1, Infinity)]) {
      await rejects(() => normalizedError(x, target as never), 'target');
    }
    // Extreme but finite values give a finite answer.
    expect(normalizedError(Float64Array.of(1e300, -1e300), Float64Array.of(-1e300, 1e300))).toBe(2);
    expect(normalizedError(Float64Array.of(1e-300, 0), Float64Array.of(2e-300, 0))).toBeCloseTo(0.5, 12);
    expect(normalizedError(x, x)).toBe(0);
  });
});

describe('random input: an rnnlab error or a valid result, never a crash', () => {
  const anything = fc.oneof(
    fc.integer({ min: -3, max: 12 }), fc.double(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.string({ maxLength: 3 }),
    fc.constant(2 ** 40),
  );
  const check = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(RnnlabError);
    }
  };

  it('createNetwork, the tasks and ForceNetwork', () => {
    fc.assert(
      fc.property(fc.record({ n: anything, nIn: anything, nOut: anything, alpha: anything, seed: anything }, { requiredKeys: [] }), (o) => {
        check(() => createNetwork(o as never));
        check(() => mimicTask(o as never));
        check(() => { new ForceNetwork(o as never).dispose(); });
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.record({ kind: fc.constantFrom('add', 'mimic', 'sequence', 'x'), lags: fc.array(anything, { maxLength: 3 }), tau: anything, n: anything, seed: anything }, { requiredKeys: ['kind'] }), (task) => {
        check(() => { new Trainer({ ...trainerOptions, task: task as never }).dispose(); });
      }),
      { numRuns: 200 },
    );
    stillUsable();
  });
});
