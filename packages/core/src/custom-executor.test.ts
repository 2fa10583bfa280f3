import type { RunEvent, WorkflowResult } from '@multi-context/events';
import {
  defineProvider,
  type Provider,
  ProviderError,
  type ProviderEvent,
} from '@multi-context/provider';
import { Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, workflow } from '../test/helpers.js';
import {
  type AttemptExecutor,
  type AttemptRequest,
  inProcessExecutor,
  MultiContextOrchestrator,
  OrchestratorConfigError,
  RunCancelledError,
  TaskTimeoutError,
} from './index.js';

const planSchema = {
  type: 'object',
  required: ['title'],
  properties: { title: { type: 'string' } },
};

/**
 * The seed pipeline's shape, and every path of an attempt: streamed pieces
 * and usage, a retryable failure, a structured-output repair, a template,
 * a summarising context, a failure that ends a task, contexts used again.
 */
const everyPath = () =>
  workflow({
    name: 'Every path',
    defaultProfile: 'writer',
    contexts: {
      notes: { maxHistory: 4, trim: { policy: 'summarize', profile: 'condenser', keepLast: 2 } },
    },
    phases: [
      {
        name: 'Research',
        executionMode: 'parallel',
        tasks: [
          { id: 'market', contextName: 'market', profile: 'researcher', prompt: 'market' },
          { id: 'tech', contextName: 'tech', profile: 'researcher', prompt: 'tech' },
          { id: 'broken', contextName: 'broken', profile: 'researcher', prompt: 'x' },
        ],
      },
      {
        name: 'Writing',
        tasks: [
          {
            id: 'plan',
            contextName: 'writer',
            prompt: 'Plan from {{ outputs.market }}',
            output: { format: 'json', schema: planSchema, maxRepairs: 1 },
          },
          { id: 'draft', contextName: 'writer', prompt: 'Write "{{ outputs.plan.json.title }}"' },
        ],
      },
      {
        name: 'Notes',
        executionMode: 'parallel',
        tasks: Array.from({ length: 4 }, (_, i) => ({
          id: `note-${i + 1}`,
          contextName: 'notes',
          prompt: `note ${i + 1}`,
        })),
      },
      {
        name: 'Polish',
        executionMode: 'parallel',
        tasks: [
          { id: 'polish-market', contextName: 'market', prompt: 'polish' },
          { id: 'polish-writer', contextName: 'writer', prompt: 'polish' },
        ],
      },
    ],
    config: { continueOnError: true },
  });

/** Fresh providers: `stream` streams (and fails where the workflow wants it), `quick` and `sum` answer at once. */
function makeProviders(): Record<string, Provider> {
  const attempts = new Map<string, number>();
  const stream = defineProvider({
    id: 'stream',
    stream: (request) =>
      new Observable<ProviderEvent>((subscriber) => {
        const attempt = (attempts.get(request.taskId) ?? 0) + 1;
        attempts.set(request.taskId, attempt);
        const timer = setTimeout(() => {
          if (request.taskId === 'tech' && attempt === 1) {
            subscriber.error(new ProviderError({ message: 'busy', status: 503, retryable: true }));
            return;
          }
          if (request.taskId === 'broken') {
            subscriber.error(new ProviderError({ message: 'bad request', status: 400 }));
            return;
          }
          const answer = `${request.prompt} after ${request.history.length}`;
          for (const piece of answer.split(' '))
            subscriber.next({ type: 'text-delta', text: piece });
          subscriber.next({ type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } });
          subscriber.next({ type: 'finish', finishReason: 'stop' });
          subscriber.complete();
        }, 1);
        return () => clearTimeout(timer);
      }),
  });
  const quick = defineProvider({
    id: 'quick',
    complete: async (request) => {
      const attempt = (attempts.get(request.taskId) ?? 0) + 1;
      attempts.set(request.taskId, attempt);
      const text =
        request.output === undefined
          ? `${request.contextName}: ${request.prompt} [${request.messages.length}]`
          : attempt === 1
            ? 'not JSON'
            : '{"title":"Trends"}';
      return { text, usage: { inputTokens: request.messages.length, outputTokens: 1 } };
    },
  });
  const sum = defineProvider({
    id: 'sum',
    complete: ({ messages }) => `SUMMARY of ${messages.at(-1)!.content.length} characters`,
  });
  return { stream, quick, sum };
}

/** What crosses the seam as JSON: a remote executor sends an error's fields and rebuilds it. */
function errorOverWire(error: unknown): Error {
  const wire = JSON.parse(
    JSON.stringify(
      ProviderError.isInstance(error)
        ? { ...error, name: error.name, message: error.message }
        : { name: (error as Error).name, message: (error as Error).message },
    ),
  );
  if (wire.name === 'ProviderError') return new ProviderError(wire);
  return Object.assign(new Error(wire.message), { name: wire.name });
}

