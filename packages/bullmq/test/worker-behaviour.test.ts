import type { AttemptExecutor } from '@multi-context/core';
import { MultiContextOrchestrator } from '@multi-context/core';
import { parseWorkflow } from '@multi-context/loader';
import { type Provider, ProviderError } from '@multi-context/provider';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptJobData } from '../src/attempt-job.js';
import {
  ATTEMPT_JOB_FORMAT,
  ATTEMPT_JOB_VERSION,
  type BullMQExecutor,
  type BullMQWorker,
  createBullMQExecutor,
  createBullMQWorker,
  ExecutorClosedError,
  type WorkerJobReport,
} from '../src/index.js';
import { oneRequest } from './attempt-requests.js';
import { startWorkerProcess, type WorkerProcess, waitFor } from './worker-processes.js';

const oneTask = parseWorkflow(
  'name: One task\nphases:\n  - name: Only\n    tasks:\n      - context_name: notes\n        prompt: Say something\n',
);

let redis: TestRedis;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);

afterAll(async () => {
  // Coordinators and workers first, the server last.
  for (const close of closers.reverse()) await close();
  await redis?.stop();
}, 30_000);

function executorOn(queueName: string): BullMQExecutor {
  const executor = createBullMQExecutor({ connection: redis.url, queueName });
  closers.push(() => executor.close());
  return executor;
}

function queueOn(queueName: string): Queue {
  const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port: redis.port } });
  closers.push(() => queue.close());
  return queue;
}

async function workerProcessOn(
  queueName: string,
  mock: MockProviderOptions,
): Promise<WorkerProcess> {
  const worker = await startWorkerProcess({
    REDIS_URL: redis.url,
    MC_QUEUE: queueName,
    MC_MOCK_OPTIONS: JSON.stringify(mock),
    MC_CONCURRENCY: '4',
  });
  closers.push(() => worker.stop());
  return worker;
}

function orchestratorFor(mock: MockProviderOptions, executor: AttemptExecutor) {
  return new MultiContextOrchestrator({
    providers: { mock: createMockProvider(mock) },
    executor,
    retry: { initialDelayMs: 10, maxDelayMs: 20 },
  });
}

describe('cancel', () => {
  it('ends the run cancelled within 1 s, and the worker holding the call aborts it', async () => {
    const mock = { latencyMs: 20_000 };
    const worker = await workerProcessOn('cancel', mock);
    const queue = queueOn('cancel');
    const run = orchestratorFor(mock, executorOn('cancel')).run(oneTask);
    await waitFor(
      async () => (await queue.getActiveCount()) === 1,
      5000,
      'a worker to take the job',
    );

    const started = Date.now();
    run.cancel('enough');
    const result = await run.result;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.status).toBe('cancelled');

    await waitFor(() => worker.jobs.length === 1, 2000, 'the worker to report the job');
    expect(worker.jobs[0]).toMatchObject({ outcome: 'aborted', taskId: 'notes' });
    await waitFor(
      async () => (await queue.getActiveCount()) === 0,
      2000,
      'the job to leave the queue',
    );
  }, 30_000);

  it('takes a job that no worker has taken off the queue', async () => {
    const queue = queueOn('no-workers');
    const run = orchestratorFor({}, executorOn('no-workers')).run(oneTask);
    await waitFor(async () => (await queue.getWaitingCount()) === 1, 5000, 'the job to be queued');
    run.cancel('enough');
    expect((await run.result).status).toBe('cancelled');
    await waitFor(async () => (await queue.getWaitingCount()) === 0, 2000, 'the job to be removed');
  }, 30_000);
});

