import { MultiContextOrchestrator } from '@multi-context/core';
import type { ChatMessage, ProviderToolDefinition } from '@multi-context/provider';
import {
  ADD_TOOL,
  type ChatServer,
  chatRequest,
  collectEvents as collect,
  describeToolCallConformance,
  openAIToolLoopRequest,
  TWO_NUMBERS_SCHEMA,
  useChatServers,
} from '@multi-context/testing';
import { defineWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

const serve = useChatServers('openai');

const providerFor = (server: ChatServer) =>
  createOpenAIProvider({ apiKey: KEY, baseURL: server.baseURL });

const request = (messages: ChatMessage[], tools: ProviderToolDefinition[] = [ADD_TOOL]) =>
  chatRequest({ model: 'gpt-4o-mini', history: messages.slice(0, -1), messages, tools });

describe('OpenAI tool calls', () => {
  it('sends tools and the tool history in the wire shape', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    const { error } = await collect(
      providerFor(server).stream(
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
        function: { name: 'add', description: 'Adds two numbers.', parameters: TWO_NUMBERS_SCHEMA },
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
});

describe('OpenAI tool calls, as every provider makes them', () => {
  describeToolCallConformance({
    wire: 'openai',
    model: 'gpt-4o-mini',
    createProvider: providerFor,
    usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52, cacheReadTokens: 0 },
    orchestrator: { MultiContextOrchestrator, defineWorkflow },
    toolLoop: {
      // The wire has no error flag: an error result says so in its text.
      toolResults: [
        { toolCallId: 'call_1', content: '5' },
        { toolCallId: 'call_2', content: 'Error: division by zero' },
      ],
      expectRequests: ([first, second]) => {
        const expected = openAIToolLoopRequest('Error: division by zero');
        expect(first!.body.tools).toEqual(expected.tools);
        expect(second!.body.messages).toEqual(expected.messages);
      },
    },
    invalidArgumentsLoop: {
      toolResult: { toolCallId: 'call_1', content: /^Error: Invalid arguments for the tool "add"/ },
      expectRequests: ([, second]) => {
        // Arguments that were not JSON go back as the model wrote them.
        expect((second!.body.messages as unknown[])[1]).toEqual({
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":' } },
          ],
        });
      },
    },
  });
});
