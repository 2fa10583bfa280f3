import { hostname } from 'node:os';
import type { AttemptRequest } from '@multi-context/core';
import { type Provider, ProviderError, type ProviderEvent } from '@multi-context/provider';
import type { ProviderRateLimit } from '@multi-context/workflow';
import { DelayedError, type Job, Worker } from 'bullmq';
import { type AttemptJobData, parseAttemptJob, replyToOf } from './attempt-job.js';
import { InvalidAttemptJobError } from './invalid-attempt-job-error.js';
import { OrphanedJobs } from './orphaned-jobs.js';
import { QueueSignals } from './queue-signals.js';
import { closeRedis, duplicateRedis, openRedis, type RedisConnection } from './redis-connection.js';
import {
  cancelMarkerKey,
  DEFAULT_PREFIX,
  DEFAULT_QUEUE_NAME,
  type QueueAddress,
} from './redis-keys.js';
import { ReplyPublisher } from './reply-publisher.js';
import { ReplyWriter } from './reply-writer.js';
import { DEFAULT_429_PAUSE_MS, SharedRateLimits } from './shared-rate-limits.js';
import { StreamExpiry } from './stream-expiry.js';

/** How long a job that ended counts as this worker's when BullMQ has not said it moved it out of `active`. */
const HELD_AFTER_END_MS = 60_000;

/** What happened to one job a worker took; for logs, and for tests that watch a worker. */
export interface WorkerJobReport {
  jobId: string;
  /**
   * `completed`: the provider's answer or error was sent back; `aborted`: the
   * coordinator cancelled it; `rejected`: its data was not a valid attempt;
   * `delayed`: a rate limit (or a provider's 429) holds its provider, and the
   * job went back to the queue until `until` (epoch ms); `released`: a Redis
   * restart left the job locked to this worker without the worker running
   * it, and the worker put it back at the head of the queue.
   */
  outcome: 'completed' | 'aborted' | 'rejected' | 'delayed' | 'released';
  /** When a `delayed` job may be taken again. */
  until?: number;
  taskId?: string;
  /** The cancel's reason, or why the job was rejected. */
  reason?: string;
}

/** A provider call a worker is about to make, as {@link BullMQWorkerOptions.traceCall} is told of it. */
export interface WorkerCall {
  request: AttemptRequest;
  /** The W3C Trace Context of the coordinator's attempt span, when its job carried one. */
  traceContext: Readonly<Record<string, string>> | undefined;
  /** The `id` of the provider instance that answers. */
  providerId: string;
  workerId: string;
}

/** Hears one provider call a worker makes: each event the provider sends, then its end. */
export interface WorkerCallObserver {
  event(event: ProviderEvent): void;
  /** The call ended: with `error` when it failed, `aborted` when the coordinator stopped it. */
  end(outcome?: { error?: unknown; aborted?: boolean }): void;
}

