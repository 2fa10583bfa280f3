import type { ChatMessage, ProviderRequest } from '@multi-context/provider';
import { chatRequest, collectEvents, startChatServer } from '@multi-context/testing';
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from './index.js';

const SYSTEM = 'You are a careful reviewer. '.repeat(20);
const EPHEMERAL = { type: 'ephemeral' };

/** The request of a context's task `turn` (from 1): the earlier turns' prompts and answers, then its prompt. */
function turnRequest(turn: number, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const history: ChatMessage[] = [];
  for (let i = 1; i < turn; i++) {
    history.push({ role: 'user', content: `Question ${i}: ${'why? '.repeat(10)}` });
    history.push({ role: 'assistant', content: `Answer ${i}: ${'because. '.repeat(10)}` });
  }
  const prompt = `Question ${turn}: ${'why? '.repeat(10)}`;
  return chatRequest({
    model: 'claude-sonnet-5-5',
    system: SYSTEM,
    history,
    prompt,
    messages: [{ role: 'system', content: SYSTEM }, ...history, { role: 'user', content: prompt }],
    ...overrides,
  });
}

/** Every block with `cache_control` in a Messages body, as `where: text` strings, in prompt order. */
function breakpoints(body: Record<string, unknown>): string[] {
  const marked: string[] = [];
  const visit = (
    where: string,
    block: { cache_control?: unknown; text?: string; name?: string; type?: string },
  ) => {
    if (block.cache_control !== undefined) {
      marked.push(`${where}: ${block.text?.slice(0, 11) ?? block.name ?? block.type}`);
    }
  };
  for (const tool of (body.tools ?? []) as { name: string }[]) visit('tool', tool);
  if (Array.isArray(body.system)) for (const block of body.system) visit('system', block);
  for (const message of body.messages as { role: string; content: unknown }[]) {
    if (Array.isArray(message.content))
      for (const block of message.content) visit(message.role, block);
  }
  return marked;
}

async function startServer() {
  return startChatServer({ wire: 'anthropic', promptCache: { minTokens: 50 } });
}

