/** Command-line parsing helpers: typed option values and usage errors (exit code 2). */

import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A bad command line: the CLI prints the message and exits with status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failure the CLI reports by its message alone (no stack trace), with exit status 1. */
export class CliError extends Error {
  override name = 'CliError';
}

/** A decimal number, optionally in scientific notation (no hex, binary, octal or `Infinity`). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Option specs of one command: name → [type, default, help]. */
export type OptionSpecs = Record<string, { type: 'string' | 'boolean'; default?: string; help: string; short?: string; bare?: string }>;

/** Options every command accepts. */
export const COMMON: OptionSpecs = {
  json: { type: 'boolean', help: 'print the result as JSON on stdout' },
  csv: { type: 'string', help: 'write the main table or curve as CSV to this file' },
  svg: { type: 'string', help: 'write a plot as SVG to this file' },
  quiet: { type: 'boolean', help: 'no progress bar' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

/** Parsed options and, for commands that take them, positional arguments. */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `specs` (plus the common options); unknown options are usage errors, and
 * so are positional arguments outside `positionals` ([fewest, most]).
 */
export function parse(command: string, argv: string[], specs: OptionSpecs, positionals: [number, number] = [0, 0]): Parsed {
  const all = { ...specs, ...COMMON };
  // `--g -5`: a negative number after an option that takes a value is that value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const bare = a.startsWith('--') && !a.includes('=') ? all[a.slice(2)]?.bare : undefined;
    if (bare !== undefined && (next === undefined || next.startsWith('--'))) {
      // An option with a meaning of its own when given without a value (`--index`).
      args.push(`${a}=${bare}`);
    } else if (a.startsWith('--') && !a.includes('=') && all[a.slice(2)]?.type === 'string' && next !== undefined && NUMBER.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else {
      args.push(a);
    }
  }
  const config: ParseArgsConfig = {
    args,
    strict: true,
    allowPositionals: positionals[1] > 0,
    options: Object.fromEntries(
      Object.entries(all).map(([k, v]) => [k, { type: v.type, ...(v.short ? { short: v.short } : {}), ...(v.default !== undefined ? { default: v.default } : {}) }]),
    ),
  };
  let parsed: Parsed;
  try {
    const p = parseArgs(config);
    parsed = { values: p.values as Parsed['values'], positionals: p.positionals };
  } catch (e) {
    throw new UsageError(`rnnlab ${command}: ${(e as Error).message.replace(/\. To specify.*$/s, '')}`);
  }
  const [fewest, most] = positionals;
  if (!parsed.values.help && (parsed.positionals.length < fewest || parsed.positionals.length > most)) {
    const range = fewest === most ? `${fewest}` : most === Infinity ? `at least ${fewest}` : `${fewest} to ${most}`;
    throw new UsageError(`rnnlab ${command}: expects ${range} argument${most === 1 ? '' : 's'}, got ${parsed.positionals.length}`);
  }
  return parsed;
}

/** A finite decimal number option (`1.5`, `-2`, `3e-4`). */
export function num(command: string, name: string, text: unknown): number {
  if (typeof text !== 'string' || !NUMBER.test(text.trim()) || !Number.isFinite(Number(text))) {
    throw new UsageError(`rnnlab ${command}: --${name} expects a decimal number, got '${String(text)}'`);
  }
  return Number(text);
}

/** A non-negative integer option, at most `max`. */
export function int(command: string, name: string, text: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const v = num(command, name, text);
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`rnnlab ${command}: --${name} expects a non-negative integer, got '${String(text)}'`);
  if (v > max) throw new UsageError(`rnnlab ${command}: --${name} must be at most ${max}, got '${String(text)}'`);
  return v;
}

/** A comma-separated list of numbers (exactly `count` of them if given). */
export function list(command: string, name: string, text: unknown, count?: number): number[] {
  if (typeof text !== 'string') throw new UsageError(`rnnlab ${command}: --${name} expects numbers separated by commas`);
  const values = text.split(',').map((t) => num(command, name, t));
  if (count !== undefined && values.length !== count) {
    throw new UsageError(`rnnlab ${command}: --${name} expects exactly ${count} numbers separated by commas, got ${values.length}`);
  }
  return values;
}

/** One of a fixed set of words. */
export function choice<T extends string>(command: string, name: string, text: unknown, allowed: readonly T[]): T {
  if (typeof text !== 'string' || !(allowed as readonly string[]).includes(text)) {
    throw new UsageError(`rnnlab ${command}: --${name} must be one of ${allowed.join(', ')}, got '${String(text)}'`);
  }
  return text as T;
}

/** The help text of a command: its usage line, subcommands, options and example. */
export function help(command: string, summary: string, specs: OptionSpecs, example: string, extra: { usage?: string; subcommands?: { name: string; summary: string }[] } = {}): string {
  const all = { ...specs, ...COMMON };
  const rows = Object.entries(all).map(([k, v]) => {
    const flag = `--${k}${v.type === 'string' ? (v.bare !== undefined ? ' [<value>]' : ' <value>') : ''}`;
    return `  ${flag.padEnd(24)} ${v.help}${v.default !== undefined ? ` (default ${v.default})` : ''}`;
  });
  const usage = extra.usage === undefined ? '' : `\nUsage: rnnlab ${command} ${extra.usage}\n`;
  const subs = extra.subcommands === undefined ? '' : `\nSubcommands:\n${extra.subcommands.map((c) => `  ${c.name.padEnd(24)} ${c.summary}`).join('\n')}\n`;
  return `rnnlab ${command} — ${summary}\n${usage}${subs}\nOptions:\n${rows.join('\n')}\n\nExample:\n  ${example}\n`;
}
