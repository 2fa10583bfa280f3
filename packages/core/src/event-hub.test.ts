import type { RunEvent } from '@multi-context/events';
import { type Observer, Subscriber } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { EventHub } from './event-hub.js';

/** A subscriber from a partial observer (the rest does nothing). */
const subscriber = (observer: Partial<Observer<RunEvent>>): Subscriber<RunEvent> =>
  new Subscriber<RunEvent>({ next: () => {}, error: () => {}, complete: () => {}, ...observer });

const event = (seq: number) =>
  ({ type: 'phase:start', runId: 'r', seq, time: 0, phaseIndex: 0, phaseName: 'p' }) as RunEvent;

describe('EventHub', () => {
  it('delivers to every subscriber in order, and a subscriber added during a delivery sees only later events', () => {
    const hub = new EventHub();
    const late: number[] = [];
    const first: number[] = [];
    hub.add(
      subscriber({
        next: (e) => {
          first.push(e.seq);
          if (e.seq === 0) hub.add(subscriber({ next: (x) => late.push(x.seq) }));
        },
      }),
    );
    hub.next(event(0));
    hub.next(event(1));
    expect(first).toEqual([0, 1]);
    expect(late).toEqual([1]);
  });

  it('stops delivering to a removed subscriber, and tells late subscribers how the stream ended', () => {
    const hub = new EventHub();
    const seen: number[] = [];
    const remove = hub.add(subscriber({ next: (e) => seen.push(e.seq) }));
    hub.next(event(0));
    remove();
    hub.next(event(1));
    expect(seen).toEqual([0]);
    hub.complete();
    const complete = vi.fn();
    hub.add(subscriber({ complete }));
    expect(complete).toHaveBeenCalledOnce();

    const failed = new EventHub();
    failed.error(new Error('boom'));
    const error = vi.fn();
    failed.add(subscriber({ error }));
    expect(error).toHaveBeenCalledWith(new Error('boom'));
  });
});
