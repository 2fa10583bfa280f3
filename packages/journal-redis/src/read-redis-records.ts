import type { RunEvent } from '@multi-context/events';
import { JournalReadError, JournalRecordChecker } from '@multi-context/journal';
import type { Redis } from 'ioredis';
import type { RedisJournalKeys } from './redis-journal-keys.js';

/** How many stream entries one XRANGE reads. */
const PAGE = 1_000;

/** The field of a stream entry that holds the event's JSON text. */
export const EVENT_FIELD = 'event';

/** A stream entry as ioredis returns it: its id and its fields and values, flat. */
export type StreamEntry = [id: string, fields: string[]];

/** The event text of a stream entry. */
export function eventTextOf(entry: StreamEntry, location: string): string {
  const [id, fields] = entry;
  for (let index = 0; index + 1 < fields.length; index += 2) {
    if (fields[index] === EVENT_FIELD) return fields[index + 1]!;
  }
  throw new JournalReadError({
    code: 'corrupt-record',
    path: location,
    reason: `the stream entry ${id} has no "${EVENT_FIELD}" field.`,
  });
}

/** A journal read whole from Redis and checked: the checker (for its state) and the events. */
export interface CheckedRecords {
  checker: JournalRecordChecker;
  events: RunEvent[];
}

/**
 * Reads run's header and every entry of its stream, a page at a time, and
 * checks them in order with the same rules as a file journal.
 *
 * @returns Undefined when there is no header.
 * @throws {JournalReadError} When a record breaks the journal.
 */
export async function readRedisRecords(
  client: Redis,
  keys: RedisJournalKeys,
  location: string,
): Promise<CheckedRecords | undefined> {
  const header = await client.get(keys.header);
  if (header === null) return undefined;
  const checker = new JournalRecordChecker(location);
  checker.header(header);
  const events: RunEvent[] = [];
  let start = '-';
  for (;;) {
    const page = (await client.xrange(keys.events, start, '+', 'COUNT', PAGE)) as StreamEntry[];
    for (const entry of page) events.push(checker.event(eventTextOf(entry, location)));
    if (page.length < PAGE) break;
    start = `(${page.at(-1)![0]}`;
  }
  return { checker, events };
}
