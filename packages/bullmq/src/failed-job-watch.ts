import type { Redis } from 'ioredis';
import type { QueueAddress } from './redis-keys.js';

/** How long a job's failure in the queue waits for the worker's own answer, which is more precise, to arrive first. */
const GRACE_MS = 500;

/** How often the queue's failed set is looked at. */
const POLL_MS = 1_000;

/**
 * How far back a look reaches, before the last failure seen: a failed job is
 * scored with its worker's clock, and workers' clocks may be behind this one.
 */
const CLOCK_SKEW_MS = 60_000;

/** Failures read per command, and pages per look: a burst of failures is read over several looks. */
const PAGE = 1_000;
const MAX_PAGES = 10;

/**
 * Hears of the jobs of this coordinator that BullMQ fails (a job that
 * stalled more often than it allows fails with no word from any worker) and
 * reports each after a short grace.
 *
 * It looks at the queue's failed set (a sorted set by finish time) once a
 * second rather than reading BullMQ's `QueueEvents`: those carry four or
 * more events for every job of the queue (added, waiting, active,
 * completed), each of which the coordinator would read and decode to find
 * the rare failure; one `ZRANGEBYSCORE` a second costs nothing per job.
 */
export class FailedJobWatch {
  readonly #redis: Redis;
  readonly #key: string;
  readonly #jobKey: (jobId: string) => string;
  readonly #mine: (jobId: string) => boolean;
  readonly #onFailed: (jobId: string, reason: string) => void;
  readonly #timers = new Set<NodeJS.Timeout>();
  /** The failures already reported, by id, with their score: forgotten once older than the look reaches. */
  readonly #seen = new Map<string, number>();
  #since: number;
  #poll: NodeJS.Timeout | undefined;
  #looking: Promise<void> | undefined;
  #closed = false;

  /**
   * Starts watching. `mine(jobId)` says whether a failed job is one this
   * coordinator waits for: the others (other coordinators', or settled
   * already) are not looked at further. The first look reaches back far
   * enough for any job added from now on.
   */
  constructor(
    redis: Redis,
    address: QueueAddress,
    mine: (jobId: string) => boolean,
    onFailed: (jobId: string, reason: string) => void,
  ) {
    this.#redis = redis;
    this.#key = `${address.prefix}:${address.queueName}:failed`;
    this.#jobKey = (jobId) => `${address.prefix}:${address.queueName}:${jobId}`;
    this.#mine = mine;
    this.#onFailed = onFailed;
    this.#since = Date.now() - CLOCK_SKEW_MS;
    this.#schedule();
  }

  /** Stops watching. The connection is the caller's. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#poll);
    for (const timer of this.#timers) clearTimeout(timer);
    await this.#looking;
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#poll = setTimeout(() => {
      this.#looking = this.#look()
        // Redis unreachable: the next look tries again; the executor's signal reports an outage that lasts.
        .catch(() => {})
        .finally(() => {
          this.#looking = undefined;
          this.#schedule();
        });
    }, POLL_MS);
    // A watch alone never keeps a process alive.
    this.#poll.unref();
  }

  async #look(): Promise<void> {
    let newest = this.#since;
    for (let offset = 0; offset < PAGE * MAX_PAGES; offset += PAGE) {
      const found = await this.#redis.zrangebyscore(
        this.#key,
        this.#since,
        '+inf',
        'WITHSCORES',
        'LIMIT',
        offset,
        PAGE,
      );
      for (let i = 0; i + 1 < found.length; i += 2) {
        const jobId = found[i] as string;
        const score = Number(found[i + 1]);
        newest = Math.max(newest, score);
        if (this.#seen.has(jobId)) continue;
        this.#seen.set(jobId, score);
        if (this.#mine(jobId) && !this.#closed) await this.#report(jobId);
      }
      if (found.length < PAGE * 2) break;
    }
    this.#since = Math.max(this.#since, newest - CLOCK_SKEW_MS);
    for (const [jobId, score] of this.#seen) if (score < this.#since) this.#seen.delete(jobId);
  }

  async #report(jobId: string): Promise<void> {
    const reason =
      (await this.#redis.hget(this.#jobKey(jobId), 'failedReason')) ?? 'no reason given';
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#onFailed(jobId, reason);
    }, GRACE_MS);
    this.#timers.add(timer);
  }
}
