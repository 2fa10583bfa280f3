import type { ProviderRequest } from '@multi-context/provider';
import {
  ANTHROPIC_RESPONSE_HEADERS as ANTHROPIC_HEADERS,
  anthropicConformanceWire,
  anthropicErrorBody as anthropicError,
  anthropicMessageStart,
  chatRequest,
  collectEvents as collect,
  describeProviderConformance,
  expectProviderError,
  sendJson,
  streamFrames,
  type TestServer,
  useTestServers,
} from '@multi-context/testing';
import { describe, expect, it } from 'vitest';
import { type AnthropicProviderOptions, createAnthropicProvider } from './index.js';

const KEY = 'sk-SENTINEL-123';

// The events of a real Messages API stream answering "Hello, world!", and its breaks.
const WIRE = anthropicConformanceWire();

const serve = useTestServers();
const answer = streamFrames(WIRE.answer, { headers: WIRE.headers });

function providerFor(server: TestServer, options: AnthropicProviderOptions = {}) {
  return createAnthropicProvider({ apiKey: KEY, baseURL: server.origin, ...options });
}

const makeRequest = (overrides: Partial<ProviderRequest> = {}) =>
  chatRequest({ model: 'claude-sonnet-5-5', ...overrides });

describe('createAnthropicProvider', () => {
  describeProviderConformance({
    providerId: 'anthropic',
    apiKey: KEY,
    model: 'claude-sonnet-5-5',
    createProvider: (server) => providerFor(server),
    wire: WIRE,
    answer: {
      createProvider: (server) =>
        providerFor(server, { headers: { 'anthropic-beta': 'test-beta-2026-01-01' } }),
      // message_start reports the input tokens before the first piece.
      startUsage: {
        inputTokens: 25,
        outputTokens: 1,
        totalTokens: 26,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      usage: {
        inputTokens: 25,
        outputTokens: 15,
        totalTokens: 40,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
      finishReason: 'end_turn',
      requestPath: '/v1/messages',
      requestHeaders: {
        'anthropic-version': /^\d{4}-\d{2}-\d{2}$/,
        'anthropic-beta': 'test-beta-2026-01-01',
      },
      // Prompt caching is on by default: the system and the user messages carry breakpoints.
      requestBody: {
        model: 'claude-sonnet-5-5',
        max_tokens: 4096,
        system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral' } }],
          },
          { role: 'assistant', content: 'Hello! How can I help?' },
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'Say hello to the world.',
                cache_control: { type: 'ephemeral' },
              },
            ],
          },
        ],
        stream: true,
      },
    },
    rateLimited: {
      body: anthropicError(
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 50 requests per minute.',
      ),
      headers: { 'retry-after': '3', ...ANTHROPIC_HEADERS },
      retryAfterMs: 3000,
      message: /HTTP 429: This request would exceed the rate limit/,
    },
    // 529 is Anthropic's own "overloaded" status.
    serverErrors: [
      { status: 500, body: anthropicError('api_error', 'Internal server error') },
      { status: 529, body: anthropicError('overloaded_error', 'Internal server error') },
    ],
    badRequest: {
      params: { max_tokens: 999_999 },
      body: anthropicError(
        'invalid_request_error',
        'max_tokens: 999999 > 64000, which is the maximum',
      ),
      message: 'max_tokens: 999999 > 64000',
    },
    unauthorized: {
      body: anthropicError('authentication_error', `invalid x-api-key: ${KEY}`),
      message: 'invalid x-api-key: [redacted]',
    },
    messages: {
      endedEarly: /no message_stop/,
      malformedChunk: /malformed stream event/,
      errorInStream: /Overloaded \(overloaded_error\)/,
    },
    apiKeyEnv: {
      name: 'MULTI_CONTEXT_TEST_ANTHROPIC_KEY',
      createProvider: (server, keys) =>
        createAnthropicProvider({ ...keys, baseURL: server.origin }),
    },
  });

  it('takes max_tokens and stop sequences from params and counts cached input tokens apart', async () => {
    const cachedStart = anthropicMessageStart({ cacheReadInputTokens: 100 });
    // The answer without its message_delta: the usage comes from message_start alone.
    const server = await serve(
      streamFrames([cachedStart, ...WIRE.answer.slice(1, -2), WIRE.answer.at(-1)!]),
    );
    const provider = providerFor(server, { defaultMaxTokens: 99 });
    const { events, error } = await collect(
      provider.stream(makeRequest({ params: { maxTokens: 256, stop: '###' } })),
    );
    expect(error).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({ max_tokens: 256, stop_sequences: ['###'] });
    expect(events.at(-1)).toEqual({
      type: 'finish',
      finishReason: undefined,
      usage: {
        inputTokens: 25,
        cacheReadTokens: 100,
        cacheWriteTokens: 0,
        outputTokens: 1,
        totalTokens: 126,
      },
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
    expect(expectProviderError(noModel.error, KEY).message).toMatch(/names no model/);
    const unknown = await collect(provider.stream(makeRequest({ params: { temprature: 1 } })));
    const providerError = expectProviderError(unknown.error, KEY);
    expect(providerError.retryable).toBe(false);
    expect(providerError.message).toMatch(/unknown parameter "temprature"/);
    expect(server.requests).toHaveLength(0);
  });

  it('reads retry-after as an HTTP date', async () => {
    const server = await serve((_request, response) =>
      sendJson(response, 429, anthropicError('rate_limit_error', 'Slow down'), {
        'retry-after': new Date(Date.now() + 60_000).toUTCString(),
      }),
    );
    const { error } = await collect(providerFor(server).stream(makeRequest()));
    const retryAfterMs = expectProviderError(error, KEY).retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(55_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});
