/**
 * Shared plumbing of the figure scripts: option parsing, CSV input and output, SVG output, log-spaced grids,
 * and running a script either from the command line or from a test.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linePlotSvg, type PlotOptions } from '../../ts/index.js';

/** A comma-separated list of numbers ("1.5,2,3"). */
export function numbers(name: string, text: string): number[] {
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((v) => !Number.isFinite(v))) throw new Error(`--${name}: expected numbers separated by commas, got '${text}'`);
  return list;
}

/** A finite number option. */
export function num(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isFinite(v)) throw new Error(`--${name}: expected a number, got '${text}'`);
  return v;
}

/** `count` points log-spaced from `lo` to `hi` (inclusive). */
export function logSpace(lo: number, hi: number, count: number): Float64Array {
  if (count === 1) return Float64Array.of(lo);
  const [a, b] = [Math.log(lo), Math.log(hi)];
  return Float64Array.from({ length: count }, (_, k) => Math.exp(a + ((b - a) * k) / (count - 1)));
}

/** Writes CSV and SVG files into one output directory and remembers their paths. */
export class Output {
  readonly files: string[] = [];
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** A CSV file: one header line, then one line per row (numbers at full precision). */
  csv(name: string, header: readonly string[], rows: readonly (readonly (number | string)[])[]): string {
    const quote = (v: number | string) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const text = [header.map(quote).join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
    return this.write(name, text);
  }

  /**
   * An SVG line plot (see `linePlotSvg`), widened on the right so that long legend labels are
   * not clipped (the plot keeps a fixed 150 px legend margin).
   */
  svg(name: string, plot: PlotOptions): string {
    return this.write(name, widened(plot).text);
  }

  /**
   * Several plots in one SVG (panels of one figure), each as {@link svg} draws it: side by side,
   * or in rows of `columns` panels.
   */
  svgPanels(name: string, plots: readonly PlotOptions[], columns = plots.length): string {
    const drawn = plots.map(widened);
    const rows = Array.from({ length: Math.ceil(drawn.length / columns) }, (_, r) => drawn.slice(r * columns, (r + 1) * columns));
    const parts: string[] = [];
    let [width, y] = [0, 0];
    for (const row of rows) {
      let x = 0;
      for (const w of row) {
        parts.push(w.text.replace(/^<svg /, `<svg x="${x}" y="${y}" `).trimEnd());
        x += w.width;
      }
      width = Math.max(width, x);
      y += Math.max(...row.map((w) => w.height));
    }
    const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">\n` + parts.join('\n') + '\n</svg>\n';
    return this.write(name, text);
  }

  private write(name: string, text: string): string {
    const file = join(this.dir, name);
    writeFileSync(file, text);
    this.files.push(file);
    return file;
  }
}

/** A plot's SVG, widened on the right so that its longest legend label fits; with its size. */
function widened(plot: PlotOptions): { text: string; width: number; height: number } {
  const width = plot.width ?? 640;
  const longest = Math.max(...plot.series.map((s) => s.label.length));
  const extra = Math.max(0, Math.ceil(36 + 7 * longest - 150));
  let height = plot.height ?? 420;
  const text = linePlotSvg(plot).replace(
    /^<svg ([^>]*?)width="(\d+)"([^>]*?)viewBox="0 0 (\d+) (\d+)"/,
    (_m, a: string, _w: string, b: string, _vw: string, h: string) => {
      height = Number(h);
      return `<svg ${a}width="${width + extra}"${b}viewBox="0 0 ${width + extra} ${h}"`;
    },
  );
  return { text, width: width + extra, height };
}

/**
 * The rows (cells as text) of a CSV file written by these scripts, after checking that its header
 * starts with `columns` (e.g. 'rank,g_eff,theory').
 */
export function readTable(file: string | URL, columns: string): string[][] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const name = typeof file === 'string' ? file : file.pathname;
  if (!header?.startsWith(columns)) throw new Error(`${name}: expected the columns ${columns}, found ${header ?? 'nothing'}`);
  return lines.map((line) => line.split(','));
}

/** Prints rows as an aligned table. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === resolve(process.argv[1]);
}

/** Seconds since `t0` (from performance.now()), formatted. */
export function seconds(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}
