import {
  type ChatMessage,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
} from '@multi-context/provider';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answerLines,
  type OllamaHandler,
  startOllamaServer,
  streamAnswer,
} from '../test/ollama-server.js';
import { createOllamaChatProvider, createProvider } from './index.js';

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serve(handler?: OllamaHandler) {
  const server = await startOllamaServer(handler);
  servers.push(server);
  return server;
}

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ];
  return {
    prompt: 'Hi',
    history: [],
    messages,
    profile: 'poet',
    model: 'llama3.2',
    system: 'Be brief.',
    params: {},
    contextName: 'c',
    taskId: 't',
    runId: 'r',
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** The events of a stream and the error it ended with, if any. */
function outcome(events$: Observable<ProviderEvent>) {
  const events: ProviderEvent[] = [];
  return new Promise<{ events: ProviderEvent[]; error?: unknown }>((resolve) => {
    events$.subscribe({
      next: (event) => events.push(event),
      error: (error: unknown) => resolve({ events, error }),
      complete: () => resolve({ events }),
    });
  });
}

describe('createOllamaChatProvider', () => {
  it('streams an answer with usage, and sends the request Ollama expects', async () => {
    const server = await serve(streamAnswer(['Hello', ',', ' world'], 2));
    const provider = createOllamaChatProvider({ baseURL: server.origin, keepAlive: '5m' });
    const events = await lastValueFrom(
      provider
        .stream(request({ params: { temperature: 0.2, max_tokens: 50, top_k: 40 } }))
        .pipe(toArray()),
    );
    const usage = { inputTokens: 26, outputTokens: 290 };
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ',' },
      { type: 'text-delta', text: ' world' },
      { type: 'usage', usage },
      { type: 'finish', finishReason: 'stop', usage },
    ]);
    expect(server.calls[0]!.body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      stream: true,
      options: { temperature: 0.2, num_predict: 50, top_k: 40 },
      keep_alive: '5m',
    });
  });

  it('is the factory the CLI loads: it takes the id and settings of a profiles file', async () => {
    const server = await serve();
    const provider = await createProvider({
      id: 'local',
      baseURL: server.origin,
      defaultModel: 'qwen3',
    });
    expect(provider.id).toBe('local');
    const { error } = await outcome(provider.stream(request({ model: undefined })));
    expect(error).toBeUndefined();
    expect(server.calls[0]!.body.model).toBe('qwen3');
  });

  it('maps 404 (a model that is not pulled) onto a final error', async () => {
    const server = await serve((call, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: `model "${call.body.model}" not found, try pulling it first` }),
      );
    });
    const provider = createOllamaChatProvider({ baseURL: server.origin });
    const missing = (await outcome(provider.stream(request({ model: 'nope' }))))
      .error as ProviderError;
    expect(ProviderError.isInstance(missing)).toBe(true);
    expect([missing.status, missing.retryable]).toEqual([404, false]);
    expect(missing.message).toBe('ollama: HTTP 404: model "nope" not found, try pulling it first');
  });

  it('fails at once on an error line that another attempt would meet again', async () => {
    const server = await serve((_call, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const [first] = answerLines(['Partial']);
      response.write(first);
      response.end('{"error":"an error was encountered while running the model"}\n');
    });
    const provider = createOllamaChatProvider({ baseURL: server.origin });
    const broken = await outcome(provider.stream(request()));
    expect(broken.events).toEqual([{ type: 'text-delta', text: 'Partial' }]);
    expect((broken.error as ProviderError).retryable).toBe(false);
    expect((broken.error as ProviderError).message).toMatch(
      /error in the stream: an error was encountered/,
    );
  });

  it('keeps its key out of errors, even when the server echoes it', async () => {
    process.env.EXAMPLE_OLLAMA_KEY = 'sk-SENTINEL-7f3a';
    try {
      const server = await serve((call, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: `bad token ${call.headers.authorization}` }));
      });
      const provider = createOllamaChatProvider({
        baseURL: server.origin,
        apiKeyEnv: 'EXAMPLE_OLLAMA_KEY',
      });
      const { error } = await outcome(provider.stream(request()));
      expect(server.calls[0]!.headers.authorization).toBe('Bearer sk-SENTINEL-7f3a');
      expect((error as ProviderError).message).toBe(
        'ollama: HTTP 401: bad token Bearer [redacted]',
      );
      expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain('SENTINEL');
    } finally {
      delete process.env.EXAMPLE_OLLAMA_KEY;
    }
  });
});
