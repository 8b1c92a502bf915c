/**
 * Merging result folders into one table, with what is missing, what failed, and which cells
 * appear twice (the same numbers) or conflict (different numbers, or not what their index means).
 */

import { ArgumentError } from '../errors.js';
import { formatRanges } from './shard.js';
import { canonicalJson, sweepCell, type SweepPlan } from './spec.js';
import { headerPlan, listCells, readCell, SweepConflictError, type CellRecord } from './store.js';

/** One row of the merged table: index, job kind, seed, the grid's parameters, the result's fields. */
export type SweepRow = Record<string, unknown>;

/** What {@link mergeSweep} found. */
export interface MergeReport {
  name: string;
  hash: string;
  size: number;
  /** Finished cells in index order. */
  rows: SweepRow[];
  /** The columns of a CSV table: every field whose values are numbers, strings, booleans or null. */
  columns: string[];
  /** Cells with no result file, and those whose job failed (their latest error). */
  missing: number[];
  failed: { index: number; error: CellRecord['error']; task: string | null; host: string }[];
  /** Cells found in several folders with identical results (kept once). */
  duplicates: number[];
  /**
   * Files that do not match the sweep (another spec, parameters not those of their index), kept
   * out of the table, and cells whose results disagree between folders (none of them kept).
   */
  conflicts: { index: number; files: string[]; reason: string }[];
  /** Package versions that computed the rows. */
  versions: string[];
  /** No cell missing, failed or conflicting. */
  complete: boolean;
}

/**
 * Reads one or more result folders of the same sweep (e.g. a cluster's and a laptop's) into one
 * table.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * const out = mkdtempSync(`${tmpdir()}/sweep-`);
 * await runSweep({ version: 1, job: 'dimension', grid: { g: [2, 3] } }, { out, shard: '0/2', workers: 0 });
 * const m = mergeSweep(out);
 * [m.rows.length, m.missing]; // [1, [1]]: shard 1/2 has not run
 * ```
 */
export function mergeSweep(dirs: string | readonly string[]): MergeReport {
  const list = typeof dirs === 'string' ? [dirs] : [...dirs];
  if (list.length === 0 || list.some((d) => typeof d !== 'string' || d === '')) throw new ArgumentError('dirs', 'must name at least one result folder');
  const plan = headerPlan(list[0]!);
  for (const d of list.slice(1)) {
    const other = headerPlan(d);
    if (other.hash !== plan.hash) throw new SweepConflictError(`'${d}' holds sweep ${other.hash}, '${list[0]}' holds ${plan.hash}: they do not merge`);
  }
  const ok = new Map<number, { record: CellRecord; files: string[] }>();
  const failed = new Map<number, CellRecord>();
  const conflicts = new Map<number, { files: string[]; reason: string }>();
  // Indices whose valid results disagree: none of their results is kept.
  const disputed = new Set<number>();
  const duplicates = new Set<number>();
  const conflict = (index: number, files: string[], reason: string) => {
    const c = conflicts.get(index);
    if (c) c.files.push(...files.filter((f) => !c.files.includes(f)));
    else conflicts.set(index, { files, reason });
  };
  for (const dir of list) {
    for (const c of listCells(dir)) {
      if (c.index >= plan.size) {
        conflict(c.index, [c.file], `index beyond the sweep's ${plan.size} cells`);
        continue;
      }
      let r: CellRecord;
      try {
        r = readCell(c.file, c.index);
      } catch (e) {
        conflict(c.index, [c.file], (e as Error).message);
        continue;
      }
      const why = mismatch(plan, r, c.failed);
      if (why !== null) {
        conflict(c.index, [c.file], why);
        continue;
      }
      if (c.failed) {
        failed.set(c.index, r);
        continue;
      }
      const seen = ok.get(c.index);
      if (!seen) ok.set(c.index, { record: r, files: [c.file] });
      else if (canonicalJson(seen.record.result) === canonicalJson(r.result)) {
        seen.files.push(c.file);
        duplicates.add(c.index);
      } else {
        conflict(c.index, [...seen.files, c.file], 'different results for the same cell');
        disputed.add(c.index);
      }
    }
  }
  for (const index of disputed) ok.delete(index);
  const rows: SweepRow[] = [];
  for (const [index, { record }] of [...ok].sort((a, b) => a[0] - b[0])) rows.push(row(plan, index, record));
  const missing: number[] = [];
  for (let i = 0; i < plan.size; i++) if (!ok.has(i) && !disputed.has(i) && !failed.has(i)) missing.push(i);
  const failures = [...failed].filter(([i]) => !ok.has(i) && !disputed.has(i)).sort((a, b) => a[0] - b[0]);
  return {
    name: plan.name,
    hash: plan.hash,
    size: plan.size,
    rows,
    columns: columns(rows),
    missing,
    failed: failures.map(([index, r]) => ({ index, error: r.error, task: r.task, host: r.host })),
    duplicates: [...duplicates].filter((i) => ok.has(i)).sort((a, b) => a - b),
    conflicts: [...conflicts].sort((a, b) => a[0] - b[0]).map(([index, c]) => ({ index, ...c })),
    versions: [...new Set([...ok.values()].map((v) => v.record.version))].sort(),
    complete: missing.length === 0 && failures.length === 0 && conflicts.size === 0,
  };
}

