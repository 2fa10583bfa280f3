import { Redis, type RedisOptions } from 'ioredis';

/**
 * How to reach Redis: a `redis://` (or `rediss://`) URL, or an ioredis
 * client. A client you give stays yours: the journal opens connections of
 * its own from it (`duplicate()`) where it needs them, and never closes it.
 */
export type RedisJournalConnection = string | Redis;

/**
 * A client that waits out a Redis restart: commands given while the
 * connection is down are queued and sent, in order, once it is back, and
 * commands in flight when it dropped are sent again (ioredis's offline queue
 * and `autoResendUnfulfilledCommands`).
 */
const PATIENT: RedisOptions = { maxRetriesPerRequest: null };

/** A new connection of the journal's own, made from a URL or from a client's settings. */
export function openOwnRedis(connection: RedisJournalConnection): Redis {
  const client =
    typeof connection === 'string' ? new Redis(connection, PATIENT) : connection.duplicate(PATIENT);
  // Connection errors are what the reconnecting is for (and an outage that lasts is reported
  // by the writer's limit): heard, so ioredis does not print each one as unhandled.
  client.on('error', () => {});
  return client;
}

/** A client for a few commands: the one given, or a new one from a URL that the caller closes. */
export function borrowRedis(connection: RedisJournalConnection): { client: Redis; owned: boolean } {
  if (typeof connection !== 'string') return { client: connection, owned: false };
  // A reader fails instead of waiting forever: two tries per command, then the error.
  const client = new Redis(connection, { maxRetriesPerRequest: 2, connectTimeout: 3_000 });
  client.on('error', () => {});
  return { client, owned: true };
}

/** Closes a client: politely when it is connected, at once when it is not (never waits on a dead server). */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Going away either way.
    }
  }
  client.disconnect();
}

/**
 * Where Redis is, fit to print: a URL with its user and password taken out,
 * or a client's `host:port` (and database).
 */
export function redisTarget(connection: RedisJournalConnection): string {
  if (typeof connection !== 'string') {
    const { host, port, db, path } = connection.options;
    if (path) return `redis+unix://${path}`;
    return `redis://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
  }
  try {
    const url = new URL(connection);
    url.username = '';
    url.password = '';
    const text = url.toString();
    return url.pathname === '/' && !url.search ? text.slice(0, -1) : text;
  } catch {
    return '(an invalid Redis URL)';
  }
}

/** Where a journal key is, as messages name it: `redis://host:port key`. */
export function redisLocation(connection: RedisJournalConnection, key: string): string {
  return `${redisTarget(connection)} ${key}`;
}
