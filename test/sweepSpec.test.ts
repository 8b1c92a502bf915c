import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../ts/index.js';
import {
  expandSweep, formatRanges, parseRanges, parseShard, planSweep, shardCells, splitArrays, sweepCell, type SweepSpec,
} from '../ts/sweep/index.js';
import { argumentError } from './support/errors.js';

/** Expansion of sweep specs into numbered cells, and the arithmetic of shards and job arrays. */
describe('sweep specs', () => {
  const spec = {
    version: 1,
    name: 'mixed',
    parts: [
      { job: 'dimension', grid: { gamma: [0, 1, 4], g: { from: 1.5, to: 3, step: 0.5 } } },
      {
        job: 'train',
        grid: { algorithm: ['rflo', 'uoro'], 'network.n': [8, 16] },
        seeds: { from: 10, count: 3 },
        fixed: { network: { nIn: 2, nOut: 2 }, task: { kind: 'add', lags: [1, 2] }, steps: 100 },
      },
    ],
  } as const;

  /** The same spec with every object's keys in reverse order. */
  function reversed(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(reversed);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]));
    return v;
  }

  it('numbers cells as nested loops over the sorted parameter names, seeds fastest, parts in order', () => {
    const plan = planSweep(spec);
    expect(plan.size).toBe(4 * 3 + 2 * 2 * 3);
    // An independent enumeration: explicit loops in the documented order.
    const expected: { params: Record<string, unknown>; seed: number | null }[] = [];
    for (const g of [1.5, 2, 2.5, 3]) for (const gamma of [0, 1, 4]) expected.push({ params: { g, gamma }, seed: null });
    for (const algorithm of ['rflo', 'uoro']) for (const n of [8, 16]) for (const seed of [10, 11, 12]) expected.push({ params: { algorithm, 'network.n': n }, seed });
    const cells = expandSweep(plan);
    expect(cells.map((c) => ({ params: c.params, seed: c.seed }))).toEqual(expected);
    expect(cells.map((c) => c.index)).toEqual(expected.map((_, i) => i));
    expect(cells[12]!.part).toBe(1);
    expect(cells[12]!.job).toEqual({
      kind: 'train', algorithm: 'rflo', network: { n: 8, nIn: 2, nOut: 2, seed: 10 }, task: { kind: 'add', lags: [1, 2] }, steps: 100, seed: 10,
    });
  });

  it('gives the same hash and the same cells whatever the key order of the file', () => {
    const a = planSweep(spec);
    const b = planSweep(reversed(spec));
    expect(JSON.stringify(reversed(spec))).not.toBe(JSON.stringify(spec));
    expect(b.hash).toBe(a.hash);
    expect(expandSweep(b)).toEqual(expandSweep(a));
    // The normal form is itself a spec with the same expansion; a name does not change the cells.
    expect(planSweep(a.spec).hash).toBe(a.hash);
    expect(planSweep({ ...spec, name: 'renamed' }).hash).toBe(a.hash);
    // Any change of what the cells are changes the hash.
    expect(planSweep({ ...spec, parts: [spec.parts[0], { ...spec.parts[1], seeds: { from: 10, count: 4 } }] }).hash).not.toBe(a.hash);
    expect(planSweep({ ...spec, parts: [spec.parts[1], spec.parts[0]] }).hash).not.toBe(a.hash);
  });

  it('expands ranges (arithmetic, even, geometric) and seed forms', () => {
    const cellsOf = (s: object) => expandSweep(planSweep({ version: 1, ...s }));
    expect(cellsOf({ job: 'dimension', grid: { g: { from: 0.1, to: 0.5, step: 0.1 } } }).map((c) => c.params.g)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(cellsOf({ job: 'dimension', grid: { g: { from: 2, to: 1, step: -0.25 } } }).map((c) => c.params.g)).toEqual([2, 1.75, 1.5, 1.25, 1]);
    expect(cellsOf({ job: 'dimension', grid: { g: { from: 1, to: 3, count: 5 } } }).map((c) => c.params.g)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(cellsOf({ job: 'dimension', grid: { g: { from: 1, to: 100, count: 3, scale: 'log' } } }).map((c) => c.params.g)).toEqual([1, 10, 100]);
    expect(cellsOf({ job: 'simulate', fixed: { n: 50, g: 2 }, seeds: 3 }).map((c) => c.seed)).toEqual([0, 1, 2]);
    expect(cellsOf({ job: 'simulate', fixed: { n: 50, g: 2 }, seeds: [7, 3] }).map((c) => c.job)).toEqual([
      { kind: 'simulate', n: 50, g: 2, seed: 7 }, { kind: 'simulate', n: 50, g: 2, seed: 3 },
    ]);
    expect(cellsOf({ job: 'simulate', grid: { seed: [5, 6] }, fixed: { n: 50, g: 2 } }).map((c) => c.seed)).toEqual([5, 6]);
  });

  it('names what is wrong in a spec', () => {
    const base = { version: 1, job: 'dimension', grid: { g: [2] } };
    const bad: [unknown, string][] = [
      [{ ...base, version: 2 }, 'version'],
      [{ ...base, job: 'theory' }, 'job'],
      [{ ...base, grid: { g: [] } }, 'grid.g'],
      [{ ...base, grid: { g: { from: 1, to: 2 } } }, 'grid.g'],
      [{ ...base, grid: { g: { from: 1, to: 2, step: -1 } } }, 'grid.g.step'],
      [{ ...base, grid: { g: { from: 0, to: 2, count: 3, scale: 'log' } } }, 'grid.g.from'],
      [{ ...base, grid: { g: [2, Infinity] } }, 'grid.g[1]'],
      [{ ...base, grid: { gain: [2] } }, 'gain'],
      [{ ...base, fixed: { g: 2 } }, 'grid.g'],
      [{ ...base, seeds: 2 }, 'seeds'],
      [{ version: 1, job: 'simulate', fixed: { n: 10, g: 2 } }, 'seeds'],
      [{ version: 1, job: 'simulate', fixed: { n: 10, g: 2 }, seeds: [1, 1] }, 'seeds'],
      [{ ...base, parts: [] }, 'parts'],
      [{ version: 1, parts: [] }, 'parts'],
      [{ version: 1, parts: [{ job: 'dmft', grid: { g: [2] }, seed: 1 }] }, 'parts[0].seed'],
      [{ ...base, name: 'a b' }, 'name'],
      [{ ...base, grids: {} }, 'spec.grids'],
    ];
    for (const [s, parameter] of bad) expect([JSON.stringify(s), argumentError(() => planSweep(s))]).toEqual([JSON.stringify(s), parameter]);
    expect(() => planSweep({ ...base, grids: {} })).toThrow("did you mean 'grid'");
    expect(() => sweepCell(planSweep(base), 1)).toThrow(ArgumentError);
  });
});

