import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventMessage, RunEvent } from '@multi-context/events';
import type { JournalContents } from '@multi-context/journal';
import { readRedisJournal } from '@multi-context/journal-redis';
import {
  type ChatServer,
  freePort,
  startChatServer,
  startRedisServer,
  type TestRedis,
} from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-process.js';
import { eightTaskWorkflow, TASK_IDS, TASK_OF_PROMPT } from './eight-task-pipeline.js';
import { waitFor, within } from './journal-cli.js';
import { parseEventLines, type Workspace, workspace } from './workspace.js';

// The run's journal in Redis (issue 13): a coordinator started with --redis is
// killed (SIGKILL) in the middle of its run, whose calls a worker process
// makes; another process, in another folder (as on another machine), resumes
// it from the journal in Redis, and no task whose end was journaled is asked
// of the provider again. A local server speaks the OpenAI wire format and
// counts the requests of each task.

const WORKFLOW = eightTaskWorkflow('Redis journal pipeline');

const ENV = { REDIS_JOURNAL_TEST_KEY: 'sk-redis-journal-test' };

let server: ChatServer;
let redis: TestRedis;
/** Where the run is started, and another folder, as another machine would be. */
let here: Workspace;
let elsewhere: Workspace;
/** The task of every request the server received, in arrival order. */
const requests: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  server = await startChatServer({
    wire: 'openai',
    reply: ({ prompt, request }) => {
      const task = TASK_OF_PROMPT.get(prompt) ?? `unknown prompt ${JSON.stringify(prompt)}`;
      requests.push(task);
      const { messages } = request.body as { messages: EventMessage[] };
      return {
        answer: [`${task}: `, `heard ${messages.length} messages`],
        delayMs: 60,
        usage: { inputTokens: messages.length * 10, outputTokens: 7 },
      };
    },
  });
  redis = await startRedisServer();
  const profiles = [
    'providers:',
    '  local:',
    '    use: openai',
    `    base_url: "${server.baseURL}"`,
    '    api_key_env: REDIS_JOURNAL_TEST_KEY',
    '    default_model: journal-model',
    '',
  ].join('\n');
  here = workspace({ 'workflow.yaml': WORKFLOW, 'profiles.yaml': profiles });
  elsewhere = workspace({ 'profiles.yaml': profiles });
});
afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => {});
  await server?.close();
  await redis?.stop();
  here?.remove();
  elsewhere?.remove();
}, 30_000);

/** A `multi-context worker` with the test's providers, stopped with Ctrl-C after the tests. */
async function startWorker(): Promise<string[]> {
  const worker = startCli(
    ['worker', '--redis', redis.url, '--profiles', 'profiles.yaml', '--verbose'],
    { cwd: here.dir, env: ENV },
  );
  const lines: string[] = [];
  worker.onLine((line) => lines.push(line));
  closers.push(async () => {
    worker.child.kill('SIGINT');
    await within(10_000, worker.outcome, 'the worker to stop');
  });
  await waitFor('a worker ready line', () => lines.some((line) => line.startsWith('worker ')));
  return lines;
}

function succeededIn(contents: JournalContents): Set<string> {
  return new Set(
    contents.events.flatMap((event) =>
      event.type === 'task:end' && event.status === 'succeeded' ? [event.taskId] : [],
    ),
  );
}

