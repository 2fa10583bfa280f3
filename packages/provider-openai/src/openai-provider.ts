import {
  abortableStream,
  defineProvider,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
  readEnv,
  resolveApiKey,
} from '@multi-context/provider';
import OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { OpenAIPromptCache } from './check-openai-params.js';
import { toOpenAIProviderError } from './openai-error.js';
import { toOpenAIMessages, toOpenAITools } from './openai-messages.js';
import { checkedParams } from './openai-params.js';
import { ToolCallAssembler } from './openai-tool-calls.js';
import { promptCacheKey } from './prompt-cache-key.js';

/** Options of {@link createOpenAIProvider}. */
export interface OpenAIProviderOptions {
  /** The API key. Defaults to the environment variable named by `apiKeyEnv`. */
  apiKey?: string;
  /** The environment variable that holds the API key when `apiKey` is not given. Default `OPENAI_API_KEY`. */
  apiKeyEnv?: string;
  /**
   * Set to `false` for a server that needs no key (Ollama, vLLM, LM Studio,
   * llama.cpp): a missing key is then no error and no `Authorization` header is
   * sent. A key that is given is still used. Default `true`.
   */
  requireApiKey?: boolean;
  /**
   * The API root, up to and including `/v1`, for any OpenAI-compatible server,
   * e.g. `http://localhost:11434/v1` (Ollama). Default: the OpenAI API
   * (or `OPENAI_BASE_URL`, as the SDK reads it).
   */
  baseURL?: string;
  /** Sent as `OpenAI-Organization` (the SDK falls back to `OPENAI_ORG_ID`). */
  organization?: string;
  /** Extra headers on every request (e.g. OpenRouter's `HTTP-Referer`). */
  headers?: Record<string, string>;
  /** The model used when the profile names none. */
  defaultModel?: string;
  /** A `fetch` implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof globalThis.fetch;
  /** The provider id used in messages and logs. Default `openai`. */
  id?: string;
  /**
   * Whether to send a `prompt_cache_key` per context (see `promptCacheKey`)
   * when a profile's params set none, nor `prompt_cache`. Default `on` for the
   * OpenAI API, `off` for other servers, which may refuse a field they do not
   * know.
   */
  promptCache?: OpenAIPromptCache;
}

/**
 * Creates a provider that answers through the OpenAI Chat Completions API,
 * streaming, or through any server that speaks it (Ollama, vLLM, LM Studio,
 * llama.cpp, OpenRouter, Groq...) when given a `baseURL`.
 *
 * It speaks provider specification `v2`: a request's `tools` are sent as
 * function tools, the model's calls come back as `tool-call` events (their
 * arguments streamed as `tool-input-delta`s), and the history's tool calls
 * and results go out as `tool_calls` and `role: 'tool'` messages.
 *
 * The SDK never retries (`maxRetries: 0`): core does, guided by the
 * `retryable` and `retryAfterMs` of the {@link ProviderError}s this emits.
 *
 * @throws {ProviderError} (not retryable) when no API key is given or found
 * in the environment and `requireApiKey` is not `false`.
 *
 * @example
 * const openai = createOpenAIProvider({ defaultModel: 'gpt-4o-mini' });
 * const ollama = createOpenAIProvider({
 *   id: 'ollama',
 *   baseURL: 'http://localhost:11434/v1',
 *   requireApiKey: false,
 *   defaultModel: 'llama3.2',
 * });
 */
