/**
 * Sweep specifications: a job kind, a grid, seeds and fixed options as JSON data; their
 * validation, their deterministic expansion into numbered cells, and the hash that names them.
 *
 * Expansion (version 1): parts in the order given; within a part, the grid's parameters in
 * sorted order of their names (the first slowest), then the seeds (fastest). Cell i therefore
 * means the same parameters whatever the order of the keys in the file.
 */

import { createHash } from 'node:crypto';
import { ArgumentError } from '../errors.js';
import { checkJob, JOB_KINDS, seeded, type Job } from '../parallel/jobs.js';
import { finite, integer, oneOf, options } from '../validate.js';

/** The expansion rules' version; a spec names it as `version`. */
export const SWEEP_VERSION = 1;

/** Most cells of one sweep. */
export const MAX_CELLS = 10_000_000;

/**
 * The values of one grid parameter: a list of JSON values, an arithmetic range (`to` included
 * when it is on the grid), or `count` points from `from` to `to`, evenly or geometrically spaced.
 * Range values are rounded to 12 significant digits (0.1 + 0.2 is written 0.3).
 */
export type GridAxis =
  | readonly unknown[]
  | { from: number; to: number; step: number }
  | { from: number; to: number; count: number; scale?: 'linear' | 'log' };

/** Seeds: a count k (seeds 0 … k−1), a list, or `count` consecutive seeds from `from`. */
export type SweepSeeds = number | readonly number[] | { from: number; count: number };

/** One job kind and its grid. */
export interface SweepPart {
  /** The job kind: 'dimension', 'dmft', 'simulate', 'large' or 'train' (see `Job`). */
  job: Job['kind'];
  /** Parameters to vary, by option name; a dotted name sets a nested option (`network.n`). */
  grid?: Record<string, GridAxis>;
  /** Seeds, the fastest-varying axis (required for seeded kinds unless `grid` or `fixed` gives `seed`). */
  seeds?: SweepSeeds;
  /** Options every cell of the part shares. */
  fixed?: Record<string, unknown>;
}

/**
 * A sweep: `version: 1`, an optional `name`, and either one part's fields at the top level or
 * `parts`, a list of parts numbered one after another.
 *
 * @example
 * ```ts
 * const plan = planSweep({ version: 1, job: 'dimension', grid: { g: [2, 3], gamma: { from: 0, to: 1, step: 0.5 } } });
 * plan.size; // 6
 * sweepCell(plan, 1).params; // { g: 2, gamma: 0.5 }
 * ```
 */
export interface SweepSpec extends Partial<SweepPart> {
  version: 1;
  name?: string;
  parts?: SweepPart[];
}

/** A part as expanded: axes in sorted order, explicit seeds. */
export interface PlannedPart {
  job: Job['kind'];
  axes: { name: string; values: unknown[] }[];
  seeds: number[] | null;
  fixed: Record<string, unknown>;
  /** Index of the part's first cell, and its number of cells. */
  first: number;
  size: number;
}

/** A validated, expanded sweep. */
export interface SweepPlan {
  name: string;
  /** SHA-256 (first 16 hex digits) of the expansion: what the cells are, not how the file is written. */
  hash: string;
  size: number;
  parts: PlannedPart[];
  /** The spec in normal form (explicit values, sorted keys), itself a valid spec. */
  spec: SweepSpec;
}

/** One cell: its index, its part, the values of the grid's parameters, its seed and its job. */
export interface SweepCell {
  index: number;
  part: number;
  params: Record<string, unknown>;
  seed: number | null;
  job: Job;
}

const PART_KEYS = ['job', 'grid', 'seeds', 'fixed'] as const;