/** What {@link createBullMQWorker} takes. */
export interface BullMQWorkerOptions {
  /** Redis: a `redis://` URL or ioredis options. */
  connection: RedisConnection;
  /** The provider instances by name, as `setUpProviders()` returns them in `providers`: a job's `request.provider` names one. */
  providers: Readonly<Record<string, Provider>>;
  /** The queue to take jobs from. Default `multi-context-attempts`. */
  queueName?: string;
  /** The BullMQ key prefix. Default `bull`. */
  prefix?: string;
  /** How many provider calls this worker makes at once. Default 16. */
  concurrency?: number;
  /** Sent with every event, so a run can tell which worker answered. Default `host:pid:random`. */
  workerId?: string;
  /**
   * BullMQ's job lock, renewed every half of it while the call runs. A worker
   * that dies holds its jobs until the lock expires; the next stalled-job
   * check (every `stalledIntervalMs`) then gives them to another worker. Default 30 000.
   */
  lockDurationMs?: number;
  /** How often the worker looks for stalled jobs. Default 30 000. */
  stalledIntervalMs?: number;
  /**
   * Rate limits by provider name, as `setUpProviders()` returns them in
   * `rateLimits`: at most `requests` calls of a provider (or of each of its
   * models, with `by: 'model'`) start in any window of `perMs` (default a
   * minute), counted in Redis across every worker of the queue. Give every
   * worker the same. A job that must wait goes back to the queue (delayed)
   * instead of holding a slot of this worker.
   */
  rateLimits?: Readonly<Record<string, ProviderRateLimit>>;
  /** Called when a job ends on this worker. Must not throw. */
  onJob?: (report: WorkerJobReport) => void;
  /**
   * Observes each provider call this worker makes, for a trace: give
   * `traceProviderCalls()` of `@multi-context/otel`, and each call becomes a
   * span that is a child of the coordinator's attempt span. A throwing
   * observer is ignored: the call goes on untraced.
   */
  traceCall?: (call: WorkerCall) => WorkerCallObserver | undefined;
}

/** A running worker. */
export interface BullMQWorker {
  readonly workerId: string;
  /** Resolves once the worker listens for cancels and takes jobs. */
  readonly ready: Promise<void>;
  /**
   * Stops taking jobs, aborts the provider calls in flight (their
   * coordinators see no answer and their runs time out or are cancelled
   * anyway) when `abortInFlight` is set, else waits for them; then closes
   * every connection.
   */
  close(options?: { abortInFlight?: boolean }): Promise<void>;
}