/**
 * A stand-in for a remote executor: every request and event goes through
 * JSON, and the "worker" answers with its own provider instances, found by
 * the name in the request (never with `local`).
 */
function jsonExecutor(worker: Record<string, Provider>, sent: AttemptRequest[]): AttemptExecutor {
  return {
    execute(request, sink) {
      expect(isPlainData(request)).toBe(true);
      const received = JSON.parse(JSON.stringify(request)) as AttemptRequest;
      expect(received).toEqual(request);
      sent.push(received);
      const call = inProcessExecutor.execute(
        received,
        {
          next: (event) => sink.next(JSON.parse(JSON.stringify(event))),
          error: (error) => sink.error(errorOverWire(error)),
          complete: () => sink.complete(),
        },
        worker[received.provider]!,
      );
      return { abort: (reason) => call.abort(errorOverWire(reason)) };
    },
  };
}

/** Only objects, arrays and JSON scalars: no functions, signals, class instances or undefined in arrays. */
function isPlainData(value: unknown): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value))
    return true;
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (Array.isArray(value)) return value.every((item) => item !== undefined && isPlainData(item));
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(isPlainData);
}

/** Events and results without their clock readings, which differ from one run to the next. */
function withoutTimes<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (key === 'time' || key === 'durationMs' ? undefined : v)),
  );
}

async function runEveryPath(executor: AttemptExecutor | undefined) {
  const orchestrator = new MultiContextOrchestrator({
    providers: makeProviders(),
    profiles: {
      researcher: { provider: 'stream', model: 'm1', params: { temperature: 0 } },
      writer: { provider: 'quick', system: 'Write well.' },
      condenser: { provider: 'sum' },
    },
    retry: { initialDelayMs: 2 },
    random: () => 0.5,
    ...(executor === undefined ? {} : { executor }),
  });
  const run = orchestrator.run(everyPath(), { runId: 'same' });
  const events = collect(run);
  const result = await run.result;
  const contexts = Object.fromEntries(
    orchestrator.getContextNames().map((name) => [name, orchestrator.getOrCreateContext(name)]),
  );
  const histories = Object.fromEntries(
    Object.entries(contexts).map(([name, context]) => [name, context.getHistory()]),
  );
  return { events, result, histories };
}