/** Why a record is not the cell its index means (null when it is). */
function mismatch(plan: SweepPlan, r: CellRecord, failedFile: boolean): string | null {
  if (r.spec !== plan.hash) return `computed for sweep ${r.spec}, not ${plan.hash}`;
  if ((r.status === 'failed') !== failedFile) return `status '${r.status}' in a file named as ${failedFile ? 'a failure' : 'a result'}`;
  const cell = sweepCell(plan, r.index);
  if (canonicalJson(cell.params) !== canonicalJson(r.params) || cell.seed !== r.seed) return 'its parameters are not those of its index';
  if (r.status === 'ok' && (typeof r.result !== 'object' || r.result === null || r.result.kind !== cell.job.kind)) return `no '${cell.job.kind}' result`;
  return null;
}

function row(plan: SweepPlan, index: number, r: CellRecord): SweepRow {
  const cell = sweepCell(plan, index);
  const out: SweepRow = { index, job: cell.job.kind, seed: cell.seed, ...cell.params };
  for (const [k, v] of Object.entries(r.result ?? {})) if (k !== 'kind') out[Object.hasOwn(out, k) ? `result.${k}` : k] = v;
  return out;
}

function columns(rows: SweepRow[]): string[] {
  const order: string[] = [];
  const tabular = new Map<string, boolean>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (!tabular.has(k)) {
        order.push(k);
        tabular.set(k, true);
      }
      if (v !== null && !['number', 'string', 'boolean'].includes(typeof v)) tabular.set(k, false);
    }
  }
  return order.filter((k) => tabular.get(k));
}

/** The merged table as CSV (numbers at full precision; a cell's absent field is empty). */
export function mergedCsv(report: MergeReport): string {
  const quote = (v: unknown) => {
    if (v === undefined || v === null) return '';
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [report.columns.join(','), ...report.rows.map((r) => report.columns.map((c) => quote(r[c])).join(','))].join('\n') + '\n';
}

/** A one-paragraph account of a merge: counts, and the indices to rerun. */
export function mergeSummary(report: MergeReport): string {
  const lines = [`sweep ${report.name} (${report.hash}): ${report.rows.length} of ${report.size} cells done`];
  if (report.missing.length > 0) lines.push(`missing ${report.missing.length}: ${formatRanges(report.missing)}`);
  for (const f of report.failed) lines.push(`failed cell ${f.index}${f.task ? ` (task ${f.task}, ${f.host})` : ` (${f.host})`}: ${f.error?.name}: ${f.error?.message}`);
  if (report.duplicates.length > 0) lines.push(`duplicates (identical, kept once): ${formatRanges(report.duplicates)}`);
  for (const c of report.conflicts) lines.push(`conflict at cell ${c.index}: ${c.reason} (${c.files.join(', ')})`);
  if (report.versions.length > 1) lines.push(`computed by rnnlab ${report.versions.join(', ')}`);
  return lines.join('\n');
}

/** The cells to run again (missing or failed; a conflict needs a look first), in `sbatch --array` form. */
export function rerunIndices(report: MergeReport): string {
  return formatRanges([...report.missing, ...report.failed.map((f) => f.index)]);
}
