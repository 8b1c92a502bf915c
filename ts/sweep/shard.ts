/**
 * Shard arithmetic: which cells a task runs, index lists in the form `sbatch --array` takes
 * (`0-3,7,9-11`), and the split of a task list into arrays below the cluster's MaxArraySize.
 */

import { ArgumentError } from '../errors.js';

/** Shard `index` of `count`: cells index, index + count, index + 2·count, … */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/k` (0 ≤ i < k). */
export function parseShard(text: string, name = 'shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new ArgumentError(name, `must be i/k with 0 ≤ i < k, got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count || !Number.isSafeInteger(count)) throw new ArgumentError(name, `must be i/k with 0 ≤ i < k, got '${text}'`);
  return { index, count };
}

/** The cells of a shard, among `size` cells. */
export function shardCells(size: number, shard: Shard): number[] {
  const cells: number[] = [];
  for (let i = shard.index; i < size; i += shard.count) cells.push(i);
  return cells;
}

/** Sorted, distinct indices as ranges: [0, 1, 2, 3, 7, 9, 10] → '0-3,7,9-10' ('' for none). */
export function formatRanges(indices: readonly number[]): string {
  const s = [...new Set(indices)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    out.push(j === i ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** Parses `sbatch --array` ranges without the `%k` cap: '0-3,7,10-20:5' → [0, 1, 2, 3, 7, 10, 15, 20]. */
export function parseRanges(text: string, name = 'indices'): number[] {
  const out = new Set<number>();
  if (text.trim() === '') return [];
  for (const piece of text.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+)(?::(\d+))?)?\s*$/.exec(piece);
    if (!m) throw new ArgumentError(name, `'${piece}' is not an index, a range a-b or a stepped range a-b:s`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (b < a || step < 1) throw new ArgumentError(name, `'${piece}' is an empty range`);
    if ((b - a) / step > 1e7) throw new ArgumentError(name, `'${piece}' is too long`);
    for (let i = a; i <= b; i += step) out.add(i);
  }
  return [...out].sort((x, y) => x - y);
}

/** One job array of a split submission: task t of the sweep is array index t − offset. */
export interface ArrayChunk {
  offset: number;
  /** Array indices, each below MaxArraySize. */
  indices: number[];
}

/**
 * Splits task ids into arrays whose indices stay below `maxArraySize` (Slurm refuses an index
 * ≥ MaxArraySize): task t goes to the array with offset ⌊t / maxArraySize⌋ · maxArraySize.
 */
export function splitArrays(tasks: readonly number[], maxArraySize: number): ArrayChunk[] {
  if (!Number.isSafeInteger(maxArraySize) || maxArraySize < 1) throw new ArgumentError('maxArraySize', `must be a positive integer, got ${maxArraySize}`);
  const chunks = new Map<number, number[]>();
  for (const t of [...new Set(tasks)].sort((a, b) => a - b)) {
    const offset = Math.floor(t / maxArraySize) * maxArraySize;
    if (!chunks.has(offset)) chunks.set(offset, []);
    chunks.get(offset)!.push(t - offset);
  }
  return [...chunks].map(([offset, indices]) => ({ offset, indices }));
}
