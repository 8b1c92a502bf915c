/**
 * Bad-input battery of the core modules: every case must throw an RnnlabError (an ArgumentError
 * naming the parameter at fault where it is an argument problem), and the library must keep
 * working afterwards; valid edge inputs must give finite numbers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  RnnlabError,
  Simulation,
  autocorrelation,
  blockParticipation,
  covariance,
  criticalGain,
  decayRate,
  dimension,
  dimensionFromCorrelations,
  dimensionVsRank,
  effectiveRank,
  effectiveRankFromMatrix,
  eigenvalues,
  frequencyDimension,
  iidGaussian,
  linePlotSvg,
  linearCovariance,
  matrix,
  measureActivity,
  participationRatio,
  participationRatioFromEigenvalues,
  populationCorrelation,
  psi,
  randomMode,
  simulateActivity,
  singularValues,
  solveDMFT,
  solveOverlapDMFT,
  spectrum,
  symmetricEigen,
  symmetricEigenvalues,
} from '../ts/index.js';
import { DivergenceError, NoSolutionError } from '../ts/index.js';

const J4 = iidGaussian({ n: 4, g: 1, seed: 1 });
const sym = matrix(2, 2, new Float64Array([2, 1, 1, 2]));
const traj = iidGaussian({ n: 12, g: Math.sqrt(12), seed: 2 });
const lam = 0.8;
const lagC = Float64Array.from({ length: 700 }, (_, j) => Math.exp(-lam * j * 0.05) / (2 * lam));
const dimResult = dimensionFromCorrelations({ dt: 0.05, cx: lagC, cphi: lagC, nu: 0.36 });
const bad = (v: unknown) => v as never;

/** The library still computes the reference values after a failure. */
function stillWorks(): void {
  expect(solveDMFT({ g: 2, lyapunov: false }).delta0).toBeCloseTo(1.9248054, 6);
  expect(iidGaussian({ n: 3, g: 1, seed: 3 }).data).toEqual(iidGaussian({ n: 3, g: 1, seed: 3 }).data);
}

