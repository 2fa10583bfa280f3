import { MultiContextError } from '@multi-context/errors';

/** The run was cancelled while the task was waiting or in flight. */
export class RunCancelledError extends MultiContextError {
  static override errorName = 'RunCancelledError';

  constructor(reason: string) {
    super(`The run was cancelled: ${reason}`);
  }
}
