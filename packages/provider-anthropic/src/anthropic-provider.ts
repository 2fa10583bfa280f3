import Anthropic from '@anthropic-ai/sdk';
import type {
  MessageCreateParamsStreaming,
  RawMessageStreamEvent,
} from '@anthropic-ai/sdk/resources/messages';
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
import { markCacheBreakpoints } from './anthropic-cache.js';
import { toAnthropicProviderError } from './anthropic-error.js';
import { toAnthropicConversation, toAnthropicTools } from './anthropic-messages.js';
import { checkedParams } from './anthropic-params.js';
import { ToolUseAssembler } from './anthropic-tool-calls.js';
import type { PromptCacheSetting } from './prompt-cache-setting.js';

/** Options of {@link createAnthropicProvider}. */
export interface AnthropicProviderOptions {
  /** The API key. Defaults to the environment variable named by `apiKeyEnv`. */
  apiKey?: string;
  /** The environment variable that holds the API key when `apiKey` is not given. Default `ANTHROPIC_API_KEY`. */
  apiKeyEnv?: string;
  /** The API root, e.g. a proxy or gateway. Default: the Anthropic API (or `ANTHROPIC_BASE_URL`, as the SDK reads it). */
  baseURL?: string;
  /** Extra headers on every request (e.g. `anthropic-beta`). */
  headers?: Record<string, string>;
  /** The model used when the profile names none. */
  defaultModel?: string;
  /** `max_tokens` when the profile's params set none (the API requires one). Default 4096. */
  defaultMaxTokens?: number;
  /** A `fetch` implementation to use instead of the global one (proxies, tests). */
  fetch?: typeof globalThis.fetch;
  /** The provider id used in messages and logs. Default `anthropic`. */
  id?: string;
  /**
   * Prompt caching when a profile's params set no `prompt_cache`: `on`
   * (default; the API's 5-minute time-to-live), `5m`, `1h` or `off`.
   */
  promptCache?: PromptCacheSetting;
}

/**
 * Creates a provider that answers through the Anthropic Messages API,
 * streaming. System messages go into the top-level `system` parameter.
 *
 * It speaks provider specification `v2`: a request's `tools` are sent as
 * custom tools, the model's `tool_use` blocks come back as `tool-call` events
 * (their input streamed as `tool-input-delta`s), and the history's tool calls
 * and results go out as `tool_use` and `tool_result` blocks.
 *
 * Prompt caching is on unless a profile's `prompt_cache` param (or the
 * `promptCache` option) says `off`: the system prompt and the latest user
 * messages carry cache breakpoints (see `markCacheBreakpoints`), so a
 * context's history is read from the cache on its next task. Usage counts
 * cache reads and writes apart from the other input tokens.
 *
 * The SDK never retries (`maxRetries: 0`): core does, guided by the
 * `retryable` and `retryAfterMs` of the {@link ProviderError}s this emits.
 *
 * @throws {ProviderError} (not retryable) when no API key is given or found in the environment.
 *
 * @example
 * const claude = createAnthropicProvider({ defaultModel: 'claude-sonnet-5-5' });
 */
export function createAnthropicProvider(options: AnthropicProviderOptions = {}): Provider {
  const providerId = options.id ?? 'anthropic';
  const apiKeyEnv = options.apiKeyEnv ?? 'ANTHROPIC_API_KEY';
  const apiKey = resolveApiKey({ apiKey: options.apiKey, apiKeyEnv });
  if (apiKey === undefined) {
    throw new ProviderError({
      message: `${providerId}: no API key. Pass { apiKey } or set ${apiKeyEnv}.`,
      providerId,
    });
  }
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;

  const client = new Anthropic({
    apiKey,
    baseURL: options.baseURL,
    defaultHeaders: options.headers,
    fetch: options.fetch,
    maxRetries: 0,
    // Failures reach the host as ProviderErrors; the SDK should not also log
    // them to the console unless asked to through ANTHROPIC_LOG.
    logLevel: readEnv('ANTHROPIC_LOG') === undefined ? 'off' : undefined,
  });
  const errorContext = { providerId, secrets: [apiKey] };

  return defineProvider({
    specificationVersion: 'v2',
    id: providerId,
    stream: (request) =>
      abortableStream<ProviderEvent>(
        request.signal,
        async (signal, emit) => {
          const body = toMessagesBody(request, options, defaultMaxTokens, providerId);
          const stream = await client.messages.create(body, { signal });
          await emitEvents(stream, emit, providerId);
        },
        (error) => toAnthropicProviderError(error, errorContext),
      ),
  });
}

