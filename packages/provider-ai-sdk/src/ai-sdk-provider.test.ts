import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
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
import { type AISDKProviderOptions, createAISDKProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

// The AI SDK model under test speaks the OpenAI Chat Completions wire format.
const ANSWER_FRAMES = openAIAnswerFrames(undefined, { model: 'llama3.2' });

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
  startEventStream(response);
  await writeFrames(response, ANSWER_FRAMES);
  response.end();
};

function localModels(server: TestServer) {
  return createOpenAICompatible({
    name: 'local',
    baseURL: `${server.origin}/v1`,
    apiKey: KEY,
    includeUsage: true,
  });
}

/** A provider that lets profiles pick the model, as most hosts will use it. */
function providerFor(server: TestServer, options: AISDKProviderOptions = {}) {
  const models = localModels(server);
  return createAISDKProvider((modelId) => models(modelId), { secrets: [KEY], ...options });
}

const makeRequest = (overrides: Partial<ProviderRequest> = {}) =>
  chatRequest({ model: 'llama3.2', ...overrides });

function expectProviderError(error: unknown): ProviderError {
  expect(ProviderError.isInstance(error)).toBe(true);
  const providerError = error as ProviderError;
  const everything = `${providerError.message} ${JSON.stringify(providerError)} ${providerError.stack}`;
  expect(everything).not.toContain(KEY);
  expect(String((providerError.cause as Error | undefined)?.message ?? '')).not.toContain(KEY);
  return providerError;
}

describe('createAISDKProvider', () => {
  it('streams an answer with usage through an AI SDK model and sends the expected request', async () => {
    const server = await serve(answer);
    const provider = providerFor(server);
    const events = await lastValueFrom(
      provider
        .stream(makeRequest({ params: { temperature: 0.2, max_tokens: 64, stop: '\n\n' } }))
        .pipe(toArray()),
    );

    expect(provider.id).toBe('ai-sdk');
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
    expect(received.body).toEqual({
      model: 'llama3.2',
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

  it('wraps a fixed model, and refuses a profile that asks for another one', async () => {
    const server = await serve(answer);
    const provider = createAISDKProvider(localModels(server)('llama3.2'), { id: 'ollama' });
    const fine = await collect(provider.stream(makeRequest({ model: undefined })));
    expect(fine.error).toBeUndefined();
    expect(provider.id).toBe('ollama');
    expect(server.requests[0]?.body).toMatchObject({ model: 'llama3.2' });

    const other = await collect(provider.stream(makeRequest({ model: 'qwen3' })));
    const providerError = expectProviderError(other.error);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(
      /asks for model "qwen3" but this provider wraps "llama3.2"/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('uses defaultModel with a model function, and fails when no model is named', async () => {
    const server = await serve(answer);
    const withDefault = providerFor(server, { defaultModel: 'qwen3' });
    await collect(withDefault.stream(makeRequest({ model: undefined })));
    expect(server.requests[0]?.body).toMatchObject({ model: 'qwen3' });

    const { error } = await collect(providerFor(server).stream(makeRequest({ model: undefined })));
    expect(expectProviderError(error).message).toMatch(/names no model/);
    const unknown = await collect(
      providerFor(server).stream(makeRequest({ params: { temprature: 1 } })),
    );
    expect(expectProviderError(unknown.error).message).toMatch(/unknown parameter "temprature"/);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 429 with retry-after onto a retryable error with retryAfterMs', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        429,
        openAIError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
        { 'retry-after': '2' },
      ),
    );
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(events).toEqual([]);
    expect(providerError.status).toBe(429);
    expect(providerError.retryable).toBe(true);
    expect(providerError.retryAfterMs).toBe(2000);
    expect(providerError.providerId).toBe('ai-sdk');
    expect(providerError.message).toMatch(/HTTP 429: Rate limit reached/);
  });

  it('maps 500 onto a retryable error', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 500, openAIError('The server had an error', 'server_error', null)),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.status).toBe(500);
    expect(providerError.retryable).toBe(true);
  });

  it('maps 400 onto an error that is not retryable', async () => {
    const server = await serve((_request, response) =>
      sendJson(
        response,
        400,
        openAIError("Invalid value for 'temperature'", 'invalid_request_error', 'invalid_value'),
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
          `Incorrect API key provided: ${KEY}.`,
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
    expect(providerError.status).toBeUndefined();
    expect(providerError.message).toMatch(/connection failed/);
    expect(deltas(events)).toEqual(['Hello', ',']);
    expect(events.some((item) => item.type === 'finish')).toBe(false);
  });

  it('fails with a retryable error when the stream ends cleanly but early', async () => {
    const server = await serve(async (_request, response) => {
      startEventStream(response);
      await writeFrames(response, ANSWER_FRAMES.slice(0, 3));
      response.end();
    });
    const { events, error } = await collect(providerFor(server).stream(makeRequest()));
    const providerError = expectProviderError(error);
    expect(providerError.retryable).toBe(true);
    expect(providerError.message).toMatch(/without a finish reason/);
    expect(events.some((item) => item.type === 'finish')).toBe(false);
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
      await writeFrames(response, ANSWER_FRAMES.slice(0, 3));
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
  });
});
