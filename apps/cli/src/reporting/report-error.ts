import { OrchestratorConfigError } from '@multi-context/core';
import { ProviderSetupError } from '@multi-context/providers';
import { type CliIo, isEnvFlagSet } from '../cli-io.js';
import { ExitCode } from '../options/exit-codes.js';
import { reportKnownError } from './report-known-error.js';

/** Prints `error` for a person and returns the exit code it calls for. */
export function reportError(error: unknown, io: CliIo): number {
  const known = reportKnownError(error, io);
  if (known !== undefined) return known;
  // Errors of a run, whose packages are loaded by then.
  if (ProviderSetupError.isInstance(error)) {
    io.stderr.write(`${error.lines.join('\n')}\n`);
    return ExitCode.usage;
  }
  const inputError = OrchestratorConfigError.isInstance(error);
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`multi-context: ${message}\n`);
  if (isEnvFlagSet(io.env.MULTI_CONTEXT_DEBUG) && error instanceof Error && error.stack) {
    io.stderr.write(`${error.stack}\n`);
  }
  return inputError ? ExitCode.usage : ExitCode.runFailed;
}
