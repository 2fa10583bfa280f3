import {
  ProviderAbortError,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from '@multi-context/provider';
import {
  ANTHROPIC_RESPONSE_HEADERS as ANTHROPIC_HEADERS,
  anthropicAnswerFrames,
  anthropicErrorBody as anthropicError,
  anthropicMessageStart,
  chatRequest,
  collectEvents as collect,
  textDeltas as deltas,
  anthropicEvent as event,
  type ReceivedRequest,
  sendJson,
  sleep,
  startEventStream,
  startTestServer,
  type TestHandler,
  type TestServer,
  within,
  writeFrames,
} from '@multi-context/testing';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { type AnthropicProviderOptions, createAnthropicProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

// The events of a real Messages API stream answering "Hello, world!".
const ANSWER_FRAMES = anthropicAnswerFrames();

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: TestHandler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

const answer: TestHandler = async (_request, response) => {
  startEventStream(response, ANTHROPIC_HEADERS);
  await writeFrames(response, ANSWER_FRAMES);
  response.end();
};

function providerFor(server: TestServer, options: AnthropicProviderOptions = {}) {
  return createAnthropicProvider({ apiKey: KEY, baseURL: server.origin, ...options });
}

const makeRequest = (overrides: Partial<ProviderRequest> = {}) =>
  chatRequest({ model: 'claude-sonnet-5-5', ...overrides });

function expectProviderError(error: unknown): ProviderError {
  expect(ProviderError.isInstance(error)).toBe(true);
  const providerError = error as ProviderError;
  const everything = `${providerError.message} ${JSON.stringify(providerError)} ${providerError.stack}`;
  expect(everything).not.toContain(KEY);
  expect(String((providerError.cause as Error | undefined)?.message ?? '')).not.toContain(KEY);
  return providerError;
}

describe('createAnthropicProvider', () => {
  it('streams an answer with usage and sends the request the API expects', async () => {
    const server = await serve(async (request, response) => {
      await answer(request, response);
    });
    const provider = providerFor(server, { headers: { 'anthropic-beta': 'test-beta-2026-01-01' } });
    const events = await lastValueFrom(provider.stream(makeRequest()).pipe(toArray()));

    expect(provider.id).toBe('anthropic');
    expect(deltas(events)).toEqual(['Hello', ',', ' world', '!']);
    expect(deltas(events).join('')).toBe('Hello, world!');
    expect(events[0]).toEqual({
      type: 'usage',
      usage: { inputTokens: 25, outputTokens: 1, totalTokens: 26 },
    });
    const usage = { inputTokens: 25, outputTokens: 15, totalTokens: 40 };
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'end_turn', usage },
    ]);

    const [received] = server.requests as [ReceivedRequest];
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/v1/messages');
    expect(received.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(received.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(received.headers['anthropic-beta']).toBe('test-beta-2026-01-01');
    expect(received.body).toEqual({
      model: 'claude-sonnet-5-5',
      max_tokens: 4096,
      system: 'You are terse.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: 'Say hello to the world.' },
      ],
      stream: true,
    });
  });

  it('takes max_tokens and stop sequences from params and counts cached input tokens', async () => {
    const cachedStart = anthropicMessageStart({ cacheReadInputTokens: 100 });
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, [
        cachedStart,
        ...ANSWER_FRAMES.slice(1, -2),
        ANSWER_FRAMES.at(-1)!,
      ]);
      response.end();
    });
    const provider = providerFor(server, { defaultMaxTokens: 99 });
    const { events, error } = await collect(
      provider.stream(makeRequest({ params: { maxTokens: 256, stop: '###' } })),
    );
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 256, stop_sequences: ['###'] });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: undefined,
      usage: { inputTokens: 125, outputTokens: 1, totalTokens: 126 },
    });
  });

  it('uses defaultModel and defaultMaxTokens, and sends no system when there is none', async () => {
    const server = await serve(answer);
    const provider = providerFor(server, {
      defaultModel: 'claude-haiku-5-5',
      defaultMaxTokens: 512,
    });
    const request = makeRequest({ model: undefined, system: undefined });
    const { error } = await collect(
      provider.stream({
        ...request,
        messages: request.messages.filter((m) => m.role !== 'system'),
      }),
    );
    expect(error).toBeUndefined();
    const body = server.requests[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'claude-haiku-5-5', max_tokens: 512 });
    expect(body).not.toHaveProperty('system');
  });

  it('fails without a request when no model is named or when a param is unknown', async () => {
    const server = await serve(answer);
    const provider = providerFor(server);
    const noModel = await collect(provider.stream(makeRequest({ model: undefined })));
    expect(expectProviderError(noModel.error).message).toMatch(/names no model/);
    const unknown = await collect(provider.stream(makeRequest({ params: { temprature: 1 } })));
    const providerError = expectProviderError(unknown.error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/unknown parameter "temprature"/);
    expect(server.requests).toHaveLength(0);
  });

  it('maps 429 with retry-after onto a retryable error with retryAfterMs', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        429,
        anthropicError(
          'rate_limit_error',
          'This request would exceed the rate limit for your organization of 50 requests per minute.',
        ),
        { 'retry-after': '3', ...ANTHROPIC_HEADERS },
      ),
    );
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(events).toEqual([]);
    expect(providerError.status).toBe(429);
    expect(providerError.retryable).toBe(true);
    expect(providerError.retryAfterMs).toBe(3000);
    expect(providerError.providerId).toBe('anthropic');
    expect(providerError.message).toMatch(/HTTP 429: This request would exceed the rate limit/);
  });

  it('reads retry-after as an HTTP date', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 429, anthropicError('rate_limit_error', 'Slow down'), {
        'retry-after': new Date(Date.now() + 60_000).toUTCString(),
      }),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const retryAfterMs = expectProviderError(error).retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(55_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('maps 500 and 529 onto retryable errors', async () => {
    for (const [status, type] of [
      [500, 'api_error'],
      [529, 'overloaded_error'],
    ] as const) {
      const server = await serve((_request, response) =>
        sendJson(response, status, anthropicError(type, 'Internal server error')),
      );
      const { error } = await collect(providerFor(server).stream(makeRequest()));
      const providerError = expectProviderError(error);
      expect(providerError.status).toBe(status);
      expect(providerError.retryable).toBe(true);
    }
  });

  it('maps 400 onto an error that is not retryable', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        400,
        anthropicError('invalid_request_error', 'max_tokens: 999999 > 64000, which is the maximum'),
      ),
    );
    const { error } = await collect(
      providerFor(server).stream(makeRequest({ params: { max_tokens: 999_999 } })),
    );
    const providerError = expectProviderError(error);
    expect(providerError.status).toBe(400);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain('max_tokens: 999999 > 64000');
  });

  it('maps 401 onto an error that is not retryable and never shows the key, even when echoed', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 401, anthropicError('authentication_error', `invalid x-api-key: ${KEY}`)),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.status).toBe(401);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain('invalid x-api-key: [redacted]');
    expect(providerError.cause).toBeUndefined();
  });

  it('fails with a retryable error when the server cuts the stream midway', async () => {
    const server = await serve(async (request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 5), 5);
      await sleep(20);
      request.socket.destroy();
    });
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/connection failed/);
    expect(deltas(events)).toEqual(['Hello', ',']);
    expect(events.some((item) => item.type === 'finish')).toBe(false);
  });

  it('fails with a retryable error when the stream ends cleanly before message_stop', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 5));
      response.end();
    });
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/no message_stop/);
  });

  it('fails clearly on a malformed event', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, [
        ...ANSWER_FRAMES.slice(0, 4),
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":\n\n',
      ]);
      response.end();
    });
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/malformed stream event/);
    expect(deltas(events)).toEqual(['Hello']);
  });

  it('maps an error event sent inside the stream', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, [
        ...ANSWER_FRAMES.slice(0, 4),
        event('error', {
          type: 'error',
          error: { type: 'overloaded_error', message: 'Overloaded' },
        }),
      ]);
      response.end();
    });
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/Overloaded \(overloaded_error\)/);
  });

  it('aborts a call the server never answers and closes the connection', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const outcome = collect(providerFor(server).stream(makeRequest({ signal: controller.signal })));
    const received = await within(server.firstRequest, 2000, 'the request');
    await sleep(30);
    controller.abort(new Error('attempt timed out'));
    const { events, error } = await within(outcome, 2000, 'the stream to end');
    expect(ProviderAbortError.isInstance(error)).toBe(true);
    expect(events).toEqual([]);
    await within(received.connectionClosed, 2000, 'the server to see the connection close');
  });

  it('ends with an abort error, not a short success, when the signal aborts midway', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 5));
    });
    const controller = new AbortController();
    const events: ProviderEvent[] = [];
    const outcome = new Promise<unknown>((resolve) => {
      providerFor(server)
        .stream(makeRequest({ signal: controller.signal }))
        .subscribe({
          next: (item) => {
            events.push(item);
            if (deltas(events).length === 2) controller.abort();
          },
          error: resolve,
          complete: () => resolve('completed'),
        });
    });
    const error = await within(outcome, 2000, 'the stream to end');
    expect(ProviderAbortError.isInstance(error)).toBe(true);
    expect(deltas(events)).toEqual(['Hello', ',']);
    await within(
      server.requests[0]!.connectionClosed,
      2000,
      'the server to see the connection close',
    );
  });

  it('closes the connection when unsubscribed midway', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 5));
      // Then stalls, as a slow model would.
    });
    const events: ProviderEvent[] = [];
    const subscription = providerFor(server)
      .stream(makeRequest())
      .subscribe({ next: (item) => events.push(item) });
    const received = await within(server.firstRequest, 2000, 'the request');
    await within(
      (async () => {
        while (deltas(events).length < 2) await sleep(5);
      })(),
      2000,
      'the first deltas',
    );
    subscription.unsubscribe();
    await within(received.connectionClosed, 2000, 'the server to see the connection close');
    expect(deltas(events)).toEqual(['Hello', ',']);
  });

  it('maps a refused connection onto a retryable error', async () => {
    const server = await serve(() => {});
    const provider = providerFor(server);
    await server.close();
    servers.length = 0;
    const { error } = await collect(provider.stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.status).toBeUndefined();
    expect(providerError.message).toMatch(/could not reach the server/);
  });
});

describe('API keys', () => {
  const ENV = 'MULTI_CONTEXT_TEST_ANTHROPIC_KEY';
  afterEach(() => {
    delete process.env[ENV];
  });

  it('fails at creation when no key is given or found', () => {
    let thrown: unknown;
    try {
      createAnthropicProvider({ apiKeyEnv: ENV });
    } catch (error) {
      thrown = error;
    }
    const providerError = expectProviderError(thrown);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain(ENV);
    expect(() => createAnthropicProvider({ apiKey: '', apiKeyEnv: ENV })).toThrow(/no API key/);
  });

  it('reads the key from the environment variable named by apiKeyEnv', async () => {
    process.env[ENV] = KEY;
    const server = await serve(answer);
    const provider = createAnthropicProvider({ apiKeyEnv: ENV, baseURL: server.origin });
    const { error } = await collect(provider.stream(makeRequest()));
    expect(error).toBeUndefined();
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});
