import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type AttemptExecutor,
  inProcessExecutor,
  MultiContextOrchestrator,
} from '@multi-context/core';
import { parseWorkflow } from '@multi-context/loader';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BullMQExecutor, createBullMQExecutor } from '../src/index.js';
import { startWorkerProcess, type WorkerProcess, waitFor } from './worker-processes.js';

const queueName = 'worker-killed';
const lockDurationMs = 1000;
const stalledIntervalMs = 500;
/** Time for Redis round trips, the survivor's next fetch and a loaded machine. */
const marginMs = 1000;

// Slow, streamed calls: when a worker is killed, some of its calls have sent part of the answer and some nothing yet.
const mock: MockProviderOptions = { latencyMs: [50, 400], chunkDelayMs: 30, seed: 7 };

// Parallel phases keep both workers busy; the later phases continue the contexts of the first.
const workflow = parseWorkflow(`
name: Killed worker
phases:
  - name: Gather
    execution_mode: parallel
    tasks:
      - { context_name: a, prompt: Gather facts about apples }
      - { context_name: b, prompt: Gather facts about bees }
      - { context_name: c, prompt: Gather facts about clouds }
      - { context_name: d, prompt: Gather facts about dunes }
      - { context_name: e, prompt: Gather facts about eels }
      - { context_name: f, prompt: Gather facts about ferns }
  - name: Write
    execution_mode: parallel
    tasks:
      - { context_name: a, prompt: Write about what you gathered }
      - { context_name: b, prompt: Write about what you gathered }
      - { context_name: c, prompt: Write about what you gathered }
      - { context_name: d, prompt: Write about what you gathered }
      - { context_name: e, prompt: Write about what you gathered }
      - { context_name: f, prompt: Write about what you gathered }
  - name: Polish
    execution_mode: sequential
    tasks:
      - { context_name: a, prompt: Shorten it }
      - { context_name: d, prompt: Shorten it }
`);

interface CallLine {
  call: 'start' | 'end' | 'error';
  taskId: string;
  worker: string;
  at: number;
}

type Recorded = Record<string, unknown> & { type: string };

async function runWorkflow(executor: AttemptExecutor) {
  const orchestrator = new MultiContextOrchestrator({
    providers: { mock: createMockProvider(mock) },
    executor,
    retry: { initialDelayMs: 10, maxDelayMs: 20 },
  });
  const run = orchestrator.run(workflow, { runId: 'killed-run' });
  const events: Recorded[] = [];
  run.events$.subscribe((event) => events.push(event as unknown as Recorded));
  return {
    run,
    events,
    histories: async () => {
      await run.result;
      return Object.fromEntries(
        orchestrator
          .getContextNames()
          .map((name) => [name, orchestrator.getOrCreateContext(name).getHistory()]),
      );
    },
  };
}

/** What must not differ between two runs: everything but the clock. */
function timeless(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, inner) =>
    key === 'time' || key === 'durationMs' ? undefined : inner,
  ) as unknown;
}

function readCalls(file: string): CallLine[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CallLine);
}

