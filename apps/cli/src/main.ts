import { type CliIo, processIo } from './cli-io.js';
import { ExitCode } from './options/exit-codes.js';
import { argumentsToParse, buildProgram } from './program.js';
import { reportKnownError } from './reporting/report-known-error.js';

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
    await program.parseAsync(argumentsToParse(program, argv), { from: 'user' });
    return exitCode;
  } catch (error) {
    // The errors any command may meet need none of the run's packages; the rest
    // go through reportError, which knows the errors of a run by their classes.
    const known = reportKnownError(error, io);
    if (known !== undefined) return known;
    const { reportError } = await import('./reporting/report-error.js');
    return reportError(error, io);
  }
}
