export { abortableStream } from './abortable-stream.js';
export {
  type CompleteProviderDefinition,
  type CompleteResult,
  completeFunctionOf,
  defineProvider,
  finishEvent,
  type NormalizedCompleteResult,
  normalizeCompleteResult,
  type ProviderDefinition,
  type StreamProviderDefinition,
  toolCallEvents,
} from './define-provider.js';
export { readEnv, resolveApiKey } from './environment.js';
export { isRequestAborted, LazyAbort, requestWithSignal } from './lazy-abort.js';
export { describeNetworkError, isTransientNetworkError } from './network-error.js';
export { parseToolInput } from './parse-tool-input.js';
export {
  type ChatMessage,
  type ChatRole,
  isProvider,
  PROVIDER_SPECIFICATION_VERSION,
  type Provider,
  type ProviderEvent,
  type ProviderFinishEvent,
  type ProviderOutputFormat,
  type ProviderRequest,
  type ProviderSpecificationVersion,
  type ProviderTextDeltaEvent,
  type ProviderToolCall,
  type ProviderToolCallEvent,
  type ProviderToolDefinition,
  type ProviderToolInputDeltaEvent,
  type ProviderUsage,
  type ProviderUsageEvent,
  SUPPORTED_SPECIFICATION_VERSIONS,
} from './provider.js';
export {
  isRetryableStatus,
  ProviderAbortError,
  ProviderError,
  type ProviderErrorOptions,
  parseRetryAfter,
} from './provider-error.js';
export type { ProviderFactory, ProviderFactoryOptions } from './provider-factory.js';
export {
  httpProviderError,
  type ProviderErrorContext,
  type RedactedProviderErrorOptions,
  redactedProviderError,
} from './redacted-provider-error.js';
export { mentionsSecret, redactSecrets } from './secrets.js';
export { textOnlyMessages } from './text-only-messages.js';
