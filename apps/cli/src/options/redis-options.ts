import { InvalidArgumentError, Option } from 'commander';

/** How long `run --redis` and `worker` wait for Redis at the start before they give up (exit 2). */
export const REDIS_CONNECT_TIMEOUT_MS = 3_000;

/** The BullMQ queue of attempts when `--queue` is not given: the package's default. */
export const DEFAULT_QUEUE_HELP = 'multi-context-attempts';

/** Options of the commands that reach Redis: `--redis <url>` as the caller gave it, `--queue`. */
export interface RedisOptions {
  redis?: string;
  queue?: string;
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
