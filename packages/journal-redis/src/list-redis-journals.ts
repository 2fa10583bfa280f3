import {
  type JournalListing,
  JournalReadError,
  type JournalSummary,
  summarizeJournal,
} from '@multi-context/journal';
import { asReadFailure, type RedisJournalKeyOptions } from './read-redis-journal.js';
import { readRedisRecords } from './read-redis-records.js';
import {
  borrowRedis,
  closeRedis,
  type RedisJournalConnection,
  redisLocation,
} from './redis-connection.js';
import { DEFAULT_REDIS_JOURNAL_PREFIX, redisJournalKeys } from './redis-journal-keys.js';

/**
 * The ids of every run with a journal under the prefix, oldest first (by
 * when each journal was created): what a command that takes the start of a
 * run id looks through.
 *
 * @throws {RedisJournalUnreachableError} When Redis does not answer.
 */
export async function listRedisJournalRunIds(
  redis: RedisJournalConnection,
  options: RedisJournalKeyOptions = {},
): Promise<string[]> {
  const { runs } = redisJournalKeys('', options.prefix ?? DEFAULT_REDIS_JOURNAL_PREFIX);
  const { client, owned } = borrowRedis(redis);
  try {
    return await client.zrange(runs, 0, -1);
  } catch (error) {
    throw asReadFailure(redis, error, runs);
  } finally {
    if (owned) await closeRedis(client);
  }
}

/**
 * The run history kept in Redis, as `listJournals()` of
 * `@multi-context/journal` gives a folder's: a summary of every run's
 * journal (`summarizeJournal()`, whose `path` is the journal's location),
 * newest first, and the journals that could not be read, with why. Each
 * journal is read and checked whole, one at a time.
 *
 * @throws {RedisJournalUnreachableError} When Redis does not answer.
 *
 * @example
 * const { runs, unreadable } = await listRedisJournals('redis://127.0.0.1:6379');
 * for (const run of runs) console.log(run.runId, run.status, `${run.succeeded}/${run.totalTasks}`);
 */
export async function listRedisJournals(
  redis: RedisJournalConnection,
  options: RedisJournalKeyOptions = {},
): Promise<JournalListing> {
  const prefix = options.prefix ?? DEFAULT_REDIS_JOURNAL_PREFIX;
  const { client, owned } = borrowRedis(redis);
  try {
    const runs: JournalSummary[] = [];
    const unreadable: JournalReadError[] = [];
    for (const runId of await client.zrange(redisJournalKeys('', prefix).runs, 0, -1)) {
      const keys = redisJournalKeys(runId, prefix);
      try {
        const records = await readRedisRecords(client, keys, redisLocation(redis, keys.events));
        // A run listed without a header was deleted since: not a run.
        if (records !== undefined)
          runs.push(summarizeJournal(records.checker.contents(records.events)));
      } catch (error) {
        if (!JournalReadError.isInstance(error)) throw error;
        unreadable.push(error);
      }
    }
    runs.sort((a, b) => b.startedAt - a.startedAt || a.runId.localeCompare(b.runId));
    return { runs, unreadable };
  } catch (error) {
    throw asReadFailure(redis, error, redisJournalKeys('', prefix).runs);
  } finally {
    if (owned) await closeRedis(client);
  }
}
