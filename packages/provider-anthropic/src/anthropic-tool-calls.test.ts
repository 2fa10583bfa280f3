import { MultiContextOrchestrator } from '@multi-context/core';
import type { ChatMessage, ProviderToolDefinition } from '@multi-context/provider';
import {
  ADD_TOOL,
  type ChatServer,
  chatRequest,
  collectEvents as collect,
  describeToolCallConformance,
  TWO_NUMBERS_SCHEMA,
  useChatServers,
} from '@multi-context/testing';
import { defineWorkflow } from '@multi-context/workflow';
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

const serve = useChatServers('anthropic');

// These pin the tool wire; the cache breakpoints on it are pinned in anthropic-cache.test.ts.
const providerFor = (server: ChatServer) =>
  createAnthropicProvider({ apiKey: KEY, baseURL: server.baseURL, promptCache: 'off' });

const request = (messages: ChatMessage[], tools: ProviderToolDefinition[] = [ADD_TOOL]) =>
  chatRequest({ model: 'claude-sonnet-5-5', history: messages.slice(0, -1), messages, tools });

describe('Anthropic tool calls', () => {
  it('sends tools and the tool history as blocks, one user message per step', async () => {
    const server = await serve(() => ({ answer: ['ok'] }));
    const { error } = await collect(
      providerFor(server).stream(
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
      { name: 'add', description: 'Adds two numbers.', input_schema: TWO_NUMBERS_SCHEMA },
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
});

describe('Anthropic tool calls, as every provider makes them', () => {
  describeToolCallConformance({
    wire: 'anthropic',
    model: 'claude-sonnet-5-5',
    createProvider: providerFor,
    usage: {
      inputTokens: 40,
      outputTokens: 12,
      totalTokens: 52,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    },
    orchestrator: { MultiContextOrchestrator, defineWorkflow },
    toolLoop: {
      toolResults: [
        { toolCallId: 'toolu_1', content: '5', isError: false },
        { toolCallId: 'toolu_2', content: 'division by zero', isError: true },
      ],
      expectRequests: ([first, second]) => {
        expect(first!.body.tools).toEqual([
          { name: 'add', description: 'Adds two numbers.', input_schema: TWO_NUMBERS_SCHEMA },
          { name: 'divide', description: 'Divides a by b.', input_schema: TWO_NUMBERS_SCHEMA },
        ]);
        expect(second!.body.messages).toEqual([
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
      },
    },
    invalidArgumentsLoop: {
      toolResult: {
        toolCallId: 'toolu_1',
        content: /^Invalid arguments for the tool "add"/,
        isError: true,
      },
      expectRequests: ([, second]) => {
        // The API takes only an object: the error result says what was wrong with the text.
        expect((second!.body.messages as unknown[])[1]).toEqual({
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'add', input: {} }],
        });
      },
    },
  });
});
