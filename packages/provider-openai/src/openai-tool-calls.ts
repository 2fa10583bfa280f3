import { randomUUID } from 'node:crypto';
import { type ProviderEvent, parseToolInput } from '@multi-context/provider';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

type ToolCallDelta = ChatCompletionChunk.Choice.Delta.ToolCall;

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Puts together the tool calls of a streamed answer. The API sends each call
 * as pieces keyed by `index`: the first with its `id` and `name`, the rest
 * with pieces of its `arguments`. Each piece of arguments is reported as a
 * `tool-input-delta` as it comes; {@link ToolCallAssembler.events} gives one
 * `tool-call` per call once the stream is complete.
 */
export class ToolCallAssembler {
  readonly #calls: PendingCall[] = [];
  readonly #byIndex = new Map<number, PendingCall>();

  /** Takes the tool call pieces of one chunk; emits a `tool-input-delta` per piece of arguments. */
  add(deltas: readonly ToolCallDelta[], emit: (event: ProviderEvent) => void): void {
    for (const delta of deltas) {
      const call = this.#callFor(delta);
      if (call.name === '' && delta.function?.name) call.name = delta.function.name;
      const piece = delta.function?.arguments;
      if (piece) {
        call.arguments += piece;
        emit({ type: 'tool-input-delta', toolCallId: call.id, toolName: call.name, delta: piece });
      }
    }
  }

  /** One `tool-call` per call, in the order the calls began, with its input parsed. */
  events(): ProviderEvent[] {
    return this.#calls.map((call) => ({
      type: 'tool-call',
      toolCallId: call.id,
      toolName: call.name,
      input: parseToolInput(call.arguments),
    }));
  }

  #callFor(delta: ToolCallDelta): PendingCall {
    const index = typeof delta.index === 'number' ? delta.index : this.#calls.length;
    const id = delta.id || undefined;
    const known = this.#byIndex.get(index);
    // A new id at a known index is a new call: some compatible servers send
    // every call whole, each at index 0.
    if (known !== undefined && (id === undefined || id === known.id)) return known;
    const call: PendingCall = {
      // Some compatible servers send no id; the result must still name its call, uniquely in the context.
      id: id ?? `call_${randomUUID()}`,
      name: delta.function?.name ?? '',
      arguments: '',
    };
    this.#calls.push(call);
    this.#byIndex.set(index, call);
    return call;
  }
}
