import { chatRequest, describeProviderConformance } from '@multi-context/testing';
import { describe } from 'vitest';
import { ollamaConformanceWire, ollamaErrorBody } from '../test/ollama-wire.js';
import { createOllamaChatProvider } from './index.js';

const KEY = 'sk-SENTINEL-7f3a';

// The scenarios every official provider passes, against a stand-in that writes Ollama's NDJSON.
describe('createOllamaChatProvider', () => {
  describeProviderConformance({
    providerId: 'ollama',
    apiKey: KEY,
    model: 'llama3.2',
    createProvider: (server) => createOllamaChatProvider({ baseURL: server.origin, apiKey: KEY }),
    wire: ollamaConformanceWire(),
    answer: {
      createProvider: (server) =>
        createOllamaChatProvider({
          baseURL: server.origin,
          apiKey: KEY,
          keepAlive: '5m',
          headers: { 'x-client': 'multi-context tests' },
        }),
      params: { temperature: 0.2, max_tokens: 64, stop: ['\n\n'] },
      usage: { inputTokens: 26, outputTokens: 290 },
      finishReason: 'stop',
      requestPath: '/api/chat',
      requestHeaders: { 'x-client': 'multi-context tests' },
      requestBody: {
        model: 'llama3.2',
        // The suite sends chatRequest(): a system prompt, two messages of history and the prompt.
        messages: chatRequest().messages,
        stream: true,
        options: { temperature: 0.2, num_predict: 64, stop: ['\n\n'] },
        keep_alive: '5m',
      },
    },
    rateLimited: {
      body: ollamaErrorBody('server busy, please try again'),
      headers: { 'retry-after': '2' },
      retryAfterMs: 2000,
      message: /^ollama: HTTP 429: server busy, please try again$/,
    },
    serverErrors: [
      { status: 500, body: ollamaErrorBody('llama runner process has terminated: exit status 2') },
      {
        status: 503,
        body: ollamaErrorBody('server busy, please try again.  maximum pending requests exceeded'),
      },
    ],
    badRequest: {
      params: { temperature: 'hot' },
      body: ollamaErrorBody(
        'json: cannot unmarshal string into Go struct field Options.options.temperature of type float32',
      ),
      message: 'cannot unmarshal string',
    },
    unauthorized: {
      body: ollamaErrorBody(`unauthorized: invalid token ${KEY}`),
      message: 'ollama: HTTP 401: unauthorized: invalid token [redacted]',
    },
    messages: {
      endedEarly: /ended before the answer was complete/,
      malformedChunk: /malformed line/,
      errorInStream: /model runner has unexpectedly stopped/,
      // This provider words both its connection failures alike.
      connectionCut: /^ollama: the connection failed/,
      unreachable: /^ollama: the connection failed/,
    },
    apiKeyEnv: {
      name: 'MULTI_CONTEXT_TEST_OLLAMA_KEY',
      createProvider: (server, keys) =>
        createOllamaChatProvider({ baseURL: server.origin, ...keys }),
    },
  });
});
