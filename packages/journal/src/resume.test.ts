import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MultiContextOrchestrator } from '@multi-context/core';
import type { EventMessage, RunEvent, TaskStatus } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { describe, expect, it } from 'vitest';
import { journaledRun, orchestrator, pipeline, tempDir, wordAnswer } from '../test/helpers.js';
import {
  attachJournal,
  journalPath,
  listJournals,
  readJournal,
  recoverRun,
  summarizeJournal,
} from './index.js';

const workflow = pipeline();

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
      const recovered = recoverRun(before);
      expect(recovered.resumable, `cut at ${cut}`).toBe(true);
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
      for (const taskId of Object.keys(recovered.tasks)) {
        const task = recovered.tasks[taskId]!;
        const kept = task.state !== 'in-flight' && task.end.status !== 'cancelled';
        if (kept) expect(calls.get(taskId), `${taskId} after cut at ${cut}`).toBeUndefined();
        else expect(calls.get(taskId), `${taskId} after cut at ${cut}`).toBe(1);
      }
      // The final journal rebuilds the same contexts as the run that was never cut.
      const limit = workflow.config.maxContextHistory;
      const rebuilt = Object.entries(recoverRun(after).contexts).map(([name, messages]) => [
        name,
        messages.slice(-limit),
      ]);
      // (A context whose only task failed exists in the orchestrator, empty, and has no messages.)
      const nonEmpty = Object.entries(expectedHistories).filter(
        ([, messages]) => messages.length > 0,
      );
      expect(Object.fromEntries(rebuilt), `cut at ${cut}`).toEqual(Object.fromEntries(nonEmpty));
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
    expect(recoverRun(cancelled).resumable).toBe(true);

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
