/**
 * Coupling matrices from text: a dense matrix or a weighted edge list, e.g. a connectome's
 * synapse table. Takes the text (not a path), so it works alike in Node and in browsers.
 */

import { ArgumentError } from '../errors.js';
import { matrix, type Matrix } from '../matrix.js';
import { flag, oneOf, options } from '../validate.js';

/** A column of an edge list: its header name, or its 0-based position. */
export type ColumnRef = string | number;

/** Options of {@link readCouplings}. */
export interface ReadCouplingsOptions {
  /** `'dense'`: N lines of N numbers (line i is row i, J_ij); `'edges'`: one `pre, post, weight` line per synapse. */
  format: 'dense' | 'edges';
  /** Field separator: `','`, `'\t'` or `' '` (any run of spaces and tabs). Default: a tab if the first line has one, else a comma if it has one, else whitespace. */
  delimiter?: ',' | '\t' | ' ';
  /**
   * Whether the first line names the columns. Default: dense, when its first field is not a
   * number; edges, when its weight field is not a number.
   */
  header?: boolean;
  /** Edges: columns of the presynaptic and postsynaptic nodes, the weight and an optional sign (default 0, 1, 2, none). Names need a header. */
  columns?: { pre?: ColumnRef; post?: ColumnRef; weight?: ColumnRef; sign?: ColumnRef };
  /** Edges: keep only the lines whose named columns hold these values (e.g. `{ type: 'chemical' }`). */
  where?: Record<string, string>;
  /** Edges: the nodes and their order. Default: node names in order of first appearance, or indices 0…max if every node field is an integer. */
  nodes?: readonly string[];
  /** Edges: with `nodes`, what a line naming another node does: `'error'` (default) or `'drop'` it. */
  others?: 'error' | 'drop';
}

/** What {@link readCouplings} read. */
export interface Couplings {
  /** The couplings: J_ij is the summed weight of the edges from node j (pre) to node i (post). */
  J: Matrix;
  /** Node names (dense without header and index edge lists: "0", "1", …). */
  names: string[];
  /** Edges: lines kept (after `where` and `others: 'drop'`), and those dropped by `others: 'drop'`. */
  edges: number;
  dropped: number;
}

/**
 * Reads a coupling matrix from text. Lines starting with `#` and blank lines are skipped; fields
 * are trimmed and may be double-quoted (without embedded delimiters).
 *
 * - **dense**: N lines of N numbers, line i holding row i (J_i1 … J_iN), optionally after a
 *   header line of N node names.
 * - **edges**: one line per edge `pre, post, weight[, sign]` (columns chosen by `columns`),
 *   optionally after a header line. The edge from `pre` to `post` adds `weight` (times `sign`)
 *   to J[post][pre], so duplicates are summed. A sign is a number (multiplies the weight) or
 *   `+` / `-`. Nodes are names, or 0-based indices when every node field is an integer.
 *
 * Every problem is an {@link ArgumentError} naming the line: a wrong field count, a non-number,
 * an unknown column or node.
 *
 * @example
 * ```ts
 * const text = '# pre,post,weight\nAVA,AVB,3\nAVB,AVA,-1.5\nAVA,AVB,1\n';
 * const { J, names } = readCouplings(text, { format: 'edges' });
 * names;  // ['AVA', 'AVB']
 * J.data; // [0, -1.5, 4, 0]: J[AVB][AVA] = 3 + 1
 * readCouplings('0 1\n-2 0\n', { format: 'dense' }).J.data; // [0, 1, -2, 0]
 * ```
 */
export function readCouplings(text: string, opts: ReadCouplingsOptions): Couplings {
  const o = options('options', opts, ['format', 'delimiter', 'header', 'columns', 'where', 'nodes', 'others']);
  if (typeof text !== 'string') throw new ArgumentError('text', `must be a string, got ${typeof text}`);
  const format = oneOf('format', o.format, ['dense', 'edges'] as const);
  const lines = contentLines(text);
  if (lines.length === 0) throw new ArgumentError('text', 'has no data lines');
  const delimiter = o.delimiter === undefined ? guessDelimiter(lines[0]!.text) : oneOf('delimiter', o.delimiter, [',', '\t', ' '] as const);
  const header = o.header === undefined ? undefined : flag('header', o.header);
  const rows = lines.map((l) => ({ line: l.line, fields: split(l.text, delimiter) }));
  if (format === 'dense') {
    for (const key of ['columns', 'where', 'nodes', 'others'] as const) {
      if (o[key] !== undefined) throw new ArgumentError(key, "applies to format 'edges' only");
    }
    return dense(rows, header);
  }
  return edges(rows, header, o);
}

interface Row {
  line: number;
  fields: string[];
}

function contentLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((raw, k) => {
    const t = raw.trim();
    if (t !== '' && !t.startsWith('#')) out.push({ line: k + 1, text: t });
  });
  return out;
}

function guessDelimiter(first: string): ',' | '\t' | ' ' {
  if (first.includes('\t')) return '\t';
  return first.includes(',') ? ',' : ' ';
}

function split(text: string, delimiter: ',' | '\t' | ' '): string[] {
  const parts = delimiter === ' ' ? text.split(/[ \t]+/) : text.split(delimiter);
  return parts.map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  });
}

function isNumber(field: string): boolean {
  return field !== '' && Number.isFinite(Number(field));
}

function number(row: Row, k: number, what: string): number {
  const f = row.fields[k]!;
  if (!isNumber(f)) throw new ArgumentError('text', `line ${row.line}: ${what} '${f}' is not a finite number`);
  return Number(f);
}