function thrown(thunk: () => unknown): unknown {
  try {
    thunk();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** [label, call, expected parameter (ArgumentError) or error class]. */
type Case = [string, () => unknown, string | (new (...args: never[]) => RnnlabError)];

const cases: Case[] = [
  // matrix
  ['matrix NaN rows', () => matrix(NaN, -1, bad(null)), 'rows'],
  ['matrix negative cols', () => matrix(2, -1, new Float64Array(2)), 'cols'],
  ['matrix null data', () => matrix(2, 2, bad(null)), 'data'],
  ['matrix wrong length', () => matrix(2, 2, new Float64Array(3)), 'data'],
  ['matrix NaN entry', () => matrix(1, 1, new Float64Array([NaN])), 'data'],
  ['matrix plain array', () => matrix(1, 2, bad([1, 2])), 'data'],
  // iidGaussian
  ['iid zeroDiagonal string', () => iidGaussian({ n: 4, g: 1, seed: 1, zeroDiagonal: bad('false') }), 'zeroDiagonal'],
  ['iid unknown key', () => iidGaussian({ n: 4, g: 1, seed: 1, gain: 2 } as never), 'gain'],
  ['iid null key', () => iidGaussian({ n: 4, g: 1, seed: bad(null) }), 'seed'],
  ['iid infinite g', () => iidGaussian({ n: 4, g: Infinity, seed: 1 }), 'g'],
  ['iid string n', () => iidGaussian({ n: bad('4'), g: 1, seed: 1 }), 'n'],
  ['iid null options', () => iidGaussian(bad(null)), 'options'],
  // spectrum / effectiveRank
  ['spectrum unknown shape key', () => spectrum({ shape: { kind: 'flat', beta: 2 } as never, n: 4, g: 1 }), 'shape.beta'],
  ['spectrum bad kind', () => spectrum({ shape: { kind: 'cubic' } as never, n: 4, g: 1 }), 'shape.kind'],
  ['spectrum null shape', () => spectrum({ shape: bad(null), n: 4, g: 1 }), 'shape'],
  ['spectrum modes 0', () => spectrum({ shape: { kind: 'flat' }, n: 4, g: 1, modes: 0 }), 'modes'],
  ['spectrum unknown key', () => spectrum({ shape: { kind: 'flat' }, n: 4, g: 1, P: 3 } as never), 'P'],
  ['effectiveRank empty', () => effectiveRank(new Float64Array(0)), 'spectrum'],
  // randomMode
  ['randomMode returnModes string', () => randomMode({ n: 4, spectrum: new Float64Array([1]), seed: 1, returnModes: bad('yes') }), 'returnModes'],
  ['randomMode zero spectrum', () => randomMode({ n: 4, spectrum: new Float64Array(2), seed: 1 }), 'spectrum'],
  ['randomMode spectrum unknown key', () => randomMode({ n: 4, spectrum: { shape: { kind: 'flat' }, g: 1, rank: 2 } as never, seed: 1 }), 'spectrum.rank'],
  ['randomMode gains unknown key', () => randomMode({ n: 4, spectrum: new Float64Array([1]), seed: 1, gains: { sigma: 1 } as never }), 'gains.sigma'],
  // linear algebra
  ['symmetricEigenvalues asymmetric', () => symmetricEigenvalues(matrix(2, 2, new Float64Array([1, 2, 3, 4]))), 'matrix'],
  ['symmetricEigen null', () => symmetricEigen(bad(null)), 'matrix'],
  ['singularValues NaN', () => singularValues(bad({ rows: 1, cols: 1, data: new Float64Array([NaN]) })), 'matrix.data'],
  ['eigenvalues non-square', () => eigenvalues(matrix(1, 2, new Float64Array(2))), 'matrix'],
  ['effectiveRankFromMatrix zero', () => effectiveRankFromMatrix(matrix(2, 2, new Float64Array(4))), 'J'],
  // statistics
  ['participationRatio zero', () => participationRatio(matrix(2, 2, new Float64Array(4))), 'covariance'],
  ['participationRatio non-square', () => participationRatio(matrix(1, 2, new Float64Array(2))), 'covariance'],
  ['PR from zero eigenvalues', () => participationRatioFromEigenvalues(new Float64Array(3)), 'eigenvalues'],
  ['covariance string', () => covariance(bad('x')), 'trajectory'],
  ['autocorrelation null lag', () => autocorrelation(traj, bad(null)), 'maxLag'],
  ['autocorrelation null options', () => autocorrelation(traj, 2, bad(null)), 'options'],
  ['autocorrelation subtractMean string', () => autocorrelation(traj, 2, { subtractMean: bad('false') }), 'subtractMean'],
  ['autocorrelation lag too long', () => autocorrelation(traj, 12), 'maxLag'],
  ['blockParticipation 2 blocks', () => blockParticipation(traj, { blocks: 2 }), 'blocks'],
  ['blockParticipation 1 trajectory', () => blockParticipation([traj]), 'data'],
  ['blockParticipation constant data', () => blockParticipation(matrix(8, 2, new Float64Array(16).fill(1)), { blocks: 4 }), 'data'],
  ['blockParticipation unknown key', () => blockParticipation(traj, { block: 3 } as never), 'block'],
  ['psi one block', () => psi(traj, { maxLag: 1, seed: 1, blocks: 1 }), 'blocks'],
  ['psi unknown key', () => psi(traj, { maxLag: 1, seed: 1, lag: 2 } as never), 'lag'],
  ['decayRate empty range', () => decayRate(new Float64Array([0, 1, 2]), new Float64Array([1, 0.5, 0.25]), { from: 5, to: 6 }), 'range'],
  ['decayRate NaN values', () => decayRate(new Float64Array([0, 1]), new Float64Array([1, NaN]), { from: 0, to: 1 }), 'values'],
  // simulation
  ['Simulation unknown key', () => new Simulation({ J: J4, seed: 1, sigma: 1 } as never), 'sigma'],
  ['Simulation null noise', () => new Simulation({ J: J4, seed: 1, noise: bad(null) }), 'noise'],
  ['Simulation phi unknown key', () => new Simulation({ J: J4, seed: 1, phi: { kind: 'tanh', slope: 2 } as never }), 'phi.slope'],
  ['Simulation phi zero gain', () => new Simulation({ J: J4, seed: 1, phi: { kind: 'tanh', gain: 0 } }), 'phi.gain'],
  ['Simulation huge dt', () => new Simulation({ J: J4, seed: 1, dt: 1e6 }), 'dt'],
  ['run unknown key', () => { using s = new Simulation({ J: J4, seed: 1 }); s.run({ steps: 2, strides: 1 } as never); }, 'strides'],
  ['run fractional steps', () => { using s = new Simulation({ J: J4, seed: 1 }); s.run({ steps: 2.5 }); }, 'steps'],
  ['enableStatistics flag string', () => { using s = new Simulation({ J: J4, seed: 1 }); s.enableStatistics({ phi: bad('true') }); }, 'phi'],
  ['enableStatistics 2 blocks', () => { using s = new Simulation({ J: J4, seed: 1 }); s.enableStatistics({ blocks: 2, samplesPerBlock: 4 }); }, 'blocks'],
  ['statistics not enabled', () => { using s = new Simulation({ J: J4, seed: 1 }); s.statistics('x'); }, RnnlabError],
  ['linear g = 3 diverges', () => { using s = new Simulation({ J: iidGaussian({ n: 40, g: 3, seed: 1 }), phi: 'linear', seed: 1 }); s.run({ steps: 100000, record: 'none' }); }, DivergenceError],
  ['Euler dt = 5 diverges', () => { using s = new Simulation({ J: iidGaussian({ n: 40, g: 2, seed: 1 }), dt: 5, seed: 1 }); s.run({ steps: 5000, record: 'none' }); }, DivergenceError],
  ['simulateActivity unknown key', () => simulateActivity({ J: J4, seed: 1, durations: 3 } as never), 'durations'],
  ['simulateActivity spectrum string', () => simulateActivity({ J: J4, seed: 1, spectrum: bad('no') }), 'spectrum'],
  ['simulateActivity diverges', () => simulateActivity({ J: iidGaussian({ n: 20, g: 3, seed: 1 }), phi: 'linear', seed: 1, burnIn: 1000, duration: 10, maxLag: 2 }), DivergenceError],
  ['measureActivity 2 blocks', () => measureActivity({ J: J4, seed: 1, blocks: 2 }), 'blocks'],
  ['measureActivity psi string', () => measureActivity({ J: J4, seed: 1, psi: bad('false') }), 'psi'],
  ['measureActivity unknown key', () => measureActivity({ J: J4, seed: 1, burnin: 3 } as never), 'burnin'],
  // theory
  ['solveDMFT relu no bound', () => solveDMFT({ g: 2, phi: 'relu' }), NoSolutionError],
  ['solveDMFT g 1e4', () => solveDMFT({ g: 1e4 }), 'g'],
  ['solveDMFT noise 1e9', () => solveDMFT({ g: 2, noise: 1e9 }), 'noise'],
  ['solveDMFT lognormal gains 1', () => solveDMFT({ g: 2, gains: { lognormalSigma: 1 } }), 'gains'],
  ['solveDMFT gains with bias', () => solveDMFT({ g: 2, bias: 0.5, gains: { lognormalSigma: 0.2 } }), 'gains'],
  ['solveDMFT lyapunov string', () => solveDMFT({ g: 2, lyapunov: bad('false') }), 'lyapunov'],
  ['solveDMFT phi unknown key', () => solveDMFT({ g: 2, phi: { kind: 'tanh', a: 1 } as never }), 'phi.a'],
  ['solveDMFT unknown key', () => solveDMFT({ g: 2, sigma: 1 } as never), 'sigma'],
  ['criticalGain bias 1e9', () => criticalGain({ bias: 1e9 }), NoSolutionError],
  ['criticalGain unknown key', () => criticalGain({ b: 1 } as never), 'b'],
  ['dimension noise 1e9', () => dimension({ g: 2, noise: 1e9 }), 'noise'],
  ['dimension unknown key', () => dimension({ g: 2, gammas: 1 } as never), 'gammas'],
  ['dimension quiescent', () => dimension({ g: 0.5 }), 'g'],
  ['dimensionFromCorrelations crossCheck string', () => dimensionFromCorrelations({ dt: 0.05, cx: lagC, cphi: lagC, nu: 0.36, crossCheck: bad('yes') }), 'crossCheck'],
  ['dimensionFromCorrelations short', () => dimensionFromCorrelations({ dt: 0.05, cx: lagC.subarray(0, 8), cphi: lagC.subarray(0, 8), nu: 0.36 }), 'cx'],
  ['dimensionVsRank negative gamma', () => dimensionVsRank(dimResult, new Float64Array([-1])), 'gamma'],
  ['frequencyDimension nu 1', () => frequencyDimension({ nu: 1, omega: new Float64Array([0]) }), 'nu'],
  ['frequencyDimension unknown key', () => frequencyDimension({ nu: 0.5, omega: new Float64Array([0]), w: 1 } as never), 'w'],
  ['populationCorrelation empty window', () => populationCorrelation({ dt: 0.05, c: lagC, nu: 0.36, count: 10, fitWindow: [10, 20] }), 'fitWindow'],
  ['linearCovariance unstable', () => linearCovariance(iidGaussian({ n: 30, g: 2, seed: 1 })), 'J'],
  ['linearCovariance unknown key', () => linearCovariance(J4, { sigma: 1 } as never), 'sigma'],
  ['solveOverlapDMFT unknown key', () => solveOverlapDMFT({ spectrum: new Float64Array([2]), seed: 1, sample: 8 } as never), 'sample'],
  ['solveOverlapDMFT phi gain NaN', () => solveOverlapDMFT({ spectrum: new Float64Array([2]), seed: 1, phi: { kind: 'tanh', gain: NaN } }), 'phi.gain'],
  // plot
  ['plot color injection', () => linePlotSvg({ series: [{ label: 'a', x: [0, 1], y: [0, 1], color: '"/><script>alert(1)</script>' }] }), 'series[0].color'],
  ['plot NaN width', () => linePlotSvg({ series: [{ label: 'a', x: [0, 1], y: [0, 1] }], width: NaN }), 'width'],
  ['plot logX string', () => linePlotSvg({ series: [{ label: 'a', x: [0, 1], y: [0, 1] }], logX: bad('true') }), 'logX'],
  ['plot x strings', () => linePlotSvg({ series: [{ label: 'a', x: bad(['0', '1']), y: [0, 1] }] }), 'series[0].x'],
  ['plot lengths', () => linePlotSvg({ series: [{ label: 'a', x: [0, 1], y: [0] }] }), 'series[0].y'],
  ['plot unknown key', () => linePlotSvg({ series: [{ label: 'a', x: [0, 1], y: [0, 1] }], colour: 'red' } as never), 'colour'],
  ['plot style', () => linePlotSvg({ series: [{ label: 'a', x: [0, 1], y: [0, 1], style: bad('dots') }] }), 'series[0].style'],
];

describe('bad-input battery (core modules)', () => {
  for (const [label, thunk, expected] of cases) {
    it(`${label} → ${typeof expected === 'string' ? `ArgumentError naming '${expected}'` : expected.name}`, () => {
      const error = thrown(thunk);
      expect(error).toBeInstanceOf(RnnlabError);
      if (typeof expected === 'string') {
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as ArgumentError).parameter).toBe(expected);
      } else {
        expect(error).toBeInstanceOf(expected);
      }
      stillWorks();
    });
  }

  it('any non-number option value of solveDMFT, iidGaussian and spectrum is an ArgumentError naming it', () => {
    const junk = fc.oneof(fc.constant(null), fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.string(), fc.boolean(), fc.object());
    fc.assert(
      fc.property(junk, fc.constantFrom('g', 'bias', 'noise', 'dt'), (value, key) => {
        const e = thrown(() => solveDMFT({ g: 2, [key]: value } as never));
        return e instanceof ArgumentError && e.parameter === key;
      }),
      { numRuns: 60 },
    );
    fc.assert(
      fc.property(junk, fc.constantFrom('n', 'g', 'seed'), (value, key) => {
        const e = thrown(() => iidGaussian({ n: 3, g: 1, seed: 1, [key]: value } as never));
        return e instanceof ArgumentError && e.parameter === key;
      }),
      { numRuns: 60 },
    );
    stillWorks();
  });

  it('unknown option keys are rejected, naming the key', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['g', 'phi', 'bias', 'noise', 'dt', 'tauMax', 'lyapunov', 'gains'].includes(k) && k !== '__proto__');
    fc.assert(
      fc.property(key, (k) => {
        const e = thrown(() => solveDMFT({ g: 2, [k]: 1 } as never));
        return e instanceof ArgumentError && e.parameter === k;
      }),
      { numRuns: 40 },
    );
  });

  it('matrix accepts exactly the well-formed shapes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -3, max: 5 }), fc.integer({ min: 0, max: 30 }), (r, c, len) => {
        const e = thrown(() => matrix(r, c, new Float64Array(len)));
        const ok = r >= 1 && c >= 1 && len === r * c;
        return ok ? e === undefined : e instanceof ArgumentError && ['rows', 'cols', 'data'].includes(e.parameter);
      }),
    );
  });

  it('linePlotSvg escapes every text and keeps markup out of attributes', () => {
    const svg = linePlotSvg({
      series: [{ label: '<b>"x"</b>', x: [0, 1], y: [0, 1], color: 'rgb(10, 20, 30)' }],
      title: '</svg><script>',
      xLabel: "a'b",
    });
    expect(svg).not.toMatch(/<script|<b>/);
    expect(svg).toContain('&lt;/svg&gt;&lt;script&gt;');
    expect(svg).toContain('a&#39;b');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('the crate names a parameter or raises a non-argument error (never a sentence as parameter)', () => {
    const e = thrown(() => solveDMFT({ g: 2, phi: 'relu' }));
    expect(e).toBeInstanceOf(NoSolutionError);
    expect(e).not.toBeInstanceOf(ArgumentError);
    expect((e as Error).message).toMatch(/no bounded stationary state/);
  });

  it('the documented hangs now return within the test timeout', { timeout: 30_000 }, () => {
    expect(thrown(() => solveDMFT({ g: 1e4 }))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => solveDMFT({ g: 2, noise: 1e9 }))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => criticalGain({ bias: 1e9 }))).toBeInstanceOf(NoSolutionError);
    expect(thrown(() => dimension({ g: 2, noise: 1e9 }))).toBeInstanceOf(ArgumentError);
    stillWorks();
  });
});

