import type { RunEvent } from '@multi-context/events';
import { Observable, type Observer, Subscriber, type Subscription } from 'rxjs';
import type { EventHub } from './event-hub.js';

/** Called when a subscriber of a run's events throws. */
export type SubscriberErrorHandler = (error: unknown, event: RunEvent | undefined) => void;

/** The default: say so on the console and go on, since a listener's bug must not stop the run. */
export const reportSubscriberError: SubscriberErrorHandler = (error, event) => {
  console.error(
    `multi-context: an event subscriber threw${event ? ` on "${event.type}"` : ''}; the run goes on.`,
    error,
  );
};

// One-argument wrappers rather than one over `...args`: next is called for every event,
// and a rest parameter makes an array per call.
function guard<T>(
  fn: ((value: T) => void) | undefined,
  onError: SubscriberErrorHandler,
): ((value: T) => void) | undefined {
  if (fn === undefined) return undefined;
  return (value: T) => {
    try {
      fn(value);
    } catch (error) {
      onError(error, value as RunEvent | undefined);
    }
  };
}

/** For `error` and `complete`, which are not told of an event. */
function guardEnd<T extends unknown[]>(
  fn: ((...args: T) => void) | undefined,
  onError: SubscriberErrorHandler,
): ((...args: T) => void) | undefined {
  if (fn === undefined) return undefined;
  return (...args: T) => {
    try {
      fn(...args);
    } catch (error) {
      onError(error, undefined);
    }
  };
}

/**
 * A run's events as an Observable whose direct subscribers are isolated: a
 * subscriber that throws is reported to `onError` and never reaches the run or
 * the other subscribers. Operator chains (`events$.pipe(...)`) subscribe with
 * an rxjs Subscriber, which rxjs itself guards.
 */
export class RunEventStream extends Observable<RunEvent> {
  readonly #onError: SubscriberErrorHandler;

  constructor(hub: EventHub, onError: SubscriberErrorHandler) {
    super((subscriber) => hub.add(subscriber));
    this.#onError = onError;
  }

  override subscribe(
    observerOrNext?: Partial<Observer<RunEvent>> | ((value: RunEvent) => void) | null,
  ): Subscription {
    if (observerOrNext instanceof Subscriber || observerOrNext == null) {
      return super.subscribe(observerOrNext ?? undefined);
    }
    if (typeof observerOrNext === 'function') {
      return super.subscribe(guard(observerOrNext, this.#onError));
    }
    const observer = observerOrNext;
    return super.subscribe({
      next: guard(observer.next?.bind(observer), this.#onError),
      error: guardEnd(observer.error?.bind(observer), this.#onError),
      complete: guardEnd(observer.complete?.bind(observer), this.#onError),
    });
  }
}