function dense(rows: Row[], header: boolean | undefined): Couplings {
  const hasHeader = header ?? !isNumber(rows[0]!.fields[0]!);
  const data = hasHeader ? rows.slice(1) : rows;
  const n = data.length;
  if (n === 0) throw new ArgumentError('text', 'has a header but no matrix rows');
  const names = hasHeader ? rows[0]!.fields : Array.from({ length: n }, (_, i) => String(i));
  if (names.length !== n) throw new ArgumentError('text', `line ${rows[0]!.line}: header names ${names.length} nodes, but there are ${n} matrix rows`);
  checkUnique(names, rows[0]!.line);
  const J = new Float64Array(n * n);
  data.forEach((row, i) => {
    if (row.fields.length !== n) throw new ArgumentError('text', `line ${row.line}: expected ${n} numbers (a square matrix), got ${row.fields.length}`);
    for (let j = 0; j < n; j++) J[i * n + j] = number(row, j, `entry (${i}, ${j})`);
  });
  return { J: matrix(n, n, J), names, edges: 0, dropped: 0 };
}

function checkUnique(names: readonly string[], line: number): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new ArgumentError('text', `line ${line}: empty node name`);
    if (seen.has(name)) throw new ArgumentError('text', `line ${line}: node '${name}' is named twice`);
    seen.add(name);
  }
}

function edges(rows: Row[], header: boolean | undefined, o: Record<string, unknown>): Couplings {
  const spec = o.columns === undefined ? {} : options('columns', o.columns, ['pre', 'post', 'weight', 'sign']);
  const where = o.where === undefined ? {} : options('where', o.where);
  for (const [key, value] of Object.entries(where)) {
    if (typeof value !== 'string') throw new ArgumentError(`where.${key}`, 'must be a string');
  }
  const refs = { pre: spec.pre ?? 0, post: spec.post ?? 1, weight: spec.weight ?? 2, sign: spec.sign };
  const named = Object.values(refs).some((r) => typeof r === 'string') || Object.keys(where).length > 0;
  const first = rows[0]!;
  const weightAt = typeof refs.weight === 'number' ? refs.weight : -1;
  const hasHeader = header ?? (named || (weightAt >= 0 && weightAt < first.fields.length && !isNumber(first.fields[weightAt]!)));
  const columnNames = hasHeader ? first.fields : [];
  const width = first.fields.length;
  const column = (name: string, ref: unknown): number => {
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 0 || ref >= width) throw new ArgumentError(name, `column ${ref} is not one of 0…${width - 1}`);
      return ref;
    }
    if (typeof ref !== 'string') throw new ArgumentError(name, 'must be a column name or a 0-based column index');
    if (!hasHeader) throw new ArgumentError(name, `names column '${ref}', but the text has no header line`);
    const k = columnNames.indexOf(ref);
    if (k < 0) throw new ArgumentError(name, `no column '${ref}' in the header (${columnNames.join(', ')})`);
    return k;
  };
  const pre = column('columns.pre', refs.pre);
  const post = column('columns.post', refs.post);
  const weight = column('columns.weight', refs.weight);
  const sign = refs.sign === undefined ? -1 : column('columns.sign', refs.sign);
  const filters = Object.entries(where).map(([key, value]) => ({ k: column(`where.${key}`, key), value: value as string }));
  const data = (hasHeader ? rows.slice(1) : rows).filter((row) => {
    if (row.fields.length !== width) throw new ArgumentError('text', `line ${row.line}: expected ${width} fields, got ${row.fields.length}`);
    return filters.every((f) => row.fields[f.k] === f.value);
  });
  if (data.length === 0) throw new ArgumentError('text', 'has no edges (after `where`)');

  for (const row of data) {
    if (row.fields[pre] === '' || row.fields[post] === '') throw new ArgumentError('text', `line ${row.line}: empty node name`);
  }
  const given = o.nodes === undefined ? undefined : nodeList(o.nodes);
  const others = oneOf('others', o.others ?? 'error', ['error', 'drop'] as const);
  if (o.others !== undefined && !given) throw new ArgumentError('others', 'applies only with `nodes`');
  const indices = !given && data.every((row) => /^\d+$/.test(row.fields[pre]!) && /^\d+$/.test(row.fields[post]!));
  let names: string[];
  if (given) names = [...given];
  else if (indices) {
    const max = Math.max(...data.map((row) => Math.max(Number(row.fields[pre]), Number(row.fields[post]))));
    names = Array.from({ length: max + 1 }, (_, i) => String(i));
  } else {
    const seen = new Set<string>();
    for (const row of data) for (const k of [pre, post]) seen.add(row.fields[k]!);
    names = [...seen];
  }
  const index = new Map(names.map((name, i) => [name, i]));
  const n = names.length;
  const J = new Float64Array(n * n);
  let kept = 0;
  let dropped = 0;
  for (const row of data) {
    const i = index.get(row.fields[post]!);
    const j = index.get(row.fields[pre]!);
    if (i === undefined || j === undefined) {
      if (others === 'drop') {
        dropped++;
        continue;
      }
      const unknown = j === undefined ? row.fields[pre] : row.fields[post];
      throw new ArgumentError('text', `line ${row.line}: node '${unknown}' is not in \`nodes\` (pass others: 'drop' to skip such lines)`);
    }
    let w = number(row, weight, 'weight');
    if (sign >= 0) w *= signOf(row, sign);
    J[i * n + j] = J[i * n + j]! + w;
    kept++;
  }
  return { J: matrix(n, n, J), names, edges: kept, dropped };
}

function nodeList(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    throw new ArgumentError('nodes', 'must be a non-empty array of node names');
  }
  const names = value as string[];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ArgumentError('nodes', `names '${name}' twice`);
    seen.add(name);
  }
  return names;
}

function signOf(row: Row, k: number): number {
  const f = row.fields[k]!;
  if (f === '+') return 1;
  if (f === '-') return -1;
  return number(row, k, 'sign');
}
