import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { journaledRun, linesOf, orchestrator, pipeline, tempDir } from '../test/helpers.js';
import {
  attachJournal,
  findJournal,
  JournalReadError,
  listJournals,
  readJournal,
  summarizeJournal,
} from './index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stopsEarly = defineWorkflow({
  name: 'Stops early',
  phases: [
    {
      name: 'One',
      executionMode: 'parallel',
      tasks: [
        { contextName: 'a', prompt: 'fine' },
        { contextName: 'b', prompt: 'fail' },
      ],
    },
    { name: 'Two', tasks: [{ contextName: 'a', prompt: 'never' }] },
  ],
  config: { continueOnError: false },
});

describe('listJournals', () => {
  it('summarises every run, newest first, and reports the unreadable ones', async () => {
    const dir = await tempDir();
    const runner = orchestrator();

    const failed = journaledRun(pipeline('First'), { dir }, runner, 'run-failed');
    await failed.run.result;
    await failed.done;
    await sleep(5);

    const skipped = journaledRun(stopsEarly, { dir }, runner, 'run-skipped');
    await skipped.run.result;
    await skipped.done;
    await sleep(5);

    const cancelled = journaledRun(pipeline('Cancelled'), { dir }, runner, 'run-cancelled');
    cancelled.run.events$.subscribe((event) => {
      if (event.type === 'task:end' && event.taskId === 'market-2') cancelled.run.cancel('enough');
    });
    await cancelled.run.result;
    await cancelled.done;
    await sleep(5);

    // A run whose process died after its first phase: its journal has no run:end.
    const source = journaledRun(pipeline('Unfinished'), { dir: await tempDir() }, runner);
    await source.run.result;
    const events = new Subject<RunEvent>();
    const unfinished = attachJournal(
      { runId: 'run-unfinished', workflow: source.run.workflow, events$: events },
      { dir },
    );
    const firstPhaseEnd = source.live.findIndex((event) => event.type === 'phase:end');
    for (const event of source.live.slice(0, firstPhaseEnd + 1))
      events.next({ ...event, runId: 'run-unfinished' });
    events.complete();
    await unfinished.done;

    // A damaged journal, a folder that holds no journal and a stray file.
    const damaged = journaledRun(pipeline('Damaged'), { dir }, runner, 'run-damaged');
    await damaged.run.result;
    await damaged.done;
    const lines = linesOf(await readFile(damaged.journal.path, 'utf8'));
    lines[2] = 'garbage';
    await writeFile(damaged.journal.path, `${lines.join('\n')}\n`);
    await mkdir(path.join(dir, 'not-a-run'));
    await writeFile(path.join(dir, 'notes.txt'), 'hello');

    const { runs, unreadable } = await listJournals({ dir });
    expect(runs.map((run) => [run.runId, run.workflowName, run.status])).toEqual([
      ['run-unfinished', 'Unfinished', 'incomplete'],
      ['run-cancelled', 'Cancelled', 'cancelled'],
      ['run-skipped', 'Stops early', 'failed'],
      ['run-failed', 'First', 'failed'],
    ]);
    const [unfinishedRun, cancelledRun, skippedRun, failedRun] = runs;
    expect(failedRun).toEqual({
      runId: 'run-failed',
      workflowName: 'First',
      status: 'failed',
      startedAt: failed.live[0]!.time,
      lastEventAt: failed.live.at(-1)!.time,
      durationMs: (await failed.run.result).durationMs,
      totalTasks: 6,
      succeeded: 5,
      failed: 1,
      skipped: 0,
      cancelled: 0,
      resumes: 0,
      truncated: false,
      path: failed.journal.path,
    });
    expect(skippedRun).toMatchObject({
      totalTasks: 3,
      succeeded: 1,
      failed: 1,
      skipped: 1,
      cancelled: 0,
    });
    expect(cancelledRun).toMatchObject({ succeeded: 4, failed: 0, skipped: 0, cancelled: 2 });
    expect(unfinishedRun).toMatchObject({ totalTasks: 6, succeeded: 3, failed: 0 });
    expect(unfinishedRun).not.toHaveProperty('durationMs');
    expect(unfinishedRun!.startedAt).toBeGreaterThanOrEqual(cancelledRun!.startedAt);

    expect(unreadable).toHaveLength(1);
    expect(JournalReadError.isInstance(unreadable[0])).toBe(true);
    expect(unreadable[0]).toMatchObject({
      code: 'corrupt-record',
      line: 3,
      path: damaged.journal.path,
    });
  });

  it('finds nothing in a folder that does not exist', async () => {
    const dir = path.join(await tempDir(), 'missing');
    expect(await listJournals({ dir })).toEqual({ runs: [], unreadable: [] });
  });
});

