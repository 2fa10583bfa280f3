import { WorkflowLoadError } from '@multi-context/loader';
import { WorkflowInputError } from '@multi-context/workflow';
import { CommanderError } from 'commander';
import type { CliIo } from '../cli-io.js';
import { CommandFailure } from '../commands/command-failure.js';
import { ExitCode } from '../options/exit-codes.js';
import { formatInputError } from '../options/parse-input-options.js';

/**
 * Prints an error any command may meet (a usage mistake, a workflow that
 * does not load, bad inputs, a command that cannot do what was asked) and
 * returns its exit code; undefined, having printed nothing, for any other.
 * It loads none of the packages a run needs: `--help` and `validate` start
 * without them.
 */
export function reportKnownError(error: unknown, io: CliIo): number | undefined {
  // commander has printed its message (and the usage hint) already.
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (WorkflowLoadError.isInstance(error)) {
    io.stderr.write(`${error.format()}\n`);
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
  return undefined;
}
