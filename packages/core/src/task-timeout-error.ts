import { MultiContextError } from '@multi-context/errors';

/** One attempt of a task took longer than its `timeout`. Retryable: the next attempt may be quicker. */
export class TaskTimeoutError extends MultiContextError {
  static override errorName = 'TaskTimeoutError';

  readonly retryable = true;
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The provider did not finish within ${timeoutMs} ms.`);
    this.timeoutMs = timeoutMs;
  }
}
