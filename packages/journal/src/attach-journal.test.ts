import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type RunEvent, runEventSchema } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { Observable, Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { journaledRun, linesOf, orchestrator, pipeline, tempDir } from '../test/helpers.js';
import {
  attachJournal,
  hashWorkflow,
  JOURNAL_FORMAT_VERSION,
  type JournalableRun,
  journalPath,
  readJournal,
} from './index.js';

/** A run whose events the test emits by hand: stands for a run of core that stopped, or a resumed one. */
function scriptedRun(
  runId: string,
  from: JournalableRun,
): JournalableRun & { events: Subject<RunEvent> } {
  const events = new Subject<RunEvent>();
  return { runId, workflow: from.workflow, events$: events, events };
}

describe('attachJournal', () => {
  it('writes a header line, then every event as one JSON line', async () => {
    const dir = await tempDir();
    const workflow = pipeline();
    const { run, journal, live, done } = journaledRun(workflow, { dir });
    const result = await run.result;
    expect(await done).toBeUndefined();

    expect(journal.path).toBe(path.join(dir, run.runId, 'events.jsonl'));
    expect(journal.path).toBe(journalPath(run.runId, dir));
    const text = await readFile(journal.path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const [first, ...rest] = linesOf(text).map((line) => JSON.parse(line) as unknown);
    expect(first).toEqual({
      kind: 'multi-context-journal',
      formatVersion: JOURNAL_FORMAT_VERSION,
      runId: run.runId,
      workflowHash: hashWorkflow(workflow),
      workflow,
      createdAt: expect.any(Number),
    });
    expect(rest).toEqual(live);
    for (const event of rest) expect(runEventSchema.safeParse(event).success).toBe(true);
    expect(live.at(-1)).toMatchObject({ type: 'run:end', result });
    expect(live.some((event) => event.type === 'context:trim')).toBe(true);
    expect(result.failedTasks).toBe(1);
  });

  it("records the run's inputs in the header, and leaves them out when there are none", async () => {
    const dir = await tempDir();
    const inputs = { topic: 'tides', rounds: 3, draft: false };
    const { run, journal, done } = journaledRun(pipeline(), { dir, inputs });
    await run.result;
    await done;
    const contents = await readJournal(journal.path);
    expect(contents.header.inputs).toEqual(inputs);
    expect(JSON.parse(linesOf(await readFile(journal.path, 'utf8'))[0]!)).toMatchObject({ inputs });

    const plain = journaledRun(pipeline(), { dir });
    await plain.run.result;
    await plain.done;
    const header = JSON.parse(linesOf(await readFile(plain.journal.path, 'utf8'))[0]!) as object;
    expect(header).not.toHaveProperty('inputs');
  });

  it('reads back the very events a live subscriber saw', async () => {
    const dir = await tempDir();
    const { run, journal, live, done } = journaledRun(pipeline(), { dir });
    const result = await run.result;
    await done;
    const contents = await readJournal(journal.path);
    expect(contents.events).toEqual(live);
    expect(contents).toMatchObject({ ended: true, truncated: false, result });
  });

  it('writes the same journal without fsync', async () => {
    const dir = await tempDir();
    const { run, journal, live, done } = journaledRun(pipeline(), { dir, fsync: false });
    await run.result;
    expect(await done).toBeUndefined();
    expect((await readJournal(journal.path)).events).toEqual(live);
  });

  it('hands every event to the OS a turn after it, not only at task ends', async () => {
    const dir = await tempDir();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Streams one piece on a timer, then holds "Shorter" until released.
    const held = defineProvider({
      id: 'held',
      stream: ({ prompt }) =>
        new Observable((subscriber) => {
          setTimeout(() => {
            subscriber.next({ type: 'text-delta', text: 'partial' });
            const finish = () => {
              subscriber.next({ type: 'finish' });
              subscriber.complete();
            };
            if (prompt === 'Shorter') void gate.then(finish);
            else finish();
          }, 2);
        }),
    });
    const { run, journal, live, done } = journaledRun(pipeline(), { dir }, orchestrator(held));
    const heldDelta = (event: RunEvent) =>
      event.type === 'task:delta' && event.taskId === 'market-3';
    let written: RunEvent[] = [];
    await vi.waitFor(
      async () => {
        written = linesOf(await readFile(journal.path, 'utf8'))
          .slice(1)
          .map((line) => JSON.parse(line) as RunEvent);
        expect(written.some(heldDelta)).toBe(true);
      },
      { timeout: 5000, interval: 5 },
    );
    // Nothing was flushed by hand and the last event is a delta, yet it is in the file.
    expect(live.at(-1)).toSatisfy(heldDelta);
    expect(written).toEqual(live);
    release();
    await run.result;
    await done;
    expect((await readJournal(journal.path)).events).toEqual(live);
  });

  it('refuses to overwrite an existing journal', async () => {
    const dir = await tempDir();
    const first = journaledRun(pipeline(), { dir }, orchestrator(), 'same-id');
    await first.run.result;
    await first.done;
    const second = journaledRun(pipeline(), { dir }, orchestrator(), 'same-id');
    await second.run.result;
    expect(await second.done).toMatchObject({ code: 'journal-exists' });
    expect((await readJournal(first.journal.path)).events).toEqual(first.live);
  });

  it('refuses a run id that cannot name a folder', async () => {
    const dir = await tempDir();
    const { run, done } = journaledRun(pipeline(), { dir }, orchestrator(), '../escape');
    await run.result;
    expect(await done).toMatchObject({ code: 'invalid-run-id' });
  });

  it('reports a journal attached after the run started', async () => {
    const dir = await tempDir();
    const run = orchestrator().run(pipeline());
    await new Promise((resolve) => setTimeout(resolve, 1));
    const journal = attachJournal(run, { dir });
    const done = journal.done.catch((error: unknown) => error);
    await run.result;
    expect(await done).toMatchObject({ code: 'out-of-order' });
  });

  describe('with append', () => {
    /** The events of a whole real run, and a folder to journal them in. */
    async function recorded() {
      const dir = await tempDir();
      const { run, live, done } = journaledRun(pipeline(), { dir: await tempDir() });
      await run.result;
      await done;
      return { dir, run, live };
    }

    it('continues a journal whose run stopped, seq and all', async () => {
      const { dir, run, live } = await recorded();
      const cut = live.findIndex((event) => event.type === 'phase:start' && event.phaseIndex === 1);

      const before = scriptedRun(run.runId, run);
      const first = attachJournal(before, { dir });
      for (const event of live.slice(0, cut)) before.events.next(event);
      before.events.complete(); // the process died before run:end
      await first.done;
      expect(await readJournal(first.path)).toMatchObject({ ended: false });

      const after = scriptedRun(run.runId, run);
      const second = attachJournal(after, { dir, append: true });
      expect(second.path).toBe(first.path);
      for (const event of live.slice(cut)) after.events.next(event);
      after.events.complete();
      await second.done;

      const contents = await readJournal(first.path);
      expect(contents.events).toEqual(live);
      expect(contents).toMatchObject({ ended: true, truncated: false, result: await run.result });
      expect(linesOf(await readFile(first.path, 'utf8'))).toHaveLength(live.length + 1);
    });

    it('cuts off a torn last line before appending', async () => {
      const { dir, run, live } = await recorded();
      const before = scriptedRun(run.runId, run);
      const first = attachJournal(before, { dir });
      for (const event of live.slice(0, 5)) before.events.next(event);
      before.events.complete();
      await first.done;
      await writeFile(first.path, JSON.stringify(live[5]).slice(0, 17), { flag: 'a' });
      expect(await readJournal(first.path)).toMatchObject({ truncated: true });

      const after = scriptedRun(run.runId, run);
      const second = attachJournal(after, { dir, append: true });
      for (const event of live.slice(5)) after.events.next(event);
      after.events.complete();
      await second.done;
      expect(await readJournal(first.path)).toMatchObject({
        events: live,
        truncated: false,
        ended: true,
      });
    });

    it('adds the newline a whole last record was cut from', async () => {
      const { dir, run, live } = await recorded();
      const before = scriptedRun(run.runId, run);
      const first = attachJournal(before, { dir });
      for (const event of live.slice(0, 5)) before.events.next(event);
      before.events.complete();
      await first.done;
      const text = await readFile(first.path, 'utf8');
      await writeFile(first.path, text.slice(0, -1));

      const after = scriptedRun(run.runId, run);
      const second = attachJournal(after, { dir, append: true });
      for (const event of live.slice(5)) after.events.next(event);
      after.events.complete();
      await second.done;
      expect((await readJournal(first.path)).events).toEqual(live);
    });

    it('refuses a journal of another workflow, an ended run, a missing journal and a seq that does not follow', async () => {
      const { dir, run, live } = await recorded();
      const before = scriptedRun(run.runId, run);
      const first = attachJournal(before, { dir });
      for (const event of live.slice(0, 5)) before.events.next(event);
      before.events.complete();
      await first.done;

      const attempt = async (
        target: JournalableRun & { events: Subject<RunEvent> },
        events: RunEvent[],
      ) => {
        const writer = attachJournal(target, { dir, append: true });
        const done = writer.done.catch((error: unknown) => error);
        for (const event of events) target.events.next(event);
        target.events.complete();
        return done;
      };
      const otherWorkflow = scriptedRun(run.runId, { ...run, workflow: pipeline('Another name') });
      expect(await attempt(otherWorkflow, live.slice(5))).toMatchObject({
        code: 'journal-mismatch',
      });
      expect(await attempt(scriptedRun('nobody', run), live.slice(5))).toMatchObject({
        code: 'journal-missing',
      });
      expect(await attempt(scriptedRun(run.runId, run), live.slice(6))).toMatchObject({
        code: 'out-of-order',
      });
      expect((await readJournal(first.path)).events).toEqual(live.slice(0, 5));

      expect(await attempt(scriptedRun(run.runId, run), live.slice(5))).toBeUndefined();
      const ended = await attempt(scriptedRun(run.runId, run), []);
      expect(ended).toMatchObject({ code: 'run-ended' });
      expect((ended as Error).message).toContain('already ended (failed)');
    });
  });
});
