import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { defineProvider } from './define-provider.js';
import { isProvider, PROVIDER_SPECIFICATION_VERSION, type ProviderRequest } from './provider.js';
import { ProviderAbortError } from './provider-error.js';

const request = (signal = new AbortController().signal): ProviderRequest => ({
  prompt: 'hi',
  history: [],
  messages: [{ role: 'user', content: 'hi' }],
  profile: 'p',
  model: undefined,
  system: undefined,
  params: {},
  contextName: 'c',
  taskId: 't',
  runId: 'r',
  signal,
});

describe('defineProvider', () => {
  it('turns complete() returning a string into one finish event', async () => {
    const echo = defineProvider({ id: 'echo', complete: async ({ prompt }) => `heard: ${prompt}` });
    expect(echo.id).toBe('echo');
    expect(echo.specificationVersion).toBe(PROVIDER_SPECIFICATION_VERSION);
    expect(isProvider(echo)).toBe(true);
    const events = await lastValueFrom(echo.stream(request()).pipe(toArray()));
    expect(events).toEqual([{ type: 'finish', text: 'heard: hi' }]);
  });

  it('passes usage through from { text, usage }, and accepts a synchronous result', async () => {
    const metered = defineProvider({
      id: 'm',
      complete: () => ({ text: 'x', usage: { inputTokens: 1, outputTokens: 2 } }),
    });
    const events = await lastValueFrom(metered.stream(request()).pipe(toArray()));
    expect(events).toEqual([
      { type: 'finish', text: 'x', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
  });

  it('is cold: complete() runs only on subscribe, once per subscription', async () => {
    let calls = 0;
    const p = defineProvider({ id: 'p', complete: () => `${++calls}` });
    const stream = p.stream(request());
    await Promise.resolve();
    expect(calls).toBe(0);
    await lastValueFrom(stream);
    await lastValueFrom(stream);
    expect(calls).toBe(2);
  });

  it('fails the stream with what complete() threw, and on a result of the wrong shape', async () => {
    const boom = defineProvider({
      id: 'b',
      complete: async () => {
        throw new Error('boom');
      },
    });
    await expect(lastValueFrom(boom.stream(request()))).rejects.toThrow('boom');
    const wrong = defineProvider({ id: 'w', complete: async () => 42 as never });
    await expect(lastValueFrom(wrong.stream(request()))).rejects.toThrow(
      'Provider "w" complete() must return a string or { text, usage }.',
    );
  });

  it('aborts the signal complete() got when the subscriber unsubscribes', async () => {
    let seen: AbortSignal | undefined;
    const hanging = defineProvider({
      id: 'h',
      complete: ({ signal }) => {
        seen = signal;
        return new Promise<string>(() => {});
      },
    });
    const subscription = hanging.stream(request()).subscribe();
    await new Promise((r) => setTimeout(r, 0));
    expect(seen?.aborted).toBe(false);
    subscription.unsubscribe();
    expect(seen?.aborted).toBe(true);
    expect(ProviderAbortError.isInstance(seen?.reason)).toBe(true);
  });

  it('forwards an abort of the request signal, and never calls complete() when already aborted', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const p = defineProvider({
      id: 'p',
      complete: ({ signal }) => {
        seen = signal;
        return new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
    });
    const done = lastValueFrom(p.stream(request(controller.signal)));
    await new Promise((r) => setTimeout(r, 0));
    controller.abort(new Error('stop'));
    await expect(done).rejects.toThrow('stop');
    expect(seen?.aborted).toBe(true);

    let called = false;
    const q = defineProvider({
      id: 'q',
      complete: () => {
        called = true;
        return 'x';
      },
    });
    await expect(lastValueFrom(q.stream(request(controller.signal)))).rejects.toSatisfy(
      ProviderAbortError.isInstance,
    );
    expect(called).toBe(false);
  });

  it('keeps a stream definition as it is', async () => {
    const { of } = await import('rxjs');
    const s = defineProvider({
      id: 's',
      stream: () => of({ type: 'text-delta' as const, text: 'a' }, { type: 'finish' as const }),
    });
    expect(await lastValueFrom(s.stream(request()).pipe(toArray()))).toEqual([
      { type: 'text-delta', text: 'a' },
      { type: 'finish' },
    ]);
  });
});