describe('listJournals of long journals', () => {
  /** Answers at length (150 KB), so that a run of a few tasks makes a journal of megabytes. */
  const longAnswers = orchestrator(
    defineProvider({
      id: 'long',
      complete: async ({ prompt }) => {
        await sleep(1);
        if (prompt.includes('fail')) throw new Error('no');
        return `${prompt}: ${'ünïcödé words '.repeat(15_000)}`;
      },
    }),
  );

  it('summarises them from their head and tail as reading them in full does, resumes and torn ends included', async () => {
    const dir = await tempDir();
    const ended = journaledRun(pipeline('Ended'), { dir }, longAnswers, 'long-ended');
    await ended.run.result;
    await ended.done;

    // Cancelled in its second phase, then resumed to its end: two sessions in one journal.
    const twice = journaledRun(pipeline('Resumed'), { dir }, longAnswers, 'long-resumed');
    twice.run.events$.subscribe((event) => {
      if (event.type === 'phase:start' && event.phaseIndex === 1) twice.run.cancel('enough');
    });
    await twice.run.result;
    await twice.done;
    const recorded = await readJournal(twice.journal.path);
    const resumed = longAnswers.resume(recorded.header.workflow, { events: recorded.events });
    const appended = attachJournal(resumed, { dir, append: true });
    await resumed.result;
    await appended.done;

    // A run whose process died in the middle of a write: no run:end, a torn last line.
    const text = await readFile(ended.journal.path);
    const cut = text.lastIndexOf(0x0a, Math.floor(text.length * 0.7)) + 1;
    await mkdir(path.join(dir, 'long-died'));
    const died = path.join(dir, 'long-died', 'events.jsonl');
    await writeFile(
      died,
      Buffer.concat([
        Buffer.from(text.subarray(0, cut).toString('utf8').replaceAll('long-ended', 'long-died')),
        Buffer.from('{"type":"task:delta","runId":"long-di'),
      ]),
    );

    const { runs, unreadable } = await listJournals({ dir });
    expect(unreadable).toEqual([]);
    for (const file of [ended.journal.path, twice.journal.path, died]) {
      expect((await stat(file)).size).toBeGreaterThan(2 * 1024 * 1024);
      const summary = runs.find((run) => run.path === file);
      expect(summary).toEqual(summarizeJournal(await readJournal(file)));
    }
    expect(runs.find((run) => run.runId === 'long-resumed')).toMatchObject({
      status: 'failed',
      resumes: 1,
    });
    expect(runs.find((run) => run.runId === 'long-died')).toMatchObject({
      status: 'incomplete',
      truncated: true,
    });
  });

  it('does not read the lines between its first event and its last record', async () => {
    const dir = await tempDir();
    const { run, journal, done } = journaledRun(pipeline('Long'), { dir }, longAnswers);
    await run.result;
    await done;
    const before = summarizeJournal(await readJournal(journal.path));
    // A middle line no reader can parse: reading the journal in full fails on it.
    const lines = linesOf(await readFile(journal.path, 'utf8'));
    const middle = Math.floor(lines.length / 2);
    lines[middle] = 'garbage';
    await writeFile(journal.path, `${lines.join('\n')}\n`);
    await expect(readJournal(journal.path)).rejects.toMatchObject({
      code: 'corrupt-record',
      line: middle + 1,
    });
    const { runs, unreadable } = await listJournals({ dir });
    expect(unreadable).toEqual([]);
    expect(runs).toEqual([before]);
  });

  it('still reports a long journal whose header or last record is damaged', async () => {
    const dir = await tempDir();
    const { run, journal, done } = journaledRun(pipeline('Long'), { dir }, longAnswers);
    await run.result;
    await done;
    const text = await readFile(journal.path, 'utf8');
    const lines = linesOf(text);
    const last = lines.length;
    const damaged = [...lines];
    damaged[last - 1] = damaged[last - 1]!.replace('"type":"run:end"', '"type":"run:ended"');
    await writeFile(journal.path, `${damaged.join('\n')}\n`);
    const { runs, unreadable } = await listJournals({ dir });
    expect(runs).toEqual([]);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]).toMatchObject({ code: 'invalid-event', line: last });

    // A header whose workflow was edited after the run.
    const edited = [...lines];
    edited[0] = edited[0]!.replace('"name":"Long"', '"name":"Longer"');
    await writeFile(journal.path, `${edited.join('\n')}\n`);
    const again = await listJournals({ dir });
    expect(again.runs).toEqual([]);
    expect(again.unreadable[0]).toMatchObject({ code: 'workflow-hash-mismatch', line: 1 });
  });
});

describe('findJournal', () => {
  it('gives the path of a run that has a journal, and undefined otherwise', async () => {
    const dir = await tempDir();
    const { run, journal, done } = journaledRun(pipeline(), { dir });
    await run.result;
    await done;
    expect(await findJournal(run.runId, { dir })).toBe(journal.path);
    expect(await findJournal('unknown', { dir })).toBeUndefined();
    expect(await findJournal('../../etc', { dir })).toBeUndefined();
    expect(summarizeJournal(await readJournal(journal.path)).runId).toBe(run.runId);
  });
});
