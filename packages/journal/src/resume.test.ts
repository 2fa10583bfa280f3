import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type MultiContextOrchestrator, recoverRun } from '@multi-context/core';
import type { EventMessage, RunEvent, TaskStatus } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { journaledRun, orchestrator, pipeline, tempDir, wordAnswer } from '../test/helpers.js';
import {
  attachJournal,
  type JournalContents,
  journalPath,
  listJournals,
  readJournal,
  summarizeJournal,
} from './index.js';

const workflow = pipeline();
const taskIds = workflow.phases.flatMap((phase) => phase.tasks.map((task) => task.id));
const limit = workflow.config.maxContextHistory;

/** Gives the word answer, and counts the calls of each task. */
function countingProvider() {
  const calls = new Map<string, number>();
  const provider = defineProvider({
    id: 'counting',
    complete: (request) => {
      calls.set(request.taskId, (calls.get(request.taskId) ?? 0) + 1);
      return wordAnswer(request);
    },
  });
  return { provider, calls };
}

function histories(runner: MultiContextOrchestrator): Record<string, EventMessage[]> {
  return Object.fromEntries(
    runner.getContextNames().map((name) => [name, runner.getOrCreateContext(name).getHistory()]),
  );
}

function statuses(events: RunEvent[]): Record<string, TaskStatus> {
  const end = events.at(-1);
  if (end?.type !== 'run:end') throw new Error('the run did not end');
  return Object.fromEntries(
    end.result.phases.flatMap((phase) => phase.results.map((task) => [task.taskId, task.status])),
  );
}

/** Each context's history as core rebuilds it from a journal: its messages, trimmed to the workflow's limit. */
function rebuiltHistories(contents: JournalContents): Record<string, EventMessage[]> {
  const { histories } = recoverRun(contents.header.workflow, contents.events);
  return Object.fromEntries(
    [...histories].map(([name, messages]) => [name, messages.slice(-limit)]),
  );
}

/** The histories that hold messages (a context whose only task failed exists in the orchestrator, empty). */
function nonEmpty(histories: Record<string, EventMessage[]>): Record<string, EventMessage[]> {
  return Object.fromEntries(
    Object.entries(histories).filter(([, messages]) => messages.length > 0),
  );
}

async function finished() {
  const runner = orchestrator();
  const journaled = journaledRun(workflow, { dir: await tempDir() }, runner);
  const result = await journaled.run.result;
  await journaled.done;
  const contents = await readJournal(journaled.journal.path);
  return { ...journaled, runner, result, contents };
}

