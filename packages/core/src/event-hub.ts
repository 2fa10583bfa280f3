import type { RunEvent } from '@multi-context/events';
import type { Subscriber } from 'rxjs';
import type { EventReplay } from './event-replay.js';

/**
 * Delivers a run's events to every subscriber of its stream: a minimal hot
 * multicast. An rxjs Subject does the same with more work per event (an
 * error-context wrapper per call); a run emits four events per task, so the
 * difference shows on a wide phase. The subscriber list is copied on change,
 * so a subscriber that (un)subscribes during a delivery never disturbs it.
 * With a replay, a new subscriber first gets the events kept so far.
 */
export class EventHub {
  #subscribers: Subscriber<RunEvent>[] = [];
  #closed: { error: unknown } | 'complete' | undefined;
  readonly #replay: EventReplay | undefined;

  constructor(replay?: EventReplay) {
    this.#replay = replay;
  }

  /**
   * Adds a subscriber; returns what removes it. It gets the replay first, if
   * any; a late subscriber is then told how the stream ended.
   */
  add(subscriber: Subscriber<RunEvent>): () => void {
    if (this.#replay !== undefined) {
      this.#replay.replayTo(subscriber);
      if (subscriber.closed) return () => {};
    }
    const closed = this.#closed;
    if (closed !== undefined) {
      if (closed === 'complete') subscriber.complete();
      else subscriber.error(closed.error);
      return () => {};
    }
    this.#subscribers = [...this.#subscribers, subscriber];
    return () => {
      this.#subscribers = this.#subscribers.filter((s) => s !== subscriber);
    };
  }

  next(event: RunEvent): void {
    this.#replay?.record(event);
    const subscribers = this.#subscribers;
    for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(event);
  }

  complete(): void {
    this.#close('complete');
  }

  error(error: unknown): void {
    this.#close({ error });
  }

  #close(how: { error: unknown } | 'complete'): void {
    if (this.#closed !== undefined) return;
    this.#closed = how;
    const subscribers = this.#subscribers;
    this.#subscribers = [];
    for (const subscriber of subscribers) {
      if (how === 'complete') subscriber.complete();
      else subscriber.error(how.error);
    }
  }
}
