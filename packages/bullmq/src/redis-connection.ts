import { Redis, type RedisOptions } from 'ioredis';

/** How to reach Redis: a `redis://` URL, or ioredis options. Each half opens its own connections from it. */
export type RedisConnection = string | RedisOptions;

/**
 * A new ioredis client. `maxRetriesPerRequest: null` is what BullMQ requires
 * of the connections it blocks on, and lets a command wait out a short Redis
 * restart instead of failing.
 */
export function openRedis(connection: RedisConnection): Redis {
  return quiet(
    typeof connection === 'string'
      ? new Redis(connection, { maxRetriesPerRequest: null })
      : new Redis({ ...connection, maxRetriesPerRequest: null }),
  );
}

/** A second connection with the settings of `client`. */
export function duplicateRedis(client: Redis): Redis {
  return quiet(client.duplicate());
}

/**
 * A client's connection errors are what its reconnecting is for (and the
 * executor's `signal` reports an outage that lasts): heard, so that ioredis
 * does not print each one as an unhandled error event.
 */
function quiet(client: Redis): Redis {
  client.on('error', () => {});
  return client;
}

/** Closes a client: politely when it is connected, at once when it is not (so close() never waits on a dead server). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Fall through: the connection is going away either way.
    }
  }
  client.disconnect();
}
