import { MultiContextError } from '@multi-context/errors';

/** An attempt that was waiting for a worker when its BullMQ executor was closed, or one started after. */
export class ExecutorClosedError extends MultiContextError {
  static override errorName = 'ExecutorClosedError';

  constructor() {
    super('The BullMQ executor was closed: the attempt was not completed.');
  }
}