// Core's recoverRun() is what a resume does; these check it against what journals hold.
describe("core's recoverRun on journals", () => {
  it('recovers a finished run: every kept task, every context, the last seq', async () => {
    const { contents, result, runner, live } = await finished();
    const recovered = recoverRun(contents.header.workflow, contents.events);
    expect(recovered).toMatchObject({
      runId: contents.header.runId,
      lastSeq: live.length - 1,
      startedAt: contents.events[0]!.time,
      interrupted: [],
    });
    // It ended failed (the task that always fails): nothing to resume, the journal's result.
    expect(recovered.ended).toEqual(contents.result);
    expect(recovered.ended).toEqual(JSON.parse(JSON.stringify(result)));
    const results = result.phases.flatMap((phase) => phase.results);
    expect([...recovered.completed.keys()].sort()).toEqual(taskIds.slice().sort());
    for (const task of results) {
      const { taskId, contextName, profile, status, response, usage, attempts, error } = task;
      // Through JSON, as the journal keeps it: keys whose value is undefined are left out.
      expect(recovered.completed.get(taskId)).toMatchObject(
        JSON.parse(
          JSON.stringify({
            taskId,
            contextName,
            profile,
            status,
            response,
            usage,
            attempts,
            error,
          }),
        ),
      );
    }
    // Replaying the messages into contexts with the workflow's limit gives the run's histories.
    expect(rebuiltHistories(contents)).toEqual(nonEmpty(histories(runner)));
    expect(recovered.histories.get('market')).toHaveLength(6); // three tasks, trimmed to 3 in the context
  });

  it('agrees with the events of the run stopped after any event: kept, interrupted, histories', async () => {
    const { contents } = await finished();
    const tasks = new Map(
      contents.header.workflow.phases
        .flatMap((phase) => phase.tasks)
        .map((task) => [task.id, task]),
    );
    for (let count = 1; count < contents.events.length; count++) {
      const events = contents.events.slice(0, count);
      const recovered = recoverRun(workflow, events);

      // Oracle: a task is kept when its last end succeeded or failed; a succeeded end appends its
      // prompt and answer to its task's context.
      const expected: Record<string, EventMessage[]> = {};
      const started = new Set<string>();
      const kept = new Map<string, TaskStatus>();
      for (const event of events) {
        if (event.type === 'task:start') started.add(event.taskId);
        if (event.type !== 'task:end') continue;
        if (event.status === 'succeeded' || event.status === 'failed')
          kept.set(event.taskId, event.status);
        if (event.status !== 'succeeded') continue;
        const task = tasks.get(event.taskId)!;
        expected[task.contextName] = [
          ...(expected[task.contextName] ?? []),
          { role: 'user', content: task.prompt },
          { role: 'assistant', content: event.response! },
        ];
      }
      const at = `after ${count} events`;
      expect(recovered.ended, at).toBeUndefined();
      expect(recovered.lastSeq, at).toBe(count - 1);
      expect(
        Object.fromEntries([...recovered.completed].map(([id, task]) => [id, task.status])),
        at,
      ).toEqual(Object.fromEntries(kept));
      expect(recovered.interrupted, at).toEqual([...started].filter((id) => !kept.has(id)));
      expect(Object.fromEntries(recovered.histories), at).toEqual(expected);
    }
  });

  it('leaves out the messages of a task whose end was lost, and runs it again', async () => {
    const { contents } = await finished();
    const at = contents.events.findIndex(
      (event) => event.type === 'task:end' && event.status === 'succeeded',
    );
    const ended = contents.events[at]!;
    if (ended.type !== 'task:end') throw new Error('unreachable');
    // Its messages were recorded right before its end: they are in the prefix.
    expect(contents.events[at - 1]).toMatchObject({
      type: 'context:message',
      taskId: ended.taskId,
    });
    const recovered = recoverRun(workflow, contents.events.slice(0, at));
    expect(recovered.interrupted).toContain(ended.taskId);
    expect(recovered.completed.has(ended.taskId)).toBe(false);
    expect([...recovered.histories.values()].flat()).not.toContainEqual({
      role: 'assistant',
      content: ended.response,
    });
  });

  it('keeps only the messages of the attempt that ended, when a task whose end was lost ran again', async () => {
    const { contents } = await finished();
    const at = contents.events.findIndex(
      (event) => event.type === 'task:end' && event.status === 'succeeded',
    );
    const end = contents.events[at]!;
    if (end.type !== 'task:end') throw new Error('unreachable');
    const start = contents.events.find(
      (event) => event.type === 'task:start' && event.taskId === end.taskId,
    )!;
    const messages = contents.events.filter(
      (event) => event.type === 'context:message' && event.taskId === end.taskId,
    );
    // Its messages were recorded, its end was lost; the resumed session ran it again.
    const rerun = [start, ...messages, end].map((event, i) => ({ ...event, seq: at + i }));
    const recovered = recoverRun(workflow, [...contents.events.slice(0, at), ...rerun]);
    expect(recovered.completed.get(end.taskId)).toMatchObject({ status: 'succeeded' });
    const context = (start as { contextName: string }).contextName;
    expect(recovered.histories.get(context)).toEqual(
      messages.map((event) => (event as { message: unknown }).message),
    );
  });
});

