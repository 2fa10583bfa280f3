import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  isRetryableStatus,
  ProviderAbortError,
  ProviderError,
  parseRetryAfter,
} from '@multi-context/provider';
import {
  describeNetworkError,
  isTransientNetworkError,
  mentionsSecret,
  redactSecrets,
} from './network-error.js';

/** What the error mapping needs to know about the call that failed. */
export interface ErrorContext {
  providerId: string;
  /** Values that must never appear in a message (the API key). */
  secrets: readonly (string | undefined)[];
}

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
export function toAnthropicProviderError(error: unknown, context: ErrorContext): Error {
  if (ProviderError.isInstance(error) || ProviderAbortError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError)
    return new ProviderAbortError(undefined, { cause: error });

  const { providerId, secrets } = context;
  const make = (
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number },
  ) =>
    new ProviderError({
      message: redactSecrets(`${providerId}: ${message}`, secrets),
      providerId,
      ...options,
      cause: mentionsSecret(error, secrets) ? undefined : error,
    });

  if (error instanceof APIConnectionError) {
    const detail = error.cause === undefined ? error.message : describeNetworkError(error.cause);
    return make(`could not reach the server: ${detail}`, { retryable: true });
  }
  if (error instanceof APIError) {
    const detail = error.apiMessage ?? error.message;
    const type = error.type ? ` (${error.type})` : '';
    if (typeof error.status === 'number') {
      return make(`HTTP ${error.status}: ${detail}${type}`, {
        status: error.status,
        retryable: isRetryableStatus(error.status),
        retryAfterMs: error.headers ? parseRetryAfter(error.headers) : undefined,
      });
    }
    return make(`the server sent an error in the stream: ${detail}${type}`, {
      retryable: error.type !== null && RETRYABLE_ERROR_TYPES.has(error.type),
    });
  }
  if (error instanceof SyntaxError) {
    return make(`the server sent a malformed stream event: ${error.message}`, { retryable: false });
  }
  if (isTransientNetworkError(error)) {
    return make(`the connection failed: ${describeNetworkError(error)}`, { retryable: true });
  }
  return make(error instanceof Error ? error.message : String(error), { retryable: false });
}
