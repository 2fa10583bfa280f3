import { ProviderAbortError, ProviderError } from '@multi-context/provider';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { deltas, record, testRequest } from './test-helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const paced = (extra: Parameters<typeof createMockProvider>[0] = {}) =>
  createMockProvider({
    chunkSize: 1,
    latencyMs: 100,
    chunkDelayMs: 10,
    script: { notes: 'a b c' },
    ...extra,
  });

describe('pacing', () => {
  it('creates no timer at all without latency or chunk delay', () => {
    const seen = record(createMockProvider().stream(testRequest()));
    expect(vi.getTimerCount()).toBe(0);
    expect(seen.completed).toBe(true);
  });

  it('waits latencyMs for the first piece and chunkDelayMs between pieces', () => {
    const seen = record(paced().stream(testRequest()));
    expect(seen.events).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(seen.events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(deltas(seen.events)).toEqual(['a']);
    vi.advanceTimersByTime(9);
    expect(deltas(seen.events)).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(deltas(seen.events)).toEqual(['a', ' b']);
    expect(seen.completed).toBe(false);
    vi.advanceTimersByTime(10);
    // finish follows the last piece at once.
    expect(seen.events.map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
      'finish',
    ]);
    expect(seen.completed).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits latencyMs before the single finish when not streaming', () => {
    const seen = record(paced({ stream: false }).stream(testRequest()));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(seen.events).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen.events).toMatchObject([{ type: 'finish', text: 'a b c' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('paces a mid-stream failure like the piece it replaces', () => {
    const seen = record(
      paced({ failContexts: ['notes'], failAfterChunks: 1 }).stream(testRequest()),
    );
    vi.advanceTimersByTime(100);
    expect(deltas(seen.events)).toEqual(['a']);
    expect(seen.error).toBeUndefined();
    vi.advanceTimersByTime(10);
    expect(ProviderError.isInstance(seen.error)).toBe(true);
    expect(deltas(seen.events)).toEqual(['a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('draws latency from [min, max] per call, deterministically', () => {
    const firstPieceAfter = (seed: number, taskId: string): number => {
      const mock = createMockProvider({ latencyMs: [50, 150], seed });
      const seen = record(mock.stream(testRequest({ taskId })));
      let elapsed = 0;
      while (seen.events.length === 0) {
        vi.advanceTimersByTime(1);
        elapsed++;
      }
      return elapsed;
    };
    const delays = Array.from({ length: 20 }, (_, i) => firstPieceAfter(9, `task-${i}`));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(50);
      expect(delay).toBeLessThanOrEqual(150);
    }
    expect(new Set(delays).size).toBeGreaterThan(10);
    expect(Array.from({ length: 20 }, (_, i) => firstPieceAfter(9, `task-${i}`))).toEqual(delays);
  });

  it('also works with real timers', async () => {
    vi.useRealTimers();
    const mock = createMockProvider({ chunkSize: 1, latencyMs: 5, chunkDelayMs: 2 });
    const started = performance.now();
    const events = await lastValueFrom(mock.stream(testRequest({ prompt: 'ok' })).pipe(toArray()));
    const pieces = deltas(events).length;
    expect(pieces).toBeGreaterThan(10);
    // At least the latency plus a delay between each two pieces.
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 + 2 * (pieces - 1) - 1);
  });
});

describe('cancellation', () => {
  it('fails with ProviderAbortError, without counting a call, when the signal is already aborted', () => {
    const controller = new AbortController();
    controller.abort('gone');
    const mock = createMockProvider();
    const seen = record(mock.stream(testRequest({ signal: controller.signal })));
    expect(seen.events).toEqual([]);
    expect(ProviderAbortError.isInstance(seen.error)).toBe(true);
    expect((seen.error as Error).cause).toBe('gone');
    expect(mock.getCalls().total).toBe(0);
  });

  it('stops its timer and fails with ProviderAbortError when aborted during latency', () => {
    const controller = new AbortController();
    const seen = record(paced().stream(testRequest({ signal: controller.signal })));
    vi.advanceTimersByTime(50);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
    expect(ProviderAbortError.isInstance(seen.error)).toBe(true);
    vi.advanceTimersByTime(1000);
    expect(seen.events).toEqual([]);
  });

  it('emits no more pieces once aborted mid-stream', () => {
    const controller = new AbortController();
    const seen = record(paced().stream(testRequest({ signal: controller.signal })));
    vi.advanceTimersByTime(110);
    expect(deltas(seen.events)).toEqual(['a', ' b']);
    controller.abort();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(deltas(seen.events)).toEqual(['a', ' b']);
    expect(seen.events).toHaveLength(2);
    expect(ProviderAbortError.isInstance(seen.error)).toBe(true);
    expect(seen.completed).toBe(false);
  });

  it('emits nothing more and clears its timer when unsubscribed mid-stream', () => {
    const controller = new AbortController();
    const signal = controller.signal;
    const removed = vi.spyOn(signal, 'removeEventListener');
    const seen = record(paced().stream(testRequest({ signal })));
    vi.advanceTimersByTime(100);
    expect(vi.getTimerCount()).toBe(1);
    seen.subscription.unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
    expect(removed).toHaveBeenCalledWith('abort', expect.any(Function));
    vi.advanceTimersByTime(1000);
    controller.abort();
    expect(seen.events).toHaveLength(1);
    expect(seen.error).toBeUndefined();
    expect(seen.completed).toBe(false);
  });

  it('stops at once when a subscriber aborts in reaction to a piece of an instant reply', () => {
    const controller = new AbortController();
    const mock = createMockProvider({ chunkSize: 1, script: { notes: 'a b c' } });
    const events: string[] = [];
    let error: unknown;
    mock.stream(testRequest({ signal: controller.signal })).subscribe({
      next: (event) => {
        events.push(event.type);
        controller.abort();
      },
      error: (caught: unknown) => {
        error = caught;
      },
    });
    expect(events).toEqual(['text-delta']);
    expect(ProviderAbortError.isInstance(error)).toBe(true);
  });

  it('drops an async reply that settles after an abort', async () => {
    vi.useRealTimers();
    let resolve!: (text: string) => void;
    const mock = createMockProvider({
      reply: () =>
        new Promise<string>((done) => {
          resolve = done;
        }),
    });
    const controller = new AbortController();
    const seen = record(mock.stream(testRequest({ signal: controller.signal })));
    controller.abort();
    resolve('too late');
    await new Promise((done) => setTimeout(done, 0));
    expect(seen.events).toEqual([]);
    expect(ProviderAbortError.isInstance(seen.error)).toBe(true);
  });
});
