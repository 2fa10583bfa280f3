import { createHash } from 'node:crypto';
import { recoverRun } from '@multi-context/core';
import type { EventMessage, RunEvent } from '@multi-context/events';
import { type JournalContents, readJournal } from '@multi-context/journal';
import { type ChatServer, startChatServer } from '@multi-context/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, runCli, startCli } from './cli-process.js';
import { eightTaskWorkflow, TASK_IDS, TASK_OF_PROMPT } from './eight-task-pipeline.js';
import { defaultJournal } from './journal-cli.js';
import { type Workspace, workspace } from './workspace.js';

// The proof. A local server speaks the OpenAI streaming wire format,
// counts the requests of each task and answers from the whole conversation it
// is sent (so a context whose history differs gets different answers, which
// then differ in every later history). The CLI runs a workflow on it and is
// killed (SIGKILL) at moments drawn from a seeded PRNG, then resumed, for
// several seeds; the result must be that of an uninterrupted run, and no task
// whose end was journaled before a kill may be asked again after it.

const WORKFLOW = eightTaskWorkflow('Crash pipeline');

/** Milliseconds between the frames of an answer (7 frames: about 120 ms a request). */
const FRAME_DELAY_MS = 20;
const SEEDS = [11, 23, 37, 41, 59, 67, 73, 89, 97];
const ENV = { CRASH_TEST_KEY: 'sk-crash-test' };

let server: ChatServer;
let space: Workspace;
/** The task of every request the server received, in arrival order. */
const requests: string[] = [];

beforeAll(async () => {
  server = await startChatServer({
    wire: 'openai',
    reply: ({ prompt, request }) => {
      const task = TASK_OF_PROMPT.get(prompt) ?? `unknown prompt ${JSON.stringify(prompt)}`;
      requests.push(task);
      const { messages } = request.body as { messages: EventMessage[] };
      const digest = createHash('sha256').update(JSON.stringify(messages)).digest('hex');
      return {
        answer: [`${task}: `, `heard ${messages.length} messages `, `#${digest.slice(0, 12)}`],
        delayMs: FRAME_DELAY_MS,
        usage: { inputTokens: messages.length * 10, outputTokens: 7 },
      };
    },
  });
  space = workspace({
    'workflow.yaml': WORKFLOW,
    'profiles.yaml': [
      'providers:',
      '  local:',
      '    use: openai',
      `    base_url: "${server.baseURL}"`,
      '    api_key_env: CRASH_TEST_KEY',
      '    default_model: crash-model',
      '',
    ].join('\n'),
  });
});
afterAll(async () => {
  await server?.close();
  space?.remove();
});

/** mulberry32: a small seeded PRNG, so a failing seed can be run again as it was. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
    }),
  ]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the CLI with `--json` (stdout carries the events, so the test sees
 * when the work starts); `signal` is sent `afterMs` after the first line that
 * starts work (the first `task:start` of a run, the `run:resume` of a resume).
 */
async function session(
  args: string[],
  interrupt?: { afterMs: number; signal: NodeJS.Signals },
): Promise<{ outcome: CliOutcome; events: RunEvent[]; signalled: boolean }> {
  const cli = startCli([...args, '--profiles', 'profiles.yaml', '--json'], {
    cwd: space.dir,
    env: ENV,
  });
  const events: RunEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let signalled = false;
  cli.onLine((line) => {
    const event = JSON.parse(line) as RunEvent;
    events.push(event);
    if (interrupt === undefined || timer !== undefined) return;
    if (event.type !== 'task:start' && event.type !== 'run:resume') return;
    timer = setTimeout(() => {
      signalled = cli.child.kill(interrupt.signal);
    }, interrupt.afterMs);
  });
  const outcome = await within(15_000, cli.outcome, `multi-context ${args.join(' ')}`);
  clearTimeout(timer);
  return { outcome, events, signalled };
}

/** What was true when a session stopped: the tasks whose succeeded end the journal held, and the request count. */
interface Stop {
  done: Set<string>;
  requestsBefore: number;
  /** How many events the journal held: none when the process died before their first write. */
  events: number;
  /** Whether the journal held the run's end: the kill came between that write and the exit. */
  ended: boolean;
}

async function stopped(journal: string): Promise<Stop> {
  // A request the dead process had already sent may still be on its way to the server.
  await sleep(150);
  const contents = await readJournal(journal);
  return {
    done: succeededIn(contents),
    requestsBefore: requests.length,
    events: contents.events.length,
    ended: contents.events.some((event) => event.type === 'run:end'),
  };
}

function succeededIn(contents: JournalContents): Set<string> {
  return new Set(
    contents.events.flatMap((event) =>
      event.type === 'task:end' && event.status === 'succeeded' ? [event.taskId] : [],
    ),
  );
}

/** Each task's number of requests after the `from`-th. */
function requestsSince(from: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of requests.slice(from)) counts[task] = (counts[task] ?? 0) + 1;
  return counts;
}

/** Every context's history as core rebuilds it from a journal (what a resume would start from). */
function historiesOf(contents: JournalContents): Record<string, EventMessage[]> {
  return Object.fromEntries(recoverRun(contents.header.workflow, contents.events).histories);
}

