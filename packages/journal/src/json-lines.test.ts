import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { journaledRun, pipeline, tempDir } from '../test/helpers.js';
import { toJsonLines } from './json-lines.js';

const plain = (events: readonly unknown[]) =>
  events.map((event) => `${JSON.stringify(event)}\n`).join('');
const text = (buffers: Buffer[]) => Buffer.concat(buffers).toString('utf8');

describe('toJsonLines', () => {
  it('gives exactly JSON.stringify of each event, one per line, for a real run', async () => {
    const { run, live, done } = journaledRun(pipeline(), { dir: await tempDir() });
    await run.result;
    await done;
    expect(text(toJsonLines(live))).toBe(plain(live));
    expect(toJsonLines([])).toEqual([]);
  });

  it('splits long batches into chunks', () => {
    const events = Array.from(
      { length: 2500 },
      (_, seq): RunEvent => ({
        type: 'task:delta',
        runId: 'r',
        seq,
        time: 1,
        taskId: 't',
        text: `piece ${seq}`,
      }),
    );
    const buffers = toJsonLines(events);
    expect(buffers).toHaveLength(3);
    expect(text(buffers)).toBe(plain(events));
  });

  it('is not fooled by a look-alike boundary inside an event, or by an event whose first key is not type', () => {
    const start = {
      type: 'phase:start',
      runId: 'r',
      seq: 1,
      time: 2,
      phaseIndex: 0,
      phaseName: 'p',
    };
    // A nested array of objects whose first key is "type" shows the boundary pattern inside one event.
    const nested = {
      ...start,
      seq: 2,
      extra: [{ type: 'a' }, { type: 'b' }],
    } as unknown as RunEvent;
    const reordered = {
      runId: 'r',
      type: 'phase:end',
      seq: 3,
      time: 2,
      phaseIndex: 0,
      phaseName: 'p',
      status: 'succeeded',
    } as RunEvent;
    const quoted = { ...start, seq: 4, phaseName: '},{"type":"x' } as RunEvent;
    for (const events of [
      [start, nested],
      [start, reordered, start],
      [quoted, start, quoted],
      [nested, reordered],
    ]) {
      expect(text(toJsonLines(events as RunEvent[]))).toBe(plain(events));
    }
  });
});

describe('toJsonLines with text beyond ASCII', () => {
  it('gives the same lines whatever the characters, look-alikes included', () => {
    const event = (seq: number, phaseName: string): RunEvent => ({
      type: 'phase:start',
      runId: 'r',
      seq,
      time: 2,
      phaseIndex: 0,
      phaseName,
    });
    const lookAlike = {
      ...event(3, 'ü'),
      extra: [{ type: 'a' }, { type: 'b' }],
    } as unknown as RunEvent;
    for (const events of [
      [event(0, 'ünïcödé ✓'), event(1, 'plain'), event(2, '😀 \ud800')],
      [event(0, 'ascii'), lookAlike, event(4, 'é')],
      [event(0, 'ÿ'), event(1, '\u00e9},{"type":"')],
    ]) {
      expect(text(toJsonLines(events))).toBe(plain(events));
    }
  });
});
