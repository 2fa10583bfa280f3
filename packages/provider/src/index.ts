export { abortableStream } from './abortable-stream.js';
export {
  type CompleteProviderDefinition,
  type CompleteResult,
  completeFunctionOf,
  defineProvider,
  normalizeCompleteResult,
  type ProviderDefinition,
  type StreamProviderDefinition,
} from './define-provider.js';
export { readEnv, resolveApiKey } from './environment.js';
export { isRequestAborted, LazyAbort, requestWithSignal } from './lazy-abort.js';
export { describeNetworkError, isTransientNetworkError } from './network-error.js';
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
  type ProviderTextDeltaEvent,
  type ProviderUsage,
  type ProviderUsageEvent,
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
