import { type FileHandle, open, readFile, writeFile } from 'node:fs/promises';
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
  JournalWriteError,
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

/** The prototype every FileHandle shares: spying on it makes the disk fail on cue. */
async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const probe = await open(path.join(dir, 'probe'), 'w');
  await probe.close();
  return Object.getPrototypeOf(probe) as FileHandle;
}

/** Collects unhandled rejections and uncaught exceptions until `stop()`. */
function unhandledErrors(): { stop(): Promise<unknown[]> } {
  const errors: unknown[] = [];
  const collect = (error: unknown) => errors.push(error);
  process.on('unhandledRejection', collect);
  process.on('uncaughtException', collect);
  return {
    async stop() {
      // Late rejections (a close after the failure, a timer's commit) surface within a few turns.
      await new Promise((resolve) => setTimeout(resolve, 20));
      process.off('unhandledRejection', collect);
      process.off('uncaughtException', collect);
      return errors;
    },
  };
}

/** Whether a write of these buffers carries an event of the second phase. */
const reachesSecondPhase = (buffers: readonly NodeJS.ArrayBufferView[]) =>
  buffers.some((buffer) =>
    Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength).includes('"phaseIndex":1'),
  );

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

  it('rejects done with a JournalWriteError when the folder cannot be made', async () => {
    const dir = await tempDir();
    const notADir = path.join(dir, 'file');
    await writeFile(notADir, 'not a folder');
    const { run, done } = journaledRun(pipeline(), { dir: notADir });
    const result = await run.result;
    const error = await done;
    expect(JournalWriteError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'io',
      path: path.join(notADir, run.runId, 'events.jsonl'),
    });
    expect((error as Error).message).toMatch(/Cannot write the journal .*ENOTDIR/);
    // The run itself is not disturbed by its journal failing.
    expect(result.totalTasks).toBe(6);
  });

  it('rejects done and flush() when the disk fails in the middle of the run', async () => {
    const dir = await tempDir();
    const fileHandle = await fileHandlePrototype(dir);
    const failure = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    const datasync = vi.spyOn(fileHandle, 'datasync').mockRejectedValueOnce(failure);
    try {
      const { run, journal, done } = journaledRun(pipeline(), { dir });
      await run.result;
      const error = await done;
      expect(JournalWriteError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'io', cause: failure });
      await expect(journal.flush()).rejects.toBe(error);
    } finally {
      datasync.mockRestore();
    }
  });

  it('writes every byte when the OS takes only part of each write', async () => {
    const dir = await tempDir();
    const fileHandle = await fileHandlePrototype(dir);
    const writev = fileHandle.writev;
    let shortWrites = 0;
    const spy = vi.spyOn(fileHandle, 'writev').mockImplementation(async function (
      this: FileHandle,
      buffers,
      position,
    ) {
      const first = buffers[0] as Buffer;
      if (buffers.length === 1 && first.length < 2) return writev.call(this, buffers, position);
      shortWrites++;
      // Part of the first buffer, or all of it and none of the rest.
      const taken = buffers.length > 1 ? first : first.subarray(0, first.length >> 1);
      return writev.call(this, [taken], position);
    });
    try {
      const { run, journal, live, done } = journaledRun(pipeline(), { dir });
      await run.result;
      expect(await done).toBeUndefined();
      expect(shortWrites).toBeGreaterThan(2);
      expect(await readJournal(journal.path)).toMatchObject({ events: live, truncated: false });
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps what was written when the disk fills up in the middle of the run', async () => {
    const dir = await tempDir();
    const fileHandle = await fileHandlePrototype(dir);
    const writev = fileHandle.writev;
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
    });
    let diskFull = false;
    // Like a disk that fills up: the write that reaches the second phase is
    // cut short, in the middle of a line, and every write after it fails.
    const spy = vi.spyOn(fileHandle, 'writev').mockImplementation(async function (
      this: FileHandle,
      buffers,
      position,
    ) {
      if (diskFull) throw full;
      if (!reachesSecondPhase(buffers)) return writev.call(this, buffers, position);
      diskFull = true;
      const first = buffers[0] as Buffer;
      return writev.call(this, [first.subarray(0, first.length - 10)], position);
    });
    const unhandled = unhandledErrors();
    try {
      const { run, journal, live, done } = journaledRun(pipeline(), { dir });
      const result = await run.result;
      const error = await done;
      expect(diskFull).toBe(true);
      expect(JournalWriteError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'io', path: journal.path, cause: full });
      expect((error as Error).message).toBe(
        `Cannot write the journal ${journal.path}: ${full.message}`,
      );
      await expect(journal.flush()).rejects.toBe(error);
      // The run itself went on to the end.
      expect(result.totalTasks).toBe(6);
      expect(live.at(-1)).toMatchObject({ type: 'run:end', result });

      // What was written stays readable: whole lines up to the torn one.
      const contents = await readJournal(journal.path);
      expect(contents).toMatchObject({ truncated: true, ended: false });
      expect(contents.events[0]?.type).toBe('run:start');
      expect(contents.events.length).toBeLessThan(live.length);
      expect(contents.events).toEqual(live.slice(0, contents.events.length));
    } finally {
      spy.mockRestore();
      expect(await unhandled.stop()).toEqual([]);
    }
  });

  it('keeps what was written when a sync fails in the middle of the run', async () => {
    const dir = await tempDir();
    const fileHandle = await fileHandlePrototype(dir);
    const writev = fileHandle.writev;
    const failure = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
    let secondPhaseWritten = false;
    let syncs = 0;
    const writeSpy = vi.spyOn(fileHandle, 'writev').mockImplementation(async function (
      this: FileHandle,
      buffers,
      position,
    ) {
      secondPhaseWritten ||= reachesSecondPhase(buffers);
      return writev.call(this, buffers, position);
    });
    // The sync after the second phase reached the file fails; the ones before succeed.
    const syncSpy = vi.spyOn(fileHandle, 'datasync').mockImplementation(async () => {
      syncs++;
      if (secondPhaseWritten) throw failure;
    });
    const unhandled = unhandledErrors();
    try {
      const { run, journal, live, done } = journaledRun(pipeline(), { dir });
      const result = await run.result;
      const error = await done;
      expect(JournalWriteError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'io', path: journal.path, cause: failure });
      expect((error as Error).message).toContain('EIO');
      await expect(journal.flush()).rejects.toBe(error);
      expect(result.totalTasks).toBe(6);
      expect(syncs).toBeGreaterThan(0);

      // Every write before the failure is whole in the file, and reads back.
      const contents = await readJournal(journal.path);
      expect(contents.truncated).toBe(false);
      expect(
        contents.events.some((event) => event.type === 'phase:start' && event.phaseIndex === 1),
      ).toBe(true);
      expect(contents.events).toEqual(live.slice(0, contents.events.length));
    } finally {
      writeSpy.mockRestore();
      syncSpy.mockRestore();
      expect(await unhandled.stop()).toEqual([]);
    }
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
