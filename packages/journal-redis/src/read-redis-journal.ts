import { type JournalContents, JournalReadError } from '@multi-context/journal';
import { readRedisRecords } from './read-redis-records.js';
import {
  borrowRedis,
  closeRedis,
  type RedisJournalConnection,
  redisLocation,
  redisTarget,
} from './redis-connection.js';
import { DEFAULT_REDIS_JOURNAL_PREFIX, redisJournalKeys } from './redis-journal-keys.js';
import { RedisJournalUnreachableError } from './redis-journal-unreachable-error.js';

/** Where journals are kept in Redis: the prefix of their keys. */
export interface RedisJournalKeyOptions {
  /** The prefix of every key; default `multi-context:journal`. */
  prefix?: string;
}

/**
 * Reads and checks run `runId`'s journal from Redis, and returns it as
 * `readJournal()` of `@multi-context/journal` returns a file's: the same
 * `JournalContents`, checked with the same rules (`JournalRecordChecker`),
 * whose `path` is the journal's location (`redis://host:port key`, no
 * password). A Redis journal is never `truncated`: each event is one entry,
 * written whole or not at all.
 *
 * @throws {JournalReadError} When there is no such journal (`missing-header`), or a record is damaged.
 * @throws {RedisJournalUnreachableError} When Redis does not answer.
 *
 * @example
 * const journal = await readRedisJournal('redis://127.0.0.1:6379', runId);
 * console.log(journal.header.workflow.name, journal.events.length, journal.ended);
 */
export async function readRedisJournal(
  redis: RedisJournalConnection,
  runId: string,
  options: RedisJournalKeyOptions = {},
): Promise<JournalContents> {
  const keys = redisJournalKeys(runId, options.prefix ?? DEFAULT_REDIS_JOURNAL_PREFIX);
  const location = redisLocation(redis, keys.events);
  const { client, owned } = borrowRedis(redis);
  try {
    const records = await readRedisRecords(client, keys, location);
    if (records === undefined) {
      throw new JournalReadError({
        code: 'missing-header',
        path: redisLocation(redis, keys.header),
        reason: `Redis holds no journal of run "${runId}".`,
      });
    }
    return records.checker.contents(records.events);
  } catch (error) {
    throw asReadFailure(redis, error, keys.events);
  } finally {
    if (owned) await closeRedis(client);
  }
}

/**
 * A journal's own errors as they are; a command Redis refused (a key of the
 * wrong type, say) as a journal that cannot be read; a connection that failed
 * as Redis unreachable.
 */
export function asReadFailure(redis: RedisJournalConnection, error: unknown, key = ''): unknown {
  if (JournalReadError.isInstance(error) || RedisJournalUnreachableError.isInstance(error))
    return error;
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'ReplyError') {
    return new JournalReadError({
      code: 'unreadable-file',
      path: redisLocation(redis, key),
      reason: `Redis refused to read it: ${reason}`,
      cause: error,
    });
  }
  return new RedisJournalUnreachableError(redisTarget(redis), reason, { cause: error });
}