function responsesOf(contents: JournalContents): Record<string, string | undefined> {
  const result = contents.result;
  if (result === undefined) throw new Error(`${contents.path} has no run:end`);
  return Object.fromEntries(
    result.phases.flatMap((phase) => phase.results.map((task) => [task.taskId, task.response])),
  );
}

/**
 * Checks a run that was interrupted at `stops` and then resumed to its end
 * against the uninterrupted reference.
 */
async function expectCompletedLikeReference(runId: string, stops: Stop[], label: string) {
  const final = await readJournal(defaultJournal(space.dir, runId));
  expect(final.result?.status, label).toBe('succeeded');

  // Every task ends exactly once in the final result...
  const shown = await runCli(['show', runId, '--json'], { cwd: space.dir });
  expect(shown.code, label).toBe(0);
  const report = JSON.parse(shown.stdout) as {
    status: string;
    phases: { tasks: { taskId: string; status: string }[] }[];
  };
  expect(report.status, label).toBe('succeeded');
  const ended = report.phases.flatMap((phase) => phase.tasks);
  expect(ended.map((task) => task.taskId).sort(), label).toEqual([...TASK_IDS].sort());
  expect(new Set(ended.map((task) => task.status)), label).toEqual(new Set(['succeeded']));
  // ...and the journal holds exactly one succeeded end per task: none was paid for twice and kept.
  const succeededEnds = final.events.filter(
    (event) => event.type === 'task:end' && event.status === 'succeeded',
  );
  expect(succeededEnds.map((event) => (event as { taskId: string }).taskId).sort(), label).toEqual(
    [...TASK_IDS].sort(),
  );

  // No task whose succeeded end was journaled before a stop was requested after it.
  for (const [index, stop] of stops.entries()) {
    const after = requestsSince(stop.requestsBefore);
    for (const task of stop.done) {
      expect(after[task] ?? 0, `${label}: ${task} after stop ${index + 1}`).toBe(0);
    }
  }
  // After the last stop, each task not done yet was asked exactly once.
  const last = stops.at(-1);
  if (last !== undefined) {
    const after = requestsSince(last.requestsBefore);
    for (const task of TASK_IDS) {
      expect(after[task] ?? 0, `${label}: ${task} after the last stop`).toBe(
        last.done.has(task) ? 0 : 1,
      );
    }
  }

  // The same histories and answers as the run that was never interrupted.
  expect(historiesOf(final), label).toEqual(reference.histories);
  expect(responsesOf(final), label).toEqual(reference.responses);
  return final;
}

let reference: {
  histories: Record<string, EventMessage[]>;
  responses: Record<string, string | undefined>;
  /** From the first task:start to run:end, in ms: the span kill moments are drawn from. */
  spanMs: number;
};

