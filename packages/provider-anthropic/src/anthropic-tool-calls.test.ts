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
import { createAnthropicProvider } from './index.js';

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
  const server = await startChatServer({ wire: 'anthropic', reply });
  servers.push(server);
  return server;
}

// These pin the tool wire; the cache breakpoints on it are pinned in anthropic-cache.test.ts.
const providerFor = (server: ChatServer) =>
  createAnthropicProvider({ apiKey: KEY, baseURL: server.baseURL, promptCache: 'off' });

const request = (messages: ChatMessage[], tools: ProviderToolDefinition[] = [ADD]) =>
  chatRequest({ model: 'claude-sonnet-5-5', history: messages.slice(0, -1), messages, tools });

const ofType = <T extends ProviderEvent['type']>(events: ProviderEvent[], type: T) =>
  events.filter((event): event is Extract<ProviderEvent, { type: T }> => event.type === type);

describe('Anthropic tool calls', () => {
  it('declares specification v2 and sends tools and the tool history as blocks, one user message per step', async () => {
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
            content: 'Adding.',
            toolCalls: [
              { id: 'toolu_1', name: 'add', input: { a: 2, b: 3 } },
              { id: 'toolu_2', name: 'add', input: '{"a":1,"b":' },
            ],
          },
          { role: 'tool', content: '5', toolCallId: 'toolu_1', toolName: 'add' },
          {
            role: 'tool',
            content: 'Invalid arguments',
            toolCallId: 'toolu_2',
            toolName: 'add',
            isError: true,
          },
          { role: 'assistant', content: 'Done: 5.' },
          { role: 'user', content: 'And now?' },
        ]),
      ),
    );
    expect(error).toBeUndefined();
    const body = server.calls[0]!.body;
    expect(body.tools).toEqual([
      { name: 'add', description: 'Adds two numbers.', input_schema: ADD_SCHEMA },
    ]);
    expect(body.system).toBe('Use tools.');
    expect(body.messages).toEqual([
      { role: 'user', content: 'add 2 and 3, and 1 and x' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Adding.' },
          { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 2, b: 3 } },
          // The API takes only an object: the error result says what was wrong with the text.
          { type: 'tool_use', id: 'toolu_2', name: 'add', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '5', is_error: false },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            content: 'Invalid arguments',
            is_error: true,
          },
        ],
      },
      { role: 'assistant', content: 'Done: 5.' },
      { role: 'user', content: 'And now?' },
    ]);
  });

  it('puts a prompt that follows tool results in their user message, after them', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    await collect(
      providerFor(server).stream(
        request([
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'toolu_1', name: 'add', input: {} }],
          },
          { role: 'tool', content: 'oops', toolCallId: 'toolu_1', toolName: 'add', isError: true },
          { role: 'user', content: 'Try again.' },
        ]),
      ),
    );
    expect(server.calls[0]!.body.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'add', input: {} }],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'oops', is_error: true },
          { type: 'text', text: 'Try again.' },
        ],
      },
    ]);
    expect(server.calls[0]!.body).toHaveProperty('tools');
  });

  it('sends no tools field when the request has none', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    await collect(providerFor(server).stream(request([{ role: 'user', content: 'hi' }], [])));
    expect(server.calls[0]!.body).not.toHaveProperty('tools');
  });

  it('turns parallel streamed tool_use blocks with split input into tool-call events with parsed input', async () => {
    const calls: WireToolCall[] = [
      { id: 'toolu_a', name: 'add', arguments: ['{"a"', ':2,', '"b":3}'] },
      { id: 'toolu_b', name: 'mul', arguments: ['{"a":4,"b":', '5}'] },
      { id: 'toolu_c', name: 'now', arguments: '' },
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
      { type: 'tool-input-delta', toolCallId: 'toolu_a', toolName: 'add', delta: '{"a"' },
      { type: 'tool-input-delta', toolCallId: 'toolu_a', toolName: 'add', delta: ':2,' },
      { type: 'tool-input-delta', toolCallId: 'toolu_a', toolName: 'add', delta: '"b":3}' },
      { type: 'tool-input-delta', toolCallId: 'toolu_b', toolName: 'mul', delta: '{"a":4,"b":' },
      { type: 'tool-input-delta', toolCallId: 'toolu_b', toolName: 'mul', delta: '5}' },
    ]);
    const usage = {
      inputTokens: 40,
      outputTokens: 12,
      totalTokens: 52,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    expect(events.slice(-4)).toEqual([
      { type: 'tool-call', toolCallId: 'toolu_a', toolName: 'add', input: { a: 2, b: 3 } },
      { type: 'tool-call', toolCallId: 'toolu_b', toolName: 'mul', input: { a: 4, b: 5 } },
      { type: 'tool-call', toolCallId: 'toolu_c', toolName: 'now', input: {} },
      { type: 'finish', finishReason: 'tool-calls', usage },
    ]);
  });

  it('passes input that is not JSON on as its text', async () => {
    const server = await serve(() => ({
      toolCalls: [{ id: 'toolu_x', name: 'add', arguments: ['{"a":2,', '"b":'] }],
    }));
    const { events, error } = await collect(
      providerFor(server).stream(request([{ role: 'user', content: 'go' }])),
    );
    expect(error).toBeUndefined();
    expect(ofType(events, 'tool-call')).toEqual([
      { type: 'tool-call', toolCallId: 'toolu_x', toolName: 'add', input: '{"a":2,"b":' },
    ]);
  });
});

