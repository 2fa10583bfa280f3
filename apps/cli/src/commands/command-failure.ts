import { MultiContextError } from '@multi-context/errors';
import { ExitCode } from '../options/exit-codes.js';

/**
 * A command cannot do what was asked, for a reason the user can fix (an
 * unknown run id, a damaged journal): one line on stderr and an exit code,
 * never a stack trace.
 */
export class CommandFailure extends MultiContextError {
  static override errorName = 'CommandFailure';

  readonly exitCode: number;

  constructor(message: string, exitCode: number = ExitCode.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}
