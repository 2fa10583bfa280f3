import type { RunEvent, RunEventOf, RunEventType } from '@multi-context/events';
import { EventEmitter } from 'eventemitter3';
import type { Observable } from 'rxjs';
import type { EventReplay } from './event-replay.js';
import type { SubscriberErrorHandler } from './event-stream.js';

/** Listener of `run.on(type, ...)`. */
export type RunEventListener<T extends RunEventType | '*'> = (
  event: T extends RunEventType ? RunEventOf<T> : RunEvent,
) => void;

type EmitterEvents = { [K in RunEventType]: [RunEventOf<K>] } & { '*': [RunEvent] };

type Guarded = (event: RunEvent) => void;

/**
 * The listeners of `run.on()`: an eventemitter3 facade over a run's events,
 * subscribed to them once, at the first listener. A listener that throws is
 * reported and disturbs nothing. With a replay, a listener added late first
 * gets the kept events of its type, as a late subscriber of `events$` does.
 */
export class RunListeners {
  readonly #events$: Observable<RunEvent>;
  readonly #onError: SubscriberErrorHandler;
  readonly #replay: EventReplay | undefined;
  #emitter: EventEmitter<EmitterEvents> | undefined;
  #guarded: Map<(event: never) => void, Guarded> | undefined;

  constructor(
    events$: Observable<RunEvent>,
    onError: SubscriberErrorHandler,
    replay: EventReplay | undefined,
  ) {
    this.#events$ = events$;
    this.#onError = onError;
    this.#replay = replay;
  }

  /** Adds `listener` for events of `type` (`'*'`: all), for the first one only when `once`. */
  add(type: RunEventType | '*', listener: (event: never) => void, once: boolean): void {
    const emitter = this.#emitterFor();
    const guarded = this.#guard(listener);
    if (this.#replay !== undefined) {
      // The emitter does not deliver events kept before it subscribed, so replay them here;
      // events emitted during the replay are read from the buffer too, so none is missed.
      const sink = {
        closed: false,
        next(event: RunEvent) {
          if (type !== '*' && event.type !== type) return;
          if (once) sink.closed = true;
          guarded(event);
        },
      };
      this.#replay.replayTo(sink);
      if (sink.closed) return;
    }
    if (once) emitter.once(type, guarded as never);
    else emitter.on(type, guarded as never);
  }

  /** Removes `listener` from events of `type`. */
  remove(type: RunEventType | '*', listener: (event: never) => void): void {
    const guarded = this.#guarded?.get(listener);
    if (guarded !== undefined) this.#emitter?.off(type, guarded as never);
  }

  #guard(listener: (event: never) => void): Guarded {
    this.#guarded ??= new Map();
    let guarded = this.#guarded.get(listener);
    if (guarded === undefined) {
      const onError = this.#onError;
      guarded = (event: RunEvent) => {
        try {
          (listener as Guarded)(event);
        } catch (error) {
          onError(error, event);
        }
      };
      this.#guarded.set(listener, guarded);
    }
    return guarded;
  }

  #emitterFor(): EventEmitter<EmitterEvents> {
    if (this.#emitter === undefined) {
      const emitter = new EventEmitter<EmitterEvents>();
      this.#emitter = emitter;
      this.#events$.subscribe((event) => {
        emitter.emit(event.type, event as never);
        emitter.emit('*', event);
      });
    }
    return this.#emitter;
  }
}
