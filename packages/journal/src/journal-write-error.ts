import { MultiContextError } from '@multi-context/errors';
/** Why a journal could not be written. */
export type JournalWriteErrorCode =
  /** The disk refused: the folder could not be made, or a write, sync or close failed. */
  | 'io'
  /** A new journal was asked for, but the run already has one (use `append`). */
  | 'journal-exists'
  /** `append` was asked for, but the run has no journal. */
  | 'journal-missing'
  /** `append` was asked for, but the journal is unreadable, of another run, or of another workflow. */
  | 'journal-mismatch'
  /** `append` was asked for, but the journal ends with the run's `run:end` (succeeded or failed). */
  | 'run-ended'
  /** The events do not continue the journal: not from `seq` 0 (or from the journal's last `seq` + 1), or with a gap. */
  | 'out-of-order'
  /** The run id cannot name a folder (empty, `.`, `..`, or has a path separator). */
  | 'invalid-run-id';

/** What a {@link JournalWriteError} is made from. */
export interface JournalWriteErrorOptions {
  code: JournalWriteErrorCode;
  path: string;
  /** What went wrong, as a sentence. */
  reason: string;
  cause?: unknown;
}

/**
 * A journal that could not be written in full. Events that came after the
 * failure are not in the file; the ones before it are, up to the last
 * successful write. A journal writer reports it by rejecting its `done` (and
 * any pending `flush()`), never by dropping events quietly.
 *
 * Recognise it with {@link JournalWriteError.isInstance}, which works across
 * copies of this package (an `instanceof` check does not).
 */
export class JournalWriteError extends MultiContextError {
  static override errorName = 'JournalWriteError';

  /** What kind of problem it is. */
  readonly code: JournalWriteErrorCode;
  /** The journal file. */
  readonly path: string;

  constructor(options: JournalWriteErrorOptions) {
    super(`Cannot write the journal ${options.path}: ${options.reason}`, { cause: options.cause });
    this.code = options.code;
    this.path = options.path;
  }
}
