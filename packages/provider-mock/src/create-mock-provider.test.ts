import { isProvider, PROVIDER_SPECIFICATION_VERSION } from '@multi-context/provider';
import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { createMockProvider } from './create-mock-provider.js';
import { defaultMockReply } from './default-reply.js';
import { deltas, record, testRequest } from './test-helpers.js';

describe('createMockProvider', () => {
  it('is a provider of this specification, with id "mock" unless told otherwise', () => {
    const mock = createMockProvider();
    expect(isProvider(mock)).toBe(true);
    expect(mock.specificationVersion).toBe(PROVIDER_SPECIFICATION_VERSION);
    expect(mock.id).toBe('mock');
    expect(createMockProvider({ id: 'offline' }).id).toBe('offline');
  });

  it('is cold: nothing is counted or emitted until subscribed', () => {
    const mock = createMockProvider();
    const stream = mock.stream(testRequest());
    expect(mock.getCalls().total).toBe(0);
    const seen = record(stream);
    expect(mock.getCalls().total).toBe(1);
    expect(seen.completed).toBe(true);
  });

  it('streams the default reply in pieces of three words, then finish with usage', async () => {
    const request = testRequest({
      prompt: 'List three risks',
      contextName: 'review',
      profile: 'critic',
    });
    const events = await lastValueFrom(createMockProvider().stream(request).pipe(toArray()));
    const reply = defaultMockReply(request);
    expect(deltas(events)).toEqual([
      'Here is my',
      ' take on "List',
      ' three risks". Answering',
      ' as the critic',
      ' profile in the',
      ' review context, which',
      ' has no earlier',
      ' messages yet. (Mock',
      ' reply: no model',
      ' was called.)',
    ]);
    expect(deltas(events).join('')).toBe(reply);
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      // 'List three risks' is 16 characters; the reply is 163.
      usage: { inputTokens: 4, outputTokens: 41, totalTokens: 45 },
    });
    expect(reply).toHaveLength(163);
  });

  it('answers a structured-output request with JSON that fits its schema', async () => {
    const schema = {
      type: 'object',
      required: ['title', 'sections'],
      properties: {
        title: { type: 'string', minLength: 5 },
        sections: { type: 'array', minItems: 2, items: { type: 'string' } },
      },
    };
    const text = async (request: ReturnType<typeof testRequest>) =>
      deltas(await lastValueFrom(createMockProvider().stream(request).pipe(toArray()))).join('');
    const planned = await text(testRequest({ output: { format: 'json', schema } }));
    expect(JSON.parse(planned)).toEqual({
      title: 'Mock title',
      sections: ['Mock sections 1', 'Mock sections 2'],
    });
    // Without a schema, plain JSON that still shows the default reply.
    const request = testRequest({ output: { format: 'json' } });
    expect(JSON.parse(await text(request))).toEqual({ answer: defaultMockReply(request) });
    // A script or a reply function still decides.
    const scripted = createMockProvider({ script: { notes: 'not json' } });
    const events = await lastValueFrom(
      scripted.stream(testRequest({ output: { format: 'json', schema } })).pipe(toArray()),
    );
    expect(deltas(events).join('')).toBe('not json');
  });

  it('emits everything synchronously during subscribe when there is no delay', () => {
    const seen = record(createMockProvider().stream(testRequest()));
    expect(seen.events.length).toBeGreaterThan(2);
    expect(seen.completed).toBe(true);
  });

  it('answers the same request the same way, in every provider', async () => {
    const history = [
      { role: 'user' as const, content: 'First question' },
      { role: 'assistant' as const, content: 'First answer' },
    ];
    const request = () => testRequest({ history, system: 'Be brief.' });
    const first = await lastValueFrom(createMockProvider().stream(request()).pipe(toArray()));
    const again = await lastValueFrom(createMockProvider().stream(request()).pipe(toArray()));
    expect(again).toEqual(first);
    expect(deltas(first).join('')).toContain('which has 2 earlier messages');
    // 'Be brief.' + the history + the prompt: 9 + 14 + 12 + 22 = 57 characters.
    expect(first.at(-1)).toMatchObject({ usage: { inputTokens: 15 } });
  });

  it('sends one finish with the whole text and usage when stream is false', async () => {
    const mock = createMockProvider({ stream: false, script: { notes: 'Hello there, friend!' } });
    const events = await lastValueFrom(mock.stream(testRequest()).pipe(toArray()));
    expect(events).toEqual([
      {
        type: 'finish',
        text: 'Hello there, friend!',
        finishReason: 'stop',
        usage: { inputTokens: 6, outputTokens: 5, totalTokens: 11 },
      },
    ]);
  });

  it('sizes pieces with chunkSize', async () => {
    const mock = createMockProvider({ chunkSize: 2, script: { notes: 'one two three four five' } });
    const events = await lastValueFrom(mock.stream(testRequest()).pipe(toArray()));
    expect(deltas(events)).toEqual(['one two', ' three four', ' five']);
  });

  it('stops after the pieces a synchronous subscriber takes', async () => {
    const mock = createMockProvider({ chunkSize: 1, script: { notes: 'a b c d' } });
    const events = await lastValueFrom(mock.stream(testRequest()).pipe(take(2), toArray()));
    expect(events).toEqual([
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: ' b' },
    ]);
  });

  it('counts calls per task and per context in a frozen snapshot', () => {
    const mock = createMockProvider();
    record(mock.stream(testRequest({ taskId: 'a', contextName: 'x' })));
    record(mock.stream(testRequest({ taskId: 'a', contextName: 'x' })));
    record(mock.stream(testRequest({ taskId: 'b', contextName: 'y' })));
    const calls = mock.getCalls();
    expect(calls).toEqual({
      total: 3,
      failed: 0,
      byTask: { a: 2, b: 1 },
      byContext: { x: 2, y: 1 },
    });
    expect(Object.isFrozen(calls)).toBe(true);
    expect(Object.isFrozen(calls.byTask)).toBe(true);
    record(mock.stream(testRequest({ taskId: 'b' })));
    expect(calls.total).toBe(3);
    expect(mock.getCalls().total).toBe(4);
  });
});

