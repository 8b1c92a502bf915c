/** Command-line output: aligned tables, JSON, CSV and SVG files, and progress bars on stderr. */

import { accessSync, constants, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { linePlotSvg, type PlotOptions } from '../plot/svg.js';
import { CliError, UsageError } from './args.js';

/**
 * Checks that `file` (the value of `--<option>`) can be written: an existing writable file, or a
 * new one in an existing writable folder. Run before computing, so no result is lost.
 */
export function checkWritable(command: string, option: string, file: string): void {
  const fail = (why: string) => new UsageError(`rnnlab ${command}: --${option} '${file}': ${why}`);
  const path = resolve(file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw fail('is a folder, not a file');
  const folder = dirname(path);
  if (!stat && !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw fail(`the folder '${folder}' does not exist`);
  try {
    accessSync(stat ? path : folder, constants.W_OK);
  } catch {
    throw fail(stat ? 'the file is not writable' : `the folder '${folder}' is not writable`);
  }
}

/** Writes a file; a failure is reported by its message alone. */
export function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new CliError(`cannot write '${file}': ${(e as Error).message}`);
  }
}

/** Prints rows as an aligned table on stdout. */
export function table(rows: readonly (readonly (string | number)[])[]): void {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? format(c) : c)));
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  for (const r of cells) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
}

function format(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(6) : v.toExponential(4);
}

/** Writes a CSV file (numbers at full precision). */
export function writeCsv(file: string, header: readonly string[], rows: readonly (readonly (number | string)[])[]): void {
  writeOutput(file, [header.join(','), ...rows.map((r) => r.map(String).join(','))].join('\n') + '\n');
}

/** Writes an SVG line plot. */
export function writeSvg(file: string, plot: PlotOptions): void {
  writeOutput(file, linePlotSvg(plot));
}

/**
 * A progress bar on stderr (a no-op when `quiet`). It appears at the first update, so a run
 * that fails its checks prints no bar; always `stop()` it (in a `finally`).
 */
export function progress(quiet: boolean, label: string, total: number): { update(done: number, info?: string): void; stop(): void } {
  if (quiet) return { update() {}, stop() {} };
  let bar: SingleBar | undefined;
  let stopped = false;
  return {
    update(done, info = '') {
      if (stopped) return;
      if (!bar) {
        bar = new SingleBar({
          format: `${label} [{bar}] {percentage}% | {value}/{total} {info}`,
          stream: process.stderr,
          hideCursor: true,
          noTTYOutput: true,
          notTTYSchedule: 2000,
        });
        bar.start(total, 0, { info: '' });
      }
      bar.update(done, { info });
    },
    stop() {
      stopped = true;
      bar?.stop();
    },
  };
}
