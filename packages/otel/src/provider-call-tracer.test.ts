import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { traceProviderCalls } from './provider-call-tracer.js';
import { traceContextOf } from './trace-context.js';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
afterEach(() => exporter.reset());

const request = {
  runId: 'r1',
  taskId: 't1',
  contextName: 'notes',
  profile: 'writer',
  model: 'gpt-x',
  messages: [
    { role: 'system' as const, content: 'be brief' },
    { role: 'user' as const, content: 'hello' },
  ],
};

describe('traceProviderCalls', () => {
  it('makes a chat span that is a child of the attempt its trace context names', () => {
    const parent = tracerProvider.getTracer('test').startSpan('attempt', {}, ROOT_CONTEXT);
    const observe = traceProviderCalls({ tracerProvider });
    const call = observe({
      request,
      traceContext: traceContextOf(parent),
      providerId: 'openai',
      workerId: 'w1',
    });
    call.event({ type: 'text-delta', text: 'hi' });
    call.event({ type: 'finish', usage: { inputTokens: 3, outputTokens: 1, cacheReadTokens: 4 } });
    call.end();
    parent.end();
    const [span] = exporter.getFinishedSpans().filter((s) => s.name === 'chat gpt-x');
    expect(span!.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(span!.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-x',
      'gen_ai.conversation.id': 'notes',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 1,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'multi_context.run.id': 'r1',
      'multi_context.task.id': 't1',
      'multi_context.task.profile': 'writer',
      'multi_context.worker.id': 'w1',
    });
  });

  it('records the messages only when asked to, and error.type on a failure', () => {
    const observe = traceProviderCalls({ tracerProvider, captureContent: true });
    const call = observe({ request });
    call.end({ error: Object.assign(new Error('slow down'), { status: 429 }) });
    const [span] = exporter.getFinishedSpans();
    expect(JSON.parse(String(span!.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'hello' }] },
    ]);
    expect(JSON.parse(String(span!.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'be brief' },
    ]);
    expect(span!.attributes['error.type']).toBe('429');
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'slow down' });
    // Without a trace context, the span starts a trace of its own.
    expect(span!.parentSpanContext).toBeUndefined();
    expect(trace.getSpan(context.active())).toBeUndefined();
  });
});