describe('Anthropic tool loop through the orchestrator', () => {
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
      providers: { anthropic: providerFor(server) },
      profiles: {
        agent: { provider: 'anthropic', model: 'claude-sonnet-5-5', tools: ['add', 'divide'] },
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

  it('runs the calls and sends the tool_use blocks and their results, errors included, back', async () => {
    const server = await serve(({ step, toolResults }) =>
      step === 1
        ? {
            text: ['Working.'],
            toolCalls: [
              { id: 'toolu_1', name: 'add', arguments: ['{"a":2,', '"b":3}'] },
              { id: 'toolu_2', name: 'divide', arguments: '{"a":1,"b":0}' },
            ],
          }
        : {
            answer: [
              `Results: ${toolResults.map((r) => `${r.content}${r.isError ? ' (error)' : ''}`).join(' | ')}`,
            ],
          },
    );
    const task = await runTask(server);
    expect(task).toMatchObject({
      status: 'succeeded',
      response: 'Results: 5 | division by zero (error)',
    });
    expect(server.calls.map((call) => call.step)).toEqual([1, 2]);
    const [first, second] = server.calls.map((call) => call.body);
    expect(first!.tools).toEqual([
      { name: 'add', description: 'Adds two numbers.', input_schema: ADD_SCHEMA },
      { name: 'divide', description: 'Divides a by b.', input_schema: ADD_SCHEMA },
    ]);
    expect(second!.tools).toEqual(first!.tools);
    expect(second!.messages).toEqual([
      { role: 'user', content: 'Compute.' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Working.' },
          { type: 'tool_use', id: 'toolu_1', name: 'add', input: { a: 2, b: 3 } },
          { type: 'tool_use', id: 'toolu_2', name: 'divide', input: { a: 1, b: 0 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '5', is_error: false },
          {
            type: 'tool_result',
            tool_use_id: 'toolu_2',
            content: 'division by zero',
            is_error: true,
          },
        ],
      },
    ]);
  });

  it('answers input that is not JSON with a validation error the model can act on', async () => {
    const server = await serve(({ step, toolResults }) => {
      if (step === 1)
        return { toolCalls: [{ id: 'toolu_1', name: 'add', arguments: '{"a":2,"b":' }] };
      if (step === 2)
        return { toolCalls: [{ id: 'toolu_2', name: 'add', arguments: '{"a":2,"b":3}' }] };
      return { answer: [`sum ${toolResults[0]!.content}`] };
    });
    const task = await runTask(server);
    expect(task).toMatchObject({ status: 'succeeded', response: 'sum 5' });
    expect(server.calls[1]!.toolResults).toEqual([
      {
        toolCallId: 'toolu_1',
        content: expect.stringMatching(/^Invalid arguments for the tool "add"/),
        isError: true,
      },
    ]);
    const messages = server.calls[1]!.body.messages as Record<string, unknown>[];
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'add', input: {} }],
    });
  });
});
