import { randomUUID } from 'node:crypto';
import type { ProviderRateLimit } from '@multi-context/workflow';
import type { Redis } from 'ioredis';
import { cancelChannel, type QueueAddress } from './redis-keys.js';

/** The window of a limit that names none: a minute, as in "requests per minute". */
export const DEFAULT_RATE_WINDOW_MS = 60_000;

/** How long a 429 that names no retry-after pauses its provider. */
export const DEFAULT_429_PAUSE_MS = 1_000;

/**
 * One Lua script, so the check and the take are one step for every worker:
 * if the provider is paused (a 429 was seen), the pause's remaining time;
 * else, with a limit, a sliding window over the last `window` ms of call
 * starts (a sorted set of start times, Redis's own clock): 0 and a start
 * recorded when there is room, else the time until the oldest start leaves
 * the window. Given a job's cancel marker (ARGV[4] = '1', KEYS[3]), it looks
 * there first: -1 and the cancel's reason, and no start taken. Sent as
 * EVALSHA (`defineCommand`), so a job costs one short command before its call.
 */
const TAKE_SCRIPT = `
if ARGV[4] == '1' then
  local cancelled = redis.call('GET', KEYS[3])
  if cancelled then return {-1, cancelled} end
end
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return {pause} end
local limit = tonumber(ARGV[1])
if limit <= 0 then return {0} end
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {math.max(1, tonumber(oldest[2]) + window - now + 1)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {0}
`;

/**
 * Pauses for `ms` unless a longer pause is on already: a shorter retry-after
 * never cuts one short. A pause set is published on the queue's channel
 * (KEYS[2]), in the same step, for the workers that start calls without
 * asking Redis first.
 */
const PAUSE_SCRIPT = `
local left = redis.call('PTTL', KEYS[1])
local ms = tonumber(ARGV[1])
if left < ms then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ms)
  redis.call('PUBLISH', KEYS[2], ARGV[3])
end
return 0
`;

/** A client with {@link TAKE_SCRIPT} defined as a command. */
type ScriptedRedis = Redis & { mcTakeStart(...args: (string | number)[]): Promise<unknown> };

/** What a limit is kept under: the provider's name, and the model's with `by: model`. */
function limitKey(
  address: QueueAddress,
  kind: 'window' | 'pause',
  provider: string,
  model: string | undefined,
  limit: ProviderRateLimit | undefined,
): string {
  const scope =
    limit?.by === 'model' ? `${provider}:model:${model ?? '(default)'}` : `${provider}:all`;
  return `${address.prefix}:${address.queueName}:mc:rate:${kind}:${scope}`;
}

/**
 * The rate limits of a queue's providers, held in Redis so that every worker
 * of the queue shares them: the calls that may start in any window of each
 * provider's limit, and the pause a 429 puts on a provider for every worker.
 */
export class SharedRateLimits {
  readonly #redis: Redis;
  readonly #address: QueueAddress;
  readonly #limits: Readonly<Record<string, ProviderRateLimit>>;
  readonly #worker = randomUUID();
  #starts = 0;

  constructor(
    redis: Redis,
    address: QueueAddress,
    limits: Readonly<Record<string, ProviderRateLimit>>,
  ) {
    this.#redis = redis;
    this.#address = address;
    this.#limits = limits;
    // Once per client: ioredis then sends EVALSHA, and the script text only if Redis lost it.
    if (!('mcTakeStart' in redis))
      redis.defineCommand('mcTakeStart', { numberOfKeys: 3, lua: TAKE_SCRIPT });
  }

  /**
   * Takes a start for a call of `provider` (and `model`): 0 when the call
   * may start now (and it is counted), else how many milliseconds to wait
   * before asking again.
   */
  async take(provider: string, model: string | undefined): Promise<number> {
    const [wait] = await this.#take(provider, model, undefined);
    return wait;
  }

  /**
   * {@link take} for a job, in the same command: first looks for the job's
   * cancel marker at `markerKey`, and when there is one takes no start and
   * resolves to `{ cancelled: reason }`.
   */
  async takeFor(
    provider: string,
    model: string | undefined,
    markerKey: string,
  ): Promise<{ cancelled: string } | { waitMs: number }> {
    const [wait, reason] = await this.#take(provider, model, markerKey);
    return wait < 0 ? { cancelled: String(reason) } : { waitMs: wait };
  }

  async #take(
    provider: string,
    model: string | undefined,
    markerKey: string | undefined,
  ): Promise<[number, string | undefined]> {
    const limit = Object.hasOwn(this.#limits, provider) ? this.#limits[provider] : undefined;
    this.#starts += 1;
    const window = limitKey(this.#address, 'window', provider, model, limit);
    const reply = (await (this.#redis as ScriptedRedis).mcTakeStart(
      window,
      limitKey(this.#address, 'pause', provider, model, limit),
      markerKey ?? window,
      limit?.requests ?? 0,
      limit?.perMs ?? DEFAULT_RATE_WINDOW_MS,
      // Unique per start: two starts in one millisecond are two members.
      `${this.#worker}:${this.#starts}`,
      markerKey === undefined ? '0' : '1',
    )) as [number | string, string?];
    return [Number(reply[0]), reply[1]];
  }

  /** Whether calls of `provider` are counted against a limit (and so always ask Redis before they start). */
  limited(provider: string): boolean {
    return Object.hasOwn(this.#limits, provider);
  }

  /** The key a 429 pause of `provider` (and `model`) is kept under. */
  pauseKey(provider: string, model: string | undefined): string {
    const limit = Object.hasOwn(this.#limits, provider) ? this.#limits[provider] : undefined;
    return limitKey(this.#address, 'pause', provider, model, limit);
  }

  /** A 429 was seen: no worker starts a call of `provider` (and `model`) for `ms`. */
  async pause(provider: string, model: string | undefined, ms: number, why: string): Promise<void> {
    const key = this.pauseKey(provider, model);
    const pauseMs = Math.max(1, Math.ceil(ms));
    await this.#redis.eval(
      PAUSE_SCRIPT,
      2,
      key,
      cancelChannel(this.#address),
      pauseMs,
      why,
      JSON.stringify({ pause: key, ms: pauseMs }),
    );
  }
}