describe('shards and job arrays', () => {
  it('the shards of a sweep partition its cells', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 60 }), (size, k) => {
      const all = Array.from({ length: k }, (_, i) => shardCells(size, { index: i, count: k })).flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: size }, (_, i) => i));
      for (let i = 0; i < k; i++) for (const c of shardCells(size, { index: i, count: k })) expect(c % k).toBe(i);
    }));
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    for (const t of ['8/8', '1/0', '-1/4', 'a/b', '2']) expect(argumentError(() => parseShard(t))).toBe('shard');
  });

  it('writes and reads index lists in the form sbatch --array takes', () => {
    expect(formatRanges([9, 0, 1, 2, 3, 7, 10, 3])).toBe('0-3,7,9-10');
    expect(formatRanges([])).toBe('');
    expect(parseRanges('0-3,7,10-20:5')).toEqual([0, 1, 2, 3, 7, 10, 15, 20]);
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 })), (xs) => {
      expect(parseRanges(formatRanges(xs))).toEqual([...xs].sort((a, b) => a - b));
    }));
    for (const t of ['3-1', 'x', '1-', '2-4:0']) expect(argumentError(() => parseRanges(t))).toBe('indices');
  });

  it('splits task ids into arrays whose indices stay below MaxArraySize', () => {
    expect(splitArrays([0, 1, 2, 3, 4, 5, 6, 23], 5)).toEqual([
      { offset: 0, indices: [0, 1, 2, 3, 4] }, { offset: 5, indices: [0, 1] }, { offset: 20, indices: [3] },
    ]);
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 5000 })), fc.integer({ min: 1, max: 1001 }), (tasks, max) => {
      const chunks = splitArrays(tasks, max);
      const back = chunks.flatMap((c) => c.indices.map((i) => c.offset + i));
      expect(back).toEqual([...tasks].sort((a, b) => a - b));
      for (const c of chunks) for (const i of c.indices) expect(i).toBeLessThan(max);
    }));
  });

  it('a spec type-checks as written in a spec file', () => {
    const s: SweepSpec = { version: 1, job: 'large', grid: { g: [2, 3] }, seeds: 2, fixed: { n: 256, duration: 50 } };
    expect(planSweep(s).size).toBe(4);
  });
});

describe('the README', () => {
  it('shows sweep specs that plan', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const specs = [...readme.matchAll(/```json\n(\{ "version"[\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
    const inline = [...readme.matchAll(/`(\{ "version": 1,[^`]*)`/g)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(specs.length + inline.length).toBeGreaterThanOrEqual(2);
    for (const s of [...specs, ...inline]) expect(planSweep(s).size).toBeGreaterThan(0);
    // The result file shown is cell 3 of the inline spec.
    const cell = JSON.parse([...readme.matchAll(/```json\n(\{"rnnlab":"sweep-cell"[\s\S]*?)```/g)][0]![1]!) as { spec: string; params: object; seed: number };
    const plan = planSweep(inline[0]);
    expect(cell.spec).toBe(plan.hash);
    expect({ params: cell.params, seed: cell.seed }).toEqual({ params: sweepCell(plan, 3).params, seed: sweepCell(plan, 3).seed });
  });
});
