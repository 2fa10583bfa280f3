import { MultiContextOrchestrator } from '@multi-context/core';
import type { ChatMessage, ProviderEvent, ProviderToolDefinition } from '@multi-context/provider';
import {
  type ChatReply,
  type ChatServer,
  chatRequest,
  collectEvents as collect,
  startChatServer,
  textDeltas,
  type WireToolCall,
} from '@multi-context/testing';
import { defineTool } from '@multi-context/tools';
import { defineWorkflow } from '@multi-context/workflow';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

const ADD_SCHEMA = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
  additionalProperties: false,
};

const ADD: ProviderToolDefinition = {
  name: 'add',
  description: 'Adds two numbers.',
  inputSchema: ADD_SCHEMA,
};

const servers: ChatServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(reply: (call: ChatServer['calls'][number]) => ChatReply) {
  const server = await startChatServer({ wire: 'openai', reply });
  servers.push(server);
  return server;
}

const providerFor = (server: ChatServer) =>
  createOpenAIProvider({ apiKey: KEY, baseURL: server.baseURL });

const request = (messages: ChatMessage[], tools: ProviderToolDefinition[] = [ADD]) =>
  chatRequest({ model: 'gpt-4o-mini', history: messages.slice(0, -1), messages, tools });

const ofType = <T extends ProviderEvent['type']>(events: ProviderEvent[], type: T) =>
  events.filter((event): event is Extract<ProviderEvent, { type: T }> => event.type === type);

describe('OpenAI tool calls', () => {
  it('declares specification v2 and sends tools and the tool history in the wire shape', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    const provider = providerFor(server);
    expect(provider.specificationVersion).toBe('v2');
    const { error } = await collect(
      provider.stream(
        request([
          { role: 'system', content: 'Use tools.' },
          { role: 'user', content: 'add 2 and 3, and 1 and x' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'call_1', name: 'add', input: { a: 2, b: 3 } },
              { id: 'call_2', name: 'add', input: '{"a":1,"b":' },
            ],
          },
          { role: 'tool', content: '5', toolCallId: 'call_1', toolName: 'add' },
          {
            role: 'tool',
            content: 'Invalid arguments',
            toolCallId: 'call_2',
            toolName: 'add',
            isError: true,
          },
        ]),
      ),
    );
    expect(error).toBeUndefined();
    const body = server.calls[0]!.body;
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'add', description: 'Adds two numbers.', parameters: ADD_SCHEMA },
      },
    ]);
    expect(body.messages).toEqual([
      { role: 'system', content: 'Use tools.' },
      { role: 'user', content: 'add 2 and 3, and 1 and x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
          // Arguments that were not JSON go back as the model wrote them.
          { id: 'call_2', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '5' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: Invalid arguments' },
    ]);
  });

  it('sends no tools field when the request has none', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    await collect(providerFor(server).stream(request([{ role: 'user', content: 'hi' }], [])));
    expect(server.calls[0]!.body).not.toHaveProperty('tools');
  });

  it('turns parallel streamed calls with split arguments into tool-call events with parsed input', async () => {
    const calls: WireToolCall[] = [
      { id: 'call_a', name: 'add', arguments: ['{"a"', ':2,', '"b":3}'] },
      { id: 'call_b', name: 'mul', arguments: ['{"a":4,"b":', '5}'] },
      { id: 'call_c', name: 'now', arguments: '' },
    ];
    const server = await serve(() => ({
      text: ['Let me ', 'work.'],
      toolCalls: calls,
      usage: { inputTokens: 40, outputTokens: 12 },
    }));
    const { events, error } = await collect(
      providerFor(server).stream(request([{ role: 'user', content: 'go' }])),
    );
    expect(error).toBeUndefined();
    expect(textDeltas(events).join('')).toBe('Let me work.');
    expect(ofType(events, 'tool-input-delta')).toEqual([
      { type: 'tool-input-delta', toolCallId: 'call_a', toolName: 'add', delta: '{"a"' },
      { type: 'tool-input-delta', toolCallId: 'call_a', toolName: 'add', delta: ':2,' },
      { type: 'tool-input-delta', toolCallId: 'call_a', toolName: 'add', delta: '"b":3}' },
      { type: 'tool-input-delta', toolCallId: 'call_b', toolName: 'mul', delta: '{"a":4,"b":' },
      { type: 'tool-input-delta', toolCallId: 'call_b', toolName: 'mul', delta: '5}' },
    ]);
    const usage = { inputTokens: 40, outputTokens: 12, totalTokens: 52, cacheReadTokens: 0 };
    expect(events.slice(-4)).toEqual([
      { type: 'tool-call', toolCallId: 'call_a', toolName: 'add', input: { a: 2, b: 3 } },
      { type: 'tool-call', toolCallId: 'call_b', toolName: 'mul', input: { a: 4, b: 5 } },
      // No arguments at all: an empty input.
      { type: 'tool-call', toolCallId: 'call_c', toolName: 'now', input: {} },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
  });

  it('passes arguments that are not JSON on as their text', async () => {
    const server = await serve(() => ({
      toolCalls: [{ id: 'call_x', name: 'add', arguments: ['{"a":2,', '"b":'] }],
    }));
    const { events, error } = await collect(
      providerFor(server).stream(request([{ role: 'user', content: 'go' }])),
    );
    expect(error).toBeUndefined();
    expect(ofType(events, 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'call_x', toolName: 'add', input: '{"a":2,"b":' },
    ]);
  });
});

