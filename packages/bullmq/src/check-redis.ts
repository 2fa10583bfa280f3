import { Redis } from 'ioredis';
import type { RedisConnection } from './redis-connection.js';
import { RedisUnreachableError } from './redis-unreachable-error.js';

/**
 * A `redis://` URL with its password (and user) taken out, fit to print or
 * log; ioredis options become their `host:port`.
 */
export function redisTarget(connection: RedisConnection): string {
  if (typeof connection !== 'string')
    return `${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
  try {
    const url = new URL(connection);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(an invalid Redis URL)';
  }
}

/**
 * Resolves once Redis answers a PING, or throws {@link RedisUnreachableError}
 * after at most `timeoutMs`. The executor and the worker wait for Redis
 * forever (so that a short restart costs nothing); a host checks first, so
 * a wrong address is a clear error at the start instead of a run that hangs.
 */
export async function checkRedis(connection: RedisConnection, timeoutMs = 3_000): Promise<void> {
  const options = {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // One try: the caller wants an answer now, not a reconnecting client.
    retryStrategy: () => null,
  };
  const client =
    typeof connection === 'string'
      ? new Redis(connection, options)
      : new Redis({ ...connection, ...options });
  // connect() rejects with a bare "Connection is closed."; the 'error' event says why (ECONNREFUSED, ...).
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
    throw new RedisUnreachableError(redisTarget(connection), reason);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