describe('run --redis journals to Redis', () => {
  let runId: string;

  it('is resumed from another process after the coordinator is killed, and no journaled task is asked again', async () => {
    await startWorker();
    const coordinator = startCli(
      ['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json', '--redis', redis.url],
      { cwd: here.dir, env: ENV },
    );
    const seen: RunEvent[] = [];
    let killed = false;
    coordinator.onLine((line) => {
      const event = JSON.parse(line) as RunEvent;
      seen.push(event);
      // Killed once the Draft phase has started: the Research answers are journaled, the rest is not.
      if (killed || event.type !== 'task:start' || event.taskId !== 'market_summary') return;
      killed = true;
      setTimeout(() => coordinator.child.kill('SIGKILL'), 50);
    });
    const outcome = await within(20_000, coordinator.outcome, 'the killed coordinator');
    expect(outcome.signal, outcome.stderr).toBe('SIGKILL');
    runId = seen[0]!.runId;
    // Nothing was journaled to a file: the journal is in Redis.
    expect(existsSync(join(here.dir, '.multi-context'))).toBe(false);

    // A call the worker was making for the dead coordinator may still reach the server.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = await readRedisJournal(redis.url, runId);
    expect(stopped.ended).toBe(false);
    const done = succeededIn(stopped);
    expect([...done].sort()).toEqual(['market', 'rivals', 'tech']);
    const requestsBefore = requests.length;
    const incomplete = await runCli(['show', runId, '--redis', redis.url], { cwd: elsewhere.dir });
    expect(incomplete.stdout).toContain(
      `incomplete: it has no run:end yet, so it is still running or its process died ('multi-context resume ${runId} --redis <url>' continues it)`,
    );

    const follower = startCli(
      ['events', runId.slice(0, 8), '--follow', '--json', '--redis', redis.url],
      {
        cwd: elsewhere.dir,
      },
    );
    const resumed = await within(
      20_000,
      runCli(['resume', runId, '--profiles', 'profiles.yaml', '--redis', redis.url], {
        cwd: elsewhere.dir,
        env: ENV,
      }),
      'the resumed run',
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('Tasks   8 succeeded · 0 failed · 0 skipped · 0 cancelled');
    expect(resumed.stderr).toContain(`resuming run ${runId}: 3 of 8 tasks kept, 5 to run`);
    expect(resumed.stderr).toContain(
      `journal: ${redis.url} multi-context:journal:{${runId}}:events`,
    );

    const final = await readRedisJournal(redis.url, runId);
    expect(final.result?.status).toBe('succeeded');
    expect(final.events.slice(0, stopped.events.length)).toEqual(stopped.events);
    expect(final.events[stopped.events.length]).toMatchObject({ type: 'run:resume', runId });
    expect(
      final.result!.phases.flatMap((phase) => phase.results.map((task) => task.status)),
    ).toEqual(Array(8).fill('succeeded'));
    // No task whose end was journaled was asked again; every other one was asked once.
    const after = requests.slice(requestsBefore);
    for (const task of done) expect(after, task).not.toContain(task);
    expect([...after].sort()).toEqual(TASK_IDS.filter((task) => !done.has(task)).sort());
    // And the journal holds one succeeded end per task.
    const ends = final.events.filter(
      (event) => event.type === 'task:end' && event.status === 'succeeded',
    );
    expect(ends.map((event) => (event as { taskId: string }).taskId).sort()).toEqual(
      [...TASK_IDS].sort(),
    );

    // A follow from another process, started before the resume, ended at its run:end.
    const followed = await within(10_000, follower.outcome, 'events --follow');
    expect(followed.code, followed.stderr).toBe(0);
    expect(parseEventLines(followed.stdout)).toEqual(final.events);
  }, 60_000);

  it('runs, show and events read the journal from Redis, from any folder', async () => {
    expect(runId).toBeDefined();
    const runs = await runCli(['runs', '--json', '--redis', redis.url], { cwd: elsewhere.dir });
    expect(runs.code, runs.stderr).toBe(0);
    expect(JSON.parse(runs.stdout)).toContainEqual(
      expect.objectContaining({
        runId,
        status: 'succeeded',
        succeeded: 8,
        resumes: 1,
        path: `${redis.url} multi-context:journal:{${runId}}:events`,
      }),
    );
    const table = await runCli(['runs', '--redis', redis.url], { cwd: elsewhere.dir });
    expect(table.stdout).toMatch(new RegExp(`${runId}\\s+Redis journal pipeline\\s+succeeded`));
    // The folder itself has no runs.
    const local = await runCli(['runs'], { cwd: elsewhere.dir });
    expect(local.stdout).toContain('No runs in .multi-context/runs.');

    const shown = await runCli(['show', runId.slice(0, 8), '--redis', redis.url], {
      cwd: elsewhere.dir,
    });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Run ${runId}: Redis journal pipeline, succeeded`);
    expect(shown.stdout).toContain(`Journal  ${redis.url} multi-context:journal:{${runId}}:events`);
    expect(shown.stdout).toContain('8 succeeded · 0 failed');

    const events = await runCli(['events', runId, '--json', '--redis', redis.url], {
      cwd: elsewhere.dir,
    });
    expect(events.code, events.stderr).toBe(0);
    expect(parseEventLines(events.stdout)).toEqual(
      (await readRedisJournal(redis.url, runId)).events,
    );

    const missing = await runCli(['show', 'no-such-run', '--redis', redis.url], {
      cwd: elsewhere.dir,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no run "no-such-run" in Redis at ${redis.url}`);
    const ended = await runCli(['resume', runId, '--redis', redis.url], { cwd: elsewhere.dir });
    expect(ended.code, ended.stderr).toBe(0);
    expect(ended.stdout).toContain(`run ${runId} already ended (succeeded); nothing to resume.`);
  }, 30_000);

  it('exits 2 with where and why when Redis does not answer, before anything is read or called', async () => {
    const port = await freePort();
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    const before = requests.length;
    for (const args of [
      ['runs', '--redis', url],
      ['show', 'abc', '--redis', url],
      ['events', 'abc', '--follow', '--redis', url],
      ['resume', 'abc', '--profiles', 'profiles.yaml', '--redis', url],
    ]) {
      const outcome = await within(
        10_000,
        runCli(args, { cwd: elsewhere.dir, env: ENV }),
        args[0]!,
      );
      expect(outcome.code, `${args[0]}: ${outcome.stderr}`).toBe(2);
      expect(outcome.stderr).toContain(`Redis at redis://127.0.0.1:${port} is unreachable`);
      expect(outcome.stderr).not.toContain('hunter2');
      expect(outcome.stderr).not.toMatch(/at .*\.js/);
    }
    expect(requests.length).toBe(before);
  }, 60_000);
});