describe('a cancel whose message comes before its job', () => {
  it('still stops the call: the worker remembers a cancel heard for a job it does not run yet', async () => {
    // The race: the worker's pre-call check finds no marker, the coordinator writes it and
    // publishes, and the message reaches the worker before it has taken the job as its own.
    // Here the message is published with no marker at all, so only the message can stop the call.
    const mock = createMockProvider({});
    let calls = 0;
    const counted: Provider = {
      specificationVersion: mock.specificationVersion,
      id: mock.id,
      stream(request) {
        calls += 1;
        return mock.stream(request);
      },
    };
    const reports: WorkerJobReport[] = [];
    const worker = createBullMQWorker({
      connection: redis.url,
      queueName: 'heard',
      providers: { mock: counted },
      onJob: (report) => reports.push(report),
    });
    closers.push(() => worker.close());
    await worker.ready;
    const admin = new Redis(redis.url);
    closers.push(async () => admin.disconnect());
    await admin.publish('bull:heard:mc:cancel', JSON.stringify({ job: 'early', reason: 'enough' }));
    const queue = queueOn('heard');
    await queue.add('attempt', attemptJobData(oneRequest, 'bull:heard:mc:replies:test'), {
      jobId: 'early',
    });
    await queue.add('attempt', attemptJobData(oneRequest, 'bull:heard:mc:replies:test'), {
      jobId: 'later',
    });

    await waitFor(() => reports.length === 2, 5_000, 'the worker to report both jobs');
    expect(reports.find((report) => report.jobId === 'early')).toMatchObject({
      outcome: 'aborted',
      reason: 'enough',
    });
    // Only the job nobody cancelled reached the provider.
    expect(reports.find((report) => report.jobId === 'later')?.outcome).toBe('completed');
    expect(calls).toBe(1);
  }, 30_000);
});

describe('a cancel published while the worker does not listen', () => {
  it('stops the call in flight once the listener is back', async () => {
    const reports: WorkerJobReport[] = [];
    const worker = createBullMQWorker({
      connection: redis.url,
      queueName: 'deaf',
      providers: { mock: createMockProvider({ latencyMs: 20_000 }) },
      onJob: (report) => reports.push(report),
    });
    closers.push(() => worker.close({ abortInFlight: true }));
    await worker.ready;
    const admin = new Redis(redis.url);
    closers.push(async () => admin.disconnect());
    const queue = queueOn('deaf');
    await queue.add('attempt', attemptJobData(oneRequest, 'bull:deaf:mc:replies:test'), {
      jobId: 'slow',
    });
    await waitFor(
      async () => (await admin.exists('bull:deaf:slow:lock')) === 1,
      5_000,
      'the worker to take the job',
    );

    // The listener is cut off; the cancel (its marker, then its message) comes before it is back.
    await admin.client('KILL', 'TYPE', 'pubsub');
    await admin.set('bull:deaf:mc:cancelled:slow', 'enough', 'PX', 60_000);
    expect(
      await admin.publish('bull:deaf:mc:cancel', JSON.stringify({ job: 'slow', reason: 'enough' })),
    ).toBe(0);

    await waitFor(() => reports.length === 1, 5_000, 'the worker to stop the call');
    expect(reports[0]).toMatchObject({ jobId: 'slow', outcome: 'aborted', reason: 'enough' });
  }, 30_000);
});

describe('close', () => {
  it('fails the attempts still waiting with ExecutorClosedError, and every later one', async () => {
    const executor = createBullMQExecutor({ connection: redis.url, queueName: 'closing' });
    const errors: unknown[] = [];
    const sink = { next() {}, complete() {}, error: (error: unknown) => errors.push(error) };
    const local = createMockProvider();
    executor.execute(oneRequest, sink, local);
    await executor.close();
    executor.execute(oneRequest, sink, local);
    expect(errors.map((error) => ExecutorClosedError.isInstance(error))).toEqual([true, true]);
  }, 30_000);
});