export function createOpenAIProvider(options: OpenAIProviderOptions = {}): Provider {
  const providerId = options.id ?? 'openai';
  const apiKeyEnv = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const apiKey = resolveApiKey({ apiKey: options.apiKey, apiKeyEnv });
  if (apiKey === undefined && options.requireApiKey !== false) {
    throw new ProviderError({
      message:
        `${providerId}: no API key. Pass { apiKey } or set ${apiKeyEnv}; ` +
        'for a local server that needs no key, pass { requireApiKey: false }.',
      providerId,
    });
  }

  const client = new OpenAI({
    // The SDK insists on a credential; without a key the placeholder is never
    // sent, because the Authorization header is removed below.
    apiKey: apiKey ?? 'no-api-key',
    baseURL: options.baseURL,
    organization: options.organization,
    defaultHeaders:
      apiKey === undefined ? { Authorization: null, ...options.headers } : options.headers,
    fetch: options.fetch,
    maxRetries: 0,
    // Failures reach the host as ProviderErrors; the SDK should not also log
    // them to the console unless asked to through OPENAI_LOG.
    logLevel: readEnv('OPENAI_LOG') === undefined ? 'off' : undefined,
  });
  const errorContext = { providerId, secrets: [apiKey] };
  const defaultPromptCache =
    options.promptCache ?? (new URL(client.baseURL).hostname === 'api.openai.com' ? 'on' : 'off');

  return defineProvider({
    specificationVersion: 'v2',
    id: providerId,
    stream: (request) =>
      abortableStream<ProviderEvent>(
        request.signal,
        async (signal, emit) => {
          const body = toChatCompletionBody(
            request,
            options.defaultModel,
            defaultPromptCache,
            providerId,
          );
          const stream = await client.chat.completions.create(body, { signal });
          await emitChunks(stream, emit, providerId);
        },
        (error) => toOpenAIProviderError(error, errorContext),
      ),
  });
}

/**
 * Builds the streaming Chat Completions request body from a provider request,
 * with the context's `prompt_cache_key` when caching is on and the params
 * name no key of their own.
 */
function toChatCompletionBody(
  request: ProviderRequest,
  defaultModel: string | undefined,
  defaultPromptCache: OpenAIPromptCache,
  providerId: string,
): ChatCompletionCreateParamsStreaming {
  const model = nonEmpty(request.model) ?? nonEmpty(defaultModel);
  if (model === undefined) {
    throw new ProviderError({
      message: `${providerId}: profile "${request.profile}" names no model and the provider has no defaultModel.`,
      providerId,
    });
  }
  const tools = request.tools ?? [];
  const { body, promptCache } = checkedParams(request.params, providerId);
  const sendKey = (promptCache ?? defaultPromptCache) === 'on' && body.prompt_cache_key == null;
  return {
    ...(sendKey && { prompt_cache_key: promptCacheKey(request) }),
    ...body,
    model,
    messages: toOpenAIMessages(request.messages),
    ...(tools.length === 0 ? {} : { tools: toOpenAITools(tools) }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

/**
 * Emits a text delta per content delta, a tool input delta per piece of a
 * call's arguments, usage from the final usage chunk (`cached_tokens` apart), then a `tool-call` per
 * call and `finish` (`tool-calls` when the model stopped to have them run).
 * A stream that ends without a finish reason was cut short.
 */
async function emitChunks(
  stream: AsyncIterable<ChatCompletionChunk>,
  emit: (event: ProviderEvent) => void,
  providerId: string,
): Promise<void> {
  let finishReason: string | undefined;
  let usage: ProviderUsage | undefined;
  const toolCalls = new ToolCallAssembler();
  for await (const chunk of stream) {
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      const text = choice.delta?.content ?? choice.delta?.refusal;
      if (text) emit({ type: 'text-delta', text });
      if (choice.delta?.tool_calls) toolCalls.add(choice.delta.tool_calls, emit);
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (chunk.usage) {
      // prompt_tokens include the cached ones; a server that reports no details cached none it says.
      const cached = chunk.usage.prompt_tokens_details?.cached_tokens;
      usage = {
        inputTokens: chunk.usage.prompt_tokens - (cached ?? 0),
        outputTokens: chunk.usage.completion_tokens,
        totalTokens: chunk.usage.total_tokens,
        ...(typeof cached === 'number' && { cacheReadTokens: cached }),
      };
      emit({ type: 'usage', usage });
    }
  }
  if (finishReason === undefined) {
    throw new ProviderError({
      message: `${providerId}: the stream ended before the answer was complete (no finish_reason).`,
      providerId,
      retryable: true,
    });
  }
  for (const event of toolCalls.events()) emit(event);
  emit({
    type: 'finish',
    finishReason: finishReason === 'tool_calls' ? 'tool-calls' : finishReason,
    usage,
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