describe('valid edge inputs give finite, documented output', () => {
  const allFinite = (values: ArrayLike<number>) => Array.from(values).every(Number.isFinite);

  it('dimension with noise: rates predicted, currents throw a typed error instead of NaN', () => {
    const d = dimension({ g: 2, noise: 1.5 });
    expect(d.currentsPredicted).toBe(false);
    expect(Number.isFinite(d.prPhi) && d.prPhi > 0).toBe(true);
    expect(thrown(() => d.prX)).toBeInstanceOf(NoSolutionError);
    expect(thrown(() => d.vsRank(new Float64Array([1])).prX)).toBeInstanceOf(NoSolutionError);
    expect(Object.values({ ...d }).filter((v) => typeof v === 'number').every(Number.isFinite)).toBe(true);
    const linear = dimension({ g: 0.5, phi: 'linear', noise: 1 });
    expect(linear.currentsPredicted).toBe(true);
    expect(linear.prX).toBeCloseTo(linear.prPhi, 12);
  });

  it('measureActivity with the fewest blocks has finite jackknife errors', () => {
    const J = iidGaussian({ n: 20, g: 2, seed: 1 });
    const m = measureActivity({ J, seed: 2, burnIn: 20, duration: 120, blocks: 3, maxLag: 5, psi: false });
    for (const e of [m.prX, m.prPhi, m.prXNaive, m.prPhiNaive, m.prXZscored, m.prPhiZscored]) {
      expect(allFinite([e.pr, e.prOverN, e.se, e.seOverN])).toBe(true);
    }
  });

  it('criticalGain, solveDMFT near the range limit and small theory calls are finite', () => {
    expect(criticalGain({ bias: 5 })).toBeGreaterThan(1);
    const s = solveDMFT({ g: 40, lyapunov: false });
    expect(allFinite([s.delta0, s.nu, s.tailRate, ...s.delta.subarray(0, 50)])).toBe(true);
    expect(allFinite(frequencyDimension({ nu: 0.99, gamma: 100, omega: new Float64Array([0, 1e6]) }).prX)).toBe(true);
    const { covariance: C } = linearCovariance(iidGaussian({ n: 20, g: 0.9, seed: 4 }));
    expect(allFinite(C.data)).toBe(true);
  });

  it('spectrum shapes over random parameters give finite strengths', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.integer({ min: 1, max: 50 }), (beta, n) => {
        const d = spectrum({ shape: { kind: 'exponential', beta }, n, g: 1.5 });
        return allFinite(d) && Number.isFinite(effectiveRank(d));
      }),
      { numRuns: 40 },
    );
  });
});
