import { describe, expect, it } from 'vitest';
import { AnthropicPromptCache } from './anthropic-prompt-cache.js';
import { startChatServer } from './chat-server.js';
import { OpenAIPromptCache } from './openai-prompt-cache.js';

const EPHEMERAL = { type: 'ephemeral' };

/** The cache reads of a bill, or its error. */
const readOf = (bill: ReturnType<AnthropicPromptCache['bill']>) =>
  'error' in bill ? bill.error : bill.cacheReadTokens;
/** 400 characters: 100 approximate tokens. */
const SYSTEM = 's'.repeat(400);

const text = (body: string, marked = false) => ({
  type: 'text',
  text: body,
  ...(marked && { cache_control: EPHEMERAL }),
});

/** A Messages body with the system and every user message's last block marked. */
function anthropicBody(turns: string[]) {
  return {
    model: 'claude-sonnet-5-5',
    system: [text(SYSTEM, true)],
    messages: turns.map((turn, i) => ({
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: [text(turn, i % 2 === 0)],
    })),
  };
}

describe('AnthropicPromptCache', () => {
  it('writes each marked prefix, then reads the longest one a later request repeats', () => {
    const cache = new AnthropicPromptCache({ minTokens: 50 });
    // system 100 + "q1" 8 tokens.
    expect(cache.bill(anthropicBody(['q'.repeat(32)]))).toEqual({
      inputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 108,
    });
    // The same prefix, the answer (10) and a new prompt (4): reads 108, writes 14.
    expect(cache.bill(anthropicBody(['q'.repeat(32), 'a'.repeat(40), 'r'.repeat(16)]))).toEqual({
      inputTokens: 0,
      cacheReadTokens: 108,
      cacheWriteTokens: 14,
    });
  });

  it('bills plain input after the last breakpoint, and below the minimum', () => {
    const cache = new AnthropicPromptCache({ minTokens: 150 });
    // Only the system is marked, and 100 tokens are below the minimum: nothing is cached.
    const body = {
      model: 'm',
      system: [text(SYSTEM, true)],
      messages: [{ role: 'user', content: 'x'.repeat(80) }],
    };
    expect(cache.bill(body)).toEqual({ inputTokens: 120, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(cache.bill(body)).toEqual({ inputTokens: 120, cacheReadTokens: 0, cacheWriteTokens: 0 });
    const low = new AnthropicPromptCache({ minTokens: 10 });
    low.bill(body);
    expect(low.bill(body)).toEqual({ inputTokens: 20, cacheReadTokens: 100, cacheWriteTokens: 0 });
  });

  it('forgets a prefix when its time-to-live has run out (5m by default, 1h when asked)', () => {
    let now = 0;
    const cache = new AnthropicPromptCache({ minTokens: 10, now: () => now });
    const fiveMinutes = { model: 'm', system: [text(SYSTEM, true)], messages: [] };
    const oneHour = {
      model: 'm',
      system: [{ ...text(SYSTEM), cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [{ role: 'user', content: 'x' }],
    };
    cache.bill(fiveMinutes);
    now = 4 * 60_000;
    expect(readOf(cache.bill(fiveMinutes))).toBe(100);
    // The read renewed it: four more minutes are within five of it.
    now = 8 * 60_000;
    expect(readOf(cache.bill(fiveMinutes))).toBe(100);
    now = 14 * 60_000;
    expect(cache.bill(fiveMinutes)).toEqual({
      inputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 100,
    });
    cache.bill(oneHour);
    now += 50 * 60_000;
    expect(readOf(cache.bill(oneHour))).toBe(100);
  });

  it('refuses more than four breakpoints, as the API does', () => {
    const cache = new AnthropicPromptCache();
    const body = anthropicBody(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(cache.bill(body)).toEqual({
      error: 'A maximum of 4 blocks with cache_control may be provided. Found 5.',
    });
  });

  it('keeps prefixes of each model apart', () => {
    const cache = new AnthropicPromptCache({ minTokens: 10 });
    cache.bill(anthropicBody(['q']));
    expect(readOf(cache.bill({ ...anthropicBody(['q']), model: 'other' }))).toBe(0);
  });
});

describe('OpenAIPromptCache', () => {
  const long = 'w'.repeat(4 * 1500);
  const body = (key: string | undefined, ...messages: string[]) => ({
    model: 'gpt',
    ...(key !== undefined && { prompt_cache_key: key }),
    messages: messages.map((content) => ({ role: 'user', content })),
  });

  it('reports a repeated prefix of 1,024 tokens or more per prompt_cache_key, in steps of 128', () => {
    const cache = new OpenAIPromptCache();
    const first = cache.bill(body('ctx', long));
    expect(first.cacheReadTokens).toBe(0);
    const second = cache.bill(body('ctx', long, 'next question'));
    // The shared text is the messages' JSON up to the first message's end (1,500 tokens and a few).
    expect(second.cacheReadTokens).toBe(1024 + 3 * 128);
    expect(second.inputTokens + second.cacheReadTokens).toBe(
      Math.ceil(JSON.stringify([[], body('ctx', long, 'next question').messages]).length / 4),
    );
    expect(cache.bill(body('other', long, 'next question')).cacheReadTokens).toBe(0);
  });

  it('caches nothing shorter than 1,024 tokens', () => {
    const cache = new OpenAIPromptCache();
    cache.bill(body(undefined, 'w'.repeat(4000)));
    expect(cache.bill(body(undefined, 'w'.repeat(4000))).cacheReadTokens).toBe(0);
  });
});

describe('startChatServer with promptCache', () => {
  it('reports the billed cache reads and writes in the Anthropic usage', async () => {
    const server = await startChatServer({ wire: 'anthropic', promptCache: { minTokens: 10 } });
    try {
      const send = async () => {
        const response = await fetch(`${server.baseURL}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...anthropicBody(['q'.repeat(32)]), stream: false }),
        });
        return ((await response.json()) as { usage: Record<string, unknown> }).usage;
      };
      expect(await send()).toMatchObject({
        input_tokens: 0,
        cache_creation_input_tokens: 108,
        cache_read_input_tokens: 0,
        // "Hello, world!": 13 characters.
        output_tokens: 4,
      });
      expect(await send()).toMatchObject({
        input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 108,
      });
      expect(server.calls[1]?.billed).toEqual({
        inputTokens: 0,
        cacheReadTokens: 108,
        cacheWriteTokens: 0,
        outputTokens: 0,
      });
    } finally {
      await server.close();
    }
  });

  it('reports cached_tokens within prompt_tokens on the OpenAI wire', async () => {
    const server = await startChatServer({ wire: 'openai', promptCache: true });
    try {
      const send = async (...messages: string[]) => {
        const response = await fetch(`${server.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...openAIBody('k', ...messages), stream: false }),
        });
        return ((await response.json()) as { usage: Record<string, unknown> }).usage;
      };
      const long = 'w'.repeat(4 * 1500);
      await send(long);
      const usage = await send(long, 'more');
      expect(usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 1408 } });
      expect(usage.prompt_tokens).toBe(
        Math.ceil(JSON.stringify([[], openAIBody('k', long, 'more').messages]).length / 4),
      );
    } finally {
      await server.close();
    }
  });
});

const openAIBody = (key: string, ...messages: string[]) => ({
  model: 'gpt',
  prompt_cache_key: key,
  messages: messages.map((content) => ({ role: 'user', content })),
});