describe('a worker killed with SIGKILL in the middle of a run', () => {
  let redis: TestRedis;
  let workers: WorkerProcess[] = [];
  let executor: BullMQExecutor;
  let dir: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    dir = mkdtempSync(path.join(tmpdir(), 'mc-killed-'));
    workers = await Promise.all(
      ['victim', 'survivor'].map((id) =>
        startWorkerProcess({
          REDIS_URL: redis.url,
          MC_QUEUE: queueName,
          MC_MOCK_OPTIONS: JSON.stringify(mock),
          MC_CONCURRENCY: '4',
          MC_WORKER_ID: id,
          MC_LOCK_DURATION_MS: String(lockDurationMs),
          MC_STALLED_INTERVAL_MS: String(stalledIntervalMs),
          MC_CALL_LOG: path.join(dir, `${id}.calls`),
        }),
      ),
    );
    executor = createBullMQExecutor({ connection: redis.url, queueName });
  }, 60_000);

  afterAll(async () => {
    await executor?.close();
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('has its calls in flight run again by the other worker within the lock duration, and the run ends as an uninterrupted one', async () => {
    const local = await runWorkflow(inProcessExecutor);
    const localHistories = await local.histories();
    expect((await local.run.result).status).toBe('succeeded');

    const [victim, survivor] = workers as [WorkerProcess, WorkerProcess];
    const victimLog = path.join(dir, 'victim.calls');
    const survivorLog = path.join(dir, 'survivor.calls');
    const remote = await runWorkflow(executor);

    // Kill the victim once it holds calls in flight, some of which have already sent part of their answer.
    const inFlight = (calls: CallLine[]) => {
      const open = new Map<string, number>();
      for (const call of calls)
        open.set(call.taskId, (open.get(call.taskId) ?? 0) + (call.call === 'start' ? 1 : -1));
      return [...open].filter(([, count]) => count > 0).map(([taskId]) => taskId);
    };
    await waitFor(
      () =>
        inFlight(readCalls(victimLog)).length >= 2 &&
        readCalls(survivorLog).some((call) => call.call === 'start'),
      15_000,
      'both workers to make calls, the victim two at once',
    );
    // Some deltas of the victim's calls out, not all: some still in their 50-400 ms latency.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const inFlightAtKill = inFlight(readCalls(victimLog));
    const killedAt = Date.now();
    await victim.kill();
    const victimCalls = readCalls(victimLog);
    const inFlightAfterKill = inFlight(victimCalls);
    expect(inFlightAfterKill.length).toBeGreaterThan(0);

    const result = await Promise.race([
      remote.run.result,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the run did not end within 30 s')), 30_000),
      ),
    ]);
    expect(result.status).toBe('succeeded');

    // Every task ends exactly once, and succeeded.
    const ends = remote.events.filter((event) => event.type === 'task:end');
    const taskIds = ends.map((event) => event.taskId as string);
    expect(new Set(taskIds).size).toBe(taskIds.length);
    expect(taskIds.length).toBe(result.totalTasks);
    expect(taskIds.length).toBe(14);

    // No call the victim ended is made again; a task is called again only when the victim died in its call.
    const survivorCalls = readCalls(survivorLog);
    const started = (calls: CallLine[], taskId: string) =>
      calls.filter((call) => call.call === 'start' && call.taskId === taskId).length;
    const endedOnVictim = new Set(
      victimCalls.filter((call) => call.call === 'end').map((call) => call.taskId),
    );
    const ended = (calls: CallLine[], taskId: string) =>
      calls.filter((call) => call.call === 'end' && call.taskId === taskId).length;
    for (const taskId of taskIds) {
      if (inFlightAfterKill.includes(taskId)) {
        // Taken again after the stall; if the victim had sent part of the answer, that job is
        // cancelled and the run retries the task: one more call, on the survivor.
        expect(started(victimCalls, taskId), taskId).toBe(1);
        expect(started(survivorCalls, taskId), taskId).toBeGreaterThanOrEqual(1);
        expect(started(survivorCalls, taskId), taskId).toBeLessThanOrEqual(2);
        expect(ended(survivorCalls, taskId), taskId).toBe(1);
      } else {
        expect(started(victimCalls, taskId) + started(survivorCalls, taskId), taskId).toBe(1);
      }
      if (endedOnVictim.has(taskId)) expect(started(survivorCalls, taskId), taskId).toBe(0);
    }
    // The survivor's calls all ended, each once.
    expect(survivorCalls.filter((call) => call.call === 'error')).toEqual([]);

    // The victim's calls in flight were taken again within the lock duration and one stalled check.
    const takeovers = inFlightAfterKill.map((taskId) => {
      const again = survivorCalls.find(
        (call) => call.call === 'start' && call.taskId === taskId && call.at >= killedAt,
      );
      expect(again, taskId).toBeDefined();
      return (again?.at ?? Number.POSITIVE_INFINITY) - killedAt;
    });
    const slowest = Math.max(...takeovers);
    console.log(
      `killed with ${inFlightAtKill.length} calls in flight, ${remote.events.filter((event) => event.type === 'task:retry').length} retried after a partial answer; taken again after ${takeovers.join(', ')} ms (bound ${lockDurationMs + stalledIntervalMs + marginMs} ms)`,
    );
    expect(slowest).toBeLessThanOrEqual(lockDurationMs + stalledIntervalMs + marginMs);

    // The histories are those of the uninterrupted run in one process.
    expect(timeless(await remote.histories())).toEqual(timeless(localHistories));
    expect(executor.pending).toBe(0);
    expect(survivor.jobs.some((job) => job.outcome === 'completed')).toBe(true);
  }, 90_000);
});