/** Validates and expands a spec (an object, e.g. parsed from a spec file). */
export function planSweep(spec: unknown): SweepPlan {
  const s = options('spec', spec, ['version', 'name', 'parts', ...PART_KEYS]);
  if (s.version !== SWEEP_VERSION) throw new ArgumentError('version', `must be ${SWEEP_VERSION} (the expansion rules' version), got ${JSON.stringify(s.version)}`);
  if (s.name !== undefined && (typeof s.name !== 'string' || s.name.length === 0 || !/^[\w.-]+$/.test(s.name))) {
    throw new ArgumentError('name', 'must be a non-empty string of letters, digits, _ . and -');
  }
  let raw: unknown[];
  if (s.parts !== undefined) {
    if (PART_KEYS.some((k) => s[k] !== undefined)) throw new ArgumentError('parts', "give either 'parts' or one part's fields (job, grid, seeds, fixed), not both");
    if (!Array.isArray(s.parts) || s.parts.length === 0) throw new ArgumentError('parts', 'must be a non-empty list of parts');
    raw = s.parts;
  } else {
    raw = [Object.fromEntries(PART_KEYS.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]))];
  }
  const parts: PlannedPart[] = [];
  let size = 0;
  raw.forEach((p, i) => {
    const part = planPart(p, s.parts === undefined ? '' : `parts[${i}].`, size);
    parts.push(part);
    size += part.size;
    if (size > MAX_CELLS) throw new ArgumentError(s.parts === undefined ? 'grid' : 'parts', `the sweep has more than ${MAX_CELLS} cells`);
  });
  const normal: SweepSpec = {
    version: SWEEP_VERSION,
    ...(s.name !== undefined ? { name: s.name as string } : {}),
    parts: parts.map((p) => ({
      job: p.job,
      grid: Object.fromEntries(p.axes.map((a) => [a.name, a.values])),
      ...(p.seeds !== null ? { seeds: p.seeds } : {}),
      fixed: p.fixed,
    })),
  };
  const hash = createHash('sha256').update(canonicalJson({ version: SWEEP_VERSION, parts: normal.parts })).digest('hex').slice(0, 16);
  const plan: SweepPlan = { name: (s.name as string | undefined) ?? `sweep-${hash.slice(0, 8)}`, hash, size, parts, spec: normal };
  // Every cell of a part has the same option names: checking the first checks them all.
  for (const p of parts) if (p.size > 0) checkJob(sweepCell(plan, p.first).job, 'job');
  return plan;
}

function planPart(value: unknown, at: string, first: number): PlannedPart {
  const p = options(at === '' ? 'spec' : at.slice(0, -1), value, PART_KEYS);
  const job = oneOf(`${at}job`, p.job, JOB_KINDS);
  const grid = p.grid === undefined ? {} : options(`${at}grid`, p.grid);
  const fixed = p.fixed === undefined ? {} : options(`${at}fixed`, p.fixed);
  const axes = Object.keys(grid).sort().map((name) => ({ name, values: axisValues(`${at}grid.${name}`, grid[name]) }));
  for (const name of Object.keys(grid)) {
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(name)) throw new ArgumentError(`${at}grid.${name}`, 'a parameter name is an option name, or a dotted path to a nested option');
    if (name === 'kind') throw new ArgumentError(`${at}grid.kind`, "the job kind is the part's 'job'");
  }
  for (const name of Object.keys(fixed)) if (name === 'kind') throw new ArgumentError(`${at}fixed.kind`, "the job kind is the part's 'job'");
  for (const a of axes) {
    if (inFixed(fixed, a.name)) throw new ArgumentError(`${at}grid.${a.name}`, "also given in 'fixed'");
    const prefix = axes.find((b) => b !== a && a.name.startsWith(`${b.name}.`));
    if (prefix !== undefined) throw new ArgumentError(`${at}grid.${a.name}`, `inside another grid parameter (${prefix.name})`);
  }
  const seedGiven = Object.hasOwn(fixed, 'seed') || axes.some((a) => a.name === 'seed');
  let seeds: number[] | null = null;
  if (p.seeds !== undefined) {
    if (!seeded(job)) throw new ArgumentError(`${at}seeds`, `'${job}' jobs take no seed`);
    if (seedGiven) throw new ArgumentError(`${at}seeds`, "the seed is also given in 'grid' or 'fixed'");
    seeds = seedValues(`${at}seeds`, p.seeds);
  } else if (seeded(job) && !seedGiven) {
    throw new ArgumentError(`${at}seeds`, `'${job}' jobs need seeds (a count, a list, or { from, count })`);
  }
  let size = seeds?.length ?? 1;
  for (const a of axes) size *= a.values.length;
  if (size > MAX_CELLS) throw new ArgumentError(`${at}grid`, `the sweep has more than ${MAX_CELLS} cells`);
  return { job, axes, seeds, fixed: JSON.parse(canonicalJson(fixed)) as Record<string, unknown>, first, size };
}

/** Whether `fixed` gives a value at the dotted `path`, or a non-object on the way to it. */
function inFixed(fixed: Record<string, unknown>, path: string): boolean {
  let o: unknown = fixed;
  for (const key of path.split('.')) {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return true;
    if (!Object.hasOwn(o, key)) return false;
    o = (o as Record<string, unknown>)[key];
  }
  return true;
}

/** 12 significant digits: the grid's own values, not the rounding of the arithmetic that made them. */
const tidy = (v: number): number => Number(v.toPrecision(12));

