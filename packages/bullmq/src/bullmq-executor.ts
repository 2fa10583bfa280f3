import { randomUUID } from 'node:crypto';
import type {
  AttemptCall,
  AttemptExecutor,
  AttemptRequest,
  ProviderEventSink,
} from '@multi-context/core';
import { ProviderError } from '@multi-context/provider';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { attemptJobData } from './attempt-job.js';
import { redisTarget } from './check-redis.js';
import { ExecutorClosedError } from './executor-closed-error.js';
import { FailedJobWatch } from './failed-job-watch.js';
import { JobDelivery } from './job-delivery.js';
import { JobOutbox } from './job-outbox.js';
import { closeRedis, duplicateRedis, openRedis, type RedisConnection } from './redis-connection.js';
import {
  cancelChannel,
  cancelMarkerKey,
  DEFAULT_PREFIX,
  DEFAULT_QUEUE_NAME,
  type QueueAddress,
  replyStreamKey,
} from './redis-keys.js';
import { RedisUnreachableError } from './redis-unreachable-error.js';
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
  /**
   * How long Redis may be unreachable before {@link BullMQExecutor.signal}
   * aborts. Default 30 000. A shorter outage (a restart) costs nothing: the
   * commands wait for the connection to come back, and the workers' answers
   * wait in Redis.
   */
  unreachableLimitMs?: number;
  /**
   * The W3C Trace Context to send with an attempt's job, so that a worker
   * that traces its calls makes them children of the attempt's span: give
   * `traceRun(run).traceContextOf` of `@multi-context/otel`. Called when the
   * job is made; undefined sends none.
   */
  traceContext?: (request: AttemptRequest) => Readonly<Record<string, string>> | undefined;
}

/** An executor whose provider calls are made by BullMQ workers. Close it when the runs that use it are done. */
export interface BullMQExecutor extends AttemptExecutor {
  /** The id of this coordinator. */
  readonly coordinatorId: string;
  /** The number of attempts waiting for a worker's answer. */
  readonly pending: number;
  /**
   * Aborts, with a `RedisUnreachableError`, once Redis has been unreachable
   * for longer than `unreachableLimitMs`. Pass it as the run's `signal`: the
   * run is then cancelled with that reason (its calls cannot be answered),
   * its tasks in flight end `cancelled`, not `failed`, and a resume runs
   * them once Redis is back.
   */
  readonly signal: AbortSignal;
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
  // Heard, not thrown: a lost connection is the reconnect's business, and `signal`'s when it lasts.
  queue.on('error', () => {});
  const deliveries = new Map<string, JobDelivery>();
  // A job can fail in the queue without a word from a worker (it stalled more often than BullMQ allows):
  // its attempt must still end, or the run would wait for it forever.
  const watch = new FailedJobWatch(
    commands,
    address,
    (jobId) => deliveries.has(jobId),
    (jobId, reason) => {
      const delivery = deliveries.get(jobId);
      if (delivery === undefined) return;
      deliveries.delete(jobId);
      delivery.fail(
        new ProviderError({
          message: `The queue failed job ${jobId} without an answer from a worker: ${reason}`,
          retryable: true,
        }),
      );
    },
  );
  const outbox = new JobOutbox(
    queue,
    (jobId) => deliveries.has(jobId),
    (jobIds, error) => {
      for (const jobId of jobIds) {
        const delivery = deliveries.get(jobId);
        if (delivery === undefined) continue;
        deliveries.delete(jobId);
        delivery.fail(error instanceof Error ? error : new Error(String(error)));
      }
    },
  );
  let jobCount = 0;
  let closed = false;
  const lost = watchConnection(commands, options.unreachableLimitMs ?? 30_000, options.connection);

  const reader = new ReplyReader(
    duplicateRedis(commands),
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

  function traceContextFor(request: AttemptRequest): Readonly<Record<string, string>> | undefined {
    try {
      return options.traceContext?.(request);
    } catch {
      // A trace is worth less than the call: the job goes without one.
      return undefined;
    }
  }

  async function cancelJob(jobId: string, reason: string): Promise<void> {
    try {
      // Marker first: a worker that missed the message (not listening then) still finds it.
      await commands.set(cancelMarkerKey(address, jobId), reason, 'PX', markerTtlMs);
      // Taken off the queue if no worker holds it yet; a held (locked) job is refused. Before the
      // message: a job still held then was fetched before it, so a worker that was listening at
      // the fetch hears it (which lets a worker start a call without asking Redis first).
      await queue.remove(jobId).catch(() => 0);
      await commands.publish(cancelChannel(address), JSON.stringify({ job: jobId, reason }));
    } catch {
      // Redis unreachable: the run has settled the attempt already; the job runs to its end unseen.
    }
  }

  return {
    coordinatorId,
    get pending() {
      return deliveries.size;
    },
    signal: lost.signal,
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
      outbox.add(jobId, attemptJobData(request, replyTo, traceContextFor(request)));
      return {
        abort(reason: Error) {
          deliveries.delete(jobId);
          // A job still in the outbox is simply never sent.
          if (!outbox.withdraw(jobId)) void cancelJob(jobId, reason.message);
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      lost.stop();
      const waiting = [...deliveries];
      deliveries.clear();
      for (const [, delivery] of waiting) delivery.fail(new ExecutorClosedError());
      // Their workers need not go on paying for answers nobody reads.
      const cancels = Promise.all(
        waiting
          .filter(([jobId]) => !outbox.withdraw(jobId))
          .map(([jobId]) => cancelJob(jobId, 'the coordinator closed')),
      );
      if (commands.status === 'ready') await cancels;
      await reader.close();
      const rest = (async () => {
        await watch.close();
        await commands.del(replyTo).catch(() => 0);
        await queue.close();
      })().catch(() => undefined);
      // Without Redis, a moment for the rest, then the connections are dropped: close() never hangs on it.
      await (commands.status === 'ready' ? rest : briefly(rest));
      await closeRedis(commands);
    },
  };
}

/** Resolves when `work` does, or after a second, whichever comes first. */
function briefly(work: Promise<unknown>): Promise<unknown> {
  return Promise.race([work, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
}

/**
 * Watches a connection: once it has been down (closed, reconnecting) for
 * longer than `limitMs` without coming back, `signal` aborts with a
 * `RedisUnreachableError`.
 */
function watchConnection(
  client: Redis,
  limitMs: number,
  connection: RedisConnection,
): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const down = () => {
    if (timer !== undefined || controller.signal.aborted) return;
    timer = setTimeout(() => {
      const seconds = limitMs / 1000;
      controller.abort(
        new RedisUnreachableError(
          redisTarget(connection),
          `it has not answered for more than ${seconds} s (the coordinator's limit); the run stops here, and a resume finishes it once Redis is back`,
        ),
      );
    }, limitMs);
  };
  const up = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  client.on('close', down);
  client.on('reconnecting', down);
  client.on('ready', up);
  return {
    signal: controller.signal,
    stop() {
      up();
      client.off('close', down);
      client.off('reconnecting', down);
      client.off('ready', up);
    },
  };
}