describe('Anthropic prompt caching', () => {
  it('marks the system prompt and the latest user messages, moving forward as the history grows', async () => {
    const server = await startServer();
    try {
      const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL });
      const bodies: Record<string, unknown>[] = [];
      for (const turn of [1, 2, 3, 4, 5]) {
        const { error } = await collectEvents(provider.stream(turnRequest(turn)));
        expect(error).toBeUndefined();
        bodies.push(server.calls.at(-1)!.body);
      }
      expect(bodies[0]?.system).toEqual([{ type: 'text', text: SYSTEM, cache_control: EPHEMERAL }]);
      expect(bodies[0]?.messages).toEqual([
        {
          role: 'user',
          content: [{ type: 'text', text: turnRequest(1).prompt, cache_control: EPHEMERAL }],
        },
      ]);
      expect(bodies.map(breakpoints)).toEqual([
        ['system: You are a c', 'user: Question 1:'],
        ['system: You are a c', 'user: Question 1:', 'user: Question 2:'],
        ['system: You are a c', 'user: Question 1:', 'user: Question 2:', 'user: Question 3:'],
        ['system: You are a c', 'user: Question 2:', 'user: Question 3:', 'user: Question 4:'],
        ['system: You are a c', 'user: Question 3:', 'user: Question 4:', 'user: Question 5:'],
      ]);
      // The answers are sent as they were: only user messages carry breakpoints.
      expect((bodies[4]!.messages as unknown[])[1]).toEqual({
        role: 'assistant',
        content: `Answer 1: ${'because. '.repeat(10)}`,
      });
    } finally {
      await server.close();
    }
  });

  it('reports cache reads and writes apart from the other input tokens', async () => {
    const server = await startServer();
    try {
      const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL });
      const first = await collectEvents(provider.stream(turnRequest(1)));
      const second = await collectEvents(provider.stream(turnRequest(2)));
      const billed = server.calls.map((call) => call.billed!);
      // Everything up to the prompt is written on turn 1, then read back on turn 2.
      expect(billed[0]?.cacheReadTokens).toBe(0);
      expect(billed[1]?.cacheReadTokens).toBe(billed[0]?.cacheWriteTokens);
      expect(billed[1]?.cacheWriteTokens).toBeGreaterThan(0);
      const usageOf = (events: typeof first.events) => events.findLast((e) => e.type === 'finish');
      expect(usageOf(first.events)).toEqual({
        type: 'finish',
        finishReason: 'end_turn',
        usage: {
          inputTokens: 0,
          cacheReadTokens: 0,
          cacheWriteTokens: billed[0]!.cacheWriteTokens,
          outputTokens: 4,
          totalTokens: billed[0]!.cacheWriteTokens! + 4,
        },
      });
      expect(usageOf(second.events)).toMatchObject({
        usage: {
          inputTokens: 0,
          cacheReadTokens: billed[1]!.cacheReadTokens,
          cacheWriteTokens: billed[1]!.cacheWriteTokens,
          outputTokens: 4,
        },
      });
    } finally {
      await server.close();
    }
  });

  it('names the time-to-live a profile chooses, and marks nothing when prompt_cache is off', async () => {
    const server = await startServer();
    try {
      const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL });
      await collectEvents(provider.stream(turnRequest(2, { params: { prompt_cache: '1h' } })));
      await collectEvents(provider.stream(turnRequest(2, { params: { promptCache: 'off' } })));
      const [hour, off] = server.calls.map((call) => call.body);
      expect(hour?.system).toEqual([
        { type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } },
      ]);
      expect(breakpoints(hour!)).toHaveLength(3);
      expect(JSON.stringify(hour)).not.toContain('"ttl":"5m"');
      // Off: the body the provider sent before caching, and no param of that name.
      expect(off).toEqual({
        model: 'claude-sonnet-5-5',
        max_tokens: 4096,
        system: SYSTEM,
        messages: turnRequest(2).messages.slice(1),
        stream: true,
      });
      expect(server.calls[1]?.billed).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0 });
      // The provider's option sets the default a profile's param overrides.
      const offByDefault = createAnthropicProvider({
        apiKey: 'k',
        baseURL: server.baseURL,
        promptCache: 'off',
      });
      await collectEvents(offByDefault.stream(turnRequest(1)));
      await collectEvents(offByDefault.stream(turnRequest(1, { params: { prompt_cache: '5m' } })));
      expect(breakpoints(server.calls[2]!.body)).toEqual([]);
      expect((server.calls[3]!.body.system as unknown[])[0]).toMatchObject({
        cache_control: { type: 'ephemeral', ttl: '5m' },
      });
    } finally {
      await server.close();
    }
  });

  it('marks the last tool when there is no system prompt, and never more than four blocks', async () => {
    const server = await startServer();
    try {
      const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL });
      const request = turnRequest(6);
      const tool = { name: 'lookup', description: 'Looks up.', inputSchema: { type: 'object' } };
      await collectEvents(
        provider.stream({
          ...request,
          system: undefined,
          messages: request.messages.slice(1),
          tools: [{ ...tool, name: 'first' }, tool],
        }),
      );
      expect(breakpoints(server.calls[0]!.body)).toEqual([
        'tool: lookup',
        'user: Question 4:',
        'user: Question 5:',
        'user: Question 6:',
      ]);
      expect((server.calls[0]!.body.tools as unknown[])[0]).not.toHaveProperty('cache_control');
    } finally {
      await server.close();
    }
  });

  it('marks the tool results of a step, so the next step reads the turn so far', async () => {
    const server = await startServer();
    try {
      const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL });
      const request = turnRequest(1);
      const messages: ChatMessage[] = [
        ...request.messages,
        { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'add', input: { a: 1 } }] },
        { role: 'tool', content: '2', toolCallId: 't1' },
      ];
      await collectEvents(provider.stream({ ...request, messages }));
      expect((server.calls[0]!.body.messages as unknown[]).at(-1)).toEqual({
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: '2',
            is_error: false,
            cache_control: EPHEMERAL,
          },
        ],
      });
      expect(breakpoints(server.calls[0]!.body)).toEqual([
        'system: You are a c',
        'user: Question 1:',
        'user: tool_result',
      ]);
    } finally {
      await server.close();
    }
  });

  it('refuses a prompt_cache it does not know before any call', async () => {
    const server = await startServer();
    try {
      const provider = createAnthropicProvider({ apiKey: 'k', baseURL: server.baseURL });
      const { error } = await collectEvents(
        provider.stream(turnRequest(1, { params: { prompt_cache: '2h' } })),
      );
      expect((error as Error).message).toBe(
        'anthropic: parameter "prompt_cache" must be on, off, 5m or 1h (the cache\'s time-to-live), got "2h".',
      );
      expect(server.calls).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
