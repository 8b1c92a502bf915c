import { describe, expect, it } from 'vitest';
import { ArgumentError, balanceSigned, fitRandomMode, iidGaussian, matrix, randomMode, readCouplings } from '../ts/index.js';

function thrown(f: () => unknown): ArgumentError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ArgumentError);
    return e as ArgumentError;
  }
  throw new Error('did not throw');
}

describe('readCouplings', () => {
  it('reads an edge list: names in order of appearance, duplicates summed, J[post][pre]', () => {
    const text = '# a comment\npre,post,weight\nA,B,3\n\nB,A,-1.5\nA,B,1\nC,A,2\n';
    const { J, names, edges } = readCouplings(text, { format: 'edges' });
    expect(names).toEqual(['A', 'B', 'C']);
    expect(edges).toBe(4);
    expect(Array.from(J.data)).toEqual([0, -1.5, 2, 4, 0, 0, 0, 0, 0]);
  });

  it('reads named columns, signs and filters (a synapse table)', () => {
    const text = 'pre\tpost\ttype\tsynapses\tnt\nA\tB\tchemical\t2\t-\nA\tB\telectrical\t5\t+\nB\tA\tchemical\t3\t+\n';
    const { J, names } = readCouplings(text, { format: 'edges', columns: { weight: 'synapses', sign: 'nt' }, where: { type: 'chemical' } });
    expect(names).toEqual(['A', 'B']);
    expect(Array.from(J.data)).toEqual([0, 3, -2, 0]);
  });

  it('reads indices, fixed node lists and dense matrices', () => {
    expect(Array.from(readCouplings('0 2 1.5\n2 1 -1\n', { format: 'edges' }).J.data)).toEqual([0, 0, 0, 0, 0, -1, 1.5, 0, 0]);
    const fixed = readCouplings('A,B,1\nA,X,7\n', { format: 'edges', nodes: ['B', 'A'], others: 'drop' });
    expect(fixed.names).toEqual(['B', 'A']);
    expect(fixed.dropped).toBe(1);
    expect(Array.from(fixed.J.data)).toEqual([0, 1, 0, 0]);
    const dense = readCouplings('a,b\n1,2\n3,4\n', { format: 'dense' });
    expect(dense.names).toEqual(['a', 'b']);
    expect(Array.from(dense.J.data)).toEqual([1, 2, 3, 4]);
  });

  it('names the line and the problem of bad input', () => {
    expect(thrown(() => readCouplings('1,2\n3,x\n', { format: 'dense' })).message).toMatch(/line 2: entry \(1, 1\) 'x' is not a finite number/);
    expect(thrown(() => readCouplings('1,2\n3\n', { format: 'dense' })).message).toMatch(/line 2: expected 2 numbers/);
    expect(thrown(() => readCouplings('A,B,1\nA,B\n', { format: 'edges' })).message).toMatch(/line 2: expected 3 fields, got 2/);
    expect(thrown(() => readCouplings('A,B,one\n', { format: 'edges', header: false })).message).toMatch(/line 1: weight 'one'/);
    expect(thrown(() => readCouplings('A,B,1\nA,X,7\n', { format: 'edges', nodes: ['A', 'B'] })).message).toMatch(/line 2: node 'X' is not in `nodes`/);
    expect(thrown(() => readCouplings('pre,post,w\nA,B,1\n', { format: 'edges', columns: { weight: 'weight' } })).parameter).toBe('columns.weight');
    expect(thrown(() => readCouplings('# only\n', { format: 'edges' })).message).toMatch(/no data lines/);
    expect(thrown(() => readCouplings('1\n', { format: 'csv' as 'dense' })).parameter).toBe('format');
  });
});

