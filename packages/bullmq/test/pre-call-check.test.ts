import { MultiContextOrchestrator } from '@multi-context/core';
import { parseWorkflow } from '@multi-context/loader';
import { createMockProvider } from '@multi-context/provider-mock';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import type { ProviderRateLimit } from '@multi-context/workflow';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptJobData } from '../src/attempt-job.js';
import { createBullMQExecutor, createBullMQWorker, type WorkerJobReport } from '../src/index.js';
import { oneRequest } from './attempt-requests.js';
import { waitFor } from './worker-processes.js';

const fiveTasks = parseWorkflow(
  [
    'name: Five',
    'phases:',
    '  - name: All',
    '    execution_mode: parallel',
    '    tasks:',
    ...[1, 2, 3, 4, 5].map(
      (i) => `      - { id: t${i}, context_name: c${i}, prompt: "Task ${i}" }`,
    ),
    '',
  ].join('\n'),
);

let redis: TestRedis;
let admin: Redis;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  admin = new Redis(redis.url);
}, 30_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  admin?.disconnect();
  await redis?.stop();
}, 30_000);

/** How many PTTL commands Redis has run, scripts' included: the pre-call check reads the provider's pause with one. */
async function pttlCalls(): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(/cmdstat_pttl:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

async function runFive(queueName: string, rateLimits: Record<string, ProviderRateLimit>) {
  const worker = createBullMQWorker({
    connection: redis.url,
    queueName,
    providers: { mock: createMockProvider({}) },
    rateLimits,
  });
  closers.push(() => worker.close());
  await worker.ready;
  const executor = createBullMQExecutor({ connection: redis.url, queueName });
  closers.push(() => executor.close());
  const before = await pttlCalls();
  const result = await new MultiContextOrchestrator({
    providers: { mock: createMockProvider({}) },
    executor,
  }).run(fiveTasks).result;
  expect(result.status).toBe('succeeded');
  return (await pttlCalls()) - before;
}

describe('the check in Redis before a call', () => {
  it('is skipped for a provider with no rate limit, and made for one with a limit', async () => {
    // Nothing in Redis could stop these calls that the worker has not heard of: no command before them.
    expect(await runFive('unlimited', {})).toBe(0);
    // The same run with a limit on the provider: each call's start is counted in Redis first.
    expect(await runFive('limited', { mock: { requests: 100 } })).toBeGreaterThanOrEqual(5);
  }, 30_000);

  it('is made for a job taken before, which finds the marker of a cancel its first worker missed', async () => {
    const reports: WorkerJobReport[] = [];
    const worker = createBullMQWorker({
      connection: redis.url,
      queueName: 'again',
      providers: { mock: createMockProvider({}) },
      onJob: (report) => reports.push(report),
    });
    closers.push(() => worker.close());
    await worker.ready;
    const queue = new Queue('again', { connection: { host: '127.0.0.1', port: redis.port } });
    closers.push(() => queue.close());
    // As BullMQ leaves a job whose worker stalled: back in the queue, started once already. Its
    // cancel came while the first worker held it: a marker, and a message nobody alive heard.
    await queue.pause();
    await queue.add('attempt', attemptJobData(oneRequest, 'bull:again:mc:replies:test'), {
      jobId: 'stalled',
    });
    await admin.hset('bull:again:stalled', 'ats', '1');
    await admin.set('bull:again:mc:cancelled:stalled', 'enough', 'PX', 60_000);
    await queue.resume();

    await waitFor(() => reports.length === 1, 5_000, 'the worker to report the job');
    expect(reports[0]).toMatchObject({ jobId: 'stalled', outcome: 'aborted', reason: 'enough' });
  }, 30_000);
});
