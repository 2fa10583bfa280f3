import { defineProvider, ProviderError } from '@multi-context/provider';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, contentPipeline, deferred, workflow } from '../test/helpers.js';
import { MultiContextOrchestrator } from './index.js';

const failingOn = (contexts: string[], error: () => Error) =>
  defineProvider({
    id: 'failing',
    complete: async ({ contextName, prompt }) => {
      if (contexts.includes(contextName)) throw error();
      return prompt;
    },
  });

describe('task failures', () => {
  it('fails only the task that failed; siblings and later phases go on (continue_on_error: true)', async () => {
    const provider = failingOn(
      ['technical_research'],
      () => new ProviderError({ message: 'bad request', status: 400 }),
    );
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    const run = orchestrator.run(contentPipeline());
    const events = collect(run);
    const result = await run.result;
    expect(result.status).toBe('failed');
    expect(result.success).toBe(false);
    expect(result.failedTasks).toBe(1);
    expect(result.successfulTasks).toBe(8);
    const [market, technical] = result.phases[0]!.results;
    expect(market!.status).toBe('succeeded');
    expect(technical).toMatchObject({
      status: 'failed',
      success: false,
      attempts: 1,
      error: { name: 'ProviderError', message: 'bad request', status: 400, retryable: false },
    });
    expect(technical!.response).toBeUndefined();
    expect(result.phases.map((p) => p.status)).toEqual([
      'failed',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(
      events.filter((e) => e.type === 'phase:end').map((e) => (e as { status: string }).status),
    ).toEqual(['failed', 'succeeded', 'succeeded', 'succeeded']);
    // A failed task leaves its context untouched.
    expect(orchestrator.getOrCreateContext('technical_research').getHistory()).toEqual([]);
  });

  it('starts no phase after a failed one with continue_on_error: false; its tasks are skipped', async () => {
    const provider = failingOn(['content_writer'], () => new Error('writer broke'));
    const orchestrator = new MultiContextOrchestrator({ providers: { provider } });
    const run = orchestrator.run(contentPipeline({ continueOnError: false }));
    const events = collect(run);
    const result = await run.result;
    expect(result.status).toBe('failed');
    // The failed phase finishes: its sequential sibling still runs.
    expect(result.phases[1]!.results.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect(result.phases[2]!.status).toBe('skipped');
    expect(result.phases[3]!.status).toBe('skipped');
    for (const skipped of [...result.phases[2]!.results, ...result.phases[3]!.results]) {
      expect(skipped).toMatchObject({
        status: 'skipped',
        success: false,
        attempts: 0,
        error: {
          name: 'TaskSkippedError',
          message:
            'Skipped: task "content_writer" in phase "Writing" failed and continue_on_error is false.',
        },
      });
    }
    expect(result.failedTasks).toBe(1);
    expect(result.successfulTasks).toBe(4);
    // Skipped tasks never start, but every task ends exactly once in the stream.
    const started = events
      .filter((e) => e.type === 'task:start')
      .map((e) => (e as { taskId: string }).taskId);
    expect(started).not.toContain('content_reviewer');
    expect(events.filter((e) => e.type === 'task:end')).toHaveLength(9);
  });

  it('reports a provider whose stream throws or completes oddly as a task failure, never a rejection', async () => {
    const throwsSync = {
      specificationVersion: 'v1' as const,
      id: 'sync',
      stream: () => {
        throw new Error('sync throw');
      },
    };
    const orchestrator = new MultiContextOrchestrator({ providers: { throwsSync } });
    const result = await orchestrator.executeWorkflow(contentPipeline());
    expect(result.failedTasks).toBe(9);
    expect(result.phases[0]!.results[0]!.error).toEqual({ name: 'Error', message: 'sync throw' });

    const nonError = defineProvider({
      id: 'weird',
      stream: () => new Observable((s) => s.error('a string')),
    });
    const weird = await new MultiContextOrchestrator({ providers: { nonError } }).executeWorkflow(
      contentPipeline(),
    );
    expect(weird.phases[0]!.results[0]!.error).toEqual({ name: 'Error', message: 'a string' });

    const empty = defineProvider({
      id: 'empty',
      stream: () => new Observable((s) => s.complete()),
    });
    const blank = await new MultiContextOrchestrator({ providers: { empty } }).executeWorkflow(
      contentPipeline(),
    );
    expect(blank.phases[0]!.results[0]).toMatchObject({ status: 'succeeded', response: '' });
  });
});

describe('cancellation', () => {
  it('run.cancel() aborts every in-flight call, starts nothing new and ends the run cancelled promptly', async () => {
    const started = deferred();
    const aborted: string[] = [];
    let calls = 0;
    const hanging = defineProvider({
      id: 'hanging',
      complete: ({ signal, contextName }) => {
        calls++;
        if (calls === 3) started.resolve();
        return new Promise<string>((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted.push(contextName);
            reject(signal.reason);
          });
        });
      },
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { hanging } });
    const run = orchestrator.run(contentPipeline());
    const events = collect(run);
    await started.promise;
    const t0 = performance.now();
    run.cancel('user pressed stop');
    const result = await run.result;
    expect(performance.now() - t0).toBeLessThan(100);
    expect(aborted.sort()).toEqual([
      'competitive_analysis',
      'market_research',
      'technical_research',
    ]);
    expect(calls).toBe(3);
    expect(result.status).toBe('cancelled');
    expect(result.success).toBe(false);
    expect(result.phases[0]!.results.map((r) => [r.status, r.attempts, r.error?.message])).toEqual([
      ['cancelled', 1, 'The run was cancelled: user pressed stop'],
      ['cancelled', 1, 'The run was cancelled: user pressed stop'],
      ['cancelled', 1, 'The run was cancelled: user pressed stop'],
    ]);
    for (const phase of result.phases.slice(1)) {
      expect(phase.status).toBe('cancelled');
      for (const task of phase.results) {
        expect(task).toMatchObject({
          status: 'cancelled',
          attempts: 0,
          error: { message: 'The run was cancelled before this task started: user pressed stop' },
        });
      }
    }
    expect(events.at(-1)).toMatchObject({ type: 'run:end', status: 'cancelled' });
    expect(events.filter((e) => e.type === 'task:start')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'task:end')).toHaveLength(9);
  });

  it('unsubscribes from a streaming provider on cancel (its teardown runs)', async () => {
    const torn = deferred();
    const streaming = defineProvider({
      id: 'stream',
      stream: () =>
        new Observable((subscriber) => {
          subscriber.next({ type: 'text-delta', text: 'partial' });
          return () => torn.resolve();
        }),
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { streaming } });
    const run = orchestrator.run(
      workflow({ name: 'w', phases: [{ name: 'p', tasks: [{ contextName: 'a', prompt: 'x' }] }] }),
    );
    const events = collect(run);
    await new Promise((r) => setTimeout(r, 5));
    run.cancel();
    await torn.promise;
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(events.some((e) => e.type === 'task:delta')).toBe(true);
    // The half-streamed answer is not appended to the context.
    expect(orchestrator.getOrCreateContext('a').getHistory()).toEqual([]);
  });

  it('an aborted signal cancels the run, also when it was aborted before the run started', async () => {
    const controller = new AbortController();
    const hanging = defineProvider({
      id: 'h',
      complete: ({ signal }) =>
        new Promise<string>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
    });
    const orchestrator = new MultiContextOrchestrator({ providers: { hanging } });
    const run = orchestrator.run(contentPipeline(), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('host shutdown')), 5);
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.phases[0]!.results[0]!.error?.message).toBe(
      'The run was cancelled: host shutdown',
    );

    const pre = new AbortController();
    pre.abort();
    const calls: string[] = [];
    const rec = defineProvider({
      id: 'r',
      complete: ({ prompt }) => {
        calls.push(prompt);
        return prompt;
      },
    });
    const early = await new MultiContextOrchestrator({ providers: { rec } }).executeWorkflow(
      contentPipeline(),
      {
        signal: pre.signal,
      },
    );
    expect(early.status).toBe('cancelled');
    expect(calls).toEqual([]);
  });

  it('cancel() after the run ended changes nothing', async () => {
    const rec = defineProvider({ id: 'r', complete: ({ prompt }) => prompt });
    const run = new MultiContextOrchestrator({ providers: { rec } }).run(contentPipeline());
    const result = await run.result;
    run.cancel();
    expect(result.status).toBe('succeeded');
    expect(run.cancelled).toBe(false);
  });
});
