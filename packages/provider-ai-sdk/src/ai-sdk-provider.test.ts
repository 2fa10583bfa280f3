import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { ProviderRequest } from '@multi-context/provider';
import {
  chatRequest,
  collectEvents as collect,
  describeProviderConformance,
  expectProviderError,
  openAIConformanceWire,
  openAIErrorBody as openAIError,
  openAIStreamRequestBody,
  streamFrames,
  type TestServer,
  useTestServers,
} from '@multi-context/testing';
import { describe, expect, it } from 'vitest';
import { toUsage } from './ai-sdk-provider.js';
import { type AISDKProviderOptions, createAISDKProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

// The AI SDK model under test speaks the OpenAI Chat Completions wire format.
const WIRE = openAIConformanceWire({ model: 'llama3.2' });

const serve = useTestServers();
// Without the API's headers: an OpenAI-compatible local server may send none.
const answer = streamFrames(WIRE.answer);

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

describe('createAISDKProvider', () => {
  describeProviderConformance({
    providerId: 'ai-sdk',
    apiKey: KEY,
    model: 'llama3.2',
    createProvider: (server) => providerFor(server),
    wire: WIRE,
    answer: {
      // A string stop: the provider hands it to the AI SDK as a one-element array.
      params: { temperature: 0.2, max_tokens: 64, stop: '\n\n' },
      // The wire reports `cached_tokens: 0`, which the AI SDK passes on as its cache reads.
      usage: { inputTokens: 19, outputTokens: 10, totalTokens: 29, cacheReadTokens: 0 },
      finishReason: 'stop',
      requestPath: '/v1/chat/completions',
      requestBody: openAIStreamRequestBody({
        model: 'llama3.2',
        temperature: 0.2,
        max_tokens: 64,
        stop: ['\n\n'],
      }),
    },
    rateLimited: {
      body: openAIError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'),
      headers: { 'retry-after': '2' },
      retryAfterMs: 2000,
      message: /HTTP 429: Rate limit reached/,
    },
    serverErrors: [
      { status: 500, body: openAIError('The server had an error', 'server_error', null) },
    ],
    badRequest: {
      params: { temperature: 9 },
      body: openAIError(
        "Invalid value for 'temperature'",
        'invalid_request_error',
        'invalid_value',
      ),
      message: "Invalid value for 'temperature'",
    },
    unauthorized: {
      body: openAIError(
        `Incorrect API key provided: ${KEY}.`,
        'invalid_request_error',
        'invalid_api_key',
      ),
      message: 'Incorrect API key provided: [redacted]',
    },
    messages: {
      // Quotes the AI SDK's own error for the missing finish chunk.
      endedEarly: /without a finish reason/,
      malformedChunk: /malformed stream chunk/,
      errorInStream: /The server is overloaded/,
    },
  });

  it('wraps a fixed model, and refuses a profile that asks for another one', async () => {
    const server = await serve(answer);
    const provider = createAISDKProvider(localModels(server)('llama3.2'), { id: 'ollama' });
    const fine = await collect(provider.stream(makeRequest({ model: undefined })));
    expect(fine.error).toBeUndefined();
    expect(provider.id).toBe('ollama');
    expect(server.requests[0]?.body).toMatchObject({ model: 'llama3.2' });

    const other = await collect(provider.stream(makeRequest({ model: 'qwen3' })));
    const providerError = expectProviderError(other.error, KEY);
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
    expect(expectProviderError(error, KEY).message).toMatch(/names no model/);
    const unknown = await collect(
      providerFor(server).stream(makeRequest({ params: { temprature: 1 } })),
    );
    expect(expectProviderError(unknown.error, KEY).message).toMatch(
      /unknown parameter "temprature"/,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('the AI SDK usage', () => {
  it('takes the cache reads and writes out of the input tokens', () => {
    const usage = {
      inputTokens: 1000,
      inputTokenDetails: { noCacheTokens: 100, cacheReadTokens: 800, cacheWriteTokens: 100 },
      outputTokens: 20,
      outputTokenDetails: { textTokens: 20, reasoningTokens: undefined },
      totalTokens: 1020,
    };
    expect(toUsage(usage)).toEqual({
      inputTokens: 100,
      cacheReadTokens: 800,
      cacheWriteTokens: 100,
      outputTokens: 20,
      totalTokens: 1020,
    });
    // Without noCacheTokens, the rest of the input; the deprecated cachedInputTokens still counts.
    expect(
      toUsage({
        ...usage,
        inputTokenDetails: {
          noCacheTokens: undefined,
          cacheReadTokens: undefined,
          cacheWriteTokens: undefined,
        },
        cachedInputTokens: 300,
      }),
    ).toEqual({ inputTokens: 700, cacheReadTokens: 300, outputTokens: 20, totalTokens: 1020 });
  });

  it('reports no cache counts for a model that reports none', () => {
    expect(
      toUsage({
        inputTokens: 10,
        inputTokenDetails: {
          noCacheTokens: undefined,
          cacheReadTokens: undefined,
          cacheWriteTokens: undefined,
        },
        outputTokens: 2,
        outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
        totalTokens: undefined,
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 2, totalTokens: 12 });
  });
});
