import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { ofType } from '@multi-context/events';
import { defineProvider } from '@multi-context/provider';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { journaledRun, linesOf, orchestrator, pipeline, tempDir } from '../test/helpers.js';
import { JournalReadError, journalPath, readJournal, replayJournal } from './index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function finishedRun() {
  const journaled = journaledRun(pipeline(), { dir: await tempDir() });
  await journaled.run.result;
  await journaled.done;
  return journaled;
}

/** A provider whose every call waits for the test to open its gate. */
function gatedProvider() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const provider = defineProvider({
    id: 'gated',
    complete: async ({ prompt }) => {
      await gate;
      if (prompt.includes('fail')) throw new Error('no');
      return `answer to ${prompt}`;
    },
  });
  return { provider, open };
}

describe('replayJournal', () => {
  it('emits the recorded events in order and completes, from a path or from contents', async () => {
    const { journal, live } = await finishedRun();
    expect(await lastValueFrom(replayJournal(journal.path).pipe(toArray()))).toEqual(live);
    const contents = await readJournal(journal.path);
    expect(await lastValueFrom(replayJournal(contents).pipe(toArray()))).toEqual(live);
  });

  it('works with subscribers written for live runs', async () => {
    const { run, journal } = await finishedRun();
    const ends = await lastValueFrom(
      replayJournal(journal.path).pipe(ofType('task:end'), toArray()),
    );
    const result = await run.result;
    // Parallel tasks end in the order they finish, so compare as sets.
    expect(ends.map((end) => `${end.taskId}:${end.status}`).sort()).toEqual(
      result.phases
        .flatMap((phase) => phase.results.map((task) => `${task.taskId}:${task.status}`))
        .sort(),
    );
  });

  it('errors with the JournalReadError of a damaged journal, emitting nothing', async () => {
    const { journal } = await finishedRun();
    const lines = linesOf(await readFile(journal.path, 'utf8'));
    lines[3] = '{ torn';
    await writeFile(journal.path, `${lines.join('\n')}\n`);
    const seen: RunEvent[] = [];
    const error = await new Promise((resolve) =>
      replayJournal(journal.path).subscribe({ next: (event) => seen.push(event), error: resolve }),
    );
    expect(JournalReadError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'corrupt-record', line: 4 });
    expect(seen).toEqual([]);
  });

  describe('with follow', () => {
    it('sees the events written after it started, and completes at run:end', async () => {
      const dir = await tempDir();
      const { provider, open } = gatedProvider();
      const { run, journal, live, done } = journaledRun(
        pipeline(),
        { dir },
        orchestrator(provider),
      );
      await journal.flush();
      const before = (await readJournal(journal.path)).events.length;

      const followed = lastValueFrom(
        replayJournal(journal.path, { follow: true, pollIntervalMs: 5 }).pipe(toArray()),
      );
      await sleep(20);
      open();
      await run.result;
      await done;
      expect(await followed).toEqual(live);
      // The follow began with the tasks still held: most of what it saw came later.
      expect(before).toBeLessThan(live.length / 2);
    });

    it('waits for a journal that does not exist yet', async () => {
      const dir = await tempDir();
      const followed = lastValueFrom(
        replayJournal(journalPath('later', dir), { follow: true, pollIntervalMs: 5 }).pipe(
          toArray(),
        ),
      );
      await sleep(20);
      const { run, live, done } = journaledRun(pipeline(), { dir }, orchestrator(), 'later');
      await run.result;
      await done;
      expect(await followed).toEqual(live);
    });

    it('holds back a line until it is whole, and stops tailing when unsubscribed', async () => {
      const { journal, live } = await finishedRun();
      const lines = linesOf(await readFile(journal.path, 'utf8'));
      const partial = path.join(path.dirname(journal.path), 'partial.jsonl');
      await writeFile(partial, `${lines.slice(0, 4).join('\n')}\n${lines[4]!.slice(0, 25)}`);

      const seen: RunEvent[] = [];
      let completed = false;
      const subscription = replayJournal(partial, { follow: true, pollIntervalMs: 5 }).subscribe({
        next: (event) => seen.push(event),
        complete: () => {
          completed = true;
        },
      });
      await vi.waitFor(() => expect(seen).toEqual(live.slice(0, 3)), { timeout: 5000 });
      await sleep(30); // several polls: the torn line is held back
      expect(seen).toEqual(live.slice(0, 3));
      await appendFile(partial, `${lines[4]!.slice(25)}\n${lines[5]}\n`);
      await vi.waitFor(() => expect(seen).toEqual(live.slice(0, 5)), { timeout: 5000 });

      subscription.unsubscribe();
      await appendFile(partial, `${lines.slice(6).join('\n')}\n`);
      await sleep(30);
      expect(seen).toEqual(live.slice(0, 5));
      expect(completed).toBe(false);
    });

    it('errors when a line it reads breaks the journal', async () => {
      const { journal } = await finishedRun();
      const lines = linesOf(await readFile(journal.path, 'utf8'));
      await writeFile(journal.path, `${lines.slice(0, 3).join('\n')}\n{"not":"an event"}\n`);
      const error = await new Promise((resolve) =>
        replayJournal(journal.path, { follow: true, pollIntervalMs: 5 }).subscribe({
          error: resolve,
        }),
      );
      expect(error).toMatchObject({ code: 'invalid-event', line: 4 });
    });
  });
});
