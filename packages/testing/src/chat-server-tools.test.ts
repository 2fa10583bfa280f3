import { describe, expect, it } from 'vitest';
import { type ChatReply, type ChatServer, startChatServer } from './chat-server.js';

const post = async (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The JSON of every `data:` line of an event stream, `[DONE]` left out. */
const dataOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)));

const CALLS = [
  { id: 'call_a', name: 'add', arguments: ['{"a":', '2,"b"', ':3}'] },
  { id: 'call_b', name: 'add', arguments: '{"a":1,"b":1}' },
];

/** Calls `add` twice at step 1, then answers with the results it was sent. */
const toolLoop = ({ step, toolResults }: { step: number; toolResults: { content: string }[] }) =>
  (step === 1
    ? { text: ['Adding.'], toolCalls: CALLS }
    : { answer: [`got ${toolResults.map((r) => r.content).join(' and ')}`] }) as ChatReply;

async function withServer(
  wire: 'openai' | 'anthropic',
  test: (server: ChatServer) => Promise<void>,
) {
  const server = await startChatServer({ wire, reply: toolLoop });
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

describe('startChatServer with tool calls', () => {
  it('streams OpenAI tool calls index by index with their arguments in pieces', async () => {
    await withServer('openai', async (server) => {
      const ask = { model: 'm', stream: true, messages: [{ role: 'user', content: 'add' }] };
      const chunks = dataOf(await (await post(`${server.baseURL}/chat/completions`, ask)).text());
      const deltas = chunks.flatMap((chunk) =>
        chunk.choices.map((c: { delta: unknown }) => c.delta),
      );
      const text = deltas.map((d: { content?: string | null }) => d.content ?? '').join('');
      const calls = new Map<number, { id?: string; name?: string; arguments: string }>();
      for (const delta of deltas) {
        for (const piece of delta.tool_calls ?? []) {
          const call = calls.get(piece.index) ?? { arguments: '' };
          call.id ??= piece.id;
          call.name ??= piece.function?.name;
          call.arguments += piece.function?.arguments ?? '';
          calls.set(piece.index, call);
        }
      }
      expect(text).toBe('Adding.');
      expect([...calls.entries()]).toEqual([
        [0, { id: 'call_a', name: 'add', arguments: '{"a":2,"b":3}' }],
        [1, { id: 'call_b', name: 'add', arguments: '{"a":1,"b":1}' }],
      ]);
      // The arguments of the first call came in three chunks of their own.
      expect(
        deltas.filter((d: { tool_calls?: { index: number }[] }) => d.tool_calls?.[0]?.index === 0),
      ).toHaveLength(4);
      expect(
        chunks
          .flatMap((c) => c.choices.map((x: { finish_reason: unknown }) => x.finish_reason))
          .filter(Boolean),
      ).toEqual(['tool_calls']);
      expect(server.calls[0]).toMatchObject({
        step: 1,
        attempt: 1,
        toolResults: [],
        stream: true,
        prompt: 'add',
      });
    });
  });

  it('answers an OpenAI call that is not streamed with one chat.completion, and reads tool messages', async () => {
    await withServer('openai', async (server) => {
      const first = await post(`${server.baseURL}/chat/completions`, {
        model: 'm',
        messages: [{ role: 'user', content: 'add' }],
      });
      const completion = (await first.json()) as { choices: { message: unknown }[] };
      expect(completion).toMatchObject({
        object: 'chat.completion',
        choices: [
          {
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: 'Adding.',
              tool_calls: [
                {
                  id: 'call_a',
                  type: 'function',
                  function: { name: 'add', arguments: '{"a":2,"b":3}' },
                },
                {
                  id: 'call_b',
                  type: 'function',
                  function: { name: 'add', arguments: '{"a":1,"b":1}' },
                },
              ],
            },
          },
        ],
      });
      const messages = [
        { role: 'user', content: 'add' },
        completion.choices[0]!.message,
        { role: 'tool', tool_call_id: 'call_a', content: '5' },
        { role: 'tool', tool_call_id: 'call_b', content: 'Error: boom' },
      ];
      const second = (await (
        await post(`${server.baseURL}/chat/completions`, { model: 'm', messages })
      ).json()) as { choices: unknown[] };
      expect(second.choices[0]).toMatchObject({
        finish_reason: 'stop',
        message: { content: 'got 5 and Error: boom' },
      });
      expect(server.calls[1]).toMatchObject({
        step: 2,
        attempt: 1,
        prompt: 'add',
        stream: false,
        toolResults: [
          { toolCallId: 'call_a', content: '5' },
          { toolCallId: 'call_b', content: 'Error: boom' },
        ],
      });
      expect(server.calls[1]!.body.messages).toEqual(messages);
    });
  });

  it('streams Anthropic tool_use blocks with input_json_delta pieces, and reads tool_result blocks', async () => {
    await withServer('anthropic', async (server) => {
      const ask = {
        model: 'm',
        max_tokens: 9,
        stream: true,
        messages: [{ role: 'user', content: 'add' }],
      };
      const events = dataOf(await (await post(`${server.baseURL}/v1/messages`, ask)).text());
      const blocks = new Map<number, { start: Record<string, unknown>; json: string }>();
      for (const event of events) {
        if (event.type === 'content_block_start')
          blocks.set(event.index, { start: event.content_block, json: '' });
        if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
          blocks.get(event.index)!.json += event.delta.partial_json;
        }
      }
      expect([...blocks.values()]).toEqual([
        { start: { type: 'text', text: '' }, json: '' },
        {
          start: expect.objectContaining({
            type: 'tool_use',
            id: 'call_a',
            name: 'add',
            input: {},
          }),
          json: '{"a":2,"b":3}',
        },
        {
          start: expect.objectContaining({
            type: 'tool_use',
            id: 'call_b',
            name: 'add',
            input: {},
          }),
          json: '{"a":1,"b":1}',
        },
      ]);
      expect(events.find((e) => e.type === 'message_delta').delta.stop_reason).toBe('tool_use');
      expect(events.at(-1).type).toBe('message_stop');

      const answer = await post(`${server.baseURL}/v1/messages`, {
        model: 'm',
        max_tokens: 9,
        messages: [
          { role: 'user', content: 'add' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'call_a', name: 'add', input: {} }],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'call_a', content: '5', is_error: false },
              {
                type: 'tool_result',
                tool_use_id: 'call_b',
                content: [{ type: 'text', text: 'boom' }],
                is_error: true,
              },
            ],
          },
        ],
      });
      expect(await answer.json()).toMatchObject({
        type: 'message',
        stop_reason: 'end_turn',
        content: [{ type: 'text', text: 'got 5 and boom' }],
      });
      expect(server.calls[1]).toMatchObject({
        prompt: 'add',
        step: 2,
        stream: false,
        toolResults: [
          { toolCallId: 'call_a', content: '5', isError: false },
          { toolCallId: 'call_b', content: 'boom', isError: true },
        ],
      });
    });
  });

  it('answers an Anthropic call that is not streamed with tool_use blocks of parsed input', async () => {
    await withServer('anthropic', async (server) => {
      const response = await post(`${server.baseURL}/v1/messages`, {
        model: 'm',
        max_tokens: 9,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'add' }] }],
      });
      expect(await response.json()).toMatchObject({
        stop_reason: 'tool_use',
        content: [
          { type: 'text', text: 'Adding.' },
          { type: 'tool_use', id: 'call_a', name: 'add', input: { a: 2, b: 3 } },
          { type: 'tool_use', id: 'call_b', name: 'add', input: { a: 1, b: 1 } },
        ],
      });
      expect(server.calls[0]).toMatchObject({ prompt: 'add', step: 1 });
    });
  });
});
