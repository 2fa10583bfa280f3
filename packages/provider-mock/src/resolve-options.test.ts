import { describe, expect, it } from 'vitest';
import { resolveOptions } from './resolve-options.js';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({});
    expect(resolved).toMatchObject({
      id: 'mock',
      reply: undefined,
      stream: true,
      chunkSize: 3,
      chunkDelayMs: 0,
      latencyMs: [0, 0],
      seed: 0,
      failureRate: 0,
      failTimes: undefined,
      failAfterChunks: 0,
      failure: {},
    });
    expect(resolved.failContexts.size).toBe(0);
    expect(resolved.failTasks.size).toBe(0);
  });

  it('turns a fixed latency into a range of one value', () => {
    expect(resolveOptions({ latencyMs: 25 }).latencyMs).toEqual([25, 25]);
    expect(resolveOptions({ latencyMs: [5, 9] }).latencyMs).toEqual([5, 9]);
  });

  it.each([
    [{ failureRate: 1.5 }, /failureRate/],
    [{ failureRate: -0.1 }, /failureRate/],
    [{ failureRate: Number.NaN }, /failureRate/],
    [{ chunkSize: 0 }, /chunkSize/],
    [{ chunkSize: 1.5 }, /chunkSize/],
    [{ chunkDelayMs: -1 }, /chunkDelayMs/],
    [{ latencyMs: -5 }, /latencyMs/],
    [{ latencyMs: [10, 5] as const }, /min <= max/],
    [{ failTimes: -1 }, /failTimes/],
    [{ failTimes: 0.5 }, /failTimes/],
    [{ failAfterChunks: -2 }, /failAfterChunks/],
    [{ seed: Number.POSITIVE_INFINITY }, /seed/],
  ])('rejects %o', (options, message) => {
    expect(() => resolveOptions(options)).toThrow(RangeError);
    expect(() => resolveOptions(options)).toThrow(message);
  });
});