describe('a journal resumed by core', () => {
  it('finishes a run cut at any record or mid-record, never asking again for a task that ended', async () => {
    // The reference: one uninterrupted run.
    const reference = orchestrator(countingProvider().provider);
    const whole = journaledRun(workflow, { dir: await tempDir() }, reference);
    await whole.run.result;
    await whole.done;
    const bytes = await readFile(whole.journal.path);
    const expectedHistories = histories(reference);
    const expectedStatuses = statuses(whole.live);

    // Cut after each line, and in the middle of each third line (a torn write).
    const cuts: number[] = [];
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) cuts.push(at + 1);
    const torn = cuts.filter((_, i) => i % 3 === 1).map((end, i) => end - 5 - (i % 7));
    for (const cut of [...cuts.slice(0, -1), ...torn]) {
      const dir = await tempDir();
      const file = journalPath(whole.run.runId, dir);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes.subarray(0, cut));

      const before = await readJournal(file);
      // Core's derivation is the authority on what a resume keeps; a journal with no event yet has none.
      const kept =
        before.events.length === 0
          ? new Set<string>()
          : new Set(recoverRun(workflow, before.events).completed.keys());
      expect(before.ended, `cut at ${cut}`).toBe(false);
      const { provider, calls } = countingProvider();
      const runner = orchestrator(provider);
      // A journal with no event yet is a run that never started: start it under its id.
      const run =
        before.events.length === 0
          ? runner.run(workflow, { runId: whole.run.runId })
          : runner.resume(workflow, { events: before.events });
      const writer = attachJournal(run, { dir, append: true });
      await run.result;
      await writer.done;

      const after = await readJournal(file);
      expect(after.ended, `cut at ${cut}`).toBe(true);
      expect(after.events.slice(0, before.events.length)).toEqual(before.events);
      expect(statuses(after.events), `cut at ${cut}`).toEqual(expectedStatuses);
      expect(histories(runner), `cut at ${cut}`).toEqual(expectedHistories);
      // Every task whose end was kept is never asked again; every other one is asked exactly once.
      for (const taskId of taskIds) {
        expect(calls.get(taskId), `${taskId} after cut at ${cut}`).toBe(
          kept.has(taskId) ? undefined : 1,
        );
      }
      // The final journal rebuilds the same contexts as the run that was never cut.
      expect(rebuiltHistories(after), `cut at ${cut}`).toEqual(nonEmpty(expectedHistories));
      expect(summarizeJournal(after).resumes).toBe(before.events.length === 0 ? 0 : 1);
    }
  });

  it('continues a cancelled run after its run:end, with run:resume', async () => {
    const dir = await tempDir();
    const first = journaledRun(workflow, { dir });
    first.run.events$.subscribe((event) => {
      if (event.type === 'phase:end') first.run.cancel('deploy');
    });
    expect((await first.run.result).status).toBe('cancelled');
    await first.done;
    const cancelled = await readJournal(first.journal.path);
    expect(cancelled).toMatchObject({ ended: true, result: { status: 'cancelled' } });
    expect(recoverRun(workflow, cancelled.events).ended).toBeUndefined();

    const runner = orchestrator();
    const run = runner.resume(workflow, { events: cancelled.events });
    const writer = attachJournal(run, { dir, append: true });
    const result = await run.result;
    await writer.done;

    const resumed = await readJournal(first.journal.path);
    const resumeAt = cancelled.events.length;
    expect(resumed.events[resumeAt - 1]).toMatchObject({ type: 'run:end', status: 'cancelled' });
    expect(resumed.events[resumeAt]).toMatchObject({ type: 'run:resume', seq: resumeAt });
    expect(resumed).toMatchObject({ ended: true, result });
    expect(result.status).toBe('failed'); // the task that always fails
    const { runs } = await listJournals({ dir });
    expect(runs).toMatchObject([{ runId: run.runId, status: 'failed', resumes: 1, succeeded: 5 }]);

    // Over now: nothing more may be appended.
    const again = attachJournal(runner.run(workflow, { runId: run.runId }), { dir, append: true });
    await expect(again.done).rejects.toMatchObject({ code: 'run-ended' });
  });
});
