import { defineProvider, type ProviderRequest } from '@multi-context/provider';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { limitRateInProcess } from './in-process-rate-limits.js';

function request(model: string | undefined): ProviderRequest {
  return {
    prompt: 'p',
    history: [],
    messages: [{ role: 'user', content: 'p' }],
    profile: 'default',
    model,
    system: undefined,
    taskId: 't',
    contextName: 'c',
    signal: new AbortController().signal,
  } as unknown as ProviderRequest;
}

describe('limitRateInProcess', () => {
  afterEach(() => vi.useRealTimers());

  it('starts at most `requests` calls in any window; the others wait for the window', async () => {
    vi.useFakeTimers({ now: 0 });
    const started: number[] = [];
    const inner = defineProvider({
      id: 'inner',
      complete: () => {
        started.push(Date.now());
        return 'ok';
      },
    });
    const limited = limitRateInProcess(inner, { requests: 2, perMs: 1000 });
    expect(limited.id).toBe('inner');
    const answers = Array.from({ length: 5 }, () =>
      lastValueFrom(limited.stream(request('m')).pipe(toArray())),
    );
    await vi.advanceTimersByTimeAsync(5000);
    await Promise.all(answers);
    expect(started).toEqual([0, 0, 1001, 1001, 2002]);
  });

  it('keeps one window per model with by: model', async () => {
    vi.useFakeTimers({ now: 0 });
    const started: string[] = [];
    const inner = defineProvider({
      id: 'inner',
      complete: (req) => {
        started.push(`${req.model}@${Date.now()}`);
        return 'ok';
      },
    });
    const limited = limitRateInProcess(inner, { requests: 1, perMs: 1000, by: 'model' });
    const answers = ['a', 'b', 'a'].map((model) => firstValueFrom(limited.stream(request(model))));
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(answers);
    expect(started).toEqual(['a@0', 'b@0', 'a@1001']);
  });

  it('drops a waiting call when it is unsubscribed, without calling the provider', async () => {
    vi.useFakeTimers({ now: 0 });
    let calls = 0;
    const inner = defineProvider({
      id: 'inner',
      complete: () => {
        calls += 1;
        return 'ok';
      },
    });
    const limited = limitRateInProcess(inner, { requests: 1, perMs: 1000 });
    await firstValueFrom(limited.stream(request(undefined)));
    const waiting = limited.stream(request(undefined)).subscribe();
    waiting.unsubscribe();
    await vi.advanceTimersByTimeAsync(3000);
    expect(calls).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
