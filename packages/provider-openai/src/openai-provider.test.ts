import type { ProviderRequest } from '@multi-context/provider';
import {
  chatRequest,
  collectEvents as collect,
  textDeltas as deltas,
  describeProviderConformance,
  expectProviderError,
  OPENAI_RESPONSE_HEADERS as OPENAI_HEADERS,
  openAIConformanceWire,
  openAIErrorBody as openAIError,
  openAIStreamRequestBody,
  sendJson,
  streamFrames,
  type TestServer,
  useTestServers,
} from '@multi-context/testing';
import { describe, expect, it } from 'vitest';
import { createOpenAIProvider, type OpenAIProviderOptions } from './index.js';

const KEY = 'sk-SENTINEL-123';

// A real Chat Completions stream with stream_options.include_usage ("Hello, world!"), and its breaks.
const WIRE = openAIConformanceWire();

const serve = useTestServers();
const answer = streamFrames(WIRE.answer);

function providerFor(server: TestServer, options: OpenAIProviderOptions = {}) {
  return createOpenAIProvider({ apiKey: KEY, baseURL: `${server.origin}/v1`, ...options });
}

const makeRequest = (overrides: Partial<ProviderRequest> = {}) =>
  chatRequest({ model: 'gpt-4o-mini', ...overrides });

describe('createOpenAIProvider', () => {
  describeProviderConformance({
    providerId: 'openai',
    apiKey: KEY,
    model: 'gpt-4o-mini',
    createProvider: (server) => providerFor(server),
    wire: WIRE,
    answer: {
      createProvider: (server) =>
        providerFor(server, {
          organization: 'org-test',
          headers: { 'X-Title': 'multi-context tests' },
        }),
      params: { temperature: 0.2, max_tokens: 64, stop: ['\n\n'] },
      // The wire reports `cached_tokens: 0`.
      usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29, cacheReadTokens: 0 },
      finishReason: 'stop',
      requestPath: '/v1/chat/completions',
      requestHeaders: { 'openai-organization': 'org-test', 'x-title': 'multi-context tests' },
      requestBody: openAIStreamRequestBody({
        model: 'gpt-4o-mini',
        temperature: 0.2,
        max_tokens: 64,
        stop: ['\n\n'],
      }),
    },
    rateLimited: {
      body: openAIError(
        'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.',
        'requests',
        'rate_limit_exceeded',
      ),
      headers: { 'retry-after': '2', ...OPENAI_HEADERS },
      retryAfterMs: 2000,
      message: /HTTP 429: Rate limit reached/,
    },
    serverErrors: [
      {
        status: 500,
        body: openAIError(
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
          null,
        ),
      },
    ],
    badRequest: {
      params: { temperature: 9 },
      body: openAIError(
        "Invalid value for 'temperature': must be <= 2.",
        'invalid_request_error',
        'invalid_value',
      ),
      message: "Invalid value for 'temperature'",
    },
    unauthorized: {
      body: openAIError(
        `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        'invalid_request_error',
        'invalid_api_key',
      ),
      message: 'Incorrect API key provided: [redacted]',
    },
    messages: {
      endedEarly: /ended before the answer was complete/,
      malformedChunk: /malformed stream chunk/,
      errorInStream: /The server is overloaded/,
    },
    apiKeyEnv: {
      name: 'MULTI_CONTEXT_TEST_OPENAI_KEY',
      createProvider: (server, keys) =>
        createOpenAIProvider({ ...keys, baseURL: `${server.origin}/v1` }),
      missingKeyHints: ['requireApiKey: false'],
    },
  });

  it('uses defaultModel when the profile names no model', async () => {
    const server = await serve(answer);
    const provider = providerFor(server, { defaultModel: 'llama3.2' });
    const { error } = await collect(provider.stream(makeRequest({ model: undefined })));
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({ model: 'llama3.2' });
  });

  it('fails without a request when neither the profile nor defaultModel names a model', async () => {
    const server = await serve((_request, response) => sendJson(response, 500, {}));
    const { error } = await collect(providerFor(server).stream(makeRequest({ model: undefined })));
    const providerError = expectProviderError(error, KEY);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/names no model/);
    expect(server.requests).toHaveLength(0);
  });

  it('maps camelCase params and merges extra_body; an unknown param is an error', async () => {
    const server = await serve(answer);
    const provider = providerFor(server);
    await collect(
      provider.stream(makeRequest({ params: { topP: 0.9, seed: 7, extra_body: { top_k: 40 } } })),
    );
    expect(server.requests[0]?.body).toMatchObject({ top_p: 0.9, seed: 7, top_k: 40 });

    const { error } = await collect(provider.stream(makeRequest({ params: { temprature: 1 } })));
    const providerError = expectProviderError(error, KEY);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/Unknown parameter "temprature"/);
    expect(server.requests).toHaveLength(1);
  });

  it('prefers retry-after-ms', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 429, openAIError('Slow down', 'tokens', 'rate_limit_exceeded'), {
        'retry-after-ms': '350',
        'retry-after': '1',
      }),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    expect(expectProviderError(error, KEY).retryAfterMs).toBe(350);
  });
});

describe('API keys', () => {
  // Left unset, so that only requireApiKey lets the provider go without a key.
  const ENV = 'MULTI_CONTEXT_TEST_OPENAI_KEY';

  it('sends no Authorization header to a local server when requireApiKey is false', async () => {
    const server = await serve(answer);
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
