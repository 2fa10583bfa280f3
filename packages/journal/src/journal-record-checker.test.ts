import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { journaledRun, linesOf, pipeline, tempDir } from '../test/helpers.js';
import {
  checkJournalRecords,
  JournalReadError,
  JournalRecordChecker,
  readJournal,
} from './index.js';

/** A finished real run's journal file: its header line and its event lines. */
let file: string;
let header: string;
let events: string[];

beforeAll(async () => {
  const journaled = journaledRun(pipeline(), { dir: await tempDir() });
  await journaled.run.result;
  await journaled.done;
  file = journaled.journal.path;
  [header, ...events] = linesOf(await readFile(file, 'utf8')) as [string, ...string[]];
});

function failure(run: () => unknown): JournalReadError {
  try {
    run();
  } catch (error) {
    if (JournalReadError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('checkJournalRecords', () => {
  it('reads records as readJournal reads the same lines, located where they are kept', async () => {
    const contents = checkJournalRecords('somewhere key 1', header, events);
    expect({ ...contents, path: file }).toEqual(await readJournal(file));
    expect(contents.path).toBe('somewhere key 1');
    expect(contents.ended).toBe(true);
  });

  it('refuses a gap, an event of another run and a bad header, naming the record', () => {
    expect(
      failure(() => checkJournalRecords('here', header, [events[0]!, events[2]!])),
    ).toMatchObject({
      code: 'seq-gap',
      path: 'here',
      line: 3,
    });
    const stranger = JSON.stringify({ ...JSON.parse(events[0]!), runId: 'other' });
    expect(failure(() => checkJournalRecords('here', header, [stranger]))).toMatchObject({
      code: 'wrong-run',
      line: 2,
    });
    expect(failure(() => checkJournalRecords('here', '{}', []))).toMatchObject({
      code: 'invalid-header',
      line: 1,
    });
  });
});

describe('JournalRecordChecker', () => {
  it('checks one record at a time and knows when the run ended', () => {
    const checker = new JournalRecordChecker('here');
    expect(failure(() => checker.event(events[0]!)).code).toBe('missing-header');
    expect(checker.header(header).runId).toBe(JSON.parse(header).runId);
    for (const text of events.slice(0, -1)) checker.event(text);
    expect(checker.ended).toBe(false);
    expect(checker.lastSeq).toBe(events.length - 2);
    expect(checker.event(events.at(-1)!).type).toBe('run:end');
    expect(checker.ended).toBe(true);
    expect(failure(() => checker.header(header)).code).toBe('invalid-header');
  });

  it('waits for a valid header after a bad one, and numbers records as they come', () => {
    const checker = new JournalRecordChecker('here');
    expect(failure(() => checker.header('not json'))).toMatchObject({
      code: 'invalid-header',
      line: 1,
    });
    // An event is not taken for the header because a header was tried before.
    expect(failure(() => checker.event(events[0]!)).code).toBe('missing-header');
    checker.header(header);
    checker.event(events[0]!);
    expect(failure(() => checker.event(events[0]!))).toMatchObject({ code: 'seq-gap', line: 3 });
    expect(() => new JournalRecordChecker('here').contents([])).toThrow(/no header record/);
  });
});
