import type { ProviderToolDefinition } from '@multi-context/provider';
import { expect, it } from 'vitest';
import { ADD_TOOL, TWO_NUMBERS_SCHEMA } from './conformance-tools.js';
import { collectEvents, textDeltas } from './provider-events.js';
import { eventsOfType, type ToolCallScope } from './tool-call-scope.js';

const MUL_TOOL: ProviderToolDefinition = {
  name: 'mul',
  description: 'Multiplies two numbers.',
  inputSchema: TWO_NUMBERS_SCHEMA,
};

const NOW_TOOL: ProviderToolDefinition = {
  name: 'now',
  description: 'Tells the time.',
  inputSchema: { type: 'object', properties: {} },
};

/** Registers the scenarios of one streamed turn with tool calls, as the provider reports it. */
export function streamedToolCallScenarios<W>(scope: ToolCallScope<W>): void {
  const { options, serve, callId, goRequest } = scope;

  it('is of specification v2 and sends no tools field when the request has none', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    const provider = options.createProvider(server);
    // v1 is text only: hosts would never send it tools.
    expect(provider.specificationVersion).toBe('v2');
    const { error } = await collectEvents(provider.stream(goRequest([])));
    expect(error).toBeUndefined();
    expect(server.calls[0]!.body).not.toHaveProperty('tools');
  });

  it('turns parallel streamed calls with split arguments into tool-input-delta and tool-call events with parsed input', async () => {
    const [a, b, c] = [callId('a'), callId('b'), callId('c')];
    const server = await serve(() => ({
      text: ['Let me ', 'work.'],
      toolCalls: [
        { id: a, name: 'add', arguments: ['{"a"', ':2,', '"b":3}'] },
        { id: b, name: 'mul', arguments: ['{"a":4,"b":', '5}'] },
        // No arguments at all: an empty input.
        { id: c, name: 'now', arguments: '' },
      ],
      usage: { inputTokens: 40, outputTokens: 12 },
    }));
    const { events, error } = await collectEvents(
      options.createProvider(server).stream(goRequest([ADD_TOOL, MUL_TOOL, NOW_TOOL])),
    );
    expect(error).toBeUndefined();
    // A provider reports the calls: it neither runs them nor asks the model again.
    expect(server.calls).toHaveLength(1);
    expect(textDeltas(events).join('')).toBe('Let me work.');
    expect(eventsOfType(events, 'tool-input-delta')).toEqual([
      { type: 'tool-input-delta', toolCallId: a, toolName: 'add', delta: '{"a"' },
      { type: 'tool-input-delta', toolCallId: a, toolName: 'add', delta: ':2,' },
      { type: 'tool-input-delta', toolCallId: a, toolName: 'add', delta: '"b":3}' },
      { type: 'tool-input-delta', toolCallId: b, toolName: 'mul', delta: '{"a":4,"b":' },
      { type: 'tool-input-delta', toolCallId: b, toolName: 'mul', delta: '5}' },
    ]);
    const { usage } = options;
    // The calls come after every delta, and nothing but the usage comes between them and `finish`.
    expect(events.slice(events.findIndex((event) => event.type === 'tool-call'))).toEqual([
      { type: 'tool-call', toolCallId: a, toolName: 'add', input: { a: 2, b: 3 } },
      { type: 'tool-call', toolCallId: b, toolName: 'mul', input: { a: 4, b: 5 } },
      { type: 'tool-call', toolCallId: c, toolName: 'now', input: {} },
      ...(options.usageEventBeforeFinish === true ? [{ type: 'usage', usage }] : []),
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
  });

  it('passes arguments that are not JSON on as their text, for the host to answer', async () => {
    const id = callId('x');
    const server = await serve(() => ({
      toolCalls: [{ id, name: 'add', arguments: ['{"a":2,', '"b":'] }],
    }));
    const { events, error } = await collectEvents(
      options.createProvider(server).stream(goRequest([ADD_TOOL])),
    );
    expect(error).toBeUndefined();
    expect(eventsOfType(events, 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: id, toolName: 'add', input: '{"a":2,"b":' },
    ]);
  });
}
