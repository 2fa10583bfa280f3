import {
  defineProvider,
  PROVIDER_SPECIFICATION_VERSION,
  type Provider,
  type ProviderEvent,
  type ProviderRequest,
} from '@multi-context/provider';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { workflow } from '../test/helpers.js';
import {
  type AttemptRequest,
  inProcessExecutor,
  type ProviderEventSink,
} from './attempt-executor.js';
import { MultiContextOrchestrator, RunCancelledError } from './index.js';

const request: AttemptRequest = {
  prompt: 'hello',
  history: [],
  messages: [{ role: 'user', content: 'hello' }],
  profile: 'default',
  model: undefined,
  system: undefined,
  params: {},
  contextName: 'c',
  taskId: 't',
  runId: 'r',
  provider: 'p',
};

/** A sink that records what it is told, in order. */
function recorder() {
  const seen: (ProviderEvent | { end: 'complete' } | { end: 'error'; error: unknown })[] = [];
  const sink: ProviderEventSink = {
    next: (event) => seen.push(event),
    error: (error) => seen.push({ end: 'error', error }),
    complete: () => seen.push({ end: 'complete' }),
  };
  return { sink, seen };
}

describe('inProcessExecutor', () => {
  it('calls a complete() provider directly and reports its answer as a finish event', async () => {
    const got: ProviderRequest[] = [];
    const sync = defineProvider({
      id: 'sync',
      complete: (sent) => {
        got.push(sent);
        return `sync ${sent.prompt}`;
      },
    });
    const now = recorder();
    inProcessExecutor.execute(request, now.sink, sync);
    // A synchronous answer is reported before execute() returns.
    expect(now.seen).toEqual([{ type: 'finish', text: 'sync hello' }, { end: 'complete' }]);
    // The provider gets the request as sent (without the provider's name), with a signal.
    expect(got[0]).toMatchObject({ prompt: 'hello', taskId: 't', runId: 'r' });
    expect(got[0]!.signal.aborted).toBe(false);

    const usage = { inputTokens: 3, outputTokens: 2 };
    const later = recorder();
    const withUsage = defineProvider({ id: 'u', complete: async () => ({ text: 'ok', usage }) });
    inProcessExecutor.execute(request, later.sink, withUsage);
    expect(later.seen).toEqual([]);
    await Promise.resolve();
    expect(later.seen).toEqual([{ type: 'finish', text: 'ok', usage }, { end: 'complete' }]);
  });

  it('reports a provider that throws, rejects or answers something else as an error', async () => {
    const boom = new Error('boom');
    const cases: Provider[] = [
      defineProvider({
        id: 'throws',
        complete: () => {
          throw boom;
        },
      }),
      defineProvider({ id: 'rejects', complete: () => Promise.reject(boom) }),
      defineProvider({ id: 'odd', complete: async () => 42 as never }),
    ];
    const ends: unknown[] = [];
    for (const provider of cases) {
      const { sink, seen } = recorder();
      inProcessExecutor.execute(request, sink, provider);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(seen).toHaveLength(1);
      ends.push((seen[0] as { error: unknown }).error);
    }
    expect(ends.slice(0, 2)).toEqual([boom, boom]);
    expect(ends[2]).toBeInstanceOf(TypeError);
    expect((ends[2] as Error).message).toMatch(/"odd" complete\(\) must return a string/);
  });

  it('subscribes to a stream() provider and passes its events on in order', async () => {
    const streamed = defineProvider({
      id: 'stream',
      stream: () =>
        new Observable<ProviderEvent>((subscriber) => {
          subscriber.next({ type: 'text-delta', text: 'he' });
          subscriber.next({ type: 'text-delta', text: 'llo' });
          subscriber.next({ type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } });
          subscriber.next({ type: 'finish', finishReason: 'stop' });
          subscriber.complete();
        }),
    });
    const { sink, seen } = recorder();
    inProcessExecutor.execute(request, sink, streamed);
    expect(seen).toEqual([
      { type: 'text-delta', text: 'he' },
      { type: 'text-delta', text: 'llo' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
      { type: 'finish', finishReason: 'stop' },
      { end: 'complete' },
    ]);
  });

  it('abort() aborts the signal the provider was given, with the reason, and unsubscribes a stream', async () => {
    let direct: AbortSignal | undefined;
    const waiting = defineProvider({
      id: 'waits',
      complete: ({ signal }) => {
        direct = signal;
        return new Promise<string>(() => {});
      },
    });
    const reason = new Error('stop now');
    inProcessExecutor.execute(request, recorder().sink, waiting).abort(reason);
    expect(direct?.aborted).toBe(true);
    expect(direct?.reason).toBe(reason);

    let streamSignal: AbortSignal | undefined;
    let unsubscribed = false;
    const streaming: Provider = {
      specificationVersion: PROVIDER_SPECIFICATION_VERSION,
      id: 'streams',
      stream: (sent) =>
        new Observable<ProviderEvent>(() => {
          streamSignal = sent.signal;
          return () => {
            unsubscribed = true;
          };
        }),
    };
    const { sink, seen } = recorder();
    inProcessExecutor.execute(request, sink, streaming).abort(reason);
    expect([unsubscribed, streamSignal?.aborted, streamSignal?.reason]).toEqual([
      true,
      true,
      reason,
    ]);
    expect(seen).toEqual([]);
  });

  it('is stopped once it returns when the run was cancelled while it was still starting the call', async () => {
    // A stream that sends a piece at once: a task:delta listener cancels inside execute().
    let signal: AbortSignal | undefined;
    let unsubscribed = false;
    const eager: Provider = {
      specificationVersion: PROVIDER_SPECIFICATION_VERSION,
      id: 'eager',
      stream: (sent) =>
        new Observable<ProviderEvent>((subscriber) => {
          signal = sent.signal;
          subscriber.next({ type: 'text-delta', text: 'first' });
          expect(unsubscribed).toBe(false);
          return () => {
            unsubscribed = true;
          };
        }),
    };
    const run = new MultiContextOrchestrator({ providers: { eager } }).run(
      workflow({ name: 'w', phases: [{ name: 'p', tasks: [{ contextName: 'c', prompt: 'x' }] }] }),
    );
    run.on('task:delta', () => run.cancel('at the first piece'));
    const result = await run.result;
    expect(result.phases[0]!.results[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(unsubscribed).toBe(true);
    expect(RunCancelledError.isInstance(signal?.reason)).toBe(true);
  });
});
