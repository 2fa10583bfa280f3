import {
  defineProvider,
  type Provider,
  ProviderAbortError,
  type ProviderEvent,
  type ProviderRequest,
} from '@multi-context/provider';
import { Observable } from 'rxjs';
import { CallCounter, type MockCallStats } from './call-counter.js';
import { defaultMockReply } from './default-reply.js';
import { createInjectedFailure, isInjectedFailure } from './injected-failure.js';
import { jsonMockReply } from './json-reply.js';
import { latencyFor } from './latency-for.js';
import type { MockProviderOptions } from './mock-provider-options.js';
import { playReply } from './play-reply.js';
import { resolveOptions } from './resolve-options.js';
import { ScriptQueue } from './script-queue.js';

/** A {@link Provider} that answers offline, and tells how often it was called. */
export interface MockProvider extends Provider {
  /** A frozen snapshot of the calls so far (totals, per task id, per context). */
  getCalls(): MockCallStats;
}

/**
 * Creates the offline provider used for demos, tests and benchmarks: it answers
 * every request with a deterministic reply (or a scripted or computed one;
 * JSON that fits the schema for a task that declares structured output),
 * streamed in word pieces, with optional latency, pacing and failure injection.
 *
 * `stream(request)` is cold: nothing happens, and no call is counted, until it
 * is subscribed. Unsubscribing stops it at once; an aborted `request.signal`
 * makes it fail with `ProviderAbortError` and emit nothing more.
 *
 * @throws RangeError when an option is out of range (such as `failureRate: 2`).
 *
 * @example
 * import { lastValueFrom, toArray } from 'rxjs';
 *
 * const mock = createMockProvider({ script: { greeter: ['Hello there!', 'Hello again!'] } });
 * const events = await lastValueFrom(mock.stream(request).pipe(toArray()));
 * // [{ type: 'text-delta', text: 'Hello there!' }, { type: 'finish', finishReason: 'stop', usage }]
 */
export function createMockProvider(options: MockProviderOptions = {}): MockProvider {
  const resolved = resolveOptions(options);
  const calls = new CallCounter();
  const script = new ScriptQueue(options.script);

  // A failing call peeks at its scripted reply without using it up, so the retry gets it.
  const replyFor = (request: ProviderRequest, consume: boolean): string | Promise<string> => {
    const scripted = script.next(request.contextName, consume);
    if (scripted !== undefined) return scripted;
    if (resolved.reply === undefined) {
      return request.output === undefined ? defaultMockReply(request) : jsonMockReply(request);
    }
    const text = resolved.reply(request);
    if (
      typeof text === 'string' ||
      typeof (text as Partial<Promise<unknown>>)?.then === 'function'
    ) {
      return text;
    }
    throw new TypeError(`A mock provider's reply() must return a string, got ${typeof text}.`);
  };

  const stream = (request: ProviderRequest): Observable<ProviderEvent> =>
    new Observable<ProviderEvent>((subscriber) => {
      if (request.signal.aborted) {
        subscriber.error(new ProviderAbortError(undefined, { cause: request.signal.reason }));
        return;
      }
      const attempt = calls.record(request);
      const failing = isInjectedFailure(resolved, request, attempt);
      const failure = failing
        ? {
            afterChunks: resolved.failAfterChunks,
            error: () => {
              calls.recordFailure();
              return createInjectedFailure(resolved, request, attempt);
            },
          }
        : undefined;
      // An error before the first piece never shows the answer, so do not compute it.
      const needsText = !failing || (resolved.stream && resolved.failAfterChunks > 0);
      let text: string | Promise<string>;
      try {
        text = needsText ? replyFor(request, !failing) : '';
      } catch (error) {
        subscriber.error(error);
        return;
      }
      return playReply(subscriber, request.signal, {
        text,
        messages: request.messages,
        stream: resolved.stream,
        chunkSize: resolved.chunkSize,
        chunkDelayMs: resolved.chunkDelayMs,
        latencyMs: latencyFor(resolved, request, attempt),
        failure,
      });
    });

  return { ...defineProvider({ id: resolved.id, stream }), getCalls: () => calls.snapshot() };
}
