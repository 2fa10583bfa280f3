import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Ollama received. */
export interface OllamaCall {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** Resolves when the client's connection closes. */
  closed: Promise<void>;
}

/** Answers one call: write NDJSON lines to `response`, or an error status. */
export type OllamaHandler = (call: OllamaCall, response: ServerResponse) => void | Promise<void>;

/**
 * A stand-in for Ollama on 127.0.0.1: `POST /api/chat` answered by `handler`,
 * which writes the lines a real server streams (see {@link answerLines}).
 */
export async function startOllamaServer(
  handler: OllamaHandler = streamAnswer(['Hello', ' there']),
) {
  const calls: OllamaCall[] = [];
  const server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const closed = new Promise<void>((resolve) => request.socket.once('close', () => resolve()));
    const call: OllamaCall = { headers: request.headers, body: JSON.parse(text || '{}'), closed };
    calls.push(call);
    if (request.method !== 'POST' || request.url !== '/api/chat') {
      response.writeHead(404).end('404 page not found');
      return;
    }
    await handler(call, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The NDJSON lines Ollama streams for an answer made of `pieces`, ending with its `done` line. */
export function answerLines(pieces: readonly string[], model = 'llama3.2'): string[] {
  const line = (fields: Record<string, unknown>) =>
    `${JSON.stringify({ model, created_at: '2026-11-24T06:00:00.000Z', ...fields })}\n`;
  return [
    ...pieces.map((content) => line({ message: { role: 'assistant', content }, done: false })),
    line({
      message: { role: 'assistant', content: '' },
      done_reason: 'stop',
      done: true,
      total_duration: 5_043_500_667,
      load_duration: 5_025_959,
      prompt_eval_count: 26,
      prompt_eval_duration: 325_953_000,
      eval_count: 290,
      eval_duration: 4_709_213_000,
    }),
  ];
}

/** A handler that streams `pieces` as Ollama does, `delayMs` apart. */
export function streamAnswer(pieces: readonly string[], delayMs = 0): OllamaHandler {
  return async (call, response) => {
    response.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const line of answerLines(pieces, String(call.body.model))) {
      response.write(line);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    response.end();
  };
}