describe('script', () => {
  const replyOf = async (mock: ReturnType<typeof createMockProvider>, contextName: string) => {
    const events = await lastValueFrom(mock.stream(testRequest({ contextName })).pipe(toArray()));
    return deltas(events).join('');
  };

  it('answers each context in its own order, then repeats the last reply', async () => {
    const mock = createMockProvider({ script: { a: ['a one', 'a two'], b: 'b always' } });
    expect(await replyOf(mock, 'a')).toBe('a one');
    expect(await replyOf(mock, 'b')).toBe('b always');
    expect(await replyOf(mock, 'a')).toBe('a two');
    expect(await replyOf(mock, 'a')).toBe('a two');
    expect(await replyOf(mock, 'b')).toBe('b always');
  });

  it('leaves other contexts to reply() or the default', async () => {
    const scripted = createMockProvider({ script: { a: 'scripted' }, reply: () => 'computed' });
    expect(await replyOf(scripted, 'a')).toBe('scripted');
    expect(await replyOf(scripted, 'b')).toBe('computed');
    const fallback = createMockProvider({ script: { a: 'scripted', b: [] } });
    expect(await replyOf(fallback, 'b')).toBe(defaultMockReply(testRequest({ contextName: 'b' })));
  });
});

describe('reply', () => {
  it('computes the answer from the request', async () => {
    const mock = createMockProvider({
      stream: false,
      reply: (request) => `${request.taskId}: ${request.prompt.toUpperCase()}`,
    });
    const finish = await lastValueFrom(mock.stream(testRequest({ prompt: 'go' })));
    expect(finish).toMatchObject({ type: 'finish', text: 'task-1: GO' });
  });

  it('may be async', async () => {
    const mock = createMockProvider({ chunkSize: 1, reply: async () => 'later on' });
    const events = await lastValueFrom(mock.stream(testRequest()).pipe(toArray()));
    expect(deltas(events)).toEqual(['later', ' on']);
  });

  it('fails the call with what it throws or rejects with', async () => {
    const boom = new Error('boom');
    const throwing = createMockProvider({
      reply: () => {
        throw boom;
      },
    });
    await expect(lastValueFrom(throwing.stream(testRequest()))).rejects.toBe(boom);
    const rejecting = createMockProvider({ reply: () => Promise.reject(boom) });
    await expect(lastValueFrom(rejecting.stream(testRequest()))).rejects.toBe(boom);
  });

  it('must give a string', async () => {
    const sync = createMockProvider({ reply: () => 42 as unknown as string });
    await expect(lastValueFrom(sync.stream(testRequest()))).rejects.toThrow(TypeError);
    const async = createMockProvider({ reply: async () => null as unknown as string });
    await expect(lastValueFrom(async.stream(testRequest()))).rejects.toThrow(
      "A mock provider's reply() resolved to object, not a string.",
    );
  });
});
