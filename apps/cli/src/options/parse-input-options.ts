import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type InputValue,
  resolveInputs,
  type Workflow,
  type WorkflowInputError,
} from '@multi-context/workflow';
import { InvalidArgumentError, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { CommandFailure } from '../commands/command-failure.js';

/** One `--input` as given: the input's name and its value, or the file that holds it. */
export type InputOption = { name: string; value: string } | { name: string; file: string };

/** The options that carry `--input`, as commander collects them. */
export interface InputOptions {
  /** `--input name=value` and `--input name=@file`, in the order given. */
  input?: InputOption[];
}

/**
 * The repeatable `--input name=value` (and `name=@file`) option of the
 * commands that start a run (`run`, `resume`): `.addOption(inputOption())`.
 */
export function inputOption(): Option {
  return new Option(
    '--input <name=value>',
    "a value for one of the workflow's inputs (repeatable); name=@file reads it from a file",
  ).argParser(parseInputOption);
}

/**
 * commander's parser of one `--input`: `name=value`, `name=@file` (the file's
 * text, read when the command runs), `name=@@text` for a value that itself
 * begins with `@`. The value may be empty (`name=`); the name may not.
 *
 * @throws {InvalidArgumentError} For a malformed option or a name given twice;
 *   commander reports it with the usage hint (exit 2).
 */
export function parseInputOption(raw: string, previous: InputOption[] | undefined): InputOption[] {
  const equals = raw.indexOf('=');
  const name = equals === -1 ? '' : raw.slice(0, equals).trim();
  if (name === '') {
    throw new InvalidArgumentError(
      'expected name=value (or name=@file to read the value from a file).',
    );
  }
  const given = previous ?? [];
  if (given.some((option) => option.name === name)) {
    throw new InvalidArgumentError(`input "${name}" is given more than once.`);
  }
  const value = raw.slice(equals + 1);
  let option: InputOption;
  if (value.startsWith('@@')) option = { name, value: value.slice(1) };
  else if (value.startsWith('@')) {
    const file = value.slice(1);
    if (file === '') throw new InvalidArgumentError('expected a file name after "@".');
    option = { name, file };
  } else option = { name, value };
  return [...given, option];
}

/**
 * The values of the `--input` options, with each `@file` read (UTF-8, exactly
 * as written, relative to the working directory), checked against the
 * workflow's `inputs` before anything runs: converted to their types, and
 * defaults filled in.
 *
 * @throws {CommandFailure} When a file cannot be read (exit 2).
 * @throws {WorkflowInputError} When inputs are missing, unknown or of the wrong
 *   type; {@link formatInputError} renders it.
 */
export async function inputValuesOf(
  workflow: Pick<Workflow, 'inputs'>,
  options: InputOptions,
  io: CliIo,
): Promise<Record<string, InputValue>> {
  const given: Record<string, string> = {};
  for (const option of options.input ?? []) {
    Object.defineProperty(given, option.name, {
      value: 'file' in option ? await readInputFile(option.name, option.file, io) : option.value,
      enumerable: true,
    });
  }
  return resolveInputs(workflow, given);
}

async function readInputFile(name: string, file: string, io: CliIo): Promise<string> {
  const path = resolve(io.cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' || code === 'ENOTDIR'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'it is a directory, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? `permission denied (${code})`
            : error instanceof Error
              ? error.message
              : String(error);
    throw new CommandFailure(`--input ${name}=@${file}: ${reason}: ${path}`);
  }
}

/**
 * A {@link WorkflowInputError} as the CLI prints it: a heading, then every
 * issue on its own line (each message names its input).
 */
export function formatInputError(error: WorkflowInputError): string {
  const count = error.issues.length;
  const heading = `multi-context: ${count === 1 ? 'an input is' : `${count} inputs are`} not right (set inputs with --input name=value):`;
  return [heading, ...error.issues.map((issue) => `  ${issue.message}`)].join('\n');
}
