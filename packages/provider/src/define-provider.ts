import { Observable } from 'rxjs';
import { isRequestAborted, LazyAbort, requestWithSignal } from './lazy-abort.js';
import {
  PROVIDER_SPECIFICATION_VERSION,
  type Provider,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
} from './provider.js';
import { ProviderAbortError } from './provider-error.js';

/** What `complete` may resolve to: the answer, or the answer with its token counts. */
export type CompleteResult = string | { text: string; usage?: ProviderUsage };

const completeMarker = Symbol.for('multi-context.provider.complete');

/** The easy form: one async function from a request to an answer. */
export interface CompleteProviderDefinition {
  id: string;
  complete(request: ProviderRequest): Promise<CompleteResult> | CompleteResult;
}

/** The full form: an Observable of provider events (see {@link Provider}). */
export interface StreamProviderDefinition {
  id: string;
  stream(request: ProviderRequest): Observable<ProviderEvent>;
}

/** Either form of provider definition. */
export type ProviderDefinition = CompleteProviderDefinition | StreamProviderDefinition;

/**
 * Turns a plain async function (or a stream function) into a {@link Provider}.
 *
 * With `complete`, the answer arrives as one `finish` event; the request's
 * `signal` is aborted when the caller unsubscribes, so pass it on to `fetch`.
 *
 * @example
 * const echo = defineProvider({ id: 'echo', complete: async ({ prompt }) => `heard: ${prompt}` });
 */
export function defineProvider(definition: ProviderDefinition): Provider {
  if ('stream' in definition && typeof definition.stream === 'function') {
    const stream = definition.stream.bind(definition);
    return { specificationVersion: PROVIDER_SPECIFICATION_VERSION, id: definition.id, stream };
  }
  const complete = (definition as CompleteProviderDefinition).complete.bind(definition);
  const provider: Provider = {
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    id: definition.id,
    stream: (request) =>
      new Observable<ProviderEvent>((subscriber) => {
        // complete() gets its own signal, so unsubscribing can abort it without
        // touching the caller's; it is made only if complete() reads it.
        const abort = new LazyAbort(() => request.signal);
        let settled = false;
        const finish = (result: CompleteResult) => {
          settled = true;
          let answer: { text: string; usage?: ProviderUsage };
          try {
            answer = normalizeCompleteResult(result, definition.id);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(
            answer.usage === undefined
              ? { type: 'finish', text: answer.text }
              : { type: 'finish', text: answer.text, usage: answer.usage },
          );
          subscriber.complete();
        };
        const fail = (error: unknown) => {
          settled = true;
          subscriber.error(error);
        };
        if (abort.aborted || isRequestAborted(request)) {
          fail(new ProviderAbortError());
          return;
        }
        try {
          const result = complete(requestWithSignal(request, abort));
          // A synchronous answer needs no promise, which keeps instant providers cheap.
          if (isThenable(result)) result.then(finish, fail);
          else finish(result);
        } catch (error) {
          fail(error);
        }
        return () => {
          // Unsubscribing before the answer came is how a caller aborts the call.
          if (!settled) abort.abort(new ProviderAbortError());
        };
      }),
  };
  // Lets a caller that knows this marker skip the Observable for a plain
  // function (see completeFunctionOf): the same call, a few microseconds cheaper.
  Object.defineProperty(provider, completeMarker, { value: complete });
  return provider;
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

/**
 * The `complete` function of a provider made by {@link defineProvider} from
 * one, or undefined. Calling it with a request is the same call `stream()`
 * would make, without the Observable around it; a scheduler running many
 * instant tasks uses it to save their cost. The result goes through
 * {@link normalizeCompleteResult}.
 */
export function completeFunctionOf(
  provider: Provider,
): ((request: ProviderRequest) => Promise<CompleteResult> | CompleteResult) | undefined {
  const complete = (provider as { [completeMarker]?: unknown })[completeMarker];
  return typeof complete === 'function'
    ? (complete as (request: ProviderRequest) => Promise<CompleteResult> | CompleteResult)
    : undefined;
}

/** Checks what `complete` returned and gives it one shape; throws a TypeError for anything else. */
export function normalizeCompleteResult(
  result: unknown,
  providerId: string,
): { text: string; usage?: ProviderUsage } {
  if (typeof result === 'string') return { text: result };
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as { text?: unknown }).text === 'string'
  ) {
    const { text, usage } = result as { text: string; usage?: ProviderUsage };
    return usage === undefined ? { text } : { text, usage };
  }
  throw new TypeError(
    `Provider "${providerId}" complete() must return a string or { text, usage }.`,
  );
}
