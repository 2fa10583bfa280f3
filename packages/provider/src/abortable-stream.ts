import { Observable } from 'rxjs';
import { ProviderAbortError, ProviderError } from './provider-error.js';

/**
 * Makes a cold Observable from one async producer and ties both ways of
 * stopping it to a single AbortController: the request's `signal` and an
 * unsubscribe each abort the signal handed to `produce`, which passes it on to
 * the HTTP client so the connection is closed.
 *
 * SDK streams end quietly when their signal aborts, so a producer that returns
 * after an abort still ends the Observable with a {@link ProviderAbortError}
 * rather than a truncated success; so does a producer that fails after an
 * abort, whatever it throws. Otherwise a {@link ProviderError} that
 * `produce` throws passes through as it is, and anything else goes through
 * `toError` (map it onto a `ProviderError` there).
 *
 * @example
 * const provider = defineProvider({
 *   id: 'my-api',
 *   stream: (request) =>
 *     abortableStream<ProviderEvent>(
 *       request.signal,
 *       async (signal, emit) => {
 *         const response = await fetch(url, { method: 'POST', body, signal });
 *         for await (const text of readDeltas(response)) emit({ type: 'text-delta', text });
 *         emit({ type: 'finish' });
 *       },
 *       (error) => toMyProviderError(error),
 *     ),
 * });
 */
export function abortableStream<T>(
  requestSignal: AbortSignal,
  produce: (signal: AbortSignal, emit: (value: T) => void) => Promise<void>,
  toError: (error: unknown) => Error,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    const forward = () => controller.abort(requestSignal.reason);
    if (requestSignal.aborted) forward();
    else requestSignal.addEventListener('abort', forward, { once: true });
    const { signal } = controller;

    Promise.resolve()
      .then(() => {
        if (signal.aborted) throw new ProviderAbortError();
        // Nothing more reaches the subscriber once the call is aborted.
        return produce(signal, (value) => {
          if (!signal.aborted) subscriber.next(value);
        });
      })
      .then(() => {
        if (signal.aborted) throw new ProviderAbortError();
        subscriber.complete();
      })
      .catch((error: unknown) => {
        // Once aborted, whatever the producer ends with is the abort's doing.
        if (ProviderAbortError.isInstance(error)) subscriber.error(error);
        else if (signal.aborted)
          subscriber.error(new ProviderAbortError(undefined, { cause: error }));
        else if (ProviderError.isInstance(error)) subscriber.error(error);
        else subscriber.error(toError(error));
      });

    return () => {
      requestSignal.removeEventListener('abort', forward);
      controller.abort(new ProviderAbortError());
    };
  });
}
