import {
  abortableStream,
  defineProvider,
  type Provider,
  ProviderError,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderUsage,
} from '@multi-context/provider';
import { type LanguageModel, type LanguageModelUsage, type ModelMessage, streamText } from 'ai';
import { toAISDKProviderError } from './ai-sdk-error.js';
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
    // Text only until its wire format carries tool calls: the host sends it no tools.
    specificationVersion: 'v1',
    id: providerId,
    stream: (request) =>
      abortableStream<ProviderEvent>(
        request.signal,
        async (signal, emit) => {
          const result = streamText({
            ...toCallParams(request.params, providerId),
            model: resolveModel(model, request, options.defaultModel, providerId),
            ...toPrompt(request),
            maxRetries: 0,
            abortSignal: signal,
            // Errors arrive as `error` parts of fullStream; this only stops the default console log.
            onError: () => {},
          });
          for await (const part of result.fullStream) {
            switch (part.type) {
              case 'text-delta':
                if (part.text !== '') emit({ type: 'text-delta', text: part.text });
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

/** System messages become `system`; the rest of the conversation becomes `messages`. */
function toPrompt(request: ProviderRequest): { system?: string; messages: ModelMessage[] } {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content)
    .join('\n\n');
  // A v1 provider (tool calls come in a later version): its host sends it no tool messages.
  const messages = request.messages.flatMap((message): ModelMessage[] =>
    message.role === 'system' || message.role === 'tool'
      ? []
      : [{ role: message.role, content: message.content }],
  );
  return system === '' ? { messages } : { system, messages };
}

function toUsage(usage: LanguageModelUsage): ProviderUsage | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const inputTokens = usage.inputTokens ?? 0;
  const outputTokens = usage.outputTokens ?? 0;
  return {
    inputTokens,
    outputTokens,
    totalTokens: usage.totalTokens ?? inputTokens + outputTokens,
  };
}
