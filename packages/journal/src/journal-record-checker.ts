import type { RunEvent } from '@multi-context/events';
import type { JournalHeader } from './journal-format.js';
import { JournalLineParser } from './journal-line-parser.js';
import { JournalReadError } from './journal-read-error.js';
import type { JournalContents } from './read-journal.js';

/**
 * Checks the records of a journal kept elsewhere than in a file (a Redis
 * stream, a database table), one at a time, in order: the header first,
 * then each event as the JSON text it was stored as. The checks are those of
 * `readJournal()`: a valid header whose workflow matches its hash, events of
 * its run with contiguous `seq` from `run:start`, nothing after `run:end` but
 * the `run:resume` of a cancelled run. A failure is a `JournalReadError`
 * whose `path` is the journal's location and whose `line` is the record's
 * number (the header is record 1, the event of `seq` n is record n + 2).
 *
 * @example
 * const checker = new JournalRecordChecker('redis://127.0.0.1:6379 key mc:run:42');
 * checker.header(headerText);
 * for (const text of eventTexts) console.log(checker.event(text).type);
 * console.log(checker.ended);
 */
export class JournalRecordChecker {
  readonly #parser: JournalLineParser;
  #records = 0;

  /** @param location - Where the journal is kept, as messages should name it. */
  constructor(readonly location: string) {
    this.#parser = new JournalLineParser(location);
  }

  /**
   * Checks the header record.
   *
   * @throws {JournalReadError} When it is not a valid header, or one was checked already.
   */
  header(text: string): JournalHeader {
    if (this.#records > 0) {
      throw new JournalReadError({
        code: 'invalid-header',
        path: this.location,
        line: this.#records + 1,
        reason: 'a second header record.',
      });
    }
    this.#parser.parse(text, 1);
    // Counted once it passed: a header that failed leaves the checker waiting for a header still.
    this.#records++;
    return this.#parser.header!;
  }

  /**
   * Checks the next event record, and returns it as stored.
   *
   * @throws {JournalReadError} When it breaks the journal (or no header was checked yet).
   */
  event(text: string): RunEvent {
    if (this.#records === 0) {
      throw new JournalReadError({
        code: 'missing-header',
        path: this.location,
        line: 1,
        reason: 'an event record came before the header.',
      });
    }
    const event = this.#parser.parse(text, this.#records + 1)!;
    this.#records++;
    return event;
  }

  /** The `seq` of the last event checked; -1 before the first. */
  get lastSeq(): number {
    return this.#parser.lastSeq;
  }

  /** Whether the last event checked is the run's `run:end`. */
  get ended(): boolean {
    return this.#parser.result !== undefined;
  }

  /** The journal as `readJournal()` returns a file's, from the records checked so far. */
  contents(events: RunEvent[]): JournalContents {
    const header = this.#parser.header;
    if (header === undefined) {
      throw new JournalReadError({
        code: 'missing-header',
        path: this.location,
        reason: 'the journal has no header record.',
      });
    }
    const result = this.#parser.result;
    const contents: JournalContents = {
      path: this.location,
      header,
      events,
      truncated: false,
      ended: result !== undefined,
    };
    if (result !== undefined) contents.result = result;
    return contents;
  }
}

/**
 * Checks a whole journal kept elsewhere than in a file, given its header and
 * its events as the JSON texts they were stored as, and returns it as
 * `readJournal()` returns a file's (`path` is `location`; never `truncated`).
 * See {@link JournalRecordChecker} for the checks.
 *
 * @throws {JournalReadError} With the location, the record's number and the reason.
 *
 * @example
 * const contents = checkJournalRecords(location, await redis.get(headerKey), eventTexts);
 * console.log(contents.header.workflow.name, contents.events.length, contents.ended);
 */
export function checkJournalRecords(
  location: string,
  header: string,
  events: Iterable<string>,
): JournalContents {
  const checker = new JournalRecordChecker(location);
  checker.header(header);
  const checked: RunEvent[] = [];
  for (const text of events) checked.push(checker.event(text));
  return checker.contents(checked);
}
