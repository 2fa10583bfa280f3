import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { type ProviderEvent, parseToolInput } from '@multi-context/provider';

interface PendingToolUse {
  id: string;
  name: string;
  /** The input the block started with: `{}` when it streams, or a whole input when a server sends it at once. */
  startInput: unknown;
  json: string;
}

/**
 * Puts together the `tool_use` blocks of a streamed message: each begins with
 * `content_block_start` (its `id` and `name`) and streams its input as
 * `input_json_delta` pieces at its block `index`. Each non-empty piece is
 * reported as a `tool-input-delta` as it comes; {@link ToolUseAssembler.events}
 * gives one `tool-call` per block once the message is complete.
 */
export class ToolUseAssembler {
  readonly #blocks = new Map<number, PendingToolUse>();

  /** Takes one stream event; emits a `tool-input-delta` per piece of a tool's input. */
  add(event: RawMessageStreamEvent, emit: (event: ProviderEvent) => void): void {
    if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
      const { id, name, input } = event.content_block;
      this.#blocks.set(event.index, { id, name, startInput: input, json: '' });
      return;
    }
    if (event.type !== 'content_block_delta' || event.delta.type !== 'input_json_delta') return;
    const block = this.#blocks.get(event.index);
    const piece = event.delta.partial_json;
    if (block === undefined || piece === '') return;
    block.json += piece;
    emit({ type: 'tool-input-delta', toolCallId: block.id, toolName: block.name, delta: piece });
  }

  /** One `tool-call` per `tool_use` block, in block order, with its input parsed. */
  events(): ProviderEvent[] {
    return [...this.#blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, block]) => ({
        type: 'tool-call',
        toolCallId: block.id,
        toolName: block.name,
        input:
          block.json === '' && block.startInput !== undefined
            ? block.startInput
            : parseToolInput(block.json),
      }));
  }
}
