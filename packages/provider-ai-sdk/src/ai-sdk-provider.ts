import {
  abortableStream,
  defineProvider,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
} from '@multi-context/provider';
import { type LanguageModel, type LanguageModelUsage, stepCountIs, streamText } from 'ai';
import { toAISDKProviderError } from './ai-sdk-error.js';
import { toAISDKTools, toPrompt } from './ai-sdk-messages.js';
import { toCallParams } from './ai-sdk-params.js';

/** A fixed AI SDK model, or a function that makes one from the model id a profile names. */
export type AISDKModelSource = LanguageModel | ((modelId: string) => LanguageModel);

/** Options of {@link createAISDKProvider}. */
export interface AISDKProviderOptions {
  /** The provider id used in messages and logs. Default `ai-sdk`. */
  id?: string;
  /** With a model function: the model id used when the profile names none. */
  defaultModel?: string;
  /**
   * Values that must never appear in an error message, such as the API key
   * you gave the AI SDK provider (this wrapper cannot see it otherwise).
   */
  secrets?: readonly string[];
}

/**
 * Wraps any Vercel AI SDK language model as a provider, streaming through
 * `streamText`. Pass a model to answer every profile with it, or a function
 * from a model id to a model to let each profile pick one.
 *
 * It speaks provider specification `v2`: a request's `tools` go to the model
 * as AI SDK tools without `execute`, so `streamText` runs none and takes one
 * step; the model's calls come back as `tool-call` events (their arguments
 * streamed as `tool-input-delta`s), and the history's tool calls and results
 * go out as `tool-call` parts and `tool` messages.
 *
 * `streamText` never retries (`maxRetries: 0`): core does, guided by the
 * `retryable` and `retryAfterMs` of the {@link ProviderError}s this emits.
 *
 * @example
 * import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
 * const ollama = createOpenAICompatible({ name: 'ollama', baseURL: 'http://localhost:11434/v1' });
 * const local = createAISDKProvider((modelId) => ollama(modelId), { defaultModel: 'llama3.2' });
 */
export function createAISDKProvider(
  model: AISDKModelSource,
  options: AISDKProviderOptions = {},
): Provider {
  const providerId = options.id ?? 'ai-sdk';
  const errorContext = { providerId, secrets: options.secrets ?? [] };

  return defineProvider({
    specificationVersion: 'v2',
    id: providerId,
    stream: (request) =>
      abortableStream<ProviderEvent>(
        request.signal,
        async (signal, emit) => {
          const tools = request.tools ?? [];
          const result = streamText({
            ...toCallParams(request.params, providerId),
            model: resolveModel(model, request, options.defaultModel, providerId),
            ...toPrompt(request),
            ...(tools.length === 0 ? {} : { tools: toAISDKTools(tools) }),
            // One model step: the host runs the calls and asks again (the default, said out loud).
            stopWhen: stepCountIs(1),
            maxRetries: 0,
            abortSignal: signal,
            // Errors arrive as `error` parts of fullStream; this only stops the default console log.
            onError: () => {},
          });
          // tool-input-delta parts name their call only by id.
          const toolNames = new Map<string, string>();
          for await (const part of result.fullStream) {
            switch (part.type) {
              case 'text-delta':
                if (part.text !== '') emit({ type: 'text-delta', text: part.text });
                break;
              case 'tool-input-start':
                toolNames.set(part.id, part.toolName);
                break;
              case 'tool-input-delta':
                if (part.delta !== '') {
                  emit({
                    type: 'tool-input-delta',
                    toolCallId: part.id,
                    toolName: toolNames.get(part.id) ?? '',
                    delta: part.delta,
                  });
                }
                break;
              case 'tool-call':
                // An invalid call (arguments that are not JSON, an unknown tool) carries
                // the raw arguments: the host answers it with what is wrong.
                emit({
                  type: 'tool-call',
                  toolCallId: part.toolCallId,
                  toolName: part.toolName,
                  input: part.input ?? {},
                });
                break;
              case 'error':
                throw part.error;
              case 'finish': {
                const usage = toUsage(part.totalUsage);
                if (usage) emit({ type: 'usage', usage });
                emit({ type: 'finish', finishReason: part.finishReason, usage });
                break;
              }
            }
          }
        },
        (error) => toAISDKProviderError(error, errorContext),
      ),
  });
}

/** Picks the model for a request; a fixed model refuses a profile that asks for another. */
function resolveModel(
  source: AISDKModelSource,
  request: ProviderRequest,
  defaultModel: string | undefined,
  providerId: string,
): LanguageModel {
  const fail = (message: string): never => {
    throw new ProviderError({ message: `${providerId}: ${message}`, providerId });
  };
  if (typeof source === 'function') {
    const modelId = request.model || defaultModel;
    return modelId
      ? source(modelId)
      : fail(`profile "${request.profile}" names no model and the provider has no defaultModel.`);
  }
  const fixedId = typeof source === 'string' ? source : source.modelId;
  if (request.model && request.model !== fixedId) {
    fail(
      `profile "${request.profile}" asks for model "${request.model}" but this provider wraps ` +
        `"${fixedId}"; pass a function (modelId) => model to let profiles choose.`,
    );
  }
  return source;
}

/**
 * The AI SDK's usage as the provider contract counts it: its `inputTokens`
 * hold every input token, cached or not, so the cache reads and writes its
 * `inputTokenDetails` report (when the model's provider reports them) are
 * taken out of them.
 */
export function toUsage(usage: LanguageModelUsage): ProviderUsage | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const allInput = usage.inputTokens ?? 0;
  const outputTokens = usage.outputTokens ?? 0;
  const details = usage.inputTokenDetails;
  const cacheReadTokens = details?.cacheReadTokens ?? usage.cachedInputTokens;
  const cacheWriteTokens = details?.cacheWriteTokens;
  const inputTokens =
    details?.noCacheTokens ?? allInput - (cacheReadTokens ?? 0) - (cacheWriteTokens ?? 0);
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokens ?? allInput + outputTokens,
    ...(cacheReadTokens !== undefined && { cacheReadTokens }),
    ...(cacheWriteTokens !== undefined && { cacheWriteTokens }),
  };
}
