import type { Provider, ProviderEvent, ProviderRequest } from '@multi-context/provider';
import type { ProviderRateLimit } from '@multi-context/workflow';
import { Observable } from 'rxjs';

/** The window of a limit that names none: a minute. */
const DEFAULT_WINDOW_MS = 60_000;

/** The start times of the calls in one window, oldest first. */
class SlidingWindow {
  readonly #starts: number[] = [];
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: ProviderRateLimit) {
    this.#limit = limit.requests;
    this.#windowMs = limit.perMs ?? DEFAULT_WINDOW_MS;
  }

  /** 0, with the start counted, when a call may start now; else how long until one may. */
  take(now: number): number {
    while (this.#starts.length > 0 && this.#starts[0]! <= now - this.#windowMs)
      this.#starts.shift();
    if (this.#starts.length < this.#limit) {
      this.#starts.push(now);
      return 0;
    }
    return Math.max(1, this.#starts[0]! + this.#windowMs - now + 1);
  }
}

/**
 * `provider` with its calls held to `limit` in this process: at most
 * `requests` calls start in any window of `perMs` (per model with `by:
 * 'model'`). A call over the limit waits (its subscription is pending) and
 * starts as soon as the window lets it; unsubscribing (a cancel, a timeout)
 * while it waits drops it without a call.
 */
export function limitRateInProcess(provider: Provider, limit: ProviderRateLimit): Provider {
  const windows = new Map<string, SlidingWindow>();
  const windowOf = (request: ProviderRequest) => {
    const key = limit.by === 'model' ? `model:${request.model ?? ''}` : 'all';
    let window = windows.get(key);
    if (window === undefined) {
      window = new SlidingWindow(limit);
      windows.set(key, window);
    }
    return window;
  };
  return {
    specificationVersion: provider.specificationVersion,
    id: provider.id,
    stream(request) {
      return new Observable<ProviderEvent>((subscriber) => {
        let inner: { unsubscribe(): void } | undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const attempt = () => {
          timer = undefined;
          const wait = windowOf(request).take(Date.now());
          if (wait > 0) timer = setTimeout(attempt, wait);
          else inner = provider.stream(request).subscribe(subscriber);
        };
        attempt();
        return () => {
          if (timer !== undefined) clearTimeout(timer);
          inner?.unsubscribe();
        };
      });
    },
  };
}
