import type { RunEvent } from '@multi-context/events';
import { OrchestratorConfigError } from './orchestrator-config-error.js';

/**
 * How much of a run a late subscriber of `events$` gets first: `true` every
 * event so far, a number `n` the newest `n`, `false` or `0` none (the default:
 * `events$` is then hot, and a late subscriber sees only what comes after).
 */
export type ReplayOption = boolean | number;

/** What a replay is delivered to: an rxjs Subscriber, or a listener of `run.on()`. */
export interface ReplaySink {
  readonly closed: boolean;
  next(event: RunEvent): void;
}

/**
 * The events a run keeps for late subscribers, when its `replay` option asks
 * for it: the newest `limit` (all, for `Infinity`). Only such a run pays for
 * it, with one array push per event.
 */
export class EventReplay {
  readonly #limit: number;
  #events: RunEvent[] = [];
  /** How many events were let go: the run-wide index of `#events[0]`. */
  #dropped = 0;
  /** Replays in progress: the buffer is not compacted under them. */
  #replaying = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Keeps an event, before it is delivered to the live subscribers. */
  record(event: RunEvent): void {
    const events = this.#events;
    events.push(event);
    // Compacting once the buffer holds twice the limit keeps recording O(1) amortised.
    if (events.length > 2 * this.#limit && this.#replaying === 0) {
      const excess = events.length - this.#limit;
      this.#events = events.slice(excess);
      this.#dropped += excess;
    }
  }

  /**
   * Delivers the kept events to `subscriber`, oldest first, and the ones
   * emitted while it does (a subscriber may cancel the run as it replays),
   * so that once it returns the subscriber can join the live ones in order.
   * Stops when the subscriber unsubscribes.
   */
  replayTo(subscriber: ReplaySink): void {
    this.#replaying++;
    try {
      let index = Math.max(0, this.#events.length - this.#limit) + this.#dropped;
      while (!subscriber.closed && index < this.#dropped + this.#events.length) {
        subscriber.next(this.#events[index - this.#dropped]!);
        index++;
      }
    } finally {
      this.#replaying--;
    }
  }
}

/** The replay a run's `replay` option asks for, or undefined for none. */
export function eventReplay(option: ReplayOption | undefined): EventReplay | undefined {
  if (option === undefined || option === false || option === 0) return undefined;
  if (option === true) return new EventReplay(Number.POSITIVE_INFINITY);
  if (typeof option === 'number' && Number.isInteger(option) && option > 0) {
    return new EventReplay(option);
  }
  throw new OrchestratorConfigError(
    `replay must be true, false or a non-negative integer (the newest events kept), got ${typeof option === 'string' ? JSON.stringify(option) : String(option)}.`,
  );
}
