import { type FileHandle, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { journaledRun, pipeline, tempDir } from '../test/helpers.js';
import { JournalWriteError, readJournal } from './index.js';

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

describe('attachJournal when the disk fails', () => {
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
});