describe('a run killed at any moment, then resumed', () => {
  beforeAll(async () => {
    const before = requests.length;
    const { outcome, events } = await session(['run', 'workflow.yaml']);
    expect(outcome.code, outcome.stderr).toBe(0);
    const contents = await readJournal(defaultJournal(space.dir, events[0]!.runId));
    expect(contents.events).toEqual(events);
    const firstStart = events.find((event) => event.type === 'task:start')!;
    reference = {
      histories: historiesOf(contents),
      responses: responsesOf(contents),
      spanMs: events.at(-1)!.time - firstStart.time,
    };
    // The server counts right, and its answers show the history they were given.
    expect(requestsSince(before)).toEqual(Object.fromEntries(TASK_IDS.map((id) => [id, 1])));
    expect(reference.responses.market).toMatch(/^market: heard 1 messages #/);
    expect(reference.responses.market_summary).toMatch(/^market_summary: heard 3 messages #/);
    expect(reference.responses.critique).toMatch(/^critique: heard 5 messages #/);
    expect(reference.histories.market).toHaveLength(6);
  }, 20_000);

  it(`completes like an uninterrupted run, never asking again for a journaled task (seeds ${SEEDS.join(', ')})`, async () => {
    const doneAtKills: number[] = [];
    let killedTwice = 0;
    for (const seed of SEEDS) {
      const random = prng(seed);
      const label = `seed ${seed}`;
      const first = await session(['run', 'workflow.yaml'], {
        afterMs: random() * reference.spanMs,
        signal: 'SIGKILL',
      });
      const runId = first.events[0]!.runId;
      const journal = defaultJournal(space.dir, runId);
      const stops: Stop[] = [];
      // The run was quicker than the moment drawn, or was killed after its last journal write
      // while it was exiting: either way it has ended, and resume leaves it alone.
      if (first.outcome.signal !== 'SIGKILL') expect(first.outcome.code, label).toBe(0);
      else stops.push(await stopped(journal));
      if (first.outcome.signal !== 'SIGKILL' || stops[0]!.ended) {
        const again = await session(['resume', runId]);
        expect(again.outcome.code, label).toBe(0);
        expect(again.outcome.stderr, label).toContain('already ended (succeeded)');
        await expectCompletedLikeReference(runId, stops, label);
        continue;
      }

      // Some seeds kill the resumed run too, once its work has started.
      const killAgain = random() < 0.5;
      const resumed = await session(
        ['resume', runId],
        // A resumed run has less left to do: the moment is drawn from a shorter span.
        killAgain ? { afterMs: random() * reference.spanMs * 0.4, signal: 'SIGKILL' } : undefined,
      );
      if (resumed.outcome.signal === 'SIGKILL') {
        killedTwice++;
        stops.push(await stopped(journal));
        const last = await session(['resume', runId]);
        expect(last.outcome.code, `${label}: ${last.outcome.stderr}`).toBe(0);
        // Killed after its run:end was journaled, while exiting: the run has ended, and the
        // last resume leaves it alone (so it writes no run:resume).
        if (stops[1]!.ended) expect(last.outcome.stderr, label).toContain('already ended');
      } else {
        expect(resumed.outcome.code, `${label}: ${resumed.outcome.stderr}`).toBe(0);
      }
      // A journal without events yet is a run that never started: it starts now, under its id.
      // (A resume killed while it was still starting printed nothing: then there is nothing to check.)
      if (resumed.events.length > 0 || resumed.outcome.signal !== 'SIGKILL')
        expect(resumed.events[0], label).toMatchObject({
          type: stops[0]!.events === 0 ? 'run:start' : 'run:resume',
          runId,
        });
      for (const stop of stops) doneAtKills.push(stop.done.size);
      const final = await expectCompletedLikeReference(runId, stops, label);
      // Each session after a kill wrote a run:resume first if it resumed a run that had events,
      // had not ended, and wrote anything before it ended: a session killed before its first
      // journal write left no record, and the next one resumed from the same point.
      const wroteResume = stops.filter((stop, i) => {
        const next = stops[i + 1];
        return stop.events > 0 && !stop.ended && (next === undefined || next.events > stop.events);
      }).length;
      expect(
        final.events.filter((event) => event.type === 'run:resume'),
        label,
      ).toHaveLength(wroteResume);
    }
    // The property means something only if the kills landed at different stages of the runs.
    expect(doneAtKills.length).toBeGreaterThanOrEqual(Math.ceil(SEEDS.length * 0.6));
    expect(new Set(doneAtKills).size).toBeGreaterThanOrEqual(3);
    expect(killedTwice).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('survives Ctrl-C: cancelled, resumable, cancelled again, then finished without paying twice', async () => {
    // Ctrl-C once the first task of the Draft phase has ended.
    const cli = startCli(['run', 'workflow.yaml', '--profiles', 'profiles.yaml', '--json'], {
      cwd: space.dir,
      env: ENV,
    });
    let runId = '';
    cli.onLine((line) => {
      const event = JSON.parse(line) as RunEvent;
      runId ||= event.runId;
      if (event.type === 'task:end' && event.taskId === 'market_summary') cli.child.kill('SIGINT');
    });
    const interrupted = await within(15_000, cli.outcome, 'the interrupted run');
    expect(interrupted.code).toBe(130);
    const journal = defaultJournal(space.dir, runId);
    const cancelled = await readJournal(journal);
    expect(cancelled.result?.status).toBe('cancelled');
    // Those that ended before the signal (the next task may have made it too, on a slow machine).
    const keptAtCancel = succeededIn(cancelled);
    for (const task of ['market', 'tech', 'rivals', 'market_summary']) {
      expect(keptAtCancel).toContain(task);
    }
    expect(keptAtCancel.size).toBeLessThan(TASK_IDS.length);
    const stops = [await stopped(journal)];

    const listed = await runCli(['runs', '--json'], { cwd: space.dir });
    expect(JSON.parse(listed.stdout)).toContainEqual(
      expect.objectContaining({ runId, status: 'cancelled', succeeded: keptAtCancel.size }),
    );

    // Resumed, and interrupted again as soon as it asks for something.
    const cli2 = startCli(['resume', runId, '--profiles', 'profiles.yaml', '--json'], {
      cwd: space.dir,
      env: ENV,
    });
    cli2.onLine((line) => {
      if ((JSON.parse(line) as RunEvent).type === 'task:start') cli2.child.kill('SIGINT');
    });
    const again = await within(15_000, cli2.outcome, 'the interrupted resume');
    expect(again.code).toBe(130);
    expect((await readJournal(journal)).result?.status).toBe('cancelled');
    stops.push(await stopped(journal));
    const kept = stops[1]!.done.size;

    const finished = await runCli(['resume', runId, '--profiles', 'profiles.yaml'], {
      cwd: space.dir,
      env: ENV,
    });
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stderr).toContain(
      `resuming run ${runId}: ${kept} of 8 tasks kept, ${8 - kept} to run`,
    );
    expect(finished.stdout).toContain('Tasks   8 succeeded · 0 failed · 0 skipped · 0 cancelled');
    const final = await expectCompletedLikeReference(runId, stops, 'Ctrl-C');
    expect(final.events.filter((event) => event.type === 'run:resume')).toHaveLength(2);
  }, 30_000);
});
