import { Redis } from 'ioredis';
import { type RedisJournalConnection, redisTarget } from './redis-connection.js';
import { RedisJournalUnreachableError } from './redis-journal-unreachable-error.js';

/**
 * Resolves once Redis answers a PING, or throws
 * {@link RedisJournalUnreachableError} (which says where and why) after at
 * most `timeoutMs`. The writer waits for Redis up to its
 * `unreachableLimitMs`, so that a short restart costs nothing; a host checks
 * first, so a wrong address is a clear error before a run starts.
 *
 * @example
 * await checkRedisJournal('redis://127.0.0.1:6379', 3_000);
 */
export async function checkRedisJournal(
  redis: RedisJournalConnection,
  timeoutMs = 3_000,
): Promise<void> {
  const once = {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // One try: the caller wants an answer now, not a reconnecting client.
    retryStrategy: () => null,
  };
  const client = typeof redis === 'string' ? new Redis(redis, once) : redis.duplicate(once);
  // connect() rejects with a bare "Connection is closed."; the 'error' event says why.
  let cause: string | undefined;
  client.on('error', (error: Error) => {
    cause ??= error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
  } catch (error) {
    const reason = cause ?? (error instanceof Error ? error.message : String(error));
    throw new RedisJournalUnreachableError(redisTarget(redis), reason, { cause: error });
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
