/** Command-line output: aligned tables, JSON, CSV and SVG files, and progress bars on stderr. */

import { writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { linePlotSvg, type PlotOptions } from '../plot/svg.js';

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
  writeFileSync(file, [header.join(','), ...rows.map((r) => r.map(String).join(','))].join('\n') + '\n');
}

/** Writes an SVG line plot. */
export function writeSvg(file: string, plot: PlotOptions): void {
  writeFileSync(file, linePlotSvg(plot));
}

/** A progress bar on stderr (a no-op when `quiet`). */
export function progress(quiet: boolean, label: string, total: number): { update(done: number, info?: string): void; stop(): void } {
  if (quiet) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} {info}`,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(total, 0, { info: '' });
  return { update: (done, info = '') => bar.update(done, { info }), stop: () => bar.stop() };
}
