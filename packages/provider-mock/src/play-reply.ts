import {
  type ChatMessage,
  ProviderAbortError,
  type ProviderEvent,
  type ProviderFinishEvent,
  type ProviderToolCall,
} from '@multi-context/provider';
import type { Subscriber, TeardownLogic } from 'rxjs';
import { estimateUsage } from './estimate-tokens.js';
import { splitWords } from './split-words.js';

/** How one call plays out. */
export interface ReplyPlan {
  /** The answer, or a promise of it when a `reply` function is async. */
  text: string | PromiseLike<string>;
  /** What was sent, for the input token count. */
  messages: readonly ChatMessage[];
  stream: boolean;
  chunkSize: number;
  chunkDelayMs: number;
  latencyMs: number;
  /** Tool calls the answer makes: `tool-call` events just before `finish`. */
  toolCalls?: readonly ProviderToolCall[];
  /** Present when the call fails: how many pieces go out first, and the error it fails with. */
  failure: { afterChunks: number; error: () => Error } | undefined;
}

/**
 * Plays `plan` into `subscriber` and returns the teardown that stops it.
 *
 * Without latency or chunk delay everything happens synchronously during
 * subscribe and no timer is ever created: benchmarks run thousands of instant
 * tasks, and timers would then be most of what they measure. Any timer is
 * cleared as soon as the subscriber leaves or `signal` aborts.
 */
export function playReply(
  subscriber: Subscriber<ProviderEvent>,
  signal: AbortSignal,
  plan: ReplyPlan,
): TeardownLogic {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let listening = false;
  let stopped = false;

  const stop = (): void => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (listening) signal.removeEventListener('abort', onAbort);
    listening = false;
  };
  const fail = (error: unknown): void => {
    stop();
    subscriber.error(error);
  };
  const onAbort = (): void => fail(new ProviderAbortError(undefined, { cause: signal.reason }));

  // Nothing can abort a synchronous run except a subscriber reacting to an
  // event, which this catches; so the abort listener, which costs more than
  // the rest of an instant call, is only added once something waits.
  const halted = (): boolean => {
    if (stopped || subscriber.closed) return true;
    if (!signal.aborted) return false;
    onAbort();
    return true;
  };
  const listen = (): void => {
    if (listening) return;
    listening = true;
    signal.addEventListener('abort', onAbort, { once: true });
  };
  const wait = (ms: number, step: () => void): void => {
    listen();
    timer = setTimeout(() => {
      timer = undefined;
      step();
    }, ms);
  };

  const finish = (text: string): void => {
    const calls = plan.toolCalls;
    const event: ProviderFinishEvent = {
      type: 'finish',
      finishReason: calls === undefined ? 'stop' : 'tool-calls',
      usage: estimateUsage(plan.messages, text),
    };
    // A streamed finish leaves the text out, as real streaming providers do,
    // so consumers are tested on adding up the deltas themselves.
    if (!plan.stream) event.text = text;
    stop();
    for (const call of calls ?? []) {
      subscriber.next({
        type: 'tool-call',
        toolCallId: call.id,
        toolName: call.name,
        input: call.input,
      });
    }
    subscriber.next(event);
    subscriber.complete();
  };
  const end = (text: string): void =>
    plan.failure === undefined ? finish(text) : fail(plan.failure.error());

  const play = (text: string): void => {
    if (halted()) return;
    if (!plan.stream) {
      end(text);
      return;
    }
    const pieces = splitWords(text, plan.chunkSize);
    const failAt = plan.failure?.afterChunks ?? -1;
    const emitFrom = (start: number): void => {
      for (let index = start; index < pieces.length; index++) {
        if (index > start && plan.chunkDelayMs > 0) {
          wait(plan.chunkDelayMs, () => emitFrom(index));
          return;
        }
        // The error takes the place of the piece that would have come next.
        if (index === failAt) {
          fail(plan.failure!.error());
          return;
        }
        subscriber.next({ type: 'text-delta', text: pieces[index]! });
        if (halted()) return;
      }
      end(text);
    };
    emitFrom(0);
  };
  const begin = (text: string): void => {
    if (plan.latencyMs > 0) wait(plan.latencyMs, () => play(text));
    else play(text);
  };

  if (typeof plan.text === 'string') {
    begin(plan.text);
  } else {
    listen();
    plan.text.then(
      (text) => {
        if (stopped) return;
        if (typeof text === 'string') begin(text);
        else
          fail(
            new TypeError(`A mock provider's reply() resolved to ${typeof text}, not a string.`),
          );
      },
      (error: unknown) => {
        if (!stopped) fail(error);
      },
    );
  }
  return stop;
}
