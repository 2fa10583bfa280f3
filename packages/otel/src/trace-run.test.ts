import { MultiContextOrchestrator, type Tool } from '@multi-context/core';
import type { RunEvent } from '@multi-context/events';
import { defineProvider, ProviderError, type ProviderRequest } from '@multi-context/provider';
import { defineWorkflow } from '@multi-context/workflow';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { traceRun } from './trace-run.js';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

afterEach(() => exporter.reset());

/** Answers `heard: {prompt}` with usage that read from and wrote to a cache; fails the context `flaky` once, with a 503. */
function provider(failures = new Map<string, number>([['flaky', 1]])) {
  return defineProvider({
    id: 'anthropic',
    complete: async (request: ProviderRequest) => {
      const left = failures.get(request.contextName) ?? 0;
      if (left > 0) {
        failures.set(request.contextName, left - 1);
        throw new ProviderError({ message: 'overloaded', status: 503, retryable: true });
      }
      if (request.contextName === 'broken') {
        throw new ProviderError({ message: 'bad request', status: 400, retryable: false });
      }
      // The retried call lasts a few ms: event times are whole ms and a timer may fire up to
      // 1 ms early, so an instant answer could be stamped before the retry's planned start,
      // and the SDK would then end its span at its start, not at the task's end.
      if (request.contextName === 'flaky') await new Promise((done) => setTimeout(done, 4));
      return {
        text: `heard: ${request.prompt}`,
        usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 100, cacheWriteTokens: 20 },
      };
    },
  });
}

const workflow = defineWorkflow({
  name: 'Traced',
  defaultProfile: 'writer',
  config: { continueOnError: true },
  phases: [
    {
      name: 'Research',
      executionMode: 'parallel',
      tasks: [
        { id: 'a', contextName: 'notes', prompt: 'research a' },
        { id: 'b', contextName: 'flaky', prompt: 'research b' },
      ],
    },
    { name: 'Write', tasks: [{ id: 'c', contextName: 'broken', prompt: 'write it' }] },
  ],
});

function orchestrator() {
  return new MultiContextOrchestrator({
    providers: { claude: provider() },
    profiles: { writer: { provider: 'claude', model: 'claude-x' } },
    retry: { initialDelayMs: 5, maxDelayMs: 5 },
  });
}

async function traced(
  captureContent?: boolean,
): Promise<{ spans: ReadableSpan[]; events: RunEvent[] }> {
  const run = orchestrator().run(workflow);
  const events: RunEvent[] = [];
  run.events$.subscribe((event) => events.push(event));
  const tracing = traceRun(run, { tracerProvider, captureContent });
  await run.result;
  await tracing.ended;
  return { spans: exporter.getFinishedSpans(), events };
}

function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

function named(spans: ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}

