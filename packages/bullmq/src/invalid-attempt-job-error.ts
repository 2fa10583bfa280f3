import { MultiContextError } from '@multi-context/errors';

/** A job on the queue that is not an attempt this worker can make: a stranger's job, or another format version. */
export class InvalidAttemptJobError extends MultiContextError {
  static override errorName = 'InvalidAttemptJobError';

  /**
   * @param jobId - The BullMQ id of the job refused.
   * @param reason - Why, as the end of a sentence.
   */
  constructor(
    readonly jobId: string,
    readonly reason: string,
  ) {
    super(`Job ${jobId} was refused: ${reason}`);
  }
}
