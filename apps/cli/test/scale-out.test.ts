import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { readRedisJournal } from '@multi-context/journal-redis';
import { freePort, startRedisServer, type TestRedis } from '@multi-context/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliRoot, runCli, startCli } from './cli-process.js';
import { defaultJournal, interruptedRun, journalLines, waitFor, within } from './journal-cli.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

const PIPELINE = resolve(cliRoot, '../../examples/pipeline/workflow.yaml');
const TOPIC = ['--input', 'topic=tide tables'];

let redis: TestRedis;
let space: Workspace;
beforeAll(async () => {
  redis = await startRedisServer();
  space = workspace();
});
afterAll(async () => {
  await redis?.stop();
  space?.remove();
});

/** A `multi-context worker` process and the lines it has printed on stdout. */
interface TestWorker {
  process: ReturnType<typeof startCli>;
  lines: string[];
}

/** Every worker a test starts, stopped with Ctrl-C after it; each must exit 130. */
const workers: TestWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) {
    if (worker.process.child.exitCode === null) worker.process.child.kill('SIGINT');
    const outcome = await within(5_000, worker.process.outcome, 'a worker to stop');
    expect(outcome.code, outcome.stderr).toBe(130);
  }
});

/** Starts `multi-context worker --verbose` on the test's Redis and waits for its ready line. */
async function startWorker(mockDelayMs: number, extra: string[] = []): Promise<TestWorker> {
  const child = startCli([
    'worker',
    '--redis',
    redis.url,
    '--verbose',
    '--mock-delay',
    String(mockDelayMs),
    ...extra,
  ]);
  const worker = { process: child, lines: [] as string[] };
  workers.push(worker);
  child.onLine((line) => worker.lines.push(line));
  await waitFor('a worker ready line', () =>
    worker.lines.some((line) => line.startsWith('worker ')),
  );
  return worker;
}

/** The results of a run's tasks and each context's messages, times left out. */
function outcomeOf(events: RunEvent[]) {
  const end = events.at(-1);
  if (end?.type !== 'run:end') throw new Error('the journal has no run:end');
  const tasks = end.result.phases.flatMap((phase) =>
    phase.results.map(({ taskId, contextName, status, response }) => ({
      taskId,
      contextName,
      status,
      response,
    })),
  );
  const histories: Record<string, unknown[]> = {};
  for (const event of events) {
    if (event.type !== 'context:message') continue;
    histories[event.contextName] = [...(histories[event.contextName] ?? []), event.message];
  }
  return { status: end.status, tasks, histories };
}

/** Runs the pipeline with `args` in the test's folder, and reads back its journal (in Redis with --redis). */
async function runPipeline(args: string[]) {
  const outcome = await runCli(['run', PIPELINE, ...TOPIC, '--json', ...args], {
    cwd: space.path('.'),
  });
  expect(outcome.code, outcome.stderr).toBe(0);
  const runId = parseEventLines(outcome.stdout)[0]!.runId;
  const file = defaultJournal(space.path('.'), runId);
  if (!args.includes('--redis')) return outcomeOf(journalLines(file).events);
  expect(existsSync(file)).toBe(false);
  return outcomeOf((await readRedisJournal(redis.url, runId)).events);
}

const completedJobs = (worker: TestWorker) =>
  worker.lines.filter((line) => line.endsWith(': completed')).length;

describe('scale out: run --redis and worker', () => {
  it('gives the same task results and histories through two workers as in one process', async () => {
    const first = await startWorker(0);
    const second = await startWorker(0);
    const local = await runPipeline([]);
    const distributed = await runPipeline(['--redis', redis.url]);
    expect(local.tasks).toHaveLength(6);
    expect(distributed).toEqual(local);
    // Every call was made by a worker: six jobs between them.
    await waitFor('six completed jobs', () => completedJobs(first) + completedJobs(second) === 6);
  }, 30_000);

  it('ends on Ctrl-C within two seconds (exit 130), and the worker aborts the call it was making', async () => {
    const worker = await startWorker(300);
    const run = startCli(['run', PIPELINE, ...TOPIC, '--json', '--redis', redis.url], {
      cwd: space.path('.'),
    });
    let signalledAt: number | undefined;
    let started = false;
    run.onLine((line) => {
      if (started || (JSON.parse(line) as RunEvent).type !== 'task:start') return;
      started = true;
      // A moment for the job to reach the worker (a call takes over a second at this pace):
      // the Ctrl-C must find the call in flight there, not still on its way to Redis.
      setTimeout(() => {
        signalledAt = Date.now();
        run.child.kill('SIGINT');
      }, 300);
    });
    const outcome = await within(10_000, run.outcome, 'the interrupted run');
    expect(signalledAt).toBeDefined();
    expect(Date.now() - signalledAt!).toBeLessThan(2_000);
    expect(outcome.code, outcome.stderr).toBe(130);
    expect(parseEventLines(outcome.stdout).at(-1)).toMatchObject({
      type: 'run:end',
      status: 'cancelled',
    });
    await waitFor('the worker to report the abort', () =>
      worker.lines.some((line) => /: aborted \(.*\)$/.test(line)),
    );
  }, 30_000);

  it('resume --redis finishes an interrupted run through a worker', async () => {
    // A short lock, as an operator would set for a quick takeover of a dead worker's calls.
    const worker = await startWorker(0, ['--lock-duration', '1000']);
    const { runId, outcome: interrupted } = await interruptedRun(
      space.path('.'),
      'SIGINT',
      (event) => event.type === 'task:end',
      TOPIC,
      PIPELINE,
    );
    expect(interrupted.code).toBe(130);
    const resumed = await runCli(['resume', runId, '--json', '--redis', redis.url], {
      cwd: space.path('.'),
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const end = outcomeOf(journalLines(defaultJournal(space.path('.'), runId)).events);
    expect(end.status).toBe('succeeded');
    expect(end.tasks.map((task) => task.status)).toEqual(Array(6).fill('succeeded'));
    // The tasks the interrupted run had not finished were made by the worker.
    await waitFor('a completed job', () => completedJobs(worker) > 0);
  }, 30_000);

  it('run --redis with Redis unreachable exits 2 with the reason, before any call and any journal', async () => {
    const port = await freePort();
    const folder = space.path('unreachable');
    const outcome = await runCli(
      ['run', PIPELINE, ...TOPIC, '--redis', `redis://127.0.0.1:${port}`],
      { cwd: space.write({ 'unreachable/.keep': '' }).path('unreachable') },
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
    expect(outcome.stderr).not.toMatch(/at .*\.js/);
    expect(outcome.stdout).toBe('');
    expect(existsSync(join(folder, '.multi-context'))).toBe(false);
  });

  it('worker --lock-duration below 1000 ms exits 2 before reaching Redis', async () => {
    const outcome = await within(
      10_000,
      runCli(['worker', '--redis', redis.url, '--lock-duration', '500']),
      'the worker',
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--lock-duration');
    expect(outcome.stderr).toContain('1000 or more');
  });

  it('worker with Redis unreachable exits 2 with the reason', async () => {
    const port = await freePort();
    const outcome = await within(
      10_000,
      runCli(['worker', '--redis', `redis://:secret@127.0.0.1:${port}`]),
      'the worker',
    );
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
    expect(outcome.stderr).not.toContain('secret');
  });
});
