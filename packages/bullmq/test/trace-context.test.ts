import { MultiContextOrchestrator } from '@multi-context/core';
import { parseWorkflow } from '@multi-context/loader';
import { traceProviderCalls, traceRun } from '@multi-context/otel';
import { createMockProvider } from '@multi-context/provider-mock';
import { startRedisServer, type TestRedis } from '@multi-context/testing';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullMQExecutor, createBullMQWorker } from '../src/index.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
}, 30_000);

/** A tracer provider of its own, as a process of its own would have. */
function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider };
}

const workflow = parseWorkflow(`name: Distributed
phases:
  - name: Fan out
    execution_mode: parallel
    tasks:
      - { id: a, context_name: a, prompt: one }
      - { id: b, context_name: b, prompt: two }
      - { id: flaky, context_name: flaky, prompt: three }
`);

describe('a traced run whose calls are made by a BullMQ worker', () => {
  it("records each of the worker's calls as a child of its attempt span, in the run's trace", async () => {
    const coordinator = tracing();
    const workerSide = tracing();
    const mock = {
      failContexts: ['flaky'],
      failTimes: 1,
      failure: { status: 503, retryable: true },
    };
    let runTrace: ReturnType<typeof traceRun> | undefined;
    const executor = createBullMQExecutor({
      connection: redis.url,
      queueName: 'traced',
      traceContext: (request) => runTrace?.traceContextOf(request),
    });
    const worker = createBullMQWorker({
      connection: redis.url,
      queueName: 'traced',
      providers: { mock: createMockProvider(mock) },
      traceCall: traceProviderCalls({ tracerProvider: workerSide.provider }),
    });
    try {
      await worker.ready;
      const run = new MultiContextOrchestrator({
        providers: { mock: createMockProvider(mock) },
        executor,
        retry: { initialDelayMs: 10, maxDelayMs: 20 },
      }).run(workflow);
      runTrace = traceRun(run, { tracerProvider: coordinator.provider });
      const result = await run.result;
      await runTrace.ended;
      expect(result.status).toBe('succeeded');
    } finally {
      await executor.close();
      await worker.close();
    }
    const attempts = coordinator.exporter.getFinishedSpans().filter((s) => s.name === 'chat');
    const calls = workerSide.exporter.getFinishedSpans();
    // a, b, and flaky twice: one call per attempt, on each side.
    expect(attempts).toHaveLength(4);
    expect(calls).toHaveLength(4);
    const [run] = coordinator.exporter
      .getFinishedSpans()
      .filter((s) => s.name.startsWith('invoke_workflow'));
    const traceId = run!.spanContext().traceId;
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(traceId);
      const parent = attempts.find(
        (s) => s.spanContext().spanId === call.parentSpanContext?.spanId,
      );
      expect(parent, call.name).toBeDefined();
      expect(parent!.attributes['multi_context.task.id']).toBe(
        call.attributes['multi_context.task.id'],
      );
      expect(call.attributes['multi_context.worker.id']).toBe(worker.workerId);
    }
    // The failed call and the retry hang under two different attempt spans.
    const flaky = calls.filter((s) => s.attributes['multi_context.task.id'] === 'flaky');
    const parents = (spans: ReadableSpan[]) =>
      new Set(spans.map((s) => s.parentSpanContext?.spanId));
    expect(parents(flaky).size).toBe(2);
    expect(flaky.map((s) => s.attributes['error.type']).sort()).toEqual(['503', undefined]);
  }, 30_000);
});
