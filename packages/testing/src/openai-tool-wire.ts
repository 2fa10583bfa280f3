import {
  OPENAI_DONE_FRAME,
  type OpenAIWireOptions,
  openAIDeltaFrame,
  openAIUsage,
  openAIUsageFrame,
} from './openai-wire.js';
import { argumentPieces, argumentText, type WireToolCall } from './wire-tool-call.js';

/** What a model says in one turn: text pieces, tool calls, or both. */
export interface OpenAITurn {
  /** Text the model streams first (before its calls). */
  text?: readonly string[];
  /** The calls it makes, in order; a turn with calls finishes with `tool_calls`. */
  toolCalls?: readonly WireToolCall[];
}

/**
 * Every frame of a streamed turn that calls tools, shaped as the Chat
 * Completions API sends it: the role chunk, the text pieces, then per call a
 * chunk with its `index`, `id`, `type` and `name` (and empty `arguments`)
 * followed by one chunk per piece of its arguments (the same `index`, nothing
 * else), then `finish_reason: 'tool_calls'`, the usage chunk and `[DONE]`.
 * Parallel calls follow each other, as the API streams them.
 */
export function openAIToolCallFrames(turn: OpenAITurn, options: OpenAIWireOptions = {}): string[] {
  const calls = turn.toolCalls ?? [];
  const callFrames = calls.flatMap((call, index) => [
    openAIDeltaFrame(
      {
        tool_calls: [
          { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      },
      null,
      options,
    ),
    ...argumentPieces(call).map((piece) =>
      openAIDeltaFrame({ tool_calls: [{ index, function: { arguments: piece } }] }, null, options),
    ),
  ]);
  return [
    openAIDeltaFrame({ role: 'assistant', content: null, refusal: null }, null, options),
    ...(turn.text ?? []).map((content) => openAIDeltaFrame({ content }, null, options)),
    ...callFrames,
    openAIDeltaFrame({}, calls.length > 0 ? 'tool_calls' : 'stop', options),
    openAIUsageFrame(options),
    OPENAI_DONE_FRAME,
  ];
}

/**
 * The JSON body of a Chat Completions answer that is not streamed
 * (`stream` unset or `false`): one `chat.completion` whose message holds the
 * turn's text and its `tool_calls` (arguments as one JSON string).
 */
export function openAIChatCompletionBody(
  turn: OpenAITurn,
  options: OpenAIWireOptions = {},
): Record<string, unknown> {
  const calls = turn.toolCalls ?? [];
  const text = (turn.text ?? []).join('');
  return {
    id: 'chatcmpl-CfT2x8mK1qZ7',
    object: 'chat.completion',
    created: 1763900000,
    model: options.model ?? 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && calls.length > 0 ? null : text,
          refusal: null,
          annotations: [],
          ...(calls.length > 0
            ? {
                tool_calls: calls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: argumentText(call) },
                })),
              }
            : {}),
        },
        logprobs: null,
        finish_reason: calls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: openAIUsage(options.usage),
    service_tier: 'default',
    system_fingerprint: 'fp_560af6e559',
  };
}
