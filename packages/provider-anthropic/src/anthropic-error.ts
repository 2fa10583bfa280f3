import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  describeNetworkError,
  httpProviderError,
  isTransientNetworkError,
  ProviderAbortError,
  ProviderError,
  type ProviderErrorContext,
  redactedProviderError,
} from '@multi-context/provider';

/** Error types that a retry may cure when the API sends them inside a stream (`event: error`). */
const RETRYABLE_ERROR_TYPES = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
]);

/**
 * Maps whatever the Anthropic SDK, fetch or the stream parser threw onto a
 * {@link ProviderError} (or passes a {@link ProviderAbortError} through), with
 * `status`, `retryable` and `retryAfterMs` set and the API key kept out.
 */
export function toAnthropicProviderError(error: unknown, context: ProviderErrorContext): Error {
  if (ProviderError.isInstance(error) || ProviderAbortError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderAbortError(undefined, { cause: error });

  const make = (message: string, retryable: boolean) =>
    redactedProviderError(context, message, { retryable, cause: error });

  if (error instanceof APIConnectionError) {
    const detail = error.cause === undefined ? error.message : describeNetworkError(error.cause);
    return make(`could not reach the server: ${detail}`, true);
  }
  if (error instanceof APIError) {
    const detail = error.apiMessage ?? error.message;
    const type = error.type ? ` (${error.type})` : '';
    if (typeof error.status === 'number') {
      return httpProviderError(context, error.status, `${detail}${type}`, error.headers, error);
    }
    return make(
      `the server sent an error in the stream: ${detail}${type}`,
      error.type !== null && RETRYABLE_ERROR_TYPES.has(error.type),
    );
  }
  if (error instanceof SyntaxError) {
    return make(`the server sent a malformed stream event: ${error.message}`, false);
  }
  if (isTransientNetworkError(error)) {
    return make(`the connection failed: ${describeNetworkError(error)}`, true);
  }
  return make(error instanceof Error ? error.message : String(error), false);
}
