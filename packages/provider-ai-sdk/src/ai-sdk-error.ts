import {
  describeNetworkError,
  httpProviderError,
  isTransientNetworkError,
  ProviderAbortError,
  ProviderError,
  type ProviderErrorContext,
  redactedProviderError,
} from '@multi-context/provider';
import {
  APICallError,
  InvalidResponseDataError,
  JSONParseError,
  RetryError,
  TypeValidationError,
} from 'ai';

/** Error `type`s or `code`s of an error object sent inside a stream that a retry may cure. */
const RETRYABLE_STREAM_ERROR = /server_error|api_error|rate_limit|overloaded|timeout|unavailable/i;

/**
 * Maps what `streamText` reported (an `APICallError`, a parse error, a network
 * error, or an error object a server sent inside the stream) onto a
 * {@link ProviderError}, with `status`, `retryable` and `retryAfterMs` set and
 * the given secrets kept out.
 */
export function toAISDKProviderError(error: unknown, context: ProviderErrorContext): Error {
  if (ProviderError.isInstance(error) || ProviderAbortError.isInstance(error)) return error;
  if (RetryError.isInstance(error)) return toAISDKProviderError(error.lastError, context);

  const make = (message: string, retryable: boolean) =>
    redactedProviderError(context, message, { retryable, cause: error });

  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) {
      return make(
        `could not reach the server: ${describeNetworkError(error.cause ?? error)}`,
        error.isRetryable || isTransientNetworkError(error),
      );
    }
    if (status < 400) {
      // The answer began well and its body broke off (the AI SDK reports it with the 200).
      return make(
        `the connection failed: ${describeNetworkError(error.cause ?? error)}`,
        isTransientNetworkError(error),
      );
    }
    return httpProviderError(context, status, error.message, error.responseHeaders, error);
  }
  if (JSONParseError.isInstance(error) || TypeValidationError.isInstance(error)) {
    return make(`the server sent a malformed stream chunk: ${error.message}`, false);
  }
  if (InvalidResponseDataError.isInstance(error)) {
    // Such as a stream that ended without a finish reason: a fresh attempt may complete.
    return make(`the server sent an unusable response: ${error.message}`, true);
  }
  if (isTransientNetworkError(error)) {
    return make(`the connection failed: ${describeNetworkError(error)}`, true);
  }
  if (error instanceof Error) return make(error.message, false);
  if (typeof error === 'object' && error !== null) {
    // An error object a server sent inside the stream, e.g. { message, type, code }.
    const { message, type, code } = error as { message?: unknown; type?: unknown; code?: unknown };
    const kind = [type, code].filter((part) => typeof part === 'string').join(' ');
    const detail = typeof message === 'string' ? message : JSON.stringify(error);
    return make(
      `the server sent an error in the stream: ${detail}${kind ? ` (${kind})` : ''}`,
      RETRYABLE_STREAM_ERROR.test(kind),
    );
  }
  return make(String(error), false);
}