describe('traceRun', () => {
  it('makes a run span, a span per phase and a chat span per attempt, in one trace', async () => {
    const { spans } = await traced();
    const [run] = named(spans, 'invoke_workflow Traced');
    expect(run).toBeDefined();
    expect(parentOf(run!)).toBeUndefined();
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    const phases = spans.filter((s) => s.name.startsWith('phase '));
    expect(phases.map((s) => s.name)).toEqual(['phase Research', 'phase Write']);
    for (const phase of phases) expect(parentOf(phase)).toBe(run!.spanContext().spanId);
    const chats = named(spans, 'chat claude-x');
    // a, b twice (a retry), c: four attempts.
    expect(chats).toHaveLength(4);
    const research = phases[0]!.spanContext().spanId;
    const write = phases[1]!.spanContext().spanId;
    const byTask = (id: string) =>
      chats.filter((s) => s.attributes['multi_context.task.id'] === id);
    for (const span of [...byTask('a'), ...byTask('b')]) expect(parentOf(span)).toBe(research);
    expect(parentOf(byTask('c')[0]!)).toBe(write);
    expect(run!.kind).toBe(SpanKind.INTERNAL);
    expect(chats[0]!.kind).toBe(SpanKind.CLIENT);
  });

  it('labels spans with the GenAI attributes', async () => {
    const { spans } = await traced();
    const [run] = named(spans, 'invoke_workflow Traced');
    expect(run!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.workflow.name': 'Traced',
      'multi_context.run.status': 'failed',
      'error.type': 'TaskFailed',
    });
    const a = named(spans, 'chat claude-x').find(
      (s) => s.attributes['multi_context.task.id'] === 'a',
    )!;
    expect(a.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-x',
      'gen_ai.conversation.id': 'notes',
      'gen_ai.response.finish_reasons': ['stop'],
      // The conventions count cached tokens in the input: 10 + 100 + 20.
      'gen_ai.usage.input_tokens': 130,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.cache_creation.input_tokens': 20,
      'multi_context.task.id': 'a',
      'multi_context.task.attempt': 1,
      'multi_context.task.profile': 'writer',
      'multi_context.task.status': 'succeeded',
    });
    expect(a.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('makes each retry an attempt span of its own, the failed one with error.type', async () => {
    const { spans, events } = await traced();
    const b = named(spans, 'chat claude-x')
      .filter((s) => s.attributes['multi_context.task.id'] === 'b')
      .sort(
        (x, y) =>
          Number(x.attributes['multi_context.task.attempt']) -
          Number(y.attributes['multi_context.task.attempt']),
      );
    expect(b.map((s) => s.attributes['multi_context.task.attempt'])).toEqual([1, 2]);
    expect(b[0]!.attributes['error.type']).toBe('503');
    expect(b[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'overloaded' });
    expect(b[0]!.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(b[1]!.attributes['error.type']).toBeUndefined();
    expect(b[1]!.attributes['gen_ai.usage.output_tokens']).toBe(5);
    // Times come from the events: the first attempt ends at task:retry, the second starts after its delay.
    const retry = events.find((e) => e.type === 'task:retry')!;
    const start = events.find((e) => e.type === 'task:start' && e.taskId === 'b')!;
    const end = events.find((e) => e.type === 'task:end' && e.taskId === 'b')!;
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(b[0]!.startTime)).toBe(start.time);
    expect(ms(b[0]!.endTime)).toBe(retry.time);
    expect(ms(b[1]!.startTime)).toBe(
      retry.time + (retry.type === 'task:retry' ? retry.delayMs : 0),
    );
    expect(ms(b[1]!.endTime)).toBe(end.time);
    const c = named(spans, 'chat claude-x').find(
      (s) => s.attributes['multi_context.task.id'] === 'c',
    )!;
    expect(c.attributes['error.type']).toBe('400');
    expect(c.attributes['multi_context.task.status']).toBe('failed');
    expect(named(spans, 'phase Write')[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records no message content unless asked to', async () => {
    const { spans } = await traced();
    for (const span of spans) {
      for (const key of Object.keys(span.attributes)) {
        expect(key).not.toMatch(/messages|arguments|result|instructions/);
      }
    }
    exporter.reset();
    const withContent = (await traced(true)).spans;
    const a = named(withContent, 'chat claude-x').find(
      (s) => s.attributes['multi_context.task.id'] === 'a',
    )!;
    expect(JSON.parse(String(a.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'research a' }] },
    ]);
    expect(JSON.parse(String(a.attributes['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'heard: research a' }],
        finish_reason: 'stop',
      },
    ]);
  });

  it('makes an execute_tool span per tool call, a child of its attempt', async () => {
    const add: Tool = {
      name: 'add',
      description: 'adds',
      inputSchema: { type: 'object', properties: { a: { type: 'number' } } },
      execute: async ({ a }: { a: number }) => a + 1,
    };
    const fails: Tool = {
      ...add,
      name: 'fails',
      execute: async () => {
        throw new Error('no');
      },
    };
    const agent = defineProvider({
      id: 'openai',
      complete: async (request: ProviderRequest) => {
        if (!request.messages.some((m) => m.role === 'tool')) {
          return {
            text: '',
            toolCalls: [
              { id: 'call-1', name: 'add', input: { a: 1 } },
              { id: 'call-2', name: 'fails', input: { a: 2 } },
            ],
            usage: { inputTokens: 10, outputTokens: 2, cacheReadTokens: 100 },
          };
        }
        return { text: 'done', usage: { inputTokens: 20, outputTokens: 5 } };
      },
    });
    const run = new MultiContextOrchestrator({
      providers: { gpt: agent },
      profiles: {
        agent: {
          provider: 'gpt',
          model: 'gpt-x',
          tools: ['add', 'fails'],
          price: { inputPerMillion: 1_000_000, outputPerMillion: 0, cacheReadPerMillion: 0 },
        },
      },
      tools: { add, fails },
    }).run(
      defineWorkflow({
        name: 'Tools',
        phases: [
          { name: 'p', tasks: [{ id: 't', contextName: 'c', profile: 'agent', prompt: 'go' }] },
        ],
      }),
    );
    const tracing = traceRun(run, { tracerProvider, captureContent: true });
    await run.result;
    await tracing.ended;
    const spans = exporter.getFinishedSpans();
    const [chat] = named(spans, 'chat gpt-x');
    const [ok] = named(spans, 'execute_tool add');
    const [bad] = named(spans, 'execute_tool fails');
    expect(parentOf(ok!)).toBe(chat!.spanContext().spanId);
    expect(parentOf(bad!)).toBe(chat!.spanContext().spanId);
    expect(ok!.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'add',
      'gen_ai.tool.call.id': 'call-1',
      'gen_ai.tool.call.arguments': '{"a":1}',
      'gen_ai.tool.call.result': '2',
    });
    expect(bad!.attributes['error.type']).toBeDefined();
    expect(bad!.status.code).toBe(SpanStatusCode.ERROR);
    expect(chat!.attributes['gen_ai.provider.name']).toBe('openai');
    // Each model step is a chat span of its own: the one that asked for the calls ends
    // when its answer does, and the next starts once the last result is in.
    const chats = named(spans, 'chat gpt-x');
    expect(chats).toHaveLength(2);
    const [first, second] = chats;
    expect(first!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    expect(second!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(second!.attributes['multi_context.task.attempt']).toBe(2);
    expect(second!.attributes['multi_context.tool.step']).toBe(2);
    expect(parentOf(second!)).toBe(parentOf(first!));
    const lastToolEnd = Math.max(...[ok!, bad!].map((span) => hrMs(span.endTime)));
    expect(hrMs(second!.startTime)).toBeGreaterThanOrEqual(lastToolEnd);
    expect(hrMs(first!.endTime)).toBeLessThanOrEqual(hrMs(ok!.startTime));
    // Each step's span carries its own model call's usage and cost, not the task's total.
    expect(first!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 110,
      'gen_ai.usage.output_tokens': 2,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'multi_context.usage.cost': 10,
    });
    expect(second!.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 5,
      'multi_context.usage.cost': 20,
    });
  });

  it('hands out the trace context of the attempt in flight, and none for another run', async () => {
    const seen: (Record<string, string> | undefined)[] = [];
    let tracing: ReturnType<typeof traceRun> | undefined;
    const probe = defineProvider({
      id: 'probe',
      complete: async (request: ProviderRequest) => {
        seen.push(tracing?.traceContextOf(request));
        seen.push(tracing?.traceContextOf({ runId: 'another', taskId: request.taskId }));
        return 'ok';
      },
    });
    const run = new MultiContextOrchestrator({ providers: { probe } }).run(
      defineWorkflow({
        name: 'W',
        phases: [{ name: 'p', tasks: [{ id: 't', contextName: 'c', prompt: 'x' }] }],
      }),
    );
    tracing = traceRun(run, { tracerProvider });
    await run.result;
    await tracing.ended;
    const [chat] = named(exporter.getFinishedSpans(), 'chat');
    const { traceId, spanId } = chat!.spanContext();
    expect(seen[0]).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    expect(seen[1]).toBeUndefined();
  });

  it('ends the spans still open at the last event when it is stopped', async () => {
    let release: () => void = () => {};
    const slow = defineProvider({
      id: 'slow',
      complete: () =>
        new Promise<string>((resolve) => {
          release = () => resolve('late');
        }),
    });
    const run = new MultiContextOrchestrator({ providers: { slow } }).run(
      defineWorkflow({
        name: 'W',
        phases: [{ name: 'p', tasks: [{ id: 't', contextName: 'c', prompt: 'x' }] }],
      }),
    );
    const tracing = traceRun(run, { tracerProvider });
    await new Promise((resolve) => setTimeout(resolve, 20));
    tracing.stop();
    await tracing.ended;
    expect(
      exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['chat', 'invoke_workflow W', 'phase p']);
    release();
    await run.result;
  });
});

/** A span time in milliseconds. */
function hrMs([seconds, nanos]: [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}
