import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { parseWorkflow } from '@multi-context/loader';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import { freePort, startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullMQExecutor, RedisUnreachableError } from '../src/index.js';
import { startWorkerProcess, type WorkerProcess } from './worker-processes.js';

const dir = mkdtempSync(path.join(tmpdir(), 'redis-restart-'));
const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** Three parallel phases of four tasks, each in its own context, answered in 150 ms. */
const workflow = parseWorkflow(
  [
    'name: Restart',
    'phases:',
    ...[1, 2, 3].flatMap((phase) => [
      `  - name: P${phase}`,
      '    execution_mode: parallel',
      '    tasks:',
      ...[1, 2, 3, 4].map(
        (task) =>
          `      - { id: p${phase}t${task}, context_name: c${task}, prompt: "Phase ${phase} task ${task}" }`,
      ),
    ]),
    '',
  ].join('\n'),
);
const mock: MockProviderOptions = { latencyMs: 150 };

/** A redis-server with its append-only file in `folder`: what a restart must not lose. */
function persistentRedis(port: number, folder: string): Promise<TestRedis> {
  return startRedisServer({ port, dir: folder, appendOnly: true });
}

async function workers(url: string, queue: string): Promise<WorkerProcess[]> {
  const started = await Promise.all(
    ['a', 'b'].map((id) =>
      startWorkerProcess({
        REDIS_URL: url,
        MC_QUEUE: queue,
        MC_MOCK_OPTIONS: JSON.stringify(mock),
        MC_CONCURRENCY: '2',
        MC_WORKER_ID: `${queue}-${id}`,
      }),
    ),
  );
  for (const worker of started) closers.push(() => worker.stop());
  return started;
}

function outcome(events: RunEvent[]) {
  const histories: Record<string, unknown[]> = {};
  for (const event of events)
    if (event.type === 'context:message')
      histories[event.contextName] = [...(histories[event.contextName] ?? []), event.message];
  const ends = events.filter((event) => event.type === 'task:end');
  return { histories, ends: ends.map((end) => [end.taskId, end.status]).sort() };
}

async function localRun() {
  const run = new MultiContextOrchestrator({ providers: { mock: createMockProvider(mock) } }).run(
    workflow,
  );
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => events.push(event));
  await run.result;
  return outcome(events);
}

describe('Redis going away in the middle of a run', () => {
  it('restarted with its append-only file: the run completes with nothing lost', async () => {
    const port = await freePort();
    const folder = mkdtempSync(path.join(dir, 'aof-'));
    let redis = await persistentRedis(port, folder);
    closers.push(() => redis.stop());
    await workers(redis.url, 'restart');
    const executor = createBullMQExecutor({ connection: redis.url, queueName: 'restart' });
    closers.push(() => executor.close());
    const run = new MultiContextOrchestrator({
      providers: { mock: createMockProvider(mock) },
      executor,
    }).run(workflow, { signal: executor.signal });
    const events: RunEvent[] = [];
    let restarted: Promise<void> | undefined;
    run.events$.subscribe((event) => {
      events.push(event);
      // Mid-phase 2: some of its calls are in flight on the workers, the rest are queued.
      if (event.type === 'task:end' && event.taskId === 'p2t1' && restarted === undefined) {
        restarted = (async () => {
          await redis.stop();
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          redis = await persistentRedis(port, folder);
        })();
      }
    });
    const result = await run.result;
    await restarted;

    expect(restarted).toBeDefined();
    expect(result.status).toBe('succeeded');
    expect(result.successfulTasks).toBe(12);
    // Every task ended once, and the histories are those of a run that was never interrupted.
    expect(outcome(events)).toEqual(await localRun());
    expect(executor.pending).toBe(0);
  }, 60_000);

  it('gone for longer than unreachableLimitMs: the run is cancelled with the reason, and no task is marked failed', async () => {
    const port = await freePort();
    const folder = mkdtempSync(path.join(dir, 'gone-'));
    const redis = await persistentRedis(port, folder);
    closers.push(() => redis.stop());
    await workers(redis.url, 'gone');
    const executor = createBullMQExecutor({
      connection: redis.url,
      queueName: 'gone',
      unreachableLimitMs: 1_000,
    });
    const run = new MultiContextOrchestrator({
      providers: { mock: createMockProvider(mock) },
      executor,
    }).run(workflow, { signal: executor.signal });
    const events: RunEvent[] = [];
    let stoppedAt: number | undefined;
    run.events$.subscribe((event) => {
      events.push(event);
      if (event.type === 'task:end' && event.taskId === 'p2t1' && stoppedAt === undefined) {
        stoppedAt = Date.now();
        void redis.stop();
      }
    });
    const result = await run.result;
    const endedAfter = Date.now() - stoppedAt!;
    const closing = Date.now();
    await executor.close();

    expect(result.status).toBe('cancelled');
    // The limit, plus the time it takes to see the connection is gone.
    expect(endedAfter).toBeGreaterThanOrEqual(1_000);
    expect(endedAfter).toBeLessThan(4_000);
    // close() does not wait for a Redis that is not there.
    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(RedisUnreachableError.isInstance(executor.signal.reason)).toBe(true);
    const reason = (executor.signal.reason as Error).message;
    expect(reason).toMatch(/has not answered for more than 1 s/);
    const ends = events.filter((event) => event.type === 'task:end');
    // What had ended stays ended; the rest are cancelled (a resume runs them), none failed.
    expect(ends.filter((end) => end.status === 'failed')).toEqual([]);
    expect(ends.filter((end) => end.status === 'succeeded').length).toBeGreaterThanOrEqual(5);
    const cancelled = ends.filter((end) => end.status === 'cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled[0]?.error?.message).toContain(reason);
  }, 60_000);
});
