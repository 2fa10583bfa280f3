import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
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
import { createAISDKProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

const serve = useChatServers('openai');

/** The AI SDK's OpenAI-compatible models against the server, picked by the profile's model id. */
function providerFor(server: ChatServer) {
  const models = createOpenAICompatible({
    name: 'local',
    baseURL: server.baseURL,
    apiKey: KEY,
    includeUsage: true,
  });
  return createAISDKProvider((modelId) => models(modelId), { secrets: [KEY] });
}

const request = (messages: ChatMessage[], tools: ProviderToolDefinition[] = [ADD_TOOL]) =>
  chatRequest({ model: 'llama3.2', history: messages.slice(0, -1), messages, tools });

describe('AI SDK tool calls', () => {
  it('sends tools and the tool history through the model', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    const { error } = await collect(
      providerFor(server).stream(
        request([
          { role: 'system', content: 'Use tools.' },
          { role: 'user', content: 'add 2 and 3, and 1 and 1' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [
              { id: 'call_1', name: 'add', input: { a: 2, b: 3 } },
              { id: 'call_2', name: 'add', input: { a: 1, b: 1 } },
            ],
          },
          { role: 'tool', content: '5', toolCallId: 'call_1', toolName: 'add' },
          { role: 'tool', content: 'boom', toolCallId: 'call_2', toolName: 'add', isError: true },
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
      { role: 'user', content: 'add 2 and 3, and 1 and 1' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
          { id: 'call_2', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '5' },
      // The AI SDK's OpenAI-compatible wire has no error flag: error-text goes as its text.
      { role: 'tool', tool_call_id: 'call_2', content: 'boom' },
    ]);
  });
});

describe('AI SDK tool calls, as every provider makes them', () => {
  describeToolCallConformance({
    wire: 'openai',
    model: 'llama3.2',
    createProvider: providerFor,
    usage: { inputTokens: 40, outputTokens: 12, totalTokens: 52, cacheReadTokens: 0 },
    // The AI SDK reports the step's usage as a part of its own before it finishes.
    usageEventBeforeFinish: true,
    orchestrator: { MultiContextOrchestrator, defineWorkflow },
    toolLoop: {
      // The AI SDK's OpenAI-compatible wire has no error flag: error-text goes as its text.
      toolResults: [
        { toolCallId: 'call_1', content: '5' },
        { toolCallId: 'call_2', content: 'division by zero' },
      ],
      expectRequests: ([first, second]) => {
        const expected = openAIToolLoopRequest('division by zero');
        expect(first!.body.tools).toEqual(expected.tools);
        expect(second!.body.messages).toEqual(expected.messages);
      },
    },
    invalidArgumentsLoop: {
      toolResult: { toolCallId: 'call_1', content: /^Invalid arguments for the tool "add"/ },
      expectRequests: ([, second]) => {
        // The raw text goes back to the AI SDK, whose OpenAI-compatible model keeps
        // `arguments` valid JSON by sending text that does not parse as a JSON string.
        expect((second!.body.messages as unknown[])[1]).toEqual({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'add', arguments: JSON.stringify('{"a":2,"b":') },
            },
          ],
        });
      },
    },
  });
});
