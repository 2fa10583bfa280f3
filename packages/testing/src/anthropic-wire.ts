import type { ConformanceWire } from './conformance-wire.js';
import type { WireUsage } from './openai-wire.js';
import { sseFrame } from './sse.js';

/** Options of the Anthropic Messages frame builders. */
export interface AnthropicWireOptions {
  /** The `model` the message reports. Default `claude-sonnet-5-5`. */
  model?: string;
  /**
   * Input tokens and cache reads and writes (in `message_start` and
   * `message_delta`) and output tokens (in `message_delta`). Default 25 in,
   * 15 out, no cache.
   */
  usage?: WireUsage;
  /** `cache_read_input_tokens`, when `usage` gives no `cacheReadTokens`. Default 0. */
  cacheReadInputTokens?: number;
}

/** The input counts of a Messages `usage`: input, cache writes (by time-to-live) and cache reads. */
export function anthropicInputUsage(options: AnthropicWireOptions = {}) {
  const write = options.usage?.cacheWriteTokens ?? 0;
  return {
    input_tokens: options.usage?.inputTokens ?? 25,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: options.usage?.cacheReadTokens ?? options.cacheReadInputTokens ?? 0,
    // The wire says which cache a write went to; these servers report them all as 5-minute ones.
    cache_creation: { ephemeral_5m_input_tokens: write, ephemeral_1h_input_tokens: 0 },
  };
}

/** Headers the Anthropic API sends with every answer. */
export const ANTHROPIC_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy',
  'anthropic-organization-id': '0c6f1d2e-0000-4000-8000-000000000000',
});

/** One Messages stream event: `event: <type>` and its JSON body. */
export function anthropicEvent(type: string, data: unknown): string {
  return sseFrame(data, type);
}

/** The `message_start` event, with the input token count. */
export function anthropicMessageStart(options: AnthropicWireOptions = {}): string {
  return anthropicEvent('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
      type: 'message',
      role: 'assistant',
      model: options.model ?? 'claude-sonnet-5-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        ...anthropicInputUsage(options),
        output_tokens: 1,
        service_tier: 'standard',
      },
    },
  });
}

/** A `content_block_delta` event carrying a piece of text. */
export function anthropicTextDelta(text: string): string {
  return anthropicEvent('content_block_delta', {
    type: 'content_block_delta',
    index: 0,
    delta: { type: 'text_delta', text },
  });
}

/**
 * Every event of a streamed answer, shaped as the API sends it:
 * `message_start` (index 0), `content_block_start` (1), `ping` (2), one
 * `content_block_delta` per piece (from index 3), `content_block_stop`,
 * `message_delta` with the stop reason and usage, and `message_stop`.
 */
export function anthropicAnswerFrames(
  pieces: readonly string[] = ['Hello', ',', ' world', '!'],
  options: AnthropicWireOptions = {},
): string[] {
  return [
    anthropicMessageStart(options),
    anthropicEvent('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
    anthropicEvent('ping', { type: 'ping' }),
    ...pieces.map(anthropicTextDelta),
    anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    anthropicEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: messageDeltaUsage(options),
    }),
    anthropicEvent('message_stop', { type: 'message_stop' }),
  ];
}

/** The `usage` of a `message_delta` event: the input counts again, and the output tokens. */
export function messageDeltaUsage(options: AnthropicWireOptions = {}) {
  const { cache_creation: _byTtl, ...input } = anthropicInputUsage(options);
  return { ...input, output_tokens: options.usage?.outputTokens ?? 15 };
}

/** The JSON body of an Anthropic error answer (or the data of an `event: error`). */
export function anthropicErrorBody(
  type: string,
  message: string,
): { type: 'error'; error: { type: string; message: string }; request_id: string } {
  return { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' };
}

/**
 * The streams of the provider conformance suite in the Messages wire format:
 * {@link anthropicAnswerFrames} with the API's headers, and its breaks: cut
 * after `message_start`, `content_block_start`, `ping` and two pieces, a
 * `content_block_delta` whose JSON stops short, and an `event: error`
 * carrying `overloaded_error`.
 */
export function anthropicConformanceWire(options: AnthropicWireOptions = {}): ConformanceWire {
  const frames = anthropicAnswerFrames(undefined, options);
  const throughHello = frames.slice(0, 4);
  return {
    answer: frames,
    headers: ANTHROPIC_RESPONSE_HEADERS,
    partialAnswer: frames.slice(0, 5),
    malformedChunk: [
      ...throughHello,
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
    ],
    errorInStream: [
      ...throughHello,
      anthropicEvent('error', {
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
      }),
    ],
  };
}
