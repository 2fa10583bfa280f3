import {
  type AnthropicWireOptions,
  anthropicEvent,
  anthropicInputUsage,
  anthropicMessageStart,
  anthropicTextDelta,
  messageDeltaUsage,
} from './anthropic-wire.js';
import { argumentPieces, argumentText, type WireToolCall } from './wire-tool-call.js';

/** What a model says in one turn: text pieces, tool calls, or both. */
export interface AnthropicTurn {
  /** Text the model streams first, as content block 0. */
  text?: readonly string[];
  /** The `tool_use` blocks it makes, in order; a turn with some stops with `tool_use`. */
  toolCalls?: readonly WireToolCall[];
}

const blockStop = (index: number) =>
  anthropicEvent('content_block_stop', { type: 'content_block_stop', index });

/**
 * Every event of a streamed turn that uses tools, shaped as the Messages API
 * sends it: `message_start`, the text block (when there is text), then per
 * call a `content_block_start` of a `tool_use` block (its `id`, `name` and an
 * empty `input`), an empty `input_json_delta` and one per piece of its
 * arguments, and `content_block_stop`; then `message_delta` with
 * `stop_reason: 'tool_use'` and `message_stop`.
 */
export function anthropicToolUseFrames(
  turn: AnthropicTurn,
  options: AnthropicWireOptions = {},
): string[] {
  const text = turn.text ?? [];
  const calls = turn.toolCalls ?? [];
  const first = text.length > 0 ? 1 : 0;
  const textFrames =
    text.length === 0
      ? []
      : [
          anthropicEvent('content_block_start', {
            type: 'content_block_start',
            index: 0,
            content_block: { type: 'text', text: '' },
          }),
          ...text.map(anthropicTextDelta),
          blockStop(0),
        ];
  const callFrames = calls.flatMap((call, i) => {
    const index = first + i;
    const delta = (partial_json: string) =>
      anthropicEvent('content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json },
      });
    return [
      anthropicEvent('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: {
          type: 'tool_use',
          id: call.id,
          name: call.name,
          input: {},
          caller: { type: 'direct' },
        },
      }),
      // The API opens every tool_use block with an empty piece.
      delta(''),
      ...argumentPieces(call).map(delta),
      blockStop(index),
    ];
  });
  return [
    anthropicMessageStart(options),
    ...textFrames,
    ...callFrames,
    anthropicEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: messageDeltaUsage(options),
    }),
    anthropicEvent('message_stop', { type: 'message_stop' }),
  ];
}

/**
 * The JSON body of a Messages answer that is not streamed: one `message`
 * whose content holds the turn's text block and a `tool_use` block per call,
 * its input parsed from the arguments (the text itself when it is not JSON).
 */
export function anthropicMessageBody(
  turn: AnthropicTurn,
  options: AnthropicWireOptions = {},
): Record<string, unknown> {
  const text = (turn.text ?? []).join('');
  const calls = turn.toolCalls ?? [];
  return {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: options.model ?? 'claude-sonnet-5-5',
    content: [
      ...(text === '' ? [] : [{ type: 'text', text }]),
      ...calls.map((call) => ({
        type: 'tool_use',
        id: call.id,
        name: call.name,
        input: parseOrText(argumentText(call)),
        caller: { type: 'direct' },
      })),
    ],
    stop_reason: calls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: {
      ...anthropicInputUsage(options),
      output_tokens: options.usage?.outputTokens ?? 15,
      service_tier: 'standard',
    },
  };
}

function parseOrText(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