function axisValues(name: string, axis: unknown): unknown[] {
  if (Array.isArray(axis)) {
    if (axis.length === 0) throw new ArgumentError(name, 'must list at least one value');
    axis.forEach((v, i) => jsonValue(`${name}[${i}]`, v));
    return JSON.parse(JSON.stringify(axis)) as unknown[];
  }
  const r = options(name, axis, ['from', 'to', 'step', 'count', 'scale']);
  const from = finite(`${name}.from`, r.from);
  const to = finite(`${name}.to`, r.to);
  if ((r.step === undefined) === (r.count === undefined)) throw new ArgumentError(name, "a range takes either 'step' or 'count'");
  if (r.step !== undefined) {
    if (r.scale !== undefined) throw new ArgumentError(`${name}.scale`, "applies to a range with 'count'");
    const step = finite(`${name}.step`, r.step);
    if (step === 0 || Math.sign(to - from) * Math.sign(step) < 0) throw new ArgumentError(`${name}.step`, `must be nonzero and lead from ${from} to ${to}`);
    const n = Math.floor((to - from) / step + 1e-9) + 1;
    if (n > MAX_CELLS) throw new ArgumentError(`${name}.step`, `gives more than ${MAX_CELLS} values`);
    return Array.from({ length: n }, (_, k) => tidy(from + k * step));
  }
  const count = integer(`${name}.count`, r.count, { min: 1, max: MAX_CELLS });
  const scale = r.scale === undefined ? 'linear' : oneOf(`${name}.scale`, r.scale, ['linear', 'log'] as const);
  if (scale === 'log' && (from <= 0 || to <= 0)) throw new ArgumentError(`${name}.from`, "a 'log' range needs from > 0 and to > 0");
  if (count === 1) return [tidy(from)];
  return Array.from({ length: count }, (_, k) => {
    const t = k / (count - 1);
    return tidy(scale === 'log' ? from * (to / from) ** t : from + (to - from) * t);
  });
}

function seedValues(name: string, seeds: unknown): number[] {
  const check = (v: unknown, i: number) => integer(`${name}[${i}]`, v, { min: 0, max: 2 ** 32 - 1 });
  let list: number[];
  if (typeof seeds === 'number') {
    list = Array.from({ length: integer(name, seeds, { min: 1, max: MAX_CELLS }) }, (_, k) => k);
  } else if (Array.isArray(seeds)) {
    if (seeds.length === 0) throw new ArgumentError(name, 'must list at least one seed');
    list = seeds.map(check);
  } else {
    const r = options(name, seeds, ['from', 'count']);
    const from = integer(`${name}.from`, r.from, { min: 0, max: 2 ** 32 - 1 });
    const count = integer(`${name}.count`, r.count, { min: 1, max: MAX_CELLS });
    list = Array.from({ length: count }, (_, k) => check(from + k, k));
  }
  if (new Set(list).size !== list.length) throw new ArgumentError(name, 'lists a seed twice');
  return list;
}

function jsonValue(name: string, v: unknown): void {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new ArgumentError(name, 'must be a finite number');
  if (v === undefined || typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol') {
    throw new ArgumentError(name, 'must be a JSON value');
  }
  if (Array.isArray(v)) v.forEach((x, i) => jsonValue(`${name}[${i}]`, x));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) jsonValue(`${name}.${k}`, x);
}

/** Cell `index` of a plan. */
export function sweepCell(plan: SweepPlan, index: number): SweepCell {
  integer('index', index, { min: 0, max: Math.max(0, plan.size - 1) });
  if (index >= plan.size) throw new ArgumentError('index', `must be below the sweep's ${plan.size} cells`);
  const part = plan.parts.findIndex((p) => index < p.first + p.size);
  const p = plan.parts[part]!;
  let rest = index - p.first;
  let seed: number | null = null;
  if (p.seeds !== null) {
    seed = p.seeds[rest % p.seeds.length]!;
    rest = Math.floor(rest / p.seeds.length);
  }
  const picked: unknown[] = new Array(p.axes.length);
  for (let a = p.axes.length - 1; a >= 0; a--) {
    const values = p.axes[a]!.values;
    picked[a] = values[rest % values.length];
    rest = Math.floor(rest / values.length);
  }
  const params = Object.fromEntries(p.axes.map((a, k) => [a.name, picked[k]]));
  const job = JSON.parse(JSON.stringify(p.fixed)) as Record<string, unknown>;
  job.kind = p.job;
  for (const [name, value] of Object.entries(params)) setPath(job, name, JSON.parse(JSON.stringify(value)));
  if (seed !== null) {
    job.seed = seed;
    // A training run's network is drawn from the cell's seed unless the spec says otherwise.
    if (p.job === 'train' && typeof job.network === 'object' && job.network !== null && !Object.hasOwn(job.network, 'seed')) {
      (job.network as Record<string, unknown>).seed = seed;
    }
  }
  return { index, part, params, seed: seed ?? (typeof job.seed === 'number' ? job.seed : null), job: job as unknown as Job };
}

/** Every cell of a plan, in order. */
export function expandSweep(plan: SweepPlan): SweepCell[] {
  return Array.from({ length: plan.size }, (_, i) => sweepCell(plan, i));
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys.at(-1)!] = value;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}
