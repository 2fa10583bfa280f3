import { asReadFailure, type RedisJournalKeyOptions } from './read-redis-journal.js';
import { borrowRedis, closeRedis, type RedisJournalConnection } from './redis-connection.js';
import { DEFAULT_REDIS_JOURNAL_PREFIX, redisJournalKeys } from './redis-journal-keys.js';

/**
 * Removes run `runId`'s journal from Redis: its header, its stream and its
 * place in the run list. For a run that was never started after all; a
 * journal is otherwise kept until you remove it.
 *
 * @throws {RedisJournalUnreachableError} When Redis does not answer.
 */
export async function deleteRedisJournal(
  redis: RedisJournalConnection,
  runId: string,
  options: RedisJournalKeyOptions = {},
): Promise<void> {
  const keys = redisJournalKeys(runId, options.prefix ?? DEFAULT_REDIS_JOURNAL_PREFIX);
  const { client, owned } = borrowRedis(redis);
  try {
    await client.multi().del(keys.header, keys.events).zrem(keys.runs, runId).exec();
  } catch (error) {
    throw asReadFailure(redis, error, keys.header);
  } finally {
    if (owned) await closeRedis(client);
  }
}
