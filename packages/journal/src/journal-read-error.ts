import { MultiContextError } from '@multi-context/errors';
/** Why a journal could not be read. */
export type JournalReadErrorCode =
  /** The file could not be opened or read (missing, no permission, ...). */
  | 'unreadable-file'
  /** The file is empty, or its first line is not a whole record. */
  | 'missing-header'
  /** The first line is not a journal header, or its fields are not valid. */
  | 'invalid-header'
  /** The header names a format version this reader does not understand. */
  | 'unknown-format-version'
  /** The header's workflow does not hash to its `workflowHash`: the file was edited. */
  | 'workflow-hash-mismatch'
  /** A line before the last is not JSON. */
  | 'corrupt-record'
  /** A line is JSON but not a valid run event. */
  | 'invalid-event'
  /** An event's `seq` does not follow the previous one's by exactly 1. */
  | 'seq-gap'
  /** An event belongs to another run than the header's. */
  | 'wrong-run'
  /** An event follows the run's `run:end` (only the `run:resume` of a cancelled run may). */
  | 'event-after-end';

/** What a {@link JournalReadError} is made from. */
export interface JournalReadErrorOptions {
  code: JournalReadErrorCode;
  path: string;
  /** The 1-based line at fault; left out when the file as a whole is. */
  line?: number;
  /** What is wrong, as a sentence. */
  reason: string;
  cause?: unknown;
}

/**
 * A journal that cannot be trusted as a whole: a corrupted record before the
 * last line, a bad or missing header, an unknown format version, or a workflow
 * that was edited after the run. Readers never return part of such a journal.
 * (A torn *last* line, which a crash mid-write leaves, is not an error: see
 * `readJournal`.)
 *
 * Recognise it with {@link JournalReadError.isInstance}, which works across
 * copies of this package (an `instanceof` check does not).
 */
export class JournalReadError extends MultiContextError {
  static override errorName = 'JournalReadError';

  /** What kind of problem it is. */
  readonly code: JournalReadErrorCode;
  /** The journal file. */
  readonly path: string;
  /** The 1-based line at fault (the header is line 1); undefined when the file as a whole is. */
  readonly line: number | undefined;

  constructor(options: JournalReadErrorOptions) {
    const where = options.line === undefined ? options.path : `${options.path}:${options.line}`;
    super(`Cannot read the journal ${where}: ${options.reason}`, { cause: options.cause });
    this.code = options.code;
    this.path = options.path;
    this.line = options.line;
  }
}
