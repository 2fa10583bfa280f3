import { MultiContextError } from '@multi-context/errors';

/** Redis did not answer within the time a caller gave it: nothing was sent to a queue. */
export class RedisUnreachableError extends MultiContextError {
  static override errorName = 'RedisUnreachableError';

  /**
   * @param target - Where Redis was looked for, with any password taken out.
   * @param reason - What the connection attempt ended with.
   */
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`Redis at ${target} is unreachable: ${reason}`);
  }
}