/**
 * A BullMQ worker that makes the provider calls of the attempts a
 * coordinator ({@link createBullMQExecutor}) puts on the queue: it checks
 * each job's data, calls `providers[request.provider].stream(request)` with a
 * signal of its own, and sends every event back in order. A cancel from the
 * coordinator aborts that signal. A job that is not a valid attempt fails with
 * a clear reason; the worker goes on serving.
 *
 * @example
 * ```ts
 * const setup = await setUpProviders({ workflow, workflowFile: 'workflow.yaml' });
 * const worker = createBullMQWorker({ connection: 'redis://127.0.0.1:6379', providers: setup.providers });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export function createBullMQWorker(options: BullMQWorkerOptions): BullMQWorker {
  const address: QueueAddress = {
    prefix: options.prefix ?? DEFAULT_PREFIX,
    queueName: options.queueName ?? DEFAULT_QUEUE_NAME,
  };
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const commands = openRedis(options.connection);
  const listener = duplicateRedis(commands);
  // Replies and rate limits on a connection of their own: BullMQ defines its fifty-odd scripts on
  // `commands`, and ioredis copies them all into every pipeline made on it (one per answer here).
  const replies = duplicateRedis(commands);
  const inFlight = new Map<string, AbortController>();
  const report = options.onJob ?? (() => {});
  const { traceCall } = options;
  const limits = new SharedRateLimits(replies, address, options.rateLimits ?? {});
  const writer = new ReplyWriter(replies, new StreamExpiry());

  // A provider without a limit keeps its pause under one key whatever the model: those are read.
  const unlimited = Object.keys(options.providers).filter((name) => !limits.limited(name));
  const signals = new QueueSignals(
    listener,
    replies,
    address,
    inFlight,
    unlimited.map((name) => limits.pauseKey(name, undefined)),
  );

  const concurrency = options.concurrency ?? 16;
  // The jobs this worker holds: 0 while it runs one, then when it ended, until BullMQ has moved it
  // out of `active` (its 'completed' or 'failed'). A job locked to this worker and not in here was
  // lost in a Redis restart.
  const held = new Map<string, number>();
  const holds = (jobId: string) => {
    const ended = held.get(jobId);
    return ended !== undefined && (ended === 0 || Date.now() - ended < HELD_AFTER_END_MS);
  };
  async function processJob(job: Job, token: string | undefined): Promise<void> {
    const jobId = job.id ?? '(no id)';
    held.set(jobId, 0);
    try {
      await runJob(job, jobId, token);
    } finally {
      held.set(jobId, Date.now());
      // A job whose end BullMQ could not record (its lock lost) gets no event: dropped after a while.
      if (held.size > 4 * concurrency) {
        const now = Date.now();
        for (const [id, ended] of held)
          if (ended !== 0 && now - ended > HELD_AFTER_END_MS) held.delete(id);
      }
    }
  }

  async function runJob(job: Job, jobId: string, token: string | undefined): Promise<void> {
    let data: AttemptJobData;
    try {
      data = parseAttemptJob(job.data, jobId);
    } catch (error) {
      const reason = InvalidAttemptJobError.isInstance(error) ? error.reason : String(error);
      // A coordinator of another version still hears why, instead of waiting for its timeout.
      const replyTo = replyToOf(job.data);
      if (replyTo !== undefined) {
        const publisher = new ReplyPublisher(writer, replyTo, jobId, workerId, token ?? jobId);
        publisher.error(error);
        await publisher.flushed().catch(() => {});
      }
      report({ jobId, outcome: 'rejected', reason });
      throw error;
    }
    const { provider, model } = data.request;
    // The check in Redis (the job's cancel marker, the provider's limit and 429 pause) is skipped
    // when it cannot find anything this worker has not heard: no limit to count against, the job
    // fetched for the first time while the worker listened, and no pause of its provider heard of.
    const quiet =
      !limits.limited(provider) &&
      job.attemptsStarted <= 1 &&
      signals.quiet(job.processedOn ?? 0, limits.pauseKey(provider, model));
    // Before the job is taken as this worker's: nothing was sent for it yet, so any worker may start it later.
    const start = quiet
      ? { waitMs: 0 }
      : await limits.takeFor(provider, model, cancelMarkerKey(address, jobId));
    // Its marker, or a message that came before the job did (the marker was written just after the check).
    const reason = 'cancelled' in start ? start.cancelled : (signals.takeHeard(jobId) ?? null);
    if (reason === null && 'waitMs' in start && start.waitMs > 0) {
      const until = Date.now() + start.waitMs;
      await job.moveToDelayed(until, token);
      report({ jobId, outcome: 'delayed', taskId: data.request.taskId, until });
      throw new DelayedError();
    }
    const abort = new AbortController();
    inFlight.set(jobId, abort);
    try {
      if (reason !== null) abort.abort(new Error(reason));
      const publisher = new ReplyPublisher(writer, data.replyTo, jobId, workerId, token ?? jobId);
      const onRateLimited = (error: ProviderError) =>
        limits.pause(
          provider,
          model,
          error.retryAfterMs ?? DEFAULT_429_PAUSE_MS,
          `429 seen by worker ${workerId}`,
        );
      await callProvider(
        options.providers,
        data,
        abort.signal,
        publisher,
        onRateLimited,
        traceCall === undefined
          ? undefined
          : (call) => observeCall(traceCall, { ...call, workerId }),
      );
      await publisher.flushed();
      // Only when someone listens: no report object per job otherwise.
      if (options.onJob !== undefined)
        report(
          abort.signal.aborted
            ? {
                jobId,
                outcome: 'aborted',
                taskId: data.request.taskId,
                reason: String((abort.signal.reason as Error)?.message),
              }
            : { jobId, outcome: 'completed', taskId: data.request.taskId },
        );
    } finally {
      inFlight.delete(jobId);
    }
  }

  const worker = new Worker(address.queueName, processJob, {
    connection: commands,
    prefix: address.prefix,
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    autorun: false,
  });
  // A worker error (a lost connection, a failed job) must never crash the process that hosts it.
  worker.on('error', () => {});
  worker.on('completed', (job) => held.delete(job.id ?? ''));
  worker.on('failed', (job) => held.delete(job?.id ?? ''));
  const orphans = new OrphanedJobs(commands, worker, holds, (jobId) =>
    report({
      jobId,
      outcome: 'released',
      reason: 'a Redis restart left it locked to this worker, which was not running it',
    }),
  );

  const ready = (async () => {
    // Listen for cancels before the first job is taken, so none can be missed.
    await signals.start();
    void worker.run().catch(() => {});
    await worker.waitUntilReady();
  })();

  let closing: Promise<void> | undefined;
  return {
    workerId,
    ready,
    close(closeOptions) {
      closing ??= (async () => {
        await ready.catch(() => {});
        if (closeOptions?.abortInFlight) {
          for (const abort of inFlight.values()) abort.abort(new Error('the worker is closing'));
        }
        await orphans.close();
        await worker.close();
        await closeRedis(listener);
        await closeRedis(replies);
        await closeRedis(commands);
      })();
      return closing;
    },
  };
}

/** The observer `traceCall` gives for `call`, never throwing: a trace is worth less than the call. */
function observeCall(
  traceCall: BullMQWorkerOptions['traceCall'],
  call: WorkerCall,
): WorkerCallObserver | undefined {
  if (traceCall === undefined) return undefined;
  let observer: WorkerCallObserver | undefined;
  try {
    observer = traceCall(call);
  } catch {
    return undefined;
  }
  if (observer === undefined) return undefined;
  const guarded = observer;
  return {
    event(event) {
      try {
        guarded.event(event);
      } catch {}
    },
    end(outcome) {
      try {
        guarded.end(outcome);
      } catch {}
    },
  };
}

