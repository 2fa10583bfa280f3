import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { parseWorkflow } from '@multi-context/loader';
import { createMockProvider } from '@multi-context/provider-mock';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullMQExecutor, createBullMQWorker, type WorkerJobReport } from '../src/index.js';
import { OrphanedJobs } from '../src/orphaned-jobs.js';
import { waitFor } from './worker-processes.js';

const twoTasks = parseWorkflow(
  [
    'name: Two tasks',
    'phases:',
    '  - name: Both',
    '    execution_mode: parallel',
    '    tasks:',
    '      - { id: first, context_name: a, prompt: One }',
    '      - { id: second, context_name: b, prompt: Two }',
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

describe('a job a Redis restart left locked to a worker that is not running it', () => {
  it('is put back on the queue after the worker reconnects, not after its lock expires', async () => {
    const mock = { latencyMs: 500 };
    const reports: WorkerJobReport[] = [];
    // One call at a time: the second task's job waits while the first runs.
    const worker = createBullMQWorker({
      connection: redis.url,
      queueName: 'orphans',
      providers: { mock: createMockProvider(mock) },
      concurrency: 1,
      onJob: (report) => reports.push(report),
    });
    closers.push(() => worker.close());
    await worker.ready;
    const executor = createBullMQExecutor({ connection: redis.url, queueName: 'orphans' });
    closers.push(() => executor.close());
    const run = new MultiContextOrchestrator({
      providers: { mock: createMockProvider(mock) },
      executor,
    }).run(twoTasks);
    const events: RunEvent[] = [];
    run.events$.subscribe((event) => events.push(event));

    const first = `${executor.coordinatorId}-1`;
    const second = `${executor.coordinatorId}-2`;
    await waitFor(
      async () => (await admin.exists(`bull:orphans:${first}:lock`)) === 1,
      5_000,
      'the worker to take the first job',
    );
    await waitFor(
      async () => (await admin.lrange('bull:orphans:wait', 0, -1)).includes(second),
      5_000,
      'the second job to wait',
    );
    // What BullMQ's fetch leaves when Redis ran it and the answer was lost: the job active, locked
    // with a token of this worker (its BullMQ id, then a number), and the worker not running it.
    const token = (await admin.get(`bull:orphans:${first}:lock`)) as string;
    const orphanToken = `${token.slice(0, token.lastIndexOf(':'))}:999`;
    await admin
      .multi()
      .lrem('bull:orphans:wait', 0, second)
      .lpush('bull:orphans:active', second)
      .set(`bull:orphans:${second}:lock`, orphanToken, 'PX', 30_000)
      .exec();
    // The connections drop and come back, as after a restart.
    const droppedAt = Date.now();
    await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes');

    const result = await run.result;
    const tookMs = Date.now() - droppedAt;

    expect(result.status).toBe('succeeded');
    // The lock would have held the job for 30 s: it came back about a second after the reconnect.
    expect(tookMs).toBeLessThan(5_000);
    expect(reports).toContainEqual(expect.objectContaining({ jobId: second, outcome: 'released' }));
    // The worker reports a job once its answer is written, which can be after the run has read it.
    await waitFor(
      () => reports.some((report) => report.jobId === second && report.outcome === 'completed'),
      2_000,
      'the worker to report the second job completed',
    );
    const ends = events.filter((event) => event.type === 'task:end');
    expect(ends.map((end) => [end.taskId, end.status]).sort()).toEqual([
      ['first', 'succeeded'],
      ['second', 'succeeded'],
    ]);
    // The first job, which the worker was running, was not given back.
    expect(reports.filter((report) => report.jobId === first).map((r) => r.outcome)).toEqual([
      'completed',
    ]);
  }, 30_000);

  it('gives back only the jobs locked with a token of this worker that it does not hold', async () => {
    const queue = new Queue('sweep', { connection: { host: '127.0.0.1', port: redis.port } });
    closers.push(() => queue.close());
    // A BullMQ worker that never runs: its id is what its lock tokens start with.
    const worker = new Worker('sweep', async () => {}, {
      connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null },
      autorun: false,
    });
    closers.push(() => worker.close());
    await queue.addBulk(
      ['lost', 'held', 'other'].map((jobId) => ({ name: 'x', data: {}, opts: { jobId } })),
    );
    const lockedBy: Record<string, string> = {
      lost: `${worker.id}:3`,
      held: `${worker.id}:4`,
      other: 'another-worker:3',
    };
    for (const [jobId, token] of Object.entries(lockedBy))
      await admin
        .multi()
        .lrem('bull:sweep:wait', 0, jobId)
        .lpush('bull:sweep:active', jobId)
        .set(`bull:sweep:${jobId}:lock`, token, 'PX', 30_000)
        .exec();
    const released: string[] = [];
    const orphans = new OrphanedJobs(
      admin,
      worker,
      (jobId) => jobId === 'held',
      (jobId) => released.push(jobId),
    );

    expect(await orphans.sweep()).toEqual(['lost']);
    expect(released).toEqual(['lost']);
    expect(await queue.getJobState('lost')).toBe('waiting');
    expect(await admin.exists('bull:sweep:lost:lock')).toBe(0);
    // The job this worker holds, and the job of another worker, keep their locks.
    expect(await queue.getJobState('held')).toBe('active');
    expect(await queue.getJobState('other')).toBe('active');
    expect(await admin.get('bull:sweep:other:lock')).toBe('another-worker:3');
    // A second look finds nothing more to give back.
    expect(await orphans.sweep()).toEqual([]);
    await orphans.close();
  });
});
