import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inProcessExecutor, MultiContextOrchestrator } from '@multi-context/core';
import { loadWorkflow } from '@multi-context/loader';
import { setUpProviders } from '@multi-context/providers';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BullMQExecutor, createBullMQExecutor } from '../src/index.js';
import { startWorkerProcess, type WorkerProcess, waitFor } from './worker-processes.js';

const fixture = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../fixtures/example_workflow.yaml',
);
const queueName = 'fixture';

type Recorded = Record<string, unknown>;

/** What must not differ between two runs: everything but the clock. */
function timeless(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, inner) =>
    key === 'time' || key === 'durationMs' ? undefined : inner,
  ) as unknown;
}

/** The events of each task, and the run's own (run, phase), each in order: what the ordering rules promise. */
function byStream(events: Recorded[]): Map<string, unknown[]> {
  const streams = new Map<string, unknown[]>();
  for (const event of events) {
    const { seq: _seq, ...rest } = event;
    const key = typeof event.taskId === 'string' ? `task ${event.taskId}` : 'run';
    streams.set(key, [...(streams.get(key) ?? []), rest]);
  }
  return streams;
}

async function runFixture(executor?: BullMQExecutor) {
  const workflow = await loadWorkflow(fixture);
  const setup = await setUpProviders({
    workflow,
    workflowFile: fixture,
    env: {},
    mock: { chunkDelayMs: 5 },
  });
  const orchestrator = new MultiContextOrchestrator({
    ...setup,
    executor: executor ?? inProcessExecutor,
  });
  const run = orchestrator.run(workflow, { runId: 'fixture-run' });
  const events: Recorded[] = [];
  run.events$.subscribe((event) => events.push(event as unknown as Recorded));
  const result = await run.result;
  const histories = Object.fromEntries(
    orchestrator
      .getContextNames()
      .map((name) => [name, orchestrator.getOrCreateContext(name).getHistory()]),
  );
  return { result, events: timeless(events) as Recorded[], histories };
}

describe('the fixture through two worker processes', () => {
  let redis: TestRedis;
  let workers: WorkerProcess[] = [];
  let executor: BullMQExecutor;

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = {
      REDIS_URL: redis.url,
      MC_QUEUE: queueName,
      MC_WORKFLOW: fixture,
      MC_CONCURRENCY: '1',
    };
    workers = await Promise.all([
      startWorkerProcess({ ...env, MC_WORKER_ID: 'worker-a' }),
      startWorkerProcess({ ...env, MC_WORKER_ID: 'worker-b' }),
    ]);
    executor = createBullMQExecutor({ connection: redis.url, queueName });
  }, 60_000);

  afterAll(async () => {
    await executor?.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis?.stop();
  }, 30_000);

  it('gives the results, histories and event order of one process', async () => {
    const local = await runFixture();
    const remote = await runFixture(executor);

    expect(remote.result.status).toBe('succeeded');
    expect(timeless(remote.result)).toEqual(timeless(local.result));
    expect(remote.histories).toEqual(local.histories);
    // The one difference a subscriber sees: each task's end names the worker that answered.
    const endWorkers = new Map(
      remote.events
        .filter((event) => event.type === 'task:end')
        .map((end) => [end.taskId as string, end.worker]),
    );
    expect([...endWorkers.values()].every((id) => id === 'worker-a' || id === 'worker-b')).toBe(
      true,
    );
    expect(local.events.some((event) => 'worker' in event)).toBe(false);
    for (const event of remote.events) delete event.worker;
    // Tasks of a parallel phase interleave as their calls happen to end, in one process as through workers;
    // each task's own events, and the run's and phases', come in the same order.
    expect(byStream(remote.events)).toEqual(byStream(local.events));
    expect(remote.events.map((event) => event.seq)).toEqual(remote.events.map((_, index) => index));
    expect(remote.events.length).toBe(local.events.length);
    // A worker reports a job just after its answer went out: the last report may still be on its way.
    await waitFor(
      () => workers.flatMap((worker) => worker.jobs).length === remote.result.totalTasks,
      5000,
      'every job reported',
    );
    // Both processes served: the parallel phases keep two single-call workers busy.
    expect(workers.map((worker) => worker.jobs.length).every((count) => count > 0)).toBe(true);
    expect(
      workers.flatMap((worker) => worker.jobs).every((job) => job.outcome === 'completed'),
    ).toBe(true);
    // And it is the worker that did report that task's job.
    const servedBy = new Map(
      workers.flatMap((worker, index) =>
        worker.jobs.map((job) => [job.taskId, index === 0 ? 'worker-a' : 'worker-b'] as const),
      ),
    );
    for (const [taskId, worker] of endWorkers) expect(worker).toBe(servedBy.get(taskId));
    expect(executor.pending).toBe(0);
  }, 60_000);
});