/**
 * Builds the streaming Messages request body; system messages become
 * `system`, tool parts blocks, with cache breakpoints unless caching is off.
 */
function toMessagesBody(
  request: ProviderRequest,
  options: AnthropicProviderOptions,
  defaultMaxTokens: number,
  providerId: string,
): MessageCreateParamsStreaming {
  const model = nonEmpty(request.model) ?? nonEmpty(options.defaultModel);
  if (model === undefined) {
    throw new ProviderError({
      message: `${providerId}: profile "${request.profile}" names no model and the provider has no defaultModel.`,
      providerId,
    });
  }
  const { body, promptCache } = checkedParams(request.params, defaultMaxTokens, providerId);
  const { system, messages, tools } = markCacheBreakpoints(
    {
      ...toAnthropicConversation(request.messages),
      tools: toAnthropicTools(request.tools ?? []),
    },
    promptCache ?? options.promptCache ?? 'on',
  );
  return {
    ...body,
    model,
    ...(system === '' ? {} : { system }),
    messages,
    ...(tools.length === 0 ? {} : { tools }),
    stream: true,
  };
}

/**
 * Emits a text delta per `text_delta`, a tool input delta per piece of a
 * `tool_use` block's input, usage from `message_start` (input, cache reads
 * and writes) and `message_delta` (cumulative output), then a `tool-call` per `tool_use`
 * block and `finish` with the stop reason (`tool-calls` for `tool_use`). A
 * stream that ends before `message_stop` was cut short.
 */
async function emitEvents(
  stream: AsyncIterable<RawMessageStreamEvent>,
  emit: (event: ProviderEvent) => void,
  providerId: string,
): Promise<void> {
  let inputTokens = 0;
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  let outputTokens = 0;
  let stopReason: string | undefined;
  let stopped = false;
  const toolUses = new ToolUseAssembler();
  const usage = (): ProviderUsage => ({
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + cacheReadTokens + cacheWriteTokens + outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
  });
  // The API counts cached input apart: input_tokens are only the tokens after the last cache hit or write.
  const takeInput = (counts: {
    input_tokens?: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
  }) => {
    if (typeof counts.input_tokens === 'number') inputTokens = counts.input_tokens;
    if (typeof counts.cache_read_input_tokens === 'number')
      cacheReadTokens = counts.cache_read_input_tokens;
    if (typeof counts.cache_creation_input_tokens === 'number')
      cacheWriteTokens = counts.cache_creation_input_tokens;
  };
  for await (const event of stream) {
    toolUses.add(event, emit);
    switch (event.type) {
      case 'message_start': {
        const start = event.message.usage;
        takeInput(start);
        outputTokens = start.output_tokens;
        emit({ type: 'usage', usage: usage() });
        break;
      }
      case 'content_block_delta':
        if (event.delta.type === 'text_delta' && event.delta.text !== '') {
          emit({ type: 'text-delta', text: event.delta.text });
        }
        break;
      case 'message_delta': {
        takeInput(event.usage);
        outputTokens = event.usage.output_tokens;
        stopReason = event.delta.stop_reason ?? stopReason;
        emit({ type: 'usage', usage: usage() });
        break;
      }
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped) {
    throw new ProviderError({
      message: `${providerId}: the stream ended before the answer was complete (no message_stop).`,
      providerId,
      retryable: true,
    });
  }
  for (const event of toolUses.events()) emit(event);
  emit({
    type: 'finish',
    finishReason: stopReason === 'tool_use' ? 'tool-calls' : stopReason,
    usage: usage(),
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