describe('balanceSigned', () => {
  it('gives every row and column part norm 1/√2, keeping signs and sparsity', () => {
    const J = iidGaussian({ n: 60, g: 1, seed: 4 });
    const b = balanceSigned(J, { tolerance: 1e-10 });
    expect(b.converged).toBe(true);
    for (let i = 0; i < 60; i++) {
      for (const sign of [1, -1]) {
        let row = 0;
        let col = 0;
        for (let j = 0; j < 60; j++) {
          if (Math.sign(b.J.data[i * 60 + j]!) === sign) row += b.J.data[i * 60 + j]! ** 2;
          if (Math.sign(b.J.data[j * 60 + i]!) === sign) col += b.J.data[j * 60 + i]! ** 2;
        }
        expect(row).toBeCloseTo(0.5, 9);
        expect(col).toBeCloseTo(0.5, 12);
      }
    }
    for (let k = 0; k < 3600; k++) expect(Math.sign(b.J.data[k]!)).toBe(Math.sign(J.data[k]!));
  });

  it('reports a part that cannot be balanced', () => {
    // One negative entry per column from a single row: that row cannot have norm 1/√2 with every column at 1/√2.
    const J = matrix(3, 3, new Float64Array([1, 1, -1, -1, 1, 1, 1, -1, 1]).map((v, k) => (k < 3 ? -Math.abs(v) : Math.abs(v))));
    const b = balanceSigned(J, { maxIterations: 50 });
    expect(b.converged).toBe(false);
    expect(b.iterations).toBe(50);
    expect(b.residual).toBeGreaterThan(0.1);
  });
});

describe('fitRandomMode', () => {
  it('recovers g_eff and γ = 1/(αPR_D) of a sampled random-mode matrix', () => {
    const net = randomMode({ n: 400, spectrum: { shape: { kind: 'exponential', beta: 3.9 }, g: 2 }, seed: 3 });
    const fit = fitRandomMode(net.J, { overlaps: false });
    expect(fit.gEff / 2).toBeCloseTo(1, 1);
    expect(Math.abs(fit.gamma - net.gamma) / net.gamma).toBeLessThan(0.1);
    expect(fit.effectiveRank * fit.gamma).toBeCloseTo(1, 12);
    expect(fit.prS).toBeCloseTo(fit.effectiveRank / (1 + 2 * fit.effectiveRank), 12);
    expect(fit.overlaps).toBeUndefined();
  });

  it('gives PR_S ≈ 1/2 and overlaps within the random band for iid couplings', () => {
    const fit = fitRandomMode(iidGaussian({ n: 300, g: 1.5, seed: 5 }));
    expect(Math.abs(fit.prS - 0.5)).toBeLessThan(0.02);
    expect(fit.gamma).toBeLessThan(0.1);
    const rho = fit.overlaps!;
    const rms = Math.sqrt(rho.reduce((a, r) => a + r * r, 0) / rho.length);
    expect(rms / fit.overlapSd).toBeGreaterThan(0.8);
    expect(rms / fit.overlapSd).toBeLessThan(1.2);
  });

  it('returns the exact spectrum and overlaps of orthogonal modes', () => {
    const n = 80;
    const d = Float64Array.from({ length: 40 }, (_, a) => 3 * Math.exp(-a / 10));
    const net = randomMode({ n, spectrum: d, modes: 'orthogonal', seed: 6, returnModes: true });
    const fit = fitRandomMode(net.J);
    expect(fit.spectrum.length).toBe(40);
    expect(fit.alpha).toBe(0.5);
    fit.spectrum.forEach((s, a) => expect(s).toBeCloseTo(d[a]!, 12));
    const { left, right } = net;
    fit.overlaps!.forEach((rho, a) => {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += left!.data[i * 40 + a]! * right!.data[i * 40 + a]!;
      expect(rho).toBeCloseTo(dot, 9);
    });
    let r2 = 0;
    let r4 = 0;
    for (const v of d) [r2, r4] = [r2 + v * v / 40, r4 + v ** 4 / 40];
    expect(fit.r2).toBeCloseTo(r2, 10);
    expect(fit.prD).toBeCloseTo((r2 * r2) / r4, 10);
  });
});
