import { JournalWriteError, type JournalWriteErrorOptions } from '@multi-context/journal';

/** What a {@link RedisJournalWriteError} is made from. */
export interface RedisJournalWriteErrorOptions extends JournalWriteErrorOptions {
  /** The `seq` of the last event Redis acknowledged; -1 when none was. */
  writtenSeq: number;
  /** Whether Redis did not answer for longer than the writer's `unreachableLimitMs`. */
  unreachable?: boolean;
}

/**
 * A Redis journal that could not be written in full: a `JournalWriteError`
 * (so a host that handles the file journal's failures handles this one too)
 * whose `path` is the journal's location (`redis://host:port key`), and which
 * says how far the journal got. The events up to `writtenSeq` are in Redis
 * and stay there: once Redis is back, a resume continues from them.
 *
 * Recognise it with {@link RedisJournalWriteError.isInstance} (or
 * `JournalWriteError.isInstance`), which work across package copies.
 */
export class RedisJournalWriteError extends JournalWriteError {
  static override errorName = 'RedisJournalWriteError';

  /** The `seq` of the last event Redis acknowledged; -1 when none was. */
  readonly writtenSeq: number;
  /** Whether Redis was unreachable for longer than the limit (`code` is then `io`). */
  readonly unreachable: boolean;

  constructor(options: RedisJournalWriteErrorOptions) {
    super(options);
    this.writtenSeq = options.writtenSeq;
    this.unreachable = options.unreachable ?? false;
  }
}
