import { MultiContextError } from '@multi-context/errors';

/**
 * Redis did not answer a journal reader (or a check) in time: nothing was
 * read. Recognise it with {@link RedisJournalUnreachableError.isInstance}.
 */
export class RedisJournalUnreachableError extends MultiContextError {
  static override errorName = 'RedisJournalUnreachableError';

  /**
   * @param target - Where Redis was looked for, with any password taken out.
   * @param reason - What the attempt ended with.
   */
  constructor(
    readonly target: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Redis at ${target} is unreachable: ${reason}`, options);
  }
}
