import type { ConformanceWire } from './conformance-wire.js';
import { sseFrame } from './sse.js';

/**
 * Token counts of a canned answer. `inputTokens` are the input tokens no
 * cache served or stored: OpenAI's `prompt_tokens` adds `cacheReadTokens` to
 * them; Anthropic reports each apart.
 */
export interface WireUsage {
  inputTokens: number;
  outputTokens: number;
  /** OpenAI's `cached_tokens`, Anthropic's `cache_read_input_tokens`. Default 0. */
  cacheReadTokens?: number;
  /** Anthropic's `cache_creation_input_tokens`. Default 0. */
  cacheWriteTokens?: number;
}

/** Options of the OpenAI Chat Completions frame builders. */
export interface OpenAIWireOptions {
  /** The `model` the chunks report. Default `gpt-4o-mini-2024-07-18`. */
  model?: string;
  /** The final usage chunk. Default 19 in, 10 out. */
  usage?: WireUsage;
}

/** Headers the OpenAI API sends with every answer. */
export const OPENAI_RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-request-id': 'req_7d1f0c2b9a',
  'openai-processing-ms': '187',
  'openai-version': '2020-10-01',
});

/** The last frame of every Chat Completions stream. */
export const OPENAI_DONE_FRAME = 'data: [DONE]\n\n';

const chunkBase = (model: string) => ({
  id: 'chatcmpl-CfT2x8mK1qZ7',
  object: 'chat.completion.chunk',
  created: 1763900000,
  model,
  service_tier: 'default',
  system_fingerprint: 'fp_560af6e559',
});

/** One `chat.completion.chunk` frame for choice 0, as the API streams it. */
export function openAIDeltaFrame(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
  options: OpenAIWireOptions = {},
): string {
  return sseFrame({
    ...chunkBase(options.model ?? 'gpt-4o-mini-2024-07-18'),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
    obfuscation: 'pQ3',
  });
}

/** The final chunk of a stream asked for with `stream_options.include_usage`. */
export function openAIUsageFrame(options: OpenAIWireOptions = {}): string {
  return sseFrame({
    ...chunkBase(options.model ?? 'gpt-4o-mini-2024-07-18'),
    choices: [],
    usage: openAIUsage(options.usage),
    obfuscation: 'Zb',
  });
}

/** A Chat Completions `usage` object: `prompt_tokens` counts cached tokens too. Default 19 in, 10 out. */
export function openAIUsage(usage: WireUsage = { inputTokens: 19, outputTokens: 10 }) {
  const cached = usage.cacheReadTokens ?? 0;
  const prompt = usage.inputTokens + cached;
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/**
 * Every frame of a streamed answer, shaped as the API sends it: the role
 * chunk (index 0), one chunk per piece (from index 1), the `finish_reason`
 * chunk, the usage chunk and `[DONE]`.
 */
export function openAIAnswerFrames(
  pieces: readonly string[] = ['Hello', ',', ' world', '!'],
  options: OpenAIWireOptions = {},
): string[] {
  return [
    openAIDeltaFrame({ role: 'assistant', content: '', refusal: null }, null, options),
    ...pieces.map((content) => openAIDeltaFrame({ content }, null, options)),
    openAIDeltaFrame({}, 'stop', options),
    openAIUsageFrame(options),
    OPENAI_DONE_FRAME,
  ];
}

/** The JSON body of an OpenAI error answer (or of an error sent inside a stream). */
export function openAIErrorBody(
  message: string,
  type: string,
  code: string | null,
): { error: { message: string; type: string; param: null; code: string | null } } {
  return { error: { message, type, param: null, code } };
}

/**
 * The body a Chat Completions client streams for `chatRequest()` with no
 * overrides: its four messages, system prompt first, with `fields` (the model
 * and the params under their wire names), `stream: true` and
 * `stream_options.include_usage`.
 */
export function openAIStreamRequestBody(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'user', content: 'Say hello to the world.' },
    ],
    ...fields,
    stream: true,
    stream_options: { include_usage: true },
  };
}

/**
 * The streams of the provider conformance suite in the Chat Completions wire
 * format: {@link openAIAnswerFrames} with the API's headers, and its breaks:
 * cut after the role chunk and two pieces, a chunk whose JSON stops short,
 * and an error object sent as a `data:` frame.
 */
export function openAIConformanceWire(options: OpenAIWireOptions = {}): ConformanceWire {
  const frames = openAIAnswerFrames(undefined, options);
  const hello = frames[1]!;
  return {
    answer: frames,
    headers: OPENAI_RESPONSE_HEADERS,
    partialAnswer: frames.slice(0, 3),
    malformedChunk: [hello, 'data: {"id":"chatcmpl-1","choices":[{"delta":\n\n'],
    errorInStream: [
      hello,
      sseFrame(openAIErrorBody('The server is overloaded.', 'server_error', null)),
    ],
  };
}
