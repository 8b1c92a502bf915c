/**
 * A sweep's result folder: `sweep.json` (the expanded spec and its hash) and one file per
 * finished cell, `cell-000017.json`, or `cell-000017.failed.json` for a cell whose job threw.
 * Every file is written atomically (a temporary file in the same folder, then a rename), so a
 * task killed mid-write leaves no partial result. The folder must be on a filesystem that every
 * task of a cluster run sees (a shared filesystem).
 */

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RnnlabError } from '../errors.js';
import type { JobResult } from '../parallel/jobs.js';
import { planSweep, type SweepPlan } from './spec.js';

/** The package version written into every result file (from the package's own package.json). */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The folder holds results of another sweep, or a file in it is not what its name says. */
export class SweepConflictError extends RnnlabError {
  override name = 'SweepConflictError';
}

/** `sweep.json`: what a result folder holds. */
export interface SweepHeader {
  rnnlab: 'sweep';
  format: 1;
  name: string;
  hash: string;
  size: number;
  version: string;
  spec: SweepPlan['spec'];
}

/** Where and how a cell ran. */
export interface CellProvenance {
  host: string;
  /** The Slurm array task (`jobid_task`), job id, or indexed-job index that ran it; null locally. */
  task: string | null;
  /** When the process that ran the cell started, when the cell started, and the cell's wall time (s). */
  taskStarted: string;
  started: string;
  seconds: number;
}

/** One cell's result file. */
export interface CellRecord extends CellProvenance {
  rnnlab: 'sweep-cell';
  format: 1;
  index: number;
  /** The spec's hash, and the package version that computed the result. */
  spec: string;
  version: string;
  params: Record<string, unknown>;
  seed: number | null;
  status: 'ok' | 'failed';
  result?: JobResult;
  error?: { name: string; message: string; parameter?: string };
}

const WIDTH = 6;

/** The result file of cell `index` (`failed` for the failure record). */
export function cellFile(index: number, failed = false): string {
  return `cell-${String(index).padStart(WIDTH, '0')}${failed ? '.failed' : ''}.json`;
}

/** The cell index a file name stands for, with whether it is a failure record; null for other files. */
export function parseCellFile(name: string): { index: number; failed: boolean } | null {
  const m = /^cell-(\d+)(\.failed)?\.json$/.exec(name);
  return m ? { index: Number(m[1]), failed: m[2] !== undefined } : null;
}

/** Writes `text` to `file` atomically: a unique temporary file beside it, flushed, then renamed. */
export function writeAtomic(file: string, text: string): void {
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const temp = `${file.slice(0, slash + 1)}.${file.slice(slash + 1)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx');
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
}

/** The header of a plan. */
export function sweepHeader(plan: SweepPlan): SweepHeader {
  return { rnnlab: 'sweep', format: 1, name: plan.name, hash: plan.hash, size: plan.size, version: PACKAGE_VERSION, spec: plan.spec };
}

/**
 * Creates the folder if needed and records the sweep in `sweep.json`; a folder that already
 * holds another sweep (another hash) is refused.
 */
export function openSweepFolder(dir: string, plan: SweepPlan): void {
  mkdirSync(dir, { recursive: true });
  const existing = readHeader(dir);
  if (existing === null) writeAtomic(join(dir, 'sweep.json'), `${JSON.stringify(sweepHeader(plan), null, 2)}\n`);
  else if (existing.hash !== plan.hash) {
    throw new SweepConflictError(`'${dir}' holds the results of sweep ${existing.hash} (${existing.name}), not of this spec (${plan.hash}); use another folder`);
  }
}

/** The folder's `sweep.json`, or null when it has none. */
export function readHeader(dir: string): SweepHeader | null {
  let text: string;
  try {
    text = readFileSync(join(dir, 'sweep.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const h = JSON.parse(text) as SweepHeader;
  if (h?.rnnlab !== 'sweep' || h.format !== 1) throw new SweepConflictError(`'${join(dir, 'sweep.json')}' is not an rnnlab sweep header`);
  return h;
}

/** The plan a folder's header records (its hash checked against the spec it holds). */
export function headerPlan(dir: string): SweepPlan {
  const h = readHeader(dir);
  if (h === null) throw new SweepConflictError(`'${dir}' holds no sweep.json: not a sweep result folder`);
  const plan = planSweep(h.spec);
  if (plan.hash !== h.hash) throw new SweepConflictError(`'${join(dir, 'sweep.json')}': its spec hashes to ${plan.hash}, not the recorded ${h.hash}`);
  return plan;
}

/** A spec file's content, or a folder's `sweep.json`, as a plan. */
export function planFromFile(file: string): SweepPlan {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SweepConflictError(`cannot read the spec '${file}': ${(e as Error).message}`);
  }
  const header = value as Partial<SweepHeader>;
  if (header?.rnnlab === 'sweep') {
    const plan = planSweep(header.spec);
    if (plan.hash !== header.hash) throw new SweepConflictError(`'${file}': its spec hashes to ${plan.hash}, not the recorded ${header.hash}`);
    return plan;
  }
  return planSweep(value);
}

/** The cell files of a folder: index, failure flag and file name. */
export function listCells(dir: string): { index: number; failed: boolean; file: string }[] {
  const out: { index: number; failed: boolean; file: string }[] = [];
  for (const name of readdirSync(dir)) {
    const c = parseCellFile(name);
    if (c) out.push({ ...c, file: join(dir, name) });
  }
  return out.sort((a, b) => a.index - b.index || Number(a.failed) - Number(b.failed));
}

/** Reads a cell file; a file that is not a cell record of its name's index is a conflict. */
export function readCell(file: string, index: number): CellRecord {
  let r: CellRecord;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as CellRecord;
  } catch (e) {
    throw new SweepConflictError(`'${file}' is not readable JSON: ${(e as Error).message}`);
  }
  if (r?.rnnlab !== 'sweep-cell' || r.format !== 1 || r.index !== index) throw new SweepConflictError(`'${file}' is not the result of cell ${index}`);
  return r;
}
