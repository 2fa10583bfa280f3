import type { ChatMessage, ProviderEvent, ProviderUsage } from '@multi-context/provider';
import { type Attributes, type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { GenAI, GenAIOperation, MultiContext } from './gen-ai-attributes.js';
import {
  inputMessagesJson,
  outputMessagesJson,
  systemInstructionsJson,
} from './message-content.js';
import { contextFromTraceContext, type TraceContextCarrier } from './trace-context.js';
import { type TracingOptions, tracerOf } from './tracing-options.js';
import { usageAttributes } from './usage-attributes.js';

/** A provider call about to be made, as a queue's worker knows it. */
export interface TracedProviderCall {
  /** The request as the coordinator sent it. */
  request: {
    runId: string;
    taskId: string;
    contextName: string;
    profile: string;
    model?: string | undefined;
    messages: readonly ChatMessage[];
  };
  /** The W3C Trace Context of the attempt the call belongs to, when the coordinator sent one. */
  traceContext?: TraceContextCarrier | undefined;
  /** The id of the provider that answers (`Provider.id`), for `gen_ai.provider.name`. */
  providerId?: string | undefined;
  /** The worker making the call. */
  workerId?: string | undefined;
}

/** Hears one provider call: each event the provider sends, then its end. */
export interface ProviderCallObserver {
  event(event: ProviderEvent): void;
  /** The call ended: with `error` when it failed, `aborted` when it was stopped. */
  end(outcome?: { error?: unknown; aborted?: boolean }): void;
}

/** Starts observing a call; what the BullMQ worker's `traceCall` option takes. */
export type ProviderCallTracer = (call: TracedProviderCall) => ProviderCallObserver;

/**
 * Traces the provider calls a queue's worker makes: each becomes a `chat
 * {model}` client span, a child of the coordinator's attempt span when the
 * job carried its trace context, so a distributed run is one trace.
 *
 * @example
 * ```ts
 * const worker = createBullMQWorker({ connection, providers, traceCall: traceProviderCalls({ tracerProvider }) });
 * ```
 */
export function traceProviderCalls(options: TracingOptions = {}): ProviderCallTracer {
  const tracer = tracerOf(options);
  const content = options.captureContent === true;
  return (call) => {
    const { request } = call;
    const attributes: Attributes = {
      [GenAI.OPERATION_NAME]: GenAIOperation.CHAT,
      [GenAI.CONVERSATION_ID]: request.contextName,
      [MultiContext.RUN_ID]: request.runId,
      [MultiContext.TASK_ID]: request.taskId,
      [MultiContext.TASK_PROFILE]: request.profile,
    };
    if (call.providerId !== undefined) attributes[GenAI.PROVIDER_NAME] = call.providerId;
    if (request.model !== undefined) attributes[GenAI.REQUEST_MODEL] = request.model;
    if (call.workerId !== undefined) attributes[MultiContext.WORKER_ID] = call.workerId;
    if (content) {
      attributes[GenAI.INPUT_MESSAGES] = inputMessagesJson(request.messages);
      const system = systemInstructionsJson(request.messages);
      if (system !== undefined) attributes[GenAI.SYSTEM_INSTRUCTIONS] = system;
    }
    const name =
      request.model === undefined ? GenAIOperation.CHAT : `${GenAIOperation.CHAT} ${request.model}`;
    const span = tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes },
      contextFromTraceContext(call.traceContext),
    );
    return new CallObserver(span, content);
  };
}

class CallObserver implements ProviderCallObserver {
  readonly #span: Span;
  readonly #content: boolean;
  #text = '';
  #finalText: string | undefined;
  #finishReason: string | undefined;
  #usage: ProviderUsage | undefined;
  #ended = false;

  constructor(span: Span, content: boolean) {
    this.#span = span;
    this.#content = content;
  }

  event(event: ProviderEvent): void {
    switch (event.type) {
      case 'text-delta':
        if (this.#content) this.#text += event.text;
        break;
      case 'usage':
        this.#usage = event.usage;
        break;
      case 'finish':
        if (event.text !== undefined) this.#finalText = event.text;
        if (event.usage !== undefined) this.#usage = event.usage;
        this.#finishReason = event.finishReason;
        break;
    }
  }

  end(outcome: { error?: unknown; aborted?: boolean } = {}): void {
    if (this.#ended) return;
    this.#ended = true;
    const span = this.#span;
    if (this.#usage !== undefined) span.setAttributes(usageAttributes(this.#usage));
    if (outcome.error !== undefined) {
      const error = outcome.error as { name?: unknown; status?: unknown; message?: unknown };
      span.setAttribute(
        GenAI.ERROR_TYPE,
        typeof error.status === 'number' ? String(error.status) : String(error.name ?? 'Error'),
      );
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error.message ?? error) });
    } else if (outcome.aborted === true) {
      span.setAttribute(GenAI.ERROR_TYPE, 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the call was aborted' });
    } else {
      const reason = this.#finishReason ?? 'stop';
      span.setAttribute(GenAI.RESPONSE_FINISH_REASONS, [reason]);
      if (this.#content)
        span.setAttribute(
          GenAI.OUTPUT_MESSAGES,
          outputMessagesJson(this.#finalText ?? this.#text, reason),
        );
    }
    span.end();
  }
}
