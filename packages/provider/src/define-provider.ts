import { Observable } from 'rxjs';
import { isRequestAborted, LazyAbort, requestWithSignal } from './lazy-abort.js';
import {
  PROVIDER_SPECIFICATION_VERSION,
  type Provider,
  type ProviderEvent,
  type ProviderFinishEvent,
  type ProviderRequest,
  type ProviderSpecificationVersion,
  type ProviderToolCall,
  type ProviderUsage,
} from './provider.js';
import { ProviderAbortError } from './provider-error.js';

/**
 * What `complete` may resolve to: the answer, or the answer with its token
 * counts, or (specification v2) the tool calls the model made, with what it
 * said beside them (`text`, empty when left out).
 */
export type CompleteResult =
  | string
  | { text: string; usage?: ProviderUsage; toolCalls?: readonly ProviderToolCall[] }
  | { text?: string; usage?: ProviderUsage; toolCalls: readonly ProviderToolCall[] };

/** A {@link CompleteResult} in one shape (see {@link normalizeCompleteResult}). */
export interface NormalizedCompleteResult {
  text: string;
  usage?: ProviderUsage;
  /** Present only when the model made at least one call. */
  toolCalls?: readonly ProviderToolCall[];
}

const completeMarker = Symbol.for('multi-context.provider.complete');

/** What every definition may say beside its function. */
interface DefinitionBase {
  id: string;
  /**
   * The contract version the provider is written against: `v2` (the default)
   * may be sent tools; `v1` is sent text only (its host turns tool calls and
   * results in the history into words, and never gives it tools).
   */
  specificationVersion?: ProviderSpecificationVersion;
}

/** The easy form: one async function from a request to an answer. */
export interface CompleteProviderDefinition extends DefinitionBase {
  complete(request: ProviderRequest): Promise<CompleteResult> | CompleteResult;
}

/** The full form: an Observable of provider events (see {@link Provider}). */
export interface StreamProviderDefinition extends DefinitionBase {
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
  const specificationVersion = definition.specificationVersion ?? PROVIDER_SPECIFICATION_VERSION;
  if ('stream' in definition && typeof definition.stream === 'function') {
    const stream = definition.stream.bind(definition);
    return { specificationVersion, id: definition.id, stream };
  }
  const complete = (definition as CompleteProviderDefinition).complete.bind(definition);
  const provider: Provider = {
    specificationVersion,
    id: definition.id,
    stream: (request) =>
      new Observable<ProviderEvent>((subscriber) => {
        // complete() gets its own signal, so unsubscribing can abort it without
        // touching the caller's; it is made only if complete() reads it.
        const abort = new LazyAbort(() => request.signal);
        let settled = false;
        const finish = (result: CompleteResult) => {
          settled = true;
          let answer: NormalizedCompleteResult;
          try {
            answer = normalizeCompleteResult(result, definition.id);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const event of toolCallEvents(answer)) subscriber.next(event);
          subscriber.next(finishEvent(answer));
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
): NormalizedCompleteResult {
  if (typeof result === 'string') return { text: result };
  if (result !== null && typeof result === 'object') {
    const { text, usage, toolCalls } = result as {
      text?: unknown;
      usage?: ProviderUsage;
      toolCalls?: unknown;
    };
    const calls = toolCalls === undefined ? undefined : checkToolCalls(toolCalls, providerId);
    if (typeof text === 'string' || (text === undefined && calls !== undefined)) {
      const answer: NormalizedCompleteResult = { text: (text as string | undefined) ?? '' };
      if (usage !== undefined) answer.usage = usage;
      if (calls !== undefined && calls.length > 0) answer.toolCalls = calls;
      return answer;
    }
  }
  throw new TypeError(
    `Provider "${providerId}" complete() must return a string or { text, usage }.`,
  );
}

function checkToolCalls(value: unknown, providerId: string): readonly ProviderToolCall[] {
  const valid =
    Array.isArray(value) &&
    value.every(
      (call) =>
        call !== null &&
        typeof call === 'object' &&
        typeof (call as ProviderToolCall).id === 'string' &&
        typeof (call as ProviderToolCall).name === 'string',
    );
  if (!valid) {
    throw new TypeError(
      `Provider "${providerId}" complete() returned toolCalls that are not a list of { id, name, input }.`,
    );
  }
  return value as readonly ProviderToolCall[];
}

/** The `tool-call` events of an answer, as its `stream()` sends them before `finish`. */
export function toolCallEvents(answer: NormalizedCompleteResult): ProviderEvent[] {
  if (answer.toolCalls === undefined) return [];
  return answer.toolCalls.map((call) => ({
    type: 'tool-call',
    toolCallId: call.id,
    toolName: call.name,
    input: call.input ?? {},
  }));
}

/** The `finish` event of an answer. */
export function finishEvent(answer: NormalizedCompleteResult): ProviderFinishEvent {
  const event: ProviderFinishEvent = { type: 'finish', text: answer.text };
  if (answer.usage !== undefined) event.usage = answer.usage;
  if (answer.toolCalls !== undefined) event.finishReason = 'tool-calls';
  return event;
}