/** Makes the call and sends what the provider sends; resolves when the provider is done or the call is aborted. */
function callProvider(
  providers: Readonly<Record<string, Provider>>,
  data: AttemptJobData,
  signal: AbortSignal,
  publisher: ReplyPublisher,
  onRateLimited: (error: ProviderError) => Promise<void>,
  observe: ((call: Omit<WorkerCall, 'workerId'>) => WorkerCallObserver | undefined) | undefined,
): Promise<void> {
  const { request } = data;
  const provider = Object.hasOwn(providers, request.provider)
    ? providers[request.provider]
    : undefined;
  if (provider === undefined) {
    const names = Object.keys(providers).join(', ') || 'none';
    publisher.error(
      new Error(`This worker has no provider named "${request.provider}" (it has: ${names}).`),
    );
    return Promise.resolve();
  }
  if (signal.aborted) return Promise.resolve();
  const observer = observe?.({
    request,
    traceContext: data.traceContext,
    providerId: provider.id,
  });
  return new Promise<void>((resolve) => {
    let subscription: { unsubscribe(): void } | undefined;
    let pausing: Promise<void> | undefined;
    const onAbort = () => {
      subscription?.unsubscribe();
      observer?.end({ aborted: true });
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      if (pausing === undefined) resolve();
      else void pausing.then(() => resolve());
    };
    try {
      subscription = provider
        .stream({ ...request, model: request.model, system: request.system, signal })
        .subscribe({
          next: (event) => {
            observer?.event(event);
            publisher.event(event);
          },
          error: (error: unknown) => {
            observer?.end({ error });
            if (ProviderError.isInstance(error) && error.status === 429) {
              // Paused for every worker first: the retry the coordinator sends on this answer meets the pause.
              pausing = onRateLimited(error)
                .catch(() => {})
                .then(() => {
                  if (!signal.aborted) publisher.error(error);
                });
            } else if (!signal.aborted) publisher.error(error);
            done();
          },
          complete: () => {
            observer?.end();
            publisher.complete();
            done();
          },
        });
    } catch (error) {
      // A provider that throws instead of failing its Observable.
      observer?.end({ error });
      publisher.error(error);
      done();
    }
    if (signal.aborted) subscription?.unsubscribe();
  });
}
