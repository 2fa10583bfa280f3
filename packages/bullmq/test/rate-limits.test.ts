import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MultiContextOrchestrator } from '@multi-context/core';
import { parseWorkflow } from '@multi-context/loader';
import { createMockProvider, type MockProviderOptions } from '@multi-context/provider-mock';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullMQExecutor } from '../src/index.js';
import { startWorkerProcess, type WorkerProcess } from './worker-processes.js';

let redis: TestRedis;
const closers: (() => Promise<unknown>)[] = [];
const dir = mkdtempSync(path.join(tmpdir(), 'rate-limits-'));

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

/** A workflow of one parallel phase of `count` tasks, t1 ... tN, each in its own context. */
function parallel(count: number) {
  const tasks = Array.from(
    { length: count },
    (_, i) => `      - { id: t${i + 1}, context_name: c${i + 1}, prompt: "Task ${i + 1}" }`,
  );
  return parseWorkflow(
    `name: Paced\nphases:\n  - name: All\n    execution_mode: parallel\n    tasks:\n${tasks.join('\n')}\n`,
  );
}

interface Call {
  call: 'start' | 'end' | 'error';
  taskId: string;
  worker: string;
  at: number;
}

/** Two worker processes on `queue` with these mock settings and rate limits, logging their calls to one file. */
async function twoWorkers(
  queue: string,
  mock: MockProviderOptions,
  rateLimits: Record<string, unknown>,
  concurrency: number,
): Promise<{ workers: WorkerProcess[]; calls: () => Call[] }> {
  const log = path.join(dir, `${queue}.jsonl`);
  const env = {
    REDIS_URL: redis.url,
    MC_QUEUE: queue,
    MC_MOCK_OPTIONS: JSON.stringify(mock),
    MC_RATE_LIMITS: JSON.stringify(rateLimits),
    MC_CALL_LOG: log,
  };
  const workers = await Promise.all(
    ['a', 'b'].map((id) =>
      startWorkerProcess({
        ...env,
        MC_WORKER_ID: `${queue}-${id}`,
        MC_CONCURRENCY: String(concurrency),
      }),
    ),
  );
  for (const worker of workers) closers.push(() => worker.stop());
  const calls = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Call);
  return { workers, calls };
}

async function runThrough(queue: string, mock: MockProviderOptions, tasks: number) {
  const executor = createBullMQExecutor({ connection: redis.url, queueName: queue });
  closers.push(() => executor.close());
  const orchestrator = new MultiContextOrchestrator({
    providers: { mock: createMockProvider(mock) },
    executor,
    retry: { retries: 4, initialDelayMs: 10, maxDelayMs: 20 },
  });
  const started = Date.now();
  const result = await orchestrator.run(parallel(tasks)).result;
  return { result, ms: Date.now() - started };
}

describe('shared rate limits', () => {
  it('start at most `requests` calls of a provider in any window, across every worker', async () => {
    const mock: MockProviderOptions = {};
    const { workers, calls } = await twoWorkers(
      'paced',
      mock,
      {
        mock: { requests: 3, perMs: 1000 },
      },
      4,
    );
    const { result, ms } = await runThrough('paced', mock, 9);

    expect(result.status).toBe('succeeded');
    const starts = calls()
      .filter((call) => call.call === 'start')
      .map((call) => call.at)
      .sort((a, b) => a - b);
    expect(starts).toHaveLength(9);
    // Both workers made calls: the limit is shared, not each worker's own.
    expect(new Set(calls().map((call) => call.worker)).size).toBe(2);
    // Any window of one second (less the clock's few ms between Redis and the log) holds at most 3 starts.
    for (const start of starts) {
      expect(starts.filter((at) => at >= start && at < start + 970).length).toBeLessThanOrEqual(3);
    }
    // 9 calls at 3 a second: the last starts two windows after the first.
    expect(starts[8]! - starts[0]!).toBeGreaterThanOrEqual(1970);
    expect(ms).toBeGreaterThanOrEqual(1970);
    // The calls that had to wait went back to the queue rather than holding a worker's slot.
    const delayed = workers.flatMap((worker) => worker.jobs).filter((j) => j.outcome === 'delayed');
    expect(delayed.length).toBeGreaterThan(0);
  }, 60_000);

  it("a 429's retry-after pauses its provider for every worker", async () => {
    const retryAfterMs = 1500;
    const mock: MockProviderOptions = {
      latencyMs: 200,
      failTasks: ['t1'],
      failTimes: 1,
      failure: { status: 429, retryAfterMs },
    };
    // One call at a time per worker: the other tasks wait for a slot while t1 is answered with a 429.
    const { calls } = await twoWorkers('throttled', mock, {}, 1);
    const { result } = await runThrough('throttled', mock, 8);

    expect(result.status).toBe('succeeded');
    const log = calls();
    const errors = log.filter((call) => call.call === 'error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    const starts = log.filter((call) => call.call === 'start');
    for (const error of errors) {
      // From the moment the pause is set (a round trip after the 429) to its end, no worker starts a call.
      const during = starts.filter(
        (start) => start.at > error.at + 50 && start.at < error.at + retryAfterMs - 20,
      );
      expect(during).toEqual([]);
    }
    // And calls did wait for it: some started only after the pause.
    const firstError = Math.min(...errors.map((error) => error.at));
    expect(starts.some((start) => start.at >= firstError + retryAfterMs - 20)).toBe(true);
    expect(starts.filter((start) => start.taskId !== 't1').length).toBe(7);
  }, 60_000);
});
