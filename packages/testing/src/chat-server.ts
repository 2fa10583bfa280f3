import type { ServerResponse } from 'node:http';
import {
  ANTHROPIC_RESPONSE_HEADERS,
  anthropicAnswerFrames,
  anthropicErrorBody,
} from './anthropic-wire.js';
import {
  OPENAI_RESPONSE_HEADERS,
  openAIAnswerFrames,
  openAIErrorBody,
  type WireUsage,
} from './openai-wire.js';
import {
  type ReceivedRequest,
  sendJson,
  startEventStream,
  startTestServer,
  type TestServer,
  writeFrames,
} from './test-server.js';

/** The wire formats a {@link ChatServer} speaks. */
export type ChatWire = 'openai' | 'anthropic';

/** One call a {@link ChatServer} received, as its reply function sees it. */
export interface ChatCall {
  request: ReceivedRequest;
  /** The `model` of the request body. */
  model: string | undefined;
  /** The text of the last user message: what the task asked. */
  prompt: string;
  /** 1 for the first call with this prompt, 2 for its first retry, and so on. */
  attempt: number;
}

/** How a {@link ChatServer} answers one call. */
export type ChatReply =
  /** Streams `answer` piece by piece, `delayMs` apart, then finishes with usage. */
  | { answer: readonly string[]; delayMs?: number; usage?: WireUsage }
  /** Answers `status` with the wire's own error body, e.g. `{ status: 429, headers: { 'retry-after-ms': '20' } }`. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Streams these pieces, then neither finishes nor closes: a model that stalls mid-answer. */
  | { stall: readonly string[] };

/** A local server that speaks a real chat wire format, scripted per call. */
export interface ChatServer extends TestServer {
  /** Every call, in arrival order. */
  calls: ChatCall[];
  /** The base URL a provider is given: `<origin>/v1` for OpenAI, `<origin>` for Anthropic. */
  baseURL: string;
}

/** Options of {@link startChatServer}. */
export interface ChatServerOptions {
  wire: ChatWire;
  /** Decides each call's answer; the default streams `Hello, world!`. */
  reply?: (call: ChatCall) => ChatReply | Promise<ChatReply>;
}

const ERROR_TYPES: Record<ChatWire, (status: number) => string> = {
  openai: (status) =>
    status === 429
      ? 'rate_limit_exceeded'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error',
  anthropic: (status) =>
    status === 429
      ? 'rate_limit_error'
      : status === 401
        ? 'authentication_error'
        : status >= 500
          ? 'api_error'
          : 'invalid_request_error',
};

/**
 * Starts a server on 127.0.0.1 that answers `POST /v1/chat/completions`
 * (OpenAI) or `POST /v1/messages` (Anthropic) in that API's streaming wire
 * format, as `reply` decides for each call: a streamed answer, an HTTP error
 * with the API's error body and headers, or a stream that stalls.
 *
 * @example
 * const server = await startChatServer({
 *   wire: 'openai',
 *   reply: ({ attempt }) =>
 *     attempt === 1 ? { status: 429, headers: { 'retry-after-ms': '20' } } : { answer: ['Hi'] },
 * });
 * createOpenAIProvider({ baseURL: server.baseURL, apiKey: 'test' });
 */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const { wire } = options;
  const calls: ChatCall[] = [];
  const attempts = new Map<string, number>();
  const reply = options.reply ?? (() => ({ answer: ['Hello', ',', ' world', '!'] }));
  const server = await startTestServer(async (request, response) => {
    const body = (request.body ?? {}) as { model?: unknown; messages?: unknown };
    const prompt = lastUserText(body.messages);
    const attempt = (attempts.get(prompt) ?? 0) + 1;
    attempts.set(prompt, attempt);
    const call: ChatCall = {
      request,
      model: typeof body.model === 'string' ? body.model : undefined,
      prompt,
      attempt,
    };
    calls.push(call);
    await answer(wire, await reply(call), response);
  });
  return {
    ...server,
    calls,
    baseURL: wire === 'openai' ? `${server.origin}/v1` : server.origin,
  };
}

async function answer(wire: ChatWire, reply: ChatReply, response: ServerResponse): Promise<void> {
  const headers = wire === 'openai' ? OPENAI_RESPONSE_HEADERS : ANTHROPIC_RESPONSE_HEADERS;
  if ('status' in reply) {
    const message = reply.message ?? `HTTP ${reply.status} from the test server`;
    const type = ERROR_TYPES[wire](reply.status);
    const body =
      wire === 'openai' ? openAIErrorBody(message, type, null) : anthropicErrorBody(type, message);
    sendJson(response, reply.status, body, { ...headers, ...reply.headers });
    return;
  }
  const pieces = 'stall' in reply ? reply.stall : reply.answer;
  const usage = 'usage' in reply ? reply.usage : undefined;
  const frames =
    wire === 'openai'
      ? openAIAnswerFrames(pieces, { usage })
      : anthropicAnswerFrames(pieces, { usage });
  startEventStream(response, headers);
  if ('stall' in reply) {
    // Both wires end an answer with three frames after the last piece: leave them out.
    await writeFrames(response, frames.slice(0, -3));
    return;
  }
  await writeFrames(response, frames, reply.delayMs ?? 0);
  response.end();
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown };
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : ''))
        .join('');
    }
  }
  return '';
}
