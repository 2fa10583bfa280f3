import type { ServerResponse } from 'node:http';
import {
  AnthropicPromptCache,
  type AnthropicPromptCacheOptions,
} from './anthropic-prompt-cache.js';
import { anthropicMessageBody, anthropicToolUseFrames } from './anthropic-tool-wire.js';
import {
  ANTHROPIC_RESPONSE_HEADERS,
  anthropicAnswerFrames,
  anthropicErrorBody,
} from './anthropic-wire.js';
import { approximateTokens } from './approximate-tokens.js';
import { type ChatToolResult, promptOf, stepOf, toolResultsOf } from './chat-call.js';
import { OpenAIPromptCache } from './openai-prompt-cache.js';
import { openAIChatCompletionBody, openAIToolCallFrames } from './openai-tool-wire.js';
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
import type { WireToolCall } from './wire-tool-call.js';

/** The wire formats a {@link ChatServer} speaks. */
export type ChatWire = 'openai' | 'anthropic';

/** One call a {@link ChatServer} received, as its reply function sees it. */
export interface ChatCall {
  request: ReceivedRequest;
  /** The `model` of the request body. */
  model: string | undefined;
  /** The request body as JSON (`messages`, `tools`, ...): what the client sent, in its wire shape. */
  body: Record<string, unknown>;
  /** The text of the last user message that says something: what the task asked. */
  prompt: string;
  /**
   * Which model step of the task this is: 1, plus one for each assistant
   * message with tool calls sent after the prompt.
   */
  step: number;
  /** The tool results sent after the last assistant message (empty on step 1). */
  toolResults: ChatToolResult[];
  /** 1 for the first call with this prompt and step, 2 for its first retry, and so on. */
  attempt: number;
  /** Whether the client asked for a streamed answer (`stream: true`); otherwise it is sent one JSON body. */
  stream: boolean;
  /**
   * With `promptCache`: the input this call is billed, cache reads and writes
   * apart (`outputTokens` 0 until the answer is known). The answer reports it
   * unless the reply gives its own `usage`.
   */
  billed?: WireUsage;
}

