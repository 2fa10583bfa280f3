import {
  defineProvider,
  type Provider,
  ProviderAbortError,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderToolCall,
} from '@multi-context/provider';
import { Observable } from 'rxjs';
import { CallCounter, type MockCallStats } from './call-counter.js';
import { defaultMockReply } from './default-reply.js';
import { createInjectedFailure, isInjectedFailure } from './injected-failure.js';
import { jsonMockReply } from './json-reply.js';
import { latencyFor } from './latency-for.js';
import type { MockProviderOptions, MockScriptedAnswer } from './mock-provider-options.js';
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
  const replyFor = (
    request: ProviderRequest,
    consume: boolean,
  ): string | Promise<string> | ToolAnswer => {
    const scripted = script.next(request.contextName, consume);
    if (scripted !== undefined) {
      return typeof scripted === 'string' ? scripted : toolAnswer(request, scripted);
    }
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
      let reply: string | Promise<string> | ToolAnswer;
      try {
        reply = needsText ? replyFor(request, !failing) : '';
      } catch (error) {
        subscriber.error(error);
        return;
      }
      const tools = reply instanceof ToolAnswer ? reply : undefined;
      return playReply(subscriber, request.signal, {
        text: tools === undefined ? (reply as string | Promise<string>) : tools.text,
        ...(tools === undefined ? {} : { toolCalls: tools.calls }),
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

/** A scripted answer that calls tools, with its calls' ids filled in. */
class ToolAnswer {
  constructor(
    readonly text: string,
    readonly calls: ProviderToolCall[],
  ) {}
}

function toolAnswer(
  request: ProviderRequest,
  answer: Exclude<MockScriptedAnswer, string>,
): ToolAnswer {
  // The step: tool-calling answers since the task's prompt (the last user message), plus one.
  const prompt = request.messages.findLastIndex((message) => message.role === 'user');
  const step =
    request.messages.slice(prompt + 1).filter((message) => message.toolCalls !== undefined).length +
    1;
  const calls = answer.toolCalls.map((call, index) => ({
    id: call.id ?? `${request.taskId}-${step}-${index}`,
    name: call.name,
    input: call.input ?? {},
  }));
  return new ToolAnswer(answer.text ?? '', calls);
}
