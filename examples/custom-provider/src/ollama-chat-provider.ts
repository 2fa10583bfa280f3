import {
  abortableStream,
  defineProvider,
  describeNetworkError,
  httpProviderError,
  isTransientNetworkError,
  type Provider,
  ProviderAbortError,
  ProviderError,
  type ProviderErrorContext,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
  readEnv,
  redactedProviderError,
  resolveApiKey,
} from '@multi-context/provider';
import { toOllamaOptions } from './ollama-params.js';
import { isRetryableStreamError } from './ollama-stream-error.js';
import { readLines } from './read-lines.js';

/**
 * Options of {@link createOllamaChatProvider}. The CLI passes a profiles
 * file's provider entry in this shape (`base_url` as `baseURL`, `options:`
 * spread in), so the same function is the plugin's factory.
 */
export interface OllamaChatProviderOptions {
  /** Where Ollama listens. Default: `OLLAMA_HOST` (as the `ollama` command reads it), else `http://localhost:11434`. */
  baseURL?: string;
  /** Used when a profile names no model, such as `llama3.2`. */
  defaultModel?: string;
  /** Ollama's `keep_alive`: how long the model stays loaded after a call, such as `5m`. */
  keepAlive?: string;
  /**
   * For a proxy in front of Ollama: a key given in code, sent as a bearer
   * token. An empty one counts as none.
   */
  apiKey?: string;
  /**
   * For a proxy in front of Ollama: the variable whose value is sent as a
   * bearer token, when `apiKey` gives none. Creating the provider fails when
   * it is named but holds no key.
   */
  apiKeyEnv?: string;
  /** Sent with every request, after the provider's own headers. */
  headers?: Record<string, string>;
  /** Replaces the global `fetch` (a proxy agent, a test double). */
  fetch?: typeof globalThis.fetch;
  /** Names the provider in errors. Default `ollama`; the CLI passes the name from the profiles file. */
  id?: string;
}

/** One line of Ollama's streamed `/api/chat` answer. */
interface ChatLine {
  message?: { content?: string };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

/**
 * A provider for Ollama's native chat API (`POST /api/chat`), which streams
 * its answer as newline-delimited JSON. Written against
 * `@multi-context/provider` alone, as a model for your own: it streams text
 * deltas and usage, maps failures onto retryable or final `ProviderError`s
 * with the key kept out of them, and aborts the HTTP request on cancel.
 *
 * @example
 * const ollama = createOllamaChatProvider({ defaultModel: 'llama3.2' });
 */
export function createOllamaChatProvider(options: OllamaChatProviderOptions = {}): Provider {
  const providerId = options.id ?? 'ollama';
  const baseURL = withScheme(options.baseURL ?? readEnv('OLLAMA_HOST') ?? 'http://localhost:11434');
  const url = `${baseURL.replace(/\/+$/, '')}/api/chat`;
  const apiKey = apiKeyOf(options, providerId);
  const context: ProviderErrorContext = { providerId, secrets: [apiKey] };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(apiKey !== undefined && { authorization: `Bearer ${apiKey}` }),
    ...options.headers,
  };

  /** One call: POST the conversation, then turn each streamed line into provider events. */
  const chat =
    (request: ProviderRequest) =>
    async (signal: AbortSignal, emit: (event: ProviderEvent) => void): Promise<void> => {
      const body = JSON.stringify(chatBody(request, options, providerId));
      const response = await (options.fetch ?? fetch)(url, {
        method: 'POST',
        headers,
        body,
        signal,
      });
      if (!response.ok || response.body === null) {
        const text = await response.text();
        throw httpProviderError(context, response.status, errorText(text), response.headers);
      }
      await emitLines(response.body, emit, context);
    };

  // abortableStream ties the request's signal and an unsubscribe to the fetch,
  // so a cancel or a timeout closes the connection.
  return defineProvider({
    id: providerId,
    stream: (request) =>
      abortableStream(request.signal, chat(request), (error) => toProviderError(error, context)),
  });
}

/**
 * The key to send, if any: Ollama itself asks for none, so only a key given,
 * or a variable named, makes the provider send one.
 */
function apiKeyOf(options: OllamaChatProviderOptions, providerId: string): string | undefined {
  const { apiKey, apiKeyEnv } = options;
  if (apiKeyEnv === undefined) return apiKey === '' ? undefined : apiKey;
  const resolved = resolveApiKey({ apiKey, apiKeyEnv });
  if (resolved === undefined) {
    throw new ProviderError({
      message: `${providerId}: no API key: the variable ${apiKeyEnv} is empty or not set.`,
      providerId,
    });
  }
  return resolved;
}

/** The `/api/chat` request body: the model, the conversation, and the profile's params as `options`. */
function chatBody(
  request: ProviderRequest,
  options: OllamaChatProviderOptions,
  providerId: string,
): Record<string, unknown> {
  const model = request.model ?? options.defaultModel;
  if (model === undefined) {
    throw new ProviderError({
      message: `${providerId}: profile "${request.profile}" names no model and the provider has no defaultModel.`,
      providerId,
    });
  }
  return {
    model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    options: toOllamaOptions(request.params),
    ...(options.keepAlive !== undefined && { keep_alive: options.keepAlive }),
  };
}

/** Emits a text delta per line, then usage and `finish` from the `done` line. */
async function emitLines(
  body: ReadableStream<Uint8Array>,
  emit: (event: ProviderEvent) => void,
  context: ProviderErrorContext,
): Promise<void> {
  for await (const line of readLines(body)) {
    let chunk: ChatLine;
    try {
      chunk = JSON.parse(line) as ChatLine;
    } catch {
      throw redactedProviderError(
        context,
        `the server sent a malformed line: ${line.slice(0, 80)}`,
        {
          retryable: false,
        },
      );
    }
    if (chunk.error !== undefined) {
      throw redactedProviderError(
        context,
        `the server sent an error in the stream: ${chunk.error}`,
        { retryable: isRetryableStreamError(chunk.error) },
      );
    }
    const text = chunk.message?.content;
    if (text) emit({ type: 'text-delta', text });
    if (chunk.done === true) {
      const usage: ProviderUsage = {
        inputTokens: chunk.prompt_eval_count ?? 0,
        outputTokens: chunk.eval_count ?? 0,
      };
      emit({ type: 'usage', usage });
      emit({ type: 'finish', finishReason: chunk.done_reason, usage });
      return;
    }
  }
  // A stream that stops before its `done` line was cut short: another attempt may complete.
  throw redactedProviderError(context, 'the stream ended before the answer was complete', {
    retryable: true,
  });
}

/** Passes our own errors through, and maps what fetch threw (a failed or broken connection). */
function toProviderError(error: unknown, context: ProviderErrorContext): Error {
  if (ProviderError.isInstance(error) || ProviderAbortError.isInstance(error)) return error;
  if (isTransientNetworkError(error)) {
    return redactedProviderError(context, `the connection failed: ${describeNetworkError(error)}`, {
      retryable: true,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return redactedProviderError(context, message, { retryable: false, cause: error });
}

/** Ollama's errors are `{ "error": "..." }`; anything else is shown as it came. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // Not JSON: the text itself.
  }
  return text.trim() || 'no details';
}

/** `OLLAMA_HOST` may be written as `host:port`, without a scheme. */
function withScheme(address: string): string {
  return /^https?:\/\//i.test(address) ? address : `http://${address}`;
}