/** How a {@link ChatServer} answers one call. */
export type ChatReply =
  /** Streams `answer` piece by piece, `delayMs` apart, then finishes with usage. */
  | { answer: readonly string[]; delayMs?: number; usage?: WireUsage }
  /**
   * Calls tools: streams `text` (if any), then each call with its arguments
   * in the pieces it gives, and finishes for tool calls (`tool_calls`,
   * `tool_use`). Not streamed, the same turn in one JSON body.
   */
  | {
      toolCalls: readonly WireToolCall[];
      text?: readonly string[];
      delayMs?: number;
      usage?: WireUsage;
    }
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
  /**
   * Bill prompt caching as the API does, and report usage from the request
   * (approximate tokens: a quarter of the characters): Anthropic's cache
   * breakpoints (see `AnthropicPromptCache`; `minTokens` lowers the shortest
   * cached prefix for tests), or OpenAI's automatic cache of repeated
   * prefixes of 1,024 tokens and more, per `prompt_cache_key` (see
   * `OpenAIPromptCache`). Output tokens are the answer's, approximated too.
   */
  promptCache?: boolean | AnthropicPromptCacheOptions;
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
 * (OpenAI) or `POST /v1/messages` (Anthropic) in that API's wire format, as
 * `reply` decides for each call: an answer, tool calls (with their arguments
 * streamed in pieces), an HTTP error with the API's error body and headers,
 * or a stream that stalls. A request with `stream: true` is answered with
 * the API's event stream, any other with one JSON body. Each call records
 * the body it came with, its step and the tool results it sent back, so a
 * test can script a tool loop and check what a client sent.
 *
 * @example
 * const server = await startChatServer({
 *   wire: 'openai',
 *   reply: ({ attempt }) =>
 *     attempt === 1 ? { status: 429, headers: { 'retry-after-ms': '20' } } : { answer: ['Hi'] },
 * });
 * createOpenAIProvider({ baseURL: server.baseURL, apiKey: 'test' });
 *
 * @example
 * // A model that calls `add`, then answers with what the tool returned.
 * const server = await startChatServer({
 *   wire: 'anthropic',
 *   reply: ({ step, toolResults }) =>
 *     step === 1
 *       ? { toolCalls: [{ id: 'toolu_1', name: 'add', arguments: ['{"a":2,', '"b":3}'] }] }
 *       : { answer: [`The sum is ${toolResults[0]?.content}.`] },
 * });
 */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const { wire } = options;
  const calls: ChatCall[] = [];
  const attempts = new Map<string, number>();
  const reply = options.reply ?? (() => ({ answer: ['Hello', ',', ' world', '!'] }));
  const cacheOptions = options.promptCache === true ? {} : options.promptCache || undefined;
  const cache =
    cacheOptions === undefined
      ? undefined
      : wire === 'anthropic'
        ? new AnthropicPromptCache(cacheOptions)
        : new OpenAIPromptCache();
  const server = await startTestServer(async (request, response) => {
    const body = (
      typeof request.body === 'object' && request.body !== null ? request.body : {}
    ) as Record<string, unknown>;
    const prompt = promptOf(body.messages);
    const step = stepOf(body.messages);
    const key = `${step}:${prompt}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const call: ChatCall = {
      request,
      body,
      model: typeof body.model === 'string' ? body.model : undefined,
      prompt,
      step,
      toolResults: toolResultsOf(body.messages),
      attempt,
      stream: body.stream === true,
    };
    const bill = cache?.bill(body);
    if (bill !== undefined && 'error' in bill) {
      calls.push(call);
      await answer(wire, { status: 400, message: bill.error }, call.stream, response);
      return;
    }
    if (bill !== undefined) call.billed = { ...bill, outputTokens: 0 };
    calls.push(call);
    await answer(wire, await reply(call), call.stream, response, call.billed);
  });
  return {
    ...server,
    calls,
    baseURL: wire === 'openai' ? `${server.origin}/v1` : server.origin,
  };
}

async function answer(
  wire: ChatWire,
  reply: ChatReply,
  stream: boolean,
  response: ServerResponse,
  billed?: WireUsage,
): Promise<void> {
  const headers = wire === 'openai' ? OPENAI_RESPONSE_HEADERS : ANTHROPIC_RESPONSE_HEADERS;
  if ('status' in reply) {
    const message = reply.message ?? `HTTP ${reply.status} from the test server`;
    const type = ERROR_TYPES[wire](reply.status);
    const body =
      wire === 'openai' ? openAIErrorBody(message, type, null) : anthropicErrorBody(type, message);
    sendJson(response, reply.status, body, { ...headers, ...reply.headers });
    return;
  }
  // A stalled call that is not streamed gets no answer at all.
  if ('stall' in reply && !stream) return;
  const turn =
    'toolCalls' in reply
      ? { text: reply.text, toolCalls: reply.toolCalls }
      : { text: 'stall' in reply ? reply.stall : reply.answer };
  const usage = ('usage' in reply ? reply.usage : undefined) ?? billedUsage(billed, turn);
  if (!stream) {
    const body =
      wire === 'openai'
        ? openAIChatCompletionBody(turn, { usage })
        : anthropicMessageBody(turn, { usage });
    sendJson(response, 200, body, headers);
    return;
  }
  const frames = streamedFrames(wire, reply, usage);
  startEventStream(response, headers);
  if ('stall' in reply) {
    // Both wires end an answer with three frames after the last piece: leave them out.
    await writeFrames(response, frames.slice(0, -3));
    return;
  }
  await writeFrames(response, frames, reply.delayMs ?? 0);
  response.end();
}

/** The billed input with the turn's output tokens: its text and its calls' arguments, approximated. */
function billedUsage(
  billed: WireUsage | undefined,
  turn: { text?: readonly string[]; toolCalls?: readonly WireToolCall[] },
): WireUsage | undefined {
  if (billed === undefined) return undefined;
  const output = [
    ...(turn.text ?? []),
    ...(turn.toolCalls ?? []).map((call) => JSON.stringify(call)),
  ].join('');
  return { ...billed, outputTokens: Math.max(1, approximateTokens(output)) };
}

function streamedFrames(
  wire: ChatWire,
  reply: Exclude<ChatReply, { status: number }>,
  usage: WireUsage | undefined,
): string[] {
  if ('toolCalls' in reply) {
    const turn = { text: reply.text, toolCalls: reply.toolCalls };
    return wire === 'openai'
      ? openAIToolCallFrames(turn, { usage })
      : anthropicToolUseFrames(turn, { usage });
  }
  const pieces = 'stall' in reply ? reply.stall : reply.answer;
  return wire === 'openai'
    ? openAIAnswerFrames(pieces, { usage })
    : anthropicAnswerFrames(pieces, { usage });
}
