export {
  type CompleteProviderDefinition,
  type CompleteResult,
  completeFunctionOf,
  defineProvider,
  normalizeCompleteResult,
  type ProviderDefinition,
  type StreamProviderDefinition,
} from './define-provider.js';
export { isRequestAborted, LazyAbort, requestWithSignal } from './lazy-abort.js';
export {
  type ChatMessage,
  type ChatRole,
  isProvider,
  PROVIDER_SPECIFICATION_VERSION,
  type Provider,
  type ProviderEvent,
  type ProviderFinishEvent,
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
