import type { RunEvent } from '@multi-context/events';
import type { JournalContents, JournalListing } from '@multi-context/journal';
import type { Observable } from 'rxjs';
import { ExitCode } from '../options/exit-codes.js';
import {
  DEFAULT_REDIS_TIMEOUT_MS,
  REDIS_CONNECT_TIMEOUT_MS,
  type RedisOptions,
} from '../options/redis-options.js';
import { CommandFailure } from './command-failure.js';

type JournalRedis = typeof import('@multi-context/journal-redis');

/**
 * How long the journal in Redis waits for a Redis that stopped answering:
 * `--redis-timeout` and a second more, so the executor, which waits
 * `--redis-timeout`, stops the run first and says why; the journal then
 * gives up on the writes it could not make (the run's cancelled end).
 */
export function journalUnreachableLimitMs(options: RedisOptions): number {
  return (options.redisTimeout ?? DEFAULT_REDIS_TIMEOUT_MS) + 1_000;
}

/**
 * `@multi-context/journal-redis` (and so ioredis), loaded only for a command
 * given `--redis`, once Redis has answered a PING: a Redis that does not
 * answer within {@link REDIS_CONNECT_TIMEOUT_MS} is a {@link CommandFailure}
 * with exit code 2, before anything is read, written or called.
 */
export async function reachJournalRedis(url: string): Promise<JournalRedis> {
  const journalRedis = await import('@multi-context/journal-redis');
  await redisFailures(journalRedis, () =>
    journalRedis.checkRedisJournal(url, REDIS_CONNECT_TIMEOUT_MS),
  );
  return journalRedis;
}

/**
 * Runs `body`, and turns a Redis that stops answering into a
 * {@link CommandFailure} (exit 2) that says where and why.
 */
export async function redisFailures<T>(
  journalRedis: JournalRedis,
  body: () => Promise<T>,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (journalRedis.RedisJournalUnreachableError.isInstance(error))
      throw new CommandFailure(
        `${error.message} (is redis-server running there? checked for ${REDIS_CONNECT_TIMEOUT_MS / 1000} s)`,
        ExitCode.usage,
      );
    throw error;
  }
}

/**
 * The id of the run whose journal Redis holds: `runId` itself, or the only
 * run whose id starts with it. Undefined when there is none.
 *
 * @throws {CommandFailure} When the start of an id names more than one run.
 */
export async function findRedisRun(
  journalRedis: JournalRedis,
  runId: string,
  url: string,
): Promise<string | undefined> {
  const ids = await redisFailures(journalRedis, () => journalRedis.listRedisJournalRunIds(url));
  if (ids.includes(runId)) return runId;
  const matches = runId === '' ? [] : ids.filter((id) => id.startsWith(runId));
  if (matches.length > 1) {
    throw new CommandFailure(
      `"${runId}" names ${matches.length} runs in Redis at ${journalRedis.redisTarget(url)} (${matches.sort().join(', ')}); give more of the id.`,
    );
  }
  return matches[0];
}

/** The failure of a run Redis holds no journal of. */
export function noRedisRun(journalRedis: JournalRedis, runId: string, url: string): CommandFailure {
  return new CommandFailure(
    `no run "${runId}" in Redis at ${journalRedis.redisTarget(url)}; 'multi-context runs --redis <url>' lists the runs there.`,
  );
}

/**
 * Finds and reads run `runId`'s journal in Redis (the run of that id, or the
 * only one whose id starts with it).
 *
 * @throws {CommandFailure} When Redis does not answer (exit 2) or holds no such run.
 * @throws {JournalReadError} When its journal is damaged.
 */
export async function readRedisRun(runId: string, url: string): Promise<JournalContents> {
  const journalRedis = await reachJournalRedis(url);
  const found = await findRedisRun(journalRedis, runId, url);
  if (found === undefined) throw noRedisRun(journalRedis, runId, url);
  return redisFailures(journalRedis, () => journalRedis.readRedisJournal(url, found));
}

/**
 * The run history kept in Redis, and how to name where it is.
 *
 * @throws {CommandFailure} When Redis does not answer (exit 2).
 */
export async function listRedisRuns(
  url: string,
): Promise<{ listing: JournalListing; where: string }> {
  const journalRedis = await reachJournalRedis(url);
  const listing = await redisFailures(journalRedis, () => journalRedis.listRedisJournals(url));
  return { listing, where: `Redis at ${journalRedis.redisTarget(url)}` };
}

/**
 * Run `runId`'s events from its journal in Redis (the run of that id, or the
 * only one whose id starts with it), tailed until `run:end` with `follow`.
 *
 * @throws {CommandFailure} When Redis does not answer (exit 2) or holds no such run.
 */
export async function replayRedisRun(
  runId: string,
  url: string,
  follow: boolean,
): Promise<Observable<RunEvent>> {
  const journalRedis = await reachJournalRedis(url);
  const found = await findRedisRun(journalRedis, runId, url);
  if (found === undefined) throw noRedisRun(journalRedis, runId, url);
  return journalRedis.replayRedisJournal(url, found, { follow });
}
