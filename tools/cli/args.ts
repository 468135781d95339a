import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandIo } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>>;

/**
 * parseArgs with the CLI's conventions: a bad flag prints the error and the usage (exit 2), --help
 * prints the usage (exit 0). Returns the parsed arguments, or the exit code to return.
 */
export function parseCommand<O extends Options>(argv: string[], options: O, usage: string, io: CommandIo): Parsed<O> | number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${usage}\n`);
    return 0;
  }
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    io.stderr(`${(e as Error).message}\n${usage}\n`);
    return 2;
  }
}
