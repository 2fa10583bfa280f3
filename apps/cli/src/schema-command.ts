import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { profilesJsonSchema, workflowJsonSchema } from '@multi-context/workflow';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { CommandFailure } from './command-failure.js';
import { ExitCode } from './exit-codes.js';
import { configure } from './program.js';

/** The options of `multi-context schema`. */
export interface SchemaCommandOptions {
  /** `--profiles`: the schema of a profiles file instead of a workflow file's. */
  profiles?: boolean;
  /** `--out`: the file to write, relative to the working directory, instead of stdout. */
  out?: string;
}

/**
 * The text `multi-context schema` prints: the JSON Schema (draft 2020-12) of
 * a workflow file, or of a profiles file, generated from the zod schemas of
 * `@multi-context/workflow`, two-space indented and ending in a newline, as
 * the committed `examples/*.schema.json` files are.
 */
export function schemaText(kind: 'workflow' | 'profiles'): string {
  const schema = kind === 'profiles' ? profilesJsonSchema() : workflowJsonSchema();
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * `multi-context schema [--profiles] [--out <file>]`: prints the JSON Schema
 * that editors check workflow (or profiles) files against, or writes it to a file.
 *
 * @throws {CommandFailure} When the `--out` file cannot be written.
 */
export async function schemaCommand(options: SchemaCommandOptions, io: CliIo): Promise<number> {
  const kind = options.profiles === true ? 'profiles' : 'workflow';
  const text = schemaText(kind);
  if (options.out === undefined) {
    io.stdout.write(text);
    return ExitCode.ok;
  }
  const path = resolve(io.cwd, options.out);
  try {
    await writeFile(path, text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    throw new CommandFailure(`cannot write the ${kind} schema to ${options.out} (${reason})`);
  }
  // stderr, so that `--out` combined with a pipe on stdout stays clean.
  io.stderr.write(`multi-context: wrote the ${kind} file schema to ${options.out}\n`);
  return ExitCode.ok;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Adds `multi-context schema` to the program. */
export function addSchemaCommand(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const schema = program
    .command('schema')
    .description('print the JSON Schema of workflow files, for editors')
    .option('--profiles', 'the schema of profiles files (--profiles <file> of run) instead')
    .option('--out <file>', 'write it to this file instead of stdout')
    .addHelpText(
      'after',
      `
The JSON Schema (draft 2020-12) is generated from the same definitions that
'validate' checks against. Point an editor at it with a first line such as
  # yaml-language-server: $schema=./workflow.schema.json
(the YAML extension of VS Code, and any editor using yaml-language-server, then
completes keys and flags mistakes as you type). 'validate' still checks what a
schema cannot: task references, templates, unique ids.

Examples:
  $ multi-context schema --out workflow.schema.json
  $ multi-context schema --profiles --out profiles.schema.json

Exit codes:
  0    the schema was printed or written
  2    a bad option, or the --out file cannot be written`,
    )
    .action(async (options: SchemaCommandOptions) => {
      setExitCode(await schemaCommand(options, io));
    });
  configure(schema, io, "Run 'multi-context schema --help' for usage.");
}
