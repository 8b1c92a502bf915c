#!/usr/bin/env node
/**
 * The `rnnlab` command line: `rnnlab <command> [options]`, with `--help` on every command.
 * Exit status: 0 on success, 2 for a bad command line or bad arguments, 1 for other failures.
 */

import { ArgumentError } from '../errors.js';
import { CliError, help, parse, UsageError } from './args.js';
import type { Command } from './commands/command.js';
import { demo } from './commands/demo.js';
import { dimension } from './commands/dimension.js';
import { dmft } from './commands/dmft.js';
import { simulate } from './commands/simulate.js';
import { sweep } from './commands/sweep.js';
import { train } from './commands/train.js';
import { checkWritable } from './output.js';

const COMMANDS: Command[] = [dmft, simulate, dimension, train, sweep, demo];

function usage(): string {
  const rows = COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`);
  return `rnnlab — theory, simulation and training of recurrent neural networks\n\nUsage: rnnlab <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun 'rnnlab <command> --help' for a command's options.\n`;
}

/** Runs the CLI on `argv` (without the node and script paths) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  let command = COMMANDS.find((c) => c.name === name);
  let argv2 = rest;
  const sub = command?.subcommands?.find((c) => c.name === rest[0]);
  if (command && sub) {
    command = { ...sub, name: `${command.name} ${sub.name}` };
    argv2 = rest.slice(1);
  }
  try {
    if (!command) throw new UsageError(`rnnlab: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
    const { values, positionals } = parse(command.name, argv2, command.specs, command.positionals?.count);
    if (values.help) {
      process.stdout.write(help(command.name, command.summary, command.specs, command.example, {
        ...(command.positionals ? { usage: `${command.positionals.usage} [options]` } : {}),
        ...(command.subcommands ? { subcommands: command.subcommands.map((c) => ({ name: `${c.name}${c.positionals ? ` ${c.positionals.usage}` : ''}`, summary: c.summary })) } : {}),
      }));
      return 0;
    }
    for (const option of ['csv', 'svg', ...(command.outputs ?? [])]) {
      const file = values[option];
      if (typeof file === 'string') checkWritable(command.name, option, file);
    }
    const result = await command.run(values, positionals);
    if (values.json && result !== undefined) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ArgumentError) {
      process.stderr.write(`${e instanceof ArgumentError ? `rnnlab ${command?.name ?? name}: ` : ''}${e.message}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      process.stderr.write(`rnnlab ${command?.name ?? name}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`rnnlab ${command?.name ?? name}: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

const invoked = process.argv[1] ?? '';
if (/(?:^|[\\/])(?:main\.[jt]s|rnnlab)$/.test(invoked)) {
  // Exit at once: nothing (a worker, a timer) may keep a finished or failed command alive.
  process.exit(await main(process.argv.slice(2)));
}
