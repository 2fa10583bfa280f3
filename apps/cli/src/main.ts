import { OrchestratorConfigError } from '@multi-context/core';
import { WorkflowLoadError } from '@multi-context/loader';
import { WorkflowInputError } from '@multi-context/workflow';
import { CommanderError } from 'commander';
import { type CliIo, isEnvFlagSet, processIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import { CommandFailure } from './journal-options.js';
import { formatInputError } from './parse-input-options.js';
import { buildProgram } from './program.js';
import { ProviderSetupError } from './provider-setup-error.js';

/**
 * Runs the `multi-context` command line with `argv` (the arguments after the
 * program name) and resolves to the exit code; it never exits the process
 * itself, except on a second Ctrl-C. Errors are reported on `io.stderr` in one
 * line (or, for a workflow that does not load, as `file:line:col: message` with
 * the offending line), never as a stack trace unless `MULTI_CONTEXT_DEBUG=1`.
 *
 * @example
 * const code = await main(['validate', 'workflow.yaml']);
 * process.exitCode = code;
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = ExitCode.ok;
  try {
    const program = buildProgram(io, (code) => {
      exitCode = code;
    });
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** Prints `error` for a person and returns the exit code it calls for. */
export function reportError(error: unknown, io: CliIo): number {
  // commander has printed its message (and the usage hint) already.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (WorkflowLoadError.isInstance(error)) {
    io.stderr.write(`${error.format()}\n`);
    return ExitCode.usage;
  }
  if (ProviderSetupError.isInstance(error)) {
    io.stderr.write(`${error.lines.join('\n')}\n`);
    return ExitCode.usage;
  }
  if (WorkflowInputError.isInstance(error)) {
    io.stderr.write(`${formatInputError(error)}\n`);
    return ExitCode.usage;
  }
  if (CommandFailure.isInstance(error)) {
    io.stderr.write(`multi-context: ${error.message}\n`);
    return error.exitCode;
  }
  const inputError = OrchestratorConfigError.isInstance(error);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`multi-context: ${message}\n`);
  if (isEnvFlagSet(io.env.MULTI_CONTEXT_DEBUG) && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  }
  return inputError ? ExitCode.usage : ExitCode.runFailed;
}