describe('a job the queue fails without an answer', () => {
  it("ends its attempt with a retryable error that gives the queue's reason", async () => {
    // A processor that is not ours fails every job, as BullMQ does with a job that stalled too often.
    const failing = new Worker(
      'failed-jobs',
      async () => {
        throw new Error('stalled more than allowable limit');
      },
      { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null } },
    );
    closers.push(() => failing.close());
    const orchestrator = new MultiContextOrchestrator({
      providers: { mock: createMockProvider() },
      executor: executorOn('failed-jobs'),
      retry: { retries: 1, initialDelayMs: 10, maxDelayMs: 20 },
    });
    const result = await orchestrator.run(oneTask).result;
    expect(result.phases[0]?.results[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(result.phases[0]?.results[0]?.error).toMatchObject({
      name: 'ProviderError',
      message: expect.stringMatching(
        /without an answer from a worker: stalled more than allowable limit/,
      ),
    });
  }, 30_000);
});

describe('a job that is not a valid attempt', () => {
  it('fails with a clear reason, and the worker goes on serving', async () => {
    const worker = await workerProcessOn('strangers', {});
    const queue = queueOn('strangers');
    const stranger = await queue.add('email', { to: 'someone@example.com' });
    const newer = await queue.add('attempt', {
      format: ATTEMPT_JOB_FORMAT,
      version: 99,
      replyTo: 'x',
      request: {},
    });
    const broken = await queue.add('attempt', {
      format: ATTEMPT_JOB_FORMAT,
      version: ATTEMPT_JOB_VERSION,
      replyTo: 'x',
      request: {},
    });

    const reasons: string[] = [];
    for (const job of [stranger, newer, broken]) {
      await waitFor(async () => (await job.getState()) === 'failed', 5000, `job ${job.id} to fail`);
      reasons.push((await Job.fromId(queue, job.id as string))?.failedReason ?? '');
    }
    expect(reasons[0]).toMatch(/not a multi-context attempt/);
    expect(reasons[1]).toMatch(
      new RegExp(`format version is 99 and this worker reads version ${ATTEMPT_JOB_VERSION}`),
    );
    expect(reasons[2]).toMatch(/request\.provider: /);

    const result = await orchestratorFor({}, executorOn('strangers')).run(oneTask).result;
    expect(result.status).toBe('succeeded');
    await waitFor(() => worker.jobs.length === 4, 2000, 'the worker to report every job');
    expect(worker.jobs.map((job) => job.outcome)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'completed',
    ]);
  }, 30_000);
});

describe('provider failures', () => {
  let worker: BullMQWorker;
  const mock: MockProviderOptions = {
    failTasks: ['flaky'],
    failTimes: 1,
    failure: { status: 503, retryAfterMs: 5 },
  };

  beforeAll(async () => {
    // In this process: the mock counts a task's attempts per instance, so one worker keeps the count.
    worker = createBullMQWorker({
      connection: redis.url,
      queueName: 'failures',
      providers: { mock: createMockProvider(mock) },
    });
    closers.push(() => worker.close());
    await worker.ready;
  });

  it('come back as a ProviderError with retryable, status and retryAfterMs, and the run retries them', async () => {
    const bullmq = executorOn('failures');
    const errors: unknown[] = [];
    // Sees what the run is given, on the way through.
    const watched: AttemptExecutor = {
      execute: (request, sink, local) =>
        bullmq.execute(
          request,
          {
            next: (event) => sink.next(event),
            error: (error) => {
              errors.push(error);
              sink.error(error);
            },
            complete: () => sink.complete(),
          },
          local,
        ),
    };
    const workflow = parseWorkflow(
      'name: Flaky\nphases:\n  - name: Only\n    tasks:\n      - id: flaky\n        context_name: notes\n        prompt: Try\n',
    );
    const run = orchestratorFor(mock, watched).run(workflow);
    const retries: unknown[] = [];
    run.on('task:retry', (event) => retries.push(event));
    const result = await run.result;

    expect(errors).toHaveLength(1);
    const [error] = errors as ProviderError[];
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      retryable: true,
      status: 503,
      retryAfterMs: 5,
      providerId: 'mock',
    });
    expect(retries).toHaveLength(1);
    expect(result.status).toBe('succeeded');
    expect(result.phases[0]?.results[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  }, 30_000);

  it('that are not retryable fail the task at once', async () => {
    const workflow = parseWorkflow(
      'name: Refused\nphases:\n  - name: Only\n    tasks:\n      - id: refused\n        context_name: notes\n        prompt: Try\n',
    );
    const refusing: MockProviderOptions = { failTasks: ['refused'], failure: { status: 400 } };
    const refuser = createBullMQWorker({
      connection: redis.url,
      queueName: 'refusals',
      providers: { mock: createMockProvider(refusing) },
    });
    closers.push(() => refuser.close());
    await refuser.ready;
    const result = await orchestratorFor(refusing, executorOn('refusals')).run(workflow).result;
    expect(result.phases[0]?.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.phases[0]?.results[0]?.error).toMatchObject({
      name: 'ProviderError',
      message: expect.stringMatching(/400/),
    });
  }, 30_000);
});
