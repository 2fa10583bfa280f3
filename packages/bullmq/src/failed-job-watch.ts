import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { closeRedis, duplicateRedis } from './redis-connection.js';
import type { QueueAddress } from './redis-keys.js';

/** How long a job's failure in the queue waits for the worker's own answer, which is more precise, to arrive first. */
const GRACE_MS = 500;

/**
 * Hears of the jobs that BullMQ fails (a job that stalled more often than it
 * allows fails with no word from any worker), through its `QueueEvents`, and
 * reports each after a short grace.
 */
export class FailedJobWatch {
  readonly #events: QueueEvents;
  readonly #connection: Redis;
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor(
    events: QueueEvents,
    connection: Redis,
    onFailed: (jobId: string, reason: string) => void,
  ) {
    this.#events = events;
    this.#connection = connection;
    events.on('error', () => {});
    events.on('failed', ({ jobId, failedReason }) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        onFailed(jobId, failedReason);
      }, GRACE_MS);
      this.#timers.add(timer);
    });
  }

  /**
   * Starts watching from the queue's newest event as it is now: a job added
   * after this resolves cannot fail unheard, however late the watch's first
   * read goes out (BullMQ's own default, `$`, would miss what happens before it).
   */
  static async start(
    commands: Redis,
    address: QueueAddress,
    onFailed: (jobId: string, reason: string) => void,
  ): Promise<FailedJobWatch> {
    const newest = await commands.xrevrange(
      `${address.prefix}:${address.queueName}:events`,
      '+',
      '-',
      'COUNT',
      1,
    );
    const connection = duplicateRedis(commands);
    const events = new QueueEvents(address.queueName, {
      connection,
      prefix: address.prefix,
      lastEventId: newest[0]?.[0] ?? '0-0',
    });
    return new FailedJobWatch(events, connection, onFailed);
  }

  /** Stops watching and closes its connection. */
  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    await this.#events.close();
    await closeRedis(this.#connection);
  }
}
