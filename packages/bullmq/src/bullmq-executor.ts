import { randomUUID } from 'node:crypto';
import type {
  AttemptCall,
  AttemptExecutor,
  AttemptRequest,
  ProviderEventSink,
} from '@multi-context/core';
import { ProviderError } from '@multi-context/provider';
import { Queue } from 'bullmq';
import { attemptJobData } from './attempt-job.js';
import { ExecutorClosedError } from './executor-closed-error.js';
import { FailedJobWatch } from './failed-job-watch.js';
import { JobDelivery } from './job-delivery.js';
import { closeRedis, openRedis, type RedisConnection } from './redis-connection.js';
import {
  cancelChannel,
  cancelMarkerKey,
  DEFAULT_PREFIX,
  DEFAULT_QUEUE_NAME,
  type QueueAddress,
  replyStreamKey,
} from './redis-keys.js';
import { parseReplyMessage } from './reply-message.js';
import { ReplyReader } from './reply-reader.js';

/** What {@link createBullMQExecutor} takes. */
export interface BullMQExecutorOptions {
  /** Redis: a `redis://` URL or ioredis options. */
  connection: RedisConnection;
  /** The BullMQ queue the attempts go to; workers must name the same. Default `multi-context-attempts`. */
  queueName?: string;
  /** The BullMQ key prefix; workers must use the same. Default `bull`. */
  prefix?: string;
  /** This coordinator's id, in job ids and its reply stream's key. Default: a random UUID. */
  coordinatorId?: string;
  /**
   * How long a cancel's marker stays in Redis, for a worker that takes the
   * job after the cancel was published. Default one hour.
   */
  cancelMarkerTtlMs?: number;
}

/** An executor whose provider calls are made by BullMQ workers. Close it when the runs that use it are done. */
export interface BullMQExecutor extends AttemptExecutor {
  /** The id of this coordinator. */
  readonly coordinatorId: string;
  /** The number of attempts waiting for a worker's answer. */
  readonly pending: number;
  /**
   * Fails the attempts still waiting (with `ExecutorClosedError`), stops
   * reading, deletes this coordinator's reply stream and closes every
   * connection. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * An `AttemptExecutor` for the coordinator of a run that is scaled out: each
 * attempt becomes a job on a BullMQ queue (its `AttemptRequest` and a format
 * version; never an API key), and the events of the worker that takes it come
 * back, in order, through a Redis stream of this coordinator. `abort()`
 * removes a job no worker has taken, and tells the worker that holds one to
 * abort its provider call. BullMQ does not retry a job (attempts: 1): the run
 * retries a failed attempt itself, as in one process.
 *
 * @example
 * ```ts
 * const executor = createBullMQExecutor({ connection: 'redis://127.0.0.1:6379' });
 * const orchestrator = new MultiContextOrchestrator({ ...setup, executor });
 * const result = await orchestrator.run(workflow).result;
 * await executor.close();
 * ```
 */
export function createBullMQExecutor(options: BullMQExecutorOptions): BullMQExecutor {
  const address: QueueAddress = {
    prefix: options.prefix ?? DEFAULT_PREFIX,
    queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
  };
  const coordinatorId = options.coordinatorId ?? randomUUID();
  const markerTtlMs = options.cancelMarkerTtlMs ?? 3_600_000;
  const replyTo = replyStreamKey(address, coordinatorId);
  const commands = openRedis(options.connection);
  const queue = new Queue(address.queueName, { connection: commands, prefix: address.prefix });
  const deliveries = new Map<string, JobDelivery>();
  // A job can fail in the queue without a word from a worker (it stalled more often than BullMQ allows):
  // its attempt must still end, or the run would wait for it forever.
  const watch = FailedJobWatch.start(commands, address, (jobId, reason) => {
    const delivery = deliveries.get(jobId);
    if (delivery === undefined) return;
    deliveries.delete(jobId);
    delivery.fail(
      new ProviderError({
        message: `The queue failed job ${jobId} without an answer from a worker: ${reason}`,
        retryable: true,
      }),
    );
  });
  // Reported through the first add instead, which waits for it.
  watch.catch(() => {});
  let jobCount = 0;
  let closed = false;

  const reader = new ReplyReader(
    commands.duplicate(),
    commands,
    replyTo,
    () => deliveries.size > 0,
    (text) => {
      const message = parseReplyMessage(text);
      const delivery = message === undefined ? undefined : deliveries.get(message.job);
      // A job that was aborted or already settled: what its worker still sends is of no use.
      if (message === undefined || delivery === undefined) return;
      if (delivery.receive(message) === 'settled') {
        deliveries.delete(message.job);
        // A delivery lost mid-answer: stop the worker that took the job again.
        if (message.kind === 'event')
          void cancelJob(message.job, 'its answer was lost and the attempt is retried');
      }
    },
  );

  async function cancelJob(jobId: string, reason: string): Promise<void> {
    try {
      // Marker first: a worker that takes the job after the message went out still finds it.
      await commands.set(cancelMarkerKey(address, jobId), reason, 'PX', markerTtlMs);
      await commands.publish(cancelChannel(address), JSON.stringify({ job: jobId, reason }));
      // Taken off the queue if no worker holds it yet; a held (locked) job is refused, and its worker aborts.
      await queue.remove(jobId).catch(() => 0);
    } catch {
      // Redis unreachable: the run has settled the attempt already; the job runs to its end unseen.
    }
  }

  return {
    coordinatorId,
    get pending() {
      return deliveries.size;
    },
    execute(request: AttemptRequest, sink: ProviderEventSink): AttemptCall {
      if (closed) {
        sink.error(new ExecutorClosedError());
        return { abort() {} };
      }
      jobCount += 1;
      // No ':' in a BullMQ custom id; the coordinator id keeps ids unique across coordinators.
      const jobId = `${coordinatorId}-${jobCount}`;
      deliveries.set(jobId, new JobDelivery(sink));
      reader.wake();
      watch
        .then(() =>
          // Aborted while the watch was starting: nothing to send.
          deliveries.has(jobId)
            ? queue.add('attempt', attemptJobData(request, replyTo), {
                jobId,
                // The run retries; a second BullMQ attempt would pay for a failed call twice.
                attempts: 1,
                removeOnComplete: true,
                removeOnFail: { age: 24 * 3600 },
              })
            : undefined,
        )
        .catch((error: unknown) => {
          if (deliveries.delete(jobId)) sink.error(error);
        });
      return {
        abort(reason: Error) {
          deliveries.delete(jobId);
          void cancelJob(jobId, reason.message);
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const waiting = [...deliveries];
      deliveries.clear();
      for (const [, delivery] of waiting) delivery.fail(new ExecutorClosedError());
      // Their workers need not go on paying for answers nobody reads.
      await Promise.all(waiting.map(([jobId]) => cancelJob(jobId, 'the coordinator closed')));
      await reader.close();
      await (await watch.catch(() => undefined))?.close();
      await commands.del(replyTo).catch(() => 0);
      await queue.close();
      await closeRedis(commands);
    },
  };
}
