import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { journaledRun, pipeline, tempDir } from '../test/helpers.js';
import { attachJournal, readJournal } from './index.js';

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

const umaskBefore = process.umask();
afterEach(() => {
  process.umask(umaskBefore);
});

describe.skipIf(process.platform === 'win32')('journal files are private', () => {
  it.each([0o022, 0o000, 0o002])(
    'makes every folder it creates 0700 and the file 0600, with umask %o',
    async (umask) => {
      process.umask(umask);
      const root = await tempDir();
      const dir = path.join(root, 'project', '.multi-context', 'runs');
      const { run, journal, done } = journaledRun(pipeline(), { dir });
      await run.result;
      expect(await done).toBeUndefined();
      const runDir = path.dirname(journal.path);
      for (const folder of [path.join(root, 'project'), path.dirname(dir), dir, runDir]) {
        expect((await modeOf(folder)).toString(8), folder).toBe('700');
      }
      expect((await modeOf(journal.path)).toString(8)).toBe('600');
      // The folder the journal folder was made in is not the journal's to change.
      expect((await modeOf(root)).toString(8)).toBe('700');
    },
  );

  it("leaves a folder it did not make as it was, and makes the run's own folder 0700", async () => {
    process.umask(0o022);
    const dir = path.join(await tempDir(), 'shared');
    await mkdir(dir);
    await chmod(dir, 0o755);
    const { run, journal, done } = journaledRun(pipeline(), { dir });
    await run.result;
    await done;
    expect((await modeOf(dir)).toString(8)).toBe('755');
    expect((await modeOf(path.dirname(journal.path))).toString(8)).toBe('700');
    expect((await modeOf(journal.path)).toString(8)).toBe('600');
  });

  it('makes a journal written before this private once it is appended to', async () => {
    process.umask(0o022);
    const source = journaledRun(pipeline(), { dir: await tempDir() });
    await source.run.result;
    await source.done;
    const cut = source.live.findIndex((event) => event.type === 'phase:end');

    // As an older version left it: 0644 in a 0755 folder, the run stopped after its first phase.
    const dir = await tempDir();
    const first = new Subject<RunEvent>();
    const older = attachJournal({ ...source.run, events$: first }, { dir });
    for (const event of source.live.slice(0, cut + 1)) first.next(event);
    first.complete();
    await older.done;
    await chmod(path.dirname(older.path), 0o755);
    await chmod(older.path, 0o644);

    const rest = new Subject<RunEvent>();
    const resumed = attachJournal({ ...source.run, events$: rest }, { dir, append: true });
    for (const event of source.live.slice(cut + 1)) rest.next(event);
    rest.complete();
    await resumed.done;
    expect((await readJournal(resumed.path)).events).toEqual(source.live);
    expect((await modeOf(path.dirname(resumed.path))).toString(8)).toBe('700');
    expect((await modeOf(resumed.path)).toString(8)).toBe('600');
  });
});
