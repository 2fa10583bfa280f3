import type { RunEvent } from '@multi-context/events';
import { JournalRecordChecker } from '@multi-context/journal';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import {
  asReadFailure,
  type RedisJournalKeyOptions,
  readRedisJournal,
} from './read-redis-journal.js';
import { eventTextOf, type StreamEntry } from './read-redis-records.js';
import {
  closeRedis,
  openOwnRedis,
  type RedisJournalConnection,
  redisLocation,
} from './redis-connection.js';
import { DEFAULT_REDIS_JOURNAL_PREFIX, redisJournalKeys } from './redis-journal-keys.js';

/** Options of {@link replayRedisJournal}. */
export interface ReplayRedisJournalOptions extends RedisJournalKeyOptions {
  /**
   * Keep reading the stream for events written after the replay started, and
   * complete at `run:end`. For a run whose process died, that never comes:
   * unsubscribe to stop. Default `false`: emit what the journal holds now and
   * complete.
   */
  follow?: boolean;
  /** How long one `XREAD BLOCK` waits for new entries, in milliseconds. Default 1000. */
  blockMs?: number;
  /** How often a follow looks for a journal that does not exist yet, in milliseconds. Default 100. */
  pollIntervalMs?: number;
}

/**
 * A run's journal in Redis as an `Observable<RunEvent>`, as `replayJournal()`
 * of `@multi-context/journal` gives a file's: its events in order, then
 * complete, so any subscriber written for a live run's `events$` works on a
 * recorded one. The journal is read (and checked) when subscribed to; a
 * `JournalReadError` or `RedisJournalUnreachableError` arrives as the
 * stream's error.
 *
 * With `follow`, the stream is tailed with `XREAD BLOCK` on a connection of
 * its own: the events written so far, then each new one as it is written,
 * until `run:end` or until you unsubscribe (which closes the connection). A
 * follow waits for a journal that does not exist yet, and for a Redis that
 * restarts.
 *
 * @example
 * replayRedisJournal(url, runId).pipe(ofType('task:end')).subscribe((end) => console.log(end.taskId));
 *
 * @example
 * // Watch a run that is still going, from any machine that reaches its Redis.
 * const subscription = replayRedisJournal(url, runId, { follow: true }).subscribe(printEvent);
 */
export function replayRedisJournal(
  redis: RedisJournalConnection,
  runId: string,
  options: ReplayRedisJournalOptions = {},
): Observable<RunEvent> {
  if (options.follow) return followRedisJournal(redis, runId, options);
  return new Observable<RunEvent>((subscriber) => {
    readRedisJournal(redis, runId, options).then(
      (contents) => {
        for (const event of contents.events) {
          if (subscriber.closed) return;
          subscriber.next(event);
        }
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
  });
}

function followRedisJournal(
  redis: RedisJournalConnection,
  runId: string,
  options: ReplayRedisJournalOptions,
): Observable<RunEvent> {
  const keys = redisJournalKeys(runId, options.prefix ?? DEFAULT_REDIS_JOURNAL_PREFIX);
  const location = redisLocation(redis, keys.events);
  const blockMs = options.blockMs ?? 1_000;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  return new Observable<RunEvent>((subscriber) => {
    // Blocking reads need a connection of their own; closing it ends a read in progress.
    const client: Redis = openOwnRedis(redis);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    const tail = async () => {
      let header: string | null = null;
      while (!subscriber.closed) {
        header = await client.get(keys.header);
        if (header !== null) break;
        await sleep(pollIntervalMs);
      }
      if (header === null) return;
      const checker = new JournalRecordChecker(location);
      checker.header(header);
      let lastId = '0-0';
      while (!subscriber.closed) {
        const reply = (await client.xread(
          'COUNT',
          1_000,
          'BLOCK',
          blockMs,
          'STREAMS',
          keys.events,
          lastId,
        )) as [string, StreamEntry[]][] | null;
        for (const entry of reply?.[0]?.[1] ?? []) {
          lastId = entry[0];
          const event = checker.event(eventTextOf(entry, location));
          if (subscriber.closed) return;
          subscriber.next(event);
          if (checker.ended) {
            subscriber.complete();
            return;
          }
        }
      }
    };

    tail().then(
      () => closeRedis(client),
      (error: unknown) => {
        client.disconnect();
        // An error of a connection closed by unsubscribing is no error.
        if (!subscriber.closed) subscriber.error(asReadFailure(redis, error, keys.events));
      },
    );
    return () => {
      client.disconnect();
    };
  });
}
