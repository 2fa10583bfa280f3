import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { didYouMean, profilesJsonSchema, workflowJsonSchema } from '@multi-context/workflow';
import { type Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { configure } from '../options/command-options.js';
import { ExitCode, SCHEMA_EXIT_CODES } from '../options/exit-codes.js';
import { CommandFailure } from './command-failure.js';

/** The kinds of file `multi-context schema` has a schema of. */
export const SCHEMA_KINDS = ['workflow', 'profiles'] as const;

/** A kind of file with a JSON Schema: a workflow file, or a profiles file (`--profiles <file>`). */
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** The options of `multi-context schema`. */
export interface SchemaCommandOptions {
  /**
   * `--profiles`: the old spelling of the kind `profiles`, kept working (with
   * a notice) for scripts; hidden, since everywhere else `--profiles` takes a file.
   */
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
export function schemaText(kind: SchemaKind): string {
  const schema = kind === 'profiles' ? profilesJsonSchema() : workflowJsonSchema();
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * The kind `schema` was asked for: its argument (`workflow` when there is
 * none), or `profiles` with the deprecated `--profiles` switch.
 *
 * @throws {CommandFailure} For an unknown kind, a file given instead of a
 *   kind (the old `--profiles` switch made `schema --profiles profiles.yaml`
 *   look right), or two kinds.
 */
export function schemaKindOf(argument: string | undefined, profilesSwitch: boolean): SchemaKind {
  if (argument === undefined) return profilesSwitch ? 'profiles' : 'workflow';
  const kind = SCHEMA_KINDS.find((candidate) => candidate === argument);
  if (kind !== undefined) {
    if (profilesSwitch && kind !== 'profiles') {
      throw new CommandFailure(`'schema ${kind} --profiles' names two kinds: give one`);
    }
    return kind;
  }
  if (/[./\\]/.test(argument)) {
    throw new CommandFailure(
      `schema takes the kind of file whose schema to print, workflow or profiles, not a file (got "${argument}"); ` +
        'to check a file: multi-context validate <workflow> [--profiles <file>]',
    );
  }
  const suggestion = didYouMean(argument, SCHEMA_KINDS);
  throw new CommandFailure(
    `unknown schema kind "${argument}"` +
      (suggestion === undefined ? '' : `; did you mean "${suggestion}"?`) +
      ` (kinds: ${SCHEMA_KINDS.join(', ')})`,
  );
}

/**
 * `multi-context schema [workflow|profiles] [--out <file>]`: prints the JSON
 * Schema that editors check workflow (or profiles) files against, or writes
 * it to a file.
 *
 * @throws {CommandFailure} For a bad kind, or when the `--out` file cannot be written.
 */
export async function schemaCommand(
  argument: string | undefined,
  options: SchemaCommandOptions,
  io: CliIo,
): Promise<number> {
  const kind = schemaKindOf(argument, options.profiles === true);
  if (options.profiles === true) {
    io.stderr.write(
      "multi-context: 'schema --profiles' is deprecated: use 'multi-context schema profiles' " +
        '(--profiles takes a profiles file in run, validate and resume)\n',
    );
  }
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
    .description('print the JSON Schema of workflow files, or of profiles files, for editors')
    .argument('[kind]', 'workflow (the default) or profiles: the kind of file')
    .addOption(new Option('--profiles', 'deprecated: the kind profiles').hideHelp())
    .option('--out <file>', 'write it to this file instead of stdout')
    .addHelpText(
      'after',
      `
The JSON Schema (draft 2020-12) is generated from the same definitions that
'validate' checks against. Point an editor at it with a first line such as
  # yaml-language-server: $schema=./workflow.schema.json
(the YAML extension of VS Code, and any editor using yaml-language-server, then
completes keys and flags mistakes as you type). 'validate' still checks what a
schema cannot: task references, templates, unique ids, providers and profiles.

Examples:
  $ multi-context schema --out workflow.schema.json
  $ multi-context schema profiles --out profiles.schema.json
${SCHEMA_EXIT_CODES}`,
    )
    .action(async (kind: string | undefined, options: SchemaCommandOptions) => {
      setExitCode(await schemaCommand(kind, options, io));
    });
  configure(schema, io, "Run 'multi-context schema --help' for usage.");
}
