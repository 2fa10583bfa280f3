import {
  ProviderAbortError,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from '@multi-context/provider';
import {
  chatRequest,
  collectEvents as collect,
  textDeltas as deltas,
  sseFrame as frame,
  OPENAI_RESPONSE_HEADERS as OPENAI_HEADERS,
  openAIAnswerFrames,
  openAIErrorBody as openAIError,
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
import { createOpenAIProvider, type OpenAIProviderOptions } from './index.js';

const KEY = 'sk-SENTINEL-123';

// A real Chat Completions stream with stream_options.include_usage: "Hello, world!".
const ANSWER_FRAMES = openAIAnswerFrames();

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: TestHandler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

function providerFor(server: TestServer, options: OpenAIProviderOptions = {}) {
  return createOpenAIProvider({ apiKey: KEY, baseURL: `${server.origin}/v1`, ...options });
}

const makeRequest = (overrides: Partial<ProviderRequest> = {}) =>
  chatRequest({ model: 'gpt-4o-mini', ...overrides });

function expectProviderError(error: unknown): ProviderError {
  expect(ProviderError.isInstance(error)).toBe(true);
  const providerError = error as ProviderError;
  const everything = `${providerError.message} ${JSON.stringify(providerError)} ${providerError.stack}`;
  expect(everything).not.toContain(KEY);
  expect(String((providerError.cause as Error | undefined)?.message ?? '')).not.toContain(KEY);
  return providerError;
}

describe('createOpenAIProvider', () => {
  it('streams an answer with usage and sends the request the API expects', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response, OPENAI_HEADERS);
      await writeFrames(response, ANSWER_FRAMES, 2);
      response.end();
    });
    const provider = providerFor(server, {
      organization: 'org-test',
      headers: { 'X-Title': 'multi-context tests' },
    });
    const events = await lastValueFrom(
      provider
        .stream(makeRequest({ params: { temperature: 0.2, max_tokens: 64, stop: ['\n\n'] } }))
        .pipe(toArray()),
    );

    expect(provider.id).toBe('openai');
    expect(deltas(events)).toEqual(['Hello', ',', ' world', '!']);
    expect(deltas(events).join('')).toBe('Hello, world!');
    const usage = { inputTokens: 19, outputTokens: 10, totalTokens: 29 };
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'stop', usage },
    ]);

    const [received] = server.requests as [ReceivedRequest];
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/v1/chat/completions');
    expect(received.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(received.headers['openai-organization']).toBe('org-test');
    expect(received.headers['x-title']).toBe('multi-context tests');
    expect(received.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello! How can I help?' },
        { role: 'user', content: 'Say hello to the world.' },
      ],
      temperature: 0.2,
      max_tokens: 64,
      stop: ['\n\n'],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('uses defaultModel when the profile names no model', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES);
      response.end();
    });
    const provider = providerFor(server, { defaultModel: 'llama3.2' });
    const { error } = await collect(provider.stream(makeRequest({ model: undefined })));
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({ model: 'llama3.2' });
  });

  it('fails without a request when neither the profile nor defaultModel names a model', async () => {
    const server = await serve((_request, response) => sendJson(response, 500, {}));
    const { error } = await collect(providerFor(server).stream(makeRequest({ model: undefined })));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/names no model/);
    expect(server.requests).toHaveLength(0);
  });

  it('maps camelCase params and merges extra_body; an unknown param is an error', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES);
      response.end();
    });
    const provider = providerFor(server);
    await collect(
      provider.stream(makeRequest({ params: { topP: 0.9, seed: 7, extra_body: { top_k: 40 } } })),
    );
    expect(server.requests[0]?.body).toMatchObject({ top_p: 0.9, seed: 7, top_k: 40 });

    const { error } = await collect(provider.stream(makeRequest({ params: { temprature: 1 } })));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/Unknown parameter "temprature"/);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 429 with retry-after onto a retryable error with retryAfterMs', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        429,
        openAIError(
          'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.',
          'requests',
          'rate_limit_exceeded',
        ),
        { 'retry-after': '2', ...OPENAI_HEADERS },
      ),
    );
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(events).toEqual([]);
    expect(providerError.status).toBe(429);
    expect(providerError.retryable).toBe(true);
    expect(providerError.retryAfterMs).toBe(2000);
    expect(providerError.providerId).toBe('openai');
    expect(providerError.message).toMatch(/HTTP 429: Rate limit reached/);
  });

  it('prefers retry-after-ms', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 429, openAIError('Slow down', 'tokens', 'rate_limit_exceeded'), {
        'retry-after-ms': '350',
        'retry-after': '1',
      }),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    expect(expectProviderError(error).retryAfterMs).toBe(350);
  });

  it('maps 500 onto a retryable error', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        500,
        openAIError(
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
          null,
        ),
      ),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.status).toBe(500);
    expect(providerError.retryable).toBe(true);
    expect(providerError.retryAfterMs).toBeUndefined();
  });

  it('maps 400 onto an error that is not retryable', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        400,
        openAIError(
          "Invalid value for 'temperature': must be <= 2.",
          'invalid_request_error',
          'invalid_value',
        ),
      ),
    );
    const { error } = await collect(
      providerFor(server).stream(makeRequest({ params: { temperature: 9 } })),
    );
    const providerError = expectProviderError(error);
    expect(providerError.status).toBe(400);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain("Invalid value for 'temperature'");
  });

  it('maps 401 onto an error that is not retryable and never shows the key, even when echoed', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        401,
        openAIError(
          `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          'invalid_request_error',
          'invalid_api_key',
        ),
      ),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.status).toBe(401);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain('Incorrect API key provided: [redacted]');
    expect(providerError.cause).toBeUndefined();
  });

  it('fails with a retryable error when the server cuts the stream midway', async () => {
    const server = await serve(async (request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 3), 5);
      await sleep(20);
      request.socket.destroy();
    });
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/connection failed/);
    expect(deltas(events)).toEqual(['Hello', ',']);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('fails with a retryable error when the stream ends cleanly but early', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 3));
      response.end();
    });
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/ended before the answer was complete/);
  });

  it('fails clearly on a malformed chunk', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, [
        ANSWER_FRAMES[1]!,
        'data: {"id":"chatcmpl-1","choices":[{"delta":\n\n',
      ]);
      response.end();
    });
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/malformed stream chunk/);
    expect(deltas(events)).toEqual(['Hello']);
  });

  it('maps an error sent inside the stream', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, [
        ANSWER_FRAMES[1]!,
        frame(openAIError('The server is overloaded.', 'server_error', null)),
      ]);
      response.end();
    });
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/The server is overloaded/);
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
      await writeFrames(response, ANSWER_FRAMES.slice(0, 3));
    });
    const controller = new AbortController();
    const events: ProviderEvent[] = [];
    const outcome = new Promise<unknown>((resolve) => {
      providerFor(server)
        .stream(makeRequest({ signal: controller.signal }))
        .subscribe({
          next: (event) => {
            events.push(event);
            if (events.length === 2) controller.abort();
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
      await writeFrames(response, ANSWER_FRAMES.slice(0, 3));
      // Then stalls, as a slow model would.
    });
    const events: ProviderEvent[] = [];
    const subscription = providerFor(server)
      .stream(makeRequest())
      .subscribe({ next: (event) => events.push(event) });
    const received = await within(server.firstRequest, 2000, 'the request');
    await within(
      (async () => {
        while (events.length < 2) await sleep(5);
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
  const ENV = 'MULTI_CONTEXT_TEST_OPENAI_KEY';
  afterEach(() => {
    delete process.env[ENV];
  });

  it('fails at creation when no key is given or found', () => {
    let thrown: unknown;
    try {
      createOpenAIProvider({ apiKeyEnv: ENV });
    } catch (error) {
      thrown = error;
    }
    const providerError = expectProviderError(thrown);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toContain(ENV);
    expect(providerError.message).toContain('requireApiKey: false');
    expect(() => createOpenAIProvider({ apiKey: '', apiKeyEnv: ENV })).toThrow(/no API key/);
  });

  it('reads the key from the environment variable named by apiKeyEnv', async () => {
    process.env[ENV] = KEY;
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES);
      response.end();
    });
    const provider = createOpenAIProvider({ apiKeyEnv: ENV, baseURL: `${server.origin}/v1` });
    await collect(provider.stream(makeRequest()));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('sends no Authorization header to a local server when requireApiKey is false', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES);
      response.end();
    });
    const provider = createOpenAIProvider({
      id: 'ollama',
      apiKeyEnv: ENV,
      requireApiKey: false,
      baseURL: `${server.origin}/v1`,
      defaultModel: 'llama3.2',
    });
    const { events, error } = await collect(provider.stream(makeRequest({ model: undefined })));
    expect(error).toBeUndefined();
    expect(provider.id).toBe('ollama');
    expect(deltas(events).join('')).toBe('Hello, world!');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });
});