describe('a custom executor', () => {
  it('that carries every request and event as JSON runs the workflow exactly as the default does', async () => {
    const sent: AttemptRequest[] = [];
    const worker = makeProviders();
    const remote = await runEveryPath(jsonExecutor(worker, sent));
    const local = await runEveryPath(undefined);

    expect(withoutTimes(remote.events)).toEqual(withoutTimes(local.events));
    expect(remote.events.map((e) => e.seq)).toEqual(remote.events.map((_, i) => i));
    expect(withoutTimes(remote.result)).toEqual(withoutTimes(local.result));
    expect(remote.histories).toEqual(local.histories);

    // Every path was taken, through the seam.
    const types = new Set(remote.events.map((e) => e.type));
    for (const type of ['task:delta', 'task:retry', 'context:trim'] as const)
      expect(types).toContain(type);
    const result: WorkflowResult = remote.result;
    expect([result.successfulTasks, result.failedTasks, result.totalTasks]).toEqual([10, 1, 11]);
    const tasks = result.phases.flatMap((phase) => phase.results);
    expect(tasks.find((t) => t.taskId === 'tech')).toMatchObject({ attempts: 2 });
    expect(tasks.find((t) => t.taskId === 'plan')).toMatchObject({
      attempts: 2,
      json: { title: 'Trends' },
    });
    expect(tasks.find((t) => t.taskId === 'draft')?.response).toContain('Write "Trends"');
    expect(tasks.find((t) => t.taskId === 'broken')).toMatchObject({
      status: 'failed',
      error: { name: 'ProviderError', message: 'bad request', status: 400, retryable: false },
    });
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    // The executor is told which provider answers, and the summaries go through it too.
    expect(new Set(sent.map((request) => request.provider))).toEqual(
      new Set(['stream', 'quick', 'sum']),
    );
    expect(sent.filter((request) => request.taskId.endsWith(':summary')).length).toBeGreaterThan(0);
    expect(sent.find((request) => request.taskId === 'plan')?.output).toEqual({
      format: 'json',
      schema: planSchema,
    });
  });

  it('that names the worker of each call gets it on task:retry and task:end', async () => {
    const inner = jsonExecutor(makeProviders(), []);
    let calls = 0;
    const naming: AttemptExecutor = {
      execute(request, sink, local) {
        calls += 1;
        sink.servedBy?.(`worker-${calls}`);
        return inner.execute(request, sink, local);
      },
    };
    const { events } = await runEveryPath(naming);
    const ends = events.filter((event) => event.type === 'task:end');
    const retries = events.filter((event) => event.type === 'task:retry');
    expect(ends.length).toBe(11);
    // Each end names a worker, and a retried task's end names another than its failed call's.
    for (const end of ends) expect(end.worker).toMatch(/^worker-\d+$/);
    for (const retry of retries) {
      expect(retry.worker).toMatch(/^worker-\d+$/);
      const end = ends.find((candidate) => candidate.taskId === retry.taskId);
      expect(end?.worker).not.toBe(retry.worker);
    }
    expect(retries.map((retry) => retry.taskId).sort()).toEqual(['plan', 'tech']);
    // The in-process executor names none.
    const local = await runEveryPath(undefined);
    expect(local.events.some((event) => 'worker' in event)).toBe(false);
  });

  it('is told to stop a call, with the reason, on a timeout and on a cancel', async () => {
    const stopped: { taskId: string; reason: Error }[] = [];
    const started: string[] = [];
    const silent: AttemptExecutor = {
      execute(request) {
        started.push(request.taskId);
        return { abort: (reason) => stopped.push({ taskId: request.taskId, reason }) };
      },
    };
    const orchestrator = new MultiContextOrchestrator({
      providers: { p: defineProvider({ id: 'p', complete: () => 'never called' }) },
      executor: silent,
      retry: { retries: 1, initialDelayMs: 1 },
    });
    const timed = await orchestrator.executeWorkflow(
      workflow({
        name: 'timeouts',
        phases: [{ name: 'p', tasks: [{ id: 't', contextName: 'c', prompt: 'x', timeoutMs: 5 }] }],
      }),
    );
    expect(timed.phases[0]!.results[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { name: 'TaskTimeoutError', retryable: true },
    });
    expect(stopped.map(({ reason }) => TaskTimeoutError.isInstance(reason))).toEqual([true, true]);

    stopped.length = 0;
    const run = orchestrator.run(
      workflow({
        name: 'cancel',
        phases: [
          {
            name: 'p',
            executionMode: 'parallel',
            tasks: [
              { id: 'a', contextName: 'a', prompt: 'x' },
              { id: 'b', contextName: 'b', prompt: 'y' },
            ],
          },
        ],
      }),
    );
    run.on('task:start', (event) => {
      if (event.taskId === 'b') setTimeout(() => run.cancel('enough'), 1);
    });
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(stopped.map(({ taskId }) => taskId).sort()).toEqual(['a', 'b']);
    for (const { reason } of stopped) {
      expect(RunCancelledError.isInstance(reason)).toBe(true);
      expect(reason.message).toBe('The run was cancelled: enough');
    }
  });

  it('may answer at once, may throw, and is ignored once the call was stopped', async () => {
    let late: (() => void) | undefined;
    const executor: AttemptExecutor = {
      execute(request, sink) {
        if (request.taskId === 'throws') throw new Error('executor down');
        if (request.taskId === 'late') {
          late = () => {
            sink.next({ type: 'text-delta', text: 'too late' });
            sink.complete();
          };
          return { abort: () => {} };
        }
        sink.next({ type: 'finish', text: `at once: ${request.prompt}` });
        sink.complete();
        return { abort: () => expect.unreachable('a call that ended is not stopped') };
      },
    };
    const orchestrator = new MultiContextOrchestrator({
      providers: { p: defineProvider({ id: 'p', complete: () => 'unused' }) },
      executor,
    });
    const run = orchestrator.run(
      workflow({
        name: 'edges',
        config: { continueOnError: true },
        phases: [
          {
            name: 'p',
            tasks: [
              { id: 'sync', contextName: 'c', prompt: 'hi' },
              { id: 'throws', contextName: 'c', prompt: 'x' },
              { id: 'late', contextName: 'd', prompt: 'y', timeoutMs: 5, retries: 0 },
            ],
          },
        ],
      }),
    );
    const events: RunEvent[] = collect(run);
    const result = await run.result;
    late?.();
    const [sync, thrown, timedOut] = result.phases[0]!.results;
    expect(sync).toMatchObject({ status: 'succeeded', response: 'at once: hi', attempts: 1 });
    expect(thrown).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { name: 'Error', message: 'executor down' },
    });
    expect(timedOut).toMatchObject({ status: 'failed', error: { name: 'TaskTimeoutError' } });
    expect(events.some((e) => e.type === 'task:delta')).toBe(false);
    expect(events.at(-1)?.type).toBe('run:end');
  });

  it('must have an execute method', () => {
    expect(
      () =>
        new MultiContextOrchestrator({
          providers: { p: defineProvider({ id: 'p', complete: () => 'x' }) },
          executor: {} as AttemptExecutor,
        }),
    ).toThrow(OrchestratorConfigError);
  });
});
