import type { RunEvent } from '@multi-context/events';
import { describe, expect, it } from 'vitest';
import { EventReplay, eventReplay, type ReplaySink } from './event-replay.js';

const event = (seq: number) =>
  ({ type: 'phase:start', runId: 'r', seq, time: 0, phaseIndex: 0, phaseName: 'p' }) as RunEvent;

/** A sink that records what it gets, calling `onEvent` on each. */
function sink(onEvent: (seq: number, self: ReplaySink & { closed: boolean }) => void = () => {}) {
  const seen: number[] = [];
  const self = {
    closed: false,
    next(e: RunEvent) {
      seen.push(e.seq);
      onEvent(e.seq, self);
    },
  };
  return { self, seen };
}

describe('EventReplay', () => {
  it('replays the newest `limit` events, however many came before', () => {
    const replay = new EventReplay(3);
    for (let seq = 0; seq < 100; seq++) replay.record(event(seq));
    const { self, seen } = sink();
    replay.replayTo(self);
    expect(seen).toEqual([97, 98, 99]);
  });

  it('delivers events recorded during a replay, without dropping any to compact', () => {
    const replay = new EventReplay(2);
    for (let seq = 0; seq < 4; seq++) replay.record(event(seq));
    let next = 4;
    const { self, seen } = sink((seq) => {
      // Ten more arrive while event 2 is replayed: far past twice the limit.
      if (seq === 2) for (let i = 0; i < 10; i++) replay.record(event(next++));
    });
    replay.replayTo(self);
    expect(seen).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('stops when the sink closes', () => {
    const replay = new EventReplay(Number.POSITIVE_INFINITY);
    for (let seq = 0; seq < 5; seq++) replay.record(event(seq));
    const { self, seen } = sink((seq, s) => {
      if (seq === 1) s.closed = true;
    });
    replay.replayTo(self);
    expect(seen).toEqual([0, 1]);
  });

  it('is made only for a replay option that asks for one', () => {
    expect(eventReplay(undefined)).toBeUndefined();
    expect(eventReplay(false)).toBeUndefined();
    expect(eventReplay(0)).toBeUndefined();
    expect(eventReplay(true)).toBeInstanceOf(EventReplay);
    expect(eventReplay(5)).toBeInstanceOf(EventReplay);
    expect(() => eventReplay(-1)).toThrowError(
      /replay must be true, false or a non-negative integer/,
    );
  });
});
