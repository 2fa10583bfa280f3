import { Observable } from 'rxjs';
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
  return {
    specificationVersion: PROVIDER_SPECIFICATION_VERSION,
    id: definition.id,
    stream: (request) =>
      new Observable<ProviderEvent>((subscriber) => {
        const controller = new AbortController();
        const forward = () => controller.abort(request.signal.reason);
        if (request.signal.aborted) forward();
        else request.signal.addEventListener('abort', forward, { once: true });
        const signal = controller.signal;
        Promise.resolve()
          .then(() => {
            if (signal.aborted) throw new ProviderAbortError();
            return complete({ ...request, signal });
          })
          .then(
            (result) => {
              if (typeof result === 'string') {
                subscriber.next({ type: 'finish', text: result });
              } else if (result !== null && typeof result === 'object' && typeof result.text === 'string') {
                subscriber.next({ type: 'finish', text: result.text, usage: result.usage });
              } else {
                throw new TypeError(
                  `Provider "${definition.id}" complete() must return a string or { text, usage }.`,
                );
              }
              subscriber.complete();
            },
          )
          .catch((error: unknown) => subscriber.error(error));
        return () => {
          request.signal.removeEventListener('abort', forward);
          if (!subscriber.closed || !signal.aborted) controller.abort(new ProviderAbortError());
        };
      }),
  };
}
