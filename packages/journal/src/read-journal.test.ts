import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunEvent } from '@multi-context/events';
import { beforeAll, describe, expect, it } from 'vitest';
import { journaledRun, linesOf, pipeline, tempDir } from '../test/helpers.js';
import { JournalReadError, type JournalReadErrorCode, readJournal } from './index.js';

/** A finished real run's journal: its bytes, its lines and the events a live subscriber saw. */
let bytes: Buffer;
let lines: string[];
let live: RunEvent[];

beforeAll(async () => {
  const journaled = journaledRun(pipeline(), { dir: await tempDir() });
  await journaled.run.result;
  await journaled.done;
  bytes = await readFile(journaled.journal.path);
  lines = linesOf(bytes.toString('utf8'));
  live = journaled.live;
});

/** Writes `content` as a journal file of its own and reads it. */
async function readAs(content: string | Buffer) {
  const file = path.join(await tempDir(), 'events.jsonl');
  await writeFile(file, content);
  return { file, read: () => readJournal(file) };
}

async function expectReadError(
  content: string,
  code: JournalReadErrorCode,
  line: number | undefined,
) {
  const { file, read } = await readAs(content);
  const error = await read().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(JournalReadError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ code, path: file, line });
  return error as JournalReadError;
}

const header = () => JSON.parse(lines[0]!) as Record<string, unknown>;
const text = (all: string[]) => `${all.join('\n')}\n`;

