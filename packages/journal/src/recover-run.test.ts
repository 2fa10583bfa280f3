import type { EventMessage, RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { journaledRun, orchestrator, pipeline, tempDir } from '../test/helpers.js';
import { type JournalContents, readJournal, recoverRun } from './index.js';

async function finished() {
  const runner = orchestrator();
  const journaled = journaledRun(pipeline(), { dir: await tempDir() }, runner);
  const result = await journaled.run.result;
  await journaled.done;
  const contents = await readJournal(journaled.journal.path);
  return { ...journaled, runner, result, contents };
}

/** The journal as if the run had stopped after its first `count` events. */
function prefix(contents: JournalContents, count: number): JournalContents {
  const { result: _result, ...rest } = contents;
  return { ...rest, events: contents.events.slice(0, count), ended: false };
}

describe('recoverRun', () => {
  it('recovers a finished run: every task, every context, the last seq', async () => {
    const { contents, result, runner, live } = await finished();
    const recovered = recoverRun(contents);
    expect(recovered).toMatchObject({
      runId: contents.header.runId,
      workflow: contents.header.workflow,
      workflowHash: contents.header.workflowHash,
      ended: true,
      resumable: false,
      result,
      lastSeq: live.length - 1,
      inFlight: [],
      discardedMessages: 0,
    });
    const results = result.phases.flatMap((phase) => phase.results);
    expect(Object.keys(recovered.tasks).sort()).toEqual(results.map((task) => task.taskId).sort());
    for (const task of results) {
      const entry = recovered.tasks[task.taskId]!;
      expect(entry.state).toBe(task.status === 'succeeded' ? 'done' : 'ended');
      if (entry.state === 'in-flight') throw new Error('unreachable');
      const { status, response, usage, attempts, error } = task;
      // Through JSON, as the journal keeps it: keys whose value is undefined are left out.
      expect(entry.end).toMatchObject(
        JSON.parse(JSON.stringify({ status, response, usage, attempts, error })),
      );
    }
    expect(recovered.done.sort()).toEqual(
      results
        .filter((task) => task.status === 'succeeded')
        .map((task) => task.taskId)
        .sort(),
    );
    // Replaying the messages into contexts with the workflow's limit gives the run's histories.
    const limit = contents.header.workflow.config.maxContextHistory;
    for (const name of runner.getContextNames()) {
      const history = runner.getOrCreateContext(name).getHistory();
      expect((recovered.contexts[name] ?? []).slice(-limit)).toEqual(history);
    }
    expect(recovered.contexts.market).toHaveLength(6); // three tasks, trimmed to 3 in the context
  });

  it('recovers the run stopped after any event: done, in flight and contexts agree with the events', async () => {
    const { contents } = await finished();
    const tasks = new Map(
      contents.header.workflow.phases
        .flatMap((phase) => phase.tasks)
        .map((task) => [task.id, task]),
    );
    for (let count = 0; count < contents.events.length; count++) {
      const events = contents.events.slice(0, count);
      const recovered = recoverRun(prefix(contents, count));

      // Oracle: a succeeded end appends its prompt and answer to its task's context.
      const contexts: Record<string, EventMessage[]> = {};
      const started = new Set<string>();
      const done: string[] = [];
      for (const event of events) {
        if (event.type === 'task:start') started.add(event.taskId);
        if (event.type !== 'task:end') continue;
        started.delete(event.taskId);
        if (event.status !== 'succeeded') continue;
        done.push(event.taskId);
        const task = tasks.get(event.taskId)!;
        contexts[task.contextName] = [
          ...(contexts[task.contextName] ?? []),
          { role: 'user', content: task.prompt },
          { role: 'assistant', content: event.response! },
        ];
      }
      const tail = trailingMessages(events);
      expect(recovered.done, `after ${count} events`).toEqual(done);
      expect(recovered.inFlight, `after ${count} events`).toEqual([...started]);
      expect(recovered.contexts, `after ${count} events`).toEqual(contexts);
      expect(recovered.discardedMessages, `after ${count} events`).toBe(tail);
      expect(recovered.lastSeq).toBe(count - 1);
      expect(recovered.ended).toBe(false);
      for (const id of started) expect(recovered.tasks[id]).toMatchObject({ state: 'in-flight' });
    }
  });

  it('leaves out the messages of a task whose end was lost, and counts it in flight', async () => {
    const { contents } = await finished();
    const end = contents.events.findIndex(
      (event) => event.type === 'task:end' && event.status === 'succeeded',
    );
    const ended = contents.events[end]!;
    if (ended.type !== 'task:end') throw new Error('unreachable');
    const recovered = recoverRun(prefix(contents, end));
    expect(recovered.inFlight).toContain(ended.taskId);
    expect(recovered.tasks[ended.taskId]).toMatchObject({
      state: 'in-flight',
      start: { taskId: ended.taskId },
    });
    expect(recovered.discardedMessages).toBe(2);
    expect(Object.values(recovered.contexts).flat()).not.toContainEqual({
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
    const recovered = recoverRun({
      ...prefix(contents, at),
      events: [...contents.events.slice(0, at), ...rerun],
    });
    expect(recovered.tasks[end.taskId]).toMatchObject({ state: 'done' });
    expect(recovered.discardedMessages).toBe(2);
    const context = (start as { contextName: string }).contextName;
    expect(recovered.contexts[context]).toEqual(
      messages.map((event) => (event as { message: unknown }).message),
    );
  });
});

function trailingMessages(events: RunEvent[]): number {
  let count = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === 'context:message') count++;
    else if (event.type !== 'context:trim') break;
  }
  return count;
}
