import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './cli-process.js';
import {
  announcedRunId,
  interruptedRun,
  journalLines,
  PIPELINE_TASKS,
  useJournalWorkspace,
  waitFor,
  within,
} from './journal-cli.js';

const space = useJournalWorkspace();
const cli = space.cli;

describe('the run history: runs, show, events', () => {
  const dir = 'history';
  const history = (args: string[]) => cli([...args, '--journal-dir', dir]);
  const ids: Record<'succeeded' | 'failed' | 'cancelled' | 'incomplete', string> = {
    succeeded: '',
    failed: '',
    cancelled: '',
    incomplete: '',
  };
  let brokenPath: string;

  beforeAll(async () => {
    const succeeded = await history(['run', 'pipeline.yaml', '--quiet']);
    ids.succeeded = announcedRunId(succeeded.stderr);
    const failed = await history(['run', 'pipeline.yaml', '--quiet', '--mock-fail', 'writer']);
    expect(failed.code).toBe(1);
    ids.failed = announcedRunId(failed.stderr);
    const cancelled = await interruptedRun(
      space.dir,
      'SIGINT',
      (event) => event.type === 'task:end',
      ['--journal-dir', dir],
    );
    expect(cancelled.outcome.code).toBe(130);
    ids.cancelled = cancelled.runId;
    const killed = await interruptedRun(
      space.dir,
      'SIGKILL',
      (event) => event.type === 'task:end',
      ['--journal-dir', dir],
    );
    expect(killed.outcome.signal).toBe('SIGKILL');
    ids.incomplete = killed.runId;

    // A journal damaged in its middle: listed as a warning, and named with its line.
    const lines = readFileSync(defaultJournalIn(dir, ids.succeeded), 'utf8').split('\n');
    lines[2] = '{"type":"task:start", garbage';
    brokenPath = defaultJournalIn(dir, 'broken');
    mkdirSync(dirname(brokenPath), { recursive: true });
    writeFileSync(brokenPath, lines.join('\n'));
  }, 40_000);

  function defaultJournalIn(folder: string, runId: string): string {
    return join(space.dir, folder, runId, 'events.jsonl');
  }

  it('runs --json: every readable run, newest first, and the damaged one as a warning', async () => {
    const { code, stdout, stderr } = await history(['runs', '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe(
      `multi-context: warning: Cannot read the journal ${brokenPath}:3: the line is not JSON.\n`,
    );
    const runs = JSON.parse(stdout) as Record<string, unknown>[];
    expect(runs.map((run) => run.runId)).toEqual([
      ids.incomplete,
      ids.cancelled,
      ids.failed,
      ids.succeeded,
    ]);
    const [incomplete, cancelled, failed, succeeded] = runs;
    expect(succeeded).toEqual({
      runId: ids.succeeded,
      workflowName: 'Journal pipeline',
      status: 'succeeded',
      startedAt: expect.any(Number),
      lastEventAt: expect.any(Number),
      durationMs: expect.any(Number),
      totalTasks: 6,
      succeeded: 6,
      failed: 0,
      skipped: 0,
      cancelled: 0,
      resumes: 0,
      truncated: false,
      path: defaultJournalIn(dir, ids.succeeded),
    });
    // The writer's two tasks fail (no retries); the rest succeed.
    expect(failed).toMatchObject({ status: 'failed', succeeded: 4, failed: 2, skipped: 0 });
    expect(cancelled).toMatchObject({ status: 'cancelled', resumes: 0 });
    expect((cancelled!.cancelled as number) + (cancelled!.succeeded as number)).toBe(6);
    expect(incomplete).toMatchObject({ status: 'incomplete', failed: 0 });
    expect(incomplete).not.toHaveProperty('durationMs');
    expect(incomplete!.succeeded).toBeGreaterThanOrEqual(1);
    expect(incomplete!.succeeded).toBeLessThan(6);
  });

  it('runs: the same as a table', async () => {
    const { code, stdout } = await history(['runs']);
    expect(code).toBe(0);
    const [heading, ...rows] = stdout.trimEnd().split('\n');
    expect(heading!.split(/\s{2,}/)).toEqual([
      'RUN',
      'WORKFLOW',
      'STATUS',
      'STARTED',
      'DURATION',
      'SUCCEEDED',
      'FAILED',
      'SKIPPED',
    ]);
    const cells = rows.map((row) => row.split(/\s{2,}/));
    expect(cells.map((row) => [row[0], row[2]])).toEqual([
      [ids.incomplete, 'incomplete'],
      [ids.cancelled, 'cancelled'],
      [ids.failed, 'failed'],
      [ids.succeeded, 'succeeded'],
    ]);
    for (const row of cells) {
      expect(row[1]).toBe('Journal pipeline');
      expect(row[3]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    }
    expect(cells[0]![4]).toBe('—');
    expect(cells[2]!.slice(5)).toEqual(['4/6', '2', '0']);
    expect(cells[3]![4]).toMatch(/^\d+(ms|\.\ds)$/);
    expect(cells[3]!.slice(5)).toEqual(['6/6', '0', '0']);
  });

  it('show --json: the result per phase and task, with errors', async () => {
    const { code, stdout } = await history(['show', ids.failed, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      runId: ids.failed,
      status: 'failed',
      usage: { totalTokens: expect.any(Number) },
    });
    expect(report.phases.map((phase: { name: string }) => phase.name)).toEqual([
      'Research',
      'Draft',
      'Review',
    ]);
    const tasks = report.phases.flatMap((phase: { tasks: unknown[] }) => phase.tasks);
    expect(tasks.map((task: { taskId: string }) => task.taskId)).toEqual(PIPELINE_TASKS);
    expect(tasks[0]).toEqual({
      taskId: 'market',
      contextName: 'market',
      profile: 'default',
      status: 'succeeded',
      attempts: 1,
      durationMs: expect.any(Number),
      usage: expect.objectContaining({ totalTokens: expect.any(Number) }),
      response: expect.stringContaining('Research the market'),
    });
    expect(tasks[3]).toMatchObject({
      taskId: 'outline',
      contextName: 'writer',
      status: 'failed',
      attempts: 1,
      error: { name: expect.any(String), message: expect.stringContaining('Injected failure') },
    });
    expect(tasks[3]).not.toHaveProperty('response');
  });

  it('show: the same for a person', async () => {
    const { code, stdout } = await history(['show', ids.failed]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^✖ Run ${ids.failed}: Journal pipeline, failed in \\d+(ms|\\.\\ds)$`),
    );
    expect(stdout).toMatch(
      /^ {2}Tasks {4}4 succeeded · 2 failed · 0 skipped · 0 cancelled, of 6$/m,
    );
    expect(lines).toContain('[phase 2/3] Draft (sequential) failed');
    expect(stdout).toMatch(/^ {2}✔ market \(default\) 1 attempt · \d+ms · [\d,]+ tokens$/m);
    expect(stdout).toMatch(/^ {4}.*Research the market/m);
    expect(stdout).toMatch(/^ {2}✖ outline \(default, context writer\) failed 1 attempt · \d+ms/m);
    expect(stdout).toMatch(/^ {4}\S.*Injected failure/m);
  });

  it('show: what is known so far of a run that did not end', async () => {
    const json = await history(['show', ids.incomplete, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ status: 'incomplete' });
    expect(report).not.toHaveProperty('usage');
    const statuses = report.phases.flatMap((phase: { tasks: { status: string }[] }) =>
      phase.tasks.map((task) => task.status),
    );
    expect(statuses).toContain('succeeded');
    expect(statuses.at(-1)).toBe('pending');
    expect(
      statuses.every((status: string) => ['succeeded', 'started', 'pending'].includes(status)),
    ).toBe(true);
    const pretty = await history(['show', ids.incomplete]);
    expect(pretty.stdout.split('\n')[0]).toBe(
      `… Run ${ids.incomplete}: Journal pipeline, incomplete: it has no run:end yet, so it is still running or its process died ('multi-context resume ${ids.incomplete}' continues it)`,
    );
    expect(pretty.stdout).toMatch(/^ {2}· polish \(default, context writer\) pending$/m);
  });

  it('events --json: the journal lines exactly; events: one readable line per event', async () => {
    const file = defaultJournalIn(dir, ids.succeeded);
    const lines = readFileSync(file, 'utf8').split('\n').slice(1).join('\n');
    const json = await history(['events', ids.succeeded, '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(lines);

    const pretty = await history(['events', ids.succeeded]);
    expect(pretty.code).toBe(0);
    const shown = pretty.stdout.trimEnd().split('\n');
    const { events } = journalLines(file);
    expect(shown).toHaveLength(events.length);
    shown.forEach((line, index) => {
      expect(line).toMatch(
        new RegExp(`^ *${index}  \\d\\d:\\d\\d:\\d\\d\\.\\d{3}  ${events[index]!.type} +\\S`),
      );
    });
    expect(shown[0]).toMatch(/run:start {8}Journal pipeline: 3 phases, 6 tasks$/);
    expect(shown).toContainEqual(
      expect.stringMatching(/task:start {7}summary in market \(default\): "Summarise the market"$/),
    );
    expect(shown).toContainEqual(
      expect.stringMatching(/task:end {9}market succeeded, 1 attempt, \d+ms, \d+ tokens$/),
    );
    expect(shown.at(-1)).toMatch(/run:end {10}succeeded in \d+(ms|\.\ds)$/);
  });

  it('finds a run by the start of its id, and says which when the start is ambiguous', async () => {
    const shown = await history(['show', ids.succeeded.slice(0, 8), '--json']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).runId).toBe(ids.succeeded);
    expect((await history(['show', ''])).code).toBe(2);

    // Two runs whose ids start alike (journals copied under other names).
    const text = readFileSync(defaultJournalIn(dir, ids.succeeded), 'utf8');
    for (const name of ['twin-1', 'twin-2']) {
      mkdirSync(join(space.dir, 'twins', name), { recursive: true });
      writeFileSync(join(space.dir, 'twins', name, 'events.jsonl'), text);
    }
    const ambiguous = await cli(['show', 'twin', '--journal-dir', 'twins']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toBe(
      'multi-context: "twin" names 2 runs in twins (twin-1, twin-2); give more of the id.\n',
    );
    expect((await cli(['show', 'twin-2', '--journal-dir', 'twins'])).code).toBe(0);
    // A journal is resumed under its own run's id, so a renamed folder is refused, untouched.
    const renamed = await cli(['resume', 'twin-1', '--journal-dir', 'twins']);
    expect(renamed.code).toBe(2);
    expect(renamed.stderr).toBe(
      `multi-context: twins/twin-1/events.jsonl is the journal of run ${ids.succeeded}, not of twin-1; its folder must be named after its run.\n`,
    );
    expect(readFileSync(join(space.dir, 'twins', 'twin-1', 'events.jsonl'), 'utf8')).toBe(text);
  });

  it('exit 2 for an unknown run and for a damaged journal, naming its line', async () => {
    for (const command of ['show', 'events', 'resume']) {
      const unknown = await history([command, 'no-such-run']);
      expect(unknown.code, command).toBe(2);
      expect(unknown.stderr).toBe(
        `multi-context: no run "no-such-run" in ${dir}; 'multi-context runs --journal-dir ${dir}' lists the runs there.\n`,
      );
      const broken = await history([command, 'broken']);
      expect(broken.code, command).toBe(2);
      expect(broken.stderr).toBe(
        `multi-context: Cannot read the journal ${brokenPath}:3: the line is not JSON.\n`,
      );
    }
  });

  it('resume leaves a run that ended alone: exit 0, the journal unchanged byte for byte', async () => {
    for (const [id, status] of [
      [ids.succeeded, 'succeeded'],
      [ids.failed, 'failed'],
    ] as const) {
      const file = defaultJournalIn(dir, id);
      const before = readFileSync(file);
      const plain = await history(['resume', id]);
      expect(plain).toMatchObject({
        code: 0,
        stdout: `run ${id} already ended (${status}); nothing to resume.\n`,
        stderr: '',
      });
      const json = await history(['resume', id, '--json']);
      expect(json).toMatchObject({
        code: 0,
        stdout: '',
        stderr: `run ${id} already ended (${status}); nothing to resume.\n`,
      });
      expect(readFileSync(file).equals(before)).toBe(true);
    }
  });

  it('events --follow tails a run in progress and ends after its run:end', async () => {
    const run = startCli(
      ['run', 'pipeline.yaml', '--quiet', '--mock-delay', '40', '--journal-dir', dir],
      {
        cwd: space.dir,
      },
    );
    let runExitedAt = 0;
    const runOutcome = run.outcome.then((outcome) => {
      runExitedAt = Date.now();
      return outcome;
    });
    // The id is on stderr once the journal exists.
    let stderr = '';
    run.child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await waitFor('the run id', () => /^run /m.test(stderr));
    const runId = announcedRunId(stderr);

    const follow = startCli(['events', runId, '--json', '--follow', '--journal-dir', dir], {
      cwd: space.dir,
    });
    const arrivals: { at: number; event: RunEvent }[] = [];
    follow.onLine((line) => arrivals.push({ at: Date.now(), event: JSON.parse(line) as RunEvent }));
    const [followed, ran] = await within(
      20_000,
      Promise.all([follow.outcome, runOutcome]),
      'the run and its follower',
    );
    expect(ran.code).toBe(0);
    expect(followed.code).toBe(0);
    expect(followed.stderr).toBe('');
    // Every event, in order, ending with run:end: the follower stopped by itself.
    const { events } = journalLines(defaultJournalIn(dir, runId));
    expect(arrivals.map(({ event }) => event)).toEqual(events);
    expect(arrivals.at(-1)!.event.type).toBe('run:end');
    // They came as the run went: the first task ends were printed while it still had work to do.
    const firstEnd = arrivals.find(({ event }) => event.type === 'task:end')!;
    expect(firstEnd.at).toBeLessThan(runExitedAt - 200);
  });

  it('lists only what is there: no journal folder at all is an empty history', async () => {
    const { code, stdout, stderr } = await cli(['runs', '--journal-dir', 'nothing-here']);
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'No runs in nothing-here.\n',
      stderr: '',
    });
    const json = await cli(['runs', '--json', '--journal-dir', 'nothing-here']);
    expect(json.stdout).toBe('[]\n');
    expect(readdirSync(space.dir)).not.toContain('nothing-here');
  });
});