describe('readJournal', () => {
  it('reads a journal cut at any byte up to its last whole record', async () => {
    // Where each line starts and where its newline is.
    const starts: number[] = [];
    const newlines: number[] = [];
    for (let at = 0; at < bytes.length; at = bytes.indexOf(10, at) + 1) {
      starts.push(at);
      newlines.push(bytes.indexOf(10, at));
    }
    // Every line boundary and its neighbours, plus offsets from a seeded generator (the rivals
    // prompt has multi-byte characters, so some cuts fall inside one).
    let seed = 20_240_605;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const cuts = new Set<number>([bytes.length]);
    for (const at of [...starts, ...newlines]) for (const d of [-1, 0, 1]) cuts.add(at + d);
    for (let i = 0; i < 150; i++) cuts.add(Math.floor(random() * bytes.length));

    for (const cut of [...cuts].filter((at) => at >= 0 && at <= bytes.length)) {
      const { read } = await readAs(bytes.subarray(0, cut));
      if (cut < newlines[0]!) {
        await expect(read(), `cut at ${cut}`).rejects.toMatchObject({
          code: 'missing-header',
          line: 1,
        });
        continue;
      }
      // Whole records: those whose text ends at or before the cut (a missing newline alone is no tear).
      const whole = newlines.filter((newline) => newline <= cut).length;
      const torn = starts.some((start, i) => start < cut && cut < newlines[i]!);
      const contents = await read();
      expect(contents.events, `cut at ${cut}`).toEqual(live.slice(0, whole - 1));
      expect(contents.truncated, `cut at ${cut}`).toBe(torn);
      expect(contents.ended, `cut at ${cut}`).toBe(whole - 1 === live.length);
    }
  });

  it('rejects a line in the middle that is not JSON, naming it', async () => {
    const broken = [...lines];
    broken[4] = broken[4]!.slice(0, 20);
    const error = await expectReadError(text(broken), 'corrupt-record', 5);
    expect(error.message).toMatch(/events\.jsonl:5: the line is not JSON\.$/);
  });

  it('rejects a torn line that is followed by more lines', async () => {
    const broken = [...lines.slice(0, 3), lines[3]!.slice(0, 30), ...lines.slice(4)];
    await expectReadError(text(broken), 'corrupt-record', 4);
  });

  it('rejects a JSON line that is not a run event', async () => {
    const broken = [...lines];
    broken[6] = JSON.stringify({ ...JSON.parse(broken[6]!), type: 'task:explode' });
    await expectReadError(text(broken), 'invalid-event', 7);
    broken[6] = JSON.stringify({ ...JSON.parse(lines[6]!), seq: 'six' });
    const error = await expectReadError(text(broken), 'invalid-event', 7);
    expect(error.message).toContain('at "seq"');
  });

  it('rejects a missing line (a seq that does not follow), a repeated one and a reordered pair', async () => {
    await expectReadError(text([...lines.slice(0, 5), ...lines.slice(6)]), 'seq-gap', 6);
    await expectReadError(text([...lines.slice(0, 6), lines[5]!, ...lines.slice(6)]), 'seq-gap', 7);
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    const error = await expectReadError(text(swapped), 'seq-gap', 4);
    expect(error.message).toContain('expected seq 2, found 3');
  });

  it('rejects an event of another run and an event after run:end', async () => {
    const foreign = [...lines];
    foreign[2] = JSON.stringify({ ...JSON.parse(foreign[2]!), runId: 'another' });
    await expectReadError(text(foreign), 'wrong-run', 3);
    const last = JSON.parse(lines.at(-1)!) as RunEvent;
    const after = JSON.stringify({ ...JSON.parse(lines[2]!), seq: last.seq + 1 });
    await expectReadError(text([...lines, after]), 'event-after-end', lines.length + 1);
    // Only a cancelled run may go on, with run:resume; this one failed.
    const resume = JSON.stringify({
      type: 'run:resume',
      runId: last.runId,
      seq: last.seq + 1,
      time: last.time,
      workflowName: 'Journal pipeline',
      recoveredTaskIds: [],
      interruptedTaskIds: [],
      recoveredContexts: [],
    });
    const error = await expectReadError(
      text([...lines, resume]),
      'event-after-end',
      lines.length + 1,
    );
    expect(error.message).toContain("follows the run's run:end (failed)");
  });

  it('rejects an unknown format version', async () => {
    const newer = [JSON.stringify({ ...header(), formatVersion: 2 }), ...lines.slice(1)];
    const error = await expectReadError(text(newer), 'unknown-format-version', 1);
    expect(error.message).toContain('format version 2');
  });

  it('rejects a workflow edited after the run (hash mismatch)', async () => {
    const edited = header();
    const workflow = edited.workflow as { phases: { tasks: { prompt: string }[] }[] };
    workflow.phases[0]!.tasks[0]!.prompt = 'Something else';
    const error = await expectReadError(
      text([JSON.stringify(edited), ...lines.slice(1)]),
      'workflow-hash-mismatch',
      1,
    );
    expect(error.message).toContain('the file was edited');
    // Re-ordering the header's keys changes nothing: the hash is of canonical JSON.
    const reordered = Object.fromEntries(Object.entries(header()).reverse());
    expect(
      (await (await readAs(text([JSON.stringify(reordered), ...lines.slice(1)]))).read()).events,
    ).toEqual(live);
  });

  it('rejects a missing, foreign or invalid header', async () => {
    await expectReadError('', 'missing-header', 1);
    await expectReadError(text(lines.slice(1)), 'invalid-header', 1);
    await expectReadError(
      text(['{"kind":"something-else"}', ...lines.slice(1)]),
      'invalid-header',
      1,
    );
    await expectReadError(text(['not json', ...lines.slice(1)]), 'invalid-header', 1);
    const noRunId = { ...header(), runId: undefined };
    await expectReadError(text([JSON.stringify(noRunId), ...lines.slice(1)]), 'invalid-header', 1);
    const badWorkflow = { ...header(), workflow: { name: 'w', phases: [] } };
    const error = await expectReadError(
      text([JSON.stringify(badWorkflow), ...lines.slice(1)]),
      'invalid-header',
      1,
    );
    expect(error.message).toContain("the header's workflow is not valid");
    for (const inputs of [['a'], { topic: { nested: true } }, 'tides', { rounds: null }]) {
      const badInputs = await expectReadError(
        text([JSON.stringify({ ...header(), inputs }), ...lines.slice(1)]),
        'invalid-header',
        1,
      );
      expect(badInputs.message).toContain('"inputs"');
    }
    const goodInputs = { ...header(), inputs: { topic: 'tides', rounds: 3, draft: true } };
    const read = await (await readAs(text([JSON.stringify(goodInputs), ...lines.slice(1)]))).read();
    expect(read.header.inputs).toEqual(goodInputs.inputs);
  });

  it('reports a file it cannot read', async () => {
    const missing = path.join(await tempDir(), 'nope.jsonl');
    await expect(readJournal(missing)).rejects.toMatchObject({
      code: 'unreadable-file',
      path: missing,
      line: undefined,
    });
  });
});
