import { ExitCode } from '../options/exit-codes.js';

const marker = Symbol.for('multi-context.cli.CommandFailure');

/**
 * A command cannot do what was asked, for a reason the user can fix (an
 * unknown run id, a damaged journal): one line on stderr and an exit code,
 * never a stack trace.
 */
export class CommandFailure extends Error {
  readonly [marker] = true;
  readonly exitCode: number;

  constructor(message: string, exitCode: number = ExitCode.usage) {
    super(message);
    this.name = 'CommandFailure';
    this.exitCode = exitCode;
  }

  /** Whether `error` is a CommandFailure from any copy of this module. */
  static isInstance(error: unknown): error is CommandFailure {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
