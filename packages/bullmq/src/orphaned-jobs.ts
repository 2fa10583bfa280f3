import { Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/** How long after a reconnect the worker waits before it looks: the commands ioredis sent again have their answers by then. */
const SETTLE_MS = 1_000;

/**
 * Gives back the jobs a Redis restart can leave locked to this worker while
 * it runs none of them. BullMQ takes a job with one script (`moveToActive`,
 * or `moveToFinished` fetching the next job). When Redis stops after running
 * that script and before its answer reaches the worker, ioredis sends the
 * script again once Redis is back, and the second run takes another job. The
 * first one stays active under a lock of this worker that nobody renews, and
 * would wait for the lock to expire and a stalled-job check to put it back:
 * up to `lockDurationMs + stalledIntervalMs`, a minute with the defaults.
 *
 * After every reconnect of the worker's connection, once the commands sent
 * again have had their answers, this looks at the queue's active jobs and
 * moves back to the wait list (at its head) each one whose lock carries a
 * token of this worker and that the worker does not hold (neither runs, nor
 * has just ended and is waiting for BullMQ to record). BullMQ's own
 * script does the move, and only while the lock is still that token.
 */
export class OrphanedJobs {
  readonly #redis: Redis;
  readonly #worker: Worker;
  readonly #holds: (jobId: string) => boolean;
  readonly #released: (jobId: string) => void;
  #wasDown = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sweeping: Promise<void> = Promise.resolve();
  #closed = false;

  /**
   * @param redis - The connection the worker takes its jobs on (the one given to BullMQ).
   * @param worker - The BullMQ worker: its `id` starts every lock token it uses.
   * @param holds - Whether this worker holds a job: runs it, or ended it and BullMQ has not moved it out of `active` yet.
   * @param released - Called with each job given back.
   */
  constructor(
    redis: Redis,
    worker: Worker,
    holds: (jobId: string) => boolean,
    released: (jobId: string) => void = () => {},
  ) {
    this.#redis = redis;
    this.#released = released;
    this.#worker = worker;
    this.#holds = holds;
    redis.on('close', this.#down);
    redis.on('ready', this.#up);
  }

  /** Stops watching; resolves once a sweep under way has ended. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#redis.off('close', this.#down);
    this.#redis.off('ready', this.#up);
    await this.#sweeping;
  }

  /**
   * Looks once, now: returns the ids of the jobs it gave back. Exposed for
   * the reconnect handler and tests; a failed look gives back nothing and
   * waits for the next reconnect.
   */
  sweep(): Promise<string[]> {
    const result = this.#sweeping.then(() => this.#look().catch(() => []));
    this.#sweeping = result.then(() => {});
    return result;
  }

  readonly #down = (): void => {
    this.#wasDown = true;
  };

  readonly #up = (): void => {
    if (!this.#wasDown || this.#closed) return;
    this.#wasDown = false;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.sweep(), SETTLE_MS);
    this.#timer.unref?.();
  };

  async #look(): Promise<string[]> {
    if (this.#closed) return [];
    const active = await this.#redis.lrange(this.#worker.keys.active ?? '', 0, -1);
    const idle = active.filter((jobId) => !this.#holds(jobId));
    if (idle.length === 0) return [];
    const locks = await this.#redis.mget(idle.map((jobId) => `${this.#worker.toKey(jobId)}:lock`));
    const mine = `${this.#worker.id}:`;
    const given: string[] = [];
    for (const [index, jobId] of idle.entries()) {
      const token = locks[index];
      // Checked again: the job may have reached this worker while the locks were read.
      if (typeof token !== 'string' || !token.startsWith(mine) || this.#holds(jobId)) continue;
      const job = await Job.fromId(this.#worker, jobId);
      if (job === undefined || this.#closed) continue;
      try {
        await job.moveToWait(token);
      } catch {
        // Its lock changed meanwhile (another worker's now, or gone): not ours to give back.
        continue;
      }
      given.push(jobId);
      this.#released(jobId);
    }
    return given;
  }
}
