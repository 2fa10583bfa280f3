import { defineProvider, ProviderError } from '@multi-context/provider';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, workflow } from '../test/helpers.js';
import { DEFAULT_RETRY_POLICY, MultiContextOrchestrator, retryDelay } from './index.js';

const single = (taskCount = 1) =>
  workflow({
    name: 'w',
    phases: [
      {
        name: 'p',
        executionMode: 'parallel',
        tasks: Array.from({ length: taskCount }, (_, i) => ({
          contextName: `c${i}`,
          prompt: `q${i}`,
        })),
      },
    ],
  });

/** Fails the first `times` calls of each task with `error`, then answers. */
function flaky(times: number, error: () => Error) {
  const calls = new Map<string, number>();
  const provider = defineProvider({
    id: 'flaky',
    complete: async ({ taskId, prompt }) => {
      const n = (calls.get(taskId) ?? 0) + 1;
      calls.set(taskId, n);
      if (n <= times) throw error();
      return `ok ${prompt}`;
    },
  });
  return { provider, calls };
}

const fast = { initialDelayMs: 1, maxDelayMs: 4 };

describe('retries', () => {
  it('retries a retryable failure and counts attempts exactly', async () => {
    const { provider, calls } = flaky(
      2,
      () => new ProviderError({ message: 'overloaded', status: 503, retryable: true }),
    );
    const orchestrator = new MultiContextOrchestrator({ providers: { provider }, retry: fast });
    const run = orchestrator.run(single());
    const events = collect(run);
    const result = await run.result;
    expect(result.phases[0]!.results[0]).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      response: 'ok q0',
    });
    expect(calls.get('c0')).toBe(3);
    const retries = events.filter((e) => e.type === 'task:retry');
    expect(retries).toEqual([
      expect.objectContaining({
        taskId: 'c0',
        attempt: 2,
        error: { name: 'ProviderError', message: 'overloaded', status: 503, retryable: true },
      }),
      expect.objectContaining({ taskId: 'c0', attempt: 3 }),
    ]);
    // The context gets the prompt and the final answer once, not once per attempt.
    expect(orchestrator.getOrCreateContext('c0').getHistory()).toEqual([
      { role: 'user', content: 'q0' },
      { role: 'assistant', content: 'ok q0' },
    ]);
  });

  it('gives up after `retries` retries with the last error', async () => {
    const { provider, calls } = flaky(
      10,
      () => new ProviderError({ message: 'still down', status: 500, retryable: true }),
    );
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      retry: { ...fast, retries: 3 },
    });
    const result = await orchestrator.executeWorkflow(single());
    expect(result.phases[0]!.results[0]).toMatchObject({
      status: 'failed',
      attempts: 4,
      error: { message: 'still down' },
    });
    expect(calls.get('c0')).toBe(4);
  });

  it('fails at once on a non-retryable error or a plain Error', async () => {
    for (const error of [
      () => new ProviderError({ message: 'unauthorised', status: 401 }),
      () => new TypeError('bug'),
    ]) {
      const { provider, calls } = flaky(1, error);
      const result = await new MultiContextOrchestrator({
        providers: { provider },
        retry: fast,
      }).executeWorkflow(single());
      expect(result.phases[0]!.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
      expect(calls.get('c0')).toBe(1);
    }
  });

  it('waits what the server asks (retryAfterMs), up to the cap', async () => {
    const { provider } = flaky(
      1,
      () =>
        new ProviderError({ message: 'slow down', status: 429, retryable: true, retryAfterMs: 40 }),
    );
    const orchestrator = new MultiContextOrchestrator({ providers: { provider }, retry: fast });
    const run = orchestrator.run(single());
    const events = collect(run);
    const t0 = performance.now();
    await run.result;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(38);
    expect(events.find((e) => e.type === 'task:retry')).toMatchObject({ delayMs: 40, attempt: 2 });

    const capped = retryDelay({ ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 1000 }, 1, 120_000);
    expect(capped).toBe(1000);
  });

  it('computes exponential backoff with equal jitter', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, factor: 2, maxDelayMs: 1000 };
    expect(retryDelay(policy, 1, undefined, () => 0)).toBe(50);
    expect(retryDelay(policy, 1, undefined, () => 1)).toBe(100);
    expect(retryDelay(policy, 3, undefined, () => 0.5)).toBe(300);
    expect(retryDelay(policy, 10, undefined, () => 1)).toBe(1000);
  });

  it('lets a profile override the retry policy', async () => {
    const { provider, calls } = flaky(
      5,
      () => new ProviderError({ message: 'x', status: 500, retryable: true }),
    );
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      retry: fast,
      profiles: { once: { retry: { retries: 0 } } },
    });
    const wf = workflow({
      name: 'w',
      phases: [{ name: 'p', tasks: [{ contextName: 'a', prompt: 'q', profile: 'once' }] }],
    });
    const result = await orchestrator.executeWorkflow(wf);
    expect(result.phases[0]!.results[0]!.attempts).toBe(1);
    expect(calls.get('a')).toBe(1);
  });

  it('bounds each attempt with a timeout that aborts the call and is retried', async () => {
    const aborts: unknown[] = [];
    let calls = 0;
    const sleepy = defineProvider({
      id: 'sleepy',
      complete: ({ signal }) => {
        calls++;
        if (calls >= 2) return 'woke up';
        return new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => {
            aborts.push(signal.reason);
            reject(signal.reason);
          }),
        );
      },
    });
    const orchestrator = new MultiContextOrchestrator({
      providers: { sleepy },
      retry: fast,
      timeoutMs: 20,
    });
    const run = orchestrator.run(single());
    const events = collect(run);
    const result = await run.result;
    expect(result.phases[0]!.results[0]).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      response: 'woke up',
    });
    expect(aborts).toHaveLength(1);
    expect((aborts[0] as Error).name).toBe('TaskTimeoutError');
    expect(events.find((e) => e.type === 'task:retry')).toMatchObject({
      error: {
        name: 'TaskTimeoutError',
        message: 'The provider did not finish within 20 ms.',
        retryable: true,
      },
    });
  });

  it('a streaming provider that fails midway is retried and its partial text is not kept', async () => {
    let calls = 0;
    const cut = defineProvider({
      id: 'cut',
      stream: () =>
        new Observable((subscriber) => {
          calls++;
          subscriber.next({ type: 'text-delta', text: 'half' });
          if (calls === 1)
            subscriber.error(new ProviderError({ message: 'stream cut', retryable: true }));
          else {
            subscriber.next({ type: 'text-delta', text: ' and whole' });
            subscriber.complete();
          }
        }),
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { cut }, retry: fast });
    const run = orchestrator.run(single());
    const events = collect(run);
    const result = await run.result;
    expect(result.phases[0]!.results[0]!.response).toBe('half and whole');
    expect(events.map((e) => e.type)).toContain('task:retry');
  });

  it('cancelling during a retry wait ends the task cancelled without another attempt', async () => {
    const { provider, calls } = flaky(
      5,
      () => new ProviderError({ message: 'x', status: 500, retryable: true }),
    );
    const orchestrator = new MultiContextOrchestrator({
      providers: { provider },
      retry: { initialDelayMs: 10_000, maxDelayMs: 10_000 },
    });
    const run = orchestrator.run(single());
    run.on('task:retry', () => run.cancel('stop'));
    const t0 = performance.now();
    const result = await run.result;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(result.phases[0]!.results[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
    expect(calls.get('c0')).toBe(1);
  });
});
