import type { ChatMessage, ProviderRequest } from '@multi-context/provider';
import { chatRequest, collectEvents, startChatServer } from '@multi-context/testing';
import { describe, expect, it } from 'vitest';
import { createOpenAIProvider } from './index.js';
import { promptCacheKey } from './prompt-cache-key.js';

/** About 1,500 approximate tokens: above OpenAI's 1,024-token minimum. */
const SYSTEM = 'You are a careful reviewer. '.repeat(215);

function turnRequest(turn: number, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const history: ChatMessage[] = [];
  for (let i = 1; i < turn; i++) {
    history.push({ role: 'user', content: `Question ${i}` });
    history.push({ role: 'assistant', content: `Answer ${i}` });
  }
  const prompt = `Question ${turn}`;
  return chatRequest({
    model: 'gpt-4o-mini',
    system: SYSTEM,
    contextName: 'Review: chapter 1',
    history,
    prompt,
    messages: [{ role: 'system', content: SYSTEM }, ...history, { role: 'user', content: prompt }],
    ...overrides,
  });
}

describe('OpenAI prompt caching', () => {
  it('derives a stable prompt_cache_key per context, at most 64 characters', () => {
    const key = promptCacheKey({ contextName: 'Review: chapter 1', system: 'S' });
    expect(key).toMatch(/^mc-review-chapter-1-[0-9a-f]{16}$/);
    expect(promptCacheKey({ contextName: 'Review: chapter 1', system: 'S' })).toBe(key);
    expect(promptCacheKey({ contextName: 'Review: chapter 2', system: 'S' })).not.toBe(key);
    expect(promptCacheKey({ contextName: 'Review: chapter 1', system: 'T' })).not.toBe(key);
    expect(promptCacheKey({ contextName: 'x'.repeat(200), system: undefined }).length).toBe(64);
  });

  it('sends the context key when on, keeps a key the params set, and sends none when off', async () => {
    const server = await startChatServer({ wire: 'openai', promptCache: true });
    try {
      const on = createOpenAIProvider({ apiKey: 'k', baseURL: server.baseURL, promptCache: 'on' });
      // Another server than OpenAI's: no key unless asked for.
      const local = createOpenAIProvider({ apiKey: 'k', baseURL: server.baseURL });
      await collectEvents(on.stream(turnRequest(1)));
      await collectEvents(on.stream(turnRequest(1, { params: { prompt_cache_key: 'mine' } })));
      await collectEvents(on.stream(turnRequest(1, { params: { prompt_cache: 'off' } })));
      await collectEvents(local.stream(turnRequest(1)));
      await collectEvents(local.stream(turnRequest(1, { params: { promptCache: 'on' } })));
      const keys = server.calls.map((call) => call.body.prompt_cache_key);
      const contextKey = promptCacheKey(turnRequest(1));
      expect(keys).toEqual([contextKey, 'mine', undefined, undefined, contextKey]);
      // The switch itself is never sent.
      expect(server.calls.some((call) => 'prompt_cache' in call.body)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('sends the key by default to the OpenAI API itself', async () => {
    const server = await startChatServer({ wire: 'openai' });
    try {
      // The API's own address, carried to the local server by the fetch the SDK is given.
      const provider = createOpenAIProvider({
        apiKey: 'k',
        baseURL: 'https://api.openai.com/v1',
        fetch: (url, init) =>
          fetch(String(url).replace('https://api.openai.com/v1', server.baseURL), init),
      });
      await collectEvents(provider.stream(turnRequest(1)));
      expect(server.calls[0]?.body.prompt_cache_key).toBe(promptCacheKey(turnRequest(1)));
    } finally {
      await server.close();
    }
  });

  it('reports cached_tokens as cache reads, apart from the other input tokens', async () => {
    const server = await startChatServer({ wire: 'openai', promptCache: true });
    try {
      const provider = createOpenAIProvider({
        apiKey: 'k',
        baseURL: server.baseURL,
        promptCache: 'on',
      });
      const first = await collectEvents(provider.stream(turnRequest(1)));
      const second = await collectEvents(provider.stream(turnRequest(2)));
      const finish = (events: typeof first.events) => events.findLast((e) => e.type === 'finish');
      const [one, two] = server.calls.map((call) => call.billed!);
      expect(one?.cacheReadTokens).toBe(0);
      expect(two?.cacheReadTokens).toBeGreaterThanOrEqual(1024);
      expect(finish(first.events)).toEqual({
        type: 'finish',
        finishReason: 'stop',
        usage: {
          inputTokens: one!.inputTokens,
          cacheReadTokens: 0,
          outputTokens: 4,
          totalTokens: one!.inputTokens + 4,
        },
      });
      expect(finish(second.events)).toEqual({
        type: 'finish',
        finishReason: 'stop',
        usage: {
          inputTokens: two!.inputTokens,
          cacheReadTokens: two!.cacheReadTokens,
          outputTokens: 4,
          totalTokens: two!.inputTokens + two!.cacheReadTokens! + 4,
        },
      });
    } finally {
      await server.close();
    }
  });

  it('refuses a time-to-live, which OpenAI does not take, before any call', async () => {
    const server = await startChatServer({ wire: 'openai' });
    try {
      const provider = createOpenAIProvider({ apiKey: 'k', baseURL: server.baseURL });
      const { error } = await collectEvents(
        provider.stream(turnRequest(1, { params: { prompt_cache: '1h' } })),
      );
      expect((error as Error).message).toMatch(
        /^Parameter "prompt_cache" for provider "openai" must be on or off, got "1h"/,
      );
      expect(server.calls).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
