import { ProviderError } from '@multi-context/provider';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from './create-mock-provider.js';
import { deltas, record, testRequest } from './test-helpers.js';

/** Runs one call to its end and says how it ended. */
function outcome(mock: MockProvider, overrides: Parameters<typeof testRequest>[0] = {}) {
  const seen = record(mock.stream(testRequest(overrides)));
  return { ...seen, failed: seen.error !== undefined, events: seen.events };
}

describe('failure injection', () => {
  it('fails every call in failContexts with a retryable 500 that names the context', () => {
    const mock = createMockProvider({ failContexts: ['review'] });
    const failed = outcome(mock, { contextName: 'review', taskId: 't9' });
    expect(failed.events).toEqual([]);
    expect(ProviderError.isInstance(failed.error)).toBe(true);
    const error = failed.error as ProviderError;
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(error.providerId).toBe('mock');
    expect(error.message).toBe(
      'Injected failure: mock provider "mock" answered 500 for task "t9" in context "review" (attempt 1).',
    );
    expect(outcome(mock, { contextName: 'review', taskId: 't9' }).failed).toBe(true);
    expect(outcome(mock, { contextName: 'notes' }).completed).toBe(true);
    expect(mock.getCalls()).toMatchObject({ total: 3, failed: 2 });
  });

  it('fails every call for the tasks in failTasks', () => {
    const mock = createMockProvider({ failTasks: ['bad'] });
    expect(outcome(mock, { taskId: 'bad' }).failed).toBe(true);
    expect(outcome(mock, { taskId: 'good' }).failed).toBe(false);
  });

  it('fails the first failTimes attempts of a task in a run, then succeeds', () => {
    const mock = createMockProvider({ failTasks: ['flaky'], failTimes: 2 });
    const attempt = (runId: string, taskId = 'flaky') => outcome(mock, { runId, taskId });
    expect(attempt('run-1').failed).toBe(true);
    expect((attempt('run-1').error as ProviderError).message).toContain('(attempt 2)');
    expect(attempt('run-1').completed).toBe(true);
    expect(attempt('run-1').completed).toBe(true);
    // A new run starts counting again.
    expect(attempt('run-2').failed).toBe(true);
    expect(attempt('run-1', 'steady').completed).toBe(true);
    expect(mock.getCalls()).toEqual({
      total: 6,
      failed: 3,
      byTask: { flaky: 5, steady: 1 },
      byContext: { notes: 6 },
    });
  });

  it('applies failTimes alone to every task', () => {
    const mock = createMockProvider({ failTimes: 1 });
    expect(outcome(mock, { taskId: 'a' }).failed).toBe(true);
    expect(outcome(mock, { taskId: 'b' }).failed).toBe(true);
    expect(outcome(mock, { taskId: 'a' }).failed).toBe(false);
    expect(outcome(mock, { taskId: 'b' }).failed).toBe(false);
    const never = createMockProvider({ failContexts: ['notes'], failTimes: 0 });
    expect(outcome(never).failed).toBe(false);
  });

  it('draws failures at failureRate from seed, the same way every time', () => {
    const failing = (seed: number, order: number[]) => {
      const mock = createMockProvider({ failureRate: 0.3, seed });
      return order
        .filter((i) => outcome(mock, { taskId: `task-${i}` }).failed)
        .sort((a, b) => a - b);
    };
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    const forward = failing(42, ids);
    expect(forward.length).toBeGreaterThan(250);
    expect(forward.length).toBeLessThan(350);
    // Call order does not matter, the seed does.
    expect(failing(42, [...ids].reverse())).toEqual(forward);
    expect(failing(43, ids)).not.toEqual(forward);
  });

  it('draws again for each attempt, so a retry can succeed', () => {
    const mock = createMockProvider({ failureRate: 0.5, seed: 1 });
    const results = Array.from({ length: 20 }, () => outcome(mock, { taskId: 'same' }).failed);
    expect(results).toContain(true);
    expect(results).toContain(false);
  });

  it('never fails at rate 0 and always fails at rate 1', () => {
    const calm = createMockProvider({ failureRate: 0 });
    const broken = createMockProvider({ failureRate: 1 });
    for (let i = 0; i < 50; i++) {
      expect(outcome(calm, { taskId: `t${i}` }).failed).toBe(false);
      expect(outcome(broken, { taskId: `t${i}` }).failed).toBe(true);
    }
  });

  it('fails with the error that failure describes', () => {
    const mock = createMockProvider({
      id: 'offline',
      failContexts: ['notes'],
      failure: { status: 429, message: 'Slow down.', retryAfterMs: 2000 },
    });
    const error = outcome(mock).error as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect({ ...error, message: error.message }).toMatchObject({
      message: 'Slow down.',
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
      providerId: 'offline',
    });
  });

  it('makes the error retryable only for statuses a retry may cure, unless told', () => {
    const errorFor = (failure: { status?: number; retryable?: boolean }) =>
      outcome(createMockProvider({ failContexts: ['notes'], failure })).error as ProviderError;
    expect(errorFor({ status: 400 }).retryable).toBe(false);
    expect(errorFor({ status: 503 }).retryable).toBe(true);
    expect(errorFor({ retryable: false }).retryable).toBe(false);
    expect(errorFor({ status: 400, retryable: true }).retryable).toBe(true);
  });

  it('fails in the middle of a stream after failAfterChunks pieces', () => {
    const mock = createMockProvider({
      failContexts: ['notes'],
      failAfterChunks: 2,
      chunkSize: 1,
      script: { notes: 'one two three four' },
    });
    const failed = outcome(mock);
    expect(failed.events).toEqual([
      { type: 'text-delta', text: 'one' },
      { type: 'text-delta', text: ' two' },
    ]);
    expect(ProviderError.isInstance(failed.error)).toBe(true);
    expect(failed.completed).toBe(false);
  });

  it('puts the error in place of finish when failAfterChunks passes the last piece', () => {
    const mock = createMockProvider({
      failContexts: ['notes'],
      failAfterChunks: 99,
      chunkSize: 1,
      script: { notes: 'one two' },
    });
    const failed = outcome(mock);
    expect(deltas(failed.events)).toEqual(['one', ' two']);
    expect(failed.events.some((event) => event.type === 'finish')).toBe(false);
    expect(ProviderError.isInstance(failed.error)).toBe(true);
  });

  it('ignores failAfterChunks when not streaming', () => {
    const mock = createMockProvider({ stream: false, failContexts: ['notes'], failAfterChunks: 3 });
    const failed = outcome(mock);
    expect(failed.events).toEqual([]);
    expect(ProviderError.isInstance(failed.error)).toBe(true);
  });

  it('does not use up a scripted reply on a failed attempt', async () => {
    const mock = createMockProvider({
      failTasks: ['task-1'],
      failTimes: 1,
      failAfterChunks: 1,
      script: { notes: ['first answer', 'second answer'] },
    });
    const reply = async (taskId: string) =>
      deltas(await lastValueFrom(mock.stream(testRequest({ taskId })).pipe(toArray()))).join('');
    // The failed attempt shows the start of the reply it was going to give...
    expect(deltas(outcome(mock).events)).toEqual(['first answer']);
    // ...and the retry gives that same reply.
    expect(await reply('task-1')).toBe('first answer');
    expect(await reply('task-2')).toBe('second answer');
  });
});
