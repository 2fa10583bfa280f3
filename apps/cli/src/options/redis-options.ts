import { MAX_DURATION_MS, parseDuration } from '@multi-context/workflow';
import { InvalidArgumentError, Option } from 'commander';

/** How long `run --redis` and `worker` wait for Redis at the start before they give up (exit 2). */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;

/** The BullMQ queue of attempts when `--queue` is not given: the package's default. */
export const DEFAULT_QUEUE_HELP = 'multi-context-attempts';

/** How long a run with `--redis` goes on while Redis does not answer, without `--redis-timeout`. */
export const DEFAULT_REDIS_TIMEOUT_MS = 30_000;

/** Options of the commands that reach Redis: `--redis <url>` as the caller gave it, `--queue`, `--redis-timeout`. */
export interface RedisOptions {
  redis?: string;
  queue?: string;
  /** `--redis-timeout`, in ms: how long Redis may be gone in the middle of a run. */
  redisTimeout?: number;
}

/** A `--redis` value: a `redis://` or `rediss://` URL, checked here so a typo is a usage error. */
export function parseRedisUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a Redis URL such as redis://127.0.0.1:6379.');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new InvalidArgumentError('expected a redis:// or rediss:// URL.');
  return value;
}

/** `--redis <url>`: where the queue of provider calls lives. */
export function redisOption(description: string): Option {
  return new Option('--redis <url>', description).argParser(parseRedisUrl);
}

/** `--queue <name>`: the BullMQ queue that coordinators and workers share. */
export function queueOption(): Option {
  return new Option(
    '--queue <name>',
    `the BullMQ queue of provider calls; coordinators and workers must name the same (default ${DEFAULT_QUEUE_HELP})`,
  );
}

/** A `--redis-timeout` value: a duration such as `30s` or `2m` (a bare number is milliseconds), 1 s or more. */
export function parseRedisTimeout(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : parseDuration(value);
  if (ms === undefined || ms < 1000 || ms > MAX_DURATION_MS)
    throw new InvalidArgumentError('expected a duration of 1s or more, such as 30s or 2m.');
  return ms;
}

/** `--redis-timeout <duration>`: how long a run waits for a Redis that has gone away before it stops. */
export function redisTimeoutOption(): Option {
  return new Option(
    '--redis-timeout <duration>',
    `with --redis: how long Redis may stop answering in the middle of the run before the run stops (resume it once Redis is back; default ${DEFAULT_REDIS_TIMEOUT_MS / 1000}s)`,
  ).argParser(parseRedisTimeout);
}
