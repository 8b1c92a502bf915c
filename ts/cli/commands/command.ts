/** The shape of a CLI command. */

import type { OptionSpecs } from '../args.js';

/** One subcommand: its help and its action (returns the result that `--json` prints). */
export interface Command {
  name: string;
  summary: string;
  specs: OptionSpecs;
  example: string;
  /** Options naming output files besides `--csv` and `--svg` (checked writable before running). */
  outputs?: readonly string[];
  /** Positional arguments: their usage text and how many ([fewest, most]); none by default. */
  positionals?: { usage: string; count: [number, number] };
  /** Subcommands, chosen by the first argument (`rnnlab sweep run …`). */
  subcommands?: readonly Command[];
  run(values: Record<string, string | boolean | undefined>, positionals?: string[]): Promise<unknown>;
}