describe('OpenAI tool loop through the orchestrator', () => {
  const add = defineTool<{ a: number; b: number }>({
    name: 'add',
    description: 'Adds two numbers.',
    inputSchema: ADD_SCHEMA,
    execute: ({ a, b }) => a + b,
  });
  const divide = defineTool<{ a: number; b: number }>({
    name: 'divide',
    description: 'Divides a by b.',
    inputSchema: ADD_SCHEMA,
    execute: ({ a, b }) => {
      if (b === 0) throw new Error('division by zero');
      return a / b;
    },
  });

  async function runTask(server: ChatServer) {
    const orchestrator = new MultiContextOrchestrator({
      providers: { openai: providerFor(server) },
      profiles: {
        agent: { provider: 'openai', model: 'gpt-4o-mini', tools: ['add', 'divide'] },
      },
      tools: { add, divide },
    });
    const workflow = defineWorkflow({
      name: 'tools',
      phases: [
        { name: 'p', tasks: [{ id: 't', contextName: 'c', prompt: 'Compute.', profile: 'agent' }] },
      ],
    });
    const result = await orchestrator.run(workflow).result;
    return result.phases[0]!.results[0]!;
  }

  it('runs the calls and sends the assistant calls and their results, errors included, back', async () => {
    const server = await serve(({ step, toolResults }) =>
      step === 1
        ? {
            text: ['Working.'],
            toolCalls: [
              { id: 'call_1', name: 'add', arguments: ['{"a":2,', '"b":3}'] },
              { id: 'call_2', name: 'divide', arguments: '{"a":1,"b":0}' },
            ],
          }
        : { answer: [`Results: ${toolResults.map((r) => r.content).join(' | ')}`] },
    );
    const task = await runTask(server);
    expect(task).toMatchObject({
      status: 'succeeded',
      response: 'Results: 5 | Error: division by zero',
    });
    expect(server.calls.map((call) => call.step)).toEqual([1, 2]);
    const [first, second] = server.calls.map((call) => call.body);
    expect(first!.tools).toEqual([
      {
        type: 'function',
        function: { name: 'add', description: 'Adds two numbers.', parameters: ADD_SCHEMA },
      },
      {
        type: 'function',
        function: { name: 'divide', description: 'Divides a by b.', parameters: ADD_SCHEMA },
      },
    ]);
    expect(second!.tools).toEqual(first!.tools);
    expect(second!.messages).toEqual([
      { role: 'user', content: 'Compute.' },
      {
        role: 'assistant',
        content: 'Working.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
          {
            id: 'call_2',
            type: 'function',
            function: { name: 'divide', arguments: '{"a":1,"b":0}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '5' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: division by zero' },
    ]);
  });

  it('answers arguments that are not JSON with a validation error the model can act on', async () => {
    const server = await serve(({ step, toolResults }) => {
      if (step === 1)
        return { toolCalls: [{ id: 'call_1', name: 'add', arguments: '{"a":2,"b":' }] };
      if (step === 2)
        return { toolCalls: [{ id: 'call_2', name: 'add', arguments: '{"a":2,"b":3}' }] };
      return { answer: [`sum ${toolResults[0]!.content}`] };
    });
    const task = await runTask(server);
    expect(task).toMatchObject({ status: 'succeeded', response: 'sum 5' });
    const messages = server.calls[1]!.body.messages as Record<string, unknown>[];
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":' } },
      ],
    });
    expect(messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
    expect(messages[2]!.content).toMatch(/^Error: Invalid arguments for the tool "add"/);
  });
});
