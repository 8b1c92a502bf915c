/** Minimal dependency-free SVG line plots, for examples, reports and the command line. */

import { ArgumentError } from '../errors.js';
import { flag, integer, oneOf, options } from '../validate.js';

/** One curve: points (x[k], y[k]), drawn as a line and/or markers. */
export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour (default: from a fixed palette). */
  color?: string;
  /** `'line'` (default), `'points'` or `'both'`. */
  style?: 'line' | 'points' | 'both';
}

/** Options of {@link linePlotSvg}. */
export interface PlotOptions {
  series: Series[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79', '#637939',
  '#843c39',
];

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A CSS colour: `#rgb[a]`, `#rrggbb[aa]`, a name, or `rgb[a](…)`/`hsl[a](…)` of numbers. */
const COLOR = /^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([0-9.,%\s]+\))$/;

function text(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ArgumentError(name, `must be a string, got ${typeof value}`);
  return value;
}

function coordinates(name: string, value: unknown): ArrayLike<number> {
  const ok = (Array.isArray(value) || ArrayBuffer.isView(value)) && Array.from(value as ArrayLike<unknown>).every((v) => typeof v === 'number');
  if (!ok) throw new ArgumentError(name, 'must be an array of numbers');
  return value as ArrayLike<number>;
}

function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) out.push(e);
    return out;
  }
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4 || 1));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 6) ?? 10 * step;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-12 * nice; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Renders line plots to an SVG document string. Points with non-finite coordinates (or
 * non-positive ones on a log axis) are skipped. Text is escaped; colours must be CSS colours
 * (hex, a name, or rgb/hsl of numbers) and sizes integers in [300, 10000] px, else ArgumentError.
 *
 * @example
 * ```ts
 * const svg = linePlotSvg({ series: [{ label: 'y = x²', x: [0, 1, 2], y: [0, 1, 4] }] });
 * svg.startsWith('<svg'); // true
 * ```
 */
export function linePlotSvg(opts: PlotOptions): string {
  const o = options('options', opts, ['series', 'title', 'xLabel', 'yLabel', 'logX', 'logY', 'width', 'height']);
  const width = integer('width', o.width ?? 640, { min: 300, max: 10000 });
  const height = integer('height', o.height ?? 420, { min: 300, max: 10000 });
  const logX = o.logX === undefined ? false : flag('logX', o.logX);
  const logY = o.logY === undefined ? false : flag('logY', o.logY);
  const labels = { title: text('title', o.title), xLabel: text('xLabel', o.xLabel), yLabel: text('yLabel', o.yLabel) };
  if (!Array.isArray(o.series) || o.series.length === 0) throw new ArgumentError('series', 'must be a non-empty array');
  const series = (o.series as unknown[]).map((value, i): Required<Omit<Series, 'color'>> & { color: string } => {
    const s = options(`series[${i}]`, value, ['label', 'x', 'y', 'color', 'style']);
    const color = s.color === undefined ? PALETTE[i % PALETTE.length]! : text(`series[${i}].color`, s.color)!;
    if (!COLOR.test(color)) throw new ArgumentError(`series[${i}].color`, `must be a CSS colour (#hex, a name, rgb(…)), got '${color.slice(0, 40)}'`);
    return {
      label: text(`series[${i}].label`, s.label) ?? '',
      x: coordinates(`series[${i}].x`, s.x),
      y: coordinates(`series[${i}].y`, s.y),
      color,
      style: oneOf(`series[${i}].style`, s.style ?? 'line', ['line', 'points', 'both'] as const),
    };
  });
  const tx = (v: number) => (logX ? Math.log10(v) : v);
  const ty = (v: number) => (logY ? Math.log10(v) : v);
  const points = series.map((s, i) => {
    if (s.x.length !== s.y.length) throw new ArgumentError(`series[${i}].y`, `must have the length of x (${s.x.length}), got ${s.y.length}`);
    const pts: [number, number][] = [];
    for (let k = 0; k < s.x.length; k++) {
      const [u, v] = [tx(s.x[k]!), ty(s.y[k]!)];
      if (Number.isFinite(u) && Number.isFinite(v)) pts.push([u, v]);
    }
    return pts;
  });
  const all = points.flat();
  if (all.length === 0) throw new ArgumentError('series', 'has no plottable points');
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [u, v] of all) {
    [x0, x1, y0, y1] = [Math.min(x0, u), Math.max(x1, u), Math.min(y0, v), Math.max(y1, v)];
  }
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  // The legend column is as wide as its longest label (≈ 7 px a character at 12 px).
  const longest = Math.max(...series.map((s) => s.label.length));
  const m = { l: 70, r: Math.max(150, 46 + Math.ceil(7 * longest)), t: 36, b: 50 };
  const px = (u: number) => m.l + ((u - x0) / (x1 - x0)) * (width - m.l - m.r);
  const py = (v: number) => height - m.b - ((v - y0) / (y1 - y0)) * (height - m.t - m.b);
  const fmt = (v: number, log: boolean) => (log ? `1e${v}` : String(Number(v.toPrecision(4))));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<rect x="${m.l}" y="${m.t}" width="${width - m.l - m.r}" height="${height - m.t - m.b}" fill="none" stroke="#444"/>`,
  ];
  for (const t of ticks(x0, x1, logX)) {
    parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${height - m.b}" y2="${height - m.b + 5}" stroke="#444"/>`);
    parts.push(`<text x="${px(t)}" y="${height - m.b + 18}" text-anchor="middle">${fmt(t, logX)}</text>`);
  }
  for (const t of ticks(y0, y1, logY)) {
    parts.push(`<line x1="${m.l - 5}" x2="${m.l}" y1="${py(t)}" y2="${py(t)}" stroke="#444"/>`);
    parts.push(`<text x="${m.l - 8}" y="${py(t) + 4}" text-anchor="end">${fmt(t, logY)}</text>`);
  }
  if (labels.title) parts.push(`<text x="${(m.l + width - m.r) / 2}" y="22" text-anchor="middle" font-size="14">${escape(labels.title)}</text>`);
  if (labels.xLabel) parts.push(`<text x="${(m.l + width - m.r) / 2}" y="${height - 12}" text-anchor="middle">${escape(labels.xLabel)}</text>`);
  if (labels.yLabel) {
    parts.push(`<text transform="translate(16 ${(m.t + height - m.b) / 2}) rotate(-90)" text-anchor="middle">${escape(labels.yLabel)}</text>`);
  }
  series.forEach((s, i) => {
    const { color, style } = s;
    const pts = points[i]!;
    if (style !== 'points' && pts.length > 1) {
      const d = pts.map(([u, v], k) => `${k ? 'L' : 'M'}${px(u).toFixed(2)},${py(v).toFixed(2)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
    }
    if (style !== 'line') {
      for (const [u, v] of pts) parts.push(`<circle cx="${px(u).toFixed(2)}" cy="${py(v).toFixed(2)}" r="2.5" fill="${color}"/>`);
    }
    const ly = m.t + 14 + 18 * i;
    if (style === 'points') {
      parts.push(`<circle cx="${width - m.r + 20}" cy="${ly - 4}" r="3" fill="${color}"/>`);
    } else {
      parts.push(`<line x1="${width - m.r + 10}" x2="${width - m.r + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    }
    parts.push(`<text x="${width - m.r + 36}" y="${ly}">${escape(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
