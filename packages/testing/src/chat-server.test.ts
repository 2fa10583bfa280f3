import { describe, expect, it } from 'vitest';
import { type ChatServer, type ChatServerOptions, startChatServer } from './chat-server.js';
import { within } from './test-server.js';

/** Runs `test` with a server of `options`, and closes the server whatever happens. */
async function withServer(options: ChatServerOptions, test: (server: ChatServer) => Promise<void>) {
  const server = await startChatServer(options);
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

const post = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });

const ask = (prompt: string) => ({
  model: 'm',
  stream: true,
  messages: [
    { role: 'user', content: 'earlier' },
    { role: 'assistant', content: 'yes' },
    { role: 'user', content: prompt },
  ],
});

/** The JSON of every `data:` line of an event stream, `[DONE]` left out. */
const dataOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);

describe('startChatServer', () => {
  it('streams an OpenAI answer and counts attempts per prompt', async () => {
    await withServer(
      {
        wire: 'openai',
        reply: ({ attempt }) =>
          attempt === 1
            ? { status: 429, headers: { 'retry-after-ms': '5' } }
            : { answer: ['A', 'B'], usage: { inputTokens: 3, outputTokens: 2 } },
      },
      async (server) => {
        const first = await post(`${server.baseURL}/chat/completions`, ask('q'));
        expect(first.status).toBe(429);
        expect(first.headers.get('retry-after-ms')).toBe('5');
        expect(await first.json()).toMatchObject({ error: { type: 'rate_limit_exceeded' } });

        const second = await post(`${server.baseURL}/chat/completions`, ask('q'));
        expect(second.headers.get('content-type')).toMatch(/text\/event-stream/);
        const chunks = dataOf(await second.text());
        const contents = chunks.flatMap((chunk) =>
          (chunk.choices as { delta: { content?: string } }[]).map((c) => c.delta.content ?? ''),
        );
        expect(contents.join('')).toBe('AB');
        expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2 });
        expect(server.calls.map(({ prompt, attempt, model }) => [prompt, attempt, model])).toEqual([
          ['q', 1, 'm'],
          ['q', 2, 'm'],
        ]);
      },
    );
  });

  it('speaks the Anthropic Messages events and error bodies', async () => {
    await withServer(
      {
        wire: 'anthropic',
        reply: ({ prompt }) =>
          prompt === 'bad' ? { status: 401, message: 'no' } : { answer: ['Hi'] },
      },
      async (server) => {
        const denied = await post(`${server.baseURL}/v1/messages`, ask('bad'));
        expect(denied.status).toBe(401);
        expect(await denied.json()).toMatchObject({
          type: 'error',
          error: { type: 'authentication_error', message: 'no' },
        });
        const text = await (await post(`${server.baseURL}/v1/messages`, ask('good'))).text();
        const names = text.split('\n').filter((line) => line.startsWith('event: '));
        expect(names).toEqual([
          'event: message_start',
          'event: content_block_start',
          'event: ping',
          'event: content_block_delta',
          'event: content_block_stop',
          'event: message_delta',
          'event: message_stop',
        ]);
      },
    );
  });

  it('stalls mid-answer, and sees the connection close when the client aborts', async () => {
    await withServer({ wire: 'openai', reply: () => ({ stall: ['x'] }) }, async (server) => {
      const controller = new AbortController();
      const response = await post(
        `${server.baseURL}/chat/completions`,
        ask('q'),
        controller.signal,
      );
      const reader = response.body!.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toContain('chat.completion.chunk');
      controller.abort();
      await within(server.calls[0]!.request.connectionClosed, 2000, 'the connection to close');
    });
  });
});
